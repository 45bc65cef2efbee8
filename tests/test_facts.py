"""Facts with sources and dates (tracker/facts.py, data/facts/*.csv).

Expected numbers are the files' own rows, written out by hand here: the passing
standard 214 from 2022-07-01 and 218 from 2025-07-01 (USMLE), the percentile table of
first-time LCME takers 2023–2026 (230→9 … 270→93), NRMP 2026 quartiles.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker import facts
from tracker.errors import FactsError
from tracker.exams import COMLEX_2CE, STEP2_CK
from tracker.plan import Policy, make_plan

# --- the passing standard by exam date ----------------------------------------------------


@pytest.mark.parametrize(
    ("day", "passing"),
    [
        ("2014-06-30", 209),  # before the first row the tracker holds: that row
        ("2014-07-01", 209),
        ("2022-06-30", 209),
        ("2022-07-01", 214),
        ("2025-06-30", 214),  # the last day of 214
        ("2025-07-01", 218),  # the first day of 218
        ("2027-01-15", 218),
        ("2199-12-31", 218),  # far dates keep the latest
    ],
)
def test_the_passing_standard_is_the_one_in_force_on_the_exam_date(day, passing):
    assert STEP2_CK.passing_on(dt.date.fromisoformat(day)) == passing


def test_comlex_passing_is_undated_and_holds_on_any_day():
    for day in (dt.date(1990, 1, 1), dt.date(2027, 1, 1)):
        assert COMLEX_2CE.passing_on(day) == 400
    assert facts.dated(facts.passing_on("comlex-2ce", dt.date(2027, 1, 1)).holds_from) == (
        "undated"
    )


def _plan_on(exam_date: str):
    """Three scores of 220, 225, 230 (a line of 0.5 points a day) before the exam."""
    from tracker.exams import Catalog, read_entry

    from conftest import entries_from

    entries = entries_from([(0, 220), (10, 225), (20, 230)], start=dt.date(2025, 5, 1))
    readings = [read_entry(e, STEP2_CK, Catalog(forms=())) for e in entries]
    return make_plan(
        readings, dt.date.fromisoformat(exam_date), today=dt.date(2025, 5, 25),
        policy=Policy(model="ols"),
    )  # fmt: skip


def test_a_plan_counts_failing_against_the_line_of_its_own_exam_date():
    before, after = _plan_on("2025-06-30"), _plan_on("2025-07-01")
    assert (before.passing, after.passing) == (214, 218)
    # Each chance of failing is the projection's own chance of being under that line.
    assert before.chance_of_failing == before.projection.prob_below(214)
    assert after.chance_of_failing == after.projection.prob_below(218)


# --- percentiles --------------------------------------------------------------------------

TABLE_POINTS = [(230, 9), (235, 15), (240, 23), (245, 32), (250, 44), (255, 58),
                (260, 71), (265, 83), (270, 93)]  # fmt: skip


def _table():
    return facts.percentile_table("step2-ck", dt.date(2027, 1, 15))


def test_the_table_is_the_2023_2026_one_with_its_source():
    table = _table()
    assert table.points == tuple((s, float(p)) for s, p in TABLE_POINTS)
    assert table.holds_from == dt.date(2026, 7, 1)
    assert "2023-07-01 to 2026-06-30" in table.source and "LCME" in table.source


@pytest.mark.parametrize(("score", "rank"), TABLE_POINTS)
def test_percentiles_at_the_tables_own_points(score, rank):
    placed = facts.percentile_of(score, _table())
    assert placed.rank == rank and placed.bounds == (rank, rank)


@pytest.mark.parametrize(
    ("score", "rank", "bounds"),
    [
        (242, 23 + (32 - 23) * 2 / 5, None),  # 26.6, two fifths of the way to 245
        (252.5, 44 + (58 - 44) / 2, None),  # 51, half way
        (229, None, (0.0, 9.0)),  # under the table: only "under the 9th" is known
        (271, None, (93.0, 100.0)),
        (1, None, (0.0, 9.0)),
        (300, None, (93.0, 100.0)),
    ],
)
def test_percentiles_between_and_beyond_the_points(score, rank, bounds):
    placed = facts.percentile_of(score, _table())
    if rank is None:
        assert placed.rank is None and placed.bounds == bounds
    else:
        assert placed.rank == pytest.approx(rank, abs=1e-12)


def test_before_the_first_table_the_first_one_is_used():
    assert facts.percentile_table("step2-ck", dt.date(2020, 1, 1)) == _table()
    assert facts.percentile_table("comlex-2ce", dt.date(2027, 1, 1)) is None


@given(st.floats(1, 300), st.floats(1, 300))
def test_percentiles_never_fall_as_the_score_rises(a, b):
    low, high = sorted((a, b))
    assert (
        facts.percentile_of(low, _table()).bounds[0]
        <= (facts.percentile_of(high, _table()).bounds[0])
    )


# --- the other tables ---------------------------------------------------------------------


def test_matched_applicants_of_ir_and_dr():
    day = dt.date(2026, 12, 1)
    ir, dr = facts.matched_for("ir", day), facts.matched_for("dr", day)
    assert (ir.q1, ir.median, ir.q3) == (246, 255, 264)
    assert (dr.q1, dr.median, dr.q3) == (249, 257, 265)
    assert "Charting Outcomes in the Match 2026" in ir.source
    assert facts.matched_for("other", day) is None


def test_retake_rules_and_fees_carry_their_sources():
    rules = STEP2_CK.retakes
    assert (rules.max_attempts, rules.per_12_months) == (4, 3)
    assert (rules.months_after_first, rules.months_after_last) == (12, 6)
    assert rules.holds_from == dt.date(2021, 7, 1)
    fees = STEP2_CK.rescheduling
    assert (fees.free_days_before, fees.last_fee_day) == (31, 5)
    assert "Bulletin" in fees.source


def test_every_row_of_every_file_has_a_source_and_a_day_or_says_undated():
    rows = [
        *facts.passing_standards(), *facts.release_lags(), *facts.rescheduling_rules(),
        *facts.retake_rules(), *facts.percentile_tables(), *facts.matched_scores(),
        *facts.advice_figures().values(),
    ]  # fmt: skip
    assert rows
    for row in rows:
        assert len(row.source) > 20
        assert row.holds_from is None or dt.date(2010, 1, 1) <= row.holds_from
    step2 = [r for r in facts.passing_standards() if r.exam == "step2-ck"]
    assert all(r.holds_from is not None for r in step2)  # USMLE dates every change


def test_in_force_picks_the_latest_start_on_or_before_the_day():
    rows = facts.passing_standards()
    assert facts.in_force(rows, dt.date(2000, 1, 1)).exam == "comlex-2ce"  # undated
    step2 = [r for r in rows if r.exam == "step2-ck"]
    assert facts.in_force(step2, dt.date(2014, 6, 30)) is None


# --- a broken file names itself -----------------------------------------------------------

COLUMNS = {"exam": facts._text, "passing": facts.SCORE, "holds_from": facts._day,
           "source": facts._text}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("exam,passing\n", "line 1: the header must be exam,passing,holds_from,source"),
        ("exam,passing,holds_from,source\nx,218,2025-07-01\n",
         "line 2: expected 4 fields, found 3"),
        ("exam,passing,holds_from,source\nx,nan,2025-07-01,s\n",
         "line 2: passing: 'nan' is not a whole number 1–999"),
        ("exam,passing,holds_from,source\nx,218,2025-07-01,s\ny,٢١٨,2025-07-01,s\n",
         "line 3: passing: '٢١٨' is not a whole number 1–999"),
        ("exam,passing,holds_from,source\nx,218,2025-13-01,s\n",
         "line 2: holds_from: month must be in 1..12"),
        ("exam,passing,holds_from,source\nx,218,2025-07-01,\n",
         "line 2: source: it is empty"),
        ('exam,passing,holds_from,source\nx,218,2025-07-01,"s\n',
         "line 2: malformed CSV"),  # the row that opens the quote
    ],
)  # fmt: skip
def test_a_broken_facts_file_is_named_with_its_line(tmp_path, text, message):
    (tmp_path / "passing.csv").write_text(text, encoding="utf-8")
    with pytest.raises(FactsError) as caught:
        facts.read_facts("passing.csv", COLUMNS, folder=tmp_path)
    assert str(caught.value).startswith(str(tmp_path / "passing.csv"))
    assert message in str(caught.value)


def test_a_missing_facts_file_is_named(tmp_path):
    with pytest.raises(FactsError, match=r"passing\.csv: cannot be read"):
        facts.read_facts("passing.csv", COLUMNS, folder=tmp_path)


def test_facts_hold_no_number_json_cannot_carry():
    for table in facts.percentile_tables():
        json.dumps([list(p) for p in table.points], allow_nan=False)
