"""Shared helpers: build logs from (day, score) pairs without touching the real data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest

from tracker.log import Entry

# Every test that depends on "today" pins it, so results never drift with the calendar.
TODAY = dt.date(2026, 11, 26)


def entries_from(
    day_scores: Iterable[tuple[int, int]], *, start: dt.date = dt.date(2026, 9, 1)
) -> list[Entry]:
    """Entries for (days after ``start``, score) pairs, named like a real schedule."""
    return [
        Entry(date=start + dt.timedelta(days=day), assessment=f"NBME {9 + i}", score=score)
        for i, (day, score) in enumerate(day_scores)
    ]


@pytest.fixture
def log_path(tmp_path):
    """A path for a log inside the test's own folder (not created)."""
    return tmp_path / "scores.csv"
