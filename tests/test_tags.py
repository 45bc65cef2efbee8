"""Test-taking tags: the names, their counts over time, and the score log's issues
column that appears only while a row carries a tag."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import log
from tracker.errors import InvalidEntryError, LogFormatError
from tracker.log import Entry
from tracker.tags import TEST_TAKING_ISSUES, IssueCount, count_issues, parse_issues

from conftest import TODAY

HEADER = "date,assessment,score,notes\n"
D = dt.date


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("", ()),
        ("timing", ("timing",)),
        ("careless;timing", ("timing", "careless")),  # the vocabulary's order
        (" Timing ; TIMING;anxiety ", ("timing", "anxiety")),  # case, spaces, repeats
        (["knowledge", "careless", ""], ("careless", "knowledge")),
        (";;", ()),
    ],
)
def test_tags_are_read_in_one_order_without_repeats(given, expected):
    assert parse_issues(given) == expected


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            "sleepy",
            "unknown test-taking issue 'sleepy' (one of timing, anxiety, careless, "
            "knowledge)",
        ),
        (
            "timing,careless",
            "unknown test-taking issue 'timing,careless' (one of "
            "timing, anxiety, careless, knowledge)",
        ),
        ([3], "test-taking issue 3 is not a name"),
    ],
)
def test_an_unknown_tag_is_refused_by_name(given, message):
    with pytest.raises(InvalidEntryError) as caught:
        parse_issues(given)
    assert str(caught.value) == message


def test_the_vocabulary_is_the_seeds_plus_knowledge():
    # The seed: timing, anxiety, careless errors; its Q-bank advice: knowledge gaps.
    assert list(TEST_TAKING_ISSUES) == ["timing", "anxiety", "careless", "knowledge"]


def _exam(day: int, *issues: str) -> Entry:
    return Entry(D(2026, 9, 1) + dt.timedelta(days=day), "NBME 13", 230, "", issues)


def test_counts_over_all_exams_and_the_last_three():
    # Five practice exams, in file order not date order: days 40, 0, 10, 20, 30.
    # By date: day 0 timing; 10 timing+careless; 20 none; 30 careless; 40 anxiety.
    # timing: 2 exams (days 0, 10), of the last three (20, 30, 40) none.
    # anxiety: 1 (day 40), 1 of the last three. careless: 2 (10, 30), 1 of the last 3.
    rows = [
        _exam(40, "anxiety"),
        _exam(0, "timing"),
        _exam(10, "timing", "careless"),
        _exam(20),
        _exam(30, "careless"),
    ]
    start = D(2026, 9, 1)
    assert count_issues(rows) == (
        IssueCount("timing", TEST_TAKING_ISSUES["timing"], 2, 0, 3, start, D(2026, 9, 11)),
        IssueCount(
            "anxiety", TEST_TAKING_ISSUES["anxiety"], 1, 1, 3, D(2026, 10, 11),
            D(2026, 10, 11),
        ),
        IssueCount(
            "careless", TEST_TAKING_ISSUES["careless"], 2, 1, 3, D(2026, 9, 11),
            D(2026, 10, 1),
        ),
    )  # fmt: skip


def test_no_tags_no_counts_and_fewer_exams_than_the_window():
    assert count_issues([_exam(0), _exam(1)]) == ()
    [only] = count_issues([_exam(0, "knowledge")])
    assert (only.exams, only.recent, only.recent_of) == (1, 1, 1)


# --- the score log's issues column -----------------------------------------------------


def test_a_log_without_tags_keeps_the_four_column_header(log_path):
    log.append_entry(log_path, Entry(D(2026, 11, 1), "NBME 13", 231), today=TODAY)
    assert log_path.read_text() == HEADER + "2026-11-01,NBME 13,231,\n"


def test_a_tag_adds_the_issues_column_and_clearing_the_last_drops_it(log_path):
    log_path.write_text(HEADER + "2026-11-01,NBME 13,231,\n")
    tagged = log.make_entry(
        "2026-11-08", "NBME 14", 236, "", today=TODAY, issues=["careless", "timing"]
    )
    log.append_entry(log_path, tagged, today=TODAY)
    assert log_path.read_text() == (
        "date,assessment,score,notes,issues\n"
        "2026-11-01,NBME 13,231,,\n"
        "2026-11-08,NBME 14,236,,timing;careless\n"
    )
    assert log.read_log(log_path)[1].issues == ("timing", "careless")
    cleared = log.make_entry("2026-11-08", "NBME 14", 236, "", today=TODAY)
    log.replace_entry(log_path, 1, cleared, today=TODAY)
    assert log_path.read_text() == (
        HEADER + "2026-11-01,NBME 13,231,\n2026-11-08,NBME 14,236,\n"
    )


def test_the_spreadsheet_copy_keeps_the_tags():
    entries = [Entry(D(2026, 11, 8), "=NBME 14", 236, "-2", ("anxiety",))]
    assert log.export_csv(entries) == (
        b"date,assessment,score,notes,issues\n2026-11-08,'=NBME 14,236,'-2,anxiety\n"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "date,assessment,score,notes,issues\n2026-11-01,NBME 13,231,,timing;sleepy\n",
            "line 2: unknown test-taking issue 'sleepy' (one of timing, anxiety, "
            "careless, knowledge)",
        ),
        (
            "date,assessment,score,issues,issues\n2026-11-01,NBME 13,231,,\n",
            "line 1: column 'issues' appears twice",
        ),
        (
            "date,assessment,score,notes,issues\n2026-11-01,NBME 13,231,\n",
            "line 2: expected 5 fields, found 4",
        ),
    ],
    ids=["unknown tag", "column twice", "short row"],
)
def test_a_bad_issues_column_is_refused_by_line_and_never_rewritten(
    log_path, content, expected
):
    log_path.write_text(content)
    before = log_path.read_bytes()
    with pytest.raises(LogFormatError) as caught:
        log.read_log(log_path)
    assert str(caught.value) == f"{log_path} {expected}"
    with pytest.raises(LogFormatError):
        log.append_entry(log_path, Entry(D(2026, 11, 2), "NBME 14", 236), today=TODAY)
    assert log_path.read_bytes() == before


def test_an_issues_column_in_any_place_reads(log_path):
    log_path.write_text("issues,score,date,assessment\ncareless,231,2026-11-01,NBME 13\n")
    [entry] = log.read_log(log_path)
    assert entry == Entry(D(2026, 11, 1), "NBME 13", 231, "", ("careless",))


entries = st.lists(
    st.builds(
        Entry,
        date=st.dates(D(2020, 1, 1), TODAY),
        assessment=st.sampled_from(["NBME 13", "UWSA 2", "Free 120"]),
        score=st.integers(0, 999),
        notes=st.sampled_from(["", "x", "timing; block 4"]),
        issues=st.lists(st.sampled_from(list(TEST_TAKING_ISSUES)), unique=True).map(
            lambda chosen: parse_issues(chosen)
        ),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(entries)
def test_a_written_log_reads_back_the_same_entries(rows):
    raw = log.format_log(rows)
    assert log.parse_log(raw, source="x") == rows
    tagged = any(row.issues for row in rows)
    assert raw.startswith(
        b"date,assessment,score,notes,issues\n" if tagged else HEADER.encode()
    )
