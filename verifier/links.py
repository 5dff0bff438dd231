"""Whether a sentence refers back to the one before it: the link that lets a quote's facts cross sentences.

A quote of several sentences is honest only where its sentences are about the same thing. The
rule here is deliberately narrow and deterministic: a sentence refers back when a personal or
possessive pronoun stands among its first words ("He won in 2005", "Its first album ..."),
or it opens with a demonstrative ("This agreement ..."). Its antecedent is then taken to be the
sentence just before it, and only that one. A definite description alone ("The drills ...") is
not a link: "the X" names a thing of its own and can as well start a new topic.
"""
from __future__ import annotations

import re

# How many words into a sentence a pronoun still refers back (past them it usually refers within).
LEAD_WORDS = 8
_PRONOUN = re.compile(r"\b(?:he|she|they|him|her|them|his|its|their|hers|theirs)\b", re.I)
_IT = re.compile(r"\bit\b(?! (?:is|was|should be|must be|has been|can be|will be) (?:noted|said|reported|known|"
                 r"expected|clear|likely|possible|important|necessary|worth|true)\b)", re.I)
_DEMONSTRATIVE = re.compile(r"^\W*(?:this|these|those|that|such)\b", re.I)


def refers_back(sentence: str) -> bool:
    """Whether the sentence leans on the one before it for who or what it is about."""
    lead = " ".join(sentence.split()[:LEAD_WORDS])
    return bool(_PRONOUN.search(lead) or _IT.search(lead) or _DEMONSTRATIVE.match(sentence))
