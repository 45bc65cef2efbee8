"""The plan to the exam day: forms left, their dates, and when the verdict can change.

Every date below is worked out by hand from the rule in tracker/schedule.py: the first
day is max(today, last practice + pace); each day takes the open form whose usual
window closes first; the next day is pace days later, or the day the next window
opens. Usual windows (exam − hi weeks to exam − lo weeks) from data/assessments.csv:
NBME 13–16 4–6 weeks, UWSA 2 1–3 weeks, Free 120 1–2 weeks; the others any day.

The example log (data/example_scores.csv) holds NBME 9–15, UWSA 1 and UWSA 2; its
last practice is 2026-11-21 and its pace (median gap between days) is 11 days.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tracker.assess import assess
from tracker.exams import STEP2_CK, load_catalog, shipped_catalog_path
from tracker.plan import Outcome
from tracker.schedule import (
    LeftOut,
    plan_schedule,
    schedule_forms,
    schedule_lines,
    usual_window,
)
from tracker.settings import Settings

from conftest import TODAY
from conftest import run_cli as run

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data" / "example_scores.csv"
HEADER = "date,assessment,score,notes\n"
D = dt.date.fromisoformat
CATALOG = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK)
FORM = {form.name: form for form in CATALOG.forms}
EXAMPLE_TAKEN = {f"NBME {n}" for n in range(9, 16)} | {"UWSA 1", "UWSA 2"}


def left_forms(*names: str):
    return [FORM[name] for name in CATALOG_ORDER if name in names]


CATALOG_ORDER = [form.name for form in CATALOG.forms]


@pytest.mark.parametrize(
    ("name", "window"),
    [
        # 2027-01-15 − 3 weeks = 2026-12-25; − 1 week = 2027-01-08
        ("UWSA 2", (D("2026-12-25"), D("2027-01-08"))),
        # − 2 weeks = 2027-01-01; − 1 week = 2027-01-08
        ("Free 120", (D("2027-01-01"), D("2027-01-08"))),
        # − 6 weeks = 2026-12-04; − 4 weeks = 2026-12-18
        ("NBME 16", (D("2026-12-04"), D("2026-12-18"))),
        ("UWSA 3", None),
    ],
)
def test_usual_windows_come_from_the_catalog(name, window):
    assert usual_window(FORM[name], D("2027-01-15")) == window


def slots_of(forms, exam, first, pace):
    slots, left = schedule_forms(forms, D(exam), D(first), pace)
    return (
        [(str(s.date), s.form.name) for s in slots],
        [(item.form.name, item.cause) for item in left],
    )


def test_the_example_student_gets_the_three_forms_left_in_their_windows():
    # First day max(11-26, 11-21 + 11) = 12-02. Open then: UWSA 3 only (NBME 16 opens
    # 12-04, Free 120 01-01) → UWSA 3 on 12-02. 12-13: NBME 16 (window to 12-18).
    # 12-24: nothing open → jump to 01-01, when Free 120's window opens.
    assert slots_of(
        left_forms("NBME 16", "UWSA 3", "Free 120"), "2027-01-15", "2026-12-02", 11
    ) == (
        [("2026-12-02", "UWSA 3"), ("2026-12-13", "NBME 16"), ("2027-01-01", "Free 120")],
        [],
    )


def test_a_new_student_sixty_days_out_gets_a_full_plan_and_what_does_not_fit():
    # Exam 2027-01-25, weekly from 11-26. Windows: NBME 13–16 12-14..12-28, UWSA 2
    # 01-04..01-18, Free 120 01-11..01-18; last day 01-24. Ties among any-day forms go
    # to catalog order. 11-26 NBME 9, 12-03 NBME 10, 12-10 NBME 11 (NBME 13 opens
    # 12-14), 12-17 NBME 13, 12-24 NBME 14, 12-31 NBME 12 (NBME 15/16 closed 12-28,
    # UWSA 2 opens 01-04), 01-07 UWSA 2, 01-14 Free 120, 01-21 UWSA 1; 01-28 is past
    # the last day, so UWSA 3 has no room.
    slots, left = slots_of(list(CATALOG.forms), "2027-01-25", "2026-11-26", 7)
    assert slots == [
        ("2026-11-26", "NBME 9"), ("2026-12-03", "NBME 10"), ("2026-12-10", "NBME 11"),
        ("2026-12-17", "NBME 13"), ("2026-12-24", "NBME 14"), ("2026-12-31", "NBME 12"),
        ("2027-01-07", "UWSA 2"), ("2027-01-14", "Free 120"), ("2027-01-21", "UWSA 1"),
    ]  # fmt: skip
    assert left == [
        ("NBME 15", LeftOut.NO_ROOM),
        ("NBME 16", LeftOut.NO_ROOM),
        ("UWSA 3", LeftOut.NO_ROOM),
    ]


def test_a_window_that_closed_before_the_first_day_is_said_so():
    # Exam 2026-12-20: NBME 16's window is 11-08..11-22, before the first day 12-02.
    # Free 120's is 12-06..12-13: 12-02 UWSA 3, then 12-13 (12-02 + 11) Free 120.
    assert slots_of(
        left_forms("NBME 16", "UWSA 3", "Free 120"), "2026-12-20", "2026-12-02", 11
    ) == (
        [("2026-12-02", "UWSA 3"), ("2026-12-13", "Free 120")],
        [("NBME 16", LeftOut.WINDOW_PASSED)],
    )


def test_no_practice_exam_on_the_exam_day_itself():
    # Exam 2026-12-02, first day 12-02: the last practice day is 12-01, so none fits.
    assert slots_of(left_forms("UWSA 3"), "2026-12-02", "2026-12-02", 7) == (
        [],
        [("UWSA 3", LeftOut.NO_ROOM)],
    )


def assessment_of(path, exam_date, *, exam="step2-ck"):
    return assess(path, Settings(exam=exam, exam_date=D(exam_date)), TODAY)


def test_the_example_log_plans_to_the_exam_and_marks_when_the_verdict_can_change():
    schedule = plan_schedule(assessment_of(EXAMPLE, "2027-01-15"))
    assert schedule.outcome == Outcome.ON_TRACK
    assert set(schedule.taken) == EXAMPLE_TAKEN
    assert (schedule.pace_days, schedule.pace_measured) == (11, True)
    assert schedule.next_practice == D("2026-12-02")  # the first planned day
    # One more 240+ score needed, one pace away: 11-26 + 11 days = 12-07.
    assert schedule.ready_by == D("2026-12-07")


def test_forms_are_matched_through_the_catalogs_names(log_path):
    log_path.write_text(
        HEADER + "2026-11-01,uwsa2,240,\n2026-11-08,UWorld SA 3,241,\n"
        "2026-11-15,NBME CCSSA 16,238,\n2026-11-20,Amboss SA,239,\n"
    )
    schedule = plan_schedule(assessment_of(log_path, "2027-01-15"))
    assert schedule.taken == ("NBME 16", "UWSA 2", "UWSA 3")
    planned = {slot.form.name for slot in schedule.slots}
    assert planned.isdisjoint(schedule.taken)
    # Gaps 7, 7, 5 days: pace 7; first day max(11-26, 11-20 + 7) = 11-27, for the
    # first any-day form in catalog order. "Amboss SA" is no catalog form.
    assert (schedule.slots[0].date, schedule.slots[0].form.name) == (
        D("2026-11-27"),
        "NBME 9",
    )


def test_a_faster_pace_can_be_asked_for():
    # Pace 5 from the last practice 11-21: the first day is 11-26 (today).
    schedule = plan_schedule(assessment_of(EXAMPLE, "2027-01-15"), pace_days=5)
    assert (schedule.first_day, schedule.pace_measured) == (D("2026-11-26"), False)


def test_tracker_plan_on_the_example_log(capsys, tmp_path):
    path = tmp_path / "scores.csv"
    shutil.copy(EXAMPLE, path)
    code, out, err = run(
        capsys, "plan", "--log", str(path), "--today", "2026-11-26",
        "--exam-date", "2027-01-15",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Plan to Step 2 CK on 2027-01-15, at one practice exam every 11 days "
        "(your own pace):",
        "  2026-12-02  UWSA 3: any day",
        "  2026-12-13  NBME 16: usually 2026-12-04 to 2026-12-18 (4–6 weeks before)",
        "  2027-01-01  Free 120: usually 2027-01-01 to 2027-01-08 (1–2 weeks before)",
        "The verdict can next change on 2026-12-02, the day you log your next practice "
        "exam.",
        "Ready by 2026-12-07 at the earliest (the verdict's estimate).",
        "Already logged (9 forms): NBME 9, NBME 10, NBME 11, NBME 12, NBME 13, NBME 14, "
        "NBME 15, UWSA 1, UWSA 2.",
    ]


def test_an_empty_log_says_what_to_log_first(capsys, log_path):
    code, out, _ = run(
        capsys, "plan", "--log", str(log_path), "--today", "2026-11-26",
        "--exam-date", "2027-01-25",
    )  # fmt: skip
    lines = out.splitlines()
    assert code == 0
    assert lines[1] == (
        "Nothing logged yet: take NBME 9 first (2026-11-26) and log the score you see; "
        "the verdict needs 3 results."
    )
    assert lines[2] == "  2026-11-26  NBME 9: any day"
    assert lines[-1] == (
        f'Then: tracker log --log {log_path} --assessment "NBME 9" --score SCORE'
    )
    assert not log_path.exists()  # planning never writes the log


def test_comlex_plans_its_own_forms(capsys, log_path):
    code, out, _ = run(
        capsys, "plan", "--exam", "comlex-2ce", "--log", str(log_path), "--today",
        "2026-11-26", "--exam-date", "2027-01-25",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[:3] == [
        "Plan to COMLEX Level 2-CE on 2027-01-25, at one practice exam every 7 days:",
        "Nothing logged yet: take COMSAE Phase 2 first (2026-11-26) and log the score "
        "you see; the verdict needs 3 results.",
        "  2026-11-26  COMSAE Phase 2: any day",
    ]


def test_comlex_with_every_form_logged_says_so(log_path):
    log_path.write_text(
        HEADER + "2026-11-05,COMSAE Phase 2,470,\n2026-11-12,COMSAE 2,485,\n"
        "2026-11-19,COMSAE Phase II,495,\n"
    )
    schedule = plan_schedule(assessment_of(log_path, "2027-01-25", exam="comlex-2ce"))
    # Pace 7 from 11-19: the next practice day is 11-26, today.
    assert schedule.slots == () and schedule.next_practice == D("2026-11-26")
    assert schedule_lines(schedule)[1] == (
        "  Every COMLEX Level 2-CE form in the catalog is logged; practise with another "
        "source at the same pace."
    )


def test_a_delay_says_the_dates_keep_the_planned_exam_day():
    # Exam 2026-12-03: ready by 12-07 is after it → DELAY to about 12-07.
    schedule = plan_schedule(assessment_of(EXAMPLE, "2026-12-03"))
    assert schedule.outcome == Outcome.DELAY
    assert (
        "These dates keep the exam on 2026-12-03; if you move it to about 2026-12-07, "
        "plan again with the new date."
    ) in schedule_lines(schedule)


def test_after_the_exam_there_is_nothing_to_plan(log_path):
    log_path.write_text(
        HEADER + "2026-10-01,NBME 12,236,\n2026-10-10,NBME 13,241,\n"
        "2026-10-20,NBME 14,243,\n2026-11-02,Step 2 CK,247,\n"
    )
    schedule = plan_schedule(assessment_of(log_path, "2027-01-25"))
    assert schedule.slots == ()
    assert schedule_lines(schedule) == (
        "You have sat Step 2 CK: there is nothing left to plan.",
    )


@pytest.mark.parametrize("pace", ["0", "91", "seven"])
def test_a_pace_out_of_range_is_refused(capsys, log_path, pace):
    code, out, err = run(
        capsys, "plan", "--pace", pace, "--log", str(log_path), "--exam-date", "2027-01-25"
    )
    assert (code, out) == (2, "")
    assert err == (
        f"tracker: error: argument --pace: pace {pace!r} is not a whole number of days "
        "1–90 (see 'tracker plan --help')\n"
    )
