"""The plan to the exam day: which forms, on which days, and why.

Every date below is worked out by hand from the rules in tracker/schedule.py:

- practice days run from the first day the pace allows (the last practice + the pace,
  not before today) to three days before the exam (none in the last two days);
- in the final three weeks (from exam − 21 days) the forms meant for them (a usual
  window starting under 3 weeks before) and practice exams from any source may come
  the minimum gap apart (3 days), counted from the last practice too;
- as many forms as fit are planned; when not all fit, the oldest give way (rank by
  usual window: the nearer the exam, the newer); then each goes as near its usual
  window as it can, ties to the earlier day.

Usual windows (weeks before the exam) from data/assessments.csv: NBME 9 13–17, NBME 10
11–14, NBME 11 9–12, NBME 12 8–10, UWSA 1 6–9, NBME 13 5–7, NBME 14 4–6, UWSA 3 3–5,
NBME 15 2–4, NBME 16 2–3, UWSA 2 1–3, Free 120 1–2.

The optimum is checked against scipy.optimize.milp on the same costs and constraints,
written as a mixed-integer programme over every pair of forms.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from tracker.assess import assess
from tracker.exams import COMLEX_2CE, STEP2_CK, Form, load_catalog, shipped_catalog_path
from tracker.plan import Outcome
from tracker.report import assessment_json
from tracker.schedule import (
    Placement,
    calendar_order,
    leave_out_costs,
    plan_practice,
    solve,
    timing_costs,
    usual_window,
)
from tracker.schedule_text import plan_text
from tracker.settings import Settings

from conftest import TODAY
from conftest import run_cli as run

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data" / "example_scores.csv"
HEADER = "date,assessment,score,notes\n"
D = dt.date.fromisoformat
CATALOG = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK)
FORM = {form.name: form for form in CATALOG.forms}


def forms(*names: str) -> list[Form]:
    return [FORM[name] for name in names]


def planned(plan) -> list[tuple[str, str]]:
    return [(str(s.date), s.form.name if s.form else "any") for s in plan.slots]


def practice(left, exam, today, last, pace=7, gap=3, extra=0):
    return plan_practice(
        left,
        exam_date=D(exam),
        today=D(today),
        last_practice=None if last is None else D(last),
        pace_days=pace,
        min_gap_days=gap,
        extra=extra,
    )


@pytest.mark.parametrize(
    ("name", "window"),
    [
        # 2027-01-15 − 3 weeks = 2026-12-25; − 1 week = 2027-01-08
        ("UWSA 2", (D("2026-12-25"), D("2027-01-08"))),
        # − 2 weeks = 2027-01-01; − 1 week = 2027-01-08
        ("Free 120", (D("2027-01-01"), D("2027-01-08"))),
        # − 3 weeks = 2026-12-25; − 2 weeks = 2027-01-01
        ("NBME 16", (D("2026-12-25"), D("2027-01-01"))),
        # − 17 weeks = 2026-09-18; − 13 weeks = 2026-10-16
        ("NBME 9", (D("2026-09-18"), D("2026-10-16"))),
    ],
)
def test_usual_windows_come_from_the_catalog(name, window):
    assert usual_window(FORM[name], D("2027-01-15")) == window


def test_the_calendar_order_puts_the_newest_last():
    order = [f.name for f in calendar_order(CATALOG.forms)]
    assert order == [
        "NBME 9", "NBME 10", "NBME 11", "NBME 12", "UWSA 1", "NBME 13", "NBME 14",
        "UWSA 3", "NBME 15", "NBME 16", "UWSA 2", "Free 120",
    ]  # fmt: skip


def test_the_example_student_gets_the_three_forms_left_in_their_windows():
    # Exam 2027-01-15; last practice 11-21, pace 11: the pace allows 12-02. UWSA 3's
    # window 12-11 to 12-25: its first day, 12-11. NBME 16 (12-25 to 01-01) is meant for
    # the final weeks (from 12-25): 12-25. Free 120 (01-01 to 01-08): 01-01.
    plan = practice(forms("UWSA 3", "NBME 16", "Free 120"), "2027-01-15", "2026-11-26",
                    "2026-11-21", pace=11)  # fmt: skip
    assert planned(plan) == [
        ("2026-12-11", "UWSA 3"),
        ("2026-12-25", "NBME 16"),
        ("2027-01-01", "Free 120"),
    ]
    assert all(s.placement == Placement.IN_WINDOW for s in plan.slots)
    assert plan.left_out == ()


def test_a_new_student_sixty_days_out_keeps_the_newest_and_leaves_the_oldest():
    # Exam 2027-02-02, nothing logged, today 2026-12-04, pace 7. The final weeks start
    # 01-12; the last day is 01-30. Forms not meant for the final weeks keep 7 days
    # apart: 12-04, 12-11, 12-18, 12-25, 01-01, 01-08, 01-15 (7 of the 8); the four
    # final forms follow 3 days apart: 01-18, 01-21, 01-24, 01-27. Eight older forms
    # would leave room for only two final ones (01-22 + 3, + 3 = 01-28), so 11 is the
    # most that fit, and the oldest, NBME 9, gives way.
    plan = practice(CATALOG.forms, "2027-02-02", "2026-12-04", None)
    assert planned(plan) == [
        ("2026-12-04", "NBME 10"), ("2026-12-11", "NBME 11"), ("2026-12-18", "NBME 12"),
        ("2026-12-25", "UWSA 1"), ("2027-01-01", "NBME 13"), ("2027-01-08", "NBME 14"),
        ("2027-01-15", "UWSA 3"), ("2027-01-18", "NBME 15"), ("2027-01-21", "NBME 16"),
        ("2027-01-24", "UWSA 2"), ("2027-01-27", "Free 120"),
    ]  # fmt: skip
    assert [f.name for f in plan.left_out] == ["NBME 9"]
    # The last three weeks hold full-length practice: the four newest forms.
    final = [s.form.name for s in plan.slots if s.date >= D("2027-01-12")]
    assert final[-4:] == ["NBME 15", "NBME 16", "UWSA 2", "Free 120"]


def test_ten_days_before_the_newest_forms_are_planned_not_the_oldest():
    # Exam 2027-01-15, today 01-05, last practice 01-03, every form left. All days are
    # in the final weeks; the next may come 3 days after 01-03 (01-06) and the last
    # day is 01-12: three fit (01-06, 01-09, 01-12). The three newest: NBME 16, UWSA 2,
    # Free 120, in that order.
    plan = practice(CATALOG.forms, "2027-01-15", "2027-01-05", "2027-01-03")
    assert planned(plan) == [
        ("2027-01-06", "NBME 16"),
        ("2027-01-09", "UWSA 2"),
        ("2027-01-12", "Free 120"),
    ]
    assert "NBME 16" not in {f.name for f in plan.left_out}
    assert len(plan.left_out) == 9


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # Exam 01-15: the last practice day is 01-12 (none on 01-13 or 01-14).
        ("2027-01-12", [("2027-01-12", "Free 120")]),
        ("2027-01-13", []),
        ("2027-01-15", []),
    ],
)
def test_no_practice_exam_in_the_last_two_days(today, expected):
    plan = practice(forms("NBME 16", "Free 120"), "2027-01-15", today, "2027-01-01")
    assert planned(plan) == expected
    assert plan.last_day == D("2027-01-12")


def test_practice_exams_from_any_source_fill_what_the_forms_cannot():
    # Every form taken, 2 scores needed: exam 01-15 (final weeks from 12-25), last
    # practice 11-28, pace 7, today 12-01: 12-05 at the pace, then 12-12.
    plan = practice([], "2027-01-15", "2026-12-01", "2026-11-28", extra=2)
    assert planned(plan) == [("2026-12-05", "any"), ("2026-12-12", "any")]
    assert {s.placement for s in plan.slots} == {Placement.EXTRA}
    # Past the exam day they continue 3 days apart (the exam would be moved).
    assert plan.day_after_exam(3) == D("2026-12-15")


def test_any_source_exams_go_where_they_leave_the_forms_their_windows():
    # Free 120 (01-01 to 01-08) and two any-source exams, from 01-06 (01-03 + 3) to
    # 01-12: Free 120 first, in its window, then the others 3 days apart.
    plan = practice(forms("Free 120"), "2027-01-15", "2027-01-05", "2027-01-03", extra=2)
    assert planned(plan) == [
        ("2027-01-06", "Free 120"),
        ("2027-01-09", "any"),
        ("2027-01-12", "any"),
    ]


# --- the optimum, against an independent solver -------------------------------------


def milp_optimum(costs, gaps, allowed, leave) -> float:
    """The same problem as scipy.optimize.milp sees it: every pair of items in calendar
    order, not only neighbours, kept in order and apart by the later one's gap."""
    n_items, n_days = len(costs), len(costs[0])
    index = lambda k, d: k * n_days + d  # noqa: E731
    rows, upper = [], []
    for k in range(n_items):  # each item at most once
        row = np.zeros(n_items * n_days)
        row[k * n_days : (k + 1) * n_days] = 1
        rows.append(row)
        upper.append(1)
    for d in range(n_days):  # one exam a day
        row = np.zeros(n_items * n_days)
        row[[index(k, d) for k in range(n_items)]] = 1
        rows.append(row)
        upper.append(1)
    for j in range(n_items):  # j before k in the calendar order, the gap k needs
        for k in range(j + 1, n_items):
            for q in range(n_days):
                for p in range(n_days):
                    if p >= q or q - p < gaps[k][q]:
                        row = np.zeros(n_items * n_days)
                        row[index(k, q)] = row[index(j, p)] = 1
                        rows.append(row)
                        upper.append(1)
    c = np.array([costs[k][d] - leave[k] for k in range(n_items) for d in range(n_days)])
    high = np.array([1.0 if allowed[k][d] else 0.0 for k in range(n_items)
                     for d in range(n_days)])  # fmt: skip
    found = milp(
        c,
        integrality=np.ones_like(c),
        bounds=Bounds(0, high),
        constraints=LinearConstraint(np.array(rows), -np.inf, np.array(upper)),
    )
    assert found.success
    return found.fun + sum(leave)


def dp_total(costs, gaps, allowed, leave) -> float:
    chosen, total = solve(costs, gaps, allowed, leave)
    by_hand = sum(leave[k] if d is None else costs[k][d] for k, d in enumerate(chosen))
    assert by_hand == pytest.approx(total, rel=1e-12)
    placed = [(k, d) for k, d in enumerate(chosen) if d is not None]
    for (_, p), (k, q) in itertools.pairwise(placed):
        assert q - p >= gaps[k][q] and allowed[k][q]
    return total


@settings(max_examples=60, deadline=None)
@given(
    n_forms=st.integers(min_value=1, max_value=5),
    n_days=st.integers(min_value=1, max_value=30),
    pace=st.integers(min_value=1, max_value=9),
    gap=st.integers(min_value=1, max_value=4),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_the_dynamic_programme_finds_the_milp_optimum(n_forms, n_days, pace, gap, seed):
    # Random forms from the catalog (their windows nest in calendar order), a random
    # stretch of days ending 3 days before the exam, some of it in the final weeks.
    rng = np.random.default_rng(seed)
    chosen = sorted(rng.choice(len(CATALOG.forms), n_forms, replace=False))
    ordered = calendar_order([CATALOG.forms[i] for i in chosen])
    exam = D("2027-01-15")
    days = [exam - dt.timedelta(days=3 + n_days - 1 - k) for k in range(n_days)]
    final = [day >= exam - dt.timedelta(weeks=3) for day in days]
    first = days[int(rng.integers(0, n_days))]
    weeks = [f.weeks_before for f in ordered]
    tightens = [w[0] < 3 for w in weeks]
    gaps = [[min(pace, gap) if (t and f) else pace for f in final] for t in tightens]
    allowed = [[day >= first or (t and f) for day, f in zip(days, final, strict=True)]
               for t in tightens]  # fmt: skip
    costs = timing_costs(ordered, days, exam)
    leave = leave_out_costs(costs, list(range(1, n_forms + 1)))
    assert dp_total(costs, gaps, allowed, leave) == pytest.approx(
        milp_optimum(costs, gaps, allowed, leave), rel=1e-9, abs=1e-6
    )


# --- the plan in words, from an assessment --------------------------------------------


def assessment_of(path, exam_date, *, exam="step2-ck", today=TODAY):
    return assess(path, Settings(exam=exam, exam_date=D(exam_date)), today)


def test_the_verdict_and_the_plan_count_on_the_same_days():
    assessment = assessment_of(EXAMPLE, "2027-01-15")
    plan, text = assessment.plan, plan_text(assessment)
    assert plan.outcome == Outcome.ON_TRACK
    # One score needed: the first planned day, UWSA 3 on 12-11, is the ready-by day.
    assert [(line.date, line.assessment, line.counts) for line in text.planned] == [
        (D("2026-12-11"), "UWSA 3", True),
        (D("2026-12-25"), "NBME 16", False),
        (D("2027-01-01"), "Free 120", False),
    ]
    assert plan.ready_by == text.planned[0].date
    assert assessment_json(assessment)["needed_scores"] == 1
    assert assessment_json(assessment)["forms_left"] == 3


def test_tracker_plan_on_the_example_log(capsys, tmp_path):
    path = tmp_path / "scores.csv"
    shutil.copy(EXAMPLE, path)
    code, out, err = run(
        capsys, "plan", "--log", str(path), "--today", "2026-11-26",
        "--exam-date", "2027-01-15",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Plan to Step 2 CK on 2027-01-15, at one practice exam every 11 days (your own "
        "pace), 3 days apart at the closest in the final three weeks; none in the last "
        "2 days:",
        "  2026-12-11  UWSA 3: in its usual time (3–5 weeks before the exam); the next "
        "score the rule still needs",
        "  2026-12-25  NBME 16: full-length practice in the final weeks (2–3 weeks "
        "before the exam): newest forms last",
        "  2027-01-01  Free 120: full-length practice in the final weeks (1–2 weeks "
        "before the exam): newest forms last",
        "The verdict can next change on 2026-12-11, the day you log your next practice "
        "exam.",
        "Ready by 2026-12-11 at the earliest (the verdict's estimate).",
        "Already logged (9 forms): NBME 9, NBME 10, NBME 11, NBME 12, NBME 13, NBME 14, "
        "NBME 15, UWSA 1, UWSA 2.",
        # The weekly review of weak areas (no area log beside this one yet).
        "Each week, 1–2 hours on weak areas: log your score reports' areas ('tracker "
        "area') and the plan names the weakest.",
    ]


def test_tracker_plan_json(capsys, tmp_path):
    path = tmp_path / "scores.csv"
    shutil.copy(EXAMPLE, path)
    code, out, _ = run(
        capsys, "plan", "--json", "--log", str(path), "--today", "2026-11-26",
        "--exam-date", "2026-12-20",
    )  # fmt: skip
    assert code == 0
    report = json.loads(out)
    # Exam 12-20: final weeks from 11-29; the last day 12-17. UWSA 3 (11-15 to 11-29:
    # not a final form) at the pace, 12-02; NBME 16 (11-29 to 12-06) then 12-05; Free
    # 120 (12-06 to 12-13): 12-08 would be 3 days on, but its window opens 12-06 and it
    # may come sooner only after NBME 16: 12-08.
    assert [(p["date"], p["assessment"], p["counts"]) for p in report["planned"]] == [
        ("2026-12-02", "UWSA 3", True),
        ("2026-12-05", "NBME 16", False),
        ("2026-12-08", "Free 120", False),
    ]
    assert all(p["why"] for p in report["planned"])
    assert report["not_planned"] == []
    assert (report["needed_scores"], report["forms_left"]) == (1, 3)


def test_an_empty_log_says_what_to_log_first(capsys, log_path):
    code, out, _ = run(
        capsys, "plan", "--log", str(log_path), "--today", "2026-11-26",
        "--exam-date", "2027-01-25",
    )  # fmt: skip
    lines = out.splitlines()
    assert code == 0
    # Exam 2027-01-25: NBME 9's window (13–17 weeks) has passed; 60 days, so (as for
    # the new student above) the oldest gives way and NBME 10 comes first, today.
    assert lines[1] == (
        "Nothing logged yet: take NBME 10 first (2026-11-26) and log the score you see; "
        "the verdict needs 3 results."
    )
    assert lines[2] == (
        "  2026-11-26  NBME 10: your baseline: a first full-length exam to find weak "
        "areas and test-taking problems (best 3–4 months before the exam); score 1 of "
        "the 3 the rule still needs"
    )
    assert lines[-1] == (
        f'Then: tracker log --log {log_path} --assessment "NBME 10" --score SCORE'
    )
    assert not log_path.exists()  # planning never writes the log


def test_comlex_plans_each_named_form_once_and_not_the_catch_all(log_path):
    log_path.write_text(
        HEADER + "2026-11-05,COMSAE Phase 2 Form A,470,\n2026-11-12,BSA113i,485,\n"
        "2026-11-19,comsae c,495,\n"
    )
    assessment = assessment_of(log_path, "2027-01-25", exam="comlex-2ce")
    names = [line.assessment for line in plan_text(assessment).planned]
    # Form 113 is logged (as BSA113i); 114 is left; the catch-all entry and the
    # unnamed forms (A, C) are never planned.
    assert names == ["COMSAE Phase 2 Form 114"]
    assert COMLEX_2CE.key == assessment.profile.key


def test_comlex_with_every_form_logged_says_so(log_path):
    log_path.write_text(
        HEADER + "2026-11-05,COMSAE 113,470,\n2026-11-12,COMSAE 114,485,\n"
        "2026-11-19,COMSAE Phase II,495,\n"
    )
    text = plan_text(assessment_of(log_path, "2027-01-25", exam="comlex-2ce"))
    # 470, 485, 495 against 480: one more 480+ needed. With no form left, any
    # practice exam counts: on 11-26 (11-19 + the pace of 7).
    assert [(line.date, line.assessment) for line in text.planned] == [
        (D("2026-11-26"), "another practice exam")
    ]
    assert (
        "Every COMLEX Level 2-CE form in the catalog is logged; practise with another "
        "source at the same pace."
    ) in text.notes


def test_after_the_exam_there_is_nothing_to_plan(log_path):
    log_path.write_text(
        HEADER + "2026-10-01,NBME 12,236,\n2026-10-10,NBME 13,241,\n"
        "2026-10-20,NBME 14,243,\n2026-11-02,Step 2 CK,247,\n"
    )
    text = plan_text(assessment_of(log_path, "2027-01-25"))
    assert text.planned == ()
    assert text.lines() == ("You have sat Step 2 CK: there is nothing left to plan.",)


@pytest.mark.parametrize("pace", ["0", "91", "seven"])
def test_a_pace_out_of_range_is_refused(capsys, log_path, pace):
    code, out, err = run(
        capsys, "plan", "--pace", pace, "--log", str(log_path), "--exam-date", "2027-01-25"
    )
    assert (code, out) == (2, "")
    assert err.startswith("tracker: error: argument --pace: pace_days ")
    assert err.count("\n") == 1
