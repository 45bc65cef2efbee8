"""The simulated students of the forecast and calibration studies.

``bench/forecast.py`` projects these students' exam-day scores and ``bench/cohorts.py``
calibrates the catalog on cohorts of them; both take the students from here, so
neither benchmark imports the other.

Assumptions, each with where it comes from:

* Baseline ability N(222, 10) points, kept within 190–250: the seed article's typical
  baseline of 220–230, with students under 210 advised to rethink their plan.
* Learning, one shape in four each: *steady* (0.10–0.35 points/day: a 220–230
  baseline reaching 245–255 in 3–6 months, as in the seed article); *diminishing*
  returns (0.2–0.6 points/day at first, approaching a personal ceiling 15–40 points
  up); *plateau* (steady at first, flat from 20–60% of the way through); *burnout*
  (steady until 50–90% of the way, then losing 0.05–0.25 points/day).
* Schedules: 3–9 assessments over 3–13 weeks, the exam 1–4 weeks after the last; forms
  in the order students usually take them (older NBME forms first, UWSA 2 late).
* Form bias: each form's true offset (real exam minus practice score) is drawn from
  the range reported for it (NBME 9–16: 0 to +5; UWSA 1: −8 to −3; UWSA 2 and 3: −5 to
  0; see data/assessments.csv), so the catalog's conservative values are not exact.
* Practice-test noise SD 6 points; exam-day noise SD 7 points (USMLE's own standard
  error is about 6–8 points, so no method can average much better than 5–6).
* Scores are whole numbers, clipped to 1–300.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tracker.exams import STEP2_CK, load_catalog, shipped_catalog_path  # noqa: E402
from tracker.log import Entry  # noqa: E402

SHAPES = ("steady", "diminishing", "plateau", "burnout")
FORM_ORDER = (
    "NBME 9", "NBME 10", "NBME 11", "UWSA 1", "NBME 12", "NBME 13",
    "NBME 14", "UWSA 2", "NBME 15", "NBME 16", "UWSA 3",
)  # fmt: skip
TRUE_OFFSET_RANGE = {name: (0.0, 5.0) for name in FORM_ORDER if name.startswith("NBME")}
TRUE_OFFSET_RANGE |= {"UWSA 1": (-8.0, -3.0), "UWSA 2": (-5.0, 0.0), "UWSA 3": (-5.0, 0.0)}
PRACTICE_NOISE_SD = 6.0
EXAM_NOISE_SD = 7.0
LEVEL = 0.95  # of the intervals both studies report
STUDENTS_PER_SEED = 250
ORIGIN = dt.date(2026, 1, 5)


@dataclass(frozen=True)
class Student:
    shape: str
    days: tuple[int, ...]
    forms: tuple[str, ...]
    scores: tuple[int, ...]
    exam_day: int
    exam_score: int


def ability_curve(rng: np.random.Generator, shape: str, span: float) -> Callable:
    """True ability (points) as a function of day, for one simulated student."""
    base = float(np.clip(rng.normal(222, 10), 190, 250))
    rate = rng.uniform(0.10, 0.35)
    if shape == "steady":
        return lambda t: base + rate * t
    if shape == "diminishing":
        initial, gain = rng.uniform(0.2, 0.6), rng.uniform(15, 40)
        tau = gain / initial
        return lambda t: base + gain * (1 - math.exp(-t / tau))
    if shape == "plateau":
        stop = rng.uniform(0.2, 0.6) * span
        return lambda t: base + rate * min(t, stop)
    turn, decline = rng.uniform(0.5, 0.9) * span, rng.uniform(0.05, 0.25)
    return lambda t: base + rate * min(t, turn) - decline * max(0.0, t - turn)


@functools.cache  # the tuning grid asks for the same students again and again
def simulate(seed: int, count: int = STUDENTS_PER_SEED) -> tuple[Student, ...]:
    rng = np.random.default_rng(seed)
    students = []
    for i in range(count):
        shape = SHAPES[i % len(SHAPES)]
        n = int(rng.integers(3, 10))
        span = int(rng.integers(21, 92))
        inner = np.sort(rng.choice(np.arange(1, span), size=n - 2, replace=False))
        days = (0, *map(int, inner), span)
        exam_day = span + int(rng.integers(7, 29))
        ability = ability_curve(rng, shape, exam_day)
        picks = np.sort(rng.choice(len(FORM_ORDER), size=n, replace=False))
        forms = tuple(FORM_ORDER[k] for k in picks)
        offsets = {name: rng.uniform(*TRUE_OFFSET_RANGE[name]) for name in forms}
        scores = tuple(
            int(
                np.clip(
                    round(ability(d) - offsets[f] + rng.normal(0, PRACTICE_NOISE_SD)),
                    1,
                    300,
                )
            )
            for d, f in zip(days, forms, strict=True)
        )
        exam = int(np.clip(round(ability(exam_day) + rng.normal(0, EXAM_NOISE_SD)), 1, 300))
        students.append(Student(shape, days, forms, scores, exam_day, exam))
    return tuple(students)


def entries_of(student: Student) -> list[Entry]:
    return [
        Entry(ORIGIN + dt.timedelta(days=d), form, score)
        for d, form, score in zip(student.days, student.forms, student.scores, strict=True)
    ]


# The shipped Step 2 CK catalog: what the tracker believes of each form.
CATALOG = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK)
