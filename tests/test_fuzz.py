"""Random command lines: never a traceback, exit 0 or 2, the log changed only by writes.

Each flag gets values drawn from its own type and from the edges people and scripts
type: NaN, infinities, 1e308, zero, negatives, far dates, empty strings, control
characters and other scripts' digits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "data" / "example_scores.csv"
EDGE_TEXT = st.sampled_from(
    [
        "", " ", "nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-1e308", "0", "-1",
        "1", "999", "1000", "0.9999999999999999", "1e-320", "２４２", "٢٤٢", "\x1b[31m",
        "\x07", "\u202e", "none", "off", "2026-11-26", "9999-12-31", "0001-01-01",
        "2026-02-30", "２０２６-１１-２６", "1989-12-31", "2200-01-01", "bayes", "ols",
        "step2-ck", "comlex-2ce", "NBME 12", "Free 120", "Step 2 CK", "x" * 200,
        "1" * 5000,  # past the 4,300 digits Python converts to an int
    ]
)  # fmt: skip


def mostly(valid, edges=EDGE_TEXT):
    """Values that are usually sensible (5 in 6), so that commands get past argparse
    often enough to reach the core, and hit the edges the rest of the time."""
    return st.one_of(valid, valid, valid, valid, valid, edges)


def numbers(low: float, high: float):
    return mostly(
        st.one_of(
            st.integers(min_value=int(low), max_value=int(high)).map(str),
            st.floats(min_value=low, max_value=high).map(repr),
        ),
        st.one_of(EDGE_TEXT, st.floats(allow_nan=True, allow_infinity=True).map(repr)),
    )


def dates_near(start: dt.date, days: int):
    return mostly(
        st.integers(min_value=0, max_value=days).map(
            lambda n: (start + dt.timedelta(days=n)).isoformat()
        ),
        st.one_of(EDGE_TEXT, st.dates().map(dt.date.isoformat)),
    )


TODAY = dt.date(2026, 11, 26)
SETTING_VALUES = {
    "--exam": mostly(st.sampled_from(["step2-ck", "comlex-2ce"])),
    "--exam-date": dates_near(TODAY, 1200),
    "--eras-date": dates_near(TODAY, 1200),
    "--eligibility-end": dates_near(TODAY - dt.timedelta(days=30), 400),
    "--threshold": numbers(150, 700),
    "--target": numbers(150, 700),
    "--window": numbers(1, 25),
    "--level": numbers(0.4, 1.0),
    "--model": mostly(st.sampled_from(["bayes", "bend", "ols"])),
    "--prior-weight": numbers(0, 12),
    "--recency-half-life": numbers(0, 4000),
    "--longest-delay": numbers(0, 800),
}
ENTRY_VALUES = {
    "--date": dates_near(TODAY - dt.timedelta(days=60), 62),
    "--assessment": mostly(
        st.sampled_from(["NBME 12", "uwsa2", "Free 120", "COMSAE Phase 2", "Kaplan"]),
        st.one_of(EDGE_TEXT, st.text(max_size=90)),
    ),
    "--score": numbers(0, 1000),
    "--notes": mostly(st.just(""), st.one_of(EDGE_TEXT, st.text(max_size=300))),
}
COMMAND_FLAGS = {
    "log": (["--assessment", "--score"], ["--date", "--notes", "--exam"], []),
    "result": (["--date", "--score"], ["--notes", "--exam"], []),
    "list": ([], ["--exam"], ["--calibration", "--no-calibration"]),
    "verdict": (
        ["--exam-date"],
        sorted(SETTING_VALUES),
        ["--json", "--calibration", "--no-calibration", "--calibrate-rule"],
    ),
    "forms": ([], ["--exam"], []),
    "exams": ([], [], []),
    "set": ([], sorted(SETTING_VALUES), ["--calibration", "--no-calibrate-rule"]),
    "settings": ([], sorted(SETTING_VALUES), ["--json", "--no-calibration"]),
}
WRITES = {"log", "result"}  # change the log on success
SETS = {"set"}  # changes settings.json on success


@st.composite
def command_lines(draw) -> list[str]:
    command = draw(st.sampled_from(sorted(COMMAND_FLAGS)))
    required, optional, switches = COMMAND_FLAGS[command]
    names = required + draw(
        st.lists(st.sampled_from(optional or [""]), max_size=4, unique=True)
    )
    values = SETTING_VALUES | ENTRY_VALUES
    argv = [command]
    for name in (n for n in names if n):
        argv += [name, draw(values[name])]
    argv += draw(st.lists(st.sampled_from(switches or [""]), max_size=2, unique=True))
    if command != "exams":
        argv += ["--today", draw(mostly(st.just(TODAY.isoformat())))]
    return [arg for i, arg in enumerate(argv) if arg or argv[i - 1].startswith("--")]


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(argv=command_lines())
def test_any_command_line_ends_in_0_or_2_and_writes_only_on_success(tmp_path, argv):
    log = tmp_path / "scores.csv"
    shutil.copy(EXAMPLE, log)
    before = log.read_bytes()
    settings_file = tmp_path / "settings.json"
    settings_file.write_text('{"exam": "step2-ck", "window": 4}')
    settings_before = settings_file.read_bytes()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*argv, *([] if argv[0] == "exams" else ["--log", str(log)])])
    assert code in (0, 2), (argv, err.getvalue())
    if code == 2:
        assert err.getvalue().startswith("tracker: error: "), err.getvalue()
        assert err.getvalue().count("\n") == 1  # one line, no traceback
    if argv[0] not in WRITES or code != 0:
        assert log.read_bytes() == before
    if argv[0] not in SETS or code != 0:
        assert settings_file.read_bytes() == settings_before
    assert "Traceback" not in err.getvalue()
    for stream in (out.getvalue(), err.getvalue()):
        assert "\x1b" not in stream and "\x07" not in stream and "\u202e" not in stream
