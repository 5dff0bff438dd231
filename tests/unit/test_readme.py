"""The README's command help is the command line's own, so that it cannot drift."""
from __future__ import annotations

import subprocess
import sys

from ..conftest import ROOT


def test_the_readme_shows_the_help_the_command_line_prints():
    got = subprocess.run([sys.executable, "-m", "cogapp", "--check", "README.md"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert got.returncode == 0, "README.md is out of date: run `cog -r README.md`\n" + got.stdout + got.stderr
