"""Training the entailment model: a run stopped and resumed ends where an unbroken one does."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

sys.path.insert(0, str(ROOT))
from training import train_nli  # noqa: E402

WORDS = "the a drills began ended in on june may city town army navy signed left joined not more fewer".split()


@pytest.fixture(autouse=True)
def _torch_threads():
    # train_nli sets torch's thread count for the process; the tests after these keep theirs.
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


def _tiny_base(folder: Path) -> Path:
    """A two-layer BERT with a word-level vocabulary: the real model class and tokenizer, a few KiB of weights."""
    folder.mkdir()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    transformers.BertTokenizerFast(vocab_file=str(folder / "vocab.txt")).save_pretrained(folder)
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=2,
                                     num_attention_heads=2, intermediate_size=32, max_position_embeddings=64)
    transformers.BertModel(config).save_pretrained(folder)
    return folder


def _pairs(path: Path) -> Path:
    rng = random.Random(1)
    rows = []
    for i in range(72):
        premise = " ".join(rng.choices(WORDS, k=rng.randint(4, 12)))
        rows.append({"premise": premise, "hypothesis": " ".join(rng.choices(WORDS, k=4)),
                     "label": train_nli.LABELS[i % 3], "dataset": "toy", "split": "validation" if i < 12 else "train"})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _train(run: Path, base: Path, pairs: Path, *extra: str) -> None:
    argv = ["--pairs", str(pairs), "--run", str(run), "--base", str(base), "--batch-size", "8", "--threads", "1",
            "--checkpoint-every", "2", "--log-every", "1", "--max-length", "32", "--epochs", "1", *extra]
    assert train_nli.main(argv) == 0


def _weights(run: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(run / "final" / "model.safetensors")


@pytest.mark.parametrize("bf16", [False, True])
def test_a_run_stopped_and_resumed_ends_with_the_same_weights(tmp_path, bf16, capsys):
    base, pairs = _tiny_base(tmp_path / "base"), _pairs(tmp_path / "pairs.jsonl")
    flags = ["--bf16"] if bf16 else []
    _train(tmp_path / "whole", base, pairs, *flags)
    _train(tmp_path / "broken", base, pairs, "--stop-at", "4", *flags)
    assert (tmp_path / "broken" / "ckpt-4.pt").is_file()
    _train(tmp_path / "broken", base, pairs, *flags)
    assert "resumed from ckpt-4.pt at step 4/8" in capsys.readouterr().out
    whole, broken = _weights(tmp_path / "whole"), _weights(tmp_path / "broken")
    assert whole.keys() == broken.keys()
    for name in whole:
        assert torch.equal(whole[name], broken[name]), name


def test_bf16_changes_the_arithmetic_not_the_run(tmp_path):
    if not torch.ops.mkldnn._is_mkldnn_bf16_supported():
        pytest.skip("this CPU has no bfloat16 instructions: --bf16 trains in fp32 here")
    base, pairs = _tiny_base(tmp_path / "base"), _pairs(tmp_path / "pairs.jsonl")
    _train(tmp_path / "start", base, pairs, "--epochs", "0")
    _train(tmp_path / "fp32", base, pairs)
    _train(tmp_path / "bf16", base, pairs, "--bf16")
    start, fp32, bf16 = _weights(tmp_path / "start"), _weights(tmp_path / "fp32"), _weights(tmp_path / "bf16")
    assert all(bf16[n].dtype == torch.float32 for n in bf16)  # the weights stay fp32
    # The same steps on the same batches: bfloat16 moves the weights differently, but by much less
    # than training moved them.
    moved = sum(float((fp32[n] - start[n]).norm() ** 2) for n in fp32) ** 0.5
    apart = sum(float((bf16[n] - fp32[n]).norm() ** 2) for n in fp32) ** 0.5
    assert 0 < apart < 0.25 * moved


def test_a_subset_caps_generated_pairs_and_draws_as_before_without_a_cap():
    rows = ([{"dataset": "snli", "n": i} for i in range(300)] + [{"dataset": "gen-wice", "n": i} for i in range(300)]
            + [{"dataset": "kinds-wice", "n": i} for i in range(100)] + [{"dataset": "bench-wice", "n": i} for i in range(5)])
    capped = train_nli.subset(rows, 200, seed=3, kinds_share=0.1, bench_whole=True, gen_share=0.05)
    count = {d: sum(r["dataset"] == d for r in capped) for d in ("snli", "gen-wice", "kinds-wice", "bench-wice")}
    assert count == {"snli": 165, "gen-wice": 10, "kinds-wice": 20, "bench-wice": 5}
    # No cap: the very subset drawn before the option existed, which a continued run draws again.
    assert train_nli.subset(rows, 200, seed=3) == train_nli.subset(rows, 200, seed=3, gen_share=1.0)
    plain = train_nli.subset(rows, 200, seed=3)
    assert sum(r["dataset"] == "gen-wice" for r in plain) > 10 and len(plain) == 200
