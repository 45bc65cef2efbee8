"""The command: exact output and error lines, exit codes, and the log left intact."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from tracker.cli import main

from conftest import run_cli as run

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data" / "example_scores.csv"
STEP2_CATALOG = REPO / "data" / "assessments.csv"
COMLEX_CATALOG = REPO / "data" / "assessments-comlex-2ce.csv"
TODAY = "2026-11-26"
HEADER = "date,assessment,score,notes\n"

# The example log (data/example_scores.csv), worked by hand once for the tests below:
#   dates 09-01 09-12 09-24 10-06 10-17 10-29 11-07 11-14 11-21 (all 2026)
#   gaps  11, 12, 12, 11, 12, 9, 7, 7 days: sorted 7 7 9 11 | 11 12 12 12, median 11
#   scores as seen 224 229 227 233 241 236 239 244 242; the last three 239, 244, 242:
#   239 < 240, so the run of 240+ at the end is 2 and one more 240+ score is missing.
#   Forms left: UWSA 3 (usually 3–5 weeks before), NBME 16 (2–3) and the Free 120
#   (1–2). For an exam on 2027-01-15, at the pace (11-21 + 11 = 12-02 at the earliest)
#   UWSA 3 goes on the first day of its window, 2027-01-15 − 5 weeks = 2026-12-11:
#   that score is the one the rule needs.
#   Both trend lines are above 240 today (the reasons say "already at 240+"), so the
#   evidence sets the day: ready by 2026-12-11.


def sha8(path: Path) -> str:
    """The listing's fingerprint, worked out here with hashlib, not by the code."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def strict_json(text: str) -> dict:
    """Parse as strict JSON: NaN, Infinity and -Infinity are refused."""
    return json.loads(text, parse_constant=_refuse_constant)


@pytest.fixture
def example_log(tmp_path):
    path = tmp_path / "scores.csv"
    shutil.copy(EXAMPLE, path)
    return path


def log_argv(log_path, name: str, score: str, *more: str) -> list[str]:
    """``tracker log`` of one result on TODAY."""
    return [
        "log",
        "--log",
        str(log_path),
        "--today",
        TODAY,
        "--assessment",
        name,
        "--score",
        score,
        *more,
    ]


def verdict_argv(log_path, exam_date: str = "2027-01-15") -> list[str]:
    """``tracker verdict`` on a log, exam on ``exam_date``, as of TODAY."""
    return ["verdict", "--log", str(log_path), "--today", TODAY, "--exam-date", exam_date]


def verdict_json(capsys, log_path, *flags: str, exam_date: str = "2027-01-15") -> dict:
    """``tracker verdict --json`` on a log, as of TODAY, parsed strictly."""
    code, out, err = run(capsys, *verdict_argv(log_path, exam_date), "--json", *flags)
    assert code == 0, err
    return strict_json(out)


# --- logging, listing and the verdict on a new log ----------------------------------------


def test_log_list_verdict_on_a_new_log(capsys, log_path):
    for day, name, score in [
        ("2026-11-01", "NBME 12", 236),
        ("2026-11-10", "UWSA 1", 243),
        ("2026-11-20", "NBME 13", 245),
    ]:
        code, out, err = run(capsys, *log_argv(log_path, name, str(score), "--date", day))
        assert code == 0 and err == ""
        assert out.startswith(f"Logged {day} {name}: {score} to {log_path}")
    assert log_path.read_text() == HEADER + (
        "2026-11-01,NBME 12,236,\n2026-11-10,UWSA 1,243,\n2026-11-20,NBME 13,245,\n"
    )

    code, out, _ = run(capsys, "list", "--log", str(log_path), "--today", TODAY)
    assert code == 0
    assert out.splitlines() == [
        "  #  date        assessment  score         notes",
        "  1  2026-11-01  NBME 12       236",
        "  2  2026-11-10  UWSA 1        243",
        "  3  2026-11-20  NBME 13       245",
        # The listing ends with the first 8 hex digits of the SHA-256 of the file.
        f"3 results in {log_path} (listing {sha8(log_path)})",
    ]

    # 236, 243, 245: 236 < 240, so one more 240+ score is missing. Pace: gaps 9 and 10
    # days, median 9.5, rounded up to 10. Exam 2026-12-10: the final three weeks began
    # on 11-19, so the forms meant for them may come 3 days after the last practice
    # (11-23), not before today; the last practice day is 12-07. Four fit 3 days apart
    # (11-26, 11-29, 12-02, 12-05): NBME 15, NBME 16, UWSA 2, Free 120; NBME 15 today.
    # Least squares on the calibrated scores (236, 243 - 8 = 235, 245 at days 0, 9, 19)
    # is at about 246 today and the prior's flatter line about 242: both already 240+.
    # So ready by today, 2026-11-26, before the exam on 2026-12-10 (14 days away).
    code, out, _ = run(capsys, *verdict_argv(log_path, "2026-12-10"))
    assert code == 0
    assert out.splitlines()[0] == (
        "ON TRACK  keep 2026-12-10 (in 14 days); ready by 2026-11-26 at the earliest"
    )


def test_log_defaults_to_today(capsys, log_path):
    code, _, _ = run(capsys, *log_argv(log_path, "UWSA 2", "244", "--notes", "calm"))
    assert code == 0
    assert log_path.read_text() == HEADER + "2026-11-26,UWSA 2,244,calm\n"


def test_list_on_an_empty_log_says_how_to_start(capsys, log_path, monkeypatch):
    code, out, _ = run(capsys, "list", "--log", str(log_path))
    assert code == 0
    assert out == (
        f"No results in {log_path} yet. Add one with:\n"
        # The exam's first form (NBME 9) and a score 9 under its threshold (231).
        f'  tracker log --log {log_path} --assessment "NBME 9" --score 231\n'
    )
    monkeypatch.setenv("TRACKER_LOG", str(log_path))  # the default log: no --log needed
    code, out, _ = run(capsys, "list")
    assert out.splitlines()[1] == '  tracker log --assessment "NBME 9" --score 231'


def test_the_hint_for_an_empty_log_can_be_pasted(capsys, tmp_path):
    log_path = tmp_path / "my scores" / "scores.csv"
    _, out, _ = run(capsys, "list", "--log", str(log_path))
    hint = out.splitlines()[1]
    assert shlex.split(hint)[:4] == ["tracker", "log", "--log", str(log_path)]


def test_list_shows_a_percent_form_as_seen_and_on_the_exam_scale(capsys, log_path):
    run(capsys, *log_argv(log_path, "NBME 12", "236", "--date", "2026-11-20"))
    code, out, err = run(capsys, *log_argv(log_path, "Free 120", "70"))
    # The Free 120 table has 70% = 245 exactly.
    assert (code, err) == (0, "")
    assert out == (
        f"Logged 2026-11-26 Free 120: 70% (≈245 on the exam's scale) to {log_path} "
        "(2 results in the log).\n"
    )
    code, out, _ = run(capsys, "list", "--log", str(log_path))
    assert out.splitlines()[1:3] == [
        "  1  2026-11-20  NBME 12       236",
        "  2  2026-11-26  Free 120      70%  ≈245",
    ]


# --- the example log: the headline, exactly -----------------------------------------------


@pytest.mark.parametrize(
    ("exam_date", "first_line"),
    [
        # Ready by 2026-12-11 (see the top of this file). The exam on 2027-01-15 is
        # 4 + 31 + 15 = 50 days away and after that day: keep the date.
        (
            "2027-01-15",
            "ON TRACK  keep 2027-01-15 (in 50 days); ready by 2026-12-11 at the earliest",
        ),
        # An exam on 2026-12-05: every day is in its final three weeks, so NBME 16 (a
        # form meant for them) can come today, 3+ days after 11-21: ready by today.
        (
            "2026-12-05",
            "ON TRACK  keep 2026-12-05 (in 9 days); ready by 2026-11-26 at the earliest",
        ),
    ],
)
def test_the_example_reads_on_track_or_delay(capsys, example_log, exam_date, first_line):
    code, out, err = run(capsys, *verdict_argv(example_log, exam_date))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == first_line


def test_the_delay_json_names_the_suggested_date(capsys, example_log):
    # An exam on 2026-11-28 leaves no practice day (none on 11-26 or 11-27, the last
    # two): the score the rule needs can come today, the exam 3 days after it. Only the
    # calendar is short (the trend is at 240+), so the words give both choices.
    data = verdict_json(capsys, example_log, exam_date="2026-11-28")
    assert data["verdict"] == "delay" and data["headline"] == "DELAY"
    assert data["suggested_date"] == "2026-11-29" and data["ready_by"] == "2026-11-26"
    assert (data["needed_scores"], data["forms_left"]) == (1, 0)
    assert data["short_by_calendar"] is True
    # 2026-11-28 is 2 days away: the fee-free day (31 before) has passed.
    assert data["decide_by"] is None
    code, out, _ = run(capsys, *verdict_argv(example_log, "2026-11-28"))
    assert code == 0
    assert out.splitlines()[0] == (
        "DELAY  move the exam from 2026-11-28 to about 2026-11-29 (1 day later), or keep "
        "it without the one more score the rule needs (projected "
        f"{round(data['decisive_score'])})"
    )


def test_the_curve_in_json_keeps_the_keys_and_decides_no_less_carefully(
    capsys, example_log
):
    line = verdict_json(capsys, example_log)
    curve = verdict_json(capsys, example_log, "--model", "bend")
    assert curve.keys() == line.keys() and curve["model"] == "bend"
    assert curve["decisive_score"] <= line["decisive_score"]
    # The example's curve bends under both straight lines: it decides, so the sentence
    # on the three lines names it last, with the JSON's own slope and projection.
    [three] = [r for r in curve["reasons"] if r.startswith("Three lines were fitted: ")]
    assert curve["decisive_score"] == curve["projection"]["score"]
    assert (
        f"; the learning curve (+{curve['slope_per_week']:.1f} points a week now, " in three
    )
    assert three.endswith(
        f"projects {curve['projection']['score']:.0f}. The lowest counts, since how "
        "students usually learn may make the verdict more careful, never less: at or "
        "above 240."
    )
    # Its slope is its slope on the last practice day, shallower than the line's.
    assert 0 < curve["slope_per_week"] < line["slope_per_week"]


# --- the JSON contract --------------------------------------------------------------------

SCHEMA_1_KEYS = {
    "verdict", "exam_date", "today", "n_scores", "policy", "recent_scores", "consistent",
    "projection", "slope_per_week", "suggested_date", "decisive_score", "eras_date",
    "score_release_date", "reasons", "model", "calibrated",
}  # fmt: skip
SCHEMA_1_POLICY = {"threshold", "window", "target", "passing", "level"}
SCHEMA_1_PROJECTION = {
    "score", "confidence_interval", "prediction_interval", "p_threshold", "p_target",
    "p_fail", "extrapolated",
}  # fmt: skip
SCHEMA_2_ADDED = {"ready_by", "decide_by", "eligibility_end", "eras", "result"}


def test_verdict_json_keeps_schema_1_and_adds_the_plan(capsys, example_log):
    code, out, err = run(capsys, *verdict_argv(example_log), "--json")
    assert (code, err) == (0, "")
    data = strict_json(out)
    assert data["schema_version"] == 3  # schema 3 keeps every key (tests/test_profile_cli)
    assert set(data) >= SCHEMA_1_KEYS | SCHEMA_2_ADDED
    assert set(data["policy"]) >= SCHEMA_1_POLICY
    assert set(data["projection"]) >= SCHEMA_1_PROJECTION
    assert data["verdict"] == "on_track" and data["n_scores"] == 9
    assert data["exam_date"] == "2027-01-15" and data["today"] == TODAY
    assert data["recent_scores"] == [239, 244, 242] and data["consistent"] is False
    # The exam on 2027-01-15 is judged against the standard from 2025-07-01.
    assert data["policy"]["threshold"] == 240 and data["policy"]["passing"] == 218
    assert data["ready_by"] == "2026-12-11" and data["suggested_date"] is None
    assert (data["needed_scores"], data["forms_left"]) == (1, 3)
    # 2027-01-15 minus 31 days: 15 days back is 2026-12-31, 16 more is 2026-12-15.
    assert data["decide_by"] == "2026-12-15"
    # The score arrives 28 days after the exam: 2027-01-15 + 28 = 2027-02-12.
    assert data["score_release_date"] == "2027-02-12"
    assert (data["eligibility_end"], data["eras"], data["result"]) == (None, None, None)
    assert data["reasons"][0] == (
        "Not yet consistent: the last 3 scores must all be 240+; 239 is below "
        "(last: 239, 244, 242)."
    )


@pytest.mark.parametrize(
    ("exam_date", "decide_by"),
    [
        ("2027-01-15", "2026-12-15"),  # 15 days back is 12-31, 16 more is 12-15
        ("2026-12-27", "2026-11-26"),  # 27 days back is 11-30, 4 more is today
        ("2026-12-26", None),  # 2026-11-25 has passed
        ("2027-03-01", "2027-01-29"),  # 1 back is 02-28, 28 more 01-31, 2 more 01-29
    ],
)
def test_decide_by_is_31_days_before_the_exam_while_it_is_ahead(
    capsys, example_log, exam_date, decide_by
):
    data = verdict_json(capsys, example_log, exam_date=exam_date)
    assert data["decide_by"] == decide_by


def test_verdict_flags_reach_the_policy(capsys, example_log):
    data = verdict_json(
        capsys,
        example_log,
        "--threshold",
        "235",
        "--window",
        "2",
        "--target",
        "250",
        "--level",
        "0.8",
        "--eras-date",
        "2027-06-01",
    )
    schema_2 = {"threshold", "window", "target", "passing", "level", "scale"}
    assert {key: data["policy"][key] for key in schema_2} == {
        "threshold": 235,
        "window": 2,
        "target": 250,
        "passing": 218,  # the standard for an exam on 2027-01-15
        "level": 0.8,
        "scale": [1, 300],
    }
    assert data["policy"]["target_basis"] == "setting"  # --target wins over the profile
    # The last two, 244 and 242, both reach 235: consistent, and the trend is higher.
    assert data["verdict"] == "take_now" and data["eras_date"] == "2027-06-01"
    # Sitting 2027-01-15, the score arrives 2027-02-12: 16 + 31 + 30 + 31 + 1 = 109 days
    # before ERAS opens on 2027-06-01, at least the 90 advised.
    assert data["eras"] == {
        "date": "2027-06-01",
        "score_release_date": "2027-02-12",
        "days_before_eras": 109,
        "status": "on_time",
    }


@pytest.mark.parametrize(
    ("eras", "status", "eras_line"),
    [
        # Exam 11-28, suggested 11-29 (above); its score arrives 28 days later,
        # 12-27, 14 days before ERAS opens on 2027-01-10: tight.
        (
            "2027-01-10",
            "tight",
            "   -  Sitting on the suggested date (2026-11-29), the score should arrive "
            "about 2026-12-27, 14 days before ERAS opens (2027-01-10): in time, but with "
            "less than the three months advised to decide whether to apply this cycle.",
        ),
        # ERAS opening on 2026-12-26 comes a day before the score: the next cycle.
        (
            "2026-12-26",
            "misses",
            "  [ ] Sitting on the suggested date (2026-11-29), the score should arrive "
            "about 2026-12-27, after ERAS opens (2026-12-26): this delay moves the "
            "application to the next cycle; for a field like IR a strong score next "
            "cycle usually beats a mediocre one now.",
        ),
    ],
)
def test_a_delay_is_placed_against_eligibility_and_eras(
    capsys, example_log, eras, status, eras_line
):
    flags = ["--eligibility-end", "2026-11-28", "--eras-date", eras]
    code, out, err = run(capsys, *verdict_argv(example_log, "2026-11-28"), *flags)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    # The suggested 2026-11-29 lies one day past the eligibility period.
    assert (
        "  [ ] The suggested date (2026-11-29) is after your eligibility period ends "
        "(2026-11-28): moving there needs an extension or a new application."
    ) in lines
    assert eras_line in lines
    data = verdict_json(capsys, example_log, *flags, exam_date="2026-11-28")
    assert data["eligibility_end"] == "2026-11-28"
    assert data["eras"]["score_release_date"] == "2026-12-27"
    assert data["eras"]["status"] == status


def test_settings_json_beside_the_log_gives_the_defaults(capsys, example_log):
    settings = example_log.with_name("settings.json")
    settings.write_text('{"exam_date": "2027-01-15", "threshold": 235, "window": 2}')
    code, out, err = run(capsys, "verdict", "--log", str(example_log), "--today", TODAY)
    assert (code, err) == (0, "")
    # As in the test above: 244 and 242 both reach 235.
    assert out.splitlines()[0] == "TAKE NOW  sit as planned on 2027-01-15 (in 50 days)"
    # Flags win over the file: the exam's 240, a window of 3 and an exam on 11-28 read
    # as the example does (one score short, the exam moved to 11-29); the file is never
    # written.
    code, out, _ = run(
        capsys,
        *verdict_argv(example_log, "2026-11-28"),
        "--threshold",
        "none",
        "--window",
        "3",
    )
    assert out.splitlines()[0].startswith(
        "DELAY  move the exam from 2026-11-28 to about 2026-11-29 (1 day later)"
    )
    assert (
        settings.read_text() == '{"exam_date": "2027-01-15", "threshold": 235, "window": 2}'
    )


def test_a_broken_settings_file_is_one_warning_and_the_defaults(capsys, example_log):
    settings = example_log.with_name("settings.json")
    settings.write_text('{"window": 0}')
    code, out, err = run(capsys, *verdict_argv(example_log))
    assert code == 0
    assert err == (
        f"tracker: warning: {settings}: window 0 is outside 1 to 20; using the defaults\n"
    )
    assert out.startswith("ON TRACK  keep 2027-01-15")
    assert settings.read_text() == '{"window": 0}'


def test_trackers_log_variable_is_the_default(capsys, example_log, monkeypatch):
    monkeypatch.setenv("TRACKER_LOG", str(example_log))
    code, out, _ = run(capsys, "list", "--today", TODAY)
    assert code == 0
    assert (
        out.splitlines()[-1] == f"9 results in {example_log} (listing {sha8(example_log)})"
    )


# --- what the exam's scale accepts --------------------------------------------------------


def test_a_free_120_percentage_counts_on_the_exam_scale(capsys, example_log):
    code, _, err = run(capsys, *log_argv(example_log, "Free 120", "70"))
    assert (code, err) == (0, "")
    assert example_log.read_text().endswith(
        "2026-11-21,NBME 15,242,\n2026-11-26,Free 120,70,\n"
    )
    data = verdict_json(capsys, example_log)
    # 70% is a point of the Free 120 table: 245 on the Step 2 CK scale.
    assert data["recent_entries"][-1] == {
        "date": "2026-11-26",
        "assessment": "Free 120",
        "raw": 70,
        "form": "Free 120",
        "scale": "percent",
        "score": 245,
    }
    # The last three are now 244, 242, 245: all 240+, so the rule is met.
    assert data["recent_scores"] == [244, 242, 245] and data["consistent"] is True
    assert (
        "Percent-correct scores on the exam's scale: Free 120 on 2026-11-26: 70% ≈ 245."
        in data["reasons"]
    )


def test_a_percentage_under_a_three_digit_form_is_refused(capsys, example_log):
    before = example_log.read_bytes()
    code, out, err = run(capsys, *log_argv(example_log, "NBME 12", "65"))
    assert (code, out) == (2, "")
    assert err == (
        "tracker: error: 65 is not a three-digit NBME 12 score (no form reports under "
        "150); if it is a percentage, log it under a percent-correct form such as the "
        "Free 120, or check the number\n"
    )
    assert example_log.read_bytes() == before


@pytest.mark.parametrize("name", ["UWorld SA 2", "uwsa2", "UWSA 2", " uwsa-2 "])
def test_names_of_one_form_give_the_same_verdict(capsys, example_log, name):
    code, _, err = run(capsys, *log_argv(example_log, name, "246"))
    assert (code, err) == (0, "")  # a known alias: no warning
    data = verdict_json(capsys, example_log)
    assert data["recent_entries"][-1]["assessment"] == name.strip()
    data["recent_entries"][-1]["assessment"] = "UWSA 2"

    reference = example_log.with_name("reference.csv")
    shutil.copy(EXAMPLE, reference)
    run(capsys, *log_argv(reference, "UWSA 2", "246"))
    assert data == verdict_json(capsys, reference)
    # Read as a UWSA 2 (offset -5), 246 - 5 = 241 stays 240+, so no reason names the
    # row: only its name in recent_entries may differ, and it is not "uncalibrated".
    assert data["uncalibrated"] == []


def test_an_unknown_form_is_logged_with_one_warning(capsys, example_log):
    code, out, err = run(capsys, *log_argv(example_log, "Kaplan Diagnostic", "231"))
    assert code == 0
    assert err == (
        "tracker: warning: 'Kaplan Diagnostic' is not in the catalog of practice forms, "
        "so it is logged as a three-digit score and not calibrated\n"
    )
    assert out.startswith("Logged 2026-11-26 Kaplan Diagnostic: 231 to ")
    data = verdict_json(capsys, example_log)
    assert data["uncalibrated"] == ["Kaplan Diagnostic"]
    assert (
        "Not calibrated (not in the catalog of forms, used as logged): Kaplan Diagnostic."
        in data["reasons"]
    )


def test_a_near_miss_name_is_logged_with_a_suggestion(capsys, log_path):
    code, _, err = run(capsys, *log_argv(log_path, "UWSA 4", "240"))
    assert code == 0 and err.count("\n") == 1
    assert err.startswith("tracker: warning: 'UWSA 4' is not in the catalog")
    # UWSA 3, 2 and 1 each differ from "uwsa4" in one character; equal matches are
    # listed last-first, and three names at most.
    assert err.endswith("; did you mean UWSA 3 or UWSA 2 or UWSA 1?\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--score", "999"], "score 999 is outside 1–300, the scale of NBME 16"),
        (["--score", "0"], "score 0 is outside 1–300, the scale of NBME 16"),
        (["--score", "1000"], "score 1000 is outside 0–999, the widest any exam uses"),
        (["--score", "abc"], "score 'abc' is not a whole number in ASCII digits (0-9)"),
        (["--score", "240.5"], "score '240.5' is not a whole number in ASCII digits (0-9)"),
        (
            ["--score", "２４０"],
            "score '２４０' is not a whole number in ASCII digits (0-9)",
        ),
        (
            ["--score", "231", "--date", "2026-11-27"],
            "date 2026-11-27 is after today (2026-11-26)",
        ),
        (
            ["--score", "231", "--date", "27/11/2026"],
            "date '27/11/2026' is not a date in YYYY-MM-DD form (ASCII digits)",
        ),
        (["--score", "231", "--assessment", " "], "assessment is empty"),
        (
            ["--score", "101", "--assessment", "Free 120"],
            "Free 120 is scored in percent correct; 101 is not 0–100 (log the percentage "
            "you saw, such as 70)",
        ),
    ],
)
def test_log_rejects_bad_input_and_leaves_the_file(capsys, example_log, argv, message):
    before = example_log.read_bytes()
    args = ["log", "--log", str(example_log), "--today", TODAY, "--assessment", "NBME 16"]
    code, out, err = run(capsys, *args, *argv)
    assert (code, out, err) == (2, "", f"tracker: error: {message}\n")
    assert example_log.read_bytes() == before


def test_a_percentage_outside_the_table_is_logged_with_a_warning(capsys, log_path):
    code, out, err = run(capsys, *log_argv(log_path, "Free 120", "90"))
    # Past 80% = 260 the last segment (75% = 252 to 80% = 260, 1.6 a point) goes on:
    # 260 + 10 × 1.6 = 276.
    assert code == 0
    assert err == (
        "tracker: warning: 90% is outside the Free 120 conversion table (60–80%): "
        "≈276 is an extrapolation\n"
    )
    assert "90% (≈276 on the exam's scale)" in out


# --- COMLEX Level 2-CE --------------------------------------------------------------------

COMLEX_LOG = HEADER + (
    "2026-09-01,COMSAE Phase 2,455,\n"
    "2026-09-22,COMSAE 2,470,\n"
    "2026-10-13,COMSAE Phase II,520,\n"
    "2026-11-03,COMSAE Phase 2,560,\n"
    "2026-11-24,comsae p2,650,\n"
)


def test_comlex_verdict_end_to_end(capsys, log_path):
    log_path.write_text(COMLEX_LOG)
    data = verdict_json(capsys, log_path, "--exam", "comlex-2ce")
    assert data["exam"] == "comlex-2ce"
    schema_2 = {"threshold", "window", "target", "passing", "level", "scale"}
    assert {key: data["policy"][key] for key in schema_2} == {
        "threshold": 480,
        "window": 3,
        "target": 510,
        "passing": 400,
        "level": 0.95,
        "scale": [1, 999],
    }
    assert data["policy"]["target_basis"] == "exam_default"
    # Every alias is COMSAE Phase 2 (offset 0): the last three 520, 560, 650 are all
    # 480+, and a rising line projects above them: sit as planned.
    assert data["recent_scores"] == [520, 560, 650] and data["consistent"] is True
    assert data["verdict"] == "take_now" and data["uncalibrated"] == []
    assert 480 <= data["projection"]["score"] <= 999
    # No rescheduling rules are known for COMLEX: no fee-free day to name. Scores
    # arrive 42 days after the exam: 2027-01-15 + 42 = 2027-02-26.
    assert data["decide_by"] is None and data["score_release_date"] == "2027-02-26"

    code, out, _ = run(capsys, *verdict_argv(log_path), "--exam", "comlex-2ce")
    assert code == 0
    assert out.splitlines()[:3] == [
        "TAKE NOW  sit as planned on 2027-01-15 (in 50 days)",
        "",
        "  [x] Consistent: the last 3 scores (520, 560, 650) are all 480 or higher.",
    ]


def test_comlex_scores_are_left_out_of_a_step_2_plan(capsys, log_path):
    # The five COMSAE rows belong to COMLEX: read under Step 2 CK they are kept in the
    # log, named in one warning, and the Step 2 CK plan has no scores of its own.
    log_path.write_text(COMLEX_LOG)
    code, out, err = run(capsys, *verdict_argv(log_path))
    assert code == 0
    assert out.startswith("NOT ENOUGH DATA  log 3 more results (exam planned for ")
    assert err == (
        "tracker: warning: 5 rows from another exam (COMSAE 2, COMSAE Phase 2, COMSAE "
        "Phase II, comsae p2) are kept in the log and left out of the Step 2 CK plan\n"
    )
    assert log_path.read_text() == COMLEX_LOG


def test_a_score_off_the_scale_of_an_unknown_form_is_refused_by_line(capsys, log_path):
    log_path.write_text(HEADER + "2026-09-01,Kaplan Diagnostic,455,\n")
    code, out, err = run(capsys, *verdict_argv(log_path))
    assert (code, out) == (2, "")
    assert err == (
        f"tracker: error: {log_path} line 2: score 455 is outside 1–300, the scale of "
        "Step 2 CK practice forms (is this a COMLEX Level 2-CE score? use --exam "
        "comlex-2ce)\n"
    )


def test_comlex_plot_and_log(capsys, log_path, tmp_path):
    log_path.write_text(COMLEX_LOG)
    out_file = tmp_path / "comlex.png"
    code, out, err = run(
        capsys,
        "plot",
        "--exam",
        "comlex-2ce",
        "--log",
        str(log_path),
        "--today",
        TODAY,
        "--exam-date",
        "2027-01-15",
        "--out",
        str(out_file),
    )
    assert (code, out, err) == (0, f"Saved the chart to {out_file}\n", "")
    assert out_file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, out, err = run(
        capsys, *log_argv(log_path, "COMSAE Phase 2", "610"), "--exam", "comlex-2ce"
    )
    assert (code, err) == (0, "")
    assert log_path.read_text().endswith("2026-11-26,COMSAE Phase 2,610,\n")


def test_a_step_2_percent_row_read_for_comlex_names_the_exam(capsys, example_log):
    run(capsys, *log_argv(example_log, "Free 120", "70"))
    code, out, err = run(capsys, *verdict_argv(example_log), "--exam", "comlex-2ce")
    # Every row is a Step 2 CK form (NBME 9–15, UWSA 1–2, the Free 120): all ten are
    # kept in the log and left out of the COMLEX plan, which then has no scores.
    assert code == 0
    assert out.startswith("NOT ENOUGH DATA  log 3 more results (exam planned for ")
    assert err == (
        "tracker: warning: 10 rows from another exam (Free 120, NBME 10, NBME 11, "
        "NBME 12, NBME 13, NBME 14, NBME 15, NBME 9, UWSA 1, UWSA 2) are kept in the "
        "log and left out of the COMLEX Level 2-CE plan\n"
    )
    assert "such as the Free 120" not in err


# --- the real result ----------------------------------------------------------------------


def test_a_real_result_is_logged_and_reviewed(capsys, example_log):
    code, out, err = run(
        capsys,
        "result",
        "--log",
        str(example_log),
        "--today",
        "2026-12-20",
        "--date",
        "2026-12-18",
        "--score",
        "247",
    )
    assert (code, err) == (0, "")
    assert out == (
        f"Logged your exam result: 2026-12-18 Step 2 CK: 247 to {example_log} "
        "(10 results in the log).\n"
    )
    assert example_log.read_text().endswith(
        "2026-11-21,NBME 15,242,\n2026-12-18,Step 2 CK,247,\n"
    )

    code, out, err = run(
        capsys,
        "verdict",
        "--log",
        str(example_log),
        "--today",
        "2026-12-20",
        "--model",
        "ols",
        "--json",
    )
    assert (code, err) == (0, "")
    data = strict_json(out)
    assert data["verdict"] == "taken" and data["headline"] == "EXAM TAKEN"
    result = data["result"]
    assert {"date", "score", "projected", "prediction_interval", "inside"} <= set(result)
    assert (result["date"], result["score"], result["as_of"]) == (
        "2026-12-18",
        247,
        "2026-11-21",
    )
    # The oracle: least squares on the calibrated practice scores (UWSA 1 241 - 8,
    # UWSA 2 244 - 5), x in days since 2026-09-01; the exam day 2026-12-18 is day 108.
    # Each form's offset uncertainty u (3 points, 4 for NBME 14 and 15) weighs its score
    # by 1/(7² + u²), scaled to a mean of 1, and adds Σ c_j²·u_j² (every form once) to
    # the variance of one sitting, with c the weights of the projection: statsmodels
    # WLS for the fit, numpy for c.
    x = np.array([0, 11, 23, 35, 46, 58, 67, 74, 81], dtype=float)
    y = np.array([224, 229, 227, 233, 233, 236, 239, 239, 242], dtype=float)
    u = np.array([3, 3, 3, 3, 3, 3, 4, 3, 4], dtype=float)
    weights = (1 / (49 + u**2)) / np.mean(1 / (49 + u**2))
    design, x0 = sm.add_constant(x), np.array([[1.0, 108.0]])
    fit = sm.WLS(y, design, weights=weights).fit()
    frame = fit.get_prediction(x0).summary_frame(alpha=0.05)
    c = x0 @ np.linalg.inv(design.T @ (weights[:, None] * design)) @ (design.T * weights)
    se_obs = np.sqrt(fit.scale + frame["mean_se"][0] ** 2 + np.sum(c**2 * u**2))
    half = stats.t.ppf(0.975, 7) * se_obs
    assert result["projected"] == pytest.approx(frame["mean"][0], abs=0.005)
    assert result["prediction_interval"] == pytest.approx(
        [frame["mean"][0] - half, frame["mean"][0] + half], abs=0.005
    )
    assert result["inside"] is True  # 247 lies inside (about 238–255)


def test_the_result_verdict_in_words(capsys, example_log):
    example_log.write_text(EXAMPLE.read_text() + "2026-12-18,Step 2 CK,252,\n")
    argv = ["verdict", "--log", str(example_log), "--today", "2026-12-20", "--model", "ols"]
    code, out, err = run(capsys, *argv)
    # The projection (246.69, see the oracle above) rounds to 247; 252 is inside
    # 238.3–255.1 and 252 − 246.69 = 5.3 points above.
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        "EXAM TAKEN  252 on 2026-12-18; the tracker projected 247, inside its 95% "
        "interval (238–255)"
    )
    assert out.splitlines()[2].startswith(
        "  [x] Your Step 2 CK result: 252 on 2026-12-18. On 2026-11-21, the day of your "
        "last practice score, the tracker projected 247 (95% prediction interval 238–255): "
        "the result fell inside it, 5.3 points above the projection."
    )


def test_a_result_in_the_future_is_refused(capsys, example_log):
    before = example_log.read_bytes()
    argv = ["result", "--log", str(example_log), "--today", TODAY, "--date", "2026-11-27"]
    code, out, err = run(capsys, *argv, "--score", "247")
    assert (code, out) == (2, "")
    assert err == "tracker: error: date 2026-11-27 is after today (2026-11-26)\n"
    assert example_log.read_bytes() == before


def test_no_day_to_move_the_exam_once_it_is_taken(capsys, log_path):
    # Practice on 09-27, 10-07 and 10-12; the result on 11-24. The review is made as of
    # 10-12, when moving a 11-24 exam was free until 10-24; by today (11-26) the exam
    # is behind the student, and there is nothing left to move.
    log_path.write_text(
        HEADER + "2026-09-27,NBME 12,230,\n2026-10-07,NBME 13,235,\n"
        "2026-10-12,NBME 14,238,\n2026-11-24,Step 2 CK,244,\n"
    )
    code, out, err = run(
        capsys, "verdict", "--log", str(log_path), "--today", TODAY, "--json"
    )
    assert (code, err) == (0, "")
    data = strict_json(out)
    assert data["verdict"] == "taken" and data["today"] == TODAY
    assert data["decide_by"] is None


def test_result_warns_once_about_a_broken_settings_file(capsys, example_log):
    settings = example_log.with_name("settings.json")
    settings.write_text("{bad")
    argv = ["result", "--log", str(example_log), "--today", "2026-12-20"]
    code, _, err = run(capsys, *argv, "--date", "2026-12-18", "--score", "247")
    assert code == 0
    assert err.count("\n") == 1 and err.startswith(f"tracker: warning: {settings} line 1")


# --- exams and forms ----------------------------------------------------------------------


def test_exams_lists_both_profiles(capsys):
    code, out, err = run(capsys, "exams")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "step2-ck (default): USMLE Step 2 Clinical Knowledge"
    assert lines[1] == (
        "    scale 1–300, passing 218 from 2025-07-01; threshold 240, target 245; scores "
        "arrive about 28 days after the exam"
    )
    comlex = lines.index("comlex-2ce: COMLEX-USA Level 2 Cognitive Evaluation")
    assert lines[comlex + 1] == (
        "    scale 1–999, passing 400; threshold 480, target 510; scores arrive about "
        "42 days after the exam"
    )
    assert lines[comlex + 2].startswith(
        "    defaults: No public 'consistently X+' rule exists for COMLEX. These defaults "
        "are the tracker's own choice"
    )
    assert (
        lines[comlex + 3]
        == "    moving the exam: rescheduling fees: not known to the tracker"
    )


def test_forms_lists_the_step_2_catalog(capsys, example_log):
    code, out, err = run(capsys, "forms", "--log", str(example_log))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "NBME 9  [NBME, three-digit]  offset +0 ± 3 points; usually taken 13–17 weeks "
        "before the exam"
    )
    assert (
        "UWSA 1  [UWSA, three-digit]  offset -8 ± 3 points; usually taken 6–9 weeks "
        "before the exam"
    ) in lines
    assert (
        "Free 120  [Free 120, percent]  converted: 60%→225, 65%→235, 70%→245, 75%→252, "
        "80%→260 (±8); usually taken 1–2 weeks before the exam"
    ) in lines
    assert lines[-1].startswith(f"12 forms for Step 2 CK in {STEP2_CATALOG}. ")


def test_forms_lists_comsae_for_comlex(capsys, example_log):
    code, out, err = run(capsys, "forms", "--exam", "comlex-2ce", "--log", str(example_log))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    # Two forms NBOME names, then the family's entry for any other COMSAE form.
    assert (
        lines[0] == "COMSAE Phase 2 Form 113  [COMSAE, three-digit]  offset +0 ± 25 points"
    )
    assert lines[1].startswith("    also: BSA113, BSA113i, BSA113b, COMSAE 113")
    assert "COMSAE Phase 2  [COMSAE, three-digit]  offset +0 ± 25 points" in lines


def test_forms_counts_one_form_in_the_singular(capsys, example_log):
    own = example_log.with_name("assessments-comlex-2ce.csv")
    own.write_text(
        "name,family,scale,offset,uncertainty,source\nCOMSAE A,COMSAE,three-digit,0,25,x\n"
    )
    _, out, _ = run(capsys, "forms", "--exam", "comlex-2ce", "--log", str(example_log))
    assert out.splitlines()[-1].startswith(f"1 form for COMLEX Level 2-CE in {own}. ")
    own.unlink()
    _, out, _ = run(capsys, "forms", "--exam", "comlex-2ce", "--log", str(example_log))
    assert out.splitlines()[-1].startswith(
        f"3 forms for COMLEX Level 2-CE in {COMLEX_CATALOG}. "
    )


def test_the_students_own_catalog_beside_the_log_is_used(capsys, example_log):
    own = example_log.with_name("assessments.csv")
    text = STEP2_CATALOG.read_text().replace(
        "UWSA 1,UWSA,three-digit,-8,", "UWSA 1,UWSA,three-digit,0,"
    )
    own.write_text(text)
    data = verdict_json(capsys, example_log)
    # With UWSA 1 uncorrected only the UWSA 2 (244 - 5 = 239) crosses 240.
    [calibration] = [r for r in data["reasons"] if r.startswith("Calibration")]
    assert calibration.endswith("moved 1 score across 240 for the trend (the consistency "
                                "rule still uses the scores you saw): UWSA 2 on 2026-11-14 "
                                "(244 → 239).")  # fmt: skip
    _, out, _ = run(capsys, "forms", "--log", str(example_log))
    assert (
        "UWSA 1  [UWSA, three-digit]  offset +0 ± 3 points; usually taken 6–9 weeks "
        "before the exam"
    ) in out.splitlines()


def test_a_broken_own_catalog_is_one_warning_and_the_shipped_one(capsys, example_log):
    own = example_log.with_name("assessments.csv")
    own.write_text(
        "name,family,scale,offset,uncertainty,source\nUWSA 1,UWSA,three-digit,big,3,y\n"
    )
    code, out, err = run(capsys, *verdict_argv(example_log))
    assert code == 0
    assert err == (
        f"tracker: warning: {own} line 2: offset 'big' is not a number; using the "
        "shipped catalog until it is fixed\n"
    )
    assert out.startswith("ON TRACK  keep 2027-01-15")
    assert own.read_text().endswith("big,3,y\n")


def test_a_broken_catalog_given_by_flag_is_one_line(capsys, example_log, tmp_path):
    catalog = tmp_path / "forms.csv"
    catalog.write_text(
        "name,family,scale,offset,uncertainty,source\nUWSA 1,UWSA,three-digit,big,3,y\n"
    )
    expected = f"tracker: error: {catalog} line 2: offset 'big' is not a number\n"
    assert run(capsys, *verdict_argv(example_log), "--catalog", str(catalog)) == (
        2,
        "",
        expected,
    )
    missing = tmp_path / "none.csv"
    code, out, err = run(capsys, *verdict_argv(example_log), "--catalog", str(missing))
    assert (code, out, err) == (2, "", f"tracker: error: {missing}: no such catalog\n")


def test_an_empty_catalog_means_scores_as_they_are(capsys, example_log, tmp_path):
    catalog = tmp_path / "forms.csv"
    catalog.write_text("")
    code, out, err = run(
        capsys, *verdict_argv(example_log), "--json", "--catalog", str(catalog)
    )
    assert code == 0 and err == ""
    data = strict_json(out)
    assert data["calibrated"] is False
    assert len(data["uncalibrated"]) == 9  # every name, NBME 9 to NBME 15


# --- refusing what cannot be planned ------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["verdict", "--exam-date", "2027-01-15"],
        ["log", "--assessment", "NBME 16", "--score", "240"],
        ["result", "--date", "2026-11-25", "--score", "240"],
    ],
)
def test_a_broken_log_is_reported_and_never_rewritten(capsys, log_path, command):
    log_path.write_text(HEADER + "2026-10-01,NBME 12,231,\n2026-10-08,NBME 13,999,\n")
    original = log_path.read_bytes()
    code, out, err = run(
        capsys, command[0], "--log", str(log_path), "--today", TODAY, *command[1:]
    )
    assert code == 2 and out == ""
    assert err == (
        f"tracker: error: {log_path} line 3: score 999 is outside 1–300, the scale of "
        "NBME 13\n"
    )
    assert log_path.read_bytes() == original


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--threshold", "400"], "threshold 400 is outside the Step 2 CK scale 1–300"),
        (["--target", "999"], "target 999 is outside the Step 2 CK scale 1–300"),
        (
            ["--exam-date", "2026-11-25"],
            "exam date 2026-11-25 is before today (2026-11-26)",
        ),
        # 2026-11-26 + 1096 days (365 + 366 + 365) is 2029-11-26, the last day planned.
        (
            ["--exam-date", "2029-11-27"],
            "exam date 2029-11-27 is more than three years after today (2026-11-26)",
        ),
        (
            ["--eras-date", "2026-06-01"],
            "ERAS date 2026-06-01 is before today (2026-11-26)",
        ),
        (
            ["--eras-date", "2029-11-27"],
            "ERAS date 2029-11-27 is more than three years after today (2026-11-26)",
        ),
        (
            ["--eligibility-end", "2029-11-27"],
            "eligibility end 2029-11-27 is more than three years after today (2026-11-26)",
        ),
        (
            ["--target", "-1"],
            "argument --target: target -1 is outside 1 to 999 "
            "(see 'tracker verdict --help')",
        ),
        (
            ["--window", "0"],
            "argument --window: window 0 is outside 1 to 20 (see 'tracker verdict --help')",
        ),
        (
            ["--window", "-3"],
            "argument --window: window -3 is outside 1 to 20 "
            "(see 'tracker verdict --help')",
        ),
        (
            ["--level", "1.5"],
            "argument --level: level 1.5 is outside 0.5 to 0.999 "
            "(see 'tracker verdict --help')",
        ),
        (
            ["--window", "abc"],
            "argument --window: window 'abc' is not a whole number in ASCII digits "
            "(see 'tracker verdict --help')",
        ),
        (
            ["--today", "2026-02-30"],
            "argument --today: date 2026-02-30 does not exist in the calendar "
            "(see 'tracker verdict --help')",
        ),
        (
            ["--eras-date", "June"],
            "argument --eras-date: eras_date 'June' is not a date in YYYY-MM-DD form "
            "(ASCII digits) (see 'tracker verdict --help')",
        ),
        (
            ["--level", "high"],
            "argument --level: level 'high' is not a number in ASCII digits (see "
            "'tracker verdict --help')",
        ),
        (
            ["--exam", "nbme"],
            "argument --exam: exam 'nbme' is not one of step2-ck, comlex-2ce "
            "(see 'tracker verdict --help')",
        ),
        (
            ["--longest-delay", "6"],
            "argument --longest-delay: longest_delay_days 6 is outside 7 to 730 "
            "(see 'tracker verdict --help')",
        ),
    ],
)
def test_verdict_rejects_bad_flags_with_one_line(capsys, example_log, flags, message):
    code, out, err = run(capsys, *verdict_argv(example_log), *flags)
    assert (code, out, err) == (2, "", f"tracker: error: {message}\n")


def test_an_exam_before_the_last_assessment_is_refused(capsys, example_log):
    # The last row is dated 2026-11-21; as of 11-20 it is one day ahead (a time zone,
    # kept), and an exam on 11-20 would come before it.
    argv = ["verdict", "--log", str(example_log), "--today", "2026-11-20"]
    code, out, err = run(capsys, *argv, "--exam-date", "2026-11-20")
    assert (code, out) == (2, "")
    assert err == (
        "tracker: error: exam date 2026-11-20 is before the last assessment (2026-11-21)\n"
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--exam-date", "9999-12-31"],
            "argument --exam-date: exam_date 9999-12-31 is outside 1990–2199",
        ),
        (
            ["--today", "9999-12-31"],
            "argument --today: date 9999-12-31 is outside 1990–2199",
        ),
        (
            ["--level", "0.9999999999999999"],
            "argument --level: level 0.9999999999999999 is outside 0.5 to 0.999",
        ),
        (
            ["--prior-weight", "inf"],
            "argument --prior-weight: prior_weight 'inf' is not a number in ASCII digits",
        ),
        (
            ["--prior-weight", "1e308"],
            "argument --prior-weight: prior_weight 1e+308 is outside",
        ),
        (["--prior-weight", "-1"], "argument --prior-weight: prior_weight -1.0 is outside"),
        (
            ["--recency-half-life", "nan"],
            "argument --recency-half-life: recency_half_life_days 'nan' is not a number "
            "in ASCII digits",
        ),
        (
            ["--recency-half-life", "0"],
            "argument --recency-half-life: recency_half_life_days 0.0 is outside",
        ),
        (
            ["--model", "spline"],
            "argument --model: model 'spline' is not one of bayes, bend, ols",
        ),
        (["--level", "０.９"], "argument --level: level '０.９' is not a number in ASCII"),
    ],
)
def test_numbers_and_dates_out_of_reach_are_one_line(capsys, example_log, flags, message):
    code, out, err = run(capsys, *verdict_argv(example_log), *flags)
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert err.startswith(f"tracker: error: {message}")


def test_no_exam_date_is_one_line(capsys, example_log):
    code, out, err = run(capsys, "verdict", "--log", str(example_log), "--today", TODAY)
    assert (code, out) == (2, "")
    assert err == (
        "tracker: error: no exam date: pass --exam-date YYYY-MM-DD, or remember one "
        "with 'tracker set --exam-date YYYY-MM-DD' (or in the dashboard)\n"
    )


def test_usage_errors_are_one_line(capsys):
    assert main([]) == 2
    assert capsys.readouterr().err == (
        "tracker: error: the following arguments are required: COMMAND "
        "(see 'tracker --help')\n"
    )
    assert main(["log", "--score", "240"]) == 2
    assert capsys.readouterr().err == (
        "tracker: error: the following arguments are required: --assessment "
        "(see 'tracker log --help')\n"
    )


def test_help_for_every_command(capsys):
    for command in ("log", "result", "list", "verdict", "plot", "forms", "exams"):
        assert main([command, "--help"]) == 0
        assert f"usage: tracker {command}" in capsys.readouterr().out
    assert main(["verdict", "--help"]) == 0
    text = capsys.readouterr().out
    for flag in (
        "--exam ", "--exam-date", "--threshold", "--window", "--target", "--level",
        "--model", "--prior-weight", "--recency-half-life", "--calibration",
        "--no-calibration", "--calibrate-rule", "--no-calibrate-rule", "--eras-date",
        "--eligibility-end", "--longest-delay", "--json",
    ):  # fmt: skip
        assert flag in text, flag


# --- projections stay on the scale --------------------------------------------------------

PROJECTED_NUMBERS = re.compile(
    r"(?:exam-day score|interval|project|projected|lower) (−?\d+(?:\.\d+)?)"
    r"(?:–(−?\d+(?:\.\d+)?))?"
)


def _verdict_quietly(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue() + err.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 30), st.integers(150, 300)), min_size=0, max_size=4
    ),
    ahead=st.one_of(st.just(1096), st.integers(0, 1096)),
    model=st.sampled_from(["bayes", "bend", "ols"]),
    level=st.sampled_from(["0.5", "0.95", "0.999"]),
)
def test_tiny_logs_and_far_exams_stay_on_the_scale(rows, ahead, model, level):
    today = dt.date(2026, 11, 26)
    lines = [f"{today - dt.timedelta(days=back)},NBME {13 + i % 4},{score},"
             for i, (back, score) in enumerate(rows)]  # fmt: skip
    exam = today + dt.timedelta(days=ahead)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scores.csv"
        path.write_text(HEADER + "".join(line + "\n" for line in lines))
        argv = [
            "verdict", "--log", str(path), "--today", str(today), "--exam-date",
            str(exam), "--model", model, "--level", level,
        ]  # fmt: skip
        code, out = _verdict_quietly([*argv, "--json"])
        assert code == 0, out
        data = strict_json(out)
        code, text = _verdict_quietly(argv)
        assert code == 0, text
    numbers = [data["decisive_score"]]
    if data["projection"] is not None:
        projection = data["projection"]
        numbers += [projection["score"], *projection["confidence_interval"]]
        numbers += projection["prediction_interval"]
    for match in PROJECTED_NUMBERS.finditer(text):
        numbers += [float(g.replace("−", "-")) for g in match.groups() if g]
    assert all(1 <= n <= 300 for n in numbers if n is not None), (numbers, text)


def test_the_last_day_planned_is_allowed_and_on_the_scale(capsys, log_path):
    # A steep three-day climb, 160 → 230 → 300, stretched 1096 days (three years):
    # the lines run far past 300 and every number shown stops at the scale's end.
    log_path.write_text(
        HEADER
        + "2026-11-24,NBME 12,160,\n2026-11-25,NBME 13,230,\n2026-11-26,NBME 14,300,\n"
    )
    for model in ("bayes", "ols"):
        data = verdict_json(capsys, log_path, "--model", model, exam_date="2029-11-26")
        projection = data["projection"]
        assert projection["clipped"] is True and projection["extrapolated"] is True
        for value in (projection["score"], *projection["prediction_interval"]):
            assert value >= 1 and value <= 300
        clipped = "The trend runs past the ends of the Step 2 CK scale (1–300)"
        assert any(reason.startswith(clipped) for reason in data["reasons"])


# --- the installed command, odd places ----------------------------------------------------


def _installed_tracker() -> str:
    script = Path(sys.executable).parent / "tracker"
    if not script.exists():
        pytest.fail(f"the tracker command is not installed beside {sys.executable}")
    return str(script)


def test_installed_command_runs_and_errors_without_traceback(example_log):
    tracker = _installed_tracker()
    env = {**os.environ, "TRACKER_LOG": str(example_log)}
    ok = subprocess.run(
        [tracker, "verdict", "--today", TODAY, "--exam-date", "2027-03-15", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert strict_json(ok.stdout)["n_scores"] == 9

    before = example_log.read_bytes()
    bad = subprocess.run(
        [tracker, "log", "--assessment", "NBME 16", "--score", "999"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2
    assert (
        bad.stderr == "tracker: error: score 999 is outside 1–300, the scale of NBME 16\n"
    )
    assert "Traceback" not in bad.stderr and example_log.read_bytes() == before


def test_a_directory_as_the_log_is_one_line(capsys, tmp_path):
    code, out, err = run(capsys, "list", "--log", str(tmp_path))
    expected = f"tracker: error: {tmp_path}: is a directory, not a CSV file\n"
    assert (code, out, err) == (2, "", expected)


def plot(capsys, log_path, out_file):
    """``tracker plot`` of a log, exam on 2027-01-15, as of TODAY."""
    return run(
        capsys,
        "plot",
        "--log",
        str(log_path),
        "--today",
        TODAY,
        "--exam-date",
        "2027-01-15",
        "--out",
        str(out_file),
    )


def test_plot_saves_a_png(capsys, example_log, tmp_path):
    out_file = tmp_path / "chart.png"
    code, out, _ = plot(capsys, example_log, out_file)
    assert code == 0 and out == f"Saved the chart to {out_file}\n"
    assert out_file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("out_name", "message"),
    [
        (
            "missing/chart.png",
            "the folder {folder} does not exist; nothing was written (is a drive or a "
            "synced folder missing? create the folder first if it is new)",
        ),
        (
            "chart.xyz",
            "a chart is saved as .png, .svg or .pdf, not .xyz; nothing was written",
        ),
    ],
)
def test_plot_to_a_bad_place_is_one_line(capsys, example_log, tmp_path, out_name, message):
    out_file = tmp_path / out_name
    code, out, err = plot(capsys, example_log, out_file)
    assert code == 2 and out == ""
    message = message.format(folder=out_file.parent)
    assert err == f"tracker: error: {out_file}: {message}\n"
    assert not out_file.exists()


# --- the model ----------------------------------------------------------------------------


# The example log's days since 2026-09-01 and its scores; corrected for the forms,
# UWSA 1 241 − 8 = 233 and UWSA 2 244 − 5 = 239. The exam, 2027-01-15, is day 136.
EXAMPLE_DAYS = np.array([0, 11, 23, 35, 46, 58, 67, 74, 81], dtype=float)
EXAMPLE_SEEN = np.array([224, 229, 227, 233, 241, 236, 239, 244, 242], dtype=float)
EXAMPLE_CORRECTED = np.array([224, 229, 227, 233, 233, 236, 239, 239, 242], dtype=float)


# Calibrated, each form weighs 1/(7² + u²), scaled to a mean of 1: u is 3 points, and 4
# for NBME 14 and 15 (the 7th and 9th rows).
EXAMPLE_U = np.array([3, 3, 3, 3, 3, 3, 4, 3, 4], dtype=float)
EXAMPLE_FORM_WEIGHTS = (1 / (49 + EXAMPLE_U**2)) / np.mean(1 / (49 + EXAMPLE_U**2))


def _least_squares_at_the_exam(y, form_weights=None) -> float:
    weights = np.ones_like(y) if form_weights is None else form_weights
    fit = sm.WLS(y, sm.add_constant(EXAMPLE_DAYS), weights=weights).fit()
    return float(fit.get_prediction(np.array([[1.0, 136.0]])).predicted_mean[0])


def _prior_line_at_the_exam(y, half_life: float | None = None, form_weights=None) -> float:
    """The default prior's line on the exam day, by statsmodels: the slope prior N(0.2,
    0.1²) is one more data row (level 0, slope 1, "score" 0.2) of weight 7²/0.1² =
    4,900 (the noise guess over the prior's variance); recency weights ½ per
    ``half_life`` days before the last score, times the forms' weights."""
    x = EXAMPLE_DAYS
    weights = np.ones_like(x) if half_life is None else 0.5 ** ((x.max() - x) / half_life)
    if form_weights is not None:
        weights = weights * form_weights
    design = np.column_stack([np.ones_like(x), x - x.mean()])
    fit = sm.WLS(
        np.append(y, 0.2), np.vstack([design, [0.0, 1.0]]), weights=np.append(weights, 4900)
    ).fit()
    level, slope = fit.params
    return float(level + slope * (136.0 - x.mean()))


def test_model_and_calibration_flags(capsys, example_log):
    # The default: the prior's line on corrected scores, each form weighted by its
    # uncertainty, is the projection; the lower of it and the student's own weighted
    # least-squares line decides. The prior's is lower here (252.22 against 252.43).
    default = verdict_json(capsys, example_log)
    assert default["model"] == "bayes" and default["calibrated"] is True
    prior = _prior_line_at_the_exam(EXAMPLE_CORRECTED, form_weights=EXAMPLE_FORM_WEIGHTS)
    own = _least_squares_at_the_exam(EXAMPLE_CORRECTED, EXAMPLE_FORM_WEIGHTS)
    assert default["projection"]["score"] == pytest.approx(prior, abs=0.005)
    assert default["decisive_score"] == pytest.approx(min(prior, own), abs=0.005)
    assert default["projection"]["score"] == pytest.approx(252.22, abs=0.005)
    # Least squares on the scores as seen: 256.32.
    plain = verdict_json(capsys, example_log, "--model", "ols", "--no-calibration")
    assert plain["model"] == "ols" and plain["calibrated"] is False
    seen = _least_squares_at_the_exam(EXAMPLE_SEEN)
    assert plain["projection"]["score"] == pytest.approx(seen, abs=0.005)
    assert plain["projection"]["score"] == pytest.approx(256.32, abs=0.005)
    # With no prior the model's line is the least-squares one (its bands differ: the
    # noise guess still counts), so the projected score is the same.
    no_prior = verdict_json(capsys, example_log, "--prior-weight", "0", "--no-calibration")
    assert no_prior["model"] == "bayes"
    assert no_prior["projection"]["score"] == pytest.approx(seen, abs=0.005)


def test_ols_projection_matches_statsmodels(capsys, example_log):
    data = verdict_json(capsys, example_log, "--model", "ols", "--no-calibration")
    # Scores as seen, x in days since 2026-09-01; the exam 2027-01-15 is day 136.
    x = np.array([0, 11, 23, 35, 46, 58, 67, 74, 81], dtype=float)
    y = np.array([224, 229, 227, 233, 241, 236, 239, 244, 242], dtype=float)
    fit = sm.OLS(y, sm.add_constant(x)).fit()
    frame = fit.get_prediction(np.array([[1.0, 136.0]])).summary_frame(alpha=0.05)
    projection = data["projection"]
    assert projection["score"] == pytest.approx(frame["mean"][0], abs=0.005)
    assert projection["confidence_interval"] == pytest.approx(
        [frame["mean_ci_lower"][0], frame["mean_ci_upper"][0]], abs=0.005
    )
    assert projection["prediction_interval"] == pytest.approx(
        [frame["obs_ci_lower"][0], frame["obs_ci_upper"][0]], abs=0.005
    )
    assert data["slope_per_week"] == pytest.approx(fit.params[1] * 7, abs=0.0005)


def test_calibrate_rule_judges_the_rule_on_corrected_scores(capsys, example_log):
    data = verdict_json(capsys, example_log, "--calibrate-rule")
    # Corrected, the last three are 239, 244 - 5 = 239, 242: two below 240.
    assert data["recent_scores"] == [239, 239, 242]
    assert (
        data["recent_entries"][1]["score"] == 239
        and data["recent_entries"][1]["raw"] == 244
    )


def test_recency_weighting_reaches_the_model(capsys, example_log):
    # A half-life of 14 days: the prior's line through mostly the latest scores projects
    # 252.37 (forms weighted as in the default).
    recent = verdict_json(capsys, example_log, "--recency-half-life", "14")
    expected = _prior_line_at_the_exam(
        EXAMPLE_CORRECTED, half_life=14.0, form_weights=EXAMPLE_FORM_WEIGHTS
    )
    assert recent["projection"]["score"] == pytest.approx(expected, abs=0.005)
    assert recent["projection"]["score"] == pytest.approx(252.37, abs=0.005)
    # "none" turns the weighting off again: the default's 252.22.
    back = verdict_json(capsys, example_log, "--recency-half-life", "none")
    assert back["projection"]["score"] == pytest.approx(
        _prior_line_at_the_exam(EXAMPLE_CORRECTED, form_weights=EXAMPLE_FORM_WEIGHTS),
        abs=0.005,
    )


SLOW_CLIMB = HEADER + (
    "2026-11-05,NBME 12,220,\n2026-11-12,NBME 13,222,\n"
    "2026-11-19,NBME 14,221,\n2026-11-26,NBME 15,223,\n"
)


@pytest.mark.parametrize(
    ("longest", "first_line"),
    [
        # Least squares through days 0, 7, 14, 21 and 220, 222, 221, 223: mean day 10.5,
        # mean 221.5, Sxy = 28, Sxx = 245, slope 0.11429 a day (+0.8 a week). 240 is
        # 18.5 / 0.11429 = 161.9 days past day 10.5: day 172.4, reached on day 173,
        # 152 days after today (day 21): 2026-11-26 + 152 = 2027-04-27 (5 + 31 + 31 +
        # 28 + 31 + 26). The evidence (3 scores at 7 days: 12-17) comes sooner.
        (None, "DELAY  move the exam from 2027-01-15 to about 2027-04-27"),
        ("152", "DELAY  move the exam from 2027-01-15 to about 2027-04-27"),
        # One day short of the climb: waiting alone is not enough.
        ("151", "DELAY  move the exam from 2027-01-15; no date yet: change how you study"),
    ],
)
def test_the_longest_delay_bounds_a_slow_climb(capsys, log_path, longest, first_line):
    log_path.write_text(SLOW_CLIMB)
    flags = ["--model", "ols"] + (["--longest-delay", longest] if longest else [])
    code, out, _ = run(capsys, *verdict_argv(log_path), *flags)
    assert code == 0
    assert out.splitlines()[0] == first_line
    if longest == "151":
        assert (
            "  [ ] No date to suggest: at +0.8 points a week the trend reaches 240 only on "
            "2027-04-27, more than 151 days away. Waiting alone is not enough: change how "
            "you study, then reassess."
        ) in out.splitlines()


# --- at the threshold, one point under, and the default pace -----------------------------

# Weekly scores, the last on 2026-11-24 (2 days before TODAY): x = 0, 7, 14, 21, 28 days
# since 2026-10-27; the exam on 2026-12-10 is x = 44. Least squares by hand: x̄ = 14,
# Sxx = 49·10 = 490, Sxy = 7·(−2·232 − 236 + 0 + 240 + 2·240) = 140 (the middle score has
# weight 0, so 239 or 240 there gives the same slope), b = 140/490 = 2/7 a day.
WEEKLY_DAYS = ("2026-10-27", "2026-11-03", "2026-11-10", "2026-11-17", "2026-11-24")


def _weekly_log(log_path, scores) -> None:
    log_path.write_text(
        HEADER
        + "".join(
            f"{day},NBME {n},{score},\n"
            for n, (day, score) in enumerate(zip(WEEKLY_DAYS, scores, strict=True), 9)
        )
    )


def _ols_at_the_exam(scores) -> float:
    """statsmodels' projection for the exam day, x = 44."""
    fit = sm.OLS(np.array(scores, float), sm.add_constant(np.arange(5) * 7.0)).fit()
    return float(fit.get_prediction(np.array([[1.0, 44.0]])).predicted_mean[0])


AT_THE_THRESHOLD = [
    # 240, 240, 240: each is 240+. ȳ = 237.6; at the exam 237.6 + 30·2/7 = 246.17.
    pytest.param(
        (232, 236, 240, 240, 240),
        "TAKE NOW  sit as planned on 2026-12-10 (in 14 days)",
        "Consistent: the last 3 scores (240, 240, 240) are all 240 or higher.",
        {"verdict": "take_now", "consistent": True, "ready_by": None},
        246.17,
        id="the last three exactly at 240",
    ),
    # 239 is one point under: the run of 240+ at the end is 2, one more is missing.
    # Exam 12-10: the final weeks began 11-19, the last practice was 11-24, so the
    # forms meant for them may come from 11-27, 3 days apart, to 12-07: NBME 15 on
    # 11-27 is the next score. ȳ = 237.4: the line reaches 240 at x = 14 + 2.6·7/2 =
    # 23.1, before today (x = 30). Ready by 11-27.
    pytest.param(
        (232, 236, 239, 240, 240),
        "ON TRACK  keep 2026-12-10 (in 14 days); ready by 2026-11-27 at the earliest",
        "Not yet consistent: the last 3 scores must all be 240+; 239 is below "
        "(last: 239, 240, 240).",
        {"verdict": "on_track", "consistent": False, "ready_by": "2026-11-27"},
        245.97,
        id="one of them a point under",
    ),
]


@pytest.mark.parametrize(
    ("scores", "first", "rule", "fields", "projected"), AT_THE_THRESHOLD
)
def test_a_score_exactly_at_the_threshold_counts(
    capsys, log_path, scores, first, rule, fields, projected
):
    _weekly_log(log_path, scores)
    flags = ("--model", "ols", "--no-calibration")
    code, out, err = run(capsys, *verdict_argv(log_path, "2026-12-10"), *flags)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == first
    data = verdict_json(capsys, log_path, *flags, exam_date="2026-12-10")
    assert data["recent_scores"] == list(scores[2:])
    assert {key: data[key] for key in fields} == fields
    assert data["suggested_date"] is None
    assert data["reasons"][0] == rule
    assert data["projection"]["score"] == pytest.approx(projected, abs=0.005)
    assert data["projection"]["score"] == pytest.approx(_ols_at_the_exam(scores), abs=0.005)


def test_the_default_pace_sets_the_day_when_none_can_be_measured(capsys, log_path):
    # Three scores today, 2026-11-26: no gap, so no pace of the student's own and no
    # trend. 236 is under 240: one more 240+ is missing. Exam 2027-01-25, its final
    # weeks from 01-04: the next practice exam comes at the default pace, 11-26 + 7 =
    # 12-03 (the first form planned, NBME 9, has its usual time behind it and goes on
    # the first day it can; the nine forms left all fit in the 60 days). The mean of
    # the three, 240, stands in for the trend.
    log_path.write_text(
        HEADER + "2026-11-26,NBME 12,236,\n2026-11-26,NBME 13,241,\n"
        "2026-11-26,NBME 14,243,\n"
    )
    code, out, err = run(capsys, *verdict_argv(log_path, "2027-01-25"))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (
        "ON TRACK  keep 2027-01-25 (in 60 days); ready by 2026-12-03 at the earliest"
    )
    data = verdict_json(capsys, log_path, exam_date="2027-01-25")
    assert (data["verdict"], data["ready_by"]) == ("on_track", "2026-12-03")
    [readiness] = [text for text in data["reasons"] if text.startswith("On track")]
    assert readiness == (
        "On track: keep 2027-01-25 if one more score of 240+ comes in by 2026-12-03 "
        "(NBME 9 on 2026-12-03, at a default pace of one every 7 days until yours can "
        "be measured). No trend could be checked (all scores are from one day; a trend "
        "needs scores from different days). Ready by 2026-12-03 at the earliest."
    )
