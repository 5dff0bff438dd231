from __future__ import annotations

import pytest

from verifier.metrics import NEI, REFUTED, SUPPORTED, figures


def test_figures_match_hand_computation():
    gold = [SUPPORTED, SUPPORTED, SUPPORTED, REFUTED, REFUTED, NEI, NEI, NEI]
    pred = [SUPPORTED, SUPPORTED, NEI, SUPPORTED, REFUTED, NEI, REFUTED, NEI]
    cited = [True, False, None, None, None, None, None, None]
    f = figures(gold, pred, cited)
    assert f.support_precision == pytest.approx(2 / 3)
    assert f.support_recall == pytest.approx(2 / 3)
    assert f.support_f1 == pytest.approx(2 / 3)
    assert f.reject_rate == pytest.approx(4 / 5)  # one of five negatives called supported
    assert f.refuted_caught == pytest.approx(1 / 2)
    # F1 per label: SUPPORTED 2/3, REFUTED (P 1/2, R 1/2) 1/2, NEI (P 2/3, R 2/3) 2/3
    assert f.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 2 / 3) / 3)
    assert f.citation_hit == pytest.approx(1 / 2)
    assert f.confusion[REFUTED][SUPPORTED] == 1 and f.confusion[NEI][REFUTED] == 1


def test_labels_absent_from_gold_do_not_count_in_macro_f1():
    f = figures([SUPPORTED, NEI], [SUPPORTED, NEI])
    assert f.macro_f1 == 1.0 and f.refuted_caught is None and f.citation_hit is None


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError):
        figures([SUPPORTED], [])
