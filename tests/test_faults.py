"""Faults: concurrent writers, a writer killed mid-write, failed writes, a held lock."""

from __future__ import annotations

import datetime as dt
import errno
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from helper_processes import WAIT_SECONDS, run_python, wait_for

from tracker import files, log
from tracker.cli import main
from tracker.errors import LogBusyError, LogWriteError
from tracker.log import Entry

from conftest import TODAY

LOG_NBME_13 = ["log", "--today", "2026-11-26", "--assessment", "NBME 13", "--score", "231"]


APPENDER = """
    import datetime as dt, sys, time
    from pathlib import Path
    from tracker.log import Entry, append_entry
    log_path, go, name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    while not go.exists():
        time.sleep(0.005)
    for i in range(100):
        entry = Entry(dt.date(2026, 11, 1), f"{name} #{i}", 200 + i % 100)
        append_entry(log_path, entry, today=dt.date(2026, 11, 26))
"""


def test_two_processes_and_two_threads_append_400_rows_without_loss(tmp_path, log_path):
    go = tmp_path / "go"
    names = ["process 1", "process 2"]
    processes = [run_python(APPENDER, str(log_path), str(go), name) for name in names]

    def thread_appends(name: str) -> None:
        wait_for(go)
        for i in range(100):
            entry = Entry(dt.date(2026, 11, 1), f"{name} #{i}", 200 + i % 100)
            log.append_entry(log_path, entry, today=TODAY)

    threads = [
        threading.Thread(target=thread_appends, args=(f"thread {n}",)) for n in (1, 2)
    ]
    for thread in threads:
        thread.start()
    go.touch()
    try:
        for thread in threads:
            thread.join(WAIT_SECONDS)
        for process in processes:
            _, err = process.communicate(timeout=WAIT_SECONDS)
            assert process.returncode == 0, err
    finally:
        for process in processes:
            process.kill()

    names = [entry.assessment for entry in log.read_log(log_path)]
    expected = [
        f"{who} {n} #{i}"
        for who in ("process", "thread")
        for n in (1, 2)
        for i in range(100)
    ]
    assert len(names) == 400 and len(set(names)) == 400
    assert sorted(names) == sorted(expected)
    for who in ("process 1", "process 2", "thread 1", "thread 2"):  # each in its own order
        mine = [name for name in names if name.startswith(who + " #")]
        assert mine == [f"{who} #{i}" for i in range(100)]


# A child that rewrites the log with every large write slowed down: the content goes
# to disk in CHUNKS flushed pieces, PAUSE seconds apart, whatever file it is written to
# and however it is opened (open, io.open, pathlib, os.fdopen). Once the new content is
# half written it touches ``writing``; it writes the last piece only once ``go``
# exists, so a kill before that always lands inside the write, however loaded the
# machine. When the rewrite has returned it touches ``done`` and waits to be killed.
# A write straight to the log would leave part of a file on disk here; a temporary
# file and a rename leave the old file whole until the rename.
SLOW_REWRITER = """
    import builtins, datetime as dt, io, sys, time
    from pathlib import Path
    import tracker.log as log
    from tracker.log import Entry

    log_path, writing, done, action = (
        Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
    )
    chunks, pause = int(sys.argv[5]), float(sys.argv[6])
    go = writing.with_name("go")
    today = dt.date(2026, 11, 26)
    entries = log.read_log(log_path)
    changed = (
        [Entry(dt.date(2026, 1, 1), "edited", 250), *entries[1:]]
        if action == "edit" else entries[1:]
    )
    new = log.format_log(changed)

    class SlowFile:
        def __init__(self, stream):
            self._stream = stream
        def __getattr__(self, name):
            return getattr(self._stream, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self._stream.__exit__(*exc)
        def write(self, data):
            if bytes(data[:64]) != new[:64]:  # the .bak copy and the like: at full speed
                return self._stream.write(data)
            size = -(-len(data) // chunks)
            for i in range(chunks):
                while i == chunks - 1 and not go.exists():
                    time.sleep(0.005)
                self._stream.write(data[i * size:(i + 1) * size])
                self._stream.flush()
                if i == chunks // 2:
                    writing.touch()
                time.sleep(pause)
            return len(data)

    real_open = io.open

    def slow_open(file, mode="r", *args, **kwargs):
        stream = real_open(file, mode, *args, **kwargs)
        return SlowFile(stream) if "w" in mode and "b" in mode else stream

    builtins.open = io.open = slow_open
    if action == "edit":
        log.replace_entry(log_path, 0, changed[0], today=today)
    else:
        log.delete_entry(log_path, 0, today=today)
    assert log_path.read_bytes() == new
    done.touch()
    time.sleep(60)
"""
CHUNKS, PAUSE_SECONDS = 16, 0.02


def _big_log(rows: int) -> list[Entry]:
    start = dt.date(1990, 1, 1)  # the earliest date a log holds
    return [
        Entry(
            start + dt.timedelta(days=i // 3),
            f"NBME {9 + i % 8}",
            180 + i % 100,
            "note" if i % 3 else "",
        )
        for i in range(rows)
    ]


def _kill_rewriter(
    tmp_path: Path, log_path: Path, action: str, *, late: bool, delay: float
):
    """Start a slow rewrite and SIGKILL it: ``delay`` seconds after its new content is
    half written (before its last piece), or (``late``) after the rewrite returned."""
    for name in ("writing", "done", "go"):
        (tmp_path / name).unlink(missing_ok=True)
    package = Path(log.__file__).resolve().parent.parent  # the code under test
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(SLOW_REWRITER), str(log_path),
         str(tmp_path / "writing"), str(tmp_path / "done"), action, str(CHUNKS),
         str(PAUSE_SECONDS)],
        env={**os.environ, "PYTHONPATH": str(package)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        wait_for(tmp_path / "writing", writer)
        if late:
            (tmp_path / "go").touch()
            wait_for(tmp_path / "done", writer)
        time.sleep(delay)
    finally:
        writer.send_signal(signal.SIGKILL)
        _, err = writer.communicate(timeout=WAIT_SECONDS)
    assert writer.returncode == -signal.SIGKILL, err


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_a_writer_killed_mid_write_leaves_the_old_or_the_new_file(
    tmp_path, log_path, action
):
    entries = _big_log(6_000)
    old = log.format_log(entries)
    changed = (
        [Entry(dt.date(2026, 1, 1), "edited", 250), *entries[1:]]
        if action == "edit"
        else entries[1:]
    )
    new = log.format_log(changed)
    rng = np.random.default_rng(20261126)
    # Half the new content is on disk when ``writing`` appears; the rest but the last
    # piece follows over CHUNKS / 2 pauses, and the last waits for ``go``.
    inside = CHUNKS / 2 * PAUSE_SECONDS
    outcomes = []
    for attempt in range(6):
        log_path.write_bytes(old)
        late = attempt % 3 == 2
        delay = float(rng.uniform(0.0, 0.02 if late else 0.8 * inside))
        _kill_rewriter(tmp_path, log_path, action, late=late, delay=delay)
        after = log_path.read_bytes()
        assert after in (old, new), (
            f"kill {attempt + 1}: the log is neither the old nor the new file "
            f"({len(after):,} bytes; old {len(old):,}, new {len(new):,})"
        )
        outcomes.append("new" if after == new else "old")
    # Killed inside the write, the old file stays; killed after it, the new one.
    assert outcomes == ["old", "old", "new"] * 2

    # The next write removes whatever temporary files the killed writers left.
    log.append_entry(log_path, Entry(dt.date(2026, 11, 1), "after", 240), today=TODAY)
    leftovers = [p.name for p in log_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert log.read_log(log_path)[-1].assessment == "after"


def test_a_stale_temporary_that_cannot_be_removed_does_not_stop_a_write(log_path):
    # A folder where a temporary file would be: unlinking it fails, and the write goes on.
    log_path.write_text("date,assessment,score,notes\n")
    log_path.with_name(".scores.csv.abc123.tmp").mkdir()
    log.append_entry(log_path, Entry(dt.date(2026, 11, 1), "NBME 13", 231), today=TODAY)
    assert len(log.read_log(log_path)) == 1


def test_a_stale_temporary_file_is_removed_by_the_next_write(log_path):
    log_path.write_text("date,assessment,score,notes\n")
    stale = log_path.with_name(".scores.csv.abc123.tmp")
    stale.write_text("half a file")
    unrelated = log_path.with_name(".other.csv.abc123.tmp")
    unrelated.write_text("not ours")
    log.append_entry(log_path, Entry(dt.date(2026, 11, 1), "NBME 13", 231), today=TODAY)
    assert not stale.exists() and unrelated.exists()


@pytest.mark.parametrize(
    ("target", "error", "message"),
    [
        (
            "fsync",
            OSError(errno.ENOSPC, "No space left on device"),
            "No space left on device",
        ),
        ("replace", OSError(errno.EROFS, "Read-only file system"), "Read-only file system"),
        (
            "mkstemp",
            PermissionError(errno.EACCES, "Permission denied"),
            "Permission denied",
        ),
    ],
)
def test_a_failed_write_is_reported_and_changes_nothing(
    log_path, monkeypatch, target, error, message
):
    before = log.format_log([Entry(dt.date(2026, 10, 1), "NBME 13", 231)])
    log_path.write_bytes(before)

    def fail(*args, **kwargs):
        raise error

    module = files.tempfile if target == "mkstemp" else log.os
    monkeypatch.setattr(module, target, fail)
    for write in (
        lambda: log.append_entry(
            log_path, Entry(dt.date(2026, 11, 1), "X", 240), today=TODAY
        ),
        lambda: log.delete_entry(log_path, 0, today=TODAY),
    ):
        with pytest.raises(LogWriteError) as caught:
            write()
        assert message in str(caught.value) and "the file is unchanged" in str(caught.value)
        assert log_path.read_bytes() == before
    monkeypatch.undo()
    assert [p.name for p in log_path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_the_command_reports_a_failed_write_in_one_line(log_path, monkeypatch, capsys):
    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(log.os, "fsync", disk_full)
    code = main([*LOG_NBME_13, "--log", str(log_path)])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err == (
        f"tracker: error: {log_path}: could not be written "
        "(No space left on device); the file is unchanged\n"
    )
    assert not log_path.exists()


HOLDER = """
    import sys, time
    from pathlib import Path
    from filelock import FileLock
    with FileLock(sys.argv[1]):
        Path(sys.argv[2]).touch()
        time.sleep(30)
"""


def test_a_lock_held_by_another_process_gives_a_busy_error(
    tmp_path, log_path, monkeypatch, capsys
):
    log_path.write_text("date,assessment,score,notes\n")
    before = log_path.read_bytes()
    held = tmp_path / "held"
    holder = run_python(HOLDER, str(log.lock_path(log_path)), str(held))
    try:
        wait_for(held)
        monkeypatch.setattr(log, "LOCK_TIMEOUT_SECONDS", 0.3)
        with pytest.raises(LogBusyError):
            log.append_entry(
                log_path, Entry(dt.date(2026, 11, 1), "NBME 13", 231), today=TODAY
            )
        code = main([*LOG_NBME_13, "--log", str(log_path)])
        assert code == 2
        busy = f"{log_path}: another process is writing to the log; try again"
        assert capsys.readouterr().err == f"tracker: error: {busy}\n"
    finally:
        holder.kill()
        holder.communicate()
    assert log_path.read_bytes() == before
    # Once the holder is gone (its lock dies with it), writing works again.
    log.append_entry(log_path, Entry(dt.date(2026, 11, 1), "NBME 13", 231), today=TODAY)
    assert len(log.read_log(log_path)) == 1
