"""The plan in words: exact texts, worked out by hand, and the headline for each outcome.

The days of the practice exams the rule still needs follow the rules written out at
the top of tests/test_plan.py (the pace, 3 days apart in the final three weeks, none
in the last two days before the exam).

TODAY is 2026-11-26. "Weekly" logs put one score every 7 days, the last on 2026-11-24
(x = 7·(n − 1) days after the first; TODAY is 2 days later). Rows are named NBME 9,
NBME 10, … and read with the shipped catalog, whose NBME offsets are 0: the scores are
used as logged. The least-squares arithmetic behind each case is in tests/test_plan.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import numpy as np
import pytest
import statsmodels.api as sm

from tracker.exams import (
    COMLEX_2CE,
    STEP2_CK,
    Catalog,
    Reading,
    load_catalog,
    read_entry,
    shipped_catalog_path,
)
from tracker.log import Entry, read_log
from tracker.plan import (
    NoDateCause,
    Outcome,
    Plan,
    Policy,
    lines_disagree,
    make_plan,
    review_result,
)
from tracker.reasons import (
    count,
    explain,
    headline,
    percent,
    points,
    score,
    signed,
)
from tracker.trend import BayesianTrend, LinearTrend

from conftest import TODAY, entries_from

STEP2_FORMS = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK)
EXAMPLE = shipped_catalog_path(STEP2_CK).parent / "example_scores.csv"
OLS = Policy(model="ols")

READY = (230, 234, 238, 241, 243, 246)  # OLS b = 0.449/day through (17.5, 238.67)
RISING = (228, 232, 236, 238, 241)  # OLS at 240 from x = 24.9; 2 missing
FALLING = (252, 250, 248, 246, 244, 242)  # −2 points a week
CRAWLING = (220, 221, 220, 222, 221, 222)  # +0.049/day: 240 only 369 days from TODAY
AT_240 = (232, 236, 239, 240, 240)  # 1 missing; the line is past 240


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def read(entries, catalog: Catalog = STEP2_FORMS, exam=STEP2_CK) -> list[Reading]:
    return [read_entry(entry, exam, catalog) for entry in entries]


def weekly_entries(scores) -> list[Entry]:
    start = TODAY - dt.timedelta(days=2 + 7 * (len(scores) - 1))
    return entries_from([(7 * i, s) for i, s in enumerate(scores)], start=start)


def weekly(scores, *, exam=STEP2_CK) -> list[Reading]:
    entries = weekly_entries(scores)
    catalog = STEP2_FORMS if exam is STEP2_CK else Catalog(forms=())  # raw COMLEX scores
    return read(entries, catalog=catalog, exam=exam)


def line_log(last: dt.date = TODAY) -> list[Reading]:
    """The perfect line 220 + 1 point a day, scored on days 0, 7 and 14 (``last``), read
    raw: no form's offset uncertainty, so a perfect line has no uncertainty at all."""
    start = last - dt.timedelta(days=14)
    entries = entries_from([(0, 220), (7, 227), (14, 234)], start=start)
    return read(entries, catalog=Catalog(forms=()))


def plan_for(readings, exam_date: str, policy: Policy = OLS) -> Plan:
    return make_plan(readings, day(exam_date), today=TODAY, policy=policy)


def text(plan: Plan, rule: str) -> str:
    [reason] = [r for r in explain(plan) if r.rule == rule]
    return reason.text


def met(plan: Plan, rule: str) -> bool | None:
    [reason] = [r for r in explain(plan) if r.rule == rule]
    return reason.met


def result(score_: int, on: str, *, practice, policy: Policy = OLS) -> Plan:
    reading = read_entry(Entry(day(on), "Step 2 CK", score_), STEP2_CK, STEP2_FORMS)
    return review_result(practice, reading, policy=policy)


# --- the rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("readings", "met_", "expected"),
    [
        pytest.param(
            weekly(READY),
            True,
            "Consistent: the last 3 scores (241, 243, 246) are all 240 or higher.",
            id="ready",
        ),
        pytest.param(
            weekly(RISING),
            False,
            "Not yet consistent: the last 3 scores must all be 240+; 236, 238 are below "
            "(last: 236, 238, 241).",
            id="two of the last three under",
        ),
        pytest.param(
            weekly(AT_240),
            False,
            "Not yet consistent: the last 3 scores must all be 240+; 239 is below "
            "(last: 239, 240, 240).",
            id="one a point under",
        ),
        pytest.param(
            weekly((241, 246)),
            False,
            "Not enough data: 2 scores logged; the last 3 scores must all be 240+. "
            "Log 1 more.",
            id="two scores",
        ),
        pytest.param(
            weekly((241,)),
            False,
            "Not enough data: 1 score logged; the last 3 scores must all be 240+. "
            "Log 2 more.",
            id="one score",
        ),
    ],
)
def test_consistency(readings, met_, expected):
    plan = plan_for(readings, "2026-12-26")
    reasons = explain(plan)
    assert reasons[0].rule == "consistency"
    assert (reasons[0].met, reasons[0].text) == (met_, expected)


@pytest.mark.parametrize(
    ("scores", "met_", "expected"),
    [
        (
            (236, 241),
            True,
            "Consistent: the last score (241) is 240 or higher.",
        ),
        (
            (241, 236),
            False,
            "Not yet consistent: the last score must be 240+; 236 is below (last: 236).",
        ),
    ],
)
def test_consistency_with_a_window_of_one(scores, met_, expected):
    plan = plan_for(weekly(scores), "2026-12-26", Policy(model="ols", window=1))
    assert (met(plan, "consistency"), text(plan, "consistency")) == (met_, expected)


@pytest.mark.parametrize(
    ("scores", "words", "met_"),
    [
        # (241 + 243 + 248)/3 = 244.
        ((241, 243, 248), "244, stands in for the projection: at or above 240.", True),
        # (228 + 231 + 234)/3 = 231.
        ((228, 231, 234), "231, stands in for the projection: below 240.", False),
    ],
    ids=["above", "below"],
)
def test_the_recent_mean_stands_in_on_one_day(scores, words, met_):
    readings = read(entries_from([(0, s) for s in scores], start=TODAY))
    plan = plan_for(readings, "2026-12-06", Policy())
    assert text(plan, "projection") == (
        "No trend can be fitted (all scores are from one day; a trend needs scores from "
        f"different days); the mean of the last 3 scores, {words}"
    )
    assert met(plan, "projection") is met_


def test_no_date_when_no_trend_and_the_recent_mean_is_below():
    # 228, 231, 234 on one day: no line, and their mean, 231, is under 240: no day to
    # suggest, and the headline says to log results on more days.
    readings = read(entries_from([(0, 228), (0, 231), (0, 234)], start=TODAY))
    plan = plan_for(readings, "2026-12-26", Policy())
    assert plan.outcome == Outcome.DELAY
    assert (met(plan, "ready_by"), text(plan, "ready_by")) == (
        False,
        "No date to suggest: no trend can be fitted yet (all scores are from one day; a "
        "trend needs scores from different days) and the mean of your last 3 scores, "
        "231, is below 240. Log results on different days to see where your scores are "
        "heading.",
    )
    assert headline(plan) == (
        "DELAY",
        "move the exam from 2026-12-26; no date yet: log results on more days",
    )


def test_a_perfect_line_far_ahead():
    # 220 + x, TODAY is x = 14; the exam 2027-01-25 is x = 74 → 294, 60 days after the
    # last score, which is more than the 14 days the scores span. No residual: zero-width
    # intervals, chances 1 and 0. Slope 7 points a week over 2 weeks.
    plan = plan_for(line_log(), "2027-01-25")
    assert text(plan, "projection") == (
        "Projected exam-day score 294 on 2027-01-25 (95% prediction interval 294–294): "
        "at or above 240."
    )
    assert text(plan, "chances") == (
        "Chance on exam day of 240+: over 99.9%; of the 245 target: over 99.9%; of "
        "failing (under 218): under 0.1%."
    )
    assert text(plan, "trend") == (
        "Trend: rising, +7.0 points a week over 2 weeks (3 assessments; a straight line "
        "through your scores alone)."
    )
    assert text(plan, "extrapolation") == (
        "Caution: the exam is 60 days after your last assessment, longer than your scores "
        "span (14 days); the projection stretches the trend beyond the data."
    )
    assert text(plan, "perfect_fit") == (
        "Every score lies exactly on the trend line, so no uncertainty could be "
        "estimated: the intervals have zero width. Log more results before trusting them."
    )
    assert "clipped" not in {r.rule for r in explain(plan)}


def test_a_perfect_line_of_known_forms_keeps_their_offset_uncertainty():
    # The line_log scores under the catalog's names NBME 9–11, each known only to ±3
    # points: the line is still exact, but the intervals are not zero-width.
    start = TODAY - dt.timedelta(days=14)
    readings = read(entries_from([(0, 220), (7, 227), (14, 234)], start=start))
    plan = plan_for(readings, "2027-01-25")
    assert text(plan, "perfect_fit") == (
        "Every score lies exactly on the trend line, so no uncertainty could be "
        "estimated: the intervals show only the forms' offset uncertainty. Log more "
        "results before trusting them."
    )


def test_past_the_end_of_the_scale():
    # 2027-03-26 is 120 days after TODAY: x = 134 → 354, held at 300.
    plan = plan_for(line_log(), "2027-03-26")
    assert text(plan, "projection").startswith(
        "Projected exam-day score 300 on 2027-03-26 (95% prediction interval 300–300)"
    )
    assert text(plan, "clipped") == (
        "The trend runs past the ends of the Step 2 CK scale (1–300); the numbers shown "
        "stop at its ends."
    )


def test_the_students_own_line_decides_when_it_is_lower():
    # Own line 247 − (2/7)·79.5 = 224.3; the prior's 247 + 0.1277·79.5 = 257.2.
    plan = plan_for(weekly(FALLING), "2027-01-25", Policy())
    assert text(plan, "decisive_line") == (
        "Two lines were fitted: the line that starts from how students usually improve "
        "(+0.9 points a week) projects 257; your own scores alone (−2.0 points a week) "
        "project 224. The lower one counts, since what students usually do may make the "
        "verdict more careful, "
        "never less: below 240."
    )
    assert met(plan, "decisive_line") is False
    # The projection line shows the model's best estimate, 257, and leaves the verdict
    # to the sentence on the two lines.
    assert met(plan, "projection") is None
    assert text(plan, "projection").startswith("Projected exam-day score 257 on 2027-01-25")


def test_forms_in_words():
    # The example: UWSA 1 241 − 8 = 233 and UWSA 2 244 − 5 = 239 cross 240 for the trend.
    plan = plan_for(read(read_log(EXAMPLE)), "2027-01-15", Policy())
    assert text(plan, "calibration") == (
        "Calibration for differences between forms moved 2 scores across 240 for the "
        "trend (the consistency rule still uses the scores you saw): UWSA 1 on "
        "2026-10-17 (241 → 233); UWSA 2 on 2026-11-14 (244 → 239)."
    )
    entries = [
        Entry(day("2026-11-10"), "NBME 14", 241),
        Entry(day("2026-11-17"), "Kaplan Diagnostic", 243),
        Entry(day("2026-11-24"), "Free 120", 70),
    ]
    plan = plan_for(read(entries), "2026-12-10", Policy())
    assert text(plan, "conversion") == (
        "Percent-correct scores on the exam's scale: Free 120 on 2026-11-24: 70% ≈ 245."
    )
    assert text(plan, "uncalibrated") == (
        "Not calibrated (not in the catalog of forms, used as logged): Kaplan Diagnostic."
    )


# --- ready by -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("readings", "exam", "policy", "met_", "expected"),
    [
        pytest.param(
            weekly(AT_240),
            "2026-12-10",
            OLS,
            True,
            # Exam 12-10: the final weeks from 11-19, so 11-24 + 3 = 11-27, closer than
            # the pace of 7.
            "On track: keep 2026-12-10 if one more score of 240+ comes in by 2026-11-27 "
            "(a practice exam on 2026-11-27, at your pace of one every 7 days, closer in "
            "the final three weeks). The trend is already at 240+. Ready by 2026-11-27 "
            "at the earliest.",
            id="one more needed",
        ),
        # The example, with no forms left to plan: 1 missing, the median gap of 11 days
        # after the last practice (11-21) → 2026-12-02, before the final weeks (from
        # 12-25); the lines reached 240 around x = 76 (2026-11-16), before TODAY.
        pytest.param(
            read(read_log(EXAMPLE)),
            "2027-01-15",
            Policy(),
            True,
            "On track: keep 2027-01-15 if one more score of 240+ comes in by 2026-12-02 "
            "(a practice exam on 2026-12-02, at your pace of one every 11 days). The trend "
            "is already at 240+. Ready by 2026-12-02 at the earliest.",
            id="the example log",
        ),
        # 236, 241, 243 on one day: the pace is the 7-day default.
        pytest.param(
            read(entries_from([(0, 236), (0, 241), (0, 243)], start=TODAY)),
            "2026-12-26",
            Policy(),
            True,
            "On track: keep 2026-12-26 if one more score of 240+ comes in by 2026-12-03 "
            "(a practice exam on 2026-12-03, at a default pace of one every 7 days until "
            "yours can be measured). No trend could be checked (all scores are from one "
            "day; a trend needs scores from different days). Ready by 2026-12-03 at the "
            "earliest.",
            id="all on one day",
        ),
        # 220 + x reaches 240 on x = 20, 6 days from TODAY (2026-12-02); 3 missing a
        # week apart from the last (TODAY), all before the final weeks (from 01-04).
        pytest.param(
            line_log(),
            "2027-01-25",
            OLS,
            True,
            "On track: keep 2027-01-25 if 3 more scores of 240+ come in by 2026-12-17 "
            "(practice exams on 2026-12-03, 2026-12-10 and 2026-12-17, at your pace of "
            "one every 7 days). The trend reaches 240 on 2026-12-02. Ready by 2026-12-17 "
            "at the earliest.",
            id="three more needed, the trend on its way",
        ),
        # Exam 12-02: its last practice day is 11-29; 11-27 fits, the second would be
        # 11-30. The line projects 235 + 0.457·(36 − 14) = 245.1 on the exam day.
        # Moving to 11-30 + 3 = 12-03 is 1 day; 6 days before the exam a move costs $50.
        pytest.param(
            weekly(RISING),
            "2026-12-02",
            OLS,
            False,
            "The rule needs 2 more scores of 240+, but only 1 practice exam fits before "
            "2026-12-02 with two rest days before it, while the projection is at 240+. "
            "Two choices: keep 2026-12-02 and sit with 1 of the 2 scores the rule needs, "
            "or move the exam 1 day later, to about 2026-12-03, after the last one "
            "(2026-11-30); moving now costs about $50.",
            id="the calendar is one practice exam short",
        ),
        # At 260: 220 + x reaches it on x = 40, 26 days from TODAY → 2026-12-22. Exam
        # 12-20: final weeks from 11-29, the first of them 3 days after TODAY's score.
        pytest.param(
            line_log(),
            "2026-12-20",
            Policy(threshold=260, model="ols"),
            False,
            "Readiness cannot be shown by 2026-12-20. The rule needs 3 more scores of "
            "260+, by 2026-12-05 (practice exams on 2026-11-29, 2026-12-02 and "
            "2026-12-05, at your pace of one every 7 days, closer in the final three "
            "weeks). The trend reaches 260 on 2026-12-22. Move the exam to about "
            "2026-12-22.",
            id="delay for the trend",
        ),
        pytest.param(
            weekly(FALLING),
            "2027-01-25",
            Policy(),
            False,
            "No date to suggest: your scores are not rising (−2.0 points a week), so "
            "waiting alone will not raise them. Change how you study — weak subjects, "
            "question review, tutoring — then reassess.",
            id="falling",
        ),
        # +0.049/day = +0.3 a week; 369 days from 2026-11-26 is 2027-11-30.
        pytest.param(
            read(weekly_entries(CRAWLING), catalog=Catalog(forms=())),  # equal weights
            "2026-12-26",
            OLS,
            False,
            "No date to suggest: at +0.3 points a week the trend reaches 240 only on "
            "2027-11-30, more than 180 days away. Waiting alone is not enough: change how "
            "you study, then reassess.",
            id="too slow",
        ),
        # 300 on x = 80: 66 days from TODAY, 2027-01-31, beyond a 60-day limit.
        pytest.param(
            line_log(),
            "2026-12-06",
            Policy(threshold=300, target=300, longest_delay_days=60, model="ols"),
            False,
            "No date to suggest: at +7.0 points a week the trend reaches 300 only on "
            "2027-01-31, more than 60 days away. Waiting alone is not enough: change how "
            "you study, then reassess.",
            id="beyond the longest delay",
        ),
    ],
)
def test_ready_by(readings, exam, policy, met_, expected):
    plan = plan_for(readings, exam, policy)
    assert (met(plan, "ready_by"), text(plan, "ready_by")) == (met_, expected)


def test_no_ready_by_line_when_taking_it_now_or_short_of_data():
    for plan in (
        plan_for(weekly(READY), "2026-12-17"),
        plan_for(weekly((241, 246)), "2026-12-17"),
    ):
        assert "ready_by" not in {r.rule for r in explain(plan)}


# --- deadlines, eligibility, ERAS ---------------------------------------------------------

LATE_FEE_WORDS = (
    "a higher fee that depends on the region (in the 2020 schedule, $136 in the US and "
    "Canada and $330–604 elsewhere)"
)


def test_decide_by_and_the_evidence_after_it():
    # 2027-01-05 − 31 days = 2026-12-05; ready by 2026-12-08 (12-01, 12-08 at the pace,
    # before the final weeks from 12-15) comes after it.
    plan = plan_for(weekly(RISING), "2027-01-05")
    assert text(plan, "decide_by") == (
        "Decide by 2026-12-05: the last day to move the exam without a fee. After it a "
        f"move costs about $50; within 5 days of the exam, {LATE_FEE_WORDS}."
    )
    assert text(plan, "decide_before_evidence") == (
        "The evidence comes after that day (2026-12-08): you will have to decide before "
        "it is in. Moving after 2026-12-05 costs about $50."
    )


@pytest.mark.parametrize(
    ("exam", "fee"),
    [
        pytest.param("2026-12-26", "about $50", id="30 days ahead"),
        pytest.param("2026-12-01", LATE_FEE_WORDS, id="5 days ahead"),
    ],
)
def test_decide_by_passed(exam, fee):
    plan = plan_for(weekly(RISING), exam)
    assert text(plan, "decide_by") == (
        "The last fee-free day to move the exam (31 days before it) has passed: moving "
        f"it now costs {fee}."
    )


def test_comlex_fees_are_unknown():
    plan = plan_for(
        weekly((450, 465, 478, 490), exam=COMLEX_2CE),
        "2027-03-01",
        Policy(exam=COMLEX_2CE, model="ols"),
    )
    assert text(plan, "decide_by") == (
        "The tracker does not know COMLEX Level 2-CE's rescheduling fees: check them "
        "before the exam gets close."
    )


@pytest.mark.parametrize(
    ("exam", "end", "met_", "expected"),
    [
        # Exam 12-02: suggested 12-03 (the calendar case above).
        pytest.param(
            "2026-12-02",
            "2026-12-02",
            False,
            "The suggested date (2026-12-03) is after your eligibility period ends "
            "(2026-12-02): moving there needs an extension or a new application.",
            id="suggested date after the end",
        ),
        pytest.param(
            "2026-12-26",
            "2026-12-20",
            False,
            "Your exam date (2026-12-26) is after your eligibility period ends "
            "(2026-12-20): the exam cannot be held then without an extension.",
            id="exam after the end",
        ),
        pytest.param(
            "2026-12-26",
            "2027-02-24",
            True,
            "Your eligibility period runs until 2027-02-24.",
            id="inside the period",
        ),
    ],
)
def test_eligibility(exam, end, met_, expected):
    plan = plan_for(weekly(RISING), exam, Policy(model="ols", eligibility_end=day(end)))
    assert (met(plan, "eligibility"), text(plan, "eligibility")) == (met_, expected)


@pytest.mark.parametrize(
    ("exam", "eras", "met_", "expected"),
    [
        # Exam 12-26 → score 2027-01-23; 90 days later is 2027-04-23.
        pytest.param(
            "2026-12-26",
            "2027-04-23",
            True,
            "Sitting on your exam date (2026-12-26), the score should arrive about "
            "2027-01-23, 90 days before ERAS opens (2027-04-23): time to decide whether "
            "to apply this cycle.",
            id="on time",
        ),
        pytest.param(
            "2026-12-26",
            "2027-02-01",
            None,
            "Sitting on your exam date (2026-12-26), the score should arrive about "
            "2027-01-23, 9 days before ERAS opens (2027-02-01): in time, but with less "
            "than the three months advised to decide whether to apply this cycle.",
            id="tight",
        ),
        pytest.param(
            "2026-12-26",
            "2027-01-24",
            None,
            "Sitting on your exam date (2026-12-26), the score should arrive about "
            "2027-01-23, 1 day before ERAS opens (2027-01-24): in time, but with less "
            "than the three months advised to decide whether to apply this cycle.",
            id="tight by a day",
        ),
        pytest.param(
            "2026-12-26",
            "2027-01-20",
            False,
            "Sitting on your exam date (2026-12-26), the score should arrive about "
            '2027-01-23, after ERAS opens (2027-01-20): programs would see "score '
            'pending": sit earlier if you can, or apply next cycle.',
            id="missed keeping the date",
        ),
        # Delay to 12-03 → score 12-31, after ERAS on 12-30.
        pytest.param(
            "2026-12-02",
            "2026-12-30",
            False,
            "Sitting on the suggested date (2026-12-03), the score should arrive about "
            "2026-12-31, after ERAS opens (2026-12-30): this delay moves the application "
            "to the next cycle; for a field like IR a strong score next cycle usually "
            "beats a mediocre one now.",
            id="missed by delaying",
        ),
    ],
)
def test_eras(exam, eras, met_, expected):
    plan = plan_for(weekly(RISING), exam, Policy(model="ols", eras_date=day(eras)))
    assert (met(plan, "eras"), text(plan, "eras")) == (met_, expected)


def test_advice_for_a_low_start_and_a_low_projection():
    plan = plan_for(weekly((205, 208, 206, 209)), "2026-12-26")
    assert text(plan, "reassess") == (
        "Your first score was under 210: plan for more time, consider tutoring, and "
        "weigh whether the specialty plan still fits."
    )
    assert text(plan, "program_filter") == (
        "A score under 230 falls below a filter many programs apply to Step 2 CK."
    )


# --- the real result ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score_", "inside", "words"),
    [
        # 220 + x on 11-10, 11-17, 11-24; the result on 2026-12-01 (x = 21): 241 with a
        # zero-width interval.
        pytest.param(241, True, "inside it, exactly at the projection.", id="exact"),
        pytest.param(245, False, "outside it, 4 points above the projection.", id="above"),
        pytest.param(238, False, "outside it, 3 points below the projection.", id="below"),
    ],
)
def test_the_result_against_the_projection(score_, inside, words):
    plan = result(score_, "2026-12-01", practice=line_log(day("2026-11-24")))
    assert text(plan, "result") == (
        f"Your Step 2 CK result: {score_} on 2026-12-01. On 2026-11-24, the day of your "
        "last practice score, the tracker projected 241 (95% prediction interval "
        f"241–241): the result fell {words}"
    )
    assert met(plan, "result") is inside
    # Read raw, the forms are not in the (empty) catalog: the reasons say so.
    assert [r.rule for r in explain(plan)] == ["result", "uncalibrated"]


@pytest.mark.parametrize(
    ("score_", "words"),
    [
        pytest.param(223, "0.6 points above the projection.", id="under a point above"),
        pytest.param(222, "0.4 points below the projection.", id="under a point below"),
    ],
)
def test_a_result_less_than_a_point_from_the_projection(score_, words):
    # The perfect line 220 + x/7 through 220, 221, 222 on 11-10, 11-17, 11-24; on
    # 2026-11-27 (x = 17) it stands at 220 + 17/7 = 222.43 (shown as 222).
    entries = entries_from([(0, 220), (7, 221), (14, 222)], start=day("2026-11-10"))
    practice = read(entries, catalog=Catalog(forms=()))  # raw: a zero-width interval
    plan = result(score_, "2026-11-27", practice=practice)
    assert text(plan, "result").endswith(f"the result fell outside it, {words}")


@pytest.mark.parametrize(
    ("days", "when"),
    [
        # Ten years from 2026-11-26 are 3,653 days (29 February 2028, 2032, 2036).
        (3650, "on 2036-11-23"),
        (3651, "in more than ten years"),
    ],
)
def test_a_climb_past_ten_years_is_not_given_a_date(days, when):
    # The words only: a crawling plan with its days to the threshold set by hand.
    plan = plan_for(weekly(CRAWLING), "2026-12-26")
    readiness = dataclasses.replace(plan.readiness, days_to_threshold=days)
    plan = dataclasses.replace(plan, readiness=readiness)
    assert text(plan, "ready_by") == (
        f"No date to suggest: at +0.3 points a week the trend reaches 240 only {when}, "
        "more than 180 days away. Waiting alone is not enough: change how you study, "
        "then reassess."
    )


def test_the_result_with_no_practice_before_it():
    plan = result(250, "2026-12-01", practice=[])
    assert text(plan, "result") == (
        "Your Step 2 CK result: 250 on 2026-12-01. No projection to compare it with: 0 "
        "scores logged; a trend needs at least 3 to estimate its uncertainty."
    )


def test_the_result_and_eras():
    # Result 2026-12-17 → score 2027-01-14; ERAS 2027-06-01 is 138 days later.
    plan = result(
        250,
        "2026-12-17",
        practice=weekly(READY),
        policy=Policy(eras_date=day("2027-06-01")),
    )
    assert text(plan, "eras") == (
        "You sat the exam on 2026-12-17; the score should arrive about 2027-01-14, 138 "
        "days before ERAS opens (2027-06-01): time to decide whether to apply this cycle."
    )


# --- the headline -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(
            lambda: plan_for(weekly(READY), "2026-12-17"),
            ("TAKE NOW", "sit as planned on 2026-12-17 (in 21 days)"),
            id="take now",
        ),
        pytest.param(
            lambda: plan_for(weekly(READY), "2026-11-27"),
            ("TAKE NOW", "sit as planned on 2026-11-27 (in 1 day)"),
            id="take now, tomorrow",
        ),
        pytest.param(
            lambda: plan_for(
                read(entries_from([(0, 241), (0, 243), (0, 248)], start=TODAY)),
                "2026-11-26",
                Policy(),
            ),
            ("TAKE NOW", "sit as planned on 2026-11-26 (today)"),
            id="take now, today",
        ),
        pytest.param(
            lambda: plan_for(weekly(RISING), "2026-12-26"),
            (
                "ON TRACK",
                "keep 2026-12-26 (in 30 days); ready by 2026-12-05 at the earliest",
            ),
            id="on track",
        ),
        pytest.param(
            lambda: plan_for(line_log(), "2026-12-20", Policy(threshold=260, model="ols")),
            ("DELAY", "move the exam from 2026-12-20 to about 2026-12-22"),
            id="delay with a date",
        ),
        # The calendar case above: the rule short by one, the projection 245.1.
        pytest.param(
            lambda: plan_for(weekly(RISING), "2026-12-02"),
            (
                "DELAY",
                "move the exam from 2026-12-02 to about 2026-12-03 (1 day later), or keep "
                "it with 1 of the 2 scores the rule needs (projected 245)",
            ),
            id="delay or keep, the calendar short",
        ),
        pytest.param(
            lambda: plan_for(weekly(FALLING), "2027-01-25", Policy()),
            ("DELAY", "move the exam from 2027-01-25; no date yet: change how you study"),
            id="delay, falling",
        ),
        pytest.param(
            lambda: plan_for(weekly((241, 246)), "2026-12-26"),
            ("NOT ENOUGH DATA", "log 1 more result (exam planned for 2026-12-26)"),
            id="two scores",
        ),
        pytest.param(
            lambda: plan_for([], "2026-12-26"),
            ("NOT ENOUGH DATA", "log 3 more results (exam planned for 2026-12-26)"),
            id="nothing logged",
        ),
        # READY read raw (plain least squares) on 2026-11-24 for 2026-12-17:
        # 238.67 + 0.449·40.5 = 256.85; statsmodels' 95% interval for one new score is
        # 253.0–260.7, so 250 is outside it.
        pytest.param(
            lambda: result(
                250, "2026-12-17", practice=read(weekly_entries(READY), Catalog(forms=()))
            ),
            (
                "EXAM TAKEN",
                "250 on 2026-12-17; the tracker projected 257, outside its 95% interval "
                "(253–261)",
            ),
            id="taken",
        ),
        pytest.param(
            lambda: result(250, "2026-12-17", practice=[]),
            ("EXAM TAKEN", "250 on 2026-12-17"),
            id="taken, no practice before it",
        ),
    ],
)
def test_headline(make, expected):
    plan = make()
    assert headline(plan) == expected
    assert headline(plan)[0] == plan.outcome.headline


def test_every_outcome_has_its_own_headline_word():
    words = {outcome: outcome.headline for outcome in Outcome}
    assert words == {
        Outcome.TAKE_NOW: "TAKE NOW",
        Outcome.ON_TRACK: "ON TRACK",
        Outcome.DELAY: "DELAY",
        Outcome.INSUFFICIENT_DATA: "NOT ENOUGH DATA",
        Outcome.TAKEN: "EXAM TAKEN",
    }


# --- formatting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "near", "expected"),
    [
        (256.85, None, "257"),
        (239.6, None, "240"),
        (239.6, 240, "239.6"),  # "240" would read as reaching it
        (240.4, 240, "240"),
        (240.0, 240, "240"),
        (244.5, 240, "244"),  # Python rounds half to even
        # Just above a mark that is not whole: "240" would read as under 240.3, so one
        # decimal rounded up; at the mark itself too.
        (240.34, 240.3, "240.4"),
        (240.34, 240.34, "240.4"),
    ],
)
def test_points(value, near, expected):
    assert points(value, near) == expected


def test_a_projection_just_under_the_threshold_never_reads_as_reaching_it():
    assert float(points(239.96, 240)) < 240


@pytest.mark.parametrize(
    ("function", "value", "expected"),
    [
        (score, 244.0, "244"),
        (score, 243.5, "243.5"),
        (score, 244.3333, "244.3"),
        (signed, -2.0, "−2.0"),
        (signed, 0.34, "+0.3"),
        (signed, 0.0, "+0.0"),
        (percent, 0.0005, "under 0.1%"),
        (percent, 0.9995, "over 99.9%"),
        (percent, 0.005, "0.5%"),
        (percent, 0.995, "99.5%"),
        (percent, 0.5, "50%"),
        (percent, 0.01, "1%"),
        # At the edges themselves: 0.1% and 99.9% are shown as they are, and 99% as a
        # whole number.
        (percent, 0.001, "0.1%"),
        (percent, 0.999, "99.9%"),
        (percent, 0.99, "99%"),
    ],
)
def test_formatting(function, value, expected):
    assert function(value) == expected


def test_count():
    assert [count(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]


# --- the reasons never contradict each other ----------------------------------------------


def chance_of(words: str, what: str) -> float:
    """The chance the chances line gives for ``what`` ("240+"), as a fraction."""
    found = re.search(rf"of {re.escape(what)}: (under |over )?([\d.]+)%", words)
    assert found, words
    return float(found.group(2)) / 100


def test_a_falling_student_is_never_told_the_trend_is_rising():
    # The two lines disagree: no single "Trend:" sentence, the sentence on both gives
    # each slope, and the falling one is the one that counts.
    plan = plan_for(weekly(FALLING), "2027-01-25", Policy())
    assert "your scores are not rising" in text(plan, "ready_by")
    assert "trend" not in [r.rule for r in explain(plan)]
    assert "your own scores alone (−2.0 points a week)" in text(plan, "decisive_line")
    # Plain words: no method names in the verdict.
    assert not any("least squares" in r.text or "prior" in r.text for r in explain(plan))


def test_the_chance_of_the_threshold_agrees_with_the_line_that_decides():
    # The own line decides at 224 (below 240): beside the model's chance, the chances
    # line gives the deciding line's, which is well under a half.
    plan = plan_for(weekly(FALLING), "2027-01-25", Policy())
    assert plan.forecast.decisive_score < 240
    found = re.search(r"which decides: ([\d.]+)% of 240\+", text(plan, "chances"))
    assert found and float(found.group(1)) / 100 < 0.5


# --- the projection, the two lines and the trend in words --------------------------------


def test_no_projection_yet_with_two_scores():
    plan = plan_for(weekly((241, 246)), "2026-12-26")
    [reason] = [r for r in explain(plan) if r.rule == "projection"]
    assert (reason.met, reason.text) == (
        None,
        "No projection yet: 2 scores logged; a trend needs at least 3 to estimate its "
        "uncertainty.",
    )


def test_a_recent_mean_exactly_at_the_threshold_reaches_it():
    # 239, 240, 241 on one day: their mean is 240, which is 240+.
    readings = read(entries_from([(0, 239), (0, 240), (0, 241)], start=TODAY))
    plan = plan_for(readings, "2026-12-26", Policy())
    assert met(plan, "projection") is True
    assert text(plan, "projection").endswith(
        "stands in for the projection: at or above 240."
    )


def test_a_projection_below_the_threshold_with_its_prediction_interval():
    # CRAWLING weekly to 2026-11-24 (x = 35), the exam on 2026-12-10 (x = 51):
    # statsmodels' line and 95% interval for one score on that day (219.6–225.7; the
    # trend's own interval, 220.3–225.0, would read 220–225).
    x, y = np.arange(6) * 7.0, np.array(CRAWLING, dtype=float)
    frame = (
        sm.OLS(y, sm.add_constant(x))
        .fit()
        .get_prediction(np.array([[1.0, 51.0]]))
        .summary_frame(alpha=0.05)
    )
    mean, low, high = (frame[c][0] for c in ("mean", "obs_ci_lower", "obs_ci_upper"))
    # Read raw (no forms' offset uncertainty), so plain least squares is the oracle.
    plan = plan_for(read(weekly_entries(CRAWLING), Catalog(forms=())), "2026-12-10")
    assert met(plan, "projection") is False
    assert text(plan, "projection") == (
        f"Projected exam-day score {mean:.0f} on 2026-12-10 (95% prediction interval "
        f"{low:.0f}–{high:.0f}): below 240."
    )
    # 221 + 0.049·(51 − 17.5) = 222.6; the interval's ends by hand from statsmodels.
    assert (f"{mean:.0f}", f"{low:.0f}", f"{high:.0f}") == ("223", "220", "226")


def test_a_projection_a_hair_under_the_threshold_reads_as_under_it():
    plan = plan_for(weekly(RISING), "2026-12-26")
    forecast = dataclasses.replace(plan.forecast, projected_score=239.96)
    plan = dataclasses.replace(plan, forecast=forecast)
    assert text(plan, "projection").startswith("Projected exam-day score 239.9 on ")


def test_a_projection_exactly_at_the_threshold_reaches_it():
    plan = plan_for(weekly(RISING), "2026-12-26")
    forecast = dataclasses.replace(plan.forecast, projected_score=240.0)
    plan = dataclasses.replace(plan, forecast=forecast)
    assert text(plan, "projection").endswith("): at or above 240.")
    assert met(plan, "projection") is True


def _flat(points_: float) -> LinearTrend:
    """A level line at ``points_`` (its projection on any day), for the words only."""
    return LinearTrend(
        origin=TODAY, n=5, intercept=points_, slope=0.0, x_mean=14.0, sxx=490.0,
        resid_var=4.0, first_day=0.0, last_day=28.0,
    )  # fmt: skip


def _two_lines(prior: float, own: float) -> Plan:
    """A prior-model plan whose two lines project ``prior`` and ``own`` on the exam day;
    the lower decides."""
    plan = plan_for(weekly(RISING), "2026-12-26", Policy())
    decided_by = "own_line" if own < prior else "model"
    forecast = dataclasses.replace(
        plan.forecast,
        trend=_flat(prior),
        own_line=_flat(own),
        decided_by=decided_by,
        decisive_score=min(prior, own),
        lines_disagree=lines_disagree(prior, own, threshold=240),
    )
    return dataclasses.replace(plan, forecast=forecast)


TWO = "Two lines were fitted:"
PRIOR_SAYS = (
    "the line that starts from how students usually improve (+0.0 points a week) projects"
)
OWN_SAY = "your own scores alone (+0.0 points a week) project"
LOWER_COUNTS = (
    "The lower one counts, since what students usually do may make the verdict more careful"
)


@pytest.mark.parametrize(
    ("prior", "own", "expected"),
    [
        # Three points apart on one side of 240: worth a sentence; the own line decides.
        (
            245.0,
            242.0,
            f"{TWO} {PRIOR_SAYS} 245; {OWN_SAY} 242. {LOWER_COUNTS}, never less: at or "
            "above 240.",
        ),
        # A point apart but on either side of 240: the own line's 239.96 reads 239.9.
        (
            241.0,
            239.96,
            f"{TWO} {PRIOR_SAYS} 241; {OWN_SAY} 239.9. {LOWER_COUNTS}, never less: below "
            "240.",
        ),
        # Four points apart, the lower exactly at 240: that is 240+.
        (
            244.0,
            240.0,
            f"{TWO} {PRIOR_SAYS} 244; {OWN_SAY} 240. {LOWER_COUNTS}, never less: at or "
            "above 240.",
        ),
        # The prior's line is lower and decides: it is named second.
        (
            239.96,
            243.0,
            f"{TWO} {OWN_SAY} 243; {PRIOR_SAYS} 239.9. {LOWER_COUNTS}, never less: below "
            "240.",
        ),
        # Within three points on one side of 240 (the edges at 240 itself): no sentence.
        (241.0, 240.0, None),
        (240.0, 241.5, None),
        (245.0, 242.01, None),
    ],
)
def test_the_two_lines_are_named_only_when_they_tell_different_stories(
    prior, own, expected
):
    reasons = [r.text for r in explain(_two_lines(prior, own)) if r.rule == "decisive_line"]
    assert reasons == ([] if expected is None else [expected])


def _sure_lines(prior: float, own: float) -> Plan:
    """:func:`_two_lines` with no spread on the exam day: each chance is 0 or 1, by
    whether the line's projection is at or above the score asked about."""
    plan = _two_lines(prior, own)
    model = dataclasses.replace(
        plan.forecast.projection, predicted_mean=prior, se_mean=0.0, se_obs=0.0
    )
    deciding = dataclasses.replace(model, predicted_mean=min(prior, own))
    forecast = dataclasses.replace(
        plan.forecast, projection=model, decisive_projection=deciding
    )
    return dataclasses.replace(plan, forecast=forecast)


MODEL_CHANCES = (
    "Chance on exam day of 240+: over 99.9%; of the 245 target: over 99.9%; of failing "
    "(under 218): under 0.1%."
)


@pytest.mark.parametrize(
    ("prior", "own", "expected"),
    [
        # The own line decides and tells another story: its chance of 240+ (230, no
        # spread: 0) follows the model's chances.
        (
            245.0,
            230.0,
            f"{MODEL_CHANCES} By your own line, which decides: under 0.1% of 240+.",
        ),
        # The own line decides but tells the same story (2.99 points lower): one line.
        (245.0, 242.01, MODEL_CHANCES),
        # The lines differ but the prior's decides: its chances are already the ones shown.
        (245.0, 260.0, MODEL_CHANCES),
    ],
)
def test_the_deciding_lines_chance_is_added_only_when_the_own_line_decides_alone(
    prior, own, expected
):
    assert text(_sure_lines(prior, own), "chances") == expected


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        pytest.param(
            lambda: plan_for(weekly(FALLING), "2027-01-25"),
            "Trend: falling, −2.0 points a week over 5 weeks (6 assessments; a straight "
            "line through your scores alone).",
            id="falling",
        ),
        pytest.param(
            lambda: plan_for(weekly((240, 240, 240)), "2027-01-25"),
            "Trend: flat, +0.0 points a week over 2 weeks (3 assessments; a straight line "
            "through your scores alone).",
            id="flat",
        ),
        # The example: the two lines project 252.2 and 252.4, one story, the model's.
        pytest.param(
            lambda: plan_for(read(read_log(EXAMPLE)), "2027-01-15", Policy()),
            "Trend: rising, +1.4 points a week over 12 weeks (9 assessments; a straight "
            "line that starts from how students usually improve).",
            id="the lines agree",
        ),
    ],
)
def test_the_trend_in_words(plan, expected):
    assert text(plan(), "trend") == expected


@pytest.mark.parametrize(
    ("scores", "window", "exam", "expected"),
    [
        # Eight at 225, then three at 240 (x = 0 … 70, today x = 72): ȳ = 229.09 at
        # x̄ = 35, Sxy = 7·(225·(−12) + 240·12) = 1,260, Sxx = 5,390, b = 0.2338 a day.
        # The rule is met, but the line reaches 240 only at x = 35 + 10.91/0.2338 =
        # 81.7, day 82: today + 10 = 2026-12-06, after the exam on 2026-12-01.
        (
            (225,) * 8 + (240, 240, 240),
            3,
            "2026-12-01",
            "Readiness cannot be shown by 2026-12-01. The last 3 scores are at 240+. The "
            "trend reaches 240 on 2026-12-06. Move the exam to about 2026-12-06.",
        ),
        # A window of one: 241 meets it. ȳ = 232.6 at x̄ = 14, Sxy = 7·21 = 147, b = 0.3:
        # 240 at x = 14 + 7.4/0.3 = 38.7, day 39, today + 9 = 2026-12-05.
        (
            (230, 232, 229, 231, 241),
            1,
            "2026-12-03",
            "Readiness cannot be shown by 2026-12-03. The last score is at 240+. The trend "
            "reaches 240 on 2026-12-05. Move the exam to about 2026-12-05.",
        ),
    ],
)
def test_the_rule_is_met_but_the_trend_comes_after_the_exam(scores, window, exam, expected):
    # Read raw: every score weighs the same, as in the sums by hand.
    readings = read(weekly_entries(scores), catalog=Catalog(forms=()))
    plan = plan_for(readings, exam, Policy(model="ols", window=window))
    assert (plan.outcome, plan.rule.missing) == (Outcome.DELAY, 0)
    assert (met(plan, "ready_by"), text(plan, "ready_by")) == (False, expected)


def test_no_advice_at_the_marks_themselves():
    # A first score of exactly 210 is not under 210; a projection of exactly 230 is not
    # under the 230 filter.
    plan = plan_for(weekly((210, 215, 220)), "2026-12-26")
    forecast = dataclasses.replace(plan.forecast, decisive_score=230.0)
    plan = dataclasses.replace(plan, forecast=forecast)
    rules = [reason.rule for reason in explain(plan)]
    assert "reassess" not in rules and "program_filter" not in rules
    forecast = dataclasses.replace(plan.forecast, decisive_score=229.9)
    rules = [r.rule for r in explain(dataclasses.replace(plan, forecast=forecast))]
    assert "program_filter" in rules


def test_forms_in_words_with_several_rows_each():
    # Free 120: 85% is past the table's end (75% = 252, 80% = 260: 1.6 points a
    # percent): 260 + 5·1.6 = 268, extrapolated; 70% = 245. UWSA 2 (offset −5): 240
    # becomes 235 (across 240), 245 becomes 240 (still 240+). Two unknown names, in
    # alphabetical order. The rule uses the corrected scores.
    rows = [
        (0, "Free 120", 85), (7, "UWSA 2", 240), (14, "Kaplan", 236), (21, "Free 120", 70),
        (28, "UWSA 2", 245), (35, "Amboss", 238),
    ]  # fmt: skip
    readings = read(
        [Entry(day("2026-10-20") + dt.timedelta(days=d), n, v) for d, n, v in rows]
    )
    plan = plan_for(readings, "2026-12-26", Policy(model="ols", calibrate_rule=True))
    assert text(plan, "conversion") == (
        "Percent-correct scores on the exam's scale: Free 120 on 2026-10-20: 85% ≈ 268 "
        "(outside the table: extrapolated); Free 120 on 2026-11-10: 70% ≈ 245."
    )
    assert text(plan, "calibration") == (
        "Calibration for differences between forms moved 1 score across 240 for the "
        "rule and the trend: UWSA 2 on 2026-10-27 (240 → 235)."
    )
    assert text(plan, "uncalibrated") == (
        "Not calibrated (not in the catalog of forms, used as logged): Amboss, Kaplan."
    )


# --- the learning curve in words ---------------------------------------------------------

CURVE_ORIGIN = TODAY - dt.timedelta(days=28)  # 2026-10-29: a log four weeks long


def _curve_line() -> BayesianTrend:
    """230 + 0.4·u with u = (1 − e^(−0.02x))/0.02: it levels off at 230 + 0.4/0.02 = 250.
    The slope at the last assessment (day 28) is 0.4·e^−0.56 = 0.22848 a day, 1.599 a
    week. On 2026-12-26 (day 58): 250 − 20·e^−1.16 = 250 − 6.2697 = 243.73."""
    return BayesianTrend(
        origin=CURVE_ORIGIN, n=5, intercept=230.0, slope=0.4, x_ref=20.0, v_aa=0.2,
        v_ab=0.0, v_bb=0.001, scale=25.0, degrees_of_freedom=8.0, first_day=0.0,
        last_day=28.0, rate=0.02,
    )  # fmt: skip


def _straight(points_: float) -> BayesianTrend:
    """A level straight line at ``points_`` with the prior model's form."""
    return BayesianTrend(
        origin=CURVE_ORIGIN, n=5, intercept=points_, slope=0.0, x_ref=14.0, v_aa=0.2,
        v_ab=0.0, v_bb=0.001, scale=25.0, degrees_of_freedom=8.0, first_day=0.0,
        last_day=28.0,
    )  # fmt: skip


def _curve_plan(*, prior: float, own: float, disagree: bool) -> Plan:
    """A curve plan: the curve projects 243.73, its straight lines ``prior``, ``own``."""
    plan = plan_for(weekly(RISING), "2026-12-26", Policy(model="bend"))
    means = {"model": 243.7303, "prior_line": prior, "own_line": own}
    decided_by = min(means, key=means.get)
    forecast = dataclasses.replace(
        plan.forecast,
        trend=_curve_line(),
        prior_line=_straight(prior),
        own_line=_flat(own),
        decided_by=decided_by,
        decisive_score=means[decided_by],
        lines_disagree=disagree,
    )
    return dataclasses.replace(plan, forecast=forecast)


def test_the_curve_names_itself_in_the_trend_sentence():
    # The lines agree (within 3 points, one side of 240): the trend's own sentence.
    plan = _curve_plan(prior=245.0, own=244.0, disagree=False)
    assert text(plan, "trend") == (
        "Trend: rising, +1.6 points a week at your last assessment, over 4 weeks "
        "(5 assessments; a learning curve whose gains shrink as your scores rise, "
        "levelling off near 250)."
    )


def test_three_lines_in_one_sentence_the_one_that_counts_last():
    # The curve 243.73 → "244"; the straight line with the prior 251; own line 239,
    # lowest: it counts, and it is below 240.
    plan = _curve_plan(prior=251.0, own=239.0, disagree=True)
    assert text(plan, "decisive_line") == (
        "Three lines were fitted: the learning curve (+1.6 points a week now, levelling "
        "off near 250) projects 244; a straight line that starts from how students "
        "usually improve (+0.0 points a week) projects 251; your own scores alone (+0.0 "
        "points a week) project 239. The lowest counts, since how students usually learn "
        "may make the verdict more careful, never less: below 240."
    )
    assert met(plan, "decisive_line") is False
    assert all(r.rule != "trend" for r in explain(plan))  # the sentence above has it


def test_the_straight_line_deciding_is_named_in_the_chances():
    # The straight line with the prior, 241, is the lowest of 244, 241 and 246.
    plan = _curve_plan(prior=241.0, own=246.0, disagree=True)
    assert plan.forecast.decided_by == "prior_line"
    assert " By the straight line, which decides: " in text(plan, "chances")
    assert text(plan, "decisive_line").endswith(
        "a straight line that starts from how students usually improve (+0.0 points a "
        "week) projects 241. The lowest counts, since how students usually learn may make "
        "the verdict more careful, never less: at or above 240."
    )


def test_a_curve_levelling_off_below_the_threshold_in_words():
    plan = plan_for(weekly(RISING), "2026-12-26", Policy(model="bend"))
    readiness = dataclasses.replace(
        plan.readiness,
        trend_date=None,
        ready_by=None,
        no_date=NoDateCause.LEVELLING_OFF,
        slowest_slope_per_week=0.64,
        ceiling=236.4,
    )
    plan = dataclasses.replace(plan, readiness=readiness, outcome=Outcome.DELAY)
    assert text(plan, "ready_by") == (
        "No date to suggest: your scores are levelling off near 236, below 240 (now "
        "+0.6 points a week), so waiting alone will not get you there. Change how you "
        "study — weak subjects, question review, tutoring — then reassess."
    )
