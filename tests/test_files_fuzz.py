"""Random files on random command lines: whatever each file a command touches turns
out to be, the command ends in 0 or 2 with one line, never hangs, and changes nothing
it was not asked to change.

Every path a command reads or writes (the log, its backup, settings.json and the catalog
beside it, ``--catalog``, ``--out``, ``calibrate --base``, a cohort's entries) is drawn
from the kinds a student's disk can hold there: nothing, the right file, garbage, an
empty file, a named pipe, a link to nothing, a link to another file, a device, a folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import signal
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.cli import main
from tracker.exams import STEP2_CK, shipped_catalog_path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data" / "example_scores.csv"
COHORT_LOG = REPO / "data" / "example_cohort" / "amira.csv"
KINDS = (
    "missing", "right", "garbage", "empty", "fifo", "dangling", "link", "zero", "folder",
)  # fmt: skip
RIGHT = {
    "log": EXAMPLE.read_bytes(),
    "settings": b'{"window": 2, "threshold": 235}\n',
    "catalog": shipped_catalog_path(STEP2_CK).read_bytes(),
}
SECONDS_BEFORE_A_HANG = 30
DATED = ["--today", "2026-11-26"]
PLAN = ["--exam-date", "2027-01-15", *DATED]
# The command, and the slots whose file kinds are drawn (the log's neighbours always).
COMMANDS = {
    "verdict": ["catalog"],
    "plot": ["out"],
    "calendar": ["out"],
    "log": [],
    "undo": [],
    "list": [],
    "cohort": ["entry"],
    "calibrate": ["entry", "out", "base"],
    "set": [],
    "settings": [],
}
OUT_NAMES = {"plot": "chart.png", "calendar": "plan.ics", "calibrate": "calibrated.csv"}


class Hang(Exception):
    """The command did not finish in time: it waits on a pipe or reads without end."""


def _hang(signum, frame):
    raise Hang


def make(path: Path, kind: str, right: bytes, precious: Path) -> None:
    """Put a file of ``kind`` at ``path``; "right" is the file the slot expects."""
    contents = {"right": right, "garbage": b"\x00garbage\xff,\n", "empty": b""}
    if kind in contents:
        path.write_bytes(contents[kind])
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "dangling":
        path.symlink_to(path.parent / "unmounted" / path.name)
    elif kind == "link":
        path.symlink_to(precious)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()


def snapshot(folder: Path) -> dict[str, tuple]:
    """What every name under ``folder`` is: a link and its target, a file's digest,
    or its kind. Lock files come and go with writes and are left out."""
    seen = {}
    for root, folders, names in os.walk(folder):
        for name in folders + names:
            path = Path(root) / name
            if name.endswith(".lock"):
                continue
            mode = os.lstat(path).st_mode
            key = str(path.relative_to(folder))
            if stat.S_ISLNK(mode):
                seen[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(mode):
                seen[key] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                seen[key] = ("kind", stat.S_IFMT(mode))
    return seen


@st.composite
def runs(draw):
    command = draw(st.sampled_from(sorted(COMMANDS)))
    kinds = {slot: draw(st.sampled_from(KINDS)) for slot in COMMANDS[command]}
    for slot in ("log", "bak", "settings", "beside_catalog"):
        # The log is usually there and right, so commands get past it often enough.
        kinds[slot] = draw(st.sampled_from(("right",) * 3 + KINDS))
    return command, kinds


def argv_for(command: str, kinds: dict[str, str], folder: Path) -> list[str]:
    log = ["--log", str(folder / "scores.csv")]
    if command in ("verdict", "plot", "calendar"):
        argv = [command, *log, *PLAN]
        if "catalog" in kinds:
            argv += ["--catalog", str(folder / "given.csv")]
    elif command == "log":
        argv = [command, *log, "--assessment", "NBME 16", "--score", "245", *DATED]
    elif command in ("undo", "list", "settings"):
        argv = [command, *log]
    elif command == "set":
        argv = [command, *log, "--window", "4", "--exam-date", "2027-01-15", *DATED]
    elif command == "cohort":
        argv = [command, str(folder / "cohort"), *PLAN]
    else:
        argv = [command, str(folder / "cohort"), "--base", str(folder / "given.csv")]
    if command in OUT_NAMES:
        argv += ["--out", str(folder / OUT_NAMES[command])]
    return argv


def lay_out(folder: Path, command: str, kinds: dict[str, str]) -> Path:
    """The files of one run in ``folder``; returns the precious file links point to."""
    precious = folder / "precious.csv"
    precious.write_bytes(EXAMPLE.read_bytes())
    make(folder / "scores.csv", kinds["log"], RIGHT["log"], precious)
    make(folder / "scores.csv.bak", kinds["bak"], RIGHT["log"], precious)
    make(folder / "settings.json", kinds["settings"], RIGHT["settings"], precious)
    make(folder / "assessments.csv", kinds["beside_catalog"], RIGHT["catalog"], precious)
    if "catalog" in kinds or "base" in kinds:
        make(folder / "given.csv", kinds.get("catalog", kinds.get("base")),
             RIGHT["catalog"], precious)  # fmt: skip
    if "out" in kinds:
        make(folder / OUT_NAMES[command], kinds["out"], b"", precious)
    if "entry" in kinds:
        (folder / "cohort").mkdir()
        shutil.copy(COHORT_LOG, folder / "cohort" / "amira.csv")
        make(folder / "cohort" / "odd.csv", kinds["entry"], RIGHT["log"], precious)
    return precious


def allowed_changes(command: str, kinds: dict[str, str], code: int) -> set[str]:
    """The names a successful run may create or change; a refused run changes none."""
    if code != 0:
        return set()
    if command in ("log", "undo"):
        log = "precious.csv" if kinds["log"] == "link" else "scores.csv"
        return {log, f"{log}.bak"}
    if command in OUT_NAMES:
        return {OUT_NAMES[command]}
    if command == "set":
        return {"settings.json"}
    return set()


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(run=runs())
def test_any_file_of_any_kind_is_used_or_refused_in_one_line_and_nothing_else_changes(
    run,
):
    command, kinds = run
    folder = Path(tempfile.mkdtemp(prefix="files-fuzz-"))
    try:
        lay_out(folder, command, kinds)
        before = snapshot(folder)
        argv = argv_for(command, kinds, folder)
        out, err = io.StringIO(), io.StringIO()
        previous = signal.signal(signal.SIGALRM, _hang)
        signal.alarm(SECONDS_BEFORE_A_HANG)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(argv)
        except Hang:
            pytest.fail(f"{argv} with {kinds} hung")
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        after = snapshot(folder)
        errors = err.getvalue()
        assert code in (0, 2), (argv, kinds, errors)
        if code == 2:
            assert errors.startswith("tracker: error: ") or (
                "\ntracker: error: " in errors
            ), errors
            assert errors.count("tracker: error: ") == 1 and errors.endswith("\n")
        assert "Traceback" not in errors
        changed = {name for name in before.keys() | after.keys()
                   if before.get(name) != after.get(name)}  # fmt: skip
        assert changed <= allowed_changes(command, kinds, code), (argv, kinds, errors)
        leftovers = [name for name in after if name.endswith((".tmp", ".new"))]
        assert leftovers == [], (argv, kinds)
    finally:
        shutil.rmtree(folder)
