"""Step Score Tracker dashboard: ``streamlit run dashboard.py`` (or ``make run``).

A thin shell over ``tracker``: widgets in, one library call (:func:`assess`), widgets
out. It holds no arithmetic and no rule. The log is ``$TRACKER_LOG`` (default
``data/scores.csv``); settings are remembered in ``settings.json`` beside it, and only
written when the student changes one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import streamlit as st

from tracker import calendar_file, chart, chart_data, log
from tracker.assess import (
    Assessment,
    Forms,
    amend,
    assess,
    find_forms,
    record,
    result_entry,
)
from tracker.errors import LogFormatError, SettingsError, TrackerError
from tracker.exams import (
    PERCENT,
    PROFILES,
    Catalog,
    get_profile,
    save_catalog,
    with_offsets,
)
from tracker.log import Entry
from tracker.plan import PLANNING_HORIZON_DAYS, Outcome
from tracker.reasons import headline, percent
from tracker.schedule import plan_schedule, schedule_header, schedule_notes, window_words
from tracker.settings import (
    MODELS,
    SETTINGS_BY_NAME,
    Settings,
    load_settings,
    save_settings,
    settings_path_for,
)

EXAMPLE_LOG = Path(__file__).resolve().parent / "data" / "example_scores.csv"
OTHER = "Other…"
LEVELS = (0.80, 0.90, 0.95, 0.99)
DEFAULT_DAYS_TO_EXAM = 60  # a first exam date to edit, when none was saved
KNOWN_LABELS = {
    "eras_date": "I know when ERAS opens",
    "eligibility_end": "I know when my eligibility period ends",
}
MODEL_LABELS = {"bayes": "Learning-rate prior", "ols": "Plain least squares"}
_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation mark
# Streamlit's own icon font: emoji would need fonts a machine may not have.
REASON_ICONS = {
    True: ":green[:material/check_circle:]",
    False: ":red[:material/cancel:]",
    None: ":gray[:material/info:]",
}
BANNERS = {
    Outcome.TAKE_NOW: st.success,
    Outcome.ON_TRACK: st.info,
    Outcome.DELAY: st.warning,
    Outcome.INSUFFICIENT_DATA: st.info,
    Outcome.TAKEN: st.success,
}


def literal(text: str) -> str:
    """``text`` escaped so Streamlit's Markdown shows it as typed, never as markup.

    Messages can carry what a user typed (an assessment name, a bad value, a line of a
    broken file); a name like ``[x](javascript:...)`` must stay text. CommonMark lets any
    ASCII punctuation be escaped with a backslash; that also defuses Streamlit's own
    ``:icon:`` and ``:color[...]`` directives and ``$`` maths.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", text)


# --- the core, cached on what it depends on ------------------------------------------


def _stamp(path: Path) -> tuple[str, int, int] | None:
    """What identifies a file's version cheaply (for the cache), or None if absent."""
    try:
        status = path.stat()
    except OSError:
        return None
    return str(path), status.st_mtime_ns, status.st_size


@st.cache_data(show_spinner=False, max_entries=16)
def evaluate(
    raw: bytes,
    source: str,
    today: dt.date,
    settings: Settings,
    catalog_stamp: object,
) -> tuple[Assessment, ChartView]:
    """Assess the log's bytes and lay out the chart: redone only when an input changes.
    (The PNG is drawn only when it is downloaded.)"""
    del catalog_stamp  # part of the cache key only: a changed catalog file redoes this
    assessment = assess(source, settings, today, raw=raw)
    return assessment, chart_view(assessment)


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


def exam_controls(saved: Settings, today: dt.date, where) -> dict[str, object]:
    """The exam and its date: on the main page, right under the verdict."""
    left, right = where.columns(2)
    exam = _choice(left, "exam", saved.exam, {k: p.name for k, p in PROFILES.items()})
    latest = today + dt.timedelta(days=PLANNING_HORIZON_DAYS)
    planned = saved.exam_date
    if planned is None or not today <= planned <= latest:
        planned = today + dt.timedelta(days=DEFAULT_DAYS_TO_EXAM)
        if st.session_state.get("exam_date", planned) == planned:  # not picked yet
            _date_notice(saved.exam_date, planned, today, where)
    exam_date = right.date_input(
        "Planned exam date",
        value=planned,
        min_value=today,
        max_value=latest,
        key="exam_date",
        on_change=_mark_changed,
    )
    return {"exam": exam, "exam_date": exam_date}


def _date_notice(saved: dt.date | None, shown: dt.date, today: dt.date, where) -> None:
    """Say so on the main page when the verdict is about a date the student did not
    choose (none saved, or the saved one has passed or lies too far ahead)."""
    why = (
        "No exam date is set yet"
        if saved is None
        else f"Your saved exam date, {saved}, has passed"
        if saved < today
        else f"Your saved exam date, {saved}, is more than three years ahead"
    )
    where.info(
        f"{why}: the verdict below is for {shown}, {DEFAULT_DAYS_TO_EXAM} days from "
        "today. Set your planned date here.",
        icon=":material/event:",
    )


def sidebar(saved: Settings, exam: str, today: dt.date) -> dict[str, object]:
    """Every other setting, in the sidebar; returns the values the widgets hold."""
    bar = st.sidebar
    bar.header("Settings")
    profile = get_profile(exam)
    values: dict[str, object] = {}
    for name in ("threshold", "target"):
        # A threshold chosen for one exam means nothing on another's scale.
        own = getattr(saved, name) if exam == saved.exam else None
        current = own if own is not None else getattr(profile, name)
        low, high = profile.scale_low, profile.scale_high
        current = min(max(current, low), high)
        chosen = _number(bar, name, current, key=f"{name}_{exam}", min_value=low)
        values[name] = None if chosen == getattr(profile, name) else int(chosen)
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
    if values["model"] == "bayes":  # the prior's own settings, shown only when in use
        values["prior_weight"] = _number(bar, "prior_weight", saved.prior_weight)
        half_life = _number(
            bar,
            "recency_half_life_days",
            saved.recency_half_life_days or 0.0,
            min_value=0.0,
            step=7.0,
            key="recency_half_life",
        )
        values["recency_half_life_days"] = float(half_life) if half_life else None
    values |= _sidebar_switches(bar, saved, today)
    return values


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


def remember(chosen: Settings, saved: Settings, settings_file: Path, broken: bool) -> None:
    """Save settings the student changed; never overwrite a broken file unasked."""
    state = st.session_state
    if broken:
        if st.sidebar.button(
            "Replace the settings file with these", key="settings_replace"
        ):
            _save(settings_file, chosen)
            st.rerun()
        return
    if state.pop("settings_changed", False) and chosen != saved:
        _save(settings_file, chosen)


def _save(settings_file: Path, chosen: Settings) -> None:
    try:
        save_settings(settings_file, chosen)
    except TrackerError as error:
        st.sidebar.error(literal(str(error)))
    else:
        st.sidebar.caption(literal(f"Remembered in {settings_file}"))


# --- the verdict ------------------------------------------------------------------------


def verdict_banner(assessment: Assessment, slot) -> None:
    plan = assessment.plan
    word, detail = headline(plan)
    with slot.container(key="verdict_banner"):
        BANNERS[plan.outcome](f"## {word}\n{literal(detail[0].upper() + detail[1:])}.")


def verdict_reasons(assessment: Assessment) -> None:
    with st.container(key="verdict_reasons"):
        for reason in assessment.reasons:
            st.markdown(f"{REASON_ICONS[reason.met]} {literal(reason.text)}")
        for warning in assessment.warnings:
            st.warning(literal(warning))


def result_figures(assessment: Assessment) -> None:
    """After the exam: the result beside what the tracker projected before it."""
    plan = assessment.plan
    result = plan.result
    columns = st.columns(4)
    columns[0].metric("Your result", result.score)
    columns[0].caption(f"sat on {result.date}")
    if result.projected is None:
        columns[1].metric("Projected", "—")
        return
    low, high = result.prediction_interval
    columns[1].metric("Projected", f"{result.projected:.0f}")
    columns[1].caption(f"on {result.as_of}, the last practice day")
    columns[2].metric("Result − projection", f"{result.error:+.0f}")
    columns[3].metric(
        f"Inside the {plan.policy.level:.0%} interval", "yes" if result.inside else "no"
    )
    columns[3].caption(f"{low:.0f}–{high:.0f}")


def key_figures(assessment: Assessment) -> None:
    plan, policy = assessment.plan, assessment.plan.policy
    if plan.result is not None:
        result_figures(assessment)
        return
    first, second = st.columns(4), st.columns(4)
    if plan.projection is not None:
        low, high = plan.interval(obs=True)
        first[0].metric("Projected exam-day score", f"{plan.forecast.projected_score:.0f}")
        first[0].caption(f"{policy.level:.0%} interval {low:.0f}–{high:.0f}")
        first[1].metric(
            f"Chance of {policy.threshold}+",
            percent(plan.chance_at_least(policy.threshold)),
        )
        first[2].metric(
            f"Chance of {policy.target}+", percent(plan.chance_at_least(policy.target))
        )
        first[3].metric(
            f"Chance of failing (<{policy.passing})", percent(plan.chance_of_failing)
        )
        second[0].metric("Points per week", f"{plan.forecast.trend.slope_per_week:+.1f}")
        if plan.forecast.own_line_decides and plan.forecast.lines_disagree:
            # The verdict follows the student's own line here: say its numbers too.
            deciding = percent(plan.chance_at_least(policy.threshold, deciding=True))
            first[0].caption(
                f"your own line, which decides: {plan.forecast.decisive_score:.0f}"
            )
            first[1].caption(f"by your own line: {deciding}")
            second[0].caption(
                f"your own line: {plan.forecast.own_line.slope_per_week:+.1f}"
            )
    else:
        first[0].metric("Projected exam-day score", "—")
        first[0].caption(literal(getattr(plan.forecast.trend, "reason", "")))
    second[1].metric("Days to the exam", plan.deadlines.days_to_exam)
    if plan.deadlines.decide_by is not None:
        second[2].metric("Move it free until", str(plan.deadlines.decide_by))
    if plan.release_date is not None:
        second[3].metric("Score released about", str(plan.release_date))
        second[3].caption(f"sitting on {plan.sitting}")
    if plan.eras is not None:
        days = plan.eras.days_before_eras
        when = (
            f"{days} days before it opens"
            if days > 0
            else "the day it opens"
            if days == 0
            else f"{-days} days after it opens"
        )
        st.caption(f"ERAS opens {plan.eras.date}: the score arrives {when}.")


def model_caption(assessment: Assessment) -> None:
    plan = assessment.plan
    corrected = "scores corrected for each form" if plan.calibrated else "your scores"
    st.caption(f"Model: {MODELS[plan.policy.model]}, fitted to {corrected}.")


# --- the chart and the plan to the exam day -----------------------------------------------


@dataclasses.dataclass(frozen=True)
class ChartView:
    """The interactive chart's data and Vega-Lite spec (see tracker.chart_data)."""

    frame: pd.DataFrame
    spec: dict


def chart_view(assessment: Assessment) -> ChartView:
    frame = chart_data.chart_frame(assessment)
    return ChartView(frame, chart_data.chart_spec(assessment, frame))


def chart_section(assessment: Assessment, view: ChartView) -> None:
    """The chart, interactive; the PNG is drawn only when it is downloaded."""
    with st.container(key="chart"):
        st.vega_lite_chart(view.frame, view.spec, width="stretch", key="chart_view")
    st.download_button(
        "Download the chart (PNG)",
        data=lambda: chart.to_png(chart.draw(assessment)),
        file_name="step-score-chart.png",
        mime="image/png",
        key="download_chart",
        on_click="ignore",
    )


def plan_section(assessment: Assessment) -> None:
    """The forms left and their dates to the exam day, and a calendar of it all."""
    if assessment.outcome == Outcome.TAKEN:
        return
    scheduled = plan_schedule(assessment)
    header = schedule_header(scheduled)
    with st.container(key="plan"):
        st.subheader("Your plan to the exam day")
        st.caption(literal(header[0]))
        for line in header[1:]:
            st.info(literal(line))
        if scheduled.slots:  # lines, not a grid: they wrap on a phone
            st.markdown(
                "\n".join(
                    f"- **{slot.date}** {literal(slot.form.name)}: "
                    f"{literal(window_words(slot.window, slot.form))}"
                    for slot in scheduled.slots
                )
            )
        for line in schedule_notes(scheduled):
            st.markdown(literal(line.strip()))
        st.download_button(
            "Add the plan to your calendar (.ics)",
            data=lambda: calendar_file.to_ics(
                calendar_file.calendar_events(assessment, scheduled),
                exam_key=assessment.profile.key,
                made_on=assessment.today,
            ),
            file_name="exam-plan.ics",
            mime="text/calendar",
            key="download_calendar",
            on_click="ignore",
        )


# --- logging and correcting -------------------------------------------------------------


def on_log_submit(log_path: Path, settings: Settings) -> None:
    state = st.session_state
    name = state["log_assessment"]
    if name == OTHER:
        name = state.get("log_other_name", "")
    try:
        entry = _entry_from_form("log", name)
        done = record(log_path, entry, settings, today=dt.date.today())
    except TrackerError as error:
        state["log_error"] = str(error)
        return
    n = len(done.entries)
    state["log_message"] = (
        f"Logged {entry.date} {entry.assessment}: {done.reading.seen} "
        f"({n} result{'s' if n != 1 else ''} in the log)."
    )
    state["log_warnings"] = list(done.warnings)
    state["log_score"] = None
    state["log_notes"] = ""


def on_result_submit(log_path: Path, settings: Settings) -> None:
    state = st.session_state
    try:
        entry = result_entry(
            settings,
            state["result_date"],
            _score_text(state["result_score"]),
            "",
            dt.date.today(),
        )
        record(log_path, entry, settings, today=dt.date.today())
    except TrackerError as error:
        state["log_error"] = str(error)
        return
    state["log_message"] = f"Logged your {entry.assessment} result: {entry.score}."


def on_edit(
    log_path: Path, settings: Settings, index: int, shown: Entry, delete: bool
) -> None:
    """Save the edit form over entry ``index``, or delete it; the old file is kept."""
    state = st.session_state
    today = dt.date.today()
    try:
        if delete:
            log.delete_entry(log_path, index, expected=shown, today=today)
        else:
            entry = _entry_from_form("edit", state["edit_assessment"])
            amend(log_path, index, entry, settings, expected=shown, today=today)
    except TrackerError as error:
        state["edit_error"] = str(error)
        return
    done = (
        f"Deleted entry {index + 1} ({shown.date} {shown.assessment}: {shown.score})"
        if delete
        else f"Saved entry {index + 1}"
    )
    state["edit_message"] = (
        f"{done}. The previous file is kept as {log.backup_path(log_path).name}."
    )
    state.pop("edit_loaded", None)
    if delete:
        state.pop("edit_choice", None)


def _entry_from_form(form: str, assessment: str) -> Entry:
    """The entry a form describes (keys ``<form>_date``, ``_score``, ``_notes``)."""
    state = st.session_state
    return log.make_entry(
        state[f"{form}_date"],
        assessment,
        _score_text(state[f"{form}_score"]),
        state.get(f"{form}_notes", ""),
        today=dt.date.today(),
    )


def _score_text(value: float | int | None) -> str:
    # number_input hands back floats; the core decides what a valid score is.
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def log_form(log_path: Path, settings: Settings, forms: Forms) -> None:
    st.subheader("Log a result")
    names = [form.name for form in forms.catalog.forms] + [OTHER]
    percent_forms = [f.name for f in forms.catalog.forms if f.scale == PERCENT]
    with st.form("log_form", clear_on_submit=False):
        left, middle, right = st.columns([1, 1, 1])
        left.date_input("Date taken", value=dt.date.today(), key="log_date")
        middle.selectbox("Assessment", names, key="log_assessment")
        middle.text_input("Name, when Other…", key="log_other_name", max_chars=80)
        right.number_input(
            "Score as you saw it",
            value=None,
            step=1,
            placeholder="e.g. 238",
            key="log_score",
            help="Three-digit, or percent correct for "
            + (", ".join(percent_forms) or "percent forms"),
        )
        st.text_input("Notes (optional)", key="log_notes", max_chars=log.NOTES_MAX_LENGTH)
        st.form_submit_button(
            "Log result",
            key="log_submit",
            type="primary",
            on_click=on_log_submit,
            args=(log_path, settings),
        )
    with st.expander(f"I sat the exam: log my {forms.profile.name} result"):
        st.date_input("Exam day", value=dt.date.today(), key="result_date")
        st.number_input("Your score", value=None, step=1, key="result_score")
        st.button(
            "Log my result",
            key="result_submit",
            on_click=on_result_submit,
            args=(log_path, settings),
        )
    _messages("log")


def _messages(prefix: str) -> None:
    state = st.session_state
    if f"{prefix}_error" in state:
        st.error(literal(state.pop(f"{prefix}_error")))
    if f"{prefix}_message" in state:
        st.success(literal(state.pop(f"{prefix}_message")))
    for warning in state.pop(f"{prefix}_warnings", []):
        st.warning(literal(warning))


def entries_section(
    assessment: Assessment, raw: bytes, log_path: Path, writable: bool
) -> None:
    st.subheader("Your entries")
    st.dataframe(
        [
            {
                "#": number,
                "date": reading.entry.date,
                "assessment": reading.entry.assessment,
                "score": reading.seen,
                "on the exam's scale": round(reading.points, 1),
                "notes": reading.entry.notes,
            }
            for number, reading in enumerate(assessment.readings, start=1)
        ],
        hide_index=True,
        key="entries_table",
    )
    backup, spreadsheet = st.columns(2)
    backup.download_button(
        "Download the log as stored (backup)",
        data=raw,
        file_name="scores.csv",
        mime="text/csv",
        key="download_backup",
        help="The file byte for byte: copy it back to restore your log.",
    )
    spreadsheet.download_button(
        "Download for a spreadsheet",
        data=log.export_csv(list(assessment.entries)),
        file_name="scores-for-spreadsheet.csv",
        mime="text/csv",
        key="download_log",
        help="Text that a spreadsheet would run as a formula (starting with =, +, -, "
        "@) gets a leading apostrophe. Not a backup: use the other button for that.",
    )
    if writable:
        edit_form(list(assessment.entries), log_path, assessment.settings)


def edit_form(entries: list[Entry], log_path: Path, settings: Settings) -> None:
    state = st.session_state
    with st.expander("Correct or delete an entry"):
        index = st.selectbox(
            "Entry",
            options=range(len(entries)),
            format_func=lambda i: (
                f"#{i + 1}  {entries[i].date}  {entries[i].assessment}  {entries[i].score}"
            ),
            key="edit_choice",
        )
        shown = entries[index]
        if state.get("edit_loaded") != (index, shown):
            # Fill the fields from the chosen entry before they are drawn.
            state["edit_date"] = shown.date
            state["edit_assessment"] = shown.assessment
            state["edit_score"] = shown.score
            state["edit_notes"] = shown.notes
            state["edit_loaded"] = (index, shown)
        with st.form("edit_form"):
            left, middle, right = st.columns(3)
            left.date_input("Date taken", key="edit_date")
            middle.text_input("Assessment", key="edit_assessment", max_chars=80)
            right.number_input("Score", step=1, key="edit_score")
            st.text_input("Notes", key="edit_notes", max_chars=log.NOTES_MAX_LENGTH)
            save, delete = st.columns(2)
            for column, label, key, deleting in (
                (save, "Save changes", "edit_save", False),
                (delete, "Delete this entry", "edit_delete", True),
            ):
                column.form_submit_button(
                    label,
                    key=key,
                    on_click=on_edit,
                    args=(log_path, settings, index, shown, deleting),
                )
    _messages("edit")


def catalog_editor(forms: Forms, log_path: Path) -> None:
    """Let the student adjust the per-form offsets; saved beside their log."""
    if not forms.catalog.forms:
        return
    target = log_path.with_name(forms.profile.catalog_file)
    with st.expander("Form offsets (points added to each form's score)"):
        st.caption(
            literal(
                "Where reports disagree these take the careful end. Change them if you "
                f"know better; they are saved to {target}."
            )
        )
        edited = st.data_editor(
            [
                {"form": f.name, "offset": f.offset, "±": f.uncertainty, "source": f.source}
                for f in forms.catalog.forms
            ],
            disabled=["form", "source"],
            hide_index=True,
            key="catalog_editor",
        )
        if st.button("Save offsets", key="catalog_save"):
            try:
                catalog = Catalog(
                    forms=tuple(
                        with_offsets(old, row.get("offset"), row.get("±"), forms.profile)
                        for old, row in zip(forms.catalog.forms, edited, strict=True)
                    )
                )
                save_catalog(target, catalog, forms.profile)
            except TrackerError as error:
                st.error(literal(str(error)))
            else:
                st.rerun()


def welcome(forms: Forms) -> None:
    families = list(dict.fromkeys(form.family for form in forms.catalog.forms))
    with st.container(key="welcome"):
        st.markdown(
            "### Welcome\n"
            "Log each practice exam the day you get the result: the date, which one "
            f"({literal(', '.join(families) or 'any practice form')}; a percent-correct "
            "form as the percentage you saw) and the score. After "
            "three results you get a verdict about your "
            "planned date: **take it, keep it, or move it** — and until when. Choose "
            "your exam and its date above."
        )
        st.button(
            "Explore the example data",
            key="explore_example",
            on_click=lambda: st.session_state.update(exploring=True),
            help="Look around with a sample log; your own log is not touched.",
        )


def load_saved(settings_file: Path) -> tuple[Settings, bool]:
    """The remembered settings, or the defaults and True when the file is broken (said
    on the main page too: a phone keeps the sidebar closed)."""
    try:
        return load_settings(settings_file), False
    except SettingsError as error:
        message = literal(f"{error}. Using the defaults; the file is left as it is.")
        st.sidebar.error(message)
        st.warning(message, icon=":material/settings:")
        return Settings(), True


def main() -> None:
    st.set_page_config(page_title="Step Score Tracker", page_icon="📈", layout="wide")
    state = st.session_state
    today = dt.date.today()
    try:
        log_path = log.default_log_path()
    except TrackerError as error:
        st.title("Step Score Tracker")
        st.error(literal(f"TRACKER_LOG {error}"))
        st.stop()
    settings_file = settings_path_for(log_path)

    st.title("Step Score Tracker")
    saved, broken_settings = load_saved(settings_file)
    exploring = state.get("exploring", False)
    if exploring:
        st.info("You are exploring the example data. Your own log is not touched.")
        st.button(
            "Back to my log",
            key="leave_example",
            on_click=lambda: st.session_state.update(exploring=False),
        )
    banner_slot = st.empty()
    values = exam_controls(saved, today, st)
    values |= sidebar(saved, values["exam"], today)
    chosen = chosen_settings(saved, values)
    if chosen is None:
        st.stop()
    remember(chosen, saved, settings_file, broken_settings)
    show_page(chosen, log_path, today, exploring, banner_slot)


def show_page(
    settings: Settings, log_path: Path, today: dt.date, exploring: bool, banner_slot
) -> None:
    source = EXAMPLE_LOG if exploring else log_path
    try:
        forms = find_forms(log_path, settings.exam)
        catalog_file = log_path.with_name(forms.profile.catalog_file)
        raw = log.read_raw(source)
        assessment, view = evaluate(
            raw, str(source), today, settings, (_stamp(catalog_file), settings.exam)
        )
    except LogFormatError as error:
        with st.container(key="broken_log"):
            st.error(literal(str(error)))
            st.markdown(
                "Your log could not be read, so nothing will be written to it. Fix that "
                "line in the file (a text editor or spreadsheet will do), then reload."
            )
        st.stop()
    except TrackerError as error:
        st.error(literal(str(error)))
        st.stop()

    if not assessment.entries and not exploring:
        welcome(forms)
        _messages("edit")  # deleting the last entry lands here: say what was done
    else:
        verdict_banner(assessment, banner_slot)
        verdict_reasons(assessment)
        key_figures(assessment)
        model_caption(assessment)
        chart_section(assessment, view)
    plan_section(assessment)
    if exploring:
        st.caption("Logging is off while you explore the example data.")
    else:
        log_form(log_path, settings, forms)
    if assessment.entries:
        entries_section(assessment, raw, log_path, writable=not exploring)
    if not exploring:
        catalog_editor(forms, log_path)


main()
