"""The command: exact output and error lines, exit codes, and the log left intact."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data" / "example_scores.csv"
TODAY = "2026-11-26"
HEADER = "date,assessment,score,notes\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def example_log(tmp_path):
    path = tmp_path / "scores.csv"
    shutil.copy(EXAMPLE, path)
    return path


def test_log_list_verdict_on_a_new_log(capsys, log_path):
    for day, name, score in [
        ("2026-11-01", "NBME 12", 236),
        ("2026-11-10", "UWSA 1", 243),
        ("2026-11-20", "NBME 13", 245),
    ]:
        code, out, err = run(
            capsys,
            "log",
            "--log",
            str(log_path),
            "--today",
            TODAY,
            "--date",
            day,
            "--assessment",
            name,
            "--score",
            str(score),
        )
        assert code == 0 and err == ""
        assert out.startswith(f"Logged {day} {name}: {score} to {log_path}")
    assert log_path.read_text() == HEADER + (
        "2026-11-01,NBME 12,236,\n2026-11-10,UWSA 1,243,\n2026-11-20,NBME 13,245,\n"
    )

    code, out, _ = run(capsys, "list", "--log", str(log_path), "--today", TODAY)
    assert code == 0
    assert out.splitlines() == [
        "  #  date        assessment  score  notes",
        "  1  2026-11-01  NBME 12       236",
        "  2  2026-11-10  UWSA 1        243",
        "  3  2026-11-20  NBME 13       245",
        f"3 results in {log_path}",
    ]

    code, out, _ = run(
        capsys,
        "verdict",
        "--log",
        str(log_path),
        "--today",
        TODAY,
        "--exam-date",
        "2026-12-10",
    )
    assert code == 0
    assert (
        out.splitlines()[0]
        == "DELAY until 2026-12-06  (exam planned for 2026-12-10, in 14 days)"
    )


def test_log_defaults_to_today(capsys, log_path):
    code, _, _ = run(
        capsys,
        "log",
        "--log",
        str(log_path),
        "--today",
        TODAY,
        "--assessment",
        "UWSA 2",
        "--score",
        "244",
        "--notes",
        "calm",
    )
    assert code == 0
    assert log_path.read_text() == HEADER + "2026-11-26,UWSA 2,244,calm\n"


def test_list_on_an_empty_log_says_how_to_start(capsys, log_path):
    code, out, _ = run(capsys, "list", "--log", str(log_path))
    assert code == 0
    assert out == (
        f"No results in {log_path} yet. Add one with:\n"
        '  tracker log --assessment "NBME 13" --score 231\n'
    )


def verdict_argv(log_path) -> list[str]:
    """``tracker verdict`` on a log, exam on 2027-01-15, as of TODAY."""
    return [
        "verdict",
        "--log",
        str(log_path),
        "--today",
        TODAY,
        "--exam-date",
        "2027-01-15",
    ]


def verdict_json(capsys, log_path, *flags: str) -> dict:
    """``tracker verdict --json`` on a log, exam on 2027-01-15, as of TODAY."""
    code, out, err = run(capsys, *verdict_argv(log_path), "--json", *flags)
    assert code == 0, err
    return json.loads(out)


def test_verdict_json_on_the_example(capsys, example_log):
    data = verdict_json(capsys, example_log)
    assert data["verdict"] == "delay" and data["n_scores"] == 9
    assert data["recent_scores"] == [239, 244, 242] and data["consistent"] is False
    assert data["policy"]["threshold"] == 240


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
    assert data["policy"] == {
        "threshold": 235,
        "window": 2,
        "target": 250,
        "passing": 214,
        "level": 0.8,
    }
    assert data["verdict"] == "take_now" and data["eras_date"] == "2027-06-01"


def test_trackers_log_variable_is_the_default(capsys, example_log, monkeypatch):
    monkeypatch.setenv("TRACKER_LOG", str(example_log))
    code, out, _ = run(capsys, "list", "--today", TODAY)
    assert code == 0 and out.splitlines()[-1] == f"9 results in {example_log}"


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
    ("argv", "message"),
    [
        (["--score", "999"], "score 999 is outside 1–300"),
        (["--score", "abc"], "score 'abc' is not a whole number"),
        (["--score", "240.5"], "score '240.5' is not a whole number"),
        (
            ["--score", "231", "--date", "2026-11-27"],
            "date 2026-11-27 is after today (2026-11-26)",
        ),
        (
            ["--score", "231", "--date", "27/11/2026"],
            "date '27/11/2026' is not a date in YYYY-MM-DD form",
        ),
        (["--score", "231", "--assessment", " "], "assessment is empty"),
    ],
)
def test_log_rejects_bad_input_and_leaves_the_file(capsys, example_log, argv, message):
    before = example_log.read_bytes()
    args = ["log", "--log", str(example_log), "--today", TODAY, "--assessment", "NBME 16"]
    code, out, err = run(capsys, *args, *argv)
    assert (code, out, err) == (2, "", f"tracker: error: {message}\n")
    assert example_log.read_bytes() == before


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["verdict", "--exam-date", "2027-01-15"],
        ["log", "--assessment", "NBME 16", "--score", "240"],
    ],
)
def test_a_broken_log_is_reported_and_never_rewritten(capsys, log_path, command):
    log_path.write_text(HEADER + "2026-10-01,NBME 12,231,\n2026-10-08,NBME 13,999,\n")
    original = log_path.read_bytes()
    code, out, err = run(
        capsys, command[0], "--log", str(log_path), "--today", TODAY, *command[1:]
    )
    assert code == 2 and out == ""
    assert err == f"tracker: error: {log_path} line 3: score 999 is outside 1–300\n"
    assert log_path.read_bytes() == original


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--threshold", "400"], "threshold 400 is outside the score scale 1–300"),
        (["--target", "-1"], "target -1 is outside the score scale 1–300"),
        (["--window", "0"], "window 0 must be at least 1"),
        (["--level", "1.5"], "level 1.5 must lie strictly between 0 and 1"),
        (
            ["--exam-date", "2026-11-01"],
            "exam date 2026-11-01 is before the last assessment (2026-11-21)",
        ),
        (
            ["--exam-date", "2026-11-25"],
            "exam date 2026-11-25 is before today (2026-11-26)",
        ),
        (
            ["--eras-date", "2026-06-01"],
            "ERAS date 2026-06-01 is before today (2026-11-26)",
        ),
        (["--target", "999"], "target 999 is outside the score scale 1–300"),
        (["--window", "-3"], "window -3 must be at least 1"),
        (["--level", "0"], "level 0.0 must lie strictly between 0 and 1"),
        (
            ["--window", "abc"],
            "argument --window: invalid int value: 'abc' (see 'tracker verdict --help')",
        ),
        (
            ["--today", "2026-02-30"],
            "argument --today: date 2026-02-30 does not exist in the calendar "
            "(see 'tracker verdict --help')",
        ),
        (
            ["--eras-date", "June"],
            "argument --eras-date: date 'June' is not a date in YYYY-MM-DD form "
            "(see 'tracker verdict --help')",
        ),
        (
            ["--threshold", "abc"],
            "argument --threshold: invalid int value: 'abc' (see 'tracker verdict --help')",
        ),
        (
            ["--level", "high"],
            "argument --level: invalid float value: 'high' (see 'tracker verdict --help')",
        ),
        (
            ["--exam-date", "next week"],
            "argument --exam-date: date 'next week' is not a date in YYYY-MM-DD form "
            "(see 'tracker verdict --help')",
        ),
    ],
)
def test_verdict_rejects_bad_flags_with_one_line(capsys, example_log, flags, message):
    code, out, err = run(capsys, *verdict_argv(example_log), *flags)
    assert (code, out, err) == (2, "", f"tracker: error: {message}\n")


def test_usage_errors_are_one_line(capsys):
    assert main(["verdict"]) == 2
    assert capsys.readouterr().err == (
        "tracker: error: the following arguments are required: --exam-date "
        "(see 'tracker verdict --help')\n"
    )


def test_help_for_every_command(capsys):
    for command in ("log", "list", "verdict", "plot"):
        assert main([command, "--help"]) == 0
        assert f"usage: tracker {command}" in capsys.readouterr().out


def _installed_tracker() -> str:
    script = Path(sys.executable).parent / "tracker"
    if not script.exists():
        pytest.fail(f"the tracker command is not installed beside {sys.executable}")
    return str(script)


def test_installed_command_runs_and_errors_without_traceback(example_log):
    tracker = _installed_tracker()
    env = {**os.environ, "TRACKER_LOG": str(example_log)}
    ok = subprocess.run(
        [tracker, "verdict", "--exam-date", "2027-03-15", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["n_scores"] == 9

    before = example_log.read_bytes()
    bad = subprocess.run(
        [tracker, "log", "--assessment", "NBME 16", "--score", "999"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr == "tracker: error: score 999 is outside 1–300\n"
    assert "Traceback" not in bad.stderr and example_log.read_bytes() == before


def test_a_directory_as_the_log_is_one_line(capsys, tmp_path):
    code, out, err = run(capsys, "list", "--log", str(tmp_path))
    expected = f"tracker: error: {tmp_path}: is a directory, not a CSV file\n"
    assert (code, out, err) == (2, "", expected)


@pytest.mark.parametrize(
    ("out_name", "message"),
    [
        ("missing/chart.png", "No such file or directory"),
        ("chart.xyz", "Format 'xyz' is not supported"),
    ],
)
def test_plot_to_a_bad_place_is_one_line(capsys, example_log, tmp_path, out_name, message):
    out_file = tmp_path / out_name
    code, out, err = plot(capsys, example_log, out_file)
    assert code == 2 and out == ""
    assert err.startswith(f"tracker: error: cannot save the chart to {out_file}: {message}")
    assert err.count("\n") == 1


def test_model_and_calibration_flags(capsys, example_log):
    default = verdict_json(capsys, example_log)
    assert default["model"] == "bayes" and default["calibrated"] is True
    plain = verdict_json(capsys, example_log, "--model", "ols", "--no-calibration")
    assert plain["model"] == "ols" and plain["calibrated"] is False
    assert plain["projection"]["score"] != default["projection"]["score"]
    no_prior = verdict_json(capsys, example_log, "--prior-weight", "0", "--no-calibration")
    # With no prior the model's line is the least-squares one (its bands differ: the
    # noise guess still counts), so the projected score is the same.
    assert no_prior["projection"]["score"] == pytest.approx(plain["projection"]["score"])


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--model", "spline"], "argument --model: invalid choice: 'spline'"),
        (
            ["--prior-weight", "-1"],
            "the learning-rate prior needs weight ≥ 0 and positive SDs",
        ),
    ],
)
def test_bad_model_flags(capsys, example_log, flags, message):
    code, out, err = run(capsys, *verdict_argv(example_log), *flags)
    # argparse words its choices differently across Python versions: check the start.
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert err.startswith(f"tracker: error: {message}")


def test_a_broken_catalog_is_one_line(capsys, example_log, tmp_path):
    catalog = tmp_path / "forms.csv"
    catalog.write_text(
        "name,family,scale,offset,uncertainty,source\nUWSA 1,UWSA,x,big,3,y\n"
    )
    expected = f"tracker: error: {catalog} line 2: offset 'big' is not a number\n"
    assert run(capsys, *verdict_argv(example_log), "--catalog", str(catalog)) == (
        2,
        "",
        expected,
    )


def test_forms_lists_the_catalog(capsys, example_log):
    code, out, _ = run(capsys, "forms", "--log", str(example_log))
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["form", "offset", "±", "source"]
    assert any(line.startswith("UWSA 1") and " -8 " in line for line in lines)
    assert lines[-2].startswith("11 forms in ")


def test_recency_weighting_reaches_the_model(capsys, example_log):
    plain = verdict_json(capsys, example_log)
    recent = verdict_json(capsys, example_log, "--recency-half-life", "14")
    assert recent["projection"]["score"] != plain["projection"]["score"]
    expected = "tracker: error: recency half-life 0.0 days must be positive\n"
    assert run(capsys, *verdict_argv(example_log), "--recency-half-life", "0") == (
        2,
        "",
        expected,
    )


def test_without_any_catalog_scores_are_used_as_they_are(capsys, example_log, monkeypatch):
    from tracker import calibration

    monkeypatch.setattr(calibration, "SHIPPED_CATALOG", example_log.with_name("none.csv"))
    assert verdict_json(capsys, example_log)["calibrated"] is False
    code, _, err = run(capsys, "forms", "--log", str(example_log))
    assert code == 2 and err == "tracker: error: no catalog of forms: pass --catalog PATH\n"
