"""Step Score Tracker dashboard: ``streamlit run dashboard.py`` (or ``make run``).

A thin shell over ``tracker``: widgets in, one library call (:func:`assess`), widgets
out. It holds no arithmetic and no rule. The log is ``$TRACKER_LOG`` (default
``data/scores.csv``); settings are remembered in ``settings.json`` beside it, and only
written when the student changes one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from dashboard_sections.common import literal, messages
from dashboard_sections.entries import catalog_editor, entries_section, log_form, welcome
from dashboard_sections.plan import plan_section
from dashboard_sections.profile import profile_section, profile_sidebar, profile_target
from dashboard_sections.settings_bar import (
    DEFAULT_DAYS_TO_EXAM,
    chosen_settings,
    exam_controls,
    load_saved,
    remember,
    sidebar,
)
from dashboard_sections.study import study_section
from dashboard_sections.verdict import (
    ChartView,
    chart_section,
    chart_view,
    key_figures,
    model_caption,
    verdict_banner,
    verdict_reasons,
)
from tracker import log
from tracker.assess import Assessment, assess, find_forms
from tracker.errors import LogFormatError, TrackerError
from tracker.settings import Settings, settings_path_for
from tracker.study import read_study_files, study_bytes

EXAMPLE_LOG = Path(__file__).resolve().parent / "data" / "example_scores.csv"
# The example student's score reports and Q-bank, shown while exploring.
EXAMPLE_STUDY = tuple(
    EXAMPLE_LOG.with_name(name) for name in ("example_areas.csv", "example_qbank.csv")
)


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
    study_raw: tuple[bytes | None, bytes | None] = (None, None),
) -> tuple[Assessment, ChartView]:
    """Assess the log's bytes (and the area and Q-bank logs' beside it) and lay out
    the chart: redone only when an input changes. (The PNG is drawn only when it is
    downloaded.)"""
    del catalog_stamp  # part of the cache key only: a changed catalog file redoes this
    unset = today + dt.timedelta(days=DEFAULT_DAYS_TO_EXAM)  # judged until one is set
    areas, qbank = study_raw
    files = read_study_files(source, areas_raw=areas, qbank_raw=qbank)
    assessment = assess(
        source, settings, today, raw=raw, study=files, unset_exam_date=unset
    )
    return assessment, chart_view(assessment)


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
    saved_file, broken_settings = load_saved(settings_file)
    exploring = state.get("exploring", False)
    if exploring:
        st.info("You are exploring the example data. Your own log is not touched.")
        st.button(
            "Back to my log",
            key="leave_example",
            on_click=lambda: st.session_state.update(exploring=False),
        )
    banner_slot = st.empty()
    saved, values = exam_controls(saved_file, today, st)
    values |= profile_sidebar(saved)
    values |= sidebar(saved, values["exam"], today, target=profile_target(saved, values))
    chosen = chosen_settings(saved, values)
    if chosen is None:
        st.stop()
    remember(chosen, saved, settings_file, broken_settings, saved_file.exam)
    show_page(chosen, log_path, today, exploring, banner_slot)


def show_page(
    settings: Settings, log_path: Path, today: dt.date, exploring: bool, banner_slot
) -> None:
    source = EXAMPLE_LOG if exploring else log_path
    try:
        forms = find_forms(log_path, settings.exam)
        catalog_file = log_path.with_name(forms.profile.catalog_file)
        raw = log.read_raw(source)
        if exploring:
            study_raw = tuple(path.read_bytes() for path in EXAMPLE_STUDY)
        else:
            study_raw = study_bytes(log_path)
        assessment, view = evaluate(
            raw,
            str(source),
            today,
            settings,
            (_stamp(catalog_file), settings.exam),
            study_raw,
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
        messages("edit")  # deleting the last entry lands here: say what was done
    else:
        verdict_banner(assessment, banner_slot)
        verdict_reasons(assessment)
        key_figures(assessment)
        profile_section(assessment)
        model_caption(assessment)
        chart_section(assessment, view)
    plan_section(assessment)
    study_section(assessment)
    if exploring:
        st.caption("Logging is off while you explore the example data.")
    else:
        log_form(log_path, settings, forms)
    if assessment.entries:
        entries_section(assessment, raw, log_path, writable=not exploring)
    if not exploring:
        catalog_editor(forms, log_path)


main()
