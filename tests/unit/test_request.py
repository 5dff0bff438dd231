"""The rules between a command's options, checked before any model loads: reports, outputs, the index, --claim, cite."""
from __future__ import annotations

from pathlib import Path

import pytest

from verifier.claims import COMMAND_LINE
from verifier.config import Config
from verifier.errors import UsageError
from verifier.request import (
    Common,
    check_writable,
    cite_request,
    index_url,
    one_off_claims,
    reports,
)

DRAFT = "# Notes\n\nThe river flooded the northern valley in April. Farmers lost the wheat harvest.\n"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A working folder with no pyproject.toml and a default `seeds/` source holding one text file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("The river flooded the northern valley in April.\n", encoding="utf-8")
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    return tmp_path


def cite(draft="draft.md", fmt="markdown", output=None, in_place=False, claims_out=None, pin=False):
    return cite_request(Path(draft), fmt, output, in_place, claims_out, pin, "contradicted", Common())


# ---------------------------------------------------------------- reports


def test_no_format_and_no_output_is_one_text_report_to_standard_output():
    assert reports([], [], Config()) == (("text", None),)


def test_each_output_goes_with_the_format_in_its_place_and_the_last_format_may_go_to_standard_output():
    got = reports(["json", "sarif", "text"], [Path("r.json"), Path("r.sarif")], Config())
    assert got == (("json", Path("r.json")), ("sarif", Path("r.sarif")), ("text", None))


def test_an_output_without_a_format_is_a_text_report():
    assert reports([], [Path("r.txt")], Config()) == (("text", Path("r.txt")),)


def test_two_reports_to_standard_output_are_refused():
    with pytest.raises(UsageError, match="^only one report can go to standard output; give each other --format "
                                         "an --output$"):
        reports(["json", "sarif", "text"], [Path("r.json")], Config())


def test_more_outputs_than_formats_are_refused():
    with pytest.raises(UsageError, match="^more --output files than --format options; pair each --output with a "
                                         "--format$"):
        reports(["json"], [Path("r.json"), Path("r.sarif")], Config())


def test_the_configs_reports_are_used_only_when_no_option_names_one():
    cfg = Config(formats=(("github", None), ("sarif", Path("verifier.sarif"))))
    assert reports([], [], cfg) == cfg.formats
    assert reports(["json"], [], cfg) == (("json", None),)
    assert reports([], [Path("r.txt")], cfg) == (("text", Path("r.txt")),)


# ---------------------------------------------------------------- writable paths


def test_a_path_through_a_file_cannot_be_written(tmp_path):
    (tmp_path / "notes.txt").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(UsageError, match="is not a folder") as e:
        check_writable(tmp_path / "notes.txt" / "out" / "report.json")
    assert str(e.value) == (f"{tmp_path / 'notes.txt' / 'out' / 'report.json'}: cannot write it: "
                            f"{tmp_path / 'notes.txt'} is not a folder")


def test_a_path_in_folders_not_made_yet_can_be_written_and_nothing_is_made(tmp_path):
    check_writable(tmp_path / "reports" / "today" / "report.json")
    check_writable(tmp_path / "report.json")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the index


def test_an_index_option_that_is_not_postgresql_is_a_usage_error_without_its_password():
    with pytest.raises(UsageError, match="not a PostgreSQL URL") as e:
        index_url("mysql://ann:s3cret@db/src", Config(index="postgresql://verifier@db/src"))
    assert str(e.value).startswith("--index mysql://ann:***@db/src: ") and "s3cret" not in str(e.value)


def test_a_folder_given_as_the_index_is_a_usage_error():
    with pytest.raises(UsageError, match="give postgresql://USER@HOST"):
        index_url("./cache/index", Config())


def test_the_configs_index_is_used_when_no_option_names_one():
    assert index_url(None, Config(index="postgresql://verifier@db/src")) == "postgresql://verifier@db/src"
    assert index_url(None, Config()) is None


def test_the_index_option_wins_over_the_config_and_may_hold_a_password():
    got = index_url("postgresql://ann:s3cret@other/src", Config(index="postgresql://verifier@db/src"))
    assert got == "postgresql://ann:s3cret@other/src"


# ---------------------------------------------------------------- --claim


@pytest.mark.parametrize("texts", [[""], ["   "], ["The river flooded.", " \n\t "]])
def test_a_blank_claim_is_refused(texts, workdir):
    with pytest.raises(UsageError, match="^--claim: the claim's text is blank; give the claim to check, in quotes$"):
        one_off_claims(texts, (), Config())


def test_one_off_claims_are_checked_against_the_default_sources_with_unique_ids(workdir):
    claims = one_off_claims(["The river flooded.", "The  river\nflooded.", "Farmers lost the wheat.",
                             "The river flooded."], (), Config())
    assert [c.text for c in claims] == ["The river flooded.", "The river flooded.", "Farmers lost the wheat.",
                                        "The river flooded."]
    base = claims[0].id
    assert base.startswith("the-river-flooded-")
    assert [c.id for c in claims] == [base, f"{base}-2", claims[2].id, f"{base}-3"]
    assert len({c.id for c in claims}) == 4
    assert all(c.sources == (Path("seeds"),) and c.file == COMMAND_LINE for c in claims)
    assert [c.line for c in claims] == [1, 2, 3, 4]  # each --claim numbered, as reports show it


def test_one_off_claims_take_the_sources_option_over_the_defaults(workdir):
    other = workdir / "other.txt"
    other.write_text("Another text.\n", encoding="utf-8")
    (claim,) = one_off_claims(["The river flooded."], (other,), Config())
    assert claim.sources == (other,)


def test_one_off_claims_without_any_source_there_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="^--claim: no sources to check the claim against: no --sources given, "
                                         "and the default source seeds"):
        one_off_claims(["The river flooded."], (), Config())


# ---------------------------------------------------------------- cite


def test_in_place_with_an_output_is_refused(workdir):
    with pytest.raises(UsageError, match="^--in-place and --output both name where to write; give one$"):
        cite(in_place=True, output=Path("cited.md"))


def test_in_place_needs_the_markdown_format(workdir):
    with pytest.raises(UsageError, match="^--in-place rewrites the draft, so it needs --format markdown$"):
        cite(fmt="text", in_place=True)


def test_pin_without_claims_out_is_refused(workdir):
    with pytest.raises(UsageError, match=r"^--pin sets the `expect` of the claims that --claims-out writes; "
                                         r"give --claims-out FILE too$"):
        cite(pin=True)


def test_in_place_on_a_draft_from_standard_input_is_refused_before_reading_it(workdir, monkeypatch):
    monkeypatch.setattr("verifier.request.read_stdin", lambda: pytest.fail("standard input was read"))
    with pytest.raises(UsageError, match="a draft from standard input has none"):
        cite(draft="-", in_place=True)


def test_a_claims_out_through_a_file_is_refused(workdir):
    with pytest.raises(UsageError, match="is not a folder"):
        cite(claims_out=Path("draft.md") / "claims.yaml", pin=True)


def test_options_that_fit_together_make_a_request_with_the_default_sources(workdir):
    request = cite(in_place=True, claims_out=Path("claims") / "draft.yaml", pin=True)
    assert request.draft == "draft.md" and request.path == Path("draft.md") and request.original == DRAFT
    assert request.in_place and request.pin and request.claims_out == Path("claims") / "draft.yaml"
    assert request.output is None and request.fmt == "markdown" and request.fail_on == "contradicted"
    assert request.sources == (Path("seeds"),)
    assert [s.claim for s in request.sentences] == ["The river flooded the northern valley in April.",
                                                    "Farmers lost the wheat harvest."]
