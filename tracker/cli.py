"""``tracker``: log practice scores and ask whether to sit the exam, from the terminal.

A thin shell: each command parses its flags, calls the core and prints what it returns.
Problems the user can fix arrive as :class:`TrackerError` and become one line,
``tracker: error: ...``, with exit status 2. Heavy modules are imported only by the
commands that need them, so ``tracker verdict`` starts quickly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

PROG = "tracker"
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports every problem as one line: ``tracker: error: ...``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = f" (see '{self.prog} --help')"
        self.exit(EXIT_USAGE, f"{PROG}: error: {message}{hint}\n")


def _date(text: str) -> dt.date:
    from tracker.errors import InvalidEntryError
    from tracker.log import parse_date

    try:
        return parse_date(text)
    except InvalidEntryError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Track USMLE Step 2 CK practice scores and decide: take the exam "
        "as planned, or delay it.",
    )
    from tracker import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--log",
        type=Path,
        metavar="PATH",
        help="the score log (default: $TRACKER_LOG, else data/scores.csv)",
    )
    common.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="count dates from this day instead of the real date",
    )

    log = commands.add_parser(
        "log",
        parents=[common],
        help="add one practice exam result",
        description="Add one practice exam result to the log.",
    )
    log.add_argument("--date", metavar="YYYY-MM-DD", help="day taken (default: today)")
    log.add_argument(
        "--assessment", required=True, help='its name, for example "NBME 13" or "UWSA 2"'
    )
    log.add_argument("--score", required=True, help="three-digit score, 1–300")
    log.add_argument("--notes", default="", help="anything worth remembering")
    log.set_defaults(run=_run_log)

    listing = commands.add_parser(
        "list",
        parents=[common],
        help="show the logged results",
        description="Show the logged results, oldest first.",
    )
    listing.set_defaults(run=_run_list)

    policy = argparse.ArgumentParser(add_help=False)
    policy.add_argument(
        "--exam-date",
        type=_date,
        required=True,
        metavar="YYYY-MM-DD",
        help="the planned exam day",
    )
    policy.add_argument(
        "--threshold",
        type=int,
        default=240,
        help="score the recent results must all reach (default: 240)",
    )
    policy.add_argument(
        "--window",
        type=int,
        default=3,
        help="how many recent results must reach it (default: 3)",
    )
    policy.add_argument(
        "--target",
        type=int,
        default=245,
        help="the competitive score you aim for (default: 245)",
    )
    policy.add_argument(
        "--level",
        type=float,
        default=0.95,
        help="coverage of the intervals, between 0 and 1 (default: 0.95)",
    )
    policy.add_argument(
        "--model",
        choices=("bayes", "ols"),
        default="bayes",
        help="bayes: a straight line with a learning-rate prior (default, the most "
        "accurate in the forecast benchmark); ols: plain least squares",
    )
    policy.add_argument(
        "--prior-weight",
        type=float,
        default=1.0,
        metavar="W",
        help="how much the learning-rate prior counts, 0 for none (default: 1)",
    )
    policy.add_argument(
        "--recency-half-life",
        dest="recency_half_life_days",
        type=float,
        metavar="DAYS",
        help="with --model bayes: a score this many days older counts half as much "
        "(default: all scores count alike)",
    )
    policy.add_argument(
        "--catalog",
        type=Path,
        metavar="PATH",
        help="per-form offsets (default: assessments.csv beside the log, else the "
        "shipped data/assessments.csv)",
    )
    policy.add_argument(
        "--no-calibration",
        dest="calibrate",
        action="store_false",
        help="fit the trend to the raw scores, ignoring differences between forms",
    )
    policy.add_argument(
        "--calibrate-rule",
        action="store_true",
        help="judge the consistency rule on calibrated scores too",
    )
    policy.add_argument(
        "--eras-date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="when residency applications open, to check the score arrives in time",
    )

    verdict = commands.add_parser(
        "verdict",
        parents=[common, policy],
        help="take the exam as planned, or delay it?",
        description="Fit the trend, project the exam-day score and apply the "
        '"consistently 240+" rule: TAKE NOW, DELAY (and until when) or NOT ENOUGH DATA.',
    )
    verdict.add_argument("--json", action="store_true", help="print the verdict as JSON")
    verdict.set_defaults(run=_run_verdict)

    plot = commands.add_parser(
        "plot",
        parents=[common, policy],
        help="save the trajectory chart as an image",
        description="Save the chart: scores, trend, bands and the exam-day projection.",
    )
    plot.add_argument(
        "--out",
        type=Path,
        default=Path("chart.png"),
        help="image file to write; .png, .svg or .pdf (default: chart.png)",
    )
    plot.set_defaults(run=_run_plot)

    forms = commands.add_parser(
        "forms",
        parents=[common],
        help="show the per-form calibration offsets",
        description="Show the catalog of practice forms and the points added to each "
        "form's score before the trend is fitted.",
    )
    forms.add_argument("--catalog", type=Path, metavar="PATH", help="catalog to show")
    forms.set_defaults(run=_run_forms)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status."""
    from tracker.errors import TrackerError

    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help, or a usage error already printed as one line
        return int(exit_.code or 0)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # a plain-ASCII terminal still works
    try:
        args.run(args)
    except TrackerError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader (head, less) stopped early: not an error. Point stdout at
        # /dev/null so Python's own flush at exit does not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _log_path(args: argparse.Namespace) -> Path:
    from tracker.log import default_log_path

    return args.log or default_log_path()


def _today(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()


def _run_log(args: argparse.Namespace) -> None:
    from tracker.log import append_entry, make_entry

    today = _today(args)
    path = _log_path(args)
    entry = make_entry(
        args.date or today, args.assessment, args.score, args.notes, today=today
    )
    entries = append_entry(path, entry, today=today)
    print(
        f"Logged {entry.date} {entry.assessment}: {entry.score} to {path} "
        f"({len(entries)} result{'s' if len(entries) != 1 else ''} in the log)."
    )


def _run_list(args: argparse.Namespace) -> None:
    from tracker.log import chronological, read_log

    path = _log_path(args)
    entries = chronological(read_log(path, today=_today(args)))
    if not entries:
        print(f"No results in {path} yet. Add one with:")
        print(f'  {PROG} log --assessment "NBME 13" --score 231')
        return
    name_width = max(len("assessment"), *(len(entry.assessment) for entry in entries))
    print(f"{'#':>3}  {'date':<10}  {'assessment':<{name_width}}  score  notes")
    for number, entry in enumerate(entries, start=1):
        notes = " ".join(entry.notes.split())  # one line per result, even for long notes
        print(
            f"{number:>3}  {entry.date}  {entry.assessment:<{name_width}}  "
            f"{entry.score:>5}  {notes}".rstrip()
        )
    print(f"{len(entries)} result{'s' if len(entries) != 1 else ''} in {path}")


def _decide(args: argparse.Namespace):
    from tracker.calibration import catalog_path_for, load_catalog
    from tracker.log import read_log
    from tracker.settings import Settings
    from tracker.verdict import decide

    today = _today(args)
    # The flags are named after the dashboard's settings, so both build one policy.
    settings = Settings(**{name: getattr(args, name) for name in Settings.field_names()})
    policy = settings.policy()
    log_path = _log_path(args)
    catalog = None
    catalog_path = args.catalog or catalog_path_for(log_path)
    if settings.calibrate and catalog_path is not None:
        catalog = load_catalog(catalog_path)
    entries = read_log(log_path, today=today)
    return decide(entries, args.exam_date, today=today, policy=policy, catalog=catalog)


VERDICT_WORDS = {
    "take_now": "TAKE NOW",
    "delay": "DELAY",
    "insufficient_data": "NOT ENOUGH DATA",
}
REASON_MARKS = {True: "[x]", False: "[ ]", None: " - "}


def _run_verdict(args: argparse.Namespace) -> None:
    verdict = _decide(args)
    if args.json:
        print(json.dumps(verdict.as_dict(), indent=2, ensure_ascii=False))
        return
    headline = VERDICT_WORDS[verdict.verdict]
    if verdict.suggested_date is not None:
        headline += f" until {verdict.suggested_date}"
    days_left = (verdict.exam_date - verdict.today).days
    print(f"{headline}  (exam planned for {verdict.exam_date}, in {days_left} days)")
    print()
    for reason in verdict.reasons:
        print(f"  {REASON_MARKS[reason.met]} {reason.text}")


def _run_forms(args: argparse.Namespace) -> None:
    from tracker.calibration import catalog_path_for, load_catalog
    from tracker.errors import CatalogError

    path = args.catalog or catalog_path_for(_log_path(args))
    if path is None:
        raise CatalogError("no catalog of forms: pass --catalog PATH")
    forms = load_catalog(path).forms
    width = max([len("form"), *(len(form.name) for form in forms)])
    print(f"{'form':<{width}}  offset  ±  source")
    for form in forms:
        print(
            f"{form.name:<{width}}  {form.offset:+6g}  {form.uncertainty:g}  {form.source}"
        )
    print(f"{len(forms)} forms in {path}. The trend adds each offset (points) to that ")
    print("form's score; the log keeps the score you saw.")


def _run_plot(args: argparse.Namespace) -> None:
    from tracker.chart import draw
    from tracker.errors import TrackerError

    verdict = _decide(args)
    figure = draw(verdict)
    try:
        figure.savefig(args.out, dpi=150)
    except OSError as error:
        raise TrackerError(
            f"cannot save the chart to {args.out}: {error.strerror}"
        ) from None
    except ValueError as error:  # matplotlib's word for an unknown file type
        raise TrackerError(f"cannot save the chart to {args.out}: {error}") from None
    print(f"Saved the chart to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
