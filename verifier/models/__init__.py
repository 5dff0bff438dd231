"""The models behind small interfaces: the sentence embedder, its ONNX export, the entailment model."""
