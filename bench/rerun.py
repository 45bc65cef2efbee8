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
from tracker.assess import assess_readings, find_forms
from tracker.settings import Settings

TODAY = dt.date(2026, 11, 26)
SIZES = (10, 100, 1000)
REPEATS = 15


def synthetic_log(rows: int, seed: int = 0) -> bytes:
    """A log of ``rows`` results, 0–2 days apart, rising with practice-test noise.

    Logs hold dates from 1990 on, so a log too long for that (100,000 rows would reach
    back 270 years) is squeezed into the last 30 years, several rows a day.
    """
    rng = np.random.default_rng(seed)
    gaps = rng.integers(0, 3, size=rows)
    days_back = np.cumsum(gaps[::-1])[::-1] - gaps[-1]
    longest = 30 * 365
    if days_back.max() > longest:
        days_back = days_back * longest // days_back.max()
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
    settings = Settings(exam_date=TODAY + dt.timedelta(days=30))
    forms = find_forms(None, settings.exam)
    print(f"Tracker work per dashboard rerun (median of {REPEATS}, ms)")
    print(f"{'rows':>6} {'load':>8} {'verdict':>8} {'chart':>8} {'total':>8}")
    for rows in SIZES:
        raw = synthetic_log(rows)

        def load(raw=raw):
            entries = log.parse_log(raw, source="bench.csv", check=forms.reading)
            return entries, [forms.reading(e) for e in entries]

        entries, readings = load()

        def verdict(entries=entries, readings=readings):
            return assess_readings(entries, readings, settings, forms, TODAY)

        assessment = verdict()
        load_ms = median_ms(load)
        verdict_ms = median_ms(verdict)
        draw = median_ms(lambda a=assessment: chart.to_png(chart.draw(a)))
        print(
            f"{rows:>6} {load_ms:>8.1f} {verdict_ms:>8.1f} {draw:>8.1f} "
            f"{load_ms + verdict_ms + draw:>8.1f}"
        )

    big = synthetic_log(100_000)
    read_big = median_ms(lambda: log.parse_log(big, source="bench.csv"), 5)
    print(f"Reading and validating a 100,000-row log: {read_big:.0f} ms (goal: under 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
