"""Read a YAML claims file as people write it: bytes checked and decoded, every node with its line and column, then plain data."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from .errors import ClaimsFileError
from .paths import read_error

# A claims file larger than this is almost certainly a mistake (a data dump, a binary).
MAX_CLAIMS_FILE_BYTES = 10 * 1024 * 1024


def too_large(size: int, shown: str) -> ClaimsFileError:
    return ClaimsFileError([f"{shown}:1:1: file is {size // 1024 // 1024} MB; claims files are limited to "
                            f"{MAX_CLAIMS_FILE_BYTES // 1024 // 1024} MB"])


def read_text(path: Path, shown: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_CLAIMS_FILE_BYTES:
            raise too_large(size, shown)
        data = path.read_bytes()
    except OSError as e:
        raise ClaimsFileError([f"{shown}:1:1: cannot read file: {read_error(e)}"]) from e
    return decode(data, shown)


def decode(data: bytes, shown: str) -> str:
    if len(data) > MAX_CLAIMS_FILE_BYTES:
        raise too_large(len(data), shown)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ClaimsFileError([f"{shown}:1:1: not valid UTF-16 text"]) from e
    if b"\x00" in data:
        raise ClaimsFileError([f"{shown}:1:1: this is a binary file, not a YAML claims file"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ClaimsFileError(
            [f"{shown}:{line}:1: not valid UTF-8 (byte {e.start}); save the file as UTF-8"]
        ) from e


def parse_yaml(text: str, shown: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = " ".join(str(e.problem or e.context or "invalid YAML").split())
        if e.context and e.problem and "duplicate key" in e.problem:
            problem = " ".join(str(e.problem).split())
        raise ClaimsFileError([f"{shown}:{line}:{col}: invalid YAML: {problem}"]) from e
    except YAMLError as e:
        raise ClaimsFileError([f"{shown}:1:1: invalid YAML: {' '.join(str(e).split())}"]) from e
    except (ValueError, IndexError, TypeError, OverflowError) as e:
        # ruamel.yaml trips on some malformed scalars ("0x_") instead of reporting them.
        raise ClaimsFileError([f"{shown}:1:1: invalid YAML: a value could not be read ({e}); "
                               "quote values that look like numbers but are not"]) from e


def position(node: Any, key: Any) -> tuple[int, int] | None:
    """0-based (line, column) of ``key`` inside a ruamel container, if known."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if isinstance(key, int):
            return tuple(lc.item(key))
        return tuple(lc.key(key))
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


def locate(root: Any, path: Iterable[Any]) -> tuple[int, int]:
    """1-based line and column of the node at a JSON path: a mapping value where it starts."""
    best = position_of_root(root)
    node = root
    keys = list(path)
    for n, key in enumerate(keys):
        pos = position(node, key)
        if pos is not None:
            best = (pos[0] + 1, pos[1] + 1)
            last = n == len(keys) - 1
            if last and not isinstance(key, int):
                try:
                    value = node.lc.value(key)
                    best = (value[0] + 1, value[1] + 1)
                except (KeyError, TypeError, AttributeError):
                    pass
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    return best


def position_of_root(root: Any) -> tuple[int, int]:
    lc = getattr(root, "lc", None)
    if lc is not None and lc.line is not None:
        return lc.line + 1, lc.col + 1
    return 1, 1


def json_path(path: Iterable[Any]) -> str:
    out = "$"
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else f".{key}"
    return out


def to_plain(node: Any, shown: str, root: Any, path: tuple[Any, ...], seen: set[int]) -> Any:
    """Copy ruamel's tree into plain Python, refusing tags and aliases.

    Aliases are refused because a chain of them (the "billion laughs") expands exponentially;
    claims files have no need for them.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar

    tag = getattr(getattr(node, "tag", None), "value", None)
    if isinstance(node, TaggedScalar) or tag not in (None, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        line, col = locate(root, path)
        raise ClaimsFileError([f"{shown}:{line}:{col}: {json_path(path)}: YAML tags such as {tag} are not allowed"])
    if isinstance(node, (CommentedMap, CommentedSeq, dict, list)):
        if id(node) in seen:
            line, col = locate(root, path)
            raise ClaimsFileError(
                [f"{shown}:{line}:{col}: {json_path(path)}: YAML anchors and aliases are not allowed in claims files"]
            )
        seen.add(id(node))
        if isinstance(node, dict):
            return {str(k): to_plain(v, shown, root, path + (k,), seen) for k, v in node.items()}
        return [to_plain(v, shown, root, path + (i,), seen) for i, v in enumerate(node)]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    # Dates, timestamps and other YAML types: keep their text so the schema reports them.
    return str(node)
