"""The target ladder, the bands and the matched applicants (tracker/profile.py).

Expected figures, by hand from data/facts/: the seed article's 245 (competitive for an
IMG in IR), 250 (offsets IMG status and visa), 250–255 (after a low numeric Step 1),
230 (common ERAS filter), 235 (low under it); the tracker's own line for a low Step 1,
230; NRMP 2026 US MD seniors matched in IR 246/255/264 and DR 249/257/265.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.exams import COMLEX_2CE, STEP2_CK
from tracker.profile import (
    Applicant,
    ApplicantProfile,
    Band,
    Rung,
    Specialty,
    band_edges,
    band_of,
    choose_target,
    standing,
)
from tracker.settings import Settings

DAY = dt.date(2026, 12, 1)
IR, DR, OTHER = Specialty.IR, Specialty.DR, Specialty.OTHER
NON_US_IMG, US_IMG, US_MD, US_DO = (
    Applicant.NON_US_IMG, Applicant.US_IMG, Applicant.US_MD, Applicant.US_DO,
)  # fmt: skip


def target_of(**profile):
    return choose_target(ApplicantProfile(**profile), STEP2_CK, None, DAY)


# --- each rung of the ladder --------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "score", "rung"),
    [
        # The seed's ladder for IMGs in IR: the highest rung that applies wins.
        ({"specialty": IR, "applicant": NON_US_IMG}, 245, Rung.IMG_COMPETITIVE),
        ({"specialty": IR, "applicant": NON_US_IMG, "step1": "pass"}, 245,
         Rung.IMG_COMPETITIVE),
        ({"specialty": IR, "applicant": NON_US_IMG, "visa": True}, 250, Rung.IMG_VISA),
        ({"specialty": IR, "applicant": US_IMG}, 245, Rung.IMG_COMPETITIVE),
        # Numeric Step 1 under 230 is low: 250, or 255 with a visa need on top.
        ({"specialty": IR, "applicant": NON_US_IMG, "step1": 229}, 250, Rung.LOW_STEP1),
        ({"specialty": IR, "applicant": NON_US_IMG, "step1": 229, "visa": True}, 255,
         Rung.LOW_STEP1),
        # 230 is not low: the visa rung applies.
        ({"specialty": IR, "applicant": NON_US_IMG, "step1": 230, "visa": True}, 250,
         Rung.IMG_VISA),
        ({"specialty": IR, "applicant": NON_US_IMG, "step1": 245}, 245,
         Rung.IMG_COMPETITIVE),
        # A fail: the top of the seed's 250–255, and a red flag.
        ({"specialty": IR, "applicant": NON_US_IMG, "step1": "fail"}, 255,
         Rung.STEP1_FAIL),
        ({"specialty": IR, "applicant": US_IMG, "step1": "fail", "visa": True}, 255,
         Rung.STEP1_FAIL),
        # Other IR applicants and DR: NRMP's first quartile of matched applicants.
        ({"specialty": IR, "applicant": US_MD}, 246, Rung.MATCHED_Q1),
        ({"specialty": IR, "applicant": US_DO, "step1": "fail"}, 246, Rung.MATCHED_Q1),
        ({"specialty": IR}, 246, Rung.MATCHED_Q1),
        ({"specialty": DR, "applicant": NON_US_IMG, "visa": True}, 249, Rung.MATCHED_Q1),
        ({"specialty": DR, "applicant": US_MD}, 249, Rung.MATCHED_Q1),
        # No sourced figure: the exam's own default.
        ({"specialty": OTHER, "specialty_name": "Internal medicine"}, 245,
         Rung.EXAM_DEFAULT),
        ({}, 245, Rung.EXAM_DEFAULT),
        ({"applicant": NON_US_IMG, "visa": True}, 245, Rung.EXAM_DEFAULT),
    ],
)  # fmt: skip
def test_each_rung_of_the_ladder(profile, score, rung):
    target = target_of(**profile)
    assert (target.score, target.rung) == (score, rung)
    assert target.source  # every rung names where it comes from


def test_the_low_step1_rung_says_its_line_and_range():
    target = target_of(specialty=IR, applicant=NON_US_IMG, step1=221)
    assert (target.low_step1_below, target.range_low) == (230, 250)
    assert "Residency Advisor" in target.source


def test_a_step1_fail_is_a_red_flag_even_under_a_chosen_target():
    failed = ApplicantProfile(IR, None, NON_US_IMG, False, "fail")
    assert choose_target(failed, STEP2_CK, None, DAY).red_flag
    chosen = choose_target(failed, STEP2_CK, 260, DAY)
    assert (chosen.score, chosen.rung, chosen.suggested.score) == (260, Rung.SETTING, 255)
    assert chosen.red_flag
    assert not target_of(specialty=IR, applicant=NON_US_IMG).red_flag


def test_a_chosen_target_wins_and_keeps_what_the_profile_suggests():
    profile = ApplicantProfile(IR, None, NON_US_IMG, True, "pass")
    target = choose_target(profile, STEP2_CK, 240, DAY)
    assert (target.score, target.rung) == (240, Rung.SETTING)
    assert (target.suggested.score, target.suggested.rung) == (250, Rung.IMG_VISA)


def test_comlex_keeps_its_own_default_whatever_the_profile():
    # The sourced figures are Step 2 CK points: none applies to COMLEX's scale.
    profile = ApplicantProfile(IR, None, NON_US_IMG, True, "fail")
    target = choose_target(profile, COMLEX_2CE, None, DAY)
    assert (target.score, target.rung) == (510, Rung.EXAM_DEFAULT)


def test_the_profile_comes_from_the_settings():
    settings = Settings(specialty="ir", applicant="non-us-img", visa=True, step1=231)
    profile = ApplicantProfile.from_settings(settings)
    assert profile == ApplicantProfile(IR, None, NON_US_IMG, True, 231)
    assert profile.is_img and profile.step1_score == 231 and not profile.step1_failed
    assert ApplicantProfile.from_settings(Settings()) == ApplicantProfile()


# --- bands --------------------------------------------------------------------------------

IMG_IR = ApplicantProfile(IR, None, NON_US_IMG, True, "pass")


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (-math.inf, Band.FAIL),
        (1, Band.FAIL),
        (217.9, Band.FAIL),  # under 218, the standard for a sitting in 2027
        (218, Band.FILTERED),
        (229.9, Band.FILTERED),  # under the common ERAS filter of 230
        (230, Band.LOW),
        (234, Band.LOW),  # under 235: low for IR
        (235, Band.BORDERLINE),
        (244.9, Band.BORDERLINE),
        (245, Band.COMPETITIVE),
        (249, Band.COMPETITIVE),
        (250, Band.OFFSETS),  # 250+: offsets IMG status and visa
        (300, Band.OFFSETS),
        (math.inf, Band.OFFSETS),
    ],
)
def test_the_seeds_bands_for_an_img_in_ir(score, band):
    target = choose_target(IMG_IR, STEP2_CK, None, DAY)
    edges = band_edges(IMG_IR, STEP2_CK, target, 218, DAY)
    assert band_of(score, edges) == band


def test_the_passing_line_of_the_sitting_sets_the_fail_band():
    target = choose_target(IMG_IR, STEP2_CK, None, DAY)
    place = {"profile": IMG_IR, "exam": STEP2_CK, "target": target, "today": DAY}
    assert standing(216, "result", sitting=dt.date(2025, 6, 30), **place).band == (
        Band.FILTERED  # 216 passed under the 214 of that day
    )
    assert standing(216, "result", sitting=dt.date(2025, 7, 1), **place).band == Band.FAIL


@pytest.mark.parametrize(
    ("profile", "score", "band"),
    [
        (ApplicantProfile(IR, None, US_MD), 240, Band.BELOW_MATCHED),
        (ApplicantProfile(IR, None, US_MD), 246, Band.LOWER_HALF),
        (ApplicantProfile(IR, None, US_MD), 255, Band.UPPER_HALF),
        (ApplicantProfile(IR, None, US_MD), 264, Band.TOP_QUARTER),
        (ApplicantProfile(DR, None, NON_US_IMG), 248, Band.BELOW_MATCHED),
        (ApplicantProfile(DR, None, NON_US_IMG), 256, Band.LOWER_HALF),
        (ApplicantProfile(DR, None, NON_US_IMG), 229, Band.FILTERED),
        (ApplicantProfile(), 229, Band.FILTERED),
        (ApplicantProfile(), 244, Band.BELOW_TARGET),
        (ApplicantProfile(), 245, Band.AT_TARGET),
    ],
)
def test_bands_for_other_profiles(profile, score, band):
    target = choose_target(profile, STEP2_CK, None, DAY)
    assert band_of(score, band_edges(profile, STEP2_CK, target, 218, DAY)) == band


def test_a_target_under_the_filter_leaves_no_empty_band():
    # A chosen target of 225 starts AT_TARGET below the 230 filter: BELOW_TARGET
    # (230 and up) is squeezed out, and the bands still rise.
    profile = ApplicantProfile()
    target = choose_target(profile, STEP2_CK, 225, DAY)
    edges = band_edges(profile, STEP2_CK, target, 218, DAY)
    assert [e.band for e in edges] == [Band.FAIL, Band.FILTERED, Band.AT_TARGET]
    assert [e.lowest for e in edges] == [-math.inf, 218, 225]


@given(
    st.sampled_from([IMG_IR, ApplicantProfile(IR, None, US_MD), ApplicantProfile()]),
    st.integers(1, 300),
    st.integers(200, 280),
)
def test_bands_always_rise_and_cover_every_score(profile, score, chosen):
    target = choose_target(profile, STEP2_CK, chosen, DAY)
    edges = band_edges(profile, STEP2_CK, target, 218, DAY)
    starts = [edge.lowest for edge in edges]
    assert starts == sorted(set(starts)) and starts[0] == -math.inf
    assert band_of(score, edges) in {edge.band for edge in edges}


# --- standing: percentile and matched place -----------------------------------------------


def test_a_standing_holds_the_percentile_and_the_matched_place():
    target = choose_target(IMG_IR, STEP2_CK, None, DAY)
    place = {"profile": IMG_IR, "exam": STEP2_CK, "target": target, "today": DAY}
    placed = standing(255, "projection", sitting=dt.date(2027, 1, 15), **place)
    assert placed.band == Band.OFFSETS
    assert placed.percentile.rank == 58  # the table's own point
    assert placed.matched.band == Band.UPPER_HALF  # 255 is IR's median
    assert (placed.matched.figures.q1, placed.matched.figures.q3) == (246, 264)


def test_no_percentile_for_comlex_and_no_matched_place_without_a_specialty():
    profile = ApplicantProfile()
    target = choose_target(profile, COMLEX_2CE, None, DAY)
    place = {"profile": profile, "exam": COMLEX_2CE, "target": target, "today": DAY}
    placed = standing(520, "result", sitting=DAY, **place)
    assert placed.percentile is None and placed.matched is None
    assert placed.band == Band.AT_TARGET
