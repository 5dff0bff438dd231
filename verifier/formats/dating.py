"""A source's date from what it says: the first full date in its opening lines (a dateline, a byline)."""
from __future__ import annotations

from datetime import date, datetime

# How far into the text a dateline is looked for: the opening lines, not a date the text discusses.
OPENING_CHARS = 400
# What python-docx's blank template says it was created on: a generator's default, not a date of the text.
PYTHON_DOCX_TEMPLATE = datetime(2013, 12, 23, 23, 15)


def content_date(text: str) -> str | None:
    """The first date with day, month and year in the text's opening lines, as YYYY-MM-DD; None when there is none."""
    from ..facts import dates_in

    for d in dates_in(text[:OPENING_CHARS]):
        if d.year and d.month and d.day:
            try:
                return date(d.year, d.month, d.day).isoformat()
            except ValueError:  # "31 February": not a date
                continue
    return None


def real_created(when: datetime | None) -> datetime | None:
    """A Word file's creation time, unless it is the default of the library that wrote the file."""
    if when is None or when.replace(tzinfo=None) == PYTHON_DOCX_TEMPLATE:
        return None
    return when
