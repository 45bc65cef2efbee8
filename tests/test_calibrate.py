"""Cohort calibration: the fixed-effects offsets, their combination, the command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm

from tracker.assess import find_forms
from tracker.calibrate import (
    BEFORE,
    CEILING_SHRINK_SD,
    MIN_CURVE_STUDENTS,
    MIN_FORM_STUDENTS,
    RATE_SHRINK_SD,
    CurveEstimate,
    StudentRows,
    _Results,
    calibrate_logs,
    calibrate_students,
    combine,
    fit_curve,
    fit_offsets,
    project_results,
    student_rows,
)
from tracker.errors import CalibrationError
from tracker.exams import (
    COMLEX_2CE,
    STEP2_CK,
    Catalog,
    load_catalog,
    read_entry,
    shipped_catalog_path,
)
from tracker.log import Entry
from tracker.trend import DEFAULT_CURVE, Curve, fit_bayes

from conftest import TODAY
from conftest import run_cli as run

REPO = Path(__file__).resolve().parent.parent
HEADER = "date,assessment,score,notes\n"
START = dt.date(2026, 3, 2)
SHIPPED = load_catalog(shipped_catalog_path(STEP2_CK), STEP2_CK)
# Exam minus practice, points, for the synthetic world (the Free 120 on the scale its
# table converts to). Not the shipped offsets, so calibration has something to find.
TRUE_OFFSETS = {
    "NBME 9": 9.0, "NBME 10": 6.0, "NBME 11": 4.0, "NBME 12": 3.0, "NBME 13": 1.0,
    "NBME 14": -1.0, "UWSA 1": -6.0, "UWSA 2": 2.0, "Free 120": -4.0,
}  # fmt: skip
FREE_120 = SHIPPED.find("Free 120")


def percent_for(points: float) -> int:
    """The whole percentage whose conversion is nearest to ``points`` (inverse table)."""
    candidates = np.arange(50, 91)
    converted = [
        read_entry(Entry(START, "Free 120", int(p)), STEP2_CK, SHIPPED).points
        for p in candidates
    ]
    return int(candidates[np.argmin(np.abs(np.array(converted) - points))])


def synthetic_log(rng: np.random.Generator, *, result: bool = True) -> str:
    """A student learning in a straight line, 4–7 forms, noise SD 6, then the exam."""
    ability, rate = rng.normal(228, 8), rng.uniform(0.1, 0.3)
    names = rng.choice(list(TRUE_OFFSETS), size=int(rng.integers(4, 8)), replace=False)
    days = np.sort(rng.choice(np.arange(0, 70), size=len(names), replace=False))
    rows = []
    for day, name in zip(days, names, strict=True):
        points = ability + rate * day - TRUE_OFFSETS[name] + rng.normal(0, 6)
        score = percent_for(points) if name == "Free 120" else round(points)
        rows.append(f"{START + dt.timedelta(days=int(day))},{name},{score},\n")
    exam_day = int(days[-1] + rng.integers(7, 28))
    if result:
        exam = round(ability + rate * exam_day + rng.normal(0, 6))
        rows.append(f"{START + dt.timedelta(days=exam_day)},Step 2 CK,{exam},\n")
    return HEADER + "".join(rows)


def write_cohort(folder: Path, count: int, seed: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    for i in range(count):
        (folder / f"student{i:04d}.csv").write_text(synthetic_log(rng))
    return folder


def test_known_offsets_are_recovered_within_three_standard_errors(tmp_path):
    cohort = write_cohort(tmp_path / "cohort", 300)
    calibration = calibrate_logs([cohort], STEP2_CK, SHIPPED, TODAY)
    assert calibration.students == 300 and not calibration.skipped
    found = {item.base.name: item for item in calibration.forms}
    for name, truth in TRUE_OFFSETS.items():
        item = found[name]
        assert item.students > 100
        assert abs(item.estimate - truth) < 3 * item.se, (name, item.estimate, item.se)
        assert 0.3 < item.se < 1.5  # a few hundred students pin a form to about a point
    # Forms nobody took keep their base, untouched.
    for name in ("NBME 15", "NBME 16", "UWSA 3"):
        assert found[name].estimate is None and found[name].new is found[name].base
    assert 5.0 < calibration.residual_sd < 7.0  # the world's noise is 6


def rows_by_hand(seed: int, count: int) -> list[StudentRows]:
    rng = np.random.default_rng(seed)
    names = ["A", "B", "C"]
    offsets = {"A": 4.0, "B": -3.0, "C": 0.0}
    students = []
    for i in range(count):
        n = int(rng.integers(2, 4))
        picked = rng.choice(names, size=n, replace=False)
        days = sorted(rng.choice(np.arange(0, 50), size=n, replace=False).tolist())
        ability, rate = rng.normal(230, 8), rng.uniform(0.1, 0.3)
        scores = [ability + rate * d - offsets[f] + rng.normal(0, 6)
                  for d, f in zip(days, picked, strict=True)]  # fmt: skip
        exam_day = days[-1] + 14
        students.append(
            StudentRows(
                f"s{i}",
                (*map(float, days), float(exam_day)),
                (*scores, ability + rate * exam_day + rng.normal(0, 6)),
                (*picked.tolist(), None),
            )
        )
    return students


@pytest.mark.parametrize("seed", range(5))
def test_the_fixed_effects_fit_is_ols_with_a_dummy_per_student_and_form(seed):
    # The oracle: score on a column per student (intercept), a column per student of
    # days (slope) and a column per form (the exam has none), by statsmodels OLS.
    students = rows_by_hand(seed, 25)
    names = ["A", "B", "C"]
    rows = sum(len(s.days) for s in students)
    design = np.zeros((rows, 2 * len(students) + len(names)))
    y = np.zeros(rows)
    r = 0
    for i, student in enumerate(students):
        for day, score, form in zip(
            student.days, student.scores, student.forms, strict=True
        ):
            design[r, 2 * i] = 1.0
            design[r, 2 * i + 1] = day
            if form is not None:
                design[r, 2 * len(students) + names.index(form)] = 1.0
            y[r] = score
            r += 1
    model = sm.OLS(y, design).fit()
    fit = fit_offsets(students, names)
    for k, name in enumerate(names):
        estimate, se = fit.estimates[name]
        # The form's coefficient is practice minus exam; the offset is its negative.
        np.testing.assert_allclose(
            estimate, -model.params[2 * len(students) + k], rtol=1e-9
        )
        np.testing.assert_allclose(se, model.bse[2 * len(students) + k], rtol=1e-9)
    assert fit.df == model.df_resid
    np.testing.assert_allclose(fit.residual_sd, np.sqrt(model.scale), rtol=1e-9)


def test_identical_students_do_not_claim_more_precision_than_whole_scores_allow(
    tmp_path, capsys
):
    # 40 copies of one log fit their lines exactly (residual 0): the SEs would be 0 and
    # the offsets "± 0.01". The residual SD is floored at 1/√12 = 0.2887 points, the SD
    # rounding to whole points leaves; the oracle is statsmodels' covariance of the
    # same dummy-variable fit at that scale.
    rows = StudentRows("s", (0.0, 7.0, 14.0, 21.0, 28.0),
                       (230.0, 236.0, 233.0, 238.0, 245.0),
                       ("A", "B", "C", "A", None))  # fmt: skip
    students = [dataclasses.replace(rows, source=f"s{i}") for i in range(40)]
    names = ["A", "B", "C"]
    design = np.zeros((200, 80 + 3))
    y = np.zeros(200)
    for i in range(40):
        for j, (day, score, form) in enumerate(
            zip(rows.days, rows.scores, rows.forms, strict=True)
        ):
            design[5 * i + j, 2 * i], design[5 * i + j, 2 * i + 1] = 1.0, day
            if form is not None:
                design[5 * i + j, 80 + names.index(form)] = 1.0
            y[5 * i + j] = score
    model = sm.OLS(y, design).fit()
    floor = 1 / np.sqrt(12)
    oracle = np.sqrt(np.diag(model.cov_params(scale=floor**2)))[80:]
    fit = fit_offsets(students, names)
    assert fit.residual_sd == pytest.approx(floor, rel=1e-12)
    assert fit.measured_sd < 1e-9
    for k, name in enumerate(names):
        np.testing.assert_allclose(fit.estimates[name][1], oracle[k], rtol=1e-9)
        assert fit.estimates[name][1] > 0.05  # not the "± 0.01" of a residual of 0

    folder = tmp_path / "copies"
    folder.mkdir()
    for i in range(40):
        shutil.copy(REPO / "data" / "example_cohort" / "amira.csv", folder / f"s{i}.csv")
    code, out, err = run(capsys, "calibrate", str(folder), "--out",
                         str(tmp_path / "c.csv"))  # fmt: skip
    assert code == 0
    assert err == (
        "tracker: warning: the scores sit closer to their students' lines than "
        "whole-number scores can (residual SD 0.00 points), as copies of one log "
        "would; the standard errors use 0.29 points instead, the spread rounding to "
        "whole points alone leaves\n"
    )
    assert "residual SD 0.3 points" in out.splitlines()[-1]
    assert "± 0.00" not in out and "± 0.01" not in out


def test_combine_by_precision_by_hand():
    base = SHIPPED.find("NBME 9")  # offset 0 ± 3
    # Precisions 1/9 and 1/1: (0/9 + 4/1)/(1/9 + 1) = 4·9/10 = 3.6; (10/9)^−½ = 0.9487.
    offset, uncertainty = combine(base, 4.0, 1.0)
    assert offset == pytest.approx(3.6, rel=1e-12)
    assert uncertainty == pytest.approx((10 / 9) ** -0.5, rel=1e-12)
    exact = dataclasses.replace(base, uncertainty=0.0)
    assert combine(exact, 4.0, 1.0) == (0.0, 0.0)  # an exact base is never moved
    assert combine(base, 4.0, 0.0) == (4.0, 0.0)


def test_a_form_few_students_took_stays_near_the_base():
    students = rows_by_hand(3, 200)
    # Two students also took "D", which runs 15 points under the exam.
    rng = np.random.default_rng(9)
    for i in (0, 1):
        s = students[i]
        extra_day = s.days[-2] - 1.0 if s.days[-2] - 1.0 not in s.days else s.days[-2] - 0.5
        score = 230 + rng.normal(0, 6) - 15.0
        students[i] = StudentRows(
            s.source, (extra_day, *s.days), (score, *s.scores), ("D", *s.forms)
        )
    fit = fit_offsets(students, ["A", "B", "C", "D"])
    estimate, se = fit.estimates["D"]
    assert se > 3.0 and fit.students["D"] == 2
    base = dataclasses.replace(SHIPPED.find("NBME 9"), name="D")  # 0 ± 3
    offset, _ = combine(base, estimate, se)
    assert abs(offset - 0.0) < abs(estimate - 0.0) / 2


def test_a_form_on_few_students_is_said_so_and_pulled_toward_the_base():
    # As above: "D" rests on 2 students. With fewer than MIN_FORM_STUDENTS (10) the
    # estimate counts with 2/10 of its precision: its SE grows by √(10/2) before it is
    # combined with the base, and the line says so.
    students = rows_by_hand(3, 200)
    rng = np.random.default_rng(9)
    for i in (0, 1):
        s = students[i]
        extra_day = s.days[-2] - 1.0 if s.days[-2] - 1.0 not in s.days else s.days[-2] - 0.5
        score = 230 + rng.normal(0, 6) - 15.0
        students[i] = StudentRows(
            s.source, (extra_day, *s.days), (score, *s.scores), ("D", *s.forms)
        )
    base_forms = tuple(
        dataclasses.replace(SHIPPED.find("NBME 9"), name=name, aliases=())
        for name in "ABCD"
    )
    calibration = calibrate_students(students, STEP2_CK, Catalog(base_forms), TODAY)
    [d] = [item for item in calibration.forms if item.base.name == "D"]
    assert MIN_FORM_STUDENTS == 10 and d.students == 2
    expected, _ = combine(d.base, d.estimate, d.se * math.sqrt(10 / 2))
    plain, _ = combine(d.base, d.estimate, d.se)
    assert d.new.offset == pytest.approx(round(expected, 2), abs=1e-9)
    assert abs(d.new.offset) < abs(plain)  # nearer the base (0) than without the rule
    assert d.note == "only 2 of the 10 students wanted: pulled toward the base"
    [a] = [item for item in calibration.forms if item.base.name == "A"]
    assert a.students >= MIN_FORM_STUDENTS and a.note is None


def test_the_first_result_and_the_practice_before_it_are_used():
    entries = [
        Entry(dt.date(2026, 3, 1), "NBME 9", 220),
        Entry(dt.date(2026, 3, 8), "UWorld SA 1", 232),  # an alias of UWSA 1
        Entry(dt.date(2026, 3, 9), "My own quiz", 225),  # not in the catalog
        Entry(dt.date(2026, 3, 15), "Free 120", 70),  # 70% converts to 245
        Entry(dt.date(2026, 3, 22), "Step 2 CK", 238),
        Entry(dt.date(2026, 4, 2), "NBME 12", 240),  # after the result
        Entry(dt.date(2026, 6, 1), "Step 2", 250),  # a retake
    ]
    readings = [read_entry(e, STEP2_CK, SHIPPED, calibrate=False) for e in entries]
    rows = student_rows("x.csv", readings, STEP2_CK)
    assert rows.days == (0.0, 7.0, 14.0, 21.0)
    assert rows.scores == (220.0, 232.0, 245.0, 238.0)
    assert rows.forms == ("NBME 9", "UWSA 1", "Free 120", None)
    assert rows.unknown_rows == 1


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2026-03-01,NBME 9,220,\n2026-03-08,NBME 10,225,\n", "no Step 2 CK result"),
        (
            "2026-03-01,NBME 9,220,\n2026-03-08,Step 2 CK,240,\n",
            "1 practice score(s) of catalog forms before the result; calibration needs 2",
        ),
        (
            "2026-03-01,NBME 9,220,\n2026-03-01,Quiz,221,\n2026-03-08,Step 2 CK,240,\n",
            "1 practice score(s) of catalog forms before the result; calibration needs 2",
        ),
    ],
)
def test_unusable_students_are_refused_with_a_reason(tmp_path, text, reason):
    path = tmp_path / "x.csv"
    path.write_text(HEADER + text)
    forms = find_forms(path, "step2-ck")
    readings = [forms.reading(e, calibrate=False) for e in _entries(path)]
    with pytest.raises(CalibrationError) as caught:
        student_rows(str(path), readings, STEP2_CK)
    assert str(caught.value) == reason


def _entries(path):
    from tracker.log import read_log

    return read_log(path)


def test_too_few_scores_for_the_offsets_is_an_error():
    # One student, three rows: their own line takes two, the form takes the third.
    student = StudentRows(
        "s", (0.0, 7.0, 14.0), (220.0, 226.0, 235.0), ("NBME 9", "NBME 10", None)
    )
    with pytest.raises(CalibrationError) as caught:
        calibrate_students([student], STEP2_CK, SHIPPED, TODAY)
    assert str(caught.value) == (
        # Three rows less the student's two: one left, which NBME 9 and NBME 10 cannot
        # share, so one of them is dropped as not identifiable and none is left over.
        "3 scores from 1 student(s) leave no degrees of freedom once each student's own "
        "line and 1 form offset(s) are fitted; more students are needed"
    )


def test_an_implausible_estimate_keeps_the_base(tmp_path):
    # Every student "scores" 60 points under the exam on NBME 9: beyond the ±32 a
    # catalog allows (two of Step 2 CK's SDs of 16), so the base stays, with a note.
    rng = np.random.default_rng(4)
    gaps = {"NBME 9": 60.0, "NBME 10": 0.0, "NBME 11": 0.0}
    students = []
    for i in range(40):
        ability = rng.normal(230, 5)
        order = tuple(rng.permutation(list(gaps)).tolist())  # forms in any order
        scores = tuple(ability - gaps[f] + rng.normal(0, 3) for f in order)
        exam = ability + rng.normal(0, 3)
        students.append(
            StudentRows(f"s{i}", (0.0, 7.0, 14.0, 21.0), (*scores, exam), (*order, None))
        )
    base = dataclasses.replace(
        SHIPPED,
        forms=tuple(dataclasses.replace(f, uncertainty=20.0) for f in SHIPPED.forms),
    )
    calibration = calibrate_students(students, STEP2_CK, base, TODAY)
    nbme9 = calibration.forms[0]
    assert nbme9.estimate > 32 and nbme9.new is nbme9.base
    assert nbme9.note.startswith("the result +") and nbme9.note.endswith(
        " is beyond ±32 points: kept the base"
    )


# --- the command --------------------------------------------------------------------------


def test_the_catalog_round_trips_through_catalog(tmp_path, capsys):
    cohort = write_cohort(tmp_path / "cohort", 120, seed=1)
    out = tmp_path / "calibrated.csv"
    code, _, err = run(
        capsys, "calibrate", str(cohort), "--out", str(out), "--today", "2026-11-26"
    )
    assert (code, err) == (0, "")
    calibration = calibrate_logs([cohort], STEP2_CK, SHIPPED, TODAY)
    written = load_catalog(out, STEP2_CK)
    assert written.forms == calibration.catalog.forms  # offsets rounded to 0.01 already
    nbme9 = written.find("NBME 9")
    assert nbme9.source.startswith(
        f"Calibrated 2026-11-26 on {calibration.forms[0].students} students' real results"
    )
    assert nbme9.source.endswith(BEFORE + SHIPPED.find("NBME 9").source)
    assert nbme9.aliases == SHIPPED.find("NBME 9").aliases
    assert written.find("Free 120").conversion == FREE_120.conversion

    # The command reads it back with --catalog; the forms listing shows the new offset.
    code, listing, _ = run(capsys, "forms", "--catalog", str(out))
    assert code == 0
    assert (
        f"NBME 9  [NBME, three-digit]  offset {nbme9.offset:+g} ± {nbme9.uncertainty:g}"
        in listing
    )
    log = tmp_path / "me.csv"
    log.write_text(
        HEADER
        + "2026-11-01,NBME 9,230,\n2026-11-08,NBME 10,234,\n2026-11-15,NBME 11,238,\n"
    )
    code, _, err = run(
        capsys, "verdict", "--log", str(log), "--catalog", str(out), "--today",
        "2026-11-26", "--exam-date", "2026-12-20",
    )  # fmt: skip
    assert (code, err) == (0, "")
    # Beside a log under the shipped name, it is the student's own catalog (as the
    # dashboard finds it too).
    out.rename(tmp_path / "assessments.csv")
    assert find_forms(log, "step2-ck").catalog.forms == written.forms


def test_calibrating_a_calibrated_catalog_keeps_one_original_source(tmp_path, capsys):
    first = write_cohort(tmp_path / "first", 60, seed=2)
    second = write_cohort(tmp_path / "second", 60, seed=3)
    once, twice = tmp_path / "once.csv", tmp_path / "twice.csv"
    assert run(capsys, "calibrate", str(first), "--out", str(once))[0] == 0
    assert (
        run(capsys, "calibrate", str(second), "--out", str(twice), "--base", str(once))[0]
        == 0
    )
    source = load_catalog(twice, STEP2_CK).find("UWSA 2").source
    assert source.count("Calibrated") == 1 and source.count(BEFORE) == 1
    assert source.endswith(BEFORE + SHIPPED.find("UWSA 2").source)


def test_the_table_and_the_skipped_logs(tmp_path, capsys):
    cohort = write_cohort(tmp_path / "cohort", 30, seed=5)
    (cohort / "no_result.csv").write_text(HEADER + "2026-03-01,NBME 9,220,\n")
    (cohort / "broken.csv").write_text("date,assessment,score\n2026-03-01,NBME 9,abc\n")
    (cohort / "assessments.csv").write_text("a catalog beside the logs is not a log\n")
    out = tmp_path / "c.csv"
    code, printed, err = run(capsys, "calibrate", str(cohort), "--out", str(out))
    assert code == 0
    assert err.splitlines() == [
        f"tracker: warning: {cohort / 'broken.csv'}: skipped: line 2: score 'abc' is not "
        "a whole number in ASCII digits (0-9)",
        f"tracker: warning: {cohort / 'no_result.csv'}: skipped: no Step 2 CK result",
    ]
    lines = printed.splitlines()
    assert lines[0].split() == ["form", "students", "base", "offset", "estimate", "±", "SE",
                                "new", "offset"]  # fmt: skip
    # The table, the learning curve's line, and the summary.
    assert len(lines) == 1 + len(SHIPPED.forms) + 2
    assert lines[-2].startswith("Learning curve (--model bend), from 30 students with")
    assert lines[-1].startswith("Calibrated on 30 students (")
    assert lines[-1].endswith(
        f"; 2 log(s) skipped. Wrote {out}: use it with --catalog, or name it "
        "assessments.csv beside a log."
    )
    item = calibrate_logs([cohort], STEP2_CK, SHIPPED, TODAY).forms[0]  # NBME 9
    assert lines[1].split() == [
        "NBME", "9", str(item.students), "+0", "±", "3", f"{item.estimate:+.2f}", "±",
        f"{item.se:.2f}", f"{item.new.offset:+.2f}", "±", f"{item.new.uncertainty:.2f}",
    ]  # fmt: skip
    nbme15 = next(line for line in lines if line.startswith("NBME 15"))
    assert nbme15.split() == ["NBME", "15", "0", "+0", "±", "4", "—", "+0", "±", "4",
                              "(unchanged)"]  # fmt: skip


def test_a_cohort_with_no_usable_log_is_exit_2_and_writes_nothing(tmp_path, capsys):
    folder = tmp_path / "cohort"
    folder.mkdir()
    (folder / "a.csv").write_text(HEADER + "2026-03-01,NBME 9,220,\n")
    out = tmp_path / "c.csv"
    code, printed, err = run(capsys, "calibrate", str(folder), str(tmp_path / "gone"),
                             "--out", str(out))  # fmt: skip
    assert (code, printed) == (2, "")
    assert err.splitlines() == [
        f"tracker: warning: {tmp_path / 'gone'}: skipped: no such file or folder",
        f"tracker: warning: {folder / 'a.csv'}: skipped: no Step 2 CK result",
        "tracker: error: no usable log: none has a Step 2 CK result with at least 2 "
        "practice scores of catalog forms before it",
    ]
    assert not out.exists()


def test_another_exam_calibrates_its_own_catalog(tmp_path, capsys):
    folder = tmp_path / "cohort"
    folder.mkdir()
    rng = np.random.default_rng(7)
    for i in range(30):
        ability = rng.normal(520, 60)
        rows = [
            f"2026-0{m}-01,COMSAE Phase 2,{round(ability - 20 + rng.normal(0, 30))},\n"
            for m in (3, 4, 5)
        ]
        rows.append(f"2026-06-01,COMLEX Level 2-CE,{round(ability + rng.normal(0, 30))},\n")
        (folder / f"s{i}.csv").write_text(HEADER + "".join(rows))
    out = tmp_path / "comlex.csv"
    code, _, err = run(
        capsys, "calibrate", str(folder), "--exam", "comlex-2ce", "--out", str(out)
    )
    assert (code, err) == (0, "")
    comsae = load_catalog(out, COMLEX_2CE).find("COMSAE Phase 2")
    assert comsae.offset > 0  # the practice form ran about 20 points under the exam


# --- the learning curve -------------------------------------------------------------------


def _curve_student(rng, curve: Curve, source: str = "s") -> StudentRows:
    """A student on ``curve`` (level N(225, 8), first day's slope from the curve's
    ceiling), 4–7 NBME 9 scores with noise SD 6 (its offset 0), then the exam."""
    level = rng.normal(225, 8)
    slope = curve.rate * (curve.ceiling - level)
    days = np.sort(
        rng.choice(np.arange(0, 90), size=int(rng.integers(4, 8)), replace=False)
    )
    days = days - days[0]
    exam_day = float(days[-1] + rng.integers(7, 28))
    truth = level + slope * curve.study_time(np.append(days, exam_day).astype(float))
    scores = truth + rng.normal(0, 6, size=len(truth))
    return StudentRows(
        source=source,
        days=tuple(float(d) for d in (*days, exam_day)),
        scores=tuple(float(s) for s in scores),
        forms=(*["NBME 9"] * len(days), None),
    )


def test_projecting_a_cohort_at_once_is_the_trends_own_fit():
    # The oracle: tracker.trend.fit_bayes, student by student, on the same corrected
    # scores (each practice score + the form's offset, here +2.5).
    rng = np.random.default_rng(4)
    students = [_curve_student(rng, DEFAULT_CURVE) for _ in range(12)]
    cohort = _Results.of(students, {"NBME 9": 2.5})
    for curve in (DEFAULT_CURVE, Curve(rate=0.03), Curve(0.004, 250.0, 8.0)):
        got = project_results(cohort, curve, STEP2_CK.prior)
        want = [
            fit_bayes(
                np.array(s.days[:-1]), np.array(s.scores[:-1]) + 2.5, origin=START,
                prior=STEP2_CK.prior, curve=curve,
            ).predict(s.days[-1])
            for s in students
        ]  # fmt: skip
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_a_cohort_on_a_slower_curve_moves_the_rate_toward_it():
    # 400 students whose curves have half the shipped rate and a ceiling 20 lower: the
    # cohort alone finds a slower rate and a lower ceiling, and the shrunk curve lies
    # between the cohort's and the shipped one (or on either), with a smaller error.
    rng = np.random.default_rng(11)
    truth = Curve(DEFAULT_CURVE.rate / 2, DEFAULT_CURVE.ceiling - 20.0)
    students = [_curve_student(rng, truth) for _ in range(400)]
    estimate = fit_curve(students, {"NBME 9": 0.0}, DEFAULT_CURVE, STEP2_CK.prior)
    assert estimate.students == 400 and estimate.base == DEFAULT_CURVE
    assert estimate.best.rate < DEFAULT_CURVE.rate
    assert estimate.best.ceiling < DEFAULT_CURVE.ceiling
    assert estimate.best.rate <= estimate.new.rate <= DEFAULT_CURVE.rate
    assert estimate.best.ceiling <= estimate.new.ceiling <= DEFAULT_CURVE.ceiling
    assert estimate.new != DEFAULT_CURVE
    before, after = estimate.rms_error
    assert after < before


def test_a_small_cohort_stays_closer_to_the_shipped_curve():
    # The same world: 25 students move the curve no further than 400 do (the prior
    # counts the same, the likelihood 16 times less).
    rng = np.random.default_rng(11)
    truth = Curve(DEFAULT_CURVE.rate / 2, DEFAULT_CURVE.ceiling - 20.0)
    students = [_curve_student(rng, truth) for _ in range(400)]
    small = fit_curve(students[:25], {}, DEFAULT_CURVE, STEP2_CK.prior)
    large = fit_curve(students, {}, DEFAULT_CURVE, STEP2_CK.prior)

    def distance(curve):
        return (
            abs(math.log(curve.rate / DEFAULT_CURVE.rate)) / RATE_SHRINK_SD
            + abs(curve.ceiling - DEFAULT_CURVE.ceiling) / CEILING_SHRINK_SD
        )

    assert distance(small.new) <= distance(large.new)


def test_too_few_students_with_a_trend_keep_the_curve_and_say_why():
    # 19 students with 3+ practice scores on different days, and 5 whose three scores
    # are all on one day (no trend): one short of MIN_CURVE_STUDENTS (20).
    rng = np.random.default_rng(3)
    students = [_curve_student(rng, DEFAULT_CURVE) for _ in range(19)]
    students += [
        StudentRows("one day", (0.0, 0.0, 0.0, 20.0), (230.0, 232.0, 231.0, 240.0),
                    ("NBME 9", "NBME 9", "NBME 9", None))
    ] * 5  # fmt: skip
    assert MIN_CURVE_STUDENTS == 20
    estimate = fit_curve(students, {}, DEFAULT_CURVE, STEP2_CK.prior)
    assert estimate == CurveEstimate(
        base=DEFAULT_CURVE,
        students=19,
        best=None,
        new=DEFAULT_CURVE,
        rms_error=None,
        note="19 student(s) with 3+ practice scores; the curve needs 20: kept the base",
    )


def test_the_command_says_what_the_cohort_taught_of_the_curve(tmp_path, capsys):
    cohort = write_cohort(tmp_path / "cohort", 120, seed=1)
    code, printed, err = run(
        capsys, "calibrate", str(cohort), "--out", str(tmp_path / "c.csv"),
        "--today", "2026-11-26",
    )  # fmt: skip
    assert (code, err) == (0, "")
    estimate = calibrate_logs([cohort], STEP2_CK, SHIPPED, TODAY).curve
    before, after = estimate.rms_error
    new = estimate.new
    assert (
        f"Learning curve (--model bend), from {estimate.students} students with a "
        f"trend: rate 0.0085 a day, ceiling 280 → rate {new.rate:.4g} a day, ceiling "
        f"{new.ceiling:g} (the cohort alone: rate {estimate.best.rate:.4g} a day, "
        f"ceiling {estimate.best.ceiling:g}); results projected within {before:.1f} → "
        f"{after:.1f} points (RMS). Not stored in the catalog: the verdict keeps the "
        "exam's own curve.\n"
    ) in printed
