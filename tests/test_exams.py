"""Exams and their practice forms: profiles, catalogs, names, conversion and readings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tracker.errors import CatalogError, InvalidEntryError, SettingsError
from tracker.exams import (
    CATALOG_COLUMNS,
    CATALOG_MAX_BYTES,
    COMLEX_2CE,
    DEFAULT_EXAM,
    PERCENT,
    PROFILES,
    STEP2_CK,
    THREE_DIGIT,
    Catalog,
    Form,
    catalog_path_for,
    convert_percent,
    format_catalog,
    get_profile,
    is_catalog,
    load_catalog,
    max_offset,
    parse_catalog,
    read_entry,
    save_catalog,
    shipped_catalog_path,
    unknown_form_warning,
    with_offsets,
)
from tracker.log import Entry, make_entry
from tracker.plan import Policy, make_plan

from conftest import TODAY

OLD_HEADER = "name,family,scale,offset,uncertainty,source\n"
HEADER = ",".join(CATALOG_COLUMNS) + "\n"
DAY = dt.date(2026, 11, 1)


SHIPPED = {p.key: load_catalog(shipped_catalog_path(p), p) for p in PROFILES.values()}


@pytest.fixture
def step2_forms() -> Catalog:
    return SHIPPED[STEP2_CK.key]


@pytest.fixture
def comlex_forms() -> Catalog:
    return SHIPPED[COMLEX_2CE.key]


def read(catalog, name, score, *, profile=STEP2_CK, calibrate=True):
    return read_entry(Entry(DAY, name, score), profile, catalog, calibrate=calibrate)


def refusal(catalog, name, score, *, profile=STEP2_CK) -> str:
    with pytest.raises(InvalidEntryError) as caught:
        read(catalog, name, score, profile=profile)
    return str(caught.value)


# --- profiles -----------------------------------------------------------------------------


def test_step2_ck_facts():
    assert STEP2_CK.key == "step2-ck" and STEP2_CK.name == "Step 2 CK"
    assert (STEP2_CK.scale_low, STEP2_CK.scale_high, STEP2_CK.scale_words) == (
        1,
        300,
        "1–300",
    )
    # The standard in force now is 218 (from 2025-07-01; see tests/test_facts.py).
    assert (STEP2_CK.passing, STEP2_CK.threshold, STEP2_CK.target) == (218, 240, 245)
    assert STEP2_CK.release_lag_days == 28
    assert STEP2_CK.rescheduling.free_days_before == 31  # no fee 31 or more days out
    assert STEP2_CK.eligibility_months == 3


def test_comlex_facts():
    assert COMLEX_2CE.key == "comlex-2ce" and COMLEX_2CE.name == "COMLEX Level 2-CE"
    assert (COMLEX_2CE.scale_low, COMLEX_2CE.scale_high) == (1, 999)
    assert (COMLEX_2CE.passing, COMLEX_2CE.threshold, COMLEX_2CE.target) == (400, 480, 510)
    assert COMLEX_2CE.release_lag_days == 42
    # No public rule: the defaults say whose choice they are.
    assert "the tracker's own choice" in COMLEX_2CE.defaults_note
    assert COMLEX_2CE.rescheduling is None
    assert COMLEX_2CE.retakes is None  # not known to the tracker: no invented rule


def test_comlex_defaults_note_states_its_percentiles_by_an_independent_normal_curve():
    """The note's numbers against scipy's normal distribution (the oracle): COMLEX's
    480/510/425/330 under N(520, 100), and the current Step 2 CK table's 23rd, 32nd
    and 9th percentiles (240, 245, 230) carried to the same curve."""
    from scipy.stats import norm

    note = COMLEX_2CE.defaults_note
    for score, words in ((480, "34th"), (510, "46th"), (425, "17th"), (330, "3rd")):
        assert f"{round(100 * norm.cdf((score - 520) / 100))}" == words[:-2]
    assert "34th, 46th, 17th and 3rd percentiles" in note
    carried = [round(520 + 100 * norm.ppf(p / 100)) for p in (23, 32, 9)]
    assert carried == [446, 473, 386]
    assert "about 446, 473 and 386" in note


@pytest.mark.parametrize("profile", PROFILES.values(), ids=list(PROFILES))
def test_each_profile_orders_its_scores_inside_its_scale(profile):
    assert profile.scale_low < profile.reassess_below < profile.passing
    assert profile.passing < profile.program_filter < profile.threshold
    assert profile.threshold <= profile.target <= profile.scale_high
    assert profile.on_scale(-5) == profile.scale_low
    assert profile.on_scale(10_000) == profile.scale_high
    assert profile.on_scale(300.5) == min(300.5, profile.scale_high)
    assert shipped_catalog_path(profile).exists()


def test_profiles_by_key():
    assert list(PROFILES) == ["step2-ck", "comlex-2ce"] and DEFAULT_EXAM == "step2-ck"
    assert get_profile("comlex-2ce") is COMLEX_2CE
    with pytest.raises(SettingsError) as caught:
        get_profile("step1")
    assert str(caught.value) == "exam 'step1' is not one of step2-ck, comlex-2ce"


@pytest.mark.parametrize(
    ("profile", "name", "is_result"),
    [
        (STEP2_CK, "Step 2 CK", True),
        (STEP2_CK, "USMLE Step 2 CK", True),
        (STEP2_CK, "Step 2", True),
        (STEP2_CK, "step2-ck", True),  # case and punctuation ignored
        (STEP2_CK, "Step 2 CK practice", False),
        (STEP2_CK, "Step 1", False),
        (STEP2_CK, "NBME 12", False),
        (STEP2_CK, "COMLEX Level 2-CE", False),
        (COMLEX_2CE, "COMLEX Level 2-CE", True),
        (COMLEX_2CE, "COMLEX 2", True),
        (COMLEX_2CE, "Step 2 CK", False),
        (COMLEX_2CE, "COMSAE Phase 2", False),
    ],
)
def test_the_real_result_goes_by_the_exam_name(profile, name, is_result):
    assert profile.is_result(name) is is_result


# --- the shipped catalogs -----------------------------------------------------------------


def test_the_step2_catalog_covers_the_common_forms_with_sources(step2_forms):
    names = {form.name for form in step2_forms.forms}
    assert names == {f"NBME {n}" for n in range(9, 17)} | {
        "UWSA 1",
        "UWSA 2",
        "UWSA 3",
        "Free 120",
    }
    for form in step2_forms.forms:
        assert form.source and form.uncertainty > 0
        assert form.scale == (PERCENT if form.name == "Free 120" else THREE_DIGIT)
    # Conservative direction: the forms said to run high are corrected down, and no
    # NBME form is corrected down.
    assert step2_forms.find("UWSA 1").offset < 0 and step2_forms.find("UWSA 2").offset < 0
    assert all(step2_forms.find(f"NBME {n}").offset >= 0 for n in range(9, 17))


def test_the_free_120_table_is_the_public_one(step2_forms):
    free = step2_forms.find("Free 120")
    assert free.conversion == ((60, 225), (65, 235), (70, 245), (75, 252), (80, 260))
    assert (free.offset, free.uncertainty) == (0, 8)


def test_the_comlex_catalog_is_comsae_on_the_same_scale(comlex_forms):
    names = [form.name for form in comlex_forms.forms]
    assert names == ["COMSAE Phase 2 Form 113", "COMSAE Phase 2 Form 114", "COMSAE Phase 2"]
    assert all((f.scale, f.offset) == (THREE_DIGIT, 0) for f in comlex_forms.forms)
    family = comlex_forms.forms[-1]
    assert comlex_forms.find("COMSAE Phase II") is family
    # NBOME's own codes find the named forms; the "b" of the 2024 refresh too.
    assert comlex_forms.find("BSA113i").name == "COMSAE Phase 2 Form 113"
    assert comlex_forms.find("bsa 114b").name == "COMSAE Phase 2 Form 114"
    # Only the named forms are planned; the family's entry is not.
    assert [f.name for f in comlex_forms.plannable] == names[:2]


@pytest.mark.parametrize(
    "typed", ["COMSAE Phase 2 Form A", "comsae c", "COMSAE Form G", "COMSAE-2F"]
)
def test_any_other_comsae_name_is_a_form_of_its_own_calibrated_like_the_family(
    comlex_forms, typed
):
    found = comlex_forms.find(typed)
    family = comlex_forms.forms[-1]
    assert found is not None and found.name == typed
    assert (found.offset, found.uncertainty, found.family) == (
        family.offset,
        family.uncertainty,
        family.family,
    )
    assert not found.is_family and family.is_family


# --- names students type ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("UWorld SA 2", "UWSA 2"),
        ("uwsa2", "UWSA 2"),
        ("UWSA-2", "UWSA 2"),
        ("UWSA 2", "UWSA 2"),
        ("UWorld Self-Assessment 2", "UWSA 2"),
        (" UWSA  1 ", "UWSA 1"),
        ("UWSA_1", "UWSA 1"),
        ("NBME form 12", "NBME 12"),
        ("CCSSA 12", "NBME 12"),
        ("nbme-12", "NBME 12"),
        ("free120", "Free 120"),
        ("USMLE Sample Test", "Free 120"),
    ],
)
def test_names_students_type_find_the_form(step2_forms, typed, form):
    assert step2_forms.find(typed).name == form


def test_an_unknown_name_finds_nothing_and_the_warning_says_so(step2_forms):
    assert step2_forms.find("Kaplan Diagnostic") is None
    assert step2_forms.find("Step 2 CK") is None  # the real exam is not a form
    assert step2_forms.nearest_names("Kaplan Diagnostic") == []
    assert unknown_form_warning("Kaplan Diagnostic", step2_forms, STEP2_CK) == (
        "'Kaplan Diagnostic' is not in the catalog of practice forms, so it is logged "
        "as a three-digit score and not calibrated"
    )


def test_a_name_only_loosely_like_the_exams_is_not_taken_for_the_result():
    # "step2kaplan" (11 letters) shares "step2" with "step2" (5): 2·5/16 = 0.625, and
    # "step2" and "k" with "step2ck" (7): 2·6/18 ≈ 0.667; the longer names of the exam
    # share less. Under 0.75, so no hint to log it as the real result.
    assert unknown_form_warning("Step 2 Kaplan", Catalog(forms=()), STEP2_CK) == (
        "'Step 2 Kaplan' is not in the catalog of practice forms, so it is logged as a "
        "three-digit score and not calibrated"
    )


def test_a_near_miss_suggests_the_forms_it_resembles(step2_forms):
    # "uwsa4" against "uwsa1", "uwsa2", "uwsa3": 4 of 5 characters match each, a ratio
    # of 0.8 for all three; ties go to the later name.
    assert step2_forms.nearest_names("UWSA 4") == ["UWSA 3", "UWSA 2", "UWSA 1"]
    assert unknown_form_warning("UWSA 4", step2_forms, STEP2_CK) == (
        "'UWSA 4' is not in the catalog of practice forms, so it is logged as a "
        "three-digit score and not calibrated; did you mean UWSA 3 or UWSA 2 or UWSA 1?"
    )


# --- percent forms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "points", "extrapolated"),
    [
        (60, 225.0, False),  # the table's first point
        (65, 235.0, False),
        (70, 245.0, False),
        (72, 247.8, False),  # 245 + (252 − 245)·2/5 = 245 + 2.8
        (80, 260.0, False),  # the table's last point
        (85, 268.0, True),  # past 80: the last segment's 8/5 a point, 260 + 5·1.6
        (50, 205.0, True),  # before 60: the first segment's 2 a point, 225 − 10·2
        (0, 105.0, True),  # 225 − 60·2
        (100, 292.0, True),  # 260 + 20·1.6
    ],
)
def test_free_120_percent_on_the_three_digit_scale(
    step2_forms, percent, points, extrapolated
):
    conversion = convert_percent(step2_forms.find("Free 120"), percent)
    assert conversion.points == pytest.approx(points, abs=1e-12)
    assert conversion.extrapolated is extrapolated
    reading = read(step2_forms, "Free 120", percent)
    # The reading keeps whole points, rounded half up: 247.8 is 248.
    assert reading.points == math.floor(points + 0.5)
    assert reading.calibrated == reading.points  # the Free 120's offset is 0
    assert (reading.scale, reading.seen, reading.uncertainty) == (PERCENT, f"{percent}%", 8)
    assert reading.extrapolated is extrapolated and reading.family == "Free 120"


def test_a_form_without_a_table_cannot_convert():
    form = Form("Odd", "Other", PERCENT, 0.0, 5.0, "x")
    with pytest.raises(CatalogError) as caught:
        convert_percent(form, 70)
    assert str(caught.value) == "Odd has no conversion table for percentages"


# --- readings -----------------------------------------------------------------------------


def test_a_three_digit_form_reads_as_seen_then_calibrated(step2_forms):
    # UWSA 2's offset is −5: 244 seen, 239 for the trend.
    reading = read(step2_forms, "uwsa2", 244)
    assert (reading.points, reading.calibrated, reading.uncertainty) == (244, 239, 3)
    assert (reading.seen, reading.family, reading.is_result) == ("244", "UWSA", False)
    assert read(step2_forms, "uwsa2", 244, calibrate=False).calibrated == 244


def test_an_unknown_form_reads_as_seen_without_calibration(step2_forms):
    reading = read(step2_forms, "Kaplan Diagnostic", 230)
    assert reading.form is None and reading.family == "Other"
    assert (reading.points, reading.calibrated, reading.uncertainty) == (230, 230, 0)


@pytest.mark.parametrize(
    ("name", "score", "family"),
    [
        ("NBME 13", 231, "NBME"),
        ("nbme form 9", 231, "NBME"),
        ("UWSA 1", 231, "UWSA"),
        ("Free 120", 70, "Free 120"),
        ("Step 2 CK", 250, "Exam"),
        ("NBME 99", 231, "Other"),  # looks like an NBME form, but no such form
    ],
)
def test_the_family_comes_from_the_catalog(step2_forms, name, score, family):
    assert read(step2_forms, name, score).family == family


@pytest.mark.parametrize("name", ["Step 2 CK", "USMLE Step 2 CK", "Step 2"])
def test_the_real_result_row_is_the_result(step2_forms, name):
    reading = read(step2_forms, name, 251)
    assert reading.is_result and reading.form is None and reading.family == "Exam"
    assert (reading.points, reading.calibrated, reading.uncertainty) == (251, 251, 0)


def test_comsae_reads_on_the_comlex_scale(comlex_forms):
    reading = read(comlex_forms, "COMSAE Phase 2", 520, profile=COMLEX_2CE)
    assert (reading.points, reading.calibrated, reading.uncertainty) == (520, 520, 25)
    assert reading.form.name == "COMSAE Phase 2" and not reading.is_result
    result = read(comlex_forms, "COMLEX Level 2-CE", 610, profile=COMLEX_2CE)
    assert result.is_result and result.points == 610


PERCENT_HINT = (
    "if it is a percentage, log it under a percent-correct form such as the Free 120, "
    "or check the number"
)


@pytest.mark.parametrize(
    ("name", "score", "message"),
    [
        (
            "NBME 12",
            65,
            "65 is not a three-digit NBME 12 score (no form reports under 150); "
            + PERCENT_HINT,
        ),
        (
            "NBME 12",
            149,
            "149 is not a three-digit NBME 12 score (no form reports under 150); "
            + PERCENT_HINT,
        ),
        (
            "Kaplan Diagnostic",
            72,
            "72 is not a three-digit Kaplan Diagnostic score (no form reports under 150); "
            + PERCENT_HINT,
        ),
        ("NBME 12", 999, "score 999 is outside 1–300, the scale of NBME 12"),
        ("NBME 12", 301, "score 301 is outside 1–300, the scale of NBME 12"),
        ("NBME 12", 0, "score 0 is outside 1–300, the scale of NBME 12"),
        (
            "Kaplan Diagnostic",
            999,
            "score 999 is outside 1–300, the scale of Step 2 CK practice forms",
        ),
        (
            "Free 120",
            101,
            "Free 120 is scored in percent correct; 101 is not 0–100 (log the "
            "percentage you saw, such as 70)",
        ),
        (
            "Free 120",
            245,
            "Free 120 is scored in percent correct; 245 is not 0–100 (log the "
            "percentage you saw, such as 70)",
        ),
        ("Step 2 CK", 301, "score 301 is outside 1–300, the scale of a Step 2 CK result"),
        ("Step 2 CK", 0, "score 0 is outside 1–300, the scale of a Step 2 CK result"),
    ],
)
def test_scores_no_form_reports_are_refused(step2_forms, name, score, message):
    assert refusal(step2_forms, name, score) == message


def test_the_edges_of_the_plausible_range_are_read(step2_forms):
    assert read(step2_forms, "NBME 12", 150).points == 150
    assert read(step2_forms, "NBME 12", 300).points == 300
    assert read(step2_forms, "Free 120", 0).points == 105  # 0% extrapolated, see above


def test_comsae_off_the_comlex_scale_is_refused(comlex_forms):
    assert refusal(comlex_forms, "COMSAE Phase 2", 1000, profile=COMLEX_2CE) == (
        "score 1000 is outside 1–999, the scale of COMSAE Phase 2"
    )
    assert read(comlex_forms, "COMSAE Phase 2", 999, profile=COMLEX_2CE).points == 999


@pytest.mark.parametrize(
    ("name", "score"),
    [
        ("COMSAE Phase 2", 100),
        ("Free 120", 70),  # a Step 2 CK form's percentage, read under COMLEX
    ],
)
def test_the_low_score_hint_names_only_the_exams_own_forms(comlex_forms, name, score):
    # COMLEX's catalog has no percent-correct form to point to.
    assert refusal(comlex_forms, name, score, profile=COMLEX_2CE) == (
        f"{score} is not a three-digit {name} score (no form reports under 150); "
        "check the number"
    )


# --- clipping -----------------------------------------------------------------------------


def _extreme_catalog(profile) -> Catalog:
    """Forms at the catalog's limits: the largest offsets and a very steep table."""
    limit = max_offset(profile)
    steep = ((50.0, 150.0), (55.0, 200.0))  # 10 points a percent, on either scale
    return Catalog(
        forms=(
            Form("Hot SA", "Other", THREE_DIGIT, limit, limit, "x"),
            Form("Cold SA", "Other", THREE_DIGIT, -limit, limit, "x"),
            Form("Steep", "Other", PERCENT, limit, limit, "x", conversion=steep),
            Form("Steep Down", "Other", PERCENT, -limit, limit, "x", conversion=steep),
        )
    )


def test_a_calibrated_score_never_leaves_the_scale():
    catalog = _extreme_catalog(STEP2_CK)  # offsets ±32
    assert read(catalog, "Hot SA", 295).calibrated == 300  # 327 clipped
    assert read(catalog, "Hot SA", 260).calibrated == 292  # inside: not touched
    # 0% is 150 − 50·10 = −350 points, clipped to 1 before and after the offset.
    reading = read(catalog, "Steep Down", 0)
    assert (reading.points, reading.calibrated, reading.extrapolated) == (1, 1, True)
    # 100% is 200 + 45·10 = 650 points, clipped to 300.
    reading = read(catalog, "Steep", 100)
    assert (reading.points, reading.calibrated, reading.extrapolated) == (300, 300, True)


def test_the_catalog_checks_the_extreme_forms():
    # The extreme forms above are ones a catalog file can hold.
    for profile in PROFILES.values():
        catalog = _extreme_catalog(profile)
        text = format_catalog(catalog.forms).decode()
        assert parse_catalog(text, source="c.csv", profile=profile) == catalog


names_for_readings = st.one_of(
    st.sampled_from(
        [n for c in SHIPPED.values() for form in c.forms for n in form.names]
        + [n for form in _extreme_catalog(STEP2_CK).forms for n in form.names]
        + list(STEP2_CK.result_names)
        + list(COMLEX_2CE.result_names)
    ),
    st.text(st.characters(min_codepoint=32, blacklist_categories=("Cs",)), max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(
    name=names_for_readings,
    # Any score a log holds, more often the ones a form takes (percent, three-digit).
    score=st.integers(0, 999) | st.integers(0, 100) | st.integers(140, 310),
    shipped=st.booleans(),
    profile=st.sampled_from([STEP2_CK, COMLEX_2CE]),
    calibrate=st.booleans(),
)
def test_every_reading_lies_on_the_exams_scale(name, score, shipped, profile, calibrate):
    try:
        entry = make_entry(DAY, name, score, today=TODAY)
    except InvalidEntryError:
        assume(False)
    catalog = SHIPPED[profile.key] if shipped else _extreme_catalog(profile)
    try:
        reading = read_entry(entry, profile, catalog, calibrate=calibrate)
    except InvalidEntryError:
        return
    for value in (reading.points, reading.calibrated):
        assert math.isfinite(value)
        assert profile.scale_low <= value <= profile.scale_high
    if not calibrate:
        assert reading.calibrated == reading.points


# --- catalog files ------------------------------------------------------------------------


def test_a_full_catalog_is_read():
    text = HEADER + (
        'NBME 9,NBME,three-digit,0,3,Form 9;CCSSA 9,,4-6,"a, quoted ""source"""\n'
        "Free 120,Free 120,Percent,1.5,8,F120,60:225;62.5:230,1-2,table\n"
    )
    catalog = parse_catalog(text, source="c.csv", profile=STEP2_CK)
    assert catalog.forms == (
        Form(
            "NBME 9", "NBME", THREE_DIGIT, 0.0, 3.0, 'a, quoted "source"',
            aliases=("Form 9", "CCSSA 9"), weeks_before=(4, 6),
        ),
        Form(
            "Free 120", "Free 120", PERCENT, 1.5, 8.0, "table", aliases=("F120",),
            conversion=((60.0, 225.0), (62.5, 230.0)), weeks_before=(1, 2),
        ),
    )  # fmt: skip


def test_a_table_may_stay_level_and_a_window_may_be_one_week():
    # 60% and 65% both 225 (a level step still rises with the percentage); 3-3 weeks.
    text = HEADER + "Mock,Mock,percent,0,8,,60:225;65:225;70:245,3-3,table\n"
    [form] = parse_catalog(text, source="c.csv", profile=STEP2_CK).forms
    assert (form.conversion, form.weeks_before) == (
        ((60.0, 225.0), (65.0, 225.0), (70.0, 245.0)),
        (3, 3),
    )


def test_a_catalog_of_exactly_the_largest_size_is_read(tmp_path):
    # Nine thousand forms of about 100 bytes each, the last source padded to the limit.
    path = tmp_path / "assessments.csv"
    rows = HEADER + "".join(
        f"Mock {i},Mock,three-digit,0,3,,,,{'x' * 70}\n" for i in range(9_000)
    )
    rows += "Last,Mock,three-digit,0,3,,,,"
    path.write_bytes((rows + "x" * (CATALOG_MAX_BYTES - len(rows) - 1) + "\n").encode())
    assert path.stat().st_size == CATALOG_MAX_BYTES
    assert load_catalog(path, STEP2_CK).forms[-1].name == "Last"
    path.write_bytes(path.read_bytes() + b"\n")  # one byte more
    with pytest.raises(CatalogError, match="a catalog may be at most 1,000,000 bytes"):
        load_catalog(path, STEP2_CK)


def test_a_catalog_that_cannot_be_read_says_why(tmp_path):
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path, STEP2_CK)  # a folder
    assert str(caught.value) == f"{tmp_path}: is a directory, not a CSV file"


def test_a_name_of_80_characters_is_a_name_and_81_are_too_many():
    name, alias = "N" * 80, "A" * 81
    [form] = parse_catalog(
        HEADER + f"{name},Mock,three-digit,0,3,,,,x\n", source="c.csv", profile=STEP2_CK
    ).forms
    assert form.name == name
    with pytest.raises(CatalogError) as caught:
        parse_catalog(
            HEADER + f"Mock,Mock,three-digit,0,3,{alias},,,x\n",
            source="c.csv",
            profile=STEP2_CK,
        )
    assert str(caught.value) == "c.csv line 2: the alias is longer than 80 characters"


def test_a_byte_that_is_not_utf8_is_found_by_its_line(tmp_path):
    # A blank first line, the header on line 2, the bad byte on line 4, one line after.
    path = tmp_path / "assessments.csv"
    path.write_bytes(
        b"\n" + HEADER.encode() + b"NBME 9,NBME,three-digit,0,3,,,,x\n"
        b"NBME 10,NBME,three-digit,0,3,,,,caf\xe9\nNBME 11,NBME,three-digit,0,3,,,,x\n"
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, STEP2_CK)
    assert str(caught.value) == (
        f"{path} line 4: byte 0xe9 is not UTF-8 text; save the file as UTF-8"
    )


def test_a_name_used_again_after_a_harmless_respelling_is_refused():
    # NBME 9's alias "nbme-9" is its own name spelled again (harmless); its alias
    # "Shared" is then taken, so a form named Shared is refused.
    text = HEADER + (
        "NBME 9,NBME,three-digit,0,3,nbme-9;Shared,,,x\nShared,Mock,three-digit,0,3,,,,y\n"
    )
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, source="c.csv", profile=STEP2_CK)
    assert str(caught.value) == "c.csv line 3: the name 'Shared' is already NBME 9's"


def test_a_catalog_with_old_mac_line_ends_is_read():
    text = (HEADER + "NBME 9,NBME,three-digit,0,3,,,,x\n").replace("\n", "\r")
    [form] = parse_catalog(text, source="c.csv", profile=STEP2_CK).forms
    assert (form.name, form.source) == ("NBME 9", "x")


def test_a_source_keeps_its_line_breaks_as_written():
    text = HEADER + 'NBME 9,NBME,three-digit,0,3,,,,"line one\r\nline two"\n'
    [form] = parse_catalog(text, source="c.csv", profile=STEP2_CK).forms
    assert form.source == "line one\r\nline two"


def test_a_result_is_read_as_it_is():
    entry = Entry(DAY, "Step 2 CK", 251)
    reading = read_entry(entry, STEP2_CK, SHIPPED["step2-ck"])
    assert (reading.is_result, reading.points, reading.calibrated) == (True, 251, 251)
    assert (reading.extrapolated, reading.uncertainty, reading.exam) == (
        False,
        0.0,
        "step2-ck",
    )


@pytest.mark.parametrize(
    ("calibrate", "calibrated", "uncertainty"), [(True, 243.0, 8.0), (False, 245.0, 0.0)]
)
def test_a_percent_forms_offset_counts_when_calibrating(calibrate, calibrated, uncertainty):
    # A percent form of the student's own with an offset of −2 ± 8: 70% is 245 by the
    # table, 243 calibrated; with calibration off neither the offset nor its
    # uncertainty is used.
    form = Form("Mock %", "Mock", PERCENT, -2.0, 8.0, "own", conversion=((60.0, 225.0),
                (70.0, 245.0)))  # fmt: skip
    reading = read_entry(Entry(DAY, "Mock %", 70), STEP2_CK, Catalog(forms=(form,)),
                         calibrate=calibrate)  # fmt: skip
    assert (reading.points, reading.calibrated) == (245.0, calibrated)
    assert reading.uncertainty == uncertainty
    assert (reading.is_result, reading.extrapolated) == (False, False)


def test_a_three_digit_form_is_read_as_it_is():
    reading = read_entry(Entry(DAY, "UWSA 2", 244), STEP2_CK, SHIPPED["step2-ck"])
    assert (reading.points, reading.calibrated, reading.uncertainty) == (244, 239, 3)
    assert (reading.is_result, reading.extrapolated, reading.scale) == (
        False,
        False,
        THREE_DIGIT,
    )


def test_the_old_six_column_header_is_still_read():
    text = OLD_HEADER + "NBME 9,NBME,three-digit,0,3,x\nUWSA 1,,three-digit,-8,3,y\n"
    catalog = parse_catalog(text, source="c.csv", profile=STEP2_CK)
    assert catalog.forms == (
        Form("NBME 9", "NBME", THREE_DIGIT, 0.0, 3.0, "x"),
        Form("UWSA 1", "Other", THREE_DIGIT, -8.0, 3.0, "y"),  # no family: "Other"
    )
    assert catalog.find("uwsa-1").name == "UWSA 1"


def test_an_empty_catalog_has_no_forms():
    assert parse_catalog("", source="c.csv", profile=STEP2_CK).forms == ()
    assert parse_catalog(OLD_HEADER, source="c.csv", profile=STEP2_CK).forms == ()


COLUMNS_MESSAGE = (
    "the header must name the columns name,family,scale,offset,uncertainty,aliases,"
    "conversion,weeks_before,source (aliases, conversion and weeks_before optional)"
)


def _row(conversion="", *, scale="percent", aliases="", weeks=""):
    return HEADER + f"F,Other,{scale},0,8,{aliases},{conversion},{weeks},x\n"


# (case, the catalog's text, the message after "c.csv ")
BAD_CATALOGS = [
    ("header too short", "name,offset\n", "line 1: " + COLUMNS_MESSAGE),
    ("unknown column", OLD_HEADER.strip() + ",mood\n", "line 1: " + COLUMNS_MESSAGE),
    ("column twice", OLD_HEADER.strip() + ",source\n", "line 1: " + COLUMNS_MESSAGE),
    (
        "offset not a number",
        OLD_HEADER + "NBME 9,NBME,three-digit,lots,3,x\n",
        "line 2: offset 'lots' is not a number",
    ),
    (
        "offset past two SDs",  # Step 2 CK's SD is 16 points: the limit is ±32
        OLD_HEADER + "NBME 9,NBME,three-digit,45,3,x\n",
        "line 2: offset 45 is outside -32 to 32 points",
    ),
    (
        "offset NaN",
        OLD_HEADER + "NBME 9,NBME,three-digit,nan,3,x\n",
        "line 2: offset nan is outside -32 to 32 points",
    ),
    (
        "negative uncertainty",
        OLD_HEADER + "NBME 9,NBME,three-digit,0,-1,x\n",
        "line 2: uncertainty -1 is outside 0 to 32 points",
    ),
    (
        "a field missing",
        OLD_HEADER + "NBME 9,NBME,three-digit,0,3\n",
        "line 2: expected 6 fields, found 5",
    ),
    ("empty name", OLD_HEADER + ",NBME,three-digit,0,3,x\n", "line 2: name is empty"),
    (
        "name of punctuation",
        OLD_HEADER + "--,NBME,three-digit,0,3,x\n",
        "line 2: the name '--' has no letters or digits",
    ),
    (
        "unknown scale",
        OLD_HEADER + "NBME 9,NBME,points,0,3,x\n",
        "line 2: scale 'points' is not one of three-digit, percent",
    ),
    (
        "one name for two forms",
        OLD_HEADER + "NBME 9,NBME,three-digit,0,3,x\nnbme9,NBME,three-digit,1,3,x\n",
        "line 3: the name 'nbme9' is already NBME 9's",
    ),
    (
        "an alias taken by another form",
        HEADER
        + "NBME 9,NBME,three-digit,0,3,Form 9,,,x\n"
        + "NBME 10,NBME,three-digit,0,3,form-9,,,x\n",
        "line 3: the name 'form-9' is already NBME 9's",
    ),
    (
        "a form named after the exam",
        OLD_HEADER + "Step 2,Exam,three-digit,0,3,x\n",
        "line 2: the name 'Step 2' is already the Step 2 CK result's",
    ),
    (
        "an alias named after the exam",
        HEADER + "NBME 9,NBME,three-digit,0,3,USMLE Step 2 CK,,,x\n",
        "line 2: the name 'USMLE Step 2 CK' is already the Step 2 CK result's",
    ),
    (
        "percent form without a table",
        OLD_HEADER + "Free 120,Free 120,percent,0,8,x\n",
        "line 2: a percent form needs a conversion table",
    ),
    (
        "a table of one point",
        _row("60:225"),
        "line 2: a percent form needs a conversion table",
    ),
    (
        "a falling table",
        _row("60:225;65:220"),
        "line 2: the conversion table must rise with the percentage",
    ),
    (
        "a percentage twice",
        _row("60:225;60:230"),
        "line 2: the conversion table must rise with the percentage",
    ),
    (
        "percentages out of order",
        _row("65:235;60:225"),
        "line 2: the conversion table must rise with the percentage",
    ),
    (
        "a pair without a colon",
        _row("60-225;65:235"),
        "line 2: conversion percent '60-225' is not a number",
    ),
    (
        "a score off the scale",
        _row("60:225;65:400"),
        "line 2: conversion score 400 is outside 1 to 300 points",
    ),
    (
        "a table on a three-digit form",
        _row("60:225;65:235", scale="three-digit"),
        "line 2: only percent forms have a conversion table",
    ),
    (
        "weeks backwards",
        _row("60:225;65:235", weeks="6-4"),
        "line 2: weeks_before '6-4' is not a range like 1-3",
    ),
    (
        "weeks in words",
        _row("60:225;65:235", weeks="soon"),
        "line 2: weeks_before 'soon' is not a range like 1-3",
    ),
    (
        "unclosed quote",
        OLD_HEADER + 'NBME 9,NBME,three-digit,0,3,"never closed\n',
        "line 2: malformed CSV: unexpected end of data",
    ),
    (
        "blank lines counted",
        "\n" + OLD_HEADER + "\nNBME 9,NBME,three-digit,lots,3,x\n",
        "line 4: offset 'lots' is not a number",
    ),
    (
        "a row after a two-line source",
        OLD_HEADER
        + 'NBME 9,NBME,three-digit,0,3,"two\nlines"\n'
        + "NBME 10,NBME,three-digit,lots,3,x\n",
        "line 4: offset 'lots' is not a number",
    ),
]


@pytest.mark.parametrize(
    ("text", "message"), [pytest.param(*case[1:], id=case[0]) for case in BAD_CATALOGS]
)
def test_a_bad_catalog_names_its_line(text, message):
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, source="c.csv", profile=STEP2_CK)
    assert str(caught.value) == f"c.csv {message}"


def test_comlex_limits_follow_its_own_scale():
    # COMLEX's SD is 100 points: offsets up to ±200, table scores up to 999.
    text = HEADER + "P,Other,percent,150,40,,60:450;70:900,,x\n"
    [form] = parse_catalog(text, source="c.csv", profile=COMLEX_2CE).forms
    assert (form.offset, form.conversion) == (150.0, ((60.0, 450.0), (70.0, 900.0)))
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, source="c.csv", profile=STEP2_CK)
    assert str(caught.value) == "c.csv line 2: offset 150 is outside -32 to 32 points"


def test_a_row_that_spans_lines_is_named_by_its_first_line():
    text = OLD_HEADER + 'NBME 9,NBME,three-digit,lots,3,"two\nlines"\n'
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, source="c.csv", profile=STEP2_CK)
    assert str(caught.value) == "c.csv line 2: offset 'lots' is not a number"


def test_a_percentage_off_the_table_is_not_called_points():
    with pytest.raises(CatalogError) as caught:
        parse_catalog(_row("60:225;120:300"), source="c.csv", profile=STEP2_CK)
    assert str(caught.value) == "c.csv line 2: conversion percent 120 is outside 0 to 100"


def test_an_alias_without_letters_or_digits_matches_nothing():
    text = HEADER + "NBME 9,NBME,three-digit,0,3,?,,,x\n"
    try:
        catalog = parse_catalog(text, source="c.csv", profile=STEP2_CK)
    except CatalogError as error:  # refusing it, like an empty name, would do too
        assert str(error).startswith("c.csv line 2: ")
    else:
        assert catalog.find("--") is None  # a row a student named "--" is not NBME 9


@pytest.mark.parametrize("name", ["NBME\x1b[31m 9", "NBME\x07 9", "\u202e9 EMBN"])
def test_a_form_name_with_control_characters_is_refused(name):
    with pytest.raises(CatalogError) as caught:
        parse_catalog(OLD_HEADER + f"{name},NBME,three-digit,0,3,x\n", source="c.csv",
                      profile=STEP2_CK)  # fmt: skip
    assert str(caught.value).startswith("c.csv line 2: ")


def _forms(*names_and_aliases: tuple[str, ...]) -> Catalog:
    return Catalog(
        forms=tuple(
            Form(name, "Mock", THREE_DIGIT, 0.0, 3.0, "x", aliases=aliases)
            for name, *aliases in names_and_aliases
        )
    )


def test_suggestions_look_past_the_spellings_of_one_form():
    # "alph" against "alpha" (ratio 2·4/9 = 0.89), "alpha1" … "alpha3" (2·4/10 = 0.8)
    # and "alphabet" (2·4/12 = 0.67): the first four keys are all Alpha's spellings,
    # so a second form is found only by looking at more keys than names wanted.
    catalog = _forms(("Alpha", "Alpha 1", "Alpha 2", "Alpha 3"), ("Alphabet",))
    assert catalog.nearest_names("Alph") == ["Alpha", "Alphabet"]


def test_a_suggestion_needs_half_the_letters_in_common():
    # "bexy" against "beta": b and e match, 2·2/8 = 0.5, just enough; "bxyz" shares
    # only b, 2·1/8 = 0.25.
    catalog = _forms(("Beta",))
    assert catalog.nearest_names("Bexy") == ["Beta"]
    assert catalog.nearest_names("Bxyz") == []


# --- writing a catalog --------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES.values(), ids=list(PROFILES))
def test_the_shipped_catalogs_round_trip(profile):
    catalog = SHIPPED[profile.key]
    text = format_catalog(catalog.forms).decode("utf-8")
    assert parse_catalog(text, source="c.csv", profile=profile) == catalog


def test_a_catalog_with_awkward_text_round_trips(tmp_path):
    catalog = Catalog(
        forms=(
            Form("NBME 9", "NBME", THREE_DIGIT, 2.5, 3.0, 'a "quoted", source\nover lines',
                 aliases=("Form, nine", "CCSSA 9"), weeks_before=(4, 6)),
            Form("Free 120", "Free 120", PERCENT, -1.25, 8.0, "table",
                 conversion=((60.0, 225.0), (62.5, 230.5), (80.0, 260.0))),
        )
    )  # fmt: skip
    text = format_catalog(catalog.forms).decode("utf-8")
    assert parse_catalog(text, source="c.csv", profile=STEP2_CK) == catalog
    path = tmp_path / "assessments.csv"
    save_catalog(path, catalog, STEP2_CK)
    assert load_catalog(path, STEP2_CK) == catalog


def test_a_saved_catalog_has_plain_line_ends(tmp_path):
    # A file the student may open in an editor: one "\n" per line, no "\r".
    path = tmp_path / "assessments.csv"
    save_catalog(path, SHIPPED["step2-ck"], STEP2_CK)
    data = path.read_bytes()
    assert b"\r" not in data
    assert data.count(b"\n") == 1 + len(SHIPPED["step2-ck"].forms)


def test_a_computed_offset_survives_a_save():
    catalog = Catalog(forms=(Form("NBME 9", "NBME", THREE_DIGIT, 0.1234567, 3.0, "x"),))
    text = format_catalog(catalog.forms).decode("utf-8")
    assert parse_catalog(text, source="c.csv", profile=STEP2_CK) == catalog


def test_an_invalid_catalog_is_not_saved(tmp_path):
    path = tmp_path / "assessments.csv"
    catalog = Catalog(forms=(Form("Step 2", "Exam", THREE_DIGIT, 0.0, 3.0, "x"),))
    with pytest.raises(CatalogError) as caught:
        save_catalog(path, catalog, STEP2_CK)
    assert str(caught.value) == (
        f"{path} line 2: the name 'Step 2' is already the Step 2 CK result's"
    )
    assert not path.exists()


def test_loading_names_the_file(tmp_path):
    missing = tmp_path / "none.csv"
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 1_000_001)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(OLD_HEADER.encode() + b"NBME 9,NBME,three-digit,0,3,caf\xe9\n")
    for path, message in [
        (missing, f"{missing}: no such catalog"),
        (big, f"{big}: is 1,000,001 bytes; a catalog may be at most 1,000,000 bytes"),
        (
            latin,
            # é in Latin-1 is the byte 0xe9, on the second line
            f"{latin} line 2: byte 0xe9 is not UTF-8 text; save the file as UTF-8",
        ),
    ]:
        with pytest.raises(CatalogError) as caught:
            load_catalog(path, STEP2_CK)
        assert str(caught.value) == message


def test_excel_bom_and_crlf_are_read(tmp_path):
    path = tmp_path / "assessments.csv"
    path.write_bytes(b"\xef\xbb\xbf" + OLD_HEADER.replace("\n", "\r\n").encode()
                     + b"NBME 9,NBME,three-digit,1,3,x\r\n")  # fmt: skip
    assert load_catalog(path, STEP2_CK).forms == (
        Form("NBME 9", "NBME", THREE_DIGIT, 1.0, 3.0, "x"),
    )


@pytest.mark.parametrize("profile", PROFILES.values(), ids=list(PROFILES))
def test_a_catalog_beside_the_log_wins(tmp_path, profile):
    log_path = tmp_path / "scores.csv"
    assert catalog_path_for(log_path, profile) == shipped_catalog_path(profile)
    beside = tmp_path / profile.catalog_file
    beside.write_text(OLD_HEADER)
    assert catalog_path_for(log_path, profile) == beside
    assert shipped_catalog_path(profile).name == profile.catalog_file


# --- readings in the plan -----------------------------------------------------------------


def _readings(*scores_and_forms):
    start = TODAY - dt.timedelta(days=7 * len(scores_and_forms))
    entries = [
        Entry(start + dt.timedelta(days=7 * i), form, score)
        for i, (score, form) in enumerate(scores_and_forms)
    ]
    catalog = SHIPPED[STEP2_CK.key]
    return [read_entry(e, STEP2_CK, catalog) for e in entries]


def test_calibration_moves_the_trend_but_not_the_rule():
    # Offsets: NBME 0, UWSA 1 −8, UWSA 2 −5. The trend gets 236, 239, 233, 239; the
    # rule keeps the scores as seen.
    readings = _readings(
        (236, "NBME 12"), (239, "NBME 13"), (241, "UWSA 1"), (244, "UWSA 2")
    )
    exam = TODAY + dt.timedelta(days=14)
    plan = make_plan(readings, exam, today=TODAY, policy=Policy(model="ols"))
    assert plan.trend_scores == (236, 239, 233, 239)
    assert plan.calibrated
    assert plan.rule.recent_scores == (239, 241, 244)
    raw = [dataclasses.replace(r, calibrated=r.points) for r in readings]
    uncorrected = make_plan(raw, exam, today=TODAY, policy=Policy(model="ols"))
    assert not uncorrected.calibrated
    assert plan.forecast.projected_score < uncorrected.forecast.projected_score


def test_the_rule_uses_calibrated_scores_when_asked():
    # UWSA 1's 245 is 237 corrected: under 240, so the rule is no longer met.
    readings = _readings((242, "NBME 12"), (245, "UWSA 1"), (246, "NBME 13"))
    exam = TODAY + dt.timedelta(days=7)
    seen = make_plan(readings, exam, today=TODAY, policy=Policy(model="ols"))
    strict = make_plan(
        readings, exam, today=TODAY, policy=Policy(model="ols", calibrate_rule=True)
    )
    assert seen.rule.consistent and not strict.rule.consistent
    assert strict.rule.recent_scores == (242, 237, 246)
    assert strict.outcome != "take_now"


def test_a_free_120_counts_on_the_three_digit_scale():
    # 72% is 247.8 points, 248 whole: with 241 and 244 it makes three scores of 240+.
    readings = _readings((241, "NBME 12"), (244, "NBME 13"), (72, "Free 120"))
    plan = make_plan(readings, TODAY + dt.timedelta(days=7), today=TODAY)
    assert plan.rule.recent_scores == (241, 244, 248)
    assert plan.rule.consistent


@pytest.mark.parametrize(
    ("percent", "points"),
    [
        # A table 60:230;62:231 rises half a point a percent: 61% is 230.5, shown and
        # used as 231 (half up, not Python's round-half-to-even, which gives 230).
        (61, 231.0),
        (60, 230.0),
        (62, 231.0),
    ],
)
def test_a_converted_score_is_rounded_half_up_once(percent, points):
    form = Form("Half", "Other", PERCENT, 0.0, 5.0, "x", conversion=((60, 230), (62, 231)))
    catalog = Catalog(forms=(form,))
    reading = read_entry(Entry(TODAY, "Half", percent), STEP2_CK, catalog)
    assert reading.points == points


# --- recognising a catalog file -----------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "catalog"),
    [
        ((OLD_HEADER + "NBME 9,NBME,three-digit,1,3,x\n").encode(), True),  # just the six
        (HEADER.encode(), True),  # every column, no rows
        (OLD_HEADER.rstrip("\n").encode(), True),  # a header with no line end
        (b"\xef\xbb\xbf" + OLD_HEADER.encode(), True),  # saved by Excel, with a BOM
        (b"Name, Family, Scale, Offset, Uncertainty, Source\n", True),  # spaced, capitals
        # A row cut in the middle of "é" (two bytes in UTF-8) by the bytes looked at.
        ((OLD_HEADER + "NBME 9,NBME,three-digit,1,3,caf").encode() + b"\xc3", True),
        (OLD_HEADER.encode() + b"NBME 9,NBME,three-digit,0,3,caf\xe9\n", True),  # Latin-1
        (b"XName,family,scale,offset,uncertainty,source\n", False),  # no "name" column
        (b"name,family,scale,offset,uncertainty\n", False),  # no "source" column
        (b"date,assessment,score,notes\n2026-11-01,NBME 12,236,\n", False),  # a log
        (b"\xff\xfe\x00\x01", False),
        (b"", False),
    ],
)
def test_a_file_is_recognised_as_a_catalog_by_its_header(head, catalog):
    assert is_catalog(head) is catalog


# --- offsets typed in an editor -----------------------------------------------------------


@pytest.mark.parametrize(("offset", "uncertainty", "what"), [(True, 3.0, "offset"),
                         (2.0, False, "uncertainty")])  # fmt: skip
def test_a_ticked_box_is_not_an_offset(offset, uncertainty, what):
    # True and False are numbers to Python (1 and 0), but not a value a student typed.
    form = Form("NBME 9", "NBME", THREE_DIGIT, 0.0, 3.0, "x")
    with pytest.raises(CatalogError) as caught:
        with_offsets(form, offset, uncertainty, STEP2_CK)
    assert str(caught.value) == f"NBME 9: the {what} cell is empty or not a number"
