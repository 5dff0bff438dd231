"""One error hierarchy for verifier; the CLI maps it to exit codes in one place."""
from __future__ import annotations


class VerifierError(Exception):
    """Base of every error that is the user's to fix (exit code 2)."""

    exit_code = 2


class UsageError(VerifierError):
    """Options that do not fit together, or a path that is not there."""


class ClaimsFileError(VerifierError):
    """A claims file that cannot be read, parsed or validated.

    Carries every problem found, each already formatted as ``FILE:LINE:COL: message``.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class ConfigError(VerifierError):
    """A [tool.verifier] table in pyproject.toml that cannot be read or is not valid."""


class SourceError(VerifierError):
    """A source document that is missing, unreadable or not text."""


class ModelError(VerifierError):
    """A model that cannot be found or loaded from the local disk."""


# What a user is told to run when a command needs torch: exporting or distilling a model of their
# own, --backend torch, a Hugging Face --nli-model. check and cite with the shipped models never do.
TORCH_EXTRA = "install them with `pip install 'quote-verifier[torch]'`"


class VerifierWarning(UserWarning):
    """Something was wrong but the run could go on (a damaged cache entry was rebuilt)."""


class IndexServerError(VerifierError):
    """A shared index (PostgreSQL) that cannot be reached, refuses, or fails."""
