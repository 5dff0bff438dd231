"""When a sentence refers back to the one before it: pronouns and demonstratives, not a definite description."""
from __future__ import annotations

import pytest

from verifier.links import refers_back


@pytest.mark.parametrize("sentence", ["He won the title in 2005.", "In 2005 she won the title.",
                                      "Its first album sold well.", "They signed it in Moscow.",
                                      "This agreement ended the war.", "It was signed on November 10.",
                                      "On June 15, the two countries signed a memorandum.",
                                      "The band released its first album in 1991."])
def test_pronouns_and_demonstratives_refer_back(sentence):
    assert refers_back(sentence)


@pytest.mark.parametrize("sentence", ["The drills began in Lachin.", "The Shusha Declaration followed.",
                                      "It should be noted that the drills are held for the first time.",
                                      "Turkey sent servicemen to the centre, and the ministry said they arrived."])
def test_a_new_subject_an_expletive_it_and_a_late_pronoun_do_not(sentence):
    assert not refers_back(sentence)
