"""Open an onnxruntime session the way every model here needs it: CPU, quiet, and no telemetry."""
from __future__ import annotations

import os
from typing import Any


def import_onnxruntime() -> Any:
    """The onnxruntime module, imported with its telemetry off.

    On import, onnxruntime's telemetry writes a device id and an event store under
    ``$XDG_CACHE_HOME/Microsoft/DeveloperTools/`` and a session file in the temporary folder, even
    with ``--no-cache``; ``ORT_DISABLE_TELEMETRY`` set before the import stops that.
    """
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    import onnxruntime as ort

    return ort


def new_session(graph: bytes | str, threads: int | None = None) -> Any:
    """An InferenceSession on the CPU for a graph given as bytes or a path.

    Telemetry is switched off first: where onnxruntime reports usage events (its Windows builds),
    that is a network call this tool never makes.
    """
    ort = import_onnxruntime()
    try:
        ort.disable_telemetry_events()
    except AttributeError:  # builds without telemetry have no switch
        pass
    so = ort.SessionOptions()
    so.log_severity_level = 3  # onnxruntime's notes about initialisers are not the user's business
    if threads is not None:
        so.intra_op_num_threads = threads
    return ort.InferenceSession(graph, sess_options=so, providers=["CPUExecutionProvider"])


def default_threads() -> int:
    return min(4, os.cpu_count() or 1)
