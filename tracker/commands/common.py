"""What every command shares: terminal-safe text, the settings flags, the log, today,
the settings in force, warnings and aligned tables."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

PROG = "tracker"

REASON_MARKS = {True: "[x]", False: "[ ]", None: " - "}


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


def parse_day(text: str) -> dt.date:
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


def add_setting_flags(
    parser: argparse.ArgumentParser, names: Sequence[str] | None = None
) -> None:
    """One flag per setting (``names``, or every setting that has a flag), from the
    settings table; unset flags stay absent."""
    from tracker.settings import FLAGGED, SETTINGS_BY_NAME

    group = parser.add_argument_group("settings (default: settings.json beside the log)")
    for name in FLAGGED if names is None else names:
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
            help_text += f": {setting.choice_words}"
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


def log_path_of(args: argparse.Namespace) -> Path:
    from tracker.log import check_log_name, default_log_path

    return check_log_name(args.log) if args.log else default_log_path()


def today_of(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()


def settings_for(args: argparse.Namespace):
    """settings.json beside the log, then the flags given on the command line (the
    exam's own values are read for the exam the flag names, if it names one)."""
    return settings_and_sources(args)[0]


def settings_and_sources(args: argparse.Namespace) -> tuple[object, dict[str, str]]:
    """The settings in force and where each comes from: the default, the file, a flag.
    A settings file that cannot be read is reported and the defaults are used."""
    from tracker.errors import SettingsError
    from tracker.settings import FROM_FLAG, SETTINGS, SavedSettings, read_saved

    try:
        saved = read_saved(settings_file_of(args))
    except SettingsError as error:
        warn(f"{error}; using the defaults")
        saved = SavedSettings()
    given = {s.name: getattr(args, s.name) for s in SETTINGS if hasattr(args, s.name)}
    settings = dataclasses.replace(saved.for_exam(given.get("exam")), **given)
    return settings, saved.sources(settings.exam) | dict.fromkeys(given, FROM_FLAG)


def settings_file_of(args: argparse.Namespace) -> Path:
    from tracker.settings import settings_path_for

    return settings_path_for(log_path_of(args))


def warn(message: str) -> None:
    print(f"{PROG}: warning: {shown(message)}", file=sys.stderr)


def assess_log(args: argparse.Namespace):
    from tracker.assess import assess

    assessment = assess(
        log_path_of(args), settings_for(args), today_of(args), catalog_path=args.catalog
    )
    for warning in assessment.warnings:
        warn(warning)
    return assessment


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def text_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide East Asian characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(rows: list[tuple[str, ...]], *, right: set[int]) -> list[str]:
    """Rows as aligned text columns; the last column is not padded."""
    widths = [max(text_width(row[k]) for row in rows) for k in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for k, cell in enumerate(row):
            pad = " " * (widths[k] - text_width(cell))
            last = k == len(row) - 1
            cells.append(pad + cell if k in right else cell + ("" if last else pad))
        lines.append("  ".join(cells).rstrip())
    return lines


def whole(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


@dataclasses.dataclass(frozen=True)
class SharedFlags:
    """The flag groups commands share: ``--log``/``--today``/``--catalog`` for one log,
    ``--catalog`` alone, ``--today`` alone."""

    log: list[argparse.ArgumentParser]
    catalog: argparse.ArgumentParser
    dated: argparse.ArgumentParser
