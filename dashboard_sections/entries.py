"""Logging a result, the log as a table, corrections and the form offsets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from dashboard_sections.common import lazy_expander, literal, messages
from tracker import log
from tracker.assess import (
    Assessment,
    Forms,
    amend,
    record,
    result_entry,
)
from tracker.errors import TrackerError
from tracker.exams import (
    PERCENT,
    Catalog,
    save_catalog,
    with_offsets,
)
from tracker.fixes import undo_words
from tracker.log import Entry
from tracker.settings import (
    Settings,
)
from tracker.tags import TEST_TAKING_ISSUES

OTHER = "Other…"


RESULT_OPEN, EDIT_OPEN, OFFSETS_OPEN = "result_open", "edit_open", "offsets_open"
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
        f"Logged {entry.date} {done.reading.name}: {done.reading.seen} "
        f"({n} result{'s' if n != 1 else ''} in the log)."
    )
    state["log_warnings"] = list(done.warnings)
    state["log_score"] = None
    state["log_notes"] = ""
    state["log_issues"] = []


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
        issues=state.get(f"{form}_issues") or (),
    )


# Score inputs take decimals, so that 70.5 reaches the core and is refused there as the
# command refuses it; a whole-number input would round it to 70 without a word.
SCORE_INPUT = {"step": 1.0, "format": "%g"}


def _score_text(value: float | int | None) -> str:
    # number_input hands back floats; the core decides what a valid score is.
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _issues_input(key: str) -> None:
    st.multiselect(
        "Test-taking problems (optional)",
        list(TEST_TAKING_ISSUES),
        key=key,
        help="; ".join(f"{name}: {words}" for name, words in TEST_TAKING_ISSUES.items()),
    )


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
            **SCORE_INPUT,
            placeholder="e.g. 238",
            key="log_score",
            help="Three-digit, or percent correct for "
            + (", ".join(percent_forms) or "percent forms"),
        )
        st.text_input("Notes (optional)", key="log_notes", max_chars=log.NOTES_MAX_LENGTH)
        _issues_input("log_issues")
        st.form_submit_button(
            "Log result",
            key="log_submit",
            type="primary",
            on_click=on_log_submit,
            args=(log_path, settings),
        )
    with lazy_expander(
        f"I sat the exam: log my {forms.profile.name} result", RESULT_OPEN
    ) as box:
        if box.open:  # built only while open: the page shows sooner
            st.date_input("Exam day", value=dt.date.today(), key="result_date")
            st.number_input("Your score", value=None, **SCORE_INPUT, key="result_score")
            st.button(
                "Log my result",
                key="result_submit",
                on_click=on_result_submit,
                args=(log_path, settings),
            )
    messages("log")


def entries_section(
    assessment: Assessment, raw: bytes, log_path: Path, writable: bool
) -> None:
    st.subheader("Your entries")
    st.dataframe(
        [
            {
                "#": number,
                "date": reading.entry.date,
                "assessment": reading.name,
                "score": reading.seen,
                "on the exam's scale": round(reading.points, 1),
                "test-taking": ", ".join(reading.entry.issues),
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
    with lazy_expander("Correct or delete an entry", EDIT_OPEN) as box:
        if box.open:
            _edit_fields(entries, log_path, settings)
        else:
            # Closed, its fields are gone: fill them again from the entry when reopened.
            st.session_state.pop("edit_loaded", None)
    messages("edit")


def _edit_fields(entries: list[Entry], log_path: Path, settings: Settings) -> None:
    state = st.session_state
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
        state["edit_score"] = float(shown.score)  # the input takes decimals
        state["edit_notes"] = shown.notes
        state["edit_issues"] = list(shown.issues)
        state["edit_loaded"] = (index, shown)
    with st.form("edit_form"):
        left, middle, right = st.columns(3)
        left.date_input("Date taken", key="edit_date")
        middle.text_input("Assessment", key="edit_assessment", max_chars=80)
        right.number_input("Score", **SCORE_INPUT, key="edit_score")
        st.text_input("Notes", key="edit_notes", max_chars=log.NOTES_MAX_LENGTH)
        _issues_input("edit_issues")
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
    st.button(
        "Undo the last change",
        key="edit_undo",
        on_click=on_undo,
        args=(log_path,),
        help="Puts the log back as it was before the last change (a log, edit or "
        "delete, here or from the command); pressed again, it redoes it.",
    )


def on_undo(log_path: Path) -> None:
    """Swap the log with its backup, and say what came back."""
    state = st.session_state
    try:
        undone = log.undo_last_change(log_path)
    except TrackerError as error:
        state["edit_error"] = str(error)
        return
    lines = "; ".join(undo_words(undone.before, undone.after))
    state["edit_message"] = (
        f"Put back the log as it was before the last change: {lines}. Press again to "
        "redo it."
    )
    state.pop("edit_loaded", None)


def catalog_editor(forms: Forms, log_path: Path) -> None:
    """Let the student adjust the per-form offsets; saved beside their log."""
    if not forms.catalog.forms:
        return
    target = log_path.with_name(forms.profile.catalog_file)
    label = "Form offsets (points added to each form's score)"
    with lazy_expander(label, OFFSETS_OPEN) as box:
        if not box.open:
            return
        st.caption(
            literal(
                "Where reports disagree these take the careful end. Change them if you "
                f"know better; they are saved to {target}, and the file they replace "
                f"is kept as {target.name}.bak."
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
                if catalog == forms.catalog:
                    st.info("Nothing changed, so nothing was saved.")
                    return
                # Refuses a file of the student's that it cannot read; keeps a .bak.
                save_catalog(target, catalog, forms.profile, mode_like=log_path)
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
