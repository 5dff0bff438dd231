"""Paths as users see them, and the expansion of files and folders into the files they hold."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable


def display_path(path: Path) -> str:
    """A path as a user would type it: relative to the working folder when inside it.

    Outside it, a path in the home folder is written from ``~``, so reports shared from
    CI or by mail do not give away where a user keeps their files.
    """
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return path.as_posix()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        pass
    try:
        return "~/" + resolved.relative_to(Path.home().resolve()).as_posix()
    except (ValueError, RuntimeError):
        return path.as_posix()


def read_error(e: OSError) -> str:
    """Why a file could not be read, and for a permission problem, what to do about it."""
    reason = e.strerror or str(e)
    if isinstance(e, PermissionError):
        return f"{reason}; give the user running verifier read access to it"
    return reason


def expand_paths(
    paths: Iterable[str | Path],
    suffixes: tuple[str, ...],
    empty_folder: Callable[[Path], Exception],
    missing: Callable[[Path], Exception],
    unreadable: Callable[[Path, OSError], Exception],
) -> list[Path]:
    """Files named directly, and files with one of ``suffixes`` under folders, each once, in a stable order.

    Args:
        paths: files or folders.
        suffixes: lower-case endings of the files to take from folders (".yaml").
        empty_folder: the error to raise for a folder with no such file.
        missing: the error to raise for a path that is neither file nor folder.
        unreadable: the error to raise for a folder that cannot be listed.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError) as e:  # missing, or a symlink loop
            raise missing(path) from e
        if path.is_dir():
            # rglob skips a folder it may not list without a word, which would read as "no files here".
            try:
                os.scandir(path).close()
            except OSError as e:
                raise unreadable(path, e) from e
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in suffixes and p.is_file())
            if not files:
                raise empty_folder(path)
        elif path.is_file():
            files = [path]
        else:
            raise missing(path)
        for f in files:
            try:
                key = f.resolve(strict=True)
            except (OSError, RuntimeError):
                continue  # a broken or looping link inside a folder is not a source
            if key not in seen:
                seen.add(key)
                found.append(f)
    return found
