"""Saying how a run goes: silent by default, lines on standard error when verbose, the reading counted chunk by chunk."""
from __future__ import annotations

import pytest

from verifier import progress
from verifier.progress import ReadingProgress, Silent, Terminal

from ..conftest import WordEntailment


class Recorded:
    """A progress that keeps what it is told and every bar it gives."""

    bars = True

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.made: list[RecordedBar] = []

    def say(self, message: str) -> None:
        self.lines.append(message)

    def bar(self, desc, unit, total=None):
        self.made.append(RecordedBar(desc, unit, total))
        return self.made[-1]


class RecordedBar:
    def __init__(self, desc, unit, total) -> None:
        self.desc, self.unit, self.total = desc, unit, total
        self.updates: list[int] = []
        self.closed = False

    def update(self, n: int = 1) -> None:
        self.updates.append(n)

    def close(self) -> None:
        self.closed = True


class Sizes(WordEntailment):
    """The word-overlap model, keeping the size of each batch it reads."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def probabilities(self, pairs):
        self.sizes.append(len(pairs))
        return super().probabilities(pairs)


def test_silent_says_nothing_and_draws_nothing(capsys):
    s = Silent()
    s.say("indexing")
    bar = s.bar("indexing", "sentence", 10)
    bar.update(5)
    bar.close()
    assert s.bars is False and capsys.readouterr() == ("", "")


@pytest.mark.parametrize("verbosity,said", [(0, ""), (1, ""), (2, "verifier: indexing 3 source files\n")])
def test_the_terminal_speaks_on_standard_error_only_when_verbose(capsys, verbosity, said):
    Terminal(verbosity, bars=False).say("indexing 3 source files")
    assert capsys.readouterr() == ("", said)


def test_a_terminal_with_bars_still_prints_each_line_whole(capsys):
    Terminal(2, bars=True).say("checking 2 claims")
    assert capsys.readouterr().err.endswith("verifier: checking 2 claims\n")


def test_a_terminal_without_bars_gives_a_bar_that_draws_nothing(capsys):
    bar = Terminal(2, bars=False).bar("reading quotes", "quote", 3)
    bar.update(3)
    bar.close()
    assert capsys.readouterr() == ("", "")


def test_a_terminal_with_bars_gives_a_bar_with_its_name_unit_and_total(capsys):
    bar = Terminal(2, bars=True).bar("reading quotes", "quote", 3)
    try:
        assert (bar.desc, bar.unit, bar.total, bar.leave) == ("reading quotes", "quote", 3, False)
    finally:
        bar.close()


PAIRS = [(f"The drills began on day {n}.", "The drills began.") for n in range(5)]


def test_the_model_reads_in_chunks_and_the_answers_keep_their_order(monkeypatch):
    monkeypatch.setattr(progress, "READ_CHUNK", 2)
    model, said = Sizes(), Recorded()
    reading = ReadingProgress(model, said)
    assert reading.probabilities(PAIRS) == WordEntailment().probabilities(PAIRS)
    assert model.sizes == [2, 2, 1]
    assert said.lines == ["reading 5 quotes with the entailment model"]
    (bar,) = said.made
    assert (bar.desc, bar.unit, bar.total, bar.updates, bar.closed) == ("reading quotes", "quote", 5, [2, 2, 1], True)


def test_nothing_to_read_says_nothing_and_calls_no_model():
    model, said = Sizes(), Recorded()
    assert ReadingProgress(model, said).probabilities([]) == []
    assert model.sizes == [] and said.lines == [] and said.made == []


def test_the_bar_is_closed_when_the_model_fails():
    class Failing:
        model_id = "failing"

        def probabilities(self, pairs):
            raise RuntimeError("out of memory")

    said = Recorded()
    with pytest.raises(RuntimeError, match="out of memory"):
        ReadingProgress(Failing(), said).probabilities(PAIRS)
    assert said.made[0].closed


def test_the_reading_is_the_models_own_for_the_cache():
    assert ReadingProgress(Sizes(), Silent()).model_id == "fake-words-1"
