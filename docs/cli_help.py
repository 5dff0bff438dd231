"""The help of every command, as the README shows it: run by cog (`cog -r README.md`), checked by `cog --check`."""
from __future__ import annotations

from click.testing import CliRunner

from verifier.cli import cli

WIDTH = 100


def _commands(group, prefix=()):
    yield prefix, group
    for name in sorted(getattr(group, "commands", {})):
        yield from _commands(group.commands[name], (*prefix, name))


def help_text() -> str:
    """`verifier --help` and `verifier COMMAND --help` for every command, each in a fenced block."""
    out = []
    for path, _ in _commands(cli):
        result = CliRunner().invoke(cli, [*path, "--help"], prog_name="verifier", terminal_width=WIDTH)
        title = " ".join(("verifier", *path, "--help"))
        out.append(f"#### `{title}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "\n".join(out)
