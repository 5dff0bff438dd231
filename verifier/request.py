"""What a command was asked to do, as one frozen value built in one place from its options, [tool.verifier] and the defaults.

Every rule between options lives here, and every path the command will read is checked here,
before any model loads: the command line only parses arguments and hands them over.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from .claims import (
    COMMAND_LINE,
    DEFAULT_ORIGIN,
    DEFAULT_SOURCES,
    STDIN,
    Claim,
    load_claims_files,
    parse_claims,
    source_problem,
)
from .config import Config, check_index_url, load_config
from .drafts import DraftSentence
from .errors import ClaimsFileError, UsageError
from .formats import LISTED
from .paths import display_path, read_error
from .settings import Settings
from .thresholds import (
    LOCAL_THRESHOLDS,
    Thresholds,
    default_thresholds,
    thresholds_from_json,
)
from .verdicts import SUPPORTED, VerdictName


@dataclass(frozen=True)
class Common:
    """The options every model-running command shares, as given on the command line."""

    sources: tuple[Path, ...] = ()
    model_path: Path | None = None
    backend: str = "onnx"
    thresholds_path: Path | None = None
    cache_dir: Path | None = None
    no_cache: bool = False
    verbosity: int = 1
    nli_model_path: Path | None = None
    index_url: str | None = None
    cascade: bool = True


@dataclass(frozen=True)
class CheckRequest:
    claims: tuple[Claim, ...]
    settings: Settings
    reports: tuple[tuple[str, Path | None], ...]  # (format, file; None: standard output)
    verbosity: int
    color: str


@dataclass(frozen=True)
class CalibrateRequest:
    claims: tuple[Claim, ...]
    settings: Settings
    output: Path
    dry_run: bool
    verbosity: int


@dataclass(frozen=True)
class CiteRequest:
    draft: str            # as shown in messages and reports; <stdin> for standard input
    path: Path | None     # the draft's file; None for standard input
    original: str         # the draft without the citations an earlier run wrote
    sentences: tuple[DraftSentence, ...]
    sources: tuple[Path, ...]
    settings: Settings
    fmt: str
    output: Path | None
    in_place: bool
    claims_out: Path | None
    pin: bool
    fail_on: str
    verbosity: int


def config() -> Config:
    """The defaults in [tool.verifier] of the nearest pyproject.toml, validated once, here."""
    from .report import REPORTERS

    return load_config(Path("."), tuple(REPORTERS))


def read_stdin() -> bytes:
    return sys.stdin.buffer.read()


def check_writable(path: Path) -> None:
    """Fail before the slow work when a file could never be written there."""
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"{path}: cannot write it: {parent} is not a folder")
            return


def check_option_sources(sources: Sequence[Path]) -> None:
    """Every path given to --sources is there, before anything slow starts."""
    for path in sources:
        why = source_problem(path)
        if why is not None:
            raise UsageError(f"{display_path(path)}: source {why}; paths given to --sources are relative to "
                             "the working folder")


def default_sources(cfg: Config) -> tuple[tuple[Path, ...], str]:
    """The sources of claims that name none, and where they come from, in words."""
    if cfg.sources:
        return cfg.sources, cfg.origin("sources")
    return DEFAULT_SOURCES, DEFAULT_ORIGIN


def sources_or_default(shown: str, purpose: str, sources: Sequence[Path], cfg: Config) -> tuple[Path, ...]:
    """--sources, else the default sources, which must be there; ``purpose`` says what they are for."""
    check_option_sources(sources)
    if sources:
        return tuple(sources)
    defaults, origin = default_sources(cfg)
    for path in defaults:
        why = source_problem(path)
        if why is not None:
            raise UsageError(f"{shown}: no sources {purpose}: no --sources given, and the default source "
                             f"{display_path(path)} ({origin}) {why}; pass --sources with the files or "
                             f"folders ({LISTED}) to read")
    return defaults


def index_url(option: str | None, cfg: Config) -> str | None:
    """--index (or $VERIFIER_INDEX), else [tool.verifier] index; checked once, here."""
    if option is not None:
        return check_index_url(option, "--index", allow_password=True)
    return cfg.index


def required_index(option: str | None) -> str:
    url = index_url(option, config())
    if url is None:
        raise UsageError("no index given: pass --index postgresql://USER@HOST/DB, or set $VERIFIER_INDEX "
                         "or [tool.verifier] index")
    return url


def _default_claims() -> list[Path]:
    if Path("claims").is_dir():
        return [Path("claims")]
    raise UsageError("no claims given; pass a claims file or folder, e.g. `verifier check claims/`")


def load_claims_args(args: Sequence[Path], cfg: Config, check_sources: bool,
                     stdin: Callable[[], bytes] = read_stdin) -> tuple[list[tuple[str, list[Claim]]], list[str]]:
    """The claims of every file named (``-`` is standard input), by file, and the problems of the rest."""
    defaults, origin = default_sources(cfg)
    items: list[Any] = list(args) or _default_claims()
    dash = next((i for i, a in enumerate(items) if str(a) == "-"), None)
    groups = [items] if dash is None else [items[:dash], ["-"], [a for a in items[dash + 1:] if str(a) != "-"]]
    out: list[tuple[str, list[Claim]]] = []
    problems: list[str] = []
    for group in groups:
        if group == ["-"]:
            try:
                # Sources in a claims file from standard input are relative to the working folder.
                out.append((STDIN, parse_claims(stdin(), STDIN, Path("."), defaults,
                                                check_sources=check_sources, default_origin=origin)))
            except ClaimsFileError as e:
                problems.extend(e.problems)
        elif group:
            loaded, found = load_claims_files(group, defaults, check_sources=check_sources, default_origin=origin)
            out.extend((display_path(path), items_) for path, items_ in loaded.items())
            problems.extend(found)
    return out, problems


def load_claims(args: Sequence[Path], sources: Sequence[Path], cfg: Config) -> list[Claim]:
    """The claims of CLAIMS, with --sources applied; every problem at once as a ClaimsFileError."""
    check_option_sources(sources)
    # --sources replaces what the files name, so their own sources need not be there.
    by_file, problems = load_claims_args(args, cfg, check_sources=not sources)
    if problems:
        raise ClaimsFileError(problems)
    loaded = [c for _, items in by_file for c in items]
    if sources:
        loaded = [replace(c, sources=tuple(sources)) for c in loaded]
    return loaded


def one_off_claims(texts: Sequence[str], sources: Sequence[Path], cfg: Config,
                   expects: Sequence[VerdictName] = ()) -> list[Claim]:
    """A claim for each --claim TEXT, numbered in order, checked against --sources or the default sources.

    --expect given once applies to every --claim; given as often as --claim, each to the claim in
    the same position.
    """
    from .drafts import claim_id

    texts = [" ".join(text.split()) for text in texts]
    if not all(texts):
        raise UsageError("--claim: the claim's text is blank; give the claim to check, in quotes")
    if len(expects) > 1 and len(expects) != len(texts):
        raise UsageError(f"--expect: given {len(expects)} times for {len(texts)} --claim; give it once for every "
                         f"claim, or once for each --claim in the same order")
    wanted = list(expects) * len(texts) if len(expects) == 1 else list(expects) or [SUPPORTED] * len(texts)
    srcs = sources_or_default("--claim", "to check the claim against", sources, cfg)
    claims = []
    seen: dict[str, int] = {}
    for n, (text, expect) in enumerate(zip(texts, wanted), start=1):
        base = claim_id(text)
        seen[base] = seen.get(base, 0) + 1
        cid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        # Reported as "<command line>:N": the N-th --claim.
        claims.append(Claim(id=cid, text=text, expect=expect, sources=srcs, file=COMMAND_LINE, line=n))
    return claims


def _thresholds(path: Path | None, cfg: Config, small: bool) -> Thresholds | None:
    """--thresholds, else [tool.verifier] thresholds, read and checked; None: those beside each claims file.

    Keys the file leaves out keep the values shipped for the reader (``small``: one model alone).
    """
    origin = ""
    if path is None and cfg.thresholds is not None:
        path, origin = cfg.thresholds, f" ({cfg.origin('thresholds')})"
    if path is None:
        return None
    shown = display_path(path) if origin else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"{shown}: cannot read the thresholds{origin}: {read_error(e)}") from e
    return thresholds_from_json(text, shown, default_thresholds(small=small))


def settings(common: Common, cfg: Config, url: str | None = None) -> Settings:
    """The run's settings from the shared options; --thresholds wins over [tool.verifier] thresholds."""
    from .models.embed import default_cache_dir

    s = Settings(model_path=common.model_path, backend=common.backend,
                 cache_dir=None if common.no_cache else (common.cache_dir or default_cache_dir()),
                 nli_model_path=common.nli_model_path, cascade=common.cascade, index_url=url)
    return replace(s, thresholds=_thresholds(common.thresholds_path, cfg, s.reads_alone()))


def reports(fmts: Sequence[str], outputs: Sequence[Path], cfg: Config) -> tuple[tuple[str, Path | None], ...]:
    """The reports to write: (format, file or None for standard output), from the options or else the config."""
    if not fmts and not outputs and cfg.formats:
        return tuple(cfg.formats)
    formats = list(fmts) or ["text"]
    if len(outputs) > len(formats):
        raise UsageError("more --output files than --format options; pair each --output with a --format")
    if len(formats) - len(outputs) > 1:
        raise UsageError("only one report can go to standard output; give each other --format an --output")
    return tuple((fmt, outputs[i] if i < len(outputs) else None) for i, fmt in enumerate(formats))


def check_request(claims: Sequence[Path], claim_texts: Sequence[str], fmts: Sequence[str], outputs: Sequence[Path],
                  color: str, common: Common, expects: Sequence[VerdictName] = ()) -> CheckRequest:
    cfg = config()
    if claim_texts and claims:
        raise UsageError("give claims files or --claim, not both")
    if expects and not claim_texts:
        raise UsageError("--expect sets the verdict a --claim must get; a claims file gives each claim's `expect`")
    wanted = reports(fmts, outputs, cfg)
    for _, path in wanted:
        if path is not None:
            check_writable(path)
    url = index_url(common.index_url, cfg)
    if claim_texts:
        loaded = one_off_claims(claim_texts, common.sources, cfg, expects)
    else:
        loaded = load_claims(claims, common.sources, cfg)
    return CheckRequest(tuple(loaded), settings(common, cfg, url), wanted, common.verbosity, color)


def calibrate_request(claims: Sequence[Path], output: Path | None, dry_run: bool, common: Common) -> CalibrateRequest:
    cfg = config()
    loaded = load_claims(claims, common.sources, cfg)
    run_settings = settings(common, cfg)
    if output is None:
        folders = {Path(c.file).parent for c in loaded}
        if len(folders) != 1:
            raise UsageError("the claims files are in several folders; say where to write the thresholds with --output")
        output = folders.pop() / LOCAL_THRESHOLDS
    check_writable(output)
    return CalibrateRequest(tuple(loaded), run_settings, output, dry_run, common.verbosity)


def cite_request(draft: Path, fmt: str, output: Path | None, in_place: bool, claims_out: Path | None, pin: bool,
                 fail_on: str, common: Common) -> CiteRequest:
    from .drafts import decode_draft, draft_sentences, read_draft, strip_citations

    cfg = config()
    from_stdin = str(draft) == "-"
    if in_place and output is not None:
        raise UsageError("--in-place and --output both name where to write; give one")
    if in_place and fmt != "markdown":
        raise UsageError("--in-place rewrites the draft, so it needs --format markdown")
    if pin and claims_out is None:
        raise UsageError("--pin sets the `expect` of the claims that --claims-out writes; give --claims-out FILE too")
    if in_place and from_stdin:
        raise UsageError("--in-place rewrites the draft's file, and a draft from standard input has none; "
                         "use --output or redirect standard output")
    text = decode_draft(read_stdin(), STDIN) if from_stdin else read_draft(draft)
    for path in (output, claims_out):
        if path is not None:
            check_writable(path)
    original = strip_citations(text)
    sentences = tuple(draft_sentences(original))
    shown = STDIN if from_stdin else display_path(draft)
    if not sentences:
        raise UsageError(f"{shown}: no sentences to check (code, headings, tables and front matter are skipped)")
    sources = sources_or_default(shown, "to cite the draft from", common.sources, cfg)
    url = index_url(common.index_url, cfg)
    return CiteRequest(draft=shown, path=None if from_stdin else draft, original=original, sentences=sentences,
                       sources=sources, settings=settings(common, cfg, url), fmt=fmt, output=output,
                       in_place=in_place, claims_out=claims_out, pin=pin, fail_on=fail_on, verbosity=common.verbosity)
