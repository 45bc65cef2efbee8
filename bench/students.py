"""The simulated students of the forecast and calibration studies.

``bench/forecast.py`` projects these students' exam-day scores and ``bench/cohorts.py``
calibrates the catalog on cohorts of them; both take the students from here, so
neither benchmark imports the other.

Assumptions, each with where it comes from:

* Baseline ability N(222, 10) points, kept within 190–250: the seed article's typical
  baseline of 220–230, with students under 210 advised to rethink their plan.
* Learning shapes: *steady* (0.10–0.35 points/day: a 220–230 baseline reaching
  245–255 in 3–6 months, as in the seed article); *diminishing* returns (0.2–0.6
  points/day at first, approaching a personal ceiling 15–40 points up); *plateau*
  (steady at first, flat from 20–60% of the way through); *burnout* (steady until
  50–90% of the way, then losing 0.05–0.25 points/day); *ceiling*, the published form
  of a self-assessment's projection, C − (C − baseline)·e^(−k·days) (Bigach et al.
  2021, PMC8368818: C = 292 and k = 0.01255 a day for Step 1's brief intense study
  period), with C 270–292 and k 0.0045–0.0125 a day for Step 2 CK: gains that shrink
  as the level rises, as students report (about +20 points from under 235, +11 from
  245–254, +2 from 265 and up: C near 280, self-reported), a 225 baseline reaching
  245–255 in 3–6 months at the slowest rate (the seed article), and the published
  Step 1 rate as the fastest.
* Worlds: *four shapes* (steady, diminishing, plateau, burnout, one in four each; the
  tuning world, and the only world of earlier runs); *steady* (all steady);
  *saturating* (all *ceiling*); *stalling* (half plateau, half burnout).
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

from tracker.exams import (  # noqa: E402
    STEP2_CK,
    load_catalog,
    shipped_catalog_path,
)
from tracker.log import Entry  # noqa: E402

SHAPES = ("steady", "diminishing", "plateau", "burnout")
# Worlds of learners, each a mix of shapes taken in turn. Only the first tunes anything.
WORLDS = {
    "four shapes": SHAPES,
    "steady": ("steady",),
    "saturating": ("ceiling",),
    "stalling": ("plateau", "burnout"),
}
TUNING_WORLD = "four shapes"
CEILING_RANGE = (270.0, 292.0)  # points
CEILING_RATE_RANGE = (0.0045, 0.0125)  # per day
FORM_ORDER = (
    "NBME 9", "NBME 10", "NBME 11", "UWSA 1", "NBME 12", "NBME 13",
    "NBME 14", "UWSA 2", "NBME 15", "NBME 16", "UWSA 3",
)  # fmt: skip
TRUE_OFFSET_RANGE = {name: (0.0, 5.0) for name in FORM_ORDER if name.startswith("NBME")}
TRUE_OFFSET_RANGE |= {"UWSA 1": (-8.0, -3.0), "UWSA 2": (-5.0, 0.0), "UWSA 3": (-5.0, 0.0)}
PRACTICE_NOISE_SD = 6.0
EXAM_NOISE_SD = 7.0
THRESHOLD, PASSING = 240, 214
LEVEL = 0.95
TUNING_SEEDS = range(0, 8)
HELD_OUT_SEEDS = range(1000, 1016)
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
    exam_ability: float = math.nan  # points: the truth the exam score is noise around


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
    if shape == "ceiling":
        ceiling, pace = rng.uniform(*CEILING_RANGE), rng.uniform(*CEILING_RATE_RANGE)
        return lambda t: ceiling - (ceiling - base) * math.exp(-pace * t)
    turn, decline = rng.uniform(0.5, 0.9) * span, rng.uniform(0.05, 0.25)
    return lambda t: base + rate * min(t, turn) - decline * max(0.0, t - turn)


@functools.cache  # the tuning grid asks for the same students again and again
def simulate(
    seed: int, count: int = STUDENTS_PER_SEED, world: str = TUNING_WORLD
) -> tuple[Student, ...]:
    """``count`` students of ``world``, its shapes in turn. The tuning world's students
    are those of every earlier run of this benchmark; another world's seed is its own."""
    shapes = WORLDS[world]
    rng = np.random.default_rng(
        seed if world == TUNING_WORLD else [seed, list(WORLDS).index(world)]
    )
    students = []
    for i in range(count):
        shape = shapes[i % len(shapes)]
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
        truth = ability(exam_day)
        exam = int(np.clip(round(truth + rng.normal(0, EXAM_NOISE_SD)), 1, 300))
        students.append(Student(shape, days, forms, scores, exam_day, exam, truth))
    return tuple(students)


def entries_of(student: Student) -> list[Entry]:
    return [
        Entry(ORIGIN + dt.timedelta(days=d), form, score)
        for d, form, score in zip(student.days, student.forms, student.scores, strict=True)
    ]


# The shipped catalog: the forms as the tracker knows them.
CATALOG = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK)
