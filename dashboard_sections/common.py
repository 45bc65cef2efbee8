"""What every section of the page shares: text shown as typed, and form messages."""

from __future__ import annotations

import re

import streamlit as st

_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation mark


def literal(text: str) -> str:
    """``text`` escaped so Streamlit's Markdown shows it as typed, never as markup.

    Messages can carry what a user typed (an assessment name, a bad value, a line of a
    broken file); a name like ``[x](javascript:...)`` must stay text. CommonMark lets any
    ASCII punctuation be escaped with a backslash; that also defuses Streamlit's own
    ``:icon:`` and ``:color[...]`` directives and ``$`` maths.
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", text)


def messages(prefix: str) -> None:
    state = st.session_state
    if f"{prefix}_error" in state:
        st.error(literal(state.pop(f"{prefix}_error")))
    if f"{prefix}_message" in state:
        st.success(literal(state.pop(f"{prefix}_message")))
    for warning in state.pop(f"{prefix}_warnings", []):
        st.warning(literal(warning))


def lazy_expander(label: str, key: str):
    """An expander whose contents are built only while it is open (``.open``): what a
    student opens now and then costs the page nothing until then (bench/page.py)."""
    return st.expander(label, key=key, on_change="rerun")
