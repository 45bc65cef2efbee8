"""A plan to the exam day: the practice forms not yet taken, and a date for each.

Pure: an :class:`~tracker.assess.Assessment` (or plain values) in, a
:class:`Schedule` out, with :func:`schedule_lines` putting it into words for both
shells. Forms are matched to the log through the catalog's names, so "uwsa2" in the
log means UWSA 2 is taken.

How dates are chosen (a simple, predictable rule rather than an optimiser):

- the first practice day is the day the student's pace brings the next one (the last
  practice day + pace), but not before today; with nothing logged, today;
- a form with a timing window in the catalog (``weeks_before`` = (lo, hi)) is taken
  between ``exam − hi weeks`` and ``exam − lo weeks``; a form without one, any day
  before the exam day;
- walking forward from the first day, each day takes the open form whose window
  closes first (catalog order breaks ties), then the next day is ``pace`` days later;
  when no form is open, the walk jumps to the day the next window opens;
- a form whose window closes before it gets a day is left out, and says why.

The verdict can next change on the first planned day: a new score is new evidence.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.assess import Assessment
from tracker.exams import ExamProfile, Form
from tracker.plan import Outcome
from tracker.reasons import count

DAYS_PER_WEEK = 7


class LeftOut(enum.StrEnum):
    WINDOW_PASSED = "window_passed"  # its usual window closed before the first day
    NO_ROOM = "no_room"  # at this pace no day inside its window (or before the exam)


@dataclass(frozen=True, slots=True)
class Slot:
    """One practice form on one day; ``window`` is its usual first and last day."""

    form: Form
    date: dt.date
    window: tuple[dt.date, dt.date] | None


@dataclass(frozen=True, slots=True)
class Left:
    """A form not planned, and why."""

    form: Form
    cause: LeftOut
    window: tuple[dt.date, dt.date] | None


@dataclass(frozen=True, slots=True)
class Schedule:
    """The practice forms left and their dates, to the exam day. Days and dates."""

    exam: ExamProfile
    exam_date: dt.date
    today: dt.date
    outcome: Outcome
    logged: int  # practice results in the log
    window: int  # how many results the verdict's rule needs
    taken: tuple[str, ...]  # catalog names of the forms already logged, catalog order
    pace_days: int
    pace_measured: bool
    first_day: dt.date  # the first day a practice exam fits the pace
    slots: tuple[Slot, ...]
    left: tuple[Left, ...]
    ready_by: dt.date | None  # the plan's, for ON TRACK and DELAY
    suggested_date: dt.date | None  # the plan's, for DELAY

    @property
    def next_practice(self) -> dt.date | None:
        """The day the verdict can next change: the next practice exam, if one fits."""
        if self.slots:
            return self.slots[0].date
        return self.first_day if self.first_day < self.exam_date else None


def usual_window(form: Form, exam_date: dt.date) -> tuple[dt.date, dt.date] | None:
    """The days students usually take ``form``, from its ``weeks_before`` (lo, hi)."""
    if form.weeks_before is None:
        return None
    low, high = form.weeks_before
    return (
        exam_date - dt.timedelta(weeks=high),
        exam_date - dt.timedelta(weeks=low),
    )


def schedule_forms(
    forms: Sequence[Form],
    exam_date: dt.date,
    first_day: dt.date,
    pace_days: int,
    today: dt.date | None = None,
) -> tuple[tuple[Slot, ...], tuple[Left, ...]]:
    """Dates for ``forms`` (catalog order) from ``first_day``, ``pace_days`` apart at
    least, each inside its usual window and before ``exam_date``. A window that ended
    before ``today`` (default: ``first_day``) has passed; one still open today that
    the pace steps over has no room."""
    if pace_days < 1:
        raise ValueError(f"pace {pace_days} days is not a whole number from 1")
    last_day = exam_date - dt.timedelta(days=1)
    windows = {form.name: usual_window(form, exam_date) for form in forms}
    opens = {n: w[0] if w else dt.date.min for n, w in windows.items()}
    closes = {n: min(w[1], last_day) if w else last_day for n, w in windows.items()}
    passed_before = first_day if today is None else min(today, first_day)
    left = [
        Left(f, LeftOut.WINDOW_PASSED, windows[f.name])
        for f in forms
        if windows[f.name] and closes[f.name] < passed_before
    ]
    waiting = [f for f in forms if not (windows[f.name] and closes[f.name] < passed_before)]
    slots: list[Slot] = []
    day = first_day
    while waiting and day <= last_day:
        open_now = [f for f in waiting if opens[f.name] <= day <= closes[f.name]]
        if open_now:
            form = min(open_now, key=lambda f: closes[f.name])  # min keeps catalog order
            slots.append(Slot(form, day, windows[form.name]))
            waiting.remove(form)
            day += dt.timedelta(days=pace_days)
            continue
        later = [opens[f.name] for f in waiting if opens[f.name] > day]
        if not later:
            break
        day = min(later)
    left += [Left(f, LeftOut.NO_ROOM, windows[f.name]) for f in waiting]
    return tuple(slots), tuple(left)


def taken_forms(assessment: Assessment) -> tuple[str, ...]:
    """Catalog names of the practice forms in the log (any row, even one left out)."""
    logged = {r.form.name for r in assessment.readings if r.form and not r.is_result}
    return tuple(f.name for f in assessment.forms.catalog.forms if f.name in logged)


def plan_schedule(assessment: Assessment, *, pace_days: int | None = None) -> Schedule:
    """The schedule for an assessment, at ``pace_days`` or else the student's pace
    (measured, else the default), from the last practice day."""
    plan = assessment.plan
    rule = plan.rule
    pace = pace_days or rule.pace_days
    practice_days = [r.entry.date for r in plan.readings]
    first_day = assessment.today
    if practice_days:
        first_day = max(first_day, max(practice_days) + dt.timedelta(days=pace))
    done = set(taken_forms(assessment))
    catalog = assessment.forms.catalog.forms
    remaining = [f for f in catalog if f.name not in done]
    slots: tuple[Slot, ...] = ()
    left: tuple[Left, ...] = ()
    if plan.outcome != Outcome.TAKEN:
        slots, left = schedule_forms(
            remaining, plan.exam_date, first_day, pace, today=assessment.today
        )
    return Schedule(
        exam=assessment.profile,
        exam_date=plan.exam_date,
        today=assessment.today,
        outcome=plan.outcome,
        logged=len(plan.readings),
        window=plan.policy.window,
        taken=tuple(f.name for f in catalog if f.name in done),
        pace_days=pace,
        pace_measured=rule.pace_measured and pace_days is None,
        first_day=first_day,
        slots=slots,
        left=left,
        ready_by=plan.ready_by,
        suggested_date=plan.suggested_date,
    )


# --- in words ---------------------------------------------------------------------------


def window_words(window: tuple[dt.date, dt.date] | None, form: Form) -> str:
    """``"usually 2026-12-04 to 2026-12-18 (4–6 weeks before)"``, or ``"any day"``."""
    if window is None:
        return "any day"
    low, high = form.weeks_before
    return f"usually {window[0]} to {window[1]} ({low}–{high} weeks before)"


def schedule_lines(schedule: Schedule) -> tuple[str, ...]:
    """The schedule as lines a student reads top to bottom (no markup)."""
    rows = [
        f"  {slot.date}  {slot.form.name}: {window_words(slot.window, slot.form)}"
        for slot in schedule.slots
    ]
    return (*schedule_header(schedule), *rows, *schedule_notes(schedule))


def schedule_header(schedule: Schedule) -> list[str]:
    """What the schedule is, and with nothing logged, what to take first."""
    exam = schedule.exam.name
    if schedule.outcome == Outcome.TAKEN:
        return [f"You have sat {exam}: there is nothing left to plan."]
    every = "day" if schedule.pace_days == 1 else f"{schedule.pace_days} days"
    pace = f"one practice exam every {every}"
    pace += " (your own pace)" if schedule.pace_measured else ""
    lines = [f"Plan to {exam} on {schedule.exam_date}, at {pace}:"]
    if schedule.logged == 0 and schedule.slots:
        first = schedule.slots[0]
        lines.append(
            f"Nothing logged yet: take {first.form.name} first ({first.date}) and log "
            f"the score you see; the verdict needs {count(schedule.window, 'result')}."
        )
    return lines


def schedule_notes(schedule: Schedule) -> list[str]:
    """What follows the dated forms: the next change, ready-by, what is left out."""
    if schedule.outcome == Outcome.TAKEN:
        return []
    lines = [] if schedule.slots else [_no_slots(schedule)]
    return lines + _after_slots(schedule)


def _no_slots(schedule: Schedule) -> str:
    if schedule.next_practice is None:
        return f"  No day is left for a practice exam before {schedule.exam_date}."
    if not schedule.left:
        return (
            f"  Every {schedule.exam.name} form in the catalog is logged; practise "
            "with another source at the same pace."
        )
    return "  No form fits its usual window at this pace (see below)."


def _after_slots(schedule: Schedule) -> list[str]:
    lines = []
    if schedule.next_practice is not None:
        lines.append(
            f"The verdict can next change on {schedule.next_practice}, the day you log "
            "your next practice exam."
        )
    if schedule.ready_by is not None:
        lines.append(
            f"Ready by {schedule.ready_by} at the earliest (the verdict's estimate)."
        )
    if schedule.outcome == Outcome.DELAY:
        moved = f" to about {schedule.suggested_date}" if schedule.suggested_date else ""
        lines.append(
            f"These dates keep the exam on {schedule.exam_date}; if you move it{moved}, "
            "plan again with the new date."
        )
    for item in schedule.left:
        if item.cause == LeftOut.WINDOW_PASSED:
            why = f"its usual window ended on {item.window[1]}"
        elif item.window is not None:
            why = f"no day inside its usual window ({item.window[0]} to {item.window[1]})"
            why += " at this pace"
        else:
            why = "no day left before the exam at this pace"
        lines.append(f"Not planned: {item.form.name}: {why}.")
    if schedule.taken:
        n = len(schedule.taken)
        lines.append(f"Already logged ({count(n, 'form')}): {', '.join(schedule.taken)}.")
    return lines
