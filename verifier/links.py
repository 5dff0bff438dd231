"""Whether a sentence refers back to the one before it: the link that lets a name cross sentences.

A quote of several sentences is honest only where its sentences are about the same thing. The
rule here is deliberately narrow and deterministic: a sentence refers back when a personal or
possessive pronoun stands among its first words ("He won in 2005", "Its first album ..."), when
it opens with a demonstrative ("This agreement ..."), or when a definite description of a kind
of named thing does ("the two countries", "the band", "the company"). Its antecedent is then
taken to be the sentence just before it, and only that one. A definite description of anything
else ("The drills ...") is not a link: it names a thing of its own and can as well start a new topic.
"""
from __future__ import annotations

import re

# How many words into a sentence a pronoun still refers back (past them it usually refers within).
LEAD_WORDS = 8
_PRONOUN = re.compile(r"\b(?:he|she|they|him|her|them|his|its|their|hers|theirs)\b", re.I)
_IT = re.compile(r"\bit\b(?! (?:is|was|should be|must be|has been|can be|will be) (?:noted|said|reported|known|"
                 r"expected|clear|likely|possible|important|necessary|worth|true)\b)", re.I)
_DEMONSTRATIVE = re.compile(r"^\W*(?:this|these|those|that|such)\b", re.I)
# Nouns for kinds of things that have names: "the two countries" stands for names said before.
_NAMED_KINDS = ("countries|country|nations|nation|states|sides|parties|governments|government|leaders|leader|"
                "presidents|president|ministers|minister|company|firm|band|group|team|club|city|town|region|"
                "district|ministry|organisation|organization|agency|armies|army|couple|pair|man|woman|singer|"
                "actor|actress|player|author|writer|album|film|song|book")
_DESCRIPTION = re.compile(r"\b(?:the|both)\s+(?:(?:two|three|four|both|same|former|latter)\s+)?(?:" + _NAMED_KINDS
                          + r")\b", re.I)


def refers_back(sentence: str) -> bool:
    """Whether the sentence leans on the one before it for who or what it is about."""
    lead = " ".join(sentence.split()[:LEAD_WORDS])
    return bool(_PRONOUN.search(lead) or _IT.search(lead) or _DEMONSTRATIVE.match(sentence)
                or _DESCRIPTION.search(lead))
