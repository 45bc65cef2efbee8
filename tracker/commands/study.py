"""The study plan around the scores: ``area``, ``areas``, ``qbank``.

Each logs to its own file beside the score log (``areas.csv``, ``qbank.csv``) and
prints what it logged and where things stand; ``tracker undo areas`` and ``tracker
undo qbank`` undo their last change.
"""

from __future__ import annotations

import argparse
import json

from tracker.commands.common import (
    SharedFlags,
    add_setting_flags,
    log_path_of,
    plural,
    settings_for,
    shown,
    table,
    today_of,
    warn,
)


def register(commands, flags: SharedFlags) -> None:
    """``area``, ``areas`` and ``qbank``."""
    _register_area(commands, flags.log)
    _register_areas(commands, flags.log)
    _register_qbank(commands, flags.log)


def _register_area(commands, parents) -> None:
    area = commands.add_parser(
        "area",
        parents=parents,
        help="log one line of a score report (a weak or strong area)",
        description="Log one area of a score report or a Q-bank subject report: a "
        "percent correct or NBME's band. Kept in areas.csv beside the score log; "
        "'tracker areas' ranks them.",
    )
    area.add_argument(
        "--date", metavar="YYYY-MM-DD", help="the report's day (default: today)"
    )
    area.add_argument(
        "--source", required=True, help="the report: 'NBME 13', 'UWSA 2', 'UWorld'"
    )
    area.add_argument(
        "--area",
        required=True,
        help="the discipline or system ('tracker areas --list' shows the names)",
    )
    value = area.add_mutually_exclusive_group(required=True)
    value.add_argument("--percent", metavar="P", help="percent correct, 0–100")
    value.add_argument(
        "--band",
        metavar="BAND",
        help="lower, borderline, same or higher, as the NBME report shows it",
    )
    area.add_argument("--notes", default="", help="anything worth remembering")
    area.set_defaults(run=_run_area)


def _register_areas(commands, parents) -> None:
    areas = commands.add_parser(
        "areas",
        parents=parents,
        help="rank the logged areas, weakest first",
        description="Rank the areas logged with 'tracker area' by their latest value, "
        "weakest first, with each one's change since its previous report, and the "
        "test-taking problems tagged on practice exams.",
    )
    areas.add_argument("--json", action="store_true", help="print the ranking as JSON")
    areas.add_argument(
        "--list", action="store_true", help="list the area names the tracker knows"
    )
    add_setting_flags(areas, ["exam"])
    areas.set_defaults(run=_run_areas)


def _register_qbank(commands, parents) -> None:
    qbank = commands.add_parser(
        "qbank",
        parents=parents,
        help="log Q-bank progress, or show it",
        description="Log what the Q-bank shows (questions done, the bank's size, % "
        "correct) to qbank.csv beside the score log, and show the pace, when the "
        "first pass ends and how many passes fit before the exam. Without --done, "
        "only shows. Q-bank numbers do not change the projection.",
    )
    qbank.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")
    qbank.add_argument("--done", metavar="N", help="questions used in this pass")
    qbank.add_argument(
        "--total",
        metavar="N",
        help="the bank's size (default: the tracker's sourced figure, if it knows one)",
    )
    qbank.add_argument("--correct", metavar="P", help="overall percent correct, 0–100")
    qbank.add_argument("--bank", help="the Q-bank's name (default: UWorld)")
    qbank.add_argument("--notes", default="", help="anything worth remembering")
    add_setting_flags(qbank, ["exam", "exam_date"])
    qbank.set_defaults(run=_run_qbank)


# --- area ---------------------------------------------------------------------------------


def _run_area(args: argparse.Namespace) -> None:
    from tracker.areas import (
        append_area,
        area_log_path,
        load_area_catalog,
        make_area_entry,
    )

    today = today_of(args)
    entry = make_area_entry(
        args.date or today,
        args.source,
        args.area,
        percent=args.percent,
        band=args.band,
        notes=args.notes,
        today=today,
    )
    catalog = load_area_catalog()
    path = area_log_path(log_path_of(args))
    done = append_area(path, entry, catalog=catalog)
    for warning in done.warnings:
        warn(warning)
    known = catalog.find(entry.area)
    name = known.name if known else entry.area
    value = entry.band if entry.band else f"{entry.percent:g}%"
    print(
        shown(
            f"Logged {entry.date} {entry.source}: {name} {value} to {path} "
            f"({plural(len(done.entries), 'line')} in the area log)."
        )
    )


# --- areas --------------------------------------------------------------------------------


def _run_areas(args: argparse.Namespace) -> None:
    from tracker.study import study_for_log

    if args.list:
        _print_area_list()
        return
    study = study_for_log(
        log_path_of(args),
        exam=settings_for(args).exam,
        today=today_of(args),
        strict="areas",
    )
    for warning in study.warnings:
        warn(warning)
    if args.json:
        from tracker.study_report import areas_json

        text = json.dumps(areas_json(study), indent=2, ensure_ascii=False, allow_nan=False)
        print(text)
        return
    _print_ranking(study, log_path_of(args))


def _print_area_list() -> None:
    from tracker.areas import AREA_CATALOG_PATH, load_area_catalog

    catalog = load_area_catalog()
    for area in catalog.areas:
        print(shown(f"{area.name}  [{area.kind}]"))
        if area.aliases:
            print(shown(f"    also: {', '.join(area.aliases)}"))
    sources = dict.fromkeys(
        a.source for a in catalog.areas if not a.source.startswith("As ")
    )
    for source in sources:
        print(shown(f"source: {source}"))
    print(shown(f"{plural(len(catalog.areas), 'area')} in {AREA_CATALOG_PATH}."))


def _print_ranking(study, log_path) -> None:
    from tracker.areas import area_log_path
    from tracker.study_words import change_words, issue_words, value_words

    ranking = study.areas
    path = area_log_path(log_path)
    if not ranking.areas:
        print(shown(f"No areas in {path} yet. Add one from a score report with:"))
        print('  tracker area --source "NBME 13" --area Cardiology --band lower')
    else:
        print(
            shown(
                f"Weak areas, weakest first, by their latest report "
                f"({plural(len(ranking.reports), 'report')} in {path}):"
            )
        )
        rows = [("area", "latest", "report", "since the previous")]
        for standing in ranking.areas:
            latest = standing.latest
            report = f"{latest.report.date} {latest.report.source}"
            rows.append(
                (standing.name, value_words(latest), report, change_words(standing))
            )
        for line in table(rows, right=set()):
            print(shown(f"  {line}"))
        weakest = "; ".join(study.weakest) or "none below your own overall"
        print(shown(f"Weakest: {weakest}."))
    if study.issues:
        words = "; ".join(issue_words(i, study.practice_exams) for i in study.issues)
        print(shown(f"Test-taking problems tagged on practice exams: {words}."))


# --- qbank --------------------------------------------------------------------------------


def _run_qbank(args: argparse.Namespace) -> None:
    from tracker.errors import TrackerError
    from tracker.qbank import qbank_log_path
    from tracker.study import study_for_log
    from tracker.study_words import qbank_words

    settings = settings_for(args)
    path = qbank_log_path(log_path_of(args))
    given = [args.done, args.total, args.correct]
    if any(value is not None for value in given) or args.date or args.bank:
        if args.done is None or args.correct is None:
            raise TrackerError(
                "give --done and --correct (and --total for a bank the tracker does "
                "not know)"
            )
        _log_qbank(args, settings.exam, path)
    study = study_for_log(
        log_path_of(args),
        exam=settings.exam,
        today=today_of(args),
        exam_date=settings.exam_date,
        strict="qbank",
    )
    for warning in study.warnings:
        warn(warning)
    if study.qbank is None:
        print(shown(f"No Q-bank progress in {path} yet. Log it with:"))
        print("  tracker qbank --done 400 --correct 58")
        return
    print(shown(qbank_words(study.qbank, study.facts)))


def _log_qbank(args: argparse.Namespace, exam: str, path) -> None:
    from tracker.qbank import DEFAULT_BANK, append_qbank, make_qbank_entry, size_for

    today = today_of(args)
    bank = args.bank or DEFAULT_BANK
    total, note = size_for(bank, exam, args.total)
    entry = make_qbank_entry(
        args.date or today, bank, args.done, total, args.correct, args.notes, today=today
    )
    done = append_qbank(path, entry)
    for warning in done.warnings:
        warn(warning)
    if note:
        print(shown(note))
    print(
        shown(
            f"Logged {entry.date} {entry.bank}: {entry.done:,} of {entry.total:,} "
            f"questions, {entry.correct:g}% correct to {path} "
            f"({plural(len(done.entries), 'report')} in the Q-bank log)."
        )
    )


# --- undo of the study files --------------------------------------------------------------


def undo_study_file(which: str, log_path) -> None:
    """``tracker undo areas`` / ``tracker undo qbank``: swap the file with its .bak."""
    from tracker.areas import area_log_path, undo_areas
    from tracker.log import backup_path
    from tracker.qbank import qbank_log_path, undo_qbank

    path = area_log_path(log_path) if which == "areas" else qbank_log_path(log_path)
    undone = (undo_areas if which == "areas" else undo_qbank)(path)
    before, after = len(undone.before), len(undone.after)
    noun = "line" if which == "areas" else "report"
    print(
        shown(
            f"Put back {path} as it was before the last change: "
            f"{plural(before, noun)} before, {plural(after, noun)} now."
        )
    )
    print(
        shown(
            f"The undone version is kept as {backup_path(path).name}: "
            f"'tracker undo {which}' again redoes it."
        )
    )
