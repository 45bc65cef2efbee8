"""The trend: ordinary least squares of score on days, with honest uncertainty.

x is days since the first assessment, y the score in points. For a day x0 the fit gives

* ``predicted_mean``  ŷ0 = a + b·x0
* ``se_mean``         s·√(1/n + (x0 − x̄)²/Sxx)       where the *trend* is
* ``se_obs``          s·√(1 + 1/n + (x0 − x̄)²/Sxx)   where *one sitting* may land

and intervals ŷ0 ± t(n−2)·se. Names follow statsmodels' prediction results. The
arithmetic is a few lines of numpy; the t distribution comes from ``scipy.special``
(much quicker to import than ``scipy.stats``, and this runs on every command).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import stdtr, stdtrit

from tracker.log import Entry

MIN_SCORES_FOR_TREND = 3  # two points always fit a line exactly: no residual left

# Residual variance below this share of the scores' own variance is rounding noise
# from points that lie on one line.
_PERFECT_FIT_RELATIVE_TOLERANCE = 1e-20


@dataclass(frozen=True, slots=True)
class NoTrend:
    """No line can be fitted; ``reason`` says why, in words for the student."""

    reason: str
    n: int


@dataclass(frozen=True, slots=True)
class LinearTrend:
    """An OLS fit of score (points) on x = days since ``origin``."""

    origin: dt.date
    n: int
    intercept: float  # points on the origin day
    slope: float  # points per day
    x_mean: float  # days
    sxx: float  # Σ(x − x̄)², days²
    resid_var: float  # s², points²
    first_day: float  # x of the earliest assessment (0 for a log), days
    last_day: float  # x of the most recent assessment, days

    @property
    def df(self) -> int:
        """Residual degrees of freedom, n − 2."""
        return self.n - 2

    @property
    def span_days(self) -> float:
        """Days from the first to the last assessment."""
        return self.last_day - self.first_day

    @property
    def slope_se(self) -> float:
        """Standard error of the slope, points per day."""
        return math.sqrt(self.resid_var / self.sxx)

    @property
    def perfect_fit(self) -> bool:
        """Every score lies on the line, so no uncertainty could be estimated."""
        return self.resid_var == 0.0

    @property
    def slope_per_week(self) -> float:
        """Points gained per week."""
        return self.slope * 7.0

    def days_since_origin(self, day: dt.date) -> int:
        return (day - self.origin).days

    def predict(self, x_days: np.ndarray | float) -> np.ndarray | float:
        """The trend's value (points) at ``x_days`` days after the origin."""
        return self.intercept + self.slope * np.asarray(x_days, dtype=float)

    def se_mean(self, x_days: np.ndarray | float) -> np.ndarray | float:
        """Standard error of the trend at ``x_days`` (points)."""
        return np.sqrt(self.resid_var * self._leverage(x_days))

    def se_obs(self, x_days: np.ndarray | float) -> np.ndarray | float:
        """Standard error of one new score at ``x_days`` (points)."""
        return np.sqrt(self.resid_var * (1.0 + self._leverage(x_days)))

    def _leverage(self, x_days: np.ndarray | float) -> np.ndarray | float:
        offset = np.asarray(x_days, dtype=float) - self.x_mean
        return 1.0 / self.n + offset**2 / self.sxx

    def bands(self, x_days: np.ndarray, level: float) -> Bands:
        """The trend and both intervals of coverage ``level`` (0–1) over ``x_days``."""
        x_days = np.asarray(x_days, dtype=float)
        multiplier = float(stdtrit(self.df, 0.5 + level / 2.0))
        mean = self.predict(x_days)
        half_mean = multiplier * self.se_mean(x_days)
        half_obs = multiplier * self.se_obs(x_days)
        return Bands(
            x=x_days,
            mean=mean,
            mean_ci_lower=mean - half_mean,
            mean_ci_upper=mean + half_mean,
            obs_ci_lower=mean - half_obs,
            obs_ci_upper=mean + half_obs,
        )

    def project(self, day: dt.date) -> Projection:
        """The projection for one calendar day (usually the exam day)."""
        x0 = float(self.days_since_origin(day))
        return Projection(
            day=day,
            x=x0,
            predicted_mean=float(self.predict(x0)),
            se_mean=float(self.se_mean(x0)),
            se_obs=float(self.se_obs(x0)),
            df=self.df,
            extrapolated=(x0 - self.last_day) > self.span_days,
        )

    def first_day_reaching(self, score: float) -> float | None:
        """x (days) where the trend line reaches ``score``; None if it never rises to it."""
        if self.slope <= 0:
            return None
        return (score - self.intercept) / self.slope


@dataclass(frozen=True, slots=True, eq=False)
class Bands:
    """Columns named as in statsmodels' ``summary_frame()``; points, over ``x`` days."""

    x: np.ndarray
    mean: np.ndarray
    mean_ci_lower: np.ndarray
    mean_ci_upper: np.ndarray
    obs_ci_lower: np.ndarray
    obs_ci_upper: np.ndarray


@dataclass(frozen=True, slots=True)
class Projection:
    """The fitted trend on one day, with the spread of the trend and of one sitting."""

    day: dt.date
    x: float  # days since the first assessment
    predicted_mean: float  # points
    se_mean: float  # points
    se_obs: float  # points
    df: int
    extrapolated: bool  # further past the last assessment than the data's own span

    def conf_int(self, obs: bool = False, alpha: float = 0.05) -> tuple[float, float]:
        """Interval of the trend (``obs=False``) or of one score (``obs=True``)."""
        se = self.se_obs if obs else self.se_mean
        half_width = float(stdtrit(self.df, 1.0 - alpha / 2.0)) * se
        return (self.predicted_mean - half_width, self.predicted_mean + half_width)

    def prob_at_least(self, score: float) -> float:
        """Chance that one sitting on this day scores ``score`` or more."""
        if self.se_obs == 0.0:
            return 1.0 if self.predicted_mean >= score else 0.0
        return float(stdtr(self.df, (self.predicted_mean - score) / self.se_obs))

    def prob_below(self, score: float) -> float:
        """Chance that one sitting on this day scores under ``score``."""
        return 1.0 - self.prob_at_least(score)


def fit_trend(entries: Sequence[Entry]) -> LinearTrend | NoTrend:
    """Fit score = a + b·days to the entries, or say why no trend can be fitted."""
    if len(entries) < MIN_SCORES_FOR_TREND:
        return NoTrend(reason=_too_few(len(entries)), n=len(entries))
    origin = min(entry.date for entry in entries)
    x = [(entry.date - origin).days for entry in entries]
    y = [entry.score for entry in entries]
    return fit_line(x, y, origin=origin)


def fit_line(
    x_days: Sequence[float] | np.ndarray,
    y_points: Sequence[float] | np.ndarray,
    *,
    origin: dt.date,
) -> LinearTrend | NoTrend:
    """OLS of ``y_points`` on ``x_days`` (days after ``origin``), centred for accuracy."""
    x = np.asarray(x_days, dtype=float)
    y = np.asarray(y_points, dtype=float)
    n = len(x)
    if n < MIN_SCORES_FOR_TREND:
        return NoTrend(reason=_too_few(n), n=n)
    x_mean, y_mean = x.mean(), y.mean()
    sxx = float(np.sum((x - x_mean) ** 2))
    if sxx == 0.0:
        return NoTrend(
            reason="all scores are from one day; a trend needs scores from different days",
            n=n,
        )
    slope = float(np.sum((x - x_mean) * (y - y_mean)) / sxx)
    intercept = float(y_mean - slope * x_mean)
    residuals = y - (intercept + slope * x)
    rss = float(np.sum(residuals**2))
    if rss <= _PERFECT_FIT_RELATIVE_TOLERANCE * float(np.sum((y - y_mean) ** 2)):
        rss = 0.0
    return LinearTrend(
        origin=origin,
        n=n,
        intercept=intercept,
        slope=slope,
        x_mean=float(x_mean),
        sxx=sxx,
        resid_var=rss / (n - 2),
        first_day=float(x.min()),
        last_day=float(x.max()),
    )


def _too_few(n: int) -> str:
    return (
        f"{n} score{'s' if n != 1 else ''} logged; a trend needs at least "
        f"{MIN_SCORES_FOR_TREND} to estimate its uncertainty"
    )
