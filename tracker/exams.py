"""Exams and their practice forms, as data.

An :class:`ExamProfile` holds everything that makes one exam itself: its score scale,
passing score, default threshold and target, how long its scores take to arrive, its
rescheduling rules, the names its real result goes by, and where its catalog of
practice forms lives. A :class:`Catalog` lists the forms: each with its scale (the
exam's three-digit scale, or percent correct), the offset and uncertainty that
calibrate it, the names students type for it, and when students usually take it.

Nothing outside this module knows a passing score, a scale or a form's name: adding an
exam means a profile here and a catalog file in ``data/``.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import difflib
import functools
import io
import itertools
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tracker import facts, files
from tracker.errors import CatalogError, FileReadError, InvalidEntryError, SettingsError
from tracker.facts import Rescheduling
from tracker.log import (
    ASSESSMENT_MAX_LENGTH,
    LOCK_TIMEOUT_SECONDS,
    Entry,
    has_control_characters,
    line_at,
)
from tracker.priors import DEFAULT_CURVE, Curve, SlopePrior

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
THREE_DIGIT, PERCENT = "three-digit", "percent"
SCALES = (THREE_DIGIT, PERCENT)
FAMILY_OTHER, FAMILY_EXAM = "Other", "Exam"
WILDCARD = "*"  # an alias ending in it covers every name that starts like it


@dataclass(frozen=True, slots=True)
class ExamProfile:
    """One exam. Scores are points on its own scale; durations are days."""

    key: str  # the name on the command line and in settings.json
    name: str  # as a student writes it: "Step 2 CK"
    full_name: str
    scale_low: int
    scale_high: int
    threshold: int  # "consistently this or higher" before sitting
    target: int  # a competitive score
    program_filter: int  # a cut-off programs commonly filter applications by
    reassess_below: int  # a first score under this calls for rethinking the plan
    plausible_minimum: int  # neither a form nor the exam reports a score under this
    points_per_sd: float  # the spread of first-time takers' scores (points)
    result_names: tuple[str, ...]  # names that mark a row as the real exam result
    catalog_file: str  # in data/, and the name of a student's own copy beside the log
    prior: SlopePrior  # the learning-rate prior, in this exam's points
    curve: Curve  # how learning slows (model "bend"), in this exam's points
    eligibility_months: int | None  # length of the eligibility period, if known
    defaults_note: str  # where the defaults come from, in one or two sentences
    sources: tuple[str, ...] = field(default=())

    @property
    def passing(self) -> int:
        """The passing standard in force now (points); a sitting's own is
        :meth:`passing_on` its day."""
        return facts.current(facts.passing_standards(), self.key).passing

    def passing_on(self, day: dt.date) -> int:
        """The passing standard (points) for a sitting on ``day``."""
        return facts.passing_on(self.key, day).passing

    @property
    def release_lag_days(self) -> int:
        """Days from the exam to its score's release (data/facts/release.csv)."""
        return facts.current(facts.release_lags(), self.key).days

    @property
    def rescheduling(self) -> Rescheduling | None:
        """What moving the exam costs; None when the tracker does not know."""
        return facts.current(facts.rescheduling_rules(), self.key)

    @property
    def retakes(self) -> facts.RetakeRules | None:
        """Attempt limits and waiting periods after a fail; None when not known."""
        return facts.current(facts.retake_rules(), self.key)

    @property
    def scale_words(self) -> str:
        return f"{self.scale_low}–{self.scale_high}"

    def on_scale(self, value: float) -> float:
        """``value`` clipped to the exam's scale (points)."""
        return min(max(value, float(self.scale_low)), float(self.scale_high))

    def is_result(self, assessment: str) -> bool:
        """Whether a log row named ``assessment`` is the real exam result."""
        return normalise_name(assessment) in _normalised(self.result_names)


# How Step 2 CK learning slows (model "bend"): chosen by the forecast benchmark
# (bench/results/forecast.md) from values the sources allow.
STEP2_CK_CURVE = DEFAULT_CURVE

STEP2_CK = ExamProfile(
    key="step2-ck",
    name="Step 2 CK",
    full_name="USMLE Step 2 Clinical Knowledge",
    scale_low=1,
    scale_high=300,
    threshold=240,
    target=245,
    program_filter=230,
    reassess_below=210,
    plausible_minimum=150,
    points_per_sd=16.0,
    result_names=("Step 2 CK", "USMLE Step 2 CK", "Step 2", "Step 2 Clinical Knowledge"),
    catalog_file="assessments.csv",
    prior=SlopePrior(mean=0.2, sd=0.1, noise_sd=7.0),
    curve=STEP2_CK_CURVE,
    eligibility_months=3,
    defaults_note="Threshold 240 and target 245 are the common advice to non-US IMGs "
    "aiming at interventional radiology (consistently 240+ on NBME/UWSA before sitting; "
    "245+ to be competitive); 230 is a common program filter; 210 a baseline that calls "
    "for rethinking the plan.",
    sources=(
        "Scale 1–300: USMLE score reporting. Passing standard by exam date, score "
        "release, fees, retakes and percentiles: 'tracker facts' (data/facts/).",
        "Spread of scores: SD about 16 (USMLE, first-time takers 2018–2019).",
    ),
)

COMLEX_2CE = ExamProfile(
    key="comlex-2ce",
    name="COMLEX Level 2-CE",
    full_name="COMLEX-USA Level 2 Cognitive Evaluation",
    scale_low=1,
    scale_high=999,
    threshold=480,
    target=510,
    program_filter=425,
    reassess_below=330,
    plausible_minimum=150,
    points_per_sd=100.0,
    result_names=(
        "COMLEX Level 2-CE",
        "COMLEX-USA Level 2-CE",
        "COMLEX 2-CE",
        "COMLEX 2",
        "COMLEX Level 2",
        "Level 2-CE",
    ),
    catalog_file="assessments-comlex-2ce.csv",
    # Step 2 CK's prior scaled by the ratio of the scales' spreads (SD 100 against
    # about 16): an assumption, not a measurement.
    prior=SlopePrior(mean=1.25, sd=0.625, noise_sd=44.0),
    # Step 2 CK's curve: its rate is per day; its ceiling the same number of SDs above
    # the first-time mean (Step 2 CK about 251, SD 15: data/facts/percentiles.csv;
    # COMLEX about 520, SD 100), its spread scaled alike. An assumption, as above.
    curve=Curve(
        rate=STEP2_CK_CURVE.rate,
        ceiling=520.0 + (STEP2_CK_CURVE.ceiling - 251.0) * 100.0 / 15.0,
        ceiling_sd=STEP2_CK_CURVE.ceiling_sd * 100.0 / 15.0,
    ),
    eligibility_months=None,
    defaults_note="No public 'consistently X+' rule exists for COMLEX. These defaults "
    "are the tracker's own choice, fixed in points: 480, 510, 425 and 330 sit at about "
    "the 34th, 46th, 17th and 3rd percentiles of first-time takers (a normal curve with "
    "NBOME's mean about 520, SD about 100). They were first set where Step 2 CK's 240, "
    "245, 230 and 210 sat among 2017–2020 takers; Step 2 CK scores have risen since, "
    "and by the current table (240 at the 23rd, 245 at the 32nd, 230 at the 9th "
    "percentile) the same places on COMLEX would be about 446, 473 and 386. The "
    "tracker keeps the higher, more careful numbers. Change them to your own target.",
    sources=(
        "Passing score 400, first-time mean about 520, SD about 100: NBOME, COMLEX-USA "
        "Level 2-CE scoring principles.",
        "Step 2 CK percentiles then: USMLE score interpretation tables, 2017–2020 "
        "takers; now: 'tracker facts'.",
        "Scores arrive about 4–6 weeks after the exam (NBOME Bulletin of Information); "
        "the tracker plans with 6.",
        "NBOME notes that COMSAE is not designed to predict COMLEX scores: treat the "
        "projection with extra care.",
    ),
)

PROFILES: dict[str, ExamProfile] = {p.key: p for p in (STEP2_CK, COMLEX_2CE)}
DEFAULT_EXAM = STEP2_CK.key


def get_profile(key: str) -> ExamProfile:
    """The profile called ``key``; an unknown key names the known ones."""
    try:
        return PROFILES[key]
    except KeyError:
        known = ", ".join(PROFILES)
        raise SettingsError(f"exam {key!r} is not one of {known}") from None


# --- names --------------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """A name as matching sees it: case, spaces and punctuation ignored."""
    return re.sub(r"[\W_]+", "", name).casefold()


@functools.cache
def _normalised(names: tuple[str, ...]) -> frozenset[str]:
    # Every row of every log asks whether it is the result: work the names out once.
    return frozenset(normalise_name(name) for name in names)


# --- the catalog of practice forms --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Form:
    """One practice form. Offsets and uncertainties are points on the exam's scale."""

    name: str
    family: str
    scale: str  # THREE_DIGIT or PERCENT
    offset: float  # points added to the (converted) practice score
    uncertainty: float  # points, about one standard deviation
    source: str
    aliases: tuple[str, ...] = ()
    conversion: tuple[tuple[float, float], ...] = ()  # (percent, points), rising
    weeks_before: tuple[int, int] | None = None  # when students usually take it

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def is_family(self) -> bool:
        """A catch-all entry for a family's other forms (an alias ending in ``*``)."""
        return any(alias.endswith(WILDCARD) for alias in self.aliases)


@dataclass(frozen=True, slots=True)
class Conversion:
    """A percent-correct score on the exam's scale."""

    points: float
    extrapolated: bool  # outside the table: the nearest segment was extended


def convert_percent(form: Form, percent: float) -> Conversion:
    """``percent`` on the exam's scale by linear interpolation in ``form.conversion``.

    Outside the table the nearest segment's slope is extended, and the result says so.
    """
    table = form.conversion
    if len(table) < 2:
        raise CatalogError(f"{form.name} has no conversion table for percentages")
    for (x0, y0), (x1, y1) in itertools.pairwise(table):
        if x0 <= percent <= x1:
            return Conversion(y0 + (y1 - y0) * (percent - x0) / (x1 - x0), False)
    (x0, y0), (x1, y1) = table[:2] if percent < table[0][0] else table[-2:]
    return Conversion(y0 + (y1 - y0) * (percent - x0) / (x1 - x0), True)


@dataclass(frozen=True, slots=True)
class Catalog:
    """The practice forms of one exam, found by any of their names."""

    forms: tuple[Form, ...]
    _index: dict[str, Form] = field(default_factory=dict, compare=False, repr=False)
    _prefixes: dict[str, Form] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for form in self.forms:
            for name in form.names:
                if name.endswith(WILDCARD):  # "COMSAE*": any other COMSAE form
                    self._prefixes.setdefault(normalise_name(name), form)
                else:
                    self._index.setdefault(normalise_name(name), form)

    def find(self, assessment: str) -> Form | None:
        """The form an assessment name means ("uwsa2", "UWorld SA 2" alike), if known.
        A name only a family entry's wildcard covers ("COMSAE Phase 2 Form C") is that
        form in its own name, with the family's offset: a form of its own for the plan
        and for repeats, calibrated like the family."""
        wanted = normalise_name(assessment)
        if wanted in self._index:
            return self._index[wanted]
        for prefix, family in self._prefixes.items():
            if wanted.startswith(prefix):
                return dataclasses.replace(family, name=assessment.strip(), aliases=())
        return None

    @property
    def plannable(self) -> tuple[Form, ...]:
        """The forms a plan may name: every form but a family's catch-all entry."""
        return tuple(f for f in self.forms if not f.is_family)

    def nearest_names(self, assessment: str, count: int = 3) -> list[str]:
        """Known form names closest to an unknown one, for a helpful warning."""
        wanted = normalise_name(assessment)
        matches = difflib.get_close_matches(wanted, list(self._index), n=10, cutoff=0.5)
        names: list[str] = []
        for key in matches:
            name = self._index[key].name
            if name not in names:
                names.append(name)
        return names[:count]


# --- reading a log row on the exam's scale ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reading:
    """One log row as the trend and the rule see it. Scores are exam points."""

    entry: Entry
    form: Form | None  # None: a name the catalog does not know
    is_result: bool  # the real exam, not a practice form
    scale: str  # the scale the score was logged on
    points: float  # on the exam's scale: converted for percent forms, before offsets
    calibrated: float  # points plus the form's offset when calibration is on
    uncertainty: float  # the offset's uncertainty, points (0: unknown, or calibration off)
    extrapolated: bool  # a percentage outside the conversion table
    exam: str = ""  # the key of the exam whose scale ``points`` are on

    @property
    def family(self) -> str:
        if self.is_result:
            return FAMILY_EXAM
        return self.form.family if self.form else FAMILY_OTHER

    @property
    def name(self) -> str:
        """The form's own name in the catalog ("UWSA 2" for "uwsa2"), the exam's for a
        real result, or the name as logged for a form the catalog does not know."""
        if self.is_result and self.exam in PROFILES:
            return PROFILES[self.exam].name
        return self.form.name if self.form else self.entry.assessment

    @property
    def seen(self) -> str:
        """The score as the student saw it: ``"70%"`` or ``"242"``."""
        return f"{self.entry.score}%" if self.scale == PERCENT else str(self.entry.score)


def read_entry(
    entry: Entry, profile: ExamProfile, catalog: Catalog, *, calibrate: bool = True
) -> Reading:
    """``entry`` on ``profile``'s scale, or :class:`InvalidEntryError` saying why not."""
    if profile.is_result(entry.assessment):
        _check_on_scale(entry.score, profile, f"a {profile.name} result")
        if entry.score < profile.plausible_minimum:
            raise InvalidEntryError(
                f"{entry.score} is not a {profile.name} score (none is reported under "
                f"{profile.plausible_minimum}); check the number"
            )
        points = float(entry.score)
        return Reading(
            entry, None, True, THREE_DIGIT, points, points, 0.0, False, profile.key
        )
    form = catalog.find(entry.assessment)
    if form is not None and form.scale == PERCENT:
        if not 0 <= entry.score <= 100:
            raise InvalidEntryError(
                f"{form.name} is scored in percent correct; {entry.score} is not 0–100 "
                "(log the percentage you saw, such as 70)"
            )
        converted = convert_percent(form, entry.score)
        # Whole points, rounded half up: the number the student sees when logging is
        # the one every later step uses and shows.
        points = profile.on_scale(float(math.floor(converted.points + 0.5)))
        offset = form.offset if calibrate else 0.0
        calibrated = profile.on_scale(points + offset)
        uncertainty = form.uncertainty if calibrate else 0.0
        return Reading(
            entry, form, False, PERCENT, points, calibrated, uncertainty,
            converted.extrapolated, profile.key,
        )  # fmt: skip
    _check_three_digit(entry, profile, form, catalog)
    points = float(entry.score)
    offset = form.offset if (form is not None and calibrate) else 0.0
    uncertainty = form.uncertainty if (form is not None and calibrate) else 0.0
    calibrated = profile.on_scale(points + offset)
    return Reading(
        entry, form, False, THREE_DIGIT, points, calibrated, uncertainty, False, profile.key
    )


def _check_on_scale(score: int, profile: ExamProfile, what: str) -> None:
    if not profile.scale_low <= score <= profile.scale_high:
        raise InvalidEntryError(
            f"score {score} is outside {profile.scale_words}, the scale of {what}"
        )


def _check_three_digit(
    entry: Entry, profile: ExamProfile, form: Form | None, catalog: Catalog
) -> None:
    what = f"{form.name}" if form else f"{profile.name} practice forms"
    try:
        _check_on_scale(entry.score, profile, what)
    except InvalidEntryError as error:
        others = [
            p for p in PROFILES.values()
            if p.key != profile.key and p.plausible_minimum <= entry.score < p.scale_high
        ]  # fmt: skip
        if form is None and others:
            hint = f" (is this a {others[0].name} score? use --exam {others[0].key})"
            raise InvalidEntryError(f"{error}{hint}") from None
        raise
    if entry.score < profile.plausible_minimum:
        name = form.name if form else entry.assessment
        percent_forms = [f.name for f in catalog.forms if f.scale == PERCENT]
        hint = (
            "if it is a percentage, log it under a percent-correct form such as the "
            f"{percent_forms[0]}, or check the number"
            if percent_forms
            else "check the number"
        )
        raise InvalidEntryError(
            f"{entry.score} is not a three-digit {name} score (no form reports under "
            f"{profile.plausible_minimum}); {hint}"
        )


def unknown_form_warning(name: str, catalog: Catalog, profile: ExamProfile) -> str:
    """One line for a name the catalog does not know: it is logged, not calibrated."""
    wanted = normalise_name(name)
    exam_names = [normalise_name(n) for n in profile.result_names]
    if difflib.get_close_matches(wanted, exam_names, n=1, cutoff=0.75):
        hint = f"; for your real {profile.name} score, use 'tracker result'"
    else:
        near = catalog.nearest_names(name)
        hint = f"; did you mean {' or '.join(near)}?" if near else ""
    return (
        f"{name!r} is not in the catalog of practice forms, so it is logged as a "
        f"three-digit score and not calibrated{hint}"
    )


# --- catalog files ------------------------------------------------------------------------

CATALOG_COLUMNS = (
    "name", "family", "scale", "offset", "uncertainty", "aliases", "conversion",
    "weeks_before", "source",
)  # fmt: skip
REQUIRED_CATALOG_COLUMNS = ("name", "family", "scale", "offset", "uncertainty", "source")
MAX_OFFSET_SD = 2.0  # an offset beyond two of the scale's SDs is a typo, not a bias
CATALOG_MAX_BYTES = 1_000_000


def max_offset(profile: ExamProfile) -> float:
    """The largest offset or uncertainty a catalog may give (points)."""
    return MAX_OFFSET_SD * profile.points_per_sd


def shipped_catalog_path(profile: ExamProfile) -> Path:
    return DATA_DIR / profile.catalog_file


def catalog_path_for(log_path: str | os.PathLike[str], profile: ExamProfile) -> Path:
    """The student's own catalog beside the log if there is one (even one that cannot
    be read: that is reported, not skipped), else the shipped one."""
    beside = Path(log_path).with_name(profile.catalog_file)
    return beside if os.path.lexists(beside) else shipped_catalog_path(profile)


def load_catalog(path: str | os.PathLike[str], profile: ExamProfile) -> Catalog:
    """Read and validate a catalog; problems name the file and line."""
    return parse_catalog_bytes(_read_catalog(Path(path)), source=str(path), profile=profile)


def _read_catalog(path: Path) -> bytes:
    """A catalog file's bytes, read as every file is (a regular file, capped)."""
    try:
        raw = files.read_regular(
            path, max_bytes=CATALOG_MAX_BYTES, what="a catalog", format_name="a CSV file"
        )
    except FileReadError as error:
        raise CatalogError(str(error)) from None
    if raw is None:
        raise CatalogError(f"{path}: no such catalog")
    return raw


def parse_catalog_bytes(raw: bytes, *, source: str, profile: ExamProfile) -> Catalog:
    """Parse a catalog file's bytes (UTF-8, with or without a byte-order mark)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = line_at(raw, error.start)
        raise CatalogError(
            f"{source} line {line}: byte 0x{raw[error.start]:02x} is not UTF-8 text; "
            "save the file as UTF-8"
        ) from None
    return parse_catalog(text, source=source, profile=profile)


def parse_catalog(text: str, *, source: str, profile: ExamProfile) -> Catalog:
    """Parse a catalog's text; the header may leave out the optional columns."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, last_line = [], 0
    try:
        for row in reader:
            # A row is named by its first line, as the log's are.
            first_line, last_line = last_line + 1, reader.line_num
            if any(cell.strip() for cell in row):
                rows.append((first_line, row))
    except csv.Error as error:
        raise CatalogError(
            f"{source} line {last_line + 1}: malformed CSV: {error}"
        ) from None
    if not rows:
        return Catalog(forms=())
    header_line, header = rows[0]
    columns = tuple(cell.strip().lower() for cell in header)
    unknown = [c for c in columns if c not in CATALOG_COLUMNS]
    missing = [c for c in REQUIRED_CATALOG_COLUMNS if c not in columns]
    if unknown or missing or len(set(columns)) != len(columns):
        raise CatalogError(
            f"{source} line {header_line}: the header must name the columns "
            f"{','.join(CATALOG_COLUMNS)} (aliases, conversion and weeks_before optional)"
        )
    forms: list[Form] = []
    seen: dict[str, str] = {}
    for line, row in rows[1:]:
        if len(row) != len(columns):
            raise CatalogError(
                f"{source} line {line}: expected {len(columns)} fields, found {len(row)}"
            )
        cells = {c: cell.strip() for c, cell in zip(columns, row, strict=True)}
        form = _parse_form(cells, f"{source} line {line}", profile)
        own: set[str] = set()
        for name in form.names:
            key = normalise_name(name)
            if key in own:
                continue  # two spellings of one name within one form: harmless
            own.add(key)
            if key in seen or profile.is_result(name):
                taken = seen.get(key, f"the {profile.name} result")
                raise CatalogError(
                    f"{source} line {line}: the name {name!r} is already {taken}'s"
                )
            seen[key] = form.name
        forms.append(form)
    return Catalog(forms=tuple(forms))


def _check_name(name: str, what: str, where: str) -> str:
    """A form's name or alias as the log could hold it, with letters or digits."""
    if has_control_characters(name):
        raise CatalogError(f"{where}: the {what} {name!r} holds a control character")
    if len(name) > ASSESSMENT_MAX_LENGTH:
        raise CatalogError(
            f"{where}: the {what} is longer than {ASSESSMENT_MAX_LENGTH} characters"
        )
    if not normalise_name(name):
        raise CatalogError(f"{where}: the {what} {name!r} has no letters or digits")
    return name


def _parse_form(cells: dict[str, str], where: str, profile: ExamProfile) -> Form:
    name = cells["name"]
    if not name:
        raise CatalogError(f"{where}: name is empty")
    _check_name(name, "name", where)
    scale = cells["scale"].lower()
    if scale not in SCALES:
        raise CatalogError(f"{where}: scale {scale!r} is not one of {', '.join(SCALES)}")
    limit = max_offset(profile)
    offset = _number(cells["offset"], "offset", where, -limit, limit)
    uncertainty = _number(cells["uncertainty"], "uncertainty", where, 0.0, limit)
    conversion = _conversion(cells.get("conversion", ""), where, profile)
    if scale == PERCENT and len(conversion) < 2:
        raise CatalogError(f"{where}: a percent form needs a conversion table")
    if scale == THREE_DIGIT and conversion:
        raise CatalogError(f"{where}: only percent forms have a conversion table")
    aliases = tuple(
        _check_name(a.strip(), "alias", where)
        for a in cells.get("aliases", "").split(";")
        if a.strip()
    )
    return Form(
        name=name,
        family=cells["family"] or FAMILY_OTHER,
        scale=scale,
        offset=offset,
        uncertainty=uncertainty,
        source=cells["source"],
        aliases=aliases,
        conversion=conversion,
        weeks_before=_weeks(cells.get("weeks_before", ""), where),
    )


def _number(
    text: str, what: str, where: str, low: float, high: float, unit: str = " points"
) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CatalogError(f"{where}: {what} {text!r} is not a number") from None
    if not low <= value <= high:  # also refuses NaN
        raise CatalogError(f"{where}: {what} {text} is outside {low:g} to {high:g}{unit}")
    return value


def _conversion(
    text: str, where: str, profile: ExamProfile
) -> tuple[tuple[float, float], ...]:
    """``"60:225;65:235"`` as rising (percent, points) pairs."""
    if not text:
        return ()
    pairs = []
    for part in text.split(";"):
        percent, _, points = part.partition(":")
        pairs.append(
            (
                _number(percent, "conversion percent", where, 0.0, 100.0, unit=""),
                _number(points, "conversion score", where, 1.0 * profile.scale_low,
                        1.0 * profile.scale_high),
            )
        )  # fmt: skip
    if any(b[0] <= a[0] or b[1] < a[1] for a, b in itertools.pairwise(pairs)):
        raise CatalogError(f"{where}: the conversion table must rise with the percentage")
    return tuple(pairs)


def _weeks(text: str, where: str) -> tuple[int, int] | None:
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", text)
    if not match or int(match[1]) > int(match[2]):
        raise CatalogError(f"{where}: weeks_before {text!r} is not a range like 1-3")
    return int(match[1]), int(match[2])


def with_offsets(
    form: Form, offset: object, uncertainty: object, profile: ExamProfile
) -> Form:
    """``form`` with an offset and uncertainty typed in an editor (points); a cell left
    empty, or not a finite number within the catalog's limits, is refused in words."""
    limit = max_offset(profile)
    values = []
    for what, value, low in (("offset", offset, -limit), ("uncertainty", uncertainty, 0.0)):
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            raise CatalogError(f"{form.name}: the {what} cell is empty or not a number")
        values.append(_number(repr(float(value)), what, form.name, low, limit))
    return dataclasses.replace(form, offset=values[0], uncertainty=values[1])


def is_catalog(head: bytes) -> bool:
    """Whether a file's first bytes are a catalog's header (to replace it safely)."""
    first = head.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0]
    columns = {cell.strip().lower() for cell in first.split(",")}
    return set(REQUIRED_CATALOG_COLUMNS) <= columns


def format_catalog(forms: Sequence[Form]) -> bytes:
    """A catalog's canonical bytes, readable by :func:`parse_catalog`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CATALOG_COLUMNS)
    for form in forms:
        weeks = "" if form.weeks_before is None else "{}-{}".format(*form.weeks_before)
        conversion = ";".join(f"{p:.10g}:{s:.10g}" for p, s in form.conversion)
        writer.writerow(
            (
                form.name, form.family, form.scale, f"{form.offset:.10g}",
                f"{form.uncertainty:.10g}", ";".join(form.aliases), conversion, weeks,
                form.source,
            )
        )  # fmt: skip
    return buffer.getvalue().encode("utf-8")


def catalog_bytes(catalog: Catalog, profile: ExamProfile, *, source: str) -> bytes:
    """The catalog's file, checked by reading it back first (``source`` names it)."""
    data = format_catalog(catalog.forms)
    parse_catalog(data.decode("utf-8"), source=source, profile=profile)
    return data


def save_catalog(
    path: str | os.PathLike[str],
    catalog: Catalog,
    profile: ExamProfile,
    *,
    mode_like: str | os.PathLike[str] | None = None,
) -> bool:
    """Save the student's own catalog (beside their log); whether anything was written.

    An existing file is replaced only when it reads as a catalog of ``profile``: a file
    that fails to parse is never rewritten, as the log is not. The old file is kept as
    ``<name>.bak``; a catalog identical to the file writes nothing. A new file gets the
    permissions of ``mode_like`` (the log) when it exists, so the offsets are no more
    readable than the scores.
    """
    path = Path(path)
    data = catalog_bytes(catalog, profile, source=str(path))
    target = files.write_target(path)
    backup = target.with_name(target.name + ".bak")
    with files.Locked(
        path, target.with_name(target.name + ".lock"), backup=backup,
        max_bytes=CATALOG_MAX_BYTES, timeout=LOCK_TIMEOUT_SECONDS,
        busy="another process is writing the catalog",
    ):  # fmt: skip
        if not os.path.lexists(path):
            mode = None
            if mode_like is not None and os.path.exists(mode_like):
                mode = files.mode_of(Path(mode_like))
            files.atomic_write(path, data, mode=mode)
            return True
        previous = _read_catalog(path)
        try:
            parse_catalog_bytes(previous, source=str(path), profile=profile)
        except CatalogError as error:
            raise CatalogError(
                f"{error}; the file is not replaced: fix that line, or move the file "
                "away, first"
            ) from None
        if previous == data:
            return False
        files.replace_keeping_backup(
            path, data, previous, backup=backup, kept="previous catalog"
        )
    return True
