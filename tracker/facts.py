"""Facts of the world, each with its source and the day it holds from.

Every figure the tracker states about the exams and the match — passing standards,
the percentile table, how long scores take to arrive, rescheduling fees, retake rules,
the scores of matched applicants, the seed article's targets — lives in a CSV file in
``data/facts/`` with a ``source`` and a ``holds_from`` day (empty where the source
gives none). Where a figure changed over time, the day in question picks the row in
force on it: the passing standard of a sitting on 2025-06-30 is 214, from 2025-07-01
218.

The files ship with the tracker; one that cannot be read is a bug in the shipped data,
and the error names the file, the line and the problem.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import functools
import io
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.errors import FactsError, FileReadError
from tracker.files import read_regular

FACTS_DIR = Path(__file__).resolve().parent.parent / "data" / "facts"
UNDATED = None  # a source that gives no day: in force before every dated row
FACTS_MAX_BYTES = 1_000_000  # the largest shipped file is a few kilobytes


@dataclass(frozen=True, slots=True)
class PassingStandard:
    """The lowest passing score (points) of one exam from ``holds_from`` on."""

    exam: str
    passing: int
    holds_from: dt.date | None
    source: str


@dataclass(frozen=True, slots=True)
class ReleaseLag:
    """Days from the exam to its score's release."""

    exam: str
    days: int
    holds_from: dt.date | None
    source: str


@dataclass(frozen=True, slots=True)
class Rescheduling:
    """What moving the exam costs, by how many days before it the move is made."""

    free_days_before: int  # a move this many days or more before the exam is free
    late_fee: str  # words for the fee from ``free_days_before − 1`` to ``last_fee_day``
    last_fee_day: int  # from this many days before the exam down to 0, the fee is higher
    last_minute_fee: str
    source: str
    exam: str = ""
    holds_from: dt.date | None = None


@dataclass(frozen=True, slots=True)
class RetakeRules:
    """How often one exam may be sat again after a fail (months, attempts)."""

    exam: str
    max_attempts: int  # all attempts at the exam, the first included
    per_12_months: int  # attempts within any 12 months
    months_after_first: int  # a later attempt (past ``per_12_months``) waits this long
    months_after_last: int  # ... and this long after the most recent attempt
    holds_from: dt.date | None
    source: str


@dataclass(frozen=True, slots=True)
class PercentileTable:
    """Percentile ranks of first-time takers at the table's own scores (points → %)."""

    exam: str
    points: tuple[tuple[int, float], ...]  # (score, percentile), rising
    holds_from: dt.date | None
    source: str


@dataclass(frozen=True, slots=True)
class MatchedScores:
    """Step 2 CK of applicants who matched in a specialty: quartiles, in points."""

    specialty: str
    applicant: str
    q1: int
    median: int
    q3: int
    holds_from: dt.date | None
    source: str


@dataclass(frozen=True, slots=True)
class AdviceFigure:
    """One score the advice names (points), such as the seed's 245 for IR."""

    name: str
    score: int
    holds_from: dt.date | None
    source: str


# --- reading the files --------------------------------------------------------------------


def _whole(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
            raise ValueError(f"{text!r} is not a whole number {low}–{high}")
        return int(text)

    return parse


def _percent(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 100.0:  # also refuses NaN
        raise ValueError(f"{text!r} is not a percentage 0–100")
    return value


def _day(text: str) -> dt.date | None:
    return UNDATED if text == "" else dt.date.fromisoformat(text)


def _text(text: str) -> str:
    if not text:
        raise ValueError("it is empty")
    return text


SCORE = _whole(1, 999)
DAYS = _whole(0, 365)


def read_facts(
    name: str, columns: dict[str, Callable[[str], Any]], *, folder: Path = FACTS_DIR
) -> list[dict[str, Any]]:
    """The rows of ``folder/name`` with each cell parsed by its column's function.

    The header must name exactly ``columns``; every row needs a ``source``.
    """
    path = folder / name
    try:  # as every file is read: a regular file only, within a size cap
        raw = read_regular(
            path, max_bytes=FACTS_MAX_BYTES, what="a facts file", format_name="a CSV file"
        )
        if raw is None:
            raise FactsError(f"{path}: cannot be read (no such file)")
        text = raw.decode("utf-8")
    except (FileReadError, UnicodeDecodeError) as error:
        raise FactsError(f"{path}: cannot be read ({error})") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[dict[str, Any]] = []
    try:
        header = next(reader, [])
        if tuple(header) != tuple(columns):
            raise FactsError(f"{path} line 1: the header must be {','.join(columns)}")
        for row in reader:
            rows.append(_parse_row(row, columns, f"{path} line {reader.line_num}"))
    except csv.Error as error:
        raise FactsError(f"{path} line {reader.line_num}: malformed CSV: {error}") from None
    return rows


def _parse_row(
    row: list[str], columns: dict[str, Callable[[str], Any]], where: str
) -> dict[str, Any]:
    if len(row) != len(columns):
        raise FactsError(f"{where}: expected {len(columns)} fields, found {len(row)}")
    parsed = {}
    for (column, parse), cell in zip(columns.items(), row, strict=True):
        try:
            parsed[column] = parse(cell.strip())
        except ValueError as error:
            raise FactsError(f"{where}: {column}: {error}") from None
    return parsed


def in_force(rows: Sequence[Any], day: dt.date) -> Any | None:
    """The row whose ``holds_from`` is the latest on or before ``day`` (an undated row
    holds before every dated one); None when every row starts after ``day``."""
    ordered = sorted(rows, key=_start)
    starts = [_start(row) for row in ordered]
    index = bisect.bisect_right(starts, day) - 1
    return ordered[index] if index >= 0 else None


def _start(row: Any) -> dt.date:
    return dt.date.min if row.holds_from is UNDATED else row.holds_from


def latest(rows: Sequence[Any]) -> Any | None:
    """The row in force from the latest day on (None for no rows)."""
    return max(rows, key=_start, default=None)


# --- the tables ---------------------------------------------------------------------------


@functools.cache
def passing_standards() -> tuple[PassingStandard, ...]:
    columns = {"exam": _text, "passing": SCORE, "holds_from": _day, "source": _text}
    return tuple(PassingStandard(**row) for row in read_facts("passing.csv", columns))


@functools.cache
def release_lags() -> tuple[ReleaseLag, ...]:
    columns = {"exam": _text, "days": DAYS, "holds_from": _day, "source": _text}
    return tuple(ReleaseLag(**row) for row in read_facts("release.csv", columns))


@functools.cache
def rescheduling_rules() -> tuple[Rescheduling, ...]:
    columns = {
        "exam": _text, "free_days_before": DAYS, "late_fee": _text, "last_fee_day": DAYS,
        "last_minute_fee": _text, "holds_from": _day, "source": _text,
    }  # fmt: skip
    rules = tuple(Rescheduling(**row) for row in read_facts("rescheduling.csv", columns))
    for rule in rules:
        if not rule.last_fee_day < rule.free_days_before:
            raise FactsError(
                f"{FACTS_DIR / 'rescheduling.csv'}: {rule.exam}: the last-minute fee must "
                "start after the free period ends"
            )
    return rules


@functools.cache
def retake_rules() -> tuple[RetakeRules, ...]:
    small = _whole(1, 99)
    columns = {
        "exam": _text, "max_attempts": small, "per_12_months": small,
        "months_after_first": small, "months_after_last": small, "holds_from": _day,
        "source": _text,
    }  # fmt: skip
    return tuple(RetakeRules(**row) for row in read_facts("retakes.csv", columns))


@functools.cache
def percentile_tables() -> tuple[PercentileTable, ...]:
    columns = {
        "exam": _text, "score": SCORE, "percentile": _percent, "holds_from": _day,
        "source": _text,
    }  # fmt: skip
    rows = read_facts("percentiles.csv", columns)
    tables = []
    for (exam, start, source), group in itertools.groupby(
        rows, key=lambda r: (r["exam"], r["holds_from"], r["source"])
    ):
        points = tuple((r["score"], r["percentile"]) for r in group)
        if any(b[0] <= a[0] or b[1] < a[1] for a, b in itertools.pairwise(points)):
            raise FactsError(
                f"{FACTS_DIR / 'percentiles.csv'}: the {exam} table from {start} must "
                "rise with the score"
            )
        tables.append(PercentileTable(exam, points, start, source))
    return tuple(tables)


@functools.cache
def matched_scores() -> tuple[MatchedScores, ...]:
    columns = {
        "specialty": _text, "applicant": _text, "q1": SCORE, "median": SCORE,
        "q3": SCORE, "holds_from": _day, "source": _text,
    }  # fmt: skip
    rows = tuple(MatchedScores(**row) for row in read_facts("matched.csv", columns))
    for row in rows:
        if not row.q1 <= row.median <= row.q3:
            raise FactsError(
                f"{FACTS_DIR / 'matched.csv'}: {row.specialty} {row.applicant}: the "
                "quartiles must rise"
            )
    return rows


@functools.cache
def advice_figures() -> dict[str, AdviceFigure]:
    columns = {"name": _text, "score": SCORE, "holds_from": _day, "source": _text}
    rows = [AdviceFigure(**row) for row in read_facts("advice.csv", columns)]
    return {row.name: row for row in rows}


# --- questions about them -----------------------------------------------------------------


def passing_on(exam: str, day: dt.date) -> PassingStandard | None:
    """The passing standard of ``exam`` for a sitting on ``day`` (None: not known)."""
    own = [row for row in passing_standards() if row.exam == exam]
    return in_force(own, day) or (min(own, key=_start) if own else None)


def current(rows: Sequence[Any], exam: str) -> Any | None:
    """The latest row of ``exam`` in one of the tables keyed by exam."""
    return latest([row for row in rows if row.exam == exam])


def percentile_table(exam: str, day: dt.date) -> PercentileTable | None:
    """The table in force on ``day``; before the first the tracker holds, that first
    one (percentiles describe recent takers; an older table is not kept)."""
    own = [table for table in percentile_tables() if table.exam == exam]
    return in_force(own, day) or (min(own, key=_start) if own else None)


@dataclass(frozen=True, slots=True)
class Percentile:
    """Where a score sits among the table's takers, in percent.

    ``rank`` is read off the table (linearly between its scores); outside the table
    it is None and ``bounds`` says what is known: (0, lowest) or (highest, 100).
    """

    score: float
    rank: float | None
    bounds: tuple[float, float]
    table: PercentileTable


def percentile_of(score: float, table: PercentileTable) -> Percentile:
    """``score`` (points) placed in ``table``."""
    points = table.points
    (low_score, low_rank), (high_score, high_rank) = points[0], points[-1]
    if score < low_score:
        return Percentile(score, None, (0.0, low_rank), table)
    if score > high_score:
        return Percentile(score, None, (high_rank, 100.0), table)
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x0 <= score <= x1:
            rank = y0 + (y1 - y0) * (score - x0) / (x1 - x0)
            return Percentile(score, rank, (rank, rank), table)
    return Percentile(score, low_rank, (low_rank, low_rank), table)  # a one-point table


def matched_for(specialty: str, day: dt.date) -> MatchedScores | None:
    """The matched applicants' scores of ``specialty`` in force on ``day`` (US MD
    seniors: the tracker holds no other group's figures)."""
    own = [row for row in matched_scores() if row.specialty == specialty]
    return in_force(own, day) or latest(own)


def dated(day: dt.date | None) -> str:
    """A fact's day in words: ISO, or "undated"."""
    return "undated" if day is None else day.isoformat()


def iso(day: dt.date | None) -> str | None:
    """A fact's day for JSON: ISO, or None for an undated source."""
    return None if day is None else day.isoformat()
