"""The dashboard's daily-use parts through Streamlit's AppTest: the chart, the plan
section, and settings written only when the student changes one.

The dashboard uses the real date, so the logs are built from it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
HEADER = "date,assessment,score,notes\n"
TODAY = dt.date.today()


def days_ago(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def text(element) -> str:
    return re.sub(r"\\(.)", r"\1", element.value)  # Markdown escapes removed


@pytest.fixture
def log_path(tmp_path, monkeypatch):
    path = tmp_path / "scores.csv"
    monkeypatch.setenv("TRACKER_LOG", str(path))
    return path


def start() -> AppTest:
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def elements(app: AppTest, kind: str) -> list:
    """Every element of one kind on the page (AppTest has no accessor for some)."""
    found = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", None) == kind:
                found.append(child)
            walk(child)

    walk(app._tree)
    return found


THREE_RESULTS = (
    HEADER + f"{days_ago(20)},NBME 12,236,\n{days_ago(10)},UWSA 1,243,\n"
    f"{days_ago(1)},NBME 13,245,\n"
)


def test_opening_and_rerunning_writes_no_settings_file(log_path):
    log_path.write_text(THREE_RESULTS)
    settings_file = log_path.with_name("settings.json")
    app = start()
    app.run()
    assert not settings_file.exists()
    # Changing a setting writes it, with the new value.
    app.number_input(key="window").set_value(4).run()
    assert json.loads(settings_file.read_text())["window"] == 4


def test_an_existing_settings_file_is_left_byte_for_byte(log_path):
    log_path.write_text(THREE_RESULTS)
    settings_file = log_path.with_name("settings.json")
    exam = (TODAY + dt.timedelta(days=40)).isoformat()
    settings_file.write_text(json.dumps({"exam_date": exam, "window": 3}))
    before = settings_file.read_bytes(), settings_file.stat().st_mtime_ns
    app = start()
    app.run()
    assert (settings_file.read_bytes(), settings_file.stat().st_mtime_ns) == before


def test_the_chart_is_interactive_and_the_png_is_not_drawn_on_each_run(log_path):
    log_path.write_text(THREE_RESULTS)
    app = start()
    assert len(elements(app, "vega_lite_chart")) == 1
    assert elements(app, "image") == []
    labels = [button.proto.label for button in elements(app, "download_button")]
    assert "Download the chart (PNG)" in labels
    assert "Add the plan to your calendar (.ics)" in labels


def test_the_plan_section_lists_the_forms_left(log_path):
    log_path.write_text(THREE_RESULTS)
    app = start()
    assert "Your plan to the exam day" in [s.value for s in app.subheader]
    plan = [text(m) for m in app.markdown if text(m).startswith("- **")]
    assert len(plan) == 1
    listed = plan[0]
    for taken in ("NBME 12", "UWSA 1", "NBME 13"):
        assert f" {taken}:" not in listed
    assert "The verdict can next change on " in "\n".join(text(m) for m in app.markdown)


def test_an_empty_log_gets_the_welcome_and_what_to_log_first(log_path):
    app = start()
    assert "### Welcome" in app.markdown[0].value
    first = [text(i) for i in app.info if text(i).startswith("Nothing logged yet")]
    # No date set: the page judges one 60 days ahead, where (as in test_schedule's new
    # student) eleven forms fit and the oldest, NBME 9, gives way: NBME 10 today.
    assert first == [
        f"Nothing logged yet: take NBME 10 first ({TODAY}) and log the score you see; "
        "the verdict needs 3 results."
    ]
    assert not log_path.exists()


def test_undo_beside_edit_and_delete_puts_the_log_back_and_redoes(log_path):
    original = HEADER + f"{days_ago(20)},NBME 12,236,\n{days_ago(10)},NBME 13,242,\n"
    log_path.write_text(original)
    app = start()
    app.session_state["edit_open"] = True  # open "Correct or delete an entry"
    app.run()
    app.selectbox(key="edit_choice").set_value(1).run()
    app.button(key="edit_delete").click().run()
    deleted = log_path.read_text()
    assert deleted == HEADER + f"{days_ago(20)},NBME 12,236,\n"
    app.button(key="edit_undo").click().run()
    assert log_path.read_text() == original  # byte for byte
    said = [text(s) for s in app.success]
    assert said == [
        "Put back the log as it was before the last change: entry 2 is back: "
        f"{days_ago(10)} NBME 13: 242. Press again to redo it."
    ]
    app.button(key="edit_undo").click().run()  # pressed again: the delete is redone
    assert log_path.read_text() == deleted


def test_the_recency_half_life_is_a_switch_not_a_zero(log_path):
    log_path.write_text(HEADER + f"{days_ago(20)},NBME 12,236,\n")
    app = start()
    # Off by default: no number box showing 0.00 days.
    assert app.checkbox(key="recency_half_life_on").value is False
    assert "recency_half_life" not in [w.key for w in app.number_input]
    app.checkbox(key="recency_half_life_on").check().run()
    assert app.number_input(key="recency_half_life").value == 28.0
    saved = json.loads(log_path.with_name("settings.json").read_text())
    assert saved["recency_half_life_days"] == 28.0
    app.checkbox(key="recency_half_life_on").uncheck().run()
    saved = json.loads(log_path.with_name("settings.json").read_text())
    assert "recency_half_life_days" not in saved  # back to the default: off
