"""The learning-rate prior model, against statsmodels two ways."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from tracker.trend import (
    BayesianTrend,
    LinearTrend,
    NoTrend,
    SlopePrior,
    fit_bayes,
    fit_trend,
)

from conftest import entries_from, random_log

RTOL = 1e-9
ORIGIN = dt.date(2026, 9, 1)


def fit_entries(entries, **options):
    """The trend of a log's (date, score) pairs, as the core is called with them."""
    return fit_trend([e.date for e in entries], [e.score for e in entries], **options)


def xy(entries):
    origin = min(e.date for e in entries)
    x = np.array([(e.date - origin).days for e in entries], dtype=float)
    return x, np.array([e.score for e in entries], dtype=float)


@pytest.mark.parametrize("seed", range(10))
def test_without_any_prior_it_is_exactly_ols(seed):
    entries = random_log(seed)
    x, y = xy(entries)
    no_prior = SlopePrior(weight=0.0, noise_strength=0.0)
    trend = fit_entries(entries, model="bayes", prior=no_prior)
    assert isinstance(trend, BayesianTrend) and trend.df == len(entries) - 2
    model = sm.OLS(y, sm.add_constant(x)).fit()
    x_new = np.array([0.0, x.max(), x.max() + 30])
    frame = model.get_prediction(sm.add_constant(x_new, has_constant="add")).summary_frame()
    bands = trend.bands(x_new, 0.95)
    np.testing.assert_allclose(bands.mean, frame["mean"], rtol=RTOL)
    np.testing.assert_allclose(bands.mean_ci_lower, frame["mean_ci_lower"], rtol=RTOL)
    np.testing.assert_allclose(bands.obs_ci_upper, frame["obs_ci_upper"], rtol=RTOL)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("half_life", [None, 21.0])
def test_posterior_matches_weighted_least_squares_with_the_prior_as_a_data_row(
    seed, half_life
):
    # A normal prior on the slope is one more observation: a row (level 0, slope 1)
    # whose "score" is the prior mean, weighted by the prior's precision. statsmodels'
    # WLS on the augmented data then gives the posterior mean, its covariance (up to
    # the noise variance) and the weighted residual sum of squares.
    prior = SlopePrior(
        mean=0.2,
        sd=0.1,
        weight=1.5,
        noise_sd=7.0,
        noise_strength=4.0,
        half_life_days=half_life,
    )
    entries = random_log(seed)
    x, y = xy(entries)
    trend = fit_entries(entries, model="bayes", prior=prior)

    x_ref = x.mean()
    weights = np.ones_like(x) if half_life is None else 0.5 ** ((x.max() - x) / half_life)
    design = np.column_stack([np.ones_like(x), x - x_ref])
    prior_weight = prior.weight * prior.noise_sd**2 / prior.sd**2
    augmented = sm.WLS(
        np.append(y, prior.mean),
        np.vstack([design, [0.0, 1.0]]),
        weights=np.append(weights, prior_weight),
    ).fit()
    level, slope = augmented.params
    np.testing.assert_allclose(trend.slope, slope, rtol=RTOL)
    np.testing.assert_allclose(trend.intercept, level - slope * x_ref, rtol=RTOL)
    covariance = augmented.normalized_cov_params
    np.testing.assert_allclose(
        [trend.v_aa, trend.v_ab, trend.v_bb],
        [covariance[0, 0], covariance[0, 1], covariance[1, 1]],
        rtol=1e-8,
        atol=1e-15,
    )
    # The noise variance: prior guess and weighted residuals over the degrees of freedom.
    df = prior.noise_strength + weights.sum() - 1
    expected_scale = (prior.noise_strength * prior.noise_sd**2 + augmented.ssr) / df
    np.testing.assert_allclose(trend.df, df, rtol=RTOL)
    np.testing.assert_allclose(trend.scale, expected_scale, rtol=RTOL)
    x0 = x.max() + 21
    row = np.array([1.0, x0 - x_ref])
    np.testing.assert_allclose(
        trend.se_obs(x0), np.sqrt(expected_scale * (1 + row @ covariance @ row)), rtol=RTOL
    )


def test_a_stronger_prior_pulls_the_slope_towards_its_mean():
    flat = entries_from([(0, 230), (10, 231), (20, 229), (30, 230)])
    slopes = [
        fit_entries(flat, model="bayes", prior=SlopePrior(weight=w)).slope
        for w in (0.0, 0.5, 1.0, 4.0, 100.0)
    ]
    assert slopes[0] == pytest.approx(-0.01, abs=0.02)
    assert all(a < b for a, b in itertools.pairwise(slopes))
    assert slopes[-1] == pytest.approx(0.2, abs=0.01)


def test_recency_weighting_follows_the_latest_scores():
    # A rise that stopped: the recent half is flat at 240.
    entries = entries_from([(0, 220), (7, 230), (14, 240), (21, 240), (28, 240), (35, 240)])
    no_prior = SlopePrior(weight=0.0, noise_strength=4.0)
    plain = fit_entries(entries, model="bayes", prior=no_prior)
    recent = fit_entries(
        entries,
        model="bayes",
        prior=SlopePrior(weight=0.0, noise_strength=4.0, half_life_days=7.0),
    )
    assert recent.slope < plain.slope


@pytest.mark.parametrize(
    "pairs", [[(0, 230), (7, 235)], [(3, 230), (3, 240), (3, 250)]], ids=["two", "same day"]
)
def test_degenerate_logs_give_no_trend(pairs):
    assert isinstance(fit_entries(entries_from(pairs), model="bayes"), NoTrend)


def test_the_default_prior_is_used_when_none_is_given():
    entries = entries_from([(0, 220), (7, 226), (14, 229), (21, 236)])
    assert fit_entries(entries, model="bayes") == fit_entries(
        entries, model="bayes", prior=SlopePrior()
    )
    assert isinstance(fit_entries(entries), LinearTrend)  # OLS unless asked


def test_fit_bayes_on_plain_arrays():
    # Days 0, 7, 14, 21 and 220, 226, 229, 236 given as plain numbers: the same line as
    # from dates, and the same numbers as statsmodels' least squares with the default
    # prior as a data row (level 0, slope 1, "score" 0.2) of weight 7²/0.1² = 4,900.
    x, y = np.array([0.0, 7.0, 14.0, 21.0]), np.array([220.0, 226.0, 229.0, 236.0])
    trend = fit_bayes(x, y, origin=ORIGIN, prior=SlopePrior())
    dates = [ORIGIN + dt.timedelta(days=int(d)) for d in x]
    assert trend == fit_trend(dates, list(y), model="bayes")

    design = np.column_stack([np.ones(4), x - 10.5])
    augmented = sm.WLS(
        np.append(y, 0.2), np.vstack([design, [0.0, 1.0]]), weights=[1, 1, 1, 1, 4900]
    ).fit()
    level, slope = augmented.params
    # Noise: the guess (4 scores of SD 7) plus the residuals, over 4 + 4 − 1 = 7 df.
    scale = (4 * 7.0**2 + augmented.ssr) / 7
    row = np.array([1.0, 35.0 - 10.5])
    se_obs = np.sqrt(scale * (1.0 + row @ augmented.normalized_cov_params @ row))
    half = stats.t.ppf(0.975, 7) * se_obs

    projection = trend.project(ORIGIN + dt.timedelta(days=35))
    assert projection.df == 7
    np.testing.assert_allclose(projection.predicted_mean, level + slope * 24.5, rtol=RTOL)
    np.testing.assert_allclose(projection.se_obs, se_obs, rtol=RTOL)
    low, high = projection.conf_int(obs=True)
    np.testing.assert_allclose(
        [low, high], [level + slope * 24.5 - half, level + slope * 24.5 + half], rtol=RTOL
    )
    assert projection.conf_int(obs=False)[0] > low


def test_fit_bayes_needs_three_scores_even_when_called_directly():
    trend = fit_bayes([0, 7], [220, 226], origin=ORIGIN, prior=SlopePrior())
    assert trend == NoTrend(
        reason="2 scores logged; a trend needs at least 3 to estimate its uncertainty",
        n=2,
    )


def test_scores_of_one_day_give_no_trend_and_say_so():
    trend = fit_bayes([3, 3, 3], [230, 240, 250], origin=ORIGIN, prior=SlopePrior())
    assert trend == NoTrend(
        reason="all scores are from one day; a trend needs scores from different days",
        n=3,
    )


# Days 0, 0 and 7 with a 7-day half-life weigh ½, ½ and 1: two scores' worth. With no
# slope prior (two flat directions, each taking one degree of freedom) and a noise
# guess worth ``strength`` scores, the degrees of freedom are strength + 2 − 2.
def _weighed(strength: float):
    prior = SlopePrior(weight=0.0, noise_strength=strength, half_life_days=7.0)
    return fit_bayes([0, 0, 7], [220, 222, 230], origin=ORIGIN, prior=prior)


def test_no_degree_of_freedom_left_gives_no_trend():
    assert _weighed(0.0) == NoTrend(
        reason="3 scores logged; a trend needs at least 3 to estimate its uncertainty",
        n=3,
    )


def test_one_degree_of_freedom_is_enough():
    trend = _weighed(1.0)
    assert isinstance(trend, BayesianTrend) and trend.df == 1.0


def test_the_faintest_slope_prior_still_takes_only_one_degree_of_freedom():
    # A weight of 1/10,000 gives the slope a precision of 0.49 (under 1), yet it is a
    # prior: only the level is flat. 4 scores and a noise guess of 4: 4 + 4 − 1 = 7.
    prior = SlopePrior(weight=1e-4)
    trend = fit_bayes([0, 7, 14, 21], [220, 226, 229, 236], origin=ORIGIN, prior=prior)
    assert trend.df == 7.0


NO_PRIOR_NO_GUESS = SlopePrior(weight=0.0, noise_strength=0.0)


@pytest.mark.parametrize("per_day", [1.0, 1 / 3], ids=["whole", "thirds"])
def test_points_on_a_line_are_a_perfect_fit(per_day):
    # 220 + x·per_day on days 0, 7, 14; thirds are not exact in floating point, so the
    # residuals are rounding noise (far under 1e-20 of the scores' spread), set to 0.
    x = np.array([0.0, 7.0, 14.0])
    trend = fit_bayes(x, 220 + x * per_day, origin=ORIGIN, prior=NO_PRIOR_NO_GUESS)
    assert (trend.n, trend.scale, trend.perfect_fit) == (3, 0.0, True)
    assert trend.slope == pytest.approx(per_day, rel=RTOL)


def test_a_line_off_by_a_hundred_millionth_of_a_point_is_not_perfect():
    # Residuals of 1e-8, −2e-8 and 1e-8 points: a variance of 6e-16, far above rounding
    # noise (1e-20 of the scores' own sum of squares, 98: 1e-18).
    y = np.array([220.0, 227.0, 234.0]) + np.array([1e-8, -2e-8, 1e-8])
    trend = fit_bayes([0, 7, 14], y, origin=ORIGIN, prior=NO_PRIOR_NO_GUESS)
    assert not trend.perfect_fit
    assert trend.scale == pytest.approx(6e-16, rel=1e-3)


@pytest.mark.parametrize(
    ("days", "half_life", "words"),
    [
        # Half-life 0.2 days: the scores 14 and 7 days before the last weigh 2⁻⁷⁰ and
        # 2⁻³⁵ (about 1e-21 and 3e-11) of it.
        ((0, 7, 14), 0.2, "0.2 days"),
        # Half-life 1 day: the scores 80 and 40 days before weigh 2⁻⁸⁰ and 2⁻⁴⁰.
        ((0, 40, 80), 1.0, "1 day"),
    ],
    ids=["days", "one day"],
)
def test_a_half_life_too_short_for_the_log_says_what_to_change(days, half_life, words):
    # With no slope prior the last day's score alone would have to hold the line.
    prior = SlopePrior(weight=0.0, half_life_days=half_life)
    dates = [ORIGIN + dt.timedelta(days=d) for d in days]
    trend = fit_trend(dates, [220, 230, 234], model="bayes", prior=prior)
    assert trend == NoTrend(
        reason=f"with a recency half-life of {words} the older scores count for almost "
        "nothing, so one day's scores would have to carry the whole line; lengthen the "
        "half-life or give the prior some weight",
        n=3,
    )
