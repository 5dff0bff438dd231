"""The command line: parse options into a request, call the library, hand the result to a reporter, map the outcome to an exit code."""
from __future__ import annotations

import io
import os
import re
import sys
import traceback
from pathlib import Path
from typing import Any, Callable, Sequence

import click

from . import __version__
from . import request as req
from .components import Components
from .errors import ClaimsFileError, UsageError, VerifierError
from .formats import LISTED
from .report import REPORTERS
from .thresholds import LOCAL_THRESHOLDS
from .verdicts import CONTRADICTED, SUPPORTED, UNSUPPORTED

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


def _progress(verbosity: int) -> Any:
    from .progress import Terminal

    # A progress bar only for a person at a terminal; CI logs get nothing but results.
    return Terminal(verbosity, verbosity > 0 and sys.stderr.isatty() and not os.environ.get("CI"))


def _components() -> Components | None:
    """The components given to :func:`main` (tests, other front ends), or None: built from the settings."""
    ctx = click.get_current_context(silent=True)
    return ctx.find_root().obj if ctx is not None else None


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
                     help="Folder of a sentence-transformers model (default: the bundled all-MiniLM-L6-v2). "
                          "Its first run exports it with torch: pip install 'quote-verifier[torch]'."),
        click.option("--backend", type=click.Choice(["onnx", "torch"]), default="onnx", show_default=True,
                     envvar="VERIFIER_BACKEND",
                     help="Run the model as a quantised ONNX graph (exported once, cached) or on torch "
                          "through sentence-transformers (the [torch] extra). Also $VERIFIER_BACKEND."),
        click.option("--thresholds", "thresholds_path", type=click.Path(path_type=Path, dir_okay=False, readable=False),
                     help="Thresholds file from `verifier calibrate` (default: [tool.verifier] thresholds in "
                          f"pyproject.toml, else {LOCAL_THRESHOLDS} beside each claims file, else those shipped "
                          "for the reader: the cascade's, or the small model's alone)."),
        click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
                     help="Where to cache embeddings and texts read from PDFs, pages and Word files "
                          "(default: $VERIFIER_CACHE_DIR or ~/.cache/verifier)."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
        click.option("--no-cascade", "no_cascade", is_flag=True,
                     help="Read every quote with the small entailment model alone, not the cascade that has the "
                          "large model re-read each claim's deciding quotes: about a third of the model time per "
                          "new claim, and fewer claims right (docs/entailment-model.md)."),
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


def pipeline_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The claims argument and the model options, for the commands that check claims files."""
    return click.argument("claims", nargs=-1, type=click.Path(path_type=Path, readable=False))(model_options(f))


def _common(sources: Sequence[Path] = (), model_path: Path | None = None, backend: str = "onnx",
            thresholds_path: Path | None = None, cache_dir: Path | None = None, no_cache: bool = False,
            verbose: int = 0, quiet: int = 0, nli_model_path: Path | None = None,
            index_url: str | None = None, no_cascade: bool = False) -> req.Common:
    return req.Common(tuple(sources), model_path, backend, thresholds_path, cache_dir, no_cache, 1 + verbose - quiet,
                      nli_model_path, index_url, not no_cascade)


@cli.command()
@pipeline_options
@click.option("--claim", "claim_texts", multiple=True, metavar="TEXT",
              help="Check this claim instead of claims files (repeatable), against --sources or the default sources.")
@click.option("--expect", "expects", type=click.Choice([SUPPORTED, CONTRADICTED, UNSUPPORTED]), multiple=True,
              help="The verdict a --claim must get (default: supported): once for every --claim, or once for each.")
@click.option("--format", "fmts", type=click.Choice(FORMATS), multiple=True,
              help="Report format (default: text, or [tool.verifier] formats). Repeat it, each with its own "
                   "--output, for several reports.")
@click.option("-o", "--output", "outputs", type=click.Path(path_type=Path, dir_okay=False), multiple=True,
              help="Write the report of the --format in the same position to this file (atomically).")
@click.option("--nli-model", "nli_model_path", type=click.Path(path_type=Path),
              help="Folder of an entailment model to read the quotes instead of the shipped one: exported by "
                   "training/export_nli.py, or a Hugging Face NLI cross-encoder (the [torch] extra).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text report; auto means only on a terminal, and never when NO_COLOR is set.")
@index_option
def check(claims: Sequence[Path], claim_texts: Sequence[str], expects: Sequence[str], fmts: Sequence[str],
          outputs: Sequence[Path], color: str, **options: Any) -> int:
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
        verifier check --claim "The drills began in Baku." --expect contradicted
        ./make-claims | verifier check - --sources seeds/
    """
    from .output import write_output
    from .paths import display_path
    from .pipeline import verify
    from .report import write

    r = req.check_request(claims, claim_texts, fmts, outputs, color, _common(**options), expects)  # type: ignore[arg-type]
    run = verify(r.claims, r.settings, _components(), _progress(r.verbosity))
    files = [path for _, path in r.reports if path is not None]
    for fmt, output in r.reports:
        if output is not None:
            buf = io.StringIO()
            write(fmt, run, buf, False)
            write_output(output, buf.getvalue())
    to_stdout = [fmt for fmt, output in r.reports if output is None]
    if to_stdout:
        fmt = to_stdout[0]
        write(fmt, run, sys.stdout, fmt == "text" and _use_color(r.color, sys.stdout))
    elif r.verbosity > 0:
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
@click.option("--force", is_flag=True,
              help="Write the thresholds even when there are too few labelled claims or they do worse on held-out claims.")
def calibrate(claims: Sequence[Path], output: Path | None, dry_run: bool, force: bool, **options: Any) -> int:
    """Refit the decision thresholds on claims labelled with `expect`, for your own domain.

    Every claim's `expect` (supported by default) is taken as its true verdict. The
    thresholds under which most claims get it are written beside the claims, where
    `verifier check` uses them. How they would do on new claims is estimated by
    cross-validation (thresholds fitted without a claim decide it) and printed beside
    today's thresholds on the same claims; they are not written when that estimate is
    worse, or when a verdict has fewer than 5 labelled claims (--force writes anyway).

    \b
    Example:
        verifier calibrate claims/labelled.yaml
    """
    from .calibrate import calibrate as run_calibration
    from .output import write_output
    from .report.calibration import write
    from .thresholds import thresholds_to_json

    r = req.calibrate_request(claims, output, dry_run, _common(**options))
    result = run_calibration(r.claims, r.settings, _components(), _progress(r.verbosity))
    buf = io.StringIO()
    write(result, len(r.claims), buf)
    click.echo(buf.getvalue(), nl=False)
    for warning in result.warnings:
        click.echo(f"verifier: warning: {warning}", err=True)
    if r.dry_run:
        return EXIT_OK
    if result.refusal and not force:
        raise UsageError(f"not written: {result.refusal}")
    write_output(r.output, thresholds_to_json(result.after))
    if r.verbosity > 0:
        click.echo(f"wrote {r.output}; `verifier check` uses it for the claims files in that folder", err=True)
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
@click.option("--link-base", metavar="URL",
              help="Link each source in the footnotes under this URL, which stands for the cited draft's folder "
                   "(default: plain paths from that folder).")
@click.option("--fail-on", type=click.Choice([UNSUPPORTED, CONTRADICTED]), default=UNSUPPORTED,
              show_default=True, help="Exit 1 when a sentence is unsupported or contradicted, or only when contradicted.")
@index_option
def cite(draft: Path, fmt: str, output: Path | None, in_place: bool, claims_out: Path | None, pin: bool,
         link_base: str | None, fail_on: str, **options: Any) -> int:
    """Cite a quote from the sources for every sentence of a Markdown or text DRAFT (- reads standard input).

    Each sentence gets a footnote quoting its evidence, or is marked unsupported or
    contradicted with the reason. Running it again replaces the citations it wrote;
    code, front matter, headings, tables, link targets and images are left alone.

    \b
    Example:
        verifier cite draft.md --sources seeds/ > cited.md
        verifier cite draft.md --in-place
        verifier cite docs/draft.md --link-base https://example.org/docs/
        pandoc notes.docx -t markdown | verifier cite - --sources seeds/
    """
    from .drafts import claims_file, claims_for
    from .output import write_output
    from .pipeline import verify
    from .report.cite import CITE_REPORTERS

    if link_base is not None and not re.match(r"^https?://[^\s/]+", link_base):
        raise UsageError(f"--link-base: {link_base!r} is not a web address; give one like https://example.org/docs/")
    r = req.cite_request(draft, fmt, output, in_place, claims_out, pin, fail_on, _common(**options))
    claims = claims_for(r.sentences, r.draft, r.sources)
    run = verify(claims, r.settings, _components(), _progress(r.verbosity))
    # Footnotes name sources from the folder the cited draft is written to: a published piece's own.
    written = r.path if r.in_place else r.output if r.output is not None else r.path
    out = CITE_REPORTERS[r.fmt](r.draft, r.original, r.sentences, run,
                                written.parent if written is not None else Path("."), link_base)
    if r.claims_out is not None:
        write_output(r.claims_out, claims_file(claims, list(run.results), r.claims_out, pin=r.pin,
                                               draft="-" if r.path is None else r.draft))
    if r.in_place:
        assert r.path is not None
        write_output(r.path, out)
    elif r.output is not None:
        write_output(r.output, out)
    else:
        sys.stdout.write(out)

    flagged = [(s, res) for s, res in zip(r.sentences, run.results) if res.verdict != SUPPORTED]
    if r.verbosity > 0:
        for s, res in flagged:
            click.echo(f"{r.draft}:{s.line}: {res.verdict}: {s.claim} ({res.reason})", err=True)
        click.echo(f"{len(run.results)} sentences: {len(run.results) - len(flagged)} cited, "
                   f"{sum(res.verdict == CONTRADICTED for _, res in flagged)} contradicted, "
                   f"{sum(res.verdict == UNSUPPORTED for _, res in flagged)} unsupported", err=True)
    failing = [res for _, res in flagged if r.fail_on == UNSUPPORTED or res.verdict == CONTRADICTED]
    return EXIT_FAILED if failing else EXIT_OK


from . import cli_tools  # noqa: E402,F401  (its commands register themselves on `cli`)

for _command in cli.commands.values():
    _command.params.append(_traceback_option())


def _show_warning(message: Any, category: Any, filename: str, lineno: int, file: Any = None,
                  line: Any = None) -> None:
    from .errors import VerifierWarning

    if issubclass(category, VerifierWarning):
        click.echo(f"verifier: warning: {message}", err=True)


def main(argv: Sequence[str] | None = None, components: Components | None = None) -> int:
    """Run the CLI and map every outcome to an exit code, in this one place.

    Args:
        argv: the arguments (default: the process's).
        components: models or an index to use in place of those the options name (tests, other front ends).
    """
    import warnings

    from .errors import VerifierWarning

    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        warnings.simplefilter("ignore")  # third-party noise is not the user's business
        warnings.simplefilter("always", VerifierWarning)
        return _main(argv, components)


def _main(argv: Sequence[str] | None, components: Components | None = None) -> int:
    _SHOW_TRACEBACK[0] = False
    try:
        rc = cli.main(args=list(argv) if argv is not None else None, prog_name="verifier", standalone_mode=False,
                      obj=components)
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
