"""The score log: one CSV row per practice exam, read strictly, written safely.

The file has the header ``date,assessment,score,notes`` (``notes`` optional on read,
columns in any order), ISO dates and whole-number scores on the three-digit scale; a
fifth column, ``issues``, holds test-taking tags (:mod:`tracker.tags`) and is written
only while some row has one.
Reading validates every row and names the file and line of the first problem; nothing
is ever dropped silently. Every write holds a file lock, writes a temporary file beside
the log, fsyncs it and renames it over the log, so a crash leaves either the old file or
the new one. A file that fails to parse is never rewritten.

The same machinery serves the tracker's other CSV files (the area and Q-bank logs):
:class:`Table` describes a file's columns, :func:`read_table` reads one strictly,
:func:`format_table` writes one, :func:`update_file` changes one under the lock with a
``.bak``, and :func:`undo_last_change` swaps a file with its ``.bak``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tracker.errors import InvalidEntryError, LogBusyError, LogFormatError, LogWriteError
from tracker.tags import ISSUES_COLUMN, format_issues, parse_issues

COLUMNS = ("date", "assessment", "score", "notes")  # the header of a log without tags
REQUIRED_COLUMNS = ("date", "assessment", "score")
# Any exam's score or a percentage fits here; each exam then checks its own scale.
SCORE_LOW, SCORE_HIGH = 0, 999
DEFAULT_LOG_PATH = Path("data") / "scores.csv"
LOG_PATH_VARIABLE = "TRACKER_LOG"
LOCK_TIMEOUT_SECONDS = 5.0
ASSESSMENT_MAX_LENGTH = 80
NOTES_MAX_LENGTH = 2_000  # characters; far inside what a read accepts (csv's 131,072)
# Dates a log can hold: wide enough for any student, narrow enough that adding a few
# years of planning can never overflow date arithmetic.
EARLIEST_DATE, LATEST_DATE = dt.date(1990, 1, 1), dt.date(2199, 12, 31)

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
_BOM = "\ufeff"
# Line ends as csv counts them (newline=""): "\r\n", a lone "\r" (old Mac) or "\n".
_LINE_END = re.compile(r"\r\n|\r|\n")
_LINE_END_BYTES = re.compile(rb"\r\n|\r|\n")


def line_at(data: str | bytes, index: int) -> int:
    """The line (from 1) that holds position ``index`` of ``data``, as csv counts lines."""
    line_end = _LINE_END_BYTES if isinstance(data, bytes) else _LINE_END
    return len(line_end.findall(data, 0, index)) + 1


# Characters that reorder or hide text on screen: never part of a form's name.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                           "\u2066\u2067\u2068\u2069")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of the log: the day, the assessment's name, the score as seen, notes.

    The score is a whole number as the student saw it: three-digit points, or percent
    correct for a percent form. Which it is, and what it means, is the exam's business
    (:mod:`tracker.exams`).
    """

    date: dt.date
    assessment: str
    score: int
    notes: str = ""
    issues: tuple[str, ...] = ()  # test-taking tags, canonical order (tracker.tags)


def default_log_path() -> Path:
    """The log the user means: ``$TRACKER_LOG`` when set, else ``data/scores.csv``."""
    return check_log_name(Path(os.environ.get(LOG_PATH_VARIABLE) or DEFAULT_LOG_PATH))


def check_log_name(path: Path) -> Path:
    """``path`` if it can name a file: ``.``, ``..`` and ``/`` name folders, and the
    files kept beside a log (settings, backup, lock) could not be named after them."""
    if Path(path).name in ("", ".", ".."):
        raise LogFormatError(
            str(path), None, "is a folder, not a log file; name the file, such as "
            "data/scores.csv"
        )  # fmt: skip
    return Path(path)


def has_control_characters(text: str, *, allow: str = "") -> bool:
    """Whether ``text`` holds C0/C1 controls, line or paragraph separators (U+2028,
    U+2029) or bidirectional-override characters."""
    return any(
        (unicodedata.category(char) in ("Cc", "Zl", "Zp") and char not in allow)
        or char in _BIDI_CONTROLS
        for char in text
    )


# --- validating single values ------------------------------------------------------


def parse_date(text: str, *, what: str = "date") -> dt.date:
    """Read a ``YYYY-MM-DD`` date in ASCII digits; anything else is an error."""
    text = text.strip()
    if not text:
        raise InvalidEntryError(f"{what} is empty")
    if not _ISO_DATE.fullmatch(text):
        raise InvalidEntryError(
            f"{what} {text!r} is not a date in YYYY-MM-DD form (ASCII digits)"
        )
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidEntryError(f"{what} {text} does not exist in the calendar") from None
    return check_date(day, what=what)


def check_date(day: dt.date, *, what: str = "date") -> dt.date:
    """Return ``day`` if it lies between :data:`EARLIEST_DATE` and :data:`LATEST_DATE`."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise InvalidEntryError(
            f"{what} {day} is outside {EARLIEST_DATE.year}–{LATEST_DATE.year}"
        )
    return day


def parse_score(text: str) -> int:
    """Read a whole-number score in ASCII digits (0–999; the exam checks its scale)."""
    text = text.strip()
    if not text:
        raise InvalidEntryError("score is empty")
    if not _WHOLE_NUMBER.fullmatch(text):
        hint = "; log a percentage without the % sign" if text.endswith("%") else ""
        raise InvalidEntryError(
            f"score {text!r} is not a whole number in ASCII digits (0-9){hint}"
        )
    return check_score(int(text))


def check_score(score: int) -> int:
    """Return ``score`` if it fits any exam's scale or a percentage, else raise."""
    if not SCORE_LOW <= score <= SCORE_HIGH:
        raise InvalidEntryError(
            f"score {score} is outside {SCORE_LOW}–{SCORE_HIGH}, the widest any exam uses"
        )
    return score


def make_entry(
    date: dt.date | str,
    assessment: str,
    score: int | str,
    notes: str = "",
    *,
    today: dt.date | None = None,
    issues: str | Iterable[str] = (),
) -> Entry:
    """Build a validated :class:`Entry` for a *new* result, from typed or textual values.

    ``today`` (default: the real date) bounds the date: a practice exam cannot have
    been taken in the future. New notes may hold line breaks and tabs, no other
    control characters. ``issues`` are test-taking tags (:mod:`tracker.tags`).
    """
    entry = _entry(date, assessment, score, notes, issues)
    today = today or dt.date.today()
    if entry.date > today:
        raise InvalidEntryError(f"date {entry.date} is after today ({today})")
    if len(entry.notes) > NOTES_MAX_LENGTH:
        raise InvalidEntryError(
            f"notes are {len(entry.notes):,} characters long; "
            f"the limit is {NOTES_MAX_LENGTH:,}"
        )
    if has_control_characters(entry.notes, allow="\n\t"):
        raise InvalidEntryError("notes contain a control character")
    return entry


def _entry(
    date: dt.date | str,
    assessment: str,
    score: int | str,
    notes: str,
    issues: str | Iterable[str] = (),
) -> Entry:
    """The checks every row passes, old or new: what a read must accept."""
    date = parse_date(date) if isinstance(date, str) else check_date(date)
    if isinstance(score, bool) or not isinstance(score, int | str):
        raise InvalidEntryError(f"score {score!r} is not a whole number")
    score = parse_score(score) if isinstance(score, str) else check_score(score)
    assessment = assessment.strip()
    if not assessment:
        raise InvalidEntryError("assessment is empty")
    if len(assessment) > ASSESSMENT_MAX_LENGTH:
        raise InvalidEntryError(
            f"assessment name is {len(assessment)} characters long; "
            f"the limit is {ASSESSMENT_MAX_LENGTH}"
        )
    if has_control_characters(assessment):
        raise InvalidEntryError(
            "assessment contains a line break or another control character"
        )
    if "\x00" in notes:
        raise InvalidEntryError("notes contain a NUL character")
    # One line-break style in notes: a lone "\r" would not be quoted by the CSV
    # writer and would split the row when read back.
    notes = notes.replace("\r\n", "\n").replace("\r", "\n").strip()
    return Entry(date, assessment, score, notes, parse_issues(issues))


# --- reading -----------------------------------------------------------------------


RowCheck = Callable[[Entry], object]


def read_log(path: str | os.PathLike[str], *, check: RowCheck | None = None) -> list[Entry]:
    """Read and validate the whole log, in file order. A missing file is an empty log.

    ``check`` is called on each row as it is read; an :class:`InvalidEntryError` it
    raises becomes a :class:`LogFormatError` naming the file and line.
    """
    return parse_log(read_raw(path), source=str(path), check=check)


def read_raw(path: str | os.PathLike[str], *, kind: str = "score log") -> bytes:
    """The file's bytes (empty for a missing file), for callers that cache on contents.

    Anything but a regular file is refused before it is opened (a named pipe would
    block), as is a file over :data:`MAX_LOG_BYTES`. A link that points nowhere is
    refused rather than read as an empty log: it usually means a synced folder or a
    drive is missing, and an empty log would hide the real one. ``kind`` names the
    file in the size message.
    """
    path = Path(path)
    try:
        return _read_capped(path, what=kind)
    except FileNotFoundError:
        if os.path.islink(path):
            raise LogFormatError(str(path), None, _dangling(path)) from None
        return b""
    except OSError as error:
        raise LogFormatError(str(path), None, f"cannot be read: {error.strerror}") from None


@dataclass(frozen=True, slots=True)
class Table:
    """The columns of one of the tracker's CSV files.

    ``header`` is the first line a new file gets (and the one an error message asks
    for); ``columns`` every column a file may have, ``required`` those it must have.
    """

    kind: str  # "score log", in messages
    header: tuple[str, ...]
    columns: tuple[str, ...]
    required: tuple[str, ...]


SCORE_LOG = Table("score log", COLUMNS, (*COLUMNS, ISSUES_COLUMN), REQUIRED_COLUMNS)
Row = TypeVar("Row")


def read_table(
    raw: bytes,
    *,
    source: str,
    table: Table,
    make_row: Callable[[Mapping[str, str]], Row],
) -> list[Row]:
    """Parse the bytes of a CSV file of ``table``; ``source`` names it in errors.

    Each data row becomes ``make_row({column: cell})`` (a missing optional column is
    ``""``); an :class:`InvalidEntryError` it raises becomes a :class:`LogFormatError`
    naming the file and line. Blank lines are skipped; everything else is strict.
    """
    text = _decode(raw, source)
    if "\x00" in text:
        line = line_at(text, text.index("\x00"))
        raise LogFormatError(source, line, "contains a NUL byte; is this a CSV file?")

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns: tuple[str, ...] | None = None
    rows: list[Row] = []
    last_line = 0
    try:
        for row in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # a blank line (or Excel's ",,,") holds nothing to lose
            if columns is None:
                columns = _parse_header(row, source, first_line, table)
                absent = {name: "" for name in table.columns if name not in columns}
                continue
            if [cell.strip().lower() for cell in row] == list(columns):
                raise LogFormatError(
                    source,
                    first_line,
                    "the header row appears again; were two files joined?",
                )
            fields = _fields(row, columns, source, first_line, absent)
            try:
                rows.append(make_row(fields))
            except InvalidEntryError as error:
                raise LogFormatError(source, first_line, str(error)) from None
    except csv.Error as error:
        problem = f"malformed CSV: {error}"
        if "field larger than field limit" in str(error):
            problem = (
                f"a field is longer than {csv.field_size_limit():,} characters; "
                f"is this the {table.kind}?"
            )
        raise LogFormatError(source, last_line + 1, problem) from None
    return rows


def parse_log(raw: bytes, *, source: str, check: RowCheck | None = None) -> list[Entry]:
    """Parse the bytes of a log file; ``source`` names it in error messages.

    Dates after today are not refused here: a clock or time-zone change must never
    lock a student out of their log. Whoever uses the entries decides what a date
    after today means (:func:`tracker.assess.assess` leaves it out, with a warning).
    """

    def make_row(fields: Mapping[str, str]) -> Entry:
        entry = _entry(
            fields["date"],
            fields["assessment"],
            fields["score"],
            fields["notes"],
            fields[ISSUES_COLUMN],
        )
        if check is not None:
            check(entry)
        return entry

    return read_table(raw, source=source, table=SCORE_LOG, make_row=make_row)


def _decode(raw: bytes, source: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = line_at(raw, error.start)
        byte = raw[error.start]
        raise LogFormatError(
            source, line, f"byte 0x{byte:02x} is not UTF-8 text; save the file as UTF-8"
        ) from None
    return text.removeprefix(_BOM)  # Excel's "CSV UTF-8" starts with a byte-order mark


def _parse_header(row: list[str], source: str, line: int, table: Table) -> tuple[str, ...]:
    names = [cell.strip().lower() for cell in row]
    if len(names) == 1 and ";" in names[0]:
        raise LogFormatError(
            source, line, "columns are separated by ';'; the log must use commas"
        )
    if _ISO_DATE.fullmatch(names[0]):
        raise LogFormatError(
            source,
            line,
            f"no header row; the first line must be {','.join(table.header)}",
        )
    seen: set[str] = set()
    for name in names:
        if name not in table.columns:
            raise LogFormatError(
                source,
                line,
                f"unknown column {name!r} (expected {', '.join(table.columns)})",
            )
        if name in seen:
            raise LogFormatError(source, line, f"column {name!r} appears twice")
        seen.add(name)
    for name in table.required:
        if name not in seen:
            raise LogFormatError(source, line, f"missing column {name!r}")
    return tuple(names)


def _fields(
    row: list[str],
    columns: tuple[str, ...],
    source: str,
    line: int,
    absent: Mapping[str, str],
) -> dict[str, str]:
    """One row as {column: cell}, with the table's ``absent`` columns as ""."""
    if len(row) != len(columns):
        raise LogFormatError(
            source, line, f"expected {len(columns)} fields, found {len(row)}"
        )
    fields = dict(zip(columns, row, strict=True))
    if absent:
        fields.update(absent)
    return fields


def chronological(entries: Iterable[Entry]) -> list[Entry]:
    """Entries sorted by date; entries of one day keep the order they were logged in."""
    return sorted(entries, key=lambda entry: entry.date)


# --- writing -----------------------------------------------------------------------


def format_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """The canonical bytes of a CSV file: UTF-8, ``header``, ``\\n`` line endings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def format_log(entries: Sequence[Entry]) -> bytes:
    """The canonical bytes of a log: UTF-8, the full header, ``\\n`` line endings.

    The ``issues`` column is written only when some entry has a tag: a log without
    tags keeps the four-column header other tools know.
    """
    header = _header(entries)
    return format_table(header, (_row(entry, header) for entry in entries))


# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def export_csv(entries: Sequence[Entry]) -> bytes:
    """The log for download: like :func:`format_log`, but safe to open in a spreadsheet.

    Text a user typed that starts like a formula (``=HYPERLINK(...)``, ``+1``, ``@x``)
    gets a leading apostrophe so a spreadsheet shows it as text. The log itself keeps
    exactly what was typed.
    """
    header = _header(entries)
    rows = []
    for entry in entries:
        date, assessment, score, notes, *issues = _row(entry, header)
        rows.append((date, _as_text(assessment), score, _as_text(notes), *issues))
    return format_table(header, rows)


def _as_text(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_PREFIXES) else cell


def _header(entries: Sequence[Entry]) -> tuple[str, ...]:
    return SCORE_LOG.columns if any(e.issues for e in entries) else COLUMNS


def _row(entry: Entry, header: Sequence[str]) -> tuple[str, ...]:
    row = (entry.date.isoformat(), entry.assessment, str(entry.score), entry.notes)
    if len(header) == len(row):
        return row
    return (*row, format_issues(entry.issues))


def update_file(
    path: str | os.PathLike[str], change: Callable[[bytes], bytes], *, kind: str
) -> None:
    """Change a file of the tracker's under its lock, keeping the old file as ``.bak``.

    ``change`` gets the file's bytes (empty for a new file) and returns the new bytes;
    whatever it raises leaves the file unchanged. A new file has no previous version,
    so a ``.bak`` already there is left alone (it may be all that is left of an older
    file). ``kind`` names the file in the size message.
    """
    path = Path(path)
    with _locked(path):
        existed = path.exists()
        before = read_raw(path, kind=kind)
        after = change(before)
        if existed:
            atomic_write(backup_path(path), before, sync_folder=False, own_file=True)
        atomic_write(path, after)


def append_entry(
    path: str | os.PathLike[str],
    entry: Entry,
    *,
    today: dt.date | None = None,
    check: RowCheck | None = None,
    check_new: Callable[[Sequence[Entry], Entry], object] | None = None,
) -> list[Entry]:
    """Add one entry to the end of the log and return the whole log after the write.

    The existing file is validated first (each row through ``check`` too, when given)
    and refused, unchanged, if it is broken: a write never adds to a log that reads
    would refuse. ``check_new`` may refuse the new entry against the rows already there
    (a repeat, say), under the lock. The file as it was is kept as ``.bak``, so the
    append can be undone.
    """
    path = Path(path)
    entry = _revalidated(entry, today)
    entries: list[Entry] = []

    def append(before: bytes) -> bytes:
        entries.extend(parse_log(before, source=str(path), check=check))
        if check_new is not None:
            check_new(entries, entry)
        entries.append(entry)
        return format_log(entries)

    update_file(path, append, kind=SCORE_LOG.kind)
    return entries


def replace_entry(
    path: str | os.PathLike[str],
    index: int,
    new_entry: Entry,
    *,
    expected: Entry | None = None,
    today: dt.date | None = None,
) -> list[Entry]:
    """Replace the entry at ``index`` (0-based, file order); keep the old file as ``.bak``.

    ``expected`` guards against editing a log that changed since it was shown: when
    given and the entry at ``index`` differs, nothing is written.
    """
    return _rewrite(path, index, new_entry, expected=expected, today=today)


def delete_entry(
    path: str | os.PathLike[str],
    index: int,
    *,
    expected: Entry | None = None,
    today: dt.date | None = None,
) -> list[Entry]:
    """Delete the entry at ``index`` (0-based, file order); keep the old file as .bak."""
    return _rewrite(path, index, None, expected=expected, today=today)


def _rewrite(
    path: str | os.PathLike[str],
    index: int,
    new_entry: Entry | None,
    *,
    expected: Entry | None,
    today: dt.date | None,
) -> list[Entry]:
    path = Path(path)
    if new_entry is not None:
        new_entry = _revalidated(new_entry, today)
    entries: list[Entry] = []

    def rewrite(before: bytes) -> bytes:
        entries.extend(parse_log(before, source=str(path)))
        if not 0 <= index < len(entries):
            raise LogWriteError(
                f"{path}: there is no entry {index + 1} (the log has {len(entries)})"
            )
        if expected is not None and entries[index] != expected:
            raise LogWriteError(
                f"{path}: entry {index + 1} changed since it was shown; reload and retry"
            )
        if new_entry is None:
            del entries[index]
        else:
            entries[index] = new_entry
        return format_log(entries)

    update_file(path, rewrite, kind=SCORE_LOG.kind)
    return entries


@dataclass(frozen=True, slots=True)
class Undone:
    """What an undo did: the file's rows before and after it, in file order."""

    before: tuple
    after: tuple


def undo_last_change(
    path: str | os.PathLike[str],
    *,
    parse: Callable[[bytes, str], Sequence] | None = None,
    kind: str = "log",
) -> Undone:
    """Swap a file with its ``.bak``: the file as it was before the last change comes
    back, and the version it replaces becomes the ``.bak`` (so undoing again redoes).

    Both versions must parse (``parse(bytes, source)``; default: as score logs), or
    nothing is written. While the two files are swapped, the current version is first
    copied to ``.bak.new``: a crash at any step leaves both versions on disk. ``kind``
    names the file in messages ("the log does not exist").
    """
    path = Path(path)
    backup = backup_path(path)
    if parse is None:
        parse = _parse_score_log
    with _locked(path):
        if not backup.exists():
            raise LogWriteError(
                f"{path}: nothing to undo: there is no {backup.name} beside the {kind}"
            )
        if not path.exists():
            raise LogWriteError(f"{path}: nothing to undo: the {kind} does not exist")
        current, previous = read_raw(path), read_raw(backup)
        before = parse(current, str(path))
        after = parse(previous, str(backup))
        swap = backup.with_name(backup.name + ".new")
        atomic_write(swap, current, sync_folder=False, own_file=True)
        atomic_write(path, previous)
        try:
            os.chmod(swap, path.stat().st_mode & 0o777)
            os.replace(swap, backup)
            _fsync_directory(path.parent)
        except OSError as error:
            raise LogWriteError(
                f"{backup}: could not be replaced ({error.strerror}); the undone "
                f"version is kept as {swap.name}"
            ) from None
    return Undone(tuple(before), tuple(after))


def _parse_score_log(raw: bytes, source: str) -> list[Entry]:
    return parse_log(raw, source=source)


def content_id(raw: bytes) -> str:
    """A short fingerprint of a log's bytes (8 hex digits), to tell versions apart."""
    return hashlib.sha256(raw).hexdigest()[:8]


def _revalidated(entry: Entry, today: dt.date | None) -> Entry:
    """An entry built by hand passes the same checks as one read from the file."""
    return make_entry(
        entry.date,
        entry.assessment,
        entry.score,
        entry.notes,
        today=today,
        issues=entry.issues,
    )


def backup_path(path: Path) -> Path:
    """Where the previous version of the log is kept: beside the file, links followed."""
    target = _resolved(path)
    return target.with_name(target.name + ".bak")


def lock_path(path: Path) -> Path:
    """The lock file that serialises writers of ``path``.

    It belongs to the file a link points to, so two names for one log share one lock.
    """
    target = _resolved(path)
    return target.with_name(target.name + ".lock")


class _locked:
    """Hold the log's file lock; give up with :class:`LogBusyError` after a timeout.

    A log that cannot be written (see :func:`_write_target`) is refused first, before a
    lock file is made beside it.
    """

    def __init__(self, path: Path) -> None:
        from filelock import FileLock  # imported here: read-only commands never need it

        self._path = path
        _write_target(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise LogWriteError(
                f"{path}: cannot create its folder: {error.strerror}"
            ) from None
        # Resolved once the folder exists, so the target is the file writes will change.
        self._target = _resolved(path)
        self._lock = FileLock(lock_path(self._target), timeout=LOCK_TIMEOUT_SECONDS)

    def __enter__(self) -> None:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise LogBusyError(
                f"{self._path}: another process is writing to the log; try again"
            ) from None
        except OSError as error:
            raise LogWriteError(f"{self._path}: cannot lock: {error.strerror}") from None
        _remove_stale_temporaries(self._target)

    def __exit__(self, *exc_info: object) -> None:
        self._lock.release()


locked = _locked  # the same guard for the other files kept beside a log (settings.json)


# mkstemp names a temporary file ``.<name>.<random>.tmp`` with a random part drawn from
# [a-z0-9_]. That part has no dot, so a temporary name has exactly one owner: what lies
# between the leading dot and the last two dot-separated parts. A glob cannot say this
# (its ``*`` matches dots too, so ``scores.csv``'s cleanup took ``scores.csv.v2``'s).
_TEMPORARY_NAME = re.compile(r"\.(?P<owner>.+)\.[a-z0-9_]+\.tmp")


def _temporary_owner(name: str) -> str | None:
    """The name of the file whose temporary ``name`` is, or None if it is no temporary."""
    match = _TEMPORARY_NAME.fullmatch(name)
    return match["owner"] if match else None


def _remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files a killed writer left beside the log (or its backup).

    Called with the lock held: every writer of these files holds it while its own
    temporary file exists, so any that are there now belong to no live writer. Those
    of other files in the folder (another log's, say) are left alone.
    """
    owners = {path.name, backup_path(path).name}
    try:
        names = os.listdir(path.parent)
    except OSError:
        return  # nothing to clean where nothing can be listed; the write will report it
    for name in names:
        if _temporary_owner(name) in owners:
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)


OUTPUT_PROBE_BYTES = 4096  # enough of a file's start to tell what kind it is


def check_output(path: Path, *, kind: str, looks_like: Callable[[bytes], bool]) -> None:
    """Refuse to replace a file an output did not make: a log, its backup, anything
    else. Only a missing file, or one that already holds ``kind`` (as ``looks_like``
    judges its first bytes), may be replaced."""
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
    with open(path, "rb") as stream:
        head = stream.read(OUTPUT_PROBE_BYTES)
    if not looks_like(head):
        raise LogWriteError(
            f"{path} already exists and is not a {kind}; nothing was written (choose "
            "another name, or move that file away first)"
        )


def atomic_write(
    path: Path, data: bytes, *, sync_folder: bool = True, own_file: bool = False
) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file whole.

    A link is followed: the temporary file is made beside the link's target and renamed
    over the target, so the link stays a link. What cannot be written (a link to
    nothing, a folder, a pipe, a device, a read-only file) is refused, unchanged.
    ``sync_folder=False`` leaves the folder's sync to the write that follows in the same
    folder (a ``.bak`` before its log), so a failed sync is reported for the log itself.
    ``own_file=True`` is for the tracker's own files (a ``.bak``): a link found there is
    replaced by the file, never followed to overwrite whatever it points to.
    """
    path = Path(path)
    target = path if own_file and os.path.islink(path) else _write_target(path)
    temporary: str | None = None
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates the file private (0600); keep the old file's mode instead,
        # or give a new one the mode an ordinary new file would have.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise LogWriteError(
            f"{path}: could not be written ({error.strerror}); the file is unchanged"
        ) from None
    finally:
        if temporary is not None:
            # The write already failed and the error says so; a leftover is harmless.
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    if not sync_folder:
        return
    try:
        _fsync_directory(target.parent)
    except OSError as error:
        # The rename has happened: saying "unchanged" would invite a duplicate retry.
        raise LogWriteError(
            f"{path}: the new content is in place, but the folder could not be synced "
            f"({error.strerror}), so it may not survive a power cut yet; "
            "do not repeat the change"
        ) from None


def _umask() -> int:
    mask = os.umask(0o022)  # reading the mask means setting it; put it straight back
    os.umask(mask)
    return mask


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


# --- what may be read or written ----------------------------------------------------

# A million rows of ~30 bytes is under half of this; a file this big is not a score log,
# and reading it whole could exhaust memory.
MAX_LOG_BYTES = 64 * 1024 * 1024

# Non-blocking, so that a file swapped for a named pipe after the check cannot hang us.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _resolved(path: str | os.PathLike[str]) -> Path:
    """``path`` with every symbolic link followed (as far as the links exist)."""
    return Path(os.path.realpath(path))


def _kind(mode: int) -> str | None:
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


def _dangling(path: Path) -> str:
    """The problem with a link whose target does not exist, for an error message."""
    return f"is a symbolic link to {_resolved(path)}, which does not exist"


def _read_capped(path: Path, *, what: str = "score log") -> bytes:
    """The bytes of a regular file of at most :data:`MAX_LOG_BYTES`, else refused."""
    info = os.stat(path)  # before opening: opening a named pipe would block
    kind = _kind(info.st_mode)
    if kind is not None:
        raise LogFormatError(str(path), None, f"is {kind}, not a CSV file")
    _check_size(path, info.st_size, what)
    with os.fdopen(os.open(path, _READ_FLAGS), "rb") as stream:
        kind = _kind(os.fstat(stream.fileno()).st_mode)  # it may have been swapped
        if kind is not None:
            raise LogFormatError(str(path), None, f"is {kind}, not a CSV file")
        data = stream.read(MAX_LOG_BYTES + 1)  # one byte more tells that it grew
    if len(data) > MAX_LOG_BYTES:
        _check_size(path, None, what)
    return data


def _check_size(path: Path, size: int | None, what: str = "score log") -> None:
    """Refuse a file over the cap; ``size`` None means "more than the cap"."""
    if size is not None and size <= MAX_LOG_BYTES:
        return
    how_big = f"{size:,}" if size is not None else f"more than {MAX_LOG_BYTES:,}"
    raise LogFormatError(
        str(path),
        None,
        f"is {how_big} bytes; a {what} may be at most {MAX_LOG_BYTES:,} bytes",
    )


def _write_target(path: Path) -> Path:
    """The file a write to ``path`` changes, once it is known that it may be changed.

    Links are followed, so the write goes to the link's target and the link stays. A
    link that points nowhere is refused, not followed: it usually means a synced folder
    or a drive is missing, and a new log made there would hide the real one. A file
    with no write permission for anyone is refused even where root could write it, or
    where the folder would allow the rename that replaces it.
    """
    target = _resolved(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            raise LogWriteError(f"{path}: {_dangling(path)}; nothing was written") from None
        return target  # a new file
    except OSError as error:
        raise LogWriteError(
            f"{path}: cannot be checked ({error.strerror}); nothing was written"
        ) from None
    kind = _kind(mode)
    if kind is not None:
        raise LogWriteError(f"{path}: is {kind}, not a regular file; nothing was written")
    if mode & 0o222 == 0 or not os.access(target, os.W_OK):
        raise LogWriteError(f"{path}: is read-only; make it writable to change it")
    return target
