"""One error hierarchy: every error that is the user's to fix exits with 2, and warnings are not errors."""
from __future__ import annotations

import pytest

from verifier import errors
from verifier.errors import (
    ClaimsFileError,
    ConfigError,
    IndexServerError,
    ModelError,
    SourceError,
    UsageError,
    VerifierError,
    VerifierWarning,
)

ERRORS = [UsageError, ClaimsFileError, ConfigError, SourceError, ModelError, IndexServerError]


def test_every_exception_the_module_defines_is_a_verifier_error_or_its_warning():
    defined = [v for v in vars(errors).values() if isinstance(v, type) and issubclass(v, Exception)]
    assert set(defined) == {VerifierError, VerifierWarning, *ERRORS}
    assert all(issubclass(e, VerifierError) for e in ERRORS)


@pytest.mark.parametrize("cls", ERRORS)
def test_every_error_exits_with_2_and_keeps_its_message(cls):
    e = cls(["a.yaml:1:1: bad"]) if cls is ClaimsFileError else cls("seeds/a.txt: source not found")
    assert e.exit_code == 2
    with pytest.raises(VerifierError) as caught:
        raise e
    assert caught.value.exit_code == 2 and str(caught.value) in ("a.yaml:1:1: bad", "seeds/a.txt: source not found")


def test_a_claims_file_error_carries_every_problem_one_a_line():
    problems = ["c.yaml:2:3: text is empty", "c.yaml:5:1: duplicate id 'a'"]
    e = ClaimsFileError(problems)
    assert e.problems == problems and str(e) == "c.yaml:2:3: text is empty\nc.yaml:5:1: duplicate id 'a'"
    problems.append("later")
    assert len(e.problems) == 2  # a copy, not the caller's list


def test_the_warning_is_a_user_warning_and_no_error():
    # A user warning: `-W error` and pytest's filterwarnings treat it as one; an error it is not.
    assert issubclass(VerifierWarning, UserWarning) and not issubclass(VerifierWarning, VerifierError)
