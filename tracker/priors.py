"""What is known of learning before the first score: the trend's prior, as plain data.

A module of its own, with no numpy, so the exam profiles (:mod:`tracker.exams`) can
hold their priors without loading the fitting code; :mod:`tracker.trend` uses it.
"""

from __future__ import annotations

from dataclasses import dataclass


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
