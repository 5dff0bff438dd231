"""Reading a claims file: its bytes checked and decoded, YAML parsed with every node's line and column, sizes limited."""
from __future__ import annotations

import pytest

from verifier import yaml_source
from verifier.errors import ClaimsFileError
from verifier.yaml_source import (
    MAX_CLAIMS_FILE_BYTES,
    decode,
    locate,
    parse_yaml,
    position,
    read_text,
    too_large,
)

CLAIMS = """\
claims:
  - id: river
    text: The river flooded in April.
    sources:
      - seeds/a.txt
"""


def problems_of(call, *args) -> list[str]:
    with pytest.raises(ClaimsFileError) as e:
        call(*args)
    return e.value.problems


def test_utf8_bytes_are_decoded_as_they_are():
    assert decode("id: café\n".encode(), "c.yaml") == "id: café\n"


def test_a_utf8_byte_order_mark_is_dropped():
    assert decode(b"\xef\xbb\xbfid: caf\xc3\xa9\n", "c.yaml") == "id: café\n"


@pytest.mark.parametrize("encoded", ["id: café\n".encode("utf-16"),  # the platform's order, with its mark
                                     b"\xff\xfe" + "id: café\n".encode("utf-16-le"),
                                     b"\xfe\xff" + "id: café\n".encode("utf-16-be")],
                         ids=["native", "little-endian", "big-endian"])
def test_utf16_with_a_byte_order_mark_is_decoded(encoded):
    assert decode(encoded, "c.yaml") == "id: café\n"


def test_broken_utf16_names_the_file():
    assert problems_of(decode, b"\xff\xfei\x00d", "c.yaml") == ["c.yaml:1:1: not valid UTF-16 text"]


def test_bytes_that_are_not_utf8_are_a_claims_file_error_at_their_line():
    data = b"claims:\n  - id: river\n    text: caf\xe9\n"
    assert problems_of(decode, data, "claims/c.yaml") == [
        f"claims/c.yaml:3:1: not valid UTF-8 (byte {data.index(b'caf') + 3}); save the file as UTF-8"]


def test_a_file_with_a_nul_byte_is_called_binary():
    assert problems_of(decode, b"claims:\x00\x01", "c.yaml") == [
        "c.yaml:1:1: this is a binary file, not a YAML claims file"]


def test_too_large_names_the_size_and_the_limit_in_megabytes():
    error = too_large(25 * 1024 * 1024 + 5, "c.yaml")
    assert isinstance(error, ClaimsFileError)
    assert error.problems == [f"c.yaml:1:1: file is 25 MB; claims files are limited to "
                              f"{MAX_CLAIMS_FILE_BYTES // 1024 // 1024} MB"]


def test_bytes_over_the_limit_are_refused_before_decoding_and_at_the_limit_are_read(monkeypatch):
    monkeypatch.setattr(yaml_source, "MAX_CLAIMS_FILE_BYTES", 1024 * 1024)
    assert decode(b"#" * (1024 * 1024), "c.yaml") == "#" * (1024 * 1024)
    assert problems_of(decode, b"\x00" * (1024 * 1024 + 1), "c.yaml") == [
        "c.yaml:1:1: file is 1 MB; claims files are limited to 1 MB"]


def test_a_file_over_the_limit_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "c.yaml"
    path.write_bytes(b"#" * (3 * 1024 * 1024))
    monkeypatch.setattr(yaml_source, "MAX_CLAIMS_FILE_BYTES", 1024 * 1024)
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("read a file over the limit"))
    assert problems_of(read_text, path, "c.yaml") == ["c.yaml:1:1: file is 3 MB; claims files are limited to 1 MB"]


def test_a_file_that_cannot_be_read_is_a_claims_file_error(tmp_path):
    (problem,) = problems_of(read_text, tmp_path / "missing.yaml", "missing.yaml")
    assert problem.startswith("missing.yaml:1:1: cannot read file: ")


def test_a_nested_value_is_located_where_it_starts():
    root = parse_yaml(CLAIMS, "c.yaml")
    assert locate(root, ["claims", 0, "text"]) == (3, 11)  # the value, after "text: "
    assert locate(root, ["claims", 0, "sources", 0]) == (5, 9)
    assert locate(root, ["claims", 0]) == (2, 5)
    assert locate(root, []) == (1, 1)


def test_a_path_that_leaves_the_tree_is_located_at_its_last_node_there():
    root = parse_yaml(CLAIMS, "c.yaml")
    assert locate(root, ["claims", 0, "expect"]) == (2, 5)
    assert locate(root, ["claims", 3, "text"]) == (1, 1)


def test_position_is_the_zero_based_place_of_a_key_or_item():
    root = parse_yaml(CLAIMS, "c.yaml")
    assert position(root, "claims") == (0, 0)
    assert position(root["claims"][0], "text") == (2, 4)
    assert position(root["claims"][0]["sources"], 0) == (4, 8)
    assert position(root["claims"][0], "expect") is None
    assert position({"text": "plain data"}, "text") is None


def test_parsed_yaml_keeps_its_data():
    root = parse_yaml(CLAIMS, "c.yaml")
    assert root["claims"][0]["text"] == "The river flooded in April."
    assert list(root["claims"][0]["sources"]) == ["seeds/a.txt"]


@pytest.mark.parametrize("text,problem", [
    ("claims: [1, 2\n", "c.yaml:2:1: invalid YAML: expected ',' or ']', but got '<stream end>'"),
    ("id: a: b\n", "c.yaml:1:6: invalid YAML: mapping values are not allowed here"),
    ("id: a\nid: b\n", 'c.yaml:2:1: invalid YAML: found duplicate key "id" with value "b" (original value: "a")'),
])
def test_invalid_yaml_is_a_claims_file_error_at_its_line_and_column(text, problem):
    assert problems_of(parse_yaml, text, "c.yaml") == [problem]


def test_a_scalar_that_trips_the_parser_is_reported_with_a_hint():
    (problem,) = problems_of(parse_yaml, "count: 0x_\n", "c.yaml")
    assert problem.startswith("c.yaml:1:1: invalid YAML: a value could not be read (")
    assert problem.endswith("quote values that look like numbers but are not")
