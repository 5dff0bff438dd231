"""[tool.verifier] in pyproject.toml: found from the working folder upwards, validated once."""
from __future__ import annotations

from pathlib import Path

import pytest

from verifier.config import Config, load_config
from verifier.errors import ConfigError

FORMATS = ("text", "json", "markdown", "junit", "sarif", "github", "html")


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def config(text: str, folder: Path = Path(".")) -> Config:
    (folder / "pyproject.toml").write_text(text, encoding="utf-8")
    return load_config(Path("."), FORMATS)


def test_no_pyproject_gives_no_defaults():
    assert load_config(Path("."), FORMATS) == Config()


def test_a_pyproject_without_the_table_is_passed_over(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.verifier]\nsources = ["seeds"]\n')
    (tmp_path / "sub" / "pyproject.toml").write_text('[project]\nname = "other"\n')
    monkeypatch.chdir(tmp_path / "sub")
    found = load_config(Path("."), FORMATS)
    assert found.path == Path("../pyproject.toml")
    assert found.sources == (Path("../seeds"),)  # relative to the pyproject.toml's folder
    assert found.origin("sources") == "from [tool.verifier] sources in ../pyproject.toml"


def test_every_setting_is_read():
    found = config('[tool.verifier]\nsources = ["a", "b/c.txt"]\nthresholds = "t.json"\n'
                   'formats = ["github", {format = "sarif", output = "out/v.sarif"}]\n')
    assert found.sources == (Path("a"), Path("b/c.txt"))
    assert found.thresholds == Path("t.json")
    assert found.formats == (("github", None), ("sarif", Path("out/v.sarif")))


def test_a_single_string_is_a_list_of_one():
    found = config('[tool.verifier]\nsources = "docs"\nformats = "json"\n')
    assert found.sources == (Path("docs"),) and found.formats == (("json", None),)


@pytest.mark.parametrize("table,message", [
    ('sourcs = ["x"]', "pyproject.toml: [tool.verifier] sourcs: unknown key; did you mean 'sources'?"),
    ('colour = "never"', "pyproject.toml: [tool.verifier] colour: unknown key; the keys are 'sources', 'formats', 'thresholds', 'index'"),
    ("sources = []", "pyproject.toml: [tool.verifier] sources: a list of files or folders, relative to pyproject.toml's folder, not []"),
    ('sources = ["a", 3]', "pyproject.toml: [tool.verifier] sources[1]: a file or folder, not 3"),
    ('sources = [""]', "pyproject.toml: [tool.verifier] sources[0]: a file or folder, not ''"),
    ('formats = ["jsn"]', "pyproject.toml: [tool.verifier] formats[0]: 'jsn' is not a report format; did you mean 'json'?"),
    ('formats = ["pdf"]', "pyproject.toml: [tool.verifier] formats[0]: 'pdf' is not a report format; one of 'text', "
                          "'json', 'markdown', 'junit', 'sarif', 'github', 'html'"),
    ('formats = ["text", "json"]', "pyproject.toml: [tool.verifier] formats: only one report can go to standard output; "
                                   "give the others an output, as {format = \"sarif\", output = \"verifier.sarif\"}"),
    ('formats = [{format = "json", outpt = "r.json"}]',
     "pyproject.toml: [tool.verifier] formats[0]: unknown key 'outpt'; did you mean 'output'?"),
    ('formats = [{format = "json", output = 1}]',
     "pyproject.toml: [tool.verifier] formats[0].output: a file to write the report to, not 1"),
    ("formats = 7", "pyproject.toml: [tool.verifier] formats: a list of report formats, such as [\"text\"], not 7"),
    ("thresholds = true", "pyproject.toml: [tool.verifier] thresholds: the path of a thresholds file from "
                          "`verifier calibrate`, not True"),
])
def test_bad_settings_name_the_file_and_the_key(table, message):
    with pytest.raises(ConfigError) as exc:
        config("[tool.verifier]\n" + table + "\n")
    assert str(exc.value) == message


def test_the_table_itself_must_be_a_table():
    with pytest.raises(ConfigError, match=r"^pyproject.toml: \[tool.verifier\] must be a table of settings"):
        config('tool = {verifier = "yes"}\n')


def test_invalid_toml_names_the_line_and_column():
    with pytest.raises(ConfigError) as exc:
        config('[tool.verifier]\nsources = ["a"\nformats = "json"\n')
    assert str(exc.value).startswith("pyproject.toml:3:1: not valid TOML: ")


def test_a_pyproject_that_is_not_utf8():
    Path("pyproject.toml").write_bytes(b'[tool.verifier]\nsources = ["caf\xe9"]\n')
    with pytest.raises(ConfigError, match=r"^pyproject.toml:2: not valid UTF-8 \(byte 31\); save it as UTF-8$"):
        load_config(Path("."), FORMATS)


def test_a_bad_table_in_a_parent_folder_is_named_from_here(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.verifier]\nthresholds = 0.5\n")
    monkeypatch.chdir(tmp_path / "sub")
    with pytest.raises(ConfigError) as exc:
        load_config(Path("."), FORMATS)
    assert str(exc.value) == ("../pyproject.toml: [tool.verifier] thresholds: the path of a thresholds file from "
                              "`verifier calibrate`, not 0.5")
