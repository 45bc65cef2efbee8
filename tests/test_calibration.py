"""Per-form calibration: the catalog, and how it reaches the trend and the rule."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.calibration import (
    SHIPPED_CATALOG,
    Catalog,
    FormCalibration,
    catalog_path_for,
    load_catalog,
    parse_catalog,
    save_catalog,
)
from tracker.errors import CatalogError
from tracker.log import Entry
from tracker.verdict import Policy, decide

from conftest import TODAY

HEADER = "name,family,scale,offset,uncertainty,source\n"


def test_the_shipped_catalog_covers_the_common_forms_with_sources():
    catalog = load_catalog(SHIPPED_CATALOG)
    names = {form.name for form in catalog.forms}
    assert {f"NBME {n}" for n in range(9, 17)} | {"UWSA 1", "UWSA 2", "UWSA 3"} <= names
    for form in catalog.forms:
        assert form.source and form.uncertainty > 0 and form.scale == "three-digit"
    # Conservative direction: no form is corrected upwards past what reports support,
    # and the forms said to run high are corrected down.
    assert catalog.find("UWSA 1").offset < 0 and catalog.find("UWSA 2").offset < 0
    assert all(catalog.find(f"NBME {n}").offset >= 0 for n in range(9, 17))


@pytest.mark.parametrize("name", ["UWSA 1", "uwsa1", " UWSA  1 ", "uwsa-1", "UWSA_1"])
def test_names_match_however_they_are_written(name):
    assert load_catalog(SHIPPED_CATALOG).find(name).name == "UWSA 1"


def test_unknown_forms_stay_as_they_are():
    catalog = parse_catalog(HEADER + "UWSA 1,UWSA,three-digit,-8,3,x\n", source="c.csv")
    entries = [Entry(TODAY, "UWSA 1", 241), Entry(TODAY, "Free 120", 70)]
    assert catalog.calibrated_scores(entries) == [233.0, 70.0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "name,offset\n",
            "c.csv line 1: the header must be name,family,scale,offset,uncertainty,source",
        ),
        (
            HEADER + "NBME 9,NBME,three-digit,lots,3,x\n",
            "c.csv line 2: offset 'lots' is not a number",
        ),
        (
            HEADER + "NBME 9,NBME,three-digit,45,3,x\n",
            "c.csv line 2: offset 45 is outside ±30 points",
        ),
        (
            HEADER + "NBME 9,NBME,three-digit,0,-1,x\n",
            "c.csv line 2: uncertainty must not be negative",
        ),
        (
            HEADER + "NBME 9,NBME,three-digit,0,3\n",
            "c.csv line 2: expected 6 fields, found 5",
        ),
        (HEADER + ",NBME,three-digit,0,3,x\n", "c.csv line 2: name is empty"),
        (
            HEADER + "NBME 9,NBME,three-digit,0,3,x\nnbme9,NBME,three-digit,1,3,x\n",
            "c.csv line 3: 'nbme9' is listed twice",
        ),
    ],
)
def test_a_bad_catalog_names_its_line(text, message):
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, source="c.csv")
    assert str(caught.value) == message


def test_save_and_load_round_trip(tmp_path):
    catalog = Catalog(
        forms=(
            FormCalibration(
                "NBME 9", "NBME", "three-digit", 2.5, 3.0, 'a "quoted", source'
            ),
        )
    )
    path = tmp_path / "assessments.csv"
    save_catalog(path, catalog)
    assert load_catalog(path) == catalog


def test_a_catalog_beside_the_log_wins(tmp_path):
    log_path = tmp_path / "scores.csv"
    assert catalog_path_for(log_path) == SHIPPED_CATALOG
    (tmp_path / "assessments.csv").write_text(HEADER)
    assert catalog_path_for(log_path) == tmp_path / "assessments.csv"


# --- through the verdict --------------------------------------------------------------


def _log(*scores_and_forms):
    start = TODAY - dt.timedelta(days=7 * len(scores_and_forms))
    return [
        Entry(start + dt.timedelta(days=7 * i), form, score)
        for i, (score, form) in enumerate(scores_and_forms)
    ]


def test_calibration_moves_the_trend_and_says_which_scores_crossed():
    entries = _log((236, "NBME 12"), (239, "NBME 13"), (241, "UWSA 1"), (244, "UWSA 2"))
    catalog = load_catalog(SHIPPED_CATALOG)
    exam = TODAY + dt.timedelta(days=14)
    raw = decide(entries, exam, today=TODAY, policy=Policy(model="ols"))
    calibrated = decide(
        entries, exam, today=TODAY, policy=Policy(model="ols"), catalog=catalog
    )
    assert calibrated.trend_scores == (236, 239, 233, 239)
    assert calibrated.calibrated and not raw.calibrated
    assert calibrated.projected_score < raw.projected_score
    [reason] = [r for r in calibrated.reasons if r.rule == "calibration"]
    assert reason.text == (
        "Calibration for differences between forms moved 2 scores across 240 for the "
        "trend (the consistency rule still uses the scores you saw): UWSA 1 on "
        f"{entries[2].date} (241 → 233); UWSA 2 on {entries[3].date} (244 → 239)."
    )
    # The rule keeps the raw scores unless told otherwise.
    assert calibrated.recent_scores == (239, 241, 244)


def test_the_rule_can_use_calibrated_scores_when_asked():
    entries = _log((242, "NBME 12"), (245, "UWSA 1"), (246, "NBME 13"))
    catalog = load_catalog(SHIPPED_CATALOG)
    exam = TODAY + dt.timedelta(days=7)
    seen = decide(entries, exam, today=TODAY, policy=Policy(model="ols"), catalog=catalog)
    strict = decide(
        entries,
        exam,
        today=TODAY,
        policy=Policy(model="ols", calibrate_rule=True),
        catalog=catalog,
    )
    assert seen.consistent and not strict.consistent
    assert strict.recent_scores == (242, 237, 246)
    assert strict.verdict == "delay"
