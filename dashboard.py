"""Step Score Tracker dashboard: ``streamlit run dashboard.py`` (or ``make run``).

A thin shell over ``tracker``: widgets in, core calls, widgets out. It holds no
arithmetic and no rule. The log is ``$TRACKER_LOG`` (default ``data/scores.csv``); the
sidebar's settings are remembered in ``settings.json`` beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import streamlit as st

from tracker import chart, log
from tracker.calibration import (
    CATALOG_FILE_NAME,
    Catalog,
    FormCalibration,
    catalog_path_for,
    load_catalog,
    save_catalog,
)
from tracker.errors import LogFormatError, SettingsError, TrackerError
from tracker.log import Entry
from tracker.settings import Settings, load_settings, save_settings, settings_path_for
from tracker.verdict import DELAY, MODELS, TAKE_NOW, Verdict, decide, format_percent

EXAMPLE_LOG = Path(__file__).resolve().parent / "data" / "example_scores.csv"
OTHER = "Other…"
ASSESSMENTS = [
    *(f"NBME {form}" for form in range(9, 17)),
    *(f"UWSA {form}" for form in range(1, 4)),
    OTHER,
]
LEVELS = (0.80, 0.90, 0.95, 0.99)
MODEL_LABELS = {"bayes": "Learning-rate prior", "ols": "Plain least squares"}
_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation mark
# Streamlit's own icon font: emoji would need fonts a machine may not have.
REASON_ICONS = {
    True: ":green[:material/check_circle:]",
    False: ":red[:material/cancel:]",
    None: ":gray[:material/info:]",
}


def literal(text: str) -> str:
    """``text`` escaped so Streamlit's Markdown shows it as typed, never as markup.

    Messages can carry what a user typed (an assessment name, a bad value, a line of a
    broken file); a name like ``[x](javascript:...)`` must stay text. CommonMark lets any
    ASCII punctuation be escaped with a backslash; that also defuses Streamlit's own
    ``:icon:`` and ``:color[...]`` directives and ``$`` maths.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", text)


# --- the core, cached on what it depends on --------------------------------------------


@st.cache_data(show_spinner=False, max_entries=16)
def evaluate(
    raw: bytes,
    source: str,
    today: dt.date,
    exam_date: dt.date,
    settings: Settings,
    catalog: Catalog | None,
) -> tuple[list[Entry], Verdict, bytes]:
    """Parse the log's bytes, decide, and draw the chart: redone only when one changes."""
    entries = log.parse_log(raw, source=source, today=today)
    verdict = decide(
        entries, exam_date, today=today, policy=settings.policy(), catalog=catalog
    )
    png = chart.to_png(chart.draw(verdict))
    return entries, verdict, png


# --- callbacks: run before the page is redrawn, so everything shows the new log ---------


def on_log_submit(log_path: Path) -> None:
    state = st.session_state
    name = state["log_assessment"]
    if name == OTHER:
        name = state.get("log_other_name", "")
    try:
        entry = _entry_from_form("log", name)
        entries = log.append_entry(log_path, entry, today=dt.date.today())
    except TrackerError as error:
        state["log_error"] = str(error)
        return
    state["log_message"] = (
        f"Logged {entry.date} {entry.assessment}: {entry.score} "
        f"({len(entries)} result{'s' if len(entries) != 1 else ''} in the log)."
    )
    state["log_score"] = None
    state["log_notes"] = ""


def on_edit(log_path: Path, index: int, shown: Entry, delete: bool) -> None:
    """Save the edit form over entry ``index``, or delete it; the old file is kept."""
    state = st.session_state
    today = dt.date.today()
    try:
        if delete:
            log.delete_entry(log_path, index, expected=shown, today=today)
        else:
            entry = _entry_from_form("edit", state["edit_assessment"])
            log.replace_entry(log_path, index, entry, expected=shown, today=today)
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


# --- the page ---------------------------------------------------------------------------


def sidebar(saved: Settings, settings_file: Path, today: dt.date) -> Settings | None:
    """The settings widgets; returns what they say, or None when it is not valid."""
    bar = st.sidebar
    bar.header("Settings")
    exam_date = bar.date_input(
        "Planned exam date",
        value=saved.exam_date_or_default(today),
        min_value=today,
        key="exam_date",
    )

    def whole_number(label: str, key: str, largest: int) -> int:
        return bar.number_input(
            label,
            min_value=1,
            max_value=largest,
            value=getattr(saved, key),
            step=1,
            key=key,
        )

    threshold = whole_number("Threshold: recent scores must all reach", "threshold", 300)
    window = whole_number("How many recent scores count", "window", 20)
    target = whole_number("Your target score", "target", 300)
    level = bar.selectbox(
        "Interval level",
        options=sorted({*LEVELS, saved.level}),
        index=sorted({*LEVELS, saved.level}).index(saved.level),
        format_func=lambda value: f"{value:.0%}",
        key="level",
    )
    model = bar.selectbox(
        "Projection model",
        options=list(MODELS),
        index=list(MODELS).index(saved.model) if saved.model in MODELS else 0,
        format_func=MODEL_LABELS.get,
        key="model",
        help="The learning-rate prior was the more accurate in a simulation study "
        "(see the README); plain least squares uses your scores alone.",
    )
    prior_weight, half_life = saved.prior_weight, saved.recency_half_life_days
    if model == "bayes":  # the prior's own settings, shown only when it is in use
        prior_weight = bar.number_input(
            "Weight of the learning-rate prior",
            min_value=0.0,
            max_value=10.0,
            value=float(saved.prior_weight),
            step=0.25,
            key="prior_weight",
            help="1 is the default: typical learning of 0.2 ± 0.1 points a day. "
            "0 means no prior.",
        )
        half_life = bar.number_input(
            "Recency half-life (days; 0 = off)",
            min_value=0.0,
            max_value=365.0,
            value=float(saved.recency_half_life_days or 0.0),
            step=7.0,
            key="recency_half_life",
            help="A score this many days older than your latest counts half as much.",
        )
    calibrate = bar.checkbox(
        "Correct for differences between forms",
        value=saved.calibrate,
        key="calibrate",
        help="UWSA 1 runs several points high, for example: the trend is fitted to "
        "corrected scores; your log keeps the scores you saw.",
    )
    calibrate_rule = bar.checkbox(
        "Use corrected scores for the 240+ rule too",
        value=saved.calibrate_rule,
        key="calibrate_rule",
        disabled=not calibrate,
    )
    eras_known = bar.checkbox(
        "I know when ERAS opens", value=saved.eras_date is not None, key="eras_known"
    )
    eras_date = None
    if eras_known:
        eras_date = bar.date_input(
            "ERAS opens on",
            value=saved.eras_date
            if saved.eras_date and saved.eras_date >= today
            else today,
            min_value=today,
            key="eras_date",
        )
    try:
        chosen = Settings(
            exam_date=exam_date,
            threshold=int(threshold),
            window=int(window),
            target=int(target),
            level=float(level),
            eras_date=eras_date,
            model=model,
            prior_weight=float(prior_weight),
            recency_half_life_days=float(half_life) if half_life else None,
            calibrate=bool(calibrate),
            calibrate_rule=bool(calibrate_rule),
        )
    except TrackerError as error:
        bar.error(literal(str(error)))
        return None
    bar.caption(f"Remembered in {settings_file}")
    return chosen


def remember(chosen: Settings, saved: Settings, settings_file: Path, broken: bool) -> None:
    """Save changed settings; never overwrite a broken file without being asked."""
    if broken:
        if st.sidebar.button(
            "Replace the settings file with these", key="settings_replace"
        ):
            _save(settings_file, chosen)
            st.rerun()
        return
    if chosen != saved:
        _save(settings_file, chosen)


def _save(settings_file: Path, chosen: Settings) -> None:
    try:
        save_settings(settings_file, chosen)
    except TrackerError as error:
        st.sidebar.error(literal(str(error)))


def verdict_banner(verdict: Verdict) -> None:
    with st.container(key="verdict_banner"):
        if verdict.verdict == TAKE_NOW:
            st.success(f"## TAKE NOW\nSit the exam as planned on {verdict.exam_date}.")
        elif verdict.verdict == DELAY:
            if verdict.suggested_date is not None:
                st.warning(
                    f"## DELAY until {verdict.suggested_date}\n"
                    f"Planned: {verdict.exam_date}. The reasons below say what is missing."
                )
            else:
                st.warning(
                    "## DELAY\nNo date to suggest yet: waiting alone will not raise the "
                    "score. The reasons below say why."
                )
        else:
            missing = verdict.scores_missing
            st.info(
                f"## NOT ENOUGH DATA\nLog {missing} more result"
                f"{'s' if missing != 1 else ''} to get a verdict."
            )
    with st.container(key="verdict_reasons"):
        for reason in verdict.reasons:
            st.markdown(f"{REASON_ICONS[reason.met]} {reason.text}")


def key_figures(verdict: Verdict) -> None:
    policy = verdict.policy
    first, second = st.columns(4), st.columns(4)
    if verdict.projection is not None:
        low, high = verdict.prediction_interval
        first[0].metric(
            "Projected exam-day score",
            f"{verdict.projection.predicted_mean:.0f}",
            help=f"{policy.level:.0%} prediction interval for one sitting: "
            f"{low:.0f}–{high:.0f}",
        )
        first[0].caption(f"{policy.level:.0%} interval {low:.0f}–{high:.0f}")
        first[1].metric(
            f"Chance of {policy.threshold}+", format_percent(verdict.p_threshold)
        )
        first[2].metric(f"Chance of {policy.target}+", format_percent(verdict.p_target))
        first[3].metric(
            f"Chance of failing (<{policy.passing})", format_percent(verdict.p_fail)
        )
        second[0].metric("Points per week", f"{verdict.slope_per_week:+.1f}")
        if verdict.own_line is not None:
            own = verdict.own_line.project(verdict.exam_date).predicted_mean
            second[0].caption(f"your own trend alone projects {own:.0f}")
    else:
        first[0].metric("Projected exam-day score", "—")
        first[0].caption(getattr(verdict.trend, "reason", ""))
    second[1].metric("Days to the exam", verdict.days_to_exam)
    second[2].metric("Score released in", f"{verdict.days_to_release} days")
    second[2].caption(f"about {verdict.release_date}, sitting on {verdict.planned_sitting}")
    if policy.eras_date is not None:
        second[3].metric("Before ERAS opens?", "no" if verdict.misses_eras else "yes")
        second[3].caption(f"ERAS opens {policy.eras_date}")


def model_caption(verdict: Verdict) -> None:
    corrected = "scores corrected for each form" if verdict.calibrated else "your scores"
    st.caption(f"Model: {MODELS[verdict.policy.model]}, fitted to {corrected}.")


def catalog_editor(catalog: Catalog | None, log_path: Path) -> None:
    """Let the student adjust the per-form offsets; saved beside their log."""
    if catalog is None:
        return
    target = log_path.with_name(CATALOG_FILE_NAME)
    with st.expander("Form offsets (points added to each form's score)"):
        st.caption(
            "Where reports disagree these take the careful end. Change them if you "
            f"know better; they are saved to {target}."
        )
        edited = st.data_editor(
            [
                {"form": f.name, "offset": f.offset, "±": f.uncertainty, "source": f.source}
                for f in catalog.forms
            ],
            disabled=["form", "source"],
            hide_index=True,
            key="catalog_editor",
        )
        if st.button("Save offsets", key="catalog_save"):
            forms = tuple(
                FormCalibration(
                    name=old.name,
                    family=old.family,
                    scale=old.scale,
                    offset=float(row["offset"]),
                    uncertainty=float(row["±"]),
                    source=old.source,
                )
                for old, row in zip(catalog.forms, edited, strict=True)
            )
            try:
                save_catalog(target, Catalog(forms=forms))
            except TrackerError as error:
                st.error(literal(str(error)))
            else:
                st.rerun()


def log_form(log_path: Path) -> None:
    st.subheader("Log a result")
    with st.form("log_form", clear_on_submit=False):
        left, middle, right = st.columns([1, 1, 1])
        left.date_input("Date taken", value=dt.date.today(), key="log_date")
        middle.selectbox("Assessment", ASSESSMENTS, key="log_assessment")
        middle.text_input("Name, when Other…", key="log_other_name", max_chars=80)
        right.number_input(
            "Score", value=None, step=1, placeholder="e.g. 238", key="log_score"
        )
        st.text_input("Notes (optional)", key="log_notes")
        st.form_submit_button(
            "Log result",
            key="log_submit",
            type="primary",
            on_click=on_log_submit,
            args=(log_path,),
        )
    if "log_error" in st.session_state:
        st.error(literal(st.session_state.pop("log_error")))
    if "log_message" in st.session_state:
        st.success(literal(st.session_state.pop("log_message")))


def entries_section(entries: list[Entry], log_path: Path, writable: bool) -> None:
    st.subheader("Your entries")
    st.dataframe(
        [
            {
                "#": number,
                "date": entry.date,
                "assessment": entry.assessment,
                "score": entry.score,
                "notes": entry.notes,
            }
            for number, entry in enumerate(entries, start=1)
        ],
        hide_index=True,
        key="entries_table",
    )
    st.download_button(
        "Download the log (CSV)",
        data=log.export_csv(entries),
        file_name="scores.csv",
        mime="text/csv",
        key="download_log",
    )
    if writable:
        edit_form(entries, log_path)


def edit_form(entries: list[Entry], log_path: Path) -> None:
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
            st.text_input("Notes", key="edit_notes")
            save, delete = st.columns(2)
            save.form_submit_button(
                "Save changes",
                key="edit_save",
                on_click=on_edit,
                args=(log_path, index, shown, False),
            )
            delete.form_submit_button(
                "Delete this entry",
                key="edit_delete",
                on_click=on_edit,
                args=(log_path, index, shown, True),
            )
    if "edit_error" in state:
        st.error(literal(state.pop("edit_error")))
    if "edit_message" in state:
        st.success(literal(state.pop("edit_message")))


def welcome() -> None:
    with st.container(key="welcome"):
        st.markdown(
            "### Welcome\n"
            "Log each practice exam the day you get the result: the date, which one "
            "(an NBME form or a UWorld self-assessment) and the three-digit score. After "
            "three results you get a verdict: **take the exam as planned, or delay it** — "
            "and until when. Set your exam date in the sidebar."
        )
        st.button(
            "Explore the example data",
            key="explore_example",
            on_click=lambda: st.session_state.update(exploring=True),
            help="Look around with a sample log; your own log is not touched.",
        )


def main() -> None:
    st.set_page_config(page_title="Step Score Tracker", page_icon="📈", layout="wide")
    state = st.session_state
    today = dt.date.today()
    log_path = log.default_log_path()
    settings_file = settings_path_for(log_path)

    broken_settings = False
    try:
        saved = load_settings(settings_file)
    except SettingsError as error:
        st.sidebar.error(
            literal(f"{error}. Using the defaults; the file is left as it is.")
        )
        saved, broken_settings = Settings(), True
    chosen = sidebar(saved, settings_file, today)

    st.title("Step Score Tracker")
    exploring = state.get("exploring", False)
    if exploring:
        st.info("You are exploring the example data. Your own log is not touched.")
        st.button(
            "Back to my log",
            key="leave_example",
            on_click=lambda: st.session_state.update(exploring=False),
        )
    source = EXAMPLE_LOG if exploring else log_path
    if chosen is None:
        st.stop()
    remember(chosen, saved, settings_file, broken_settings)

    catalog = None
    try:
        catalog_path = catalog_path_for(log_path)
        catalog = load_catalog(catalog_path) if catalog_path else None
    except TrackerError as error:
        st.sidebar.error(literal(f"{error}. Scores are not corrected until it is fixed."))
    try:
        raw = log.read_raw(source)
        entries, verdict, png = evaluate(
            raw,
            str(source),
            today,
            chosen.exam_date_or_default(today),
            chosen,
            catalog if chosen.calibrate else None,
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

    if not entries and not exploring:
        welcome()
    else:
        verdict_banner(verdict)
        key_figures(verdict)
        model_caption(verdict)
        st.image(png, width="stretch")
        st.download_button(
            "Download the chart (PNG)",
            data=png,
            file_name="step-score-chart.png",
            mime="image/png",
            key="download_chart",
        )
    if exploring:
        st.caption("Logging is off while you explore the example data.")
    else:
        log_form(log_path)
    if entries:
        entries_section(entries, log_path, writable=not exploring)
    if not exploring:
        catalog_editor(catalog, log_path)


main()
