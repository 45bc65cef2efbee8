"""The applicant profile through the command: flags on every planning command, bad
values refused in one line with nothing written, settings.json, and schema 3."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.errors import SettingsError
from tracker.settings import SETTINGS_BY_NAME, load_settings

from conftest import run_cli as run

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "example_scores.csv"
TODAY = "2026-11-26"
IMG_FLAGS = ("--specialty", "ir", "--applicant", "non-us-img", "--visa", "--step1", "pass")


@pytest.fixture
def example_log(tmp_path):
    path = tmp_path / "scores.csv"
    shutil.copy(EXAMPLE, path)
    return path


def verdict_json(capsys, log, *flags):
    code, out, err = run(
        capsys, "verdict", "--json", "--log", str(log), "--today", TODAY,
        "--exam-date", "2027-01-15", *flags,
    )  # fmt: skip
    assert (code, err) == (0, "")
    return json.loads(out, parse_constant=lambda name: pytest.fail(name))


# --- every planning command takes the profile -----------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("verdict",),
        ("plan",),
        ("plot", "--out", "{tmp}/chart.png"),
        ("calendar", "--out", "{tmp}/plan.ics"),
    ],
)
def test_every_planning_command_takes_the_profile(capsys, example_log, tmp_path, command):
    argv = [part.format(tmp=tmp_path) for part in command]
    code, _, err = run(
        capsys, *argv, "--log", str(example_log), "--today", TODAY,
        "--exam-date", "2027-01-15", *IMG_FLAGS,
    )  # fmt: skip
    assert (code, err) == (0, "")


def test_cohort_takes_the_profile(capsys, tmp_path):
    shutil.copy(EXAMPLE, tmp_path / "amira.csv")
    code, out, err = run(
        capsys, "cohort", str(tmp_path), "--today", TODAY, "--exam-date", "2027-01-15",
        "--specialty", "dr", "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert json.loads(out)


# --- bad values: one line, exit 2, nothing written --------------------------------------


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--specialty", "cardiology"),
         "argument --specialty: specialty 'cardiology' is not one of ir, dr, other"),
        (("--applicant", "martian"),
         "argument --applicant: applicant 'martian' is not one of us-md, us-do, us-img, "
         "non-us-img"),
        (("--step1", "great"),
         "argument --step1: step1 'great' is not pass, fail or a whole number 1 to 300 "
         "in ASCII digits"),
        (("--step1", "301"), "argument --step1: step1 301 is outside 1 to 300"),
        (("--step1", "NaN"),
         "argument --step1: step1 'NaN' is not pass, fail or a whole number 1 to 300 in "
         "ASCII digits"),
        (("--step1", "٢٣١"),
         "argument --step1: step1 '٢٣١' is not pass, fail or a whole number 1 to 300 in "
         "ASCII digits"),
        (("--step1", "1" * 50),
         "argument --step1: step1 '111111111111'… is far outside its range"),
        (("--specialty-name", "Onco\x1b[31mlogy"),
         "argument --specialty-name: specialty_name 'Onco\\x1b[31mlogy' holds a control "
         "character"),
        (("--specialty-name", "x" * 61),
         "argument --specialty-name: specialty_name is longer than 60 characters"),
        (("--visa", "yes"), "unrecognized arguments: yes"),
    ],
)  # fmt: skip
def test_a_bad_profile_value_is_one_line_and_exit_2(capsys, example_log, tmp_path, flags,
                                                    message):  # fmt: skip
    before = example_log.read_bytes()
    for command in (("verdict",), ("calendar", "--out", str(tmp_path / "plan.ics"))):
        code, out, err = run(
            capsys, *command, "--log", str(example_log), "--today", TODAY,
            "--exam-date", "2027-01-15", *flags,
        )  # fmt: skip
        assert (code, out) == (2, "")
        assert err.count("\n") == 1 and err.startswith("tracker: error: ")
        assert message in err
    assert example_log.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.csv"]  # no file made


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ({"specialty": "cardiology"}, "specialty 'cardiology' is not one of ir, dr, other"),
        ({"applicant": 3}, "applicant 3 is not one of us-md, us-do, us-img, non-us-img"),
        ({"visa": "yes"}, "visa 'yes' is not true or false"),
        ({"step1": "Pass"}, "step1 'Pass' is not pass, fail or a whole number 1 to 300"),
        ({"step1": 231.5}, "step1 231.5 is not a whole number"),
        ({"step1": True}, "step1 True is not pass, fail or a whole number 1 to 300"),
        ({"step1": 0}, "step1 0 is outside 1 to 300"),
        ({"specialty_name": ["a"]}, "specialty_name ['a'] is not text"),
        ({"specialty_name": "  "}, "specialty_name is empty"),
    ],
)
def test_a_bad_profile_value_in_settings_json_names_the_file(
    capsys, example_log, content, problem
):
    path = example_log.with_name("settings.json")
    text = json.dumps(content)
    path.write_text(text)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value) == f"{path}: {problem}"
    # The command warns in one line, goes on with the defaults, and leaves the file.
    code, _, err = run(
        capsys, "verdict", "--log", str(example_log), "--today", TODAY,
        "--exam-date", "2027-01-15",
    )  # fmt: skip
    assert code == 0
    assert err == f"tracker: warning: {path}: {problem}; using the defaults\n"
    assert path.read_text() == text


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(max_size=12))
def test_any_step1_text_is_taken_or_refused_in_words(text):
    setting = SETTINGS_BY_NAME["step1"]
    try:
        value = setting.parse_text(text)
    except SettingsError as error:
        assert str(error).startswith("step1 ") and "\n" not in str(error)
        return
    assert value is None or value in ("pass", "fail") or 1 <= value <= 300
    assert setting.check(value) == value
    assert setting.from_json(setting.to_json(value)) == value


@given(value=st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text()))
def test_any_json_profile_value_is_taken_or_refused_in_words(value):
    for name in ("specialty", "specialty_name", "applicant", "visa", "step1"):
        setting = SETTINGS_BY_NAME[name]
        try:
            taken = setting.from_json(value)
        except SettingsError as error:
            assert str(error).startswith(f"{name} ")
            continue
        assert setting.check(taken) == taken
        json.dumps(setting.to_json(taken), allow_nan=False)


# --- schema 3 -----------------------------------------------------------------------------

SCHEMA_2_KEYS = {
    "schema_version", "verdict", "headline", "exam", "exam_date", "today", "n_scores",
    "policy", "recent_scores", "recent_entries", "consistent", "projection",
    "slope_per_week", "decisive_score", "suggested_date", "ready_by", "decide_by",
    "eligibility_end", "eras_date", "score_release_date", "eras", "result", "reasons",
    "warnings", "model", "calibrated", "uncalibrated",
}  # fmt: skip
SCHEMA_3_ADDED = {
    "profile", "standing", "eras_window", "sources",
    "needed_scores", "forms_left", "short_by_calendar",  # the plan the verdict counts on
    "qbank",  # the Q-bank's progress, reported beside the verdict (null without it)
}  # fmt: skip


def test_schema_3_keeps_every_key_of_2_and_adds_the_profile(capsys, example_log):
    data = verdict_json(capsys, example_log, *IMG_FLAGS, "--eras-date", "2027-06-01")
    assert data["schema_version"] == 3
    assert set(data) == SCHEMA_2_KEYS | SCHEMA_3_ADDED
    assert data["profile"] == {
        "specialty": "ir", "specialty_name": None, "applicant": "non-us-img",
        "visa": True, "step1": "pass",
    }  # fmt: skip
    policy = data["policy"]
    assert (policy["target"], policy["target_basis"]) == (250, "img_visa")
    assert "Residency Advisor" in policy["target_reason"]
    assert (policy["passing"], policy["passing_from"]) == (218, "2025-07-01")
    # p_target keeps its meaning: the chance of the target in force, now 250.
    assert data["projection"]["p_target"] < data["projection"]["p_threshold"]
    projected = data["projection"]["score"]
    assert data["standing"]["of"] == "projection"
    assert data["standing"]["score"] == projected
    low, high = data["projection"]["percentile_bounds"]
    assert low == high == data["projection"]["percentile"]
    # The window: 6 and 3 months before ERAS on 2027-06-01; 2027-01-15 is inside.
    assert data["eras_window"] == {
        "sitting": "2027-01-15", "eras_date": "2027-06-01",
        "window": ["2026-12-01", "2027-03-01"], "position": "inside",
    }  # fmt: skip
    assert data["sources"]["passing"]["holds_from"] == "2025-07-01"
    assert data["sources"]["percentiles"]["holds_from"] == "2026-07-01"


def test_without_a_profile_the_target_is_the_exams_and_says_so(capsys, example_log):
    data = verdict_json(capsys, example_log)
    assert data["profile"]["specialty"] is None
    assert (data["policy"]["target"], data["policy"]["target_basis"]) == (
        245, "exam_default",
    )  # fmt: skip
    assert data["policy"]["target_reason"].startswith(
        "Target 245: the exam's default, with no specialty set"
    )


@pytest.mark.parametrize(
    ("score", "step", "passed", "percentile"),
    [
        (252, "apply_this_cycle", True, 49.6),  # 44 + 14 × 2/5
        (240, "apply_with_broader_list", True, 23.0),
        (232, "consider_delaying_match_year", True, 11.4),  # 9 + 6 × 2/5
        (217, "retake", False, None),  # under the table: only "under the 9th"
    ],
)
def test_after_the_result_the_json_names_the_next_step(
    capsys, example_log, score, step, passed, percentile
):
    code, _, _ = run(
        capsys, "result", "--log", str(example_log), "--today", "2026-12-20",
        "--date", "2026-11-24", "--score", str(score),
    )  # fmt: skip
    assert code == 0
    code, out, _ = run(
        capsys, "verdict", "--json", "--log", str(example_log), "--today", "2026-12-20",
        "--eras-date", "2027-06-01", *IMG_FLAGS,
    )  # fmt: skip
    result = json.loads(out)["result"]
    assert (result["next_step"]["step"], result["passed"]) == (step, passed)
    assert result["percentile"] == percentile
    if percentile is None:
        assert result["percentile_bounds"] == [0.0, 9.0]
    if step == "retake":
        assert result["next_step"]["retake_rules"]["max_attempts"] == 4
        assert len(result["next_step"]["reasons"]) == 2


def test_tracker_facts_lists_every_figure_with_its_source(capsys):
    code, out, err = run(capsys, "facts")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "  step2-ck: 214 from 2022-07-01" in lines
    assert "  step2-ck: 218 from 2025-07-01" in lines
    assert any(line.startswith("  step2-ck, from 2026-07-01: 230→9, 235→15, 240→23")
               for line in lines)  # fmt: skip
    assert "  ir, us-md: 246, 255, 264; from 2026-03-20" in lines
    sources = [line for line in lines if line.startswith("    source: ")]
    figures = [line for line in lines if line.startswith("  ")]
    assert len(sources) * 2 == len(figures)  # every figure has its source line


def test_tracker_set_keeps_the_profile_and_refuses_a_bad_value(capsys, example_log):
    settings_file = example_log.with_name("settings.json")
    code, _, err = run(
        capsys, "set", "--log", str(example_log), "--today", TODAY, *IMG_FLAGS,
    )  # fmt: skip
    assert (code, err) == (0, "")
    before = settings_file.read_bytes()
    for flags in (("--step1", "great"), ("--applicant", "martian"), ("--visa", "maybe")):
        code, out, err = run(capsys, "set", "--log", str(example_log), *flags)
        assert (code, out) == (2, "") and err.count("\n") == 1
    assert settings_file.read_bytes() == before  # byte for byte
    # The verdict reads the profile from the file, with no flags.
    data = verdict_json(capsys, example_log)
    assert (data["policy"]["target"], data["policy"]["target_basis"]) == (250, "img_visa")
