"""A cohort of students at a glance: one line per log, for an advisor.

Each log (one student a file) is assessed with the same settings, whatever
``settings.json`` lies beside it, so the lines compare like with like. A log that cannot
be assessed is listed as skipped, with the reason, and the rest go on.
:func:`find_logs` is shared with :mod:`tracker.calibrate`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tracker.areas import AREA_LOG_NAME
from tracker.assess import assess
from tracker.errors import LogFormatError, TrackerError
from tracker.exams import PROFILES
from tracker.files import not_a_regular_file
from tracker.plan import Outcome, Plan
from tracker.qbank import QBANK_LOG_NAME
from tracker.settings import Settings
from tracker.spreadsheet import spreadsheet_text

# Who needs attention first when sorting by verdict.
VERDICT_ORDER = (
    Outcome.DELAY,
    Outcome.INSUFFICIENT_DATA,
    Outcome.ON_TRACK,
    Outcome.TAKE_NOW,
    Outcome.TAKEN,
)
SORT_KEYS = ("file", "n", "last", "projected", "verdict", "date")
CSV_COLUMNS = (
    "file", "n", "last_score", "projected", "verdict", "ready_by", "result_date",
    "result_score", "result_inside",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path left out of a cohort, and why (one line)."""

    source: str
    reason: str


def find_logs(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Skipped]]:
    """The log files ``paths`` name: files as given, and every ``*.csv`` in a folder.

    A folder's catalog files (named like a shipped catalog) and a student's area and
    Q-bank logs are not score logs and are left out quietly; each file is listed
    once, in the order given (a folder's sorted). A ``*.csv`` that is not a regular
    file (a link to nothing, a named pipe, a device, a folder) is skipped with its
    reason, never read and never dropped without a word.
    """
    catalog_names = {profile.catalog_file for profile in PROFILES.values()}
    catalog_names |= {AREA_LOG_NAME, QBANK_LOG_NAME}
    found: list[Path] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = sorted(p for p in path.glob("*.csv") if p.name not in catalog_names)
            if not inside:
                skipped.append(Skipped(str(path), "a folder with no .csv files"))
            candidates = []
            for entry in inside:
                problem = not_a_regular_file(entry, "a CSV file")
                if problem is None:
                    candidates.append(entry)
                else:
                    skipped.append(Skipped(str(entry), problem))
        elif os.path.lexists(path):
            candidates = [path]  # what it is, reading it tells (in the skipped reason)
        else:
            skipped.append(Skipped(str(path), "no such file or folder"))
            candidates = []
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found, skipped


@dataclass(frozen=True, slots=True)
class StudentLine:
    """One student's verdict, as finished numbers (exam points, dates)."""

    source: str
    n: int  # practice scores the plan used
    last_score: float | None  # the most recent of them, as the rule compares it
    projected: float | None  # the exam-day projection; after the exam, the one made then
    outcome: Outcome
    ready_by: dt.date | None  # on track or delay; None when there is no date
    result_date: dt.date | None
    result_score: int | None
    result_inside: bool | None  # the result inside the projection's interval


@dataclass(frozen=True, slots=True)
class Cohort:
    lines: tuple[StudentLine, ...]
    skipped: tuple[Skipped, ...]


def summarise(
    paths: Iterable[str | os.PathLike[str]],
    settings: Settings,
    today: dt.date,
    *,
    catalog_path: str | os.PathLike[str] | None = None,
) -> Cohort:
    """One :class:`StudentLine` per log in ``paths``, all under ``settings``."""
    logs, skipped = find_logs(paths)
    lines = []
    for path in logs:
        try:
            assessment = assess(
                path, settings, today, catalog_path=catalog_path, study=False
            )
        except LogFormatError as error:
            where = "" if error.line is None else f"line {error.line}: "
            skipped.append(Skipped(str(path), where + error.problem))
            continue
        except TrackerError as error:
            skipped.append(Skipped(str(path), str(error)))
            continue
        lines.append(student_line(str(path), assessment.plan))
    return Cohort(tuple(lines), tuple(skipped))


def student_line(source: str, plan: Plan) -> StudentLine:
    """The line for one assessed log's plan."""
    result = plan.result
    projected = plan.forecast.projected_score if result is None else result.projected
    recent = plan.rule.recent_scores
    return StudentLine(
        source=source,
        n=len(plan.readings),
        last_score=recent[-1] if recent else None,
        projected=projected,
        outcome=plan.outcome,
        ready_by=plan.ready_by,
        result_date=None if result is None else result.date,
        result_score=None if result is None else result.score,
        result_inside=None if result is None else result.inside,
    )


def sort_lines(
    lines: Sequence[StudentLine], key: str = "file", *, reverse: bool = False
) -> list[StudentLine]:
    """Lines sorted by one of :data:`SORT_KEYS`; lines without a value go last."""
    if key not in SORT_KEYS:
        raise ValueError(f"sort key {key!r} is not one of {', '.join(SORT_KEYS)}")
    values = {
        "file": lambda line: line.source,
        "n": lambda line: line.n,
        "last": lambda line: line.last_score,
        "projected": lambda line: line.projected,
        "verdict": lambda line: VERDICT_ORDER.index(line.outcome),
        "date": lambda line: line.ready_by or line.result_date,
    }[key]
    present = [line for line in lines if values(line) is not None]
    missing = [line for line in lines if values(line) is None]
    return sorted(present, key=values, reverse=reverse) + missing


def line_json(line: StudentLine) -> dict[str, object]:
    """A line for ``--json``: numbers rounded to 0.01 point, dates in ISO form."""
    result = None
    if line.result_date is not None:
        result = {
            "date": line.result_date.isoformat(),
            "score": line.result_score,
            "inside": line.result_inside,
        }
    return {
        "file": line.source,
        "n": line.n,
        "last_score": _rounded(line.last_score),
        "projected": _rounded(line.projected),
        "verdict": line.outcome.value,
        "headline": line.outcome.headline,
        "ready_by": None if line.ready_by is None else line.ready_by.isoformat(),
        "result": result,
    }


def cohort_csv(lines: Sequence[StudentLine]) -> str:
    """The lines as CSV, safe to open in a spreadsheet (file names cannot be formulas)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        writer.writerow(
            (
                spreadsheet_text(line.source), line.n, _cell(line.last_score),
                _cell(line.projected), line.outcome.value, _cell(line.ready_by),
                _cell(line.result_date), _cell(line.result_score),
                _cell(line.result_inside),
            )
        )  # fmt: skip
    return buffer.getvalue()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)
