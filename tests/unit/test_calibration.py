"""The table `verifier calibrate` prints: the figures and every threshold, before and after, in fixed columns."""
from __future__ import annotations

import io
from dataclasses import fields, replace

from verifier.calibrate import Calibration
from verifier.metrics import NEI, REFUTED, SUPPORTED, figures
from verifier.report.calibration import write
from verifier.thresholds import Thresholds


def table(result: Calibration, claims: int) -> list[str]:
    buf = io.StringIO()
    write(result, claims, buf)
    assert buf.getvalue().endswith("\n")
    return buf.getvalue().splitlines()


BEFORE = figures([SUPPORTED, SUPPORTED, NEI, REFUTED], [SUPPORTED, NEI, NEI, SUPPORTED])
AFTER = figures([SUPPORTED, SUPPORTED, NEI, REFUTED], [SUPPORTED, SUPPORTED, NEI, REFUTED])
OLD = Thresholds(support_cosine=0.4, nli_contradict=0.85)
RESULT = Calibration(before=OLD, after=replace(OLD, support_cosine=0.35, nli_contradict=0.8125),
                     figures_before=BEFORE, figures_after=AFTER, passed_before=2, passed_after=4)


def test_one_row_for_each_figure_and_each_threshold_in_fixed_columns():
    lines = table(RESULT, 4)
    assert lines[0] == " " * 22 + "    before     after"
    assert lines[1] == "claims passing" + " " * 8 + "       2/4       4/4"
    assert [ln[:22].rstrip() for ln in lines[2:6]] == ["support precision", "support recall", "reject rate",
                                                       "refuted caught"]
    assert [ln[:22].rstrip() for ln in lines[6:]] == [f.name.replace("_", " ") for f in fields(Thresholds)]
    assert all(len(ln) == 42 for ln in lines)


def test_figures_have_three_decimals_and_thresholds_three_significant_digits():
    rows = {ln[:22].rstrip(): ln[22:].split() for ln in table(RESULT, 4)}
    assert rows["support recall"] == ["0.500", "1.000"]
    assert rows["refuted caught"] == ["0.000", "1.000"]
    assert rows["support cosine"] == ["0.4", "0.35"]
    assert rows["nli contradict"] == ["0.85", "0.812"]


def test_a_figure_that_does_not_apply_is_a_dash():
    no_refuted = figures([SUPPORTED, NEI], [SUPPORTED, NEI])
    assert no_refuted.refuted_caught is None
    result = replace(RESULT, figures_before=no_refuted, figures_after=no_refuted, passed_before=1, passed_after=2)
    rows = {ln[:22].rstrip(): ln[22:].split() for ln in table(result, 2)}
    assert rows["refuted caught"] == ["-", "-"]
    assert rows["claims passing"] == ["1/2", "2/2"]
