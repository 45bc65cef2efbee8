"""The plan to the exam day and its calendar file."""

from __future__ import annotations

import streamlit as st

from dashboard_sections.common import literal
from tracker import calendar_file
from tracker.assess import Assessment
from tracker.plan import Outcome
from tracker.schedule_text import plan_text


def plan_section(assessment: Assessment) -> None:
    """The forms left and their dates to the exam day, and a calendar of it all."""
    if assessment.outcome == Outcome.TAKEN:
        return
    text = plan_text(assessment)
    with st.container(key="plan"):
        st.subheader("Your plan to the exam day")
        st.caption(literal(text.header[0]))
        for line in text.header[1:]:
            st.info(literal(line))
        if text.planned:  # lines, not a grid: they wrap on a phone
            st.markdown(
                "\n".join(
                    f"- **{line.date}** {literal(line.assessment)}: {literal(line.why)}"
                    for line in text.planned
                )
            )
        for line in (*text.notes, *text.not_planned_lines()):
            st.markdown(literal(line.strip()))
        st.download_button(
            "Add the plan to your calendar (.ics)",
            data=lambda: calendar_file.to_ics(
                calendar_file.calendar_events(assessment),
                exam_key=assessment.profile.key,
                made_on=assessment.today,
            ),
            file_name="exam-plan.ics",
            mime="text/calendar",
            key="download_calendar",
            on_click="ignore",
        )
