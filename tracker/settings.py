"""Every setting, described once: name, kind, default, range and help.

The command's flags, ``settings.json`` and the dashboard's sidebar are all built from
:data:`SETTINGS`, so they accept exactly the same values. A missing settings file means
the defaults; a file that cannot be read is reported with its name and the problem and
is never replaced behind the user's back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracker.errors import InvalidEntryError, SettingsError
from tracker.exams import DEFAULT_EXAM, PROFILES
from tracker.log import atomic_write, parse_date

SETTINGS_FILE_NAME = "settings.json"
SETTINGS_MAX_BYTES = 100_000  # a real file is a few hundred bytes
MODELS = {
    "bayes": "straight line with a learning-rate prior",
    "ols": "ordinary least squares",
}


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting. ``low``/``high`` bound numbers; ``optional`` allows None."""

    name: str
    kind: type  # int, float, bool, str (a choice) or dt.date
    default: Any
    help: str
    label: str  # in the sidebar
    flag: str | None = None  # on the command line; None: not a flag
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    optional: bool = False
    none_means: str = ""  # what None stands for, in words
    metavar: str = ""  # the flag's value in help (default: the setting's name)

    def check(self, value: Any) -> Any:
        """``value`` if it is one this setting takes, else :class:`SettingsError`."""
        if value is None:
            if self.optional:
                return None
            raise SettingsError(f"{self.name} must be set")
        if self.kind is bool:
            if not isinstance(value, bool):
                raise SettingsError(f"{self.name} {value!r} is not true or false")
            return value
        if self.kind is dt.date:
            if type(value) is not dt.date:
                raise SettingsError(f"{self.name} {value!r} is not a date")
            return _checked_date(self.name, value)
        if self.kind is str:
            if value not in self.choices:
                raise SettingsError(
                    f"{self.name} {value!r} is not one of {', '.join(self.choices)}"
                )
            return value
        return self._check_number(value)

    def _check_number(self, value: Any) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SettingsError(f"{self.name} {value!r} is not a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise SettingsError(f"{self.name} {value!r} is not a finite number")
        if self.kind is int and isinstance(value, float) and not value.is_integer():
            raise SettingsError(f"{self.name} {value!r} is not a whole number")
        # Compared before any conversion: a 400-digit whole number has no float.
        if not self.low <= value <= self.high:
            shown = f"{value!r}" if len(repr(value)) <= 20 else f"{repr(value)[:12]}…"
            raise SettingsError(
                f"{self.name} {shown} is outside {self.low:g} to {self.high:g}"
            )
        return self.kind(value)

    def parse_text(self, text: str) -> Any:
        """A value typed on the command line (ASCII digits, ISO dates)."""
        text = text.strip()
        if self.optional and text.lower() in ("", "none", "off"):
            return None
        if self.kind is dt.date:
            try:
                return self.check(parse_date(text, what=self.name))
            except InvalidEntryError as error:
                raise SettingsError(str(error)) from None
        if self.kind in (int, float):
            return self.check(_number_text(self.name, text, self.kind))
        return self.check(text)

    def from_json(self, value: Any) -> Any:
        """A value as ``settings.json`` holds it."""
        if self.kind is dt.date and isinstance(value, str):
            try:
                return self.check(parse_date(value, what=self.name))
            except InvalidEntryError as error:
                raise SettingsError(str(error)) from None
        if self.kind is dt.date and value is not None:
            raise SettingsError(f"{self.name} {value!r} is not a date in YYYY-MM-DD form")
        return self.check(value)  # a whole number for a decimal setting is checked first

    def to_json(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value


_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", re.ASCII)


def _number_text(name: str, text: str, kind: type) -> int | float:
    """A number typed in ASCII digits: no separators, no NaN, no infinities."""
    pattern = _WHOLE if kind is int else _DECIMAL
    if not pattern.fullmatch(text):
        words = "a whole number" if kind is int else "a number"
        raise SettingsError(f"{name} {text[:40]!r} is not {words} in ASCII digits")
    if len(text) > 40:  # far beyond any range here, and int() of it would be slow
        raise SettingsError(f"{name} {text[:12]!r}… is far outside its range")
    return kind(text)


def _checked_date(name: str, day: dt.date) -> dt.date:
    try:
        from tracker.log import check_date

        return check_date(day, what=name)
    except InvalidEntryError as error:
        raise SettingsError(str(error)) from None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "exam", str, DEFAULT_EXAM, "the exam you are preparing for", "Exam", "--exam",
        choices=tuple(PROFILES),
    ),
    Setting(
        "exam_date", dt.date, None, "the planned exam day", "Planned exam date",
        "--exam-date", optional=True, none_means="not set yet",
    ),
    Setting(
        "threshold", int, None, "score the recent results must all reach",
        "Threshold: recent scores must all reach", "--threshold", low=1, high=999,
        optional=True, none_means="the exam's own ('tracker exams')", metavar="POINTS",
    ),
    Setting(
        "window", int, 3, "how many recent results must reach it",
        "How many recent scores count", "--window", low=1, high=20, metavar="N",
    ),
    Setting(
        "target", int, None, "the competitive score you aim for", "Your target score",
        "--target", low=1, high=999, optional=True,
        none_means="the exam's own ('tracker exams')", metavar="POINTS",
    ),
    Setting(
        "level", float, 0.95, "coverage of the intervals", "Interval level", "--level",
        low=0.5, high=0.999, metavar="FRACTION",
    ),
    Setting(
        "model", str, "bayes", "bayes: a straight line with a learning-rate prior (the "
        "more accurate in the forecast benchmark); ols: plain least squares",
        "Projection model", "--model", choices=tuple(MODELS),
    ),
    Setting(
        "prior_weight", float, 1.0, "how much the learning-rate prior counts, 0 for "
        "none", "Weight of the learning-rate prior", "--prior-weight", low=0.0,
        high=10.0, metavar="WEIGHT",
    ),
    Setting(
        "recency_half_life_days", float, None, "with the prior model: a score this many "
        "days older counts half as much", "Recency half-life (days)",
        "--recency-half-life", low=1.0, high=3650.0, optional=True,
        none_means="off: all scores count alike", metavar="DAYS",
    ),
    Setting(
        "calibrate", bool, True, "fit the trend to scores corrected for each form's "
        "bias", "Correct for differences between forms", "--calibration",
    ),
    Setting(
        "calibrate_rule", bool, False, "judge the consistency rule on corrected scores "
        "too", "Use corrected scores for the rule too", "--calibrate-rule",
    ),
    Setting(
        "eras_date", dt.date, None, "when residency applications open, to place the "
        "score's arrival", "ERAS opens on", "--eras-date", optional=True,
        none_means="not known",
    ),
    Setting(
        "eligibility_end", dt.date, None, "the last day of your eligibility period",
        "Eligibility period ends", "--eligibility-end", optional=True,
        none_means="not known",
    ),
    Setting(
        "longest_delay_days", int, 180, "the longest delay the plan considers, in days",
        "Longest delay considered (days)", "--longest-delay", low=7, high=730,
        metavar="DAYS",
    ),
)  # fmt: skip
SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}


def _post_init(self: Settings) -> None:
    for setting in SETTINGS:
        setting.check(getattr(self, setting.name))


Settings = dataclasses.make_dataclass(
    "Settings",
    [(s.name, Any, dataclasses.field(default=s.default)) for s in SETTINGS],
    frozen=True,
    slots=True,
    namespace={
        "__post_init__": _post_init,
        "__doc__": "What the student chose: one field per entry of SETTINGS.",
        "__module__": __name__,
    },
)


def settings_path_for(log_path: str | os.PathLike[str]) -> Path:
    """The settings file that belongs with a log: ``settings.json`` in its folder."""
    return Path(log_path).with_name(SETTINGS_FILE_NAME)


def settings_from_mapping(raw: object, *, where: str) -> Settings:
    """Settings from a JSON object; unknown keys are ignored (a newer file's)."""
    if not isinstance(raw, dict):
        raise SettingsError(f"{where}: expected a JSON object of settings")
    values = {}
    for setting in SETTINGS:
        if setting.name in raw:
            try:
                values[setting.name] = setting.from_json(raw[setting.name])
            except SettingsError as error:
                raise SettingsError(f"{where}: {error}") from None
    return Settings(**values)


def load_settings(path: str | os.PathLike[str]) -> Settings:
    """Read the settings; a missing file gives the defaults."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(SETTINGS_MAX_BYTES + 1)
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        raise SettingsError(f"{path}: cannot be read ({error.strerror})") from None
    if len(data) > SETTINGS_MAX_BYTES:
        raise SettingsError(f"{path}: larger than {SETTINGS_MAX_BYTES:,} bytes")
    try:
        raw = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise SettingsError(
            f"{path} line {error.lineno}: not valid JSON ({error.msg})"
        ) from None
    except (RecursionError, ValueError) as error:
        raise SettingsError(f"{path}: not valid settings ({error})") from None
    return settings_from_mapping(raw, where=str(path))


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def settings_as_json(settings: Settings) -> dict[str, Any]:
    return {s.name: s.to_json(getattr(settings, s.name)) for s in SETTINGS}


def save_settings(path: str | os.PathLike[str], settings: Settings) -> None:
    """Write the settings atomically (the same way the log is written)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(settings_as_json(settings), indent=2, allow_nan=False)
    atomic_write(path, (text + "\n").encode("utf-8"))
