"""The plan to the exam day in words, and as JSON: from the practice plan the verdict
itself counts on (:attr:`tracker.plan.Plan.practice`), so the two never disagree.

No arithmetic: every day is already in the plan; this module only says what each one
is for, one line of why per choice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.assess import Assessment
from tracker.exams import Form
from tracker.plan import Outcome
from tracker.reasons import ANY_PRACTICE_EXAM, count
from tracker.schedule import (
    BASELINE_WEEKS,
    REST_DAYS,
    Placement,
    PracticePlan,
    Slot,
    is_final_form,
)
from tracker.study_words import weekly_review_line


@dataclass(frozen=True, slots=True)
class PlannedLine:
    """One planned practice exam, in words."""

    date: dt.date
    assessment: str
    why: str
    counts: bool  # one of the scores the verdict's rule still needs


@dataclass(frozen=True, slots=True)
class PlanText:
    """The plan to the exam day as a student reads it, top to bottom."""

    header: tuple[str, ...]
    planned: tuple[PlannedLine, ...]
    not_planned: tuple[tuple[str, str], ...]  # (form, why)
    notes: tuple[str, ...]

    def lines(self) -> tuple[str, ...]:
        rows = [f"  {line.date}  {line.assessment}: {line.why}" for line in self.planned]
        return (*self.header, *rows, *self.notes, *self.not_planned_lines())

    def not_planned_lines(self) -> list[str]:
        """One line per reason: the forms left out for it, oldest first."""
        by_why: dict[str, list[str]] = {}
        for name, why in self.not_planned:
            by_why.setdefault(why, []).append(name)
        return [f"Not planned ({why}): {', '.join(n)}." for why, n in by_why.items()]


def taken_forms(assessment: Assessment) -> tuple[str, ...]:
    """Catalog names of the practice forms in the log (any row, even one left out)."""
    logged = {r.form.name for r in assessment.readings if r.form and not r.is_result}
    return tuple(f.name for f in assessment.forms.catalog.plannable if f.name in logged)


def plan_text(assessment: Assessment) -> PlanText:
    """The plan in words: what to take on which day and why, what is left out."""
    plan = assessment.plan
    exam = assessment.profile.name
    if plan.outcome == Outcome.TAKEN or plan.practice is None:
        return PlanText(
            (f"You have sat {exam}: there is nothing left to plan.",), (), (), ()
        )
    practice, missing = plan.practice, plan.rule.missing
    planned = tuple(
        PlannedLine(
            slot.date,
            slot.form.name if slot.form else ANY_PRACTICE_EXAM,
            _why(slot, practice, n, missing, baseline=not plan.readings and n == 1),
            n <= missing,
        )
        for n, slot in enumerate(practice.slots, start=1)
    )
    left = tuple((form.name, _left_out_why(form)) for form in practice.left_out)
    return PlanText(_header(assessment), planned, left, _notes(assessment))


def plan_json(assessment: Assessment) -> dict[str, object]:
    """``tracker plan --json``: ``planned`` ({date, assessment, why, counts}) and
    ``not_planned`` ({assessment, why}), with the numbers behind them, and
    ``weekly_review`` ({hours, areas}: the weakest areas to review each week)."""
    plan, text = assessment.plan, plan_text(assessment)
    practice = plan.practice
    return {
        "exam": assessment.profile.key,
        "exam_date": plan.exam_date.isoformat(),
        "today": assessment.today.isoformat(),
        "verdict": plan.outcome.value,
        "needed_scores": plan.needed_scores,
        "forms_left": plan.forms_left,
        "pace_days": None if practice is None else practice.pace_days,
        "min_gap_days": None if practice is None else practice.final_gap_days,
        "planned": [
            {
                "date": line.date.isoformat(),
                "assessment": line.assessment,
                "why": line.why,
                "counts": line.counts,
            }
            for line in text.planned
        ],
        "not_planned": [{"assessment": name, "why": why} for name, why in text.not_planned],
        "taken": list(taken_forms(assessment)),
        "weekly_review": _weekly_review(assessment),
    }


def _weekly_review(assessment: Assessment) -> dict[str, object] | None:
    """The week's review of weak subjects: its hours (the seed's) and the weakest
    areas; None when the area log was not read."""
    study = assessment.study
    if study is None:
        return None
    hours = study.facts.get("weak_area_hours_per_week")
    return {
        "hours": None if hours is None else [hours.low, hours.high],
        "areas": list(study.weakest),
    }


# --- one line of why ----------------------------------------------------------------


def _why(
    slot: Slot, practice: PracticePlan, n: int, missing: int, *, baseline: bool
) -> str:
    """Why this day for this form, and whether the verdict counts on it."""
    because = _placement_words(slot, practice, baseline=baseline)
    if n <= missing:
        which = "the next score" if missing == 1 else f"score {n} of the {missing}"
        because += f"; {which} the rule still needs"
    return because


def _placement_words(slot: Slot, practice: PracticePlan, *, baseline: bool) -> str:
    form = slot.form
    if slot.placement == Placement.EXTRA:
        return (
            "any full-length practice exam (another source, such as AMBOSS or Kaplan; "
            "not calibrated): no catalog form is left for a score the rule needs"
        )
    if baseline:
        return (
            "your baseline: a first full-length exam to find weak areas and test-taking "
            "problems (best 3–4 months before the exam)"
        )
    if slot.placement == Placement.ANY_DAY:
        return "no usual time for this form: a free day at the pace"
    window = _weeks(form)
    if slot.placement == Placement.BEFORE_WINDOW:
        return f"before its usual time ({window}), which newer forms fill"
    if slot.placement == Placement.AFTER_WINDOW:
        if slot.window[1] < practice.earliest_day:
            return f"its usual time ({window}) has passed: the first free day"
        return f"after its usual time ({window}), which other forms fill"
    if form.weeks_before[0] >= BASELINE_WEEKS[0]:
        return f"in its usual time ({window}), as a baseline"
    if is_final_form(form):
        return f"full-length practice in the final weeks ({window}): newest forms last"
    return f"in its usual time ({window})"


def _weeks(form: Form) -> str:
    low, high = form.weeks_before
    return f"{low}–{high} weeks before the exam"


def _left_out_why(form: Form) -> str:
    if is_final_form(form):
        return "no day left before the exam at this pace; newer forms come first"
    return "no day left at this pace; the oldest forms give way to newer ones"


# --- header and notes ---------------------------------------------------------------


def _header(assessment: Assessment) -> tuple[str, ...]:
    plan = assessment.plan
    practice, rule = plan.practice, plan.rule
    every = "day" if practice.pace_days == 1 else f"{practice.pace_days} days"
    pace = f"one practice exam every {every}"
    if plan.policy.pace_days is not None:
        pace += " (the pace you set)"
    elif rule.pace_measured:
        pace += " (your own pace)"
    if practice.final_gap_days < practice.pace_days:
        pace += (
            f", {count(practice.final_gap_days, 'day')} apart at the closest in the "
            "final three weeks"
        )
    lines = [
        f"Plan to {assessment.profile.name} on {plan.exam_date}, at {pace}; none in "
        f"the last {REST_DAYS} days:"
    ]
    if not plan.readings and practice.slots:
        first = practice.slots[0]
        name = first.form.name if first.form else ANY_PRACTICE_EXAM
        lines.append(
            f"Nothing logged yet: take {name} first ({first.date}) and log the score you "
            f"see; the verdict needs {count(plan.policy.window, 'result')}."
        )
    return tuple(lines)


def _notes(assessment: Assessment) -> tuple[str, ...]:
    plan = assessment.plan
    practice = plan.practice
    lines = []
    if not practice.slots:
        lines.append(_no_slots(assessment))
    else:
        lines.append(
            f"The verdict can next change on {practice.slots[0].date}, the day you log "
            "your next practice exam."
        )
    if plan.ready_by is not None:
        lines.append(f"Ready by {plan.ready_by} at the earliest (the verdict's estimate).")
    if plan.outcome == Outcome.DELAY:
        moved = f" to about {plan.suggested_date}" if plan.suggested_date else ""
        lines.append(
            f"These dates keep the exam on {plan.exam_date}; if you move it{moved}, plan "
            "again with the new date."
        )
    taken = taken_forms(assessment)
    if taken:
        lines.append(f"Already logged ({count(len(taken), 'form')}): {', '.join(taken)}.")
    if practice.slots and len(taken) == len(assessment.forms.catalog.plannable):
        lines.append(_all_logged(assessment))
    if assessment.study is not None:  # the week's review of weak areas, named
        lines.append(weekly_review_line(assessment.study))
    return tuple(lines)


def _all_logged(assessment: Assessment) -> str:
    return (
        f"Every {assessment.profile.name} form in the catalog is logged; practise with "
        "another source at the same pace."
    )


def _no_slots(assessment: Assessment) -> str:
    plan = assessment.plan
    if plan.practice.last_day < max(plan.practice.first_day, assessment.today):
        return f"  No day is left for a practice exam before {plan.exam_date}."
    if not plan.practice.left_out:
        return f"  {_all_logged(assessment)}"
    return "  No form fits at this pace (see below)."
