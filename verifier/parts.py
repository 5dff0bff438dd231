"""Split a claim into the parts that must each be stated: the main statement, each coordinated member, each modifier, each relative clause.

A claim is supported only when every part is. The split reads spaCy's dependency parse and is
deterministic; every part is a sentence of its own, made of the claim's own words:

- the main statement: the verb with its subject, object and complements, the modifiers left out
  ("Azerbaijan and Turkey hold drills on liberated lands for the first time" -> "Azerbaijan and
  Turkey hold drills");
- each coordinated subject, object or clause ("Azerbaijan and Turkey hold drills" -> "Azerbaijan
  hold drills", "Turkey hold drills"; "The drills began in Lachin and will last five days" -> two
  clauses, the second with the first one's subject);
- each modifier of time, place, quantity, participant, instrument, cause or purpose, with the main
  statement ("... hold drills on liberated lands", "... hold drills for the first time");
- each relative clause, its relative pronoun replaced by what it refers to ("the drills, which began
  in Lachin, ..." -> "the drills began in Lachin").

A claim that has none of these (a short statement) stays one part: itself. Agreement is not
repaired ("Azerbaijan hold drills"): the entailment model reads such parts as they are meant.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from .facts import load_nlp

# Dependency labels of a verb's children that modify rather than complete the statement.
_MODIFIER_DEPS = {"prep", "agent", "npadvmod", "advcl", "advmod"}
# Adverbs that are part of what is stated, not a detail added to it.
_CORE_ADVERBS = {"not", "n't", "never", "also", "too", "only", "still", "already", "again", "jointly", "together"}
# Particles of phrasal verbs: "dates back to 1992" says nothing without "back".
_PARTICLES = {"back", "up", "down", "out", "off", "away", "forth", "apart", "over", "on", "in"}
_TIME_PREPS = {"on", "in", "at", "during", "after", "before", "since", "until", "till", "by", "from", "between",
               "within", "throughout", "for"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_TIME_LABELS = {"DATE", "TIME"}
_QUANTITY_LABELS = {"CARDINAL", "QUANTITY", "PERCENT", "MONEY", "ORDINAL"}
_PARTY_LABELS = {"PERSON", "ORG", "NORP", "GPE"}
# Conjunctions of a choice: the members of "A or B" are not each stated.
_CHOICE = {"or", "nor", "either", "neither", "whether"}
_CAUSE = re.compile(r"^(?:because|due|owing|thanks|as a result|for fear)\b", re.I)
_PURPOSE = re.compile(r"^(?:to|in order to|so as to|so that|for the purpose)\b", re.I)
# Longer than this many words, a claim is read part by part only: no model reads it whole.
LONG_CLAIM_WORDS = 60
# A claim is checked on its first this many words, and the reason says so: it bounds the time and
# memory a pathological claim (a pasted page) can take.
MAX_CHECKED_WORDS = 400


# Kinds of part made of the main statement and one modifier: each states the main statement too.
WITH_MAIN = {"time", "place", "quantity", "ordinal", "participant", "instrument", "cause", "purpose", "modifier"}
# Kinds of part made of the main statement with one member of its coordinated subject or object in place of them all.
MEMBER_KINDS = {"subject", "object"}


@dataclass(frozen=True)
class Part:
    """One thing a claim states, as a sentence of its own."""

    text: str
    kind: str                 # main, subject, object, clause, time, place, quantity, participant, instrument,
    #                           cause, purpose, modifier, relative
    added: str                # the claim's words this part adds to the main statement ("" for the main one)


def checked_text(text: str) -> str:
    """The claim, or its first MAX_CHECKED_WORDS words when it is longer (as written, up to the last one kept)."""
    matches = list(itertools.islice(re.finditer(r"\S+", text), MAX_CHECKED_WORDS + 1))
    if len(matches) <= MAX_CHECKED_WORDS:
        return text
    return text[: matches[MAX_CHECKED_WORDS - 1].end()]


def split(text: str) -> list[Part]:
    """The parts of a claim, the main statement first; one part (the claim) when there is nothing to split."""
    return split_doc(text, load_nlp()(text))


def split_many(texts: list[str]) -> list[list[Part]]:
    nlp = load_nlp()
    return [split_doc(t, doc) for t, doc in zip(texts, nlp.pipe(texts, batch_size=32))]


def split_doc(text: str, doc: Any) -> list[Part]:
    whole = Part(_sentence(text), "main", "")
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if len(roots) != 1 or roots[0].pos_ not in ("VERB", "AUX"):
        return [whole]
    # A claim the model can read whole loses nothing kept whole; a longer one would be cut to its
    # first words, so its parts, imperfect as they may be, still check more of it.
    if _misparsed(roots[0]) and len(text.split()) <= LONG_CLAIM_WORDS:
        return [whole]
    root = roots[0]
    clauses = [root] + [c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
    if len(clauses) > 1 and _alternatives(clauses):
        return [whole]
    parts: list[Part] = []
    if len(clauses) > 1:
        subject = _subject(root)
        strays = _strays(root, clauses)
        for verb in clauses:
            own = (_clause_tokens(verb, clauses) - {i for ids in strays.values() for i in ids}) | strays.get(verb.i, set())
            keep = set(own)
            if verb.i != root.i and subject is not None and _subject(verb) is None:
                keep |= set(_subtree_indices(subject))
            parts.append(Part(_render(doc, keep), "clause", _words(doc, own)))
        return _distinct(parts) or [whole]
    core, modifiers = _core_and_modifiers(root)
    main = Part(_render(doc, core), "main", "")
    parts.append(main)
    for tok, members in _coordinations(root):
        whole_span = set(_subtree_indices(tok))
        kind = "subject" if tok.dep_.startswith("nsubj") else "object"
        for m in members:
            own = _member(m)
            parts.append(Part(_render(doc, (core - whole_span) | own), kind, _words(doc, own)))
    for mod in modifiers:
        if _misread_clause(mod):
            continue
        span = set(_subtree_indices(mod))
        kind = _kind(mod)
        members = _listed(mod)
        if len(members) > 1:
            # "signed by Azerbaijan, Russia and Turkey": a part for each member of the list.
            listed = set(_subtree_indices(members[0]))
            for m in members:
                own = (span - listed) | _member(m)
                parts.append(Part(_render(doc, core | own), kind, _words(doc, _member(m))))
        else:
            parts.append(Part(_render(doc, core | span), kind, _words(doc, span)))
    for noun in (t for t in doc if t.dep_ == "relcl"):
        rel = _relative(doc, noun)
        if rel is not None:
            parts.append(rel)
    parts = _distinct(parts)
    if len(parts) <= 1:
        return [whole]
    return parts


def _misparsed(root: Any) -> bool:
    """A parse too wrong to split: a finite verb hung on the statement's verb as an unlabelled dependent.

    "the machine a package is installed on no longer needs ...": the small parser makes "installed"
    the statement and "needs" a loose dependent of it; its parts would drop "on" and "needs" apart.
    """
    return any(c.dep_ == "dep" and c.tag_ in ("VBD", "VBZ", "VBP") for c in root.children)


def _misread_clause(mod: Any) -> bool:
    """A clause of its own that the parse hangs on the verb as a modifier: a finite verb with no subject and no "when".

    "Martin O'Neill was appointed as manager and Ireland therefore continued as a member": the
    parse takes "Ireland" into the list and "continued" for a modifier of "appointed"; with the main
    statement it would read "Martin O'Neill was appointed therefore continued", which the claim
    does not say. Such a clause is left to the claim read whole.
    """
    return (mod.dep_ == "advcl" and mod.tag_ in ("VBD", "VBZ", "VBP")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl", "mark") for c in mod.children))


def _member(m: Any) -> set[int]:
    """A coordinated member's own words: its subtree without the members coordinated to it."""
    drop = {t.i for c in m.children if c.dep_ in ("conj", "cc", "punct", "preconj") for t in c.subtree}
    return {t.i for t in m.subtree} - drop


def _listed(mod: Any) -> list[Any]:
    """The coordinated objects of a preposition ("by A, B and C"), or none."""
    obj = next((c for c in mod.children if c.dep_ == "pobj"), None)
    if obj is None:
        return []
    return _members(obj)


def _members(first: Any) -> list[Any]:
    """A coordination's members, the first one first; the first alone when they are no true list.

    Members of one list are the same kind of word, all names or all common nouns: "appointed as
    the new manager and Ireland" is a misread clause ("Ireland continued ..."), not two roles. And
    words inside quotation marks are one title: "The Simpsons and Philosophy" is one book. A
    choice is no list either: "Turkey or Russia sent troops" states neither "Turkey sent troops"
    nor "Russia sent troops", and "neither A nor B" denies both.
    """
    members = [first] + [t for t in first.conjuncts if t.i > first.i]
    if len(members) > 1 and (len({m.pos_ == "PROPN" for m in members}) > 1 or _quoted(first)
                             or _stray_conjunction(first) or _alternatives(members)):
        return [first]
    return members


def _alternatives(members: list[Any]) -> bool:
    """Whether coordinated words are alternatives ("or", "nor", "either", "neither"), not a list."""
    return any(t.dep_ in ("cc", "preconj") and t.lower_ in _CHOICE for m in members for t in m.children)


def _stray_conjunction(first: Any) -> bool:
    """Whether the first member's own words hold an "and" that joins nothing there: the list's own
    "and", misattached ("Replacement of OCT4 and SOX2 genes", read as "Replacement" and "genes")."""
    own = _member(first)
    return any(t.dep_ == "cc" and not any(c.dep_ == "conj" for c in t.head.children)
               for t in first.subtree if t.i in own)


def _quoted(tok: Any) -> tuple[int, int] | None:
    """The span (first, last token) of the quotation marks around a token, if it is inside a pair of them."""
    marks = [t.i for t in tok.doc if t.text in ('"', "\u201c", "\u201d")]
    for a, b in zip(marks[::2], marks[1::2]):
        if a < tok.i < b:
            return a, b
    return None


def _words(doc: Any, keep: set[int]) -> str:
    """The kept tokens as the claim writes them, for reasons ("on liberated lands")."""
    return _detach(_join(doc, keep)).strip(" ,;:").rstrip(" ,;:.")


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(" ,;:")
    return text if text.endswith((".", "!", "?")) else text + "."


def _subtree_indices(tok: Any) -> list[int]:
    return [t.i for t in tok.subtree]


def _clause_tokens(verb: Any, clauses: list[Any]) -> set[int]:
    """A clause's own words: the verb's subtree without the clauses coordinated to it and their "and"."""
    others = {t.i for c in clauses if c.i != verb.i and c.head.i == verb.i for t in c.subtree}
    joiners = {t.i for t in verb.children if t.dep_ in ("cc", "punct") and t.i > verb.i and
               any(c.head.i == verb.i and c.i > t.i and c.i != verb.i for c in clauses)}
    return set(_subtree_indices(verb)) - others - joiners - {t.i for t in verb.children if verb.dep_ == "conj" and t.dep_ == "cc"}


def _strays(root: Any, clauses: list[Any]) -> dict[int, set[int]]:
    """Words the parse hangs on the first verb but that are written inside or after a later clause: that clause's.

    Coordinated clauses follow each other in the claim: in "he was declared bankrupt and the
    brewery was leased to his nephews, brothers Robert and Edwin", the parse may hang "brothers
    Robert and Edwin" on "declared"; read in order, it belongs to the lease.
    """
    starts = sorted((c.left_edge.i, c.i) for c in clauses if c.i != root.i)
    out: dict[int, set[int]] = {}
    for child in root.children:
        if child.dep_ == "cc" or any(child.i == c.i for c in clauses):
            continue
        later = [verb for start, verb in starts if start < child.i]
        if later:
            out.setdefault(later[-1], set()).update(_subtree_indices(child))
    return out


def _subject(verb: Any) -> Any:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)


def _core_and_modifiers(root: Any) -> tuple[set[int], list[Any]]:
    modifiers = []
    for c in root.children:
        if c.dep_ in _MODIFIER_DEPS and not (c.dep_ == "advmod" and c.lower_ in _CORE_ADVERBS | _PARTICLES):
            # "took part in the drills": a preposition the verb cannot do without stays in the statement.
            if c.dep_ == "prep" and _bound_preposition(root, c):
                continue
            modifiers.append(c)
    drop = {t.i for m in modifiers for t in m.subtree}
    core = {t.i for t in root.subtree} - drop
    # Relative clauses are parts of their own; the statement keeps the noun they describe.
    core -= {t.i for t in root.subtree if t.dep_ == "relcl" for t in t.subtree}
    return core, modifiers


_BOUND = {("consist", "of"), ("rely", "on"), ("depend", "on"), ("belong", "to"), ("refer", "to"),
          ("lead", "to"), ("result", "in"), ("participate", "in"), ("look", "at"), ("agree", "on"),
          ("focus", "on"), ("deal", "with"), ("comply", "with"), ("commit", "to"), ("place", "on"),
          ("base", "on"), ("amount", "to"), ("account", "for"), ("stem", "from")}
# What "be" can say besides a place or state after a preposition ("was under occupation").
_COMPLEMENTS = {"attr", "acomp", "oprd", "ccomp", "xcomp", "dobj"}


def _bound_preposition(verb: Any, prep: Any) -> bool:
    """Whether the verb needs this preposition to say anything: "take part in", "consist of", "rely on".

    "Be" with nothing else to say needs its first one: "the region was under Georgian occupation".
    """
    lemma = verb.lemma_.lower()
    if lemma == "be" and prep.i > verb.i and not any(c.dep_ in _COMPLEMENTS for c in verb.children):
        return prep.i == min(c.i for c in verb.children if c.dep_ == "prep" and c.i > verb.i)
    return (lemma, prep.lower_) in _BOUND or any(c.dep_ == "dobj" and c.lower_ == "part"
                                                 for c in verb.children) and prep.lower_ == "in"


def _coordinations(root: Any) -> list[tuple[Any, list[Any]]]:
    """Coordinated subjects and objects of the statement: (the first member, every member)."""
    out = []
    for c in root.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "dative"):
            members = _members(c)
            if len(members) > 1:
                out.append((c, members))
    return out


def _kind(mod: Any) -> str:
    text = " ".join(t.text for t in mod.subtree)
    ents = {t.ent_type_ for t in mod.subtree if t.ent_type_}
    first = mod.lower_
    if mod.dep_ == "agent":
        return "participant"
    if _CAUSE.match(text):
        return "cause"
    if _PURPOSE.match(text) or (mod.dep_ == "advcl" and any(t.dep_ == "aux" and t.lower_ == "to" for t in mod.children)):
        return "purpose"
    if ents & _TIME_LABELS or (mod.dep_ == "npadvmod" and not ents) or (first in ("after", "before", "during", "since", "until")):
        return "time"
    if ents & _PLACE_LABELS and first in ("in", "at", "near", "from", "to", "into", "across", "inside", "outside"):
        return "place"
    if "ORDINAL" in ents or first in ("first", "last", "second", "third"):
        return "ordinal"
    if ents & _QUANTITY_LABELS:
        return "quantity"
    if first in ("with", "alongside", "without") and ents & _PARTY_LABELS:
        return "participant"
    if first in ("with", "using", "by", "via", "through"):
        return "instrument"
    if ents & _PLACE_LABELS:
        return "place"
    return "modifier"


def _relative(doc: Any, clause: Any) -> Part | None:
    """A relative clause as a statement: its relative pronoun replaced by the noun phrase it describes.

    None where the parse gave it a noun it cannot describe: "which" is never said of a person ("a
    poem about Michael Jackson, which was read at his funeral" is about the poem, not Jackson).
    """
    noun = clause.head
    pronoun = next((t for t in clause.subtree if t.tag_ in ("WDT", "WP", "WP$") or t.lower_ == "that"), None)
    if pronoun is not None and pronoun.lower_ == "which" and (noun.ent_type_ == "PERSON" or noun.tag_ == "PRP"):
        return None
    quoted = _quoted(noun)
    if quoted is not None:
        phrase = list(range(quoted[0], quoted[1] + 1))  # a title in quotation marks is named whole
    else:
        phrase = [t.i for t in noun.subtree if t.i not in {x.i for x in clause.subtree}
                  and not (t.dep_ in ("punct", "cc") and (t.i == noun.right_edge.i or t.i > noun.i))]
        # After the noun: its compounds, and its prepositional phrases whole ("contracts at the Board").
        after = {t.i for c in noun.children if c.i > noun.i and c.dep_ in ("prep", "compound") for t in c.subtree}
        phrase = [i for i in phrase if i <= noun.i or i in after]
    if pronoun is None or not phrase:
        return None
    # "which Alyssa Coghlan had written" -> "Alyssa Coghlan had written the PEP": an object goes after its verb.
    slot = _object_slot(pronoun) if pronoun.dep_ == "dobj" and pronoun.head.i > pronoun.i else None
    # "on which the exercises are conducted" -> "the exercises are conducted on the basis".
    fronted = pronoun.head if pronoun.dep_ == "pobj" and pronoun.head.i < pronoun.i else None
    noun_phrase = _join(doc, set(phrase)).strip()
    if (slot is not None or fronted is not None) and phrase[0] == 0 and doc[0].pos_ != "PROPN":
        noun_phrase = noun_phrase[:1].lower() + noun_phrase[1:]  # "The collection" moved after the verb
    # Tokens of the claim (by index) and the noun phrase (a string), in the statement's order.
    pieces: list[int | str] = []
    tail: list[int | str] = []
    for t in clause.subtree:
        if fronted is not None and t.i == fronted.i:
            tail = [t.i, noun_phrase]
        elif t.i == pronoun.i:
            if fronted is None and slot is None:
                pieces.append(noun_phrase)
        elif t.dep_ != "punct" or t.text not in _CLAUSE_MARKS or _inside_word(t):
            pieces.append(t.i)
        if slot is not None and t.i == slot:
            pieces.append(noun_phrase)
    text = _sentence(_detach(_spell(doc, pieces + tail)))
    return Part(text[:1].upper() + text[1:], "relative", _words(doc, set(_subtree_indices(clause))))


# Marks that set a clause off; a relative clause made a statement drops them (brackets and quotes stay).
_CLAUSE_MARKS = {",", ";", ":", ".", "!", "?", "\u2014", "\u2013", "-", "--"}


def _inside_word(tok: Any) -> bool:
    """A mark written inside a word, no space on either side: the hyphen of "well-known"."""
    return tok.i > 0 and not tok.doc[tok.i - 1].whitespace_ and not tok.whitespace_ and tok.i + 1 < len(tok.doc)


def _spell(doc: Any, pieces: list[int | str]) -> str:
    """Tokens (by index) with the claim's spacing where they were neighbours, and strings, as one text."""
    out = []
    for k, p in enumerate(pieces):
        if isinstance(p, str):
            out.append(p + " ")
            continue
        nxt = pieces[k + 1] if k + 1 < len(pieces) else None
        out.append(doc[p].text + (doc[p].whitespace_ if nxt == p + 1 else " "))
    return "".join(out)


def _object_slot(pronoun: Any) -> int:
    """The token a fronted object follows once put back: its verb, or the verb's particle ("turned down")."""
    verb = pronoun.head
    return max([verb.i] + [c.i for c in verb.children if c.dep_ == "prt" and c.i == verb.i + 1])


def _render(doc: Any, keep: set[int]) -> str:
    """The kept tokens, in order, with the claim's own spacing; dangling commas and conjunctions cleaned."""
    keep = set(keep)
    # A phrase set off by commas that is dropped takes its opening comma with it: "The drills, [which
    # began in Lachin,] will last" reads "The drills will last".
    for i in sorted(keep):
        if doc[i].text == "," and i + 1 < len(doc) and i + 1 not in keep:
            j = i + 1
            while j < len(doc) and j not in keep:
                j += 1
            if j < len(doc) and doc[j].text == ",":
                keep -= {i, j}  # the phrase between two commas went: both commas go
            elif doc[j - 1].text == "," or j == len(doc) or doc[j].text == ".":
                keep.discard(i)
    out = _detach(_join(doc, keep))
    out = re.sub(r"^\s*(?:and|or|but|,)\s+", "", out, flags=re.I)
    out = re.sub(r"\s+(?:and|or|but)\s*([.,;]?)\s*$", r"\1", out, flags=re.I)
    out = re.sub(r"(?:\s*,)+\s*(?=[.;:]|$)", "", out)
    out = re.sub(r"\s*,(?:\s*,)+", ",", out)
    out = out.strip(" ,;:")
    if not out:
        return ""
    return _sentence(out[:1].upper() + out[1:])


def _join(doc: Any, keep: set[int]) -> str:
    """The kept tokens with the claim's spacing, and a space where words that were apart now meet."""
    return _spell(doc, sorted(keep))


def _detach(text: str) -> str:
    """Spaces before punctuation, doubled spaces and lone brackets, as a join of tokens leaves them.

    A mark that begins a word (".dist-info", ".5") keeps its space.
    """
    text = _balanced(text)
    text = re.sub(r"\s+([,.;:!?%)\]])(?!\w)", r"\1", text)
    text = re.sub(r"([(\[])\s+", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _balanced(text: str) -> str:
    """The text without the brackets whose partner was left out ("She joined the firm,)")."""
    drop: set[int] = set()
    for opening, closing in ("()", "[]"):
        open_at: list[int] = []
        for i, ch in enumerate(text):
            if ch == opening:
                open_at.append(i)
            elif ch == closing:
                if open_at:
                    open_at.pop()
                else:
                    drop.add(i)
        drop.update(open_at)
    return "".join(ch for i, ch in enumerate(text) if i not in drop)


def _distinct(parts: list[Part]) -> list[Part]:
    seen: set[str] = set()
    out = []
    for p in parts:
        key = p.text.lower()
        if p.text and key not in seen and len(p.text.split()) >= 2:
            seen.add(key)
            out.append(p)
    return out
