"""Make labelled claims from documents: true sentences, changed facts, flipped polarity, added facts.

The public sets have few refuted claims (WiCE has none), and their false claims rarely differ
from the source by one fact. These claims fill that gap in training the entailment model (training/pairs.py). Each is made
from one sentence of a document and is checked against that document:

- SUPPORTED: the sentence itself, or its main clause (the part before the first comma clause);
- REFUTED: the sentence with one number, year, month or name changed, or its polarity flipped;
- NOT_ENOUGH_INFO: the sentence with a fact added that the document does not state, or a
  sentence of another document of the same set.

Everything is seeded, so the same documents give the same claims.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from verifier.facts import MONTHS, analyze_many

SUPPORTED, REFUTED, NEI = "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"

_NEGATABLE = re.compile(r"\b(is|are|was|were|has|have|had|can|could|will|would|does|did|do|should|may|might)\b")
_NEGATED = re.compile(r"\b(is|are|was|were|has|have|had|can|could|will|would|does|did|do|should|may|might) not\b")
_ADDED_FACTS = ["in 1987", "in March 2004", "by 40 percent", "in Norway", "for the third time", "in 12 countries"]
_MONTH_NAMES = [m.capitalize() for m in MONTHS if len(m) > 3 or m == "may"]


@dataclass(frozen=True)
class Synthetic:
    claim: str
    label: str
    doc_id: str
    evidence: tuple[str, ...]   # the sentence the claim was made from (empty when it is from another document)
    how: str


def _usable(sentence: str) -> bool:
    words = sentence.split()
    return 8 <= len(words) <= 45 and sentence[:1].isupper() and not sentence.rstrip().endswith("?")


def _main_clause(sentence: str) -> str | None:
    """The sentence cut before a trailing ", which/while/..." clause, when that leaves a claim."""
    m = re.search(r",\s+(?:which|while|whereas|although|but|and|as|with|including)\b", sentence)
    if not m or len(sentence[: m.start()].split()) < 6:
        return None
    return sentence[: m.start()].rstrip(" ,;:") + "."


def _change_number(text: str, rng: random.Random) -> str | None:
    nums = [m for m in re.finditer(r"(?<![\w.,])\d+(?:\.\d+)?(?![\w])", text)
            if not re.fullmatch(r"1[5-9]\d\d|20\d\d", m.group())]
    if not nums:
        return None
    m = rng.choice(nums)
    value = float(m.group())
    new = value * rng.choice([2, 3, 0.5]) if value > 4 else value + rng.choice([2, 3, 5])
    new_text = (f"{new:.{len(m.group().split('.')[1])}f}" if "." in m.group() else str(int(round(new))))
    if new_text == m.group():
        return None
    return text[: m.start()] + new_text + text[m.end():]


def _change_year(text: str, rng: random.Random) -> str | None:
    years = list(re.finditer(r"(?<![\d.,-])(1[5-9]\d\d|20\d\d)(?![\d])", text))
    if not years:
        return None
    m = rng.choice(years)
    return text[: m.start()] + str(int(m.group()) + rng.choice([-3, -2, 2, 4])) + text[m.end():]


def _change_month(text: str, rng: random.Random) -> str | None:
    found = [m for m in re.finditer(r"\b(" + "|".join(_MONTH_NAMES) + r")\b", text)]
    if not found:
        return None
    m = rng.choice(found)
    other = rng.choice([n for n in _MONTH_NAMES if n.lower()[:3] != m.group().lower()[:3]])
    return text[: m.start()] + other + text[m.end():]


def _flip_polarity(text: str, rng: random.Random) -> str | None:
    if m := _NEGATED.search(text):
        return text[: m.start()] + m.group(1) + text[m.end():]
    found = list(_NEGATABLE.finditer(text))
    if not found:
        return None
    m = found[0]
    return text[: m.end()] + " not" + text[m.end():]


def _swap_name(text: str, names: list[tuple[str, str]], rng: random.Random) -> str | None:
    """Replace a name in the sentence by another name of the same kind from the same document."""
    here = [(n, g) for n, g in names if n in text]
    rng.shuffle(here)
    for name, group in here:
        others = [n for n, g in names if g == group and n not in text and name not in n and n not in name]
        if others:
            return text.replace(name, rng.choice(others), 1)
    return None


def make_claims(docs: list[tuple[str, list[str]]], per_doc: int = 2, seed: int = 0) -> list[Synthetic]:
    """Labelled claims from documents, given as (doc_id, sentences) pairs."""
    rng = random.Random(seed)
    out: list[Synthetic] = []
    usable = [(doc_id, [s for s in sents if _usable(s)]) for doc_id, sents in docs]
    usable = [(d, s) for d, s in usable if s]
    all_sentences = [(d, s) for d, sents in usable for s in sents]
    for doc_id, sents in usable:
        picked = rng.sample(sents, min(per_doc, len(sents)))
        facts = analyze_many(sents)
        names = sorted({(e.text, e.group) for f in facts for e in f.entities if len(e.text) > 2})
        for s in picked:
            clause = _main_clause(s)
            out.append(Synthetic(clause or s, SUPPORTED, doc_id, (s,), "main clause" if clause else "sentence"))
            changes = [("number", _change_number(s, rng)), ("year", _change_year(s, rng)),
                       ("month", _change_month(s, rng)), ("name", _swap_name(s, names, rng)),
                       ("polarity", _flip_polarity(s, rng))]
            changes = [(how, c) for how, c in changes if c and c != s]
            if changes:
                how, changed = rng.choice(changes)
                out.append(Synthetic(changed, REFUTED, doc_id, (s,), how))
            added = rng.choice(_ADDED_FACTS)
            out.append(Synthetic(s.rstrip(" .") + " " + added + ".", NEI, doc_id, (s,), "added fact"))
        other = [x for x in all_sentences if x[0] != doc_id]
        if other:
            out.append(Synthetic(rng.choice(other)[1], NEI, doc_id, (), "other document"))
    return out
