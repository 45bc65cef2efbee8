"""The dashboard's study section through Streamlit's AppTest: the weekly review, the
heat table of areas × reports, the tags and the Q-bank; tags from the log form.

The dashboard uses the real date, so the files are the shipped examples moved so that
their day (2026-11-26) is today.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import altair as alt
import pytest
from streamlit.testing.v1 import AppTest

from tracker.areas import AreaEntry, load_area_catalog, rank_areas, read_area_log
from tracker.study_chart import HEAT_REPORTS, heat_frame, heat_spec

REPO = Path(__file__).resolve().parent.parent
DASHBOARD = str(REPO / "dashboard.py")
DATA = REPO / "data"
TODAY = dt.date.today()
EXAMPLE_DAY = dt.date(2026, 11, 26)


def text(element) -> str:
    return re.sub(r"\\(.)", r"\1", element.value)  # Markdown escapes removed


def shifted(name: str) -> str:
    header, *rows = (DATA / name).read_text().splitlines(keepends=True)
    shift = TODAY - EXAMPLE_DAY
    return header + "".join(
        (dt.date.fromisoformat(row[:10]) + shift).isoformat() + row[10:] for row in rows
    )


@pytest.fixture
def log_path(tmp_path, monkeypatch):
    path = tmp_path / "scores.csv"
    monkeypatch.setenv("TRACKER_LOG", str(path))
    path.write_text(shifted("example_scores.csv"))
    exam = TODAY + dt.timedelta(days=50)
    (tmp_path / "settings.json").write_text(json.dumps({"exam_date": str(exam)}))
    return path


def start() -> AppTest:
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_the_section_names_the_weakest_areas_and_shows_the_qbank(log_path):
    (log_path.parent / "areas.csv").write_text(shifted("example_areas.csv"))
    (log_path.parent / "qbank.csv").write_text(shifted("example_qbank.csv"))
    app = start()
    # The plan's section ends with the week's review of the weakest areas.
    plan = [text(m) for m in app.get_by_key("plan").markdown]
    assert plan[-1] == (
        "Each week, 1–2 hours on your weakest areas: Renal, Urinary & Male "
        "Reproductive; Surgery."
    )
    study = app.get_by_key("study")
    captions = [text(c) for c in study.caption]
    assert captions[0].startswith("Weakest first by the latest report; the last 4 of 4")
    assert captions[-1].startswith("UWorld: 2,350 of 3,900 questions (60%), 62% correct")
    assert app.get_by_key("area_heat")  # the heat table is drawn


def test_without_study_files_the_section_says_how_to_start(log_path):
    app = start()
    assert text(app.get_by_key("plan").markdown[-1]) == (
        "Each week, 1–2 hours on weak areas: log your score reports' areas ('tracker "
        "area') and the plan names the weakest."
    )
    study = app.get_by_key("study")
    captions = [text(c) for c in study.caption]
    assert captions == [
        "Log a score report's areas with 'tracker area' (for example tracker area "
        '--source "NBME 13" --area Cardiology --band lower).',
        "Log your Q-bank progress with 'tracker qbank --done N --correct P'.",
    ]


def test_a_study_file_changed_outside_the_page_shows_on_the_next_run(log_path):
    app = start()
    (log_path.parent / "qbank.csv").write_text(shifted("example_qbank.csv"))
    app.run()
    captions = [text(c) for c in app.get_by_key("study").caption]
    assert captions[-1].startswith("UWorld: 2,350 of 3,900 questions")


def test_a_broken_area_log_is_a_warning_not_a_lost_page(log_path):
    (log_path.parent / "areas.csv").write_text("date,source,area\n2026-11-01,x\n")
    app = start()
    warnings = [text(w) for w in app.get_by_key("verdict_reasons").warning]
    assert warnings == [
        f"{log_path.parent / 'areas.csv'} line 2: expected 3 fields, found 2; it is "
        "left out until it is fixed"
    ]
    assert app.get_by_key("verdict_banner")


def test_the_log_form_takes_test_taking_problems(log_path):
    app = start()
    app.number_input(key="log_score").set_value(245)
    app.multiselect(key="log_issues").set_value(["careless", "timing"])
    app.button(key="log_submit").click().run()
    assert not app.exception
    lines = log_path.read_text().splitlines()
    assert lines[0] == "date,assessment,score,notes,issues"
    assert lines[-1] == f"{TODAY},NBME 9,245,,timing;careless"
    assert app.multiselect(key="log_issues").value == []  # cleared for the next one
    study = app.get_by_key("study")
    assert any(
        text(m).startswith("**Test-taking problems:** timing: 1 of 10 practice exams")
        for m in study.markdown
    )


# --- the heat table's spec ---------------------------------------------------------


def test_the_heat_table_is_a_valid_chart_of_the_latest_reports():
    ranking = rank_areas(
        read_area_log(DATA / "example_areas.csv"),
        catalog=load_area_catalog(),
        today=EXAMPLE_DAY,
    )
    frame = heat_frame(ranking)
    # Six areas on each of 4 reports (NBME 9, NBME 13, UWorld, NBME 15).
    assert len(frame) == 24
    assert frame.drop_duplicates("area").sort_values("rank")["area"].tolist() == [
        a.name for a in ranking.areas
    ]
    spec = heat_spec(frame)
    assert spec["height"] == 6 * 30
    chart = alt.LayerChart.from_dict(
        {**spec, "data": {"values": frame.to_dict("records")}}
    )  # validates against Altair's Vega-Lite schema
    assert chart.to_dict()["layer"][0]["mark"]["type"] == "rect"
    renal = frame[(frame["area"].str.startswith("Renal")) & (frame["column"] == 2)]
    assert renal["cell"].tolist() == ["55%"]
    # Without the Q-bank's overall, UWorld's 11-20 percents are compared with their
    # own mean: (55 + 58 + 60 + 64 + 66 + 71) / 6 = 62.33; 55 is 7.3 below.
    assert renal["detail"].tolist() == ["2026-11-20 UWorld: 55% (−7.3) against 62%"]


def test_only_the_latest_reports_are_columns():
    lines = read_area_log(DATA / "example_areas.csv")
    more = [
        AreaEntry(
            EXAMPLE_DAY - dt.timedelta(days=200 + n), f"Old {n}", "Surgery", None, "same"
        )
        for n in range(4)
    ]
    ranking = rank_areas(more + lines, catalog=load_area_catalog(), today=EXAMPLE_DAY)
    frame = heat_frame(ranking)
    assert frame["column"].nunique() == HEAT_REPORTS
    # 8 reports: Old 3, 2, 1, 0 (200-203 days back), then the example's four; the
    # latest five are Old 0 and the example's.
    reports = set(frame["report"])
    assert "May 10|Old 0" in reports and not any("Old 1" in r for r in reports)
    assert frame["report"].iloc[-1].endswith("|NBME 15")
