"""Planning the forms left: ``plan``, ``calendar``."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker.commands.common import (
    PROG,
    SharedFlags,
    add_setting_flags,
    assess_log,
    shown,
)


def _pace(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 90:
        raise argparse.ArgumentTypeError(
            f"pace {text!r} is not a whole number of days 1–90"
        )
    return int(text)


def register(commands, flags: SharedFlags) -> None:
    """``plan`` and ``calendar``."""
    parents = flags.log
    pace = argparse.ArgumentParser(add_help=False)
    pace.add_argument(
        "--pace",
        type=_pace,
        metavar="DAYS",
        help="days between practice exams (default: your own pace, else 7)",
    )
    plan = commands.add_parser(
        "plan",
        parents=[*parents, pace],
        help="which practice forms are left, and when to take them",
        description="Propose a date for each practice form not yet logged, between "
        "today and the exam day, at your pace and in each form's usual window "
        "(tracker forms lists them); and say when the verdict can next change.",
    )
    add_setting_flags(plan)
    plan.set_defaults(run=_run_plan)

    calendar = commands.add_parser(
        "calendar",
        parents=[*parents, pace],
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
    from tracker.schedule import plan_schedule, schedule_lines

    schedule = plan_schedule(assess_log(args), pace_days=args.pace)
    for line in schedule_lines(schedule):
        print(shown(line))
    if schedule.logged == 0 and schedule.slots:
        where = f" --log {args.log}" if args.log else ""
        name = schedule.slots[0].form.name
        print(shown(f'Then: {PROG} log{where} --assessment "{name}" --score SCORE'))


def _run_calendar(args: argparse.Namespace) -> None:
    from tracker.calendar_file import calendar_events, is_calendar, to_ics
    from tracker.log import atomic_write, check_output
    from tracker.schedule import plan_schedule

    assessment = assess_log(args)
    schedule = plan_schedule(assessment, pace_days=args.pace)
    events = calendar_events(assessment, schedule)
    data = to_ics(events, exam_key=assessment.profile.key, made_on=assessment.today)
    out = args.out
    check_output(out, kind="calendar file", looks_like=is_calendar)
    atomic_write(out, data)
    print(shown(f"Saved {len(events)} events to {out}:"))
    for event in events:
        print(shown(f"  {event.day}  {event.title}"))
