"""Writing a report, draft or claims file: whole or not at all, or a usage error that says why."""
from __future__ import annotations

import pytest

from verifier.errors import UsageError
from verifier.output import write_output


def test_the_text_is_written_as_utf8_with_its_line_endings(tmp_path):
    text = "caf\u00e9 \U0001F600\r\nsecond line\n"
    write_output(tmp_path / "out" / "report.md", text)
    assert (tmp_path / "out" / "report.md").read_bytes() == text.encode("utf-8")


def test_a_shorter_report_replaces_a_longer_one_whole(tmp_path):
    target = tmp_path / "report.txt"
    write_output(target, "a long first report\n" * 10)
    write_output(target, "short\n")
    assert target.read_text(encoding="utf-8") == "short\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_a_file_where_the_folder_should_be_is_a_usage_error(tmp_path):
    (tmp_path / "reports").write_text("a file")
    with pytest.raises(UsageError, match=r"reports/out\.json: cannot write it: .*reports is not a folder") as e:
        write_output(tmp_path / "reports" / "out.json", "{}")
    assert e.value.exit_code == 2 and isinstance(e.value.__cause__, OSError)
    assert (tmp_path / "reports").read_text() == "a file"


def test_a_folder_in_place_of_the_file_is_a_usage_error_and_is_left_alone(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(UsageError, match=r"out: cannot write it: Is a directory"):
        write_output(tmp_path / "out", "text")
    assert list((tmp_path / "out").iterdir()) == [] and [p.name for p in tmp_path.iterdir()] == ["out"]
