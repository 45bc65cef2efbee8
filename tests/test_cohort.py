"""A cohort at a glance: finding the logs, one line per student, sorting, output."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tracker.cohort import (
    SORT_KEYS,
    Skipped,
    StudentLine,
    find_logs,
    sort_lines,
    summarise,
)
from tracker.commands.cohort import COHORT_SORT_KEYS
from tracker.plan import Outcome
from tracker.settings import Settings

from conftest import TODAY
from conftest import run_cli as run

HEADER = "date,assessment,score,notes\n"
# Five students; the exam is planned for 2027-01-20, day 80 counted from 2026-11-01.
LOGS = {
    # 230, 226, 222 a week apart: OLS slope −4/7 a day; at day 80, 226 − 73·4/7 = 184.3.
    # Not consistent, and a falling line never reaches 240: DELAY with no date.
    "falling.csv": "2026-11-01,NBME 12,230,\n2026-11-08,NBME 13,226,\n"
    "2026-11-15,NBME 14,222,\n",
    # One score, fewer than the window of 3: NOT ENOUGH DATA, no projection.
    "new.csv": "2026-11-20,NBME 12,231,\n",
    # 242, 246, 248: all 240+; slope 42/98 = 3/7, at day 80 245.33 + 73·3/7 = 276.6.
    "ready.csv": "2026-11-01,NBME 12,242,\n2026-11-08,NBME 13,246,\n"
    "2026-11-15,NBME 14,248,\n",
    # 225, 230, 235, 238: slope 154/245 = 0.6286, at day 80 232 + 69.5·0.6286 = 275.7;
    # the line is at 240 by day 24 (before today), but three scores of 240+ are still
    # missing. NBME 12-15 are logged; the old forms, their usual time passed, go a week
    # apart from 11-22 + 7 = 11-29: NBME 9, 10, 11 on 11-29, 12-06, 12-13 are the three:
    # ready by 2026-12-13, before the exam: ON TRACK.
    "rising.csv": "2026-11-01,NBME 12,225,\n2026-11-08,NBME 13,230,\n"
    "2026-11-15,NBME 14,235,\n2026-11-22,NBME 15,238,\n",
    # The worked example of test_result: projected 242, the result 245 inside.
    "sat.csv": "2026-09-01,NBME 9,220,\n2026-09-08,NBME 10,230,\n"
    "2026-09-15,NBME 11,234,\n2026-09-22,Step 2 CK,245,\n",
}
PLAIN = ("--model", "ols", "--no-calibration")
EXAM_DATE = dt.date(2027, 1, 20)


@pytest.fixture
def cohort(tmp_path, monkeypatch):
    """The five logs in ``tmp_path/c``, with the working folder at ``tmp_path``."""
    folder = tmp_path / "c"
    folder.mkdir()
    for name, rows in LOGS.items():
        (folder / name).write_text(HEADER + rows)
    # A settings file beside the logs that would change every verdict: not used.
    (folder / "settings.json").write_text('{"threshold": 200, "window": 1}')
    monkeypatch.chdir(tmp_path)
    return folder


def test_the_table_by_hand(cohort, capsys):
    code, out, err = run(
        capsys, "cohort", "c", "--today", "2026-11-26", "--exam-date", "2027-01-20", *PLAIN
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "file           n  last  projected  verdict          ready by / result",
        "c/falling.csv  3   222        184  DELAY            no date",
        "c/new.csv      1   231          —  NOT ENOUGH DATA",
        "c/ready.csv    3   248        277  TAKE NOW",
        "c/rising.csv   4   238        276  ON TRACK         2026-12-13",
        "c/sat.csv      3   234        242  EXAM TAKEN       245 on 2026-09-22, inside",
    ]


def test_sorted_by_verdict_who_needs_attention_first(cohort, capsys):
    code, out, _ = run(
        capsys, "cohort", "c", "--today", "2026-11-26", "--exam-date", "2027-01-20",
        "--sort", "verdict", *PLAIN,
    )  # fmt: skip
    assert code == 0
    files = [line.split()[0] for line in out.splitlines()[1:]]
    assert files == [
        "c/falling.csv",
        "c/new.csv",
        "c/rising.csv",
        "c/ready.csv",
        "c/sat.csv",
    ]


def test_json_and_csv(cohort, capsys):
    flags = ("--today", "2026-11-26", "--exam-date", "2027-01-20", *PLAIN)
    code, out, _ = run(capsys, "cohort", "c/sat.csv", "c/new.csv", "--json", *flags)
    assert code == 0
    assert json.loads(out) == {
        "students": [
            {
                "file": "c/new.csv", "n": 1, "last_score": 231.0, "projected": None,
                "verdict": "insufficient_data", "headline": "NOT ENOUGH DATA",
                "ready_by": None, "result": None,
            },
            {
                "file": "c/sat.csv", "n": 3, "last_score": 234.0, "projected": 242.0,
                "verdict": "taken", "headline": "EXAM TAKEN", "ready_by": None,
                "result": {"date": "2026-09-22", "score": 245, "inside": True},
            },
        ],
        "skipped": [],
    }  # fmt: skip
    code, out, _ = run(
        capsys, "cohort", "c/rising.csv", "c/sat.csv", "--csv", "--sort", "n", *flags
    )
    assert out.splitlines() == [
        "file,n,last_score,projected,verdict,ready_by,result_date,result_score,"
        "result_inside",
        "c/sat.csv,3,234.00,242.00,taken,,2026-09-22,245,yes",
        "c/rising.csv,4,238.00,275.69,on_track,2026-12-13,,,",
    ]


def test_a_file_name_never_becomes_a_spreadsheet_formula(cohort, capsys):
    (cohort.parent / "=HYPERLINK(1).csv").write_text(HEADER + LOGS["new.csv"])
    code, out, _ = run(
        capsys, "cohort", "=HYPERLINK(1).csv", "--csv", "--today", "2026-11-26",
        "--exam-date", "2027-01-20",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[1].startswith("'=HYPERLINK(1).csv,1,231.00,")


def test_the_flags_apply_to_everyone_and_settings_json_is_not_read(cohort):
    # Threshold 230 (a flag), not the folder's settings.json (200, window 1): the
    # falling student's last three (230, 226, 222) are still not all 230+, while the
    # rising student's (230, 235, 238) now are, on a rising line.
    settings = Settings(exam_date=EXAM_DATE, threshold=230, model="ols")
    lines = {line.source: line for line in summarise([cohort], settings, TODAY).lines}
    assert lines[str(cohort / "falling.csv")].outcome == Outcome.DELAY
    assert lines[str(cohort / "rising.csv")].outcome == Outcome.TAKE_NOW


def test_logs_that_cannot_be_assessed_are_skipped_with_a_line(cohort, capsys):
    (cohort / "broken.csv").write_text(HEADER + "2026-11-01,NBME 12,2400,\n")
    code, out, err = run(capsys, "cohort", "c", "gone.csv", "--today", "2026-11-26")
    assert code == 0
    # Without an exam date only the student who sat the exam can be assessed.
    assert err.splitlines() == [
        "tracker: warning: gone.csv: skipped: no such file or folder",
        "tracker: warning: c/broken.csv: skipped: line 2: score 2400 is outside 0–999, "
        "the widest any exam uses",
        *(
            f"tracker: warning: c/{name}: skipped: no exam date: pass --exam-date "
            "YYYY-MM-DD, or remember one with 'tracker set --exam-date YYYY-MM-DD' (or "
            "in the dashboard)"
            for name in ("falling.csv", "new.csv", "ready.csv", "rising.csv")
        ),
    ]
    assert [line.split()[0] for line in out.splitlines()] == ["file", "c/sat.csv"]


def test_nothing_to_assess_is_exit_2(tmp_path, capsys):
    code, out, err = run(capsys, "cohort", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"tracker: warning: {tmp_path}: skipped: a folder with no .csv files",
        "tracker: error: no log could be assessed; see the warnings above",
    ]


def test_find_logs(tmp_path):
    (tmp_path / "b.csv").write_text(HEADER)
    (tmp_path / "a.csv").write_text(HEADER)
    (tmp_path / "notes.txt").write_text("not a log")
    (tmp_path / "assessments.csv").write_text("a catalog, not a log")
    (tmp_path / "sub").mkdir()  # folders are not searched below the first level
    (tmp_path / "sub" / "c.csv").write_text(HEADER)
    found, skipped = find_logs([tmp_path, tmp_path / "a.csv", tmp_path / "missing.csv"])
    assert found == [tmp_path / "a.csv", tmp_path / "b.csv"]  # sorted, each once
    assert skipped == [Skipped(str(tmp_path / "missing.csv"), "no such file or folder")]


def line(source, n, last, projected, outcome, ready_by=None, result_date=None):
    return StudentLine(
        source, n, last, projected, outcome, ready_by, result_date, None, None
    )


def test_sorting_puts_missing_values_last_both_ways():
    lines = [
        line("b", 3, 230.0, 235.0, Outcome.DELAY, dt.date(2027, 2, 1)),
        line("a", 1, 231.0, None, Outcome.INSUFFICIENT_DATA),
        line("c", 5, 245.0, 250.0, Outcome.TAKE_NOW),
        line("d", 4, 238.0, 244.0, Outcome.ON_TRACK, dt.date(2026, 12, 17)),
        line("e", 3, 234.0, 242.0, Outcome.TAKEN, None, dt.date(2026, 9, 22)),
    ]

    def order(key, reverse=False):
        return "".join(x.source for x in sort_lines(lines, key, reverse=reverse))

    assert order("file") == "abcde"
    assert order("n") == "abedc"  # 1, 3, 3 (b before e, as given), 4, 5
    assert order("projected") == "bedca"
    assert order("projected", reverse=True) == "cdeba"
    assert order("verdict") == "badce"
    assert order("date") == "edbac"  # 2026-09-22, 2026-12-13, 2027-02-01, then none
    assert order("last", reverse=True) == "cdeab"
    with pytest.raises(ValueError, match="sort key 'size' is not one of"):
        sort_lines(lines, "size")


def test_the_command_offers_the_cores_sort_keys():
    assert COHORT_SORT_KEYS == SORT_KEYS
