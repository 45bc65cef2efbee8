"""The one call the shells make, and its writes: the exam's catalog, the checks, the
warnings and what is returned."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.assess import (
    amend,
    assess,
    assess_readings,
    check_new_entry,
    find_forms,
    record,
    result_entry,
)
from tracker.errors import InvalidEntryError, LogWriteError
from tracker.exams import STEP2_CK, shipped_catalog_path
from tracker.log import Entry, read_log
from tracker.settings import Settings

from conftest import TODAY

HEADER = "date,assessment,score,notes\n"
# A catalog of the student's own: one three-digit form the shipped catalog lacks.
OWN_CATALOG = (
    "name,family,scale,offset,uncertainty,source\nMock A,Mock,three-digit,-4,3,own guess\n"
)
STEP2 = Settings(exam_date=dt.date(2027, 1, 15))


def _log(log_path, *rows: str):
    log_path.write_text(HEADER + "".join(f"{row}\n" for row in rows))


@pytest.mark.parametrize("where", ["beside the log", "given"])
def test_writes_read_the_row_through_the_students_own_catalog(log_path, tmp_path, where):
    catalog = log_path.with_name("assessments.csv")
    if where == "given":
        catalog = tmp_path / "elsewhere" / "mine.csv"
        catalog.parent.mkdir()
    catalog.write_text(OWN_CATALOG)
    given = {"catalog_path": catalog} if where == "given" else {}
    assert find_forms(log_path, "step2-ck", **given).path == catalog
    _log(log_path, "2026-11-01,NBME 12,236,")
    new = Entry(dt.date(2026, 11, 20), "Mock A", 244)
    done = record(log_path, new, STEP2, today=TODAY, **given)
    # Known to that catalog: calibrated by its offset, 244 − 4 = 240, and no warning.
    assert (done.reading.form.name, done.reading.calibrated, done.warnings) == (
        "Mock A",
        240,
        (),
    )
    assert done.entries == tuple(read_log(log_path))
    fixed = Entry(dt.date(2026, 11, 20), "Mock A", 246)
    done = amend(log_path, 1, fixed, STEP2, expected=new, today=TODAY, **given)
    assert (done.reading.entry, done.reading.calibrated, done.warnings) == (fixed, 242, ())
    assert done.entries == (Entry(dt.date(2026, 11, 1), "NBME 12", 236), fixed)
    assert done.entries == tuple(read_log(log_path))


def test_an_amend_refuses_a_stale_view_and_a_date_after_today(log_path):
    _log(log_path, "2026-11-01,NBME 12,236,")
    before = log_path.read_bytes()
    stale = Entry(dt.date(2026, 11, 1), "NBME 12", 235)
    new = Entry(dt.date(2026, 11, 1), "NBME 12", 237)
    with pytest.raises(LogWriteError) as caught:
        amend(log_path, 0, new, STEP2, expected=stale, today=TODAY)
    assert str(caught.value) == (
        f"{log_path}: entry 1 changed since it was shown; reload and retry"
    )
    future = Entry(dt.date(2026, 11, 27), "NBME 12", 237)
    with pytest.raises(InvalidEntryError) as caught:
        amend(log_path, 0, future, STEP2, expected=None, today=TODAY)
    assert str(caught.value) == "date 2026-11-27 is after today (2026-11-26)"
    assert log_path.read_bytes() == before


def test_a_form_of_another_exam_is_logged_with_a_warning(log_path):
    forms = find_forms(log_path, "step2-ck")
    reading, warnings = check_new_entry(
        Entry(dt.date(2026, 11, 1), "COMSAE Phase 2", 520), forms
    )
    assert reading.exam == "comlex-2ce"
    assert warnings == (
        "COMSAE Phase 2 is a COMLEX Level 2-CE form: it is logged on that exam's scale "
        "and left out of the Step 2 CK plan",
    )


@pytest.mark.parametrize(
    ("rows", "warning"),
    [
        (
            ["2026-11-01,COMSAE Phase 2,520,"],
            "1 row from another exam (COMSAE Phase 2) is kept in the log and left out "
            "of the Step 2 CK plan",
        ),
        (
            ["2026-11-01,COMSAE Phase 2,520,", "2026-11-08,COMSAE Phase 2,530,"],
            "2 rows from another exam (COMSAE Phase 2) are kept in the log and left out "
            "of the Step 2 CK plan",
        ),
    ],
)
def test_rows_of_another_exam_are_counted_in_the_warning(log_path, rows, warning):
    _log(log_path, "2026-10-01,NBME 12,236,", *rows)
    assert assess(log_path, STEP2, TODAY).warnings == (warning,)


def test_a_result_row_keeps_its_notes():
    entry = result_entry(STEP2, "2026-11-20", "251", "felt calm", TODAY)
    assert entry == Entry(dt.date(2026, 11, 20), "Step 2 CK", 251, "felt calm")


def test_the_latest_result_is_reviewed_and_later_practice_is_named(log_path):
    # Two results (a first sitting and a retake): the review is of the later, 251 on
    # 2026-11-20. Practice that day and after it is not part of the review: 2 rows.
    _log(
        log_path,
        "2026-09-01,NBME 12,226,",
        "2026-09-15,NBME 13,229,",
        "2026-09-29,NBME 14,232,",
        "2026-10-01,Step 2 CK,231,",
        "2026-10-20,NBME 15,238,",
        "2026-11-20,Step 2 CK,251,",
        "2026-11-20,UWSA 2,247,",
        "2026-11-24,NBME 16,250,",
    )
    assessment = assess(log_path, STEP2, TODAY)
    assert (assessment.plan.result.score, assessment.plan.result.date) == (
        251,
        dt.date(2026, 11, 20),
    )
    assert assessment.warnings == (
        "2 Step 2 CK results are logged; the latest (2026-11-20: 251) is reviewed",
        "2 practice result(s) on or after your exam result (2026-11-20) are not part "
        "of this review",
    )


def test_a_row_dated_after_today_is_left_out_and_named_by_its_number(log_path):
    # Today is 2026-11-26: a day ahead is a time zone; two days ahead is left out.
    _log(
        log_path,
        "2026-11-01,NBME 12,236,",
        "2026-11-27,NBME 13,241,",
        "2026-11-28,NBME 14,243,",
    )
    assessment = assess(log_path, STEP2, TODAY)
    assert assessment.warnings == (
        f"{log_path}: entry 3 is dated 2026-11-28, after today (2026-11-26); it is left "
        "out until then (check the date, or the computer's clock)",
    )
    assert len(assessment.plan.readings) == 2
    # Called on rows already read, without naming their file: "the log".
    forms = find_forms(log_path, "step2-ck")
    again = assess_readings(assessment.entries, assessment.readings, STEP2, forms, TODAY)
    assert again.warnings[0].startswith("the log: entry 3 is dated 2026-11-28")


def test_the_bytes_given_are_assessed_not_the_file(log_path):
    # The dashboard passes the bytes it read (and cached); the file may have changed.
    _log(log_path, "2026-11-01,NBME 12,236,")
    raw = (HEADER + "2026-11-01,NBME 12,241,\n2026-11-08,NBME 13,243,\n").encode()
    assessment = assess(log_path, STEP2, TODAY, raw=raw)
    assert [e.score for e in assessment.entries] == [241, 243]
    assert (assessment.settings, assessment.source) == (STEP2, str(log_path))


def test_rows_after_another_exams_row_are_still_used(log_path):
    _log(
        log_path,
        "2026-10-01,NBME 12,236,",
        "2026-10-08,COMSAE Phase 2,520,",
        "2026-10-15,NBME 13,241,",
        "2026-10-22,NBME 14,243,",
    )
    plan = assess(log_path, STEP2, TODAY).plan
    assert [r.entry.assessment for r in plan.readings] == ["NBME 12", "NBME 13", "NBME 14"]


def test_a_form_of_the_students_own_catalog_is_read_on_this_exam(log_path):
    # The student's Step 2 CK catalog lists a form another exam also has: the row is
    # this exam's, on this exam's scale (COMLEX's own catalog is not asked).
    log_path.with_name("assessments.csv").write_text(
        "name,family,scale,offset,uncertainty,source\n"
        "COMSAE Phase 2,Mock,three-digit,0,3,own guess\n"
    )
    forms = find_forms(log_path, "step2-ck")
    assert forms.path == log_path.with_name("assessments.csv")
    reading = forms.reading(Entry(dt.date(2026, 11, 1), "COMSAE Phase 2", 240))
    assert (reading.exam, reading.form.family) == ("step2-ck", "Mock")


def test_without_a_log_the_shipped_catalog_is_used():
    forms = find_forms(None, "step2-ck")
    assert forms.path == shipped_catalog_path(STEP2_CK) and forms.warnings == ()


def test_a_broken_catalog_of_the_students_own_falls_back_to_the_shipped_one(log_path):
    own = log_path.with_name("assessments.csv")
    own.write_text("name,family\nMock A,Mock\n")
    forms = find_forms(log_path, "step2-ck")
    assert forms.path == shipped_catalog_path(STEP2_CK)
    assert forms.warnings == (
        f"{own} line 1: the header must name the columns name,family,scale,offset,"
        "uncertainty,aliases,conversion,weeks_before,source (aliases, conversion and "
        "weeks_before optional); using the shipped catalog until it is fixed",
    )


@pytest.mark.parametrize(("days_back", "warned"), [(365, False), (366, True)])
def test_a_new_row_more_than_a_year_old_is_warned_about(log_path, days_back, warned):
    # Exactly a year back (2025-11-26) is still a plausible result; a day more
    # (2025-11-25) is more likely a typo in the year.
    date = TODAY - dt.timedelta(days=days_back)
    forms = find_forms(log_path, "step2-ck")
    _, warnings = check_new_entry(Entry(date, "NBME 12", 236), forms, TODAY)
    expected = (
        f"{date} is more than a year before today (2026-11-26); if the year is a typo, "
        "'tracker edit' can fix it"
    )
    assert warnings == ((expected,) if warned else ())


def test_an_amend_to_a_date_years_back_is_warned_about(log_path):
    _log(log_path, "2026-11-01,NBME 12,236,")
    typo = Entry(dt.date(2016, 11, 1), "NBME 12", 236)
    done = amend(log_path, 0, typo, STEP2, expected=None, today=TODAY)
    assert done.warnings == (
        "2016-11-01 is more than a year before today (2026-11-26); if the year is a "
        "typo, 'tracker edit' can fix it",
    )
    assert done.entries == (typo,)
