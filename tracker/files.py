"""Every file the tracker touches, read one way and written one way.

The score log set the rules; every other file (its backup, ``settings.json``, the form
catalogs, a cohort's logs, the chart, the calendar, a calibrated catalog) now follows
them:

- **Reading** (:func:`read_regular`): only a regular file is read. It is looked at
  before it is opened, opened without blocking (a named pipe swapped in cannot hang the
  reader), looked at again once open, and read up to a size cap of its own kind. A link
  that points nowhere is refused rather than taken for a missing file.
- **Writing** (:func:`atomic_write`): a temporary file beside the target, flushed and
  fsynced, then renamed over it, so a reader sees the old or the new file whole. A link
  to a regular file is written through; a link to nothing, a folder, a pipe, a device
  or a read-only file is refused, unchanged. ``own_file`` is for files the tracker
  made (a backup): a link found there is replaced, never followed.
- **Backups** (:func:`replace_keeping_backup`): both the new file and the copy of the
  old one are on disk before either is renamed, and the backup is replaced only after
  the new file is in place, so a full disk or a kill never costs the last undo point.
- **Outputs** (:func:`write_output`): a chart, a calendar or a catalog a command writes
  never goes through a link, and never replaces a file that does not already hold
  that kind of output.
- **Leftovers** (:class:`Locked`): whoever takes a file's lock first removes the
  temporary files killed writers left and finishes a backup a kill interrupted.
- **Permissions**: a copy of a file (its backup) gets that file's own mode, never a
  wider one.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from tracker.errors import FileReadError, LogBusyError, LogWriteError

# Non-blocking, so that a file swapped for a named pipe after the check cannot hang us.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
OUTPUT_PROBE_BYTES = 4096  # enough of a file's start to tell what kind it is
PENDING_SUFFIX = ".new"  # a backup waiting to replace the old one: scores.csv.bak.new


# --- what a path is -----------------------------------------------------------------------


def resolved(path: str | os.PathLike[str]) -> Path:
    """``path`` with every symbolic link followed (as far as the links exist)."""
    return Path(os.path.realpath(path))


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def dangling(path: Path) -> str:
    """The problem with a link whose target does not exist, for an error message."""
    return f"is a symbolic link to {resolved(path)}, which does not exist"


def not_a_regular_file(path: Path, format_name: str) -> str | None:
    """Why ``path`` cannot be read as ``format_name`` ("a CSV file") without opening
    it, or None when it is a regular file (links followed) or does not exist."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return dangling(path) if os.path.islink(path) else None
    except OSError as error:
        return f"cannot be read: {error.strerror}"
    kind = kind_of(mode)
    return None if kind is None else f"is {kind}, not {format_name}"


# --- reading ------------------------------------------------------------------------------


def read_regular(
    path: str | os.PathLike[str], *, max_bytes: int, what: str, format_name: str
) -> bytes | None:
    """The bytes of the regular file ``path``, or None when there is no such file.

    ``what`` names the kind of file in the size message ("a score log may be at most
    … bytes") and ``format_name`` in the kind message ("is a named pipe (FIFO), not a
    CSV file"). Anything but a regular file of at most ``max_bytes`` bytes is a
    :class:`FileReadError`; a link that points nowhere is one too.
    """
    path = Path(path)
    try:
        info = os.stat(path)  # before opening: opening a named pipe would block
    except FileNotFoundError:
        if os.path.islink(path):
            raise FileReadError(path, dangling(path)) from None
        return None
    except OSError as error:
        raise FileReadError(path, f"cannot be read: {error.strerror}") from None
    _check_kind(path, info.st_mode, format_name)
    _check_size(path, info.st_size, max_bytes, what)
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except OSError as error:
        raise FileReadError(path, f"cannot be read: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as stream:
        _check_kind(path, os.fstat(stream.fileno()).st_mode, format_name)  # swapped?
        try:
            data = stream.read(max_bytes + 1)  # one byte more tells that it grew
        except OSError as error:
            raise FileReadError(path, f"cannot be read: {error.strerror}") from None
    if len(data) > max_bytes:
        _check_size(path, None, max_bytes, what)
    return data


def _check_kind(path: Path, mode: int, format_name: str) -> None:
    kind = kind_of(mode)
    if kind is not None:
        raise FileReadError(path, f"is {kind}, not {format_name}")


def _check_size(path: Path, size: int | None, max_bytes: int, what: str) -> None:
    """Refuse a file over the cap; ``size`` None means "more than the cap"."""
    if size is not None and size <= max_bytes:
        return
    how_big = f"{size:,}" if size is not None else f"more than {max_bytes:,}"
    raise FileReadError(
        path, f"is {how_big} bytes; {what} may be at most {max_bytes:,} bytes"
    )


# --- writing ------------------------------------------------------------------------------


def write_target(path: Path) -> Path:
    """The file a write to ``path`` changes, once it is known that it may be changed.

    Links are followed, so the write goes to the link's target and the link stays. A
    link that points nowhere is refused, not followed: it usually means a synced folder
    or a drive is missing, and a new file made there would hide the real one. A file
    with no write permission for anyone is refused even where root could write it, or
    where the folder would allow the rename that replaces it.
    """
    target = resolved(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            raise LogWriteError(f"{path}: {dangling(path)}; nothing was written") from None
        return target  # a new file
    except OSError as error:
        raise LogWriteError(
            f"{path}: cannot be checked ({error.strerror}); nothing was written"
        ) from None
    kind = kind_of(mode)
    if kind is not None:
        raise LogWriteError(f"{path}: is {kind}, not a regular file; nothing was written")
    if mode & 0o222 == 0 or not os.access(target, os.W_OK):
        raise LogWriteError(f"{path}: is read-only; make it writable to change it")
    return target


def mode_of(path: Path) -> int:
    """The permission bits of an existing file (links followed)."""
    return stat.S_IMODE(os.stat(path).st_mode)


def _new_file_mode(target: Path) -> int:
    """An existing file keeps its mode; a new one (or a link about to be replaced by a
    file) gets what an ordinary new file would."""
    if target.is_symlink() or not target.exists():
        return 0o666 & ~_umask()
    return mode_of(target)


def _umask() -> int:
    mask = os.umask(0o022)  # reading the mask means setting it; put it straight back
    os.umask(mask)
    return mask


def _write_temporary(target: Path, data: bytes, mode: int) -> str:
    """A fsynced temporary file beside ``target`` holding ``data``, with ``mode``; its
    name. It is removed again if anything fails."""
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private (0600); give it the mode the target will have.
        os.chmod(temporary, mode)
    except BaseException:
        _remove(temporary)
        raise
    return temporary


def _remove(name: str | os.PathLike[str]) -> None:
    # Used once a write has already failed and says so: a leftover is harmless, and
    # the next writer holding the lock removes it.
    with contextlib.suppress(OSError):
        os.unlink(name)


def atomic_write(
    path: Path,
    data: bytes,
    *,
    sync_folder: bool = True,
    own_file: bool = False,
    mode: int | None = None,
) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file whole.

    A link is followed: the temporary file is made beside the link's target and renamed
    over the target, so the link stays a link. What cannot be written (a link to
    nothing, a folder, a pipe, a device, a read-only file) is refused, unchanged.
    ``sync_folder=False`` leaves the folder's sync to a write that follows in the same
    folder. ``own_file=True`` is for the tracker's own files (a ``.bak``): a link found
    there is replaced by the file, never followed. ``mode`` (permission bits) defaults
    to the old file's, or an ordinary new file's.
    """
    path = Path(path)
    target = path if own_file and os.path.islink(path) else write_target(path)
    try:
        temporary = _write_temporary(
            target, data, _new_file_mode(target) if mode is None else mode
        )
        try:
            os.replace(temporary, target)
        except BaseException:
            _remove(temporary)
            raise
    except OSError as error:
        raise LogWriteError(
            f"{path}: could not be written ({error.strerror}); the file is unchanged"
        ) from None
    if sync_folder:
        _sync_after_rename(path, target.parent)


def _sync_after_rename(path: Path, folder: Path) -> None:
    try:
        _fsync_directory(folder)
    except OSError as error:
        # The rename has happened: saying "unchanged" would invite a duplicate retry.
        raise LogWriteError(
            f"{path}: the new content is in place, but the folder could not be synced "
            f"({error.strerror}), so it may not survive a power cut yet; "
            "do not repeat the change"
        ) from None


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable; not every platform can open a directory.
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def check_folder(path: Path) -> None:
    """Refuse a file whose folder does not exist, rather than make the folder: a
    missing folder is more likely an unmounted drive or a typo than a wish."""
    folder = resolved(path).parent
    if not folder.is_dir():
        raise LogWriteError(
            f"{path}: the folder {folder} does not exist; nothing was written (is a "
            "drive or a synced folder missing? create the folder first if it is new)"
        )


def pending_path(backup: Path) -> Path:
    """Where a new backup waits until the file it backs up is in place."""
    return backup.with_name(backup.name + PENDING_SUFFIX)


def replace_keeping_backup(
    path: Path, data: bytes, previous: bytes, *, backup: Path, kept: str
) -> None:
    """Replace ``path`` with ``data`` and keep ``previous`` (its old bytes) as ``backup``.

    Both are written in full before anything is renamed: the new file as a temporary
    beside its target, the old bytes as ``<backup>.new``. Then the new file is renamed
    into place, and only then the backup. A full disk fails before any rename (both
    files unchanged); a kill before the first rename leaves both files as they were,
    after it a ``.new`` that the next writer moves into place (:class:`Locked`). The
    backup gets the file's own mode. ``kept`` names the old version in the message when
    the backup cannot be replaced ("previous version", "undone version").
    """
    target = write_target(path)
    pending = pending_path(backup)
    for own in (backup, pending):
        _check_own_file(own)
    mode = _new_file_mode(target)
    try:
        temporary = _write_temporary(target, data, mode)
        try:
            pending_temporary = _write_temporary(pending, previous, mode)
            try:
                os.replace(pending_temporary, pending)  # a link there is replaced
            except BaseException:
                _remove(pending_temporary)
                raise
            try:
                os.replace(temporary, target)
            except BaseException:
                _remove(pending)
                raise
        except BaseException:
            _remove(temporary)
            raise
    except OSError as error:
        raise LogWriteError(
            f"{path}: could not be written ({error.strerror}); the file is unchanged"
        ) from None
    try:
        os.replace(pending, backup)
    except OSError as error:
        raise LogWriteError(
            f"{backup}: could not be replaced ({error.strerror}); the {kept} is kept "
            f"as {pending.name}"
        ) from None
    _sync_after_rename(path, target.parent)


def _check_own_file(path: Path) -> None:
    """Refuse to go on when a file the tracker keeps (a backup) is something else: a
    folder or a pipe there could not be replaced once the new file is in place."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise LogWriteError(
            f"{path}: cannot be checked ({error.strerror}); nothing was written"
        ) from None
    kind = kind_of(mode)
    if kind is not None and not stat.S_ISLNK(mode):
        raise LogWriteError(
            f"{path}: is {kind}, where the tracker keeps a backup; nothing was written "
            "(move it away first)"
        )


def finish_interrupted_backup(path: Path, backup: Path, *, max_bytes: int) -> None:
    """Finish or drop the ``<backup>.new`` a killed :func:`replace_keeping_backup` left.

    If it holds what the file holds, the file was never replaced: it is dropped. If the
    file differs, the file was replaced and only the backup's rename is missing: it is
    done now. Called with the lock held. One that cannot be read stops the change: it
    may be the only copy of the version before the last change.
    """
    pending = pending_path(backup)
    if not os.path.lexists(pending):
        return
    if os.path.islink(pending) or not stat.S_ISREG(os.lstat(pending).st_mode):
        _remove(pending)  # never ours: the tracker writes a regular file there
        return
    try:
        kept = read_regular(pending, max_bytes=max_bytes, what="a backup", format_name="")
        current = read_regular(path, max_bytes=max_bytes, what="a file", format_name="")
    except FileReadError as error:
        raise LogWriteError(
            f"{error}; {pending.name} may hold the version before the last change, so "
            "nothing was written (move it away first)"
        ) from None
    if kept == current:
        _remove(pending)
        return
    try:
        os.replace(pending, backup)
    except OSError as error:
        raise LogWriteError(
            f"{pending}: holds the version before the last change, and it could not "
            f"be moved to {backup.name} ({error.strerror}); nothing was written"
        ) from None


# --- outputs a command writes -------------------------------------------------------------


def check_output(
    path: Path,
    *,
    kind: str,
    looks_like: Callable[[bytes], bool],
    look_at_end: bool = False,
) -> None:
    """Refuse an output ``path`` that is a link, or a file that is not already ``kind``.

    Only a missing file, or a regular file whose first bytes ``looks_like`` judges to
    be ``kind`` (one the tracker made), may be replaced: never a log, its backup, or
    anything else. ``look_at_end`` lets the last bytes decide too (a PDF keeps its
    creator at its end). A link is refused whatever it points to.
    """
    path = Path(path)
    if os.path.islink(path):
        raise LogWriteError(
            f"{path} is a symbolic link; the {kind} is written only to a plain file "
            "name (nothing was written)"
        )
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise LogWriteError(f"{path}: cannot be checked ({error.strerror})") from None
    if stat.S_ISDIR(status.st_mode):
        raise LogWriteError(f"{path} is a folder; give a file name for the {kind}")
    if not stat.S_ISREG(status.st_mode):
        raise LogWriteError(f"{path}: is not a regular file; nothing was written")
    try:
        descriptor = os.open(path, _READ_FLAGS)
        with os.fdopen(descriptor, "rb") as stream:
            probes = [stream.read(OUTPUT_PROBE_BYTES)]
            if look_at_end and status.st_size > OUTPUT_PROBE_BYTES:
                stream.seek(-OUTPUT_PROBE_BYTES, os.SEEK_END)
                probes.append(stream.read(OUTPUT_PROBE_BYTES))
    except OSError as error:
        raise LogWriteError(f"{path}: cannot be checked ({error.strerror})") from None
    if not any(looks_like(probe) for probe in probes):
        raise LogWriteError(
            f"{path} already exists and is not a {kind}; nothing was written (choose "
            "another name, or move that file away first)"
        )


def write_output(
    path: Path,
    data: bytes,
    *,
    kind: str,
    looks_like: Callable[[bytes], bool],
    look_at_end: bool = False,
) -> None:
    """Write an output (chart, calendar, catalog) where :func:`check_output` allows,
    in a folder that exists."""
    check_output(path, kind=kind, looks_like=looks_like, look_at_end=look_at_end)
    check_folder(path)
    atomic_write(path, data)


# --- the lock, and what killed writers left -----------------------------------------------


class Locked:
    """Hold a file's lock; give up with :class:`LogBusyError` after ``timeout`` seconds.

    Once held, the temporary files of ``owners`` (file names in the target's folder)
    that killed writers left are removed, and a backup a kill interrupted is finished
    (:func:`finish_interrupted_backup`). The folder must exist: a missing one is more
    likely an unmounted drive or a typo than a wish, so it is refused, not made.
    """

    def __init__(
        self,
        path: Path,
        lock_file: Path,
        *,
        backup: Path | None,
        max_bytes: int,
        timeout: float,
        busy: str,
    ) -> None:
        from filelock import FileLock  # imported here: read-only commands never need it

        self._path, self._busy, self._backup = path, busy, backup
        self._max_bytes = max_bytes
        check_folder(path)
        self._target = resolved(path)
        self._lock = FileLock(lock_file, timeout=timeout)

    def __enter__(self) -> None:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise LogBusyError(f"{self._path}: {self._busy}; try again") from None
        except OSError as error:
            raise LogWriteError(f"{self._path}: cannot lock: {error.strerror}") from None
        try:
            owners = [self._target]
            if self._backup is not None:
                owners += [self._backup, pending_path(self._backup)]
            remove_stale_temporaries(self._target.parent, [p.name for p in owners])
            if self._backup is not None:
                finish_interrupted_backup(
                    self._target, self._backup, max_bytes=self._max_bytes
                )
        except BaseException:
            self._lock.release()
            raise

    def __exit__(self, *exc_info: object) -> None:
        self._lock.release()


# mkstemp names a temporary file ``.<name>.<random>.tmp`` with a random part drawn from
# [a-z0-9_]. That part has no dot, so a temporary name has exactly one owner: what lies
# between the leading dot and the last two dot-separated parts. A glob cannot say this
# (its ``*`` matches dots too, so ``scores.csv``'s cleanup took ``scores.csv.v2``'s).
_TEMPORARY_NAME = re.compile(r"\.(?P<owner>.+)\.[a-z0-9_]+\.tmp")


def temporary_owner(name: str) -> str | None:
    """The name of the file whose temporary ``name`` is, or None if it is no temporary."""
    match = _TEMPORARY_NAME.fullmatch(name)
    return match["owner"] if match else None


def remove_stale_temporaries(folder: Path, owners: Iterable[str]) -> None:
    """Delete the temporary files killed writers of ``owners`` left in ``folder``.

    Called with the lock held: every writer of these files holds it while its own
    temporary file exists, so any that are there now belong to no live writer. Those
    of other files in the folder (another log's, say) are left alone.
    """
    owners = set(owners)
    try:
        names = os.listdir(folder)
    except OSError:
        return  # nothing to clean where nothing can be listed; the write will report it
    for name in names:
        if temporary_owner(name) in owners:
            _remove(folder / name)
