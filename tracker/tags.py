"""Test-taking problems a practice exam can be tagged with, and how often they come up.

The seed's study plan asks the baseline self-assessment to show test-taking problems
beside weak subjects: timing, anxiety and careless errors; its Q-bank advice adds the
question of whether a miss was a knowledge gap. Those four are the tags a practice row
can carry (``tracker log --issue timing --issue careless``), several at once.

In the score log the tags sit in an optional fifth column, ``issues``, as names joined
by ``;`` (``timing;careless``). The column is written only while some row carries a tag,
so a log without tags keeps the header ``date,assessment,score,notes`` byte for byte.
This module knows only names and counts: it imports nothing from the rest of the
tracker, so the log can use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from tracker.errors import InvalidEntryError

# name → what it means, in the order every output lists them.
TEST_TAKING_ISSUES = {
    "timing": "ran short of time or rushed blocks",
    "anxiety": "nerves or fatigue cost points",
    "careless": "misread a question or slipped on one you knew",
    "knowledge": "did not know the fact or concept",
}
ISSUES_COLUMN = "issues"
SEPARATOR = ";"
RECENT_EXAMS = 3  # "lately": the last three tagged-or-not practice exams


def parse_issues(text: str | Iterable[str]) -> tuple[str, ...]:
    """Tags from the file's ``a;b`` or from a list of names: canonical order, no repeats.

    Case and surrounding spaces are ignored; an unknown name is an error naming the
    allowed ones.
    """
    if not text:
        return ()  # most rows: no tags
    names = text.split(SEPARATOR) if isinstance(text, str) else list(text)
    chosen = set()
    for name in names:
        if not isinstance(name, str):
            raise InvalidEntryError(f"test-taking issue {name!r} is not a name")
        key = name.strip().casefold()
        if not key:
            continue
        if key not in TEST_TAKING_ISSUES:
            raise InvalidEntryError(
                f"unknown test-taking issue {name.strip()!r} (one of "
                f"{', '.join(TEST_TAKING_ISSUES)})"
            )
        chosen.add(key)
    return tuple(name for name in TEST_TAKING_ISSUES if name in chosen)


def format_issues(issues: Sequence[str]) -> str:
    """The cell of the ``issues`` column: ``timing;careless`` (empty for none)."""
    return SEPARATOR.join(issues)


class Tagged(Protocol):
    """What counting needs of a row: its day and its tags (an Entry fits)."""

    @property
    def date(self) -> dt.date: ...

    @property
    def issues(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class IssueCount:
    """How often one test-taking problem was tagged. Counts are practice exams."""

    issue: str
    meaning: str
    exams: int  # practice exams tagged with it
    recent: int  # of the last ``recent_of`` practice exams
    recent_of: int
    first: dt.date | None
    last: dt.date | None


def count_issues(
    rows: Sequence[Tagged], *, recent: int = RECENT_EXAMS
) -> tuple[IssueCount, ...]:
    """Each tag's count over all ``rows`` (practice exams) and over the last ``recent``.

    Rows are taken in date order (one day's rows in the order given). Tags that never
    occur are left out, so an untagged log gives ``()``.
    """
    ordered = sorted(rows, key=lambda row: row.date)
    lately = ordered[-recent:] if recent > 0 else []
    counts = []
    for issue, meaning in TEST_TAKING_ISSUES.items():
        days = [row.date for row in ordered if issue in row.issues]
        if not days:
            continue
        counts.append(
            IssueCount(
                issue=issue,
                meaning=meaning,
                exams=len(days),
                recent=sum(issue in row.issues for row in lately),
                recent_of=len(lately),
                first=days[0],
                last=days[-1],
            )
        )
    return tuple(counts)
