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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.errors import FileReadError, InvalidEntryError, SettingsError
from tracker.exams import DEFAULT_EXAM, PROFILES
from tracker.files import read_regular
from tracker.log import atomic_write, parse_date

SETTINGS_FILE_NAME = "settings.json"
SETTINGS_MAX_BYTES = 100_000  # a real file is a few hundred bytes
MODELS = {
    "bayes": "straight line with a learning-rate prior",
    "bend": "learning curve whose gains shrink as scores rise",
    "ols": "ordinary least squares",
}
SPECIALTIES = ("ir", "dr", "other")
APPLICANTS = ("us-md", "us-do", "us-img", "non-us-img")
STEP1_WORDS = ("pass", "fail")
NAME_MAX_LENGTH = 60  # a specialty's name, typed by the student


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting. ``low``/``high`` bound numbers; ``optional`` allows None."""

    name: str
    kind: type  # int, float, bool, str (a choice, or free text without choices), dt.date
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
    per_exam: bool = False  # kept for each exam apart (a date, or points on its scale)

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
        if self.kind is str and not self.choices:
            return self._check_text(value)
        if self.kind is str:
            if value in self.choices:
                return value
            if self.low is not None and type(value) in (int, float):
                return int(self._check_number(value, int))  # a score beside the words
            raise SettingsError(f"{self.name} {_shown(value)} is not {self.choice_words}")
        return self._check_number(value)

    @property
    def choice_words(self) -> str:
        """The values it takes, in words: "pass, fail or a whole number 1 to 300"."""
        if self.low is None:
            return f"one of {', '.join(self.choices)}"
        number = f"a whole number {self.low:g} to {self.high:g}"
        return f"{', '.join(self.choices)} or {number}"

    def _check_text(self, value: Any) -> str:
        """Free text (a name): one line of printable characters, not too long."""
        from tracker.log import has_control_characters

        if not isinstance(value, str):
            raise SettingsError(f"{self.name} {_shown(value)} is not text")
        text = value.strip()
        if not text:
            raise SettingsError(f"{self.name} is empty")
        if len(text) > NAME_MAX_LENGTH:
            raise SettingsError(f"{self.name} is longer than {NAME_MAX_LENGTH} characters")
        if has_control_characters(text):
            raise SettingsError(f"{self.name} {_shown(text)} holds a control character")
        return text

    def _check_number(self, value: Any, kind: type | None = None) -> int | float:
        kind = kind or self.kind
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SettingsError(f"{self.name} {value!r} is not a number")
        if isinstance(value, float) and not math.isfinite(value):
            raise SettingsError(f"{self.name} {value!r} is not a finite number")
        if kind is int and isinstance(value, float) and not value.is_integer():
            raise SettingsError(f"{self.name} {value!r} is not a whole number")
        # Compared before any conversion: a 400-digit whole number has no float.
        if not self.low <= value <= self.high:
            shown = f"{value!r}" if len(repr(value)) <= 20 else f"{repr(value)[:12]}…"
            raise SettingsError(
                f"{self.name} {shown} is outside {self.low:g} to {self.high:g}"
            )
        return kind(value)

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
        if self.choices and self.low is not None and text not in self.choices:
            if not _WHOLE.fullmatch(text):
                raise SettingsError(
                    f"{self.name} {_shown(text)} is not {self.choice_words} in ASCII digits"
                )
            return self.check(_number_text(self.name, text, int))
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


def _shown(value: Any) -> str:
    """A bad value for a message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}…"


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
        "--exam-date", optional=True, none_means="not set yet", per_exam=True,
    ),
    Setting(
        "threshold", int, None, "score the recent results must all reach",
        "Threshold: recent scores must all reach", "--threshold", low=1, high=999,
        optional=True, none_means="the exam's own", metavar="POINTS",
        per_exam=True,
    ),
    Setting(
        "window", int, 3, "how many recent results must reach it",
        "How many recent scores count", "--window", low=1, high=20, metavar="N",
    ),
    Setting(
        "target", int, None, "the competitive score you aim for", "Your target score",
        "--target", low=1, high=999, optional=True,
        none_means="the exam's own", metavar="POINTS", per_exam=True,
    ),
    Setting(
        "level", float, 0.95, "coverage of the intervals", "Interval level", "--level",
        low=0.5, high=0.999, metavar="FRACTION",
    ),
    Setting(
        "model", str, "bayes", "bayes: a straight line with a learning-rate prior (the "
        "more accurate in the forecast benchmark); bend: a curve whose gains shrink "
        "toward a ceiling; ols: plain least squares",
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
        none_means="not known", per_exam=True,
    ),
    Setting(
        "pace_days", int, None, "days between practice exams", "Days between practice "
        "exams", "--pace", low=1, high=90, optional=True,
        none_means="your own pace (the median gap in your log; 7 until it can be "
        "measured)", metavar="DAYS",
    ),
    Setting(
        "min_gap_days", int, 3, "in the final three weeks, the fewest days between two "
        "practice exams (full-length practice comes closer there)",
        "Fewest days between practice exams in the final weeks", "--min-gap", low=1,
        high=30, metavar="DAYS",
    ),
    Setting(
        "longest_delay_days", int, 180, "the longest delay the plan considers, in days",
        "Longest delay considered (days)", "--longest-delay", low=7, high=730,
        metavar="DAYS",
    ),
    # The applicant's profile: who the student is, not which exam (see tracker/profile).
    Setting(
        "specialty", str, None, "the specialty you apply to (ir: interventional "
        "radiology, dr: diagnostic radiology, other: name it with --specialty-name)",
        "Specialty you apply to", "--specialty", choices=SPECIALTIES, optional=True,
        none_means="not set: the exam's own target",
    ),
    Setting(
        "specialty_name", str, None, "the specialty's name, for --specialty other",
        "Name of the specialty", "--specialty-name", optional=True,
        none_means="no name", metavar="NAME",
    ),
    Setting(
        "applicant", str, None, "who you apply as (a US MD or DO school's senior or "
        "graduate; us-img: a US citizen at a school abroad; non-us-img: a non-US "
        "citizen at a school abroad)", "You apply as", "--applicant",
        choices=APPLICANTS, optional=True, none_means="not set",
    ),
    Setting(
        "visa", bool, False, "you need a visa (J-1 or H-1B) to train in the US",
        "I need a visa to train in the US", "--visa",
    ),
    Setting(
        "step1", str, None, "your Step 1 result, or its three-digit score if it was "
        "reported as one", "Step 1 result", "--step1", choices=STEP1_WORDS,
        low=1, high=300, optional=True, none_means="not given", metavar="RESULT",
    ),
)  # fmt: skip
SETTINGS_BY_NAME = {setting.name: setting for setting in SETTINGS}


def _post_init(self: Settings) -> None:
    for setting in SETTINGS:
        setting.check(getattr(self, setting.name))
    profile = PROFILES[self.exam]
    for name in ("threshold", "target"):
        value = getattr(self, name)
        # Points mean something only on the exam's own scale (240 is no COMLEX score).
        if value is not None and not profile.scale_low <= value <= profile.scale_high:
            raise SettingsError(
                f"{name} {value} is outside the {profile.name} scale {profile.scale_words}"
            )


Settings = dataclasses.make_dataclass(
    "Settings",
    [(s.name, Any, dataclasses.field(default=s.default)) for s in SETTINGS],
    frozen=True,
    slots=True,
    namespace={
        "__post_init__": _post_init,
        "__doc__": "What the student chose for one exam: one field per entry of SETTINGS.",
        "__module__": __name__,
    },
)
PER_EXAM = tuple(s.name for s in SETTINGS if s.per_exam)
FLAGGED = tuple(s.name for s in SETTINGS if s.flag)
EXAMS_KEY = "exams"  # settings.json: {"exams": {"step2-ck": {"exam_date": ...}, ...}}
FROM_DEFAULT, FROM_FILE, FROM_FLAG = "default", "file", "flag"


def settings_path_for(log_path: str | os.PathLike[str]) -> Path:
    """The settings file that belongs with a log: ``settings.json`` in its folder."""
    return Path(log_path).with_name(SETTINGS_FILE_NAME)


@dataclass(frozen=True)
class SavedSettings:
    """What ``settings.json`` holds, checked: the student's own settings, and each
    exam's own (its date, threshold, target and eligibility end), so a threshold chosen
    for Step 2 CK never judges COMLEX scores. Only values the file names are here."""

    general: dict[str, Any] = field(default_factory=dict)
    per_exam: dict[str, dict[str, Any]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # keys of a newer version, kept
    unknown_exams: dict[str, Any] = field(default_factory=dict)  # likewise, under "exams"

    @property
    def exam(self) -> str:
        return self.general.get("exam", DEFAULT_EXAM)

    def for_exam(self, exam: str | None = None) -> Settings:
        """The settings in force for ``exam`` (default: the file's own choice)."""
        exam = exam or self.exam
        return Settings(**(self.general | {"exam": exam} | self.per_exam.get(exam, {})))

    def sources(self, exam: str | None = None) -> dict[str, str]:
        """Where each setting for ``exam`` comes from: the file or the default."""
        exam = exam or self.exam
        named = set(self.general) | set(self.per_exam.get(exam, {}))
        return {s.name: FROM_FILE if s.name in named else FROM_DEFAULT for s in SETTINGS}

    def with_settings(self, settings: Settings) -> SavedSettings:
        """These saved settings with ``settings`` chosen: its exam becomes the file's,
        its exam's own values replace that exam's; other exams' values are kept. A
        value equal to its default is left out: the file holds what was chosen."""
        chosen = {
            s.name: getattr(settings, s.name)
            for s in SETTINGS
            if getattr(settings, s.name) != s.default or s.name == "exam"
        }
        per_exam = dict(self.per_exam)
        per_exam[settings.exam] = {n: v for n, v in chosen.items() if n in PER_EXAM}
        general = {n: v for n, v in chosen.items() if n not in PER_EXAM}
        per_exam = {exam: values for exam, values in per_exam.items() if values}
        return SavedSettings(general, per_exam, self.extra, self.unknown_exams)

    def as_json(self) -> dict[str, Any]:
        data = {n: SETTINGS_BY_NAME[n].to_json(v) for n, v in self.general.items()}
        exams = self.unknown_exams | {
            exam: {n: SETTINGS_BY_NAME[n].to_json(v) for n, v in values.items()}
            for exam, values in sorted(self.per_exam.items())
        }
        return self.extra | data | ({EXAMS_KEY: exams} if exams else {})


def settings_from_mapping(raw: object, *, where: str) -> Settings:
    """The settings in force from a JSON object (see :func:`saved_from_mapping`)."""
    return saved_from_mapping(raw, where=where).for_exam()


def saved_from_mapping(raw: object, *, where: str) -> SavedSettings:
    """Saved settings from a JSON object. Unknown keys are kept but not used (a newer
    file's); unknown exams in ``exams`` likewise. Flat per-exam keys, as older files
    wrote them, belong to the file's exam."""
    if not isinstance(raw, dict):
        raise SettingsError(f"{where}: expected a JSON object of settings")
    general = _values(raw, [s for s in SETTINGS if not s.per_exam], where)
    exam = general.get("exam", DEFAULT_EXAM)
    blocks = raw.get(EXAMS_KEY, {})
    if not isinstance(blocks, dict):
        raise SettingsError(f"{where}: {EXAMS_KEY} must be an object of exams")
    per_exam = {}
    for key in PROFILES:
        block = blocks.get(key, {})
        if not isinstance(block, dict):
            raise SettingsError(f"{where}: {EXAMS_KEY}.{key} must be an object")
        per_exam[key] = _values(block, [SETTINGS_BY_NAME[n] for n in PER_EXAM], where)
    legacy = _values(raw, [SETTINGS_BY_NAME[n] for n in PER_EXAM], where)
    per_exam[exam] = legacy | per_exam[exam]
    for key, values in per_exam.items():
        try:
            Settings(exam=key, **values)
        except SettingsError as error:
            raise SettingsError(f"{where}: {error}") from None
    known = {s.name for s in SETTINGS} | {EXAMS_KEY}
    extra = {key: value for key, value in raw.items() if key not in known}
    per_exam = {key: values for key, values in per_exam.items() if values}
    unknown_exams = {key: block for key, block in blocks.items() if key not in PROFILES}
    return SavedSettings(general, per_exam, extra, unknown_exams)


def _values(raw: dict, table: list[Setting], where: str) -> dict[str, Any]:
    values = {}
    for setting in table:
        if setting.name in raw:
            try:
                values[setting.name] = setting.from_json(raw[setting.name])
            except SettingsError as error:
                raise SettingsError(f"{where}: {error}") from None
    return values


def read_saved(path: str | os.PathLike[str]) -> SavedSettings:
    """Read ``settings.json``; a missing file holds nothing (every value the default)."""
    path = Path(path)
    try:  # as every file is read: a regular file only, so a named pipe cannot hang us
        data = read_regular(
            path, max_bytes=SETTINGS_MAX_BYTES, what="a settings file",
            format_name="a JSON file",
        )  # fmt: skip
    except FileReadError as error:
        raise SettingsError(str(error)) from None
    if data is None:
        return SavedSettings()
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
    return saved_from_mapping(raw, where=str(path))


def load_settings(path: str | os.PathLike[str], exam: str | None = None) -> Settings:
    """The settings in force for ``exam`` (default: the file's); no file: defaults."""
    return read_saved(path).for_exam(exam)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def settings_as_json(settings: Settings) -> dict[str, Any]:
    """One exam's settings as ``settings.json`` would hold them alone."""
    return SavedSettings().with_settings(settings).as_json()


def save_settings(
    path: str | os.PathLike[str], settings: Settings, *, replace: bool = False
) -> None:
    """Remember ``settings`` in ``settings.json``: atomically, under the file's lock,
    keeping other exams' own values (and keys a newer version wrote). A file that cannot
    be read is refused, unless ``replace`` says to start afresh."""
    from tracker.log import locked

    path = Path(path)
    with locked(path):
        saved = SavedSettings() if replace else read_saved(path)
        text = json.dumps(
            saved.with_settings(settings).as_json(), indent=2, allow_nan=False
        )
        atomic_write(path, (text + "\n").encode("utf-8"))
