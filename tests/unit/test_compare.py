"""A claim's facts against a quote's: conflicts, missing facts, coverage, names in lists and roles."""
from __future__ import annotations

from verifier.compare import compare, same_name
from verifier.facts import analyze


def cmp(claim: str, quote: str):
    return compare(analyze(claim), analyze(quote))


def test_dates_are_parsed_and_compared():
    f = analyze("On June 15, 2021, they met; the report is dated 2021-09-07.")
    assert {(d.year, d.month, d.day) for d in f.dates} == {(2021, 6, 15), (2021, 9, 7)}
    c = cmp("The memorandum was signed on June 16.", "On June 15, the two countries signed a memorandum.")
    assert c.conflicts == ["the source says June 15; the claim says June 16"]
    assert cmp("It was signed in June.", "On June 15 it was signed.").conflicts == []


def test_numbers_with_units_conflict_and_years_conflict():
    c = cmp("It was a 45-day war.", "It was the 44-day war.")
    assert c.conflicts == ["the source says 44-day; the claim says 45-day"]
    c = cmp("Cooperation began in 1995.", "Cooperation first emerged in 1992.")
    assert c.conflicts == ["the source says 1992; the claim says 1995"]


def test_missing_number_is_missing_not_conflict():
    c = cmp("About 3,000 servicemen take part.", "An equal number of servicemen take part.")
    assert c.conflicts == [] and c.missing == ["the number 3,000 servicemen"]


def test_number_words_match_digits():
    assert cmp("The two countries agreed.", "The 2 countries agreed.").missing == []


def test_negation_flip_is_a_conflict():
    c = cmp("This is not the first time drills are held.", "Drills are held for the first time.")
    assert c.polarity_flipped and c.conflicts
    assert not cmp("Drills are held for the first time.", "The drills are held for the first time.").conflicts
    # "n't" is named with its verb, as the source writes it.
    assert cmp("The drills were held.", "The drills weren't held.").conflicts == [
        "the source says 'weren't', the claim has no negation to match it"]


def test_ordinals_conflict():
    c = cmp("It was the second official visit.", "It was the first official visit.")
    assert c.conflicts == ["the source says first; the claim says second"]

    # "his first five seasons" is a stretch of a count, no place in an order against "the second time".
    span = cmp("He won it three times in his first five seasons.", "He won it for the second time in 2019.")
    assert span.conflict_kinds == []

    # An ordinal rivals another only when they put the same thing in order.
    other = cmp("The series was renewed for a fifth season.",
                "It was renewed ahead of the premiere of the second half of its fourth season.")
    assert other.conflicts == ["the source says fourth; the claim says fifth"]
    apart = cmp("The series was renewed for a fifth season.", "It was renewed ahead of the second half.")
    assert apart.conflict_kinds == [] and apart.missing == ["'fifth'"]
    assert cmp("She finished second.", "She finished third in the final.").conflict_kinds == ["ordinal"]
    # The claim's own "fourth season" is no rival of its "fifth"; another thing's fourth still is.
    both = cmp("The series was renewed for a fifth season, just before the fourth season aired.",
               "It was renewed ahead of the premiere of the second half of its fourth season.")
    assert both.conflict_kinds == [] and both.missing == ["'fifth'"]
    assert cmp("She had her third son and her fifth daughter in Rome.",
               "She had her third daughter in Rome.").conflict_kinds == ["ordinal"]


def test_direction_words_conflict():
    c = cmp("The drug increases blood pressure.", "The drug decreases blood pressure.")
    assert any("decreases" in x for x in c.conflicts)


def test_names_match_across_demonyms_and_conflict_in_lists():
    assert same_name("turkey", "turkish") and same_name("armenia", "armenian")
    assert not same_name("austria", "australia")
    c = cmp("The agreement was signed by Azerbaijan, Turkey and Armenia.",
            "The agreement was signed by Azerbaijan, Russia and Armenia.")
    assert c.conflicts == ["the source says Azerbaijan, Russia and Armenia; the claim says Turkey"]
    named = cmp("The agreement was signed by Azerbaijan, Russia and Turkey.",
                "Along with Russia, Turkey sent servicemen under an agreement signed by Azerbaijan, Russia and Armenia.")
    assert named.conflicts == ["the source says Azerbaijan, Russia and Armenia; the claim says Turkey"]

    # An article marks no role: these are lists of different things.
    unmarked = cmp("The Turkish and Russian contingents are the same size.",
                   "The Azerbaijani and Turkish governments signed it, along with Russia.")
    assert "name" not in unmarked.conflict_kinds


def test_place_in_the_same_role_conflicts():
    c = cmp("The drills kicked off in Shusha.", "The drills have kicked off in Lachin region.")
    assert c.conflicts == ["the source names Lachin, not Shusha"]



def test_an_owners_name_is_in_no_role_of_its_own():
    # "of Joseph Spiegel's mother": "of" marks the mother's role, so Spiegel is no rival of "of Spike Jonze".
    c = cmp("Arthur Spiegel was the great-grandfather of Spike Jonze.",
            "Henry Greenebaum was a relative of Joseph Spiegel's mother.")
    assert "name" not in c.conflict_kinds


def test_british_and_american_spellings_are_one_word():
    c = cmp("The ministry apologized to the visitors.", "The ministry has apologised to the visitors.")
    assert c.missing_words == [] and c.coverage == 1.0


def test_coverage_counts_missing_content_words():
    c = cmp("Armenia protested against the joint drills.", "Armenia watched the joint drills.")
    assert c.missing_words == ["protested"]
    assert 0 < c.coverage < 1


def test_negative_adjectives_and_speed_words_conflict():
    assert cmp("CBT is an ineffective treatment for insomnia.", "CBT is an effective treatment for insomnia.").conflicts
    assert cmp("Loss of cells slows the transition.", "Loss of cells accelerates the transition.").conflicts


def test_a_count_matches_when_its_noun_means_the_same():
    claim, quote = analyze("Two countries signed it."), analyze("Two nations signed it.")
    assert "the number Two countries" in compare(claim, quote).missing
    # What the word model judged alike (verifier/wordsim.py) counts for the counted noun too.
    alike = compare(claim, quote, {"countries": {"nations"}})
    assert not alike.missing and not alike.conflicts
    assert compare(analyze("Three countries signed it."), quote, {"countries": {"nations"}}).missing


def test_the_two_countries_is_a_reference_not_a_count():
    assert not analyze("The armies of the two countries act jointly.").quantities
    assert analyze("Two countries signed 3 deals.").quantities[0].text == "Two countries"


def test_a_shorter_form_of_the_claims_own_name_is_no_rival():
    out = cmp("The brewery was leased to Edwin Tooth.", "The brewery was leased to Edwin.")
    assert not any("not Edwin Tooth" in c for c in out.conflicts)


def test_an_abbreviation_in_brackets_is_its_long_forms_other_name():
    # Written in brackets after its long form, it is no fact of its own: the long form's words are checked.
    c = cmp("Increased diastolic blood pressure (DBP) is associated with aortic aneurysm.",
            "Increased diastolic blood pressure is associated with aortic aneurysm.")
    assert c.missing == [] and c.coverage == 1.0
    # The long form is stated where the quote gives its abbreviation.
    claim = "Female carriers of the Apolipoprotein E4 (APOE4) allele have increased risk for dementia."
    assert cmp(claim, "Women carrying APOE4 have increased risk for dementia.").missing == []
    assert cmp(claim, "Women carrying the E2 allele have increased risk for dementia.").missing == ["the Apolipoprotein E4"]



def test_a_code_of_letters_and_digits_is_a_name_the_quote_must_state():
    # "GATA3" is what the claim is about; a quote about replacing the genes with something else lacks it.
    c = cmp("Replacement of OCT4 and SOX2 with GATA3 can reprogram human cells.",
            "It is possible to replace OCT4 and SOX2 with other lineage specifiers to reprogram human cells.")
    assert c.missing == ["GATA3"]
    assert cmp("Turkish F-16 jets took part.", "Turkish F16 jets took part.").missing == []  # one code, two writings
    assert cmp("In her mid-20s she began writing.", "In her mid-20s she began writing.").missing == []


def test_an_amount_said_to_differ_conflicts_with_one_said_to_be_equal():
    quote = "Along with Russia, Turkey is represented with an equal number of servicemen in the joint centre."
    got = cmp("Turkey has more servicemen than Russia in the joint centre.", quote)
    assert got.conflict_kinds == ["comparison"]
    assert got.conflicts == ["the source says 'an equal number'; the claim says 'more servicemen than'"]
    assert cmp("Turkey sent twice as many servicemen as Russia.", quote).conflict_kinds == ["comparison"]
    # The other way round too, and "as many ... as" is no inequality.
    assert cmp("Turkey and Russia have the same number of servicemen.",
               "Turkey has more servicemen than Russia.").conflict_kinds == ["comparison"]
    assert "comparison" not in cmp("Turkey has as many servicemen as Russia.", quote).conflict_kinds
    # "more than 100" bounds a number: it compares nothing.
    assert "comparison" not in cmp("Turkey sent more than 100 servicemen.", quote).conflict_kinds
    # A negated comparison is true of an equal number: no conflict.
    assert "comparison" not in cmp("Turkey does not have fewer servicemen than Russia.", quote).conflict_kinds
