"""The decision and what it stands on: ``verdict``, ``plot``, ``forms``, ``exams``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tracker.commands.common import (
    REASON_MARKS,
    SharedFlags,
    add_setting_flags,
    assess_log,
    log_path_of,
    plural,
    settings_for,
    shown,
)


def register(commands, flags: SharedFlags) -> None:
    """``verdict``, ``plot``, ``forms`` and ``exams``."""
    parents = flags.log
    verdict = commands.add_parser(
        "verdict",
        parents=parents,
        help="take the exam as planned, keep the date, or move it?",
        description="Fit the trend, project the exam-day score and apply the "
        '"consistently at the threshold" rule: TAKE NOW, ON TRACK, DELAY or NOT '
        "ENOUGH DATA.",
    )
    verdict.add_argument("--json", action="store_true", help="print the verdict as JSON")
    add_setting_flags(verdict)
    verdict.set_defaults(run=_run_verdict)

    plot = commands.add_parser(
        "plot",
        parents=parents,
        help="save the trajectory chart as an image",
        description="Save the chart: scores, trend, bands and the exam-day projection.",
    )
    plot.add_argument(
        "--out",
        type=Path,
        default=Path("chart.png"),
        help="image file to write: .png, .svg or .pdf, .png added to a name without "
        "one; an existing file is replaced only if it is a chart the tracker made "
        "(default: chart.png)",
    )
    add_setting_flags(plot)
    plot.set_defaults(run=_run_plot)

    forms = commands.add_parser(
        "forms",
        parents=parents,
        help="show the practice forms of an exam",
        description="Show the catalog of practice forms: scale, offset or conversion, "
        "the names each answers to, and the source.",
    )
    add_setting_flags(forms, ["exam"])
    forms.set_defaults(run=_run_forms)

    exams = commands.add_parser(
        "exams",
        help="show the exams the tracker knows",
        description="Show each exam profile: scale, passing score, defaults and sources.",
    )
    exams.set_defaults(run=_run_exams)


def _run_verdict(args: argparse.Namespace) -> None:
    from tracker.reasons import headline

    assessment = assess_log(args)
    if args.json:
        from tracker.report import assessment_json

        report = assessment_json(assessment)
        print(json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False))
        return
    word, detail = headline(assessment.plan)
    print(shown(f"{word}  {detail}"))
    print()
    for reason in assessment.reasons:
        print(shown(f"  {REASON_MARKS[reason.met]} {reason.text}"))


def _run_forms(args: argparse.Namespace) -> None:
    from tracker.assess import find_forms

    forms = find_forms(
        log_path_of(args), settings_for(args).exam, catalog_path=args.catalog
    )
    for form in forms.catalog.forms:
        if form.conversion:
            how = "converted: " + ", ".join(f"{p:g}%→{s:g}" for p, s in form.conversion)
            how += f" (±{form.uncertainty:g})"
        else:
            how = f"offset {form.offset:+g} ± {form.uncertainty:g} points"
        timing = ""
        if form.weeks_before is not None:
            timing = "; usually taken {}–{} weeks before the exam".format(
                *form.weeks_before
            )
        print(shown(f"{form.name}  [{form.family}, {form.scale}]  {how}{timing}"))
        if form.aliases:
            print(shown(f"    also: {', '.join(form.aliases)}"))
        print(shown(f"    source: {form.source}"))
    print(
        shown(
            f"{plural(len(forms.catalog.forms), 'form')} for {forms.profile.name} in "
            f"{forms.path}. "
            "The trend uses each score on the exam's scale plus its offset; the log keeps "
            "the score you saw."
        )
    )


def _run_exams(args: argparse.Namespace) -> None:
    from tracker import facts
    from tracker.exams import DEFAULT_EXAM, PROFILES

    for profile in PROFILES.values():
        default = " (default)" if profile.key == DEFAULT_EXAM else ""
        print(f"{profile.key}{default}: {profile.full_name}")
        standard = facts.current(facts.passing_standards(), profile.key)
        since = "" if standard.holds_from is None else f" from {standard.holds_from}"
        print(
            f"    scale {profile.scale_words}, passing {profile.passing}{since}; threshold "
            f"{profile.threshold}, target {profile.target}; scores arrive about "
            f"{profile.release_lag_days} days after the exam"
        )
        print(f"    defaults: {profile.defaults_note}")
        rules = profile.rescheduling
        moving = rules.source if rules else "rescheduling fees: not known to the tracker"
        print(f"    moving the exam: {moving}")
        for source in profile.sources:
            print(f"    source: {source}")
    print("Every figure with its source and date: 'tracker facts'.")


def _run_plot(args: argparse.Namespace) -> None:
    from tracker.chart import chart_file_bytes, chart_file_name, draw, is_chart_file
    from tracker.files import check_output, write_output

    out = chart_file_name(args.out)
    check_output(out, kind="chart", looks_like=is_chart_file, look_at_end=True)
    data = chart_file_bytes(draw(assess_log(args)), out)
    write_output(out, data, kind="chart", looks_like=is_chart_file, look_at_end=True)
    print(shown(f"Saved the chart to {out}"))
