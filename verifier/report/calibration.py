"""The table `verifier calibrate` prints: the figures and every threshold, before and after."""
from __future__ import annotations

from dataclasses import fields
from typing import TextIO

from ..calibrate import Calibration
from ..thresholds import Thresholds

_FIGURES = (("support precision", "support_precision"), ("support recall", "support_recall"),
            ("reject rate", "reject_rate"), ("refuted caught", "refuted_caught"))


def write(result: Calibration, claims: int, stream: TextIO) -> None:
    """Fitted on every claim (before: today's thresholds), then, where there are enough, on held-out folds."""
    rows = [("claims passing", f"{result.passed_before}/{claims}", f"{result.passed_after}/{claims}")]
    for label, attr in _FIGURES:
        b, a = getattr(result.figures_before, attr), getattr(result.figures_after, attr)
        rows.append((label, "-" if b is None else f"{b:.3f}", "-" if a is None else f"{a:.3f}"))
    if result.held is not None:
        h = result.held
        rows.append((f"held out ({h.folds} folds)", "", ""))
        rows.append(("  claims passing", f"{h.passed_before}/{claims}", f"{h.passed_after}/{claims}"))
        for label, attr in _FIGURES:
            b, a = getattr(h.figures_before, attr), getattr(h.figures_after, attr)
            rows.append(("  " + label, "-" if b is None else f"{b:.3f}", "-" if a is None else f"{a:.3f}"))
    for f in fields(Thresholds):
        rows.append((f.name.replace("_", " "), f"{getattr(result.before, f.name):.3g}",
                     f"{getattr(result.after, f.name):.3g}"))
    stream.write(f"{'':22}{'before':>10}{'after':>10}\n")
    for label, b, a in rows:
        stream.write(f"{label:22}{b:>10}{a:>10}\n")
