"""The real models on the bundled seed: the embedding model, spaCy, and an NLI model made here."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.claims import Claim, load_claims
from verifier.pipeline import verify
from verifier.settings import Settings

from ..conftest import ROOT, SEED, as_pickle

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def real_options(tmp_path_factory):
    return Settings(cache_dir=tmp_path_factory.mktemp("cache"))


def test_bundled_claims_get_verdicts_of_every_kind_with_verbatim_quotes(real_options):
    # How many of them are right is measured, not asserted: claims/paraphrase.yaml is a probe set
    # (docs/accuracy.md gives its figures), so some of its claims fail by design of the measurement.
    claims = load_claims([ROOT / "claims"])
    run = verify(claims, real_options)
    assert {r.verdict for r in run.results} == {"supported", "contradicted", "unsupported"}
    for r in run.results:
        assert r.reason and 0.0 < r.confidence < 1.0
        for e in r.evidence:
            assert Path(e.source).read_text(encoding="utf-8")[e.start:e.end] == e.quote


def _claim(text: str) -> Claim:
    return Claim(id="x", text=text, sources=(SEED,), file="t.yaml", line=1)


def test_paraphrase_is_supported_with_the_right_sentence(real_options):
    (r,) = verify([_claim("Military cooperation between Azerbaijan and Turkey began in 1992.")], real_options).results
    assert r.verdict == "supported", r.reason
    assert r.evidence[0].line == 15


def test_changed_date_is_contradicted_with_both_values(real_options):
    (r,) = verify([_claim("The memorandum of alliance was signed on June 16.")], real_options).results
    assert r.verdict == "contradicted"
    assert r.reason == "the source says June 15; the claim says June 16"
    assert r.evidence[0].line == 17


def test_python_m_verifier_runs_the_check_and_writes_json(tmp_path):
    out = tmp_path / "r.json"
    env = {**os.environ, "VERIFIER_CACHE_DIR": str(tmp_path / "cache")}
    p = subprocess.run([sys.executable, "-m", "verifier", "check", "claims/", "--format", "json", "-o", str(out)],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode in (0, 1), p.stderr  # 1: some probe claims fail, as measured
    report = json.loads(out.read_text())
    assert report["summary"]["claims"] == len(load_claims([ROOT / "claims"]))
    # A second run reads every embedding back from the cache.
    p2 = subprocess.run([sys.executable, "-m", "verifier", "check", "claims/", "--format", "json"],
                        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert json.loads(p2.stdout) == report
    assert p2.returncode == p.returncode


@pytest.fixture(scope="module")
def tiny_nli_model(tmp_path_factory):
    """A randomly initialised BERT NLI classifier and tokenizer, saved to disk: no download."""
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    d = tmp_path_factory.mktemp("nli")
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(
        set("the memorandum was signed on june 15 16 by two countries . , drills".split()))
    (d / "vocab.txt").write_text("\n".join(words) + "\n")
    tok = BertTokenizerFast(vocab_file=str(d / "vocab.txt"))
    config = BertConfig(vocab_size=len(words), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64, num_labels=3,
                        id2label={0: "contradiction", 1: "entailment", 2: "neutral"},
                        label2id={"contradiction": 0, "entailment": 1, "neutral": 2})
    BertForSequenceClassification(config).save_pretrained(d)
    tok.save_pretrained(d)
    return d


def test_nli_model_loads_from_a_folder_and_gives_probabilities(tiny_nli_model):
    from verifier.models.hf_nli import NLIModel

    nli = NLIModel(tiny_nli_model)
    (p,) = nli.probabilities([("the memorandum was signed on june 15 .", "the memorandum was signed .")])
    assert set(p) == {"entail", "contradict", "neutral"}
    assert abs(sum(p.values()) - 1) < 1e-6


def test_a_users_nli_model_reads_the_quotes_and_the_fact_guards_still_hold(tiny_nli_model, real_options):
    from dataclasses import replace

    from verifier.components import entailment_model
    from verifier.models.hf_nli import NLIModel

    opts = replace(real_options, nli_model_path=tiny_nli_model)
    model = entailment_model(opts)
    assert isinstance(model.inner.inner, NLIModel) and model.model_id.startswith("hf-nli-")
    claims = [_claim("Military cooperation between Azerbaijan and Turkey first emerged in 1992."),
              _claim("NATO observers monitored the joint drills.")]
    with_nli = verify(claims, opts).results
    assert all(0.0 < r.confidence < 1.0 for r in with_nli)
    # A randomly initialised model may say anything; a claim whose name no source states is never supported.
    assert with_nli[1].verdict != "supported"

def test_bad_nli_folder_is_a_clear_error(tmp_path):
    from verifier.errors import ModelError
    from verifier.models.hf_nli import NLIModel

    with pytest.raises(ModelError, match="NLI model folder not found"):
        NLIModel(tmp_path / "missing")
    (tmp_path / "junk").mkdir()
    with pytest.raises(ModelError, match="cannot load the NLI model"):
        NLIModel(tmp_path / "junk")


def test_a_date_elsewhere_does_not_contradict_a_claim_the_source_states(real_options):
    # The byline's 2021-09-07 is about the article, not the claim; line 15 says 1992.
    (r,) = verify([_claim("Military cooperation between the two countries dates back to 1992.")], real_options).results
    assert r.verdict != "contradicted", r.reason


NO_NETWORK = r"""
import socket, sys
def refuse(*a, **k):
    raise RuntimeError("network access attempted")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from verifier.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_whole_pipeline_runs_with_sockets_forbidden(tmp_path):
    env = {**os.environ, "VERIFIER_CACHE_DIR": str(tmp_path / "cache")}
    for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        env.pop(k, None)  # verifier must not rely on the caller to set these
    p = subprocess.run([sys.executable, "-c", NO_NETWORK, "check", "claims/", "--format", "json"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode in (0, 1), p.stderr
    assert "network access attempted" not in p.stderr
    assert json.loads(p.stdout)["summary"]["claims"] > 0


def test_same_json_whatever_the_thread_count(tmp_path):
    outputs = []
    for threads in ("1", "2"):
        env = {**os.environ, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
        p = subprocess.run([sys.executable, "-m", "verifier", "check", "claims/", "--format", "json", "--no-cache"],
                           cwd=ROOT, env=env, capture_output=True, timeout=600)
        assert p.returncode in (0, 1), p.stderr
        outputs.append(p.stdout)
    assert outputs[0] == outputs[1]


def test_an_nli_model_saved_as_pickle_is_refused(tiny_nli_model, tmp_path):
    import shutil

    from verifier.errors import ModelError
    from verifier.models.hf_nli import NLIModel

    pickled = as_pickle(tiny_nli_model, tmp_path / "pickled")
    assert (pickled / "pytorch_model.bin").is_file() and not (pickled / "model.safetensors").exists()
    with pytest.raises(ModelError, match=r"NLI model's weights are only in pickle files \(pytorch_model.bin\)"):
        NLIModel(pickled)

    # With safetensors beside it, the pickle is never opened: this one would fail to load if it were.
    both = tmp_path / "both"
    shutil.copytree(tiny_nli_model, both)
    (both / "pytorch_model.bin").write_bytes(b"not a pickle")
    assert len(NLIModel(both).probabilities([("the memorandum was signed .", "it was signed .")])) == 1
