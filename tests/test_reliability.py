"""What a curious or unlucky student can do must not lock them out of their own log.

Clock changes and time zones, and the offsets editor left with an empty cell. (Files
that are not the log's to replace are in test_file_safety.py; flags and settings at
their edges in test_fuzz.py, test_settings_fuzz.py and test_cli.py; the two downloads
in test_phone.py.)
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tracker.errors import CatalogError
from tracker.exams import STEP2_CK, load_catalog, shipped_catalog_path, with_offsets

from conftest import run_cli as run

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"
EXAMPLE_LOG = DASHBOARD.parent / "data" / "example_scores.csv"
HEADER = "date,assessment,score,notes\n"
ROWS = "2026-10-01,NBME 12,231,\n2026-10-15,NBME 13,236,\n2026-11-01,NBME 14,241,\n"


def test_a_result_logged_under_a_later_clock_never_locks_the_log(capsys, log_path):
    # Logged as if today were 2030-01-01 (a clock set wrong): the write is allowed by
    # that clock, and read back on 2026-11-26 the row is kept, named in a warning, and
    # left out of the verdict (3 scores used, not 4).
    log_path.write_text(HEADER + ROWS)
    code, _, _ = run(
        capsys, "log", "--log", str(log_path), "--today", "2030-01-01",
        "--assessment", "NBME 15", "--score", "244",
    )  # fmt: skip
    assert code == 0
    code, out, err = run(
        capsys, "verdict", "--log", str(log_path), "--today", "2026-11-26",
        "--exam-date", "2027-01-15", "--json",
    )  # fmt: skip
    assert code == 0
    assert err == (
        f"tracker: warning: {log_path}: entry 4 is dated 2030-01-01, after today "
        "(2026-11-26); it is left out until then (check the date, or the computer's "
        "clock)\n"
    )
    assert json.loads(out)["n_scores"] == 3
    code, out, _ = run(capsys, "list", "--log", str(log_path), "--today", "2026-11-26")
    assert code == 0 and "  4  2030-01-01  NBME 15" in out


def test_a_row_one_day_ahead_is_a_time_zone_not_a_mistake(capsys, log_path):
    # Logged at UTC+14 on 2026-11-27 and read at UTC−10, where it is still 2026-11-26:
    # a day of skew is taken as it is, with no warning, and the row counts.
    log_path.write_text(HEADER + ROWS + "2026-11-27,NBME 15,244,\n")
    code, out, err = run(
        capsys, "verdict", "--log", str(log_path), "--today", "2026-11-26",
        "--exam-date", "2027-01-15", "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert json.loads(out)["n_scores"] == 4


NBME_9 = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK).find("NBME 9")


@pytest.mark.parametrize(
    ("offset", "uncertainty", "message"),
    [
        (None, 3.0, "NBME 9: the offset cell is empty or not a number"),
        (2.0, None, "NBME 9: the uncertainty cell is empty or not a number"),
        ("2", 3.0, "NBME 9: the offset cell is empty or not a number"),
        (float("nan"), 3.0, "NBME 9: offset nan is outside -32 to 32 points"),
        (2.0, float("inf"), "NBME 9: uncertainty inf is outside 0 to 32 points"),
        (40.0, 3.0, "NBME 9: offset 40.0 is outside -32 to 32 points"),
        (2.0, -1.0, "NBME 9: uncertainty -1.0 is outside 0 to 32 points"),
    ],
)
def test_an_emptied_or_impossible_offset_cell_is_refused_in_words(
    offset, uncertainty, message
):
    # Step 2 CK's limit: two of its SDs, 2 × 16 = 32 points.
    with pytest.raises(CatalogError) as caught:
        with_offsets(NBME_9, offset, uncertainty, STEP2_CK)
    assert str(caught.value) == message


def test_an_edited_offset_is_kept():
    edited = with_offsets(NBME_9, 2, 3.5, STEP2_CK)
    assert (edited.offset, edited.uncertainty, edited.name) == (2.0, 3.5, "NBME 9")


def test_today_far_in_the_future_is_one_line(capsys, log_path):
    log_path.write_text(HEADER + ROWS)
    code, out, err = run(
        capsys, "verdict", "--log", str(log_path), "--today", "9999-12-31",
        "--exam-date", "2027-01-15",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err == (
        "tracker: error: argument --today: date 9999-12-31 is outside 1990–2199 "
        "(see 'tracker verdict --help')\n"
    )


# --- found by a new student's first tries ------------------------------------------


def test_a_half_life_that_leaves_one_day_alone_is_said_in_words(capsys, log_path):
    # Two June scores and one in November, half-life 1 day and no prior: the June
    # scores weigh about 2^-166, so November's alone would carry the line. No
    # traceback: no trend can be fitted, and the reasons say why.
    log_path.write_text(
        HEADER
        + "2026-06-03,NBME 9,230,\n2026-06-07,NBME 10,232,\n2026-11-20,NBME 11,242,\n"
    )
    code, out, err = run(
        capsys, "verdict", "--log", str(log_path), "--today", "2026-11-29",
        "--exam-date", "2027-01-25", "--recency-half-life", "1", "--prior-weight", "0",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "with a recency half-life of 1 day the older scores count for almost" in out


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        (["calendar", "--exam-date", "2027-01-15"], "calendar file"),
        (["calibrate", "COHORT"], "catalog"),
    ],
)
def test_an_output_never_replaces_the_log(capsys, tmp_path, log_path, command, kind):
    log_path.write_text(HEADER + ROWS)
    before = log_path.read_bytes()
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    (cohort / "a.csv").write_text(HEADER + ROWS + "2026-11-20,Step 2 CK,245,\n")
    argv = [str(cohort) if arg == "COHORT" else arg for arg in command]
    if argv[0] != "calibrate":
        argv += ["--log", str(log_path)]
    code, out, err = run(capsys, *argv, "--today", "2026-11-26", "--out", str(log_path))
    assert (code, out) == (2, "")
    assert err.endswith(
        f"tracker: error: {log_path} already exists and is not a {kind}; nothing was "
        "written (choose another name, or move that file away first)\n"
    )
    assert log_path.read_bytes() == before


def test_a_backup_that_is_a_link_is_replaced_not_followed(capsys, tmp_path, log_path):
    log_path.write_text(HEADER + ROWS)
    other = tmp_path / "other.txt"
    other.write_text("precious\n")
    (tmp_path / "scores.csv.bak").symlink_to(other)
    code, _, _ = run(capsys, "delete", "1", "--log", str(log_path), "--today", "2026-11-26")
    assert code == 0
    assert other.read_text() == "precious\n"
    backup = tmp_path / "scores.csv.bak"
    assert not backup.is_symlink() and backup.read_text() == HEADER + ROWS


@pytest.mark.parametrize("name", [".", "/"])
def test_a_folder_named_as_the_log_is_one_line(capsys, name):
    code, out, err = run(capsys, "list", "--log", name)
    assert (code, out) == (2, "")
    assert err == (
        f"tracker: error: {name}: is a folder, not a log file; name the file, such as "
        "data/scores.csv\n"
    )


def test_the_same_result_twice_is_refused_and_a_repeat_counts_once(capsys, log_path):
    # UWSA 2 at 244 today, then "uwsa2" at 244 again: the same day, form and score.
    log_path.write_text(HEADER + ROWS)
    first = ["log", "--log", str(log_path), "--today", "2026-11-26", "--score", "244"]
    assert run(capsys, *first, "--assessment", "UWSA 2")[0] == 0
    before = log_path.read_bytes()
    code, out, err = run(capsys, *first, "--assessment", "uwsa2")
    assert (code, out) == (2, "")
    assert err == (
        "tracker: error: this result is already in the log (entry 4: 2026-11-26 UWSA 2: "
        "244); nothing was written\n"
    )
    assert log_path.read_bytes() == before
    # Typed into the file by hand instead, the repeat is read and counted once.
    log_path.write_text(before.decode() + "2026-11-26,UWorld SA 2,244,\n")
    code, out, err = run(
        capsys, "verdict", "--log", str(log_path), "--today", "2026-11-26",
        "--exam-date", "2027-01-15", "--json",
    )  # fmt: skip
    assert code == 0
    assert err == (
        f"tracker: warning: {log_path}: entry 5 repeats entry 4 (the same day, form and "
        "score); it counts once\n"
    )
    assert json.loads(out)["n_scores"] == 4


def test_a_date_a_decade_back_is_logged_with_a_warning(capsys, log_path):
    log_path.write_text(HEADER + ROWS)
    code, _, err = run(
        capsys, "log", "--log", str(log_path), "--today", "2026-11-26",
        "--date", "2016-11-20", "--assessment", "NBME 16", "--score", "244",
    )  # fmt: skip
    assert code == 0
    assert err == (
        "tracker: warning: 2016-11-20 is more than a year before today (2026-11-26); "
        "if the year is a typo, 'tracker edit' can fix it\n"
    )


def test_a_comlex_score_in_a_step_2_log_names_the_exam(capsys, log_path):
    log_path.write_text(HEADER + "2026-10-01,Practice Form G,560,\n")
    code, _, err = run(
        capsys, "verdict", "--log", str(log_path), "--today", "2026-11-26",
        "--exam-date", "2027-01-15",
    )  # fmt: skip
    assert code == 2
    assert err == (
        f"tracker: error: {log_path} line 2: score 560 is outside 1–300, the scale of "
        "Step 2 CK practice forms (is this a COMLEX Level 2-CE score? use --exam "
        "comlex-2ce)\n"
    )


def test_a_comsae_row_in_a_step_2_log_is_kept_and_left_out(capsys, log_path):
    # Any COMSAE name is a COMLEX form: read on its scale, kept, and left out of the
    # Step 2 CK plan with a warning (not refused).
    log_path.write_text(HEADER + "2026-10-01,COMSAE Form G,560,\n")
    code, out, err = run(
        capsys, "verdict", "--log", str(log_path), "--today", "2026-11-26",
        "--exam-date", "2027-01-15",
    )  # fmt: skip
    assert code == 0 and out.startswith("NOT ENOUGH DATA")
    assert err == (
        "tracker: warning: 1 row from another exam (COMSAE Form G) is kept in the log "
        "and left out of the Step 2 CK plan\n"
    )


def test_several_real_results_say_which_is_reviewed(capsys, log_path):
    log_path.write_text(
        HEADER + ROWS + "2026-11-10,Step 2 CK,251,\n2026-11-20,Step 2 CK,250,\n"
    )
    code, _, err = run(
        capsys, "verdict", "--log", str(log_path), "--today", "2026-11-26", "--json"
    )
    assert code == 0
    assert (
        "tracker: warning: 2 Step 2 CK results are logged; the latest (2026-11-20: 250) "
        "is reviewed\n"
    ) in err


@pytest.mark.parametrize(
    ("argv_score", "name", "message"),
    [
        (
            "70%",
            "Free 120",
            "tracker: error: score '70%' is not a whole number in ASCII digits (0-9); log "
            "a percentage without the % sign\n",
        ),
    ],
)
def test_a_percent_sign_gets_a_hint(capsys, log_path, argv_score, name, message):
    code, _, err = run(
        capsys, "log", "--log", str(log_path), "--today", "2026-11-26",
        "--assessment", name, "--score", argv_score,
    )  # fmt: skip
    assert (code, err) == (2, message)
    assert not log_path.exists()


def test_the_exams_own_name_points_to_tracker_result(capsys, log_path):
    code, _, err = run(
        capsys, "log", "--log", str(log_path), "--today", "2026-11-26",
        "--assessment", "usmle step 2 ck real", "--score", "244",
    )  # fmt: skip
    assert code == 0
    assert err == (
        "tracker: warning: 'usmle step 2 ck real' is not in the catalog of practice "
        "forms, so it is logged as a three-digit score and not calibrated; for your real "
        "Step 2 CK score, use 'tracker result'\n"
    )


def test_a_form_named_twice_in_a_catalog_is_refused(tmp_path):
    from tracker.exams import parse_catalog

    text = (
        "name,family,scale,offset,uncertainty,source\n"
        "NBME 9,NBME,three-digit,0,3,x\nNBME 9,NBME,three-digit,1,3,y\n"
    )
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, source="c.csv", profile=STEP2_CK)
    assert str(caught.value) == "c.csv line 3: the name 'NBME 9' is already NBME 9's"


def _dashboard(log_path, monkeypatch, settings: dict | None = None):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TRACKER_LOG", str(log_path))
    if settings is not None:
        log_path.with_name("settings.json").write_text(json.dumps(settings))
    app = AppTest.from_file(str(DASHBOARD), default_timeout=60).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.mark.parametrize(
    ("settings", "notice"),
    [
        (
            None,
            "No exam date is set yet: the verdict below is for a sitting 60 days from "
            "today. Type your planned date here.",
        ),
        (
            {"exam_date": "2020-01-15"},
            "Your saved exam date, 2020-01-15, has passed: type your new planned date "
            "here.",
        ),
    ],
)
def test_the_dashboard_says_when_the_exam_date_is_not_the_students(
    log_path, monkeypatch, settings, notice
):
    # With no date of the student's own, the verdict is for 60 days ahead: the main
    # page and the banner say so, beside an empty date box. (The dashboard runs on the
    # real date.)
    log_path.write_text(HEADER + ROWS)
    app = _dashboard(log_path, monkeypatch, settings)
    shown_date = dt.date.today() + dt.timedelta(days=60)
    alerts = [a.value for a in (*app.info, *app.warning)]
    assert notice in alerts
    assert app.text_input(key="exam_date").value == ""
    alerts = [a.value.replace("\\", "") for a in (*app.info, *app.success, *app.warning)]
    assert [a for a in alerts if f"for a sitting on {shown_date}" in a]


def test_ticking_eras_leaves_its_date_empty_until_chosen(log_path, monkeypatch):
    log_path.write_text(HEADER + ROWS)
    app = _dashboard(log_path, monkeypatch, {"exam_date": "2099-01-01"})
    app.checkbox(key="eras_date_known").check().run()
    assert app.date_input(key="eras_date").value is None
    # No ERAS date, no ERAS line: nothing is judged against a day never picked.
    assert not [m.value for m in app.markdown if "ERAS opens" in m.value]


def test_a_score_arriving_the_day_eras_opens_says_so(capsys, tmp_path):
    # The example, exam 2027-01-15: the score arrives 28 days later, 2027-02-12; ERAS
    # opens that very day: tight, "the day ERAS opens" (not "0 days before").
    code, out, _ = run(
        capsys, "verdict", "--log", str(EXAMPLE_LOG), "--today", "2026-11-26",
        "--exam-date", "2027-01-15", "--eras-date", "2027-02-12",
    )  # fmt: skip
    assert code == 0
    assert (
        "   -  Sitting on your exam date (2027-01-15), the score should arrive about "
        "2027-02-12, the day ERAS opens (2027-02-12): in time, but with less than the "
        "three months advised to decide whether to apply this cycle.\n"
    ) in out


def test_no_score_release_in_the_calendar_once_the_result_is_in(capsys, tmp_path):
    log_path = tmp_path / "scores.csv"
    log_path.write_text(EXAMPLE_LOG.read_text() + "2026-11-24,Step 2 CK,246,\n")
    out_file = tmp_path / "plan.ics"
    code, out, _ = run(
        capsys, "calendar", "--log", str(log_path), "--today", "2026-11-26",
        "--out", str(out_file),
    )  # fmt: skip
    assert code == 0 and "score expected" not in out
    assert b"score expected" not in out_file.read_bytes()


def test_a_window_still_open_today_is_not_called_passed(capsys, tmp_path):
    # The example on 2026-11-26, exam 2026-12-05: every day is in the final three weeks
    # (from 11-14), so forms meant for them may come 3 days after 11-21, from today; the
    # last practice day is 12-02. NBME 16's usual time (11-14 to 11-21) has passed; it
    # goes first, today. The Free 120's (11-21 to 11-28) is still open today, but NBME
    # 16 takes today and the next may come 3 days later: 11-29, after it, "which other
    # forms fill", not "has passed". UWSA 3 (3–5 weeks, not a final form) finds no day.
    code, out, _ = run(
        capsys, "plan", "--log", str(EXAMPLE_LOG), "--today", "2026-11-26",
        "--exam-date", "2026-12-05",
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert (
        "  2026-11-26  NBME 16: its usual time (2–3 weeks before the exam) has passed: "
        "the first free day; the next score the rule still needs"
    ) in lines
    assert (
        "  2026-11-29  Free 120: after its usual time (1–2 weeks before the exam), which "
        "other forms fill"
    ) in lines
    assert lines[-1] == (
        "Not planned (no day left at this pace; the oldest forms give way to newer ones): "
        "UWSA 3."
    )
