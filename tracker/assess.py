"""The one call both shells make: log + settings + today → everything a shell shows.

:func:`assess` reads the log, finds the exam and its catalog, reads every row on the
exam's scale, makes the plan and its reasons, and collects the warnings a student
should see. The command and the dashboard render the :class:`Assessment`; neither
finds catalogs, builds policies or calls the plan itself, so both behave alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tracker import log
from tracker.errors import CatalogError, InvalidEntryError, PolicyError
from tracker.exams import (
    PROFILES,
    Catalog,
    ExamProfile,
    Form,
    Reading,
    catalog_path_for,
    get_profile,
    load_catalog,
    normalise_name,
    read_entry,
    shipped_catalog_path,
    unknown_form_warning,
)
from tracker.log import Entry
from tracker.profile import ApplicantProfile, choose_target
from tracker.settings import Settings
from tracker.study import Study, StudyFiles, read_study_files, study_status

if TYPE_CHECKING:
    # The plan and its reasons (numpy and the trend) are imported where a plan is made,
    # so writing and listing the log, which make none, start without them.
    from tracker.outlook import Outlook
    from tracker.plan import Outcome, Plan, Policy
    from tracker.reasons import Reason

CLOCK_SKEW_DAYS = 1  # a row dated tomorrow is a time zone, not a mistake


def policy_for(
    settings: Settings, profile: ExamProfile, *, target: int | None = None
) -> Policy:
    """The plan's policy from the student's settings, for one exam; ``target`` (points,
    from the applicant profile) stands in when the settings leave it unset."""
    from tracker.plan import Policy

    return Policy(
        exam=profile,
        threshold=settings.threshold,
        window=settings.window,
        target=settings.target if settings.target is not None else target,
        level=settings.level,
        model=settings.model,
        prior_weight=settings.prior_weight,
        recency_half_life_days=settings.recency_half_life_days,
        calibrate_rule=settings.calibrate_rule,
        eras_date=settings.eras_date,
        eligibility_end=settings.eligibility_end,
        longest_delay_days=settings.longest_delay_days,
        pace_days=settings.pace_days,
        min_gap_days=settings.min_gap_days,
    )


def suggested_target(settings: Settings, today: dt.date) -> int:
    """The target (points) the applicant profile suggests for the chosen exam."""
    applicant = ApplicantProfile.from_settings(settings)
    return choose_target(applicant, get_profile(settings.exam), None, today).score


@dataclass(frozen=True, slots=True)
class Forms:
    """The exam and its catalog, as found for one log."""

    profile: ExamProfile
    catalog: Catalog
    path: Path | None  # where the catalog came from; None for none at all
    warnings: tuple[str, ...] = ()

    def reading(self, entry: Entry, *, calibrate: bool = True) -> Reading:
        """The row on this exam's scale; a row another exam's catalog knows (a COMSAE
        in a Step 2 CK log) is read on that exam's scale, and the plan leaves it out."""
        name = entry.assessment
        if self.catalog.find(name) is None and not self.profile.is_result(name):
            for other, catalog in _other_exams(self.profile.key):
                if catalog.find(name) is not None or other.is_result(name):
                    return read_entry(entry, other, catalog, calibrate=calibrate)
        return read_entry(entry, self.profile, self.catalog, calibrate=calibrate)


@functools.cache
def _other_exams(key: str) -> tuple[tuple[ExamProfile, Catalog], ...]:
    """The other exams with their shipped catalogs (one that cannot be read is left out:
    it only serves to recognise rows)."""
    others = []
    for profile in PROFILES.values():
        if profile.key == key:
            continue
        try:
            others.append((profile, load_catalog(shipped_catalog_path(profile), profile)))
        except CatalogError:
            others.append((profile, Catalog(forms=())))
    return tuple(others)


def find_forms(
    log_path: str | os.PathLike[str] | None,
    exam: str,
    *,
    catalog_path: str | os.PathLike[str] | None = None,
) -> Forms:
    """The exam's catalog: ``catalog_path`` if given (its problems are errors), else the
    student's own beside the log, else the shipped one. A broken catalog of the
    student's own is reported and the shipped one is used instead."""
    profile = get_profile(exam)
    if catalog_path is not None:
        return Forms(profile, load_catalog(catalog_path, profile), Path(catalog_path))
    shipped = shipped_catalog_path(profile)
    path = catalog_path_for(log_path, profile) if log_path is not None else shipped
    try:
        return Forms(profile, load_catalog(path, profile), path)
    except CatalogError as error:
        if path == shipped:
            raise
        warning = f"{error}; using the shipped catalog until it is fixed"
    return Forms(profile, load_catalog(shipped, profile), shipped, (warning,))


@dataclass(frozen=True, slots=True)
class Assessment:
    """Everything a shell shows about one log on one day."""

    settings: Settings
    forms: Forms
    today: dt.date
    source: str  # the log's name, for messages
    entries: tuple[Entry, ...]  # file order: entry N is ``entries[N - 1]``
    readings: tuple[Reading, ...]  # one per entry, same order
    plan: Plan
    reasons: tuple[Reason, ...]
    warnings: tuple[str, ...]
    outlook: Outlook | None = None  # the applicant profile's view of the plan
    study: Study | None = None  # weak areas, Q-bank, tags, baseline (None: not read)
    # No exam date was set: the plan is for a sitting the student did not choose (the
    # dashboard's, some days ahead), and every headline says so.
    exam_date_assumed: bool = False

    @property
    def profile(self) -> ExamProfile:
        return self.forms.profile

    @property
    def outcome(self) -> Outcome:
        return self.plan.outcome


def assess(
    log_path: str | os.PathLike[str],
    settings: Settings,
    today: dt.date,
    *,
    catalog_path: str | os.PathLike[str] | None = None,
    raw: bytes | None = None,
    study: StudyFiles | bool = True,
    unset_exam_date: dt.date | None = None,
) -> Assessment:
    """Read the log at ``log_path`` (or its bytes ``raw``) and make the plan; with no
    exam date in ``settings``, for ``unset_exam_date`` if given (and said so).

    ``study``: True reads the area and Q-bank logs beside the log, a
    :class:`~tracker.study.StudyFiles` gives them already read, False leaves them out
    (a cohort's logs share a folder, not a student).
    """
    forms = find_forms(log_path, settings.exam, catalog_path=catalog_path)
    source = str(log_path)
    data = log.read_raw(log_path) if raw is None else raw
    calibrate = settings.calibrate

    entries = log.parse_log(
        data, source=source, check=lambda e: forms.reading(e, calibrate=calibrate)
    )
    readings = tuple(forms.reading(e, calibrate=calibrate) for e in entries)
    files = read_study_files(log_path) if study is True else study or None
    assumed = settings.exam_date is None and unset_exam_date is not None
    if assumed:
        settings = dataclasses.replace(settings, exam_date=unset_exam_date)
    found = assess_readings(
        entries, readings, settings, forms, today, source=source, study_files=files
    )
    if not assumed:
        return found
    unset = dataclasses.replace(settings, exam_date=None)
    return dataclasses.replace(found, settings=unset, exam_date_assumed=True)


def assess_readings(
    entries: Sequence[Entry],
    readings: Sequence[Reading],
    settings: Settings,
    forms: Forms,
    today: dt.date,
    *,
    source: str = "the log",
    study_files: StudyFiles | None = None,
) -> Assessment:
    """The plan for entries already read (the part of :func:`assess` after the file);
    with ``study_files``, the study plan beside it."""
    from tracker.outlook import outlook
    from tracker.plan import Outcome
    from tracker.profile_words import profile_reasons
    from tracker.reasons import explain
    from tracker.study_words import study_reasons

    applicant = ApplicantProfile.from_settings(settings)
    target = choose_target(applicant, forms.profile, settings.target, today)
    policy = policy_for(settings, forms.profile, target=target.score)
    warnings = list(forms.warnings)
    usable = []
    foreign = [r for r in readings if r.exam != forms.profile.key]
    if foreign:
        names = ", ".join(sorted({r.entry.assessment for r in foreign}))
        warnings.append(
            f"{count_rows(len(foreign))} from another exam ({names}) "
            f"{'is' if len(foreign) == 1 else 'are'} kept in the log and left out of the "
            f"{forms.profile.name} plan"
        )
    seen: dict[tuple, int] = {}
    for number, reading in enumerate(readings, start=1):
        date = reading.entry.date
        if reading.exam != forms.profile.key:
            continue
        first = seen.setdefault(result_key(reading), number)
        if first != number:
            warnings.append(
                f"{source}: entry {number} repeats entry {first} (the same day, form "
                "and score); it counts once"
            )
        elif (date - today).days > CLOCK_SKEW_DAYS:
            warnings.append(
                f"{source}: entry {number} is dated {date}, after today ({today}); "
                "it is left out until then (check the date, or the computer's clock)"
            )
        else:
            usable.append(reading)
    plan = _plan(usable, settings, policy, today, warnings, forms_left(forms, readings))
    view = outlook(plan, applicant, target, today)
    reasons = explain(plan) + profile_reasons(view, forms.profile)
    study = None
    if study_files is not None:
        study = _study(study_files, usable, plan, forms.profile.key, today)
        warnings.extend(study.warnings)
        reasons += study_reasons(study) if plan.outcome != Outcome.TAKEN else ()
    return Assessment(
        settings=settings,
        forms=forms,
        today=today,
        source=source,
        entries=tuple(entries),
        readings=tuple(readings),
        plan=plan,
        reasons=reasons,
        warnings=tuple(warnings),
        outlook=view,
        study=study,
    )


def _study(
    files: StudyFiles, usable: Sequence[Reading], plan: Plan, exam: str, today: dt.date
) -> Study:
    from tracker.plan import Outcome

    taken = plan.outcome == Outcome.TAKEN
    return study_status(
        files,
        [r.entry for r in usable if not r.is_result],
        exam=exam,
        today=today,
        exam_date=None if taken else plan.exam_date,
        readings=plan.readings,
    )


def forms_left(forms: Forms, readings: Sequence[Reading]) -> tuple[Form, ...]:
    """The catalog's practice forms not in the log (any row counts, even one the plan
    leaves out), in catalog order."""
    taken = {r.form.name for r in readings if r.form and not r.is_result}
    return tuple(f for f in forms.catalog.plannable if f.name not in taken)


def _plan(
    usable: list[Reading],
    settings: Settings,
    policy: Policy,
    today: dt.date,
    warnings: list[str],
    left: Sequence[Form],
) -> Plan:
    from tracker.plan import make_plan, review_result

    results = [r for r in usable if r.is_result]
    practice = [r for r in usable if not r.is_result]
    if results:
        result = max(results, key=lambda r: r.entry.date)
        if len(results) > 1:
            warnings.append(
                f"{len(results)} {result.entry.assessment} results are logged; the "
                f"latest ({result.entry.date}: {result.entry.score}) is reviewed"
            )
        later = [r for r in practice if r.entry.date >= result.entry.date]
        if later:
            warnings.append(
                f"{len(later)} practice result(s) on or after your exam result "
                f"({result.entry.date}) are not part of this review"
            )
        return review_result(practice, result, policy=policy)
    if settings.exam_date is None:
        raise PolicyError(
            "no exam date: pass --exam-date YYYY-MM-DD, or remember one with 'tracker "
            "set --exam-date YYYY-MM-DD' (or in the dashboard)"
        )
    return make_plan(
        practice, settings.exam_date, today=today, policy=policy, forms_left=left
    )


# --- writing through the exam's rules -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recorded:
    """What a write did: the log after it, the new row as read, and any warnings."""

    entries: tuple[Entry, ...]
    reading: Reading
    warnings: tuple[str, ...]


def result_key(reading: Reading) -> tuple:
    """What makes two rows the same result: day, form (however it was typed), score."""
    form = reading.form.name if reading.form else normalise_name(reading.entry.assessment)
    return reading.entry.date, reading.is_result, form, reading.entry.score


def refuse_repeat(forms: Forms) -> Callable[[Sequence[Entry], Entry], None]:
    """A check that refuses a new row the log already holds (a double click, say)."""

    def check(entries: Sequence[Entry], new: Entry) -> None:
        key = result_key(forms.reading(new))
        for number, entry in enumerate(entries, start=1):
            if result_key(forms.reading(entry)) == key:
                raise InvalidEntryError(
                    f"this result is already in the log (entry {number}: {entry.date} "
                    f"{entry.assessment}: {entry.score}); nothing was written"
                )

    return check


def count_rows(n: int) -> str:
    return f"{n} row{'' if n == 1 else 's'}"


OLD_RESULT_DAYS = 365  # a new result dated further back is more likely a year's typo


def check_new_entry(
    entry: Entry, forms: Forms, today: dt.date | None = None
) -> tuple[Reading, tuple[str, ...]]:
    """The new row on the exam's scale (or the error that refuses it) and warnings."""
    reading = forms.reading(entry)
    return reading, _warnings_for(entry, reading, forms) + _date_warning(entry, today)


def _date_warning(entry: Entry, today: dt.date | None) -> tuple[str, ...]:
    if today is None or (today - entry.date).days <= OLD_RESULT_DAYS:
        return ()
    return (
        f"{entry.date} is more than a year before today ({today}); if the year is a "
        "typo, 'tracker edit' can fix it",
    )


def _warnings_for(entry: Entry, reading: Reading, forms: Forms) -> tuple[str, ...]:
    warnings: tuple[str, ...] = ()
    if reading.exam != forms.profile.key:
        other = get_profile(reading.exam)
        warnings = (
            f"{entry.assessment} is a {other.name} form: it is logged on that exam's "
            f"scale and left out of the {forms.profile.name} plan",
        )
    elif reading.form is None and not reading.is_result:
        warnings = (unknown_form_warning(entry.assessment, forms.catalog, forms.profile),)
    elif reading.extrapolated:
        warnings = (
            f"{entry.score}% is outside the {reading.form.name} conversion table "
            f"({reading.form.conversion[0][0]:g}–{reading.form.conversion[-1][0]:g}%): "
            f"≈{reading.points:.0f} is an extrapolation",
        )
    return warnings


def record(
    log_path: str | os.PathLike[str],
    entry: Entry,
    settings: Settings,
    *,
    today: dt.date,
    catalog_path: str | os.PathLike[str] | None = None,
) -> Recorded:
    """Append ``entry`` after checking it on the exam's scale; the file is unchanged
    when it is refused."""
    forms = find_forms(log_path, settings.exam, catalog_path=catalog_path)
    reading, warnings = check_new_entry(entry, forms, today)
    entries = log.append_entry(
        log_path, entry, today=today, check=forms.reading, check_new=refuse_repeat(forms)
    )
    return Recorded(tuple(entries), reading, forms.warnings + warnings)


def result_entry(
    settings: Settings, date: dt.date | str, score: int | str, notes: str, today: dt.date
) -> Entry:
    """The log row of a real exam result: the assessment is the exam's own name."""
    profile = get_profile(settings.exam)
    return log.make_entry(date, profile.name, score, notes, today=today)


def amend(
    log_path: str | os.PathLike[str],
    index: int,
    entry: Entry,
    settings: Settings,
    *,
    expected: Entry | None,
    today: dt.date,
    catalog_path: str | os.PathLike[str] | None = None,
) -> Recorded:
    """Replace entry ``index`` (0-based, file order) with ``entry``, checked on the
    exam's scale; the old file is kept as ``.bak``. (Deleting needs no exam check:
    :func:`tracker.log.delete_entry`.)"""
    forms = find_forms(log_path, settings.exam, catalog_path=catalog_path)
    reading, warnings = check_new_entry(entry, forms, today)
    entries = log.replace_entry(log_path, index, entry, expected=expected, today=today)
    return Recorded(tuple(entries), reading, forms.warnings + warnings)
