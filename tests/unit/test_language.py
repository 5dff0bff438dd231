"""Text that is not English is named in a warning; English, and text too short to tell, is not."""
from __future__ import annotations

from verifier.language import identify, languages, warning


def test_other_languages_are_named_and_english_is_not():
    assert identify("Die gemeinsamen Übungen der beiden Armeen begannen am 6. September in Latschin.") == "de"
    assert identify("Les exercices militaires conjoints ont commencé à Latchine le 6 septembre.") == "fr"
    for english in ("The joint drills began in Lachin on September 6.",
                    "Turkish F-16 fighter jets are taking part in the drills in Lachin.",
                    "Military cooperation between Azerbaijan and Turkey first emerged in 1992."):
        assert identify(english) == "", english
    assert identify("Azerbaijan and Turkey") == ""  # names only: no evidence of any language


def test_identified_languages_are_kept_in_the_store(tmp_path):
    texts = ["Die gemeinsamen Übungen der beiden Armeen begannen am 6. September in Latschin.",
             "The joint drills began in Lachin on September 6."]
    assert languages(texts, tmp_path) == ["de", ""]
    assert list((tmp_path).rglob("*"))  # written
    assert languages(texts, tmp_path) == ["de", ""]


def test_the_warning_names_what_is_not_english():
    assert warning("", ["", ""]) == ""
    w = warning("", ["de", "de"])
    assert w.count("German (de)") == 1 and "models read English only" in w
    assert "the claim is in French (fr)" in warning("fr", [""])
