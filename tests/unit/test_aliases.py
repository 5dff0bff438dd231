"""Other names a document defines in brackets."""
from __future__ import annotations

from verifier.aliases import aliases, other_names

TEXT = ("In April 2014 the Gas Exporting Countries Forum (GECF) came on board. We determined that A20 (TNFAIP3), "
        "a regulator of cell survival, is overexpressed. Patients with subacromial impingement syndrome (SIS) "
        "were treated. The drills (see below) ended. He was born in Paris (France). The exercise group (n=51) did well.")


def test_an_abbreviation_spelled_by_the_words_before_it_names_them_both_ways():
    assert other_names(TEXT, "GECF") == {"gas exporting countries forum"}
    assert other_names(TEXT, "Gas Exporting Countries Forum") == {"gecf"}
    assert other_names(TEXT, "SIS") == {"subacromial impingement syndrome"}


def test_two_codes_side_by_side_are_one_things_two_names():
    assert other_names(TEXT, "TNFAIP3") == {"a20"} and other_names(TEXT, "A20") == {"tnfaip3"}


def test_other_words_in_brackets_define_nothing():
    found = aliases(TEXT)
    assert not {"below", "france", "paris", "n=51", "see below"} & set(found)
    assert other_names(TEXT, "Shusha") == frozenset()
    # Lower-case words and digits are no code: "group (n1)" is a note, not another name.
    assert other_names("the exercise group (n1) did well", "n1") == frozenset()
