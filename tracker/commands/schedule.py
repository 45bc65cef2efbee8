"""Planning the forms left: ``plan``, ``calendar``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tracker.commands.common import (
    PROG,
    SharedFlags,
    add_setting_flags,
    assess_log,
    shown,
)


def register(commands, flags: SharedFlags) -> None:
    """``plan`` and ``calendar``."""
    parents = flags.log
    plan = commands.add_parser(
        "plan",
        parents=parents,
        help="which practice forms are left, and when to take them",
        description="Plan the practice forms not yet logged on days before the exam: "
        "at your pace, the newest forms in the final weeks, the oldest left out first "
        "when not all fit, none in the last two days; one line of why for each. The "
        "verdict counts on the same days.",
    )
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    add_setting_flags(plan)
    plan.set_defaults(run=_run_plan)

    calendar = commands.add_parser(
        "calendar",
        parents=parents,
        help="save the plan as a calendar file (.ics)",
        description="Write an iCalendar file with the exam day, the last day to move "
        "it without a fee, the expected score release, the suggested date when "
        "delaying, and the planned practice forms.",
    )
    calendar.add_argument(
        "--out",
        type=Path,
        default=Path("plan.ics"),
        help="the file to write (default: plan.ics)",
    )
    add_setting_flags(calendar)
    calendar.set_defaults(run=_run_calendar)


def _run_plan(args: argparse.Namespace) -> None:
    from tracker.schedule_text import plan_json, plan_text

    assessment = assess_log(args)
    if args.json:
        report = plan_json(assessment)
        print(json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False))
        return
    text = plan_text(assessment)
    for line in text.lines():
        print(shown(line))
    if not assessment.plan.readings and text.planned:
        where = f" --log {args.log}" if args.log else ""
        name = text.planned[0].assessment
        print(shown(f'Then: {PROG} log{where} --assessment "{name}" --score SCORE'))


def _run_calendar(args: argparse.Namespace) -> None:
    from tracker.calendar_file import calendar_events, is_calendar, to_ics
    from tracker.files import write_output

    assessment = assess_log(args)
    events = calendar_events(assessment)
    data = to_ics(events, exam_key=assessment.profile.key, made_on=assessment.today)
    out = args.out
    write_output(out, data, kind="calendar file", looks_like=is_calendar)
    print(shown(f"Saved {len(events)} events to {out}:"))
    for event in events:
        print(shown(f"  {event.day}  {event.title}"))
