"""The verdict: table-driven situations, the suggested date, dates and settings."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.errors import PolicyError
from tracker.trend import SlopePrior
from tracker.verdict import (
    DELAY,
    INSUFFICIENT_DATA,
    TAKE_NOW,
    Policy,
    decide,
    pace_days,
    trailing_run,
)

from conftest import TODAY, entries_from


def weekly(scores, *, last_day_ago: int = 2, gap: int = 7):
    """One score every ``gap`` days, the last ``last_day_ago`` days before TODAY."""
    start = TODAY - dt.timedelta(days=last_day_ago + gap * (len(scores) - 1))
    return entries_from([(i * gap, s) for i, s in enumerate(scores)], start=start)


OLS = Policy(model="ols")  # for the cases worked out by hand with least squares


def in_days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


SITUATIONS = [
    # (situation, scores, exam in days, policy, verdict, has suggested date)
    ("rising and ready", [230, 234, 238, 241, 243, 246], 21, Policy(), TAKE_NOW, False),
    ("rising but not yet", [220, 224, 228, 231, 235, 238], 21, Policy(), DELAY, True),
    ("consistent but falling", [252, 250, 248, 246, 244, 242], 60, Policy(), DELAY, False),
    ("flat below", [232, 231, 233, 232, 231, 233], 30, Policy(), DELAY, False),
    ("two scores only", [241, 246], 30, Policy(), INSUFFICIENT_DATA, False),
    ("one lucky score", [228, 231, 226, 244], 14, Policy(), DELAY, True),
    ("a dip in the last three", [236, 240, 242, 245, 247, 239], 21, Policy(), DELAY, True),
    (
        "ready at a higher bar",
        [246, 249, 251, 253, 256],
        14,
        Policy(threshold=250),
        TAKE_NOW,
        False,
    ),
    (
        "ready at 240 but not at 250",
        [240, 242, 244, 246, 248],
        14,
        Policy(threshold=250),
        DELAY,
        True,
    ),
    ("a window of five", [236, 241, 243, 245, 246], 14, Policy(window=5), DELAY, True),
    (
        "too slow to reach it in 180 days",
        [220, 221, 220, 222, 221, 222],
        30,
        Policy(),
        DELAY,
        False,
    ),
]


@pytest.mark.parametrize(
    ("scores", "exam_in", "policy", "expected", "has_date"),
    [pytest.param(*case[1:], id=case[0]) for case in SITUATIONS],
)
def test_situations(scores, exam_in, policy, expected, has_date):
    verdict = decide(weekly(scores), in_days(exam_in), today=TODAY, policy=policy)
    assert verdict.verdict == expected
    assert (verdict.suggested_date is not None) == has_date
    assert [reason.rule for reason in verdict.reasons][:2] == ["consistency", "projection"]
    if expected == DELAY:
        rules = {reason.rule for reason in verdict.reasons}
        assert "suggested_date" in rules  # a date, or why there is none


def test_rising_and_ready_reasons_read_well():
    verdict = decide(
        weekly([230, 234, 238, 241, 243, 246]), in_days(21), today=TODAY, policy=OLS
    )
    texts = [reason.text for reason in verdict.reasons]
    assert (
        texts[0] == "Consistent: the last 3 scores (241, 243, 246) are all 240 or higher."
    )
    # By hand: x = 0…35 days, x̄ = 17.5, Sxx = 857.5, Sxy = 385, b = 0.449 points/day;
    # the exam is day 58: 238.67 + 0.449·40.5 = 256.85.
    assert texts[1].startswith("Projected exam-day score 257 on 2026-12-17 (95% prediction")
    assert texts[1].endswith(": at or above 240.")
    assert verdict.reasons[0].met is True and verdict.reasons[1].met is True


def test_falling_trend_says_to_change_how_one_studies():
    verdict = decide(weekly([252, 250, 248, 246, 244, 242]), in_days(60), today=TODAY)
    [reason] = [r for r in verdict.reasons if r.rule == "suggested_date"]
    assert reason.text.startswith(
        "No date to suggest: your scores are not rising (−2.0 points a week), so waiting"
    )
    assert "Change how you study" in reason.text


def test_insufficient_data_says_how_many_more():
    verdict = decide(weekly([241, 246]), in_days(30), today=TODAY)
    assert verdict.projection is None and verdict.projected_score is None
    assert verdict.reasons[0].text == (
        "Not enough data: 2 scores logged; the last 3 scores must all be 240+. Log 1 more."
    )


def test_empty_log():
    verdict = decide([], in_days(30), today=TODAY)
    assert verdict.verdict == INSUFFICIENT_DATA
    assert verdict.as_dict()["recent_scores"] == []


def test_same_day_scores_use_the_recent_mean_in_place_of_a_trend():
    entries = entries_from([(0, 241), (0, 243), (0, 248)], start=TODAY)
    verdict = decide(entries, in_days(10), today=TODAY)
    assert verdict.verdict == TAKE_NOW
    assert verdict.projection is None and verdict.projected_score == pytest.approx(244)
    assert verdict.reasons[1].text == (
        "No trend can be fitted (all scores are from one day; a trend needs scores from "
        "different days); the mean of the last 3 scores, 244, stands in for the "
        "projection: at or above 240."
    )


# --- the suggested date, by hand -------------------------------------------------------
# A perfect line from 220 rising 1 point a day, scored on days 0, 7 and 14 (TODAY),
# fitted by least squares (the prior's pull is tested on its own below).


def _line_log():
    return entries_from(
        [(0, 220), (7, 227), (14, 234)], start=TODAY - dt.timedelta(days=14)
    )


def test_suggested_date_is_the_evidence_date_when_the_trend_arrives_first():
    # Trend reaches 240 on day 20 (6 days from now); but 3 scores of 240+ are still
    # missing, at one per 7 days: the evidence is in place 21 days from now.
    verdict = decide(_line_log(), in_days(60), today=TODAY, policy=OLS)
    assert verdict.verdict == DELAY
    assert verdict.suggested_date == in_days(21)
    [plan] = [r for r in verdict.reasons if r.rule == "plan"]
    assert "if your next 3 scores are 240 or higher" in plan.text


def test_suggested_date_is_the_trend_date_when_it_arrives_last():
    # At 260 the line arrives on day 40, i.e. 26 days from now, after the evidence (21).
    verdict = decide(
        _line_log(), in_days(60), today=TODAY, policy=Policy(threshold=260, model="ols")
    )
    assert verdict.suggested_date == in_days(26)


def test_no_suggested_date_beyond_the_longest_delay():
    # At 1 point/day, 300 is reached on day 80 = 66 days from now: beyond a 60-day limit.
    policy = Policy(threshold=300, target=300, longest_delay_days=60, model="ols")
    verdict = decide(_line_log(), in_days(10), today=TODAY, policy=policy)
    assert verdict.verdict == DELAY and verdict.suggested_date is None
    [reason] = [r for r in verdict.reasons if r.rule == "suggested_date"]
    assert "more than 60 days away" in reason.text


def test_suggested_date_after_eras_costs_a_cycle():
    policy = Policy(eras_date=in_days(30), model="ols")
    verdict = decide(_line_log(), in_days(60), today=TODAY, policy=policy)
    assert verdict.suggested_date == in_days(21)
    assert verdict.score_release_date == in_days(21 + 28)
    assert verdict.misses_eras is True
    [reason] = [r for r in verdict.reasons if r.rule == "eras"]
    assert reason.met is False and reason.text.endswith("this delay costs a match cycle.")


def test_take_now_before_eras():
    policy = Policy(eras_date=in_days(120))
    verdict = decide(
        weekly([230, 234, 238, 241, 243, 246]), in_days(21), today=TODAY, policy=policy
    )
    assert verdict.verdict == TAKE_NOW and verdict.misses_eras is False
    assert verdict.score_release_date == in_days(21 + 28)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([], 7),
        ([0], 7),
        ([0, 0, 0], 7),
        ([0, 10], 10),
        ([0, 7, 7, 21, 30], 9),
        ([0, 3, 8], 4),
    ],
)
def test_pace_is_the_median_gap_between_assessment_days(days, expected):
    # [0, 7, 7, 21, 30]: days 0, 7, 21, 30 → gaps 7, 14, 9 → median 9.
    # [0, 3, 8]: gaps 3, 5 → median 4. One day or none: the 7-day default.
    entries = entries_from([(d, 230) for d in days])
    assert pace_days(entries, default=7) == expected


def test_pace_rounds_a_fractional_median_up():
    # gaps 3 and 6 → median 4.5 days → 5 (a score cannot arrive half a day early).
    assert pace_days(entries_from([(0, 230), (3, 230), (9, 230)]), default=7) == 5


@pytest.mark.parametrize(
    ("scores", "run"), [([], 0), ([239], 0), ([241, 239, 240, 250], 2), ([240, 240], 2)]
)
def test_trailing_run(scores, run):
    assert trailing_run(scores, 240) == run


# --- dates and settings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 400}, "threshold 400 is outside the score scale 1–300"),
        ({"target": 0}, "target 0 is outside the score scale 1–300"),
        ({"window": 0}, "window 0 must be at least 1"),
        ({"level": 1.5}, "level 1.5 must lie strictly between 0 and 1"),
        ({"level": 0.0}, "level 0.0 must lie strictly between 0 and 1"),
        ({"longest_delay_days": -1}, "longest_delay_days -1 is out of range"),
    ],
)
def test_policy_rejects_out_of_range_settings(kwargs, message):
    with pytest.raises(PolicyError) as caught:
        Policy(**kwargs)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("exam", "policy", "message"),
    [
        (
            dt.date(2026, 11, 20),
            Policy(),
            "exam date 2026-11-20 is before today (2026-11-26)",
        ),
        (
            in_days(30),
            Policy(eras_date=dt.date(2026, 6, 1)),
            "ERAS date 2026-06-01 is before today (2026-11-26)",
        ),
    ],
)
def test_decide_rejects_impossible_dates(exam, policy, message):
    with pytest.raises(PolicyError) as caught:
        decide(weekly([230, 235, 240], last_day_ago=10), exam, today=TODAY, policy=policy)
    assert str(caught.value) == message


def test_exam_before_the_last_assessment():
    entries = weekly([230, 235, 240], last_day_ago=2)
    with pytest.raises(PolicyError) as caught:
        decide(entries, in_days(-5), today=TODAY)
    assert (
        str(caught.value)
        == "exam date 2026-11-21 is before the last assessment (2026-11-24)"
    )


def test_a_log_from_the_future_is_refused():
    entries = weekly([230, 235, 240], last_day_ago=0)
    with pytest.raises(PolicyError, match="after today"):
        decide(entries, in_days(10), today=in_days(-1))


# --- the JSON contract -----------------------------------------------------------------


def test_json_contract():
    verdict = decide(weekly([236, 238, 239, 241, 243]), in_days(30), today=TODAY)
    data = json.loads(json.dumps(verdict.as_dict()))
    assert set(data) >= {
        "verdict",
        "exam_date",
        "today",
        "n_scores",
        "policy",
        "recent_scores",
        "consistent",
        "projection",
        "slope_per_week",
        "suggested_date",
        "reasons",
    }
    assert data["verdict"] == "delay"
    assert data["exam_date"] == "2026-12-26" and data["today"] == "2026-11-26"
    assert data["n_scores"] == 5
    assert data["policy"] == {
        "threshold": 240,
        "window": 3,
        "target": 245,
        "passing": 214,
        "level": 0.95,
    }
    assert data["recent_scores"] == [239, 241, 243] and data["consistent"] is False
    projection = data["projection"]
    assert set(projection) >= {
        "score",
        "confidence_interval",
        "prediction_interval",
        "p_threshold",
        "p_target",
        "p_fail",
    }
    low, high = projection["prediction_interval"]
    c_low, c_high = projection["confidence_interval"]
    assert low <= c_low <= projection["score"] <= c_high <= high
    assert projection["score"] == pytest.approx(
        verdict.projection.predicted_mean, abs=0.005
    )
    assert 0 <= projection["p_fail"] <= projection["p_target"] <= projection["p_threshold"]
    assert data["slope_per_week"] == pytest.approx(verdict.trend.slope * 7, abs=0.001)
    # One more 240+ at a weekly pace: a week from today.
    assert data["suggested_date"] == "2026-12-03"
    assert all(isinstance(reason, str) for reason in data["reasons"])


def test_json_for_insufficient_data_has_nulls():
    data = decide(weekly([241]), in_days(30), today=TODAY).as_dict()
    assert data["projection"] is None and data["slope_per_week"] is None
    assert data["suggested_date"] is None and data["verdict"] == "insufficient_data"


# --- properties ----------------------------------------------------------------------

logs = st.lists(st.integers(min_value=200, max_value=270), min_size=0, max_size=10)


@settings(max_examples=150, deadline=None)
@given(
    scores=logs,
    threshold=st.integers(200, 270),
    raise_by=st.integers(1, 30),
    exam_in=st.integers(0, 200),
    gap=st.integers(1, 14),
)
def test_raising_the_threshold_never_turns_delay_into_take_now(
    scores, threshold, raise_by, exam_in, gap
):
    entries = weekly(scores, gap=gap) if scores else []
    low = decide(entries, in_days(exam_in), today=TODAY, policy=Policy(threshold=threshold))
    high = decide(
        entries,
        in_days(exam_in),
        today=TODAY,
        policy=Policy(threshold=min(threshold + raise_by, 300)),
    )
    if low.verdict != TAKE_NOW:
        assert high.verdict != TAKE_NOW


@settings(max_examples=150, deadline=None)
@given(scores=logs, exam_in=st.integers(0, 200), gap=st.integers(1, 14))
def test_every_delay_has_a_date_or_says_why_not(scores, exam_in, gap):
    entries = weekly(scores, gap=gap) if scores else []
    verdict = decide(entries, in_days(exam_in), today=TODAY)
    if verdict.verdict == DELAY:
        [reason] = [r for r in verdict.reasons if r.rule == "suggested_date"]
        if verdict.suggested_date is None:
            assert reason.text.startswith("No date to suggest")
        else:
            assert TODAY <= verdict.suggested_date <= in_days(180 + 14 * 3)
    else:
        assert verdict.suggested_date is None


# --- the learning-rate prior ------------------------------------------------------------


def test_a_falling_student_is_not_told_to_sit_by_the_prior():
    # Consistently above 240 but losing 2 points a week: the prior alone (students
    # usually improve) projects well above 240; the student's own line does not.
    verdict = decide(weekly([252, 250, 248, 246, 244, 242]), in_days(60), today=TODAY)
    assert verdict.policy.model == "bayes"
    assert verdict.projected_score > 240 > verdict.decisive_score
    assert verdict.verdict == DELAY and verdict.suggested_date is None
    [reason] = [r for r in verdict.reasons if r.rule == "own_line"]
    assert reason.text.startswith(
        "Without the learning-rate prior your own scores project 224"
    )
    data = verdict.as_dict()
    assert data["model"] == "bayes" and data["decisive_score"] == pytest.approx(
        224.3, abs=0.1
    )


@settings(max_examples=150, deadline=None)
@given(
    scores=logs,
    exam_in=st.integers(0, 120),
    gap=st.integers(1, 14),
    weight=st.sampled_from([0.25, 1.0, 4.0]),
)
def test_the_prior_never_makes_the_verdict_less_careful(scores, exam_in, gap, weight):
    entries = weekly(scores, gap=gap) if scores else []
    with_prior = decide(
        entries,
        in_days(exam_in),
        today=TODAY,
        policy=Policy(prior=SlopePrior(weight=weight)),
    )
    without = decide(entries, in_days(exam_in), today=TODAY, policy=OLS)
    if with_prior.verdict == TAKE_NOW:
        assert without.verdict == TAKE_NOW
    if with_prior.suggested_date is not None and without.suggested_date is not None:
        assert with_prior.suggested_date >= without.suggested_date


def test_an_unknown_model_is_refused():
    with pytest.raises(PolicyError, match="model 'spline' is not one of bayes, ols"):
        Policy(model="spline")
