"""Settings set once: ``set`` remembers them, ``settings`` shows them and their source.

``tracker set`` writes the same ``settings.json`` beside the log as the dashboard does,
so every later command (and the page) uses what was set without repeating a flag.
"""

from __future__ import annotations

import argparse
import dataclasses
import json

from tracker.commands.common import (
    SharedFlags,
    add_setting_flags,
    settings_and_sources,
    settings_file_of,
    shown,
    table,
    today_of,
)


def register(commands, flags: SharedFlags) -> None:
    """``set`` and ``settings``."""
    remember = commands.add_parser(
        "set",
        parents=flags.log,
        help="remember settings (exam, exam date, ...) for every later command",
        description="Remember settings in settings.json beside the log (the file the "
        "dashboard uses): every later command and the dashboard use them. Each exam "
        "keeps its own date, threshold, target and eligibility end. 'none' puts a "
        "setting back to its default.",
    )
    add_setting_flags(remember)
    remember.set_defaults(run=_run_set)

    show = commands.add_parser(
        "settings",
        parents=flags.log,
        help="show the settings in force and where each comes from",
        description="Show every setting in force for the exam, and where it comes "
        "from: the default, settings.json, or a flag given here.",
    )
    show.add_argument("--json", action="store_true", help="print JSON")
    add_setting_flags(show)
    show.set_defaults(run=_run_settings)


def _run_set(args: argparse.Namespace) -> None:
    from tracker.errors import SettingsError
    from tracker.settings import FLAGGED, read_saved, save_settings

    if not any(hasattr(args, name) for name in FLAGGED):
        raise SettingsError(
            "nothing to set: give a setting, such as --exam-date YYYY-MM-DD "
            "('tracker set --help' lists them)"
        )
    path = settings_file_of(args)
    before = read_saved(path)  # a broken file is refused here, and left as it is
    given = {name: getattr(args, name) for name in FLAGGED if hasattr(args, name)}
    after = _chosen(before, given)
    _check_dates(after, today_of(args))
    save_settings(path, after)
    old = before.for_exam(after.exam)  # that exam's values as they were
    for name in given:
        was = before.exam if name == "exam" else getattr(old, name)
        print(shown(_change_line(name, was, getattr(after, name), after)))
    print(
        shown(
            f"Saved in {path}: every command and the dashboard use it from now on "
            "('tracker settings' shows them all)."
        )
    )


def _chosen(saved, given: dict[str, object]):
    """The saved settings for the exam given (else the file's), with ``given`` on top."""
    return dataclasses.replace(saved.for_exam(given.get("exam")), **given)


def _check_dates(settings, today) -> None:
    """Refuse dates every later verdict would refuse (an exam day or ERAS date before
    today, or more than three years ahead), before anything is saved."""
    from tracker.assess import policy_for
    from tracker.errors import PolicyError, SettingsError
    from tracker.exams import get_profile
    from tracker.plan import check_dates

    policy = policy_for(settings, get_profile(settings.exam))
    try:
        check_dates((), settings.exam_date or today, today, policy)
    except PolicyError as error:
        raise SettingsError(f"{error}; nothing was saved") from None


def _change_line(name: str, old: object, new: object, settings) -> str:
    label = name.replace("_", " ")
    now, was = _value_words(name, new, settings), _value_words(name, old, settings)
    if old == new:
        return f"  {label}: {now} (unchanged)"
    return f"  {label}: {now} (was {was})"


def _value_words(name: str, value: object, settings) -> str:
    """A setting's value as a student reads it; None says what it stands for."""
    from tracker.exams import get_profile
    from tracker.settings import SETTINGS_BY_NAME

    if isinstance(value, bool):
        return "on" if value else "off"
    if value is not None:
        return str(value)
    meaning = SETTINGS_BY_NAME[name].none_means
    profile = get_profile(settings.exam)
    own = getattr(profile, name, None)  # the exam's own threshold or target
    return meaning if own is None else f"{own}, {meaning}"


def _run_settings(args: argparse.Namespace) -> None:
    from tracker.exams import get_profile
    from tracker.settings import SETTINGS

    settings, sources = settings_and_sources(args)
    path = settings_file_of(args)
    if args.json:
        report = {
            "file": str(path),
            "exam": settings.exam,
            "settings": {
                s.name: {
                    "value": s.to_json(getattr(settings, s.name)),
                    "source": sources[s.name],
                }
                for s in SETTINGS
            },
        }
        print(json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False))
        return
    exam = get_profile(settings.exam).name
    print(shown(f"Settings for {exam} ({path}; flags given here count first):"))
    rows = [("setting", "value", "from")]
    for s in SETTINGS:
        flag = s.flag.removeprefix("--") if s.flag else s.name
        rows.append((flag, _value_words(s.name, getattr(settings, s.name), settings),
                     sources[s.name]))  # fmt: skip
    for line in table(rows, right=set()):
        print(shown(f"  {line}"))
    print("Change one with 'tracker set', for example: tracker set --exam-date 2027-01-15")
