"""The ``tracker verdict --json`` contract, built from an :class:`Assessment`.

Every key of schema 1 is kept with its meaning; schema 2 adds ``schema_version``,
``on_track`` and ``taken`` verdicts, ``ready_by``, ``decide_by``, ``eligibility_end``,
``eras``, ``result``, ``exam``, ``recent_entries``, ``uncalibrated`` and ``warnings``.
Schema 3 keeps every key of 2 and adds the applicant profile's keys
(:mod:`tracker.profile_report`) and ``qbank`` (the Q-bank's progress, reported only);
``policy.passing`` is now the standard in force on the exam date. Numbers are finite
(the shell serialises with ``allow_nan=False``).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from tracker.plan import Plan
from tracker.profile_report import add_profile_keys
from tracker.trend import NoTrend

if TYPE_CHECKING:
    from tracker.assess import Assessment

SCHEMA_VERSION = 3


def assessment_json(assessment: Assessment) -> dict[str, object]:
    plan = assessment.plan
    policy = plan.policy
    trend = plan.forecast.trend
    slope = None if isinstance(trend, NoTrend) else round(trend.slope_per_week, 3)
    data = {
        "schema_version": SCHEMA_VERSION,
        "verdict": plan.outcome.value,
        "headline": plan.outcome.headline,
        "exam": policy.exam.key,
        "exam_date": _iso(plan.exam_date),
        "today": assessment.today.isoformat(),
        "n_scores": len(plan.readings),
        "policy": {
            "threshold": policy.threshold,
            "window": policy.window,
            "target": policy.target,
            "passing": plan.passing,
            "level": policy.level,
            "scale": [policy.exam.scale_low, policy.exam.scale_high],
        },
        "recent_scores": [_points(s) for s in plan.rule.recent_scores],
        "recent_entries": [
            {
                "date": r.entry.date.isoformat(),
                "assessment": r.entry.assessment,
                "form": r.name,
                "raw": r.entry.score,
                "scale": r.scale,
                "score": _points(r.calibrated if policy.calibrate_rule else r.points),
            }
            for r in plan.rule.recent
        ],
        "consistent": plan.rule.consistent,
        "projection": _projection(plan),
        "slope_per_week": slope,
        "decisive_score": _points(plan.forecast.decisive_score),
        "suggested_date": _iso(plan.suggested_date),
        "needed_scores": plan.needed_scores,
        "forms_left": plan.forms_left,
        "short_by_calendar": plan.short_by_calendar,
        "ready_by": _iso(plan.ready_by),
        "decide_by": _iso(plan.deadlines.decide_by),
        "eligibility_end": _iso(plan.deadlines.eligibility_end),
        "eras_date": _iso(policy.eras_date),
        "score_release_date": _iso(plan.release_date),
        "eras": _eras(plan),
        "result": _result(plan),
        "reasons": [reason.text for reason in assessment.reasons],
        "warnings": list(assessment.warnings),
        "model": policy.model,
        "calibrated": plan.calibrated,
        "uncalibrated": sorted({r.entry.assessment for r in plan.uncalibrated}),
        "qbank": _qbank(assessment),
    }
    return add_profile_keys(assessment, data) if assessment.outlook else data


def _qbank(assessment: Assessment) -> dict[str, object] | None:
    """The Q-bank's progress (reported only: it does not enter the projection)."""
    progress = None if assessment.study is None else assessment.study.qbank
    if progress is None:
        return None
    pace = progress.pace_per_day
    passes = progress.passes_by_exam
    trend = progress.correct_per_week
    return {
        "bank": progress.bank,
        "done": progress.done,
        "total": progress.total,
        "percent_correct": progress.percent_correct,
        "pace_per_day": None if pace is None else round(pace, 1),
        "first_pass_by": _iso(progress.first_pass_by),
        "passes_by_exam": None if passes is None else round(passes, 2),
        "percent_correct_per_week": None if trend is None else round(trend, 2),
        "as_of": progress.as_of.isoformat(),
    }


def _projection(plan: Plan) -> dict[str, object] | None:
    if plan.projection is None:
        return None
    policy = plan.policy
    return {
        "score": _points(plan.forecast.projected_score),
        "confidence_interval": [_points(v) for v in plan.interval(obs=False)],
        "prediction_interval": [_points(v) for v in plan.interval(obs=True)],
        "p_threshold": _probability(plan.chance_at_least(policy.threshold)),
        "p_target": _probability(plan.chance_at_least(policy.target)),
        "p_fail": _probability(plan.chance_of_failing),
        "extrapolated": plan.projection.extrapolated,
        "clipped": plan.forecast.clipped,
    }


def _eras(plan: Plan) -> dict[str, object] | None:
    if plan.eras is None:
        return None
    return {
        "date": plan.eras.date.isoformat(),
        "score_release_date": plan.eras.score_release_date.isoformat(),
        "days_before_eras": plan.eras.days_before_eras,
        "status": plan.eras.status.value,
    }


def _result(plan: Plan) -> dict[str, object] | None:
    result = plan.result
    if result is None:
        return None
    interval = result.prediction_interval
    return {
        "date": result.date.isoformat(),
        "score": result.score,
        "projected": _points(result.projected),
        "prediction_interval": None if interval is None else [_points(v) for v in interval],
        "inside": result.inside,
        "error": _points(result.error),
        "as_of": _iso(result.as_of),
    }


def _points(value: float | None) -> float | None:
    if value is None:
        return None
    if not math.isfinite(value):  # cannot happen on a clipped scale; never emit NaN
        raise ValueError(f"a non-finite number reached the report: {value}")
    return round(float(value), 2)


def _probability(value: float | None) -> float | None:
    return None if value is None else round(min(max(value, 0.0), 1.0), 4)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
