"""What a curious or unlucky student can do must not lock them out of their own log.

Clock changes and time zones, and the offsets editor left with an empty cell. (Files
that are not the log's to replace are in test_file_safety.py; flags and settings at
their edges in test_fuzz.py, test_settings_fuzz.py and test_cli.py; the two downloads
in test_phone.py.)
"""

from __future__ import annotations

import json

import pytest

from tracker.errors import CatalogError
from tracker.exams import STEP2_CK, load_catalog, shipped_catalog_path, with_offsets

from conftest import run_cli as run

HEADER = "date,assessment,score,notes\n"
ROWS = "2026-10-01,NBME 12,231,\n2026-10-15,NBME 13,236,\n2026-11-01,NBME 14,241,\n"


def test_a_result_logged_under_a_later_clock_never_locks_the_log(capsys, log_path):
    # Logged as if today were 2030-01-01 (a clock set wrong): the write is allowed by
    # that clock, and read back on 2026-11-26 the row is kept, named in a warning, and
    # left out of the verdict (3 scores used, not 4).
    log_path.write_text(HEADER + ROWS)
    code, _, _ = run(
        capsys, "log", "--log", str(log_path), "--today", "2030-01-01",
        "--assessment", "NBME 15", "--score", "244",
    )  # fmt: skip
    assert code == 0
    code, out, err = run(
        capsys, "verdict", "--log", str(log_path), "--today", "2026-11-26",
        "--exam-date", "2027-01-15", "--json",
    )  # fmt: skip
    assert code == 0
    assert err == (
        f"tracker: warning: {log_path}: entry 4 is dated 2030-01-01, after today "
        "(2026-11-26); it is left out until then (check the date, or the computer's "
        "clock)\n"
    )
    assert json.loads(out)["n_scores"] == 3
    code, out, _ = run(capsys, "list", "--log", str(log_path), "--today", "2026-11-26")
    assert code == 0 and "  4  2030-01-01  NBME 15" in out


def test_a_row_one_day_ahead_is_a_time_zone_not_a_mistake(capsys, log_path):
    # Logged at UTC+14 on 2026-11-27 and read at UTC−10, where it is still 2026-11-26:
    # a day of skew is taken as it is, with no warning, and the row counts.
    log_path.write_text(HEADER + ROWS + "2026-11-27,NBME 15,244,\n")
    code, out, err = run(
        capsys, "verdict", "--log", str(log_path), "--today", "2026-11-26",
        "--exam-date", "2027-01-15", "--json",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert json.loads(out)["n_scores"] == 4


NBME_9 = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK).find("NBME 9")


@pytest.mark.parametrize(
    ("offset", "uncertainty", "message"),
    [
        (None, 3.0, "NBME 9: the offset cell is empty or not a number"),
        (2.0, None, "NBME 9: the uncertainty cell is empty or not a number"),
        ("2", 3.0, "NBME 9: the offset cell is empty or not a number"),
        (float("nan"), 3.0, "NBME 9: offset nan is outside -32 to 32 points"),
        (2.0, float("inf"), "NBME 9: uncertainty inf is outside 0 to 32 points"),
        (40.0, 3.0, "NBME 9: offset 40.0 is outside -32 to 32 points"),
        (2.0, -1.0, "NBME 9: uncertainty -1.0 is outside 0 to 32 points"),
    ],
)
def test_an_emptied_or_impossible_offset_cell_is_refused_in_words(
    offset, uncertainty, message
):
    # Step 2 CK's limit: two of its SDs, 2 × 16 = 32 points.
    with pytest.raises(CatalogError) as caught:
        with_offsets(NBME_9, offset, uncertainty, STEP2_CK)
    assert str(caught.value) == message


def test_an_edited_offset_is_kept():
    edited = with_offsets(NBME_9, 2, 3.5, STEP2_CK)
    assert (edited.offset, edited.uncertainty, edited.name) == (2.0, 3.5, "NBME 9")


def test_today_far_in_the_future_is_one_line(capsys, log_path):
    log_path.write_text(HEADER + ROWS)
    code, out, err = run(
        capsys, "verdict", "--log", str(log_path), "--today", "9999-12-31",
        "--exam-date", "2027-01-15",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err == (
        "tracker: error: argument --today: date 9999-12-31 is outside 1990–2199 "
        "(see 'tracker verdict --help')\n"
    )
