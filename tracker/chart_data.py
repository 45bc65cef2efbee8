"""The chart as data: one tidy DataFrame and an interactive Altair spec, from an
:class:`~tracker.assess.Assessment`.

The dashboard draws this spec (it resizes with the screen, and each point answers a
hover or tap with its date, form, the score seen and the score the trend used); the
matplotlib figure in :mod:`tracker.chart` stays for ``tracker plot`` and the PNG.
Both take their axis limits and colours from here. Pure: no Streamlit, no files.

Every row of the frame has a ``layer`` saying what it draws: ``score`` (one per log
row), ``calibrated`` (where the form's offset moved a score), ``prediction_band``,
``confidence_band``, ``trend`` and ``own_line`` (on a grid of days to the exam),
``projection`` (the exam-day interval), ``level`` (threshold, target, passing) and
``day`` (today, the exam, the suggested date). Scores are points on the exam's scale.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from tracker.assess import Assessment
from tracker.exams import FAMILY_EXAM, FAMILY_OTHER
from tracker.plan import Plan
from tracker.trend import NoTrend

# Colours given to form families in turn, so families read apart.
FAMILY_COLORS = ("#1f4e79", "#c55a11", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e63")
FAMILY_SHAPES = ("circle", "square", "diamond", "triangle-down", "cross", "triangle-up")
OTHER_COLOR, RESULT_COLOR = "#5b5b5b", "#b71c1c"
STAR = (
    "M0,-1L0.22,-0.31L0.95,-0.31L0.36,0.12L0.59,0.81L0,0.38L-0.59,0.81L-0.36,0.12"
    "L-0.95,-0.31L-0.22,-0.31Z"
)
THRESHOLD_COLOR, TARGET_COLOR, PASSING_COLOR = "#2e7d32", "#6a1b9a", "#c62828"
BAND_COLOR, OWN_LINE_COLOR, DAY_COLOR = "#1f77b4", "#555555", "#333333"
# The bands as opaque tints of BAND_COLOR (25% and 10% on white), so the legend shows
# them as drawn.
CONFIDENCE_BAND_COLOR, PREDICTION_BAND_COLOR = "#c7ddec", "#e8f1f7"
GRID_POINTS = 60  # days on the trend's grid: smooth at any screen width
CHART_HEIGHT = 300  # pixels, the plot alone; the width follows the screen
COLUMNS = (
    "layer", "series", "date", "y", "y_low", "y_high", "form", "seen", "used", "label",
)  # fmt: skip


def _midnight(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day.year, day.month, day.day)


def x_limits(assessment: Assessment) -> tuple[dt.date, dt.date]:
    """From the first score (or today) to a little past the exam or suggested day."""
    plan = assessment.plan
    days = [assessment.today, plan.exam_date] + [r.entry.date for r in assessment.readings]
    if plan.suggested_date is not None:
        days.append(plan.suggested_date)
    first, last = min(days), max(days)
    margin = dt.timedelta(days=max(3, round((last - first).days * 0.04)))
    return first - margin, last + margin


def y_limits(assessment: Assessment) -> tuple[float, float]:
    """Keep the policy lines and the scores in view, inside the exam's scale (points)."""
    plan = assessment.plan
    policy, exam = plan.policy, plan.policy.exam
    values = [policy.threshold, policy.target, plan.passing]
    values += [r.points for r in assessment.readings]
    values += [r.calibrated for r in assessment.readings]
    if plan.projection is not None:
        values += list(plan.interval(obs=True))
    low, high = min(values), max(values)
    pad = exam.points_per_sd / 2.0
    return max(low - pad, exam.scale_low), min(high + pad, exam.scale_high)


def family_series(assessment: Assessment) -> dict[str, str]:
    """The legend's name for each form family in the log, in the order first seen."""
    families = dict.fromkeys(r.family for r in assessment.readings)
    named = {f: f for f in families if f not in (FAMILY_OTHER, FAMILY_EXAM)}
    if FAMILY_OTHER in families:
        named[FAMILY_OTHER] = "other forms"
    if FAMILY_EXAM in families:
        named[FAMILY_EXAM] = f"{assessment.profile.name} result"
    return named


def band_names(plan: Plan) -> tuple[str, str, str]:
    """Legend names, short enough for two columns on a phone: where the trend likely
    is, where one exam-day score likely lands (the same words for either model), and
    the line that decides. :data:`BAND_EXPLANATION` says what they mean, once."""
    level = f"{plan.policy.level:.0%}"
    return (
        f"{level} likely range: trend",
        f"{level} likely range: exam day",
        line_names(plan)[0],
    )


BAND_EXPLANATION = (
    "The shaded ranges: the darker one is where your trend likely runs, the lighter "
    "one where a single exam-day score likely lands, each {level} of the time."
)


def line_names(plan: Plan) -> tuple[str, str]:
    """Legend names of the model's line (drawn with its bands) and of the student's
    own least-squares line beside a prior (dashed; it decides when it is lower)."""
    model = getattr(plan.forecast.trend, "model", "ols")
    own = (
        "your own trend (decides)"
        if plan.forecast.own_line_decides
        else ("your own trend (no prior)")
    )
    return _TREND_NAMES.get(model, "trend"), own


_TREND_NAMES = {"bayes": "trend (learning prior)", "bend": "trend (learning curve)"}


def chart_frame(assessment: Assessment) -> pd.DataFrame:
    """Everything the chart draws, one row per mark, in the columns :data:`COLUMNS`."""
    rows: list[dict[str, object]] = []
    rows += _score_rows(assessment)
    rows += _trend_rows(assessment.plan)
    rows += _level_rows(assessment.plan)
    rows += _day_rows(assessment)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def _score_rows(assessment: Assessment) -> list[dict[str, object]]:
    series = family_series(assessment)
    rows = []
    used_by_trend = set(assessment.plan.readings)  # not the result, nor future rows
    for reading in assessment.readings:
        used = reading.calibrated if reading in used_by_trend else None
        common = {
            "series": series[reading.family],
            "date": _midnight(reading.entry.date),
            "form": reading.name,
            "seen": reading.seen,
            "used": None if used is None else round(used, 1),
        }
        rows.append({"layer": "score", "y": reading.points, **common})
        if used is not None and used != reading.points:
            rows.append({"layer": "calibrated", "y": used, "y_low": reading.points,
                         **common, "series": "corrected for the form"})  # fmt: skip
    return rows


def _trend_rows(plan: Plan) -> list[dict[str, object]]:
    if isinstance(plan.forecast.trend, NoTrend):
        return []
    trend = plan.forecast.trend
    exam = plan.policy.exam
    confidence, prediction, line = band_names(plan)
    last = max(plan.exam_date, plan.suggested_date or plan.exam_date)
    x_days = np.linspace(
        0.0, max(trend.days_since_origin(last), trend.last_day), GRID_POINTS
    )
    bands = trend.bands(x_days, plan.policy.level)
    clip = np.vectorize(exam.on_scale, otypes=[float])
    dates = pd.Timestamp(trend.origin) + pd.to_timedelta(x_days, unit="D")
    rows = []
    for layer, name, low, high in (
        ("prediction_band", prediction, bands.obs_ci_lower, bands.obs_ci_upper),
        ("confidence_band", confidence, bands.mean_ci_lower, bands.mean_ci_upper),
    ):
        rows += [
            {"layer": layer, "series": name, "date": d, "y_low": lo, "y_high": hi}
            for d, lo, hi in zip(dates, clip(low), clip(high), strict=True)
        ]
    rows += [
        {"layer": "trend", "series": line, "date": d, "y": y}
        for d, y in zip(dates, clip(bands.mean), strict=True)
    ]
    own = plan.forecast.own_line
    if own is not None:
        own_name = line_names(plan)[1]
        rows += [
            {"layer": "own_line", "series": own_name, "date": d, "y": y}
            for d, y in zip(dates, clip(own.predict(x_days)), strict=True)
        ]
    if plan.projection is not None:
        low, high = plan.interval(obs=True)
        mean = plan.forecast.projected_score
        rows.append({"layer": "projection", "series": "exam-day projection",
                     "date": _midnight(plan.exam_date), "y": mean, "y_low": low,
                     "y_high": high,
                     "label": f"{mean:.0f} ({low:.0f}–{high:.0f})"})  # fmt: skip
    return rows


def levels(plan: Plan) -> list[tuple[str, float, str]]:
    """The horizontal lines: (legend name, points, colour)."""
    policy = plan.policy
    lines = [(f"{policy.threshold} threshold", policy.threshold, THRESHOLD_COLOR)]
    if policy.target != policy.threshold:
        lines.append((f"{policy.target} target", policy.target, TARGET_COLOR))
    lines.append((f"{plan.passing} passing", plan.passing, PASSING_COLOR))
    return [(name, float(y), color) for name, y, color in lines]


def _level_rows(plan: Plan) -> list[dict[str, object]]:
    return [{"layer": "level", "series": name, "y": y} for name, y, _ in levels(plan)]


def _day_rows(assessment: Assessment) -> list[dict[str, object]]:
    plan = assessment.plan
    days = [("today", assessment.today), ("exam" if plan.result is None else "exam taken",
                                          plan.exam_date)]  # fmt: skip
    if plan.suggested_date is not None and plan.suggested_date != plan.exam_date:
        days.append(("suggested", plan.suggested_date))
    return [
        {"layer": "day", "series": "days", "date": _midnight(day), "label": name}
        for name, day in days
    ]


# --- the Altair spec ----------------------------------------------------------------------


def legend_colors(assessment: Assessment, frame: pd.DataFrame) -> dict[str, str]:
    """The legend: each series drawn, in reading order, with its colour."""
    colors: dict[str, str] = {}
    palette = iter(FAMILY_COLORS * 3)  # more families than that share colours
    for family, name in family_series(assessment).items():
        if family == FAMILY_EXAM:
            colors[name] = RESULT_COLOR
        elif family == FAMILY_OTHER:
            colors[name] = OTHER_COLOR
        else:
            colors[name] = next(palette, OTHER_COLOR)
    plan = assessment.plan
    confidence, prediction, line = band_names(plan)
    colors |= {
        "corrected for the form": "#333333",
        line: BAND_COLOR,
        confidence: CONFIDENCE_BAND_COLOR,
        prediction: PREDICTION_BAND_COLOR,
        "your own trend (no prior)": OWN_LINE_COLOR,
        "exam-day projection": "#222222",
    }
    colors |= {name: color for name, _, color in levels(plan)}
    drawn = set(frame["series"])
    return {name: color for name, color in colors.items() if name in drawn}


def _shapes(assessment: Assessment) -> dict[str, str]:
    shapes, palette = {}, iter(FAMILY_SHAPES * 3)
    for family, name in family_series(assessment).items():
        if family == FAMILY_EXAM:
            shapes[name] = STAR
        elif family == FAMILY_OTHER:
            shapes[name] = "triangle-up"
        else:
            shapes[name] = next(palette, "circle")
    return shapes


def _when(day: dt.date) -> dict[str, int]:
    """A Vega-Lite DateTime (local midnight, month 1–12)."""
    return {"year": day.year, "month": day.month, "date": day.day}


def chart_spec(assessment: Assessment, frame: pd.DataFrame | None = None) -> dict:
    """The interactive chart as a Vega-Lite spec (a layer chart over ``frame``, which
    is passed beside it, not inside it).

    It is the spec Altair would build, checked against Altair's Vega-Lite schema in
    the tests; it is written as plain data because building Altair objects and
    validating them took over 100 ms on every dashboard rerun. The width follows the
    container; the legend sits below the plot, where a phone screen has room for it;
    the y axis stays inside the exam's scale.
    """
    frame = chart_frame(assessment) if frame is None else frame
    colors = legend_colors(assessment, frame)
    (x0, x1), (y0, y1) = x_limits(assessment), y_limits(assessment)
    x = {
        "field": "date", "type": "temporal", "title": None,
        "scale": {"domain": [_when(x0), _when(x1)]},
        "axis": {"format": "%b %-d", "labelOverlap": True, "grid": False},
    }  # fmt: skip
    y_scale = {"domain": [y0, y1], "zero": False, "nice": False}
    y = {"field": "y", "type": "quantitative", "scale": y_scale,
         "title": f"{assessment.profile.name} score"}  # fmt: skip
    low = {"field": "y_low", "type": "quantitative", "scale": y_scale, "title": None}
    color = {
        "field": "series", "type": "nominal",
        "scale": {"domain": list(colors), "range": list(colors.values())},
        "legend": {"orient": "bottom", "title": None, "columns": 2, "labelLimit": 150,
                   "symbolSize": 70, "labelFontSize": 11, "symbolOpacity": 1},
    }  # fmt: skip
    axes = {"x": x, "y": y, "low": low, "color": color}
    return {
        # The height is the plot's own; the legend below adds to it.
        "autosize": {"type": "fit-x", "contains": "padding"},
        "width": "container",
        "height": CHART_HEIGHT,
        "layer": [
            *_band_layers(axes),
            _layer("level", {"type": "rule", "strokeWidth": 1.3, "strokeDash": [6, 3]},
                   y=y, color=color),
            _layer("day", {"type": "rule", "color": DAY_COLOR, "strokeDash": [3, 3]}, x=x),
            _layer("day", {"type": "text", "align": "right", "baseline": "top", "dx": -3,
                           "fontSize": 11, "color": DAY_COLOR},
                   x=x, y={"value": 4}, text={"field": "label", "type": "nominal"}),
            *_point_layers(assessment, axes),
        ],
    }  # fmt: skip


def _layer(layer: str, mark: dict, **encoding: dict) -> dict:
    """One layer: the frame's rows of one ``layer``, drawn with ``mark``."""
    return {
        "transform": [{"filter": f"datum.layer === '{layer}'"}],
        "mark": mark,
        "encoding": encoding,
    }


def _band_layers(axes: dict) -> list[dict]:
    x, low, color = axes["x"], axes["low"], axes["color"]
    high = {"field": "y_high"}
    return [
        _layer("prediction_band", {"type": "area", "opacity": 1, "clip": True},
               x=x, y=low, y2=high, color=color),
        _layer("confidence_band", {"type": "area", "opacity": 1, "clip": True},
               x=x, y=low, y2=high, color=color),
    ]  # fmt: skip


def _tooltip(*fields: tuple[str, str, str, str | None]) -> list[dict]:
    return [
        {"field": f, "type": t, "title": title} | ({"format": fmt} if fmt else {})
        for f, t, title, fmt in fields
    ]


def _point_layers(assessment: Assessment, axes: dict) -> list[dict]:
    x, y, low, color = axes["x"], axes["y"], axes["low"], axes["color"]
    shapes = _shapes(assessment)
    shape = {
        "field": "series", "type": "nominal", "legend": None,
        "scale": {"domain": list(shapes), "range": list(shapes.values())},
    }  # fmt: skip
    tooltip = _tooltip(
        ("date", "temporal", "Date", "%Y-%m-%d"),
        ("form", "nominal", "Form", None),
        ("seen", "nominal", "Score seen", None),
        ("y", "quantitative", "On the exam's scale", ".0f"),
        ("used", "quantitative", "Used for the trend", ".1f"),
    )
    projected = _tooltip(
        ("date", "temporal", "Exam day", "%Y-%m-%d"),
        ("label", "nominal", "Projected (interval)", None),
    )
    high = {"field": "y_high"}
    return [
        _layer("trend", {"type": "line", "strokeWidth": 2, "clip": True},
               x=x, y=y, color=color),
        _layer("own_line", {"type": "line", "strokeWidth": 1.2, "strokeDash": [5, 4],
                            "clip": True}, x=x, y=y, color=color),
        _layer("calibrated", {"type": "rule", "color": "#999999"},
               x=x, y=low, y2={"field": "y"}),
        _layer("calibrated", {"type": "point", "filled": False, "size": 45, "clip": True},
               x=x, y=y, color=color, tooltip=tooltip),
        _layer("projection", {"type": "rule", "strokeWidth": 2, "color": "#222222"},
               x=x, y=low, y2=high),
        _layer("projection", {"type": "point", "shape": "diamond", "filled": True,
                              "size": 90}, x=x, y=y, color=color, tooltip=projected),
        _layer("score", {"type": "point", "filled": True, "size": 80, "opacity": 1,
                         "stroke": "white", "strokeWidth": 0.8},
               x=x, y=y, color=color, shape=shape, tooltip=tooltip),
    ]  # fmt: skip
