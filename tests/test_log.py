"""The score log: strict reading with file-and-line errors, safe writes."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import log
from tracker.errors import InvalidEntryError, LogFormatError, LogWriteError
from tracker.log import Entry

from conftest import TODAY

HEADER = "date,assessment,score,notes\n"


def write(path, text: str | bytes) -> bytes:
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(data)
    return data


def test_missing_file_is_an_empty_log(log_path):
    assert log.read_log(log_path, today=TODAY) == []
    assert not log_path.exists()  # reading never creates the file


def test_reads_rows_in_file_order(log_path):
    write(
        log_path,
        HEADER + "2026-10-01,NBME 12,231,first\n2026-09-01,UWSA 1,225,\n",
    )
    assert log.read_log(log_path, today=TODAY) == [
        Entry(dt.date(2026, 10, 1), "NBME 12", 231, "first"),
        Entry(dt.date(2026, 9, 1), "UWSA 1", 225, ""),
    ]


def test_notes_column_is_optional_and_columns_may_come_in_any_order(log_path):
    write(log_path, "score,date,assessment\n231,2026-10-01,NBME 12\n")
    assert log.read_log(log_path, today=TODAY) == [
        Entry(dt.date(2026, 10, 1), "NBME 12", 231, "")
    ]


def test_quoted_commas_and_newlines_in_notes(log_path):
    write(log_path, HEADER + '2026-10-01,NBME 13,236,"tired, slept badly\nredo renal"\n')
    [entry] = log.read_log(log_path, today=TODAY)
    assert entry.notes == "tired, slept badly\nredo renal"


def test_blank_lines_are_skipped_but_counted_in_line_numbers(log_path):
    write(log_path, HEADER + "\n2026-10-01,NBME 13,236,\n\n2026-10-02,NBME 14,999,\n")
    with pytest.raises(LogFormatError) as caught:
        log.read_log(log_path, today=TODAY)
    assert caught.value.line == 5


def test_directory_instead_of_file(tmp_path):
    with pytest.raises(LogFormatError, match="is a directory"):
        log.read_log(tmp_path, today=TODAY)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"score": 999}, "score 999 is outside 1–300"),
        ({"score": "abc"}, "score 'abc' is not a whole number"),
        ({"date": "2026-12-01"}, "date 2026-12-01 is after today (2026-11-26)"),
        ({"date": "yesterday"}, "date 'yesterday' is not a date in YYYY-MM-DD form"),
        ({"assessment": "   "}, "assessment is empty"),
        (
            {"assessment": "NBME\n13"},
            "assessment contains a line break or control character",
        ),
        (
            {"assessment": "x" * 81},
            "assessment name is 81 characters long; the limit is 80",
        ),
    ],
)
def test_make_entry_rejects_bad_values(kwargs, message):
    values = {"date": "2026-11-01", "assessment": "NBME 13", "score": 231} | kwargs
    with pytest.raises(InvalidEntryError) as caught:
        log.make_entry(**values, today=TODAY)
    assert str(caught.value) == message


def test_make_entry_strips_and_converts():
    entry = log.make_entry("2026-11-01", "  UWSA 2 ", " 244 ", " fine ", today=TODAY)
    assert entry == Entry(dt.date(2026, 11, 1), "UWSA 2", 244, "fine")
    assert entry.family == "UWSA"


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("NBME 13", "NBME"),
        ("nbme form 9", "NBME"),
        ("UWSA 1", "UWSA"),
        ("Free 120", "Other"),
    ],
)
def test_assessment_family(name, family):
    assert log.assessment_family(name) == family


def test_append_creates_the_file_and_its_folder(tmp_path):
    path = tmp_path / "new" / "scores.csv"
    entry = Entry(dt.date(2026, 11, 1), "NBME 13", 231, 'said "ok", then slept')
    assert log.append_entry(path, entry, today=TODAY) == [entry]
    assert path.read_text() == (
        HEADER + '2026-11-01,NBME 13,231,"said ""ok"", then slept"\n'
    )


def test_append_keeps_every_existing_row(log_path):
    write(log_path, b"\xef\xbb\xbfscore,date,assessment\r\n225,2026-09-01,NBME 10\r\n")
    new = Entry(dt.date(2026, 11, 1), "NBME 13", 231)
    entries = log.append_entry(log_path, new, today=TODAY)
    assert entries == [Entry(dt.date(2026, 9, 1), "NBME 10", 225), new]
    assert log.read_log(log_path, today=TODAY) == entries


def test_no_temporary_file_is_left_behind(log_path):
    log.append_entry(log_path, Entry(dt.date(2026, 11, 1), "NBME 13", 231), today=TODAY)
    assert sorted(p.name for p in log_path.parent.iterdir()) == [
        "scores.csv",
        "scores.csv.lock",
    ]


def test_replace_and_delete_keep_a_backup(log_path):
    original = write(
        log_path, HEADER + "2026-09-01,NBME 10,225,\n2026-10-01,NBME 12,213,typo\n"
    )
    fixed = Entry(dt.date(2026, 10, 1), "NBME 12", 231, "fixed")
    old = Entry(dt.date(2026, 10, 1), "NBME 12", 213, "typo")
    entries = log.replace_entry(log_path, 1, fixed, expected=old, today=TODAY)
    assert entries[1] == fixed
    assert log.backup_path(log_path).read_bytes() == original
    assert log.read_log(log_path, today=TODAY) == entries

    after_edit = log_path.read_bytes()
    assert log.delete_entry(log_path, 0, today=TODAY) == [fixed]
    assert log.backup_path(log_path).read_bytes() == after_edit


def test_edit_refuses_a_stale_view_or_a_missing_row(log_path):
    before = write(log_path, HEADER + "2026-09-01,NBME 10,225,\n")
    stale = Entry(dt.date(2026, 9, 1), "NBME 10", 226)
    new = Entry(dt.date(2026, 9, 1), "NBME 10", 227)
    with pytest.raises(LogWriteError, match="changed since it was shown"):
        log.replace_entry(log_path, 0, new, expected=stale, today=TODAY)
    with pytest.raises(LogWriteError, match="there is no entry 2"):
        log.delete_entry(log_path, 1, today=TODAY)
    assert log_path.read_bytes() == before


def test_chronological_is_stable_within_a_day():
    a = Entry(dt.date(2026, 10, 2), "B", 230)
    b = Entry(dt.date(2026, 10, 1), "A", 220)
    c = Entry(dt.date(2026, 10, 2), "C", 240)
    assert log.chronological([a, b, c]) == [b, a, c]


def test_default_log_path_follows_the_environment(monkeypatch):
    monkeypatch.delenv("TRACKER_LOG", raising=False)
    assert log.default_log_path() == log.DEFAULT_LOG_PATH
    monkeypatch.setenv("TRACKER_LOG", "/tmp/elsewhere.csv")
    assert str(log.default_log_path()) == "/tmp/elsewhere.csv"


# --- properties ------------------------------------------------------------------------

assessment_names = st.text(
    alphabet=st.characters(min_codepoint=32, blacklist_categories=("Cs",)),
    min_size=1,
    max_size=20,
).filter(lambda name: name.strip() == name and name)
notes_text = st.text(
    alphabet=st.characters(blacklist_characters="\x00\r", blacklist_categories=("Cs",)),
    max_size=30,
).map(str.strip)
entries_strategy = st.builds(
    Entry,
    date=st.dates(min_value=dt.date(2020, 1, 1), max_value=TODAY),
    assessment=assessment_names,
    score=st.integers(min_value=1, max_value=300),
    notes=notes_text,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entries_strategy, max_size=8))
def test_format_then_parse_round_trips(entries):
    raw = log.format_log(entries)
    assert log.parse_log(raw, source="scores.csv", today=TODAY) == entries


@settings(max_examples=200)
@given(raw=st.binary(max_size=200))
def test_any_bytes_give_entries_or_a_tracker_error(raw):
    try:
        entries = log.parse_log(raw, source="scores.csv", today=TODAY)
    except LogFormatError as error:
        assert str(error).startswith("scores.csv")
    else:
        assert all(isinstance(entry, Entry) for entry in entries)


def test_a_new_file_gets_the_usual_permissions(log_path):
    mask = os.umask(0o022)
    try:
        log.append_entry(log_path, Entry(dt.date(2026, 11, 1), "NBME 13", 231), today=TODAY)
    finally:
        os.umask(mask)
    assert log_path.stat().st_mode & 0o777 == 0o644


def test_written_file_keeps_the_original_permissions(log_path):
    write(log_path, HEADER)
    os.chmod(log_path, 0o600)
    log.append_entry(log_path, Entry(dt.date(2026, 11, 1), "NBME 13", 231), today=TODAY)
    assert log_path.stat().st_mode & 0o777 == 0o600
