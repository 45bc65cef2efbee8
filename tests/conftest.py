"""Shared helpers: build logs from (day, score) pairs without touching the real data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
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


def random_log(seed: int) -> list[Entry]:
    """A plausible noisy log: 3–25 scores over up to 120 days, some on the same day."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 26))
    days = np.sort(rng.integers(0, 120, size=n))
    days[-1] = max(days[-1], days[0] + 1)  # at least two distinct days
    slope = rng.normal(0.2, 0.2)
    scores = np.clip(np.round(215 + slope * days + rng.normal(0, 6, size=n)), 1, 300)
    return entries_from(zip(days.tolist(), scores.astype(int).tolist(), strict=True))


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """``tracker ARGV`` in this process: (exit status, stdout, stderr)."""
    from tracker.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_bands_match(bands, frame, rtol: float = 1e-9) -> None:
    """Our bands against statsmodels' ``summary_frame()`` columns of the same names."""
    for name in ("mean", "mean_ci_lower", "mean_ci_upper", "obs_ci_lower", "obs_ci_upper"):
        np.testing.assert_allclose(getattr(bands, name), frame[name].to_numpy(), rtol=rtol)


@pytest.fixture
def log_path(tmp_path):
    """A path for a log inside the test's own folder (not created)."""
    return tmp_path / "scores.csv"
