"""Facts read from a text: dates, numbers, negation, names, content words."""
from __future__ import annotations

from verifier.facts import analyze


def test_lowercase_may_and_march_are_not_dates():
    assert analyze("Troops may march on the city.").dates == ()


def test_numero_is_not_negation():
    assert analyze("The album debuted at No. 18 on the chart.").negations == ()
    assert analyze("There is no evidence.").negations == ("no",)


def test_longest_date_wins_where_patterns_overlap():
    f = analyze("On 15 January 2019, Martin O'Neill was appointed.")
    assert [(d.year, d.month, d.day) for d in f.dates] == [(2019, 1, 15)]
    assert f.quantities == ()


def test_a_hard_line_break_inside_a_list_of_names_keeps_the_list_whole():
    # A PDF's wrapped line: "signed by Azerbaijan, Russia and\nArmenia" is still one list of three.
    (run,) = analyze("a peace agreement signed by Azerbaijan, Russia and\nArmenia on November 10, 2020").lists
    assert [e.text for e in run] == ["Azerbaijan", "Russia", "Armenia"]


def test_one_of_several_is_a_member_picked_out_not_a_count():
    assert 1.0 not in [q.value for q in analyze("She played one of the three leads in the drama.").quantities]
    assert [q.value for q in analyze("She played one lead and two cameos.").quantities] == [1.0, 2.0]
