"""The weak areas as a heat table: areas (weakest first) × reports (oldest first).

One tidy DataFrame, one row per cell, and a Vega-Lite spec over it (written as plain
data like :mod:`tracker.chart_data`; the tests check it against Altair's schema).
Each cell is coloured by the area's comparable band on that report and labelled with
what was logged (``58%`` or ``lower``); a tap or hover gives the report, the value,
its reference and the band. Only the latest :data:`HEAT_REPORTS` reports are drawn, so
the columns stay wide enough to read on a phone. Pure: no Streamlit, no files.
"""

from __future__ import annotations

import pandas as pd

from tracker.areas import BANDS, AreaRanking
from tracker.study_words import value_words

HEAT_REPORTS = 5  # columns: the latest reports, oldest first
ROW_HEIGHT = 30  # pixels a row of the table takes
BAND_COLORS = {  # weakest to strongest, with a grey "same"
    "lower": "#e06666",
    "borderline": "#f6b26b",
    "same": "#d9d9d9",
    "higher": "#93c47d",
}
COLUMNS = ("area", "rank", "report", "column", "standing", "cell", "detail")


def heat_frame(ranking: AreaRanking) -> pd.DataFrame:
    """One row per (area, report) cell of the latest reports; empty with no areas."""
    reports = ranking.reports[-HEAT_REPORTS:]
    columns = {report.key: n for n, report in enumerate(reports)}
    labels = {r.key: f"{r.date:%b} {r.date.day}|{r.source}" for r in reports}
    rows = []
    for rank, standing in enumerate(ranking.areas):
        for value in standing.values:
            key = value.report.key
            if key not in columns:
                continue
            reference = "" if value.reference is None else f"{value.reference:.0f}%"
            rows.append(
                (
                    standing.name,
                    rank,
                    labels[key],
                    columns[key],
                    value.standing,
                    value.band or f"{value.percent:g}%",
                    f"{value.report.date} {value.report.source}: {value_words(value)}"
                    + (f" against {reference}" if reference else ""),
                )
            )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def heat_spec(frame: pd.DataFrame) -> dict:
    """The heat table as a Vega-Lite spec over ``frame`` (passed beside it)."""
    areas = frame.drop_duplicates("area").sort_values("rank")["area"].tolist()
    reports = frame.drop_duplicates("column").sort_values("column")["report"].tolist()
    x = {
        "field": "report",
        "type": "ordinal",
        "sort": reports,
        "title": None,
        "axis": {
            "orient": "top",
            "labelAngle": 0,
            "labelExpr": "split(datum.label, '|')",
            # Every column keeps its label: short ones, never hidden for overlap.
            "labelOverlap": False,
            "labelLimit": 70,
            "labelFontSize": 10,
        },
    }
    y = {
        "field": "area",
        "type": "nominal",
        "sort": areas,
        "title": None,
        "axis": {"labelLimit": 130, "labelFontSize": 11},
    }
    color = {
        "field": "standing",
        "type": "nominal",
        "scale": {"domain": list(BANDS), "range": [BAND_COLORS[b] for b in BANDS]},
        "legend": {"orient": "bottom", "title": None, "columns": 2},
    }
    tooltip = [
        {"field": "area", "type": "nominal", "title": "Area"},
        {"field": "detail", "type": "nominal", "title": "Report"},
        {"field": "standing", "type": "nominal", "title": "Band"},
    ]
    return {
        "autosize": {"type": "fit-x", "contains": "padding"},
        "width": "container",
        "height": max(len(areas), 1) * ROW_HEIGHT,
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
                "encoding": {"x": x, "y": y, "color": color, "tooltip": tooltip},
            },
            {
                "mark": {"type": "text", "fontSize": 11, "color": "#222222"},
                "encoding": {
                    "x": x,
                    "y": y,
                    "text": {"field": "cell", "type": "nominal"},
                    "tooltip": tooltip,
                },
            },
        ],
    }
