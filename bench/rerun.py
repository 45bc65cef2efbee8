"""Tracker work per dashboard rerun — assess, chart spec, plan — by log size.

Run with ``make bench``. Prints the median of several runs in milliseconds. Streamlit's
own overhead is not included; the dashboard caches assess and the chart on the log's
bytes and the settings, so a rerun with nothing changed skips them. The PNG is drawn
only when it is downloaded; its time is shown apart and is not part of a rerun.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from tracker import chart, chart_data, log
from tracker.assess import assess
from tracker.schedule_text import plan_text
from tracker.settings import Settings

TODAY = dt.date(2026, 11, 26)
SIZES = (10, 100, 1000)
REPEATS = 15
BUDGET_MS = 100  # at 100 rows
SOURCE = Path("bench.csv")  # a name for messages; the bytes are passed in


def synthetic_log(rows: int, seed: int = 0, *, per_day: int = 1) -> bytes:
    """A log of ``rows`` results rising with practice-test noise: 0–2 days apart, or
    ``per_day`` a day (so a huge log stays inside the dates a log may hold)."""
    rng = np.random.default_rng(seed)
    if per_day > 1:
        days_back = (rows - 1 - np.arange(rows)) // per_day
    else:
        gaps = rng.integers(0, 3, size=rows)
        days_back = np.cumsum(gaps[::-1])[::-1] - gaps[-1]
    entries = []
    for i, back in enumerate(days_back):
        score = int(np.clip(round(215 + 0.1 * i + rng.normal(0, 6)), 150, 300))
        entries.append(
            log.Entry(TODAY - dt.timedelta(days=int(back)), f"NBME {9 + i % 8}", score)
        )
    return log.format_log(entries)


def median_ms(work, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    settings = Settings(exam_date=TODAY + dt.timedelta(days=30))
    print(f"Tracker work per dashboard rerun (median of {REPEATS}, ms)")
    print(
        f"{'rows':>6} {'assess':>8} {'chart':>8} {'plan':>8} {'rerun':>8}"
        f" {'png (download)':>15}"
    )
    at_100 = None
    for rows in SIZES:
        raw = synthetic_log(rows)
        assessment = assess(SOURCE, settings, TODAY, raw=raw)
        assess_ms = median_ms(lambda raw=raw: assess(SOURCE, settings, TODAY, raw=raw))
        chart_ms = median_ms(
            lambda a=assessment: chart_data.chart_spec(a, chart_data.chart_frame(a))
        )
        plan_ms = median_ms(lambda a=assessment: plan_text(a))
        png_ms = median_ms(lambda a=assessment: chart.to_png(chart.draw(a)), 5)
        rerun = assess_ms + chart_ms + plan_ms
        at_100 = rerun if rows == 100 else at_100
        print(
            f"{rows:>6} {assess_ms:>8.1f} {chart_ms:>8.1f} {plan_ms:>8.1f} {rerun:>8.1f}"
            f" {png_ms:>15.1f}"
        )
    verdict = "within" if at_100 <= BUDGET_MS else "OVER"
    print(f"At 100 rows a rerun takes {at_100:.0f} ms: {verdict} the {BUDGET_MS} ms budget")

    big = synthetic_log(100_000, per_day=50)
    read_big = median_ms(lambda: log.parse_log(big, source="bench.csv"), 5)
    print(f"Reading and validating a 100,000-row log: {read_big:.0f} ms (goal: under 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
