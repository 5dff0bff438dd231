"""The embedding model run through onnxruntime: exported once from sentence-transformers, quantised, cached.

sentence-transformers and torch load and export the model; every later run needs only onnxruntime,
tokenizers and numpy. Importing torch and sentence-transformers costs seconds, the quantised graph
embeds two to three times as fast, and a run whose embeddings are all cached imports neither runtime.

The default model's graph ships in the package (``verifier/models/embedder/``, built by
``training/build_embedder_graph.py``), so with that model even a first run exports nothing.
"""
from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import warnings
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from ..errors import ModelError, VerifierWarning
from ..store import Store, key, version

KIND = "onnx-graph"  # the store's kind for exported graphs
# The export and quantisation recipe's version, registered in verifier.store.VERSIONS (bump it there):
# graphs cached or shipped under another version are ignored, and the vectors cached under another
# version's model id are never mixed with these.
GRAPH_VERSION = int(version(KIND))
MODEL_ID_SUFFIX = "-onnx-int8"
# The weights of these operators become int8. Gather reads the 30522 x 384 word-embedding table,
# 47 MB of the 59 MB graph in fp32: quantising it too makes the graph 23 MB, and its vectors stay as
# close to sentence-transformers' as with MatMul alone (cosine 0.98 or more on 617 benchmark claims).
QUANTIZED_OPS = ("MatMul", "Gather")
# The graph shipped in the package: its folder, and the manifest naming the model it was built from.
SHIPPED = "embedder"
MANIFEST = "embedder.json"
TOKENIZER = "tokenizer.json"  # the model's fast tokenizer, shipped beside the graph
OUTPUT = "sentence_embedding"
# The tokenizer's outputs by the names a Hugging Face model's inputs carry.
INPUTS = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}
SETTINGS_KEY = "verifier.tokenizer"
# An export is used only when it agrees with sentence-transformers on these sentences: the same
# tokens, and vectors as close as quantisation allows (0.97 and up on real text; a broken graph is near 0).
PROBES = (
    "The joint drills kicked off in Lachin region on September 6.",
    "Yes.",
    "Military cooperation between Azerbaijan and Turkey dates back to 1992, and was cemented in 2021.",
    "naïve café — “quoted” 3,000 servicemen; 44-day war (2020) – not the first time!",
    " ".join(["A sentence far longer than the model's window, so the tokenizer must cut it."] * 40),
)
MIN_PROBE_COSINE = 0.95


class ReferenceModel(Protocol):
    """What the export needs of the sentence-transformers model (``embed.SentenceTransformerEmbedder``)."""

    path: Path
    fingerprint: str
    model_id: str

    def _load(self) -> Any: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class ExportError(Exception):
    """The model cannot be run through onnxruntime; the caller falls back to sentence-transformers."""


def _quiet(stage: str | None) -> None:
    """Progress that nobody asked to see."""


@dataclass(frozen=True)
class ShippedGraph:
    """The quantised graph that ships in the package, and the SHA-256 its bytes must have."""

    path: Path
    sha256: str

    def read(self) -> bytes | None:
        """The graph, or None when it is missing or its bytes do not match the manifest's hash."""
        try:
            graph = self.path.read_bytes()
        except OSError:
            return None
        return graph if hashlib.sha256(graph).hexdigest() == self.sha256 else None


@dataclass(frozen=True)
class ShippedModel:
    """The default sentence model as the package ships it: the folder of its graph and tokenizer, no weights."""

    path: Path
    fingerprint: str
    model_id: str  # the id its vectors had when read through its weights' folder, so caches carry over


def shipped_default(cache_dir: Path | None, folder: Path | None = None) -> OnnxEmbedder | None:
    """The default model read from the package's graph and tokenizer alone (no torch); None if they do not ship."""
    folder = folder or shipped_folder()
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest["graph_version"] != GRAPH_VERSION or not (folder / TOKENIZER).is_file():
            return None
        model = ShippedModel(folder, str(manifest["fingerprint"]), str(manifest["model_id"]))
        graph = ShippedGraph(folder / manifest["graph"], str(manifest["sha256"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return OnnxEmbedder(model, Store.at(cache_dir), shipped=graph)


def shipped_folder() -> Path:
    """The package's folder of the default model's graph."""
    return Path(str(resources.files("verifier").joinpath("models", SHIPPED)))


def shipped_graph(fingerprint: str, folder: Path | None = None) -> ShippedGraph | None:
    """The shipped graph when it was built from the model with this fingerprint by this recipe, else None.

    The fingerprint is the model folder's content hash, so a copy of the default model given with
    ``--model`` uses the shipped graph too, and a changed model package never does.
    """
    folder = folder or shipped_folder()
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest["fingerprint"] != fingerprint or manifest["graph_version"] != GRAPH_VERSION:
            return None
        return ShippedGraph(folder / manifest["graph"], manifest["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


class OnnxEmbedder:
    """A sentence-transformers model's quantised ONNX graph, one sentence per call.

    Dynamic quantisation scales each call's activations by their own range, so a sentence embedded
    in a padded batch gets a vector that depends on its neighbours (cosine as low as 0.98 between
    the two). One sentence per call gives every sentence one vector, needs no padding, and measured
    faster than batches of 64 on a 2-core machine.
    """

    def __init__(self, reference: ReferenceModel | ShippedModel, store: Store | None,
                 graph: bytes | None = None, shipped: ShippedGraph | None = None,
                 step: Callable[[str | None], None] = _quiet) -> None:
        self.reference = reference
        self.path = reference.path
        self.model_id = f"{reference.model_id}{MODEL_ID_SUFFIX}-v{GRAPH_VERSION}"
        self.store = store  # where the graph is cached; None without a cache
        self.graph_key = graph_key(reference.fingerprint)
        self.shipped = shipped  # the package's graph, used in place of a cached one
        self._graph = graph
        self._step = step
        self._run: Callable[[Sequence[str]], np.ndarray] | None = None

    def _load(self) -> Callable[[Sequence[str]], np.ndarray]:
        # Deferred to the first embedding: a run whose embeddings are all cached never loads onnxruntime.
        if self._run is None:
            graph = self._graph
            if graph is None and self.shipped is not None:
                graph = self.shipped.read()
                if graph is None and isinstance(self.reference, ShippedModel):
                    raise ModelError(f"the ONNX graph shipped in {self.shipped.path.parent} is damaged (its SHA-256 "
                                     "does not match); reinstall quote-verifier to repair it")
                if graph is None:
                    warnings.warn(f"the ONNX graph shipped in {self.shipped.path.parent} is damaged (its SHA-256 "
                                  "does not match); exporting the model instead (reinstall verifier to repair it)",
                                  VerifierWarning, stacklevel=3)
                    graph = self._export_again()
            if graph is None:
                assert self.store is not None  # without a cache, the graph was exported in memory
                # A damaged graph is reported by the store; one deleted since is simply exported again.
                graph = read_graph(self.store, self.reference.fingerprint)
                if graph is None:
                    graph = self._export_again()
            self._run = session_runner(graph, self.path)
            self._graph = None  # onnxruntime holds its own copy
        return self._run

    def _export_again(self) -> bytes:
        """Export the graph in place of a damaged one, and cache it where there is a cache."""
        assert not isinstance(self.reference, ShippedModel)  # its graph is never cached: nothing to export from
        try:
            graph = export_graph(self.reference, self._step)
        except ExportError as e:  # this model's graph was made before, so this is the environment's doing
            raise ModelError(f"{self.path}: cannot export the embedding model again: {e}") from e
        if self.store is not None:
            write_graph(self.store, self.reference.fingerprint, graph)
        return graph

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return self._load()(texts)


def session_runner(graph: bytes, model_path: Path) -> Callable[[Sequence[str]], np.ndarray]:
    """A function from texts to vectors: the graph in onnxruntime, the model folder's fast tokenizer."""
    from .onnx_session import new_session

    try:
        session = new_session(graph)
        settings = json.loads(session.get_modelmeta().custom_metadata_map[SETTINGS_KEY])
        tokenizer = fast_tokenizer(model_path, settings["max_seq_length"])
    except Exception as e:  # onnxruntime and tokenizers raise their own kinds
        raise ModelError(f"{model_path}: cannot load the ONNX graph or the tokenizer: {e}") from e
    lower = settings["do_lower_case"]
    feeds = [(i.name, INPUTS[i.name]) for i in session.get_inputs()]

    def run(texts: Sequence[str]) -> np.ndarray:
        encodings = tokenizer.encode_batch([t.lower() for t in texts] if lower else list(texts))
        out = np.empty((len(texts), settings["dim"]), dtype=np.float32)
        for row, enc in enumerate(encodings):
            inputs = {name: np.asarray(getattr(enc, attr), dtype=np.int64)[None, :] for name, attr in feeds}
            out[row] = session.run([OUTPUT], inputs)[0][0]
        return out

    return run


def fast_tokenizer(model_path: Path, max_seq_length: int) -> Any:
    """The model folder's tokenizer.json, truncating as sentence-transformers does and never padding."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_path / TOKENIZER))
    # The file's own settings (often padding to a fixed 128 tokens) are not what sentence-transformers
    # uses; its window length is recorded in the graph at export.
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_seq_length)
    return tokenizer


def graph_key(fingerprint: str) -> str:
    """The store's key of the graph of the model with this content hash (the recipe's version is in every key)."""
    return key(KIND, fingerprint)


def read_graph(store: Store, fingerprint: str) -> bytes | None:
    """The cached graph, or None when it is missing or damaged (the store reports a damaged one)."""
    return store.get(KIND, graph_key(fingerprint), lambda graph: graph,
                     what="the ONNX graph of the embedding model", then="exporting the model again and replacing it")


def write_graph(store: Store, fingerprint: str, graph: bytes) -> None:
    """Cache a graph; a read-only or full cache folder is not an error."""
    store.put(KIND, graph_key(fingerprint), graph)


def load_onnx_embedder(reference: ReferenceModel, cache_dir: Path | None,
                       step: Callable[[str | None], None] = _quiet) -> OnnxEmbedder:
    """The ONNX embedder of ``reference``'s model: its cached graph, else the shipped one, else exported now.

    Args:
        reference: the sentence-transformers model.
        cache_dir: the verifier cache folder; None exports in memory (the shipped graph is still used).
        step: told of each stage of an export, as ``export_graph`` says; a graph found exports nothing.

    Raises:
        ExportError: the model cannot be exported, or its export disagrees with sentence-transformers.
        ModelError: the folder holds no model that sentence-transformers can load.
    """
    store = Store.at(cache_dir)
    if store is not None and store.has(KIND, graph_key(reference.fingerprint)):
        return OnnxEmbedder(reference, store, step=step)  # its checksum is checked when it is first needed
    shipped = shipped_graph(reference.fingerprint)
    if shipped is not None:  # read from the package as it is, never copied into the cache
        return OnnxEmbedder(reference, store, shipped=shipped, step=step)
    graph = export_graph(reference, step)
    if store is not None:
        write_graph(store, reference.fingerprint, graph)
    return OnnxEmbedder(reference, store, graph, step=step)


# The stages of an export, as ``step`` is told of them: each takes seconds.
EXPORT_STAGES = ("loading the embedding model with torch",
                 "exporting the embedding model to ONNX", "quantising the ONNX graph to int8",
                 "checking the ONNX graph against sentence-transformers")


def export_graph(reference: ReferenceModel, step: Callable[[str | None], None] = _quiet) -> bytes:
    """Export the model with torch, quantise it, and check it against sentence-transformers on PROBES.

    Args:
        reference: the sentence-transformers model.
        step: called with each of EXPORT_STAGES as it starts, and with None once the export is over.
    """
    if not (reference.path / "tokenizer.json").is_file():
        raise ExportError("the folder has no tokenizer.json, the fast tokenizer it needs")
    try:
        return _export(reference, step)
    finally:
        step(None)


def _export(reference: ReferenceModel, step: Callable[[str | None], None]) -> bytes:
    """export_graph's work, stage by stage."""
    load, trace, quantise, check = EXPORT_STAGES
    step(load)
    model = reference._load()  # a ModelError here is the user's to fix, not a reason to fall back
    try:
        with warnings.catch_warnings(), tempfile.TemporaryDirectory(prefix="verifier-onnx-") as tmp:
            # torch's tracer and the quantiser warn about things that do not apply to this graph.
            warnings.simplefilter("ignore")
            previous = logging.root.manager.disable
            logging.disable(logging.WARNING)
            try:
                step(trace)
                settings = _export_fp32(model, Path(tmp) / "fp32.onnx")
                step(quantise)
                _quantize(Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx", settings)
            finally:
                logging.disable(previous)
            graph = (Path(tmp) / "int8.onnx").read_bytes()
    except ExportError:
        raise
    except Exception as e:  # torch.onnx and onnxruntime raise many kinds for a model they cannot handle
        raise ExportError(f"{type(e).__name__}: {e}") from e
    step(check)
    _check_against(reference, graph)
    return graph


def _export_fp32(model: Any, out: Path) -> dict[str, Any]:
    """Trace the whole sentence-transformers module (transformer, pooling, normalisation) into ONNX."""
    import torch

    transformer = model[0]
    if not hasattr(transformer, "max_seq_length") or not hasattr(transformer, "tokenizer"):
        raise ExportError(f"the first module is a {type(transformer).__name__}, not a text transformer")
    # Two texts of different lengths, so the trace records the attention mask of a padded batch.
    features = model.preprocess(list(PROBES[:2]))
    names = [n for n in INPUTS if n in features]
    unknown = sorted(k for k, v in features.items() if isinstance(v, torch.Tensor) and k not in INPUTS)
    if unknown:
        raise ExportError(f"the model takes inputs the exporter does not know: {', '.join(unknown)}")

    class Whole(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            embedding = self.model(dict(zip(names, tensors)))[OUTPUT]
            # Normalised inside the graph whether or not the model has a Normalize module.
            return torch.nn.functional.normalize(embedding, p=2.0, dim=1)

    axes = {n: {0: "batch", 1: "tokens"} for n in names}
    axes[OUTPUT] = {0: "batch"}
    with torch.no_grad():
        # The TorchScript exporter: the default dynamo one needs onnxscript, another dependency.
        torch.onnx.export(Whole().eval(), tuple(features[n] for n in names), str(out), input_names=names,
                          output_names=[OUTPUT], dynamic_axes=axes, opset_version=17, dynamo=False)
    dim = model.get_sentence_embedding_dimension()
    return {"max_seq_length": int(transformer.max_seq_length), "dim": int(dim),
            "do_lower_case": bool(getattr(transformer, "do_lower_case", False))}


def _quantize(fp32: Path, int8: Path, settings: dict[str, Any]) -> None:
    """Weights of QUANTIZED_OPS to int8 per channel; the tokenizer settings ride in the graph's metadata."""
    import onnx

    from .onnx_session import import_onnxruntime

    import_onnxruntime()  # with its telemetry off, before its quantiser imports it
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(fp32, int8, weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=list(QUANTIZED_OPS))
    graph = onnx.load(str(int8))
    entry = graph.metadata_props.add()
    entry.key, entry.value = SETTINGS_KEY, json.dumps(settings, sort_keys=True)
    onnx.save(graph, str(int8))


def _check_against(reference: ReferenceModel, graph: bytes) -> None:
    """Refuse an export whose tokens or vectors differ from sentence-transformers' on PROBES."""
    model = reference._load()
    try:
        run = session_runner(graph, reference.path)
    except ModelError as e:
        raise ExportError(str(e)) from e
    got = run(PROBES)
    want = reference.embed(PROBES)
    tokenizer = fast_tokenizer(reference.path, int(model[0].max_seq_length))
    for text in PROBES:
        ours = tokenizer.encode(text.lower() if getattr(model[0], "do_lower_case", False) else text).ids
        theirs = model.preprocess([text])["input_ids"][0].tolist()
        if ours != theirs:
            raise ExportError(f"tokenizer.json splits {text[:40]!r} unlike the model's own tokenizer")
    cosine = float((got * want).sum(axis=1).min()) if got.shape == want.shape else 0.0
    if cosine < MIN_PROBE_COSINE:
        raise ExportError(f"the exported graph's vectors differ from the model's (cosine {cosine:.3f})")
