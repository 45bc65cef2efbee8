"""The study plan in the verdict: the baseline lines, the Q-bank line, the JSON key,
and the area and Q-bank logs read beside the score log (a broken one only warns)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tracker.assess import assess
from tracker.report import assessment_json
from tracker.settings import Settings
from tracker.study import check_baseline, study_facts
from tracker.study_words import NOT_IN_PROJECTION, weekly_review_line

from conftest import TODAY

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
HEADER = "date,assessment,score,notes\n"
D = dt.date
EXAM = D(2027, 1, 15)
ADVICE = (
    "the advice is a baseline self-assessment 3–4 months before the exam, to show "
    "weak areas and test-taking problems while there is time to work on them"
)


def _log(folder: Path, rows: str, *, areas: bool = False, qbank: bool = False) -> Path:
    path = folder / "scores.csv"
    path.write_text(HEADER + rows)
    if areas:
        shutil.copy(DATA / "example_areas.csv", folder / "areas.csv")
    if qbank:
        shutil.copy(DATA / "example_qbank.csv", folder / "qbank.csv")
    return path


def _study_lines(assessment) -> dict[str, str]:
    return {
        r.rule: r.text
        for r in assessment.reasons
        if r.rule in ("baseline", "baseline_band", "qbank")
    }


# --- the baseline ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "missing"),
    [
        # 3 months is round(3 x 365.25 / 12) = round(91.31) = 91 days before 2027-01-15.
        ("2026-10-16", False),  # 15 + 30 + 31 + 15 = 91 days before
        ("2026-10-17", True),  # 90 days
        ("2026-09-01", False),  # 136 days
    ],
)
def test_a_first_score_nearer_the_exam_than_three_months_gets_the_line(
    tmp_path, first, missing
):
    path = _log(tmp_path, f"{first},NBME 12,233,\n2026-11-20,NBME 13,236,\n")
    assessment = assess(path, Settings(exam_date=EXAM), TODAY)
    lines = _study_lines(assessment)
    assert ("baseline" in lines) is missing
    if missing:
        assert lines["baseline"] == (
            f"Your first practice score (2026-10-17) came 90 days before the exam: "
            f"{ADVICE}. Log its score report's areas ('tracker area') so the plan can "
            "name the weakest."
        )
    assert assessment.study.baseline.advised_days == 91


def test_no_score_yet_and_the_exam_near(tmp_path):
    # Today 2026-11-26, exam 2027-01-15: 4 + 31 + 15 = 50 days, under 91.
    path = _log(tmp_path, "")
    assert _study_lines(assess(path, Settings(exam_date=EXAM), TODAY)) == {
        "baseline": f"No baseline yet, and the exam is 50 days away: {ADVICE}. Take "
        "one now and log its score report's areas ('tracker area')."
    }
    # 2027-03-15 is 108 days away: time for a baseline still.
    far = assess(path, Settings(exam_date=D(2027, 3, 15)), TODAY)
    assert _study_lines(far) == {}


@pytest.mark.parametrize(
    ("first", "in_band"),
    [("219", False), ("220", True), ("224", True), ("230", True), ("231", False)],
)
def test_the_seeds_advice_for_a_220_to_230_baseline(tmp_path, first, in_band):
    path = _log(tmp_path, f"2026-09-01,NBME 9,{first},\n2026-10-01,NBME 10,233,\n")
    lines = _study_lines(assess(path, Settings(exam_date=EXAM), TODAY))
    assert ("baseline_band" in lines) is in_band
    if in_band:
        assert lines["baseline_band"] == (
            f"Your first score, {first}, lies in 220–230: from there, 245–255 is a hard "
            "but realistic aim over 3–6 months of disciplined study."
        )


def test_the_baseline_band_is_judged_on_the_score_seen_not_the_calibrated_one():
    from tracker.exams import STEP2_CK, load_catalog, read_entry, shipped_catalog_path
    from tracker.log import Entry

    catalog = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK)
    # UWSA 1 at 228 is 220 once its -8 offset is applied: the student saw 228.
    reading = read_entry(Entry(D(2026, 9, 1), "UWSA 1", 228), STEP2_CK, catalog)
    assert reading.calibrated == 220
    baseline = check_baseline([reading], EXAM, TODAY, "step2-ck")
    assert baseline.first_score == 228 and baseline.in_plausible_band is True


def test_comlex_has_no_baseline_figures_so_no_lines(tmp_path):
    path = _log(tmp_path, "2026-11-01,COMSAE Phase 2,450,\n")
    assessment = assess(path, Settings(exam="comlex-2ce", exam_date=EXAM), TODAY)
    assert assessment.study.baseline is None
    assert _study_lines(assessment) == {}
    assert study_facts("comlex-2ce") == {}


def test_the_facts_carry_a_source_and_a_date():
    facts = study_facts("step2-ck")
    assert set(facts) == {
        "baseline_before_exam", "baseline_plausible_band", "baseline_plausible_target",
        "baseline_plausible_months", "qbank_passes", "qbank_passes_if_time",
        "weak_area_hours_per_week", "full_length_final_weeks",
    }  # fmt: skip
    assert all(f.source and f.holds_from == D(2026, 12, 4) for f in facts.values())
    assert (facts["qbank_passes_if_time"].low, facts["qbank_passes_if_time"].high) == (
        1.5,
        2.0,
    )


# --- the Q-bank in the verdict ------------------------------------------------------------

# The example student's Q-bank (data/example_qbank.csv), by hand:
#   09-05 120, 10-01 900, 10-25 1,600, 11-20 2,350 of 3,900; 55, 58, 60, 62 % correct.
#   Pace: (2,350 - 120) / 76 days (09-05 to 11-20) = 29.34 a day.
#   First pass: 1,550 left / 29.34 = 52.8 → 53 days after 11-20: 2027-01-12.
#   Passes by 2027-01-15 (56 days after 11-20): (2,350 + 29.34 x 56) / 3,900 = 1.024.
#   Trend: days 0, 26, 50, 76 (mean 38); % 55, 58, 60, 62 (mean 58.75);
#   sum dx.dy = 142.5 + 9 + 15 + 123.5 = 290; sum dx^2 = 3,176; 290 / 3,176 x 7 = 0.639.
QBANK_LINE = (
    "UWorld: 2,350 of 3,900 questions (60%), 62% correct (+0.6 points a week). At "
    "your pace of 29 questions a day the first pass ends about 2027-01-12; 1.0 passes "
    "by the exam (the advice: at least 1 full pass, 1.5–2 if time allows). "
    + NOT_IN_PROJECTION
)


def test_the_qbank_line_and_json_from_the_example(tmp_path):
    path = _log(tmp_path, "2026-09-01,NBME 9,224,\n", qbank=True)
    assessment = assess(path, Settings(exam_date=EXAM), TODAY)
    assert assessment.reasons[-1].text == QBANK_LINE
    assert assessment.reasons[-1].met is None  # reported, never a rule of the verdict
    assert assessment_json(assessment)["qbank"] == {
        "bank": "UWorld",
        "done": 2350,
        "total": 3900,
        "percent_correct": 62.0,
        "pace_per_day": 29.3,
        "first_pass_by": "2027-01-12",
        "passes_by_exam": 1.02,
        "percent_correct_per_week": 0.64,
        "as_of": "2026-11-20",
    }


def test_the_verdict_says_when_the_first_pass_ends_after_the_exam(tmp_path):
    path = _log(tmp_path, "2026-09-01,NBME 9,224,\n", qbank=True)
    # Exam on 2027-01-12, the day the first pass would end: not before the exam.
    # Needed: 1,550 over the 52 days from 11-21 to 01-11: 29.8 → 30 a day.
    assessment = assess(path, Settings(exam_date=D(2027, 1, 12)), TODAY)
    assert assessment.reasons[-1].text == (
        "UWorld: 2,350 of 3,900 questions (60%), 62% correct (+0.6 points a week). At "
        "your pace of 29 questions a day the first pass ends about 2027-01-12, not "
        "before the exam (2027-01-12); finishing it before the exam takes 30 a day. "
        + NOT_IN_PROJECTION
    )


def test_no_qbank_log_no_key_value_and_the_projection_is_untouched(tmp_path):
    bare = _log(tmp_path, "2026-09-01,NBME 9,224,\n2026-10-01,NBME 10,233,\n"
                "2026-11-01,NBME 11,238,\n")  # fmt: skip
    without = assess(bare, Settings(exam_date=EXAM), TODAY)
    assert assessment_json(without)["qbank"] is None
    shutil.copy(DATA / "example_qbank.csv", tmp_path / "qbank.csv")
    with_bank = assess(bare, Settings(exam_date=EXAM), TODAY)
    assert with_bank.plan == without.plan
    assert with_bank.reasons[: len(without.reasons)] == without.reasons


def test_a_broken_area_or_qbank_log_warns_and_the_verdict_goes_on(tmp_path):
    path = _log(tmp_path, "2026-09-01,NBME 9,224,\n")
    (tmp_path / "areas.csv").write_text("date,source,area,percent,band,notes\nx\n")
    (tmp_path / "qbank.csv").write_bytes(b"date,bank,done,total,correct\n\xff\n")
    assessment = assess(path, Settings(exam_date=EXAM), TODAY)
    assert assessment.warnings == (
        f"{tmp_path / 'areas.csv'} line 2: expected 6 fields, found 1; it is left out "
        "until it is fixed",
        f"{tmp_path / 'qbank.csv'} line 2: byte 0xff is not UTF-8 text; save the file "
        "as UTF-8; it is left out until it is fixed",
    )
    assert assessment.study.qbank is None and assessment.study.areas.areas == ()


def test_the_weekly_review_names_the_weakest_areas(tmp_path):
    path = _log(tmp_path, "2026-09-01,NBME 9,224,\n", areas=True, qbank=True)
    study = assess(path, Settings(exam_date=EXAM), TODAY).study
    # NBME 15 (11-21, the latest report) has Renal and Surgery lower; UWorld's 11-20
    # percents are against its overall that day (62%): Nephrology 55 is -7, lower,
    # but older than NBME 15's line for Renal. The others are same or higher.
    assert study.weakest == ("Renal, Urinary & Male Reproductive", "Surgery")
    assert weekly_review_line(study) == (
        "Each week, 1–2 hours on your weakest areas: Renal, Urinary & Male "
        "Reproductive; Surgery."
    )


def test_tags_on_practice_rows_are_counted_beside_the_areas(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text(
        "date,assessment,score,notes,issues\n"
        "2026-09-01,NBME 9,224,,timing\n2026-10-01,NBME 10,233,,timing;anxiety\n"
        "2026-11-01,NBME 11,238,,\n2026-11-20,Step 2 CK,240,,careless\n"
    )
    study = assess(path, Settings(exam_date=EXAM), TODAY).study
    # The real result (Step 2 CK) is no practice exam: its tag is not counted, and
    # with a result logged the verdict reviews it (no exam date to plan towards).
    assert [(i.issue, i.exams, i.recent) for i in study.issues] == [
        ("timing", 2, 2),
        ("anxiety", 1, 1),
    ]
    assert study.practice_exams == 3
