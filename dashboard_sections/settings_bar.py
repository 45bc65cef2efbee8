"""The settings: the exam and its date under the verdict, the rest in the sidebar.

Every widget is built from the one settings table (:mod:`tracker.settings`); settings
are written to ``settings.json`` only when the student changes one."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import streamlit as st

from dashboard_sections.common import literal
from tracker.errors import SettingsError, TrackerError
from tracker.exams import (
    PROFILES,
    get_profile,
)
from tracker.plan import PLANNING_HORIZON_DAYS
from tracker.settings import (
    SETTINGS_BY_NAME,
    SavedSettings,
    Settings,
    read_saved,
    save_settings,
)

LEVELS = (0.80, 0.90, 0.95, 0.99)
DEFAULT_DAYS_TO_EXAM = 60  # a first exam date to edit, when none was saved
KNOWN_LABELS = {
    "eras_date": "I know when ERAS opens",
    "eligibility_end": "I know when my eligibility period ends",
}
MODEL_LABELS = {
    "bayes": "Learning-rate prior",
    "bend": "Learning curve (levels off)",
    "ols": "Plain least squares",
}


# --- settings: widgets built from the settings table ----------------------------------


def _mark_changed() -> None:
    st.session_state["settings_changed"] = True


def _number(bar, name: str, value: float, *, key: str | None = None, **extra) -> float:
    """A number input with the range the settings table gives ``name``."""
    setting = SETTINGS_BY_NAME[name]
    whole = setting.kind is int
    cast = int if whole else float
    return bar.number_input(
        setting.label,
        min_value=extra.pop("min_value", cast(setting.low)),
        max_value=cast(setting.high),
        value=cast(value),
        step=extra.pop("step", 1 if whole else 0.25),
        key=key or name,
        help=setting.help,
        on_change=_mark_changed,
        **extra,
    )


def _choice(bar, name: str, value: str, labels=None):
    setting = SETTINGS_BY_NAME[name]
    options = list(setting.choices)
    return bar.selectbox(
        setting.label,
        options=options,
        index=options.index(value),
        format_func=(labels or {}).get,
        key=name,
        help=setting.help,
        on_change=_mark_changed,
    )


def _optional_date(bar, name: str, value: dt.date | None, today: dt.date):
    """A checkbox "I know …" and, when ticked, a date no earlier than today."""
    setting = SETTINGS_BY_NAME[name]
    known = bar.checkbox(
        KNOWN_LABELS.get(name, f"Set: {setting.label}"),
        value=value is not None,
        key=f"{name}_known",
        on_change=_mark_changed,
    )
    if not known:
        return None
    latest = today + dt.timedelta(days=PLANNING_HORIZON_DAYS)
    # Empty until a day is picked: a made-up date would be judged as if it were real.
    shown = value if value is not None and today <= value <= latest else None
    return bar.date_input(
        setting.label,
        value=shown,
        min_value=today,
        max_value=latest,
        key=name,
        help=setting.help,
        on_change=_mark_changed,
    )


def exam_controls(
    saved_file: SavedSettings, today: dt.date, where
) -> tuple[Settings, dict[str, object]]:
    """The exam and its date: on the main page, right under the verdict. Returns the
    saved settings of the exam chosen (each exam keeps its own date, threshold and
    target) and the values the two widgets hold."""
    left, right = where.columns(2)
    exam = left.selectbox(
        SETTINGS_BY_NAME["exam"].label,
        options=list(PROFILES),
        index=list(PROFILES).index(saved_file.exam),
        format_func=lambda key: PROFILES[key].name,
        key="exam",
        help=SETTINGS_BY_NAME["exam"].help,
        on_change=_exam_changed,
    )
    saved = saved_file.for_exam(exam)
    latest = today + dt.timedelta(days=PLANNING_HORIZON_DAYS)
    planned = saved.exam_date
    if planned is not None and not today <= planned <= latest:
        _date_notice(planned, today, where)
        planned = None
    # A text box, not a date picker: it applies on Enter as well as when left, on a
    # phone too. Empty until a date is chosen: no made-up date is ever saved.
    typed = right.text_input(
        "Planned exam date",
        value="" if planned is None else planned.isoformat(),
        placeholder="YYYY-MM-DD, then Enter",
        key="exam_date",
        help="The day you plan to sit the exam, as YYYY-MM-DD; press Enter to apply.",
        on_change=_mark_changed,
    )
    exam_date = _typed_date(typed, planned, today, latest, right)
    if exam_date is None:
        where.info(
            f"No exam date is set yet: the verdict below is for a sitting "
            f"{DEFAULT_DAYS_TO_EXAM} days from today. Type your planned date here.",
            icon=":material/event:",
        )
    return saved, {"exam": exam, "exam_date": exam_date}


def _typed_date(
    typed: str, planned: dt.date | None, today: dt.date, latest: dt.date, where
) -> dt.date | None:
    """The date typed in the box, or the one before it (with the problem said under
    the box) when it is not a date from today to three years ahead."""
    if not typed.strip():
        return None
    try:
        day = SETTINGS_BY_NAME["exam_date"].parse_text(typed)
    except SettingsError as error:
        where.error(literal(str(error)))
        return planned
    if day is not None and not today <= day <= latest:
        where.error(literal(f"exam date {day} is not between today and {latest}"))
        return planned
    return day


def _exam_changed() -> None:
    """Another exam: its own saved date replaces the one shown."""
    _mark_changed()
    st.session_state.pop("exam_date", None)


def _date_notice(saved: dt.date, today: dt.date, where) -> None:
    """Say so on the main page when the saved date cannot be the one judged (it has
    passed, or lies too far ahead)."""
    why = (
        f"Your saved exam date, {saved}, has passed"
        if saved < today
        else f"Your saved exam date, {saved}, is more than three years ahead"
    )
    where.warning(f"{why}: type your new planned date here.", icon=":material/event:")


def sidebar(
    saved: Settings, exam: str, today: dt.date, *, target: int | None = None
) -> dict[str, object]:
    """Every other setting, in the sidebar; returns the values the widgets hold.
    ``target`` is the applicant profile's (points), shown when none was chosen."""
    bar = st.sidebar
    bar.header("Settings")
    profile = get_profile(exam)
    values: dict[str, object] = {}
    for name in ("threshold", "target"):
        own = getattr(saved, name)  # each exam keeps its own
        default = getattr(profile, name)
        key = f"{name}_{exam}"
        if name == "target" and target is not None and target != default:
            default, key = target, f"{key}_{target}"  # a new profile, a fresh widget
        current = own if own is not None else default
        low, high = profile.scale_low, profile.scale_high
        current = min(max(current, low), high)
        chosen = _number(bar, name, current, key=key, min_value=low)
        values[name] = None if chosen == default else int(chosen)
    values["window"] = int(_number(bar, "window", saved.window))
    levels = sorted({*LEVELS, saved.level})
    values["level"] = bar.selectbox(
        SETTINGS_BY_NAME["level"].label,
        options=levels,
        index=levels.index(saved.level),
        format_func=lambda value: f"{value:.0%}",
        key="level",
        on_change=_mark_changed,
    )
    values["model"] = _choice(bar, "model", saved.model, MODEL_LABELS)
    if values["model"] != "ols":  # the prior's own settings, shown only when in use
        values["prior_weight"] = _number(bar, "prior_weight", saved.prior_weight)
        values["recency_half_life_days"] = _half_life(bar, saved.recency_half_life_days)
    values |= _sidebar_switches(bar, saved, today)
    return values


def _half_life(bar, saved: float | None) -> float | None:
    """Off (every score counts alike) unless ticked; then the days it takes."""
    setting = SETTINGS_BY_NAME["recency_half_life_days"]
    on = bar.checkbox(
        "Count older scores less",
        value=saved is not None,
        key="recency_half_life_on",
        help=f"Off: {setting.none_means}. On: {setting.help}.",
        on_change=_mark_changed,
    )
    if not on:
        return None
    return float(_number(bar, "recency_half_life_days", saved or 28.0, step=7.0,
                         key="recency_half_life"))  # fmt: skip


def _sidebar_switches(bar, saved: Settings, today: dt.date) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in ("calibrate", "calibrate_rule"):
        values[name] = bar.checkbox(
            SETTINGS_BY_NAME[name].label,
            value=getattr(saved, name),
            key=name,
            help=SETTINGS_BY_NAME[name].help,
            on_change=_mark_changed,
            disabled=name == "calibrate_rule"
            and not st.session_state.get("calibrate", True),
        )
    for name in ("eras_date", "eligibility_end"):
        values[name] = _optional_date(bar, name, getattr(saved, name), today)
    values["longest_delay_days"] = int(
        _number(bar, "longest_delay_days", saved.longest_delay_days, step=7)
    )
    return values


def chosen_settings(saved: Settings, values: dict[str, object]) -> Settings | None:
    """The settings the widgets describe, or None (with the error shown) if invalid."""
    try:
        return dataclasses.replace(saved, **values)
    except TrackerError as error:
        st.sidebar.error(literal(str(error)))
        return None


def remember(
    chosen: Settings,
    saved: Settings,
    settings_file: Path,
    broken: bool,
    file_exam: str | None = None,
) -> None:
    """Save settings the student changed (another exam is a change too, though its
    own values are as saved); never overwrite a broken file unasked."""
    state = st.session_state
    if broken:
        if st.sidebar.button(
            "Replace the settings file with these", key="settings_replace"
        ):
            _save(settings_file, chosen, replace=True)
            st.rerun()
        return
    changed = chosen != saved or (file_exam is not None and chosen.exam != file_exam)
    if state.pop("settings_changed", False) and changed:
        _save(settings_file, chosen)


def _save(settings_file: Path, chosen: Settings, *, replace: bool = False) -> None:
    try:
        save_settings(settings_file, chosen, replace=replace)
    except TrackerError as error:
        st.sidebar.error(literal(str(error)))
    else:
        st.sidebar.caption(literal(f"Remembered in {settings_file}"))


def load_saved(settings_file: Path) -> tuple[SavedSettings, bool]:
    """The remembered settings, or none and True when the file is broken (said on the
    main page too: a phone keeps the sidebar closed)."""
    try:
        return read_saved(settings_file), False
    except SettingsError as error:
        message = literal(f"{error}. Using the defaults; the file is left as it is.")
        st.sidebar.error(message)
        st.warning(message, icon=":material/settings:")
        return SavedSettings(), True
