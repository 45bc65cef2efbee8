"""The score log: strict reading with file-and-line errors, safe writes."""

from __future__ import annotations

import bisect
import csv
import dataclasses
import datetime as dt
import errno
import io
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import files, log
from tracker.errors import InvalidEntryError, LogFormatError, LogWriteError
from tracker.log import Entry

from conftest import TODAY

HEADER = "date,assessment,score,notes\n"


def write(path, text: str | bytes) -> bytes:
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(data)
    return data


def test_missing_file_is_an_empty_log(log_path):
    assert log.read_log(log_path) == []
    assert not log_path.exists()  # reading never creates the file


def test_reads_rows_in_file_order(log_path):
    write(
        log_path,
        HEADER + "2026-10-01,NBME 12,231,first\n2026-09-01,UWSA 1,225,\n",
    )
    assert log.read_log(log_path) == [
        Entry(dt.date(2026, 10, 1), "NBME 12", 231, "first"),
        Entry(dt.date(2026, 9, 1), "UWSA 1", 225, ""),
    ]


def test_notes_column_is_optional_and_columns_may_come_in_any_order(log_path):
    write(log_path, "score,date,assessment\n231,2026-10-01,NBME 12\n")
    assert log.read_log(log_path) == [Entry(dt.date(2026, 10, 1), "NBME 12", 231, "")]


def test_quoted_commas_and_newlines_in_notes(log_path):
    write(log_path, HEADER + '2026-10-01,NBME 13,236,"tired, slept badly\nredo renal"\n')
    [entry] = log.read_log(log_path)
    assert entry.notes == "tired, slept badly\nredo renal"


def test_blank_lines_are_skipped_but_counted_in_line_numbers(log_path):
    write(log_path, HEADER + "\n2026-10-01,NBME 13,236,\n\n2026-10-02,NBME 14,1000,\n")
    with pytest.raises(LogFormatError) as caught:
        log.read_log(log_path)
    assert caught.value.line == 5


def test_directory_instead_of_file(tmp_path):
    with pytest.raises(LogFormatError, match="is a directory"):
        log.read_log(tmp_path)


ASCII = "is not a whole number in ASCII digits (0-9)"
NOT_A_DATE = "is not a date in YYYY-MM-DD form (ASCII digits)"
CONTROL = "assessment contains a line break or another control character"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        # Structure only: 0–999 fits any exam or a percentage; the exam checks its scale.
        ({"score": 1000}, "score 1000 is outside 0–999, the widest any exam uses"),
        ({"score": -1}, "score -1 is outside 0–999, the widest any exam uses"),
        ({"score": "abc"}, f"score 'abc' {ASCII}"),
        ({"score": "231.0"}, f"score '231.0' {ASCII}"),
        ({"score": "２３１"}, f"score '２３１' {ASCII}"),  # full-width digits
        ({"score": "٢٣١"}, f"score '٢٣١' {ASCII}"),  # Arabic-Indic digits
        ({"score": ""}, "score is empty"),
        ({"score": 231.0}, "score 231.0 is not a whole number"),
        ({"score": True}, "score True is not a whole number"),
        ({"date": "2026-12-01"}, "date 2026-12-01 is after today (2026-11-26)"),
        ({"date": "yesterday"}, f"date 'yesterday' {NOT_A_DATE}"),
        ({"date": "２０２６-11-01"}, f"date '２０２６-11-01' {NOT_A_DATE}"),
        ({"date": "٢٠٢٦-11-01"}, f"date '٢٠٢٦-11-01' {NOT_A_DATE}"),
        ({"date": "2026-11-1"}, f"date '2026-11-1' {NOT_A_DATE}"),
        ({"date": "2026-02-30"}, "date 2026-02-30 does not exist in the calendar"),
        ({"date": "1989-12-31"}, "date 1989-12-31 is outside 1990–2199"),
        ({"date": dt.date(1989, 12, 31)}, "date 1989-12-31 is outside 1990–2199"),
        ({"date": ""}, "date is empty"),
        ({"assessment": "   "}, "assessment is empty"),
        ({"assessment": "NBME\n13"}, CONTROL),
        ({"assessment": "NBME\t13"}, CONTROL),
        ({"assessment": "NBME\x1b[31m 13"}, CONTROL),  # ESC: a terminal colour code
        ({"assessment": "NBME\x07 13"}, CONTROL),  # BEL
        ({"assessment": "NBME \u202e31"}, CONTROL),  # RIGHT-TO-LEFT OVERRIDE
        ({"assessment": "NBME\u0085 13"}, CONTROL),  # NEL, a C1 line break
        (
            {"assessment": "x" * 81},
            "assessment name is 81 characters long; the limit is 80",
        ),
        ({"notes": "x" * 2_001}, "notes are 2,001 characters long; the limit is 2,000"),
        ({"notes": "a\x1bb"}, "notes contain a control character"),
        ({"notes": "a\u202eb"}, "notes contain a control character"),
        ({"notes": "a\x00b"}, "notes contain a NUL character"),
    ],
)
def test_make_entry_rejects_bad_values(kwargs, message):
    values = {"date": "2026-11-01", "assessment": "NBME 13", "score": 231} | kwargs
    with pytest.raises(InvalidEntryError) as caught:
        log.make_entry(**values, today=TODAY)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("kwargs", "stored"),
    [
        ({"score": 0}, {"score": 0}),
        ({"score": 999}, {"score": 999}),  # COMLEX's top
        ({"score": "+231"}, {"score": 231}),
        ({"score": "0231"}, {"score": 231}),
        ({"date": "1990-01-01"}, {"date": dt.date(1990, 1, 1)}),
        ({"date": TODAY}, {"date": TODAY}),
        ({"assessment": "x" * 80}, {"assessment": "x" * 80}),
        ({"notes": "x" * 2_000}, {"notes": "x" * 2_000}),
        ({"notes": "  a\tb\r\nc  "}, {"notes": "a\tb\nc"}),
    ],
)
def test_make_entry_accepts_the_edges(kwargs, stored):
    values = {"date": "2026-11-01", "assessment": "NBME 13", "score": 231} | kwargs
    expected = Entry(dt.date(2026, 11, 1), "NBME 13", 231)
    assert log.make_entry(**values, today=TODAY) == dataclasses.replace(expected, **stored)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"], ids=["line", "paragraph"])
def test_a_unicode_line_separator_is_a_line_break(separator):
    with pytest.raises(InvalidEntryError) as caught:
        log.make_entry("2026-11-01", f"NBME{separator} 13", 231, today=TODAY)
    assert str(caught.value) == CONTROL


def test_make_entry_strips_and_converts():
    entry = log.make_entry("2026-11-01", "  UWSA 2 ", " 244 ", " fine ", today=TODAY)
    assert entry == Entry(dt.date(2026, 11, 1), "UWSA 2", 244, "fine")


def test_append_creates_the_file_in_its_folder(tmp_path):
    # The folder must exist: a missing one is refused (test_every_file.py).
    path = tmp_path / "scores.csv"
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
    assert log.read_log(log_path) == entries


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
    assert log.read_log(log_path) == entries

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


# --- what a read accepts -----------------------------------------------------------------


def _refusal(text: str, check=None) -> str:
    with pytest.raises(LogFormatError) as caught:
        log.parse_log(text.encode("utf-8"), source="scores.csv", check=check)
    return str(caught.value)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2026-10-01,NBME 13,２３１,", f"score '２３１' {ASCII}"),
        ("2026-10-01,NBME 13,٢٣١,", f"score '٢٣١' {ASCII}"),
        ("２０２６-10-01,NBME 13,231,", f"date '２０２６-10-01' {NOT_A_DATE}"),
        ("٢٠٢٦-10-01,NBME 13,231,", f"date '٢٠٢٦-10-01' {NOT_A_DATE}"),
        (
            "2026-10-01,NBME 13,1000,",
            "score 1000 is outside 0–999, the widest any exam uses",
        ),
        ("2026-10-01,NBME 13,-1,", "score -1 is outside 0–999, the widest any exam uses"),
        ("1989-12-31,NBME 13,231,", "date 1989-12-31 is outside 1990–2199"),
        ("2200-01-01,NBME 13,231,", "date 2200-01-01 is outside 1990–2199"),
        ("2026-10-01,NBME\x1b13,231,", CONTROL),
        ("2026-10-01,NBME\x0713,231,", CONTROL),
        ("2026-10-01,NBME \u202e31,231,", CONTROL),
        ("2026-10-01,NBME\u008513,231,", CONTROL),
    ],
)
def test_a_read_refuses_what_is_not_a_row(row, message):
    assert _refusal(HEADER + row + "\n") == f"scores.csv line 2: {message}"


@pytest.mark.parametrize(
    ("row", "entry"),
    [
        ("1990-01-01,NBME 13,0,", Entry(dt.date(1990, 1, 1), "NBME 13", 0)),
        ("2199-12-31,NBME 13,999,", Entry(dt.date(2199, 12, 31), "NBME 13", 999)),
        # After TODAY (2026-11-26): a read never refuses a date in the future.
        ("2026-11-27,NBME 13,231,", Entry(dt.date(2026, 11, 27), "NBME 13", 231)),
        # Notes with a control character: a new entry may not have one; an old row is
        # read as it is.
        (
            '2026-10-01,NBME 13,231,"a\x1bb"',
            Entry(dt.date(2026, 10, 1), "NBME 13", 231, "a\x1bb"),
        ),
    ],
)
def test_a_read_accepts_every_row_that_is_well_formed(row, entry):
    assert log.parse_log((HEADER + row + "\n").encode(), source="scores.csv") == [entry]


def test_a_future_row_is_read_and_kept_but_not_logged_new(log_path):
    future = Entry(dt.date(2026, 12, 1), "NBME 14", 240)
    write(log_path, HEADER + "2026-12-01,NBME 14,240,\n")
    assert log.read_log(log_path) == [future]
    with pytest.raises(InvalidEntryError) as caught:
        log.make_entry(future.date, future.assessment, future.score, today=TODAY)
    assert str(caught.value) == "date 2026-12-01 is after today (2026-11-26)"
    # Appending today's result keeps the future row as it is.
    new = Entry(dt.date(2026, 11, 20), "NBME 13", 236)
    assert log.append_entry(log_path, new, today=TODAY) == [future, new]


def test_a_long_note_is_refused_when_new_but_read_when_old(log_path):
    with pytest.raises(InvalidEntryError) as caught:
        log.make_entry("2026-10-01", "NBME 13", 231, "x" * 5_000, today=TODAY)
    assert str(caught.value) == "notes are 5,000 characters long; the limit is 2,000"
    write(log_path, HEADER + "2026-10-01,NBME 13,231," + "x" * 5_000 + "\n")
    [old] = log.read_log(log_path)
    assert old.notes == "x" * 5_000
    new = Entry(dt.date(2026, 11, 1), "NBME 14", 240)
    assert log.append_entry(log_path, new, today=TODAY) == [old, new]
    assert log.read_log(log_path) == [old, new]


# --- the check hook -----------------------------------------------------------------------


def _on_scale(entry: Entry) -> None:
    """A check like an exam's: refuse a score off 1–300."""
    if not 1 <= entry.score <= 300:
        raise InvalidEntryError(f"score {entry.score} is outside 1–300")


def test_the_check_sees_every_row_in_file_order():
    seen = []
    text = HEADER + "2026-10-01,NBME 13,231,\n2026-09-01,UWSA 1,225,\n"
    entries = log.parse_log(text.encode(), source="scores.csv", check=seen.append)
    assert seen == entries and [e.assessment for e in seen] == ["NBME 13", "UWSA 1"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (HEADER + "2026-10-01,NBME 13,999,\n", 2),
        (HEADER + "2026-10-01,NBME 13,231,\n2026-10-02,NBME 14,999,\n", 3),
        # Blank lines count: the bad row is the file's fifth line.
        (HEADER + "\n2026-10-01,NBME 13,231,\n\n2026-10-02,NBME 14,999,\n", 5),
        # A note over three lines (2–4): the next row starts on line 5.
        (
            HEADER
            + '2026-10-01,NBME 13,231,"one\ntwo\nthree"\n'
            + "2026-10-02,NBME 14,999,\n",
            5,
        ),
        # The row with the long note is itself named by its first line.
        (HEADER + '2026-10-01,NBME 13,999,"one\ntwo\nthree"\n', 2),
        # A CRLF file counts lines the same way.
        (HEADER + "2026-10-01,NBME 13,231,\r\n2026-10-02,NBME 14,999,\r\n", 3),
    ],
)
def test_a_check_failure_names_the_source_and_line(text, line):
    assert _refusal(text, check=_on_scale) == (
        f"scores.csv line {line}: score 999 is outside 1–300"
    )


def test_read_log_passes_the_check_on(log_path):
    write(log_path, HEADER + "2026-10-01,NBME 13,231,\n2026-10-02,NBME 14,999,\n")
    assert len(log.read_log(log_path)) == 2  # structurally fine
    with pytest.raises(LogFormatError) as caught:
        log.read_log(log_path, check=_on_scale)
    assert str(caught.value) == f"{log_path} line 3: score 999 is outside 1–300"
    assert (caught.value.source, caught.value.line) == (str(log_path), 3)


def test_only_an_invalid_entry_becomes_a_format_error():
    # Anything else a check raises is a bug in the check, not a fault in the file.
    def broken(entry: Entry) -> None:
        raise KeyError(entry.assessment)

    with pytest.raises(KeyError):
        log.parse_log(
            (HEADER + "2026-10-01,NBME 13,231,\n").encode(), source="s", check=broken
        )


# --- properties ---------------------------------------------------------------------------

assessment_names = (
    st.text(
        alphabet=st.characters(min_codepoint=32, blacklist_categories=("Cs",)),
        min_size=1,
        max_size=log.ASSESSMENT_MAX_LENGTH,
    )
    .map(str.strip)
    .filter(lambda name: name and not log.has_control_characters(name))
)
notes_text = st.text(
    alphabet=st.characters(blacklist_characters="\x00\r", blacklist_categories=("Cs",)),
    max_size=30,
).map(str.strip)
entries_strategy = st.builds(
    Entry,
    # Every date a read takes, the future included.
    date=st.dates(min_value=log.EARLIEST_DATE, max_value=log.LATEST_DATE),
    assessment=assessment_names,
    score=st.integers(min_value=log.SCORE_LOW, max_value=log.SCORE_HIGH),
    notes=notes_text,
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entries_strategy, max_size=8))
def test_format_then_parse_round_trips(entries):
    raw = log.format_log(entries)
    assert log.parse_log(raw, source="scores.csv") == entries


@settings(max_examples=200)
@given(raw=st.binary(max_size=200))
def test_any_bytes_give_entries_or_a_tracker_error(raw):
    try:
        entries = log.parse_log(raw, source="scores.csv")
    except LogFormatError as error:
        match = re.fullmatch(r"scores\.csv line ([1-9]\d*): (.+)", str(error), re.DOTALL)
        assert match, str(error)
        line, problem = int(match[1]), match[2]
        # Where each line starts: csv counts "\r", "\n" and "\r\n" as line ends.
        starts = [0, *(end.end() for end in re.finditer(rb"\r\n|\r|\n", raw))]
        # Bytes are checked before rows: the line of the first byte that is not UTF-8,
        # else of the first NUL; otherwise the first bad row, and the file up to its
        # line reads while the file up to its end does not.
        if "not UTF-8" in problem:
            with pytest.raises(UnicodeDecodeError) as bad:
                raw.decode("utf-8")
            assert line == bisect.bisect_right(starts, bad.value.start)
        elif "NUL byte" in problem:
            assert line == bisect.bisect_right(starts, raw.index(b"\x00"))
        else:
            log.parse_log(raw[: starts[line - 1]], source="before")
            with pytest.raises(LogFormatError):
                log.parse_log(raw[: [*starts[1:], len(raw)][line - 1]], source="through")
    else:
        # Whatever reads, reads whole: written back and read again, it is the same.
        assert all(isinstance(entry, Entry) for entry in entries)
        assert log.parse_log(log.format_log(entries), source="again") == entries
        text = raw.decode("utf-8").removeprefix("\ufeff")
        rows = csv.reader(io.StringIO(text, newline=""))
        filled = [row for row in rows if any(cell.strip() for cell in row)]
        assert len(entries) == max(len(filled) - 1, 0)  # all but the header


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


# --- edits, deletes and undo: the exact refusals (found by mutation testing) -------------

TWO_ROWS = HEADER + "2026-09-01,NBME 10,225,\n2026-10-01,NBME 12,231,\n"


def test_a_stale_edit_or_delete_names_the_entry_counted_from_one(log_path):
    before = write(log_path, TWO_ROWS)
    stale = Entry(dt.date(2026, 10, 1), "NBME 12", 232)  # the file says 231
    new = Entry(dt.date(2026, 10, 1), "NBME 12", 233)
    message = f"{log_path}: entry 2 changed since it was shown; reload and retry"
    for change in (
        lambda: log.replace_entry(log_path, 1, new, expected=stale, today=TODAY),
        lambda: log.delete_entry(log_path, 1, expected=stale, today=TODAY),
    ):
        with pytest.raises(LogWriteError) as caught:
            change()
        assert str(caught.value) == message
    assert log_path.read_bytes() == before


def test_an_edit_dated_after_the_given_today_is_refused(log_path):
    # TODAY is 2026-11-26: an edit to 2026-11-27 is in the future for that day, whatever
    # the computer's own date.
    before = write(log_path, TWO_ROWS)
    future = Entry(dt.date(2026, 11, 27), "NBME 12", 231)
    with pytest.raises(InvalidEntryError) as caught:
        log.replace_entry(log_path, 1, future, today=TODAY)
    assert str(caught.value) == "date 2026-11-27 is after today (2026-11-26)"
    assert log_path.read_bytes() == before


def test_undo_refusals_say_what_is_missing_or_broken(log_path):
    with pytest.raises(LogWriteError) as caught:
        log.undo_last_change(log_path)
    assert str(caught.value) == (
        f"{log_path}: nothing to undo: there is no scores.csv.bak beside the log"
    )
    log.backup_path(log_path).write_text(TWO_ROWS)
    with pytest.raises(LogWriteError) as caught:
        log.undo_last_change(log_path)
    assert str(caught.value) == f"{log_path}: nothing to undo: the log does not exist"
    write(log_path, HEADER + "2026-09-01,NBME 10,abc,\n")
    with pytest.raises(LogFormatError) as caught:
        log.undo_last_change(log_path)
    assert str(caught.value) == (
        f"{log_path} line 2: score 'abc' is not a whole number in ASCII digits (0-9)"
    )


def test_undo_keeps_the_logs_permissions_on_both_files(log_path):
    write(log_path, TWO_ROWS)
    os.chmod(log_path, 0o640)
    log.delete_entry(log_path, 0, today=TODAY)
    log.undo_last_change(log_path)
    assert log_path.stat().st_mode & 0o777 == 0o640
    assert log.backup_path(log_path).stat().st_mode & 0o777 == 0o640


def test_an_undo_whose_backup_cannot_be_replaced_keeps_both_versions(log_path, monkeypatch):
    original = write(log_path, TWO_ROWS)
    log.delete_entry(log_path, 0, today=TODAY)
    after_delete = log_path.read_bytes()
    real_replace = os.replace

    def replace(source, target):
        if str(target).endswith(".bak"):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_replace(source, target)

    monkeypatch.setattr(log.os, "replace", replace)
    with pytest.raises(LogWriteError) as caught:
        log.undo_last_change(log_path)
    assert str(caught.value) == (
        f"{log.backup_path(log_path)}: could not be replaced (Read-only file system); "
        "the undone version is kept as scores.csv.bak.new"
    )
    assert log_path.read_bytes() == original
    assert log_path.with_name("scores.csv.bak.new").read_bytes() == after_delete


def test_a_failed_folder_sync_during_undo_is_reported_for_the_log(log_path, monkeypatch):
    # The copy of the current version is not synced on its own: the log's write that
    # follows syncs the folder, so a failure names the log, after its change.
    original = write(log_path, TWO_ROWS)
    log.delete_entry(log_path, 0, today=TODAY)

    def sync_fails(directory):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files, "_fsync_directory", sync_fails)
    with pytest.raises(LogWriteError) as caught:
        log.undo_last_change(log_path)
    assert str(caught.value).startswith(f"{log_path}: the new content is in place")
    assert log_path.read_bytes() == original


@pytest.mark.parametrize("change", ["edit", "delete"])
def test_a_failed_folder_sync_after_an_edit_is_reported_for_the_log(
    log_path, monkeypatch, change
):
    # The backup is not synced on its own: the log's write that follows syncs the
    # folder, so a failure names the log, whose new content is then in place.
    write(log_path, TWO_ROWS)

    def sync_fails(directory):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(files, "_fsync_directory", sync_fails)
    with pytest.raises(LogWriteError) as caught:
        if change == "edit":
            log.replace_entry(
                log_path, 0, Entry(dt.date(2026, 9, 1), "X", 240), today=TODAY
            )
        else:
            log.delete_entry(log_path, 0, today=TODAY)
    assert str(caught.value).startswith(f"{log_path}: the new content is in place")
    assert len(log.read_log(log_path)) == (2 if change == "edit" else 1)


NEW_ROW = Entry(dt.date(2026, 11, 1), "NBME 13", 231)


def test_the_temporary_file_is_made_beside_the_log(log_path, monkeypatch):
    # Beside it, so that the rename over the log stays on one file system.
    folders = []
    real_mkstemp = files.tempfile.mkstemp

    def mkstemp(**kwargs):
        folders.append(kwargs["dir"])
        return real_mkstemp(**kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", mkstemp)
    log.append_entry(log_path, NEW_ROW, today=TODAY)
    assert folders == [log_path.parent]


def test_a_log_in_a_folder_that_does_not_exist_is_refused_not_made(tmp_path):
    # A missing folder is more likely an unmounted drive or a typo than a wish.
    path = tmp_path / "not-mounted" / "dir" / "scores.csv"
    with pytest.raises(LogWriteError) as caught:
        log.append_entry(path, NEW_ROW, today=TODAY)
    assert str(caught.value) == (
        f"{path}: the folder {path.parent} does not exist; nothing was written (is a "
        "drive or a synced folder missing? create the folder first if it is new)"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_lock_that_cannot_be_taken_is_reported(log_path, monkeypatch):
    import filelock

    def denied(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(filelock.FileLock, "acquire", denied)
    with pytest.raises(LogWriteError) as caught:
        log.append_entry(log_path, NEW_ROW, today=TODAY)
    assert str(caught.value) == f"{log_path}: cannot lock: Permission denied"
    assert not log_path.exists()


def test_the_spreadsheet_export_keeps_formulas_as_text():
    # A cell starting with =, +, -, @, a tab or a carriage return gets an apostrophe;
    # the date and the score never do.
    typed = [
        Entry(dt.date(2026, 10, 1), '=HYPERLINK("http://x")', 231, "+1 point"),
        Entry(dt.date(2026, 10, 2), "@SUM(A1)", 232, "-2 since last"),
        Entry(dt.date(2026, 10, 3), "NBME 13", 233, "\tindented"),
        Entry(dt.date(2026, 10, 4), "UWSA 2", 244, "fine, = calm"),
    ]
    assert log.export_csv(typed).decode("utf-8").splitlines() == [
        "date,assessment,score,notes",
        '2026-10-01,"\'=HYPERLINK(""http://x"")",231,\'+1 point',
        "2026-10-02,'@SUM(A1),232,'-2 since last",
        "2026-10-03,NBME 13,233,'\tindented",
        '2026-10-04,UWSA 2,244,"fine, = calm"',
    ]
    assert log.export_csv(typed).endswith(b'calm"\n')  # one "\n" per row


# --- names that are folders, the tracker's own files, and outputs ------------------------


@pytest.mark.parametrize("name", ["..", "data/..", ".", "/"])
def test_a_log_named_as_a_folder_is_refused(name):
    with pytest.raises(LogFormatError) as caught:
        log.check_log_name(Path(name))
    assert str(caught.value) == (
        f"{name}: is a folder, not a log file; name the file, such as data/scores.csv"
    )


def test_an_append_replaces_a_backup_that_is_a_link_instead_of_following_it(log_path):
    # The .bak is the tracker's own file: a link found there is replaced by the copy of
    # the log, and the file it pointed to is left as it was.
    original = write(log_path, TWO_ROWS)
    precious = log_path.with_name("precious.txt")
    precious.write_text("precious\n")
    backup = log.backup_path(log_path)
    backup.symlink_to(precious)
    log.append_entry(log_path, NEW_ROW, today=TODAY)
    assert precious.read_text() == "precious\n"
    assert not backup.is_symlink() and backup.read_bytes() == original


def test_an_undo_replaces_a_leftover_link_instead_of_following_it(log_path):
    # scores.csv.bak.new is where an undo copies the current version: a link left there
    # is replaced, never followed to overwrite the file it points to.
    original = write(log_path, TWO_ROWS)
    log.delete_entry(log_path, 0, today=TODAY)
    after_delete = log_path.read_bytes()
    precious = log_path.with_name("precious.txt")
    precious.write_text("precious\n")
    log_path.with_name("scores.csv.bak.new").symlink_to(precious)
    log.undo_last_change(log_path)
    assert precious.read_text() == "precious\n"
    backup = log.backup_path(log_path)
    assert not backup.is_symlink() and backup.read_bytes() == after_delete
    assert log_path.read_bytes() == original


def test_an_output_that_cannot_be_looked_at_is_refused_with_the_reason(tmp_path):
    # A regular file cannot hold a folder: stat fails with ENOTDIR.
    (tmp_path / "notes.txt").write_text("not a folder\n")
    out = tmp_path / "notes.txt" / "plan.ics"
    with pytest.raises(LogWriteError) as caught:
        files.check_output(out, kind="calendar file", looks_like=lambda head: True)
    assert str(caught.value) == f"{out}: cannot be checked (Not a directory)"


def test_an_output_that_is_a_named_pipe_is_refused(tmp_path):
    out = tmp_path / "plan.ics"
    os.mkfifo(out)
    with pytest.raises(LogWriteError) as caught:
        files.check_output(out, kind="calendar file", looks_like=lambda head: True)
    assert str(caught.value) == f"{out}: is not a regular file; nothing was written"


def test_an_existing_output_is_judged_by_its_first_bytes_not_read_whole(tmp_path):
    # A large file given as the output by mistake is not loaded: only its first
    # 4,096 bytes are looked at.
    out = tmp_path / "big.ics"
    data = bytes(range(256)) * 4096  # 1 MiB
    out.write_bytes(data)
    seen = []

    def looks_like(head: bytes) -> bool:
        seen.append(head)
        return True

    files.check_output(out, kind="calendar file", looks_like=looks_like)
    assert seen == [data[:4096]]
