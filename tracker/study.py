"""The study plan around the scores: weak areas, Q-bank progress, test-taking problems
and the baseline, gathered as finished numbers for the verdict, the plan and the page.

The seed's plan for Step 2 CK (``data/facts/study-plan.csv``, each figure with its source):
a baseline self-assessment 3–4 months before the exam; at least one full pass of the
main Q-bank, 1.5–2 if time allows; 1–2 hours a week on weak subjects; full-length
practice in the final 2–3 weeks. :func:`study_status` puts a student's own files
against it; :mod:`tracker.study_words` says it in sentences. Nothing here changes the
projection or the verdict: the area and Q-bank logs are read beside the score log and
reported.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tracker import log
from tracker.areas import (
    AreaEntry,
    AreaRanking,
    area_log_path,
    load_area_catalog,
    parse_area_log,
    rank_areas,
)
from tracker.errors import CatalogError, InvalidEntryError, LogFormatError, TrackerError
from tracker.exams import DATA_DIR, Reading, get_profile
from tracker.log import Entry, Table
from tracker.qbank import (
    QbankEntry,
    QbankProgress,
    bank_key,
    parse_qbank_log,
    qbank_log_path,
    qbank_progress,
)
from tracker.tags import IssueCount, count_issues

STUDY_PLAN_PATH = DATA_DIR / "facts" / "study-plan.csv"
DAYS_PER_MONTH = 365.25 / 12
_FACTS_TABLE = Table(
    kind="study plan",
    header=("exam", "fact", "low", "high", "unit", "source", "holds_from"),
    columns=("exam", "fact", "low", "high", "unit", "source", "holds_from"),
    required=("exam", "fact", "low", "high", "unit", "source", "holds_from"),
)


@dataclass(frozen=True, slots=True)
class StudyFact:
    """One figure of the study plan: a range ``low``–``high`` in ``unit``."""

    exam: str
    fact: str
    low: float
    high: float
    unit: str
    source: str
    holds_from: dt.date  # the day the figure holds from


@functools.cache
def study_facts(exam: str, path: Path = STUDY_PLAN_PATH) -> Mapping[str, StudyFact]:
    """The study plan's figures for ``exam`` by name (none for an exam without any)."""
    try:
        raw = log.read_raw(path, kind=_FACTS_TABLE.kind)
        facts = log.read_table(raw, source=str(path), table=_FACTS_TABLE, make_row=_fact)
    except LogFormatError as error:
        raise CatalogError(str(error)) from None
    return {f.fact: f for f in facts if f.exam == exam}


def _fact(fields: Mapping[str, str]) -> StudyFact:
    try:
        low, high = float(fields["low"]), float(fields["high"])
    except ValueError:
        raise InvalidEntryError("low and high must be numbers") from None
    if not low <= high:
        raise InvalidEntryError(f"low {low:g} is above high {high:g}")
    return StudyFact(
        exam=fields["exam"].strip(),
        fact=fields["fact"].strip(),
        low=low,
        high=high,
        unit=fields["unit"].strip(),
        source=fields["source"].strip(),
        holds_from=log.parse_date(fields["holds_from"], what="holds_from"),
    )


# --- the baseline -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Baseline:
    """The first practice score against the seed's advice. Days and points."""

    exam_date: dt.date
    first_date: dt.date | None  # None: nothing logged yet
    first_score: float | None  # on the exam's scale
    days_before_exam: int  # from the first score (or today, with none) to the exam
    advised_days: int  # the earliest the advice wants a baseline, in days (3 months)
    advised: StudyFact
    missing: bool  # the first score (or today) is nearer the exam than that
    in_plausible_band: bool  # the first score lies in the band the seed speaks of
    band: StudyFact | None
    target: StudyFact | None
    months: StudyFact | None


def check_baseline(
    readings: Sequence[Reading], exam_date: dt.date, today: dt.date, exam: str
) -> Baseline | None:
    """The baseline check for practice ``readings`` (chronological); None for an exam
    without the seed's figures."""
    facts = study_facts(exam)
    advised = facts.get("baseline_before_exam")
    if advised is None:
        return None
    advised_days = round(advised.low * DAYS_PER_MONTH)
    first = readings[0] if readings else None
    start = first.entry.date if first else today
    days = (exam_date - start).days
    band = facts.get("baseline_plausible_band")
    score = first.points if first else None
    in_band = band is not None and score is not None and band.low <= score <= band.high
    return Baseline(
        exam_date=exam_date,
        first_date=first.entry.date if first else None,
        first_score=score,
        days_before_exam=days,
        advised_days=advised_days,
        advised=advised,
        missing=days < advised_days,
        in_plausible_band=in_band,
        band=band,
        target=facts.get("baseline_plausible_target"),
        months=facts.get("baseline_plausible_months"),
    )


# --- gathering the files ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudyFiles:
    """The area and Q-bank logs beside a score log, as read (empty when missing)."""

    areas: tuple[AreaEntry, ...] = ()
    qbank: tuple[QbankEntry, ...] = ()
    warnings: tuple[str, ...] = ()


def study_bytes(score_log: str | os.PathLike[str]) -> tuple[bytes | None, bytes | None]:
    """The bytes of the area and Q-bank logs beside ``score_log``, for callers that
    cache on contents (the dashboard); None for a file that cannot be read, which
    :func:`read_study_files` then reports as a warning."""
    found: list[bytes | None] = []
    for path in (area_log_path(score_log), qbank_log_path(score_log)):
        try:
            found.append(log.read_raw(path))
        except TrackerError:
            found.append(None)
    return found[0], found[1]


def read_study_files(
    score_log: str | os.PathLike[str],
    *,
    areas_raw: bytes | None = None,
    qbank_raw: bytes | None = None,
    strict: str | None = None,
) -> StudyFiles:
    """Read ``areas.csv`` and ``qbank.csv`` beside ``score_log`` (or the bytes given).

    A file that cannot be read becomes a warning: the verdict goes on without it, and
    the file is left for the student to fix (``tracker areas`` names the line). The
    file ``strict`` names ("areas" or "qbank") raises instead: it is the one asked for.
    """
    areas: list[AreaEntry] = []
    qbank: list[QbankEntry] = []
    warnings: list[str] = []
    for which, path, raw, parse, into in (
        ("areas", area_log_path(score_log), areas_raw, parse_area_log, areas),
        ("qbank", qbank_log_path(score_log), qbank_raw, parse_qbank_log, qbank),
    ):
        try:
            data = log.read_raw(path) if raw is None else raw
            into.extend(parse(data, source=str(path)))
        except TrackerError as error:
            if which == strict:
                raise
            warnings.append(f"{error}; it is left out until it is fixed")
    return StudyFiles(tuple(areas), tuple(qbank), tuple(warnings))


@dataclass(frozen=True, slots=True)
class Study:
    """Everything the study plan shows, as finished numbers."""

    exam: str
    areas: AreaRanking
    qbank: QbankProgress | None
    issues: tuple[IssueCount, ...]
    practice_exams: int  # practice rows the tag counts are out of
    baseline: Baseline | None
    facts: Mapping[str, StudyFact]
    warnings: tuple[str, ...]

    @property
    def weakest(self) -> tuple[str, ...]:
        return self.areas.weakest


def study_status(
    files: StudyFiles,
    practice: Sequence[Entry],
    *,
    exam: str,
    today: dt.date,
    exam_date: dt.date | None,
    readings: Sequence[Reading] = (),
) -> Study:
    """The study plan's numbers: ``practice`` are the score log's practice rows (for
    the tags), ``readings`` the plan's (for the baseline, chronological)."""
    catalog = load_area_catalog()
    ranking = rank_areas(
        files.areas,
        catalog=catalog,
        today=today,
        reference_for=qbank_reference(files.qbank),
    )
    progress = qbank_progress(files.qbank, today=today, exam_date=exam_date)
    baseline = None
    if exam_date is not None and exam_date >= today:
        baseline = check_baseline(readings, exam_date, today, exam)
    return Study(
        exam=exam,
        areas=ranking,
        qbank=progress,
        issues=count_issues(practice),
        practice_exams=len(practice),
        baseline=baseline,
        facts=study_facts(exam),
        warnings=files.warnings + ranking.warnings,
    )


def qbank_reference(reports: Sequence[QbankEntry]):
    """``reference_for(day, source)`` for area percents: the overall % correct of the
    Q-bank a report comes from, as logged on or before that day (None otherwise)."""
    by_bank: dict[str, list[QbankEntry]] = {}
    for report in sorted(reports, key=lambda r: r.date):
        by_bank.setdefault(bank_key(report.bank), []).append(report)

    def reference_for(day: dt.date, source: str) -> float | None:
        earlier = [r for r in by_bank.get(bank_key(source), []) if r.date <= day]
        return earlier[-1].correct if earlier else None

    return reference_for


def study_for_log(
    score_log: str | os.PathLike[str],
    *,
    exam: str,
    today: dt.date,
    exam_date: dt.date | None = None,
    strict: str | None = None,
) -> Study:
    """The study plan of one student without a verdict (``tracker areas``, ``tracker
    qbank``): the score log gives the tags; no baseline (that needs the plan).

    The file ``strict`` names must read; the score log must too.
    """
    files = read_study_files(score_log, strict=strict)
    profile = get_profile(exam)
    practice = [e for e in log.read_log(score_log) if not profile.is_result(e.assessment)]
    if exam_date is not None and exam_date < today:
        exam_date = None  # a date that has passed plans nothing
    return study_status(files, practice, exam=exam, today=today, exam_date=exam_date)
