"""Forms' offset uncertainty in the fit: weights, and the variance it adds.

Oracles: statsmodels WLS for the weighted fits, and the linearity of the projection in
the scores (the coefficient of score j is the projection of a log whose only non-zero
score is a 1 in row j) for the offset variance, computed by statsmodels too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.exams import STEP2_CK, Catalog, Form, read_entry
from tracker.log import Entry
from tracker.plan import Policy, make_plan
from tracker.trend import (
    BayesianTrend,
    LinearTrend,
    SlopePrior,
    fit_bayes,
    fit_line,
    fit_trend,
    form_weights,
)

from conftest import assert_bands_match, random_log

RTOL = 1e-9
ORIGIN = dt.date(2026, 9, 1)


def xy(entries):
    x = np.array([(e.date - ORIGIN).days for e in entries], dtype=float)
    return x, np.array([e.score for e in entries], dtype=float)


def random_weights(seed: int, n: int) -> np.ndarray:
    return np.random.default_rng(seed + 100).uniform(0.2, 2.0, size=n)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("alpha", [0.05, 0.20])
def test_weighted_line_matches_statsmodels_wls(seed, alpha):
    x, y = xy(random_log(seed))
    w = random_weights(seed, len(x))
    trend = fit_line(x, y, origin=ORIGIN, weights=w)
    assert isinstance(trend, LinearTrend)
    model = sm.WLS(y, sm.add_constant(x), weights=w).fit()
    np.testing.assert_allclose([trend.intercept, trend.slope], model.params, rtol=RTOL)
    np.testing.assert_allclose(trend.resid_var, model.scale, rtol=RTOL)
    x_new = np.array([0.0, x.mean(), x.max(), x.max() + 14, x.max() + 90])
    prediction = model.get_prediction(sm.add_constant(x_new, has_constant="add"))
    frame = prediction.summary_frame(alpha=alpha)
    bands = trend.bands(x_new, level=1 - alpha)
    assert_bands_match(bands, frame, RTOL)
    np.testing.assert_allclose(trend.se_mean(x_new), prediction.se_mean, rtol=RTOL)
    np.testing.assert_allclose(trend.se_obs(x_new), prediction.se_obs, rtol=RTOL)


@pytest.mark.parametrize("seed", range(20))
def test_weights_of_one_are_exactly_the_unweighted_fit(seed):
    x, y = xy(random_log(seed))
    x_new = np.array([0.0, x.max(), x.max() + 30])
    plain = fit_line(x, y, origin=ORIGIN)
    ones = fit_line(x, y, origin=ORIGIN, weights=np.ones(len(x)))
    for name in ("predict", "se_mean", "se_obs"):
        assert np.array_equal(getattr(plain, name)(x_new), getattr(ones, name)(x_new))
    prior = SlopePrior(half_life_days=21.0)
    plain_bayes = fit_bayes(x, y, origin=ORIGIN, prior=prior)
    ones_bayes = fit_bayes(x, y, origin=ORIGIN, prior=prior, weights=np.ones(len(x)))
    for name in ("predict", "se_mean", "se_obs"):
        assert np.array_equal(
            getattr(plain_bayes, name)(x_new), getattr(ones_bayes, name)(x_new)
        )
    # And the unweighted fit is still plain OLS.
    model = sm.OLS(y, sm.add_constant(x)).fit()
    np.testing.assert_allclose([plain.intercept, plain.slope], model.params, rtol=RTOL)


@pytest.mark.parametrize("seed", range(10))
def test_weighted_bayes_without_a_prior_is_wls(seed):
    x, y = xy(random_log(seed))
    w = random_weights(seed, len(x))
    no_prior = SlopePrior(weight=0.0, noise_strength=0.0)
    trend = fit_bayes(x, y, origin=ORIGIN, prior=no_prior, weights=w)
    assert isinstance(trend, BayesianTrend) and trend.df == len(x) - 2
    model = sm.WLS(y, sm.add_constant(x), weights=w).fit()
    x_new = np.array([0.0, x.max(), x.max() + 30])
    frame = model.get_prediction(sm.add_constant(x_new, has_constant="add")).summary_frame()
    bands = trend.bands(x_new, 0.95)
    np.testing.assert_allclose(bands.mean, frame["mean"], rtol=RTOL)
    np.testing.assert_allclose(bands.mean_ci_lower, frame["mean_ci_lower"], rtol=RTOL)
    np.testing.assert_allclose(bands.obs_ci_upper, frame["obs_ci_upper"], rtol=RTOL)


@pytest.mark.parametrize("seed", range(10))
def test_weighted_bayes_is_wls_with_the_prior_as_a_data_row(seed):
    # As in test_bayes: the slope prior is one more row (0, 1) with the prior mean as
    # its score. Form weights multiply the recency weights in the precision; only the
    # recency weights count in the degrees of freedom (a noisier score is still a score).
    prior = SlopePrior(weight=1.5, noise_sd=7.0, noise_strength=4.0, half_life_days=21.0)
    x, y = xy(random_log(seed))
    w = random_weights(seed, len(x))
    trend = fit_bayes(x, y, origin=ORIGIN, prior=prior, weights=w)
    recency = 0.5 ** ((x.max() - x) / 21.0)
    x_ref = x.mean()
    design = np.column_stack([np.ones_like(x), x - x_ref])
    prior_row_weight = prior.weight * prior.noise_sd**2 / prior.sd**2
    augmented = sm.WLS(
        np.append(y, prior.mean),
        np.vstack([design, [0.0, 1.0]]),
        weights=np.append(recency * w, prior_row_weight),
    ).fit()
    level, slope = augmented.params
    np.testing.assert_allclose(trend.slope, slope, rtol=RTOL)
    np.testing.assert_allclose(trend.intercept, level - slope * x_ref, rtol=RTOL)
    df = prior.noise_strength + recency.sum() - 1
    np.testing.assert_allclose(trend.df, df, rtol=RTOL)
    expected_scale = (prior.noise_strength * prior.noise_sd**2 + augmented.ssr) / df
    np.testing.assert_allclose(trend.scale, expected_scale, rtol=RTOL)


# --- the offset variance ----------------------------------------------------------------


def coefficients_by_statsmodels(x, w, x0, prior: SlopePrior | None = None):
    """c_j with ŷ(x0) = c0 + Σ c_j·y_j, from statsmodels fits of unit-vector logs."""
    n = len(x)
    x_ref = x.mean()
    design = np.column_stack([np.ones(n), x - x_ref])
    rows, weights = design, w
    if prior is not None:  # the prior as a data row, as in test_bayes
        rows = np.vstack([design, [0.0, 1.0]])
        weights = np.append(w, prior.weight * prior.noise_sd**2 / prior.sd**2)

    def projected(y):
        scores = y if prior is None else np.append(y, prior.mean)
        level, slope = sm.WLS(scores, rows, weights=weights).fit().params
        return level + slope * (x0 - x_ref)

    base = projected(np.zeros(n))
    return np.array([projected(np.eye(n)[j]) - base for j in range(n)])


@pytest.mark.parametrize("seed", range(10))
def test_offset_variance_is_the_sum_of_squared_coefficients_times_u(seed):
    x, y = xy(random_log(seed))
    w = random_weights(seed, len(x))
    u = np.random.default_rng(seed).uniform(0.0, 8.0, size=len(x))
    x0 = x.max() + 21
    c = coefficients_by_statsmodels(x, w, x0)
    line = fit_line(x, y, origin=ORIGIN, weights=w, offset_sd=u)
    plain = fit_line(x, y, origin=ORIGIN, weights=w)
    expected = np.sum(c**2 * u**2)
    np.testing.assert_allclose(line.offset_variance(x0), expected, rtol=RTOL)
    np.testing.assert_allclose(line.se_mean(x0) ** 2, plain.se_mean(x0) ** 2 + expected)
    np.testing.assert_allclose(line.se_obs(x0) ** 2, plain.se_obs(x0) ** 2 + expected)

    prior = SlopePrior(weight=1.0)
    c_bayes = coefficients_by_statsmodels(x, w, x0, prior)
    bayes = fit_bayes(x, y, origin=ORIGIN, prior=prior, weights=w, offset_sd=u)
    np.testing.assert_allclose(
        bayes.offset_variance(x0), np.sum(c_bayes**2 * u**2), rtol=1e-8
    )


def test_offset_variance_by_hand():
    # x = 0, 7, 14 and y = 220, 230, 234: x̄ = 7, Sxx = 98, slope 98/98 = 1, line
    # 221 + x. Residuals −1, 2, −1: s² = 6/(3 − 2) = 6. At x0 = 21 the projection is
    # 242 = Σ c_j·y_j with c_j = 1/3 + (21 − 7)(x_j − 7)/98 = −2/3, 1/3, 4/3, so
    # Σ c_j² = 21/9 = 7/3 (the leverage). With u = 3 for every form the offsets add
    # 9·7/3 = 21 points², and se_obs² = 6·(1 + 7/3) + 21 = 41.
    trend = fit_line([0, 7, 14], [220, 230, 234], origin=ORIGIN, offset_sd=[3, 3, 3])
    assert trend.predict(21.0) == pytest.approx(242.0, rel=1e-12)
    assert trend.offset_variance(21.0) == pytest.approx(21.0, rel=1e-12)
    assert trend.se_mean(21.0) ** 2 == pytest.approx(6 * 7 / 3 + 21, rel=1e-12)
    assert trend.se_obs(21.0) ** 2 == pytest.approx(41.0, rel=1e-12)


def test_repeats_of_one_form_share_its_offset_error():
    # The hand fit above (x = 0, 7, 14; y = 220, 230, 234; u = 3 for every score), with
    # the first two scores from one form A and the last from B. At x0 = 21 the
    # coefficients are −2/3, 1/3, 4/3; A's two add to −1/3, so the offsets add
    # 9·((−1/3)² + (4/3)²) = 9·17/9 = 17 points², not the 21 of three separate forms.
    dates = [ORIGIN + dt.timedelta(days=d) for d in (0, 7, 14)]
    exam = ORIGIN + dt.timedelta(days=21)
    scores = [220, 230, 234]
    trend = fit_trend(dates, scores, offset_sd=[3, 3, 3], offset_group=["A", "A", "B"])
    assert trend.offset_variance(21.0) == pytest.approx(17.0, rel=1e-12)
    assert trend.project(exam).se_obs ** 2 == pytest.approx(6 * (1 + 7 / 3) + 17, rel=1e-12)
    # One form taken every time: its error moves the whole line, u² = 9 on every day
    # (the coefficients add to 1 at any x0).
    same = fit_trend(dates, scores, offset_sd=[3, 3, 3], offset_group=["A"] * 3)
    for x0 in (0.0, 7.0, 21.0):
        assert same.offset_variance(x0) == pytest.approx(9.0, rel=1e-12)
    # The prior's line: statsmodels' coefficients, summed within each form.
    prior = SlopePrior()
    c = coefficients_by_statsmodels(np.array([0.0, 7.0, 14.0]), np.ones(3), 21.0, prior)
    bayes = fit_trend(dates, scores, model="bayes", prior=prior, offset_sd=[3, 3, 3],
                      offset_group=["A", "A", "B"])  # fmt: skip
    np.testing.assert_allclose(
        bayes.offset_variance(21.0), 9 * ((c[0] + c[1]) ** 2 + c[2] ** 2), rtol=1e-8
    )


def test_an_uncertain_last_form_adds_the_square_of_its_coefficient():
    # Days 0, 0, 3, and only the last form uncertain (u = 3): x̄ = 1, Sxx = 1 + 1 + 4 = 6,
    # so its coefficient at x0 is 1/3 + (x0 − 1)(3 − 1)/6 = x0/3, and the offsets add
    # (3·x0/3)² = x0² points²: 0 on the first day, 9 on day 3, 36 on day 6.
    trend = fit_line([0, 0, 3], [220, 224, 226], origin=ORIGIN, offset_sd=[0, 0, 3])
    np.testing.assert_allclose(
        trend.offset_variance(np.array([0.0, 3.0, 6.0])), [0.0, 9.0, 36.0], atol=1e-12
    )


def test_form_weights_by_hand():
    # σ0 = 7: u = 3, 3, 8 give 1/58, 1/58, 1/113; their mean is (2/58 + 1/113)/3, so
    # the weights are 3·113/(2·113 + 58) = 339/284 for u = 3, and 3·58/284 = 174/284.
    weights = form_weights([3.0, 3.0, 8.0], noise_sd=7.0)
    np.testing.assert_allclose(weights, [339 / 284, 339 / 284, 174 / 284], rtol=1e-12)
    assert form_weights([3.0, 3.0, 3.0], noise_sd=7.0) is None
    assert form_weights([], noise_sd=7.0) is None


@pytest.mark.parametrize(
    "weights, offset_sd, offset_group, message",
    [
        ([1.0, 0.0, 1.0], None, None, "weights must be 3 finite positive numbers"),
        ([1.0, float("nan"), 1.0], None, None, "weights must be 3 finite positive numbers"),
        ([1.0, 1.0], None, None, "weights must be 3 finite positive numbers"),
        (None, [1.0, -1.0, 1.0], None, "offset_sd must be 3 finite numbers, none negative"),
        (None, [1.0, 1.0], None, "offset_sd must be 3 finite numbers, none negative"),
        (None, [1.0, float("nan"), 1.0], None,
         "offset_sd must be 3 finite numbers, none negative"),
        (None, [1.0, 1.0, 1.0], ["A", "B"],
         "offset_group must name the form of each of 3 scores"),
    ],
)  # fmt: skip
def test_bad_weights_are_a_programming_error(weights, offset_sd, offset_group, message):
    with pytest.raises(ValueError, match=message):
        fit_line([0, 7, 14], [220, 230, 234], origin=ORIGIN, weights=weights,
                 offset_sd=offset_sd, offset_group=offset_group)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    u=st.floats(0.0, 20.0),
    model=st.sampled_from(["ols", "bayes", "bend"]),
)
def test_more_offset_uncertainty_never_narrows_the_interval(seed, u, model):
    entries = random_log(seed)
    dates = [e.date for e in entries]
    scores = [e.score for e in entries]
    x0 = max(dates) + dt.timedelta(days=21)
    narrow = fit_trend(dates, scores, model=model, offset_sd=[0.0] * len(entries))
    wide = fit_trend(dates, scores, model=model, offset_sd=[u] * len(entries))
    assert wide.project(x0).predicted_mean == narrow.project(x0).predicted_mean
    assert wide.project(x0).se_obs >= narrow.project(x0).se_obs


# --- in the plan ------------------------------------------------------------------------


def readings_of(rows, catalog, *, calibrate=True):
    return [
        read_entry(Entry(ORIGIN + dt.timedelta(days=d), name, score), STEP2_CK, catalog,
                   calibrate=calibrate)
        for d, name, score in rows
    ]  # fmt: skip


def form(name, uncertainty, **extra):
    return Form(name, "NBME", "three-digit", 0.0, uncertainty, "test", **extra)


ROWS = [(0, "A", 220), (7, "A2", 230), (14, "B", 234), (21, "B2", 239)]


def test_equal_uncertainties_keep_the_line_and_widen_the_interval():
    catalog = Catalog(forms=(form("A", 3), form("A2", 3), form("B", 3), form("B2", 3)))
    policy = Policy(model="ols")
    exam = ORIGIN + dt.timedelta(days=35)
    today = ORIGIN + dt.timedelta(days=21)
    with_u = make_plan(readings_of(ROWS, catalog), exam, today=today, policy=policy)
    without = make_plan(
        readings_of(ROWS, catalog, calibrate=False), exam, today=today, policy=policy
    )
    a, b = with_u.forecast.trend, without.forecast.trend
    # Equal weights: the line and the residual variance are exactly the unweighted ones.
    assert (a.intercept, a.slope, a.resid_var) == (b.intercept, b.slope, b.resid_var)
    assert with_u.projection.se_obs**2 == pytest.approx(
        without.projection.se_obs**2 + a.offset_variance(35.0), rel=1e-12
    )
    assert a.offset_variance(35.0) > 0


@pytest.mark.parametrize("model", ["ols", "bayes"])
def test_in_the_plan_repeats_of_one_form_share_its_offset_error(model):
    # Forms A, A, B, all u = 3, on days 0, 7, 14 with 220, 230, 234: the hand fit of
    # test_repeats_of_one_form_share_its_offset_error, so the student's own line (the
    # only line with "ols", beside the prior's with "bayes") adds 17 points² on day 21.
    catalog = Catalog(forms=(form("A", 3), form("B", 3)))
    rows = [(0, "A", 220), (7, "A", 230), (14, "B", 234)]
    exam = ORIGIN + dt.timedelta(days=21)
    today = ORIGIN + dt.timedelta(days=14)
    policy = Policy(model=model)
    plan = make_plan(readings_of(rows, catalog), exam, today=today, policy=policy)
    own = plan.forecast.trend if model == "ols" else plan.forecast.own_line
    assert (own.intercept, own.slope) == pytest.approx((221.0, 1.0), rel=1e-12)
    assert own.offset_variance(21.0) == pytest.approx(17.0, rel=1e-12)
    assert own.project(exam).se_obs ** 2 == pytest.approx(6 * (1 + 7 / 3) + 17, rel=1e-12)


def test_an_uncertain_form_counts_less():
    # The last score comes from a form with u = 8 (like the Free 120) and sits far
    # above the line of the others; weighted, it pulls the line up less.
    catalog = Catalog(forms=(form("A", 3), form("A2", 3), form("B", 3), form("B2", 8)))
    rows = [(0, "A", 220), (7, "A2", 224), (14, "B", 228), (21, "B2", 250)]
    exam = ORIGIN + dt.timedelta(days=35)
    today = ORIGIN + dt.timedelta(days=21)
    policy = Policy(model="ols")
    weighted = make_plan(readings_of(rows, catalog), exam, today=today, policy=policy)
    equal_u = dataclasses.replace(catalog.forms[3], uncertainty=3.0)
    catalog_equal = Catalog(forms=(*catalog.forms[:3], equal_u))
    plain = make_plan(readings_of(rows, catalog_equal), exam, today=today, policy=policy)
    assert weighted.forecast.trend.slope < plain.forecast.trend.slope
    assert weighted.forecast.projected_score < plain.forecast.projected_score
