"""The profile's view of one plan: the target and its source, where the projection or
the real result stands, the next step after the result, and the sitting against the
seed's 3–6 months before ERAS. Composes :mod:`tracker.profile`,
:mod:`tracker.next_step` and :mod:`tracker.eras_timing`; no words, no rules of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.eras_timing import ErasWindow, eras_window
from tracker.next_step import Decision, decide
from tracker.plan import Outcome, Plan
from tracker.profile import ApplicantProfile, Standing, Target, standing


@dataclass(frozen=True, slots=True)
class Outlook:
    applicant: ApplicantProfile
    target: Target
    projection: Standing | None  # the model's exam-day projection (before the exam)
    result: Standing | None  # the real result (after it)
    next_step: Decision | None  # after the result only
    window: ErasWindow | None  # before the exam, with an ERAS date: the sitting in view


def outlook(
    plan: Plan, applicant: ApplicantProfile, target: Target, today: dt.date
) -> Outlook:
    """The profile's view of ``plan`` (made with ``target.score`` as its target)."""
    exam = plan.policy.exam
    place = {"profile": applicant, "exam": exam, "target": target, "today": today}
    projection = result = decision = window = None
    if plan.projection is not None and plan.outcome != Outcome.TAKEN:
        score = plan.forecast.projected_score
        projection = standing(score, "projection", sitting=plan.exam_date, **place)
    if plan.result is not None:
        outcome = plan.result
        result = standing(outcome.score, "result", sitting=outcome.date, **place)
        decision = decide(
            outcome.score,
            passing=plan.passing,
            target=target,
            profile=applicant,
            exam=exam,
            eras=plan.eras,
        )
    else:
        window = eras_window(plan.sitting, plan.policy.eras_date)
    return Outlook(applicant, target, projection, result, decision, window)
