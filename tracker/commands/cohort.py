"""Many logs at once: ``calibrate``, ``cohort``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from tracker.commands.common import (
    SharedFlags,
    add_setting_flags,
    shown,
    table,
    today_of,
    warn,
    whole,
)

COHORT_SORT_KEYS = ("file", "n", "last", "projected", "verdict", "date")  # as the core's


def register(commands, flags: SharedFlags) -> None:
    """Commands over many logs at once (one student a file): calibrate and cohort.
    They take ``--today`` alone (there is no one log to name)."""
    parents, today = [flags.catalog], flags.dated
    paths_help = "score logs, one student a file, or folders of them (every *.csv)"
    calibrate = commands.add_parser(
        "calibrate",
        parents=[today],
        help="learn each form's offset from a cohort's real results",
        description="Estimate each practice form's offset against the real exam from "
        "logs that hold a real result, combine it with the base catalog's offset by "
        "precision, and write a catalog for --catalog or the dashboard.",
    )
    calibrate.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    calibrate.add_argument(
        "--out", type=Path, required=True, metavar="CATALOG.csv", help="catalog to write"
    )
    calibrate.add_argument(
        "--base",
        type=Path,
        metavar="CATALOG",
        help="the catalog to start from (default: the exam's shipped one); it should "
        "not have been calibrated on these same students",
    )
    add_setting_flags(calibrate, ["exam"])
    calibrate.set_defaults(run=_run_calibrate)

    cohort = commands.add_parser(
        "cohort",
        parents=[today, *parents],
        help="one line per student: verdict, projection, ready-by or result",
        description="Assess every log with the same settings (the flags below; no "
        "settings.json is read) and print one line per student.",
    )
    cohort.add_argument("paths", nargs="+", metavar="PATH", help=paths_help)
    cohort.add_argument(
        "--sort", choices=COHORT_SORT_KEYS, default="file", help="order of the lines"
    )
    cohort.add_argument("--reverse", action="store_true", help="reverse the order")
    output = cohort.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print CSV")
    add_setting_flags(cohort)
    cohort.set_defaults(run=_run_cohort)


def _run_calibrate(args: argparse.Namespace) -> None:
    from tracker.calibrate import calibrate_students, read_cohort
    from tracker.exams import (
        DEFAULT_EXAM,
        catalog_bytes,
        get_profile,
        is_catalog,
        load_catalog,
        shipped_catalog_path,
    )
    from tracker.files import check_output, write_output

    check_output(args.out, kind="catalog", looks_like=is_catalog)  # before any work
    profile = get_profile(getattr(args, "exam", DEFAULT_EXAM))
    base = load_catalog(args.base or shipped_catalog_path(profile), profile)
    students, skipped = read_cohort(args.paths, profile, base)
    for skip in skipped:
        warn(f"{skip.source}: skipped: {skip.reason}")
    calibration = calibrate_students(students, profile, base, today_of(args), skipped)
    data = catalog_bytes(calibration.catalog, profile, source=str(args.out))
    write_output(args.out, data, kind="catalog", looks_like=is_catalog)
    if calibration.floored:
        warn(
            f"the scores sit closer to their students' lines than whole-number scores "
            f"can (residual SD {calibration.measured_sd:.2f} points), as copies of one "
            f"log would; the standard errors use {calibration.residual_sd:.2f} points "
            "instead, the spread rounding to whole points alone leaves"
        )
    for line in _calibration_table(calibration):
        print(shown(line))
    print(shown(_curve_words(calibration.curve)))
    skipped_words = f"; {len(skipped)} log(s) skipped" if skipped else ""
    print(
        shown(
            f"Calibrated on {calibration.students:,} students ({calibration.rows:,} "
            f"scores; residual SD {calibration.residual_sd:.1f} points){skipped_words}. "
            f"Wrote {args.out}: use it with --catalog, or name it "
            f"{profile.catalog_file} beside a log."
        )
    )


def _calibration_table(calibration) -> list[str]:
    """Form, students, base offset, estimate ± SE, new offset: one line a form."""
    rows = [("form", "students", "base offset", "estimate ± SE", "new offset")]
    for item in calibration.forms:
        base, new = item.base, item.new
        estimate = "—" if item.estimate is None else f"{item.estimate:+.2f} ± {item.se:.2f}"
        changed = f"{new.offset:+.2f} ± {new.uncertainty:.2f}"
        if item.note and new is not base:
            changed += f" ({item.note})"
        if new is base:
            changed = (
                f"{base.offset:+g} ± {base.uncertainty:g} ({item.note or 'unchanged'})"
            )
        rows.append(
            (base.name, f"{item.students:,}", f"{base.offset:+g} ± {base.uncertainty:g}",
             estimate, changed)
        )  # fmt: skip
    return table(rows, right={1})


def _curve_words(estimate) -> str:
    """The learning curve of ``--model bend``, before and after, in one line."""
    base, new = estimate.base, estimate.new
    if estimate.best is None:
        return f"Learning curve (--model bend): {_curve(base)} ({estimate.note})."
    before, after = estimate.rms_error
    return (
        f"Learning curve (--model bend), from {estimate.students:,} students with a "
        f"trend: {_curve(base)} → {_curve(new)} (the cohort alone: "
        f"{_curve(estimate.best)}); results projected within {before:.1f} → "
        f"{after:.1f} points (RMS). Not stored in the catalog: the verdict keeps the "
        "exam's own curve."
    )


def _curve(curve) -> str:
    ceiling = "no ceiling" if curve.ceiling is None else f"ceiling {curve.ceiling:g}"
    return f"rate {curve.rate:.4g} a day, {ceiling}"


def _run_cohort(args: argparse.Namespace) -> None:
    from tracker.cohort import cohort_csv, line_json, sort_lines, summarise
    from tracker.settings import SETTINGS, Settings

    given = {s.name: getattr(args, s.name) for s in SETTINGS if hasattr(args, s.name)}
    settings = dataclasses.replace(Settings(), **given)
    cohort = summarise(args.paths, settings, today_of(args), catalog_path=args.catalog)
    for skip in cohort.skipped:
        warn(f"{skip.source}: skipped: {skip.reason}")
    if not cohort.lines:
        from tracker.errors import TrackerError

        raise TrackerError("no log could be assessed; see the warnings above")
    lines = sort_lines(cohort.lines, args.sort, reverse=args.reverse)
    if args.json:
        report = {"students": [line_json(line) for line in lines]}
        report["skipped"] = [{"file": s.source, "reason": s.reason} for s in cohort.skipped]
        print(json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False))
    elif args.csv:
        sys.stdout.write(cohort_csv(lines))
    else:
        for text in _cohort_table(lines):
            print(shown(text))


def _cohort_table(lines) -> list[str]:
    """File, n, last, projected, verdict, ready-by or result: one line a student."""
    rows = [("file", "n", "last", "projected", "verdict", "ready by / result")]
    for line in lines:
        if line.result_date is not None:
            inside = {True: ", inside", False: ", outside", None: ""}[line.result_inside]
            when = f"{line.result_score} on {line.result_date}{inside}"
        elif line.outcome.value in ("on_track", "delay"):
            when = str(line.ready_by) if line.ready_by is not None else "no date"
        else:
            when = ""
        rows.append(
            (shown(line.source), str(line.n), whole(line.last_score),
             whole(line.projected), line.outcome.headline, when)
        )  # fmt: skip
    return table(rows, right={1, 2, 3})
