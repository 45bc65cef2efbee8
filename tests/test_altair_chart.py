"""The interactive chart's data and spec (tracker/chart_data.py).

Numbers by hand, for the example log (data/example_scores.csv) on 2026-11-26 with the
exam on 2027-01-15: offsets from data/assessments.csv are UWSA 1 −8 and UWSA 2 −5,
NBME 0, so the trend uses 241 − 8 = 233 and 244 − 5 = 239 for the UWSA rows and the
NBME scores as seen. The y axis runs from the lowest value shown less half the exam's
SD (Step 2 CK: 16 / 2 = 8) to the highest plus 8, inside 1–300: the lowest is the
passing line, 218 for an exam on or after 2025-07-01, so 210.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from tracker.assess import assess
from tracker.chart_data import chart_frame, chart_spec, x_limits, y_limits
from tracker.settings import Settings

from conftest import TODAY

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data" / "example_scores.csv"
HEADER = "date,assessment,score,notes\n"
D = dt.date.fromisoformat


def example(**settings):
    return assess(EXAMPLE, Settings(exam_date=D("2027-01-15"), **settings), TODAY)


def of(frame, layer):
    return frame[frame["layer"] == layer]


def with_data(spec, frame) -> dict:
    """The spec with its data inside, as Altair's own charts carry it."""
    records = json.loads(frame.to_json(orient="records", date_format="iso"))
    return {**spec, "data": {"values": records}}


def test_each_score_carries_what_its_tooltip_shows():
    scores = of(chart_frame(example()), "score")
    rows = [
        (str(r.date.date()), r.form, r.seen, r.y, r.used, r.series)
        for r in scores.itertuples()
    ]
    assert rows == [
        ("2026-09-01", "NBME 9", "224", 224.0, 224.0, "NBME"),
        ("2026-09-12", "NBME 10", "229", 229.0, 229.0, "NBME"),
        ("2026-09-24", "NBME 11", "227", 227.0, 227.0, "NBME"),
        ("2026-10-06", "NBME 12", "233", 233.0, 233.0, "NBME"),
        ("2026-10-17", "UWSA 1", "241", 241.0, 233.0, "UWSA"),
        ("2026-10-29", "NBME 13", "236", 236.0, 236.0, "NBME"),
        ("2026-11-07", "NBME 14", "239", 239.0, 239.0, "NBME"),
        ("2026-11-14", "UWSA 2", "244", 244.0, 239.0, "UWSA"),
        ("2026-11-21", "NBME 15", "242", 242.0, 242.0, "NBME"),
    ]
    moved = of(chart_frame(example()), "calibrated")
    assert [(r.form, r.y_low, r.y) for r in moved.itertuples()] == [
        ("UWSA 1", 241.0, 233.0),
        ("UWSA 2", 244.0, 239.0),
    ]


def test_a_percent_form_the_result_and_a_future_row(log_path):
    # Free 120 at 70% is 245 on the table (70:245), offset 0. The real result is not
    # part of the trend, nor is a row dated after tomorrow (left out with a warning).
    log_path.write_text(
        HEADER + "2026-10-01,NBME 12,236,\n2026-10-10,Free 120,70,\n"
        "2026-10-20,NBME 14,243,\n2026-11-02,Step 2 CK,247,\n2026-12-20,NBME 15,250,\n"
    )
    assessment = assess(log_path, Settings(exam_date=D("2027-01-15")), TODAY)
    scores = of(chart_frame(assessment), "score")
    rows = [(r.form, r.seen, r.y, r.used, r.series) for r in scores.itertuples()]
    assert rows[1] == ("Free 120", "70%", 245.0, 245.0, "Free 120")
    assert rows[3][:3] == ("Step 2 CK", "247", 247.0) and rows[3][4] == "Step 2 CK result"
    assert pd.isna(rows[3][3]) and pd.isna(rows[4][3])  # not used for the trend


def test_bands_run_from_the_first_score_to_the_exam_and_nest():
    assessment = example()
    frame = chart_frame(assessment)
    wide, narrow = of(frame, "prediction_band"), of(frame, "confidence_band")
    assert str(wide["date"].min().date()) == "2026-09-01"
    assert str(wide["date"].max().date()) == "2027-01-15"
    assert (wide["y_low"].to_numpy() <= narrow["y_low"].to_numpy()).all()
    assert (wide["y_high"].to_numpy() >= narrow["y_high"].to_numpy()).all()
    assert wide["y_low"].min() >= 1 and wide["y_high"].max() <= 300
    projection = of(frame, "projection").iloc[0]
    low, high = assessment.plan.interval(obs=True)
    assert str(projection.date.date()) == "2027-01-15"
    assert (projection.y_low, projection.y_high) == (low, high)
    # 252 (239–266), as the command prints it for this log (the calibrated forms'
    # uncertainty widens the interval a point each side)
    assert projection.label == "252 (239–266)"


def test_lines_and_days():
    frame = chart_frame(example())
    assert list(of(frame, "level")["series"]) == [
        "240 threshold",
        "245 target",
        "218 passing",
    ]
    assert [(str(r.date.date()), r.label) for r in of(frame, "day").itertuples()] == [
        ("2026-11-26", "today"),
        ("2027-01-15", "exam"),
    ]
    # Exam 2026-11-28: no practice day left before it; DELAY to about 2026-11-29.
    delayed = assess(EXAMPLE, Settings(exam_date=D("2026-11-28")), TODAY)
    days = of(chart_frame(delayed), "day")
    assert (str(days.iloc[-1].date.date()), days.iloc[-1].label) == (
        "2026-11-29",
        "suggested",
    )


def test_axis_limits_by_hand():
    assessment = example()
    # First score 2026-09-01, last day 2027-01-15: 136 days; margin max(3, round(5.44))
    # = 5 days each side.
    assert x_limits(assessment) == (D("2026-08-27"), D("2027-01-20"))
    low, high = y_limits(assessment)
    assert low == 210.0
    assert high == assessment.plan.interval(obs=True)[1] + 8


def test_the_y_axis_stays_on_the_scale(log_path):
    # Scores near the top: the axis stops at 300, never beyond the scale.
    log_path.write_text(
        HEADER
        + "2026-10-01,NBME 12,288,\n2026-10-15,NBME 13,293,\n2026-11-01,NBME 14,297,\n"
    )
    assessment = assess(log_path, Settings(exam_date=D("2027-01-15")), TODAY)
    spec = chart_spec(assessment)
    domains = [
        layer["encoding"]["y"]["scale"]["domain"]
        for layer in spec["layer"]
        if "scale" in layer["encoding"].get("y", {})
    ]
    assert domains and all(d[1] == 300 for d in domains)


def test_the_spec_is_valid_for_altair_with_the_legend_below():
    assessment = example()
    frame = chart_frame(assessment)
    spec = chart_spec(assessment, frame)
    chart = alt.LayerChart.from_dict(with_data(spec, frame))  # validates the schema
    assert chart.to_dict()["layer"]
    legends = [
        layer["encoding"]["color"]["legend"]
        for layer in spec["layer"]
        if "color" in layer["encoding"]
    ]
    assert legends and all(legend["orient"] == "bottom" for legend in legends)
    assert spec["width"] == "container"


def test_points_answer_with_date_form_score_seen_and_score_used():
    spec = chart_spec(example())
    (score_layer,) = [
        layer for layer in spec["layer"]
        if layer["transform"] == [{"filter": "datum.layer === 'score'"}]
    ]  # fmt: skip
    tooltip = score_layer["encoding"]["tooltip"]
    assert [(t["field"], t["title"]) for t in tooltip] == [
        ("date", "Date"),
        ("form", "Form"),
        ("seen", "Score seen"),
        ("y", "On the exam's scale"),
        ("used", "Used for the trend"),
    ]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("bayes", ["NBME", "UWSA", "corrected for the form", "trend (learning prior)",
                   "95% likely range: trend", "95% likely range: exam day",
                   "your own trend (no prior)", "exam-day projection", "240 threshold",
                   "245 target", "218 passing"]),
        # The curve, with the student's own line beside it (the straight line with
        # the prior decides only in words, and is not drawn).
        ("bend", ["NBME", "UWSA", "corrected for the form", "trend (learning curve)",
                  "95% likely range: trend", "95% likely range: exam day",
                  "your own trend (no prior)", "exam-day projection", "240 threshold",
                  "245 target", "218 passing"]),
        # Plain least squares: no second line beside the trend.
        ("ols", ["NBME", "UWSA", "corrected for the form", "trend",
                 "95% likely range: trend", "95% likely range: exam day",
                 "exam-day projection", "240 threshold", "245 target", "218 passing"]),
    ],
)  # fmt: skip
def test_the_legend_names_only_what_is_drawn(model, expected):
    spec = chart_spec(example(model=model))
    color = next(layer["encoding"]["color"] for layer in spec["layer"] if "color" in
                 layer["encoding"])  # fmt: skip
    assert color["scale"]["domain"] == expected


def test_an_empty_log_draws_the_lines_and_days_only(log_path):
    assessment = assess(log_path, Settings(exam_date=D("2027-01-15")), TODAY)
    frame = chart_frame(assessment)
    assert set(frame["layer"]) == {"level", "day"}
    alt.LayerChart.from_dict(with_data(chart_spec(assessment, frame), frame))


def test_comlex_uses_its_own_scale_and_lines(log_path):
    # COMLEX Level 2-CE: threshold 480, target 510, passing 400; SD 100 → pad 50.
    log_path.write_text(
        HEADER + "2026-10-01,COMSAE Phase 2,455,\n2026-10-20,COMSAE Phase 2,470,\n"
        "2026-11-10,COMSAE Phase 2,490,\n"
    )
    assessment = assess(
        log_path, Settings(exam="comlex-2ce", exam_date=D("2027-01-15")), TODAY
    )
    frame = chart_frame(assessment)
    assert list(of(frame, "level")["series"]) == [
        "480 threshold",
        "510 target",
        "400 passing",
    ]
    # Half an SD (50) below the lowest line or interval end: the passing 400, or the
    # prediction interval's lower end when that is lower.
    low = min(400.0, assessment.plan.interval(obs=True)[0])
    assert y_limits(assessment)[0] == low - 50.0


def test_the_students_own_line_is_named_when_it_decides(log_path):
    # Weekly 252 … 242 (−2 a week): the student's own line is lower than the prior's on
    # the exam day, so it decides and says so; at the exam day (x = 97 days, 79.5 past
    # the mean day 17.5) its line reads 247 − (2/7)·79.5 = 224.3 points.
    start = TODAY - dt.timedelta(days=37)
    rows = [
        f"{start + dt.timedelta(days=7 * i)},NBME {9 + i},{252 - 2 * i},\n"
        for i in range(6)
    ]
    log_path.write_text("date,assessment,score,notes\n" + "".join(rows))
    exam = TODAY + dt.timedelta(days=60)
    frame = chart_frame(assess(log_path, Settings(exam_date=exam), TODAY))
    own = of(frame, "own_line")
    assert set(own["series"]) == {"your own trend (decides)"}
    assert own["y"].iloc[-1] == pytest.approx(224.2857, abs=1e-3)
    assert set(of(frame, "trend")["series"]) == {"trend (learning prior)"}
