"""``tracker area``, ``areas``, ``qbank``, ``--issue``, ``undo areas|qbank`` and the plan's
weekly review: exact output, and every bad input refused in one line with exit status
2 and every file left byte for byte as it was."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import EDGE_TEXT, dates_near, mostly, numbers

from tracker.cli import main

from conftest import TODAY
from conftest import run_cli as run

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
T = ["--today", "2026-11-26"]


@pytest.fixture
def folder(tmp_path) -> Path:
    """A student's folder: the example scores, score reports and Q-bank."""
    shutil.copy(DATA / "example_scores.csv", tmp_path / "scores.csv")
    shutil.copy(DATA / "example_areas.csv", tmp_path / "areas.csv")
    shutil.copy(DATA / "example_qbank.csv", tmp_path / "qbank.csv")
    return tmp_path


def tracker(capsys, folder: Path, *argv: str) -> tuple[int, str, str]:
    return run(capsys, *argv, "--log", str(folder / "scores.csv"), *T)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes; lock files (empty, left by filelock) aside."""
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix != ".lock"
    }


# --- area and areas -----------------------------------------------------------------------


def test_area_logs_a_line_and_areas_ranks_them(capsys, tmp_path):
    (tmp_path / "scores.csv").write_text("date,assessment,score,notes\n")
    code, out, err = tracker(
        capsys, tmp_path, "area", "--date", "2026-11-21", "--source", "NBME 15",
        "--area", "nephrology", "--band", "lower",
    )  # fmt: skip
    assert (code, err) == (0, "")
    areas = tmp_path / "areas.csv"
    assert out == (
        f"Logged 2026-11-21 NBME 15: Renal, Urinary & Male Reproductive lower to "
        f"{areas} (1 line in the area log).\n"
    )
    code, out, err = tracker(
        capsys, tmp_path, "area", "--date", "2026-11-21", "--source", "NBME 15",
        "--area", "Tropical medicine", "--band", "same",
    )  # fmt: skip
    assert code == 0
    assert err == (
        "tracker: warning: 'Tropical medicine' is not a Step 2 CK discipline or system "
        "the tracker knows, so it is kept as typed ('tracker areas --list' shows the "
        "names)\n"
    )
    code, out, err = tracker(capsys, tmp_path, "areas")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Weak areas, weakest first, by their latest report (1 report in {areas}):",
        "  area                                latest  report              since the "
        "previous",
        "  Renal, Urinary & Male Reproductive  lower   2026-11-21 NBME 15  first report",
        "  Tropical medicine                   same    2026-11-21 NBME 15  first report",
        "Weakest: Renal, Urinary & Male Reproductive.",
    ]


def test_areas_on_the_example_student(capsys, folder):
    code, out, err = tracker(capsys, folder, "areas")
    assert (code, err) == (0, "")
    # UWorld 11-20 against its overall that day, 62% (qbank.csv): 55 -7, 58 -4,
    # 60 -2, 64 +2, 66 +4, 71 +9. NBME 15 on 11-21 is the latest for five areas.
    assert out.splitlines() == [
        f"Weak areas, weakest first, by their latest report (4 reports in "
        f"{folder / 'areas.csv'}):",
        "  area                                latest  report              since the "
        "previous",
        "  Renal, Urinary & Male Reproductive  lower   2026-11-21 NBME 15  no change",
        "  Surgery                             lower   2026-11-21 NBME 15  same → lower",
        "  Cardiovascular System               same    2026-11-21 NBME 15  no change",
        "  Obstetrics & Gynecology             same    2026-11-21 NBME 15  no change",
        "  Pediatrics                          same    2026-11-21 NBME 15  no change",
        "  Psychiatry                          higher  2026-11-21 NBME 15  no change",
        "Weakest: Renal, Urinary & Male Reproductive; Surgery.",
    ]


def test_areas_json_and_the_tags(capsys, folder):
    scores = folder / "scores.csv"
    code, out, _ = tracker(
        capsys, folder, "log", "--assessment", "UWSA 3", "--score", "245",
        "--issue", "timing", "--issue", "careless",
    )  # fmt: skip
    assert code == 0
    assert out == (
        f"Logged 2026-11-26 UWSA 3: 245 [timing, careless] to {scores} (10 results in "
        "the log).\n"
    )
    code, out, err = tracker(capsys, folder, "areas", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["weakest"] == ["Renal, Urinary & Male Reproductive", "Surgery"]
    assert list(data) == [
        "areas", "weakest", "reports", "test_taking", "practice_exams", "warnings"
    ]  # fmt: skip
    surgery = data["areas"][1]
    assert surgery == {
        "area": "Surgery",
        "kind": "discipline",
        "latest": {
            "date": "2026-11-21", "source": "NBME 15", "percent": None, "band": "lower",
            "standing": "lower", "reference": None, "difference": None,
        },
        # UWorld on 11-20: 60% against its overall that day, 62%: -2, "same".
        "previous": {
            "date": "2026-11-20", "source": "UWorld", "percent": 60.0, "band": None,
            "standing": "same", "reference": 62.0, "difference": -2.0,
        },
        "change_steps": -2,
        "change_points": None,
        "reports": 4,
    }  # fmt: skip
    assert data["test_taking"] == [
        {"issue": "timing", "exams": 1, "recent": 1, "recent_of": 3,
         "first": "2026-11-26", "last": "2026-11-26"},
        {"issue": "careless", "exams": 1, "recent": 1, "recent_of": 3,
         "first": "2026-11-26", "last": "2026-11-26"},
    ]  # fmt: skip
    assert data["practice_exams"] == 10
    code, out, _ = tracker(capsys, folder, "areas")
    assert out.splitlines()[-1] == (
        "Test-taking problems tagged on practice exams: timing: 1 of 10 practice "
        "exams (1 of the last 3); careless: 1 of 10 practice exams (1 of the last 3)."
    )


def test_the_area_list_names_its_source(capsys, tmp_path):
    code, out, _ = run(capsys, "areas", "--list", "--log", str(tmp_path / "s.csv"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Medicine  [discipline]"
    assert lines[1] == "    also: Internal Medicine, IM, Med"
    assert any(
        line.startswith("source: USMLE, Step 2 CK Content Outline") for line in lines
    )
    assert lines[-1].startswith("22 areas in ")


def test_an_empty_area_log_says_how_to_start(capsys, tmp_path):
    code, out, _ = run(capsys, "areas", "--log", str(tmp_path / "scores.csv"), *T)
    assert code == 0
    assert out.splitlines() == [
        f"No areas in {tmp_path / 'areas.csv'} yet. Add one from a score report with:",
        '  tracker area --source "NBME 13" --area Cardiology --band lower',
    ]


# --- qbank --------------------------------------------------------------------------------


def test_qbank_logs_with_the_sourced_total_and_shows_the_pace(capsys, tmp_path):
    (tmp_path / "scores.csv").write_text("date,assessment,score,notes\n")
    qbank = tmp_path / "qbank.csv"
    code, out, err = tracker(
        capsys, tmp_path, "qbank", "--date", "2026-11-01", "--done", "400",
        "--correct", "58",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Total 3,900: the tracker's figure for UWorld (June 2026); give --total if your "
        "bank shows another number.",
        f"Logged 2026-11-01 UWorld: 400 of 3,900 questions, 58% correct to {qbank} (1 "
        "report in the Q-bank log).",
        "UWorld: 400 of 3,900 questions (10%), 58% correct. Log your progress on "
        "another day to see your pace and when the first pass ends. Q-bank numbers do "
        "not change the projection: no published study gives their weight for Step 2 "
        "CK.",
    ]
    code, out, _ = tracker(
        capsys, tmp_path, "qbank", "--date", "2026-11-21", "--done", "1000",
        "--total", "3900", "--correct", "60", "--exam-date", "2027-01-15",
    )  # fmt: skip
    # 600 in 20 days: 30 a day; 2,900 left: 96.7 → 97 days after 11-21: 2027-02-26.
    # Before the exam: 2,900 over the 54 days 11-22 to 01-14: 53.7 → 54 a day.
    assert out.splitlines()[-1] == (
        "UWorld: 1,000 of 3,900 questions (26%), 60% correct. At your pace of 30 "
        "questions a day the first pass ends about 2027-02-26, not before the exam "
        "(2027-01-15); finishing it before the exam takes 54 a day. Q-bank numbers do "
        "not change the projection: no published study gives their weight for Step 2 "
        "CK."
    )
    assert qbank.read_text() == (
        "date,bank,done,total,correct,notes\n"
        "2026-11-01,UWorld,400,3900,58,\n2026-11-21,UWorld,1000,3900,60,\n"
    )


def test_the_verdict_json_and_the_plan_name_the_study(capsys, folder):
    code, out, _ = tracker(capsys, folder, "verdict", "--exam-date", "2027-01-15", "--json")
    assert code == 0
    assert json.loads(out)["qbank"]["first_pass_by"] == "2027-01-12"
    code, out, _ = tracker(capsys, folder, "plan", "--exam-date", "2027-01-15")
    assert out.splitlines()[-1] == (
        "Each week, 1–2 hours on your weakest areas: Renal, Urinary & Male "
        "Reproductive; Surgery."
    )
    code, out, _ = tracker(capsys, folder, "plan", "--exam-date", "2027-01-15", "--json")
    assert json.loads(out)["weekly_review"] == {
        "hours": [1.0, 2.0],
        "areas": ["Renal, Urinary & Male Reproductive", "Surgery"],
    }


def test_a_cohort_folder_leaves_the_area_and_qbank_logs_out(capsys, folder):
    from tracker.cohort import find_logs

    found, skipped = find_logs([folder])
    assert [p.name for p in found] == ["scores.csv"] and skipped == []


# --- tags on the score log ----------------------------------------------------------------


def test_edit_replaces_or_clears_the_tags_and_undo_puts_them_back(capsys, folder):
    scores = folder / "scores.csv"
    code, out, _ = tracker(capsys, folder, "edit", "6", "--issue", "timing")
    assert code == 0
    assert out.splitlines()[0] == (
        "Changed entry 6 (2026-10-29 NBME 13): issues (none) → timing."
    )
    assert scores.read_text().splitlines()[0] == "date,assessment,score,notes,issues"
    code, out, _ = tracker(capsys, folder, "edit", "6", "--no-issues")
    assert (
        out.splitlines()[0]
        == "Changed entry 6 (2026-10-29 NBME 13): issues timing → (none)."
    )
    assert scores.read_bytes() == (DATA / "example_scores.csv").read_bytes()
    code, out, _ = tracker(capsys, folder, "undo")
    assert out.splitlines()[1] == "  entry 6 (2026-10-29 NBME 13): issues (none) → timing"
    code, out, _ = tracker(capsys, folder, "list")
    assert out.splitlines()[6] == (
        "  6  2026-10-29  NBME 13       236         [timing] timing problems in block 4"
    )


def test_undo_areas_and_qbank_swap_their_own_files(capsys, folder):
    areas, qbank = folder / "areas.csv", folder / "qbank.csv"
    before = snapshot(folder)
    tracker(
        capsys, folder, "area", "--source", "NBME 16", "--area", "GI", "--percent", "50"
    )
    tracker(capsys, folder, "qbank", "--done", "2500", "--correct", "62")
    code, out, _ = tracker(capsys, folder, "undo", "areas")
    assert (code, out) == (
        0,
        f"Put back {areas} as it was before the last change: 25 lines before, 24 lines "
        "now.\nThe undone version is kept as areas.csv.bak: 'tracker undo areas' again "
        "redoes it.\n",
    )
    code, out, _ = tracker(capsys, folder, "undo", "qbank")
    assert code == 0
    after = snapshot(folder)
    for name in ("areas.csv", "qbank.csv", "scores.csv"):
        assert after[name] == before[name]
    assert areas.with_name("areas.csv.bak").exists()
    assert qbank.with_name("qbank.csv.bak").exists()


# --- bad input: one line, exit 2, nothing changed ----------------------------------------

AREA = ["area", "--date", "2026-11-21", "--source", "NBME 15", "--area", "Renal"]
QBANK = ["qbank", "--date", "2026-11-25", "--correct", "63"]
BAD = [
    ("percent over 100", [*AREA, "--percent", "101"],
     "tracker: error: percent 101 is outside 0–100"),
    ("percent NaN", [*AREA, "--percent", "nan"],
     "tracker: error: percent 'nan' is not a number from 0 to 100 in ASCII digits"),
    ("percent infinity", [*AREA, "--percent=-inf"],
     "tracker: error: percent '-inf' is not a number from 0 to 100 in ASCII digits"),
    ("percent in other digits", [*AREA, "--percent", "٥٨"],
     "tracker: error: percent '٥٨' is not a number from 0 to 100 in ASCII digits"),
    ("unknown band", [*AREA, "--band", "lowest"],
     "tracker: error: unknown band 'lowest' (one of lower, borderline, same, higher)"),
    ("empty area", ["area", "--source", "NBME 15", "--area", " ", "--band", "lower"],
     "tracker: error: area is empty"),
    ("empty source", ["area", "--source", "", "--area", "Renal", "--band", "lower"],
     "tracker: error: source is empty"),
    ("area in the future", ["area", "--date", "2026-11-28", "--source", "NBME 16",
                            "--area", "Renal", "--band", "lower"],
     "tracker: error: date 2026-11-28 is after today (2026-11-26)"),
    ("area twice", [*AREA, "--band", "same"], None),
    ("percent and band", [*AREA, "--percent", "50", "--band", "lower"], None),
    ("neither", AREA, None),
    ("done over total", [*QBANK, "--done", "4000", "--total", "3900"],
     "tracker: error: done 4,000 is more than the total 3,900"),
    ("a total that shrinks", [*QBANK, "--done", "2400", "--total", "3800"],
     "tracker: error: total 3,800 is less than the 3,900 logged for UWorld on "
     "2026-11-20; a bank's size does not shrink (check the number); nothing was "
     "written"),
    ("correct NaN", ["qbank", "--done", "2400", "--correct", "NaN"],
     "tracker: error: % correct 'NaN' is not a number from 0 to 100 in ASCII digits"),
    ("correct infinity", ["qbank", "--done", "2400", "--correct", "inf"],
     "tracker: error: % correct 'inf' is not a number from 0 to 100 in ASCII digits"),
    ("correct over 100", ["qbank", "--done", "2400", "--correct", "100.1"],
     "tracker: error: % correct 100.1 is outside 0–100"),
    ("qbank in the future", ["qbank", "--date", "2027-01-01", "--done", "2400",
                             "--correct", "60"],
     "tracker: error: date 2027-01-01 is after today (2026-11-26)"),
    ("done without correct", ["qbank", "--done", "2400"],
     "tracker: error: give --done and --correct (and --total for a bank the tracker "
     "does not know)"),
    ("unknown bank, no total", ["qbank", "--bank", "AMBOSS", "--done", "10",
                                "--correct", "50"],
     "tracker: error: the tracker does not know the size of AMBOSS for step2-ck: give "
     "--total (the number of questions your bank shows)"),
    ("huge done", ["qbank", "--done", "9" * 5000, "--correct", "50"], None),
    ("unknown tag", ["log", "--assessment", "UWSA 3", "--score", "245", "--issue",
                     "sleepy"],
     "tracker: error: unknown test-taking issue 'sleepy' (one of timing, anxiety, "
     "careless, knowledge)"),
    ("tag and no tag", ["edit", "6", "--issue", "timing", "--no-issues"],
     "tracker: error: give --issue or --no-issues, not both"),
    ("undo with no backup", ["undo", "areas"], None),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_input_is_one_line_exit_2_and_no_file_changes(capsys, folder, argv, message):
    before = snapshot(folder)
    code, out, err = tracker(capsys, folder, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("tracker: error: "), err
    if message is not None:
        assert err == message + "\n"
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    ("name", "content", "command", "message"),
    [
        ("areas.csv", "date,source,area,percent,band,notes\n2026-11-01,x,y,200,,\n",
         ["areas"], "line 2: percent 200 is outside 0–100"),
        ("qbank.csv", "date,bank,done,total,correct,notes\n2026-11-01,UW,5,4,50,\n",
         ["qbank"], "line 2: done 5 is more than the total 4"),
        ("areas.csv", "date,source,area,percent,band,notes\n2026-11-01,x,y,,lowest,\n",
         ["area", "--source", "NBME 16", "--area", "GI", "--band", "lower"],
         "line 2: unknown band 'lowest' (one of lower, borderline, same, higher)"),
    ],
)  # fmt: skip
def test_a_broken_study_file_is_named_by_line_and_never_rewritten(
    capsys, folder, name, content, command, message
):
    (folder / name).write_text(content)
    before = snapshot(folder)
    code, out, err = tracker(capsys, folder, *command)
    assert (code, out) == (2, "")
    assert err == f"tracker: error: {folder / name} {message}\n"
    assert snapshot(folder) == before


# --- random command lines over the new commands ----------------------------------------

VALUES = {
    "--date": dates_near(TODAY.replace(day=1), 40),
    "--source": mostly(st.sampled_from(["NBME 15", "UWorld", "uwsa 2"])),
    "--area": mostly(
        st.sampled_from(["Renal", "cardio", "OB/GYN", "Mystery"]),
        st.one_of(EDGE_TEXT, st.text(max_size=90)),
    ),
    "--percent": numbers(0, 120),
    "--band": mostly(st.sampled_from(["lower", "borderline", "same", "higher"])),
    "--notes": mostly(st.just(""), st.one_of(EDGE_TEXT, st.text(max_size=100))),
    "--done": numbers(0, 5000),
    "--total": numbers(0, 60000),
    "--correct": numbers(0, 110),
    "--bank": mostly(st.sampled_from(["UWorld", "uw", "AMBOSS"])),
    "--issue": mostly(st.sampled_from(["timing", "anxiety", "careless", "knowledge"])),
    "--exam-date": dates_near(TODAY, 400),
}
FLAGS = {
    "area": ["--date", "--source", "--area", "--percent", "--band", "--notes"],
    "qbank": ["--date", "--done", "--total", "--correct", "--bank", "--notes",
              "--exam-date"],
    "log": ["--issue", "--issue"],
}  # fmt: skip


@st.composite
def study_command_lines(draw) -> list[str]:
    command = draw(st.sampled_from(["area", "qbank", "log", "areas", "undo"]))
    if command == "areas":
        return ["areas", *draw(st.lists(st.sampled_from(["--json", "--list"]), max_size=1))]
    if command == "undo":
        return ["undo", draw(st.sampled_from(["areas", "qbank", "scores"]))]
    argv = [command]
    if command == "log":
        argv += ["--assessment", "UWSA 3", "--score", "245"]
    names = draw(st.lists(st.sampled_from(FLAGS[command]), max_size=6))
    for name in names:
        argv.append(f"{name}={draw(VALUES[name])}")  # "=" keeps "-inf" a value
    return argv


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(argv=study_command_lines())
def test_any_study_command_ends_in_0_or_2_and_writes_only_on_success(folder, argv):
    before = snapshot(folder)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*argv, "--log", str(folder / "scores.csv"), *T])
    assert code in (0, 2), (argv, err.getvalue())
    assert "Traceback" not in err.getvalue()
    if code == 2:
        assert err.getvalue().startswith("tracker: error: "), err.getvalue()
        assert err.getvalue().count("\n") == 1
        assert snapshot(folder) == before
    for stream in (out.getvalue(), err.getvalue()):
        assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream
    # Whatever a write accepted, a read accepts; put the folder back for the next case.
    for name in ("areas", "qbank"):
        code_after, *_ = _quiet(["areas" if name == "areas" else "qbank", "--log",
                                 str(folder / "scores.csv"), *T])  # fmt: skip
        assert code_after == 0
    for path in folder.iterdir():
        path.unlink()
    for name, data in before.items():
        (folder / name).write_bytes(data)


def _quiet(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()
