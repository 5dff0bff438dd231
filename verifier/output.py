"""Write a report, draft or claims file atomically, or say plainly why it cannot be written."""
from __future__ import annotations

from pathlib import Path

from .atomic import atomic_write_bytes
from .errors import UsageError


def write_output(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` in one step: a reader sees the old file or the new one, never half."""
    try:
        atomic_write_bytes(path, data.encode("utf-8"))
    except (FileExistsError, NotADirectoryError) as e:
        raise UsageError(f"{path}: cannot write it: {path.parent} is not a folder") from e
    except OSError as e:
        raise UsageError(f"{path}: cannot write it: {e.strerror}") from e
