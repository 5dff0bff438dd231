"""Reasons in words: where a claim and a quote differ, and what a claim says that a quote does not."""
from __future__ import annotations

from verifier.explain import contradiction_reason, differences, unstated


def test_a_replaced_word_is_named_with_the_sources_word_first():
    assert differences("The drills ended in Lachin.", "The drills began in Lachin.") == [("began", "ended")]


def test_words_are_aligned_ignoring_case_and_shown_as_written():
    assert differences("the DRILLS began in shusha", "The drills began in Lachin") == [("Lachin", "shusha")]



def test_spellings_and_forms_of_one_word_are_no_difference():
    assert differences("The ministry apologized on behalf of the nation.",
                       "The ministry has apologised on behalf of the nation.") == []


def test_filler_only_changes_and_long_stretches_are_not_differences():
    assert differences("The drills began at Lachin.", "The drills began in Lachin.") == []
    long_claim = "Drills " + "one two three four five six seven" + " ended."
    long_quote = "Drills " + "alpha beta gamma delta epsilon zeta eta" + " ended."
    assert differences(long_claim, long_quote) == []


def test_a_stretch_of_filler_on_either_side_is_no_difference():
    assert differences("Never before had joint drills been held.", "The drills had been held.") == []


def test_at_most_the_asked_number_of_differences():
    claim, quote = "A red cat sat on a blue mat near a green door.", "A black cat sat on a white mat near a brown door."
    assert differences(claim, quote) == [("black", "red"), ("white", "blue")]
    assert len(differences(claim, quote, most=3)) == 3


def test_identical_and_empty_texts_have_no_differences():
    assert differences("", "") == [] and differences("Same words.", "Same words.") == []
    assert differences("", "Only the quote.") == [] and differences("Only the claim.", "") == []


def test_words_keep_their_inner_apostrophes_hyphens_and_accents():
    assert differences("Ankara's F-16 jets flew to G\u00f6ttingen.", "Ankara's F-35 jets flew to G\u00f6ttingen.") == [
        ("F-35", "F-16")]


def test_a_contradiction_of_amount_is_named_by_its_comparatives():
    reason = contradiction_reason("Turkey sent more servicemen than Russia.",
                                  "Turkey sent an equal number of servicemen as Russia.")
    assert reason == "the source says \u201can equal number\u201d, the claim says \u201cmore\u201d"
    assert contradiction_reason("Turkey sent more than 60 servicemen.", "Turkey sent fewer than 60 servicemen.") == (
        "the source says \u201cfewer than\u201d, the claim says \u201cmore than\u201d")


def test_the_same_comparative_on_both_sides_falls_back_to_the_words_that_differ():
    reason = contradiction_reason("More servicemen came from Baku.", "More servicemen came from Ankara.")
    assert reason == "the source says \u201cAnkara\u201d, the claim says \u201cBaku\u201d"


def test_several_differences_are_joined_and_none_gives_a_plain_sentence():
    assert contradiction_reason("The drills ended in Shusha.", "The drills began in Lachin.") == (
        "the source says \u201cbegan\u201d, the claim says \u201cended\u201d; "
        "the source says \u201cLachin\u201d, the claim says \u201cShusha\u201d")
    assert contradiction_reason("The drills began.", "The drills began.") == "the model reads the quote as contradicting the claim"


def test_unstated_gives_the_claims_content_words_the_quote_lacks_in_order():
    assert unstated("NATO observers monitored the joint drills in Lachin.", "The joint drills began in Lachin.") == [
        "NATO", "observers", "monitored"]
    assert unstated("NATO observers monitored it", "", most=1) == ["NATO"]
    assert unstated("It is on at an A.", "") == []  # filler and words of two letters or fewer
    assert unstated("The DRILLS began.", "the drills began") == []


def test_unstated_names_each_word_once():
    assert unstated("NATO observers and NATO jets, Observers", "") == ["NATO", "observers", "jets"]


def test_a_stretch_far_from_any_shared_word_of_substance_is_no_difference():
    # Sentences about different things: the alignment would pair "When" with "Surah Ya Sin".
    claim = "Surah Ya Sin is inscribed across the tile work and was commissioned by Suleiman."
    quote = "When the Crusaders took over Jerusalem, the Dome of the Rock mosque was renamed Templum Domini."
    assert differences(claim, quote) == []
    assert contradiction_reason(claim, quote) == "the model reads the quote as contradicting the claim"
    # A shared word of substance a few words away anchors the difference.
    assert differences("In 1992 the drills ended in Shusha.", "In 1992 the drills began in Lachin.") == [
        ("began", "ended"), ("Lachin", "Shusha")]


def test_a_stretch_of_words_the_other_text_has_elsewhere_is_no_difference():
    # The alignment pairs "It should be noted" with "This is not the first time"; "first time" is later in the quote.
    claim = "This is not the first time that joint drills are held on liberated lands."
    quote = "It should be noted that the joint drills are held on liberated lands for the first time."
    assert all("first" not in c for _, c in differences(claim, quote))
    # One word found elsewhere is a swap of roles, and is named.
    assert differences("Turkey sent more troops than Russia.", "Russia sent more troops than Turkey.") == [
        ("Russia", "Turkey"), ("Turkey", "Russia")]


def test_a_negation_or_direction_found_by_the_fact_check_comes_after_comparatives_only():
    negated = "the claim says 'not', the quote has no negation to match it"
    assert contradiction_reason("This is not the first time.", "It is the first time.", [negated]) == negated
    assert contradiction_reason("Turkey does not have fewer troops.", "Turkey has an equal number of troops.",
                                [negated]) == "the source says \u201can equal number\u201d, the claim says \u201cfewer\u201d"


def test_a_quote_with_few_of_the_claims_words_in_order_gets_no_word_differences():
    # Two different statements sharing "immune" and "increased": the alignment would pair "adaptive"
    # with "microbial products suppresses".
    claim = "Increased flux of microbial products suppresses immune responses."
    quote = "To investigate the contribution of adaptive immune compensation in response to increased permeability."
    assert differences(claim, quote) == []


def test_a_value_on_one_side_only_is_no_word_difference():
    claim = ("Winslet teamed with Lancôme and the National Literacy Trust in 2018 to launch a programme that aims "
             "to educate underprivileged women in the UK.")
    quote = ("Lancôme and The National Literacy Trust have partnered to launch a global programme to help "
             "disadvantaged young women in the UK develop their literacy skills.")
    assert differences(claim, quote) == [("help disadvantaged young", "educate underprivileged")]
