"""The plan: outcomes, ready-by, deadlines, ERAS, eligibility, the rule, the forecast.

Every expected date is worked out by hand in the comment beside its case. TODAY is
2026-11-26; "weekly" logs put one score every 7 days, the last 2 days before TODAY
(2026-11-24), so TODAY is x = 7·(n − 1) + 2 days after the first score.

The scores the rule still needs come from the practice plan (tracker/schedule.py).
With no catalog forms left, as here, each is "another practice exam", placed on the
earliest day allowed: from the last practice + the pace (weekly: 12-01), or, in the
final three weeks before the exam (exam − 21 days), from the last practice + the
minimum gap of 3 (weekly: 11-27), never before TODAY, and never in the last 2 days
before the exam (the last day is exam − 3). Each next one comes a pace later, or 3 days
later inside the final weeks. One that cannot fit comes 3 days after the last that
does (the exam moved); a suggested date is 3 days after the last one counted.

Least squares by hand, for weekly scores y₀…yₙ₋₁: x̄ = 7·(n − 1)/2, Sxx = 49·Σ(i − ī)²,
Sxy = 7·Σ(i − ī)·yᵢ, b = Sxy/Sxx. The prior model's line passes through (x̄, ȳ) too (a
flat prior on the level) with slope (P·0.2 + Sxy)/(P + Sxx), P = 7²/0.1² = 4900.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from tracker.errors import PolicyError
from tracker.exams import (
    COMLEX_2CE,
    STEP2_CK,
    Catalog,
    ExamProfile,
    load_catalog,
    read_entry,
    shipped_catalog_path,
)
from tracker.log import Entry, read_log
from tracker.plan import (
    PLANNING_HORIZON_DAYS,
    Deadlines,
    ErasStatus,
    NoDateCause,
    Outcome,
    Plan,
    Policy,
    Readiness,
    make_plan,
    pace_days,
    review_result,
    trailing_run,
)
from tracker.reasons import explain
from tracker.trend import Curve

from conftest import TODAY, entries_from

RAW = Catalog(forms=())  # scores used as logged
STEP2_FORMS = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK)
EXAMPLE = shipped_catalog_path(STEP2_CK).parent / "example_scores.csv"
OLS = Policy(model="ols")  # the cases whose trend is worked out by hand


def day(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def read(entries, *, exam: ExamProfile = STEP2_CK, catalog: Catalog = RAW) -> list:
    return [read_entry(entry, exam, catalog) for entry in entries]


def weekly(scores, *, exam: ExamProfile = STEP2_CK) -> list:
    """Readings, one every 7 days, the last on 2026-11-24 (2 days before TODAY)."""
    start = TODAY - dt.timedelta(days=2 + 7 * (len(scores) - 1))
    entries = entries_from([(7 * i, s) for i, s in enumerate(scores)], start=start)
    return read(entries, exam=exam)


def one_day(scores, *, on: dt.date = TODAY) -> list:
    return read(entries_from([(0, s) for s in scores], start=on))


def plan_for(readings, exam_date, policy=OLS, today=TODAY) -> Plan:
    return make_plan(readings, exam_date, today=today, policy=policy)


def rules(plan: Plan) -> dict:
    return {reason.rule: reason for reason in explain(plan)}


# --- logs the cases share, worked out once ------------------------------------------------

# Rising, one 240+ at the end: 228, 232, 236, 238, 241. ȳ = 235 at x̄ = 14, Sxx = 490,
# Sxy = 7·(−456 − 232 + 238 + 482) = 224, b = 0.457/day: 240 at x = 14 + 5/0.457 = 24.9,
# before TODAY (x = 30). Two 240+ missing × pace 7 days → evidence 2026-12-10.
RISING = (228, 232, 236, 238, 241)
# Ready: 230, 234, 238, 241, 243, 246. ȳ = 238.67 at x̄ = 17.5, Sxx = 857.5, Sxy = 385,
# b = 0.449/day. TODAY is x = 37.
READY = (230, 234, 238, 241, 243, 246)
# Falling: 252, 250, …, 242, −2 points a week; the last three are all 240+.
FALLING = (252, 250, 248, 246, 244, 242)
# Flat at 221: ȳ = 221, Sxy = 7·6 = 42, b = 42/857.5 = 0.049/day (+0.3 a week).
CRAWLING = (220, 221, 220, 222, 221, 222)


@dataclass(frozen=True)
class Case:
    situation: str
    readings: list
    exam_date: dt.date
    outcome: Outcome
    ready_by: dt.date | None = None  # Plan.ready_by: on_track and delay only
    suggested: dt.date | None = None
    no_date: NoDateCause | None = None
    policy: Policy = OLS

    def param(self):
        return pytest.param(self, id=self.situation)


OUTCOMES = [
    # 241, 243, 246 all 240+; line at the exam (x = 37 + 21 = 58): 238.67 + 0.449·40.5
    # = 256.8 ≥ 240.
    Case("ready and rising", weekly(READY), day("2026-12-17"), Outcome.TAKE_NOW),
    # Two missing. Final weeks from 12-26 − 21 = 12-05. The first at the pace: 12-01;
    # the second a pace later (12-08) or, inside the final weeks, 3 days later and not
    # before 12-05: 12-05. The trend is already there: ready by 12-05.
    Case(
        "not yet but in time",
        weekly(RISING),
        day("2026-12-26"),
        Outcome.ON_TRACK,
        ready_by=day("2026-12-05"),
    ),
    # Exam 12-06: every day from TODAY is in the final weeks (from 11-15); the first on
    # 11-24 + 3 = 11-27, the second 11-30, before the last day (12-03): still in time.
    Case(
        "not yet, in time at the closer final gap",
        weekly(RISING),
        day("2026-12-06"),
        Outcome.ON_TRACK,
        ready_by=day("2026-11-30"),
    ),
    # Exam 12-02: the last day is 11-29, so only 11-27 fits; the second would come on
    # 11-30, after it. The trend is there, so only the calendar is short: move the
    # exam to 11-30 + 3 = 12-03.
    Case(
        "not yet and too late",
        weekly(RISING),
        day("2026-12-02"),
        Outcome.DELAY,
        ready_by=day("2026-11-30"),
        suggested=day("2026-12-03"),
    ),
    # The prior model (the default) on the same log: its slope is (4900·0.2 + 224)/5390
    # = 0.223/day, through (14, 235): 240 at x = 14 + 5/0.223 = 36.4 → day 37, 7 days
    # after TODAY (2026-12-03); before the evidence on 12-05 (as above).
    Case(
        "not yet but in time, prior model",
        weekly(RISING),
        day("2026-12-26"),
        Outcome.ON_TRACK,
        ready_by=day("2026-12-05"),
        policy=Policy(),
    ),
    # 228, 231, 226, 244: 1 run, 2 missing. Line: ȳ = 232.25 at x̄ = 10.5, Sxy =
    # 7·21.5 = 150.5, Sxx = 245, b = 0.614: 240 at x = 10.5 + 7.75/0.614 = 23.1 → day
    # 24 = 11-27, 1 day after TODAY. Exam 12-03: final weeks from 11-12, last day
    # 11-30: practice on 11-27 and 11-30. Ready by 11-30, the last day: keep it.
    Case(
        "one lucky score, ready on the last practice day",
        weekly((228, 231, 226, 244)),
        day("2026-12-03"),
        Outcome.ON_TRACK,
        ready_by=day("2026-11-30"),
    ),
    # The same with the exam a day earlier, 12-02: the last day is 11-29, only 11-27
    # fits; the second would be 11-30; the trend is there by 11-27: move to 12-03.
    Case(
        "one lucky score, exam a day too soon",
        weekly((228, 231, 226, 244)),
        day("2026-12-02"),
        Outcome.DELAY,
        ready_by=day("2026-11-30"),
        suggested=day("2026-12-03"),
    ),
    # 236, 240, 242, 245, 247, 239: the last is under 240, so 3 missing. Line: ȳ =
    # 241.5, Sxy = 7·19.5 = 136.5, b = 0.159; at TODAY 241.5 + 0.159·19.5 = 244.6,
    # already above. Exam 12-17: final weeks from 11-26, so 11-27, 11-30, 12-03.
    Case(
        "a dip at the end, three more needed",
        weekly((236, 240, 242, 245, 247, 239)),
        day("2026-12-17"),
        Outcome.ON_TRACK,
        ready_by=day("2026-12-03"),
    ),
    # 240, 242, …, 248 at a 250 bar: no score reaches it, 3 missing. The line (244 at
    # x̄ = 14, 2/7 a day) reaches 250 at x = 35, 5 days from TODAY (x = 30): 12-01.
    # Exam 12-08: final weeks from 11-17, last day 12-05: 11-27, 11-30, 12-03 fit.
    Case(
        "ready at 250 in time",
        weekly((240, 242, 244, 246, 248)),
        day("2026-12-08"),
        Outcome.ON_TRACK,
        ready_by=day("2026-12-03"),
        policy=Policy(threshold=250, model="ols"),
    ),
    # The same, the exam on 11-30: its last day is 11-27, so one of the three fits; the
    # trend reaches 250 only on 12-01, after the exam: it sets the ready-by day, and
    # the suggested date is 3 days after the third practice exam (11-27 + 3 + 3 =
    # 12-03): 12-06.
    Case(
        "ready at 240 but not at 250",
        weekly((240, 242, 244, 246, 248)),
        day("2026-11-30"),
        Outcome.DELAY,
        ready_by=day("2026-12-03"),
        suggested=day("2026-12-06"),
        policy=Policy(threshold=250, model="ols"),
    ),
    Case(
        "ready at a higher bar",
        weekly((246, 249, 251, 253, 256)),
        day("2026-12-10"),
        Outcome.TAKE_NOW,
        policy=Policy(threshold=250, model="ols"),
    ),
    # A window of five: 236 breaks it, the run is 4, 1 missing. Exam 12-10: final weeks
    # from 11-19, so the next practice exam can come on 11-24 + 3 = 11-27.
    Case(
        "a window of five, one more needed",
        weekly((236, 241, 243, 245, 246)),
        day("2026-12-10"),
        Outcome.ON_TRACK,
        ready_by=day("2026-11-27"),
        policy=Policy(window=5, model="ols"),
    ),
    # Perfect line 220 + 1·x on x = 0, 7, 14 (the last TODAY). At 240 the trend is
    # there on x = 20 (12-02) but 3 scores are missing. Exam 2027-01-25: final weeks
    # from 01-04, so at the pace: 12-03, 12-10, 12-17: evidence last.
    Case(
        "evidence arrives after the trend",
        read(entries_from([(0, 220), (7, 227), (14, 234)], start=day("2026-11-12"))),
        day("2027-01-25"),
        Outcome.ON_TRACK,
        ready_by=day("2026-12-17"),
    ),
    # At 260 the line arrives on x = 40, 26 days from TODAY → 2026-12-22. Exam 12-20:
    # final weeks from 11-29: practice 11-29, 12-02, 12-05 (before its last day,
    # 12-17). The trend sets the day, after the exam on 12-20: move to 12-22.
    Case(
        "trend arrives after the evidence",
        read(entries_from([(0, 220), (7, 227), (14, 234)], start=day("2026-11-12"))),
        day("2026-12-20"),
        Outcome.DELAY,
        ready_by=day("2026-12-22"),
        suggested=day("2026-12-22"),
        policy=Policy(threshold=260, model="ols"),
    ),
    # Consistent but falling 2 a week: the own line never reaches 240 again.
    Case(
        "consistent but falling",
        weekly(FALLING),
        day("2027-01-25"),
        Outcome.DELAY,
        no_date=NoDateCause.NOT_RISING,
        policy=Policy(),
    ),
    # Flat at 221, +0.049/day: 240 at x = 17.5 + 19/0.049 = 405.4 → 406, 369 days after
    # TODAY (x = 37): beyond 180.
    Case(
        "crawling up too slowly",
        weekly(CRAWLING),
        day("2026-12-26"),
        Outcome.DELAY,
        no_date=NoDateCause.TOO_SLOW,
    ),
    Case(
        "two scores only",
        weekly((241, 246)),
        day("2026-12-26"),
        Outcome.INSUFFICIENT_DATA,
        policy=Policy(),
    ),
    Case("nothing logged yet", [], day("2026-12-26"), Outcome.INSUFFICIENT_DATA),
    # Three on one day: no trend, the mean (241 + 243 + 248)/3 = 244 stands in.
    Case(
        "all on one day, mean above",
        one_day((241, 243, 248)),
        day("2026-12-06"),
        Outcome.TAKE_NOW,
        policy=Policy(),
    ),
    # 236, 241, 243 on one day: 1 missing; the pace cannot be measured, so 7 days:
    # evidence 2026-11-26 + 7 = 2026-12-03 (the final weeks start on 12-05); with no
    # trend it alone sets the day.
    Case(
        "all on one day, one more needed",
        one_day((236, 241, 243)),
        day("2026-12-26"),
        Outcome.ON_TRACK,
        ready_by=day("2026-12-03"),
        policy=Policy(),
    ),
    # All three on 2026-11-01, 25 days ago; exam 12-02, its last practice day 11-29:
    # the next can be today. Their mean, exactly 240, stands in for the trend.
    Case(
        "all on one day weeks ago, exam within a week",
        one_day((236, 241, 243), on=day("2026-11-01")),
        day("2026-12-02"),
        Outcome.ON_TRACK,
        ready_by=TODAY,
        policy=Policy(),
    ),
    # The same, the exam on 11-28: its last practice day (11-25) has passed: the next
    # can be today, and the exam 3 days later.
    Case(
        "all on one day weeks ago, exam in two days",
        one_day((236, 241, 243), on=day("2026-11-01")),
        day("2026-11-28"),
        Outcome.DELAY,
        ready_by=TODAY,
        suggested=day("2026-11-29"),
        policy=Policy(),
    ),
    # 232, 236, 240, 240, 240: 240 is 240+. Line ȳ = 237.6, Sxy = 7·20 = 140, b = 0.286;
    # at the exam (x = 44): 237.6 + 0.286·30 = 246.2.
    Case(
        "the last three exactly at 240",
        weekly((232, 236, 240, 240, 240)),
        day("2026-12-10"),
        Outcome.TAKE_NOW,
    ),
    # 240, 240, 240 on one day: no line; their mean, exactly 240, stands in and reaches it.
    Case(
        "all on one day, exactly at 240",
        one_day((240, 240, 240)),
        day("2026-12-06"),
        Outcome.TAKE_NOW,
        policy=Policy(),
    ),
    # 232, 236, 239, 240, 240: 239 is one point under: run 2, 1 missing; exam 12-10:
    # final weeks from 11-19, so 11-27. Line ȳ = 237.4, b = 0.286: 240 at x = 14 +
    # 2.6/0.286 = 23.1, before TODAY.
    Case(
        "one of the last three a point under",
        weekly((232, 236, 239, 240, 240)),
        day("2026-12-10"),
        Outcome.ON_TRACK,
        ready_by=day("2026-11-27"),
    ),
]


@pytest.mark.parametrize("case", [case.param() for case in OUTCOMES])
def test_outcomes(case):
    plan = plan_for(case.readings, case.exam_date, case.policy)
    assert plan.outcome == case.outcome
    assert plan.ready_by == case.ready_by
    assert plan.suggested_date == case.suggested
    assert plan.readiness.no_date == case.no_date
    sitting = case.suggested if case.outcome == Outcome.DELAY else case.exam_date
    assert plan.sitting == sitting
    release = None if sitting is None else sitting + dt.timedelta(days=28)
    assert plan.release_date == release


def test_the_example_log_is_on_track_for_mid_january():
    # The run of 240+ at the end is 244, 242: 1 missing. The 9 days are 09-01, 09-12,
    # 09-24, 10-06, 10-17, 10-29, 11-07, 11-14, 11-21; gaps 11, 12, 12, 11, 12, 9, 7, 7:
    # sorted 7, 7, 9, 11, 11, 12, 12, 12, median 11: the next at the pace is 12-02.
    # The trend (calibrated: UWSA 1 241 − 8, UWSA 2 244 − 5) has ȳ = 233.6 at x̄ = 43.9,
    # Sxy ≈ 1348, Sxx ≈ 6545: own b = 0.206, the prior's (980 + 1348)/11445 = 0.203;
    # 240 at x ≈ 75.6 → day 76, before TODAY (x = 86).
    # The forms left are UWSA 3 (usually 3–5 weeks before 2027-01-15: 12-11 to 12-25),
    # NBME 16 (2–3 weeks: 12-25 to 01-01) and the Free 120 (1–2: 01-01 to 01-08); each
    # fits on the first day of its window, UWSA 3 on 12-11: ready by then.
    readings = read(read_log(EXAMPLE), catalog=STEP2_FORMS)
    taken = {r.form.name for r in readings}
    left = [f for f in STEP2_FORMS.forms if f.name not in taken]
    assert [f.name for f in left] == ["NBME 16", "UWSA 3", "Free 120"]
    plan = make_plan(
        readings, day("2027-01-15"), today=TODAY, policy=Policy(), forms_left=left
    )
    assert plan.outcome == Outcome.ON_TRACK
    assert (plan.rule.missing, plan.rule.pace_days, plan.rule.pace_measured) == (
        1,
        11,
        True,
    )
    assert plan.rule.recent_scores == (239, 244, 242)  # as seen, not calibrated
    assert plan.readiness.trend_date == TODAY
    assert [(s.date, s.form.name) for s in plan.practice.slots] == [
        (day("2026-12-11"), "UWSA 3"),
        (day("2026-12-25"), "NBME 16"),
        (day("2027-01-01"), "Free 120"),
    ]
    assert plan.ready_by == day("2026-12-11")
    assert (plan.needed_scores, plan.forms_left) == (1, 3)
    assert plan.deadlines.decide_by == day("2026-12-15")  # 2027-01-15 − 31 days
    # An exam on 11-28 leaves no practice day (the last would be 11-25): one more can
    # come today (11-21 + 3 ≤ 11-26), and the exam 3 days after it, on 11-29.
    early = make_plan(
        readings, day("2026-11-28"), today=TODAY, policy=Policy(), forms_left=left
    )
    assert early.outcome == Outcome.DELAY and early.short_by_calendar
    assert (early.forms_left, early.ready_by) == (0, TODAY)
    assert early.suggested_date == day("2026-11-29") == early.sitting
    assert early.release_date == day("2026-12-27")  # 11-29 + 28


def test_judging_the_rule_on_calibrated_scores():
    # calibrate_rule: UWSA 2's 244 counts as 239, so only 242 is in the run: 2 missing.
    # The exam on 11-28 leaves no practice day: today (11-21 + 3 ≤ 11-26) and 3 days
    # later, 11-29; the exam 3 days after that, 12-02.
    readings = read(read_log(EXAMPLE), catalog=STEP2_FORMS)
    policy = Policy(calibrate_rule=True)
    plan = make_plan(readings, day("2026-11-28"), today=TODAY, policy=policy)
    assert plan.rule.recent_scores == (239, 239, 242)
    assert plan.readiness.evidence_date == day("2026-11-29")
    assert plan.outcome == Outcome.DELAY and plan.suggested_date == day("2026-12-02")


def test_a_percent_form_counts_on_the_exam_scale():
    # Free 120 at 70% is 245 by the table: with 241 and 243 before it, three 240+.
    entries = [
        Entry(day("2026-11-10"), "NBME 14", 241),
        Entry(day("2026-11-17"), "UWSA 2", 243),
        Entry(day("2026-11-24"), "Free 120", 70),
    ]
    plan = plan_for(read(entries, catalog=STEP2_FORMS), day("2026-12-10"), Policy())
    assert plan.rule.recent_scores == (241, 243, 245)
    assert plan.rule.consistent is True


# --- the rule's pieces --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        pytest.param([], None, id="no assessments"),
        pytest.param([0], None, id="one day"),
        pytest.param([0, 0, 0], None, id="three on one day"),
        pytest.param([0, 10], 10, id="one gap"),
        # days 0, 7, 21, 30 → gaps 7, 14, 9 → median 9 (a same-day pair counts once)
        pytest.param([0, 7, 7, 21, 30], 9, id="same-day pair"),
        pytest.param([0, 3, 8], 4, id="gaps 3 and 5"),
        # gaps 3 and 6 → 4.5 → 5: a score cannot arrive half a day early
        pytest.param([0, 3, 9], 5, id="half a day rounds up"),
        pytest.param([0, 9, 3], 5, id="out of order"),
        pytest.param([0, 1, 2], 1, id="one a day"),
    ],
)
def test_pace_is_the_median_gap_between_assessment_days(days, expected):
    assert pace_days([TODAY + dt.timedelta(days=d) for d in days]) == expected


@pytest.mark.parametrize(
    ("scores", "run"),
    [([], 0), ([239], 0), ([241, 239, 240, 250], 2), ([240, 240], 2), ([239.9, 240], 1)],
)
def test_trailing_run(scores, run):
    assert trailing_run(scores, 240) == run


def test_default_pace_counts_the_missing_scores():
    # 1 score today: 2 missing, a pace apart from today, well before the final weeks
    # (from 2027-01-04): 7 days → 12-03, 12-10; a 10-day default → 12-06, 12-16.
    readings = one_day((245,))
    plan = plan_for(readings, day("2027-01-25"))
    rule = plan.rule
    assert (rule.pace_days, rule.pace_measured, rule.missing) == (7, False, 2)
    assert plan.readiness.evidence_date == day("2026-12-10")
    slow = Policy(model="ols", default_pace_days=10)
    assert plan_for(readings, day("2027-01-25"), slow).readiness.evidence_date == day(
        "2026-12-16"
    )
    # A pace set as a setting wins over the default, and is not called measured.
    set_pace = plan_for(readings, day("2027-01-25"), Policy(model="ols", pace_days=5))
    assert (set_pace.rule.pace_days, set_pace.rule.pace_measured) == (5, False)
    assert set_pace.readiness.evidence_date == day("2026-12-06")  # 12-01, 12-06


def test_without_a_projection_there_are_no_chances():
    # Two scores: no line, no projection, so no chance to give.
    plan = plan_for(weekly((241, 246)), day("2026-12-26"))
    assert plan.projection is None and plan.interval(obs=True) is None
    assert (plan.chance_at_least(240), plan.chance_of_failing) == (None, None)
    assert plan.forecast.clipped is False  # nothing projected, nothing held at an end


def test_the_intervals_have_the_policys_coverage():
    # READY by least squares, an 80% policy: the interval is the projection's own at
    # alpha 0.2, narrower than the 95% one.
    plan = plan_for(weekly(READY), day("2026-12-17"), Policy(model="ols", level=0.8))
    for obs in (True, False):
        assert plan.interval(obs=obs) == plan.projection.conf_int(obs=obs, alpha=0.2)
    wide = plan_for(weekly(READY), day("2026-12-17"))
    assert wide.interval(obs=True)[0] < plan.interval(obs=True)[0]


def test_clipping_is_judged_on_the_prediction_interval_of_the_policys_level():
    # 282, 286, 285, 290, 291 weekly (x = 0 … 28), the exam on 2026-12-03 (x = 37).
    # statsmodels: the mean, 294.0, is on the scale; one sitting's 95% interval runs
    # past 300 though the trend's does not, and one sitting's 50% interval stays under.
    scores = (282, 286, 285, 290, 291)
    fit = sm.OLS(np.array(scores, float), sm.add_constant(np.arange(5) * 7.0)).fit()
    at_exam = fit.get_prediction(np.array([[1.0, 37.0]]))
    wide, half = at_exam.summary_frame(alpha=0.05), at_exam.summary_frame(alpha=0.5)
    assert wide["mean"][0] < 300 < wide["obs_ci_upper"][0]
    assert wide["mean_ci_upper"][0] < 300 and half["obs_ci_upper"][0] < 300
    plan = plan_for(weekly(scores), day("2026-12-03"))
    assert plan.forecast.clipped is True
    assert plan.interval(obs=True)[1] == 300  # held at the scale's end
    narrow = plan_for(weekly(scores), day("2026-12-03"), Policy(model="ols", level=0.5))
    assert narrow.forecast.clipped is False
    # No line on one day: the recent mean stands in, and nothing is clipped.
    assert plan_for(one_day((241, 243, 248)), day("2026-12-06")).forecast.clipped is False


def test_readiness_keeps_the_slowest_slope_and_the_days_to_the_threshold():
    # RISING: b = 224/490 a day = 3.2 points a week; the line is at 240 from x = 24.9,
    # before today (x = 30): 0 days to go, the trend date is today; the evidence (two
    # more: 12-01 at the pace, 12-05 on the first day of the final weeks) by 12-05.
    readiness = plan_for(weekly(RISING), day("2026-12-26")).readiness
    assert readiness == Readiness(
        day("2026-12-05"), TODAY, day("2026-12-05"), None, pytest.approx(3.2), 0
    )


def test_an_exam_with_unknown_fees_keeps_the_eligibility_end():
    plan = plan_for(
        weekly((470, 475, 480), exam=COMLEX_2CE),
        day("2027-01-25"),
        Policy(exam=COMLEX_2CE, model="ols", eligibility_end=day("2027-02-28")),
    )
    assert plan.deadlines.rules_known is False
    assert plan.deadlines.eligibility_end == day("2027-02-28")


def test_the_falling_student_is_not_told_to_sit_by_the_prior():
    # FALLING: x̄ = 17.5, ȳ = 247, own b = −2/7 a day; the exam (x = 37 + 60 = 97) is
    # 79.5 days past x̄: own 247 − 22.714 = 224.29. The prior's slope (4900·0.2 − 245)
    # / 5757.5 = 0.1277: 247 + 0.1277·79.5 = 257.15. The projection shown is the
    # model's (the best estimate); the lower line decides, with the model's spread.
    plan = plan_for(weekly(FALLING), day("2027-01-25"), Policy())
    assert plan.rule.consistent is True
    assert plan.forecast.projected_score == pytest.approx(257.15, abs=0.01)
    assert plan.forecast.decisive_score == pytest.approx(224.286, abs=0.001)
    deciding = plan.forecast.decisive_projection
    assert deciding.predicted_mean == pytest.approx(224.286, abs=0.001)
    assert (deciding.se_obs, deciding.df) == (plan.projection.se_obs, plan.projection.df)
    assert plan.forecast.decided_by == "own_line"
    assert plan.readiness.slowest_slope_per_week == pytest.approx(-2.0)
    assert plan.outcome == Outcome.DELAY and plan.suggested_date is None


def test_the_chances_are_the_models_and_the_deciding_lines_only_when_asked():
    # FALLING, as above: the model projects 257.15 and the student's own line 224.29,
    # both with the model's spread; one sitting's chance of 240+ is the t tail of each.
    plan = plan_for(weekly(FALLING), day("2027-01-25"), Policy())
    spread, df = plan.projection.se_obs, plan.projection.df
    by_model = stats.t.sf((240 - 257.15) / spread, df)
    by_own_line = stats.t.sf((240 - 224.286) / spread, df)
    assert plan.chance_at_least(240) == pytest.approx(by_model, abs=1e-3)
    assert plan.chance_at_least(240, deciding=True) == pytest.approx(by_own_line, abs=1e-3)
    assert by_own_line < 0.5 < by_model


def test_when_both_lines_project_the_same_score_the_model_decides():
    # 220, 221, 222 five days apart, the last today: x̄ = 5, Sxx = 50, Sxy = 10, so the
    # student's own slope is 0.2 a day, the prior's mean; the prior's slope is
    # (4900·0.2 + 10)/(4900 + 50) = 0.2 too. Both lines are 220 + 0.2x: 228 on the exam
    # day (x = 40). Only a lower own line decides, so the model's does.
    readings = read(entries_from([(0, 220), (5, 221), (10, 222)], start=day("2026-11-16")))
    plan = plan_for(readings, day("2026-12-26"), Policy())
    assert plan.projection.predicted_mean == pytest.approx(228.0, rel=1e-12)
    assert plan.forecast.own_line.project(day("2026-12-26")).predicted_mean == (
        pytest.approx(228.0, rel=1e-12)
    )
    assert plan.forecast.decided_by == "model"
    assert not plan.forecast.own_line_decides


def test_too_slow_says_how_far_away():
    # CRAWLING: 240 at x = 17.5 + 19·857.5/42 = 405.4 → 406; TODAY is x = 37: 369 days.
    plan = plan_for(weekly(CRAWLING), day("2026-12-26"))
    assert plan.readiness.days_to_threshold == 369
    assert plan.readiness.slowest_slope_per_week == pytest.approx(42 / 857.5 * 7)


@pytest.mark.parametrize(
    ("longest", "no_date", "ready_by"),
    [
        # The line 220 + x reaches 300 on x = 80, 66 days after TODAY (x = 14).
        pytest.param(60, NoDateCause.TOO_SLOW, None, id="longest delay 60 days: too slow"),
        pytest.param(66, None, day("2027-01-31"), id="longest delay 66 days: just in"),
    ],
)
def test_the_longest_delay_considered(longest, no_date, ready_by):
    readings = read(entries_from([(0, 220), (7, 227), (14, 234)], start=day("2026-11-12")))
    policy = Policy(threshold=300, longest_delay_days=longest, model="ols")
    plan = plan_for(readings, day("2026-12-06"), policy)
    assert plan.outcome == Outcome.DELAY
    assert plan.readiness.no_date == no_date
    assert plan.suggested_date == ready_by  # 2026-11-26 + 66 = 2027-01-31


# --- deadlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exam_date", "decide_by", "fee_now"),
    [
        # 2027-01-05 − 31 days = 2026-12-05
        pytest.param(day("2027-01-05"), day("2026-12-05"), None, id="40 days ahead"),
        # 2026-12-27 − 31 = 2026-11-26: TODAY is the last free day
        pytest.param(day("2026-12-27"), TODAY, None, id="31 days ahead: today"),
        pytest.param(day("2026-12-26"), None, "about $50", id="30 days ahead: passed"),
        pytest.param(day("2026-12-02"), None, "about $50", id="6 days ahead"),
        pytest.param(
            day("2026-12-01"),
            None,
            "a higher fee that depends on the region (in the 2020 schedule, $136 in the US "
            "and Canada and $330–604 elsewhere)",
            id="5 days ahead",
        ),
    ],
)
def test_decide_by_is_31_days_before_a_step2_exam(exam_date, decide_by, fee_now):
    plan = plan_for(weekly(RISING), exam_date)
    assert plan.deadlines.decide_by == decide_by
    assert plan.deadlines.fee_now == fee_now
    assert plan.deadlines.rules_known is True
    assert plan.deadlines.days_to_exam == (exam_date - TODAY).days


def test_ready_by_after_decide_by():
    # RISING, exam 2027-01-05 (final weeks from 12-15): two more at the pace, 12-01 and
    # 12-08; decide by 2026-12-05: the decision comes three days before the evidence.
    plan = plan_for(weekly(RISING), day("2027-01-05"))
    assert plan.outcome == Outcome.ON_TRACK
    assert plan.deadlines.decide_by == day("2026-12-05")
    assert plan.ready_by == day("2026-12-08")
    assert rules(plan)["decide_before_evidence"].met is False


@pytest.mark.parametrize(
    ("exam_date", "decide_by"),
    [
        # 2027-01-25 − 31 days = 2026-12-25, after ready-by (12-01 and 12-08 at the
        # pace, the final weeks from 2027-01-04)
        pytest.param(day("2027-01-25"), day("2026-12-25"), id="decide after ready-by"),
        # 2027-01-08 − 31 days = 2026-12-08: the evidence is in on the last free day
        # (the final weeks from 12-18: 12-01, 12-08 at the pace)
        pytest.param(day("2027-01-08"), day("2026-12-08"), id="decide on the ready-by day"),
    ],
)
def test_ready_by_on_or_before_decide_by_says_nothing_more(exam_date, decide_by):
    plan = plan_for(weekly(RISING), exam_date)
    assert plan.deadlines.decide_by == decide_by
    assert plan.ready_by == day("2026-12-08")
    assert "decide_before_evidence" not in rules(plan)


def test_comlex_rescheduling_rules_are_unknown():
    # COMLEX threshold 480: 450, 465, 478, 490 (1 in the run) — far ahead of the exam.
    readings = weekly((450, 465, 478, 490), exam=COMLEX_2CE)
    plan = plan_for(readings, day("2027-03-01"), Policy(exam=COMLEX_2CE, model="ols"))
    assert plan.deadlines.decide_by is None
    assert plan.deadlines.rules_known is False
    assert plan.deadlines.fee_now is None
    assert plan.release_date == plan.sitting + dt.timedelta(days=42)


# --- eligibility and ERAS -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("exam_date", "end", "met"),
    [
        # RISING with the exam on 12-02: suggested 12-03 (see the outcomes), after an
        # end on 12-02.
        pytest.param(
            day("2026-12-02"), day("2026-12-02"), False, id="suggested date after the end"
        ),
        # On track, exam 12-26, eligibility ending 12-20.
        pytest.param(day("2026-12-26"), day("2026-12-20"), False, id="exam after the end"),
        pytest.param(day("2026-12-26"), day("2026-12-26"), True, id="exam on the last day"),
        pytest.param(day("2026-12-02"), day("2026-12-03"), True, id="suggested on the end"),
    ],
)
def test_eligibility_end(exam_date, end, met):
    plan = plan_for(weekly(RISING), exam_date, Policy(model="ols", eligibility_end=end))
    assert plan.deadlines.eligibility_end == end
    assert rules(plan)["eligibility"].met is met


def test_no_eligibility_end_says_nothing():
    plan = plan_for(weekly(RISING), day("2026-12-26"))
    assert plan.deadlines.eligibility_end is None
    assert "eligibility" not in rules(plan)


@pytest.mark.parametrize(
    ("exam_date", "eras_date", "release", "days_before", "status"),
    [
        # On track, exam 12-26: score about 2027-01-23. +90 days: Jan 8, Feb 28, Mar 31,
        # Apr 23 → 2027-04-23 leaves exactly 90 days.
        pytest.param(
            day("2026-12-26"),
            day("2027-04-23"),
            day("2027-01-23"),
            90,
            ErasStatus.ON_TIME,
            id="on track, 90 days before ERAS: on time",
        ),
        pytest.param(
            day("2026-12-26"),
            day("2027-04-22"),
            day("2027-01-23"),
            89,
            ErasStatus.TIGHT,
            id="on track, 89 days before ERAS: tight",
        ),
        pytest.param(
            day("2026-12-26"),
            day("2027-01-23"),
            day("2027-01-23"),
            0,
            ErasStatus.TIGHT,
            id="score arrives the day ERAS opens: tight",
        ),
        pytest.param(
            day("2026-12-26"),
            day("2027-01-22"),
            day("2027-01-23"),
            -1,
            ErasStatus.MISSES,
            id="score a day after ERAS opens: missed",
        ),
        # Delay: the exam on 12-02, the sitting the suggested 12-03 (see the outcomes),
        # score about 12-31; ERAS opens 12-30, a day before.
        pytest.param(
            day("2026-12-02"),
            day("2026-12-30"),
            day("2026-12-31"),
            -1,
            ErasStatus.MISSES,
            id="delaying past ERAS misses the cycle",
        ),
        # Delay to 12-03 → 12-31; ERAS 2027-06-01: Jan 31, Feb 28, Mar 31, Apr 30,
        # May 31, Jun 1 → 152 days.
        pytest.param(
            day("2026-12-02"),
            day("2027-06-01"),
            day("2026-12-31"),
            152,
            ErasStatus.ON_TIME,
            id="delaying still well before ERAS",
        ),
    ],
)
def test_eras(exam_date, eras_date, release, days_before, status):
    plan = plan_for(weekly(RISING), exam_date, Policy(model="ols", eras_date=eras_date))
    assert plan.eras is not None
    assert plan.eras.date == eras_date
    assert plan.eras.score_release_date == release == plan.release_date
    assert plan.eras.days_before_eras == days_before
    assert plan.eras.status == status


def test_no_eras_date_no_eras():
    plan = plan_for(weekly(RISING), day("2026-12-26"))
    assert plan.eras is None and "eras" not in rules(plan)


def test_eras_on_the_exam_date_for_take_now():
    # Ready; exam 12-17 → score 2027-01-14; ERAS 2027-06-01: Jan 17 + Feb 28 + Mar 31 +
    # Apr 30 + May 31 + 1 = 138 days.
    plan = plan_for(weekly(READY), day("2026-12-17"), Policy(eras_date=day("2027-06-01")))
    assert plan.outcome == Outcome.TAKE_NOW
    assert plan.eras.score_release_date == day("2027-01-14")
    assert plan.eras.days_before_eras == 138
    assert plan.eras.status == ErasStatus.ON_TIME


# --- dates the plan refuses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("readings", "exam_date", "policy", "today", "message"),
    [
        pytest.param(
            weekly(RISING),
            day("2026-11-20"),
            OLS,
            TODAY,
            "exam date 2026-11-20 is before today (2026-11-26)",
            id="exam date in the past",
        ),
        # 2026-11-26 + 1096 days (2028 is a leap year) = 2029-11-26: a day more.
        pytest.param(
            weekly(RISING),
            day("2029-11-27"),
            OLS,
            TODAY,
            "exam date 2029-11-27 is more than three years after today (2026-11-26)",
            id="exam more than three years ahead",
        ),
        # A clock set back: today 2026-11-20, the last score dated 2026-11-24.
        pytest.param(
            weekly(RISING),
            day("2026-11-22"),
            OLS,
            day("2026-11-20"),
            "exam date 2026-11-22 is before the last assessment (2026-11-24)",
            id="exam before the last assessment",
        ),
        pytest.param(
            weekly(RISING),
            day("2026-12-26"),
            Policy(eras_date=day("2026-06-01")),
            TODAY,
            "ERAS date 2026-06-01 is before today (2026-11-26)",
            id="ERAS opened already",
        ),
        pytest.param(
            weekly(RISING),
            day("2026-12-26"),
            Policy(eras_date=day("2030-01-01")),
            TODAY,
            "ERAS date 2030-01-01 is more than three years after today (2026-11-26)",
            id="ERAS more than three years ahead",
        ),
    ],
)
def test_dates_the_plan_refuses(readings, exam_date, policy, today, message):
    with pytest.raises(PolicyError) as caught:
        make_plan(readings, exam_date, today=today, policy=policy)
    assert str(caught.value) == message


def test_the_edges_of_the_dates_it_accepts():
    # An exam today, one exactly 1096 days ahead, and ERAS opening today all plan.
    readings = weekly(RISING)
    assert plan_for(readings, TODAY).deadlines.days_to_exam == 0
    assert plan_for(readings, day("2029-11-26")).deadlines.days_to_exam == 1096
    eras_today = Policy(model="ols", eras_date=TODAY)
    assert plan_for(readings, day("2026-12-26"), eras_today).eras.date == TODAY
    # ERAS and the eligibility end may lie 1096 days ahead too (2029-11-26), not 1097.
    for name in ("eras_date", "eligibility_end"):
        edge = Policy(model="ols", **{name: day("2029-11-26")})
        assert plan_for(readings, day("2026-12-26"), edge).policy == edge
        beyond = Policy(model="ols", **{name: day("2029-11-27")})
        with pytest.raises(PolicyError, match="more than three years after today"):
            plan_for(readings, day("2026-12-26"), beyond)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 400}, "threshold 400 is outside the Step 2 CK scale 1–300"),
        ({"target": 301}, "target 301 is outside the Step 2 CK scale 1–300"),
        ({"target": 0}, "target 0 is outside 1 to 999"),
        ({"window": 0}, "window 0 is outside 1 to 20"),
        ({"level": 1.5}, "level 1.5 is outside 0.5 to 0.999"),
        ({"longest_delay_days": -1}, "longest_delay_days -1 is outside 7 to 730"),
        ({"model": "spline"}, "model 'spline' is not one of bayes, bend, ols"),
        ({"default_pace_days": 0}, "default pace 0 days is out of range"),
        ({"default_pace_days": 91}, "default pace 91 days is out of range"),
        (
            {"exam": COMLEX_2CE, "threshold": 1000},
            "threshold 1000 is outside 1 to 999",
        ),
    ],
)
def test_policy_refuses_out_of_range_settings(kwargs, message):
    with pytest.raises(PolicyError) as caught:
        Policy(**kwargs)
    assert str(caught.value) == message


def test_a_threshold_on_one_scale_is_fine_on_another():
    # 400 is off Step 2 CK's 1–300 but COMLEX's passing score on 1–999.
    assert Policy(exam=COMLEX_2CE, threshold=400).threshold == 400
    assert Policy(exam=COMLEX_2CE).threshold == 480  # the exam's own default
    assert Policy().threshold == 240
    # A default pace of one day to one quarter (90 days).
    assert [Policy(default_pace_days=d).default_pace_days for d in (1, 90)] == [1, 90]
    # The ends of a scale are on it.
    assert (Policy(threshold=1).threshold, Policy(target=300).target) == (1, 300)


def test_low_scores_on_one_day_are_not_on_track():
    # 200, 205, 210 on one day: no trend, so their mean 205 stands in for the projection
    # (DESIGN, the verdict), and a constant 205 never reaches 240: no ready-by day, DELAY
    # (the evidence alone, today + 3 × 7 = 2026-12-17, would have read ON TRACK).
    plan = plan_for(one_day((200, 205, 210)), day("2026-12-26"), Policy())
    assert plan.forecast.decisive_score == pytest.approx(205)
    assert plan.outcome == Outcome.DELAY
    assert plan.ready_by is None
    assert plan.readiness.no_date == NoDateCause.NO_TREND


# --- the real result ----------------------------------------------------------------------


RESULT_DAY = dt.date(2026, 12, 17)


def result_reading(score: int, on: dt.date = RESULT_DAY):
    return read_entry(Entry(on, "Step 2 CK", score), STEP2_CK, RAW)


def test_review_result_against_a_plan_made_by_hand():
    practice = weekly(READY)  # the last on 2026-11-24
    # By hand: the plan on 2026-11-24 for an exam on 2026-12-17 (x = 58):
    # 238.67 + 0.449·40.5 = 256.85.
    by_hand = make_plan(practice, day("2026-12-17"), today=day("2026-11-24"), policy=OLS)
    assert by_hand.forecast.projected_score == pytest.approx(256.85, abs=0.01)
    low, high = by_hand.interval(obs=True)
    for score, inside in [
        (257, True),
        (math.ceil(low), True),
        (math.floor(high), True),
        (math.floor(low) - 1, False),
        (math.ceil(high) + 1, False),
    ]:
        plan = review_result(practice, result_reading(score), policy=OLS)
        assert plan.outcome == Outcome.TAKEN
        result = plan.result
        assert result.date == day("2026-12-17") and result.score == score
        assert result.as_of == day("2026-11-24")
        assert result.projected == by_hand.forecast.projected_score
        assert result.prediction_interval == (low, high)
        assert result.inside is inside, score
        assert result.error == score - by_hand.forecast.projected_score
        assert plan.sitting == day("2026-12-17")
        assert plan.release_date == day("2027-01-14")  # 12-17 + 28
        assert plan.suggested_date is None and plan.ready_by is None


def test_review_ignores_practice_on_or_after_the_result():
    practice = weekly(READY)
    later = read(entries_from([(0, 200), (3, 205)], start=day("2026-12-17")))
    alone = review_result(practice, result_reading(250), policy=OLS)
    with_later = review_result(practice + later, result_reading(250), policy=OLS)
    assert with_later.result == alone.result
    assert len(with_later.readings) == len(practice)


def test_review_with_no_practice_before_the_result():
    plan = review_result([], result_reading(250), policy=OLS)
    assert plan.outcome == Outcome.TAKEN
    result = plan.result
    assert (result.as_of, result.projected, result.inside, result.error) == (
        None,
        None,
        None,
        None,
    )


def test_review_after_eras_opened():
    # ERAS opened 2026-11-01, before the practice (to 2026-11-24) and the result
    # (2026-12-17): the review should place the score after ERAS, not refuse it.
    policy = Policy(model="ols", eras_date=day("2026-11-01"))
    plan = review_result(weekly(READY), result_reading(250), policy=policy)
    assert plan.eras.status == ErasStatus.MISSES


def test_a_review_of_a_delayed_plan_is_about_the_day_the_exam_was_sat():
    # RISING, the last on 2026-11-24; the result on 2026-11-29. As of 11-24 the plan for
    # 11-29 was a delay: its last practice day, 11-26, comes before the first one the
    # minimum gap allows (11-27); two more on 11-27 and 11-30, the exam on 12-03. The
    # review is about the sitting on 11-29: no suggested date, scores out 11-29 + 28 =
    # 12-27, 64 days before ERAS (2027-03-01): tight. Nothing left to move, 5 days
    # after the last practice, no fee, no eligibility, no practice plan.
    policy = Policy(
        model="ols", eras_date=day("2027-03-01"), eligibility_end=day("2026-12-31")
    )
    as_then = make_plan(weekly(RISING), day("2026-11-29"), today=day("2026-11-24"),
                        policy=OLS)  # fmt: skip
    assert (as_then.outcome, as_then.suggested_date) == (Outcome.DELAY, day("2026-12-03"))
    plan = review_result(
        weekly(RISING), result_reading(246, day("2026-11-29")), policy=policy
    )
    assert plan.outcome == Outcome.TAKEN and plan.policy == policy
    assert (plan.suggested_date, plan.sitting, plan.release_date) == (
        None,
        day("2026-11-29"),
        day("2026-12-27"),
    )
    assert plan.deadlines == Deadlines(None, 5, None, False, None)
    assert plan.practice is None and plan.forms_left == 0
    assert (plan.eras.days_before_eras, plan.eras.status) == (64, ErasStatus.TIGHT)


def test_a_review_years_after_the_last_practice_ignores_the_eligibility_period():
    # Practice to 2023-12-15, the result on 2026-11-20 (1,071 days later, inside three
    # years): the plan as of the last practice day must not refuse an eligibility end
    # (2026-12-31) that lies more than three years after that day.
    practice = read(entries_from([(0, 230), (7, 235), (14, 240)], start=day("2023-12-01")))
    policy = Policy(model="ols", eligibility_end=day("2026-12-31"))
    plan = review_result(practice, result_reading(245, day("2026-11-20")), policy=policy)
    assert plan.result.as_of == day("2023-12-15")
    assert plan.result.projected is not None


def test_practice_more_than_three_years_before_the_result_is_not_compared():
    # Practice in June 2023, the result in November 2026: more than three years (1,096
    # days) apart, the practice says nothing about the result: no projection, no error.
    practice = read(entries_from([(0, 230), (7, 235), (14, 240)], start=day("2023-06-01")))
    plan = review_result(practice, result_reading(245, day("2026-11-20")), policy=OLS)
    assert plan.outcome == Outcome.TAKEN
    assert (plan.result.as_of, plan.result.projected, plan.readings) == (None, None, ())


def test_practice_exactly_three_years_before_the_result_still_counts():
    # 1,096 days before 2026-11-20 is 2023-11-20 (2024 has 29 February): kept.
    practice = read(
        entries_from([(0, 230), (100, 235), (200, 240)], start=day("2023-11-20"))
    )
    plan = review_result(practice, result_reading(245, day("2026-11-20")), policy=OLS)
    assert len(plan.readings) == 3


def test_a_review_without_a_trend_has_no_projection_to_compare():
    # Three practice scores on one day: no line, so nothing was projected for the exam
    # (the mean of the three is no projection of a day).
    practice = one_day((241, 243, 248), on=day("2026-11-01"))
    result = review_result(practice, result_reading(250), policy=OLS).result
    assert (result.projected, result.prediction_interval, result.inside) == (
        None,
        None,
        None,
    )


# --- properties ---------------------------------------------------------------------------

RANK = {Outcome.DELAY: 0, Outcome.ON_TRACK: 1, Outcome.TAKE_NOW: 2}
plausible_logs = st.lists(
    st.tuples(st.integers(0, 120), st.integers(200, 270)), min_size=3, max_size=15
)


def log_readings(log, exam: ExamProfile = STEP2_CK) -> list:
    """Readings for (days before TODAY, score) pairs."""
    return read(
        [Entry(TODAY - dt.timedelta(days=ago), "NBME 12", s) for ago, s in log], exam=exam
    )


@settings(max_examples=150, deadline=None)
@given(
    log=plausible_logs,
    threshold=st.integers(200, 270),
    raise_by=st.integers(1, 30),
    exam_in=st.integers(0, 200),
    model=st.sampled_from(["ols", "bayes", "bend"]),
)
def test_raising_the_threshold_never_makes_the_verdict_bolder(
    log, threshold, raise_by, exam_in, model
):
    readings, exam_date = log_readings(log), TODAY + dt.timedelta(days=exam_in)
    low = plan_for(readings, exam_date, Policy(threshold=threshold, model=model))
    high = plan_for(
        readings, exam_date, Policy(threshold=threshold + raise_by, model=model)
    )
    assert low.outcome in RANK and high.outcome in RANK  # 3+ scores: always enough
    assert RANK[high.outcome] <= RANK[low.outcome]
    if high.ready_by is not None and low.ready_by is not None:
        assert high.ready_by >= low.ready_by


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    exam=st.sampled_from([STEP2_CK, COMLEX_2CE]),
    exam_in=st.integers(0, PLANNING_HORIZON_DAYS),
    weight=st.sampled_from([0.25, 1.0, 4.0]),
)
def test_the_forecast_stays_on_the_scale_and_the_prior_only_adds_care(
    data, exam, exam_in, weight
):
    low, high = (200, 270) if exam is STEP2_CK else (300, 700)
    log = data.draw(
        st.lists(
            st.tuples(st.integers(0, 120), st.integers(low, high)), min_size=3, max_size=15
        )
    )
    readings, exam_date = log_readings(log, exam), TODAY + dt.timedelta(days=exam_in)
    ols = plan_for(readings, exam_date, Policy(exam=exam, model="ols"))
    bayes = plan_for(readings, exam_date, Policy(exam=exam, prior_weight=weight))
    for plan in (ols, bayes):
        forecast = plan.forecast
        numbers = [forecast.projected_score, forecast.decisive_score]
        if plan.projection is not None:
            numbers += [*plan.interval(obs=True), *plan.interval(obs=False)]
        for number in numbers:
            assert exam.scale_low <= number <= exam.scale_high
        if plan.projection is None:
            assert forecast.decided_by == "recent_mean"  # all on one day
    if ols.projection is None:
        return
    assert ols.forecast.decided_by == "model"
    assert ols.forecast.decisive_score == exam.on_scale(ols.projection.predicted_mean)
    assert bayes.forecast.decisive_score <= exam.on_scale(bayes.projection.predicted_mean)
    # Never less careful: the prior's plan is no bolder than the student's own line's.
    assert RANK[bayes.outcome] <= RANK[ols.outcome]
    if bayes.ready_by is not None and ols.ready_by is not None:
        assert bayes.ready_by >= ols.ready_by


# --- the learning curve ("bend") ----------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(log=plausible_logs, exam_in=st.integers(0, 200), threshold=st.integers(220, 260))
def test_a_curve_makes_the_verdict_more_careful_never_less(log, exam_in, threshold):
    # Beside a curve the straight line with the prior and the student's own line are
    # fitted too, and the lowest decides: never above what the straight line decides.
    readings, exam_date = log_readings(log), TODAY + dt.timedelta(days=exam_in)
    line = plan_for(readings, exam_date, Policy(threshold=threshold))
    curve = plan_for(readings, exam_date, Policy(threshold=threshold, model="bend"))
    assert RANK[curve.outcome] <= RANK[line.outcome]
    if line.forecast.decisive_score is not None:
        assert curve.forecast.decisive_score <= line.forecast.decisive_score
    if line.readiness.ready_by is None:
        assert curve.readiness.ready_by is None
    elif curve.readiness.ready_by is not None:
        assert curve.readiness.ready_by >= line.readiness.ready_by


def test_beside_a_curve_the_lowest_of_three_lines_decides():
    # Weekly 262, 268, 271, 273, 274: near the curve's ceiling, gains shrink, so the
    # curve bends below both straight lines and decides; they are there beside it.
    readings = weekly([262, 268, 271, 273, 274])
    plan = plan_for(readings, TODAY + dt.timedelta(days=42), Policy(model="bend"))
    forecast = plan.forecast
    assert forecast.trend.model == "bend" and forecast.prior_line.model == "bayes"
    assert forecast.own_line.model == "ols"
    exam = plan.exam_date
    lines = {
        "model": forecast.trend,
        "prior_line": forecast.prior_line,
        "own_line": forecast.own_line,
    }
    means = {name: line.project(exam).predicted_mean for name, line in lines.items()}
    assert forecast.decided_by == min(means, key=means.get) == "model"
    assert forecast.decisive_score == pytest.approx(min(means.values()), rel=1e-12)
    assert forecast.lines == (forecast.trend, forecast.own_line, forecast.prior_line)


def test_a_curve_levelling_off_below_the_threshold_gives_no_date():
    # Weekly 222, 228, 231, 232, 233: a climb that has all but stopped. Fitted with no
    # prior on a fast curve (its slope halving every ln 2/0.05 = 14 days), the ceiling
    # lies under 240: no day reaches it however long one waits.
    readings = weekly([222, 228, 231, 232, 233])
    policy = Policy(model="bend", prior_weight=0.0, curve=Curve(rate=0.05))
    plan = plan_for(readings, TODAY + dt.timedelta(days=60), policy)
    ceiling = plan.forecast.trend.ceiling
    assert ceiling is not None and 233 < ceiling < 240
    assert plan.readiness.no_date == NoDateCause.LEVELLING_OFF
    assert plan.readiness.ceiling == ceiling
    assert plan.outcome == Outcome.DELAY and plan.suggested_date is None
