"""The trend against two independent oracles: statsmodels and closed-form values."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest
import scipy
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from tracker.trend import LinearTrend, NoTrend, fit_line, fit_trend

from conftest import assert_bands_match, entries_from, random_log

RTOL = 1e-9
ORIGIN = dt.date(2026, 9, 1)


def fit_entries(entries, **options):
    """The trend of a log's (date, score) pairs, as the core is called with them."""
    return fit_trend([e.date for e in entries], [e.score for e in entries], **options)


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("alpha", [0.05, 0.10, 0.20])
def test_matches_statsmodels_get_prediction(seed, alpha):
    entries = random_log(seed)
    trend = fit_entries(entries)
    assert isinstance(trend, LinearTrend)

    x = np.array([(e.date - trend.origin).days for e in entries], dtype=float)
    y = np.array([e.score for e in entries], dtype=float)
    model = sm.OLS(y, sm.add_constant(x)).fit()
    np.testing.assert_allclose(
        [trend.intercept, trend.slope], model.params, rtol=RTOL, atol=1e-9
    )
    np.testing.assert_allclose(trend.resid_var, model.scale, rtol=RTOL)

    # Inside the data, at its edges and well past it (the exam day is usually ahead).
    x_new = np.array([0.0, x.mean(), x.max(), x.max() + 14, x.max() + 90])
    frame = model.get_prediction(sm.add_constant(x_new, has_constant="add")).summary_frame(
        alpha=alpha
    )
    bands = trend.bands(x_new, level=1 - alpha)
    assert_bands_match(bands, frame, RTOL)
    np.testing.assert_allclose(trend.se_mean(x_new), frame["mean_se"], rtol=RTOL)
    np.testing.assert_array_equal(bands.x, x_new)  # the days the bands are for

    exam_day = trend.origin + dt.timedelta(days=int(x.max()) + 30)
    projection = trend.project(exam_day)
    prediction = model.get_prediction(np.array([[1.0, projection.x]]))
    np.testing.assert_allclose(
        projection.predicted_mean, prediction.predicted_mean[0], rtol=RTOL
    )
    np.testing.assert_allclose(projection.se_mean, prediction.se_mean[0], rtol=RTOL)
    np.testing.assert_allclose(projection.se_obs, prediction.se_obs[0], rtol=RTOL)
    for obs in (False, True):
        np.testing.assert_allclose(
            projection.conf_int(obs=obs, alpha=alpha),
            prediction.conf_int(obs=obs, alpha=alpha)[0],
            rtol=RTOL,
        )

    # The chance of reaching a score, from scipy.stats' t (not the code's scipy.special).
    for score in (214, 240, 245):
        expected = stats.t.sf(
            (score - projection.predicted_mean) / projection.se_obs, df=len(entries) - 2
        )
        np.testing.assert_allclose(projection.prob_at_least(score), expected, rtol=RTOL)
        np.testing.assert_allclose(projection.prob_below(score), 1 - expected, rtol=RTOL)


def _norris() -> tuple[dict[str, float], np.ndarray, np.ndarray]:
    """The NIST StRD Norris data set and its certified values, from scipy's own copy."""
    path = Path(scipy.__file__).parent / "stats/tests/data/nist_linregress/Norris.dat"
    lines = path.read_text().splitlines()
    certified = {}
    for line in lines:
        words = line.split()
        if words[:1] in (["B0"], ["B1"]):
            certified[words[0]], certified[words[0] + "_sd"] = map(float, words[1:3])
        elif words[:2] == ["Standard", "Deviation"] and len(words) == 3:  # the residual's
            certified["residual_sd"] = float(words[-1])
    start = (
        next(i for i, line in enumerate(lines) if line.split() == ["Data:", "y", "x"]) + 1
    )
    data = np.array(
        [list(map(float, line.split())) for line in lines[start:] if line.strip()]
    )
    return certified, data[:, 1], data[:, 0]  # columns are y, x


def test_norris_certified_values():
    certified, x, y = _norris()
    assert len(x) == 36 and set(certified) == {"B0", "B0_sd", "B1", "B1_sd", "residual_sd"}
    trend = fit_line(x, y, origin=ORIGIN)
    assert isinstance(trend, LinearTrend)
    np.testing.assert_allclose(trend.intercept, certified["B0"], rtol=1e-12)
    np.testing.assert_allclose(trend.slope, certified["B1"], rtol=1e-12)
    np.testing.assert_allclose(
        math.sqrt(trend.resid_var), certified["residual_sd"], rtol=1e-12
    )
    np.testing.assert_allclose(trend.slope_se, certified["B1_sd"], rtol=1e-12)
    # The intercept's standard error is the trend's standard error at x = 0.
    np.testing.assert_allclose(trend.se_mean(0.0), certified["B0_sd"], rtol=1e-12)


def test_hand_computed_three_point_fit():
    # x = 0, 7, 14 days; y = 220, 230, 234 points. By hand: x̄ = 7, ȳ = 228, Sxx = 98,
    # Sxy = (−7)(−8) + 0 + (7)(6) = 98, so b = 1 point/day and a = 221. Residuals
    # −1, 2, −1: RSS = 6, s² = 6/(3 − 2) = 6.
    trend = fit_entries(entries_from([(0, 220), (7, 230), (14, 234)]))
    assert (trend.intercept, trend.slope, trend.sxx, trend.resid_var) == pytest.approx(
        (221.0, 1.0, 98.0, 6.0), rel=1e-12
    )
    # Exam at x0 = 21: ŷ = 242; leverage 1/3 + (21 − 7)²/98 = 7/3;
    # se_mean = √(6·7/3) = √14, se_obs = √(6·10/3) = √20.
    projection = trend.project(ORIGIN + dt.timedelta(days=21))
    assert projection.predicted_mean == pytest.approx(242.0, rel=1e-12)
    assert projection.se_mean == pytest.approx(math.sqrt(14), rel=1e-12)
    assert projection.se_obs == pytest.approx(math.sqrt(20), rel=1e-12)
    # With one degree of freedom t is the Cauchy distribution: closed forms for
    # the quantile, tan(π(p − ½)), and the tail, ½ − atan(z)/π.
    t975 = math.tan(math.pi * 0.475)
    low, high = projection.conf_int(obs=True, alpha=0.05)
    assert (low, high) == pytest.approx(
        (242 - t975 * math.sqrt(20), 242 + t975 * math.sqrt(20)), rel=1e-12
    )
    z = (240 - 242) / math.sqrt(20)
    assert projection.prob_at_least(240) == pytest.approx(
        0.5 - math.atan(z) / math.pi, rel=1e-12
    )
    assert projection.extrapolated is False  # 7 days past the last of a 14-day span


def test_fit_trend_takes_dates_and_points_in_any_order():
    # The same three days as above, given out of order and as fractional points (a
    # converted Free 120 is 247.8, say). x counts from the earliest date: 0, 7, 14 for
    # 220.5, 230.5, 234.5, i.e. the hand fit above shifted up by half a point:
    # slope 1 point/day, intercept 221.5, s² still 6.
    dates = [ORIGIN + dt.timedelta(days=14), ORIGIN, ORIGIN + dt.timedelta(days=7)]
    trend = fit_trend(dates, [234.5, 220.5, 230.5])
    assert isinstance(trend, LinearTrend) and trend.origin == ORIGIN
    assert (trend.intercept, trend.slope, trend.resid_var) == pytest.approx(
        (221.5, 1.0, 6.0), rel=1e-12
    )
    assert (trend.first_day, trend.last_day) == (0.0, 14.0)


def test_extrapolation_is_flagged_past_the_data_span():
    trend = fit_entries(entries_from([(0, 220), (7, 230), (14, 234)]))
    assert not trend.project(ORIGIN + dt.timedelta(days=28)).extrapolated  # 14 past 14
    assert trend.project(ORIGIN + dt.timedelta(days=29)).extrapolated


@pytest.mark.parametrize(
    ("pairs", "reason"),
    [
        ([], "0 scores logged; a trend needs at least 3 to estimate its uncertainty"),
        (
            [(0, 230)],
            "1 score logged; a trend needs at least 3 to estimate its uncertainty",
        ),
        (
            [(0, 230), (7, 235)],
            "2 scores logged; a trend needs at least 3 to estimate its uncertainty",
        ),
        (
            [(5, 230), (5, 235), (5, 240)],
            "all scores are from one day; a trend needs scores from different days",
        ),
    ],
)
def test_degenerate_logs_give_no_trend(pairs, reason):
    trend = fit_entries(entries_from(pairs))
    assert trend == NoTrend(reason=reason, n=len(pairs))


def test_perfect_fit_has_zero_width_bands():
    trend = fit_entries(entries_from([(0, 220), (10, 225), (20, 230), (30, 235)]))
    assert trend.perfect_fit
    projection = trend.project(ORIGIN + dt.timedelta(days=40))
    assert projection.predicted_mean == pytest.approx(240.0, rel=1e-12)
    assert projection.conf_int(obs=True) == (projection.predicted_mean,) * 2
    assert projection.prob_at_least(240) == 1.0
    assert projection.prob_at_least(241) == 0.0


def test_flat_perfect_fit():
    trend = fit_entries(entries_from([(0, 240), (10, 240), (20, 240)]))
    assert trend.perfect_fit and trend.slope == 0.0
    assert trend.first_day_reaching(241) is None


@settings(max_examples=100, deadline=None)
@given(
    scores=st.lists(st.integers(min_value=150, max_value=280), min_size=3, max_size=15),
    gap=st.integers(min_value=1, max_value=14),
    ahead=st.integers(min_value=0, max_value=200),
    level=st.floats(min_value=0.5, max_value=0.99),
)
def test_prediction_interval_contains_confidence_interval(scores, gap, ahead, level):
    entries = entries_from([(i * gap, s) for i, s in enumerate(scores)])
    trend = fit_entries(entries)
    projection = trend.project(entries[-1].date + dt.timedelta(days=ahead))
    conf_low, conf_high = projection.conf_int(obs=False, alpha=1 - level)
    pred_low, pred_high = projection.conf_int(obs=True, alpha=1 - level)
    assert pred_low <= conf_low <= projection.predicted_mean <= conf_high <= pred_high
    assert 0.0 <= projection.prob_at_least(240) <= 1.0


def test_a_projection_is_for_its_day_and_its_interval_is_the_trends_by_default():
    # statsmodels' conf_int() defaults to the mean's interval (obs=False); so does ours.
    entries = random_log(3)
    trend = fit_entries(entries)
    day = max(e.date for e in entries) + dt.timedelta(days=30)
    projection = trend.project(day)
    assert projection.day == day
    assert projection.conf_int() == projection.conf_int(obs=False)
    assert projection.conf_int() != projection.conf_int(obs=True)


def test_fit_line_needs_three_scores_even_when_called_directly():
    assert fit_line([0, 7], [220, 226], origin=ORIGIN) == NoTrend(
        reason="2 scores logged; a trend needs at least 3 to estimate its uncertainty",
        n=2,
    )


def test_rounding_noise_on_a_line_is_a_perfect_fit():
    # 220 + x/3 at x = 0, 7, 14 is not exact in floating point: the residuals' sum of
    # squares comes out near 1e-27, not 0; under 1e-20 of the scores' own (10.9), it is
    # rounding, and the fit is perfect.
    x = np.array([0.0, 7.0, 14.0])
    trend = fit_line(x, 220 + x / 3, origin=ORIGIN)
    assert (trend.resid_var, trend.perfect_fit) == (0.0, True)


def test_a_line_off_by_a_hundred_millionth_of_a_point_is_not_a_perfect_fit():
    # Residuals 1e-8, −2e-8, 1e-8: a sum of squares of 6e-16 over 1 degree of freedom,
    # far above 1e-20 of the scores' own sum of squares (98).
    y = np.array([220.0, 227.0, 234.0]) + np.array([1e-8, -2e-8, 1e-8])
    trend = fit_line([0, 7, 14], y, origin=ORIGIN)
    assert not trend.perfect_fit
    assert trend.resid_var == pytest.approx(6e-16, rel=1e-3)


def test_an_unknown_model_is_named():
    with pytest.raises(ValueError) as caught:
        fit_trend([ORIGIN] * 3, [230, 231, 232], model="spline")
    assert str(caught.value) == "unknown model 'spline'"
