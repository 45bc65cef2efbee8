"""The plan to the exam day and its calendar file."""

from __future__ import annotations

import streamlit as st

from dashboard_sections.common import literal
from tracker import calendar_file
from tracker.assess import (
    Assessment,
)
from tracker.plan import Outcome
from tracker.schedule import plan_schedule, schedule_header, schedule_notes, window_words


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
