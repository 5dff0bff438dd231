"""Paths as users see them, and the expansion of files and folders into the files they hold."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as a user would type it, normalised: ``claims/../seeds/a.txt`` is ``seeds/a.txt``.

    The normalising is lexical (``..`` drops the folder before it), so a symlinked folder keeps
    the name it was given instead of turning into wherever it points. A relative path stays
    relative to the working folder; an absolute one inside the working folder becomes relative
    to it. Outside it, a path in the home folder is written from ``~``, so reports shared from
    CI or by mail do not give away where a user keeps their files.
    """
    raw = os.fspath(path)
    if not raw:
        return "."
    norm = os.path.normpath(raw)
    if not os.path.isabs(norm):
        return Path(norm).as_posix()
    for base in _working_folders():
        inside = _relative_inside(norm, base)
        if inside is not None:
            return inside
    home = os.path.normpath(os.path.expanduser("~"))
    if os.path.isabs(home) and home != os.sep:
        inside = _relative_inside(norm, home)
        if inside is not None:
            return "~" if inside == "." else "~/" + inside
    return Path(norm).as_posix()


def _working_folders() -> list[str]:
    """The working folder, and the shell's name for it ($PWD) when that is the same folder by another path."""
    try:
        cwd = os.getcwd()
    except OSError:  # the working folder was deleted
        return []
    folders = [cwd]
    pwd = os.environ.get("PWD")
    if pwd and os.path.isabs(pwd) and os.path.normpath(pwd) != cwd:
        try:
            if os.path.samefile(pwd, cwd):
                folders.append(os.path.normpath(pwd))
        except OSError:
            pass
    return folders


def _relative_inside(path: str, folder: str) -> str | None:
    """``path`` relative to ``folder`` when it is inside it (both absolute and normalised), else None."""
    try:
        if os.path.commonpath([path, folder]) != folder:
            return None
    except ValueError:  # on different drives
        return None
    return Path(os.path.relpath(path, folder)).as_posix()


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
    also: Callable[[Path], bool] | None = None,
) -> list[Path]:
    """Files named directly, and files with one of ``suffixes`` under folders, each once, in a stable order.

    Args:
        paths: files or folders.
        suffixes: lower-case endings of the files to take from folders (".yaml").
        empty_folder: the error to raise for a folder with no such file.
        missing: the error to raise for a path that is neither file nor folder.
        unreadable: the error to raise for a folder that cannot be listed.
        also: takes, from folders, files without one of ``suffixes`` for which it is true.
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
            files = sorted(p for p in path.rglob("*") if (
                p.suffix.lower() in suffixes or (also is not None and also(p))) and p.is_file())
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
