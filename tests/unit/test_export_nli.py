"""Exporting an entailment model: both 8-bit quantisers give a graph that reads as its fp32 export does."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from ..conftest import ROOT

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
onnx = pytest.importorskip("onnx")

sys.path.insert(0, str(ROOT))
from training import export_nli  # noqa: E402

WORDS = "the a drills began ended in on june may city town army navy signed left joined not more fewer".split()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    """A two-layer BERT classifier, 128 wide (one quantisation block), with a word-level vocabulary."""
    folder = tmp_path_factory.mktemp("tiny")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    transformers.BertTokenizerFast(vocab_file=str(folder / "vocab.txt")).save_pretrained(folder)
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=128, num_hidden_layers=2, num_attention_heads=2,
                                     intermediate_size=256, max_position_embeddings=64, num_labels=3)
    transformers.BertForSequenceClassification(config).save_pretrained(folder)
    return folder


def _logits(graph: Path, feeds: dict[str, np.ndarray]) -> np.ndarray:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(graph), providers=["CPUExecutionProvider"])
    names = {i.name for i in session.get_inputs()}
    return session.run(None, {k: v for k, v in feeds.items() if k in names})[0]


# The exporter verifier uses on purpose (the newer one needs onnxscript) warns that it is the old one,
# and tracing warns of every Python branch on a tensor in the model's code.
@pytest.mark.filterwarnings("ignore:You are using the legacy TorchScript-based ONNX export:DeprecationWarning")
@pytest.mark.filterwarnings("ignore::torch.jit.TracerWarning")
@pytest.mark.parametrize("how,op", [("dynamic", "MatMulInteger"), ("blocks", "MatMulNBits")])
def test_an_8_bit_graph_reads_as_its_fp32_export(tiny, tmp_path, how, op):
    fp32, int8 = tmp_path / "fp32.onnx", tmp_path / "int8.onnx"
    export_nli.export_fp32(tiny, fp32)
    export_nli.quantize(fp32, int8, how)
    ops = {n.op_type for n in onnx.load(str(int8)).graph.node}
    assert op in ops and ("MatMulNBits" in ops) == (how == "blocks")
    assert int8.stat().st_size < fp32.stat().st_size / 2
    assert not list(tmp_path.glob("*-blocks.onnx"))  # no half-made graph left beside it
    tok = transformers.AutoTokenizer.from_pretrained(tiny)
    enc = tok(["the drills began in june", "the army left the city"], ["the drills ended", "the navy joined"],
              padding=True, return_tensors="np")
    feeds = {k: v.astype(np.int64) for k, v in enc.items()}
    want, got = _logits(fp32, feeds), _logits(int8, feeds)
    assert got.shape == want.shape == (2, 3)
    assert np.abs(got - want).max() <= 0.05 * max(1.0, float(np.abs(want).max()))
