"""The ``tracker areas --json`` contract, built from a :class:`~tracker.study.Study`.

``{"areas": [...], "weakest": [...]}`` first; ``reports``, ``test_taking``,
``practice_exams`` and ``warnings`` beside them. Numbers are finite.
"""

from __future__ import annotations

import datetime as dt

from tracker.areas import AreaStanding, AreaValue
from tracker.study import Study


def areas_json(study: Study) -> dict[str, object]:
    ranking = study.areas
    return {
        "areas": [_standing(standing) for standing in ranking.areas],
        "weakest": list(study.weakest),
        "reports": [
            {"date": r.date.isoformat(), "source": r.source} for r in ranking.reports
        ],
        "test_taking": [
            {
                "issue": issue.issue,
                "exams": issue.exams,
                "recent": issue.recent,
                "recent_of": issue.recent_of,
                "first": _iso(issue.first),
                "last": _iso(issue.last),
            }
            for issue in study.issues
        ],
        "practice_exams": study.practice_exams,
        "warnings": list(study.warnings),
    }


def _standing(standing: AreaStanding) -> dict[str, object]:
    previous = standing.previous
    points = standing.change_points
    return {
        "area": standing.name,
        "kind": standing.kind,
        "latest": _value(standing.latest),
        "previous": None if previous is None else _value(previous),
        "change_steps": standing.change_steps,
        "change_points": None if points is None else round(points, 2),
        "reports": len(standing.values),
    }


def _value(value: AreaValue) -> dict[str, object]:
    reference, difference = value.reference, value.difference
    return {
        "date": value.report.date.isoformat(),
        "source": value.report.source,
        "percent": value.percent,
        "band": value.band,
        "standing": value.standing,
        "reference": None if reference is None else round(reference, 2),
        "difference": None if difference is None else round(difference, 2),
    }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
