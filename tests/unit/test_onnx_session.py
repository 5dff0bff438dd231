"""Every onnxruntime session: on the CPU, quiet, with telemetry off, from a graph's bytes or its path."""
from __future__ import annotations

import numpy as np
import pytest

from verifier.models import onnx_session
from verifier.models.entail import shipped_folder
from verifier.models.onnx_session import default_threads, new_session


def add_one_graph() -> bytes:
    """A graph of one Add node: y = x + 1, for a float vector x of any length."""
    from onnx import TensorProto, helper, numpy_helper

    one = numpy_helper.from_array(np.ones(1, np.float32), "one")
    node = helper.make_node("Add", ["x", "one"], ["y"])
    graph = helper.make_graph([node], "add_one", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n"])], [one])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model.SerializeToString()


def test_every_onnx_session_switches_telemetry_off_first(monkeypatch):
    import onnxruntime

    from verifier.models.onnx_session import new_session

    calls = []
    monkeypatch.setattr(onnxruntime, "disable_telemetry_events", lambda: calls.append("off"))
    new_session(str(shipped_folder() / "model.onnx"))
    assert calls == ["off"]



def test_a_graph_given_as_bytes_or_as_a_path_runs_on_the_cpu(tmp_path):
    graph = add_one_graph()
    (tmp_path / "g.onnx").write_bytes(graph)
    for source in (graph, str(tmp_path / "g.onnx")):
        session = new_session(source)
        assert session.get_providers() == ["CPUExecutionProvider"]
        (y,) = session.run(None, {"x": np.array([0.5, -2.0], np.float32)})
        np.testing.assert_array_equal(y, [1.5, -1.0])


def test_the_threads_asked_for_are_used_and_the_notes_are_quiet():
    options = new_session(add_one_graph(), threads=2).get_session_options()
    assert options.intra_op_num_threads == 2 and options.log_severity_level == 3


def test_a_build_without_a_telemetry_switch_still_opens_sessions(monkeypatch):
    import onnxruntime

    monkeypatch.delattr(onnxruntime, "disable_telemetry_events", raising=False)
    (y,) = new_session(add_one_graph()).run(None, {"x": np.zeros(1, np.float32)})
    assert y.tolist() == [1.0]


@pytest.mark.parametrize("cpus,threads", [(None, 1), (1, 1), (3, 3), (4, 4), (64, 4)])
def test_the_default_threads_are_the_cpus_up_to_four(monkeypatch, cpus, threads):
    monkeypatch.setattr(onnx_session.os, "cpu_count", lambda: cpus)
    assert default_threads() == threads
