"""Q-bank progress: how far through the bank, at what pace, and how many passes fit.

``tracker qbank`` logs what the bank's own screen shows (questions used, the bank's
size, overall % correct) to ``qbank.csv`` beside the score log (header
``date,bank,done,total,correct,notes``), with the score log's machinery
(:mod:`tracker.log`). The bank's size defaults to a sourced figure where one is known
(``data/qbank-sizes.csv``); the student's own ``--total`` always wins and is kept.

From the student's own reports of one bank (the latest of each day):

- *answered*: questions answered over every pass. ``done`` counts the current pass:
  when it falls (the bank was reset), a new pass has started and the last ``done``
  of the pass before is added to the count;
- *pace* (questions a day): answered between the first and the latest report, over
  the days between them; none from a single day;
- *first pass by*: the day a report showed it complete, or the latest report's day
  plus the questions left at that pace (rounded up to whole days);
- *passes by the exam*: (answered + pace × days from the latest report to the exam)
  ÷ the bank's size;
- *% correct trend*: points a week, the least-squares slope over the reports (three
  days or more).

Q-bank numbers do not enter the projection of the exam-day score: no published study
gives their weight for Step 2 CK, so the verdict only reports them.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tracker import log
from tracker.areas import parse_percent
from tracker.errors import CatalogError, InvalidEntryError, LogFormatError
from tracker.exams import DATA_DIR, normalise_name
from tracker.log import ASSESSMENT_MAX_LENGTH, NOTES_MAX_LENGTH, Table

QBANK_LOG_NAME = "qbank.csv"
BANK_SIZES_PATH = DATA_DIR / "qbank-sizes.csv"
DEFAULT_BANK = "UWorld"  # the seed's main Q-bank
MAX_QUESTIONS = 50_000  # no bank comes near this; a larger number is a typo
TREND_MIN_DAYS = 3  # a % correct trend needs reports on this many days
FAR_DAYS = 3650  # a first pass further off than ten years gets no date
CLOCK_SKEW_DAYS = 1
QBANK_LOG = Table(
    kind="Q-bank log",
    header=("date", "bank", "done", "total", "correct", "notes"),
    columns=("date", "bank", "done", "total", "correct", "notes"),
    required=("date", "bank", "done", "total", "correct"),
)
_SIZES_TABLE = Table(
    kind="Q-bank sizes",
    header=("bank", "exam", "questions", "aliases", "source", "holds_from"),
    columns=("bank", "exam", "questions", "aliases", "source", "holds_from"),
    required=("bank", "exam", "questions", "aliases", "source", "holds_from"),
)
_COUNT = re.compile(r"[0-9]{1,9}")


# --- the banks' sizes -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BankSize:
    """A bank's number of questions for one exam, with its source and date."""

    bank: str
    exam: str
    questions: int
    aliases: tuple[str, ...]
    source: str
    holds_from: dt.date  # the day the figure holds from

    def answers_to(self, name: str) -> bool:
        key = normalise_name(name)
        return any(normalise_name(n) == key for n in (self.bank, *self.aliases))


@functools.cache
def load_bank_sizes(path: Path = BANK_SIZES_PATH) -> tuple[BankSize, ...]:
    """The sourced bank sizes (``data/qbank-sizes.csv``)."""
    try:
        raw = log.read_raw(path, kind=_SIZES_TABLE.kind)
        return tuple(
            log.read_table(raw, source=str(path), table=_SIZES_TABLE, make_row=_size)
        )
    except LogFormatError as error:
        raise CatalogError(str(error)) from None


def _size(fields: Mapping[str, str]) -> BankSize:
    return BankSize(
        bank=fields["bank"].strip(),
        exam=fields["exam"].strip(),
        questions=parse_count(fields["questions"], what="questions"),
        aliases=tuple(a.strip() for a in fields["aliases"].split(";") if a.strip()),
        source=fields["source"].strip(),
        holds_from=log.parse_date(fields["holds_from"], what="holds_from"),
    )


def known_size(bank: str, exam: str) -> BankSize | None:
    """The sourced size of ``bank`` for ``exam``, if the tracker knows one."""
    for size in load_bank_sizes():
        if size.exam == exam and size.answers_to(bank):
            return size
    return None


def size_for(bank: str, exam: str, total: int | str | None) -> tuple[int | str, str]:
    """The bank's size to log: ``total`` when given, else the sourced figure and a
    note saying where it comes from; refused when neither is known."""
    if total is not None:
        return total, ""
    known = known_size(bank, exam)
    if known is None:
        raise InvalidEntryError(
            f"the tracker does not know the size of {bank.strip() or 'this bank'} for "
            f"{exam}: give --total (the number of questions your bank shows)"
        )
    note = (
        f"Total {known.questions:,}: the tracker's figure for {known.bank} "
        f"({known.holds_from:%B %Y}); give --total if your bank shows another number."
    )
    return known.questions, note


# --- one report -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QbankEntry:
    """One look at the bank: questions used in this pass, its size, overall % correct."""

    date: dt.date
    bank: str
    done: int
    total: int
    correct: float  # percent, 0–100
    notes: str = ""


def qbank_log_path(score_log: str | os.PathLike[str]) -> Path:
    """The Q-bank log that belongs with a score log: ``qbank.csv`` in its folder."""
    return Path(score_log).with_name(QBANK_LOG_NAME)


def parse_count(value: int | str, *, what: str) -> int:
    """A whole number of questions, 0 to :data:`MAX_QUESTIONS`, in ASCII digits."""
    if isinstance(value, bool):
        raise InvalidEntryError(f"{what} {value!r} is not a whole number")
    if isinstance(value, str):
        text = value.strip()
        if not _COUNT.fullmatch(text):
            hint = "; leave out thousands separators" if "," in text else ""
            raise InvalidEntryError(
                f"{what} {text!r} is not a whole number in ASCII digits (0-9){hint}"
            )
        value = int(text)
    if not isinstance(value, int):
        raise InvalidEntryError(f"{what} {value!r} is not a whole number")
    if not 0 <= value <= MAX_QUESTIONS:
        raise InvalidEntryError(f"{what} {value:,} is outside 0–{MAX_QUESTIONS:,}")
    return value


def make_qbank_entry(
    date: dt.date | str,
    bank: str,
    done: int | str,
    total: int | str,
    correct: float | str,
    notes: str = "",
    *,
    today: dt.date,
) -> QbankEntry:
    """A validated report for a *new* row: no date after ``today``, notes checked."""
    entry = _qbank_entry(date, bank, done, total, correct, notes)
    if entry.date > today:
        raise InvalidEntryError(f"date {entry.date} is after today ({today})")
    if len(entry.notes) > NOTES_MAX_LENGTH:
        raise InvalidEntryError(
            f"notes are {len(entry.notes):,} characters long; "
            f"the limit is {NOTES_MAX_LENGTH:,}"
        )
    if log.has_control_characters(entry.notes, allow="\n\t"):
        raise InvalidEntryError("notes contain a control character")
    return entry


def _qbank_entry(date, bank, done, total, correct, notes) -> QbankEntry:
    """The checks every row passes, old or new: what a read must accept."""
    day = log.parse_date(date) if isinstance(date, str) else log.check_date(date)
    bank = bank.strip()
    if not bank:
        raise InvalidEntryError("bank is empty")
    if len(bank) > ASSESSMENT_MAX_LENGTH or log.has_control_characters(bank):
        raise InvalidEntryError(
            f"bank name must be 1–{ASSESSMENT_MAX_LENGTH} characters without control "
            "characters"
        )
    done = parse_count(done, what="done")
    total = parse_count(total, what="total")
    if total == 0:
        raise InvalidEntryError("total is 0; a bank has at least one question")
    if done > total:
        raise InvalidEntryError(f"done {done:,} is more than the total {total:,}")
    percent = parse_percent(correct, what="% correct")
    if percent is None:
        raise InvalidEntryError("% correct is empty")
    if "\x00" in notes:
        raise InvalidEntryError("notes contain a NUL character")
    notes = notes.replace("\r\n", "\n").replace("\r", "\n").strip()
    return QbankEntry(day, bank, done, total, percent, notes)


# --- the file ---------------------------------------------------------------------------


def parse_qbank_log(raw: bytes, *, source: str) -> list[QbankEntry]:
    """The reports in a Q-bank log's bytes, in file order; problems name the line."""

    def make_row(fields: Mapping[str, str]) -> QbankEntry:
        return _qbank_entry(
            fields["date"],
            fields["bank"],
            fields["done"],
            fields["total"],
            fields["correct"],
            fields["notes"],
        )

    return log.read_table(raw, source=source, table=QBANK_LOG, make_row=make_row)


def read_qbank_log(path: str | os.PathLike[str]) -> list[QbankEntry]:
    return parse_qbank_log(log.read_raw(path, kind=QBANK_LOG.kind), source=str(path))


def format_qbank_log(entries: Sequence[QbankEntry]) -> bytes:
    return log.format_table(QBANK_LOG.header, (_row(e) for e in entries))


def _row(entry: QbankEntry) -> tuple[str, ...]:
    return (
        entry.date.isoformat(),
        entry.bank,
        str(entry.done),
        str(entry.total),
        f"{entry.correct:g}",
        entry.notes,
    )


@dataclass(frozen=True, slots=True)
class QbankWrite:
    entries: tuple[QbankEntry, ...]
    warnings: tuple[str, ...]


def append_qbank(path: str | os.PathLike[str], entry: QbankEntry) -> QbankWrite:
    """Add one report; refused, file unchanged, when the log is broken, the report is
    already there, or the bank's total would shrink. A fall in ``done`` is a new pass
    (a reset bank) and says so."""
    path = Path(path)
    entries: list[QbankEntry] = []
    warnings: list[str] = []

    def append(before: bytes) -> bytes:
        entries.extend(parse_qbank_log(before, source=str(path)))
        warnings.extend(check_new_report(entries, entry))
        entries.append(entry)
        return format_qbank_log(entries)

    log.update_file(path, append, kind=QBANK_LOG.kind)
    return QbankWrite(tuple(entries), tuple(warnings))


def check_new_report(entries: Sequence[QbankEntry], new: QbankEntry) -> tuple[str, ...]:
    """Refuse a repeat or a shrinking total; warnings for a reset (a new pass)."""
    same_bank = [e for e in entries if bank_key(e.bank) == bank_key(new.bank)]
    if new in same_bank:
        raise InvalidEntryError(
            f"this report is already in the log ({new.date} {new.bank}: "
            f"{new.done:,} of {new.total:,}); nothing was written"
        )
    earlier = [e for e in same_bank if e.date <= new.date]
    later = [e for e in same_bank if e.date > new.date]
    # The largest total before, the smallest after: the reports it would contradict.
    biggest = max(earlier, key=lambda e: (e.total, e.date), default=None)
    if biggest is not None and biggest.total > new.total:
        raise InvalidEntryError(
            f"total {new.total:,} is less than the {biggest.total:,} logged for "
            f"{biggest.bank} on {biggest.date}; a bank's size does not shrink (check "
            "the number); nothing was written"
        )
    smallest = min(later, key=lambda e: (e.total, e.date), default=None)
    if smallest is not None and smallest.total < new.total:
        raise InvalidEntryError(
            f"total {new.total:,} is more than the {smallest.total:,} logged for "
            f"{smallest.bank} later, on {smallest.date}; a bank's size does not "
            "shrink; nothing was written"
        )
    before = sorted(earlier, key=lambda e: e.date)
    if before and new.done < before[-1].done:
        last = before[-1]
        return (
            f"done fell from {last.done:,} ({last.date}) to {new.done:,}: counted as "
            "the start of a new pass through the bank (a reset)",
        )
    return ()


def undo_qbank(path: str | os.PathLike[str]) -> log.Undone:
    """Swap the Q-bank log with its ``.bak`` (see :func:`tracker.log.undo_last_change`)."""
    return log.undo_last_change(
        path,
        parse=lambda raw, source: parse_qbank_log(raw, source=source),
        kind="Q-bank log",
    )


def bank_key(name: str) -> str:
    """A bank's name as matching sees it: its sourced name when an alias, else
    normalised."""
    for size in load_bank_sizes():
        if size.answers_to(name):
            return normalise_name(size.bank)
    return normalise_name(name)


# --- progress -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QbankProgress:
    """One bank's progress as of its latest report. Questions, days, percent."""

    bank: str  # as the latest report names it
    as_of: dt.date  # the latest report's day
    done: int  # questions used in the current pass
    total: int  # the bank's size
    percent_correct: float  # overall % correct, as the bank shows it
    passes_started: int  # 1, or more after resets
    answered: int  # over every pass
    reports: int  # days with a report
    pace_per_day: float | None  # questions a day; None from one day's report
    first_pass_done_on: dt.date | None  # the report that showed pass 1 complete
    first_pass_days_left: int | None  # from the latest report, at the pace
    first_pass_by: dt.date | None  # the day it ended, or ends at the pace (≤ 10 years)
    exam_date: dt.date | None
    passes_by_exam: float | None  # passes answered by the exam day at the pace
    needed_per_day: int | None  # questions a day that end pass 1 the day before the exam
    correct_per_week: float | None  # % correct trend, points a week

    @property
    def first_pass_in_time(self) -> bool | None:
        """Whether the first pass ends before the exam day; None when unknown."""
        if self.exam_date is None:
            return None
        if self.first_pass_done_on is not None:
            return self.first_pass_done_on < self.exam_date
        if self.first_pass_days_left is None:
            return None
        return self.first_pass_days_left < (self.exam_date - self.as_of).days


def qbank_progress(
    entries: Sequence[QbankEntry],
    *,
    today: dt.date,
    exam_date: dt.date | None = None,
    bank: str | None = None,
) -> QbankProgress | None:
    """Progress of ``bank`` (default: the bank of the latest report), or None without
    reports. Reports dated more than a day after ``today`` are left out."""
    usable = [e for e in entries if (e.date - today).days <= CLOCK_SKEW_DAYS]
    if not usable:
        return None
    ordered = sorted(usable, key=lambda e: e.date)  # file order within a day
    key = bank_key(bank if bank is not None else ordered[-1].bank)
    daily = _last_of_each_day([e for e in ordered if bank_key(e.bank) == key])
    if not daily:
        return None
    answered, passes, first_done = _answered(daily)
    latest = daily[-1]
    pace = _pace(daily, answered)
    days_left = None if first_done else _days_to_first_pass(latest, pace)
    first_by = first_done
    if days_left is not None and days_left <= FAR_DAYS:
        first_by = latest.date + dt.timedelta(days=days_left)
    passes_by_exam = needed = None
    # The days after the latest report up to the day before the exam.
    room = None if exam_date is None else (exam_date - latest.date).days - 1
    if first_done is None and room is not None and room > 0:
        needed = math.ceil((latest.total - latest.done) / room)
    if exam_date is not None and pace is not None:
        days_to_exam = max((exam_date - latest.date).days, 0)
        passes_by_exam = (answered[-1] + pace * days_to_exam) / latest.total
    return QbankProgress(
        bank=latest.bank,
        as_of=latest.date,
        done=latest.done,
        total=latest.total,
        percent_correct=latest.correct,
        passes_started=passes,
        answered=answered[-1],
        reports=len(daily),
        pace_per_day=pace,
        first_pass_done_on=first_done,
        first_pass_days_left=days_left,
        first_pass_by=first_by,
        exam_date=exam_date,
        passes_by_exam=passes_by_exam,
        needed_per_day=needed,
        correct_per_week=_correct_trend(daily),
    )


def _last_of_each_day(entries: Sequence[QbankEntry]) -> list[QbankEntry]:
    by_day: dict[dt.date, QbankEntry] = {}
    for entry in entries:
        by_day[entry.date] = entry
    return list(by_day.values())


def _answered(daily: Sequence[QbankEntry]) -> tuple[list[int], int, dt.date | None]:
    """Questions answered by each report over every pass; passes started; the day a
    report first showed pass 1 complete (done = total, or a reset after it)."""
    answered, base, passes, first_done = [], 0, 1, None
    previous = None
    for entry in daily:
        if previous is not None and entry.done < previous.done:
            base += previous.done  # the bank was reset: a new pass
            passes += 1
            if first_done is None:
                first_done = entry.date
        if first_done is None and passes == 1 and entry.done == entry.total:
            first_done = entry.date
        answered.append(base + entry.done)
        previous = entry
    return answered, passes, first_done


def _pace(daily: Sequence[QbankEntry], answered: Sequence[int]) -> float | None:
    days = (daily[-1].date - daily[0].date).days
    if days < 1:
        return None
    return (answered[-1] - answered[0]) / days


def _days_to_first_pass(latest: QbankEntry, pace: float | None) -> int | None:
    """Whole days from the latest report to the end of pass 1 at ``pace``."""
    if pace is None or pace <= 0:
        return None
    return math.ceil((latest.total - latest.done) / pace)


def _correct_trend(daily: Sequence[QbankEntry]) -> float | None:
    if len(daily) < TREND_MIN_DAYS:
        return None
    # The least-squares slope, a few lines of numpy (imported here: logging and listing
    # need none of it; scipy.stats would cost every command its import time).
    import numpy as np

    first = daily[0].date
    days = np.array([(e.date - first).days for e in daily], dtype=float)
    correct = np.array([e.correct for e in daily], dtype=float)
    dx = days - days.mean()
    return float(dx @ (correct - correct.mean()) / (dx @ dx)) * 7.0
