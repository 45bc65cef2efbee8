"""``tracker set`` remembers settings; ``tracker settings`` shows them and their source."""

from __future__ import annotations

import json

import pytest

from conftest import TODAY
from conftest import run_cli as run

HEADER = "date,assessment,score,notes\n"
STEP2_LOG = HEADER + (
    "2026-10-20,NBME 12,236,\n2026-11-01,NBME 13,242,\n2026-11-12,NBME 14,244,\n"
    "2026-11-21,NBME 15,246,\n"
)
COMLEX_LOG = HEADER + (
    "2026-10-20,COMSAE Phase 2,480,\n2026-11-01,COMSAE Phase 2,500,\n"
    "2026-11-12,COMSAE Phase 2,520,\n"
)


def _set(capsys, log_path, *flags: str) -> tuple[int, str, str]:
    return run(capsys, "set", "--log", str(log_path), "--today", str(TODAY), *flags)


def test_set_once_then_verdict_without_flags(capsys, log_path):
    log_path.write_text(STEP2_LOG)
    code, out, err = _set(capsys, log_path, "--exam-date", "2027-01-15")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "  exam date: 2027-01-15 (was not set yet)",
        f"Saved in {log_path.with_name('settings.json')}: every command and the "
        "dashboard use it from now on ('tracker settings' shows them all).",
    ]
    code, out, err = run(capsys, "verdict", "--log", str(log_path), "--today", str(TODAY))
    assert code == 0, err
    # The last three (242, 244, 246) are 240+: the verdict is about the date set once.
    assert out.startswith("TAKE NOW  sit as planned on 2027-01-15 (in 50 days)")


def test_set_once_for_comlex_holds_for_every_command(capsys, log_path):
    log_path.write_text(COMLEX_LOG)
    code, _, err = _set(
        capsys, log_path, "--exam", "comlex-2ce", "--exam-date", "2027-02-01"
    )
    assert (code, err) == (0, "")
    argv = ["--log", str(log_path), "--today", str(TODAY)]
    code, out, err = run(capsys, "verdict", *argv, "--json")
    assert code == 0, err
    verdict = json.loads(out)
    assert verdict["exam"] == "comlex-2ce" and verdict["exam_date"] == "2027-02-01"
    assert verdict["policy"]["threshold"] == 480  # COMLEX's own, not Step 2 CK's 240
    # `log` takes the exam from the file too: a COMSAE score is read on its scale.
    code, out, err = run(
        capsys, "log", *argv, "--assessment", "COMSAE Phase 2", "--score", "530"
    )
    assert (code, err) == (0, "")
    code, out, _ = run(capsys, "list", *argv)
    assert "COMSAE Phase 2" in out and "530" in out


def test_each_exam_keeps_its_own_date_and_threshold(capsys, log_path):
    log_path.write_text(STEP2_LOG)
    _set(capsys, log_path, "--exam-date", "2027-01-15", "--threshold", "245")
    _set(capsys, log_path, "--exam", "comlex-2ce", "--exam-date", "2027-03-01")
    code, out, _ = run(capsys, "settings", "--log", str(log_path), "--json")
    assert code == 0
    shown = json.loads(out)["settings"]
    assert shown["exam"] == {"value": "comlex-2ce", "source": "file"}
    assert shown["exam_date"] == {"value": "2027-03-01", "source": "file"}
    assert shown["threshold"] == {"value": None, "source": "default"}
    # Back to Step 2 CK with a flag: its own date and threshold, from the file.
    argv = ["settings", "--log", str(log_path), "--exam", "step2-ck", "--json"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    shown = json.loads(out)["settings"]
    assert shown["exam"] == {"value": "step2-ck", "source": "flag"}
    assert shown["exam_date"] == {"value": "2027-01-15", "source": "file"}
    assert shown["threshold"] == {"value": 245, "source": "file"}


def test_settings_says_where_each_value_comes_from(capsys, log_path):
    _set(capsys, log_path, "--exam-date", "2027-01-15", "--window", "4")
    code, out, err = run(capsys, "settings", "--log", str(log_path), "--level", "0.9")
    assert (code, err) == (0, "")
    lines = {line.split()[0]: line.split() for line in out.splitlines()[2:-1]}
    assert lines["exam-date"][1:] == ["2027-01-15", "file"]
    assert lines["window"][1:] == ["4", "file"]
    assert lines["level"][1:] == ["0.9", "flag"]
    assert lines["model"][1:] == ["bayes", "default"]
    # An unset threshold shows the exam's own value and says so.
    assert " ".join(lines["threshold"][1:]) == "240, the exam's own default"


def test_none_puts_a_setting_back_to_its_default(capsys, log_path):
    _set(capsys, log_path, "--target", "250")
    code, out, _ = _set(capsys, log_path, "--target", "none")
    assert code == 0
    assert out.splitlines()[0] == "  target: 245, the exam's own (was 250)"
    assert json.loads(log_path.with_name("settings.json").read_text()) == {
        "exam": "step2-ck"
    }


# (case, flags, the message after "tracker: error: ")
BAD_SETS = [
    (
        "nothing given",
        [],
        "nothing to set: give a setting, such as --exam-date YYYY-MM-DD ('tracker set "
        "--help' lists them)",
    ),
    (
        "a COMLEX threshold for Step 2 CK",
        ["--threshold", "480"],
        "threshold 480 is outside the Step 2 CK scale 1–300",
    ),
    (
        "an exam date before today",
        ["--exam-date", "2026-11-25"],
        "exam date 2026-11-25 is before today (2026-11-26); nothing was saved",
    ),
    (
        "an ERAS date before today",
        ["--eras-date", "2026-11-01"],
        "ERAS date 2026-11-01 is before today (2026-11-26); nothing was saved",
    ),
    ("an unknown exam", ["--exam", "step3"], None),
    ("NaN", ["--level", "nan"], None),
    ("infinity", ["--prior-weight", "inf"], None),
    ("Arabic-Indic digits", ["--window", "٤"], None),
    ("a far date", ["--eras-date", "9999-12-31"], None),
]


@pytest.mark.parametrize(
    ("flags", "message"), [c[1:] for c in BAD_SETS], ids=[c[0] for c in BAD_SETS]
)
def test_bad_values_to_set_leave_settings_json_unchanged(capsys, log_path, flags, message):
    settings = log_path.with_name("settings.json")
    original = '{"exam": "step2-ck", "window": 4}\n'
    settings.write_text(original)
    code, out, err = _set(capsys, log_path, *flags)
    assert code == 2 and out == ""
    assert err.startswith("tracker: error: ") and err.count("\n") == 1
    if message is not None:
        assert err == f"tracker: error: {message}\n"
    assert settings.read_text() == original


def test_a_broken_settings_file_is_not_overwritten_by_set(capsys, log_path):
    settings = log_path.with_name("settings.json")
    settings.write_text('{"window": "three"}')
    code, _, err = _set(capsys, log_path, "--exam-date", "2027-01-15")
    assert code == 2
    assert err == f"tracker: error: {settings}: window 'three' is not a number\n"
    assert settings.read_text() == '{"window": "three"}'
