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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="verifier")
@click.option("--traceback", "show_traceback", is_flag=True, help="On an internal error, print the full traceback.")
@click.pass_context
def cli(ctx: click.Context, show_traceback: bool) -> None:
    """Check written claims against source documents and cite the quote that supports each.

    \b
    Example:
        verifier check claims/
        verifier check claims/ --format json --output report.json
    """
    ctx.obj = {"traceback": show_traceback}


# Paths that verifier reads take readable=False: click's own check would stop at "is not readable",
# while verifier's reading names the file and says what to do.


def model_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options of every command that runs the models."""
    for option in reversed([
        click.option("--sources", "sources", multiple=True, type=click.Path(path_type=Path, readable=False),
                     help="Source file or folder (repeatable). It replaces the sources a claims file names; "
                          "without it, claims files name their own, and drafts and claims files that name none "
                          "use seeds/ in the working folder."),
        click.option("--model", "model_path", type=click.Path(path_type=Path),
                     help="Folder of a sentence-transformers model (default: the bundled all-MiniLM-L6-v2)."),
        click.option("--backend", type=click.Choice(["onnx", "torch"]), default="onnx", show_default=True,
                     envvar="VERIFIER_BACKEND",
                     help="Run the model as a quantised ONNX graph (exported once, cached) or on torch "
                          "through sentence-transformers. Also $VERIFIER_BACKEND."),
        click.option("--thresholds", "thresholds_path", type=click.Path(path_type=Path, dir_okay=False, readable=False),
                     help=f"Thresholds file from `verifier calibrate` (default: {LOCAL_THRESHOLDS} beside "
                          "each claims file, else the built-in ones)."),
        click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
                     help="Where to cache embeddings (default: $VERIFIER_CACHE_DIR or ~/.cache/verifier)."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the embedding cache."),
        click.option("-v", "--verbose", count=True, help="Say what is happening, on standard error."),
        click.option("-q", "--quiet", count=True, help="Print nothing but the results."),
    ]):
        f = option(f)
    return f


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


def _claims_and_options(claims: Sequence[Path], sources: Sequence[Path], model_path: Path | None,
                        thresholds_path: Path | None, cache_dir: Path | None, no_cache: bool, verbosity: int,
                        **extra: Any) -> tuple[list[Any], Any]:
    """The claims, with --sources applied, and the Options that the shared flags describe."""
    from .claims import DEFAULT_SOURCES, load_claims

    _check_option_sources(sources)
    # --sources replaces what the files name, so their own sources need not be there.
    loaded = load_claims(list(claims) or _default_claims(), default_sources=DEFAULT_SOURCES,
                         check_sources=not sources)
    if sources:
        loaded = [replace(c, sources=tuple(sources)) for c in loaded]
    return loaded, _options(model_path, thresholds_path, cache_dir, no_cache, verbosity, **extra)


def _options(model_path: Path | None, thresholds_path: Path | None, cache_dir: Path | None, no_cache: bool,
             verbosity: int, **extra: Any) -> Any:
    """The Options that the shared model flags describe."""
    from .judge import default_thresholds, thresholds_from_json
    from .models.embed import default_cache_dir
    from .paths import read_error
    from .pipeline import Options

    thresholds = None
    if thresholds_path is not None:
        try:
            text = thresholds_path.read_text(encoding="utf-8")
        except OSError as e:
            raise UsageError(f"{thresholds_path}: cannot read the thresholds: {read_error(e)}") from e
        thresholds = thresholds_from_json(text, str(thresholds_path), default_thresholds())

    def progress(msg: str) -> None:
        if verbosity > 1:
            click.echo(f"verifier: {msg}", err=True)

    # A progress bar only for a person at a terminal; CI logs get nothing but results.
    bar = verbosity > 0 and sys.stderr.isatty() and not os.environ.get("CI")
    return Options(model_path=model_path, cache_dir=cache_dir or default_cache_dir(), use_cache=not no_cache,
                   thresholds=thresholds, progress=progress, progress_bar=bar, **extra)


@cli.command()
@pipeline_options
@click.option("--format", "fmts", type=click.Choice(FORMATS), multiple=True,
              help="Report format (default: text). Repeat it, each with its own --output, for several reports.")
@click.option("-o", "--output", "outputs", type=click.Path(path_type=Path, dir_okay=False), multiple=True,
              help="Write the report of the --format in the same position to this file (atomically).")
@click.option("--nli-model", "nli_model_path", type=click.Path(path_type=Path),
              help="Folder of a Hugging Face NLI cross-encoder to read the quotes instead of the shipped entailment model.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text report; auto means only on a terminal, and never when NO_COLOR is set.")
def check(claims: Sequence[Path], sources: Sequence[Path], fmts: Sequence[str], outputs: Sequence[Path],
          model_path: Path | None, backend: str, thresholds_path: Path | None, nli_model_path: Path | None,
          cache_dir: Path | None, no_cache: bool, color: str, verbose: int, quiet: int) -> int:
    """Verify every claim in CLAIMS (files or folders) and report a cited verdict for each.

    Exit code 0 when every claim gets the verdict it expects, 1 when one does not,
    2 for bad input.

    \b
    Example:
        verifier check claims/ --format json --output report.json
        verifier check claims/ --format sarif -o verifier.sarif --format github
    """
    from .pipeline import verify
    from .report import write

    formats = list(fmts) or ["text"]
    if len(outputs) > len(formats):
        raise UsageError("more --output files than --format options; pair each --output with a --format")
    if len(formats) - len(outputs) > 1:
        raise UsageError("only one report can go to standard output; give each other --format an --output")
    verbosity = 1 + verbose - quiet
    for path in outputs:
        _check_writable(path)
    loaded, options = _claims_and_options(claims, sources, model_path, thresholds_path, cache_dir, no_cache,
                                          verbosity, backend=backend, nli_model_path=nli_model_path)
    run = verify(loaded, options)
    for fmt, output in zip(formats, outputs):
        buf = io.StringIO()
        write(fmt, run, buf, False)
        _write_output(output, buf.getvalue())
    if len(formats) > len(outputs):
        fmt = formats[-1]
        write(fmt, run, sys.stdout, fmt == "text" and _use_color(color, sys.stdout))
    elif verbosity > 0:
        s = run.summary
        click.echo(f"{s['claims']} claims: {s['passed']} passed, {s['failed']} failed; "
                   f"report{'s' if len(outputs) > 1 else ''} in {', '.join(map(str, outputs))}", err=True)
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
                                          verbosity, backend=backend)
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
    for name in ("support_cosine", "support_coverage", "close_cosine", "close_coverage",
                 "contradict_cosine", "contradict_coverage", "contradict_probability"):
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


def _draft_sources(shown: str, sources: Sequence[Path]) -> tuple[Path, ...]:
    """The sources to cite a draft from: --sources, else the default folder, which must be there."""
    from .claims import DEFAULT_ORIGIN, DEFAULT_SOURCES, source_problem
    from .paths import display_path

    _check_option_sources(sources)
    if sources:
        return tuple(sources)
    for path in DEFAULT_SOURCES:
        why = source_problem(path)
        if why is not None:
            raise UsageError(f"{shown}: no sources to cite the draft from: no --sources given, and the default "
                             f"source {display_path(path)} ({DEFAULT_ORIGIN}) {why}; pass --sources with the "
                             "files or folders (.txt, .md) to cite from")
    return DEFAULT_SOURCES


@cli.command()
@click.argument("draft", type=click.Path(path_type=Path, dir_okay=False, readable=False))
@model_options
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True,
              help="markdown: the draft with footnotes; json: a result per sentence.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file (atomically) instead of standard output.")
@click.option("-i", "--in-place", is_flag=True, help="Rewrite the draft itself (atomically), with its citations.")
@click.option("--claims-out", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the draft's sentences as a claims file, to pin them in CI.")
@click.option("--fail-on", type=click.Choice(["unsupported", "contradicted"]), default="unsupported",
              show_default=True, help="Exit 1 when a sentence is unsupported or contradicted, or only when contradicted.")
def cite(draft: Path, sources: Sequence[Path], model_path: Path | None, backend: str, thresholds_path: Path | None,
         cache_dir: Path | None, no_cache: bool, verbose: int, quiet: int, fmt: str, output: Path | None,
         in_place: bool, claims_out: Path | None, fail_on: str) -> int:
    """Cite a quote from the sources for every sentence of a Markdown or text DRAFT.

    Each sentence gets a footnote quoting its evidence, or is marked unsupported or
    contradicted with the reason. Running it again replaces the citations it wrote;
    code, front matter, headings, tables, link targets and images are left alone.

    \b
    Example:
        verifier cite draft.md --sources seeds/ > cited.md
        verifier cite draft.md --in-place
    """
    from .drafts import annotate, claims_file, claims_for, draft_sentences, read_draft, strip_citations
    from .paths import display_path
    from .pipeline import verify
    from .report.json_report import result_dict

    if in_place and output is not None:
        raise UsageError("--in-place and --output both name where to write; give one")
    if in_place and fmt != "markdown":
        raise UsageError("--in-place rewrites the draft, so it needs --format markdown")
    verbosity = 1 + verbose - quiet
    text = read_draft(draft)
    for path in (output, claims_out):
        if path is not None:
            _check_writable(path)
    original = strip_citations(text)
    sentences = draft_sentences(original)
    shown = display_path(draft)
    if not sentences:
        raise UsageError(f"{shown}: no sentences to check (code, headings, tables and front matter are skipped)")
    claims = claims_for(sentences, shown, _draft_sources(shown, sources))
    run = verify(claims, _options(model_path, thresholds_path, cache_dir, no_cache, verbosity, backend=backend))
    results = list(run.results)

    if fmt == "json":
        payload = {"version": 1, "draft": shown, "summary": run.summary,
                   "results": [{**result_dict(r), "start": s.start, "end": s.end}
                               for s, r in zip(sentences, results)]}
        out = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    else:
        out = annotate(original, sentences, results)

    if claims_out is not None:
        _write_output(claims_out, claims_file(claims, results, claims_out))
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
@click.argument("claims", nargs=-1, type=click.Path(path_type=Path, readable=False))
def validate(claims: Sequence[Path]) -> int:
    """Check claims files against the schema, and that their sources are there, without loading any model.

    \b
    Example:
        verifier validate claims/
    """
    from .claims import DEFAULT_SOURCES, load_claims_files

    loaded, problems = load_claims_files(list(claims) or _default_claims(), DEFAULT_SOURCES, check_sources=True)
    for path, items in loaded.items():
        click.echo(f"{path}: ok ({len(items)} claims)")
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
    show_traceback = "--traceback" in (argv if argv is not None else sys.argv[1:])
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
        if show_traceback:
            traceback.print_exc()
        click.echo(f"verifier: internal error: {type(e).__name__}: {e}\n{REPORT_BUG}", err=True)
        return EXIT_INTERNAL


def entry_point() -> None:
    sys.exit(main())
