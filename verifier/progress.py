"""Saying how a run goes: one small protocol for messages and progress bars, silent by default."""
from __future__ import annotations

import sys
from typing import Any, Protocol, Sequence

# A progress bar appears only for work that has taken this long (seconds): quick runs draw nothing.
BAR_DELAY = 2.0
# Quotes read by the entailment model at a time: what the reading bar moves by. The default model
# takes one text a call, so this changes no result.
READ_CHUNK = 128


class Bar(Protocol):
    def update(self, n: int = 1) -> Any: ...
    def close(self) -> None: ...


class Progress(Protocol):
    """Where a run says what it is doing; ``bars`` says whether slow stages may draw a bar."""

    bars: bool

    def say(self, message: str) -> None: ...

    def bar(self, desc: str, unit: str, total: int | None = None) -> Bar: ...


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class Silent:
    """Says nothing and draws nothing: the library's default."""

    bars = False

    def say(self, message: str) -> None:
        pass

    def bar(self, desc: str, unit: str, total: int | None = None) -> Bar:
        return _NoBar()


class Terminal:
    """Messages on standard error at ``verbosity`` > 1, and bars for slow stages when ``bars`` is set."""

    def __init__(self, verbosity: int, bars: bool) -> None:
        self.verbosity = verbosity
        self.bars = bars

    def say(self, message: str) -> None:
        if self.verbosity <= 1:
            return
        line = f"verifier: {message}\n"
        if self.bars:  # a line printed over a bar that is drawn garbles both: clear it, print, redraw
            from tqdm import tqdm

            with tqdm.external_write_mode(file=sys.stderr):
                sys.stderr.write(line)
        else:
            sys.stderr.write(line)
        sys.stderr.flush()

    def bar(self, desc: str, unit: str, total: int | None = None) -> Bar:
        if not self.bars:
            return _NoBar()
        from tqdm import tqdm

        return tqdm(total=total, unit=unit, desc=desc, leave=False, delay=BAR_DELAY)


class ReadingProgress:
    """An entailment model, fed READ_CHUNK quotes at a time, saying how far it has read.

    It sits behind the score cache, so only the quotes the model really reads are counted.
    """

    def __init__(self, inner: Any, progress: Progress) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.progress = progress

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
        if not pairs:
            return []
        self.progress.say(f"reading {len(pairs)} quotes with the entailment model")
        out: list[dict[str, float]] = []
        bar = self.progress.bar("reading quotes", "quote", len(pairs))
        try:
            for i in range(0, len(pairs), READ_CHUNK):
                out += self.inner.probabilities(pairs[i : i + READ_CHUNK])
                bar.update(min(READ_CHUNK, len(pairs) - i))
        finally:
            bar.close()
        return out
