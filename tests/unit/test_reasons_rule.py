"""The reason rule itself (tests/reasons.py): it passes reasons that name words where they are, and catches those that do not."""
from __future__ import annotations

from ..reasons import reason_problems


def result(claim, reason, quote, verdict="contradicted"):
    return {"claim": claim, "reason": reason, "verdict": verdict, "evidence": [{"quote": quote}]}


QUOTE = "The peace agreement was signed by Azerbaijan, Russia and Armenia on November 10, 2020."


def test_true_reasons_pass():
    claim = "The peace agreement was signed by Azerbaijan, Russia and Turkey on 10 November 2020."
    assert reason_problems(result(claim, "the source says Azerbaijan, Russia and Armenia; the claim says Turkey",
                                  QUOTE)) == []
    assert reason_problems(result("The accord was signed in Baku.", "the source says \u201cpeace agreement\u201d, "
                                  "the claim says \u201caccord\u201d", QUOTE)) == []
    assert reason_problems(result("The agreement was signed by Turkey with F-16 jets.",
                                  "the closest quote is about the claim but the model does not read it as stating all of it "
                                  "(nothing for \u2018F-16\u2019, \u2018jets\u2019)", QUOTE, "unsupported")) == []
    assert reason_problems(result("Turkey signed it in 1992.", "the closest quote does not state the date 1992; Turkey",
                                  QUOTE, "unsupported")) == []


def test_the_reasons_seen_wrong_are_caught():
    # Words given as the source's that the quote does not have.
    assert reason_problems(result("Joint drills were held.", "the source says \u201cThe\u201d, the claim says "
                                  "\u201cjoint\u201d", "Joint drills were held.")) == [
        "says the source has 'The', the quote does not"]
    # A name the quote has, said to be missing from it.
    assert reason_problems(result("The agreement was signed by Russia.", "the source names Azerbaijan, not Russia",
                                  QUOTE)) == ["says the quote lacks 'Russia', the quote has it"]
    # A word said to be the claim's that the claim does not have.
    assert reason_problems(result("The drills began.", "nothing in the sources states \u201cThe drills ended\u201d: x",
                                  QUOTE, "unsupported")) == ["says the claim has 'The drills ended', the claim does not"]
    # A word said to be missing from the quote that the quote has.
    assert reason_problems(result("The agreement was signed by Russia.", "the closest quote is about the claim but "
                                  "the model does not read it as stating all of it (nothing for \u2018Russia\u2019)", QUOTE, "unsupported"))
