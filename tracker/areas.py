"""Weak areas: lines of score reports, kept in their own log, ranked weakest first.

An NBME self-assessment's score report shows how each discipline and system went; a
Q-bank shows % correct by subject. ``tracker area`` logs one such line to
``areas.csv`` beside the score log (header ``date,source,area,percent,band,notes``),
read and written with the score log's own machinery (:mod:`tracker.log`): strict
reading by line, a lock, atomic writes, a ``.bak`` and undo.

A line carries a percent (``--percent 58``) or a band (``--band lower``):

- ``lower``, ``same``, ``higher``: NBME's current reports place each content area
  against the examinee's *own overall* performance; ``borderline`` is the shaded zone
  of older NBME performance profiles, comparable to a low pass. Weakest first, the
  bands are ``lower``, ``borderline``, ``same``, ``higher`` (an older profile's band
  left of the zone is ``lower``).
- A percent is made comparable the way NBME's current reports are made: against the
  student's own overall on that report. The reference is the Q-bank's overall %
  correct logged for the same bank on or before that day when there is one (passed in
  as ``references``), else the mean of that report's own percents. 5 points or more
  below it is ``lower``, 5 or more above ``higher``, in between ``same`` (the tracker's
  own choice; NBME warns not to over-read small differences). A percent alone never
  says ``borderline``: that zone is drawn by NBME, not by a share of questions.

Areas are ranked by their latest value: by band, then, within a band, by how far a
percent lies below its reference, then band-only lines, then by name. Names match the
sourced list in ``data/score-report-areas.csv`` through aliases (case, spaces and
punctuation ignored); any other name is kept as typed, with a warning.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import re
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tracker import log
from tracker.errors import CatalogError, InvalidEntryError, LogFormatError
from tracker.exams import DATA_DIR, normalise_name
from tracker.log import ASSESSMENT_MAX_LENGTH, NOTES_MAX_LENGTH, Table

AREA_LOG_NAME = "areas.csv"
AREA_CATALOG_PATH = DATA_DIR / "score-report-areas.csv"
BANDS = ("lower", "borderline", "same", "higher")  # weakest first
BAND_MEANINGS = {
    "lower": "below your own overall (or below NBME's borderline zone)",
    "borderline": "in NBME's borderline zone, about a low pass",
    "same": "about your own overall",
    "higher": "above your own overall",
}
SAME_WITHIN_POINTS = 5.0  # a percent this close to its reference is "same"
WEAKEST_COUNT = 3  # how many weak areas the plan names
WEAK_BANDS = ("lower", "borderline")
CLOCK_SKEW_DAYS = 1  # as for the score log: a line dated tomorrow is a time zone
AREA_LOG = Table(
    kind="area log",
    header=("date", "source", "area", "percent", "band", "notes"),
    columns=("date", "source", "area", "percent", "band", "notes"),
    required=("date", "source", "area"),
)
_CATALOG_TABLE = Table(
    kind="area list",
    header=("name", "kind", "aliases", "source", "holds_from"),
    columns=("name", "kind", "aliases", "source", "holds_from"),
    required=("name", "kind", "aliases", "source", "holds_from"),
)
_PERCENT = re.compile(r"[0-9]{1,3}(\.[0-9]+)?")


# --- the list of areas ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Area:
    """One discipline or system of the Step 2 CK content outline."""

    name: str
    kind: str  # "discipline" or "system"
    aliases: tuple[str, ...]
    source: str
    holds_from: dt.date  # the day the list holds from


@dataclass(frozen=True, slots=True)
class AreaCatalog:
    """The known areas; :meth:`find` matches a typed name through the aliases.

    Two areas answering to one name is an error, raised when the catalog is made.
    """

    areas: tuple[Area, ...]
    _keys: dict[str, Area] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        keys: dict[str, Area] = {}
        for area in self.areas:
            for name in (area.name, *area.aliases):
                key = normalise_name(name)
                if keys.setdefault(key, area) is not area:
                    raise CatalogError(
                        f"area name {name!r} belongs to both {keys[key].name} and "
                        f"{area.name}"
                    )
        object.__setattr__(self, "_keys", keys)

    def find(self, name: str) -> Area | None:
        return self._keys.get(normalise_name(name))


@functools.cache
def load_area_catalog(path: Path = AREA_CATALOG_PATH) -> AreaCatalog:
    """The sourced list of areas (``data/score-report-areas.csv``)."""
    source = str(path)
    try:
        raw = log.read_raw(path, kind=_CATALOG_TABLE.kind)
        areas = log.read_table(raw, source=source, table=_CATALOG_TABLE, make_row=_area)
    except LogFormatError as error:
        raise CatalogError(str(error)) from None
    return AreaCatalog(tuple(areas))


def _area(fields: Mapping[str, str]) -> Area:
    kind = fields["kind"].strip()
    if kind not in ("discipline", "system"):
        raise InvalidEntryError(f"kind {kind!r} is not discipline or system")
    aliases = tuple(a.strip() for a in fields["aliases"].split(";") if a.strip())
    return Area(
        name=_name(fields["name"], "area"),
        kind=kind,
        aliases=aliases,
        source=fields["source"].strip(),
        holds_from=log.parse_date(fields["holds_from"], what="holds_from"),
    )


# --- one line of a report -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AreaEntry:
    """One line of a score report: a percent correct (0–100) or a band, not both."""

    date: dt.date
    source: str  # the report: "NBME 13", "UWorld"
    area: str  # as typed
    percent: float | None = None
    band: str | None = None
    notes: str = ""


def area_log_path(score_log: str | os.PathLike[str]) -> Path:
    """The area log that belongs with a score log: ``areas.csv`` in its folder."""
    return Path(score_log).with_name(AREA_LOG_NAME)


def make_area_entry(
    date: dt.date | str,
    source: str,
    area: str,
    *,
    percent: float | str | None = None,
    band: str | None = None,
    notes: str = "",
    today: dt.date,
) -> AreaEntry:
    """A validated line for a *new* row: no date after ``today``, notes checked."""
    entry = _area_entry(date, source, area, percent, band, notes)
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


def _area_entry(
    date: dt.date | str,
    source: str,
    area: str,
    percent: float | str | None,
    band: str | None,
    notes: str,
) -> AreaEntry:
    """The checks every line passes, old or new: what a read must accept."""
    day = log.parse_date(date) if isinstance(date, str) else log.check_date(date)
    percent = parse_percent(percent)
    band = parse_band(band)
    if percent is None and band is None:
        raise InvalidEntryError(f"give a percent correct or a band ({', '.join(BANDS)})")
    if percent is not None and band is not None:
        raise InvalidEntryError("give a percent or a band, not both")
    if "\x00" in notes:
        raise InvalidEntryError("notes contain a NUL character")
    notes = notes.replace("\r\n", "\n").replace("\r", "\n").strip()
    return AreaEntry(
        day, _name(source, "source"), _name(area, "area"), percent, band, notes
    )


def _name(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidEntryError(f"{what} is empty")
    if len(text) > ASSESSMENT_MAX_LENGTH:
        raise InvalidEntryError(
            f"{what} is {len(text)} characters long; the limit is {ASSESSMENT_MAX_LENGTH}"
        )
    if log.has_control_characters(text):
        raise InvalidEntryError(
            f"{what} contains a line break or another control character"
        )
    return text


def parse_percent(value: float | str | None, *, what: str = "percent") -> float | None:
    """A percent correct, 0–100, from typed text (ASCII digits) or a number; "" is None.

    ``what`` names the value in messages ("% correct").
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InvalidEntryError(f"{what} {value!r} is not a number")
    if isinstance(value, str):
        text = value.strip()
        if not _PERCENT.fullmatch(text):
            hint = "; give the number without the % sign" if text.endswith("%") else ""
            raise InvalidEntryError(
                f"{what} {text!r} is not a number from 0 to 100 in ASCII digits{hint}"
            )
        value = float(text)
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidEntryError(f"{what} {value!r} is not a number from 0 to 100")
    if not 0 <= value <= 100:
        raise InvalidEntryError(f"{what} {value:g} is outside 0–100")
    return float(value)


def parse_band(value: str | None) -> str | None:
    """One of :data:`BANDS` (case and spaces ignored); "" is None."""
    if value is None or not value.strip():
        return None
    band = value.strip().casefold()
    if band not in BANDS:
        raise InvalidEntryError(
            f"unknown band {value.strip()!r} (one of {', '.join(BANDS)})"
        )
    return band


# --- the file -----------------------------------------------------------------------------


def parse_area_log(raw: bytes, *, source: str) -> list[AreaEntry]:
    """The lines of an area log's bytes, in file order; problems name file and line."""

    def make_row(fields: Mapping[str, str]) -> AreaEntry:
        return _area_entry(
            fields["date"],
            fields["source"],
            fields["area"],
            fields["percent"],
            fields["band"],
            fields["notes"],
        )

    return log.read_table(raw, source=source, table=AREA_LOG, make_row=make_row)


def read_area_log(path: str | os.PathLike[str]) -> list[AreaEntry]:
    """The area log at ``path`` (a missing file is an empty log)."""
    return parse_area_log(log.read_raw(path, kind=AREA_LOG.kind), source=str(path))


def format_area_log(entries: Sequence[AreaEntry]) -> bytes:
    return log.format_table(AREA_LOG.header, (_row(e) for e in entries))


def _row(entry: AreaEntry) -> tuple[str, ...]:
    percent = "" if entry.percent is None else f"{entry.percent:g}"
    return (
        entry.date.isoformat(),
        entry.source,
        entry.area,
        percent,
        entry.band or "",
        entry.notes,
    )


@dataclass(frozen=True, slots=True)
class AreaWrite:
    """What a write did: the log after it and any warnings."""

    entries: tuple[AreaEntry, ...]
    warnings: tuple[str, ...]


def append_area(
    path: str | os.PathLike[str], entry: AreaEntry, *, catalog: AreaCatalog
) -> AreaWrite:
    """Add one line; refused, file unchanged, when the log is broken or already has
    this report's line for this area. An unknown area name is kept, with a warning."""
    path = Path(path)
    entries: list[AreaEntry] = []

    def append(before: bytes) -> bytes:
        entries.extend(parse_area_log(before, source=str(path)))
        key = _line_key(entry, catalog)
        for number, old in enumerate(entries, start=1):
            if _line_key(old, catalog) == key:
                raise InvalidEntryError(
                    f"{path}: line {number + 1} already holds {old.area} from "
                    f"{old.source} on {old.date}; nothing was written"
                )
        entries.append(entry)
        return format_area_log(entries)

    log.update_file(path, append, kind=AREA_LOG.kind)
    return AreaWrite(tuple(entries), unknown_area_warnings([entry], catalog))


def undo_areas(path: str | os.PathLike[str]) -> log.Undone:
    """Swap the area log with its ``.bak`` (see :func:`tracker.log.undo_last_change`)."""
    return log.undo_last_change(
        path,
        parse=lambda raw, source: parse_area_log(raw, source=source),
        kind="area log",
    )


def unknown_area_warnings(
    entries: Sequence[AreaEntry], catalog: AreaCatalog
) -> tuple[str, ...]:
    """One warning per area name the list does not know (first spelling kept)."""
    unknown = {}
    for entry in entries:
        if catalog.find(entry.area) is None:
            unknown.setdefault(normalise_name(entry.area), entry.area)
    return tuple(
        f"'{name}' is not a Step 2 CK discipline or system the tracker knows, so it is "
        "kept as typed ('tracker areas --list' shows the names)"
        for name in unknown.values()
    )


def _line_key(entry: AreaEntry, catalog: AreaCatalog) -> tuple:
    """What makes two lines the same: the report (day and source) and the area."""
    return entry.date, normalise_name(entry.source), area_key(entry.area, catalog)


def area_key(name: str, catalog: AreaCatalog) -> str:
    known = catalog.find(name)
    return known.name if known else normalise_name(name)


# --- ranking ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Report:
    """One report: a day and a source (an NBME form, a Q-bank), as first typed."""

    date: dt.date
    source: str

    @property
    def key(self) -> tuple[dt.date, str]:
        return self.date, normalise_name(self.source)


@dataclass(frozen=True, slots=True)
class AreaValue:
    """An area's value on one report, and what makes it comparable across reports."""

    report: Report
    percent: float | None
    band: str | None  # as logged
    standing: str  # one of BANDS: the band logged, or the percent against its reference
    reference: float | None  # percent correct the percent was compared with

    @property
    def difference(self) -> float | None:
        """Points above (+) or below (−) the reference; None for a band."""
        if self.percent is None or self.reference is None:
            return None
        return self.percent - self.reference


@dataclass(frozen=True, slots=True)
class AreaStanding:
    """One area over the reports that name it, oldest first."""

    name: str  # the list's name, or the latest spelling of an unknown one
    kind: str | None  # "discipline", "system", or None for a name the list lacks
    values: tuple[AreaValue, ...]

    @property
    def latest(self) -> AreaValue:
        return self.values[-1]

    @property
    def previous(self) -> AreaValue | None:
        return self.values[-2] if len(self.values) > 1 else None

    @property
    def change_steps(self) -> int | None:
        """Bands moved since the previous report (+1: one band up); None for one."""
        if self.previous is None:
            return None
        return BANDS.index(self.latest.standing) - BANDS.index(self.previous.standing)

    @property
    def change_points(self) -> float | None:
        """Percent points since the previous report, when both are percents of one
        source (a Q-bank's percents are not another's)."""
        previous, latest = self.previous, self.latest
        if previous is None or previous.percent is None or latest.percent is None:
            return None
        if previous.report.key[1] != latest.report.key[1]:
            return None
        return latest.percent - previous.percent


@dataclass(frozen=True, slots=True)
class AreaRanking:
    """Every area, weakest first, and the reports they come from, oldest first."""

    areas: tuple[AreaStanding, ...]
    reports: tuple[Report, ...]
    warnings: tuple[str, ...] = ()

    @property
    def weakest(self) -> tuple[str, ...]:
        """Up to :data:`WEAKEST_COUNT` areas whose latest value is lower or borderline."""
        weak = [a.name for a in self.areas if a.latest.standing in WEAK_BANDS]
        return tuple(weak[:WEAKEST_COUNT])


ReferenceFor = Callable[[dt.date, str], "float | None"]


def rank_areas(
    entries: Sequence[AreaEntry],
    *,
    catalog: AreaCatalog,
    today: dt.date,
    reference_for: ReferenceFor | None = None,
) -> AreaRanking:
    """Rank the areas of ``entries`` weakest first (see the module's docstring).

    ``reference_for(day, source)`` may give a report's overall % correct (a Q-bank's,
    say); otherwise a report's percents are compared with their own mean. Lines dated
    more than a day after ``today`` are left out, with a warning. When one report holds
    an area twice, the later line counts.
    """
    usable, warnings = [], []
    for number, entry in enumerate(entries, start=1):
        if (entry.date - today).days > CLOCK_SKEW_DAYS:
            warnings.append(
                f"{AREA_LOG_NAME} line {number + 1} is dated {entry.date}, after today "
                f"({today}); it is left out until then"
            )
        else:
            usable.append(entry)
    lines = _one_line_per_report(usable, catalog)
    reports = _reports(lines)
    references = {
        key: _reference(key, lines, reference_for) for key in {r.key for r in reports}
    }
    by_area: dict[str, list[tuple[AreaEntry, Report]]] = {}
    for entry, report in lines:
        by_area.setdefault(area_key(entry.area, catalog), []).append((entry, report))
    standings = [_standing(rows, references, catalog) for rows in by_area.values()]
    standings.sort(key=_weakness)
    return AreaRanking(tuple(standings), reports, tuple(warnings))


def weakest_areas(
    entries: Sequence[AreaEntry],
    *,
    today: dt.date,
    catalog: AreaCatalog | None = None,
    reference_for: ReferenceFor | None = None,
) -> tuple[str, ...]:
    """The names of the weakest areas (latest value lower or borderline), weakest
    first, at most :data:`WEAKEST_COUNT`: what a weekly review of weak subjects covers."""
    catalog = catalog or load_area_catalog()
    ranking = rank_areas(entries, catalog=catalog, today=today, reference_for=reference_for)
    return ranking.weakest


def _one_line_per_report(
    entries: Sequence[AreaEntry], catalog: AreaCatalog
) -> list[tuple[AreaEntry, Report]]:
    """Lines in date order (file order within a day), one per report and area; each
    with its report as first typed."""
    first_spelling: dict[tuple, Report] = {}
    latest: dict[tuple, AreaEntry] = {}
    for entry in sorted(entries, key=lambda e: e.date):
        report = Report(entry.date, entry.source)
        first_spelling.setdefault(report.key, report)
        latest[(*report.key, area_key(entry.area, catalog))] = entry
    return [(entry, first_spelling[key[:2]]) for key, entry in latest.items()]


def _reports(lines: Sequence[tuple[AreaEntry, Report]]) -> tuple[Report, ...]:
    seen: dict[tuple, Report] = {}
    for _, report in lines:
        seen.setdefault(report.key, report)
    return tuple(sorted(seen.values(), key=lambda r: r.date))


def _reference(key, lines, reference_for) -> float | None:
    day, source = key
    if reference_for is not None:
        given = reference_for(day, source)
        if given is not None:
            return given
    percents = [e.percent for e, r in lines if r.key == key and e.percent is not None]
    return statistics.fmean(percents) if percents else None


def _standing(rows, references, catalog: AreaCatalog) -> AreaStanding:
    values = []
    for entry, report in rows:
        reference = references[report.key] if entry.percent is not None else None
        values.append(
            AreaValue(
                report, entry.percent, entry.band, _band_of(entry, reference), reference
            )
        )
    known = catalog.find(rows[-1][0].area)
    name = known.name if known else rows[-1][0].area
    return AreaStanding(name, known.kind if known else None, tuple(values))


def _band_of(entry: AreaEntry, reference: float | None) -> str:
    if entry.band is not None:
        return entry.band
    difference = entry.percent - reference
    if difference <= -SAME_WITHIN_POINTS:
        return "lower"
    if difference >= SAME_WITHIN_POINTS:
        return "higher"
    return "same"


def _weakness(standing: AreaStanding) -> tuple:
    latest = standing.latest
    difference = latest.difference
    return (
        BANDS.index(latest.standing),
        difference is None,  # percents first within a band: they say how far
        difference or 0.0,
        standing.name.casefold(),
    )
