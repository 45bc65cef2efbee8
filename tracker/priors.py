"""What is known of learning before the first score: the trend's prior, as plain data.

A module of its own, with no numpy, so the exam profiles (:mod:`tracker.exams`) can
hold their priors without loading the fitting code; :mod:`tracker.trend` uses it.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

MAX_RATE_PER_DAY = 1.0  # a slope halving in under a day is no learning curve
# A learning-rate prior speaks of the average gain over a preparation: the seed's
# 220–230 baseline reaching 245–255 in 3–6 months. A curve reads it over the first 3.
PRIOR_SPAN_DAYS = 90.0


@dataclass(frozen=True, slots=True)
class SlopePrior:
    """What is known of learning before the first score: the prior of
    :func:`tracker.trend.fit_bayes`.

    Defaults: a 220–230 baseline reaching 245–255 in 3–6 months is about 0.15–0.3
    points a day, so the slope is N(0.2, 0.1²) points/day. ``weight`` multiplies the
    prior's precision (0: no slope prior). The residual SD is guessed at ``noise_sd``
    points (practice-test noise of about 6 plus differences between forms), worth
    ``noise_strength`` scores (0: no guess). ``half_life_days`` weights each score by
    ½ per that many days before the last one (None: all count alike).
    """

    mean: float = 0.2
    sd: float = 0.1
    weight: float = 1.0
    noise_sd: float = 7.0
    noise_strength: float = 4.0
    half_life_days: float | None = None


def study_time(x_days, rate: float):
    """(1 − e^(−rate·x))/rate (days) for x days (a number or a numpy array) and a rate
    per day; x itself at rate 0."""
    import numpy as np  # here, not at the top: the exam profiles load this module

    x = np.asarray(x_days, dtype=float)
    return x if rate == 0 else -np.expm1(-rate * x) / rate


@dataclass(frozen=True, slots=True)
class Curve:
    """How learning slows: the slope shrinks by e^(−rate·days) after the first
    assessment, so scores approach a ceiling. ``rate`` is per day (ln 2/rate is the
    slope's half-life in days). Before any score the ceiling is thought to be
    N(``ceiling``, ``ceiling_sd``²) points; with ``ceiling`` None nothing is assumed of
    it (the slope only shrinks)."""

    rate: float
    ceiling: float | None = None
    ceiling_sd: float = 20.0

    def __post_init__(self) -> None:
        for name in ("rate", "ceiling", "ceiling_sd"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value > 0):
                raise ValueError(f"curve {name} must be a finite positive number")
        if self.rate > MAX_RATE_PER_DAY:
            raise ValueError(f"curve rate must be at most {MAX_RATE_PER_DAY} a day")

    def study_time(self, x_days):
        """Days of learning at the first day's pace by ``x_days`` (a number or a numpy
        array; :func:`tracker.trend.study_time`)."""
        return study_time(x_days, self.rate)

    def first_day_prior(self, prior: SlopePrior) -> SlopePrior:
        """The slope prior for the first day's slope. ``prior`` is about the average
        gain per day over :data:`PRIOR_SPAN_DAYS`; on a curve that average is the
        first day's slope times u(span)/span, so mean and SD grow by span/u(span)."""
        stretch = PRIOR_SPAN_DAYS / float(self.study_time(PRIOR_SPAN_DAYS))
        return dataclasses.replace(prior, mean=prior.mean * stretch, sd=prior.sd * stretch)


# Step 2 CK's curve, from the sources alone (bench/forecast.py: the rate in the middle
# of 0.0045–0.0125 a day, the ceiling where students' reported gains run out); the
# forecast benchmark preferred it to the curve tuned on simulated students.
DEFAULT_CURVE = Curve(rate=0.0085, ceiling=280.0, ceiling_sd=20.0)
