"""The t distribution without scipy at run time, checked against scipy and closed forms."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special

from tracker.student_t import stdtr, stdtrit

# Degrees of freedom a log can give (n − 2 for least squares; fractional for the prior's
# 2a), on both sides of where the code switches method (20, for log Γ), up to logs of
# 100,000 scores; and probabilities from the far tails to the middle.
DFS = (0.5, 1, 1.5, 2, 2.5, 3, 4.7, 7, 10, 19.99, 20, 20.01, 29.3, 100, 1000, 12345.6, 1e5)
T_VALUES = (-1e6, -1e3, -40, -5, -2, -1.7, -1, -0.1, -1e-3, 0, 1e-3, 0.1, 1, 1.7, 2, 5,
            40, 1e3, 1e6)  # fmt: skip
PROBABILITIES = (1e-10, 1e-6, 1e-3, 0.025, 0.1, 0.3, 0.4999, 0.5001, 0.7, 0.9, 0.95,
                 0.975, 0.999, 1 - 1e-6, 1 - 1e-10)  # fmt: skip


@pytest.mark.parametrize("df", DFS)
def test_the_cdf_matches_scipy_to_1e_12(df):
    for t in T_VALUES:
        assert stdtr(df, t) == pytest.approx(float(special.stdtr(df, t)), rel=0, abs=1e-12)


@pytest.mark.parametrize("df", DFS)
def test_the_small_tail_keeps_its_digits(df):
    # The chance of failing can be tiny: the lower tail is right relative to itself.
    for t in (-1.7, -2, -5, -40, -1e3):
        expected = float(special.stdtr(df, t))
        if expected > 0:
            assert stdtr(df, t) == pytest.approx(expected, rel=1e-11)


@pytest.mark.parametrize("df", DFS)
def test_the_quantile_matches_scipy_to_1e_12(df):
    for p in PROBABILITIES:
        assert stdtrit(df, p) == pytest.approx(float(special.stdtrit(df, p)), rel=1e-12)


def test_closed_forms_near_the_middle_where_scipy_is_less_exact():
    # ν = 1 is the Cauchy distribution, F(t) = ½ + atan(t)/π; ν = 2 has
    # F(t) = ½ + t/(2√(2 + t²)). At t = −10⁻⁸ scipy's stdtr(1, t) is 1.6e-9 off the
    # first, so near the middle these forms are the oracle.
    for t in (-1e-8, -1e-3, 0.3, 7.0, -2e5):
        assert stdtr(1, t) == pytest.approx(0.5 + math.atan(t) / math.pi, rel=1e-14)
        assert stdtr(2, t) == pytest.approx(0.5 + t / (2 * math.sqrt(2 + t * t)), rel=1e-14)
    for p in (1e-10, 0.2, 0.5001, 0.975):
        # Cauchy inverted: t = tan(π(p − ½)) = −1/tan(πp), exact for tiny p too.
        assert stdtrit(1, p) == pytest.approx(-1 / math.tan(math.pi * p), rel=1e-12)
        # ν = 2 inverted by hand: t = (2p − 1)/√(2p(1 − p)).
        assert stdtrit(2, p) == pytest.approx(
            (2 * p - 1) / math.sqrt(2 * p * (1 - p)), rel=1e-12
        )


def test_the_interval_multipliers_the_reasons_quote():
    # Textbook t tables: t(0.975; 7) = 2.365, t(0.975; 30) = 2.042, t(0.95; 10) = 1.812.
    assert round(stdtrit(7, 0.975), 3) == 2.365
    assert round(stdtrit(30, 0.975), 3) == 2.042
    assert round(stdtrit(10, 0.95), 3) == 1.812


def test_edges_follow_scipy():
    nan = math.nan
    cases = [(nan, 1.0), (1.0, nan), (0.0, 1.0), (-3.0, 1.0), (5.0, math.inf),
             (5.0, -math.inf), (math.inf, 1.3), (math.inf, -0.4), (3.0, 0.0)]  # fmt: skip
    for df, t in cases:
        expected = float(special.stdtr(df, t))
        assert stdtr(df, t) == pytest.approx(expected, abs=1e-15, nan_ok=True)
    cases = [(nan, 0.5), (5.0, nan), (0.0, 0.3), (5.0, -0.1), (5.0, 1.5), (5.0, 1.0),
             (5.0, 0.5), (math.inf, 0.975)]  # fmt: skip
    for df, p in cases:
        expected = float(special.stdtrit(df, p))
        assert stdtrit(df, p) == pytest.approx(expected, rel=1e-15, nan_ok=True)
    # At p = 0 scipy.special.stdtrit says +∞; scipy.stats.t.ppf(0, 5) and the
    # definition say −∞.
    assert stdtrit(5.0, 0.0) == -math.inf


def test_far_tails_stay_finite_or_exactly_infinite():
    # ν = 1: t = −1/tan(π·10⁻³⁰⁰) = −3.18e299, near the largest float; ν = 0.5 needs
    # t near 10¹³⁸⁰, past it: −∞ is the honest float (scipy stops at −4.7e153, whose
    # tail is about 10⁻⁷⁷, not 10⁻³⁰⁰).
    assert stdtrit(1, 1e-300) == pytest.approx(-1 / math.tan(math.pi * 1e-300), rel=1e-12)
    assert stdtrit(0.5, 1e-300) == -math.inf
    # ν = 3 at t = −10⁵⁰: a tail near 10⁻¹⁵⁰, where t² itself would be 10¹⁰⁰.
    assert stdtr(3, -1e50) == pytest.approx(float(special.stdtr(3, -1e50)), rel=1e-11)
    assert stdtr(3, -1e300) == 0.0  # t² would overflow; the tail underflows
    assert stdtr(0.1, 1e200) == 1.0
    assert stdtr(4.0, 5e-324) == 0.5  # t/√ν underflows to 0: the middle (Hypothesis)


@given(
    df=st.floats(min_value=0.5, max_value=1e4),
    p=st.floats(min_value=1e-9, max_value=1 - 1e-9),
)
def test_the_quantile_inverts_the_cdf(df, p):
    t = stdtrit(df, p)
    assert math.isfinite(t)
    assert stdtr(df, t) == pytest.approx(p, rel=1e-10)


@given(
    df=st.floats(min_value=0.5, max_value=1e4),
    t=st.lists(st.floats(min_value=-1e4, max_value=1e4), min_size=2, max_size=2),
)
def test_the_cdf_never_decreases(df, t):
    low, high = sorted(t)
    assert 0.0 <= stdtr(df, low) <= stdtr(df, high) <= 1.0
