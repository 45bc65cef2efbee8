"""Every file the tracker touches, guarded like the log: one test per way the files
around the log were found to lose data, hang, crash or claim too much.

Each test goes through what a student or an advisor runs (the command, the page) and
would fail on a tracker that did not guard that file. Commands that could hang (a
named pipe) or eat memory (a device) run in a child process with a time limit and a
memory limit, so a regression fails the test instead of stopping the suite.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helper_processes import REPO, WAIT_SECONDS, run_python
from streamlit.testing.v1 import AppTest

from tracker import log
from tracker.errors import CatalogError
from tracker.exams import (
    STEP2_CK,
    Catalog,
    load_catalog,
    save_catalog,
    shipped_catalog_path,
)
from tracker.log import Entry

from conftest import TODAY
from conftest import run_cli as run

EXAMPLE = REPO / "data" / "example_scores.csv"
COHORT = REPO / "data" / "example_cohort"
DASHBOARD = str(REPO / "dashboard.py")
HEADER = b"date,assessment,score,notes\n"
DATED = ("--today", "2026-11-26")
VERDICT = ("verdict", "--exam-date", "2027-01-15", *DATED)
MEMORY_LIMIT_BYTES = 2 * 1024**3  # a child that reads /dev/zero stops here, not at OOM


@pytest.fixture
def student(tmp_path, monkeypatch):
    """The example log as a student's own, in ``tmp_path/data``; work from tmp_path."""
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "scores.csv"
    shutil.copy(EXAMPLE, path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_LOG", raising=False)
    return path


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))


def tracker(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    """``tracker ARGV`` in a child process that may neither hang nor exhaust memory."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("TRACKER_LOG", None)
    try:
        return subprocess.run(
            [sys.executable, "-m", "tracker.cli", *argv],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"tracker {' '.join(argv)} did not finish in {WAIT_SECONDS} s")


def shown_on_page(elements) -> list[str]:
    """What alert elements say, as the reader sees it (Markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", element.value) for element in elements]


def one_error_line(err: str) -> str:
    """The single ``tracker: error:`` line of ``err`` (no traceback), without its prefix."""
    assert err.startswith("tracker: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.removeprefix("tracker: error: ").rstrip("\n")


# --- silently wrong -----------------------------------------------------------------------


def test_a_free_120_of_70_5_typed_in_the_dashboard_is_refused_as_the_command_refuses_it(
    tmp_path, monkeypatch, capsys
):
    log_path = tmp_path / "scores.csv"
    monkeypatch.setenv("TRACKER_LOG", str(log_path))
    code, _, err = run(capsys, "log", "--log", str(log_path), "--assessment",
                       "Free 120", "--score", "70.5")  # fmt: skip
    refusal = one_error_line(err)
    assert code == 2 and refusal == (
        "score '70.5' is not a whole number in ASCII digits (0-9)"
    )
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    app.selectbox(key="log_assessment").set_value("Free 120")
    app.number_input(key="log_score").set_value(70.5)
    app = app.button(key="log_submit").click().run()
    assert not app.exception
    assert shown_on_page(app.error) == [refusal]
    assert not log_path.exists()  # not logged as 70%


# --- data lost or exposed -----------------------------------------------------------------

BROKEN_CATALOG = (
    b"name,family,scale,offset,uncertainty,source\n"
    b"NBME 9,NBME,three-digit,+3,3,my own\n"
    b"My school exam,Other,three-digit,+99,3,an offset the page warns about\n"
)


def test_save_offsets_never_replaces_the_students_own_catalog_it_could_not_read(
    tmp_path, monkeypatch
):
    log_path = tmp_path / "scores.csv"
    log_path.write_bytes(EXAMPLE.read_bytes())
    own = tmp_path / "assessments.csv"
    own.write_bytes(BROKEN_CATALOG)
    monkeypatch.setenv("TRACKER_LOG", str(log_path))
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    assert any("using the shipped catalog" in w.value for w in app.warning)
    app.session_state["offsets_open"] = True  # open the form offsets
    app = app.run().button(key="catalog_save").click().run()  # nothing edited
    assert not app.exception
    assert "Nothing changed, so nothing was saved." in [info.value for info in app.info]
    assert own.read_bytes() == BROKEN_CATALOG
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("assessments")] == [
        "assessments.csv"
    ]


def test_saving_offsets_over_a_catalog_that_cannot_be_read_is_refused(tmp_path):
    own = tmp_path / "assessments.csv"
    own.write_bytes(BROKEN_CATALOG)
    shipped = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK)
    with pytest.raises(CatalogError) as caught:
        save_catalog(own, shipped, STEP2_CK)
    # ±32 points: two of Step 2 CK's SDs of 16, the most a catalog's offset may be.
    assert str(caught.value) == (
        f"{own} line 3: offset +99 is outside -32 to 32 points; the file is not "
        "replaced: fix that line, or move the file away, first"
    )
    assert own.read_bytes() == BROKEN_CATALOG


def test_saving_offsets_keeps_the_previous_catalog_as_a_backup(tmp_path):
    own = tmp_path / "assessments.csv"
    shipped_path = shipped_catalog_path(STEP2_CK)
    own.write_bytes(shipped_path.read_bytes())
    shipped = load_catalog(shipped_path, STEP2_CK)
    first = dataclasses.replace(shipped.forms[0], offset=2.0)
    assert save_catalog(own, Catalog(forms=(first, *shipped.forms[1:])), STEP2_CK)
    assert load_catalog(own, STEP2_CK).forms[0].offset == 2.0
    assert (tmp_path / "assessments.csv.bak").read_bytes() == shipped_path.read_bytes()
    # The same catalog again writes nothing: the backup stays the one before the edit.
    assert not save_catalog(own, Catalog(forms=(first, *shipped.forms[1:])), STEP2_CK)
    assert (tmp_path / "assessments.csv.bak").read_bytes() == shipped_path.read_bytes()


def test_plot_through_a_link_to_the_log_is_refused_and_the_log_kept(student, capsys):
    before = student.read_bytes()
    chart = student.with_name("chart.png")
    chart.symlink_to(student)
    code, out, err = run(capsys, "plot", "--log", str(student), "--out", str(chart),
                         "--exam-date", "2027-01-15", *DATED)  # fmt: skip
    assert (code, out) == (2, "")
    assert one_error_line(err) == (
        f"{chart} is a symbolic link; the chart is written only to a plain file name "
        "(nothing was written)"
    )
    assert student.read_bytes() == before and chart.is_symlink()


def test_plot_names_the_file_it_really_wrote(student, capsys):
    code, out, _ = run(capsys, "plot", "--log", str(student), "--out", "mychart",
                       "--exam-date", "2027-01-15", *DATED)  # fmt: skip
    assert (code, out) == (0, "Saved the chart to mychart.png\n")
    assert Path("mychart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not Path("mychart").exists()


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_plot_replaces_its_own_chart_but_no_other_file(student, capsys, suffix):
    chart = Path(f"chart{suffix}")
    argv = ("plot", "--log", str(student), "--out", str(chart), "--exam-date",
            "2027-01-15", *DATED)  # fmt: skip
    assert run(capsys, *argv)[0] == 0
    assert run(capsys, *argv)[:2] == (0, f"Saved the chart to {chart}\n")  # its own
    holiday = (
        b"\x89PNG\r\n\x1a\n a photo from the holidays"
        if suffix == ".png"
        else (b"%PDF-1.7 a paper to read" if suffix == ".pdf" else b"<svg>a logo</svg>")
    )
    chart.write_bytes(holiday)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert one_error_line(err) == (
        f"{chart} already exists and is not a chart; nothing was written (choose "
        "another name, or move that file away first)"
    )
    assert chart.read_bytes() == holiday


def test_the_backup_of_a_private_log_is_as_private(student, capsys):
    os.chmod(student, 0o600)
    old_mask = os.umask(0o022)  # an ordinary new file would be readable by everyone
    try:
        code, _, _ = run(capsys, "log", "--log", str(student), "--assessment", "NBME 16",
                         "--score", "245", *DATED)  # fmt: skip
        assert code == 0
        backup = log.backup_path(student)
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        # A backup that was already there, wider than the log, is narrowed too.
        os.chmod(backup, 0o644)
        code, _, _ = run(capsys, "delete", "10", "--log", str(student), *DATED)
        assert code == 0 and stat.S_IMODE(backup.stat().st_mode) == 0o600
    finally:
        os.umask(old_mask)


def test_a_full_disk_keeps_the_last_undo_point(student, capsys, monkeypatch):
    # The disk has room for a file the size of the log, not for a larger one: the next
    # append cannot be written, and the .bak must still be the version before the last
    # change, so that undo still goes back one step.
    run(capsys, "log", "--log", str(student), "--assessment", "NBME 16", "--score",
        "245", *DATED)  # fmt: skip
    last, previous = student.read_bytes(), log.backup_path(student).read_bytes()
    real_fsync = os.fsync

    def fsync(descriptor):
        if os.fstat(descriptor).st_size > len(last):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    code, _, err = run(capsys, "log", "--log", str(student), "--assessment", "UWSA 3",
                       "--score", "247", *DATED)  # fmt: skip
    assert code == 2 and one_error_line(err) == (
        f"{student}: could not be written (No space left on device); the file is unchanged"
    )
    assert student.read_bytes() == last
    assert log.backup_path(student).read_bytes() == previous
    monkeypatch.undo()
    assert run(capsys, "undo", "--log", str(student))[0] == 0
    assert student.read_bytes() == previous


def test_a_change_that_would_pass_the_size_cap_is_refused_so_no_lockout(
    student, capsys, monkeypatch
):
    # A small cap stands for the real 64 MiB: the log sits 487 bytes under it, and a
    # note of 2,000 characters would take it over.
    cap = 4096
    monkeypatch.setattr(log, "MAX_LOG_BYTES", cap)
    rows, padding_row = student.read_bytes(), b"2026-09-02,Kaplan,230,"
    notes = b"x" * (cap - 487 - len(rows) - len(padding_row) - 1)
    student.write_bytes(rows + padding_row + notes + b"\n")
    assert len(student.read_bytes()) == cap - 487
    before = student.read_bytes()
    new = Entry(TODAY, "NBME 16", 245, "n" * 2000)
    size = len(log.format_log([*log.read_log(student), new]))
    code, _, err = run(capsys, "log", "--log", str(student), "--assessment", "NBME 16",
                       "--score", "245", "--notes", "n" * 2000, *DATED)  # fmt: skip
    assert code == 2
    assert one_error_line(err) == (
        f"{student}: this change would make the log {size:,} bytes, over the {cap:,} a "
        "score log may have; nothing was written (shorten notes, or start a new log "
        "for older results)"
    )
    assert student.read_bytes() == before
    # Every command still reads the log, and smaller changes and undo still work.
    for argv in (("list",), VERDICT, ("delete", "10", *DATED), ("undo",)):
        assert run(capsys, *argv, "--log", str(student))[0] == 0, argv
    assert student.read_bytes() == before


KILLED_UNDO = """
    import os, signal, sys
    from tracker.cli import main
    log_path, kill_at = sys.argv[1], int(sys.argv[2])
    calls = [0]

    def dying(real):
        def call(*args, **kwargs):
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return call

    os.fsync, os.replace = dying(os.fsync), dying(os.replace)
    sys.exit(main(["undo", "--log", log_path]))
"""


def test_an_undo_killed_at_any_step_leaves_nothing_the_next_run_does_not_clean(
    student, capsys
):
    original = student.read_bytes()
    run(capsys, "delete", "9", "--log", str(student), *DATED)
    deleted = student.read_bytes()
    versions = {original, deleted}
    kills = 0
    for kill_at in range(1, 20):  # the k-th fsync or rename of the undo kills it
        student.write_bytes(deleted)
        log.backup_path(student).write_bytes(original)
        undo = run_python(KILLED_UNDO, str(student), str(kill_at))
        _, err = undo.communicate(timeout=WAIT_SECONDS)
        if undo.returncode != -signal.SIGKILL:
            assert undo.returncode == 0, err
            break
        kills += 1
        assert student.read_bytes() in versions, f"killed at step {kill_at}"
        # The next run finds what the kill left, cleans it, and undoes as asked.
        code, _, err = run(capsys, "undo", "--log", str(student))
        assert code == 0, (kill_at, err)
        leftovers = [p.name for p in student.parent.iterdir()
                     if p.name.endswith((".tmp", ".new"))]  # fmt: skip
        assert leftovers == [], f"killed at step {kill_at}"
        assert {student.read_bytes(), log.backup_path(student).read_bytes()} == versions
    assert kills >= 4  # every step of the swap was reached


# --- hangs and crashes --------------------------------------------------------------------


def test_a_named_pipe_as_settings_json_is_reported_not_waited_on(student):
    os.mkfifo(student.with_name("settings.json"))
    done = tracker(*VERDICT, "--log", str(student), cwd=student.parent.parent)
    assert done.returncode == 0
    assert done.stderr == (
        f"tracker: warning: {student.with_name('settings.json')}: is a named pipe "
        "(FIFO), not a JSON file; using the defaults\n"
    )


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_catalog_beside_the_log_that_is_no_file_is_reported_not_read(student, kind):
    beside = student.with_name("assessments.csv")
    if kind == "fifo":
        os.mkfifo(beside)
        words = "a named pipe (FIFO)"
    else:
        beside.symlink_to("/dev/zero")
        words = "a device"
    done = tracker(*VERDICT, "--log", str(student), cwd=student.parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        f"tracker: warning: {beside}: is {words}, not a CSV file; using the shipped "
        "catalog until it is fixed\n"
    )


@pytest.mark.parametrize("flag", ["--catalog", "--base"])
@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_catalog_named_on_the_command_line_that_is_no_file_is_one_error(
    student, flag, kind
):
    odd = student.with_name("odd.csv")
    if kind == "fifo":
        os.mkfifo(odd)
    else:
        odd = Path("/dev/zero")
    words = "a named pipe (FIFO)" if kind == "fifo" else "a device"
    if flag == "--catalog":
        argv = (*VERDICT, "--log", str(student), "--catalog", str(odd))
    else:
        argv = ("calibrate", str(COHORT), "--out", "out.csv", "--base", str(odd))
    done = tracker(*argv, cwd=student.parent.parent)
    assert done.returncode == 2
    assert one_error_line(done.stderr) == f"{odd}: is {words}, not a CSV file"
    assert not (student.parent.parent / "out.csv").exists()


HUGE_SCORE = "1" * 5000  # Python refuses to convert 4,300 digits or more to an int


def test_a_score_of_thousands_of_digits_typed_is_one_line(student, capsys):
    before = student.read_bytes()
    for argv in (
        ("log", "--assessment", "NBME 16", "--score", HUGE_SCORE),
        ("edit", "1", "--score", HUGE_SCORE),
        ("result", "--date", "2026-11-24", "--score", HUGE_SCORE),
    ):
        code, _, err = run(capsys, *argv, "--log", str(student), *DATED)
        assert code == 2
        assert one_error_line(err) == (
            "score 111111111111… (5,000 digits) is outside 0–999, the widest any exam uses"
        )
    assert student.read_bytes() == before


def test_a_score_of_thousands_of_digits_in_the_file_is_one_line(student, capsys):
    student.write_bytes(HEADER + f"2026-09-01,NBME 9,{HUGE_SCORE},\n".encode())
    code, _, err = run(capsys, "list", "--log", str(student))
    assert code == 2
    assert one_error_line(err) == (
        f"{student} line 2: score 111111111111… (5,000 digits) is outside 0–999, the "
        "widest any exam uses"
    )


def test_a_score_of_thousands_of_digits_in_the_file_is_one_line_on_the_page(
    student, monkeypatch
):
    student.write_bytes(HEADER + f"2026-09-01,NBME 9,{HUGE_SCORE},\n".encode())
    monkeypatch.setenv("TRACKER_LOG", str(student))
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    assert not app.exception
    assert shown_on_page(app.error) == [
        f"{student} line 2: score 111111111111… (5,000 digits) is outside 0–999, the "
        "widest any exam uses"
    ]


def test_a_log_in_a_folder_that_does_not_exist_is_refused(tmp_path, capsys):
    path = tmp_path / "not-mounted" / "dir" / "s.csv"
    code, _, err = run(capsys, "log", "--log", str(path), "--assessment", "NBME 16",
                       "--score", "245", *DATED)  # fmt: skip
    assert code == 2
    assert one_error_line(err) == (
        f"{path}: the folder {path.parent} does not exist; nothing was written (is a "
        "drive or a synced folder missing? create the folder first if it is new)"
    )
    assert list(tmp_path.iterdir()) == []


def test_the_first_log_in_data_of_a_fresh_clone_is_still_made(tmp_path, capsys):
    clone = tmp_path / "clone"
    shutil.copytree(REPO / "data", clone / "data")  # the folder a clone comes with
    os.chdir(clone)
    try:
        code, out, _ = run(capsys, "log", "--assessment", "NBME 16", "--score", "245",
                           *DATED)  # fmt: skip
    finally:
        os.chdir(REPO)
    assert code == 0 and out.startswith("Logged 2026-11-26 NBME 16: 245 to data/scores.csv")
    assert len(log.read_log(clone / "data" / "scores.csv")) == 1


# --- overconfident or quiet ---------------------------------------------------------------


def test_cohort_entries_that_are_no_files_are_each_named_once(tmp_path):
    folder = tmp_path / "c"
    shutil.copytree(COHORT, folder)
    (folder / "gone.csv").symlink_to(tmp_path / "unmounted" / "x.csv")
    os.mkfifo(folder / "pipe.csv")
    (folder / "zero.csv").symlink_to("/dev/zero")
    (folder / "sub.csv").mkdir()
    done = tracker("cohort", "c", "--exam-date", "2027-01-20", *DATED, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        f"tracker: warning: c/gone.csv: skipped: is a symbolic link to "
        f"{tmp_path / 'unmounted' / 'x.csv'}, which does not exist",
        "tracker: warning: c/pipe.csv: skipped: is a named pipe (FIFO), not a CSV file",
        "tracker: warning: c/sub.csv: skipped: is a directory, not a CSV file",
        "tracker: warning: c/zero.csv: skipped: is a device, not a CSV file",
    ]
    assert len(done.stdout.splitlines()) == 1 + 4  # the four students


def test_the_spreadsheet_export_keeps_a_formula_after_a_semicolon_as_text():
    # In a semicolon locale "x;=1+1" is two cells, the second a formula.
    typed = [Entry(dt.date(2026, 10, 1), "x;=1+1", 231, "fine; -2 since\n@last")]
    assert log.export_csv(typed).decode("utf-8").splitlines()[1:] == [
        "2026-10-01,x;'=1+1,231,\"fine; '-2 since",
        "'@last\"",
    ]
