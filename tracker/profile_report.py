"""Schema 3's keys for the applicant profile, added to the ``--json`` contract.

:func:`add_profile_keys` takes the schema-2 object :mod:`tracker.report` built and adds,
without changing any key already there: ``profile``; ``policy.target_reason``,
``policy.target_basis`` and ``policy.passing_from``; ``projection.percentile`` and
``projection.percentile_bounds``; ``standing``; ``result.percentile``,
``result.percentile_bounds``, ``result.passed`` and ``result.next_step``;
``eras_window``; and ``sources``, where each figure comes from and the day it holds
from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker import facts
from tracker.next_step import NextStep
from tracker.outlook import Outlook
from tracker.profile import Standing
from tracker.profile_words import (
    STEP_WORDS,
    next_step_sentence,
    retake_sentence,
    target_sentence,
)

if TYPE_CHECKING:
    from tracker.assess import Assessment


def add_profile_keys(assessment: Assessment, data: dict[str, object]) -> dict[str, object]:
    """``data`` (the schema-2 object) with schema 3's keys added; returns it."""
    view, plan = assessment.outlook, assessment.plan
    exam = plan.policy.exam
    profile = view.applicant
    data["profile"] = {
        "specialty": None if profile.specialty is None else profile.specialty.value,
        "specialty_name": profile.specialty_name,
        "applicant": None if profile.applicant is None else profile.applicant.value,
        "visa": profile.visa,
        "step1": profile.step1,
    }
    policy = data["policy"]
    policy["target_reason"] = target_sentence(view.target, profile, exam)
    policy["target_basis"] = view.target.rung.value
    standard = facts.passing_on(exam.key, plan.exam_date)
    policy["passing_from"] = None if standard is None else facts.iso(standard.holds_from)
    if data["projection"] is not None:
        data["projection"] |= _percentile(view.projection)
    if data["result"] is not None:
        data["result"] |= _percentile(view.result) | {
            "passed": plan.result.score >= plan.passing,
            "next_step": _next_step(view, exam),
        }
    shown = view.result or view.projection
    data["standing"] = None if shown is None else _standing(shown)
    data["eras_window"] = _window(view)
    data["sources"] = _sources(view, assessment)
    return data


def _percentile(standing: Standing | None) -> dict[str, object]:
    placed = None if standing is None else standing.percentile
    if placed is None:
        return {"percentile": None, "percentile_bounds": None}
    rank = None if placed.rank is None else round(placed.rank, 1)
    return {"percentile": rank, "percentile_bounds": [round(b, 1) for b in placed.bounds]}


def _standing(standing: Standing) -> dict[str, object]:
    matched = standing.matched
    return {
        "of": standing.of,
        "score": round(float(standing.score), 2),
        "band": standing.band.value,
        "bands": [
            {"band": e.band.value, "from": None if e.lowest == -float("inf") else e.lowest}
            for e in standing.bands
        ],
        "matched": None
        if matched is None
        else {
            "specialty": matched.figures.specialty,
            "applicants": matched.figures.applicant,
            "q1": matched.figures.q1,
            "median": matched.figures.median,
            "q3": matched.figures.q3,
            "position": matched.band.value,
        },
    }


def _next_step(view: Outlook, exam) -> dict[str, object]:
    decision = view.next_step
    rules = decision.retakes
    return {
        "step": decision.step.value,
        "words": STEP_WORDS[decision.step],
        "parallel_paths": [path.value for path in decision.parallel_paths],
        "score_pending_at_eras": decision.pending_at_eras,
        "reasons": [next_step_sentence(decision, view.applicant)]
        + ([retake_sentence(decision, exam)] if decision.step == NextStep.RETAKE else []),
        "retake_rules": None
        if rules is None
        else {
            "max_attempts": rules.max_attempts,
            "per_12_months": rules.per_12_months,
            "months_after_first": rules.months_after_first,
            "months_after_last": rules.months_after_last,
        },
    }


def _window(view: Outlook) -> dict[str, object] | None:
    window = view.window
    if window is None:
        return None
    return {
        "sitting": window.sitting.isoformat(),
        "eras_date": window.eras_date.isoformat(),
        "window": [window.opens.isoformat(), window.closes.isoformat()],
        "position": window.position.value,
    }


def _sources(view: Outlook, assessment: Assessment) -> dict[str, object]:
    """Each figure's source and the day it holds from (null: undated)."""
    plan = assessment.plan
    exam = plan.policy.exam
    standing = view.result or view.projection
    table = (
        None
        if standing is None or standing.percentile is None
        else (standing.percentile.table)
    )
    matched = (
        None if standing is None or standing.matched is None else (standing.matched.figures)
    )
    rows = {
        "passing": facts.passing_on(exam.key, plan.exam_date),
        "percentiles": table,
        "matched": matched,
        "release": facts.current(facts.release_lags(), exam.key),
        "rescheduling": exam.rescheduling,
        "retakes": exam.retakes,
    }
    sources = {
        name: None if row is None else _source(row.source, row.holds_from)
        for name, row in rows.items()
    }
    sources["target"] = _source(view.target.source, None)
    return sources


def _source(text: str, day) -> dict[str, object]:
    return {"source": text, "holds_from": facts.iso(day)}
