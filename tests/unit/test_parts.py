"""A claim split into the parts that must each be stated, on spaCy's real parse."""
from __future__ import annotations

import pytest

from verifier.parts import split

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def texts(claim):
    return [p.text for p in split(claim)]


def kinds(claim):
    return {p.kind: p.added for p in split(claim)}


def test_a_short_statement_stays_one_part():
    assert texts("Turkish F-16 fighter jets are taking part in the drills.") == \
        ["Turkish F-16 fighter jets are taking part in the drills."]
    assert texts("Armenia liberated Lachin from Azerbaijan's occupation.") == \
        ["Armenia liberated Lachin from Azerbaijan's occupation."]


def test_each_modifier_is_a_part_beside_the_main_statement():
    parts = split("Erdogan visited the troops during the drills.")
    assert [(p.kind, p.text) for p in parts] == [
        ("main", "Erdogan visited the troops."),
        ("time", "Erdogan visited the troops during the drills."),
    ]
    assert parts[1].added == "during the drills"


def test_a_date_and_an_ordinal_are_parts_of_their_own():
    got = kinds("Military cooperation between Azerbaijan and Turkey first emerged in 1992.")
    assert got["time"] == "in 1992" and got["ordinal"] == "first"
    assert "Military cooperation between Azerbaijan and Turkey emerged." in \
        texts("Military cooperation between Azerbaijan and Turkey first emerged in 1992.")


def test_coordinated_subjects_are_one_part_each():
    got = texts("Azerbaijan and Turkey are holding joint military drills on liberated lands for the first time.")
    assert "Azerbaijan are holding joint military drills." in got
    assert "Turkey are holding joint military drills." in got
    assert "Azerbaijan and Turkey are holding joint military drills on liberated lands." in got
    assert "Azerbaijan and Turkey are holding joint military drills for the first time." in got


def test_a_list_after_a_preposition_is_one_part_per_member():
    got = texts("The peace agreement was signed by Azerbaijan, Russia and Turkey.")
    assert got[1:] == ["The peace agreement was signed by Azerbaijan.", "The peace agreement was signed by Russia.",
                       "The peace agreement was signed by Turkey."]
    assert {p.kind for p in split("The peace agreement was signed by Azerbaijan, Russia and Turkey.")[1:]} == {"participant"}


def test_coordinated_clauses_share_the_subject():
    assert texts("The drills began in Lachin and will last five days.") == \
        ["The drills began in Lachin.", "The drills will last five days."]


def test_a_relative_clause_becomes_a_statement_about_its_noun():
    parts = split("The drills, which began in Lachin, will last five days.")
    assert ("relative", "The drills began in Lachin.") in [(p.kind, p.text) for p in parts]
    assert parts[0].text == "The drills will last."  # the commas around the clause go with it


def test_every_part_is_made_of_the_claims_own_words():
    for claim in ["Azerbaijan and Turkey are holding joint military drills on liberated lands for the first time.",
                  "The peace agreement was signed by Azerbaijan, Russia and Turkey.",
                  "A wheel installer must verify the hashes of every file before installing it, using the RECORD file.",
                  "The drills, which began in Lachin, will last five days."]:
        words = {w.strip(".,").lower() for w in claim.split()}
        for p in split(claim):
            assert {w.strip(".,").lower() for w in p.text.split()} <= words | {""}, (claim, p.text)
            assert p.added.lower() in claim.lower(), (claim, p.added)


def test_the_split_is_deterministic():
    claim = "The drills began in Lachin on September 6 and will last five days."
    assert split(claim) == split(claim)


def test_a_phrasal_verb_keeps_its_particle():
    # "dates" alone says nothing: "back" belongs to the verb, and the claim stays one statement.
    assert all("dates back" in t for t in texts("Military cooperation between the two countries dates back to 1992."))


def test_a_relative_clause_opened_by_a_preposition_puts_it_after_the_verb():
    parts = texts("A military cooperation accord is the basis on which the exercises are conducted.")
    assert "The exercises are conducted on the basis." in parts


def test_clauses_split_in_reading_order_whatever_the_parse_hangs_on_the_first_verb():
    # The parse hangs "brothers Robert and Edwin Tooth" on "declared"; it is written in the lease.
    assert texts("During this time John Tooth was declared bankrupt and the Kent Brewery was leased to his "
                 "nephews, brothers Robert and Edwin Tooth.") == [
        "During this time John Tooth was declared bankrupt.",
        "The Kent Brewery was leased to his nephews, brothers Robert and Edwin Tooth."]


def test_a_list_of_a_name_and_a_common_noun_is_no_list():
    got = texts("On 15 January 2019, Martin O'Neill was appointed as the new manager and Ireland "
                "therefore continued as a member of the staff.")
    assert "Martin O'Neill was appointed as Ireland." not in got
    # A clause the parse hangs on the verb as a modifier is left to the claim read whole.
    assert not any("appointed therefore continued" in t for t in got)


def test_a_title_in_quotation_marks_is_one_name():
    got = texts('"The Simpsons and Philosophy: The D\'oh! of Homer", which is not an official publication, '
                "includes a chapter on Bart.")
    assert '"The Simpsons and Philosophy: The D\'oh! of Homer" is not an official publication.' in got
    assert not any(t.startswith("Philosophy") for t in got)


def test_a_which_clause_is_never_given_to_a_person():
    got = texts('In 2009, Angelou wrote "We Had Him", a poem about Michael Jackson, which was read by '
                "Queen Latifah at his funeral.")
    assert not any(t.startswith("Michael Jackson was read") for t in got)
    # A thing named inside a phrase keeps its clause.
    assert "The region was liberated last year." in texts("The drills began in the region that was liberated last year.")


def test_a_relative_clauses_noun_keeps_its_prepositional_phrase_whole():
    got = texts("It is the site of the first futures contracts at the Chicago Board of Trade, which today is the "
                "largest derivatives market.")
    relative = [t for t in got if "largest" in t]
    assert relative and all("at the Chicago Board of Trade" in t for t in relative)  # never "contracts at today"


def test_a_list_whose_and_the_parser_attached_inside_the_first_member_is_not_split():
    # "Replacement of OCT4 and SOX2 genes": the parser joins "genes" to "Replacement" but hangs the
    # "and" on "OCT4"; splitting would give "Replacement of OCT4 and is not capable ...".
    parts = split("Replacement of OCT4 and SOX2 genes with GATA3 is not capable of reprogramming human cells.")
    assert [p.kind for p in parts] == ["main"]


def test_a_verb_keeps_the_preposition_it_needs():
    # "consisted of", "depends on": the verb says nothing without it, so the main statement keeps it.
    assert split("The exercise consisted of tactical drills in Lachin.")[0].text == (
        "The exercise consisted of tactical drills.")
    assert split("Success depends on the weather in spring.")[0].text == "Success depends on the weather."


def test_a_word_that_begins_with_a_mark_keeps_its_space():
    # ".dist-info", ".5": the mark is the word's own, not punctuation that a join of tokens left apart.
    assert texts("Eggs use .dist-info directories, whereas wheels use .egg-info.") == [
        "Eggs use .dist-info directories.", "Eggs use .dist-info directories, whereas wheels use .egg-info."]
    assert texts("The fund grew by .5 percent in 2019, and its assets reached $3 billion.")[0] == \
        "The fund grew by .5 percent in 2019."


def test_a_relative_clauses_object_goes_back_after_its_verb():
    # "which Alyssa Coghlan had written": the pronoun is the verb's object, so the noun follows the verb.
    assert texts("Daniel Holth accepted the PEP, which Alyssa Coghlan had written.") == [
        "Daniel Holth accepted the PEP.", "Alyssa Coghlan had written the PEP."]
    assert texts("The minister praised the plan, which parliament turned down in May.")[-1] == \
        "Parliament turned down the plan in May."
    assert texts("The collection that Petiver amassed was the largest natural history collection in his time.")[-1] == \
        "Petiver amassed the collection."


def test_a_finite_verb_the_parse_left_unlabelled_keeps_the_claim_whole():
    # The small parser makes "installed" the statement and "needs" a loose dependent; parts would drop "on".
    claim = "With wheels, the machine a package is installed on no longer needs to have a build system."
    assert texts(claim) == [claim]


def test_be_keeps_the_preposition_that_is_all_it_says():
    # "The Lachin region was." says nothing: with no other complement, "be" keeps its first preposition.
    assert texts("Before its liberation, the Lachin region was under Georgian occupation.") == [
        "The Lachin region was under Georgian occupation.",
        "Before its liberation, the Lachin region was under Georgian occupation."]


def test_a_verb_that_commits_or_places_keeps_its_preposition():
    assert split("Under the declaration, the two countries commit to working together.")[0].text == (
        "The two countries commit to working together.")
    assert texts("Particular emphasis has been placed on training soldiers.") == [
        "Particular emphasis has been placed on training soldiers."]


def test_a_possessive_keeps_to_its_noun_in_a_relative_clause():
    assert texts("It is on display at Clear Lake High School, which was attended by Onizuka's children.")[-1] == \
        "Clear Lake High School was attended by Onizuka's children."


def test_a_relative_clause_made_a_statement_keeps_the_claims_spelling():
    assert texts("The firm, which raised $3 million for a well-known museum, grew.")[-1] == \
        "The firm raised $3 million for a well-known museum."
    assert texts("The trilateral peace agreement that ended the war in Nagorno-Karabakh was signed.")[-1] == \
        "The trilateral peace agreement ended the war in Nagorno-Karabakh."
    # A fronted noun phrase moved after the verb is no longer the sentence's start.
    assert texts("The basis on which the exercises are conducted was agreed in May.")[-1] == \
        "The exercises are conducted on the basis."


def test_a_bracket_whose_partner_was_left_out_goes_too():
    assert texts("She joined the firm, which employs 5,000 people (mostly engineers).")[0] == "She joined the firm."
    assert "The drill (a joint one) began." in texts("The drill (a joint one) began in Lachin on Monday.")


def test_alternatives_are_no_list_of_things_each_stated():
    # "Turkey or Russia sent troops" states neither "Turkey sent troops" nor "Russia sent troops".
    assert texts("Turkey or Russia sent troops.") == ["Turkey or Russia sent troops."]
    assert "The drills were held by Turkey or Azerbaijan." in texts("The drills were held by Turkey or Azerbaijan in Lachin.")
    assert texts("Neither Turkey nor Russia sent troops.") == ["Neither Turkey nor Russia sent troops."]
    assert texts("The drills began in Lachin or they ended in Shusha.") == \
        ["The drills began in Lachin or they ended in Shusha."]
    # A list joined by "and" is still split.
    assert "Russia sent troops." in texts("Turkey and Russia sent troops.")
