"""The command line: parse options, call the library, pick a reporter, set the exit code."""
from __future__ import annotations

import io
import json
import os
import sys
import traceback
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

import click

from . import __version__
from .errors import ClaimsFileError, UsageError, VerifierError
from .formats import LISTED
from .judge import LOCAL_THRESHOLDS
from .report import REPORTERS

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
REPORT_BUG = ("This is a bug in verifier, not in your input. Please report it on the project's issue "
              "tracker (see the README) with the command you ran; rerun with --traceback for details.")
FORMATS = tuple(REPORTERS)


def _use_color(choice: str, stream: Any) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def _default_claims() -> list[str]:
    if Path("claims").is_dir():
        return ["claims"]
    raise UsageError("no claims given; pass a claims file or folder, e.g. `verifier check claims/`")


def _check_writable(path: Path) -> None:
    """Fail before the slow work when a file could never be written there."""
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"{path}: cannot write it: {parent} is not a folder")
            return


def _write_output(path: Path, data: str) -> None:
    """Write a report, draft or claims file atomically; a path that cannot be written is the user's to fix."""
    from .atomic import atomic_write_bytes

    try:
        atomic_write_bytes(path, data.encode("utf-8"))
    except (FileExistsError, NotADirectoryError) as e:
        raise UsageError(f"{path}: cannot write it: {path.parent} is not a folder") from e
    except OSError as e:
        raise UsageError(f"{path}: cannot write it: {e.strerror}") from e


# Set while the command line is parsed; read when an internal error is reported.
_SHOW_TRACEBACK: list[bool] = [False]
TRACEBACK_HELP = "On an internal error, print the full traceback."


def _traceback_option() -> click.Option:
    """--traceback, taken before the command (`verifier --traceback check`) or after it (`verifier check --traceback`)."""
    def remember(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            _SHOW_TRACEBACK[0] = True

    return click.Option(["--traceback"], is_flag=True, expose_value=False, is_eager=True, callback=remember,
                        help=TRACEBACK_HELP)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="verifier")
def cli() -> None:
    """Check written claims against source documents and cite the quote that supports each.

    \b
    Example:
        verifier check claims/
        verifier check claims/ --format json --output report.json
    """


cli.params.append(_traceback_option())


# Paths that verifier reads take readable=False: click's own check would stop at "is not readable",
# while verifier's reading names the file and says what to do.


def model_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options of every command that runs the models."""
    for option in reversed([
        click.option("--sources", "sources", multiple=True, type=click.Path(path_type=Path, readable=False),
                     help=f"Source file or folder (repeatable): {LISTED}, and files without an ending that "
                          "hold a PDF, Word file or web page. It replaces the sources a claims file names; "
                          "without it, claims files name their own, and drafts, --claim and claims files that "
                          "name none use [tool.verifier] sources in pyproject.toml, else seeds/ in the working "
                          "folder."),
        click.option("--model", "model_path", type=click.Path(path_type=Path),
                     help="Folder of a sentence-transformers model (default: the bundled all-MiniLM-L6-v2)."),
        click.option("--backend", type=click.Choice(["onnx", "torch"]), default="onnx", show_default=True,
                     envvar="VERIFIER_BACKEND",
                     help="Run the model as a quantised ONNX graph (exported once, cached) or on torch "
                          "through sentence-transformers. Also $VERIFIER_BACKEND."),
        click.option("--thresholds", "thresholds_path", type=click.Path(path_type=Path, dir_okay=False, readable=False),
                     help="Thresholds file from `verifier calibrate` (default: [tool.verifier] thresholds in "
                          f"pyproject.toml, else {LOCAL_THRESHOLDS} beside each claims file, else the built-in "
                          "ones)."),
        click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
                     help="Where to cache embeddings and texts read from PDFs, pages and Word files "
                          "(default: $VERIFIER_CACHE_DIR or ~/.cache/verifier)."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
        click.option("-v", "--verbose", count=True, help="Say what is happening, on standard error."),
        click.option("-q", "--quiet", count=True, help="Print nothing but the results."),
    ]):
        f = option(f)
    return f


def index_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """--index: a shared index in PostgreSQL instead of the local cache."""
    return click.option(
        "--index", "index_url", envvar="VERIFIER_INDEX", metavar="URL",
        help="Keep the source index in PostgreSQL with pgvector (postgresql://USER@HOST/DB), shared by everyone "
             "who points at it, instead of the local cache; every source list is searched there. Also "
             "$VERIFIER_INDEX and [tool.verifier] index. A password is best left to $PGPASSWORD or ~/.pgpass; "
             "it is never printed.")(f)


def _index_url(option: str | None, config: Any) -> str | None:
    from .pg_index import is_index_url, mask

    url = option or config.index
    if url is not None and not is_index_url(url):
        raise UsageError(f"--index {mask(url)}: not a PostgreSQL URL; give postgresql://USER@HOST[:PORT]/DATABASE")
    return url


def pipeline_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The claims argument and the model options, for the commands that check claims files."""
    return click.argument("claims", nargs=-1, type=click.Path(path_type=Path, readable=False))(model_options(f))


def _check_option_sources(sources: Sequence[Path]) -> None:
    """Every path given to --sources is there, before anything slow starts."""
    from .claims import source_problem
    from .paths import display_path

    for path in sources:
        why = source_problem(path)
        if why is not None:
            raise UsageError(f"{display_path(path)}: source {why}; paths given to --sources are relative to "
                             "the working folder")


def _config() -> Any:
    """The defaults in [tool.verifier] of the nearest pyproject.toml, validated once, here."""
    from .config import load_config

    return load_config(Path("."), FORMATS)


def _default_sources(config: Any) -> tuple[tuple[Path, ...], str]:
    """The sources of claims that name none, and where they come from, in words."""
    from .claims import DEFAULT_ORIGIN, DEFAULT_SOURCES

    if config.sources:
        return config.sources, config.origin("sources")
    return DEFAULT_SOURCES, DEFAULT_ORIGIN


def _sources_or_default(shown: str, purpose: str, sources: Sequence[Path], config: Any) -> tuple[Path, ...]:
    """--sources, else the default sources, which must be there; ``purpose`` says what they are for."""
    from .claims import source_problem
    from .paths import display_path

    _check_option_sources(sources)
    if sources:
        return tuple(sources)
    defaults, origin = _default_sources(config)
    for path in defaults:
        why = source_problem(path)
        if why is not None:
            raise UsageError(f"{shown}: no sources {purpose}: no --sources given, and the default source "
                             f"{display_path(path)} ({origin}) {why}; pass --sources with the files or "
                             f"folders ({LISTED}) to read")
    return defaults


def _read_stdin() -> bytes:
    return click.get_binary_stream("stdin").read()


def _load_claims_files(args: Sequence[Path], config: Any,
                       check_sources: bool) -> tuple[list[tuple[str, list[Any]]], list[str]]:
    """The claims of every file named (``-`` is standard input), by file, and the problems of the rest."""
    from .claims import STDIN, load_claims_files, parse_claims
    from .paths import display_path

    defaults, origin = _default_sources(config)
    items = list(args) or _default_claims()
    dash = next((i for i, a in enumerate(items) if str(a) == "-"), None)
    groups = [items] if dash is None else [items[:dash], ["-"], [a for a in items[dash + 1:] if str(a) != "-"]]
    out: list[tuple[str, list[Any]]] = []
    problems: list[str] = []
    for group in groups:
        if group == ["-"]:
            try:
                # Sources in a claims file from standard input are relative to the working folder.
                out.append((STDIN, parse_claims(_read_stdin(), STDIN, Path("."), defaults,
                                                check_sources=check_sources, default_origin=origin)))
            except ClaimsFileError as e:
                problems.extend(e.problems)
        elif group:
            loaded, found = load_claims_files(group, defaults, check_sources=check_sources, default_origin=origin)
            out.extend((display_path(path), items_) for path, items_ in loaded.items())
            problems.extend(found)
    return out, problems


def _claims_and_options(claims: Sequence[Path], sources: Sequence[Path], model_path: Path | None,
                        thresholds_path: Path | None, cache_dir: Path | None, no_cache: bool, verbosity: int,
                        config: Any, **extra: Any) -> tuple[list[Any], Any]:
    """The claims, with --sources applied, and the Options that the shared flags describe."""
    _check_option_sources(sources)
    # --sources replaces what the files name, so their own sources need not be there.
    by_file, problems = _load_claims_files(claims, config, check_sources=not sources)
    if problems:
        raise ClaimsFileError(problems)
    loaded = [c for _, items in by_file for c in items]
    if sources:
        loaded = [replace(c, sources=tuple(sources)) for c in loaded]
    return loaded, _options(model_path, thresholds_path, cache_dir, no_cache, verbosity, config, **extra)


def _options(model_path: Path | None, thresholds_path: Path | None, cache_dir: Path | None, no_cache: bool,
             verbosity: int, config: Any, **extra: Any) -> Any:
    """The Options that the shared model flags describe; --thresholds wins over [tool.verifier] thresholds."""
    from .judge import default_thresholds, thresholds_from_json
    from .models.embed import default_cache_dir
    from .paths import display_path, read_error
    from .pipeline import Options

    origin = ""
    if thresholds_path is None and config.thresholds is not None:
        thresholds_path, origin = config.thresholds, f" ({config.origin('thresholds')})"
    thresholds = None
    if thresholds_path is not None:
        shown = display_path(thresholds_path) if origin else str(thresholds_path)
        try:
            text = thresholds_path.read_text(encoding="utf-8")
        except OSError as e:
            raise UsageError(f"{shown}: cannot read the thresholds{origin}: {read_error(e)}") from e
        thresholds = thresholds_from_json(text, shown, default_thresholds())

    # A progress bar only for a person at a terminal; CI logs get nothing but results.
    bar = verbosity > 0 and sys.stderr.isatty() and not os.environ.get("CI")

    def progress(msg: str) -> None:
        if verbosity > 1:
            if bar:  # a line printed over a bar that is drawn garbles both: clear it, print, redraw
                from tqdm import tqdm

                with tqdm.external_write_mode(file=sys.stderr):
                    click.echo(f"verifier: {msg}", err=True)
            else:
                click.echo(f"verifier: {msg}", err=True)
    return Options(model_path=model_path, cache_dir=cache_dir or default_cache_dir(), use_cache=not no_cache,
                   thresholds=thresholds, progress=progress, progress_bar=bar, **extra)


def _reports(fmts: Sequence[str], outputs: Sequence[Path], config: Any) -> list[tuple[str, Path | None]]:
    """The reports to write: (format, file or None for standard output), from the options or else the config."""
    if not fmts and not outputs and config.formats:
        return list(config.formats)
    formats = list(fmts) or ["text"]
    if len(outputs) > len(formats):
        raise UsageError("more --output files than --format options; pair each --output with a --format")
    if len(formats) - len(outputs) > 1:
        raise UsageError("only one report can go to standard output; give each other --format an --output")
    return [(fmt, outputs[i] if i < len(outputs) else None) for i, fmt in enumerate(formats)]


def _one_off_claims(texts: Sequence[str], sources: Sequence[Path], config: Any) -> list[Any]:
    """A claim for each --claim TEXT, checked against --sources or the default sources."""
    from .claims import COMMAND_LINE, Claim
    from .drafts import claim_id

    texts = [" ".join(text.split()) for text in texts]
    if not all(texts):
        raise UsageError("--claim: the claim's text is blank; give the claim to check, in quotes")
    srcs = _sources_or_default("--claim", "to check the claim against", sources, config)
    claims = []
    seen: dict[str, int] = {}
    for text in texts:
        base = claim_id(text)
        seen[base] = seen.get(base, 0) + 1
        cid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        claims.append(Claim(id=cid, text=text, sources=srcs, file=COMMAND_LINE, line=1))
    return claims


@cli.command()
@pipeline_options
@click.option("--claim", "claim_texts", multiple=True, metavar="TEXT",
              help="Check this claim instead of claims files (repeatable), against --sources or the default sources.")
@click.option("--format", "fmts", type=click.Choice(FORMATS), multiple=True,
              help="Report format (default: text, or [tool.verifier] formats). Repeat it, each with its own "
                   "--output, for several reports.")
@click.option("-o", "--output", "outputs", type=click.Path(path_type=Path, dir_okay=False), multiple=True,
              help="Write the report of the --format in the same position to this file (atomically).")
@click.option("--nli-model", "nli_model_path", type=click.Path(path_type=Path),
              help="Folder of a Hugging Face NLI cross-encoder to read the quotes instead of the shipped entailment model.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text report; auto means only on a terminal, and never when NO_COLOR is set.")
@index_option
def check(claims: Sequence[Path], sources: Sequence[Path], claim_texts: Sequence[str], fmts: Sequence[str],
          outputs: Sequence[Path], model_path: Path | None, backend: str, thresholds_path: Path | None,
          nli_model_path: Path | None, cache_dir: Path | None, no_cache: bool, color: str, verbose: int,
          quiet: int, index_url: str | None) -> int:
    """Verify every claim in CLAIMS (files or folders) and report a cited verdict for each.

    CLAIMS may be - to read a claims file from standard input, whose sources are then
    relative to the working folder; --claim checks one claim without a file.

    Exit code 0 when every claim gets the verdict it expects, 1 when one does not,
    2 for bad input. Defaults for --sources, --format, --thresholds and --index can live
    in pyproject.toml under [tool.verifier]; an option given here wins.

    \b
    Example:
        verifier check claims/ --format json --output report.json
        verifier check claims/ --format sarif -o verifier.sarif --format github
        verifier check --claim "The drills began in Lachin." --sources seeds/
        ./make-claims | verifier check - --sources seeds/
    """
    from .paths import display_path
    from .pipeline import verify
    from .report import write

    config = _config()
    if claim_texts and claims:
        raise UsageError("give claims files or --claim, not both")
    reports = _reports(fmts, outputs, config)
    verbosity = 1 + verbose - quiet
    files = [path for _, path in reports if path is not None]
    for path in files:
        _check_writable(path)
    extra = {"backend": backend, "nli_model_path": nli_model_path, "index_url": _index_url(index_url, config)}
    if claim_texts:
        loaded = _one_off_claims(claim_texts, sources, config)
        options = _options(model_path, thresholds_path, cache_dir, no_cache, verbosity, config, **extra)
    else:
        loaded, options = _claims_and_options(claims, sources, model_path, thresholds_path, cache_dir, no_cache,
                                              verbosity, config, **extra)
    run = verify(loaded, options)
    for fmt, output in reports:
        if output is not None:
            buf = io.StringIO()
            write(fmt, run, buf, False)
            _write_output(output, buf.getvalue())
    to_stdout = [fmt for fmt, output in reports if output is None]
    if to_stdout:
        fmt = to_stdout[0]
        write(fmt, run, sys.stdout, fmt == "text" and _use_color(color, sys.stdout))
    elif verbosity > 0:
        s = run.summary
        click.echo(f"{s['claims']} claims: {s['passed']} passed, {s['failed']} failed; "
                   f"report{'s' if len(files) > 1 else ''} in {', '.join(display_path(f) for f in files)}",
                   err=True)
    return EXIT_OK if run.passed else EXIT_FAILED


@cli.command()
@pipeline_options
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help=f"Where to write the thresholds (default: {LOCAL_THRESHOLDS} beside the claims files).")
@click.option("--dry-run", is_flag=True, help="Print the figures; write nothing.")
def calibrate(claims: Sequence[Path], sources: Sequence[Path], model_path: Path | None, backend: str,
              thresholds_path: Path | None, cache_dir: Path | None, no_cache: bool, output: Path | None,
              dry_run: bool, verbose: int, quiet: int) -> int:
    """Refit the decision thresholds on claims labelled with `expect`, for your own domain.

    Every claim's `expect` (supported by default) is taken as its true verdict. The
    thresholds under which most claims get it are written beside the claims, where
    `verifier check` uses them. Label claims of all three kinds, or the thresholds will
    learn to call everything one thing.

    \b
    Example:
        verifier calibrate claims/labelled.yaml
    """
    from .calibrate import calibrate as run_calibration
    from .judge import thresholds_to_json

    verbosity = 1 + verbose - quiet
    loaded, options = _claims_and_options(claims, sources, model_path, thresholds_path, cache_dir, no_cache,
                                          verbosity, _config(), backend=backend)
    if output is None:
        folders = {Path(c.file).parent for c in loaded}
        if len(folders) != 1:
            raise UsageError("the claims files are in several folders; say where to write the thresholds with --output")
        output = folders.pop() / LOCAL_THRESHOLDS
    _check_writable(output)
    result = run_calibration(loaded, options)
    n = len(loaded)
    rows = [("claims passing", f"{result.passed_before}/{n}", f"{result.passed_after}/{n}")]
    for label, attr in (("support precision", "support_precision"), ("support recall", "support_recall"),
                        ("reject rate", "reject_rate"), ("refuted caught", "refuted_caught")):
        b, a = getattr(result.figures_before, attr), getattr(result.figures_after, attr)
        rows.append((label, "-" if b is None else f"{b:.3f}", "-" if a is None else f"{a:.3f}"))
    for name in ("entail_probability", "support_cosine", "support_coverage",
                 "nli_contradict", "contradict_cosine", "conflict_neutral"):
        rows.append((name.replace("_", " "), f"{getattr(result.before, name):.3g}", f"{getattr(result.after, name):.3g}"))
    click.echo(f"{'':22}{'before':>10}{'after':>10}")
    for label, b, a in rows:
        click.echo(f"{label:22}{b:>10}{a:>10}")
    if dry_run:
        return EXIT_OK
    _write_output(output, thresholds_to_json(result.after))
    if verbosity > 0:
        click.echo(f"wrote {output}; `verifier check` uses it for the claims files in that folder", err=True)
    return EXIT_OK


@cli.command()
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False, readable=False, allow_dash=True))
@model_options
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="markdown: the draft with footnotes; json: a result per sentence.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.option("-i", "--in-place", is_flag=True, help="Rewrite the draft itself (atomically), with its citations.")
@click.option("--claims-out", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the draft's sentences as a claims file, to check them in CI. A sentence that "
                   "is not supported gets its verdict as a commented `# expect:` line.")
@click.option("--pin", is_flag=True,
              help="With --claims-out: write the verdict of a sentence that is not supported as its `expect`, "
                   "so that `verifier check` passes as long as the verdicts stay the same.")
@click.option("--fail-on", type=click.Choice(["unsupported", "contradicted"]), default="unsupported",
              show_default=True, help="Exit 1 when a sentence is unsupported or contradicted, or only when contradicted.")
@index_option
def cite(draft: Path, sources: Sequence[Path], model_path: Path | None, backend: str, thresholds_path: Path | None,
         cache_dir: Path | None, no_cache: bool, verbose: int, quiet: int, fmt: str, output: Path | None,
         in_place: bool, claims_out: Path | None, pin: bool, fail_on: str, index_url: str | None) -> int:
    """Cite a quote from the sources for every sentence of a Markdown or text DRAFT (- reads standard input).

    Each sentence gets a footnote quoting its evidence, or is marked unsupported or
    contradicted with the reason. Running it again replaces the citations it wrote;
    code, front matter, headings, tables, link targets and images are left alone.

    \b
    Example:
        verifier cite draft.md --sources seeds/ > cited.md
        verifier cite draft.md --in-place
        pandoc notes.docx -t markdown | verifier cite - --sources seeds/
    """
    from .claims import STDIN
    from .drafts import annotate, claims_file, claims_for, decode_draft, draft_sentences, read_draft, strip_citations
    from .paths import display_path
    from .pipeline import verify
    from .report.json_report import result_dict

    config = _config()
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
    verbosity = 1 + verbose - quiet
    text = decode_draft(_read_stdin(), STDIN) if from_stdin else read_draft(draft)
    for path in (output, claims_out):
        if path is not None:
            _check_writable(path)
    original = strip_citations(text)
    sentences = draft_sentences(original)
    shown = STDIN if from_stdin else display_path(draft)
    if not sentences:
        raise UsageError(f"{shown}: no sentences to check (code, headings, tables and front matter are skipped)")
    claims = claims_for(sentences, shown, _sources_or_default(shown, "to cite the draft from", sources, config))
    run = verify(claims, _options(model_path, thresholds_path, cache_dir, no_cache, verbosity, config,
                                  backend=backend, index_url=_index_url(index_url, config)))
    results = list(run.results)

    if fmt == "json":
        payload = {"version": 1, "draft": shown, "summary": run.summary,
                   "results": [{**result_dict(r), "start": s.start, "end": s.end}
                               for s, r in zip(sentences, results)]}
        out = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    else:
        out = annotate(original, sentences, results)

    if claims_out is not None:
        _write_output(claims_out, claims_file(claims, results, claims_out, pin=pin,
                                                     draft="-" if from_stdin else shown))
    if in_place:
        _write_output(draft, out)
    elif output is not None:
        _write_output(output, out)
    else:
        sys.stdout.write(out)

    flagged = [(s, r) for s, r in zip(sentences, results) if r.verdict != "supported"]
    if verbosity > 0:
        for s, r in flagged:
            click.echo(f"{shown}:{s.line}: {r.verdict}: {s.claim} ({r.reason})", err=True)
        click.echo(f"{len(results)} sentences: {len(results) - len(flagged)} cited, "
                   f"{sum(r.verdict == 'contradicted' for _, r in flagged)} contradicted, "
                   f"{sum(r.verdict == 'unsupported' for _, r in flagged)} unsupported", err=True)
    failing = [r for _, r in flagged if fail_on == "unsupported" or r.verdict == "contradicted"]
    return EXIT_FAILED if failing else EXIT_OK


@cli.command()
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, readable=False))
@click.option("--json", "as_json", is_flag=True,
              help="Print the text with its format, title, date, and where each page and section starts.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where parsed texts are cached (default: $VERIFIER_CACHE_DIR or ~/.cache/verifier).")
@click.option("--no-cache", is_flag=True, help="Parse the file again, and write nothing to the cache.")
def extract(source: Path, as_json: bool, cache_dir: Path | None, no_cache: bool) -> int:
    """Print the text verifier reads from a SOURCE file, exactly.

    Every quote's start and end index this text, and its line and column count in it: for a PDF,
    page after page without headers, footers and page numbers; for a saved web page, the article's
    headings and paragraphs without the page around it; for a Word file, its paragraphs and tables.

    \b
    Example:
        verifier extract report.pdf | sed -n 10,20p
        verifier extract page.html --json
    """
    from .models.embed import default_cache_dir
    from .paths import display_path
    from .sources import read_text

    cache = None if no_cache else (cache_dir or default_cache_dir())
    if not source.exists():
        raise UsageError(f"{display_path(source)}: source not found: no such file")
    got = read_text(source, cache)
    out = click.get_text_stream("stdout", encoding="utf-8")
    if as_json:
        out.write(json.dumps({"source": display_path(source), **got.to_json()}, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(got.text)
    out.flush()
    return 0


@cli.group()
def index() -> None:
    """Look after a shared source index in PostgreSQL (see --index)."""


def _required_index(index_url: str | None) -> str:
    url = _index_url(index_url, _config())
    if url is None:
        raise UsageError("no index given: pass --index postgresql://USER@HOST/DB, or set $VERIFIER_INDEX "
                         "or [tool.verifier] index")
    return url


@index.command("status")
@index_option
def index_status(index_url: str | None) -> int:
    """Say what the shared index holds: files and sentences per model, and its size on the server."""
    from .pg_index import mask, status

    url = _required_index(index_url)
    got = status(url)
    click.echo(f"{mask(url)}: {got['files']} files, {got['sentences']} sentences, "
               f"{got['bytes'] / (1 << 20):.1f} MiB on the server")
    for model, m in got["models"].items():
        click.echo(f"  {model}: {m['files']} files, {m['sentences']} sentences")
    for table, has_graph in got["graphs"].items():
        if not has_graph:
            click.echo(f"  {table} has no HNSW graph (a bulk load did not finish): searches score every row "
                       "until the next `verifier check --index` or `verifier index add` builds it", err=True)
    return EXIT_OK


@index.command("add")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("--model", "model_path", type=click.Path(path_type=Path),
              help="The sentence-transformers model to index for (default: the bundled one).")
@click.option("--bulk", is_flag=True,
              help="Drop the HNSW graph while loading and build it again over every row at the end: "
                   "several times as fast for an archive of millions of new sentences.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where texts parsed from PDFs, pages and Word files are cached.")
@click.option("-v", "--verbose", count=True, help="Draw a progress bar on a terminal.")
@index_option
def index_add(sources: Sequence[Path], model_path: Path | None, bulk: bool, cache_dir: Path | None, verbose: int,
              index_url: str | None) -> int:
    """Index SOURCES (files or folders) in the shared index ahead of any check.

    Only files whose content is new to the index are read and embedded; a file that cannot be
    read is an error when named, and a warning when found in a folder, as in `check`.

    \b
    Example:
        verifier index add archive/ --index postgresql://verifier@db/sources --bulk
    """
    from tqdm import tqdm

    from .index import StaticEmbedder
    from .models.embed import default_cache_dir, default_model_path
    from .pg_index import add_files, mask
    from .pipeline import readable_files

    url = _required_index(index_url)
    _check_option_sources(sources)
    cache = cache_dir or default_cache_dir()
    skipped: dict[str, str] = {}
    files = readable_files(tuple(sources), cache, skipped)
    first = StaticEmbedder(model_path or default_model_path(), cache)
    bar = verbose > 0 and sys.stderr.isatty() and not os.environ.get("CI")
    with tqdm(unit="sentence", desc="indexing sources", disable=not bar, leave=False) as progress:
        n_files, n_sentences = add_files(url, files, first, cache, bulk=bulk, progress=progress.update)
    click.echo(f"{mask(url)}: {n_files} files, {n_sentences} sentences indexed for these sources")
    return EXIT_OK


@index.command("prune")
@click.argument("claims", nargs=-1, type=click.Path(path_type=Path, readable=False))
@click.option("--sources", "sources", multiple=True, type=click.Path(path_type=Path, readable=False),
              help="Keep the rows of these files or folders (repeatable), in place of the claims files' sources.")
@click.option("--model", "model_path", type=click.Path(path_type=Path),
              help="The sentence-transformers model the index was built for (default: the bundled one).")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
@index_option
def index_prune(claims: Sequence[Path], sources: Sequence[Path], model_path: Path | None, dry_run: bool,
                index_url: str | None) -> int:
    """Remove from the shared index every file that none of these source lists needs any more.

    The source lists are those of CLAIMS (claims files or folders, default claims/), or --sources.
    Rows of files that changed since they were indexed, of files no longer named, and of other
    models go; everything the lists name now stays. Each run indexes only what is missing, so a
    pruned file is indexed again the next time a list needs it.

    \b
    Example:
        verifier index prune claims/ --index postgresql://verifier@db/sources --dry-run
    """
    from .index import StaticEmbedder
    from .models.embed import default_cache_dir, default_model_path
    from .pg_index import content_key, mask, model_key, prune
    from .sources import find_source_files

    url = _required_index(index_url)
    config = _config()
    if sources:
        _check_option_sources(sources)
        lists = [tuple(sources)]
    else:
        by_file, problems = _load_claims_files(claims, config, check_sources=True)
        if problems:
            raise ClaimsFileError(problems)
        lists = list(dict.fromkeys(c.sources for _, items in by_file for c in items))
    model = model_key(StaticEmbedder(model_path or default_model_path(), default_cache_dir()))
    keep = {(model, content_key(f)) for sources_ in lists for f in find_source_files(sources_)}
    files, sentences = prune(url, keep, dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    click.echo(f"{mask(url)}: {verb} {files} file{'s' if files != 1 else ''} ({sentences} sentences); "
               f"kept the {len(keep)} the source lists need")
    return EXIT_OK


@cli.command()
@click.argument("claims", nargs=-1, type=click.Path(path_type=Path, readable=False))
def validate(claims: Sequence[Path]) -> int:
    """Check claims files against the schema, and that their sources are there; loads no model.

    CLAIMS are files or folders; - reads a claims file from standard input.

    \b
    Example:
        verifier validate claims/
    """
    loaded, problems = _load_claims_files(claims, _config(), check_sources=True)
    for shown, items in loaded:
        click.echo(f"{shown}: ok ({len(items)} claims)")
    if problems:
        raise ClaimsFileError(problems)
    return EXIT_OK


@cli.command()
@click.option("--report", is_flag=True, help="Print the JSON report's schema instead of the claims file's.")
def schema(report: bool) -> int:
    """Print the JSON Schema of claims files (draft-07), for editors and other tools.

    \b
    Example:
        verifier schema > claims.schema.json
    """
    from .claims import load_schema

    click.echo(json.dumps(load_schema("report" if report else "claims"), indent=2))
    return EXIT_OK


for _command in cli.commands.values():
    _command.params.append(_traceback_option())


def _show_warning(message: Any, category: Any, filename: str, lineno: int, file: Any = None,
                  line: Any = None) -> None:
    from .errors import VerifierWarning

    if issubclass(category, VerifierWarning):
        click.echo(f"verifier: warning: {message}", err=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and map every outcome to an exit code, in this one place."""
    import warnings

    from .errors import VerifierWarning

    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        warnings.simplefilter("ignore")  # third-party noise is not the user's business
        warnings.simplefilter("always", VerifierWarning)
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    _SHOW_TRACEBACK[0] = False
    try:
        rc = cli.main(args=list(argv) if argv is not None else None, prog_name="verifier", standalone_mode=False)
        return rc if isinstance(rc, int) else EXIT_OK
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("verifier: interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        return EXIT_BAD_INPUT
    except ClaimsFileError as e:
        for line in e.problems:
            click.echo(line, err=True)
        n = len(e.problems)
        click.echo(f"verifier: {n} problem{'s' if n != 1 else ''} in the claims; nothing was checked", err=True)
        return e.exit_code
    except VerifierError as e:
        click.echo(f"verifier: error: {e}", err=True)
        return e.exit_code
    except BrokenPipeError:
        return EXIT_OK
    except Exception as e:  # the last resort: a bug, never a user's mistake
        if _SHOW_TRACEBACK[0]:
            traceback.print_exc()
        click.echo(f"verifier: internal error: {type(e).__name__}: {e}\n{REPORT_BUG}", err=True)
        return EXIT_INTERNAL


def entry_point() -> None:
    sys.exit(main())
