"""Bad input, table-driven: every file is read right or refused by line, never changed."""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import log
from tracker.assess import assess, record
from tracker.errors import InvalidEntryError, LogFormatError, LogWriteError
from tracker.exams import STEP2_CK, load_catalog, read_entry, shipped_catalog_path
from tracker.log import Entry
from tracker.settings import Settings

from conftest import TODAY

HEADER = "date,assessment,score,notes\n"
ROW = "2026-10-01,NBME 13,231,\n"


STEP2_FORMS = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK)


def on_step2_scale(entry: Entry) -> None:
    """The check the command passes when it reads a Step 2 CK log."""
    read_entry(entry, STEP2_CK, STEP2_FORMS)


def _rows(n: int) -> bytes:
    start = dt.date(1990, 1, 1)  # 20,000 days later is 2044: inside 1990–2199
    lines = [HEADER] + [
        f"{start + dt.timedelta(days=i // 5)},NBME {9 + i % 8},{150 + i % 150},\n"
        for i in range(n)
    ]
    return "".join(lines).encode()


# (case, the file's bytes, entries read or the error after "<path> ")
CASES = [
    (
        "score 999",
        HEADER + "2026-10-01,NBME 13,999,\n",
        "line 2: score 999 is outside 1–300, the scale of NBME 13",
    ),
    (
        "score 1000",
        HEADER + "2026-10-01,NBME 13,1000,\n",
        "line 2: score 1000 is outside 0–999, the widest any exam uses",
    ),
    (
        "score -5",
        HEADER + "2026-10-01,NBME 13,-5,\n",
        "line 2: score -5 is outside 0–999, the widest any exam uses",
    ),
    (
        "score 0",
        HEADER + "2026-10-01,NBME 13,0,\n",
        "line 2: score 0 is outside 1–300, the scale of NBME 13",
    ),
    (
        "a percentage under an NBME form",
        HEADER + "2026-10-01,NBME 13,65,\n",
        "line 2: 65 is not a three-digit NBME 13 score (no form reports under 150); if "
        "it is a percentage, log it under a percent-correct form such as the Free 120, "
        "or check the number",
    ),
    ("a Free 120 percentage", HEADER + "2026-10-01,Free 120,72,\n", 1),
    (
        "a Free 120 three-digit score",
        HEADER + "2026-10-01,Free 120,245,\n",
        "line 2: Free 120 is scored in percent correct; 245 is not 0–100 (log the "
        "percentage you saw, such as 70)",
    ),
    ("an unknown form", HEADER + "2026-10-01,Kaplan Diagnostic,231,\n", 1),
    ("the real result", HEADER + "2026-10-01,Step 2 CK,251,\n", 1),
    (
        "score 240.5",
        HEADER + "2026-10-01,NBME 13,240.5,\n",
        "line 2: score '240.5' is not a whole number in ASCII digits (0-9)",
    ),
    (
        "score abc",
        HEADER + "2026-10-01,NBME 13,abc,\n",
        "line 2: score 'abc' is not a whole number in ASCII digits (0-9)",
    ),
    (
        "full-width score",
        HEADER + "2026-10-01,NBME 13,２３１,\n",
        "line 2: score '２３１' is not a whole number in ASCII digits (0-9)",
    ),
    (
        "Arabic-Indic date",
        HEADER + "٢٠٢٦-10-01,NBME 13,231,\n",
        "line 2: date '٢٠٢٦-10-01' is not a date in YYYY-MM-DD form (ASCII digits)",
    ),
    (
        "a date before 1990",
        HEADER + "1960-01-01,NBME 13,231,\n",
        "line 2: date 1960-01-01 is outside 1990–2199",
    ),
    ("score empty", HEADER + "2026-10-01,NBME 13,,\n", "line 2: score is empty"),
    ("score with spaces", HEADER + "2026-10-01,NBME 13, 231 ,\n", 1),
    (
        "month 13",
        HEADER + "2026-13-01,NBME 13,231,\n",
        "line 2: date 2026-13-01 does not exist in the calendar",
    ),
    (
        "30 February",
        HEADER + "2026-02-30,NBME 13,231,\n",
        "line 2: date 2026-02-30 does not exist in the calendar",
    ),
    (
        "day-first date",
        HEADER + "31/12/2025,NBME 13,231,\n",
        "line 2: date '31/12/2025' is not a date in YYYY-MM-DD form (ASCII digits)",
    ),
    (
        "Excel serial date",
        HEADER + "46000,NBME 13,231,\n",
        "line 2: date '46000' is not a date in YYYY-MM-DD form (ASCII digits)",
    ),
    (
        "date with a time",
        HEADER + "2026-10-01T09:00,NBME 13,231,\n",
        "line 2: date '2026-10-01T09:00' is not a date in YYYY-MM-DD form (ASCII digits)",
    ),
    # Reads never refuse a future date: a clock change must not lock a student out.
    ("date after today", HEADER + "2026-11-27,NBME 13,231,\n", 1),
    (
        "an escape sequence in a name",
        HEADER + "2026-10-01,NBME\x1b[2J 13,231,\n",
        "line 2: assessment contains a line break or another control character",
    ),
    ("empty assessment", HEADER + "2026-10-01,,231,\n", "line 2: assessment is empty"),
    ("date empty", HEADER + ",NBME 13,231,\n", "line 2: date is empty"),
    (
        "a name of 81 characters",
        HEADER + "2026-10-01," + "N" * 81 + ",231,\n",
        "line 2: assessment name is 81 characters long; the limit is 80",
    ),
    (
        "score 1, on the scale but under any form's",
        HEADER + "2026-10-01,NBME 13,1,\n",
        "line 2: 1 is not a three-digit NBME 13 score (no form reports under 150); if "
        "it is a percentage, log it under a percent-correct form such as the Free 120, "
        "or check the number",
    ),
    (
        "a percentage under a form's other name",
        HEADER + "2026-10-01,CCSSA Form 13,65,\n",
        "line 2: 65 is not a three-digit NBME 13 score (no form reports under 150); if "
        "it is a percentage, log it under a percent-correct form such as the Free 120, "
        "or check the number",
    ),
    ("a real result of exactly 150", HEADER + "2026-10-01,Step 2 CK,150,\n", 1),
    (
        "a real result under any reported score",
        HEADER + "2026-10-01,Step 2 CK,120,\n",
        "line 2: 120 is not a Step 2 CK score (none is reported under 150); check the "
        "number",
    ),
    (
        "missing header",
        ROW,
        "line 1: no header row; the first line must be date,assessment,score,notes",
    ),
    (
        "duplicate column",
        "date,assessment,score,score\n" + ROW,
        "line 1: column 'score' appears twice",
    ),
    (
        "header repeated",
        HEADER + ROW + HEADER + ROW,
        "line 3: the header row appears again; were two files joined?",
    ),
    ("a header of one column", "date\n2026-10-01\n", "line 1: missing column 'assessment'"),
    (
        "missing column",
        "date,assessment,notes\n2026-10-01,NBME 13,x\n",
        "line 1: missing column 'score'",
    ),
    (
        "columns in another order",
        "notes,score,assessment,date\n,231,NBME 13,2026-10-01\n",
        1,
    ),
    ("capitalised header", "Date,Assessment,Score,Notes\n" + ROW, 1),
    (
        "unknown extra column",
        "date,assessment,score,notes,mood\n2026-10-01,NBME 13,231,,ok\n",
        "line 1: unknown column 'mood' (expected date, assessment, score, notes, issues)",
    ),
    (
        "semicolons",
        "date;assessment;score;notes\n2026-10-01;NBME 13;231;\n",
        "line 1: columns are separated by ';'; the log must use commas",
    ),
    (
        "a field missing",
        HEADER + "2026-10-01,NBME 13,231\n",
        "line 2: expected 4 fields, found 3",
    ),
    (
        "a field too many",
        HEADER + "2026-10-01,NBME 13,231,,x\n",
        "line 2: expected 4 fields, found 5",
    ),
    ("quoted comma in notes", HEADER + '2026-10-01,NBME 13,231,"tired, hungry"\n', 1),
    (
        "quoted newline in notes",
        HEADER
        + '2026-10-01,NBME 13,231,"line one\nline two"\n'
        + "2026-10-02,NBME 14,999,\n",
        "line 4: score 999 is outside 1–300, the scale of NBME 14",
    ),
    (
        "unclosed quote",
        HEADER + '2026-10-01,NBME 13,231,"never closed\n',
        "line 2: malformed CSV: unexpected end of data",
    ),
    ("UTF-8 BOM", "\ufeff" + HEADER + ROW, 1),
    ("CRLF", (HEADER + ROW).replace("\n", "\r\n"), 1),
    ("BOM, CRLF, header only", "\ufeff" + HEADER.replace("\n", "\r\n"), 0),
    (
        "Latin-1 bytes",
        (HEADER + "2026-10-01,NBME 13,231,caf\xe9\n").encode("latin-1"),
        "line 2: byte 0xe9 is not UTF-8 text; save the file as UTF-8",
    ),
    (
        "NUL bytes",
        HEADER + "2026-10-01,NBME\x0013,231,\n",
        "line 2: contains a NUL byte; is this a CSV file?",
    ),
    (
        "a Latin-1 byte after a blank line, with rows after it",
        (
            "\n" + HEADER + "2026-10-01,NBME 13,231,caf\xe9\n2026-10-02,NBME 14,240,\n"
            "2026-10-03,NBME 15,241,\n2026-10-04,NBME 16,242,\n"
        ).encode("latin-1"),
        "line 3: byte 0xe9 is not UTF-8 text; save the file as UTF-8",
    ),
    (
        "NUL bytes on two lines after a blank one",
        "\n" + HEADER + "2026-10-01,NBME\x0013,231,\n2026-10-02,NBME 14,240,\x00\n",
        "line 3: contains a NUL byte; is this a CSV file?",
    ),
    (
        # Old Mac line ends: "\r" alone ends a line, so the NUL is on line 3.
        "a NUL byte in a file with old Mac line ends",
        (HEADER + ROW + "2026-10-02,NBME\x0014,240,\n").replace("\n", "\r"),
        "line 3: contains a NUL byte; is this a CSV file?",
    ),
    (
        # Header, row, and the byte on the third line, each line ended by "\r".
        "a Latin-1 byte in a file with old Mac line ends",
        (HEADER + ROW + "2026-10-02,NBME 14,240,caf\xe9\n")
        .replace("\n", "\r")
        .encode("latin-1"),
        "line 3: byte 0xe9 is not UTF-8 text; save the file as UTF-8",
    ),
    ("empty file", "", 0),
    ("header only", HEADER, 0),
    ("blank lines", "\n" + HEADER + "\n\n" + ROW + "\n", 1),
    ("Excel's empty row", HEADER + ROW + ",,,\n", 1),
    ("100,000 rows", _rows(100_000), 100_000),
    (
        "a 10 MB line",
        HEADER + "2026-10-01,NBME 13,231," + "x" * 10_000_000 + "\n",
        "line 2: a field is longer than 131,072 characters; is this the score log?",
    ),
]


@pytest.mark.parametrize(
    ("content", "expected"), [pytest.param(*case[1:], id=case[0]) for case in CASES]
)
def test_each_file_is_read_right_or_refused_by_line(log_path, content, expected):
    raw = content.encode("utf-8") if isinstance(content, str) else content
    log_path.write_bytes(raw)
    if isinstance(expected, int):
        entries = log.read_log(log_path, check=on_step2_scale)
        assert len(entries) == expected
    else:
        with pytest.raises(LogFormatError) as caught:
            log.read_log(log_path, check=on_step2_scale)
        assert str(caught.value) == f"{log_path} {expected}"
        if _structurally_broken(log_path):  # and then no write goes through
            with pytest.raises(LogFormatError):
                log.append_entry(
                    log_path, Entry(dt.date(2026, 11, 1), "NBME 15", 240), today=TODAY
                )
    assert log_path.read_bytes() == raw


def _structurally_broken(path) -> bool:
    try:
        log.read_log(path)
    except LogFormatError:
        return True
    return False


# Every way a read refuses a file or a row (tracker/log.py and, for the exam's scale,
# tracker/exams.py), in the words of its message.
REFUSALS = (
    "is not UTF-8 text",
    "contains a NUL byte",
    "columns are separated by ';'",
    "no header row",
    "unknown column",
    "appears twice",
    "missing column",
    "the header row appears again",
    "fields, found",
    "malformed CSV",
    "a field is longer than",
    "date is empty",
    "is not a date in YYYY-MM-DD form",
    "does not exist in the calendar",
    "is outside 1990–2199",
    "score is empty",
    "is not a whole number in ASCII digits",
    "the widest any exam uses",
    "assessment is empty",
    "assessment name is",
    "assessment contains a line break",
    "the scale of",
    "is not a three-digit",
    "is scored in percent correct",
    "none is reported under",
)


def test_every_way_a_read_refuses_has_a_case():
    messages = [case[2] for case in CASES if isinstance(case[2], str)]
    without = [words for words in REFUSALS if not any(words in m for m in messages)]
    assert without == []
    # Each refusal in the table is one of these: a new kind needs its words above.
    unknown = [m for m in messages if not any(words in m for words in REFUSALS)]
    assert unknown == []


def test_values_that_survive_a_read_are_what_was_written(log_path):
    log_path.write_text(
        'notes,score,assessment,date\n"tired, hungry",231,NBME 13,2026-10-01\n'
    )
    assert log.read_log(log_path) == [
        Entry(dt.date(2026, 10, 1), "NBME 13", 231, "tired, hungry")
    ]


# --- properties -------------------------------------------------------------------------

# Entries a write accepts: names without control characters, any structural score,
# dates up to today, notes with no control characters but line breaks and tabs.
entries = st.builds(
    Entry,
    date=st.dates(min_value=log.EARLIEST_DATE, max_value=TODAY),
    assessment=st.text(
        st.characters(min_codepoint=32, blacklist_categories=("Cs",)),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(lambda name: name and not log.has_control_characters(name)),
    score=st.integers(log.SCORE_LOW, log.SCORE_HIGH),
    # "\r" is normalised to "\n" on the way in (tested on its own below).
    notes=st.text(
        st.characters(blacklist_characters="\x00\r", blacklist_categories=("Cs",)),
        max_size=20,
    )
    .map(str.strip)
    .filter(lambda notes: not log.has_control_characters(notes, allow="\n\t")),
)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("append"), entries),
        st.tuples(st.just("edit"), st.integers(0, 50), entries),
        st.tuples(st.just("delete"), st.integers(0, 50)),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(operations=operations)
def test_appends_edits_and_deletes_read_back_as_the_model(operations):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scores.csv"
        model: list[Entry] = []
        for operation in operations:
            kind = operation[0]
            if kind == "append":
                log.append_entry(path, operation[1], today=TODAY)
                model.append(operation[1])
            elif not model:
                with pytest.raises(LogWriteError, match="there is no entry"):
                    log.delete_entry(path, 0, today=TODAY)
                continue
            elif kind == "edit":
                index = operation[1] % len(model)
                log.replace_entry(
                    path, index, operation[2], expected=model[index], today=TODAY
                )
                model[index] = operation[2]
            else:
                index = operation[1] % len(model)
                log.delete_entry(path, index, expected=model[index], today=TODAY)
                del model[index]
            assert log.read_log(path) == model


csv_like = st.text(
    st.sampled_from(list("0123456789-,;\"'\n\r \t.abcdeNBMUWSA\ufeff\x00é=+")),
    max_size=120,
).map(lambda body: HEADER + body)


def _data_rows(text: str) -> int:
    """Rows after the header that hold anything, counted by the csv module alone."""
    rows = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    filled = [row for row in rows if any(cell.strip() for cell in row)]
    return max(len(filled) - 1, 0)


_LINE_END = re.compile(r"\r\n|\r|\n")


def _line_starts(text: str) -> list[int]:
    """Where each line of ``text`` starts, as csv counts lines ("\r\n", "\r", "\n")."""
    return [0, *(match.end() for match in _LINE_END.finditer(text))]


@settings(max_examples=300, deadline=None)
@given(text=csv_like, checked=st.booleans())
def test_csv_like_text_gives_entries_or_a_tracker_error(text, checked):
    check = on_step2_scale if checked else None
    try:
        result = log.parse_log(text.encode("utf-8"), source="scores.csv", check=check)
    except LogFormatError as error:
        match = re.fullmatch(r"scores\.csv line ([1-9]\d*): (.+)", str(error), re.DOTALL)
        assert match, str(error)
        line, problem = int(match[1]), match[2]
        starts = _line_starts(text)
        if "NUL" in problem:
            # The line of the first NUL, counting line ends as csv does.
            assert line == bisect.bisect_right(starts, text.index("\x00"))
        else:
            # The first bad row: the file up to its line reads; up to its end, not.
            before = text[: starts[line - 1]]
            through = text[: [*starts[1:], len(text)][line - 1]]
            log.parse_log(before.encode("utf-8"), source="s", check=check)
            with pytest.raises(LogFormatError):
                log.parse_log(through.encode("utf-8"), source="s", check=check)
    else:
        assert all(isinstance(entry, Entry) and 0 <= entry.score <= 999 for entry in result)
        # Nothing is dropped: one entry per row that holds anything.
        assert len(result) == _data_rows(text)
        if checked:
            for entry in result:
                reading = read_entry(entry, STEP2_CK, STEP2_FORMS)
                assert reading.calibrated >= 1 and reading.calibrated <= 300


def test_carriage_returns_in_notes_become_newlines(log_path):
    entry = Entry(dt.date(2026, 10, 1), "NBME 13", 231, "a\rb\r\nc")
    [stored] = log.append_entry(log_path, entry, today=TODAY)
    assert stored.notes == "a\nb\nc"
    assert log.read_log(log_path) == [stored]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            Entry(dt.date(2026, 10, 1), "NBME 13", 1000),
            "score 1000 is outside 0–999, the widest any exam uses",
        ),
        (
            Entry(dt.date(2026, 11, 27), "NBME 13", 231),
            "date 2026-11-27 is after today (2026-11-26)",
        ),
        (
            Entry(dt.date(2026, 10, 1), "NBME\x1b[2J 13", 231),
            "assessment contains a line break or another control character",
        ),
        (
            Entry(dt.date(2026, 10, 1), "NBME 13", 231, "x" * 2_001),
            "notes are 2,001 characters long; the limit is 2,000",
        ),
    ],
)
def test_a_hand_built_bad_entry_is_not_written(log_path, entry, message):
    with pytest.raises(InvalidEntryError) as caught:
        log.append_entry(log_path, entry, today=TODAY)
    assert str(caught.value) == message
    assert not log_path.exists()


def test_a_score_off_the_exams_scale_is_not_recorded(log_path):
    # 999 is a structurally fine score (COMLEX goes that high), but not a Step 2 CK one.
    with pytest.raises(InvalidEntryError) as caught:
        record(
            log_path, Entry(dt.date(2026, 10, 1), "NBME 13", 999), Settings(), today=TODAY
        )
    assert str(caught.value) == "score 999 is outside 1–300, the scale of NBME 13"
    assert not log_path.exists()


@pytest.mark.parametrize("exam", ["step2-ck", "comlex-2ce"])
def test_a_log_recorded_under_both_exams_reads_under_either(log_path, exam):
    # A DO student preparing for both: a COMSAE (520) and a Free 120 (70%), each
    # recorded under its own exam.
    comsae = Entry(dt.date(2026, 11, 1), "COMSAE Phase 2", 520)
    free = Entry(dt.date(2026, 11, 2), "Free 120", 70)
    record(log_path, comsae, Settings(exam="comlex-2ce"), today=TODAY)
    record(log_path, free, Settings(exam="step2-ck"), today=TODAY)
    settings = Settings(exam=exam, exam_date=dt.date(2027, 1, 10))
    assert assess(log_path, settings, TODAY).entries == (comsae, free)
