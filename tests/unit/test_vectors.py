"""The vector indexes: exact brute-force search and the approximate graph, their padding and round trips on disk."""
from __future__ import annotations

import numpy as np

from verifier.vectors import ANNIndex, ExactIndex


def unit_rows(n, dim, seed=0):
    x = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_exact_index_is_the_brute_force_top_k():
    x = unit_rows(3000, 32)
    q = unit_rows(20, 32, seed=1)
    idx = ExactIndex(32)
    idx.add(x[:1000])
    idx.add(x[1000:])
    ids, scores = idx.search(q, 10)
    ref = q @ x.astype(np.float16).astype(np.float32).T
    assert (ids == np.argsort(-ref, axis=1, kind="stable")[:, :10]).all()
    assert np.allclose(scores, np.sort(ref, axis=1)[:, ::-1][:, :10], atol=1e-5)


def test_ann_index_finds_what_the_exact_one_finds():
    # Queries near some rows, as claims are near the sentences that state them.
    x = unit_rows(5000, 64)
    q = x[::100] + 0.5 * unit_rows(50, 64, seed=2) / 8
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    exact, ann = ExactIndex(64), ANNIndex(64)
    exact.add(x)
    ann.add(x, threads=1)  # one thread builds the same graph every time; two may not
    e_ids, _ = exact.search(q, 10)
    a_ids, a_scores = ann.search(q, 10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(a_ids.tolist(), e_ids.tolist())])
    assert recall >= 0.9, recall
    assert (a_ids[:, 0] == e_ids[:, 0]).all()
    assert (np.diff(a_scores, axis=1) <= 1e-6).all()  # best first


def test_fewer_rows_than_k_pads_with_minus_one():
    idx = ExactIndex(8)
    idx.add(unit_rows(3, 8))
    ids, scores = idx.search(unit_rows(1, 8), 5)
    assert sorted(ids[0, :3].tolist()) == [0, 1, 2] and (ids[0, 3:] == -1).all()


def test_exact_index_round_trips_through_a_float16_memmap(tmp_path):
    x = unit_rows(500, 16)
    idx = ExactIndex(16)
    idx.add(x)
    idx.save(tmp_path / "v.npy")
    back = ExactIndex.load(tmp_path / "v.npy")
    assert isinstance(back.vectors, np.memmap) and back.vectors.dtype == np.float16
    assert (tmp_path / "v.npy").stat().st_size < 500 * 16 * 2 + 200
    q = unit_rows(5, 16, seed=3)
    assert (back.search(q, 7)[0] == idx.search(q, 7)[0]).all()


def test_ann_index_round_trips_memory_mapped(tmp_path):
    x = unit_rows(800, 32)
    ann = ANNIndex(32)
    ann.add(x, threads=1)  # one thread builds the same graph every time; two may not
    ann.save(tmp_path / "a.usearch")
    back = ANNIndex.load(tmp_path / "a.usearch")
    q = unit_rows(5, 32, seed=4)
    assert len(back) == 800 and (back.search(q, 5)[0] == ann.search(q, 5)[0]).all()
