"""The real exam result: logging it, and how the projection did (outcome TAKEN)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import statsmodels.api as sm

from tracker.assess import assess
from tracker.chart import draw, title
from tracker.exams import COMLEX_2CE, STEP2_CK
from tracker.plan import Outcome
from tracker.reasons import headline
from tracker.report import assessment_json
from tracker.settings import Settings

from conftest import TODAY
from conftest import run_cli as run

HEADER = "date,assessment,score,notes\n"
# Three practice scores a week apart and the result a week after the last one.
PRACTICE = "2026-09-01,NBME 9,220,\n2026-09-08,NBME 10,230,\n2026-09-15,NBME 11,234,\n"


# --- logging the result -------------------------------------------------------------------


def test_result_command_logs_a_row_named_after_the_exam(capsys, log_path):
    log_path.write_text(HEADER + PRACTICE)
    code, out, err = run(
        capsys, "result", "--log", str(log_path), "--today", "2026-11-26",
        "--date", "2026-09-22", "--score", "245",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == (
        f"Logged your exam result: 2026-09-22 Step 2 CK: 245 to {log_path} "
        "(4 results in the log).\n"
    )
    assert log_path.read_text() == HEADER + PRACTICE + "2026-09-22,Step 2 CK,245,\n"


def test_result_command_uses_the_exams_own_name(capsys, log_path):
    code, _, _ = run(
        capsys, "result", "--log", str(log_path), "--today", "2026-11-26",
        "--exam", "comlex-2ce", "--date", "2026-11-20", "--score", "530",
    )  # fmt: skip
    assert code == 0
    assert log_path.read_text() == HEADER + "2026-11-20,COMLEX Level 2-CE,530,\n"


@pytest.mark.parametrize(
    "date, score, message",
    [
        # Step 2 CK's scale is 1–300 (tracker.exams.STEP2_CK).
        (
            "2026-11-20",
            "301",
            "score 301 is outside 1–300, the scale of a Step 2 CK result",
        ),
        ("2026-11-20", "0", "score 0 is outside 1–300, the scale of a Step 2 CK result"),
        ("2026-11-27", "245", "date 2026-11-27 is after today (2026-11-26)"),
        ("2026-11-20", "24O", "score '24O' is not a whole number in ASCII digits (0-9)"),
    ],
)
def test_a_bad_result_is_refused_and_the_log_is_untouched(
    capsys, log_path, date, score, message
):
    log_path.write_text(HEADER + PRACTICE)
    code, out, err = run(
        capsys, "result", "--log", str(log_path), "--today", "2026-11-26",
        "--date", date, "--score", score,
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err == f"tracker: error: {message}\n"
    assert log_path.read_text() == HEADER + PRACTICE


@pytest.mark.parametrize(
    "name, profile, expected",
    [
        ("Step 2 CK", STEP2_CK, True),
        ("USMLE Step 2 CK", STEP2_CK, True),
        ("Step 2", STEP2_CK, True),
        ("step-2 ck", STEP2_CK, True),  # case, spaces and punctuation ignored
        ("Step 2 Clinical Knowledge", STEP2_CK, True),
        ("Step 1", STEP2_CK, False),
        ("Step 2 CS", STEP2_CK, False),
        ("NBME 12", STEP2_CK, False),
        ("COMLEX Level 2-CE", STEP2_CK, False),
        ("COMLEX Level 2-CE", COMLEX_2CE, True),
        ("COMSAE Phase 2", COMLEX_2CE, False),
    ],
)
def test_which_rows_are_the_real_result(name, profile, expected):
    assert profile.is_result(name) is expected


# --- how the projection did ---------------------------------------------------------------

# Hand-worked with plain least squares and calibration off (NBME 9–11 have offset 0):
# x = 0, 7, 14, y = 220, 230, 234: slope 1, line 221 + x, residuals −1, 2, −1, s² = 6.
# The result is on day 21: projected 242; leverage 1/3 + 14²/98 = 7/3, so
# se_obs = √(6·(1 + 7/3)) = √20; t(1 df, 97.5%) = 12.706, interval 242 ± 56.82.
OLS_PLAIN = Settings(model="ols", calibrate=False)


def assessed(log_path, text, settings=OLS_PLAIN):
    log_path.write_text(HEADER + text)
    return assess(log_path, settings, TODAY)


def test_the_review_is_the_projection_made_on_the_last_practice_day(log_path):
    assessment = assessed(log_path, PRACTICE + "2026-09-22,Step 2 CK,245,\n")
    plan = assessment.plan
    assert plan.outcome == Outcome.TAKEN
    result = plan.result
    assert (result.date, result.score, result.as_of) == (
        dt.date(2026, 9, 22),
        245,
        dt.date(2026, 9, 15),
    )
    model = sm.OLS([220.0, 230.0, 234.0], sm.add_constant([0.0, 7.0, 14.0])).fit()
    prediction = model.get_prediction([[1.0, 21.0]])
    assert result.projected == pytest.approx(prediction.predicted_mean[0], rel=1e-9)
    assert result.prediction_interval == pytest.approx(
        tuple(prediction.conf_int(obs=True, alpha=0.05)[0]), rel=1e-9
    )
    assert result.prediction_interval == pytest.approx((185.18, 298.82), abs=0.01)
    assert result.inside is True and result.error == pytest.approx(3.0)
    assert headline(plan) == (
        "EXAM TAKEN",
        "245 on 2026-09-22; the tracker projected 242, inside its 95% interval (185–299)",
    )
    assert assessment.reasons[0].met is True
    assert assessment.reasons[0].text == (
        "Your Step 2 CK result: 245 on 2026-09-22. On 2026-09-15, the day of your last "
        "practice score, the tracker projected 242 (95% prediction interval 185–299): "
        "the result fell inside it, 3 points above the projection."
    )


def test_a_result_outside_the_interval_says_so(log_path):
    # 242 − 184 = 58 points below, under the interval's 185.18.
    assessment = assessed(log_path, PRACTICE + "2026-09-22,Step 2,184,\n")
    result = assessment.plan.result
    assert result.inside is False and result.error == pytest.approx(-58.0)
    assert assessment.reasons[0].met is False
    assert assessment.reasons[0].text.endswith(
        "the result fell outside it, 58 points below the projection."
    )


def test_calibration_widens_the_reviewed_interval_by_the_forms_uncertainty(log_path):
    # NBME 9–11 carry ±3 points each: the hand example's Σc_j² = 7/3 adds 9·7/3 = 21
    # points², se_obs² = 20 + 21 = 41; 242 ± 12.706·√41 = 242 ± 81.36, held at 300.
    settings = Settings(model="ols")
    assessment = assessed(log_path, PRACTICE + "2026-09-22,Step 2 CK,245,\n", settings)
    low, high = assessment.plan.result.prediction_interval
    assert low == pytest.approx(242 - 12.7062047 * 41**0.5, rel=1e-6)
    assert high == 300.0


def test_practice_after_the_result_is_left_out_with_a_warning(log_path):
    text = PRACTICE + "2026-09-22,Step 2 CK,245,\n2026-09-25,NBME 12,250,\n"
    assessment = assessed(log_path, text)
    assert len(assessment.plan.readings) == 3
    assert assessment.plan.result.projected == pytest.approx(242.0)
    assert assessment.warnings == (
        "1 practice result(s) on or after your exam result (2026-09-22) are not part "
        "of this review",
    )


def test_a_result_without_practice_before_it_has_no_projection(log_path):
    assessment = assessed(log_path, "2026-09-22,Step 2 CK,245,\n")
    result = assessment.plan.result
    assert (result.projected, result.prediction_interval, result.inside) == (
        None,
        None,
        None,
    )
    assert headline(assessment.plan) == ("EXAM TAKEN", "245 on 2026-09-22")
    assert assessment.reasons[0].text == (
        "Your Step 2 CK result: 245 on 2026-09-22. No projection to compare it with: "
        "0 scores logged; a trend needs at least 3 to estimate its uncertainty."
    )


def test_an_eras_date_before_the_last_practice_day_does_not_block_the_review(log_path):
    # ERAS opened 2026-09-10, before the last practice day (2026-09-15); the score of the
    # 2026-09-22 sitting arrives 28 days later, 2026-10-20: 40 days after ERAS opened.
    settings = Settings(model="ols", calibrate=False, eras_date=dt.date(2026, 9, 10))
    assessment = assessed(log_path, PRACTICE + "2026-09-22,Step 2 CK,245,\n", settings)
    eras = assessment.plan.eras
    assert (eras.score_release_date, eras.days_before_eras, eras.status.value) == (
        dt.date(2026, 10, 20),
        -40,
        "misses",
    )
    [eras_reason] = [r for r in assessment.reasons if r.rule == "eras"]
    assert eras_reason.text == (
        "You sat the exam on 2026-09-22; the score should arrive about 2026-10-20, after "
        'ERAS opens (2026-09-10): programs that review applications before then see "score '
        'pending".'
    )
    assert assessment_json(assessment)["eras_date"] == "2026-09-10"


def test_json_says_taken_with_the_result(capsys, log_path):
    log_path.write_text(HEADER + PRACTICE + "2026-09-22,USMLE Step 2 CK,245,\n")
    code, out, err = run(
        capsys, "verdict", "--json", "--log", str(log_path), "--today", "2026-11-26",
        "--model", "ols", "--no-calibration",
    )  # fmt: skip
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert (report["verdict"], report["headline"]) == ("taken", "EXAM TAKEN")
    schema_2 = ("date", "score", "projected", "prediction_interval", "inside", "error",
                "as_of")  # fmt: skip
    assert {key: report["result"][key] for key in schema_2} == {
        "date": "2026-09-22",
        "score": 245,
        "projected": 242.0,
        "prediction_interval": [185.18, 298.82],
        "inside": True,
        "error": 3.0,
        "as_of": "2026-09-15",
    }
    # Schema 3: 245 is a point of the percentile table (the 32nd); it passes 218 and
    # reaches the default target of 245, with no profile set.
    assert (report["result"]["percentile"], report["result"]["passed"]) == (32.0, True)
    assert report["result"]["next_step"]["step"] == "apply_this_cycle"


def test_verdict_words_after_the_exam(capsys, log_path):
    log_path.write_text(HEADER + PRACTICE + "2026-09-22,Step 2 CK,245,\n")
    code, out, _ = run(
        capsys, "verdict", "--log", str(log_path), "--today", "2026-11-26",
        "--model", "ols", "--no-calibration",
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[0] == (
        "EXAM TAKEN  245 on 2026-09-22; the tracker projected 242, inside its 95% "
        "interval (185–299)"
    )


def test_the_chart_marks_the_result_and_titles_it(log_path):
    assessment = assessed(log_path, PRACTICE + "2026-09-22,Step 2 CK,245,\n")
    figure = draw(assessment)
    axes = figure.axes[0]
    assert axes.get_title(loc="left") == title(assessment.plan)
    assert title(assessment.plan).startswith("EXAM TAKEN: 245 on 2026-09-22")
    labels = [text.get_text() for text in axes.get_legend().get_texts()]
    assert "Step 2 CK result" in labels
    (result,) = [c for c in axes.collections if c.get_label() == "Step 2 CK result"]
    marked = result.get_offsets()
    assert marked.tolist()[0][1] == 245.0


# --- the dashboard ------------------------------------------------------------------------


def test_the_dashboard_shows_the_result_against_the_projection(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    today = dt.date.today()  # the dashboard reads the real clock

    def ago(days):
        return (today - dt.timedelta(days=days)).isoformat()

    path = tmp_path / "scores.csv"
    path.write_text(
        HEADER + f"{ago(21)},NBME 9,220,\n{ago(14)},NBME 10,230,\n{ago(7)},NBME 11,234,\n"
        f"{ago(0)},Step 2 CK,245,\n"
    )
    (tmp_path / "settings.json").write_text('{"model": "ols", "calibrate": false}')
    monkeypatch.setenv("TRACKER_LOG", str(path))
    dashboard = str(__import__("pathlib").Path(__file__).parent.parent / "dashboard.py")
    app = AppTest.from_file(dashboard, default_timeout=30).run()
    assert not app.exception
    banner = [a.value for a in app.success if a.value.startswith("## ")]
    assert len(banner) == 1
    plain = re.sub(r"\\(.)", r"\1", banner[0])
    assert plain == (
        f"## EXAM TAKEN\n245 on {ago(0)}; the tracker projected 242, inside its 95% "
        "interval (185–299)."
    )
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Your result"] == "245"
    assert metrics["Projected"] == "242"
    assert metrics["Result − projection"] == "+3"
    assert metrics["Inside the 95% interval"] == "yes"
