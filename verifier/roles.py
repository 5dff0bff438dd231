"""Tell whether a quote gives a claim's roles otherwise: who does what to whom, by the same verb.

Sentence models read words more than their order: "Eggs use .dist-info directories" scores as
entailed by "Wheel uses .dist-info directories; egg uses .egg-info", and "Turkey trained Azerbaijani
officers" by "Azerbaijani officers trained Turkish cadets". The parser finds each verb's doer (its
subject, or the "by" phrase of a passive) and what it is done to (its object, or the subject of a
passive), and three patterns conflict, each only where the quote never states the claim's own
pairing with that verb:

* the roles reversed: the quote's doer is the claim's done-to and the other way round;
* the pairs crossed: the quote pairs the claim's doer with another thing, and the claim's thing
  with another doer ("wheel uses .dist-info; egg uses .egg-info");
* the claim's doer (or thing) named inside the quote's other role: "every wheel file contains the
  version of the specification" against "the specification contains the version of every file".

Where the parse finds no doer or no object for the verb, nothing is said: the check only ever adds
a conflict where the parse shows one.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

from .compare import Comparison, Conflict, same_name
from .facts import parsed

# Verbs that relate rather than act ("is", "has"): their two sides are not a doer and a thing done to.
_LIGHT = {"be", "have", "do", "become", "seem", "include", "mean"}
# Modifiers that tell one thing from another of the same kind (".dist-info directories", "pure
# Python packages", "Armenia's army"); articles and numbers of things do not.
_NAMING = {"compound", "nummod", "nmod", "amod", "poss", "npadvmod"}
_RELATIVE = {"which", "that", "who", "whom"}
_LONGEST = 16  # tokens: a longer span of the quote is shown by its roles, not whole


@dataclass(frozen=True)
class Arg:
    """One side of a verb: its head word's lemma, the words that name it, and every other word under it.

    ``aka`` holds the other names it is given beside it, each as head and naming words ("his Turkish
    counterpart Recep Tayyip Erdogan").
    """

    head: str
    words: frozenset[str]
    subtree: frozenset[str]
    text: str
    aka: tuple[tuple[str, frozenset[str]], ...] = ()

    def forms(self) -> tuple[tuple[str, frozenset[str]], ...]:
        return ((self.head, self.words), *self.aka)


@dataclass(frozen=True)
class Role:
    """A verb (by lemma) with its doer and what it is done to, and the text that says so."""

    verb: str
    doer: Arg
    done_to: Arg
    text: str


def roles(text: str) -> tuple[Role, ...]:
    """Every verb of ``text`` whose doer and done-to the parse finds, each pairing once."""
    doc = parsed(text)
    out: list[Role] = []
    for verb in doc:
        if verb.pos_ != "VERB" or verb.lemma_.lower() in _LIGHT or verb.dep_ in ("amod", "acl"):
            continue
        doers, done_to = _sides(verb)
        for d in doers:
            for t in done_to:
                if d.i == t.i:
                    continue
                doer, thing = _arg(d, verb), _arg(t, verb)
                ends = [verb.i, *(x.i for x in _span(d)), *(x.i for x in _span(t))]
                first, last = min(ends), max(ends)
                said = (doc[first:last + 1].text if last - first < _LONGEST
                        else f"{doer.text} ... {verb.text} ... {thing.text}")
                out.append(Role(verb.lemma_.lower(), doer, thing, said))
    return tuple(dict.fromkeys(out))


def _sides(verb: Any) -> tuple[list[Any], list[Any]]:
    """The verb's doers and the things it is done to, through "and" and relative clauses."""
    kids = list(verb.children)
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in kids)
    doers = [c for c in kids if c.dep_ == "nsubj"]
    doers += [g for c in kids if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    done_to = [c for c in kids if c.dep_ == "dobj" or (passive and c.dep_ == "nsubjpass")]
    # A verb joined to another by "and" shares its subject: "generates egg-info, and then converts it".
    if not doers and verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        doers = [c for c in verb.head.children if c.dep_ == "nsubj"]
    # "the PEP, which Alyssa Coghlan had written": the relative pronoun stands for the noun it follows.
    if verb.dep_ == "relcl":
        doers = [verb.head if c.lower_ in _RELATIVE else c for c in doers]
        done_to = [verb.head if c.lower_ in _RELATIVE else c for c in done_to]
    keep = [t for t in (*doers, *done_to) if t.pos_ != "PRON"]
    return ([x for t in doers if t in keep for x in _and(t)],
            [x for t in done_to if t in keep for x in _and(t)])


def _and(tok: Any) -> list[Any]:
    """A word and those joined to it by "and": "Azerbaijan, Russia and Armenia"."""
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"):
            out += _and(c)
    return out


def _span(tok: Any) -> list[Any]:
    """The head word with the words before it that name it: ".dist-info directories"."""
    left = [c for c in tok.lefts if c.dep_ in _NAMING or c.dep_ == "punct" and c.i > tok.i - 4]
    start = min((t.left_edge.i for t in left if t.dep_ != "punct"), default=tok.i)
    return [t for t in tok.doc[start:tok.i + 1] if t.dep_ not in ("det", "case") or t.i == tok.i]


def _naming(tok: Any) -> tuple[str, frozenset[str]]:
    return tok.lemma_.lower(), frozenset(t.lemma_.lower() for t in _span(tok) if not t.is_punct)


def _arg(tok: Any, verb: Any) -> Arg:
    named = _span(tok)
    # Every word under it but the verb's own clause: "the declaration that Aliyev signed" does not
    # name Aliyev inside the declaration.
    clause = {t.i for t in verb.subtree} if verb in tok.subtree else set()
    under = frozenset(t.lemma_.lower() for t in tok.subtree
                      if t.i not in clause and not t.is_punct and not t.is_stop)
    aka = tuple(_naming(c) for c in tok.children if c.dep_ == "appos")
    head, words = _naming(tok)
    return Arg(head, words, under | {head}, tok.doc[named[0].i:tok.i + 1].text, aka)


def same(a: Arg, b: Arg) -> bool:
    """One thing on both sides: under one of its names, the same head word, one side's naming words all on the other."""
    return any((h == g or same_name(h, g)) and (_within(w, v) or _within(v, w))
               for h, w in a.forms() for g, v in b.forms())


def _within(few: frozenset[str], many: frozenset[str]) -> bool:
    return all(w in many or any(same_name(w, m) for m in many) for w in few)


def _mentioned(a: Arg, words: frozenset[str]) -> bool:
    return any(h in words or any(same_name(h, w) for w in words) for h, _ in a.forms())


def conflict(claimed: Sequence[Role], said: Sequence[Role]) -> str:
    """Why the quote's roles conflict with the claim's, or "" where they do not (or the parse cannot tell)."""
    for c in claimed:
        mine = [r for r in said if r.verb == c.verb]
        if not mine or any(same(r.doer, c.doer) and same(r.done_to, c.done_to) for r in mine):
            continue
        for r in mine:
            if same(r.doer, c.done_to) and same(r.done_to, c.doer):
                return f"the source says '{r.text}': the claim has the roles the other way round"
        other_thing = [r for r in mine if same(r.doer, c.doer) and not same(r.done_to, c.done_to)]
        other_doer = [r for r in mine if same(r.done_to, c.done_to) and not same(r.doer, c.doer)]
        if other_thing and other_doer:
            return (f"the source says '{other_thing[0].text}' and '{other_doer[0].text}': "
                    "the claim pairs them otherwise")
        for r in other_doer:
            if _mentioned(c.doer, r.done_to.subtree) and not _mentioned(c.doer, r.doer.subtree):
                return f"the source says '{r.text}', with {c.doer.text} on the other side"
        for r in other_thing:
            if _mentioned(c.done_to, r.doer.subtree) and not _mentioned(c.done_to, r.done_to.subtree):
                return f"the source says '{r.text}', with {c.done_to.text} on the other side"
    return ""


RoleReader = Callable[[str], "tuple[Role, ...]"]


def swapped_roles(cmp: Comparison, claim_text: str, quote_text: str, quote_vocab: frozenset[str] | set[str],
                  read: RoleReader = roles) -> Comparison:
    """The comparison with a "role" conflict added where the quote gives the claim's roles otherwise.

    The quote is parsed only where it has one of the claim's verbs (``quote_vocab``: its words and
    lemmas), so most quotes cost nothing; ``read`` finds a text's roles
    (:class:`verifier.parse_cache.RoleCache` keeps them, so a warm run parses nothing).
    """
    claimed = read(claim_text)
    if not claimed or not any(c.verb in quote_vocab for c in claimed):
        return cmp
    why = conflict(claimed, read(quote_text))
    if not why:
        return cmp
    return replace(cmp, clashes=[*cmp.clashes, Conflict("role", why)])
