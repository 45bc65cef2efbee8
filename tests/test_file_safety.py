"""File-level safety of the log: links, odd file kinds, read-only files, neighbours."""

from __future__ import annotations

import datetime as dt
import errno
import os
import socket
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from helper_processes import WAIT_SECONDS, run_python, wait_for

from tracker import files, log
from tracker.errors import LogBusyError, LogFormatError, LogWriteError
from tracker.log import Entry

from conftest import TODAY

HEADER = b"date,assessment,score,notes\n"
ONE_ROW = HEADER + b"2026-10-01,NBME 13,231,\n"
NEW = Entry(dt.date(2026, 11, 1), "NBME 14", 240)


def _writes(path: Path) -> dict[str, Callable[[], object]]:
    """Every kind of change to the log: each goes through the same safe write."""
    return {
        "append": lambda: log.append_entry(path, NEW, today=TODAY),
        "replace": lambda: log.replace_entry(path, 0, NEW, today=TODAY),
        "delete": lambda: log.delete_entry(path, 0, today=TODAY),
    }


# --- a log that is a symbolic link ---------------------------------------------------


@pytest.fixture
def linked_log(tmp_path):
    """``data/scores.csv`` is a link to ``synced/scores.csv``, as a synced folder makes."""
    target = tmp_path / "synced" / "scores.csv"
    target.parent.mkdir()
    target.write_bytes(ONE_ROW)
    link = tmp_path / "data" / "scores.csv"
    link.parent.mkdir()
    link.symlink_to(target)
    return link, target


@pytest.mark.parametrize("change", ["append", "replace", "delete"])
def test_a_write_through_a_symlink_changes_the_target_and_keeps_the_link(
    linked_log, change
):
    link, target = linked_log
    entries = _writes(link)[change]()
    assert link.is_symlink() and link.resolve() == target
    assert log.read_log(target) == entries
    if change != "append":  # the backup sits beside the file it is a copy of
        assert log.backup_path(link) == log.backup_path(target)
        assert log.backup_path(target).read_bytes() == ONE_ROW
    left_beside_the_link = sorted(p.name for p in link.parent.iterdir())
    assert left_beside_the_link == ["scores.csv"]


def test_a_write_through_a_chain_of_links_keeps_the_target_mode(linked_log, tmp_path):
    link, target = linked_log
    os.chmod(target, 0o640)
    second = tmp_path / "shortcut.csv"
    second.symlink_to(link)
    log.append_entry(second, NEW, today=TODAY)
    assert second.is_symlink() and link.is_symlink()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert len(log.read_log(target)) == 2


HOLDER = """
    import sys, time
    from pathlib import Path
    from filelock import FileLock
    with FileLock(sys.argv[1]):
        Path(sys.argv[2]).touch()
        time.sleep(30)
"""


def test_two_names_for_one_log_share_one_lock(linked_log, tmp_path, monkeypatch):
    link, target = linked_log
    assert log.lock_path(link) == log.lock_path(target)
    held = tmp_path / "held"
    holder = run_python(HOLDER, str(target.with_name("scores.csv.lock")), str(held))
    try:
        wait_for(held)
        monkeypatch.setattr(log, "LOCK_TIMEOUT_SECONDS", 0.3)
        with pytest.raises(LogBusyError):
            log.append_entry(link, NEW, today=TODAY)
    finally:
        holder.kill()
        holder.communicate()
    assert target.read_bytes() == ONE_ROW


def test_a_dangling_symlink_is_refused_and_left_dangling(tmp_path):
    target = tmp_path / "synced" / "scores.csv"  # its folder is there, the file is not
    target.parent.mkdir()
    link = tmp_path / "scores.csv"
    link.symlink_to(target)
    problem = f"is a symbolic link to {os.path.realpath(target)}, which does not exist"
    with pytest.raises(LogFormatError) as caught:
        log.read_log(link)
    assert str(caught.value).startswith(f"{link}: {problem}")
    with pytest.raises(LogWriteError) as caught:
        log.append_entry(link, NEW, today=TODAY)
    assert str(caught.value).startswith(f"{link}: {problem}")
    with pytest.raises(LogWriteError):
        log.atomic_write(link, ONE_ROW)
    assert link.is_symlink() and not target.exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["scores.csv", "synced"]


# --- a log that is not a regular file ------------------------------------------------

KINDS = {
    "fifo": "a named pipe (FIFO)",
    "socket": "a socket",
    "directory": "a directory",
    "device": "a device",
}


@pytest.fixture
def odd_file(request, tmp_path, monkeypatch):
    """A path that exists but is not a regular file, and a check that it still is that."""
    kind = request.param
    path = tmp_path / "scores.csv"
    if kind == "fifo":
        os.mkfifo(path)
        check = stat.S_ISFIFO
    elif kind == "socket":
        monkeypatch.chdir(tmp_path)  # a socket's path must be short; bind a relative one
        server = socket.socket(socket.AF_UNIX)
        server.bind(path.name)
        request.addfinalizer(server.close)
        check = stat.S_ISSOCK
    elif kind == "directory":
        path.mkdir()
        check = stat.S_ISDIR
    else:
        path = Path("/dev/null")  # only ever read and refused, never replaced
        check = stat.S_ISCHR
    yield path, KINDS[kind]
    assert check(os.lstat(path).st_mode), f"{path} is no longer {KINDS[kind]}"


def _within(seconds: float, action: Callable[[], object], path: Path) -> BaseException:
    """Run ``action``, which must raise, and fail (not hang) if it blocks on ``path``."""
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            action()
        except BaseException as error:  # handed back to the test to inspect
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        # Opening a pipe for reading waits for a writer; be that writer to set it free.
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(seconds)
        pytest.fail(f"reading {path} blocked")
    assert outcome, "the action did not raise"
    return outcome[0]


ALL_KINDS = pytest.mark.parametrize("odd_file", list(KINDS), indirect=True)


@ALL_KINDS
def test_reading_something_that_is_not_a_file_is_refused_at_once(odd_file):
    path, kind = odd_file
    error = _within(5, lambda: log.read_raw(path), path)
    assert isinstance(error, LogFormatError)
    assert str(error) == f"{path}: is {kind}, not a CSV file"
    assert (error.source, error.line) == (str(path), None)


@ALL_KINDS
def test_writing_something_that_is_not_a_file_is_refused_and_leaves_it(odd_file):
    path, kind = odd_file
    message = f"{path}: is {kind}, not a regular file; nothing was written"
    for write in [*_writes(path).values(), lambda: log.atomic_write(path, ONE_ROW)]:
        error = _within(5, write, path)
        assert isinstance(error, LogWriteError), error
        assert str(error) == message
    beside = path.parent.iterdir() if path.parent != Path("/dev") else []
    assert [p.name for p in beside if p.name.startswith(f"{path.name}.")] == []
    assert not Path(f"{path}.lock").exists() and not log.backup_path(path).exists()


# --- a read-only log ------------------------------------------------------------------


@pytest.mark.parametrize("change", ["append", "replace", "delete", "atomic_write"])
def test_a_read_only_log_is_refused_unchanged_even_where_a_rename_would_work(
    log_path, change
):
    log_path.write_bytes(ONE_ROW)
    os.chmod(log_path, 0o444)
    writes = {**_writes(log_path), "atomic_write": lambda: log.atomic_write(log_path, b"")}
    with pytest.raises(LogWriteError) as caught:
        writes[change]()
    assert str(caught.value) == (f"{log_path}: is read-only; make it writable to change it")
    assert log_path.read_bytes() == ONE_ROW
    assert stat.S_IMODE(log_path.stat().st_mode) == 0o444
    assert sorted(p.name for p in log_path.parent.iterdir()) in (
        ["scores.csv"],
        ["scores.csv", "scores.csv.lock"],
    )


def test_a_log_with_no_write_bit_is_read_only_whatever_else_it_allows(log_path):
    # r-xr-xr-x: executable for everyone, writable for no one (root could still write).
    log_path.write_bytes(ONE_ROW)
    os.chmod(log_path, 0o555)
    with pytest.raises(LogWriteError) as caught:
        log.append_entry(log_path, NEW, today=TODAY)
    assert str(caught.value) == f"{log_path}: is read-only; make it writable to change it"
    assert log_path.read_bytes() == ONE_ROW


def test_a_log_under_a_file_cannot_be_checked(tmp_path):
    # "notes.txt/scores.csv": the folder is a file.
    (tmp_path / "notes.txt").write_text("not a folder")
    path = tmp_path / "notes.txt" / "scores.csv"
    with pytest.raises(LogWriteError) as caught:
        log.append_entry(path, NEW, today=TODAY)
    assert str(caught.value) == (
        f"{path}: cannot be checked (Not a directory); nothing was written"
    )


def test_a_log_swapped_for_a_pipe_after_the_check_is_refused(log_path, monkeypatch):
    # The kind is checked again on the opened file: what was checked may have been
    # replaced in between (here the second look is made to see a named pipe).
    log_path.write_bytes(ONE_ROW)
    pipe = os.stat_result((stat.S_IFIFO | 0o644, 0, 0, 1, 0, 0, 0, 0, 0, 0))
    monkeypatch.setattr(log.os, "fstat", lambda descriptor: pipe)
    with pytest.raises(LogFormatError) as caught:
        log.read_raw(log_path)
    assert str(caught.value) == f"{log_path}: is a named pipe (FIFO), not a CSV file"


@pytest.mark.parametrize(
    ("kind", "words"), [(stat.S_IFBLK, "a device"), (0, "a special file")]
)
def test_a_block_device_or_an_odd_file_is_no_log(log_path, monkeypatch, kind, words):
    # A block device (made here by what the check sees) and a file of no known kind.
    log_path.write_bytes(ONE_ROW)
    odd = os.stat_result((kind | 0o644, 0, 0, 1, 0, 0, 0, 0, 0, 0))
    monkeypatch.setattr(log.os, "stat", lambda path: odd)
    with pytest.raises(LogFormatError) as caught:
        log.read_raw(log_path)
    assert str(caught.value) == f"{log_path}: is {words}, not a CSV file"


def test_a_log_under_a_file_cannot_be_read(tmp_path):
    (tmp_path / "notes.txt").write_text("not a folder")
    path = tmp_path / "notes.txt" / "scores.csv"
    with pytest.raises(LogFormatError) as caught:
        log.read_log(path)
    assert str(caught.value) == f"{path}: cannot be read: Not a directory"


def test_a_failed_write_whose_temporary_cannot_be_removed_is_still_reported(
    log_path, monkeypatch
):
    log_path.write_bytes(ONE_ROW)

    def fail(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(log.os, "replace", fail)
    monkeypatch.setattr(log.os, "unlink", fail)
    with pytest.raises(LogWriteError) as caught:
        log.atomic_write(log_path, b"new")
    assert str(caught.value) == (
        f"{log_path}: could not be written (Read-only file system); the file is unchanged"
    )
    assert log_path.read_bytes() == ONE_ROW


def test_a_log_the_user_may_not_write_is_refused(log_path, monkeypatch):
    log_path.write_bytes(ONE_ROW)
    real_access = os.access

    def access(path, mode, **kwargs):  # as for a file owned by somebody else
        if Path(path) == log_path and mode & os.W_OK:
            return False
        return real_access(path, mode, **kwargs)

    monkeypatch.setattr(log.os, "access", access)
    with pytest.raises(LogWriteError, match="is read-only; make it writable"):
        log.append_entry(log_path, NEW, today=TODAY)
    assert log_path.read_bytes() == ONE_ROW


def test_a_writable_log_is_still_written_and_keeps_its_mode(log_path):
    log_path.write_bytes(ONE_ROW)
    os.chmod(log_path, 0o640)
    for write in _writes(log_path).values():
        write()
    assert stat.S_IMODE(log_path.stat().st_mode) == 0o640
    assert len(log.read_log(log_path)) == 1


# --- temporary files of neighbouring logs ---------------------------------------------


def _temporary_name_of(path: Path, monkeypatch) -> str:
    """The name a real write of ``path`` gives its temporary file."""
    seen: list[str] = []
    real_replace = os.replace

    def replace(source, destination, **kwargs):
        seen.append(os.path.basename(source))
        return real_replace(source, destination, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(log.os, "replace", replace)
        log.atomic_write(path, ONE_ROW)
    [name] = seen
    return name


@pytest.mark.parametrize(
    ("mine", "neighbour"),
    [
        ("scores.csv", "scores.csv.v2"),
        ("scores.csv", "scores.csv.bak.v2"),
        ("scores", "scores.csv"),
        ("scores.csv.v2", "scores.csv"),
        ("a.b", "a.b.c.d"),
    ],
)
def test_writing_one_log_leaves_a_neighbours_temporary_file_alone(
    tmp_path, monkeypatch, mine, neighbour
):
    in_flight = tmp_path / _temporary_name_of(tmp_path / neighbour, monkeypatch)
    in_flight.write_bytes(b"half of the neighbour's new file")
    log.append_entry(tmp_path / mine, NEW, today=TODAY)
    assert in_flight.read_bytes() == b"half of the neighbour's new file"


def test_the_next_write_removes_its_own_and_its_backups_stale_temporaries(
    log_path, monkeypatch
):
    stale = [
        log_path.with_name(_temporary_name_of(log_path, monkeypatch)),
        log_path.with_name(_temporary_name_of(log.backup_path(log_path), monkeypatch)),
    ]
    log_path.write_bytes(ONE_ROW)
    for path in stale:
        path.write_bytes(b"left by a killed writer")
    log.append_entry(log_path, NEW, today=TODAY)
    assert not any(path.exists() for path in stale)


WRITER = """
    import datetime as dt, sys, time
    from pathlib import Path
    from tracker.errors import LogWriteError
    from tracker.log import Entry, append_entry
    log_path, go = Path(sys.argv[1]), Path(sys.argv[2])
    while not go.exists():
        time.sleep(0.005)
    refused = 0
    for i in range(60):
        entry = Entry(dt.date(2026, 11, 1), f"{log_path.name} #{i}", 200 + i)
        try:
            append_entry(log_path, entry, today=dt.date(2026, 11, 26))
        except LogWriteError as error:
            refused += 1
            print(error, file=sys.stderr)
    print(refused)
"""


def test_two_logs_side_by_side_written_at_once_lose_nothing(tmp_path):
    go = tmp_path / "go"
    paths = [tmp_path / "scores.csv", tmp_path / "scores.csv.v2"]
    # A longer log keeps each temporary file around for longer, so writes overlap.
    start = log.format_log([NEW] * 3000)
    for path in paths:
        path.write_bytes(start)
    writers = [run_python(WRITER, str(path), str(go)) for path in paths]
    go.touch()
    try:
        results = [writer.communicate(timeout=WAIT_SECONDS) for writer in writers]
    finally:
        for writer in writers:
            writer.kill()
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0 and out.strip() == "0", err
    for path in paths:
        names = [entry.assessment for entry in log.read_log(path)[3000:]]
        assert names == [f"{path.name} #{i}" for i in range(60)]


# --- a log too large to be a score log ------------------------------------------------


def test_a_log_larger_than_the_cap_is_refused_in_one_line(log_path):
    cap = log.MAX_LOG_BYTES
    with open(log_path, "wb") as stream:
        stream.truncate(cap + 1)  # sparse: no disk used, nothing to write
    with pytest.raises(LogFormatError) as caught:
        log.read_log(log_path)
    assert str(caught.value) == (
        f"{log_path}: is {cap + 1:,} bytes; a score log may be at most {cap:,} bytes"
    )
    with pytest.raises(LogFormatError):  # and nothing is written over it
        log.append_entry(log_path, NEW, today=TODAY)
    assert log_path.stat().st_size == cap + 1


def test_a_log_that_grows_past_the_cap_while_read_is_refused(log_path, monkeypatch):
    cap = log.MAX_LOG_BYTES
    with open(log_path, "wb") as stream:
        stream.truncate(cap + 1)
    real_stat = os.stat

    def stat_before_it_grew(path, *args, **kwargs):
        result = real_stat(path, *args, **kwargs)
        if os.fspath(path) == os.fspath(log_path):
            fields = list(result)
            fields[stat.ST_SIZE] = 100
            return os.stat_result(fields)
        return result

    monkeypatch.setattr(log.os, "stat", stat_before_it_grew)
    with pytest.raises(LogFormatError) as caught:
        log.read_raw(log_path)
    assert str(caught.value) == (
        f"{log_path}: is more than {cap:,} bytes; a score log may be at most {cap:,} bytes"
    )


def test_a_million_row_log_is_well_under_the_cap(log_path):
    row = b"2026-10-01,NBME 13,231,slept 7h\n"  # ~30 bytes, a realistic row
    data = HEADER + row * 1_000_000
    log_path.write_bytes(data)
    assert log.read_raw(log_path) == data
    with open(log_path, "wb") as stream:
        stream.truncate(log.MAX_LOG_BYTES)  # exactly at the cap is still read
    assert len(log.read_raw(log_path)) == log.MAX_LOG_BYTES


# --- a failed directory sync after the rename ------------------------------------------


def test_a_failed_directory_sync_says_the_new_content_is_in_place(log_path, monkeypatch):
    log_path.write_bytes(ONE_ROW)

    def sync_fails(directory):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files, "_fsync_directory", sync_fails)
    with pytest.raises(LogWriteError) as caught:
        log.append_entry(log_path, NEW, today=TODAY)
    message = str(caught.value)
    assert "unchanged" not in message
    assert message == (
        f"{log_path}: the new content is in place, but the folder could not be synced "
        "(Input/output error), so it may not survive a power cut yet; "
        "do not repeat the change"
    )
    assert len(log.read_log(log_path)) == 2
