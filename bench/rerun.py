"""Tracker work per dashboard rerun — load, fit and verdict, chart — by log size.

Run with ``make bench``. Prints the median of several runs in milliseconds. Streamlit's
own overhead is not included; the dashboard caches this work on the log's bytes, so a
rerun with an unchanged log and settings skips it entirely.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time

import numpy as np

from tracker import chart, log
from tracker.verdict import Policy, decide

TODAY = dt.date(2026, 11, 26)
SIZES = (10, 100, 1000)
REPEATS = 15


def synthetic_log(rows: int, seed: int = 0) -> bytes:
    """A log of ``rows`` results, 0–2 days apart, rising with practice-test noise."""
    rng = np.random.default_rng(seed)
    gaps = rng.integers(0, 3, size=rows)
    days_back = np.cumsum(gaps[::-1])[::-1] - gaps[-1]
    entries = []
    for i, back in enumerate(days_back):
        score = int(np.clip(round(215 + 0.1 * i + rng.normal(0, 6)), 1, 300))
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
    exam = TODAY + dt.timedelta(days=30)
    policy = Policy()
    print(f"Tracker work per dashboard rerun (median of {REPEATS}, ms)")
    print(f"{'rows':>6} {'load':>8} {'verdict':>8} {'chart':>8} {'total':>8}")
    for rows in SIZES:
        raw = synthetic_log(rows)
        entries = log.parse_log(raw, source="bench.csv", today=TODAY)
        verdict = decide(entries, exam, today=TODAY, policy=policy)
        load = median_ms(
            lambda raw=raw: log.parse_log(raw, source="bench.csv", today=TODAY)
        )
        decide_ms = median_ms(
            lambda entries=entries: decide(entries, exam, today=TODAY, policy=policy)
        )
        draw = median_ms(lambda verdict=verdict: chart.to_png(chart.draw(verdict)))
        print(
            f"{rows:>6} {load:>8.1f} {decide_ms:>8.1f} {draw:>8.1f} "
            f"{load + decide_ms + draw:>8.1f}"
        )

    big = synthetic_log(100_000)
    read_big = median_ms(lambda: log.parse_log(big, source="bench.csv", today=TODAY), 5)
    print(f"Reading and validating a 100,000-row log: {read_big:.0f} ms (goal: under 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
