"""Read source files of any format into Extracted texts: sniff, parse in a bounded child, cache by content."""
from __future__ import annotations

import hashlib
import json
import os
import queue
import subprocess
import sys
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from ..errors import SourceError
from ..paths import display_path, read_error
from ..store import Store, key, source_key, version
from . import FORMATS, LISTED, PARSED, Extracted, format_of, plain
from .child import NAME

# Per file: past this a parse is stopped. The largest real PDFs measured parse at well under 1 s/MB.
TIMEOUT_S = 120.0
# Address space of the parsing child: bounds what any one hostile file can take.
MEMORY_LIMIT = 3 << 30
KIND = "extracted"  # the store's kind for parsed texts; its version is in every reader's version


@lru_cache(maxsize=None)
def reader_version(fmt: str) -> str:
    """What a parsed text depends on besides the file: the extraction code and the parsing library."""
    from importlib import metadata

    here = Path(__file__).parent
    code = hashlib.sha256(b"".join((here / n).read_bytes() for n in ("builder.py", f"{fmt}.py")))
    try:
        lib = metadata.version(FORMATS[fmt].library or "")
    except metadata.PackageNotFoundError:
        lib = "missing"
    return f"{version(KIND)}/{code.hexdigest()[:16]}/{FORMATS[fmt].library}=={lib}"


def parsed_format(path: Path) -> str | None:
    """The format of ``path`` when a parser reads it (html, pdf, docx), else None: from its first bytes."""
    try:
        with Path(path).open("rb") as fh:
            fmt = format_of(Path(path), fh.read(8192))
    except OSError:
        return None
    return fmt if fmt in PARSED else None


def text_version(path: Path) -> str:
    """What the text read from ``path`` depends on besides its bytes: "" for text, else the reader's version.

    Part of the key of anything derived from a source's text (index entries), so a changed reader
    never pairs new text with old offsets.
    """
    fmt = parsed_format(path)
    return reader_version(fmt) if fmt else ""


def content_key(path: Path) -> str:
    """The key of anything derived from a source's text: its parsed text, index entries, shared index rows.

    The SHA-256 of the file's bytes and of the version of the reader that makes its text, so an
    edited file or a new reader never meets old offsets (:func:`verifier.store.source_key`).
    """
    return source_key(path, text_version(path))


def read_source(path: Path, cache: Path | None = None) -> Extracted:
    """The text verifier reads from one source file, or a SourceError that says why not and what to do."""
    got = read_sources([path], cache)[0]
    if isinstance(got, SourceError):
        raise got
    return got


def read_sources(paths: Sequence[Path], cache: Path | None = None) -> list[Extracted | SourceError]:
    """Each file's Extracted text, or the SourceError it gives, in order; parsed files share one child."""
    out: list[Extracted | SourceError | None] = [None] * len(paths)
    todo: list[tuple[int, str, Path, str]] = []  # (position, format, path, cache key)
    store = Store.at(cache)
    for n, path in enumerate(paths):
        shown = display_path(path)
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            out[n] = SourceError(f"{shown}: cannot read source: {read_error(e)}")
            continue
        fmt = format_of(Path(path), data[:8192])
        try:
            if fmt in ("text", "markdown"):
                out[n] = plain.extract(data, shown, fmt)
                continue
            _refuse_unreadable(fmt, shown, data)
        except SourceError as e:
            out[n] = e
            continue
        # content_key, from the bytes at hand
        name = key(KIND, source_key(Path(path), reader_version(fmt), data))
        hit = _cache_get(store, name, shown)
        if hit is not None:
            out[n] = hit
        else:
            todo.append((n, fmt, Path(path), name))
    for (n, _fmt, path, name), got in zip(todo, _parse([(fmt, path) for _, fmt, path, _ in todo])):
        transient = got.pop("transient", False)
        if not transient and store is not None:
            # A read-only or full cache costs the next run a parse, nothing else.
            store.put(KIND, name, json.dumps(got, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        out[n] = _result(got, display_path(path))
    return out  # type: ignore[return-value]


def _refuse_unreadable(fmt: str, shown: str, data: bytes) -> None:
    if fmt == "ole":
        raise SourceError(f"{shown}: this is an old-format (.doc) or password-protected Office file; save it "
                          "as .docx without a password (File > Save As) and check that")
    if fmt == "zip":
        raise SourceError(f"{shown}: this is a zip archive, not a source; unpack it and check the files inside")
    if fmt == "binary":
        raise SourceError(f"{shown}: this is a binary file, not a source; sources are {LISTED} files")
    if fmt.startswith("unknown-"):
        kind = fmt.split("-", 1)[1].upper()
        start = data[:24].decode("utf-8", "replace").strip()
        raise SourceError(f"{shown}: named as a {kind} but it is not one (it starts {start!r}: an error page "
                          "saved in its place?); download it again")


def _result(got: dict[str, Any], shown: str) -> Extracted | SourceError:
    if "ok" in got:
        return Extracted.from_json(got["ok"])
    return SourceError(str(got["error"]).replace(NAME, shown))


# ---------------------------------------------------------------- the cache


def _cache_get(store: Store | None, name: str, shown: str) -> Extracted | SourceError | None:
    """The text read from a file before (or the error it gave), or None; a damaged entry is reported by the store."""
    if store is None:
        return None
    return store.get(KIND, name, lambda body: _result(json.loads(body), shown),
                     what=f"the text of {shown}", then="reading the file again")


# ---------------------------------------------------------------- the child


class _Child:
    """One parsing child process, asked one file at a time, with a deadline on each answer."""

    def __init__(self) -> None:
        # The child imports this very package, wherever it was imported from.
        package_root = str(Path(__file__).resolve().parents[2])
        python_path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
        env = dict(os.environ, PYTHONIOENCODING="utf-8", OMP_NUM_THREADS="1", PYTHONPATH=python_path)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "verifier.formats.child", str(MEMORY_LIMIT)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=env, text=True, encoding="utf-8")
        self.timed_out = False
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def ask(self, fmt: str, path: Path) -> dict[str, Any] | None:
        """The child's answer, or None when it died or missed the deadline (it is then stopped)."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps([fmt, os.path.abspath(path)]) + "\n")
            self.proc.stdin.flush()
            line = self.lines.get(timeout=TIMEOUT_S)
        except OSError:
            line = None
        except queue.Empty:
            self.timed_out, line = True, None
        if line is None:
            self.close()
            return None
        return json.loads(line)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()  # type: ignore[union-attr]
            except OSError:
                pass


def _parse(jobs: list[tuple[str, Path]]) -> list[dict[str, Any]]:
    """Parse each (format, path) in a child process; a child that dies or stalls is replaced for the rest."""
    out: list[dict[str, Any]] = []
    child: _Child | None = None
    try:
        for fmt, path in jobs:
            if child is None:
                child = _Child()
            got = child.ask(fmt, path)
            if got is None:
                got = {"error": _stopped_message(fmt, child.timed_out), "transient": True}
                child = None
            out.append(got)
    finally:
        if child is not None:
            child.close()
    return out


def _stopped_message(fmt: str, timed_out: bool) -> str:
    kind = fmt.upper() if fmt != "docx" else "Word file"
    why = (f"took over {TIMEOUT_S:.0f} s to read" if timed_out else
           f"stopped the reader (it crashed or needed over {MEMORY_LIMIT >> 30} GiB of memory)")
    return (f"{NAME}: this {kind} {why}; it may be damaged or built to loop: open it and save it again "
            "as a new file, and check that")


__all__ = ["read_source", "read_sources", "reader_version", "PARSED"]
