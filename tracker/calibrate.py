"""Cohort calibration: each practice form's offset, learnt from students' real results.

The model, in points and days. Every row of student i is their ability that day, a
straight line a_i + b_i·t, plus noise; a practice row of form f is also off by that
form's bias β_f; the real exam is the reference (no bias)::

    score = a_i + b_i·t + β_f + ε,    ε ~ N(0, σ²)

A catalog's offset is what turns a practice score into an exam score, −β_f. It is
estimated by least squares with each student's own intercept and slope (fixed effects),
removed student by student (Frisch–Waugh–Lovell): what is left is a small regression
of the remaining scores on the remaining form indicators, whose residual variance over
rows − 2·students − forms degrees of freedom gives each estimate's standard error.
Percent forms take part on the exam's scale (converted, before any offset).

Each estimate e ± s is combined with the base catalog's offset b ± u by precision
weighting, (b/u² + e/s²)/(1/u² + 1/s²) with uncertainty (1/u² + 1/s²)^−½: a form few
students took has a large s and stays near b. The base should not itself have been
calibrated on the same students, or they would count twice.

The learning curve (model ``bend``, :class:`tracker.trend.Curve`) is calibrated next,
on scores corrected by the new offsets: for each curve on a grid around the exam's own
(its rate ×¼ to ×8, its ceiling −50 to +20 points), every student's curve is fitted to
their practice scores as the tracker fits it and projected to the day of their real
result. The cohort's errors e_i give the profile log-likelihood −(N/2)·log(mean e²);
the base curve's prior (log-rate within a factor of two, ceiling within 10 points, as
one SD) shrinks it, and the grid's best posterior is the new curve. A small cohort
moves it little; with fewer than :data:`MIN_CURVE_STUDENTS` it stays as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from tracker import log
from tracker.cohort import Skipped, find_logs
from tracker.errors import CalibrationError, LogFormatError, TrackerError
from tracker.exams import Catalog, ExamProfile, Form, Reading, max_offset, read_entry
from tracker.trend import MIN_SCORES_FOR_TREND, Curve, SlopePrior, study_time

MIN_PRACTICE_SCORES = 2  # with the result, three rows: one more than a student's line
# Scores are whole numbers, so rounding alone leaves each one an error spread evenly over
# ±0.5 point: an SD of 1/√12 ≈ 0.29 point. Scores closer to their lines than that (40
# copies of one log, say) have not measured their noise, and an offset computed from
# them would claim a precision whole-number scores cannot give: the floor stands in.
RESIDUAL_SD_FLOOR = 1 / math.sqrt(12)
BEFORE = "Before calibration: "  # in a calibrated form's source, ahead of the old one
MIN_CURVE_STUDENTS = 20  # fewer students with a trend cannot tell one curve from another
# Fewer students than this on a form and its standard error understates how much one
# more student could move it (the residual SD is pooled over the whole cohort): the
# estimate counts as if it had only n/MIN_FORM_STUDENTS of its precision, which pulls
# the new offset toward the base, and the output says so.
MIN_FORM_STUDENTS = 10
RATE_STEPS = tuple(2.0 ** (k / 2) for k in range(-4, 7))  # ×¼ … ×8 the base rate
CEILING_STEPS = tuple(float(d) for d in range(-50, 30, 10))  # points from the base ceiling
RATE_SHRINK_SD = math.log(2.0)  # the base rate may be off by a factor of two (one SD)
CEILING_SHRINK_SD = 10.0  # points: the base ceiling may be off by this much (one SD)


@dataclass(frozen=True, slots=True)
class StudentRows:
    """What calibration uses of one student: practice rows of catalog forms before
    the first real result, then that result (``form`` None). Days since the first
    row; scores in exam points, percent forms converted, no offsets."""

    source: str
    days: tuple[float, ...]
    scores: tuple[float, ...]
    forms: tuple[str | None, ...]
    unknown_rows: int = 0  # practice rows of forms not in the catalog, left out


@dataclass(frozen=True, slots=True)
class FormEstimate:
    """One form: the base, what the cohort says, and the combined offset (points)."""

    base: Form
    students: int  # students with a score of this form in the fit
    estimate: float | None  # exam minus practice; None: the cohort cannot tell
    se: float | None
    new: Form  # the calibrated form; the base itself when nothing was learnt
    note: str | None = None  # why a form kept its base, or moved only part of the way


@dataclass(frozen=True, slots=True)
class CurveEstimate:
    """The learning curve: the base, the cohort's own best, and the shrunk new one."""

    base: Curve
    students: int  # students with enough practice scores for a trend
    best: Curve | None  # the grid's best without shrinkage; None: not estimated
    new: Curve  # the base itself when nothing was learnt
    rms_error: tuple[float, float] | None  # points: results as projected by base, new
    note: str | None = None  # why the curve kept its base


@dataclass(frozen=True, slots=True)
class Calibration:
    """The outcome of calibrating one exam's catalog on a cohort."""

    profile: ExamProfile
    day: dt.date
    students: int
    rows: int
    residual_sd: float  # points: the noise left around the students' lines, floored
    forms: tuple[FormEstimate, ...]
    skipped: tuple[Skipped, ...]
    unknown_rows: int
    measured_sd: float  # points: before the floor (RESIDUAL_SD_FLOOR)
    curve: CurveEstimate | None = None

    @property
    def floored(self) -> bool:
        """Whether the scores sat closer to their lines than whole numbers allow, so
        the floor stood in for their residual SD (and so for the SEs)."""
        return self.measured_sd < RESIDUAL_SD_FLOOR

    @property
    def catalog(self) -> Catalog:
        return Catalog(forms=tuple(estimate.new for estimate in self.forms))


# --- reading the cohort -------------------------------------------------------------------


def student_rows(
    source: str, readings: Sequence[Reading], profile: ExamProfile
) -> StudentRows:
    """The rows of one student's readings that calibration uses, or
    :class:`CalibrationError` saying why there are none."""
    results = [r for r in readings if r.is_result]
    if not results:
        raise CalibrationError(f"no {profile.name} result")
    result = min(results, key=lambda r: r.entry.date)
    before = [r for r in readings if not r.is_result and r.entry.date < result.entry.date]
    known = sorted((r for r in before if r.form is not None), key=lambda r: r.entry.date)
    if len(known) < MIN_PRACTICE_SCORES:
        raise CalibrationError(
            f"{len(known)} practice score(s) of catalog forms before the result; "
            f"calibration needs {MIN_PRACTICE_SCORES}"
        )
    first = known[0].entry.date
    return StudentRows(
        source=source,
        days=tuple(float((r.entry.date - first).days) for r in (*known, result)),
        scores=tuple(r.points for r in (*known, result)),
        forms=(*(r.form.name for r in known), None),
        unknown_rows=len(before) - len(known),
    )


def read_student(
    path: str | os.PathLike[str], profile: ExamProfile, catalog: Catalog
) -> StudentRows:
    """One log file's rows for calibration; any problem is a :class:`TrackerError`."""
    readings: list[Reading] = []

    def check(entry: log.Entry) -> None:
        readings.append(read_entry(entry, profile, catalog, calibrate=False))

    log.parse_log(log.read_raw(path), source=str(path), check=check)
    return student_rows(str(path), readings, profile)


def read_cohort(
    paths: Iterable[str | os.PathLike[str]], profile: ExamProfile, catalog: Catalog
) -> tuple[list[StudentRows], list[Skipped]]:
    """Every usable student in ``paths``; the others skipped, each with its reason."""
    logs, skipped = find_logs(paths)
    students = []
    for path in logs:
        try:
            students.append(read_student(path, profile, catalog))
        except LogFormatError as error:
            where = "" if error.line is None else f"line {error.line}: "
            skipped.append(Skipped(str(path), where + error.problem))
        except TrackerError as error:
            skipped.append(Skipped(str(path), str(error)))
    return students, skipped


# --- the fixed-effects fit ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OffsetFit:
    """Least-squares offsets (exam minus practice, points) and their standard errors."""

    estimates: dict[str, tuple[float, float]]  # form name → (estimate, SE)
    students: dict[str, int]  # form name → students who took it
    residual_sd: float  # points; at least RESIDUAL_SD_FLOOR, which the SEs use too
    rows: int
    df: int
    measured_sd: float  # points: the residual SD as the scores gave it


def fit_offsets(students: Sequence[StudentRows], names: Sequence[str]) -> OffsetFit:
    """Each form's offset relative to the exam, with every student's own line removed."""
    sizes = np.array([len(s.days) for s in students], dtype=np.int64)
    rows = int(sizes.sum())
    student = np.repeat(np.arange(len(students)), sizes)
    days = np.fromiter(itertools.chain.from_iterable(s.days for s in students), float, rows)
    scores = np.fromiter(itertools.chain.from_iterable(s.scores for s in students), float)
    column = {name: k for k, name in enumerate(names)}
    form = np.fromiter(
        (column.get(f, -1) if f is not None else -1 for s in students for f in s.forms),
        dtype=np.int64,
        count=rows,
    )
    within = _Within(student, days, len(students))
    taken = form >= 0
    pairs = np.unique(student[taken] * len(names) + form[taken])
    counts = np.bincount(pairs % len(names), minlength=len(names))
    used, x = _identifiable(within, form, counts)
    y = within(scores)
    df = rows - 2 * len(students) - len(used)
    if df <= 0:
        raise CalibrationError(
            f"{rows} scores from {len(students)} student(s) leave no degrees of freedom "
            f"once each student's own line and {len(used)} form offset(s) are fitted; "
            "more students are needed"
        )
    gram = x.T @ x
    beta = np.linalg.solve(gram, x.T @ y) if used else np.empty(0)
    rss = float(np.sum((y - x @ beta) ** 2))
    measured_sd = math.sqrt(rss / df)
    residual_sd = max(measured_sd, RESIDUAL_SD_FLOOR)
    covariance = residual_sd**2 * np.linalg.inv(gram) if used else np.empty((0, 0))
    estimates = {
        names[k]: (-float(beta[i]), float(np.sqrt(covariance[i, i])))
        for i, k in enumerate(used)
    }
    return OffsetFit(
        estimates=estimates,
        students={name: int(counts[k]) for k, name in enumerate(names)},
        residual_sd=residual_sd,
        rows=rows,
        df=df,
        measured_sd=measured_sd,
    )


class _Within:
    """Removes each student's own least-squares line (intercept and slope over days)."""

    def __init__(self, student: np.ndarray, days: np.ndarray, count: int) -> None:
        self.student, self.count = student, count
        self.n = np.bincount(student, minlength=count).astype(float)
        centre = np.bincount(student, days, minlength=count) / self.n
        self.spread = days - centre[student]
        self.sxx = np.bincount(student, self.spread**2, minlength=count)

    def __call__(self, values: np.ndarray) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        mean = np.bincount(self.student, values, minlength=self.count) / self.n
        slope = np.bincount(self.student, self.spread * values, minlength=self.count)
        slope /= self.sxx
        return values - mean[self.student] - slope[self.student] * self.spread


def _identifiable(
    within: _Within, form: np.ndarray, counts: np.ndarray
) -> tuple[list[int], np.ndarray]:
    """The forms the cohort can tell apart (taken, and not a mix of the others), and
    their indicators with each student's line removed.

    A form whose indicator the students' own lines (or the other forms) explain fully
    cannot be estimated; the least-taken such form is dropped until the rest can.
    """
    used = [k for k in range(len(counts)) if counts[k] > 0]
    columns = {k: within(form == k) for k in used}
    while used:
        x = np.column_stack([columns[k] for k in used])
        singular = np.linalg.svd(x, compute_uv=False)
        if singular[-1] > 1e-8 * max(singular[0], 1.0):
            return used, x
        used.remove(min(used, key=lambda k: counts[k]))
    return used, np.empty((len(form), 0))


# --- combining with the base catalog ------------------------------------------------------


def combine(base: Form, estimate: float, se: float) -> tuple[float, float]:
    """Precision-weighted offset and uncertainty (points) of the base and an estimate."""
    if base.uncertainty == 0.0:
        return base.offset, 0.0  # the base claims to be exact: nothing moves it
    if se == 0.0:
        return estimate, 0.0
    base_precision, precision = base.uncertainty**-2, se**-2
    total = base_precision + precision
    return (base_precision * base.offset + precision * estimate) / total, total**-0.5


def calibrate_students(
    students: Sequence[StudentRows],
    profile: ExamProfile,
    base: Catalog,
    day: dt.date,
    skipped: Sequence[Skipped] = (),
) -> Calibration:
    """The base catalog calibrated on ``students`` (already read)."""
    if not students:
        raise CalibrationError(
            f"no usable log: none has a {profile.name} result with at least "
            f"{MIN_PRACTICE_SCORES} practice scores of catalog forms before it"
        )
    fit = fit_offsets(students, [form.name for form in base.forms])
    forms = tuple(_calibrated(form, fit, day, max_offset(profile)) for form in base.forms)
    offsets = {estimate.new.name: estimate.new.offset for estimate in forms}
    return Calibration(
        profile=profile,
        day=day,
        students=len(students),
        rows=fit.rows,
        residual_sd=fit.residual_sd,
        forms=forms,
        skipped=tuple(skipped),
        unknown_rows=sum(s.unknown_rows for s in students),
        measured_sd=fit.measured_sd,
        curve=fit_curve(students, offsets, profile.curve, profile.prior),
    )


def calibrate_logs(
    paths: Iterable[str | os.PathLike[str]],
    profile: ExamProfile,
    base: Catalog,
    day: dt.date,
) -> Calibration:
    """Read every log in ``paths`` and calibrate ``base`` on the usable ones."""
    students, skipped = read_cohort(paths, profile, base)
    return calibrate_students(students, profile, base, day, skipped)


def _calibrated(form: Form, fit: OffsetFit, day: dt.date, limit: float) -> FormEstimate:
    students = fit.students.get(form.name, 0)
    if form.name not in fit.estimates:
        return FormEstimate(form, students, None, None, form)
    estimate, se = fit.estimates[form.name]
    few = 0 < students < MIN_FORM_STUDENTS
    weighed_se = se * (MIN_FORM_STUDENTS / students) ** 0.5 if few else se
    offset, uncertainty = combine(form, estimate, weighed_se)
    if not (abs(offset) <= limit and uncertainty <= limit):
        note = f"the result {offset:+.1f} is beyond ±{limit:g} points: kept the base"
        return FormEstimate(form, students, estimate, se, form, note)
    note = None
    if few:
        note = (
            f"only {students} of the {MIN_FORM_STUDENTS} students wanted: pulled toward "
            "the base"
        )
    original = form.source.rpartition(BEFORE)[2]
    source = (
        f"Calibrated {day} on {students} students' real results: estimate "
        f"{estimate:+.2f} ± {se:.2f} points, combined with the base {form.offset:+g} ± "
        f"{form.uncertainty:g}{' (few students: pulled toward the base)' if few else ''}. "
        f"{BEFORE}{original}"
    )
    new = dataclasses.replace(
        form,
        offset=round(offset, 2),
        uncertainty=max(round(uncertainty, 2), 0.01) if uncertainty > 0 else 0.0,
        source=source,
    )
    return FormEstimate(form, students, estimate, se, new, note)


# --- the learning curve -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Results:
    """The cohort's practice rows (corrected scores, points; days) and each student's
    real result, for projecting every student at once."""

    student: np.ndarray  # which student each practice row is
    days: np.ndarray
    scores: np.ndarray
    result_days: np.ndarray  # one per student
    results: np.ndarray

    @classmethod
    def of(cls, students: Sequence[StudentRows], offsets: dict[str, float]) -> _Results:
        practice = [len(s.days) - 1 for s in students]  # the result is each one's last
        rows = list(
            itertools.chain.from_iterable(
                zip(s.days[:-1], s.scores[:-1], s.forms[:-1], strict=True) for s in students
            )
        )
        return cls(
            student=np.repeat(np.arange(len(students)), practice),
            days=np.array([day for day, _, _ in rows], dtype=float),
            scores=np.array([score + offsets.get(form, 0.0) for _, score, form in rows]),
            result_days=np.array([s.days[-1] for s in students], dtype=float),
            results=np.array([s.scores[-1] for s in students], dtype=float),
        )

    def sums(self, rate: float) -> tuple[np.ndarray, ...]:
        """Per student, in study time u of ``rate``: Σ1, Σu, Σu², Σy, Σu·y over the
        practice rows, and u on the day of the result."""
        u = study_time(self.days, rate)
        count = len(self.results)
        return (
            *(
                np.bincount(self.student, values, minlength=count)
                for values in (None, u, u * u, self.scores, u * self.scores)
            ),
            study_time(self.result_days, rate),
        )


def project_results(
    cohort: _Results,
    curve: Curve,
    prior: SlopePrior,
    sums: tuple[np.ndarray, ...] | None = None,
) -> np.ndarray:
    """Each student's curve, fitted to their practice rows as :func:`tracker.trend.
    fit_bayes` fits it (no form weights, no recency), on the day of their result.

    The posterior mean of (level at study time 0, first day's slope) solves a 2×2
    system per student; written out, it runs for every student at once. ``sums`` are
    ``cohort.sums(curve.rate)``, when already at hand.
    """
    n, u_sum, uu_sum, y_sum, uy_sum, u_result = sums or cohort.sums(curve.rate)
    first = curve.first_day_prior(prior)
    slope_precision = prior.weight * prior.noise_sd**2 / first.sd**2
    ceiling_precision = 0.0
    if curve.ceiling is not None:
        ceiling_precision = prior.weight * prior.noise_sd**2 / curve.ceiling_sd**2
    # The ceiling is level + slope/rate: its prior is a row (1, 1/rate) of pseudo-data.
    inverse_rate = 1.0 / curve.rate
    ceiling_pull = ceiling_precision * (curve.ceiling or 0.0)
    p00 = n + ceiling_precision
    p01 = u_sum + ceiling_precision * inverse_rate
    p11 = uu_sum + slope_precision + ceiling_precision * inverse_rate**2
    r0 = y_sum + ceiling_pull
    r1 = uy_sum + slope_precision * first.mean + ceiling_pull * inverse_rate
    determinant = p00 * p11 - p01**2
    level = (p11 * r0 - p01 * r1) / determinant
    slope = (p00 * r1 - p01 * r0) / determinant
    return level + slope * u_result


def fit_curve(
    students: Sequence[StudentRows],
    offsets: dict[str, float],
    base: Curve,
    prior: SlopePrior,
) -> CurveEstimate:
    """The learning curve calibrated on a cohort, shrunk toward ``base`` (see the top)."""
    usable = [s for s in students if _has_trend(s)]
    if len(usable) < MIN_CURVE_STUDENTS:
        note = (
            f"{len(usable)} student(s) with {MIN_SCORES_FOR_TREND}+ practice scores; "
            f"the curve needs {MIN_CURVE_STUDENTS}: kept the base"
        )
        return CurveEstimate(base, len(usable), None, base, None, note)
    cohort = _Results.of(usable, offsets)
    best, best_fit, new, new_posterior = base, -math.inf, base, -math.inf
    errors: dict[Curve, float] = {}
    sums: dict[float, tuple[np.ndarray, ...]] = {}
    for curve in _candidates(base):
        if curve.rate not in sums:  # the ceilings of one rate share the sums
            sums[curve.rate] = cohort.sums(curve.rate)
        projected = project_results(cohort, curve, prior, sums[curve.rate])
        errors[curve] = float(np.mean((projected - cohort.results) ** 2))
        fit = -0.5 * len(usable) * math.log(max(errors[curve], 1e-12))
        posterior = fit + _log_prior(curve, base)
        if fit > best_fit:
            best, best_fit = curve, fit
        if posterior > new_posterior:
            new, new_posterior = curve, posterior
    rms = (math.sqrt(errors[base]), math.sqrt(errors[new]))
    return CurveEstimate(base, len(usable), best, new, rms)


def _has_trend(student: StudentRows) -> bool:
    """Enough practice scores, on more than one day, for the tracker to fit a trend."""
    practice = student.days[:-1]
    return len(practice) >= MIN_SCORES_FOR_TREND and max(practice) > min(practice)


def _candidates(base: Curve) -> list[Curve]:
    """The grid: the base's rate times each of RATE_STEPS, its ceiling (if it has one)
    plus each of CEILING_STEPS; the base itself is on it."""
    ceilings = [None] if base.ceiling is None else [base.ceiling + d for d in CEILING_STEPS]
    return [
        dataclasses.replace(base, rate=base.rate * step, ceiling=ceiling)
        for step in RATE_STEPS
        for ceiling in ceilings
    ]


def _log_prior(curve: Curve, base: Curve) -> float:
    """How far ``curve`` is from ``base``, as a normal log-density (up to a constant)."""
    rate_z = math.log(curve.rate / base.rate) / RATE_SHRINK_SD
    ceiling_z = 0.0
    if base.ceiling is not None:
        ceiling_z = (curve.ceiling - base.ceiling) / CEILING_SHRINK_SD
    return -0.5 * (rate_z**2 + ceiling_z**2)
