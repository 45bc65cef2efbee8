"""Adding results and reading the log: ``log``, ``result``, ``list``."""

from __future__ import annotations

import argparse
import shlex

from tracker.commands.common import (
    PROG,
    SharedFlags,
    add_setting_flags,
    log_path_of,
    settings_for,
    shown,
    text_width,
    today_of,
    warn,
)


def add_issue_flag(parser: argparse.ArgumentParser) -> None:
    """``--issue NAME``, repeatable: the test-taking problems of a practice exam."""
    from tracker.tags import TEST_TAKING_ISSUES

    parser.add_argument(
        "--issue",
        action="append",
        metavar="PROBLEM",
        dest="issues",
        help="a test-taking problem on this exam, one of "
        f"{', '.join(TEST_TAKING_ISSUES)}; repeat for several",
    )


def register(commands, flags: SharedFlags) -> None:
    """``log``, ``result`` and ``list``."""
    parents = flags.log
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
    add_issue_flag(log)
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


def _run_log(args: argparse.Namespace) -> None:
    from tracker.assess import record
    from tracker.log import make_entry

    today = today_of(args)
    entry = make_entry(
        args.date or today,
        args.assessment,
        args.score,
        args.notes,
        today=today,
        issues=args.issues or (),
    )
    _report_write(args, entry, record, "Logged")


def _run_result(args: argparse.Namespace) -> None:
    from tracker.assess import record, result_entry

    today = today_of(args)
    settings = settings_for(args)
    entry = result_entry(settings, args.date, args.score, args.notes, today)
    _report_write(args, entry, record, "Logged your exam result:", settings)


def _report_write(args, entry, record, verb: str, settings=None) -> None:
    path = log_path_of(args)
    settings = settings or settings_for(args)
    done = record(path, entry, settings, today=today_of(args), catalog_path=args.catalog)
    for warning in done.warnings:
        warn(warning)
    seen = done.reading.seen
    if done.reading.scale != "three-digit":
        seen += f" (≈{done.reading.points:.0f} on the exam's scale)"
    n = len(done.entries)
    tags = f" [{', '.join(entry.issues)}]" if entry.issues else ""
    print(
        shown(
            f"{verb} {entry.date} {done.reading.name}: {seen}{tags} to {path} "
            f"({n} result{'s' if n != 1 else ''} in the log)."
        )
    )


def _run_list(args: argparse.Namespace) -> None:
    from tracker.assess import find_forms
    from tracker.log import content_id, parse_log, read_raw

    path = log_path_of(args)
    settings = settings_for(args)
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
    width = max(len("assessment"), *(text_width(shown(r.name)) for _, _, r in rows))
    print(f"{'#':>3}  {'date':<10}  {'assessment':<{width}}  {'score':>5}  {'':5}  notes")
    for number, entry, reading in rows:
        converted = f"≈{reading.points:.0f}" if reading.scale != "three-digit" else ""
        notes = " ".join(entry.notes.split())  # one line per result, even for long notes
        if entry.issues:
            notes = f"[{', '.join(entry.issues)}] {notes}".rstrip()
        name = shown(reading.name)
        line = (
            f"{number:>3}  {entry.date}  {name}{' ' * (width - text_width(name))}  "
            f"{reading.seen:>5}  {converted:<5}  {shown(notes)}"
        )
        print(line.rstrip())
    n = len(entries)
    listing = content_id(raw)  # `tracker edit/delete --listing` checks it
    print(shown(f"{n} result{'s' if n != 1 else ''} in {path} (listing {listing})"))
