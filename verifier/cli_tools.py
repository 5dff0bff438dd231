"""The commands that run no model: extract a source's text, validate claims files, print the schema, look after the shared index."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Sequence

import click

from . import request as req
from .cli import EXIT_OK, cli, index_option
from .errors import ClaimsFileError, UsageError


@cli.group()
def index() -> None:
    """Look after a shared source index in PostgreSQL (see --index)."""


@index.command("status")
@index_option
def index_status(index_url: str | None) -> int:
    """Say what the shared index holds: files and sentences per model, and its size on the server."""
    from .pg_index import mask, status

    url = req.required_index(index_url)
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

    from .documents import readable_files
    from .first_pass import StaticEmbedder
    from .models.embed import default_cache_dir
    from .pg_index import add_files, mask

    url = req.required_index(index_url)
    req.check_option_sources(sources)
    cache = cache_dir or default_cache_dir()
    skipped: dict[str, str] = {}
    files = readable_files(tuple(sources), cache, skipped)
    first = StaticEmbedder(model_path, cache)
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
    from .models.embed import default_cache_dir
    from .pg_index import mask, prune
    from .prune import needed

    url = req.required_index(index_url)
    if sources:
        req.check_option_sources(sources)
        lists = [tuple(sources)]
    else:
        by_file, problems = req.load_claims_args(claims, req.config(), check_sources=True)
        if problems:
            raise ClaimsFileError(problems)
        lists = list(dict.fromkeys(c.sources for _, items in by_file for c in items))
    keep = needed(lists, model_path, default_cache_dir())
    files, sentences = prune(url, keep, dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    click.echo(f"{mask(url)}: {verb} {files} file{'s' if files != 1 else ''} ({sentences} sentences); "
               f"kept the {len(keep)} the source lists need")
    return EXIT_OK


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
    text = (json.dumps({"source": display_path(source), **got.to_json()}, ensure_ascii=False, indent=2) + "\n"
            if as_json else got.text)
    # UTF-8 whatever the terminal's encoding: the text is what offsets index, byte for byte.
    sys.stdout.flush()
    if hasattr(sys.stdout, "buffer"):
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text)
    return 0


@cli.command()
@click.argument("claims", nargs=-1, type=click.Path(path_type=Path, readable=False))
def validate(claims: Sequence[Path]) -> int:
    """Check claims files against the schema, and that their sources are there; loads no model.

    CLAIMS are files or folders; - reads a claims file from standard input.

    \b
    Example:
        verifier validate claims/
    """
    loaded, problems = req.load_claims_args(claims, req.config(), check_sources=True)
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
