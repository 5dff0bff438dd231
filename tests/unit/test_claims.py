from __future__ import annotations

from pathlib import Path

import pytest

from verifier.claims import load_claims, load_claims_file
from verifier.errors import ClaimsFileError, UsageError


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """Paths in messages are relative to the working folder, as a user sees them."""
    monkeypatch.chdir(tmp_path)


def load_text(tmp_path: Path, text: str, name: str = "c.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_claims_file(p)


def problems_of(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ClaimsFileError) as exc:
        load_text(tmp_path, text)
    return exc.value.problems


def test_valid_file_gives_claims_with_lines_and_resolved_sources(tmp_path):
    claims = load_text(tmp_path, "version: 1\nsources: [docs]\nclaims:\n  - id: a\n    text: One.\n"
                                 "  - id: b\n    text: Two.\n    expect: contradicted\n    sources: [x.txt]\n")
    assert [c.id for c in claims] == ["a", "b"]
    assert [c.line for c in claims] == [4, 6]
    assert claims[0].expect == "supported"
    assert claims[0].sources == (tmp_path / "docs",)
    assert claims[1].sources == (tmp_path / "x.txt",)
    assert claims[1].expect == "contradicted"


def test_text_whitespace_is_folded(tmp_path):
    (c,) = load_text(tmp_path, "version: 1\nclaims:\n  - id: a\n    text: >\n      One\n      two.\n")
    assert c.text == "One two."


def test_every_schema_error_is_reported_at_once_with_its_line(tmp_path):
    problems = problems_of(tmp_path, "version: 1\nclaims:\n  - id: a\n    txt: One.\n"
                                     "  - id: b\n    text: Two.\n    expect: maybe\n")
    assert len(problems) == 3, problems
    assert any(p.startswith("c.yaml:3:5:") and "'text' is a required property" in p for p in problems)
    assert any(p.startswith("c.yaml:4:5:") and "unknown key 'txt'" in p for p in problems)
    assert any(p.startswith("c.yaml:7:13:") and "'maybe' is not one of" in p for p in problems)


def test_unknown_top_level_key(tmp_path):
    (p,) = problems_of(tmp_path, "version: 1\nclaim:\n  - id: a\n    text: x\nclaims: [{id: a, text: b}]\n")
    assert p.startswith("c.yaml:2:1:") and "unknown key 'claim'" in p


def test_wrong_version(tmp_path):
    (p,) = problems_of(tmp_path, "version: 2\nclaims: [{id: a, text: b}]\n")
    assert p == "c.yaml:1:10: $.version: version must be 1, not 2"


def test_duplicate_ids_name_both_lines(tmp_path):
    (p,) = problems_of(tmp_path, "version: 1\nclaims:\n  - id: a\n    text: x\n  - id: a\n    text: y\n")
    assert p == "c.yaml:5:9: $.claims[1].id: duplicate id 'a', first used on line 3; ids must be unique"


def test_malformed_yaml_names_line(tmp_path):
    (p,) = problems_of(tmp_path, "version: 1\nclaims:\n  - id: a\n    text: [unclosed\n")
    assert p.startswith("c.yaml:5:1: invalid YAML")


def test_duplicate_keys_are_an_error(tmp_path):
    (p,) = problems_of(tmp_path, "version: 1\nversion: 1\nclaims: [{id: a, text: b}]\n")
    assert p.startswith("c.yaml:2:1: invalid YAML") and "duplicate key" in p


def test_empty_file(tmp_path):
    (p,) = problems_of(tmp_path, "")
    assert p.startswith("c.yaml:1:1: the file is empty")


def test_python_tags_are_refused_not_constructed(tmp_path):
    (p,) = problems_of(tmp_path, 'version: 1\nclaims:\n  - id: a\n    text: !!python/object/apply:os.system ["echo hi"]\n')
    assert "YAML tags" in p and p.startswith("c.yaml:4:")


def test_aliases_are_refused(tmp_path):
    (p,) = problems_of(tmp_path, "version: 1\nx: &a [1]\nclaims: *a\n")
    assert "aliases are not allowed" in p


def test_bad_id_pattern_and_empty_text(tmp_path):
    problems = problems_of(tmp_path, "version: 1\nclaims:\n  - id: 'has space'\n    text: '  '\n")
    assert len(problems) == 2
    assert any("is not a valid id" in p for p in problems)
    assert any("the claim's text is blank" in p for p in problems)


def test_binary_and_non_utf8_files(tmp_path):
    p = tmp_path / "b.yaml"
    p.write_bytes(b"\x00\x01\x02")
    with pytest.raises(ClaimsFileError, match="binary file"):
        load_claims_file(p)
    p.write_bytes(b"version: 1\nclaims: [{id: a, text: caf\xe9}]\n")
    with pytest.raises(ClaimsFileError, match=r"b.yaml:2:1: not valid UTF-8"):
        load_claims_file(p)


def test_utf16_with_bom_is_read(tmp_path):
    p = tmp_path / "u.yaml"
    p.write_bytes("version: 1\nclaims: [{id: a, text: Café.}]\n".encode("utf-16"))
    (c,) = load_claims_file(p)
    assert c.text == "Café."


def test_folder_expansion_and_problems_of_all_files(tmp_path):
    (tmp_path / "one.yaml").write_text("version: 1\nclaims: [{id: a, text: b}]\n")
    (tmp_path / "two.yml").write_text("version: 1\nclaims: []\n")
    with pytest.raises(ClaimsFileError) as exc:
        load_claims([tmp_path])
    assert len(exc.value.problems) == 1 and "two.yml" in exc.value.problems[0]


def test_missing_path_is_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such file or folder"):
        load_claims([tmp_path / "nope.yaml"])


def test_default_sources_apply_when_file_names_none(tmp_path):
    (c,) = load_text(tmp_path, "version: 1\nclaims: [{id: a, text: b}]\n")
    assert c.sources == ()
    p = tmp_path / "c.yaml"
    (c,) = load_claims_file(p, default_sources=(Path("seeds"),))
    assert c.sources == (Path("seeds"),)


def test_bundled_examples_are_valid_and_carry_the_schema_line():
    root = Path(__file__).resolve().parents[2]
    for f in sorted((root / "claims").glob("*.yaml")):
        assert f.read_text().startswith("# yaml-language-server: $schema=../schemas/claims.schema.json")
        assert len(load_claims_file(f)) >= 20


def test_sources_are_checked_only_when_asked(tmp_path):
    text = "version: 1\nsources: [gone]\nclaims: [{id: a, text: b}]\n"
    (c,) = load_text(tmp_path, text)  # the library reads sources later, or the caller replaces them
    assert c.sources == (tmp_path / "gone",)
    with pytest.raises(ClaimsFileError) as exc:
        load_claims_file(tmp_path / "c.yaml", check_sources=True)
    assert exc.value.problems == ["c.yaml:2:11: $.sources[0]: source 'gone' was not found (looked for gone); "
                                  "paths in `sources:` are relative to the claims file's folder"]


def test_every_missing_source_is_reported_at_the_line_that_names_it(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("A sentence.")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    p = tmp_path / "sub" / "c.yaml"
    p.parent.mkdir()
    p.write_text("version: 1\nsources: [../docs, ../loop]\nclaims:\n  - id: a\n    text: b\n"
                 "  - id: b\n    text: c\n    sources:\n      - ../docs/a.txt\n      - a.txt\n")
    with pytest.raises(ClaimsFileError) as exc:
        load_claims_file(p, check_sources=True)
    assert [q.split(": source ")[0] for q in exc.value.problems] == ["sub/c.yaml:2:20: $.sources[1]",
                                                                    "sub/c.yaml:10:9: $.claims[1].sources[1]"]
    assert "'../loop' is a broken or looping symlink (looked for loop)" in exc.value.problems[0]
    assert "'a.txt' was not found (looked for sub/a.txt)" in exc.value.problems[1]


def test_the_default_sources_must_be_there_when_a_claim_falls_back_on_them(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("# a comment\nversion: 1\nclaims:\n  - id: a\n    text: b\n")
    with pytest.raises(ClaimsFileError) as exc:
        load_claims_file(p, (Path("seeds"),), check_sources=True, default_origin="in the working folder")
    assert exc.value.problems == [
        "c.yaml:2:1: $: no `sources:` in this file, and the default source seeds (in the working folder) was not "
        "found; add `sources:` to the file (paths relative to its folder), or pass --sources"]
    (tmp_path / "seeds").mkdir()
    (c,) = load_claims_file(p, (Path("seeds"),), check_sources=True)
    assert c.sources == (Path("seeds"),)
    # Claims with sources of their own do not need the default.
    (tmp_path / "seeds").rmdir()
    p.write_text("version: 1\nclaims:\n  - id: a\n    text: b\n    sources: [x.txt]\n")
    (tmp_path / "x.txt").write_text("B.")
    (c,) = load_claims_file(p, (Path("seeds"),), check_sources=True)
    assert c.sources == (tmp_path / "x.txt",)


def test_sources_are_checked_beside_schema_errors_and_bad_shapes_do_not_break_the_check(tmp_path):
    problems = problems_of(tmp_path, "version: 1\nsources: [gone, 3]\nclaims:\n  - just text\n  - {id: a, text: b, sources: x}\n")
    assert not any("source 'gone'" in q for q in problems)  # not asked to check sources
    p = tmp_path / "c.yaml"
    with pytest.raises(ClaimsFileError) as exc:
        load_claims_file(p, (Path("seeds"),), check_sources=True)
    assert any("source 'gone' was not found" in q for q in exc.value.problems)
    assert any("'just text' is not of type 'object'" in q for q in exc.value.problems)


def test_the_schema_documents_the_default_sources():
    from verifier.claims import load_schema

    description = load_schema("claims")["properties"]["sources"]["description"]
    assert "the folder seeds in the working folder" in description and "[tool.verifier]" in description


@pytest.mark.parametrize("key,hint", [
    ("txt", "did you mean 'text'?"),
    ("Text", "did you mean 'text'?"),
    ("expct", "did you mean 'expect'?"),
    ("source", "did you mean 'sources'?"),
    ("quote", "remove it or check its spelling"),
])
def test_a_misspelt_key_gets_the_key_it_was_meant_to_be(tmp_path, key, hint):
    problems = problems_of(tmp_path, f"version: 1\nclaims:\n  - id: a\n    {key}: x\n")
    assert f"c.yaml:4:5: $.claims[0].{key}: unknown key {key!r}; {hint}" in problems


def test_a_misspelt_top_level_key(tmp_path):
    problems = problems_of(tmp_path, "version: 1\nsource: [x]\nclaims: [{id: a, text: b}]\n")
    assert problems == ["c.yaml:2:1: $.source: unknown key 'source'; did you mean 'sources'?"]
