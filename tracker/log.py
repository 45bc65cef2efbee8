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

import csv
import datetime as dt
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from tracker import files
from tracker.errors import FileReadError, InvalidEntryError, LogFormatError, LogWriteError
from tracker.spreadsheet import spreadsheet_text
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
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) > len(str(SCORE_HIGH)):
        # Refused before int(): Python will not convert 4,300 digits or more, and
        # nothing this long is a score anyway.
        shown = text if len(text) <= 20 else f"{text[:12]}… ({len(digits):,} digits)"
        raise InvalidEntryError(
            f"score {shown} is outside {SCORE_LOW}–{SCORE_HIGH}, the widest any exam uses"
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

    Read as every file is (:func:`tracker.files.read_regular`): anything but a regular
    file is refused before it is opened (a named pipe would block), as is a file over
    :data:`MAX_LOG_BYTES`. A link that points nowhere is refused rather than read as an
    empty file: it usually means a synced folder or a drive is missing, and an empty
    log would hide the real one. ``kind`` names the file in messages.
    """
    try:
        data = files.read_regular(
            path, max_bytes=MAX_LOG_BYTES, what=f"a {kind}", format_name="a CSV file"
        )
    except FileReadError as error:
        raise LogFormatError(str(path), None, error.problem) from None
    return b"" if data is None else data


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


def export_csv(entries: Sequence[Entry]) -> bytes:
    """The log for download: like :func:`format_log`, but safe to open in a spreadsheet.

    Text a user typed that a spreadsheet could run as a formula (``=HYPERLINK(...)``,
    ``+1``, ``x;=1+1`` in a semicolon locale) gets an apostrophe
    (:func:`tracker.spreadsheet.spreadsheet_text`). The log itself keeps exactly what
    was typed.
    """
    header = _header(entries)
    rows = []
    for entry in entries:
        date, assessment, score, notes, *issues = _row(entry, header)
        rows.append(
            (date, spreadsheet_text(assessment), score, spreadsheet_text(notes), *issues)
        )
    return format_table(header, rows)


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
    file). ``kind`` names the file in messages.
    """
    path = Path(path)
    with _locked(path):
        existed = path.exists()
        before = read_raw(path, kind=kind)
        after = change(before)
        _write_log(path, after, before if existed else None, kind=kind)


def _short(kind: str) -> str:
    """ "log" for the score log, the name itself for the others ("area log")."""
    return "log" if kind == "score log" else kind


def _write_log(
    path: Path,
    data: bytes,
    previous: bytes | None,
    *,
    kept: str = "previous version",
    kind: str = "score log",
) -> None:
    """Write a file's new bytes; keep ``previous`` (None: none) as the ``.bak``.

    A change that would take the file past :data:`MAX_LOG_BYTES` is refused before
    anything is written: every read refuses such a file, undo included, so accepting
    it would lock the student out of their own log.
    """
    if len(data) > MAX_LOG_BYTES:
        raise LogWriteError(
            f"{path}: this change would make the {_short(kind)} {len(data):,} bytes, "
            f"over the {MAX_LOG_BYTES:,} a {kind} may have; nothing was written "
            f"(shorten notes, or start a new {_short(kind)} for older results)"
        )
    if previous is None:
        files.atomic_write(path, data)
    else:
        files.replace_keeping_backup(
            path, data, previous, backup=backup_path(path), kept=kept
        )


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
    nothing is written. The swap is a change like any other
    (:func:`tracker.files.replace_keeping_backup`): both versions are on disk at every
    step, and a kill at any step leaves nothing the next write does not clean up or
    finish. ``kind`` names the file in messages ("the log does not exist").
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
        _write_log(path, previous, current, kept="undone version")
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
    target = files.resolved(path)
    return target.with_name(target.name + ".bak")


def lock_path(path: Path) -> Path:
    """The lock file that serialises writers of ``path``.

    It belongs to the file a link points to, so two names for one log share one lock.
    """
    target = files.resolved(path)
    return target.with_name(target.name + ".lock")


def _locked(path: Path) -> files.Locked:
    """The log's file lock (:class:`tracker.files.Locked`), after refusing a log that
    cannot be written, before a lock file is made beside it."""
    files.write_target(path)
    return files.Locked(
        path,
        lock_path(path),
        backup=backup_path(path),
        max_bytes=MAX_LOG_BYTES,
        timeout=LOCK_TIMEOUT_SECONDS,
        busy="another process is writing to the log",
    )


def locked(path: Path) -> files.Locked:
    """The same guard for another file kept beside a log (``settings.json``): refused
    if it cannot be written, then its own lock; it has no backup."""
    files.write_target(path)
    return files.Locked(
        path,
        lock_path(path),
        backup=None,
        max_bytes=MAX_LOG_BYTES,
        timeout=LOCK_TIMEOUT_SECONDS,
        busy=f"another process is writing {Path(path).name}",
    )


# Every file is written the log's way; kept here for the callers that import it here.
atomic_write = files.atomic_write

# A million rows of ~30 bytes is under half of this; a file this big is not a score log,
# and reading it whole could exhaust memory.
MAX_LOG_BYTES = 64 * 1024 * 1024
