"""The dashboard through Streamlit's AppTest: each widget reached by its key."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
HEADER = "date,assessment,score,notes\n"
TODAY = dt.date.today()  # the dashboard uses the real date, so the logs are built from it


def shown(elements) -> list[str]:
    """What alert elements say, as the reader sees it (Markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", element.value) for element in elements]


def days_ago(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


@pytest.fixture
def log_path(tmp_path, monkeypatch):
    path = tmp_path / "scores.csv"
    monkeypatch.setenv("TRACKER_LOG", str(path))
    return path


def start() -> AppTest:
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def banner(app: AppTest) -> str:
    """The verdict banner's text (it is the first alert on the page)."""
    alerts = [*app.success, *app.warning, *app.info]
    texts = [a.value for a in alerts if a.value.startswith("## ")]
    assert len(texts) == 1, texts
    return texts[0]


def submit_score(
    app: AppTest, score, *, date: dt.date | None = None, name: str | None = None
):
    if date is not None:
        app.date_input(key="log_date").set_value(date)
    if name is not None:
        app.selectbox(key="log_assessment").set_value(name)
    app.number_input(key="log_score").set_value(score)
    return app.button(key="log_submit").click().run()


def test_a_new_user_sees_the_welcome_and_can_explore_the_example(log_path):
    app = start()
    assert "### Welcome" in app.markdown[0].value
    assert app.button(key="log_submit")  # the form is there from the start
    app.button(key="explore_example").click().run()
    assert banner(app).startswith("## DELAY") or banner(app).startswith("## TAKE NOW")
    assert any("exploring the example data" in info.value for info in app.info)
    assert not log_path.exists()  # exploring never touches the user's log
    app.button(key="leave_example").click().run()
    assert "### Welcome" in app.markdown[0].value


def test_logging_a_score_adds_one_row_and_changes_the_verdict(log_path):
    log_path.write_text(
        HEADER + f"{days_ago(20)},NBME 12,236,\n{days_ago(10)},NBME 13,242,\n"
    )
    app = start()
    assert banner(app).startswith("## NOT ENOUGH DATA")

    app = submit_score(app, 246, date=TODAY - dt.timedelta(days=1), name="UWSA 2")
    assert not app.exception
    assert banner(app).startswith("## ")
    assert not banner(app).startswith("## NOT ENOUGH DATA")
    lines = log_path.read_text().splitlines()
    assert lines[1:] == [
        f"{days_ago(20)},NBME 12,236,",
        f"{days_ago(10)},NBME 13,242,",
        f"{days_ago(1)},UWSA 2,246,",
    ]
    assert any(
        text.startswith(f"Logged {days_ago(1)} UWSA 2: 246") for text in shown(app.success)
    )


def test_other_assessment_takes_the_typed_name(log_path):
    app = start()
    app.selectbox(key="log_assessment").set_value("Other…")
    app.text_input(key="log_other_name").input("Free 120")
    app = submit_score(app, 238)
    assert log_path.read_text() == HEADER + f"{TODAY},Free 120,238,\n"


@pytest.mark.parametrize(
    ("score", "date", "message"),
    [
        (999, None, "score 999 is outside 1–300"),
        (0, None, "score 0 is outside 1–300"),
        (None, None, "score is empty"),
        (
            238,
            TODAY + dt.timedelta(days=1),
            f"date {TODAY + dt.timedelta(days=1)} is after today ({TODAY})",
        ),
    ],
)
def test_bad_input_shows_the_error_and_writes_nothing(log_path, score, date, message):
    log_path.write_bytes((HEADER + f"{days_ago(3)},NBME 12,236,\r\n").encode())
    before = log_path.read_bytes()
    app = submit_score(start(), score, date=date)
    assert shown(app.error) == [message]
    assert log_path.read_bytes() == before


def test_an_entry_can_be_corrected_and_deleted(log_path):
    log_path.write_text(
        HEADER + f"{days_ago(20)},NBME 12,263,typo\n{days_ago(10)},NBME 13,242,\n"
    )
    original = log_path.read_bytes()
    app = start()
    app.selectbox(key="edit_choice").set_value(0).run()
    assert app.number_input(key="edit_score").value == 263
    app.number_input(key="edit_score").set_value(236)
    app.text_input(key="edit_notes").input("fixed")
    app.button(key="edit_save").click().run()
    assert not app.error, [e.value for e in app.error]
    assert log_path.read_text() == (
        HEADER + f"{days_ago(20)},NBME 12,236,fixed\n{days_ago(10)},NBME 13,242,\n"
    )
    assert log_path.with_name("scores.csv.bak").read_bytes() == original

    app.selectbox(key="edit_choice").set_value(1).run()
    app.button(key="edit_delete").click().run()
    assert log_path.read_text() == HEADER + f"{days_ago(20)},NBME 12,236,fixed\n"
    assert any(text.startswith("Deleted entry 2") for text in shown(app.success))


def test_an_edit_to_a_bad_score_is_refused(log_path):
    log_path.write_text(HEADER + f"{days_ago(2)},NBME 12,236,\n")
    before = log_path.read_bytes()
    app = start()
    app.number_input(key="edit_score").set_value(999)
    app.button(key="edit_save").click().run()
    assert shown(app.error) == ["score 999 is outside 1–300"]
    assert log_path.read_bytes() == before


def test_settings_persist_across_a_fresh_session(log_path):
    exam = TODAY + dt.timedelta(days=45)
    eras = TODAY + dt.timedelta(days=200)
    app = start()
    app.date_input(key="exam_date").set_value(exam).run()
    app.number_input(key="threshold").set_value(250).run()
    app.number_input(key="window").set_value(4).run()
    app.selectbox(key="level").set_value(0.9).run()
    app.checkbox(key="eras_known").check().run()
    app.date_input(key="eras_date").set_value(eras).run()
    saved = json.loads(log_path.with_name("settings.json").read_text())
    assert saved == {
        "exam_date": exam.isoformat(),
        "threshold": 250,
        "window": 4,
        "target": 245,
        "level": 0.9,
        "eras_date": eras.isoformat(),
        "model": "bayes",
        "prior_weight": 1.0,
        "recency_half_life_days": None,
        "calibrate": True,
        "calibrate_rule": False,
    }

    again = start()
    assert again.date_input(key="exam_date").value == exam
    assert again.number_input(key="threshold").value == 250
    assert again.number_input(key="window").value == 4
    assert again.selectbox(key="level").value == 0.9
    assert again.date_input(key="eras_date").value == eras


def test_settings_reach_the_verdict(log_path):
    log_path.write_text(
        HEADER
        + "".join(
            f"{days_ago(d)},NBME {n},{s},\n"
            for n, (d, s) in enumerate([(30, 241), (20, 243), (10, 244)], start=12)
        )
    )
    app = start()
    assert banner(app).startswith("## TAKE NOW")
    app.number_input(key="threshold").set_value(250).run()
    assert banner(app).startswith("## DELAY")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "settings.json line 1: not valid JSON (Expecting property name"),
        ('{"threshold": 400}', "settings.json: threshold 400 is outside the score scale"),
        ('{"exam_date": "soon"}', "settings.json: exam_date 'soon' is not a date"),
        ("[1, 2]", "settings.json: expected a JSON object of settings"),
        ("\x00\x01 garbage", "settings.json line 1: not valid JSON (Expecting value)"),
        ('{"window": "three"}', "settings.json: window 'three' is not a whole number"),
        ('{"level": true}', "settings.json: level True is not a number"),
    ],
)
def test_a_broken_settings_file_is_reported_not_replaced(log_path, content, message):
    settings = log_path.with_name("settings.json")
    settings.write_text(content)
    app = start()
    [error] = shown(app.sidebar.error)
    assert message in error and "the file is left as it is" in error
    app.number_input(key="threshold").set_value(245).run()
    assert settings.read_text() == content  # still untouched after a change
    app.button(key="settings_replace").click().run()
    assert json.loads(settings.read_text())["threshold"] == 245


def test_a_broken_log_is_shown_and_offers_no_write(log_path):
    log_path.write_text(
        HEADER + f"{days_ago(5)},NBME 12,236,\n{days_ago(2)},NBME 13,999,\n"
    )
    before = log_path.read_bytes()
    app = start()
    assert shown(app.error) == [f"{log_path} line 3: score 999 is outside 1–300"]
    keys = {widget.key for widget in app.button} | {w.key for w in app.number_input}
    assert not keys & {"log_submit", "edit_save", "edit_delete", "log_score"}
    assert log_path.read_bytes() == before


def test_the_model_and_calibration_can_be_switched_and_are_remembered(log_path):
    log_path.write_text(
        HEADER
        + "".join(
            f"{days_ago(d)},{form},{score},\n"
            for d, form, score in [
                (30, "NBME 12", 236),
                (20, "UWSA 1", 241),
                (10, "NBME 13", 243),
            ]
        )
    )
    app = start()
    assert any(
        "learning-rate prior, fitted to scores corrected" in c.value for c in app.caption
    )
    app.selectbox(key="model").set_value("ols").run()
    app.checkbox(key="calibrate").uncheck().run()
    assert any(
        c.value == "Model: ordinary least squares, fitted to your scores."
        for c in app.caption
    )
    saved = json.loads(log_path.with_name("settings.json").read_text())
    assert saved["model"] == "ols" and saved["calibrate"] is False
    again = start()
    assert again.selectbox(key="model").value == "ols"
    assert again.checkbox(key="calibrate").value is False


def test_form_offsets_can_be_edited_and_saved_beside_the_log(log_path):
    log_path.write_text(HEADER + f"{days_ago(3)},UWSA 1,241,\n")
    app = start()
    assert app.button(key="catalog_save")
    app.button(key="catalog_save").click().run()
    beside = log_path.with_name("assessments.csv")
    from tracker.calibration import SHIPPED_CATALOG, load_catalog

    assert load_catalog(beside) == load_catalog(SHIPPED_CATALOG)
