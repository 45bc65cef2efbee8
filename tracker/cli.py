"""``tracker``: log practice scores and ask whether to sit the exam, from the terminal.

A thin shell: each command parses its flags, calls the core and prints what it returns.
Problems the user can fix arrive as :class:`TrackerError` and become one line,
``tracker: error: ...``, with exit status 2. The settings flags are built from the
one table in :mod:`tracker.settings`; their defaults come from ``settings.json`` beside
the log (the dashboard's), then the table. Heavy modules are imported only by the
commands that need them, so ``tracker verdict`` starts quickly.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import shlex
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

PROG = "tracker"
EXIT_USAGE = 2
REASON_MARKS = {True: "[x]", False: "[ ]", None: " - "}
# The settings each group of commands takes (names from tracker.settings.SETTINGS).
PLAN_SETTINGS = (
    "exam", "exam_date", "threshold", "window", "target", "level", "model",
    "prior_weight", "recency_half_life_days", "calibrate", "calibrate_rule",
    "eras_date", "eligibility_end", "longest_delay_days",
)  # fmt: skip


class _Parser(argparse.ArgumentParser):
    """argparse that reports every problem as one line: ``tracker: error: ...``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = f" (see '{self.prog} --help')"
        self.exit(EXIT_USAGE, f"{PROG}: error: {shown(message)}{hint}\n")


def shown(text: str) -> str:
    """``text`` safe for a terminal: control and bidi characters become escapes."""
    from tracker.log import has_control_characters

    if not has_control_characters(text):
        return text
    return "".join(
        char
        if not has_control_characters(char)
        else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def _date(text: str) -> dt.date:
    from tracker.errors import InvalidEntryError
    from tracker.log import parse_date

    try:
        return parse_date(text)
    except InvalidEntryError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _setting_type(name: str):
    def parse(text: str):
        from tracker.errors import SettingsError
        from tracker.settings import SETTINGS_BY_NAME

        try:
            return SETTINGS_BY_NAME[name].parse_text(text)
        except SettingsError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    parse.__name__ = name  # argparse names the type in some messages
    return parse


def add_setting_flags(parser: argparse.ArgumentParser, names: Sequence[str]) -> None:
    """One flag per setting, from the settings table; unset flags stay absent."""
    from tracker.settings import SETTINGS_BY_NAME

    group = parser.add_argument_group("settings (default: settings.json beside the log)")
    for name in names:
        setting = SETTINGS_BY_NAME[name]
        help_text = setting.help
        if setting.kind is bool:
            group.add_argument(
                setting.flag,
                dest=name,
                action=argparse.BooleanOptionalAction,
                default=argparse.SUPPRESS,
                help=f"{help_text} (default: {'on' if setting.default else 'off'})",
            )
            continue
        if setting.choices:
            help_text += f": one of {', '.join(setting.choices)}"
        elif setting.low is not None:
            help_text += f", {setting.low:g} to {setting.high:g}"
        if setting.default is not None:
            help_text += f" (default: {setting.default})"
        if setting.none_means:
            help_text += f"; 'none' for {setting.none_means}"
        group.add_argument(
            setting.flag,
            dest=name,
            type=_setting_type(name),
            default=argparse.SUPPRESS,
            metavar="YYYY-MM-DD"
            if setting.kind is dt.date
            else setting.metavar or name.upper(),
            help=help_text,
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Track practice scores and decide about the planned exam date: "
        "take it, keep it, or move it. 'tracker exams' lists the exams it knows.",
    )
    from tracker import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    dated = argparse.ArgumentParser(add_help=False)
    dated.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="count dates from this day instead of the real date",
    )
    common = argparse.ArgumentParser(add_help=False, parents=[dated])
    common.add_argument(
        "--log",
        type=Path,
        metavar="PATH",
        help="the score log (default: $TRACKER_LOG, else data/scores.csv)",
    )
    catalog = argparse.ArgumentParser(add_help=False)
    catalog.add_argument(
        "--catalog",
        type=Path,
        metavar="PATH",
        help="the catalog of practice forms (default: the exam's catalog file beside "
        "the log, else the shipped one in data/)",
    )
    _add_log_commands(commands, [common, catalog])
    _add_plan_commands(commands, [common, catalog])
    _add_fix_commands(commands, [common, catalog])
    _add_schedule_commands(commands, [common, catalog])
    _add_cohort_commands(commands, [catalog], dated)
    return parser


def _add_log_commands(commands, parents) -> None:
    log = commands.add_parser(
        "log",
        parents=parents,
        help="add one practice exam result",
        description="Add one practice result to the log: the score as you saw it "
        "(three-digit, or the percentage of a percent-correct form).",
    )
    log.add_argument("--date", metavar="YYYY-MM-DD", help="day taken (default: today)")
    log.add_argument(
        "--assessment",
        required=True,
        help="its name as you know it ('tracker forms' lists the names it recognises)",
    )
    log.add_argument(
        "--score", required=True, help="the score you saw: three-digit, or percent"
    )
    log.add_argument("--notes", default="", help="anything worth remembering")
    add_setting_flags(log, ["exam"])
    log.set_defaults(run=_run_log)

    result = commands.add_parser(
        "result",
        parents=parents,
        help="log your real exam result",
        description="Log the real exam score. The verdict then shows how the "
        "projection did.",
    )
    result.add_argument("--date", metavar="YYYY-MM-DD", required=True, help="exam day")
    result.add_argument("--score", required=True, help="the three-digit score")
    result.add_argument("--notes", default="", help="anything worth remembering")
    add_setting_flags(result, ["exam"])
    result.set_defaults(run=_run_result)

    listing = commands.add_parser(
        "list",
        parents=parents,
        help="show the logged results",
        description="Show the logged results, oldest first; # is the entry's number.",
    )
    add_setting_flags(listing, ["exam", "calibrate"])
    listing.set_defaults(run=_run_list)


def _add_plan_commands(commands, parents) -> None:
    verdict = commands.add_parser(
        "verdict",
        parents=parents,
        help="take the exam as planned, keep the date, or move it?",
        description="Fit the trend, project the exam-day score and apply the "
        '"consistently at the threshold" rule: TAKE NOW, ON TRACK, DELAY or NOT '
        "ENOUGH DATA.",
    )
    verdict.add_argument("--json", action="store_true", help="print the verdict as JSON")
    add_setting_flags(verdict, PLAN_SETTINGS)
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
        help="image file to write; .png, .svg or .pdf (default: chart.png)",
    )
    add_setting_flags(plot, PLAN_SETTINGS)
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


COHORT_SORT_KEYS = ("file", "n", "last", "projected", "verdict", "date")  # as the core's


def _add_cohort_commands(commands, parents, today) -> None:
    """Commands over many logs at once (one student a file): calibrate and cohort.
    ``today`` is the parser of ``--today`` alone (there is no one log to name)."""
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
    add_setting_flags(cohort, PLAN_SETTINGS)
    cohort.set_defaults(run=_run_cohort)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status."""
    from tracker.errors import TrackerError

    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # a plain-ASCII terminal still works
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help, or a usage error already printed as one line
        return int(exit_.code or 0)
    try:
        args.run(args)
    except TrackerError as error:
        print(f"{PROG}: error: {shown(str(error))}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader (head, less) stopped early: not an error. Point stdout at
        # /dev/null so Python's own flush at exit does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


# --- shared steps -------------------------------------------------------------------------


def _log_path(args: argparse.Namespace) -> Path:
    from tracker.log import check_log_name, default_log_path

    return check_log_name(args.log) if args.log else default_log_path()


def _today(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()


def _settings(args: argparse.Namespace):
    """settings.json beside the log, then the flags given on the command line."""
    from tracker.errors import SettingsError
    from tracker.settings import SETTINGS, Settings, load_settings, settings_path_for

    try:
        saved = load_settings(settings_path_for(_log_path(args)))
    except SettingsError as error:
        _warn(f"{error}; using the defaults")
        saved = Settings()
    given = {s.name: getattr(args, s.name) for s in SETTINGS if hasattr(args, s.name)}
    return dataclasses.replace(saved, **given)


def _warn(message: str) -> None:
    print(f"{PROG}: warning: {shown(message)}", file=sys.stderr)


def _assess(args: argparse.Namespace):
    from tracker.assess import assess

    assessment = assess(
        _log_path(args), _settings(args), _today(args), catalog_path=args.catalog
    )
    for warning in assessment.warnings:
        _warn(warning)
    return assessment


# --- the commands -------------------------------------------------------------------------


def _run_log(args: argparse.Namespace) -> None:
    from tracker.assess import record
    from tracker.log import make_entry

    today = _today(args)
    entry = make_entry(
        args.date or today, args.assessment, args.score, args.notes, today=today
    )
    _report_write(args, entry, record, "Logged")


def _run_result(args: argparse.Namespace) -> None:
    from tracker.assess import record, result_entry

    today = _today(args)
    settings = _settings(args)
    entry = result_entry(settings, args.date, args.score, args.notes, today)
    _report_write(args, entry, record, "Logged your exam result:", settings)


def _report_write(args, entry, record, verb: str, settings=None) -> None:
    path = _log_path(args)
    settings = settings or _settings(args)
    done = record(path, entry, settings, today=_today(args), catalog_path=args.catalog)
    for warning in done.warnings:
        _warn(warning)
    seen = done.reading.seen
    if done.reading.scale != "three-digit":
        seen += f" (≈{done.reading.points:.0f} on the exam's scale)"
    n = len(done.entries)
    print(
        shown(
            f"{verb} {entry.date} {entry.assessment}: {seen} to {path} "
            f"({n} result{'s' if n != 1 else ''} in the log)."
        )
    )


def _run_list(args: argparse.Namespace) -> None:
    from tracker.assess import find_forms
    from tracker.log import content_id, parse_log, read_raw

    path = _log_path(args)
    settings = _settings(args)
    forms = find_forms(path, settings.exam, catalog_path=args.catalog)
    raw = read_raw(path)
    entries = parse_log(raw, source=str(path), check=forms.reading)
    if not entries:
        where = f" --log {shlex.quote(str(path))}" if args.log else ""
        print(shown(f"No results in {path} yet. Add one with:"))
        example = forms.catalog.forms[0].name if forms.catalog.forms else "NBME 13"
        score = forms.profile.threshold - 9
        print(shown(f'  {PROG} log{where} --assessment "{example}" --score {score}'))
        return
    rows = [(n, e, forms.reading(e)) for n, e in enumerate(entries, start=1)]
    rows.sort(key=lambda row: row[1].date)  # oldest first; # stays the entry's number
    width = max(len("assessment"), *(_width(e.assessment) for _, e, _ in rows))
    print(f"{'#':>3}  {'date':<10}  {'assessment':<{width}}  {'score':>5}  {'':5}  notes")
    for number, entry, reading in rows:
        converted = f"≈{reading.points:.0f}" if reading.scale != "three-digit" else ""
        notes = " ".join(entry.notes.split())  # one line per result, even for long notes
        name = shown(entry.assessment)
        line = (
            f"{number:>3}  {entry.date}  {name}{' ' * (width - _width(name))}  "
            f"{reading.seen:>5}  {converted:<5}  {shown(notes)}"
        )
        print(line.rstrip())
    n = len(entries)
    listing = content_id(raw)  # `tracker edit/delete --listing` checks it
    print(shown(f"{n} result{'s' if n != 1 else ''} in {path} (listing {listing})"))


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide East Asian characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _run_verdict(args: argparse.Namespace) -> None:
    from tracker.reasons import headline

    assessment = _assess(args)
    if args.json:
        print(
            json.dumps(assessment.as_dict(), indent=2, ensure_ascii=False, allow_nan=False)
        )
        return
    word, detail = headline(assessment.plan)
    print(shown(f"{word}  {detail}"))
    print()
    for reason in assessment.reasons:
        print(shown(f"  {REASON_MARKS[reason.met]} {reason.text}"))


def _run_forms(args: argparse.Namespace) -> None:
    from tracker.assess import find_forms

    forms = find_forms(_log_path(args), _settings(args).exam, catalog_path=args.catalog)
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
            f"{_plural(len(forms.catalog.forms), 'form')} for {forms.profile.name} in "
            f"{forms.path}. "
            "The trend uses each score on the exam's scale plus its offset; the log keeps "
            "the score you saw."
        )
    )


def _run_exams(args: argparse.Namespace) -> None:
    from tracker.exams import DEFAULT_EXAM, PROFILES

    for profile in PROFILES.values():
        default = " (default)" if profile.key == DEFAULT_EXAM else ""
        print(f"{profile.key}{default}: {profile.full_name}")
        print(
            f"    scale {profile.scale_words}, passing {profile.passing}; threshold "
            f"{profile.threshold}, target {profile.target}; scores arrive about "
            f"{profile.release_lag_days} days after the exam"
        )
        print(f"    defaults: {profile.defaults_note}")
        rules = profile.rescheduling
        moving = rules.source if rules else "rescheduling fees: not known to the tracker"
        print(f"    moving the exam: {moving}")
        for source in profile.sources:
            print(f"    source: {source}")


def _run_plot(args: argparse.Namespace) -> None:
    from tracker.chart import draw
    from tracker.errors import TrackerError

    assessment = _assess(args)
    figure = draw(assessment)
    try:
        figure.savefig(args.out, dpi=150)
    except OSError as error:
        raise TrackerError(
            f"cannot save the chart to {args.out}: {error.strerror}"
        ) from None
    except ValueError as error:  # matplotlib's word for an unknown file type
        raise TrackerError(f"cannot save the chart to {args.out}: {error}") from None
    print(shown(f"Saved the chart to {args.out}"))


# --- fixing mistakes: edit, delete, undo -------------------------------------------------


def _entry_number(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"entry number {text!r} is not a whole number from 1"
        )
    return int(text)


def _add_fix_commands(commands, parents) -> None:
    listing = argparse.ArgumentParser(add_help=False)
    listing.add_argument(
        "number", type=_entry_number, metavar="N", help="the # in 'tracker list'"
    )
    listing.add_argument(
        "--listing",
        metavar="ID",
        help="the listing ID 'tracker list' printed: refuse if the log changed since",
    )
    edit = commands.add_parser(
        "edit",
        parents=[*parents, listing],
        help="correct entry N of the log",
        description="Correct entry N (as numbered by 'tracker list'): give only the "
        "fields to change. The previous log is kept as .bak; 'tracker undo' restores it.",
    )
    edit.add_argument("--date", metavar="YYYY-MM-DD", help="the day it was taken")
    edit.add_argument("--assessment", help="the form's name")
    edit.add_argument("--score", help="the score you saw: three-digit, or percent")
    edit.add_argument("--notes", help="new notes ('' to clear them)")
    add_setting_flags(edit, ["exam"])
    edit.set_defaults(run=_run_edit)

    delete = commands.add_parser(
        "delete",
        parents=[*parents, listing],
        help="delete entry N of the log",
        description="Delete entry N (as numbered by 'tracker list'). The previous log "
        "is kept as .bak; 'tracker undo' restores it.",
    )
    delete.set_defaults(run=_run_delete)

    undo = commands.add_parser(
        "undo",
        parents=parents,
        help="put the log back as it was before the last change",
        description="Swap the log with its .bak: the log as it was before the last "
        "change (log, edit, delete) comes back. Run it again to redo the change.",
    )
    undo.set_defaults(run=_run_undo)


def _run_edit(args: argparse.Namespace) -> None:
    from tracker.assess import amend
    from tracker.errors import TrackerError
    from tracker.fixes import changed_fields, describe, edited, find_entry

    given = {n: getattr(args, n) for n in ("date", "assessment", "score", "notes")}
    if all(value is None for value in given.values()):
        raise TrackerError(
            "nothing to change: give --date, --assessment, --score or --notes"
        )
    path, today = _log_path(args), _today(args)
    found = find_entry(path, args.number, listing=args.listing)
    new = edited(found.entry, today=today, **given)
    fields = changed_fields(found.entry, new)
    if not fields:
        print(
            shown(f"Entry {found.number} already reads {describe(new)}; nothing written.")
        )
        return
    done = amend(
        path, found.index, new, _settings(args), expected=found.entry, today=today,
        catalog_path=args.catalog,
    )  # fmt: skip
    for warning in done.warnings:
        _warn(warning)
    old = found.entry
    what = "; ".join(_field_change(name, old, new) for name in fields)
    print(shown(f"Changed entry {found.number} ({old.date} {old.assessment}): {what}."))
    _print_undo_hint(path)


def _field_change(name: str, old, new) -> str:
    before, after = getattr(old, name), getattr(new, name)
    if name == "notes":
        before, after = f'"{" ".join(before.split())}"', f'"{" ".join(after.split())}"'
    return f"{name} {before} → {after}"


def _print_undo_hint(path: Path) -> None:
    from tracker.log import backup_path

    print(shown(f"The previous log is kept as {backup_path(path).name}; "
                "'tracker undo' puts it back."))  # fmt: skip


def _run_delete(args: argparse.Namespace) -> None:
    from tracker.fixes import describe, find_entry
    from tracker.log import delete_entry

    path = _log_path(args)
    found = find_entry(path, args.number, listing=args.listing)
    delete_entry(path, found.index, expected=found.entry, today=_today(args))
    print(shown(f"Deleted entry {found.number}: {describe(found.entry)}."))
    _print_undo_hint(path)


def _run_undo(args: argparse.Namespace) -> None:
    from tracker.fixes import changed_fields, describe, entry_changes
    from tracker.log import backup_path, undo_last_change

    path = _log_path(args)
    undone = undo_last_change(path)
    changes = entry_changes(undone.before, undone.after)
    print(shown(f"Put back {path} as it was before the last change:"))
    for change in changes:
        if change.kind == "changed":
            fields = "; ".join(
                _field_change(name, change.old, change.new)
                for name in changed_fields(change.old, change.new)
            )
            line = f"entry {change.number} ({change.old.date} {change.old.assessment}): "
            line += fields
        elif change.kind == "added":
            line = f"entry {change.number} is back: {describe(change.new)}"
        else:
            line = f"entry {change.number} is gone: {describe(change.old)}"
        print(shown(f"  {line}"))
    if not changes:
        print("  (the entries are the same; only the file's layout differs)")
    n = len(undone.after)
    kept = backup_path(path).name
    print(shown(f"{n} result{'s' if n != 1 else ''} in the log now. The undone version "
                f"is kept as {kept}: 'tracker undo' again redoes it."))  # fmt: skip


# --- planning the forms left: plan, calendar ---------------------------------------------


def _pace(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 90:
        raise argparse.ArgumentTypeError(
            f"pace {text!r} is not a whole number of days 1–90"
        )
    return int(text)


def _add_schedule_commands(commands, parents) -> None:
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
    add_setting_flags(plan, PLAN_SETTINGS)
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
    add_setting_flags(calendar, PLAN_SETTINGS)
    calendar.set_defaults(run=_run_calendar)


def _run_plan(args: argparse.Namespace) -> None:
    from tracker.schedule import plan_schedule, schedule_lines

    schedule = plan_schedule(_assess(args), pace_days=args.pace)
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

    assessment = _assess(args)
    schedule = plan_schedule(assessment, pace_days=args.pace)
    events = calendar_events(assessment, schedule)
    data = to_ics(events, exam_key=assessment.profile.key, made_on=assessment.today)
    out = args.out
    check_output(out, kind="calendar file", looks_like=is_calendar)
    atomic_write(out, data)
    print(shown(f"Saved {len(events)} events to {out}:"))
    for event in events:
        print(shown(f"  {event.day}  {event.title}"))


def _run_calibrate(args: argparse.Namespace) -> None:
    from tracker.calibrate import calibrate_students, read_cohort
    from tracker.exams import (
        DEFAULT_EXAM,
        get_profile,
        is_catalog,
        load_catalog,
        save_catalog,
        shipped_catalog_path,
    )
    from tracker.log import check_output

    check_output(args.out, kind="catalog", looks_like=is_catalog)  # before any work
    profile = get_profile(getattr(args, "exam", DEFAULT_EXAM))
    base = load_catalog(args.base or shipped_catalog_path(profile), profile)
    students, skipped = read_cohort(args.paths, profile, base)
    for skip in skipped:
        _warn(f"{skip.source}: skipped: {skip.reason}")
    calibration = calibrate_students(students, profile, base, _today(args), skipped)
    save_catalog(args.out, calibration.catalog, profile)
    for line in _calibration_table(calibration):
        print(shown(line))
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
        if new is base:
            changed = (
                f"{base.offset:+g} ± {base.uncertainty:g} ({item.note or 'unchanged'})"
            )
        rows.append(
            (base.name, f"{item.students:,}", f"{base.offset:+g} ± {base.uncertainty:g}",
             estimate, changed)
        )  # fmt: skip
    return _table(rows, right={1})


def _run_cohort(args: argparse.Namespace) -> None:
    from tracker.cohort import cohort_csv, line_json, sort_lines, summarise
    from tracker.settings import SETTINGS, Settings

    given = {s.name: getattr(args, s.name) for s in SETTINGS if hasattr(args, s.name)}
    settings = dataclasses.replace(Settings(), **given)
    cohort = summarise(args.paths, settings, _today(args), catalog_path=args.catalog)
    for skip in cohort.skipped:
        _warn(f"{skip.source}: skipped: {skip.reason}")
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
            (shown(line.source), str(line.n), _whole(line.last_score),
             _whole(line.projected), line.outcome.headline, when)
        )  # fmt: skip
    return _table(rows, right={1, 2, 3})


def _table(rows: list[tuple[str, ...]], *, right: set[int]) -> list[str]:
    """Rows as aligned text columns; the last column is not padded."""
    widths = [max(_width(row[k]) for row in rows) for k in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for k, cell in enumerate(row):
            pad = " " * (widths[k] - _width(cell))
            last = k == len(row) - 1
            cells.append(pad + cell if k in right else cell + ("" if last else pad))
        lines.append("  ".join(cells).rstrip())
    return lines


def _whole(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


if __name__ == "__main__":
    sys.exit(main())
