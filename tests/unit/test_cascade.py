"""The cascade: the small model reads every quote, the large one only the few that decide each claim."""
from __future__ import annotations

from dataclasses import replace

import pytest

from verifier.models.cascade import Cascade


class Table:
    """An entailment model that looks its answers up, and remembers what it was asked."""

    def __init__(self, model_id, table):
        self.model_id, self.table, self.asked = model_id, table, []

    def probabilities(self, pairs):
        self.asked += list(pairs)
        return [dict(zip(("entail", "neutral", "contradict"), self.table[p])) for p in pairs]


def test_the_large_model_rereads_only_each_claims_deciding_quotes_and_its_reading_counts():
    pairs = [("q1", "A"), ("q2", "A"), ("q3", "A"), ("q1", "B"), ("q4", "B")]
    small = Table("small", {("q1", "A"): (0.2, 0.7, 0.1), ("q2", "A"): (0.9, 0.05, 0.05), ("q3", "A"): (0.1, 0.1, 0.8),
                            ("q1", "B"): (0.3, 0.6, 0.1), ("q4", "B"): (0.1, 0.85, 0.05)})
    large = Table("large", {("q2", "A"): (0.1, 0.85, 0.05), ("q3", "A"): (0.05, 0.05, 0.9),
                            ("q1", "B"): (0.8, 0.1, 0.1), ("q4", "B"): (0.2, 0.7, 0.1)})
    cascade = Cascade(small, large, deciding=2)
    got = cascade.probabilities(pairs)
    assert small.asked == pairs
    assert large.asked == [("q2", "A"), ("q3", "A"), ("q1", "B"), ("q4", "B")]  # q1 for A decides nothing
    assert got[0] == {"entail": 0.2, "neutral": 0.7, "contradict": 0.1}  # the small model's reading stays
    assert got[1]["entail"] == 0.1 and got[2]["contradict"] == 0.9 and got[3]["entail"] == 0.8
    assert cascade.model_id == "small+large/2"


def test_a_claim_with_fewer_quotes_than_the_budget_is_read_whole_by_the_large_model():
    small = Table("s", {("q", "A"): (0.5, 0.4, 0.1)})
    large = Table("l", {("q", "A"): (0.95, 0.03, 0.02)})
    assert Cascade(small, large, deciding=3).probabilities([("q", "A")])[0]["entail"] == 0.95
    assert Cascade(small, large).probabilities([]) == []


def test_a_weight_below_one_averages_the_two_readings_of_a_deciding_quote_and_names_itself():
    small = Table("s", {("q1", "A"): (0.6, 0.3, 0.1), ("q2", "A"): (0.1, 0.8, 0.1)})
    large = Table("l", {("q1", "A"): (0.2, 0.7, 0.1)})
    cascade = Cascade(small, large, deciding=1, weight=0.25)
    first, second = cascade.probabilities([("q1", "A"), ("q2", "A")])
    assert first == pytest.approx({"entail": 0.5, "neutral": 0.4, "contradict": 0.1})
    assert second == {"entail": 0.1, "neutral": 0.8, "contradict": 0.1}  # not deciding: the small reading
    assert cascade.model_id == "s+l/1x0.25" != Cascade(small, large, deciding=1).model_id
    with pytest.raises(ValueError, match="weight"):
        Cascade(small, large, weight=0.0)


def test_leading_quotes_are_read_by_the_large_model_even_where_the_small_one_found_them_beside_the_point():
    pairs = [("q1", "A"), ("q2", "A"), ("q3", "A")]
    small = Table("s", {("q1", "A"): (0.1, 0.85, 0.05), ("q2", "A"): (0.9, 0.05, 0.05), ("q3", "A"): (0.2, 0.7, 0.1)})
    large = Table("l", {("q1", "A"): (0.9, 0.05, 0.05), ("q2", "A"): (0.3, 0.6, 0.1)})
    cascade = Cascade(small, large, deciding=1, leading=1)
    got = cascade.probabilities(pairs)
    assert large.asked == [("q1", "A"), ("q2", "A")]  # q1 leads, q2 decides; q3 is neither
    assert got[0]["entail"] == 0.9 and got[1]["entail"] == 0.3 and got[2]["entail"] == 0.2
    assert cascade.model_id == "s+l/1+1" != Cascade(small, large, deciding=1).model_id


def test_a_gate_leaves_the_large_model_the_quotes_the_small_one_leans_on_and_names_itself():
    pairs = [("q1", "A"), ("q2", "A"), ("q1", "B"), ("q2", "B")]
    small = Table("s", {("q1", "A"): (0.45, 0.5, 0.05), ("q2", "A"): (0.1, 0.8, 0.1),
                        ("q1", "B"): (0.2, 0.7, 0.1), ("q2", "B"): (0.1, 0.85, 0.05)})
    large = Table("l", {("q1", "A"): (0.9, 0.05, 0.05), ("q2", "A"): (0.1, 0.1, 0.8), ("q1", "B"): (0.9, 0.05, 0.05)})
    got = Cascade(small, large, deciding=2, gate=0.4).probabilities(pairs)
    assert large.asked == [("q1", "A")]  # B's quotes and A's second are beside the point to the small model
    assert got[0]["entail"] == 0.9 and got[1] == {"entail": 0.1, "neutral": 0.8, "contradict": 0.1}
    # Leading quotes are read whatever the gate: they are there for the small model's misses.
    large.asked = []
    Cascade(small, large, deciding=2, gate=0.4, leading=1).probabilities(pairs)
    assert large.asked == [("q1", "A"), ("q1", "B")]
    assert Cascade(small, large, gate=0.4).model_id == "s+l/2g0.4" != Cascade(small, large).model_id
    with pytest.raises(ValueError, match="gate"):
        Cascade(small, large, gate=1.0)


def test_the_run_reads_through_the_cascade_where_a_large_model_is_named(tmp_path):
    from verifier.components import entailment_model
    from verifier.models.entail import CachedEntailment, shipped_folder, shipped_large_folder
    from verifier.settings import Settings

    default = entailment_model(Settings(cache_dir=tmp_path))
    assert isinstance(default, Cascade if shipped_large_folder() else CachedEntailment)
    if shipped_large_folder():  # the shipped cascade: 2 deciding quotes and 2 leading ones, the large reading alone
        assert (default.deciding, default.leading, default.weight, default.gate) == (2, 2, 1.0, 0.0)
    assert isinstance(entailment_model(Settings(cache_dir=tmp_path, cascade=False)), CachedEntailment)
    both = entailment_model(Settings(cache_dir=tmp_path, nli_large_path=shipped_folder()))
    assert isinstance(both, Cascade) and both.deciding == 2
    assert isinstance(both.small, CachedEntailment) and isinstance(both.large, CachedEntailment)
    assert entailment_model(Settings(cache_dir=tmp_path), given=Table("t", {})).inner.inner.model_id == "t"


def test_nli_model_takes_an_exported_folder_and_reads_it_alone(tmp_path):
    # An exported model (entail.json beside its graph) runs on onnxruntime, without torch, and alone:
    # the cascade is for the shipped pair.
    from verifier.components import entailment_model
    from verifier.models.entail import CachedEntailment, OnnxEntailment, shipped_folder
    from verifier.settings import Settings

    own = entailment_model(Settings(cache_dir=tmp_path, nli_model_path=shipped_folder()))
    assert isinstance(own, CachedEntailment) and isinstance(own.inner.inner, OnnxEntailment)
    assert own.model_id == OnnxEntailment(shipped_folder()).model_id


def test_each_reader_gets_the_thresholds_shipped_for_it(tmp_path):
    from verifier import request
    from verifier.config import Config
    from verifier.models.entail import shipped_folder, shipped_large_folder
    from verifier.settings import Settings
    from verifier.thresholds import default_thresholds

    assert Settings(cascade=False).reads_alone() and Settings(nli_model_path=shipped_folder()).reads_alone()
    assert Settings().reads_alone() is (shipped_large_folder() is None)
    assert default_thresholds(small=True) != default_thresholds()
    # A thresholds file that sets one key keeps the reader's shipped values for the others.
    partial = tmp_path / "t.json"
    partial.write_text('{"version": 1, "support_cosine": 0.45}')
    for cascade in (True, False):
        s = request.settings(request.Common(thresholds_path=partial, cascade=cascade), Config())
        shipped = default_thresholds(small=s.reads_alone())
        assert s.thresholds == replace(shipped, support_cosine=0.45)
