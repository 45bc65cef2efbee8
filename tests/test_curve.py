"""The learning curve (model "bend"): a line in study time, checked two ways.

Study time u = (1 − e^(−k·x))/k. For a fixed rate k the curve is linear in (level,
slope), so statsmodels' weighted least squares with each prior as a row of pseudo-data
is an independent oracle; the hand-computed cases give every constant beside it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from tracker.trend import (
    DEFAULT_CURVE,
    PRIOR_SPAN_DAYS,
    BayesianTrend,
    Curve,
    NoTrend,
    SlopePrior,
    fit_bayes,
    fit_trend,
)

from conftest import random_log

RTOL = 1e-9
ORIGIN = dt.date(2026, 9, 1)
NO_PRIOR_NO_GUESS = SlopePrior(weight=0.0, noise_strength=0.0)


def xy(entries):
    origin = min(e.date for e in entries)
    x = np.array([(e.date - origin).days for e in entries], dtype=float)
    return x, np.array([e.score for e in entries], dtype=float)


# --- study time and the curve's shape, by hand --------------------------------------------


def test_study_time_by_hand():
    # k = 0.01: u(100) = (1 − e^−1)/0.01 = 63.21205588285577 days; u(0) = 0; and for
    # x far beyond 1/k, u approaches 1/k = 100 days.
    curve = Curve(rate=0.01)
    assert curve.study_time(0.0) == 0.0
    assert curve.study_time(100.0) == pytest.approx(63.21205588285577, rel=RTOL)
    assert curve.study_time(5000.0) == pytest.approx(100.0, rel=RTOL)


def test_points_on_a_curve_are_fitted_exactly_by_hand():
    # y = 250 − 20·e^(−0.02x): level 230 on day 0, first day's slope 20 × 0.02 = 0.4
    # points a day, ceiling 250. On days 0, 25, 50: 230, 250 − 20e^−0.5 = 237.8693868,
    # 250 − 20e^−1 = 242.6424112. With no prior the curve goes through all three.
    x = np.array([0.0, 25.0, 50.0])
    y = 250.0 - 20.0 * np.exp(-0.02 * x)
    trend = fit_bayes(x, y, origin=ORIGIN, prior=NO_PRIOR_NO_GUESS, curve=Curve(0.02))
    assert isinstance(trend, BayesianTrend) and trend.model == "bend"
    assert trend.perfect_fit
    assert trend.intercept == pytest.approx(230.0, rel=RTOL)
    assert trend.slope == pytest.approx(0.4, rel=RTOL)
    assert trend.ceiling == pytest.approx(250.0, rel=RTOL)
    # Day 100: 250 − 20e^−2 = 247.29329433526775.
    assert trend.predict(100.0) == pytest.approx(247.29329433526775, rel=RTOL)
    # The slope at the last assessment (day 50): 0.4·e^−1 a day, 2.8·e^−1 =
    # 1.0300637 points a week.
    assert trend.slope_per_week == pytest.approx(2.8 * math.exp(-1.0), rel=RTOL)
    # 240 is reached where 20e^(−0.02x) = 10: x = ln 2/0.02 = 34.657359 days.
    assert trend.first_day_reaching(240.0) == pytest.approx(34.65735902799727, rel=RTOL)
    # 250 is the ceiling itself and 260 beyond it: never reached.
    assert trend.first_day_reaching(250.0) is None
    assert trend.first_day_reaching(260.0) is None


def test_a_falling_curve_has_no_ceiling_and_reaches_nothing_higher():
    # y = 230 + 10·e^(−0.02x) falls from 240 toward 230.
    x = np.array([0.0, 25.0, 50.0])
    y = 230.0 + 10.0 * np.exp(-0.02 * x)
    trend = fit_bayes(x, y, origin=ORIGIN, prior=NO_PRIOR_NO_GUESS, curve=Curve(0.02))
    assert trend.slope == pytest.approx(-0.2, rel=RTOL)
    assert trend.ceiling is None
    assert trend.first_day_reaching(245.0) is None


def test_the_first_day_prior_by_hand():
    # The prior's 0.2 ± 0.1 points a day is an average over 90 days. On a curve of rate
    # 0.01, u(90) = (1 − e^−0.9)/0.01 = 59.34303402594009 days, so the first day's slope
    # is 0.2 × 90/59.343 = 0.30332... ± 0.15166...
    assert PRIOR_SPAN_DAYS == 90.0
    first = Curve(0.01).first_day_prior(SlopePrior())
    stretch = 90.0 / 59.34303402594009
    assert first.mean == pytest.approx(0.2 * stretch, rel=RTOL)
    assert first.sd == pytest.approx(0.1 * stretch, rel=RTOL)
    assert (first.weight, first.noise_sd) == (1.0, 7.0)


@pytest.mark.parametrize(
    "fields",
    [
        {"rate": 0.0},
        {"rate": -0.01},
        {"rate": math.nan},
        {"rate": math.inf},
        {"rate": 1.5},
        {"rate": 0.01, "ceiling": math.nan},
        {"rate": 0.01, "ceiling": -5.0},
        {"rate": 0.01, "ceiling": 280.0, "ceiling_sd": 0.0},
        {"rate": 0.01, "ceiling": 280.0, "ceiling_sd": math.inf},
    ],
)
def test_a_curve_refuses_numbers_that_mean_nothing(fields):
    with pytest.raises(ValueError, match="curve"):
        Curve(**fields)


# --- the posterior, against statsmodels ---------------------------------------------------


def _augmented(x, y, weights, prior, curve):
    """statsmodels' WLS on the scores plus one row of pseudo-data per prior, in the fit's
    own parametrisation: (level at the mean study time, first day's slope)."""
    u = curve.study_time(x)
    u_ref = u.mean()
    design = np.column_stack([np.ones_like(u), u - u_ref])
    first = curve.first_day_prior(prior)
    rows, targets, row_weights = [design], [y], [weights]
    # The slope prior: a row (0, 1) with "score" its mean, weighted by σ0²/sd².
    rows.append([[0.0, 1.0]])
    targets.append([first.mean])
    row_weights.append([prior.weight * prior.noise_sd**2 / first.sd**2])
    if curve.ceiling is not None:
        # The ceiling, level at study time 0 plus slope/k: row (1, 1/k − u_ref).
        rows.append([[1.0, 1.0 / curve.rate - u_ref]])
        targets.append([curve.ceiling])
        row_weights.append([prior.weight * prior.noise_sd**2 / curve.ceiling_sd**2])
    fit = sm.WLS(
        np.concatenate(targets), np.vstack(rows), weights=np.concatenate(row_weights)
    ).fit()
    return fit, u_ref


CURVES = [
    Curve(0.0085, 280.0, 20.0),
    Curve(0.02),  # no prior on the ceiling: the slope only shrinks
    Curve(0.003, 260.0, 5.0),
]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("curve", CURVES, ids=["default", "no ceiling", "firm ceiling"])
def test_the_curve_matches_weighted_least_squares_with_priors_as_rows(seed, curve):
    entries = random_log(seed)
    x, y = xy(entries)
    prior = SlopePrior(weight=1.5, noise_sd=7.0, noise_strength=4.0)
    dates = [e.date for e in entries]
    trend = fit_trend(dates, y, model="bend", prior=prior, curve=curve)
    fit, u_ref = _augmented(x, y, np.ones_like(x), prior, curve)

    level, slope = fit.params
    np.testing.assert_allclose(trend.slope, slope, rtol=RTOL)
    np.testing.assert_allclose(trend.intercept, level - slope * u_ref, rtol=RTOL)
    covariance = fit.normalized_cov_params
    np.testing.assert_allclose(
        [trend.v_aa, trend.v_ab, trend.v_bb],
        [covariance[0, 0], covariance[0, 1], covariance[1, 1]],
        rtol=1e-8,
        atol=1e-15,
    )
    # Degrees of freedom: the noise guess plus the scores, less the directions no prior
    # holds (none with a ceiling prior, the level without one).
    flat = 0 if curve.ceiling is not None else 1
    df = prior.noise_strength + len(x) - flat
    scale = (prior.noise_strength * prior.noise_sd**2 + fit.ssr) / df
    np.testing.assert_allclose([trend.df, trend.scale], [df, scale], rtol=RTOL)
    # One sitting 21 days after the last score, at 95%: ŷ ± t(df)·se_obs.
    x0 = x.max() + 21.0
    row = np.array([1.0, curve.study_time(x0) - u_ref])
    mean = row @ fit.params
    se_obs = np.sqrt(scale * (1.0 + row @ covariance @ row))
    bands = trend.bands(np.array([x0]), 0.95)
    half = stats.t.ppf(0.975, df) * se_obs
    np.testing.assert_allclose(bands.mean, [mean], rtol=RTOL)
    np.testing.assert_allclose(bands.obs_ci_lower, [mean - half], rtol=RTOL)
    np.testing.assert_allclose(bands.obs_ci_upper, [mean + half], rtol=RTOL)


def test_weights_and_the_forms_uncertainty_carry_over_to_the_curve():
    # Form weights are WLS weights in study time as on a line; the forms' offset
    # variance is the same quadratic form, in u − u_ref.
    x = np.array([0.0, 10.0, 21.0, 35.0, 50.0])
    y = np.array([221.0, 229.0, 233.0, 239.0, 240.0])
    w = np.array([0.8, 1.2, 1.0, 0.9, 1.1])
    prior, curve = SlopePrior(), DEFAULT_CURVE
    trend = fit_bayes(x, y, origin=ORIGIN, prior=prior, curve=curve, weights=w)
    fit, u_ref = _augmented(x, y, w, prior, curve)
    np.testing.assert_allclose(trend.slope, fit.params[1], rtol=RTOL)
    offsets = fit_bayes(
        x, y, origin=ORIGIN, prior=prior, curve=curve, weights=w, offset_sd=[3.0] * 5
    )
    # Five forms of u = 3: each score j adds 9·c_j² to the trend's variance at x0, with
    # c the row of (1, u0 − u_ref)·(XᵀWX + Λ)⁻¹·Xᵀ·W.
    design = np.column_stack([np.ones(5), curve.study_time(x) - u_ref])
    x0 = 70.0
    row = np.array([1.0, curve.study_time(x0) - u_ref])
    c = row @ fit.normalized_cov_params @ (design * w[:, None]).T
    added = offsets.se_mean(x0) ** 2 - trend.se_mean(x0) ** 2
    np.testing.assert_allclose(added, 9.0 * np.sum(c**2), rtol=1e-8)


def test_a_gentle_curve_is_almost_the_line():
    # k = 1e-9 a day: u differs from x by about k·x²/2, under 1e-5 days here.
    entries = random_log(3)
    dates, scores = [e.date for e in entries], [e.score for e in entries]
    gentle = fit_trend(dates, scores, model="bend", curve=Curve(1e-9))
    line = fit_trend(dates, scores, model="bayes")
    exam = max(dates) + dt.timedelta(days=30)
    assert gentle.project(exam).predicted_mean == pytest.approx(
        line.project(exam).predicted_mean, abs=1e-3
    )


def test_the_default_curve_is_used_when_none_is_given():
    entries = random_log(5)
    dates, scores = [e.date for e in entries], [e.score for e in entries]
    assert fit_trend(dates, scores, model="bend") == fit_trend(
        dates, scores, model="bend", curve=DEFAULT_CURVE
    )


@pytest.mark.parametrize(
    ("days", "reason"),
    [
        ((0, 7), "2 scores logged; a trend needs at least 3 to estimate its uncertainty"),
        (
            (3, 3, 3),
            "all scores are from one day; a trend needs scores from different days",
        ),
    ],
    ids=["two", "one day"],
)
def test_degenerate_logs_give_no_curve(days, reason):
    dates = [ORIGIN + dt.timedelta(days=d) for d in days]
    trend = fit_trend(dates, [230, 240, 250][: len(days)], model="bend")
    assert trend == NoTrend(reason=reason, n=len(days))


@settings(max_examples=60, deadline=None)
@given(
    rate=st.floats(1e-4, 1.0),
    days=st.lists(st.integers(0, 1000), min_size=3, max_size=12, unique=True),
    scores=st.lists(st.floats(1.0, 300.0), min_size=12, max_size=12),
)
def test_the_predictive_interval_holds_the_credible_band(rate, days, scores):
    dates = [ORIGIN + dt.timedelta(days=d) for d in days]
    trend = fit_trend(
        dates,
        scores[: len(days)],
        model="bend",
        curve=dataclasses.replace(DEFAULT_CURVE, rate=rate),
    )
    x = np.linspace(0.0, max(days) + 365.0, 20)
    bands = trend.bands(x, 0.95)
    assert np.all(np.isfinite(bands.obs_ci_lower)) and np.all(
        np.isfinite(bands.obs_ci_upper)
    )
    assert np.all(bands.obs_ci_lower <= bands.mean_ci_lower + 1e-9)
    assert np.all(bands.mean_ci_upper <= bands.obs_ci_upper + 1e-9)
