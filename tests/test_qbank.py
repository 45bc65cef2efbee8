"""Q-bank progress: each report checked, the log's file, and the pace, first-pass date,
passes by the exam and % correct trend against hand computations (and statsmodels)."""

from __future__ import annotations

import csv
import datetime as dt
import math

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.errors import InvalidEntryError, LogFormatError
from tracker.qbank import (
    BANK_SIZES_PATH,
    QbankEntry,
    append_qbank,
    check_new_report,
    known_size,
    make_qbank_entry,
    qbank_log_path,
    qbank_progress,
    read_qbank_log,
    size_for,
    undo_qbank,
)

from conftest import TODAY

D = dt.date
EXAM = D(2027, 1, 15)
HEADER = "date,bank,done,total,correct,notes\n"


def report(day: dt.date, done: int, correct: float, total: int = 3900, bank="UWorld"):
    return QbankEntry(day, bank, done, total, correct)


# --- progress, by hand --------------------------------------------------------------------

# Three reports of one pass: 11-01 400 done (58%), 11-11 1,000 (61%), 11-21 1,660 (63%).
THREE = [
    report(D(2026, 11, 1), 400, 58),
    report(D(2026, 11, 11), 1000, 61),
    report(D(2026, 11, 21), 1660, 63),
]


def test_pace_first_pass_and_passes_by_the_exam_by_hand():
    progress = qbank_progress(THREE, today=TODAY, exam_date=EXAM)
    # Pace: (1,660 - 400) questions over 20 days = 63 a day.
    assert progress.pace_per_day == pytest.approx(63.0)
    # Left: 3,900 - 1,660 = 2,240; 2,240 / 63 = 35.56, so 36 days after 11-21: 12-27.
    assert progress.first_pass_days_left == 36
    assert progress.first_pass_by == D(2026, 12, 27)
    assert progress.first_pass_in_time is True
    # Days from 11-21 to 01-15: 9 + 31 + 15 = 55. (1,660 + 63 x 55) / 3,900
    # = (1,660 + 3,465) / 3,900 = 5,125 / 3,900 = 1.3141.
    assert progress.passes_by_exam == pytest.approx(5125 / 3900)
    # Before the exam: 54 days after 11-21 (11-22 ... 01-14); 2,240 / 54 = 41.5 → 42.
    assert progress.needed_per_day == 42
    assert (progress.done, progress.total, progress.percent_correct) == (1660, 3900, 63.0)
    assert (progress.answered, progress.passes_started, progress.reports) == (1660, 1, 3)


def test_the_correct_trend_matches_least_squares():
    progress = qbank_progress(THREE, today=TODAY)
    # By hand: days 0, 10, 20 (mean 10), % 58, 61, 63 (mean 60.667):
    # slope = (-10 x -2.667 + 0 + 10 x 2.333) / (100 + 0 + 100) = 50 / 200 = 0.25 a day.
    assert progress.correct_per_week == pytest.approx(0.25 * 7, rel=1e-12)
    fit = sm.OLS([58, 61, 63], sm.add_constant(np.array([0.0, 10.0, 20.0]))).fit()
    assert progress.correct_per_week == pytest.approx(fit.params[1] * 7, rel=1e-9)
    assert qbank_progress(THREE[:2], today=TODAY).correct_per_week is None  # two days


def test_a_first_pass_that_ends_after_the_exam():
    slow = [report(D(2026, 11, 1), 400, 58), report(D(2026, 11, 21), 1000, 60)]
    progress = qbank_progress(slow, today=TODAY, exam_date=EXAM)
    # Pace: 600 / 20 = 30 a day; 2,900 left / 30 = 96.67 → 97 days: 11-21 + 97 = 02-26.
    assert progress.first_pass_by == D(2027, 2, 26)
    assert progress.first_pass_in_time is False
    # Passes by 01-15: (1,000 + 30 x 55) / 3,900 = 2,650 / 3,900.
    assert progress.passes_by_exam == pytest.approx(2650 / 3900)
    # 2,900 left over the 54 days before the exam: 53.7 → 54 a day.
    assert progress.needed_per_day == 54


def test_resets_start_new_passes_and_mark_the_first_done():
    reports = [
        report(D(2026, 9, 1), 0, 50),
        report(D(2026, 10, 1), 3900, 60),  # pass 1 complete on 10-01
        report(D(2026, 10, 11), 300, 70),  # reset: pass 2
        report(D(2026, 11, 10), 900, 72),
    ]
    progress = qbank_progress(reports, today=TODAY, exam_date=EXAM)
    # Answered: 0, 3,900, 3,900 + 300, 3,900 + 900 = 4,800 over 70 days: 68.57 a day.
    assert progress.answered == 4800
    assert progress.passes_started == 2
    assert progress.first_pass_done_on == D(2026, 10, 1)
    assert progress.first_pass_by == D(2026, 10, 1)
    assert progress.first_pass_days_left is None and progress.needed_per_day is None
    assert progress.pace_per_day == pytest.approx(4800 / 70)
    assert progress.first_pass_in_time is True
    # 11-10 to 01-15: 20 + 31 + 15 = 66 days. (4,800 + 4,800 / 70 x 66) / 3,900.
    assert progress.passes_by_exam == pytest.approx((4800 + 4800 / 70 * 66) / 3900)


def test_a_reset_before_the_end_still_ends_the_first_pass_that_day():
    reports = [report(D(2026, 10, 1), 3000, 60), report(D(2026, 10, 20), 100, 65)]
    progress = qbank_progress(reports, today=TODAY)
    assert progress.first_pass_done_on == D(2026, 10, 20)
    assert progress.answered == 3100 and progress.passes_started == 2


def test_one_day_gives_no_pace_and_no_dates():
    progress = qbank_progress(
        [report(D(2026, 11, 21), 400, 58), report(D(2026, 11, 21), 420, 58.5)],
        today=TODAY,
        exam_date=EXAM,
    )
    assert progress.done == 420  # the later report of the day counts
    assert progress.pace_per_day is None
    assert progress.first_pass_by is None and progress.passes_by_exam is None
    assert progress.first_pass_in_time is None
    # Needed a day does not depend on the pace: 3,480 left / 54 days = 64.4 → 65.
    assert progress.needed_per_day == 65


def test_no_progress_between_reports_and_a_far_first_pass_have_no_date():
    still = [report(D(2026, 11, 1), 400, 58), report(D(2026, 11, 21), 400, 58)]
    progress = qbank_progress(still, today=TODAY, exam_date=EXAM)
    assert progress.pace_per_day == 0.0 and progress.first_pass_by is None
    assert progress.first_pass_in_time is None
    # One question in 3,000 days (2018-01-01 to 2026-03-20: 8 years of 2,922 days,
    # then 78): the 49,999 left take 49,999 x 3,000 days, past any date.
    far = [
        report(D(2018, 1, 1), 0, 50, total=50_000),
        report(D(2026, 3, 20), 1, 50, total=50_000),
    ]
    progress = qbank_progress(far, today=TODAY, exam_date=EXAM)
    assert progress.first_pass_by is None
    assert progress.first_pass_days_left == 149_997_000
    assert progress.first_pass_in_time is False


def test_the_bank_of_the_latest_report_is_shown_and_future_reports_wait():
    reports = [
        report(D(2026, 11, 1), 400, 58),
        report(D(2026, 11, 5), 200, 55, total=2800, bank="AMBOSS"),
        report(D(2026, 11, 28), 2000, 64),  # two days after today: left out
    ]
    progress = qbank_progress(reports, today=TODAY)
    assert (progress.bank, progress.done) == ("AMBOSS", 200)
    assert qbank_progress([], today=TODAY) is None
    assert qbank_progress(reports[2:], today=TODAY) is None


# --- one report, and the log ------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"done": "4000"}, "done 4,000 is more than the total 3,900"),
        ({"total": "0", "done": "0"}, "total is 0; a bank has at least one question"),
        ({"done": "3,900"}, "done '3,900' is not a whole number in ASCII digits (0-9); "
         "leave out thousands separators"),
        ({"done": "-1"}, "done '-1' is not a whole number in ASCII digits (0-9)"),
        ({"done": "1e3"}, "done '1e3' is not a whole number in ASCII digits (0-9)"),
        ({"total": "60000"}, "total 60,000 is outside 0–50,000"),
        ({"total": "9" * 5000}, "total '" + "9" * 5000 + "' is not a whole number in "
         "ASCII digits (0-9)"),
        ({"correct": "101"}, "% correct 101 is outside 0–100"),
        ({"correct": "nan"}, "% correct 'nan' is not a number from 0 to 100 in ASCII "
         "digits"),
        ({"correct": "inf"}, "% correct 'inf' is not a number from 0 to 100 in ASCII "
         "digits"),
        ({"correct": float("nan")}, "% correct nan is not a number from 0 to 100"),
        ({"correct": float("-inf")}, "% correct -inf is not a number from 0 to 100"),
        ({"correct": ""}, "% correct is empty"),
        ({"bank": " "}, "bank is empty"),
        ({"date": "2026-11-27"}, "date 2026-11-27 is after today (2026-11-26)"),
        ({"date": "27/11/2026"}, "date '27/11/2026' is not a date in YYYY-MM-DD form "
         "(ASCII digits)"),
    ],
)  # fmt: skip
def test_a_bad_report_is_refused_in_words(values, message):
    given = {
        "date": "2026-11-21", "bank": "UWorld", "done": "1660", "total": "3900",
        "correct": "63",
    } | values  # fmt: skip
    with pytest.raises(InvalidEntryError) as caught:
        make_qbank_entry(**given, today=TODAY)
    assert str(caught.value) == message


def test_the_sourced_size_is_the_default_and_an_unknown_bank_needs_a_total():
    with open(BANK_SIZES_PATH, newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert all(row["source"] and row["holds_from"] for row in rows)
    size = known_size("uworld", "step2-ck")
    assert (size.questions, size.holds_from) == (3900, D(2026, 6, 1))
    assert size_for("UW", "step2-ck", None) == (
        3900,
        "Total 3,900: the tracker's figure for UWorld (June 2026); give --total if "
        "your bank shows another number.",
    )
    assert size_for("UWorld", "step2-ck", "3850") == ("3850", "")
    with pytest.raises(InvalidEntryError) as caught:
        size_for("AMBOSS", "step2-ck", None)
    assert str(caught.value) == (
        "the tracker does not know the size of AMBOSS for step2-ck: give --total (the "
        "number of questions your bank shows)"
    )
    assert known_size("UWorld", "comlex-2ce") is None


def test_a_shrinking_total_or_a_repeat_is_refused_and_a_reset_is_said():
    old = [report(D(2026, 11, 1), 400, 58), report(D(2026, 11, 21), 1660, 63, total=3950)]
    with pytest.raises(InvalidEntryError) as caught:
        check_new_report(old, report(D(2026, 11, 22), 1700, 63, total=3900))
    assert str(caught.value) == (
        "total 3,900 is less than the 3,950 logged for UWorld on 2026-11-21; a bank's "
        "size does not shrink (check the number); nothing was written"
    )
    with pytest.raises(InvalidEntryError) as caught:  # a late entry, larger than later
        check_new_report(old, report(D(2026, 10, 1), 100, 50, total=4000))
    assert str(caught.value) == (
        "total 4,000 is more than the 3,900 logged for UWorld later, on 2026-11-01; a "
        "bank's size does not shrink; nothing was written"
    )
    with pytest.raises(InvalidEntryError) as caught:
        check_new_report(old, old[0])
    assert str(caught.value) == (
        "this report is already in the log (2026-11-01 UWorld: 400 of 3,900); nothing "
        "was written"
    )
    assert check_new_report(old, report(D(2026, 11, 25), 50, 70, total=3950)) == (
        "done fell from 1,660 (2026-11-21) to 50: counted as the start of a new pass "
        "through the bank (a reset)",
    )
    # Another bank's totals are its own.
    assert check_new_report(old, report(D(2026, 11, 25), 10, 70, total=100, bank="X")) == ()


def test_reports_are_appended_refused_unchanged_and_undone(tmp_path):
    path = qbank_log_path(tmp_path / "scores.csv")
    assert path == tmp_path / "qbank.csv"
    first = make_qbank_entry("2026-11-01", "UWorld", "400", "3900", "58", today=TODAY)
    second = make_qbank_entry("2026-11-21", "UWorld", 1660, 3900, 62.5, "x", today=TODAY)
    append_qbank(path, first)
    append_qbank(path, second)
    assert path.read_text() == (
        HEADER + "2026-11-01,UWorld,400,3900,58,\n2026-11-21,UWorld,1660,3900,62.5,x\n"
    )
    before = path.read_bytes()
    with pytest.raises(InvalidEntryError):
        append_qbank(path, report(D(2026, 11, 22), 1700, 63, total=3000))
    assert path.read_bytes() == before
    assert read_qbank_log(path) == [first, second]
    undo_qbank(path)
    assert read_qbank_log(path) == [first]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (HEADER + "2026-11-01,UWorld,4000,3900,58,\n",
         "line 2: done 4,000 is more than the total 3,900"),
        (HEADER + "2026-11-01,UWorld,400,3900,Infinity,\n",
         "line 2: % correct 'Infinity' is not a number from 0 to 100 in ASCII digits"),
        ("date,bank,done,correct\n2026-11-01,UWorld,400,58\n", "line 1: missing column "
         "'total'"),
        (HEADER + "2026-11-01,UWorld,400,3900,58,\n" + HEADER,
         "line 3: the header row appears again; were two files joined?"),
    ],
)  # fmt: skip
def test_the_qbank_log_is_read_strictly_by_line(tmp_path, content, problem):
    path = tmp_path / "qbank.csv"
    path.write_text(content)
    before = path.read_bytes()
    with pytest.raises(LogFormatError) as caught:
        read_qbank_log(path)
    assert str(caught.value) == f"{path} {problem}"
    with pytest.raises(LogFormatError):
        append_qbank(path, report(D(2026, 11, 21), 1000, 60))
    assert path.read_bytes() == before


progress_reports = st.lists(
    st.builds(
        report,
        st.dates(D(2026, 1, 1), TODAY),
        st.integers(0, 3900),
        st.floats(0, 100, allow_nan=False).map(lambda p: round(p, 1)),
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=200, deadline=None)
@given(progress_reports, st.dates(TODAY, D(2029, 11, 26)))
def test_progress_numbers_are_finite_and_hang_together(reports, exam):
    progress = qbank_progress(reports, today=TODAY, exam_date=exam)
    assert progress.answered >= progress.done
    for value in (
        progress.pace_per_day,
        progress.passes_by_exam,
        progress.correct_per_week,
    ):
        assert value is None or math.isfinite(value)
    if progress.pace_per_day is not None:
        assert progress.pace_per_day >= 0
        assert progress.passes_by_exam >= progress.answered / progress.total - 1e-9
    if progress.first_pass_by is not None and progress.first_pass_done_on is None:
        # The projected day is the latest report plus the days left, and is what
        # "in time" is judged by.
        assert progress.first_pass_by == progress.as_of + dt.timedelta(
            days=progress.first_pass_days_left
        )
        assert progress.first_pass_in_time == (progress.first_pass_by < exam)
