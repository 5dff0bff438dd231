from __future__ import annotations

import numpy as np
import pytest

from verifier.errors import VerifierWarning
from verifier.models.embed import CachedEmbedder, model_fingerprint


def test_second_call_is_served_from_disk(fake_embedder, tmp_path):
    cached = CachedEmbedder(fake_embedder, tmp_path)
    a = cached.embed(["one sentence", "another one"])
    again = CachedEmbedder(fake_embedder, tmp_path)
    b = again.embed(["one sentence", "another one"])
    assert fake_embedder.calls == 1 and again.hits == 1
    np.testing.assert_array_equal(a, b)


def test_changed_text_is_embedded_again(fake_embedder, tmp_path):
    cached = CachedEmbedder(fake_embedder, tmp_path)
    cached.embed(["a b"])
    cached.embed(["a c"])
    assert fake_embedder.calls == 2


def test_corrupt_entry_is_rebuilt(fake_embedder, tmp_path):
    cached = CachedEmbedder(fake_embedder, tmp_path)
    good = cached.embed(["x y z"])
    (entry,) = [p for p in (tmp_path / "blobs" / "embeddings").rglob("*") if p.is_file()]
    data = bytearray(entry.read_bytes())
    data[-1] ^= 0xFF
    entry.write_bytes(bytes(data))
    with pytest.warns(VerifierWarning, match=r"cache entry embeddings/\w+ is damaged \(its checksum does not match\); "
                                             "embedding again"):
        again = cached.embed(["x y z"])
    assert fake_embedder.calls == 2
    np.testing.assert_array_equal(good, again)


def test_no_cache_dir_means_no_files(fake_embedder, tmp_path):
    CachedEmbedder(fake_embedder, None).embed(["a"])
    assert not any(tmp_path.iterdir())


def test_fingerprint_changes_with_content(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    a = model_fingerprint(tmp_path)
    (tmp_path / "config.json").write_text('{"x": 1}')
    assert model_fingerprint(tmp_path) != a
