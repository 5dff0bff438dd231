"""Content hashes of files, read in blocks so that a file of any size costs one block of memory."""
from __future__ import annotations

import hashlib
from pathlib import Path

BLOCK = 1 << 22


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(BLOCK), b""):
            h.update(block)
    return h.hexdigest()
