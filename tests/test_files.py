"""The one reader and the one writer of every file: their steps, one at a time."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tracker import files
from tracker.errors import FileReadError, LogWriteError
from tracker.spreadsheet import spreadsheet_text

OLD, NEW, OLDER = b"old\n", b"new\n", b"older\n"


# --- reading ------------------------------------------------------------------------------


def read(path: Path, max_bytes: int = 100) -> bytes | None:
    return files.read_regular(path, max_bytes=max_bytes, what="a note", format_name="text")


def test_a_missing_file_reads_as_none_and_a_link_to_nothing_is_refused(tmp_path):
    assert read(tmp_path / "absent.txt") is None
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "unmounted" / "note.txt")
    with pytest.raises(FileReadError) as caught:
        read(link)
    assert str(caught.value) == (
        f"{link}: is a symbolic link to {tmp_path / 'unmounted' / 'note.txt'}, which "
        "does not exist"
    )
    assert caught.value.path == str(link)


def test_the_cap_is_the_kinds_own_and_exactly_the_cap_is_read(tmp_path):
    path = tmp_path / "note.txt"
    path.write_bytes(b"x" * 100)
    assert read(path) == b"x" * 100
    path.write_bytes(b"x" * 101)
    with pytest.raises(FileReadError) as caught:
        read(path)
    assert caught.value.problem == "is 101 bytes; a note may be at most 100 bytes"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (os.mkfifo, "a named pipe (FIFO)"),
        (Path.mkdir, "a directory"),
        (lambda path: path.symlink_to("/dev/zero"), "a device"),
    ],
)
def test_anything_but_a_regular_file_is_refused_unopened(tmp_path, make, words):
    path = tmp_path / "note.txt"
    make(path)
    with pytest.raises(FileReadError) as caught:
        read(path)
    assert caught.value.problem == f"is {words}, not text"
    assert files.not_a_regular_file(path, "text") == f"is {words}, not text"


def test_a_regular_file_or_a_missing_one_is_no_problem_before_reading(tmp_path):
    path = tmp_path / "note.txt"
    assert files.not_a_regular_file(path, "text") is None
    path.write_bytes(OLD)
    assert files.not_a_regular_file(path, "text") is None


# --- replacing a file and keeping its backup ----------------------------------------------


@pytest.fixture
def kept(tmp_path):
    """A file holding NEW's predecessor OLD, with OLDER as its backup."""
    path, backup = tmp_path / "note.txt", tmp_path / "note.txt.bak"
    path.write_bytes(OLD)
    backup.write_bytes(OLDER)
    return path, backup


def replace(path: Path, backup: Path) -> None:
    files.replace_keeping_backup(path, NEW, OLD, backup=backup, kept="previous version")


def test_the_new_file_and_its_backup_both_land(kept):
    path, backup = kept
    os.chmod(path, 0o640)
    replace(path, backup)
    assert (path.read_bytes(), backup.read_bytes()) == (NEW, OLD)
    assert files.mode_of(backup) == files.mode_of(path) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["note.txt", "note.txt.bak"]


@pytest.mark.parametrize("failing", ["new file", "backup copy"])
def test_a_full_disk_at_either_write_changes_neither_file(kept, monkeypatch, failing):
    # Both are written before anything is renamed: whichever does not fit, the backup
    # is still the one before the last change.
    path, backup = kept
    real_fsync, calls = os.fsync, []

    def fsync(descriptor):
        calls.append(descriptor)
        if len(calls) == (1 if failing == "new file" else 2):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(LogWriteError) as caught:
        replace(path, backup)
    assert str(caught.value) == (
        f"{path}: could not be written (No space left on device); the file is unchanged"
    )
    assert (path.read_bytes(), backup.read_bytes()) == (OLD, OLDER)
    assert sorted(p.name for p in path.parent.iterdir()) == ["note.txt", "note.txt.bak"]


def test_a_failed_rename_of_the_new_file_changes_neither_file(kept, monkeypatch):
    path, backup = kept
    real_replace = os.replace

    def rename(source, target):
        if Path(target) == path:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", rename)
    with pytest.raises(LogWriteError, match="the file is unchanged"):
        replace(path, backup)
    assert (path.read_bytes(), backup.read_bytes()) == (OLD, OLDER)
    assert sorted(p.name for p in path.parent.iterdir()) == ["note.txt", "note.txt.bak"]


@pytest.mark.parametrize(
    ("where", "make", "words"),
    [
        ("note.txt.bak", Path.mkdir, "a directory"),
        ("note.txt.bak", os.mkfifo, "a named pipe (FIFO)"),
        ("note.txt.bak.new", Path.mkdir, "a directory"),
    ],
)
def test_a_backup_that_is_no_file_stops_the_change_before_it_starts(
    tmp_path, where, make, words
):
    # Found by the property test: the new file was in place before the backup's rename
    # failed on a folder, and the command said it had failed.
    path = tmp_path / "note.txt"
    path.write_bytes(OLD)
    make(tmp_path / where)
    with pytest.raises(LogWriteError) as caught:
        replace(path, tmp_path / "note.txt.bak")
    assert str(caught.value) == (
        f"{tmp_path / where}: is {words}, where the tracker keeps a backup; nothing was "
        "written (move it away first)"
    )
    assert path.read_bytes() == OLD


def test_a_backup_that_is_a_link_is_replaced_and_what_it_points_to_kept(kept):
    path, backup = kept
    precious = path.with_name("precious.txt")
    precious.write_bytes(b"precious\n")
    backup.unlink()
    backup.symlink_to(precious)
    replace(path, backup)
    assert not backup.is_symlink() and backup.read_bytes() == OLD
    assert precious.read_bytes() == b"precious\n"


# --- what a kill leaves, and the next writer ----------------------------------------------


def finish(path: Path, backup: Path) -> None:
    files.finish_interrupted_backup(path, backup, max_bytes=100)


def test_a_pending_backup_equal_to_the_file_is_dropped(kept):
    # Killed before the new file was renamed in: nothing changed, the copy is spare.
    path, backup = kept
    files.pending_path(backup).write_bytes(OLD)
    finish(path, backup)
    assert (path.read_bytes(), backup.read_bytes()) == (OLD, OLDER)
    assert not files.pending_path(backup).exists()


def test_a_pending_backup_unlike_the_file_becomes_the_backup(kept):
    # Killed after the new file was renamed in: only the backup's rename was missing.
    path, backup = kept
    path.write_bytes(NEW)
    files.pending_path(backup).write_bytes(OLD)
    finish(path, backup)
    assert (path.read_bytes(), backup.read_bytes()) == (NEW, OLD)
    assert not files.pending_path(backup).exists()


def test_a_pending_backup_that_is_a_link_is_removed_and_its_target_kept(kept):
    path, backup = kept
    precious = path.with_name("precious.txt")
    precious.write_bytes(b"precious\n")
    files.pending_path(backup).symlink_to(precious)
    finish(path, backup)
    assert not os.path.lexists(files.pending_path(backup))
    assert (precious.read_bytes(), backup.read_bytes()) == (b"precious\n", OLDER)


def test_a_pending_backup_that_cannot_be_read_stops_the_change_and_is_kept(kept):
    # It may be the only copy of the version before the last change.
    path, backup = kept
    pending = files.pending_path(backup)
    pending.write_bytes(b"x" * 101)  # over this kind's cap
    with pytest.raises(LogWriteError) as caught:
        finish(path, backup)
    assert str(caught.value) == (
        f"{pending}: is 101 bytes; a backup may be at most 100 bytes; note.txt.bak.new "
        "may hold the version before the last change, so nothing was written (move it "
        "away first)"
    )
    assert pending.read_bytes() == b"x" * 101
    assert backup.read_bytes() == OLDER


def test_a_pending_backup_that_cannot_be_moved_stops_the_next_change(kept, monkeypatch):
    # Moving on would overwrite the only copy of the version before the last change.
    path, backup = kept
    path.write_bytes(NEW)
    files.pending_path(backup).write_bytes(OLD)

    def rename(source, target):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", rename)
    with pytest.raises(LogWriteError) as caught:
        finish(path, backup)
    assert str(caught.value) == (
        f"{files.pending_path(backup)}: holds the version before the last change, and "
        "it could not be moved to note.txt.bak (Read-only file system); nothing was "
        "written"
    )


def test_the_lock_cleans_the_temporaries_of_the_file_its_backup_and_the_pending_one(
    kept,
):
    path, backup = kept
    folder = path.parent
    stale = [".note.txt.abc_1.tmp", ".note.txt.bak.def2.tmp", ".note.txt.bak.new.g3.tmp"]
    neighbours = [".note.txt.v2.abc.tmp", ".other.txt.abc.tmp"]
    for name in stale + neighbours:
        (folder / name).write_bytes(b"left by a killed writer")
    with files.Locked(path, folder / "note.txt.lock", backup=backup, max_bytes=100,
                      timeout=1.0, busy="busy"):  # fmt: skip
        pass
    assert sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp")) == sorted(
        neighbours
    )


def test_the_lock_refuses_a_folder_that_does_not_exist(tmp_path):
    path = tmp_path / "unmounted" / "note.txt"
    with pytest.raises(LogWriteError, match="does not exist; nothing was written"):
        files.Locked(path, path.with_name("x.lock"), backup=None, max_bytes=100,
                     timeout=1.0, busy="busy")  # fmt: skip
    assert list(tmp_path.iterdir()) == []


# --- outputs ------------------------------------------------------------------------------


def ours(probe: bytes) -> bool:
    return b"MARK" in probe


def test_an_output_is_judged_by_its_start_or_with_look_at_end_its_end(tmp_path):
    out = tmp_path / "out.pdf"
    out.write_bytes(b"%PDF" + b"." * 10_000 + b"MARK")  # the mark only at the end
    with pytest.raises(LogWriteError, match="already exists and is not a chart"):
        files.check_output(out, kind="chart", looks_like=ours)
    files.check_output(out, kind="chart", looks_like=ours, look_at_end=True)
    out.write_bytes(b"%PDF" + b"." * 10_000)
    with pytest.raises(LogWriteError, match="already exists and is not a chart"):
        files.check_output(out, kind="chart", looks_like=ours, look_at_end=True)


def test_an_output_that_is_a_link_is_refused_even_to_its_own_kind(tmp_path):
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(b"MARK")
    out = tmp_path / "out.pdf"
    out.symlink_to(mine)
    with pytest.raises(LogWriteError) as caught:
        files.write_output(out, b"MARK new", kind="chart", looks_like=ours)
    assert str(caught.value) == (
        f"{out} is a symbolic link; the chart is written only to a plain file name "
        "(nothing was written)"
    )
    assert mine.read_bytes() == b"MARK" and out.is_symlink()


# --- spreadsheet-safe text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "safe"),
    [
        ("NBME 13", "NBME 13"),
        ("=1+1", "'=1+1"),
        ("x;=1+1", "x;'=1+1"),  # a semicolon locale splits here
        ("x; +1", "x; '+1"),
        ("a\t-b", "a\t'-b"),
        ("first line\n@second", "first line\n'@second"),
        ("\t=x", "'\t'=x"),
        ("fine, = calm", "fine, = calm"),  # a comma's cell is quoted whole by csv
        ("x=1;y", "x=1;y"),
        ("", ""),
    ],
)
def test_every_place_a_spreadsheet_could_start_a_formula_gets_an_apostrophe(typed, safe):
    assert spreadsheet_text(typed) == safe
