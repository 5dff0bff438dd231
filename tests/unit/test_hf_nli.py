"""A user's own Hugging Face NLI model: labels read by name, three probabilities per pair, clear errors for a bad folder.

The models are tiny BERT classifiers made and saved by the tests themselves; nothing is downloaded.
"""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from verifier.errors import ModelError
from verifier.models.hf_nli import NLIModel

WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(
    set("the memorandum was signed on june 15 16 by two countries . , drills began in lachin".split()))
THREE = {0: "contradiction", 1: "entailment", 2: "neutral"}


def save_nli(folder: Path, id2label: dict[int, str], bias: list[float] | None = None) -> Path:
    """A randomly initialised BERT NLI classifier and its tokenizer; with ``bias``, its logits are that bias exactly."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    folder.mkdir(parents=True)
    (folder / "vocab.txt").write_text("\n".join(WORDS) + "\n")
    config = BertConfig(vocab_size=len(WORDS), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64, num_labels=len(id2label),
                        id2label=id2label, label2id={v: k for k, v in id2label.items()})
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    if bias is not None:
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.copy_(torch.tensor(bias))
    model.save_pretrained(folder)
    BertTokenizerFast(vocab_file=str(folder / "vocab.txt")).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def nli(tmp_path_factory):
    # The first model made imports torch and transformers: several seconds, once for the module.
    return NLIModel(save_nli(tmp_path_factory.mktemp("nli") / "model", THREE))


PAIRS = [("the memorandum was signed on june 15 .", "the memorandum was signed ."),
         ("the drills began in lachin .", "the drills began on june 16 ."),
         ("Caf\u00e9 \U0001F600 unknown words", "")]


def test_each_pair_gets_three_probabilities_that_sum_to_one_in_order(nli):
    got = nli.probabilities(PAIRS)
    assert len(got) == 3
    for p in got:
        assert list(p) == ["entail", "neutral", "contradict"]
        assert all(0.0 <= v <= 1.0 for v in p.values()) and math.isclose(sum(p.values()), 1.0, abs_tol=1e-9)
    for pair, together in zip(PAIRS, got):  # padding in a batch changes no pair's answer
        assert nli.probabilities([pair])[0] == pytest.approx(together, abs=1e-6)


def test_the_same_pairs_give_the_same_probabilities(nli):
    assert nli.probabilities(PAIRS) == nli.probabilities(PAIRS)


def test_nothing_to_read_runs_no_model(nli, monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("the model ran for no pairs")

    monkeypatch.setattr(nli.model, "predict", refuse)
    assert nli.probabilities([]) == []


def test_labels_are_read_by_name_whatever_their_order_and_case(tmp_path):
    model = NLIModel(save_nli(tmp_path / "m", {0: "ENTAILMENT", 1: "Neutral", 2: "contradiction"}, bias=[2.0, 0.0, -1.0]))
    assert model.index == {"entail": 0, "neutral": 1, "contradict": 2}
    (p,) = model.probabilities(PAIRS[:1])
    total = math.exp(2.0) + 1.0 + math.exp(-1.0)
    assert p == pytest.approx({"entail": math.exp(2.0) / total, "neutral": 1.0 / total,
                               "contradict": math.exp(-1.0) / total}, abs=1e-5)


def test_a_two_label_model_leaves_the_rest_to_neutral(tmp_path):
    model = NLIModel(save_nli(tmp_path / "m", {0: "contradiction", 1: "entailment"}, bias=[0.0, 1.0]))
    (p,) = model.probabilities(PAIRS[:1])
    assert p["entail"] == pytest.approx(1 / (1 + math.exp(-1.0)), abs=1e-5)
    assert p["contradict"] == pytest.approx(1 - p["entail"], abs=1e-6) and p["neutral"] == pytest.approx(0.0, abs=1e-6)
    assert p["neutral"] >= 0.0


def test_labels_that_do_not_name_entailment_and_contradiction_are_refused(tmp_path):
    folder = save_nli(tmp_path / "m", {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"})
    with pytest.raises(ModelError, match=r"the model's labels \['label_0', 'label_1', 'label_2'\] do not name") as e:
        NLIModel(folder)
    assert e.value.exit_code == 2


def test_the_model_id_is_the_folders_content(nli, tmp_path):
    a = save_nli(tmp_path / "a", THREE, bias=[0.0, 0.0, 0.0])
    b = save_nli(tmp_path / "b", THREE, bias=[0.0, 1.0, 0.0])
    assert NLIModel(a).model_id == NLIModel(a).model_id != NLIModel(b).model_id
    assert NLIModel(a).model_id.startswith("hf-nli-")


def test_a_file_in_place_of_the_folder_is_refused(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"")
    with pytest.raises(ModelError, match=r"model\.safetensors: NLI model folder not found"):
        NLIModel(tmp_path / "model.safetensors")
