"""Fixing mistakes from the command line: tracker edit, delete and undo.

Entry numbers are the example log's (data/example_scores.csv), in file order:
1 2026-09-01 NBME 9 224 ... 3 2026-09-24 NBME 11 227 "weak in renal and OB" ...
9 2026-11-21 NBME 15 242. The listing ID is the first 8 hex digits of the SHA-256 of
the file's bytes, computed here with hashlib as an independent check.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tracker import log
from tracker.fixes import Change, entry_changes
from tracker.log import Entry

from conftest import run_cli as run

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data" / "example_scores.csv"
TODAY = "2026-11-26"
HEADER = "date,assessment,score,notes\n"


@pytest.fixture
def example_log(tmp_path):
    path = tmp_path / "scores.csv"
    shutil.copy(EXAMPLE, path)
    return path


def sha8(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:8]


def test_edit_then_undo_restores_the_file_byte_for_byte(capsys, tmp_path):
    # Excel's layout (byte-order mark, CRLF) is rewritten canonically by the edit;
    # undo must still give back exactly the bytes the student had.
    path = tmp_path / "scores.csv"
    original = (
        "\ufeffdate,assessment,score,notes\r\n"
        "2026-11-01,NBME 12,236,\r\n"
        "2026-11-10,UWSA 1,243,tired\r\n"
    ).encode()
    path.write_bytes(original)
    code, out, err = run(
        capsys, "edit", "2", "--score", "234", "--log", str(path), "--today", TODAY
    )
    assert (code, err) == (0, "")
    assert out == (
        "Changed entry 2 (2026-11-10 UWSA 1): score 243 → 234.\n"
        "The previous log is kept as scores.csv.bak; 'tracker undo' puts it back.\n"
    )
    edited = path.read_bytes()
    assert (
        edited
        == (HEADER + "2026-11-01,NBME 12,236,\n2026-11-10,UWSA 1,234,tired\n").encode()
    )

    code, out, err = run(capsys, "undo", "--log", str(path))
    assert (code, err) == (0, "")
    assert path.read_bytes() == original
    assert out == (
        f"Put back {path} as it was before the last change:\n"
        "  entry 2 (2026-11-10 UWSA 1): score 234 → 243\n"
        "2 results in the log now. The undone version is kept as scores.csv.bak: "
        "'tracker undo' again redoes it.\n"
    )
    # Undo of an undo is a redo: the edited file comes back, the original is the .bak.
    assert run(capsys, "undo", "--log", str(path))[0] == 0
    assert path.read_bytes() == edited
    assert log.backup_path(path).read_bytes() == original


def test_edit_changes_only_the_fields_given(capsys, example_log):
    code, out, _ = run(
        capsys, "edit", "3", "--date", "2026-09-25", "--notes", "", "--log",
        str(example_log), "--today", TODAY,
    )  # fmt: skip
    assert code == 0
    assert out.splitlines()[0] == (
        "Changed entry 3 (2026-09-24 NBME 11): date 2026-09-24 → 2026-09-25; "
        'notes "weak in renal and OB" → "".'
    )
    assert log.read_log(example_log)[2] == Entry(
        log.parse_date("2026-09-25"), "NBME 11", 227, ""
    )


def test_an_edit_that_changes_nothing_writes_nothing(capsys, example_log):
    before = example_log.read_bytes()
    code, out, _ = run(
        capsys, "edit", "2", "--score", "229", "--log", str(example_log), "--today", TODAY
    )
    assert code == 0
    assert out == "Entry 2 already reads 2026-09-12 NBME 10: 229; nothing written.\n"
    assert example_log.read_bytes() == before
    assert not log.backup_path(example_log).exists()


def test_delete_prints_the_row_and_undo_brings_it_back(capsys, example_log):
    before = example_log.read_bytes()
    code, out, _ = run(capsys, "delete", "3", "--log", str(example_log))
    assert code == 0
    assert out.splitlines()[0] == (
        "Deleted entry 3: 2026-09-24 NBME 11: 227 (weak in renal and OB)."
    )
    assert [e.assessment for e in log.read_log(example_log)][1:3] == ["NBME 10", "NBME 12"]
    code, out, _ = run(capsys, "undo", "--log", str(example_log))
    assert code == 0
    assert out.splitlines()[1] == (
        "  entry 3 is back: 2026-09-24 NBME 11: 227 (weak in renal and OB)"
    )
    assert example_log.read_bytes() == before


def test_the_listing_id_from_tracker_list_lets_an_edit_through(capsys, example_log):
    code, out, _ = run(capsys, "list", "--log", str(example_log))
    listing = sha8(example_log.read_bytes())
    assert code == 0
    assert out.splitlines()[-1] == f"9 results in {example_log} (listing {listing})"
    code, out, err = run(
        capsys, "delete", "9", "--listing", listing, "--log", str(example_log)
    )
    assert (code, err) == (0, "")
    assert out.startswith("Deleted entry 9: 2026-11-21 NBME 15: 242.")


def test_logging_then_undo_removes_the_new_row(capsys, example_log):
    before = example_log.read_bytes()
    code, _, _ = run(
        capsys, "log", "--assessment", "NBME 16", "--score", "245", "--date",
        "2026-11-25", "--log", str(example_log), "--today", TODAY,
    )  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, "undo", "--log", str(example_log))
    assert code == 0
    assert out.splitlines()[1] == "  entry 10 is gone: 2026-11-25 NBME 16: 245"
    assert example_log.read_bytes() == before


def test_the_first_result_of_a_new_log_has_nothing_to_undo_then_the_second_has(
    capsys, log_path
):
    for day, score in (("2026-11-20", "231"), ("2026-11-24", "236")):
        code, _, _ = run(
            capsys, "log", "--assessment", "NBME 13", "--score", score, "--date", day,
            "--log", str(log_path), "--today", TODAY,
        )  # fmt: skip
        assert code == 0
        if day == "2026-11-20":
            one_row = log_path.read_bytes()
            code, out, err = run(capsys, "undo", "--log", str(log_path))
            assert (code, out) == (2, "")
            assert err == (
                f"tracker: error: {log_path}: nothing to undo: there is no "
                "scores.csv.bak beside the log\n"
            )
            assert log_path.read_bytes() == one_row
    code, _, _ = run(capsys, "undo", "--log", str(log_path))
    assert code == 0 and log_path.read_bytes() == one_row


def test_a_new_log_leaves_an_old_backup_alone(capsys, log_path):
    # A .bak without its log may be all that is left of an older log: never overwrite it.
    old = (HEADER + "2026-09-01,NBME 9,224,\n").encode()
    log.backup_path(log_path).write_bytes(old)
    run(
        capsys, "log", "--assessment", "NBME 13", "--score", "231", "--date",
        "2026-11-20", "--log", str(log_path), "--today", TODAY,
    )  # fmt: skip
    assert log.backup_path(log_path).read_bytes() == old


EDITED_LOG_LINES = 10  # header + 9 rows


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["edit", "10", "--score", "240"],
         "{log}: there is no entry 10 (the log has 9; 'tracker list' numbers them)"),
        (["delete", "10"],
         "{log}: there is no entry 10 (the log has 9; 'tracker list' numbers them)"),
        (["edit", "3"], "nothing to change: give --date, --assessment, --score, --notes, "
         "--issue or --no-issues"),
        (["edit", "3", "--score", "1000"],
         "score 1000 is outside 0–999, the widest any exam uses"),
        (["edit", "3", "--score", "301"],
         "score 301 is outside 1–300, the scale of NBME 11"),
        (["edit", "3", "--score", "65"],
         "65 is not a three-digit NBME 11 score (no form reports under 150); if it is a "
         "percentage, log it under a percent-correct form such as the Free 120, or check "
         "the number"),
        (["edit", "3", "--date", "2026-02-30"],
         "date 2026-02-30 does not exist in the calendar"),
        (["edit", "3", "--date", "2026-11-27"],  # TODAY is 2026-11-26
         "date 2026-11-27 is after today (2026-11-26)"),
        (["edit", "3", "--assessment", ""], "assessment is empty"),
        (["edit", "3", "--score", "231", "--listing", "0123abcd"],
         "{log} changed since listing 0123abcd (it is now {id}); run 'tracker list' "
         "again and check the numbers"),
        (["delete", "3", "--listing", "0123abcd"],
         "{log} changed since listing 0123abcd (it is now {id}); run 'tracker list' "
         "again and check the numbers"),
        (["delete", "0"], "argument N: entry number '0' is not a whole number from 1 "
         "(see 'tracker delete --help')"),
        (["delete", "-1"], "argument N: entry number '-1' is not a whole number from 1 "
         "(see 'tracker delete --help')"),
        (["edit", "three", "--score", "231"], "argument N: entry number 'three' is not a "
         "whole number from 1 (see 'tracker edit --help')"),
        (["undo"], "{log}: nothing to undo: there is no scores.csv.bak beside the log"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_exit_2_and_the_file_unchanged(
    capsys, example_log, argv, message
):
    before = example_log.read_bytes()
    code, out, err = run(capsys, *argv, "--log", str(example_log), "--today", TODAY)
    expected = message.format(log=example_log, id=sha8(before))
    assert (code, out, err) == (2, "", f"tracker: error: {expected}\n")
    assert example_log.read_bytes() == before
    assert not log.backup_path(example_log).exists()


def test_undo_refuses_a_broken_backup_and_writes_nothing(capsys, example_log):
    before = example_log.read_bytes()
    backup = log.backup_path(example_log)
    backup.write_text(HEADER + "2026-09-01,NBME 9,not a score,\n")
    code, out, err = run(capsys, "undo", "--log", str(example_log))
    assert (code, out) == (2, "")
    assert err == (
        f"tracker: error: {backup} line 2: score 'not a score' is not a whole number "
        "in ASCII digits (0-9)\n"
    )
    assert example_log.read_bytes() == before
    assert backup.read_text().endswith("not a score,\n")


def test_the_empty_log_hint_names_the_log_only_when_one_was_given(
    capsys, tmp_path, monkeypatch
):
    given = tmp_path / "mine.csv"
    code, out, _ = run(capsys, "list", "--log", str(given))
    assert code == 0
    assert out == (
        f"No results in {given} yet. Add one with:\n"
        f'  tracker log --log {given} --assessment "NBME 9" --score 231\n'
    )
    monkeypatch.setenv("TRACKER_LOG", str(tmp_path / "env.csv"))
    code, out, _ = run(capsys, "list")
    assert out.splitlines()[1] == '  tracker log --assessment "NBME 9" --score 231'


A = Entry(log.parse_date("2026-11-01"), "NBME 12", 236)
B = Entry(log.parse_date("2026-11-10"), "UWSA 1", 243)
C = Entry(log.parse_date("2026-11-20"), "NBME 13", 245)
B2 = Entry(log.parse_date("2026-11-10"), "UWSA 1", 234)


@pytest.mark.parametrize(
    ("before", "after", "changes"),
    [
        ([A, B, C], [A, B, C], ()),
        ([A, B, C], [A, B2, C], (Change("changed", 2, B, B2),)),
        ([A, B, C], [A, C], (Change("removed", 2, B, None),)),
        ([A, C], [A, B, C], (Change("added", 2, None, B),)),
        ([A, B], [A, B, C], (Change("added", 3, None, C),)),
        ([], [A], (Change("added", 1, None, A),)),
    ],
    ids=["same", "one score fixed", "one deleted", "one restored", "one appended", "first"],
)
def test_entry_changes_name_each_row_that_differs(before, after, changes):
    assert entry_changes(before, after) == changes
