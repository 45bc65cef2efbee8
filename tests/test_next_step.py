"""After the result (tracker/next_step.py), the ERAS window (tracker/eras_timing.py),
and their words (tracker/profile_words.py). Expected steps and dates by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.eras_timing import WindowPosition, eras_window, months_before
from tracker.exams import COMLEX_2CE, STEP2_CK
from tracker.next_step import NextStep, ParallelPath, decide
from tracker.plan import Eras, ErasStatus
from tracker.profile import Applicant, ApplicantProfile, Specialty, choose_target
from tracker.profile_words import (
    citation,
    next_step_sentence,
    ordinal,
    retake_sentence,
    target_sentence,
    window_sentence,
)

DAY = dt.date(2026, 12, 1)
IMG_IR = ApplicantProfile(Specialty.IR, None, Applicant.NON_US_IMG, True, "pass")
MD_IR = ApplicantProfile(Specialty.IR, None, Applicant.US_MD)
IMG_DR = ApplicantProfile(Specialty.DR, None, Applicant.NON_US_IMG, True)
ON_TIME = Eras(dt.date(2027, 6, 1), dt.date(2027, 2, 12), 109, ErasStatus.ON_TIME)
MISSES = Eras(dt.date(2027, 6, 1), dt.date(2027, 6, 12), -11, ErasStatus.MISSES)


def next_for(score, profile=IMG_IR, eras=ON_TIME, passing=218, exam=STEP2_CK):
    target = choose_target(profile, exam, None, DAY)
    return decide(
        score, passing=passing, target=target, profile=profile, exam=exam, eras=eras
    )


@pytest.mark.parametrize(
    ("score", "profile", "eras", "step"),
    [
        # IMG in IR with a visa: target 250, borderline from 235 (the seed).
        (217, IMG_IR, ON_TIME, NextStep.RETAKE),  # under 218
        (218, IMG_IR, ON_TIME, NextStep.CONSIDER_DELAY),  # passed, but low
        (234, IMG_IR, ON_TIME, NextStep.CONSIDER_DELAY),
        (235, IMG_IR, ON_TIME, NextStep.APPLY_BROADER),
        (249, IMG_IR, ON_TIME, NextStep.APPLY_BROADER),
        (250, IMG_IR, ON_TIME, NextStep.APPLY),
        (270, IMG_IR, None, NextStep.APPLY),
        # A borderline score still pending when ERAS opens: an IMG should weigh delay.
        (240, IMG_IR, MISSES, NextStep.CONSIDER_DELAY),
        (250, IMG_IR, MISSES, NextStep.APPLY),  # at the target: apply all the same
        # A US MD's pending borderline score is not flipped (the seed's worry is IMGs).
        (240, MD_IR, MISSES, NextStep.APPLY_BROADER),
        (246, MD_IR, ON_TIME, NextStep.APPLY),  # NRMP's first quartile
        # DR: the borderline line is the common filter, 230.
        (230, IMG_DR, ON_TIME, NextStep.APPLY_BROADER),
        (229, IMG_DR, ON_TIME, NextStep.CONSIDER_DELAY),
        (249, IMG_DR, ON_TIME, NextStep.APPLY),
    ],
)
def test_each_next_step(score, profile, eras, step):
    assert next_for(score, profile, eras).step == step


def test_the_passing_line_of_the_day_decides_a_retake():
    assert next_for(216, passing=214).step == NextStep.CONSIDER_DELAY  # 2025-06-30
    assert next_for(216, passing=218).step == NextStep.RETAKE  # 2025-07-01 on


def test_parallel_paths_follow_the_specialty_and_not_an_apply():
    assert next_for(240).parallel_paths == (
        ParallelPath.DR_ESIR, ParallelPath.RESEARCH_YEAR, ParallelPath.OTHER_SPECIALTIES,
    )  # fmt: skip
    assert next_for(235, IMG_DR).parallel_paths == (
        ParallelPath.RESEARCH_YEAR, ParallelPath.OTHER_SPECIALTIES,
    )  # fmt: skip
    assert next_for(250).parallel_paths == ()


def test_retake_rules_come_with_a_retake_only():
    assert next_for(217).retakes.max_attempts == 4
    assert next_for(240).retakes is None
    comlex = next_for(390, ApplicantProfile(), None, passing=400, exam=COMLEX_2CE)
    assert comlex.step == NextStep.RETAKE and comlex.retakes is None


# --- the words ----------------------------------------------------------------------------


def test_retake_words_state_the_rules_and_their_source():
    assert retake_sentence(next_for(217), STEP2_CK) == (
        "Retake rules for Step 2 CK: at most 4 attempts in all, and at most 3 within 12 "
        "months; a 4th or later attempt comes at least 12 months after the first and 6 "
        "months after the most recent. A passed exam cannot be retaken (source: USMLE "
        "attempt limit (usmle.org, attempt-limit questions); in force from 2021-07-01)."
    )
    comlex = next_for(390, ApplicantProfile(), None, passing=400, exam=COMLEX_2CE)
    assert retake_sentence(comlex, COMLEX_2CE).startswith(
        "The tracker does not know COMLEX Level 2-CE's retake rules"
    )


def test_next_step_words():
    assert next_step_sentence(next_for(250), IMG_IR) == (
        "Next step: apply this cycle. 250 reaches your target of 250. The score arrives "
        "109 days before ERAS opens (2027-06-01)."
    )
    assert next_step_sentence(next_for(240), IMG_IR) == (
        "Next step: apply this cycle with a broader list. 240 is under your target of "
        "250 but not low (at least 235). Widen the list (programs that interview IMGs "
        "and sponsor visas, where that applies) and keep a parallel path. Parallel "
        "paths: diagnostic radiology with Early Specialization in IR (ESIR), a research "
        "year or other specialties where your profile is competitive. The score arrives "
        "109 days before ERAS opens (2027-06-01)."
    )
    pending = next_step_sentence(next_for(240, eras=MISSES), IMG_IR)
    assert pending.startswith(
        "Next step: consider delaying the match year. 240 is borderline (under your "
        "target of 250), and programs would see it as pending when ERAS opens "
        "(2027-06-01)"
    )
    assert next_step_sentence(next_for(217), IMG_IR).startswith(
        "Next step: retake the exam. 217 is under the passing standard of 218"
    )
    assert next_step_sentence(next_for(250, eras=MISSES), IMG_IR).endswith(
        "The score arrives after ERAS opens (2027-06-01): programs reviewing before "
        'then see "score pending".'
    )


@pytest.mark.parametrize(
    ("profile", "chosen", "start"),
    [
        (IMG_IR, None, "Target 250: for an IMG in interventional radiology who needs a "
         "visa, 250 or more helps offset IMG status and visa needs (source: Residency "
         "Advisor, Step Score Strategy for Non-US Citizen IMGs in IR)."),
        (MD_IR, None, "Target 246: three in four US MD seniors who matched in "
         "interventional radiology scored 246 or more (median 255, third quartile 264; "
         "NRMP Charting Outcomes in the Match 2026)."),
        (IMG_DR, None, "Target 249: three in four US MD seniors who matched in diagnostic "
         "radiology scored 249 or more (median 257, third quartile 265; NRMP Charting "
         "Outcomes in the Match 2026). The tracker holds no figures for other applicants "
         "from the same report."),
        (IMG_IR, 260, "Target 260: your own setting (--target, or the sidebar), which "
         "wins; your profile would suggest 250. For an IMG"),
        (ApplicantProfile(Specialty.IR, None, Applicant.NON_US_IMG, False, "fail"), None,
         "Target 255: a Step 1 fail is the major red flag for IR; only an outstanding "
         "Step 2 CK answers it, so the tracker aims at the top of the advised 250–255"),
        (ApplicantProfile(Specialty.IR, None, Applicant.NON_US_IMG, False, 221), None,
         "Target 250: a numeric Step 1 of 221 is low by the tracker's own line (230, "
         "about the mean of first-time takers from US and Canadian schools in "
         "2016–2018"),
        (ApplicantProfile(Specialty.OTHER, "Internal medicine"), None,
         "Target 245: the tracker holds no sourced figure for Internal medicine, so the "
         "exam's default stands"),
    ],
)  # fmt: skip
def test_target_words_name_their_source(profile, chosen, start):
    target = choose_target(profile, STEP2_CK, chosen, DAY)
    words = target_sentence(target, profile, STEP2_CK)
    assert words.lower().startswith(start.lower())


def test_small_formatting_helpers():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 93, 100)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
        "93rd", "100th",
    ]  # fmt: skip
    assert citation("NRMP 2026: Q1 246") == "NRMP 2026" and citation("plain") == "plain"


# --- the window of 3–6 months before ERAS ----------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2027-06-01", 3, "2027-03-01"),
        ("2027-06-01", 6, "2026-12-01"),
        ("2027-05-31", 3, "2027-02-28"),  # no 31 February: its last day
        ("2028-05-31", 3, "2028-02-29"),  # a leap year
        ("2027-01-15", 6, "2026-07-15"),  # across a year
        ("2199-12-31", 6, "2199-06-30"),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(dt.date.fromisoformat(day), months).isoformat() == expected


@pytest.mark.parametrize(
    ("sitting", "position"),
    [
        ("2026-11-30", WindowPosition.EARLY),
        ("2026-12-01", WindowPosition.INSIDE),  # exactly 6 months before
        ("2027-03-01", WindowPosition.INSIDE),  # exactly 3 months before
        ("2027-03-02", WindowPosition.LATE),
        ("2027-05-31", WindowPosition.LATE),
        ("2027-06-01", WindowPosition.AFTER),
        ("2027-09-01", WindowPosition.AFTER),
    ],
)
def test_the_sitting_against_the_window(sitting, position):
    window = eras_window(dt.date.fromisoformat(sitting), dt.date(2027, 6, 1))
    assert window.position == position
    assert (window.opens, window.closes) == (dt.date(2026, 12, 1), dt.date(2027, 3, 1))


def test_no_window_without_both_dates_and_its_words():
    assert eras_window(None, dt.date(2027, 6, 1)) is None
    assert eras_window(dt.date(2027, 1, 15), None) is None
    window = eras_window(dt.date(2027, 1, 15), dt.date(2027, 6, 1))
    assert window_sentence(window) == (
        "Timing: sitting on 2027-01-15 is inside the advised 3–6 months before ERAS "
        "opens: time to receive the score and decide whether to apply this cycle "
        "(2026-12-01 to 2027-03-01, for ERAS on 2027-06-01)."
    )
