"""The dashboard's remembered settings: a small JSON file beside the log.

A missing file means the defaults. A file that cannot be read is reported with its
name and the problem, and is never replaced behind the user's back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import PolicyError, SettingsError
from tracker.log import atomic_write
from tracker.trend import SlopePrior
from tracker.verdict import DEFAULT_MODEL, Policy

SETTINGS_FILE_NAME = "settings.json"
DEFAULT_DAYS_TO_EXAM = 60  # a first exam date to edit, when none was saved


@dataclass(frozen=True, slots=True)
class Settings:
    """What the student chose in the sidebar. Scores are points; ``level`` is 0–1."""

    exam_date: dt.date | None = None
    threshold: int = 240
    window: int = 3
    target: int = 245
    level: float = 0.95
    eras_date: dt.date | None = None
    model: str = DEFAULT_MODEL
    prior_weight: float = 1.0
    recency_half_life_days: float | None = None  # None: all scores count alike
    calibrate: bool = True  # fit the trend to scores corrected for each form's bias
    calibrate_rule: bool = False

    def __post_init__(self) -> None:
        self.policy()  # the same range checks as the command's flags

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The settings' names, which the command's flags share."""
        return tuple(field.name for field in dataclasses.fields(cls))

    def policy(self) -> Policy:
        """The :class:`Policy` these settings describe."""
        return Policy(
            threshold=self.threshold,
            window=self.window,
            target=self.target,
            level=self.level,
            eras_date=self.eras_date,
            model=self.model,
            prior=SlopePrior(
                weight=self.prior_weight, half_life_days=self.recency_half_life_days
            ),
            calibrate_rule=self.calibrate_rule,
        )

    def exam_date_or_default(self, today: dt.date) -> dt.date:
        """The saved exam date, or one a while ahead when none was saved (or it passed)."""
        if self.exam_date is None or self.exam_date < today:
            return today + dt.timedelta(days=DEFAULT_DAYS_TO_EXAM)
        return self.exam_date


def settings_path_for(log_path: str | os.PathLike[str]) -> Path:
    """The settings file that belongs with a log: ``settings.json`` in its folder."""
    return Path(log_path).with_name(SETTINGS_FILE_NAME)


def load_settings(path: str | os.PathLike[str]) -> Settings:
    """Read the settings; a missing file gives the defaults."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot be read ({error})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise SettingsError(
            f"{path} line {error.lineno}: not valid JSON ({error.msg})"
        ) from None
    if not isinstance(raw, dict):
        raise SettingsError(f"{path}: expected a JSON object of settings")
    values = {}
    for field in dataclasses.fields(Settings):
        if field.name in raw and raw[field.name] is not None:
            values[field.name] = _convert(path, field.name, raw[field.name])
    try:
        return Settings(**values)
    except PolicyError as error:
        raise SettingsError(f"{path}: {error}") from None


def _convert(path: Path, name: str, value: object) -> object:
    if name.endswith("_date"):
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise SettingsError(f"{path}: {name} {value!r} is not a date in YYYY-MM-DD form")
    if name in ("level", "prior_weight", "recency_half_life_days"):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise SettingsError(f"{path}: {name} {value!r} is not a number")
    if name in ("calibrate", "calibrate_rule"):
        if isinstance(value, bool):
            return value
        raise SettingsError(f"{path}: {name} {value!r} is not true or false")
    if name == "model":
        if isinstance(value, str):
            return value
        raise SettingsError(f"{path}: model {value!r} is not a name")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise SettingsError(f"{path}: {name} {value!r} is not a whole number")


def save_settings(path: str | os.PathLike[str], settings: Settings) -> None:
    """Write the settings atomically (the same way the log is written)."""
    data = {
        field.name: getattr(settings, field.name) for field in dataclasses.fields(Settings)
    }
    for name in ("exam_date", "eras_date"):
        data[name] = None if data[name] is None else data[name].isoformat()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))
