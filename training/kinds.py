"""Pairs of the kinds the entailment model got wrong: roles, lists, added details, states, ratios, order, existence, windows.

Each generator takes one spaCy-parsed document (its sentences in order) and a seeded random
generator, and returns ``(premise, hypothesis, label, how)`` tuples. The hypotheses are edits of
the document's own sentences, so the model learns the difference between saying the same thing in
other words and saying a slightly different thing:

- ``role reversal``: the subject and the object (or the ``from`` argument) swapped: "Azerbaijan
  liberated Lachin from Armenia" -> "Armenia liberated Lachin from Azerbaijan" (contradiction);
- ``list member replaced``: one member of a coordinated list of names replaced by another name of the
  same kind from the document (contradiction); ``list member added``: one added (neutral);
- ``added detail``: a participant, place, instrument, cause or purpose the premise lacks (neutral);
- ``state flipped``: liberated / occupied, required / optional, opened / closed (contradiction);
- ``ratio``: two counts stated in a premise, and "twice as many", "more", "fewer", "the same
  number", "half as many" claimed of them (labels computed from the counts);
- ``order``: "in 2004" -> "before 2006" (entailment) / "after 2006" (contradiction);
- ``existence denied``: "60 servicemen" -> "no servicemen" (contradiction);
- ``value from a neighbour``: a date or number of one sentence given to the subject of the next
  (a window of both as premise): neutral when the second sentence states no such value,
  contradiction when it states another.
"""
from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable

Pair = tuple[str, str, str, str]

NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART"}

# Pairs of states whose swap makes a true statement false; read both ways.
STATES = [
    ("liberated", "occupied"), ("required", "optional"), ("mandatory", "optional"), ("opened", "closed"),
    ("open", "closed"), ("enabled", "disabled"), ("allowed", "forbidden"), ("permitted", "prohibited"),
    ("legal", "illegal"), ("public", "private"), ("included", "excluded"), ("includes", "excludes"),
    ("accepted", "rejected"), ("alive", "dead"), ("active", "inactive"),
    ("visible", "hidden"), ("male", "female"), ("domestic", "foreign"), ("internal", "external"),
    ("increase", "decrease"), ("increased", "decreased"), ("earlier", "later"), ("before", "after"),
    ("first", "last"), ("won", "lost"), ("success", "failure"), ("supports", "opposes"),
    ("supported", "opposed"), ("entered", "left"), ("arrived", "departed"), ("import", "export"),
    ("imported", "exported"), ("sold", "bought"), ("maximum", "minimum"), ("above", "below"),
    ("inside", "outside"), ("north", "south"), ("east", "west"), ("always", "never"),
    ("completed", "abandoned"), ("ended", "continued"), ("signed", "rejected"), ("ally", "enemy"),
    ("allies", "enemies"), ("victory", "defeat"), ("sufficient", "insufficient"), ("possible", "impossible"),
    ("effective", "ineffective"), ("significant", "insignificant"), ("higher", "lower"), ("older", "younger"),
]

# Details a premise does not state, by the role they add. {name} is filled with a name from the
# same document that the sentence does not contain, {thing} with a noun phrase of another sentence.
ADDED = [
    ("participant", "together with {name}"), ("participant", "with the help of {name}"),
    ("participant", "at the request of {name}"), ("place", "in {place}"), ("place", "near {place}"),
    ("instrument", "using {thing}"), ("cause", "because of {thing}"), ("purpose", "to promote {thing}"),
    ("time", "for the second time"), ("manner", "in secret"), ("time", "within a week"),
]
_WORD_NUMBER = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "twelve": 12, "twenty": 20, "fifty": 50, "hundred": 100}
_YEAR = re.compile(r"\bin (1[6-9]\d\d|20[0-4]\d)\b")
_COUNT = re.compile(r"(?<![\w.,$£€-])(\d{1,3}(?:,\d{3})+|\d+)\s+([a-z][a-z-]{3,}s|[a-z]*men|people|children)\b")
# Nouns after a number that are no count of things one could have none of.
_NOT_THINGS = {"years", "months", "weeks", "days", "hours", "minutes", "seconds", "times", "percent", "points",
               "decades", "centuries", "degrees", "miles", "meters", "metres", "kilometres", "kilometers"}
_BEFORE_COUNT = re.compile(r"(?:type|grade|stage|phase|level|version|top|number|no\.|about|roughly|approximately|nearly|around|"
                           r"over|some|almost|january|february|march|april|may|june|july|august|september|october|"
                           r"november|december)\s*$", re.I)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _end(text: str) -> str:
    return text.rstrip(" .;:,") + "."


def _t(sent) -> str:
    return sent.text.strip()


def _counts(text: str) -> list[re.Match]:
    return [m for m in _COUNT.finditer(text) if int(m.group(1).replace(",", "")) >= 2
            and m.group(2) not in _NOT_THINGS and not _BEFORE_COUNT.search(text[: m.start()])]


def _usable(sent) -> bool:
    n = len(sent)
    text = sent.text.strip()
    return 6 <= n <= 50 and text[:1].isupper() and not text.endswith("?") and "\n" not in text


def _names(doc) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for ent in doc.ents:
        if ent.label_ in NAME_LABELS and len(ent.text) > 2 and ent.text[:1].isupper():
            group = "place" if ent.label_ in {"GPE", "LOC", "FAC"} else ent.label_
            if ent.text not in out.setdefault(group, []):
                out[group].append(ent.text)
    return out


def _span_text(tok) -> str:
    """The whole phrase a token heads (its subtree), as written."""
    sub = list(tok.subtree)
    return tok.doc[sub[0].i: sub[-1].i + 1].text


def _entity_of(tok):
    """The name a token heads, when the phrase it heads is that name alone (no appositive, no clause)."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    if ent is None or ent.label_ not in NAME_LABELS - {"NORP"} or ent.root != tok or len(ent) > 4:
        return None
    sub = list(tok.subtree)
    inner = [t for t in sub if not (ent.start <= t.i < ent.end) and t.dep_ not in {"det", "poss", "case"}]
    return None if inner else ent


def role_reversal(sent, rng: random.Random, **_) -> Iterable[Pair]:
    text, base = _t(sent), sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
    for tok in sent:
        if tok.pos_ != "VERB" or tok.ent_type_:
            continue
        subj = [e for c in tok.children if c.dep_ == "nsubj" and (e := _entity_of(c))]
        other = [e for c in tok.children if c.dep_ == "dobj" and (e := _entity_of(c))]
        other += [e for c in tok.children if c.dep_ == "prep" and c.lower_ in {"from", "against", "over", "to", "by"}
                  for g in c.children if g.dep_ == "pobj" and (e := _entity_of(g))]
        if not subj or not other:
            continue
        a, b = subj[0], rng.choice(other)
        if a.text == b.text:
            continue
        first, second = sorted((a, b), key=lambda e: e.start_char)
        i, j = first.start_char - base, second.start_char - base
        swapped = text[:i] + second.text + text[i + len(first.text): j] + first.text + text[j + len(second.text):]
        if swapped != text:
            yield text, _end(swapped), "contradiction", "role reversal"
        return


def list_members(sent, rng: random.Random, names: dict[str, list[str]], **_) -> Iterable[Pair]:
    for tok in sent:
        conj = [c for c in tok.children if c.dep_ == "conj"]
        if not tok.ent_type_ or not conj or tok.ent_iob_ != "B":
            continue
        members = [tok] + conj
        ents = [next((e for e in sent.ents if e.start <= m.i < e.end), None) for m in members]
        if any(e is None for e in ents) or len({e.label_ for e in ents}) != 1:
            continue
        group = "place" if ents[0].label_ in {"GPE", "LOC", "FAC"} else ents[0].label_
        pool = [n for n in names.get(group, []) if n not in sent.text]
        if not pool:
            return
        text = _t(sent)
        victim = rng.choice(ents).text
        new = rng.choice(pool)
        yield text, _end(text.replace(victim, new, 1)), "contradiction", "list member replaced"
        last = ents[-1]
        lead = len(sent.text) - len(sent.text.lstrip())
        start = last.start_char - sent.start_char - lead
        end = last.end_char - sent.start_char - lead
        added = text[:start] + f"{last.text}, {new}" + text[end:] if len(ents) > 2 else \
            text[:start] + f"{last.text} and {new}" + text[end:]
        if len(ents) == 2:
            # "A and B" -> "A, B and C"
            conj_word = text.rfind(" and ", 0, start)
            if conj_word >= 0:
                added = text[:conj_word] + ", " + text[conj_word + 5:start] + f"{last.text} and {new}" + text[end:]
                added = added.replace(" , ", ", ")
        yield text, _end(added), "neutral", "list member added"
        return


def added_detail(sent, rng: random.Random, names: dict[str, list[str]], things: list[str], **_) -> Iterable[Pair]:
    role, template = rng.choice(ADDED)
    fill = {"name": [n for group in ("PERSON", "ORG", "GPE", "place") for n in names.get(group, [])],
            "place": names.get("place", []), "thing": things}
    key = next((k for k in fill if "{" + k + "}" in template), None)
    if key:
        pool = [x for x in fill[key] if x.lower() not in sent.text.lower()]
        if not pool:
            return
        detail = template.format(**{key: rng.choice(pool)})
    else:
        detail = template
    yield _t(sent), _end(_t(sent).rstrip(" .") + " " + detail), "neutral", f"added {role}"


def state_flipped(sent, rng: random.Random, **_) -> Iterable[Pair]:
    table = STATES + [(b, a) for a, b in STATES]
    rng.shuffle(table)
    for a, b in table:
        text = _t(sent)
        m = re.search(r"\b" + re.escape(a) + r"\b", text)
        if m:
            new = b if not m.group()[0].isupper() else _cap(b)
            yield text, _end(text[: m.start()] + new + text[m.end():]), "contradiction", "state flipped"
            return


def existence_denied(sent, rng: random.Random, **_) -> Iterable[Pair]:
    text = _t(sent)
    if found := _counts(text):
        m = rng.choice(found)
        noun = m.group(2)
        phrase = "no" if not noun.endswith("s") or rng.random() < 0.5 else "not a single"
        noun = noun if phrase == "no" else noun[:-1]
        yield text, _end(text[: m.start()] + f"{phrase} {noun}" + text[m.end():]), "contradiction", "existence denied"


def order(sent, rng: random.Random, **_) -> Iterable[Pair]:
    text = _t(sent)
    m = _YEAR.search(text)
    if not m:
        return
    year, k = int(m.group(1)), rng.choice([1, 2, 3, 5, 10])
    phrase, label = rng.choice([(f"before {year + k}", "entailment"), (f"after {year + k}", "contradiction"),
                                (f"after {year - k}", "entailment"), (f"before {year - k}", "contradiction")])
    yield text, _end(text[: m.start()] + phrase + text[m.end():]), label, "order"


def ratio(sent, rng: random.Random, names: dict[str, list[str]], **_) -> Iterable[Pair]:
    """Two counts in a premise built from the sentence's counted noun and two names of the document."""
    found = _counts(_t(sent))
    people = list(dict.fromkeys(names.get("GPE", []) + names.get("ORG", []) + names.get("place", [])))
    if not found or len(people) < 2:
        return
    noun = found[0].group(2)
    a, b = rng.sample(people, 2)
    if a in b or b in a:
        return
    verb = rng.choice(["sent", "had", "reported", "received", "deployed", "built"])
    n = rng.choice([4, 6, 10, 12, 20, 30, 40, 60, 100, 150, 300])
    shape = rng.choice(["equal", "double", "more"])
    if shape == "equal":
        premise = rng.choice([f"{a} and {b} each {verb} {n} {noun}.", f"{a} {verb} {n} {noun}, and {b} {verb} an equal number."])
        truth = {"same": "entailment", "more": "contradiction", "fewer": "contradiction", "twice": "contradiction",
                 "half": "contradiction"}
    elif shape == "double":
        premise = f"{a} {verb} {2 * n} {noun} and {b} {verb} {n}."
        truth = {"same": "contradiction", "more": "entailment", "fewer": "contradiction", "twice": "entailment",
                 "half": "contradiction"}
    else:
        premise = f"{a} {verb} {n + n // 2} {noun} and {b} {verb} {n}."
        truth = {"same": "contradiction", "more": "entailment", "fewer": "contradiction", "twice": "contradiction",
                 "half": "contradiction"}
    claims = {"same": f"{a} and {b} {verb} the same number of {noun}.", "more": f"{a} {verb} more {noun} than {b}.",
              "fewer": f"{a} {verb} fewer {noun} than {b}.", "twice": f"{a} {verb} twice as many {noun} as {b}.",
              "half": f"{a} {verb} half as many {noun} as {b}."}
    for key in rng.sample(sorted(claims), 2):
        yield premise, claims[key], truth[key], "ratio"


def neighbour_value(pair_of_sents, rng: random.Random, **_) -> Iterable[Pair]:
    """A window of two sentences; the first one's date or number given to the second one's subject."""
    s1, s2 = pair_of_sents
    values = [e for e in s1.ents if e.label_ in {"DATE", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"}
              and re.search(r"\d", e.text)]
    if not values or not _usable(s2):
        return
    v = rng.choice(values)
    if v.text in s2.text:
        return
    window = _t(s1) + " " + _t(s2)
    lead = len(s2.text) - len(s2.text.lstrip())
    own = [e for e in s2.ents if e.label_ == v.label_]
    if own:
        w = rng.choice(own)
        t2 = _t(s2)
        text = t2[: w.start_char - s2.start_char - lead] + v.text + t2[w.end_char - s2.start_char - lead:]
        yield window, _end(text), "contradiction", "value from a neighbour"
    elif v.label_ == "DATE":
        prep = "on" if re.search(r"\d", v.text) and not re.fullmatch(r"\d{4}", v.text) else "in"
        text = _t(s2).rstrip(" .") + f" {prep} {v.text}"
        yield window, _end(text), "neutral", "value from a neighbour"


GENERATORS: list[Callable[..., Iterable[Pair]]] = [added_detail, state_flipped, existence_denied, order, ratio]
RARE: list[Callable[..., Iterable[Pair]]] = [role_reversal, list_members]


def pairs_from_doc(doc, rng: random.Random, per_doc: int) -> list[Pair]:
    """Up to ``per_doc`` sentences of one parsed document, each offered to every generator."""
    sents = [s for s in doc.sents if _usable(s)]
    if not sents:
        return []
    names = _names(doc)
    things = [c.text for c in doc.noun_chunks if 2 <= len(c) <= 4 and c.root.pos_ == "NOUN" and not c.root.ent_type_
              and c[0].pos_ in {"DET", "ADJ", "NOUN"} and c[0].lower_ not in {"whose", "which", "what", "that", "this", "these"}]
    out: list[Pair] = []
    for s in rng.sample(sents, min(per_doc, len(sents))):
        for gen in GENERATORS:
            out += gen(s, rng, names=names, things=[t for t in things if t not in s.text])
    # The rarest kinds need a parse that few sentences allow: every sentence is offered to them.
    rare: list[Pair] = []
    for s in sents:
        for gen in RARE:
            rare += gen(s, rng, names=names)
    out += rng.sample(rare, min(len(rare), 4 * per_doc))
    all_sents = list(doc.sents)
    for i in rng.sample(range(len(all_sents) - 1), min(per_doc, max(0, len(all_sents) - 1))):
        if _usable(all_sents[i]):
            out += neighbour_value((all_sents[i], all_sents[i + 1]), rng)
    return out
