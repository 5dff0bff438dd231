"""Load claims files: YAML with line numbers, validated once against the JSON Schema."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from .errors import ClaimsFileError, UsageError
from .paths import display_path, expand_paths, read_error
from .verdicts import SUPPORTED, VerdictName
from .yaml_source import (
    decode,
    json_path,
    locate,
    parse_yaml,
    position,
    position_of_root,
    read_text,
    to_plain,
)

CLAIMS_SUFFIXES = (".yaml", ".yml")
# What reports name as the file of a claims file read from standard input, and of --claim.
STDIN = "<stdin>"
COMMAND_LINE = "<command line>"
NOT_FILES = (STDIN, COMMAND_LINE)
# Where the sources of a claims file that names none are looked for: `seeds` in the working folder.
DEFAULT_SOURCES = (Path("seeds"),)
DEFAULT_ORIGIN = "in the working folder"


@dataclass(frozen=True)
class Claim:
    """One claim to verify, with where it was written."""

    id: str
    text: str
    expect: VerdictName = SUPPORTED
    sources: tuple[Path, ...] = ()
    file: str = ""
    line: int = 1


@lru_cache(maxsize=None)
def load_schema(name: str = "claims") -> dict[str, Any]:
    """The JSON Schema shipped with the package (``claims`` or ``report``)."""
    text = resources.files("verifier").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def find_claims_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into the claims files they name, in a stable order."""
    return expand_paths(
        paths, CLAIMS_SUFFIXES,
        empty_folder=lambda p: UsageError(f"{p}: no claims files (*.yaml, *.yml) in this folder"),
        missing=lambda p: UsageError(f"{p}: no such file or folder; give a claims file or a folder of them"),
        unreadable=lambda p, e: UsageError(f"{p}: cannot read the folder: {read_error(e)}"),
    )


def _friendly(err: Any, path: list[Any]) -> str:
    """The schema's message, in the words of the claims file where the raw one is cryptic."""
    if err.validator == "pattern" and path[-1:] == ["id"]:
        return (f"{err.instance!r} is not a valid id: use letters, digits, '.', '_' and '-', "
                "starting with a letter or digit")
    if err.validator in ("pattern", "minLength") and path[-1:] == ["text"]:
        return "the claim's text is blank"
    if err.validator == "type" and not path:
        return "a claims file is a mapping with `version: 1` and `claims:`; see `verifier schema`"
    return str(err.message)


def _spelling_hint(key: str, known: Iterable[str], present: dict[str, Any]) -> str:
    """'did you mean ...?' for a key that looks like a misspelt known one not already there."""
    import difflib

    close = difflib.get_close_matches(key, [k for k in known if k not in present], n=1)
    return f"did you mean {close[0]!r}?" if close else "remove it or check its spelling"


def _schema_problems(data: Any, root: Any, shown: str) -> list[str]:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import best_match

    validator = Draft7Validator(load_schema("claims"))
    problems = []
    for err in sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        if err.context:
            err = best_match(err.context)
        path = list(err.absolute_path)
        line, col = locate(root, path)
        message = _friendly(err, path)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            known = err.schema.get("properties", {})
            for key in sorted(k for k in err.instance if k not in known):
                node = root
                for k in path:
                    node = node[k]
                pos = position(node, key) or (line - 1, col - 1)
                problems.append((pos[0] + 1, pos[1] + 1,
                                 f"{shown}:{pos[0] + 1}:{pos[1] + 1}: {json_path(path + [key])}: unknown key "
                                 f"{key!r}; {_spelling_hint(key, known, err.instance)}"))
            continue
        elif err.validator == "const" and path == ["version"]:
            message = f"version must be 1, not {err.instance!r}"
        problems.append((line, col, f"{shown}:{line}:{col}: {json_path(path)}: {message}"))
    return list(dict.fromkeys(p for _, _, p in sorted(problems)))


def source_problem(path: Path) -> str | None:
    """Why ``path`` cannot be a source (a file or folder), in words, or None when it can."""
    try:
        path.resolve(strict=True)
    except ValueError:
        return "is not a valid path"
    except (OSError, RuntimeError):
        return "is a broken or looping symlink" if os.path.lexists(path) else "was not found"
    if path.is_file() or path.is_dir():
        return None
    return "is neither a file nor a folder"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _missing_sources(data: Any, root: Any, shown: str, base: Path,
                     default_sources: tuple[Path, ...], default_origin: str) -> list[str]:
    """A problem, at the line that names it, for each source of the file that is not there."""
    if not isinstance(data, dict):
        return []
    claims = _list(data.get("claims"))
    named = [(["sources", j], s) for j, s in enumerate(_list(data.get("sources")))]
    for i, item in enumerate(claims):
        if isinstance(item, dict):
            named += [(["claims", i, "sources", j], s) for j, s in enumerate(_list(item.get("sources")))]
    relative_to = ("the working folder, for claims read from standard input" if shown == STDIN
                   else "the claims file's folder")
    problems = []
    for where, written in named:
        if not isinstance(written, str) or not written:
            continue  # the schema has said what is wrong with it
        why = source_problem(base / written)
        if why is not None:
            line, col = locate(root, where)
            problems.append(f"{shown}:{line}:{col}: {json_path(where)}: source {written!r} {why} "
                            f"(looked for {display_path(base / written)}); paths in `sources:` are "
                            f"relative to {relative_to}")
    uses_default = "sources" not in data and any(isinstance(c, dict) and "sources" not in c for c in claims)
    if uses_default:
        line, col = position_of_root(root)
        if not default_sources:
            problems.append(f"{shown}:{line}:{col}: $: no sources: add `sources:` to the file (paths relative "
                            "to its folder), or pass --sources")
        for source in default_sources:
            why = source_problem(source)
            if why is not None:
                problems.append(
                    f"{shown}:{line}:{col}: $: no `sources:` in this file, and the default source "
                    f"{display_path(source)} ({default_origin}) {why}; add `sources:` to the file "
                    f"(paths relative to {'its folder' if shown != STDIN else relative_to}), or pass --sources")
    return problems


def load_claims_file(path: Path, default_sources: tuple[Path, ...] = (), *, check_sources: bool = False,
                     default_origin: str = DEFAULT_ORIGIN) -> list[Claim]:
    """Read, validate and convert one claims file; every problem is reported at once.

    Args:
        path: the YAML file.
        default_sources: sources used when neither the file nor a claim names any.
        check_sources: also report, at the line that names it, every source that is not there
            (and the default sources, when a claim falls back on them and they are not there).
        default_origin: where ``default_sources`` come from, in words, for that report.

    Raises:
        ClaimsFileError: with one ``FILE:LINE:COL: message`` line per problem.
    """
    shown = display_path(path)
    return _claims_from_text(read_text(path, shown), shown, path.parent, default_sources, check_sources,
                             default_origin)


def parse_claims(data: bytes, shown: str, base: Path, default_sources: tuple[Path, ...] = (), *,
                 check_sources: bool = False, default_origin: str = DEFAULT_ORIGIN) -> list[Claim]:
    """:func:`load_claims_file` for the bytes of a claims file read elsewhere (standard input).

    Args:
        data: the file's bytes.
        shown: its name in messages and reports ("<stdin>").
        base: the folder its sources are relative to.
    """
    return _claims_from_text(decode(data, shown), shown, base, default_sources, check_sources, default_origin)


def _claims_from_text(text: str, shown: str, base: Path, default_sources: tuple[Path, ...], check_sources: bool,
                      default_origin: str) -> list[Claim]:
    root = parse_yaml(text, shown)
    if root is None:
        raise ClaimsFileError([f"{shown}:1:1: the file is empty; see `verifier schema` for the format"])
    data = to_plain(root, shown, root, (), set())
    problems = _schema_problems(data, root, shown)
    if isinstance(data, dict) and isinstance(data.get("claims"), list):
        seen: dict[str, int] = {}
        for i, item in enumerate(data["claims"]):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue
            line, col = locate(root, ["claims", i, "id"])
            if item["id"] in seen:
                problems.append(
                    f"{shown}:{line}:{col}: $.claims[{i}].id: duplicate id {item['id']!r}, "
                    f"first used on line {seen[item['id']]}; ids must be unique"
                )
            else:
                seen[item["id"]] = line
    if check_sources:
        problems += _missing_sources(data, root, shown, base, default_sources, default_origin)
    if problems:
        raise ClaimsFileError(problems)

    file_sources = tuple(base / s for s in data.get("sources", ())) or default_sources
    claims = []
    for i, item in enumerate(data["claims"]):
        line, _ = locate(root, ["claims", i])
        own = tuple(base / s for s in item.get("sources", ()))
        claims.append(
            Claim(
                id=item["id"],
                text=" ".join(item["text"].split()),
                expect=item.get("expect", SUPPORTED),
                sources=own or file_sources,
                file=shown,
                line=line,
            )
        )
    return claims


def load_claims_files(
    paths: Iterable[str | Path], default_sources: tuple[Path, ...] = (), *, check_sources: bool = False,
    default_origin: str = DEFAULT_ORIGIN,
) -> tuple[dict[Path, list[Claim]], list[str]]:
    """Load every claims file named (files or folders): the claims of each good file, and the problems of the rest.

    The keyword arguments are :func:`load_claims_file`'s.
    """
    loaded: dict[Path, list[Claim]] = {}
    problems: list[str] = []
    for path in find_claims_files(paths):
        try:
            loaded[path] = load_claims_file(path, default_sources, check_sources=check_sources,
                                            default_origin=default_origin)
        except ClaimsFileError as e:
            problems.extend(e.problems)
    return loaded, problems


def load_claims(paths: Iterable[str | Path], default_sources: tuple[Path, ...] = (), *, check_sources: bool = False,
                default_origin: str = DEFAULT_ORIGIN) -> list[Claim]:
    """Load every claims file named (files or folders), collecting the problems of all of them.

    The keyword arguments are :func:`load_claims_file`'s.
    """
    loaded, problems = load_claims_files(paths, default_sources, check_sources=check_sources,
                                         default_origin=default_origin)
    if problems:
        raise ClaimsFileError(problems)
    return [c for claims in loaded.values() for c in claims]
