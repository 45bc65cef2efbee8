"""The dashboard through Streamlit's AppTest: each widget reached by its key."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm
from streamlit.testing.v1 import AppTest

from tracker.assess import assess
from tracker.chart import title
from tracker.exams import STEP2_CK, load_catalog, shipped_catalog_path
from tracker.reasons import percent
from tracker.settings import Settings, load_settings

REPO = Path(__file__).resolve().parent.parent
DASHBOARD = str(REPO / "dashboard.py")
EXAMPLE = REPO / "data" / "example_scores.csv"
HEADER = "date,assessment,score,notes\n"
TODAY = dt.date.today()  # the dashboard uses the real date, so the logs are built from it
# The example log was written to be read on 2026-11-26 (test_cli.py works it out).
EXAMPLE_TODAY = dt.date(2026, 11, 26)
ICONS = {
    True: ":green[:material/check_circle:] ",
    False: ":red[:material/cancel:] ",
    None: ":gray[:material/info:] ",
}


def unescaped(text: str) -> str:
    """Markdown as the reader sees it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", text)


def shown(elements) -> list[str]:
    """What alert elements say, as the reader sees it (Markdown escapes removed)."""
    return [unescaped(element.value) for element in elements]


def day(n: int) -> dt.date:
    """``n`` days from today (negative: ago)."""
    return TODAY + dt.timedelta(days=n)


def days_ago(n: int) -> str:
    return day(-n).isoformat()


def shifted_example(extra: str = "", *, as_of: dt.date = EXAMPLE_TODAY) -> str:
    """The example log moved so that ``as_of`` falls on today, plus ``extra`` rows: it
    then reads today exactly as it read on ``as_of``."""
    shift = TODAY - as_of
    lines = EXAMPLE.read_text().splitlines(keepends=True)
    moved = [
        (dt.date.fromisoformat(line[:10]) + shift).isoformat() + line[10:]
        for line in lines[1:]
    ]
    return lines[0] + "".join(moved) + extra


@pytest.fixture
def log_path(tmp_path, monkeypatch):
    path = tmp_path / "scores.csv"
    monkeypatch.setenv("TRACKER_LOG", str(path))
    return path


def save_settings(log_path: Path, **values: object) -> Path:
    path = log_path.with_name("settings.json")
    text = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
    path.write_text(json.dumps(text))
    return path


def start() -> AppTest:
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def opened(app: AppTest, *keys: str) -> AppTest:
    """``app`` with the expanders ``keys`` opened, as a click would (their contents are
    built only while open)."""
    for key in keys:
        app.session_state[key] = True
    return app.run()


def banner(app: AppTest) -> str:
    """The verdict banner's text as the reader sees it."""
    block = app.get_by_key("verdict_banner")
    texts = [*block.success, *block.warning, *block.info]
    assert len(texts) == 1, texts
    return unescaped(texts[0].value)


def reasons(app: AppTest) -> list[str]:
    return [m.value for m in app.get_by_key("verdict_reasons").markdown]


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def submit_score(
    app: AppTest, score, *, date: dt.date | None = None, name: str | None = None
):
    if date is not None:
        app.date_input(key="log_date").set_value(date)
    if name is not None:
        app.selectbox(key="log_assessment").set_value(name)
    app.number_input(key="log_score").set_value(score)
    return app.button(key="log_submit").click().run()


# --- a first visit ------------------------------------------------------------------------


def test_a_new_user_sees_the_welcome_and_can_explore_the_example(log_path):
    app = start()
    assert "### Welcome" in app.markdown[0].value
    assert app.button(key="log_submit")  # the form is there from the start
    app.button(key="explore_example").click().run()
    # The example as of today, the exam 60 days ahead (no date saved yet).
    expected = assess(EXAMPLE, Settings(exam_date=day(60)), TODAY)
    assert banner(app).startswith(f"## {expected.plan.outcome.headline}\n")
    assert any("exploring the example data" in info.value for info in app.info)
    app.button(key="leave_example").click().run()
    assert "### Welcome" in app.markdown[0].value
    assert list(log_path.parent.iterdir()) == []  # exploring never writes anything


def test_the_exam_and_its_date_are_on_the_main_page(log_path):
    log_path.write_text(shifted_example())
    app = start()
    assert "exam" in [w.key for w in app.main.selectbox]
    assert "exam_date" in [w.key for w in app.main.text_input]
    assert "exam" not in [w.key for w in app.sidebar.selectbox]
    assert "exam_date" not in [w.key for w in app.sidebar.text_input]
    assert app.selectbox(key="exam").value == "step2-ck"
    # No date saved: the box stays empty (nothing made up is ever saved); the banner
    # says the verdict is for a sitting 60 days ahead, and that no date is set.
    assert app.text_input(key="exam_date").value == ""
    # The example's plan for that day: UWSA 3 on the first day of its usual window,
    # 5 weeks before: today + 25.
    assert banner(app) == (
        f"## ON TRACK\nNo exam date is set; for a sitting on {day(60)} (in 60 days): "
        f"ready by {day(25)} at the earliest; enter your planned date."
    )


def _files(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Each file's inode and bytes: a rewrite, even of the same bytes, changes the inode."""
    return {p.name: (p.stat().st_ino, p.read_bytes()) for p in folder.iterdir()}


def test_opening_the_app_writes_nothing(log_path):
    log_path.write_text(shifted_example())
    settings = save_settings(log_path, exam_date=day(50))  # compact, as typed by hand
    before = _files(log_path.parent)
    app = start()
    app.run()
    opened(app, "edit_open").selectbox(key="edit_choice").set_value(2).run()  # no setting
    assert _files(log_path.parent) == before
    # A change is written once; reruns and a fresh session leave it as it is.
    app.text_input(key="exam_date").set_value(day(51).isoformat()).run()
    assert load_settings(settings).exam_date == day(51)
    after = _files(log_path.parent)
    app.run()
    start()
    assert _files(log_path.parent) == after


def test_no_settings_file_until_a_setting_changes(log_path):
    app = start()
    app.run()
    assert not log_path.with_name("settings.json").exists()
    app.number_input(key="window").set_value(4).run()
    assert json.loads(log_path.with_name("settings.json").read_text())["window"] == 4


# --- the verdict, against an independent assessment ---------------------------------------


def test_banner_reasons_and_key_figures_match_the_assessment(log_path):
    log_path.write_text(shifted_example())
    save_settings(log_path, exam_date=day(50))
    app = start()
    # The example as of 2026-11-26 (see test_cli.py): one more 240+ score is missing;
    # the next planned form, UWSA 3, goes on the first day of its usual window, 5 weeks
    # before the exam: today + 50 − 35 = today + 15. The trend is already 240+.
    assert banner(app) == (
        f"## ON TRACK\nKeep {day(50)} (in 50 days); ready by {day(15)} at the earliest."
    )
    expected = assess(log_path, Settings(exam_date=day(50)), TODAY)
    assert [unescaped(text) for text in reasons(app)] == [
        ICONS[r.met] + r.text for r in expected.reasons
    ]
    assert len(expected.reasons) >= 5  # the rule, projection, chances, trend, readiness

    plan = expected.plan
    low, high = plan.interval(obs=True)
    figures = metrics(app)
    assert figures["Projected exam-day score"] == f"{plan.forecast.projected_score:.0f}"
    assert figures["Chance of 240+"] == percent(plan.chance_at_least(240))
    assert figures["Chance of 245+"] == percent(plan.chance_at_least(245))
    # An exam from 2025-07-01 on is failed under 218.
    assert figures["Chance of failing (<218)"] == percent(plan.chance_of_failing)
    slope = plan.forecast.trend.slope_per_week
    assert figures["Points per week"] == f"{slope:+.1f}"
    assert figures["Days to the exam"] == "50"
    # Free to move until 31 days before the exam: today + 19. Released 28 days after.
    assert figures["Move it free until"] == day(19).isoformat()
    assert figures["Score released about"] == day(78).isoformat()
    assert f"95% interval {low:.0f}–{high:.0f}" in [c.value for c in app.caption]


# One situation per outcome, on the example moved to today (test_chart.py has the same
# situations on their own dates): (read as of, extra rows, settings, the banner).
BANNERS = [
    (
        EXAMPLE_TODAY,
        "",
        {"exam_date": day(50)},
        f"## ON TRACK\nKeep {day(50)} (in 50 days); ready by {day(15)} at the earliest.",
    ),
    # The exam 2 days ahead leaves no practice day (the last two are rest): the score
    # the rule needs can come today, the exam 3 days later. The projection (filled in
    # from the independent assessment) is at 240+, so both choices are named.
    (
        EXAMPLE_TODAY,
        "",
        {"exam_date": day(2)},
        f"## DELAY\nMove the exam from {day(2)} to about {day(3)} (1 day later), or keep "
        "it without the one more score the rule needs (projected {projected}).",
    ),
    # A Free 120 at 70% (245) today: the last three, 244, 242, 245, are all 240+.
    (
        EXAMPLE_TODAY,
        f"{TODAY},Free 120,70,\n",
        {"exam_date": day(50)},
        f"## TAKE NOW\nSit as planned on {day(50)} (in 50 days).",
    ),
    # A window of 12 against 9 scores: 3 more to log.
    (
        EXAMPLE_TODAY,
        "",
        {"exam_date": day(50), "window": 12},
        f"## NOT ENOUGH DATA\nLog 3 more results (exam planned for {day(50)}).",
    ),
    # Read as of 2026-12-20 with the real result two days before: 27 days after the
    # last practice score, weighted least squares projected 246.7 (238.3–255.1; the
    # statsmodels oracle in test_cli.py), shown as 247.
    (
        dt.date(2026, 12, 20),
        f"{day(-2)},Step 2 CK,252,\n",
        {"exam_date": day(50), "model": "ols"},
        f"## EXAM TAKEN\n252 on {day(-2)}; the tracker projected 247, inside its 95% "
        "interval (238–255).",
    ),
]


@pytest.mark.parametrize(("as_of", "extra", "values", "expected"), BANNERS)
def test_the_banner_and_the_chart_title_agree_in_every_case(
    log_path, as_of, extra, values, expected
):
    log_path.write_text(shifted_example(extra, as_of=as_of))
    save_settings(log_path, **values)
    app = start()
    independent = assess(log_path, Settings(**values), TODAY)
    projected = independent.plan.forecast.decisive_score
    if "{projected}" in expected:
        expected = expected.replace("{projected}", f"{projected:.0f}")
    assert banner(app) == expected
    word = expected.splitlines()[0].removeprefix("## ")
    assert independent.plan.outcome.headline == word
    assert title(independent.plan).startswith(f"{word}: ")


def test_reasons_and_warnings_are_shown_as_text(log_path):
    name = "Kaplan *Diagnostic*"
    log_path.write_text(shifted_example(f"{TODAY},{name},231,\n"))
    save_settings(log_path, exam_date=day(50))
    app = start()
    expected = assess(log_path, Settings(exam_date=day(50)), TODAY)
    [uncalibrated] = [r.text for r in expected.reasons if r.rule == "uncalibrated"]
    assert uncalibrated == (
        f"Not calibrated (not in the catalog of forms, used as logged): {name}."
    )
    # Every ASCII punctuation mark arrives escaped: the stars stay stars, no italics.
    assert ICONS[None] + (
        "Not calibrated \\(not in the catalog of forms\\, used as logged\\)\\: "
        "Kaplan \\*Diagnostic\\*\\."
    ) in reasons(app)


# --- logging ------------------------------------------------------------------------------


def test_logging_a_score_adds_one_row_and_changes_the_verdict(log_path):
    log_path.write_text(
        HEADER + f"{days_ago(20)},NBME 12,236,\n{days_ago(10)},NBME 13,242,\n"
    )
    app = start()
    assert banner(app) == (
        f"## NOT ENOUGH DATA\nNo exam date is set; for a sitting on {day(60)} (in 60 "
        "days): log 1 more result."
    )

    app = submit_score(app, 246, date=day(-1), name="UWSA 2")
    assert not app.exception
    # 236, 242, 246: 236 < 240, one more 240+ score needed; gaps 10 and 9 days, median
    # 9.5, rounded up to 10: the next practice exam at the pace, yesterday + 10 = today
    # + 9 (NBME 11, its usual time passed: the first day it can), well before the exam
    # 60 days ahead.
    assert banner(app) == (
        f"## ON TRACK\nNo exam date is set; for a sitting on {day(60)} (in 60 days): "
        f"ready by {day(9)} at the earliest; enter your planned date."
    )
    lines = log_path.read_text().splitlines()
    assert lines[1:] == [
        f"{days_ago(20)},NBME 12,236,",
        f"{days_ago(10)},NBME 13,242,",
        f"{days_ago(1)},UWSA 2,246,",
    ]
    assert shown(app.success) == [
        f"Logged {days_ago(1)} UWSA 2: 246 (3 results in the log)."
    ]


def test_a_percent_form_shows_as_seen_and_on_the_exam_scale(log_path):
    log_path.write_text(
        HEADER + f"{days_ago(20)},NBME 12,236,\n{days_ago(10)},NBME 13,242,\n"
    )
    app = submit_score(start(), 70, name="Free 120")
    assert log_path.read_text().endswith(f"{TODAY},Free 120,70,\n")
    [table] = [frame for frame in app.dataframe if frame.key != "catalog_editor"]
    rows = table.value.to_dict("records")
    # 70% is a point of the Free 120 table: 245 on the Step 2 CK scale.
    assert (rows[-1]["assessment"], rows[-1]["score"]) == ("Free 120", "70%")
    assert rows[-1]["on the exam's scale"] == 245
    assert [row["score"] for row in rows[:2]] == ["236", "242"]


def test_other_assessment_takes_the_typed_name_with_a_warning(log_path):
    app = start()
    app.selectbox(key="log_assessment").set_value("Other…")
    app.text_input(key="log_other_name").input("Kaplan Diagnostic")
    app = submit_score(app, 238)
    assert log_path.read_text() == HEADER + f"{TODAY},Kaplan Diagnostic,238,\n"
    assert shown(app.warning) == [
        "'Kaplan Diagnostic' is not in the catalog of practice forms, so it is logged "
        "as a three-digit score and not calibrated"
    ]


@pytest.mark.parametrize(
    ("score", "date", "name", "message"),
    [
        (999, None, None, "score 999 is outside 1–300, the scale of NBME 9"),
        (0, None, None, "score 0 is outside 1–300, the scale of NBME 9"),
        (None, None, None, "score is empty"),
        (
            65,
            None,
            "NBME 12",
            "65 is not a three-digit NBME 12 score (no form reports under 150); if it is "
            "a percentage, log it under a percent-correct form such as the Free 120, or "
            "check the number",
        ),
        (
            101,
            None,
            "Free 120",
            "Free 120 is scored in percent correct; 101 is not 0–100 (log the percentage "
            "you saw, such as 70)",
        ),
        (238, day(1), None, f"date {day(1)} is after today ({TODAY})"),
    ],
)
def test_bad_input_shows_the_error_and_writes_nothing(log_path, score, date, name, message):
    log_path.write_bytes((HEADER + f"{days_ago(3)},NBME 12,236,\r\n").encode())
    before = log_path.read_bytes()
    app = submit_score(start(), score, date=date, name=name)
    assert shown(app.error) == [message]
    assert log_path.read_bytes() == before


def test_the_real_result_is_logged_and_reviewed(log_path):
    log_path.write_text(shifted_example())
    app = opened(start(), "result_open")
    app.date_input(key="result_date").set_value(TODAY)
    app.number_input(key="result_score").set_value(251)
    app.button(key="result_submit").click().run()
    assert log_path.read_text().endswith(f"{TODAY},Step 2 CK,251,\n")
    messages = [text for text in shown(app.success) if not text.startswith("## ")]
    assert messages == ["Logged your Step 2 CK result: 251."]
    assert banner(app).startswith(f"## EXAM TAKEN\n251 on {TODAY}; the tracker projected ")
    [result] = [text for text in reasons(app) if text.startswith(ICONS[True])]
    assert unescaped(result).startswith(
        f"{ICONS[True]}Your Step 2 CK result: 251 on {TODAY}."
    )


def test_key_figures_after_the_exam_is_taken(log_path):
    # Practice 60, 50 and 45 days ago, the real result two days ago: the plan is the
    # one made on the last practice day, 43 days before the exam. Plain least squares
    # on the scores as seen (no form corrections), so statsmodels is the oracle.
    log_path.write_text(
        HEADER + f"{days_ago(60)},NBME 12,230,\n{days_ago(50)},NBME 13,235,\n"
        f"{days_ago(45)},NBME 14,238,\n{days_ago(2)},Step 2 CK,244,\n"
    )
    save_settings(log_path, model="ols", calibrate=False)
    app = start()
    # Least squares on x = 0, 10, 15 (60, 50, 45 days ago), at the result's day,
    # x = 58: about 260.6, so 244 is 17 under it. The three lie almost on a line
    # (residual SD 0.27), so even with one degree of freedom the 95% interval, about
    # 244.5–276.7, stops just above 244: outside.
    x, y = np.array([0.0, 10.0, 15.0]), np.array([230.0, 235.0, 238.0])
    frame = (
        sm.OLS(y, sm.add_constant(x)).fit().get_prediction(np.array([[1.0, 58.0]]))
    ).summary_frame(alpha=0.05)
    projected, low, high = (frame[c][0] for c in ("mean", "obs_ci_lower", "obs_ci_upper"))
    assert (round(projected, 1), round(low, 1)) == (260.6, 244.5)
    assert banner(app) == (
        f"## EXAM TAKEN\n244 on {day(-2)}; the tracker projected {projected:.0f}, "
        f"outside its 95% interval ({low:.0f}–{high:.0f})."
    )
    # Only the result's figures: nothing left to move, no days to count; then the
    # profile's (none set: the exam's target of 245; 244 is 23 + 9 × 4/5 = 30.2 on the
    # percentile table, between 240 → 23 and 245 → 32).
    assert metrics(app) == {
        "Your result": "244",
        "Projected": f"{projected:.0f}",
        "Result − projection": f"{244 - projected:+.0f}",
        "Inside the 95% interval": "no",
        "Target": "245",
        "Your result: standing": "Above common program filters but under the target",
        "Percentile": "about the 30th percentile",
    }
    captions = [c.value for c in app.caption]
    assert f"{low:.0f}–{high:.0f}" in captions
    assert f"on {day(-45)}, the last practice day" in captions


def test_an_entry_can_be_corrected_and_deleted(log_path):
    log_path.write_text(
        HEADER + f"{days_ago(20)},NBME 12,263,typo\n{days_ago(10)},NBME 13,242,\n"
    )
    original = log_path.read_bytes()
    app = opened(start(), "edit_open")
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


def test_the_expanders_build_their_contents_only_when_opened(log_path):
    log_path.write_text(shifted_example())
    app = start()
    assert [expander.label for expander in app.expander] == [
        "I sat the exam: log my Step 2 CK result",
        "Correct or delete an entry",
        "Form offsets (points added to each form's score)",
    ]
    inside = {"result_date", "result_submit", "edit_choice", "edit_save", "catalog_save"}

    def keys(app: AppTest) -> set[str]:
        return {w.key for w in [*app.date_input, *app.selectbox, *app.button]}

    assert not keys(app) & inside
    assert keys(opened(app, "result_open", "edit_open", "offsets_open")) >= inside


def test_an_edit_to_a_bad_score_is_refused(log_path):
    log_path.write_text(HEADER + f"{days_ago(2)},NBME 12,236,\n")
    before = log_path.read_bytes()
    app = opened(start(), "edit_open")
    app.number_input(key="edit_score").set_value(999)
    app.button(key="edit_save").click().run()
    assert shown(app.error) == ["score 999 is outside 1–300, the scale of NBME 12"]
    assert log_path.read_bytes() == before


def test_a_broken_log_is_shown_and_offers_no_write(log_path):
    log_path.write_text(
        HEADER + f"{days_ago(5)},NBME 12,236,\n{days_ago(2)},NBME 13,999,\n"
    )
    before = log_path.read_bytes()
    app = start()
    assert shown(app.error) == [
        f"{log_path} line 3: score 999 is outside 1–300, the scale of NBME 13"
    ]
    keys = {widget.key for widget in app.button} | {w.key for w in app.number_input}
    assert not keys & {"log_submit", "edit_save", "edit_delete", "log_score"}
    assert log_path.read_bytes() == before


# --- settings -----------------------------------------------------------------------------


def test_switching_the_exam_takes_its_defaults(log_path):
    log_path.write_text(
        HEADER + f"{days_ago(20)},NBME 12,236,\n{days_ago(10)},NBME 13,242,\n"
    )
    app = start()
    assert app.number_input(key="threshold_step2-ck").value == 240
    app.selectbox(key="exam").set_value("comlex-2ce").run()
    assert not app.exception
    # COMLEX Level 2-CE's own defaults: threshold 480, target 510.
    assert app.number_input(key="threshold_comlex-2ce").value == 480
    assert app.number_input(key="target_comlex-2ce").value == 510
    saved = json.loads(log_path.with_name("settings.json").read_text())
    assert saved["exam"] == "comlex-2ce"
    assert "threshold" not in saved.get("exams", {}).get("comlex-2ce", {})
    assert "COMSAE Phase 2" in app.selectbox(key="log_assessment").options


def test_a_step_2_threshold_does_not_follow_to_comlex(log_path):
    app = start()
    app.number_input(key="threshold_step2-ck").set_value(245).run()
    app.selectbox(key="exam").set_value("comlex-2ce").run()
    assert app.number_input(key="threshold_comlex-2ce").value == 480


def test_switching_exams_does_not_call_a_good_log_broken(log_path):
    log_path.write_text(shifted_example(f"{TODAY},Free 120,70,\n"))
    app = start()
    app.selectbox(key="exam").set_value("comlex-2ce").run()
    page = " ".join([*shown(app.error), *(m.value for m in app.markdown)])
    assert "could not be read" not in page and "Fix that line" not in page


def test_settings_persist_across_a_fresh_session(log_path):
    exam = day(45)
    eras = day(200)
    app = start()
    app.text_input(key="exam_date").set_value(exam.isoformat()).run()
    app.number_input(key="threshold_step2-ck").set_value(250).run()
    app.number_input(key="window").set_value(4).run()
    app.selectbox(key="level").set_value(0.9).run()
    app.checkbox(key="eras_date_known").check().run()
    app.date_input(key="eras_date").set_value(eras).run()
    saved = json.loads(log_path.with_name("settings.json").read_text())
    # What the student chose, and nothing else: the exam's own values under its key.
    assert saved == {
        "exam": "step2-ck",
        "window": 4,
        "level": 0.9,
        "eras_date": eras.isoformat(),
        "exams": {"step2-ck": {"exam_date": exam.isoformat(), "threshold": 250}},
    }

    again = start()
    assert again.text_input(key="exam_date").value == exam.isoformat()
    assert again.number_input(key="threshold_step2-ck").value == 250
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
    # 241, 243, 244 all reach 240 and the line rises: sit as planned.
    assert banner(app).startswith("## TAKE NOW\n")
    app.number_input(key="threshold_step2-ck").set_value(250).run()
    # None reaches 250: three more are needed, one every 10 days from the last (today),
    # the old forms first: today + 0, 10, 20. Least squares (days 0, 10, 20; 241, 243,
    # 244) rises 0.15 a day from 242.67 at day 10 and reaches 250 on day 59, today +
    # 29: the trend comes last.
    assert banner(app) == (
        f"## ON TRACK\nNo exam date is set; for a sitting on {day(60)} (in 60 days): "
        f"ready by {day(29)} at the earliest; enter your planned date."
    )
    # An exam on today + 28 comes before the trend; the three practice exams fit before
    # its last practice day (today + 25), so the trend's day is the one to move to.
    app.text_input(key="exam_date").set_value(day(28).isoformat()).run()
    assert banner(app) == f"## DELAY\nMove the exam from {day(28)} to about {day(29)}."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "settings.json line 1: not valid JSON (Expecting property name"),
        ('{"threshold": 1000}', "settings.json: threshold 1000 is outside 1 to 999"),
        ('{"exam_date": "soon"}', "settings.json: exam_date 'soon' is not a date"),
        ('{"exam": "nbme"}', "settings.json: exam 'nbme' is not one of step2-ck"),
        ("[1, 2]", "settings.json: expected a JSON object of settings"),
        ("\x00\x01 garbage", "settings.json line 1: not valid JSON (Expecting value)"),
        ('{"window": "three"}', "settings.json: window 'three' is not a number"),
        ('{"level": true}', "settings.json: level True is not a number"),
        ('{"level": NaN}', "settings.json: not valid settings (NaN is not a number"),
    ],
)
def test_a_broken_settings_file_is_reported_not_replaced(log_path, content, message):
    settings = log_path.with_name("settings.json")
    settings.write_text(content)
    app = start()
    [error] = shown(app.sidebar.error)
    assert message in error and "the file is left as it is" in error
    app.number_input(key="threshold_step2-ck").set_value(245).run()
    assert settings.read_text() == content  # still untouched after a change
    app.button(key="settings_replace").click().run()
    assert load_settings(settings).threshold == 245


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
        "Trend: a straight line that starts from how students usually improve, fitted "
        "to scores corrected for each form." in c.value
        for c in app.caption
    )
    app.selectbox(key="model").set_value("ols").run()
    app.checkbox(key="calibrate").uncheck().run()
    assert any(
        c.value.startswith(
            "Trend: a straight line through your scores alone, fitted to your scores. "
            "The shaded ranges: the darker one is where your trend likely runs, the "
            "lighter one where a single exam-day score likely lands, each 95% of the "
            "time."
        )
        for c in app.caption
    )
    saved = json.loads(log_path.with_name("settings.json").read_text())
    assert saved["model"] == "ols" and saved["calibrate"] is False
    again = start()
    assert again.selectbox(key="model").value == "ols"
    assert again.checkbox(key="calibrate").value is False


def test_form_offsets_can_be_edited_and_saved_beside_the_log(log_path):
    log_path.write_text(HEADER + f"{days_ago(3)},UWSA 1,241,\n")
    app = opened(start(), "offsets_open")
    shipped = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK)
    row = [form.name for form in shipped.forms].index("UWSA 1")
    assert shipped.forms[row].offset == -8
    # The student changes UWSA 1's offset from −8 to −6 in the table, then saves.
    app.session_state["catalog_editor"] = {
        "edited_rows": {row: {"offset": -6.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.button(key="catalog_save").click().run()
    assert not app.exception and not app.error
    beside = load_catalog(log_path.with_name("assessments.csv"), STEP2_CK)
    pairs = zip(shipped.forms, beside.forms, strict=True)
    changed = [(a.name, a.offset, b.offset) for a, b in pairs if a != b]
    assert changed == [("UWSA 1", -8, -6)]
    # The log now reads through the student's own offsets: 241 − 6 = 235.
    [reading] = assess(log_path, Settings(exam_date=day(60)), TODAY).readings
    assert reading.calibrated == 235
    table = opened(start(), "offsets_open").get_by_key("catalog_editor").value
    assert table.loc[table["form"] == "UWSA 1", "offset"].tolist() == [-6]


# --- at the threshold, one point under, the default pace: page against the plan ----------


def md(day_: dt.date) -> str:
    """A date as the page's Markdown holds it: each hyphen backslash-escaped."""
    return f"{day_:%Y}\\-{day_:%m}\\-{day_:%d}"


def assert_page_shows(app: AppTest, expected) -> None:
    """Every reason line and key figure on the page is the independent assessment's."""
    assert [unescaped(text) for text in reasons(app)] == [
        ICONS[r.met] + r.text for r in expected.reasons
    ]
    plan, figures = expected.plan, metrics(app)
    assert figures["Days to the exam"] == str(plan.deadlines.days_to_exam)
    if plan.projection is None:
        assert figures["Projected exam-day score"] == "—"
        return
    policy = plan.policy
    assert figures["Projected exam-day score"] == f"{plan.forecast.projected_score:.0f}"
    assert figures[f"Chance of {policy.threshold}+"] == percent(
        plan.chance_at_least(policy.threshold)
    )
    assert figures[f"Chance of {policy.target}+"] == percent(
        plan.chance_at_least(policy.target)
    )
    assert figures[f"Chance of failing (<{policy.passing})"] == percent(
        plan.chance_of_failing
    )


# Weekly, the last 2 days ago: x = 0, 7, 14, 21, 28, today x = 30, the exam (today + 14)
# x = 44. Least squares: x̄ = 14, Sxx = 490, Sxy = 7·(−2·232 − 236 + 0 + 240 + 2·240)
# = 140, b = 2/7 a day whatever the middle score.
THRESHOLD_CASES = [
    # 240, 240, 240 are each 240+; the line at the exam: 237.6 + 30·2/7 = 246.2 → 246.
    pytest.param(
        (232, 236, 240, 240, 240),
        f"## TAKE NOW\nSit as planned on {day(14)} (in 14 days).",
        ":green[:material/check_circle:] Consistent\\: the last 3 scores \\(240\\, 240\\, "
        "240\\) are all 240 or higher\\.",
        "246",
        id="the last three exactly at 240",
    ),
    # 239 is one point under: one more 240+ is missing. The exam 14 days ahead puts
    # every day in its final three weeks: NBME 15, a form meant for them, can come 3
    # days after the last score, today + 1. The line reaches 240 at x = 14 + 2.6·3.5 =
    # 23.1, before today. 245.97 → 246.
    pytest.param(
        (232, 236, 239, 240, 240),
        f"## ON TRACK\nKeep {day(14)} (in 14 days); ready by {day(1)} at the earliest.",
        ":red[:material/cancel:] Not yet consistent\\: the last 3 scores must all be "
        "240\\+\\; 239 is below \\(last\\: 239\\, 240\\, 240\\)\\.",
        "246",
        id="one of them a point under",
    ),
]


@pytest.mark.parametrize(("scores", "expected", "rule", "projected"), THRESHOLD_CASES)
def test_a_score_exactly_at_the_threshold_counts_on_the_page(
    log_path, scores, expected, rule, projected
):
    log_path.write_text(
        HEADER
        + "".join(
            f"{days_ago(30 - 7 * i)},NBME {9 + i},{score},\n"
            for i, score in enumerate(scores)
        )
    )
    values = {"exam_date": day(14), "model": "ols", "calibrate": False}
    save_settings(log_path, **values)
    app = start()
    assert banner(app) == expected
    assert reasons(app)[0] == rule
    assert metrics(app)["Projected exam-day score"] == projected
    assert_page_shows(app, assess(log_path, Settings(**values), TODAY))


def test_the_default_pace_sets_the_day_on_the_page(log_path):
    # Three on one day, today: no pace of the student's own and no trend. 236 is under
    # 240: one more 240+ at the default one a week, today + 7 (NBME 9, the first form
    # planned, its usual time passed; the exam 60 days ahead has room for all nine
    # forms left). The mean, 240, stands in for the trend.
    log_path.write_text(
        HEADER + "".join(f"{days_ago(0)},NBME {n},{s},\n" for n, s in ((12, 236),
                                                                      (13, 241),
                                                                      (14, 243)))
    )  # fmt: skip
    save_settings(log_path, exam_date=day(60))
    app = start()
    assert banner(app) == (
        f"## ON TRACK\nKeep {day(60)} (in 60 days); ready by {day(7)} at the earliest."
    )
    [readiness] = [text for text in reasons(app) if "On track" in text]
    assert readiness == (
        f":green[:material/check_circle:] On track\\: keep {md(day(60))} if one more "
        f"score of 240\\+ comes in by {md(day(7))} \\(NBME 9 on {md(day(7))}\\, at a "
        "default pace of one every 7 days until yours can be measured\\)\\. No trend "
        "could be checked \\(all scores are from one day\\; a trend needs scores from "
        f"different days\\)\\. Ready by {md(day(7))} at the earliest\\."
    )
    assert_page_shows(app, assess(log_path, Settings(exam_date=day(60)), TODAY))


# --- user text in every message and reason, escaped (expected text written by hand) ------


def test_names_in_reasons_and_warnings_arrive_escaped(log_path):
    # "[UWSA 2]" is UWSA 2 (punctuation is ignored): 244 − 5 = 239 crosses 240. "*free
    # 120*" is the Free 120: 69% lies between 65% = 235 and 70% = 245, so 243. Both
    # are named by the catalog's names in the reasons. The COMSAE is another exam's
    # form (the warning names it as typed); "Kaplan *1*" is in no catalog.
    log_path.write_text(
        HEADER + f"{days_ago(20)},[UWSA 2],244,\n{days_ago(10)},*free 120*,69,\n"
        f"{days_ago(5)},_COMSAE Phase 2_,520,\n{days_ago(3)},Kaplan *1*,231,\n"
    )
    save_settings(log_path, exam_date=day(60))
    app = start()
    lines = reasons(app)
    assert (
        ":gray[:material/info:] Percent\\-correct scores on the exam\\'s scale\\: Free "
        f"120 on {md(day(-10))}\\: 69\\% ≈ 243\\."
    ) in lines
    assert (
        ":gray[:material/info:] Calibration for differences between forms moved 1 score "
        "across 240 for the trend \\(the consistency rule still uses the scores you "
        f"saw\\)\\: UWSA 2 on {md(day(-20))} \\(244 → 239\\)\\."
    ) in lines
    assert (
        ":gray[:material/info:] Not calibrated \\(not in the catalog of forms\\, used as "
        "logged\\)\\: Kaplan \\*1\\*\\."
    ) in lines
    block = app.get_by_key("verdict_reasons")
    assert [warning.value for warning in block.warning] == [
        "1 row from another exam \\(\\_COMSAE Phase 2\\_\\) is kept in the log and left "
        "out of the Step 2 CK plan"
    ]


def test_messages_of_the_log_and_edit_forms_arrive_escaped(log_path):
    log_path.write_text(
        HEADER + f"{days_ago(3)},Kaplan *1*,231,\n{days_ago(2)},NBME 12,236,\n"
    )
    app = opened(start(), "edit_open")
    # A refused score names the form as typed.
    app.selectbox(key="log_assessment").set_value("Other…")
    app.text_input(key="log_other_name").input("[Mock](x)")
    app.number_input(key="log_score").set_value(65)
    app.button(key="log_submit").click().run()
    assert [error.value for error in app.error] == [
        "65 is not a three\\-digit \\[Mock\\]\\(x\\) score \\(no form reports under "
        "150\\)\\; if it is a percentage\\, log it under a percent\\-correct form such as "
        "the Free 120\\, or check the number"
    ]
    # The same refusal from the edit form.
    app.number_input(key="edit_score").set_value(65)
    app.button(key="edit_save").click().run()
    assert [error.value for error in app.error] == [
        "65 is not a three\\-digit Kaplan \\*1\\* score \\(no form reports under 150\\)\\; "
        "if it is a percentage\\, log it under a percent\\-correct form such as the Free "
        "120\\, or check the number"
    ]
    app.button(key="edit_delete").click().run()
    assert [s.value for s in app.success if not s.value.startswith("## ")] == [
        f"Deleted entry 1 \\({md(day(-3))} Kaplan \\*1\\*\\: 231\\)\\. The previous file "
        "is kept as scores\\.csv\\.bak\\."
    ]


def test_a_broken_logs_message_arrives_escaped(log_path):
    log_path.write_text("date,assessment,score,*notes*\n")
    app = start()
    [error] = [error.value for error in app.error]
    assert error.endswith(
        " line 1\\: unknown column \\'\\*notes\\*\\' \\(expected date\\, assessment\\, "
        "score\\, notes\\, issues\\)"
    )
    assert unescaped(error) == (
        f"{log_path} line 1: unknown column '*notes*' (expected date, assessment, "
        "score, notes, issues)"
    )
