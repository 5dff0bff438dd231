"""The child process that parses sources: reads (format, path) pairs on stdin, writes one JSON line per file.

Run by :mod:`verifier.formats.reader` under a memory limit and a deadline per file, so a hostile
file (a PDF whose objects loop, a zip bomb, a page of 50 MB) costs a bounded time and memory and a
crash in a C parser ends only this process.
"""
from __future__ import annotations

import importlib
import json
import sys
from typing import Any

from . import FORMATS

# The source's name in messages is filled in by the parent: the cache keeps messages by content.
NAME = "\x00"


def limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the deadline still holds
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # a lower hard limit is already set, or the platform refuses
        pass


def extract_one(fmt: str, path: str) -> dict[str, Any]:
    from ..errors import SourceError

    try:
        with open(path, "rb") as fh:
            data = fh.read()
        found = FORMATS.get(fmt)
        if found is None or found.module is None:
            return {"error": f"{NAME}: no reader for the format {fmt!r}"}
        module = importlib.import_module(f"{__package__}.{found.module}")
        return {"ok": module.extract(data, NAME).to_json()}
    except SourceError as e:
        return {"error": str(e)}
    except ImportError as e:  # not the file's fault: the installation lacks a part
        return {"error": f"{NAME}: cannot read {fmt} sources with this installation ({e}); reinstall verifier "
                         "with its dependencies (`pip install --force-reinstall verifier`)", "transient": True}
    except MemoryError:
        return {"error": f"{NAME}: reading this {fmt} needed more memory than verifier allows it, and was "
                         "stopped; the file may be damaged or built to exhaust memory: open it and save it again",
                "transient": True}
    except RecursionError:
        return {"error": f"{NAME}: this {fmt} nests too deeply to read (a damaged or hostile file?); "
                         "open it and save it again"}
    except Exception as e:  # a parser failing on a file is the file's problem to the user, not a crash
        return {"error": f"{NAME}: cannot read this {fmt} ({type(e).__name__}: {e}); it may be damaged: "
                         "open it and save it again, or report it if it opens fine elsewhere"}


def main() -> None:
    limit_memory(int(sys.argv[1]))
    for line in sys.stdin:
        fmt, path = json.loads(line)
        sys.stdout.write(json.dumps(extract_one(fmt, path), ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
