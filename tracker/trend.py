"""The trend: ordinary least squares of score on days, with honest uncertainty.

x is days since the first assessment, y the score in points. For a day x0 the fit gives

* ``predicted_mean``  ŷ0 = a + b·x0
* ``se_mean``         s·√(1/n + (x0 − x̄)²/Sxx)       where the *trend* is
* ``se_obs``          s·√(1 + 1/n + (x0 − x̄)²/Sxx)   where *one sitting* may land

and intervals ŷ0 ± t(n−2)·se. Names follow statsmodels' prediction results. The
arithmetic is a few lines of numpy; the t distribution comes from
:mod:`tracker.student_t` (checked against scipy; importing ``scipy.special`` would cost
every command more than twice numpy's own import).

:func:`fit_bayes` is the same straight line with a prior on the learning rate
(conjugate normal–inverse-gamma): its credible band and predictive interval are
Student-t too, so both models share :class:`Projection` and :class:`Bands`. With no
prior at all it is exactly OLS.

Learning slows (:class:`Curve`): with a rate k > 0 per day, :func:`fit_bayes` fits the
same line in *study time* u = (1 − e^(−k·x))/k (days) instead of x. The slope then
shrinks by e^(−k·x) from the first assessment and the scores approach a ceiling
a + b/k, the published form of a self-assessment's projection (Bigach et al. 2021,
``292 − (292 − score)·0.987527^days``). For a fixed k the model is still linear in
(level, slope), so the conjugate prior, the Student-t intervals and every check against
statsmodels carry over; the ceiling's prior is one more normal prior, on the
combination level + slope/k. As k → 0, u → x: the straight line.

Practice forms are not all equally trustworthy: each has an offset uncertainty u
(points) in its catalog. Both fits take optional ``weights`` (WLS: a score of weight w
has variance scale/w; :func:`form_weights` makes them from u), ``offset_sd``, the u of
each score, and ``offset_group``, which form each score is. An offset's error is the
same every time that form is taken, so it does not average out like noise: with
ŷ0 = Σ c_j·y_j, the fits add Σ_f u_f²·(Σ_{j∈f} c_j)² over the forms f to the trend's
variance, which widens both intervals. (Scores of one form share its error: a student
who takes one form three times carries its bias once, not three independent times.)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from tracker.priors import (  # noqa: F401 (re-exported: the names the trend uses)
    DEFAULT_CURVE,
    MAX_RATE_PER_DAY,
    PRIOR_SPAN_DAYS,
    Curve,
    SlopePrior,
    study_time,
)
from tracker.student_t import stdtr, stdtrit

MIN_SCORES_FOR_TREND = 3  # two points always fit a line exactly: no residual left

# Residual variance below this share of the scores' own variance is rounding noise
# from points that lie on one line.
_PERFECT_FIT_RELATIVE_TOLERANCE = 1e-20


@dataclass(frozen=True, slots=True)
class NoTrend:
    """No line can be fitted; ``reason`` says why, in words for the student."""

    reason: str
    n: int


class _StraightLine:
    """What every fitted line offers; subclasses give the variance and leverage."""

    __slots__ = ()
    origin: dt.date
    intercept: float
    slope: float
    first_day: float
    last_day: float
    offset_terms: tuple[float, float, float]  # see offset_variance; points²

    @property
    def _centre(self) -> float:  # pragma: no cover - each model defines it
        """Days; the point the variance terms are written around."""
        raise NotImplementedError

    @property
    def df(self) -> float:  # pragma: no cover - each model defines it
        raise NotImplementedError

    def _scale(self) -> float:  # pragma: no cover
        """The variance one score has around the line (points²)."""
        raise NotImplementedError

    def _leverage(
        self, x_days: np.ndarray | float
    ) -> np.ndarray | float:  # pragma: no cover
        """The trend's variance at ``x_days`` as a multiple of :meth:`_scale`."""
        raise NotImplementedError

    def study_time(self, x_days: np.ndarray | float) -> np.ndarray | float:
        """Where the line is read at ``x_days``: the days themselves for a straight
        line; a curve reads it in study time (see :class:`Curve`)."""
        return np.asarray(x_days, dtype=float)

    def slope_at(self, x_days: float) -> float:
        """Points a day gained at ``x_days`` (the same every day on a straight line)."""
        return self.slope

    @property
    def span_days(self) -> float:
        """Days from the first to the last assessment."""
        return self.last_day - self.first_day

    @property
    def perfect_fit(self) -> bool:
        """No uncertainty could be estimated: every score lies on the line."""
        return self._scale() == 0.0

    @property
    def slope_per_week(self) -> float:
        """Points gained per week, at the last assessment (a curve's slope shrinks)."""
        return self.slope_at(self.last_day) * 7.0

    def days_since_origin(self, day: dt.date) -> int:
        return (day - self.origin).days

    def predict(self, x_days: np.ndarray | float) -> np.ndarray | float:
        """The trend's value (points) at ``x_days`` days after the origin."""
        return self.intercept + self.slope * self.study_time(x_days)

    def offset_variance(self, x_days: np.ndarray | float) -> np.ndarray | float:
        """What the forms' offset uncertainty adds to the trend's variance (points²)."""
        k_aa, k_ab, k_bb = self.offset_terms
        if k_aa == k_ab == k_bb == 0.0:
            return 0.0
        offset = self.study_time(x_days) - self._centre
        return k_aa + 2.0 * k_ab * offset + k_bb * offset**2

    def se_mean(self, x_days: np.ndarray | float) -> np.ndarray | float:
        """Standard error of the trend at ``x_days`` (points)."""
        trend_variance = self._scale() * self._leverage(x_days)
        return np.sqrt(trend_variance + self.offset_variance(x_days))

    def se_obs(self, x_days: np.ndarray | float) -> np.ndarray | float:
        """Standard error of one new score at ``x_days`` (points)."""
        return np.sqrt(
            self._scale() * (1.0 + self._leverage(x_days)) + self.offset_variance(x_days)
        )

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
        """x (days) where the trend reaches ``score``; None if it never rises to it."""
        if self.slope <= 0:
            return None
        return self._days_at((score - self.intercept) / self.slope)

    def _days_at(self, study_time: float) -> float | None:
        """The day (x) whose study time is ``study_time``; None if none is."""
        return study_time


@dataclass(frozen=True, slots=True)
class LinearTrend(_StraightLine):
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
    weight_sum: float | None = None  # Σ weights of a weighted fit; None: n
    offset_terms: tuple[float, float, float] = (0.0, 0.0, 0.0)
    model = "ols"

    @property
    def df(self) -> int:
        """Residual degrees of freedom, n − 2."""
        return self.n - 2

    @property
    def _centre(self) -> float:
        return self.x_mean

    @property
    def slope_se(self) -> float:
        """Standard error of the slope, points per day."""
        return math.sqrt(self.resid_var / self.sxx)

    def _scale(self) -> float:
        return self.resid_var

    def _leverage(self, x_days: np.ndarray | float) -> np.ndarray | float:
        offset = np.asarray(x_days, dtype=float) - self.x_mean
        total = self.n if self.weight_sum is None else self.weight_sum
        return 1.0 / total + offset**2 / self.sxx


@dataclass(frozen=True, slots=True)
class BayesianTrend(_StraightLine):
    """The posterior of a line under a :class:`SlopePrior`; x in days, y in points.

    With ``rate`` > 0 the line is read in study time (see :class:`Curve`): ``slope`` is
    the slope on the first day and ``x_ref`` a study time. ``v_aa, v_ab, v_bb`` is the
    posterior covariance of (level at ``x_ref``, slope) in units of the noise variance;
    ``scale`` is the posterior noise variance b/a (points²) and ``df`` = 2a the
    Student-t degrees of freedom.
    """

    origin: dt.date
    n: int
    intercept: float  # points on the origin day (posterior mean)
    slope: float  # points per day (posterior mean)
    x_ref: float  # days; the level's reference point
    v_aa: float
    v_ab: float
    v_bb: float
    scale: float  # points²
    degrees_of_freedom: float
    first_day: float
    last_day: float
    offset_terms: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rate: float = 0.0  # per day; 0: a straight line

    @property
    def model(self) -> str:
        """``bend`` for a curve, ``bayes`` for a straight line."""
        return "bend" if self.rate > 0 else "bayes"

    @property
    def df(self) -> float:
        return self.degrees_of_freedom

    @property
    def _centre(self) -> float:
        return self.x_ref

    def _scale(self) -> float:
        return self.scale

    def _leverage(self, x_days: np.ndarray | float) -> np.ndarray | float:
        offset = self.study_time(x_days) - self.x_ref
        return self.v_aa + 2.0 * self.v_ab * offset + self.v_bb * offset**2

    def study_time(self, x_days: np.ndarray | float) -> np.ndarray | float:
        return study_time(x_days, self.rate)

    def slope_at(self, x_days: float) -> float:
        return self.slope * math.exp(-self.rate * x_days)

    def _days_at(self, study_time: float) -> float | None:
        if self.rate == 0:
            return study_time
        if self.rate * study_time >= 1.0:
            return None  # beyond the ceiling
        return -math.log1p(-self.rate * study_time) / self.rate

    @property
    def ceiling(self) -> float | None:
        """The level a rising curve approaches (points); None for a line or a fall."""
        if self.rate == 0 or self.slope <= 0:
            return None
        return self.intercept + self.slope / self.rate


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
    df: float  # of the Student-t the intervals use
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


def fit_trend(
    dates: Sequence[dt.date],
    scores: Sequence[float],
    *,
    model: str = "ols",
    prior: SlopePrior | None = None,
    curve: Curve | None = None,
    weights: Sequence[float] | np.ndarray | None = None,
    offset_sd: Sequence[float] | np.ndarray | None = None,
    offset_group: Sequence[Hashable] | None = None,
) -> LinearTrend | BayesianTrend | NoTrend:
    """Fit score = a + b·days to (date, score) pairs, or say why no trend can be fitted.

    ``scores`` are points on the exam's scale; ``model`` is ``"ols"``, ``"bayes"``
    (with ``prior``, default :class:`SlopePrior`) or ``"bend"`` (the same with
    ``curve``, default :data:`DEFAULT_CURVE`). x counts days from the first date.
    ``weights``, ``offset_sd`` (points) and ``offset_group``, one per score, are
    described at the top.
    """
    if model not in ("ols", "bayes", "bend"):
        raise ValueError(f"unknown model {model!r}")
    if len(dates) < MIN_SCORES_FOR_TREND:
        return NoTrend(reason=_too_few(len(dates)), n=len(dates))
    origin = min(dates)
    x = [(day - origin).days for day in dates]
    if model != "ols":
        return fit_bayes(
            x, scores, origin=origin, prior=prior or SlopePrior(), weights=weights,
            offset_sd=offset_sd, offset_group=offset_group,
            curve=(curve or DEFAULT_CURVE) if model == "bend" else None,
        )  # fmt: skip
    return fit_line(
        x, scores, origin=origin, weights=weights, offset_sd=offset_sd,
        offset_group=offset_group,
    )  # fmt: skip


def form_weights(
    offset_sd: Sequence[float] | np.ndarray, noise_sd: float
) -> np.ndarray | None:
    """Weights 1/(σ0² + u²) for scores whose forms' offsets have uncertainty u (points).

    σ0 is ``noise_sd``, the practice-test noise guessed beforehand (points). The weights
    are scaled to a mean of 1, so the residual variance keeps its meaning (one typical
    score's), and equal uncertainties give None: no weighting at all, today's fit.
    """
    u = np.asarray(offset_sd, dtype=float)
    if u.size == 0 or np.all(u == u[0]):
        return None
    raw = 1.0 / (noise_sd**2 + u**2)
    return raw / raw.mean()


def _checked_weights(weights: Sequence[float] | np.ndarray | None, n: int) -> np.ndarray:
    if weights is None:
        return np.ones(n)
    w = np.asarray(weights, dtype=float)
    if w.shape != (n,) or not np.all(np.isfinite(w)) or not np.all(w > 0):
        raise ValueError(f"weights must be {n} finite positive numbers")
    return w


def _offset_terms(
    design: np.ndarray,
    precision_weights: np.ndarray,
    offset_sd: Sequence[float] | np.ndarray | None,
    covariance: np.ndarray,
    offset_group: Sequence[Hashable] | None = None,
) -> tuple[float, float, float]:
    """Σ_f u_f²·(Σ_{j∈f} c_j)² as a quadratic form in (1, x − centre), points².

    The fitted (level, slope) is ``covariance @ Σ X_j·w_j·y_j`` (+ the prior's part), so
    score j enters the value at x with c_j = (1, x − centre)·covariance·X_j·w_j, and a
    form's scores together with (1, x − centre)·covariance·Σ_{j∈f} X_j·w_j. Without
    groups every score is its own form.
    """
    if offset_sd is None:
        return (0.0, 0.0, 0.0)
    u = np.asarray(offset_sd, dtype=float)
    if u.shape != (len(design),) or not np.all(np.isfinite(u)) or np.any(u < 0):
        raise ValueError(f"offset_sd must be {len(design)} finite numbers, none negative")
    if not np.any(u):
        return (0.0, 0.0, 0.0)
    groups = list(range(len(u))) if offset_group is None else list(offset_group)
    if len(groups) != len(u):
        raise ValueError(f"offset_group must name the form of each of {len(u)} scores")
    members: dict[Hashable, list[int]] = {}
    for j, group in enumerate(groups):
        members.setdefault(group, []).append(j)
    weighted = design * precision_weights[:, None]
    # One column per form: its scores' summed design rows, times the form's u.
    sums = np.array([weighted[rows].sum(axis=0) * u[rows[0]] for rows in members.values()])
    spread = covariance @ sums.T
    terms = spread @ spread.T
    return float(terms[0, 0]), float(terms[0, 1]), float(terms[1, 1])


def fit_line(
    x_days: Sequence[float] | np.ndarray,
    y_points: Sequence[float] | np.ndarray,
    *,
    origin: dt.date,
    weights: Sequence[float] | np.ndarray | None = None,
    offset_sd: Sequence[float] | np.ndarray | None = None,
    offset_group: Sequence[Hashable] | None = None,
) -> LinearTrend | NoTrend:
    """OLS (or WLS with ``weights``) of ``y_points`` on ``x_days`` (days after
    ``origin``), centred for accuracy. A new score's weight is 1, as in statsmodels."""
    x = np.asarray(x_days, dtype=float)
    y = np.asarray(y_points, dtype=float)
    n = len(x)
    if n < MIN_SCORES_FOR_TREND:
        return NoTrend(reason=_too_few(n), n=n)
    w = _checked_weights(weights, n)
    total = float(w.sum())
    x_mean, y_mean = float(np.sum(w * x)) / total, float(np.sum(w * y)) / total
    sxx = float(np.sum(w * (x - x_mean) ** 2))
    if sxx == 0.0:
        return NoTrend(
            reason="all scores are from one day; a trend needs scores from different days",
            n=n,
        )
    slope = float(np.sum(w * (x - x_mean) * (y - y_mean)) / sxx)
    intercept = float(y_mean - slope * x_mean)
    residuals = y - (intercept + slope * x)
    rss = float(np.sum(w * residuals**2))
    if rss <= _PERFECT_FIT_RELATIVE_TOLERANCE * float(np.sum(w * (y - y_mean) ** 2)):
        rss = 0.0
    design = np.column_stack([np.ones(n), x - x_mean])
    covariance = np.diag([1.0 / total, 1.0 / sxx])  # (XᵀWX)⁻¹: centred, so diagonal
    return LinearTrend(
        origin=origin,
        n=n,
        intercept=intercept,
        slope=slope,
        x_mean=x_mean,
        sxx=sxx,
        resid_var=rss / (n - 2),
        first_day=float(x.min()),
        last_day=float(x.max()),
        weight_sum=None if weights is None else total,
        offset_terms=_offset_terms(design, w, offset_sd, covariance, offset_group),
    )


def _too_little_weight(prior: SlopePrior) -> str:
    return (
        f"with a recency half-life of {prior.half_life_days:g} "
        f"day{'' if prior.half_life_days == 1 else 's'} the older scores "
        "count for almost nothing, so one day's scores would have to carry the whole "
        "line; lengthen the half-life or give the prior some weight"
    )


def _too_few(n: int) -> str:
    return (
        f"{n} score{'s' if n != 1 else ''} logged; a trend needs at least "
        f"{MIN_SCORES_FOR_TREND} to estimate its uncertainty"
    )


def fit_bayes(
    x_days: Sequence[float] | np.ndarray,
    y_points: Sequence[float] | np.ndarray,
    *,
    origin: dt.date,
    prior: SlopePrior,
    weights: Sequence[float] | np.ndarray | None = None,
    offset_sd: Sequence[float] | np.ndarray | None = None,
    offset_group: Sequence[Hashable] | None = None,
    curve: Curve | None = None,
) -> BayesianTrend | NoTrend:
    """The conjugate normal–inverse-gamma posterior of a line with a slope prior.

    The level has a flat prior; the slope N(mean, sd²/weight) in points/day (scaled by
    the noise variance's guess, as conjugacy requires); the noise variance an inverse
    gamma worth ``noise_strength`` scores of SD ``noise_sd``. Recency weights, when
    asked for, make older scores count as fractions of a score. ``weights`` are
    precisions as in WLS: a score of weight w has variance σ²/w and still counts as one
    score in the degrees of freedom. With a ``curve`` the line is fitted in study time
    (the slope prior is then the first day's slope) and the ceiling has the prior
    N(curve.ceiling, curve.ceiling_sd²/weight), scaled like the slope's.
    """
    x = np.asarray(x_days, dtype=float)
    y = np.asarray(y_points, dtype=float)
    n = len(x)
    if n < MIN_SCORES_FOR_TREND:
        return NoTrend(reason=_too_few(n), n=n)
    if float(np.ptp(x)) == 0.0:
        return NoTrend(
            reason="all scores are from one day; a trend needs scores from different days",
            n=n,
        )
    recency = np.ones(n)
    if prior.half_life_days is not None:
        recency = 0.5 ** ((x.max() - x) / prior.half_life_days)
    both = recency if weights is None else recency * _checked_weights(weights, n)
    u = x if curve is None else curve.study_time(x)
    x_ref = float(u.mean())
    design = np.column_stack([np.ones(n), u - x_ref])
    try:
        mean, covariance, b_n, flat_directions = _posterior(
            design, y, both, prior if curve is None else curve.first_day_prior(prior),
            _ceiling_row(curve, x_ref),
        )  # fmt: skip
    except np.linalg.LinAlgError:
        return NoTrend(reason=_too_little_weight(prior), n=n)
    degrees_of_freedom = prior.noise_strength + float(recency.sum()) - flat_directions
    if degrees_of_freedom <= 0:
        return NoTrend(reason=_too_few(n), n=n)
    scale = 2.0 * b_n / degrees_of_freedom
    if scale <= _PERFECT_FIT_RELATIVE_TOLERANCE * float(np.sum((y - y.mean()) ** 2)):
        scale = 0.0
    level, slope = float(mean[0]), float(mean[1])
    return BayesianTrend(
        origin=origin,
        n=n,
        intercept=level - slope * x_ref,
        slope=slope,
        x_ref=x_ref,
        v_aa=float(covariance[0, 0]),
        v_ab=float(covariance[0, 1]),
        v_bb=float(covariance[1, 1]),
        scale=scale,
        degrees_of_freedom=degrees_of_freedom,
        first_day=float(x.min()),
        last_day=float(x.max()),
        offset_terms=_offset_terms(design, both, offset_sd, covariance, offset_group),
        rate=0.0 if curve is None else curve.rate,
    )


def _ceiling_row(curve: Curve | None, u_ref: float) -> tuple[np.ndarray, Curve] | None:
    """The ceiling as a combination of (level at ``u_ref``, slope): the level at study
    time 0 is level − slope·u_ref, and the ceiling that plus slope/rate."""
    if curve is None or curve.ceiling is None:
        return None
    return np.array([1.0, 1.0 / curve.rate - u_ref]), curve


def _posterior(
    design: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    prior: SlopePrior,
    ceiling: tuple[np.ndarray, Curve] | None = None,
) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Posterior mean of (level, slope), its covariance in units of σ², the inverse
    gamma's b_n (points²), and how many directions the prior leaves flat."""
    # Prior precision (in units of 1/σ²): none on the level, weight/(sd²/σ0²) on the
    # slope; a ceiling's prior adds weight/(ceiling_sd²/σ0²) along its combination.
    slope_precision = 0.0
    if prior.weight > 0:
        slope_precision = prior.weight * prior.noise_sd**2 / prior.sd**2
    prior_precision = np.diag([0.0, slope_precision])
    prior_pull = np.array([0.0, slope_precision * prior.mean])  # precision × mean
    ceiling_precision = 0.0
    if ceiling is not None and prior.weight > 0:
        row, curve = ceiling
        ceiling_precision = prior.weight * prior.noise_sd**2 / curve.ceiling_sd**2
        prior_precision = prior_precision + ceiling_precision * np.outer(row, row)
        prior_pull = prior_pull + ceiling_precision * curve.ceiling * row

    precision = prior_precision + design.T @ (weights[:, None] * design)
    # Recency weights can leave the older scores almost weightless: then the line is
    # held by one day's scores alone and has no slope to estimate.
    if not np.isfinite(np.linalg.cond(precision)) or np.linalg.cond(precision) > 1e12:
        raise np.linalg.LinAlgError("the weighted scores do not determine a line")
    covariance = np.linalg.inv(precision)
    mean = covariance @ (prior_pull + design.T @ (weights * y))

    residuals = y - design @ mean
    # b_n written as sums of squares, so rounding can never make it negative: each
    # prior is a row of pseudo-data, and its residual counts like a score's.
    misses = slope_precision * (mean[1] - prior.mean) ** 2
    if ceiling_precision > 0:
        misses += ceiling_precision * (float(row @ mean) - curve.ceiling) ** 2
    b_n = 0.5 * (
        prior.noise_strength * prior.noise_sd**2
        + float(np.sum(weights * residuals**2))
        + misses
    )
    # Each direction no prior holds loses a degree of freedom.
    flat_directions = 2 - (slope_precision > 0) - (ceiling_precision > 0)
    return mean, covariance, b_n, flat_directions
