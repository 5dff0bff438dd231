"""Defaults from ``[tool.verifier]`` in pyproject.toml, found from the working folder upwards.

```toml
[tool.verifier]
sources = ["docs/sources"]                      # for claims files that name none, drafts and --claim
formats = ["github", {format = "sarif", output = "verifier.sarif"}]   # check's reports
thresholds = "claims/verifier-thresholds.json"  # as --thresholds
index = "postgresql://verifier@db.example.org/sources"   # as --index (never with a password)
```

Paths are relative to the folder of the pyproject.toml. An option on the command line wins over
the table. The table is validated once, here, before anything else runs.
"""
from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .errors import ConfigError, UsageError
from .paths import display_path, read_error

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TABLE = "[tool.verifier]"
KEYS = ("sources", "formats", "thresholds", "index")


@dataclass(frozen=True)
class Config:
    """The defaults of one pyproject.toml; ``path`` is None when there is none."""

    path: Path | None = None
    sources: tuple[Path, ...] = ()
    formats: tuple[tuple[str, Path | None], ...] = ()
    thresholds: Path | None = None
    index: str | None = None

    def origin(self, key: str) -> str:
        """Where a default came from, in words, for messages."""
        shown = display_path(self.path) if self.path is not None else "pyproject.toml"
        return f"from {TABLE} {key} in {shown}"


def find_pyproject(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest pyproject.toml at or above ``start`` with a [tool.verifier] table, and that table."""
    folder = Path(start).absolute()
    for up, candidate in enumerate((folder, *folder.parents)):
        # Named from the start folder (../pyproject.toml), as a user would name it.
        path = Path(start).joinpath(*[".."] * up, "pyproject.toml")
        if not (candidate / "pyproject.toml").is_file():
            continue
        shown = display_path(path)
        try:
            raw = path.read_bytes()
        except OSError as e:
            raise ConfigError(f"{shown}: cannot read it: {read_error(e)}") from e
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            raise ConfigError(f"{shown}:{line}: not valid UTF-8 (byte {e.start}); save it as UTF-8") from e
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            message = str(e)
            at = re.search(r" \(at line (\d+), column (\d+)\)$", message)
            if at:
                shown, message = f"{shown}:{at[1]}:{at[2]}", message[: at.start()]
            raise ConfigError(f"{shown}: not valid TOML: {message}") from e
        table = data.get("tool", {}).get("verifier") if isinstance(data.get("tool"), dict) else None
        if table is not None:
            return path, table
    return None


def _as_list(value: object, where: str, what: str) -> list:
    """A setting that takes one item or a non-empty list of them, as a list."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where}: {what}, not {value!r}")
    return value


def _did_you_mean(key: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f"did you mean {close[0]!r}?" if close else f"the keys are {', '.join(map(repr, known))}"


def _path(value: Any, where: str, problem: str, base: Path) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {problem}, not {value!r}")
    return base / value


def parse_table(table: Any, path: Path, formats: Sequence[str]) -> Config:
    """Validate a [tool.verifier] table and turn it into a Config; the first problem is a ConfigError."""
    shown = display_path(path)
    base = path.parent
    if not isinstance(table, dict):
        raise ConfigError(f"{shown}: {TABLE} must be a table of settings ({', '.join(KEYS)}), not {table!r}")
    for key in table:
        if key not in KEYS:
            raise ConfigError(f"{shown}: {TABLE} {key}: unknown key; {_did_you_mean(key, KEYS)}")
    sources: tuple[Path, ...] = ()
    if "sources" in table:
        where = f"{shown}: {TABLE} sources"
        value = _as_list(table["sources"], where, f"a list of files or folders, relative to {shown}'s folder")
        sources = tuple(_path(v, f"{where}[{i}]", "a file or folder", base) for i, v in enumerate(value))
    reports: list[tuple[str, Path | None]] = []
    if "formats" in table:
        where = f"{shown}: {TABLE} formats"
        value = _as_list(table["formats"], where, 'a list of report formats, such as ["text"]')
        for i, item in enumerate(value):
            here = f"{where}[{i}]"
            output = None
            if isinstance(item, dict):
                for key in item:
                    if key not in ("format", "output"):
                        raise ConfigError(f"{here}: unknown key {key!r}; {_did_you_mean(key, ('format', 'output'))}")
                if "output" in item:
                    output = _path(item["output"], f"{here}.output", "a file to write the report to", base)
                item = item.get("format")
            if item not in formats:
                close = difflib.get_close_matches(str(item), formats, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"one of {', '.join(map(repr, formats))}"
                raise ConfigError(f"{here}: {item!r} is not a report format; {hint}")
            reports.append((item, output))
        if sum(output is None for _, output in reports) > 1:
            raise ConfigError(f"{where}: only one report can go to standard output; "
                              "give the others an output, as {format = \"sarif\", output = \"verifier.sarif\"}")
    thresholds = None
    if "thresholds" in table:
        thresholds = _path(table["thresholds"], f"{shown}: {TABLE} thresholds",
                           "the path of a thresholds file from `verifier calibrate`", base)
    index = None
    if "index" in table:
        index = check_index_url(table["index"], f"{shown}: {TABLE} index")
    return Config(path=path, sources=sources, formats=tuple(reports), thresholds=thresholds, index=index)


def check_index_url(value: Any, where: str, allow_password: bool = False) -> str:
    """A PostgreSQL URL for the shared index, checked once wherever it comes from.

    A password is refused in pyproject.toml, which is committed and shared; on the command line or
    in $VERIFIER_INDEX it is allowed, though best left to $PGPASSWORD or ~/.pgpass.
    """
    from urllib.parse import urlsplit

    if not isinstance(value, str) or not value.startswith(("postgresql://", "postgres://")):
        if allow_password and isinstance(value, str):
            from .pg_index import mask

            raise UsageError(f"{where} {mask(value)}: not a PostgreSQL URL; give postgresql://USER@HOST[:PORT]/DATABASE")
        raise ConfigError(f"{where}: a PostgreSQL URL such as 'postgresql://USER@HOST/DATABASE', not {value!r}")
    if allow_password:
        return value
    try:
        parts = urlsplit(value)
        has_password = bool(parts.password) or "password=" in parts.query.lower()
    except ValueError as e:
        raise ConfigError(f"{where}: not a valid URL ({e})") from e
    if has_password:
        # pyproject.toml is committed and shared: a password in it is a password given away.
        raise ConfigError(f"{where}: holds a password; take it out and give it in $PGPASSWORD or ~/.pgpass, "
                          "which the PostgreSQL client reads")
    return value


def load_config(start: Path, formats: Sequence[str]) -> Config:
    """The defaults in the nearest pyproject.toml with a [tool.verifier] table, or none.

    Args:
        start: the folder to look from: ``Path(".")`` for the working folder, so that the paths
            in messages read ``../pyproject.toml``.
        formats: the report formats there are, to check ``formats`` against.

    Raises:
        ConfigError: naming pyproject.toml and the key, for a table that is not valid.
    """
    found = find_pyproject(start)
    if found is None:
        return Config()
    return parse_table(found[1], found[0], formats)
