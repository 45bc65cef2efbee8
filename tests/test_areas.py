"""Weak areas: the sourced list of names, each line checked, the area log's file, and
the ranking weakest first (hand-computed)."""

from __future__ import annotations

import csv
import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.areas import (
    AREA_CATALOG_PATH,
    BANDS,
    Area,
    AreaCatalog,
    AreaEntry,
    append_area,
    area_log_path,
    load_area_catalog,
    make_area_entry,
    parse_area_log,
    rank_areas,
    read_area_log,
    undo_areas,
    weakest_areas,
)
from tracker.errors import CatalogError, InvalidEntryError, LogFormatError

from conftest import TODAY

D = dt.date
CATALOG = load_area_catalog()
HEADER = "date,source,area,percent,band,notes\n"
RENAL = "Renal, Urinary & Male Reproductive"


# --- the list -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("cardio", "Cardiovascular System"),
        ("Cardiology", "Cardiovascular System"),
        ("NEPHROLOGY", RENAL),
        ("renal", RENAL),
        ("OB/GYN", "Obstetrics & Gynecology"),
        ("ob-gyn", "Obstetrics & Gynecology"),
        ("OB", "Pregnancy, Childbirth & the Puerperium"),
        ("gynecology", "Female Reproductive System & Breast"),
        ("Pulmonary & Critical Care", "Respiratory System"),
        ("biostats", "Biostatistics & Epidemiology"),
        ("psych", "Psychiatry"),
        ("Hematology & Oncology", "Blood & Lymphoreticular System"),
        ("Surgery", "Surgery"),
    ],
)
def test_typed_names_find_their_area(typed, name):
    assert CATALOG.find(typed).name == name


def test_the_list_is_sourced_dated_and_has_every_discipline():
    with open(AREA_CATALOG_PATH, newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert all(row["source"] and row["holds_from"] for row in rows)
    disciplines = {a.name for a in CATALOG.areas if a.kind == "discipline"}
    # The five disciplines of the Step 2 CK content outline.
    assert disciplines == {
        "Medicine", "Surgery", "Pediatrics", "Obstetrics & Gynecology", "Psychiatry"
    }  # fmt: skip
    assert CATALOG.find("Tropical medicine") is None


def test_two_areas_answering_to_one_name_is_refused():
    one = Area("Cardiology", "system", ("heart",), "s", D(2026, 1, 1))
    other = Area("Cardiac surgery", "system", ("Heart",), "s", D(2026, 1, 1))
    with pytest.raises(CatalogError) as caught:
        AreaCatalog((one, other))
    assert str(caught.value) == (
        "area name 'Heart' belongs to both Cardiology and Cardiac surgery"
    )


# --- one line ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"percent": "101"}, "percent 101 is outside 0–100"),
        ({"percent": "100.5"}, "percent 100.5 is outside 0–100"),
        ({"percent": "-3"}, "percent '-3' is not a number from 0 to 100 in ASCII digits"),
        ({"percent": "nan"}, "percent 'nan' is not a number from 0 to 100 in ASCII digits"),
        ({"percent": "inf"}, "percent 'inf' is not a number from 0 to 100 in ASCII digits"),
        ({"percent": math.nan}, "percent nan is not a number from 0 to 100"),
        ({"percent": math.inf}, "percent inf is not a number from 0 to 100"),
        ({"percent": "58%"}, "percent '58%' is not a number from 0 to 100 in ASCII "
         "digits; give the number without the % sign"),
        ({"percent": "٥٨"}, "percent '٥٨' is not a number from 0 to 100 in ASCII digits"),
        ({"band": "lowest"}, "unknown band 'lowest' (one of lower, borderline, same, "
         "higher)"),
        ({}, "give a percent correct or a band (lower, borderline, same, higher)"),
        ({"percent": "50", "band": "lower"}, "give a percent or a band, not both"),
        ({"area": "  ", "band": "lower"}, "area is empty"),
        ({"source": "", "band": "lower"}, "source is empty"),
        ({"area": "Cardio\nlogy", "band": "lower"},
         "area contains a line break or another control character"),
        ({"area": "x" * 81, "band": "lower"},
         "area is 81 characters long; the limit is 80"),
        ({"date": "2026-11-27", "band": "lower"},
         "date 2026-11-27 is after today (2026-11-26)"),
        ({"date": "2026-02-30", "band": "lower"},
         "date 2026-02-30 does not exist in the calendar"),
        ({"band": "lower", "notes": "a\x07b"}, "notes contain a control character"),
    ],
)  # fmt: skip
def test_a_bad_line_is_refused_in_words(values, message):
    given = {"date": "2026-11-21", "source": "NBME 15", "area": "Cardiology"} | values
    with pytest.raises(InvalidEntryError) as caught:
        make_area_entry(
            given.pop("date"), given.pop("source"), given.pop("area"), **given, today=TODAY
        )
    assert str(caught.value) == message


def test_a_good_line_keeps_what_was_typed():
    entry = make_area_entry(
        "2026-11-21", " UWorld ", " nephrology ", percent="55.5", today=TODAY
    )
    assert entry == AreaEntry(D(2026, 11, 21), "UWorld", "nephrology", 55.5, None, "")
    assert (
        make_area_entry(
            D(2026, 11, 21), "NBME 15", "Renal", band=" Borderline ", today=TODAY
        ).band
        == "borderline"
    )


# --- the file -----------------------------------------------------------------------------


def test_lines_are_appended_read_back_and_undone(tmp_path):
    path = area_log_path(tmp_path / "scores.csv")
    assert path == tmp_path / "areas.csv"
    first = make_area_entry("2026-11-21", "NBME 15", "Renal", band="lower", today=TODAY)
    second = make_area_entry(
        "2026-11-20", "UWorld", "Tropical medicine", percent=48, notes="new", today=TODAY
    )
    append_area(path, first, catalog=CATALOG)
    done = append_area(path, second, catalog=CATALOG)
    assert path.read_text() == (
        HEADER
        + "2026-11-21,NBME 15,Renal,,lower,\n2026-11-20,UWorld,Tropical medicine,48,,new\n"
    )
    assert done.entries == (first, second)
    assert done.warnings == (
        "'Tropical medicine' is not a Step 2 CK discipline or system the tracker "
        "knows, so it is kept as typed ('tracker areas --list' shows the names)",
    )
    assert read_area_log(path) == [first, second]
    undone = undo_areas(path)
    assert (len(undone.before), len(undone.after)) == (2, 1)
    assert read_area_log(path) == [first]


def test_the_same_area_of_the_same_report_is_refused_and_nothing_written(tmp_path):
    path = tmp_path / "areas.csv"
    append_area(
        path,
        make_area_entry("2026-11-21", "NBME 15", "Renal", band="lower", today=TODAY),
        catalog=CATALOG,
    )
    before = path.read_bytes()
    again = make_area_entry("2026-11-21", "nbme15", "Nephrology", band="same", today=TODAY)
    with pytest.raises(InvalidEntryError) as caught:
        append_area(path, again, catalog=CATALOG)
    assert str(caught.value) == (
        f"{path}: line 2 already holds Renal from NBME 15 on 2026-11-21; nothing was "
        "written"
    )
    assert path.read_bytes() == before
    assert not (tmp_path / "areas.csv.bak").exists()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (HEADER + "2026-11-21,NBME 15,Renal,101,,\n",
         "line 2: percent 101 is outside 0–100"),
        (HEADER + "2026-11-21,NBME 15,Renal,,worst,\n",
         "line 2: unknown band 'worst' (one of lower, borderline, same, higher)"),
        (HEADER + "2026-11-21,NBME 15,,,lower,\n", "line 2: area is empty"),
        (HEADER + "2026-11-21,NBME 15,Renal,NaN,,\n",
         "line 2: percent 'NaN' is not a number from 0 to 100 in ASCII digits"),
        ("date,source,area,score\n", "line 1: unknown column 'score' (expected date, "
         "source, area, percent, band, notes)"),
        ("2026-11-21,NBME 15,Renal,,lower,\n",
         "line 1: no header row; the first line must be date,source,area,percent,band,"
         "notes"),
        (HEADER + "2026-11-21,NBME 15,Renal,,lower,,\n", "line 2: expected 6 fields, "
         "found 7"),
        ("\ufeff" + HEADER.replace("\n", "\r\n") + "2026-11-21,NBME 15,Renal,,lower,\r\n",
         None),
    ],
)  # fmt: skip
def test_the_area_log_is_read_strictly_by_line_and_never_added_to_when_broken(
    tmp_path, content, problem
):
    path = tmp_path / "areas.csv"
    path.write_bytes(content.encode())
    before = path.read_bytes()
    new = make_area_entry("2026-11-22", "NBME 16", "Surgery", band="same", today=TODAY)
    if problem is None:  # Excel's BOM and CRLF read fine
        assert [e.area for e in read_area_log(path)] == ["Renal"]
        return
    with pytest.raises(LogFormatError) as caught:
        read_area_log(path)
    assert str(caught.value) == f"{path} {problem}"
    with pytest.raises(LogFormatError):
        append_area(path, new, catalog=CATALOG)
    assert path.read_bytes() == before


# --- the ranking -------------------------------------------------------------------------


def _line(day, source, area, value) -> AreaEntry:
    if isinstance(value, str):
        return AreaEntry(day, source, area, band=value)
    return AreaEntry(day, source, area, percent=float(value))


A, B, C = D(2026, 10, 1), D(2026, 10, 20), D(2026, 11, 10)
LINES = [
    # Report A: NBME 13's bands.
    _line(A, "NBME 13", "Cardiology", "lower"),
    _line(A, "NBME 13", "Renal", "borderline"),
    _line(A, "NBME 13", "Surgery", "same"),
    _line(A, "NBME 13", "Psychiatry", "higher"),
    # Report B: UWorld percents 52, 60, 70, 58; their mean 240 / 4 = 60.
    _line(B, "UWorld", "Cardiology", 52),  # 52 - 60 = -8: lower
    _line(B, "UWorld", "Nephrology", 60),  # 0: same
    _line(B, "UWorld", "Peds", 70),  # +10: higher
    _line(B, "UWorld", "OB/GYN", 58),  # -2: same
    # Report C: NBME 15's bands.
    _line(C, "NBME 15", "Cardiology", "same"),
    _line(C, "NBME 15", "Renal", "lower"),
    _line(C, "NBME 15", "Surgery", "lower"),
]


def test_areas_rank_weakest_first_by_their_latest_value():
    ranking = rank_areas(LINES, catalog=CATALOG, today=TODAY)
    # Latest values: Renal lower (C), Surgery lower (C), OB/GYN same at -2 (B),
    # Cardiology same (C, a band), Peds higher at +10 (B), Psychiatry higher (A).
    # Within a band, percents first (they say how far), then bands by name.
    names = [a.name for a in ranking.areas]
    assert names == [
        RENAL,
        "Surgery",
        "Obstetrics & Gynecology",
        "Cardiovascular System",
        "Pediatrics",
        "Psychiatry",
    ]
    by_name = {a.name: a for a in ranking.areas}
    # Changes since each one's previous report, in bands (lower 0 ... higher 3).
    assert by_name["Cardiovascular System"].change_steps == 2  # lower (B) → same (C)
    assert by_name[RENAL].change_steps == -2  # same (B) → lower (C)
    assert by_name["Surgery"].change_steps == -2  # same (A) → lower (C)
    assert by_name["Psychiatry"].change_steps is None  # one report
    assert by_name["Obstetrics & Gynecology"].latest.difference == pytest.approx(-2.0)
    assert by_name["Pediatrics"].latest.reference == pytest.approx(60.0)
    assert ranking.weakest == (RENAL, "Surgery")
    assert [(r.date, r.source) for r in ranking.reports] == [
        (A, "NBME 13"), (B, "UWorld"), (C, "NBME 15")
    ]  # fmt: skip
    assert weakest_areas(LINES, today=TODAY) == (RENAL, "Surgery")


def test_a_qbank_overall_is_the_reference_when_given():
    # UWorld's overall 64% that day: 52 → -12 lower, 60 → -4 same, 70 → +6 higher,
    # 58 → -6 lower.
    def reference_for(day, source):
        return 64.0 if (day, source) == (B, "uworld") else None

    ranking = rank_areas(
        LINES[4:8], catalog=CATALOG, today=TODAY, reference_for=reference_for
    )
    standings = {a.name: (a.latest.standing, a.latest.difference) for a in ranking.areas}
    assert standings == {
        "Cardiovascular System": ("lower", -12.0),
        RENAL: ("same", -4.0),
        "Pediatrics": ("higher", 6.0),
        "Obstetrics & Gynecology": ("lower", -6.0),
    }
    # Two lowers: -12 before -6.
    assert ranking.weakest == ("Cardiovascular System", "Obstetrics & Gynecology")


@pytest.mark.parametrize(
    ("percent", "standing"),
    [(55.0, "lower"), (55.1, "same"), (64.9, "same"), (65.0, "higher")],
)
def test_five_points_from_the_reference_is_the_edge_of_same(percent, standing):
    # Two areas: the other's percent sets the mean at 60, so this one is
    # percent - mean = (percent - other) / 2 from it; choose other = 120 - percent.
    lines = [
        _line(B, "UWorld", "Cardiology", percent),
        _line(B, "UWorld", "Renal", 120 - percent),
    ]
    ranking = rank_areas(lines, catalog=CATALOG, today=TODAY)
    by_name = {a.name: a.latest for a in ranking.areas}
    assert by_name["Cardiovascular System"].standing == standing


def test_percents_of_one_source_give_a_change_in_points_and_of_two_do_not():
    lines = [
        _line(B, "UWorld", "Cardiology", 52),
        _line(C, "UWorld", "Cardio", 59),
        _line(B, "UWorld", "Renal", 60),
        _line(C, "AMBOSS", "Renal", 66),
    ]
    ranking = rank_areas(lines, catalog=CATALOG, today=TODAY)
    by_name = {a.name: a for a in ranking.areas}
    assert by_name["Cardiovascular System"].change_points == pytest.approx(7.0)
    assert by_name[RENAL].change_points is None


def test_the_later_line_of_one_report_counts_and_future_lines_wait():
    lines = [
        _line(C, "NBME 15", "Renal", "lower"),
        _line(C, "nbme 15", "Nephrology", "same"),  # the same report and area: later wins
        _line(D(2026, 11, 28), "NBME 16", "Surgery", "lower"),  # two days after today
        _line(D(2026, 11, 27), "NBME 16", "Psychiatry", "higher"),  # tomorrow: a time zone
    ]
    ranking = rank_areas(lines, catalog=CATALOG, today=TODAY)
    assert [(a.name, a.latest.standing) for a in ranking.areas] == [
        (RENAL, "same"),
        ("Psychiatry", "higher"),
    ]
    assert len(ranking.areas[0].values) == 1
    assert ranking.warnings == (
        "areas.csv line 4 is dated 2026-11-28, after today (2026-11-26); it is left "
        "out until then",
    )


def test_an_unknown_area_is_ranked_under_its_own_name():
    lines = [_line(C, "UWorld", "Tropical medicine", 40), _line(C, "UWorld", "cardio", 70)]
    ranking = rank_areas(lines, catalog=CATALOG, today=TODAY)
    assert [(a.name, a.kind) for a in ranking.areas] == [
        ("Tropical medicine", None),
        ("Cardiovascular System", "system"),
    ]


areas = st.sampled_from(["Cardiology", "cardio", "Renal", "Surgery", "Peds", "Mystery"])
sources = st.sampled_from(["NBME 13", "UWorld", "nbme13"])
values = st.one_of(
    st.sampled_from(BANDS), st.floats(0, 100, allow_nan=False).map(lambda p: round(p, 1))
)
lines = st.lists(
    st.builds(_line, st.dates(D(2026, 8, 1), TODAY), sources, areas, values), max_size=25
)


@settings(max_examples=200, deadline=None)
@given(lines)
def test_every_area_is_ranked_once_weakest_band_first(entries):
    ranking = rank_areas(entries, catalog=CATALOG, today=TODAY)
    names = [a.name for a in ranking.areas]
    assert len(names) == len(set(names))
    keys = {"Cardiovascular System", RENAL, "Surgery", "Pediatrics", "Mystery"}
    assert set(names) <= keys
    bands = [BANDS.index(a.latest.standing) for a in ranking.areas]
    assert bands == sorted(bands)
    weak = [a.name for a in ranking.areas if a.latest.standing in ("lower", "borderline")]
    assert ranking.weakest == tuple(weak[:3])
    for area in ranking.areas:
        dates = [v.report.date for v in area.values]
        assert dates == sorted(dates)
        if area.latest.difference is not None:
            assert math.isfinite(area.latest.difference)


@settings(max_examples=100, deadline=None)
@given(lines)
def test_a_written_area_log_reads_back(entries):
    from tracker.areas import format_area_log

    assert parse_area_log(format_area_log(entries), source="x") == entries
