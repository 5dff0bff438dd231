"""The cache store: blobs, rows, damage, two processes, folders that cannot be written, versions, --no-cache."""
from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from verifier import store as store_module
from verifier.claims import Claim
from verifier.components import Components
from verifier.errors import VerifierWarning
from verifier.facts_cache import FactsCache
from verifier.formats import reader
from verifier.models.embed import CachedEmbedder
from verifier.pipeline import verify
from verifier.report.json_report import report_dict
from verifier.settings import Settings
from verifier.store import DB_FILE, VERSIONS, Store, default_cache_dir, file_sha256, key, source_key

from ..conftest import ROOT, SEED, FakeEmbedder, WordEntailment

CLAIMS = [Claim(id="since-1992", text="Military cooperation between Azerbaijan and Turkey first emerged in 1992.",
                sources=(SEED,), file="c.yaml", line=1),
          Claim(id="june-16", text="On June 16, the two countries signed a memorandum of alliance.",
                expect="contradicted", sources=(SEED,), file="c.yaml", line=2)]


def _report(cache: Path | None, **kw) -> str:
    components = Components(embedder=FakeEmbedder(), entailment=WordEntailment(), first_pass=FakeEmbedder())
    return json.dumps(report_dict(verify(CLAIMS, Settings(cache_dir=cache, **kw), components)), sort_keys=True)


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under a folder, with its size and modification time."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------- blobs


def test_a_blob_round_trips_with_its_checksum_in_front(tmp_path):
    store = Store(tmp_path / "cache")
    name = key("embeddings", "model", "a text")
    assert store.get("embeddings", name, bytes) is None and not (tmp_path / "cache").exists()  # nothing made
    assert store.put("embeddings", name, b"some vectors")
    path = store.blob_path("embeddings", name)
    assert path == tmp_path / "cache" / "blobs" / "embeddings" / name[:2] / name
    assert path.read_bytes() == hashlib.sha256(b"some vectors").digest() + b"some vectors"
    assert store.has("embeddings", name) and store.get("embeddings", name, bytes) == b"some vectors"
    assert [p.name for p in path.parent.iterdir()] == [name]  # no temporary file left behind


def test_a_blob_written_piece_by_piece_is_the_same_blob(tmp_path):
    store = Store(tmp_path)
    store.put("index", "a" * 64, b"one two three")
    with store.writer("index", "b" * 64) as out:
        for piece in (b"one ", b"two ", b"three"):
            out.write(piece)
    assert store.blob_path("index", "a" * 64).read_bytes() == store.blob_path("index", "b" * 64).read_bytes()


def test_a_damaged_blob_is_reported_once_and_treated_as_missing(tmp_path):
    store = Store(tmp_path)
    name = key("extracted", "a file")
    store.put("extracted", name, b'{"ok": 1}')
    path = store.blob_path("extracted", name)
    path.write_bytes(path.read_bytes()[:-2] + b"!}")
    with pytest.warns(VerifierWarning) as caught:
        assert store.get("extracted", name, json.loads, what="the text of a.pdf", then="reading it again") is None
        assert store.get("extracted", name, json.loads) is None
    assert [str(w.message) for w in caught] == [
        f"cache entry extracted/{name[:16]} (the text of a.pdf) is damaged (its checksum does not match); "
        "reading it again"]
    assert store.put("extracted", name, b'{"ok": 2}') and store.get("extracted", name, json.loads) == {"ok": 2}


def test_a_blob_that_does_not_decode_is_damaged_too(tmp_path):
    store = Store(tmp_path)
    store.put("extracted", "c" * 64, b"not json")
    with pytest.warns(VerifierWarning, match="is damaged"):
        assert store.get("extracted", "c" * 64, json.loads) is None
    path = store.blob_path("extracted", "d" * 64)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"short")  # shorter than a checksum
    with pytest.warns(VerifierWarning, match="its checksum does not match"):
        assert store.get("extracted", "d" * 64, json.loads) is None


# ---------------------------------------------------------------- rows


def test_rows_round_trip_in_one_database_file_with_a_table_per_kind(tmp_path):
    store = Store(tmp_path)
    assert store.put_rows("facts", {"k1": b"one", "k2": b"two"})
    assert store.put_rows("entail", {"k1": b"other"})
    assert store.get_rows("facts", ["k2", "k1", "k3", "k1"], bytes) == {"k1": b"one", "k2": b"two"}
    assert Store(tmp_path).get_rows("entail", ["k1"], bytes) == {"k1": b"other"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [DB_FILE]
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        assert {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == {"facts", "entail"}
    db.close()
    store.close()


def test_many_keys_are_read_in_batches(tmp_path):
    store = Store(tmp_path)
    rows = {f"key{i}": str(i).encode() for i in range(1234)}
    assert store.put_rows("facts", rows)
    assert store.get_rows("facts", list(rows), bytes) == rows


def test_a_damaged_row_is_reported_and_the_others_are_read(tmp_path):
    store = Store(tmp_path)
    store.put_rows("facts", {"a": b"1", "b": b"2", "c": b"3"})
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        db.execute("UPDATE facts SET body = CAST('9' AS BLOB) WHERE key = 'b'")
    db.close()
    with pytest.warns(VerifierWarning, match="1 damaged facts row in the cache database store.sqlite; making them"):
        assert store.get_rows("facts", ["a", "b", "c"], bytes) == {"a": b"1", "c": b"3"}
    def only_ones(body: bytes) -> int:
        if body != b"1":
            raise ValueError("not a one")
        return 1

    with pytest.warns(VerifierWarning, match="1 damaged facts row"):  # a row that does not decode is damaged too
        assert store.get_rows("facts", ["a", "c"], only_ones) == {"a": 1}


def test_a_damaged_database_is_set_aside_with_a_warning_and_started_afresh(tmp_path):
    Store(tmp_path).put_rows("facts", {"a": b"1"})
    garbage = b"not a database at all " * 500
    (tmp_path / DB_FILE).write_bytes(garbage)
    store = Store(tmp_path)
    with pytest.warns(VerifierWarning) as caught:
        assert store.get_rows("facts", ["a"], bytes) == {}
    assert [str(w.message) for w in caught] == [
        "the cache database store.sqlite is damaged (file is not a database); set aside as "
        "store.sqlite.damaged and started afresh"]
    assert (tmp_path / (DB_FILE + ".damaged")).read_bytes() == garbage
    assert store.put_rows("facts", {"a": b"2"})
    assert Store(tmp_path).get_rows("facts", ["a"], bytes) == {"a": b"2"}  # no second warning
    store.close()


def test_a_database_damaged_while_open_is_set_aside_too(tmp_path):
    store = Store(tmp_path)
    store.put_rows("facts", {"a": b"1"})
    (tmp_path / DB_FILE).write_bytes(b"\0" * 4096 + b"not a database" * 300)
    with pytest.warns(VerifierWarning, match="is damaged"):
        assert store.put_rows("facts", {"b": b"2"})
    assert store.get_rows("facts", ["a", "b"], bytes) == {"b": b"2"}
    store.close()


def test_clearing_a_kind_deletes_its_entries_and_no_others(tmp_path):
    store = Store(tmp_path)
    store.put_rows("facts", {"a": b"1"})
    store.put_rows("entail", {"a": b"2"})
    store.put("embeddings", "e" * 64, b"3")
    store.put("extracted", "e" * 64, b"4")
    store.clear("facts")
    store.clear("embeddings")
    assert store.get_rows("facts", ["a"], bytes) == {} and store.get_rows("entail", ["a"], bytes) == {"a": b"2"}
    assert store.get("embeddings", "e" * 64, bytes) is None and store.get("extracted", "e" * 64, bytes) == b"4"
    store.close()


WRITER = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from verifier.store import Store, key
store = Store(Path(sys.argv[1]))
for i in range(0, 300, 10):
    assert store.put_rows("facts", {{key("facts", str(j)): f"facts of {{j}}".encode() for j in range(i, i + 10)}})
    for j in range(i, i + 10, 5):
        assert store.put("embeddings", key("embeddings", str(j)), f"vectors of {{j}}".encode() * 5000)
print("done")
"""


def test_two_processes_write_one_store_at_once(tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(root=str(ROOT)))
    cache = tmp_path / "cache"
    procs = [subprocess.Popen([sys.executable, "-W", "error", str(script), str(cache)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0 and out == "done\n" and err == "", err
    store = Store(cache)
    names = {key("facts", str(j)): j for j in range(300)}
    got = store.get_rows("facts", list(names), bytes)
    assert {names[k]: v for k, v in got.items()} == {j: f"facts of {j}".encode() for j in range(300)}
    for j in range(0, 300, 5):
        assert store.get("embeddings", key("embeddings", str(j)), bytes) == f"vectors of {j}".encode() * 5000
    store.close()


# ---------------------------------------------------------------- a folder that cannot be written


def test_a_cache_folder_that_cannot_be_made_never_fails_a_run(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("a file where the cache folder's parent should be")
    cache = blocked / "cache"
    store = Store(cache)
    assert not store.put("embeddings", "e" * 64, b"x") and store.get("embeddings", "e" * 64, bytes) is None
    assert not store.put_rows("facts", {"a": b"1"}) and store.get_rows("facts", ["a"], bytes) == {}
    # Every cache, the large-source path's index included; filterwarnings = error: no warning either.
    uncached = _report(None)
    assert _report(cache) == uncached
    assert _report(cache, exact_limit=0) == _report(None, exact_limit=0)


READER = """
import json, sys, warnings
warnings.simplefilter("error")
sys.path.insert(0, {root!r})
from pathlib import Path
from tests.unit.test_store import _report
from verifier.store import Store, key
cache = Path(sys.argv[1])
store = Store(cache)
print(json.dumps({{"exact": _report(cache), "short-list": _report(cache, exact_limit=0),
                  "put": store.put("embeddings", key("embeddings", "new"), b"x"),
                  "put_rows": store.put_rows("facts", {{key("facts", "new"): b"x"}}),
                  "rows": len(store.get_rows("facts", [key("facts", "new")], bytes))}}))
"""
# Mounts a folder read-only for one command, in a mount namespace of its own: what makes a folder
# read-only even to root, who may write files whatever their mode (the tests run as root).
MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"'


def _read_only(folder: Path, argv: list[str]) -> list[str]:
    """``argv`` run with ``folder`` read-only: by its mode, and as root on a read-only mount too."""
    for p in [folder, *folder.rglob("*")]:
        os.chmod(p, stat.S_IMODE(p.stat().st_mode) & ~0o222)
    if os.geteuid() != 0:
        return argv
    probe = subprocess.run(["unshare", "-m", "sh", "-c", MOUNT + ' && ! touch "$1/probe" 2>/dev/null', "sh",
                            str(folder)] if shutil.which("unshare") else ["false"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot make a folder read-only for root here (no mount namespaces)")
    return ["unshare", "-m", "sh", "-c", MOUNT + ' && shift && exec "$@"', "sh", str(folder), *argv]


def test_a_read_only_cache_is_read_and_never_fails_a_run(tmp_path):
    cache = tmp_path / "cache"
    expected = {"exact": _report(cache), "short-list": _report(cache, exact_limit=0)}
    assert (cache / DB_FILE).is_file() and (cache / "blobs").is_dir() and (cache / "folders" / "index").is_dir()
    script = tmp_path / "reader.py"
    script.write_text(READER.format(root=str(ROOT)))
    argv = _read_only(cache, [sys.executable, str(script), str(cache)])
    before = _tree(cache)
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    finally:
        for p in [cache, *cache.rglob("*")]:
            os.chmod(p, stat.S_IMODE(p.stat().st_mode) | 0o200)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    got = json.loads(r.stdout)
    assert {k: got[k] for k in expected} == expected  # read back, with no warning
    assert (got["put"], got["put_rows"], got["rows"]) == (False, False, 0)  # writes skipped
    assert _tree(cache) == before


# ---------------------------------------------------------------- keys and versions


def test_every_cache_kind_is_registered_and_its_version_is_in_every_key(monkeypatch):
    from verifier import facts_cache, first_pass, index
    from verifier.models import embed, entail, onnx_embed

    kinds = {embed.KIND, onnx_embed.KIND, reader.KIND, facts_cache.KIND, entail.KIND, index.INDEX, first_pass.STATIC}
    assert kinds <= set(VERSIONS) and all(isinstance(v, str) and v for v in VERSIONS.values())
    before = {kind: key(kind, "the same", "parts") for kind in VERSIONS}
    assert len(set(before.values())) == len(VERSIONS)  # kinds never share keys
    for kind in VERSIONS:
        monkeypatch.setitem(VERSIONS, kind, VERSIONS[kind] + "-next")
        assert key(kind, "the same", "parts") != before[kind]
    assert key("facts", "ab", "c") != key("facts", "a", "bc")  # parts are not just run together
    with pytest.raises(KeyError):
        key("not-a-kind", "x")
    with pytest.raises(KeyError):
        Store(Path("/nowhere")).blob_path("not-a-kind", "x")


def test_bumping_a_version_retires_that_kinds_entries(tmp_path, monkeypatch):
    fake = FakeEmbedder()
    CachedEmbedder(fake, tmp_path).embed(["a text"])
    CachedEmbedder(fake, tmp_path).embed(["a text"])
    assert fake.calls == 1
    monkeypatch.setitem(VERSIONS, "embeddings", VERSIONS["embeddings"] + "-next")
    CachedEmbedder(fake, tmp_path).embed(["a text"])
    assert fake.calls == 2
    facts = FactsCache(tmp_path)
    facts.analyze_many(["The drills began on May 3."])
    monkeypatch.setitem(VERSIONS, "facts", VERSIONS["facts"] + "-next")
    again = FactsCache(tmp_path)
    again.analyze_many(["The drills began on May 3."])
    assert (facts.misses, again.misses, again.hits) == (1, 1, 0)


def test_a_source_file_has_one_key_whether_read_whole_or_in_blocks(tmp_path, monkeypatch):
    from verifier import pg_index

    f = tmp_path / "a.txt"
    f.write_bytes(b"Some text.\n" * 1000)
    monkeypatch.setattr(store_module, "_BLOCK", 7)
    assert source_key(f, "v1") == source_key(f, "v1", f.read_bytes())
    assert source_key(f, "v1") != source_key(f, "v2")
    # The shared index keys files as the local caches do: by the same function.
    assert pg_index.content_key is reader.content_key and reader.content_key(f) == source_key(f, "")


def test_the_cache_folder_is_the_env_var_else_xdg_else_home(monkeypatch, tmp_path):
    monkeypatch.setenv("VERIFIER_CACHE_DIR", str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("VERIFIER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "verifier"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "verifier"


# ---------------------------------------------------------------- --no-cache


def test_without_a_cache_the_short_list_path_leaves_nothing_behind(private_cache, tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    _report(None, exact_limit=0)
    gc.collect()
    assert not private_cache.exists() and not any(scratch.iterdir())


def test_the_command_line_with_no_cache_writes_nothing_anywhere(tmp_path):
    # The real command and models, in a process of its own: every place a cache could go is watched.
    work, home, xdg, tmp = (tmp_path / n for n in ("work", "home", "xdg", "tmp"))
    for folder in (work, home, xdg, tmp):
        folder.mkdir()
    (work / "c.yaml").write_text(f"version: 1\nsources: [{SEED}]\nclaims:\n"
                                 f"  - id: {CLAIMS[0].id}\n    text: {CLAIMS[0].text}\n", encoding="utf-8")
    cache = tmp_path / "cache"
    env = {**os.environ, "VERIFIER_CACHE_DIR": str(cache), "HOME": str(home), "XDG_CACHE_HOME": str(xdg),
           "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "verifier", "check", "c.yaml", "--no-cache", "--format", "json"],
                       cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode in (0, 1), r.stdout + r.stderr
    assert json.loads(r.stdout)["summary"]["claims"] == 1
    assert not cache.exists()
    assert [p for folder in (home, xdg, tmp) for p in folder.rglob("*")] == []
    assert sorted(p.name for p in work.iterdir()) == ["c.yaml"]


# Content hashes of files: the SHA-256 of the bytes, whatever the size and however it is read in blocks.
def test_the_hash_is_the_sha256_of_the_bytes_in_hex(tmp_path):
    (tmp_path / "abc").write_bytes(b"abc")
    assert file_sha256(tmp_path / "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    (tmp_path / "empty").write_bytes(b"")
    assert file_sha256(tmp_path / "empty") == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize("size", [6, 7, 8, 50])
def test_a_file_read_in_many_blocks_hashes_as_if_read_whole(tmp_path, monkeypatch, size):
    monkeypatch.setattr(store_module, "_BLOCK", 7)
    data = bytes(range(size))
    (tmp_path / "f").write_bytes(data)
    assert file_sha256(tmp_path / "f") == hashlib.sha256(data).hexdigest()


def test_a_path_given_as_a_string_and_line_endings_as_they_are(tmp_path):
    (tmp_path / "crlf.txt").write_bytes(b"a\r\nb")
    (tmp_path / "lf.txt").write_bytes(b"a\nb")
    assert file_sha256(str(tmp_path / "crlf.txt")) != file_sha256(tmp_path / "lf.txt")
    assert file_sha256(str(tmp_path / "crlf.txt")) == hashlib.sha256(b"a\r\nb").hexdigest()


def test_a_missing_file_is_an_error_not_a_hash(tmp_path):
    with pytest.raises(FileNotFoundError):
        file_sha256(tmp_path / "missing")
