"""The plan as an iCalendar file, parsed back with the icalendar library.

Dates by hand, for the example log (data/example_scores.csv) on 2026-11-26:
- exam 2027-01-15: decide by 2027-01-15 − 31 days = 2026-12-15 (Step 2 CK moves free
  31 or more days before); score release 2027-01-15 + 28 days = 2027-02-12; planned
  forms UWSA 3 2026-12-11, NBME 16 2026-12-25, Free 120 2027-01-01 (see test_schedule);
- exam 2026-11-28: no practice day is left before it (the last two days are rest), so
  DELAY to about 2026-11-29 (one more 240+ score today, the exam 3 days later);
  decide-by 2026-10-28 has passed, so no such event; release 2026-11-29 + 28 days =
  2026-12-27; nothing planned.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from tracker.assess import assess
from tracker.calendar_file import calendar_events, to_ics
from tracker.cli import main
from tracker.settings import Settings

from conftest import TODAY

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data" / "example_scores.csv"
D = dt.date.fromisoformat


def ics_for(path, exam_date, *, exam="step2-ck", today=TODAY) -> bytes:
    assessment = assess(path, Settings(exam=exam, exam_date=D(exam_date)), today)
    events = calendar_events(assessment)
    return to_ics(events, exam_key=exam, made_on=today)


def parsed(data: bytes) -> list[tuple[str, str, str, str]]:
    """(start, end, title, uid) of each event, as a calendar program reads them."""
    calendar = icalendar.Calendar.from_ical(data)
    return [
        (
            str(event.decoded("dtstart")),
            str(event.decoded("dtend")),
            str(event["summary"]),
            str(event["uid"]),
        )
        for event in calendar.walk("VEVENT")
    ]


def test_the_example_plan_parses_back_with_the_same_events_and_dates():
    events = parsed(ics_for(EXAMPLE, "2027-01-15"))
    assert [(start, title) for start, _, title, _ in events] == [
        ("2026-12-11", "Practice exam: UWSA 3"),
        ("2026-12-15", "Last day to move Step 2 CK without a fee"),
        ("2026-12-25", "Practice exam: NBME 16"),
        ("2027-01-01", "Practice exam: Free 120"),
        ("2027-01-15", "Step 2 CK exam"),
        ("2027-02-12", "Step 2 CK score expected"),
    ]
    # Whole-day events: each ends the next day, and carries a date, not a time.
    for start, end, _, _ in events:
        assert D(end) - D(start) == dt.timedelta(days=1)
    calendar = icalendar.Calendar.from_ical(ics_for(EXAMPLE, "2027-01-15"))
    first = next(iter(calendar.walk("VEVENT")))
    assert type(first.decoded("dtstart")) is dt.date
    assert str(calendar["version"]) == "2.0" and "Step Score Tracker" in calendar["prodid"]


def test_a_delay_adds_the_suggested_date_and_drops_a_passed_deadline():
    events = parsed(ics_for(EXAMPLE, "2026-11-28"))
    assert [(start, title) for start, _, title, _ in events] == [
        ("2026-11-28", "Step 2 CK exam"),
        ("2026-11-29", "Suggested Step 2 CK date (if you move it)"),
        ("2026-12-27", "Step 2 CK score expected"),
    ]


def test_uids_are_unique_and_stay_the_same_on_a_later_export():
    first = parsed(ics_for(EXAMPLE, "2027-01-15"))
    later = parsed(ics_for(EXAMPLE, "2027-01-15", today=D("2026-11-28")))
    uids = [uid for *_, uid in first]
    assert len(set(uids)) == len(uids)
    assert "step2-ck-exam@step-score-tracker" in uids
    assert "step2-ck-practice-nbme16@step-score-tracker" in uids
    assert set(uids) <= {uid for *_, uid in later}


def test_comlex_has_no_fee_deadline_and_releases_after_six_weeks(log_path):
    # COMLEX rescheduling fees are not known to the tracker: no decide-by event.
    # Release: 2027-01-25 + 42 days = 2027-03-08. From an empty log the rule needs 3
    # scores: the two forms NBOME names, today and a week later, then one more from
    # any source a week after that.
    events = parsed(ics_for(log_path, "2027-01-25", exam="comlex-2ce"))
    assert [(start, title) for start, _, title, _ in events] == [
        ("2026-11-26", "Practice exam: COMSAE Phase 2 Form 113"),
        ("2026-12-03", "Practice exam: COMSAE Phase 2 Form 114"),
        ("2026-12-10", "Practice exam: another practice exam"),
        ("2027-01-25", "COMLEX Level 2-CE exam"),
        ("2027-03-08", "COMLEX Level 2-CE score expected"),
    ]


def test_tracker_calendar_writes_the_file_and_lists_the_events(capsys, tmp_path):
    out_file = tmp_path / "plan.ics"
    code = main(
        [
            "calendar", "--log", str(EXAMPLE), "--today", "2026-11-26",
            "--exam-date", "2027-01-15", "--out", str(out_file),
        ]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"Saved 6 events to {out_file}:"
    assert out.splitlines()[5] == "  2027-01-15  Step 2 CK exam"
    assert len(parsed(out_file.read_bytes())) == 6


def test_tracker_calendar_on_an_empty_log(capsys, tmp_path, log_path):
    # Exam 2027-01-25 from an empty log, 60 days: eight forms not meant for the final
    # weeks a week apart from today fill 11-26 … 01-14 and leave room for two final
    # ones; seven (11-26 … 01-07) leave room for all four (01-10 … 01-19, the last day
    # 01-22): 11 forms, NBME 9 left out. With the exam, decide by 2026-12-25 (− 31
    # days) and release 2027-02-22: 14 events.
    out_file = tmp_path / "plan.ics"
    code = main(
        [
            "calendar", "--log", str(log_path), "--today", "2026-11-26",
            "--exam-date", "2027-01-25", "--out", str(out_file),
        ]
    )  # fmt: skip
    capsys.readouterr()
    events = parsed(out_file.read_bytes())
    assert code == 0 and len(events) == 11 + 3
    assert ("2026-12-25", "Last day to move Step 2 CK without a fee") in [
        (start, title) for start, _, title, _ in events
    ]
    assert not log_path.exists()


@pytest.mark.parametrize("target", ["folder", "missing/plan.ics"])
def test_an_output_that_cannot_be_written_is_one_error_line(capsys, tmp_path, target):
    (tmp_path / "folder").mkdir()
    out_file = tmp_path / target
    code = main(
        [
            "calendar", "--log", str(EXAMPLE), "--today", "2026-11-26",
            "--exam-date", "2027-01-15", "--out", str(out_file),
        ]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    if target == "folder":
        assert err == (
            f"tracker: error: {out_file} is a folder; give a file name for the calendar "
            "file\n"
        )
    else:
        assert err == (
            f"tracker: error: {out_file}: the folder {out_file.parent} does not exist; "
            "nothing was written (is a drive or a synced folder missing? create the "
            "folder first if it is new)\n"
        )
