"""Security: loopback only, user text shown as text, safe CSV export, no path widget."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tracker import log
from tracker.log import Entry

from conftest import TODAY

REPO = Path(__file__).resolve().parent.parent
DASHBOARD = str(REPO / "dashboard.py")


def test_effective_streamlit_config_keeps_the_dashboard_private():
    # Streamlit reads .streamlit/config.toml from the folder it starts in, as `make run`
    # does; read the options it ends up with, not the file's text.
    code = (
        "import json; from streamlit import config; "
        "config.get_config_options(force_reparse=True); "
        "print(json.dumps({name: config.get_option(name) for name in ("
        "'server.address', 'server.headless', 'server.enableXsrfProtection', "
        "'browser.gatherUsageStats')}))"
    )
    env = {
        key: value for key, value in os.environ.items() if not key.startswith("STREAMLIT_")
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "server.address": "127.0.0.1",
        "server.headless": True,
        "server.enableXsrfProtection": True,
        "browser.gatherUsageStats": False,
    }


def test_no_user_text_reaches_unsafe_html():
    assert "unsafe_allow_html" not in Path(DASHBOARD).read_text()


INJECTIONS = [
    "[click me](javascript:alert(1))",
    "**bold** <b>html</b>",
    ":red[alarm] :material/warning:",
    "$x^2$ `code`",
]


@pytest.mark.parametrize("name", INJECTIONS)
def test_an_assessment_name_is_shown_as_typed_and_kept_as_typed(
    tmp_path, monkeypatch, name
):
    log_path = tmp_path / "scores.csv"
    monkeypatch.setenv("TRACKER_LOG", str(log_path))
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    app.selectbox(key="log_assessment").set_value("Other…")
    app.text_input(key="log_other_name").input(name)
    app.number_input(key="log_score").set_value(238)
    app.button(key="log_submit").click().run()

    [message] = [element.value for element in app.success]
    # Every Markdown character in the user's text arrives escaped, so nothing renders.
    escaped = re.sub(r"[!-/:-@\[-`{-~]", lambda m: "\\" + m.group(), name)
    assert escaped in message
    assert re.sub(r"\\(.)", r"\1", message).startswith(
        f"Logged {dt.date.today()} {name}: 238"
    )
    assert log.read_log(log_path)[0].assessment == name  # the log keeps what was typed


def test_the_dashboard_offers_no_way_to_choose_another_file(tmp_path, monkeypatch):
    log_path = tmp_path / "scores.csv"
    log_path.write_text(f"date,assessment,score,notes\n{dt.date.today()},NBME 12,236,\n")
    monkeypatch.setenv("TRACKER_LOG", str(log_path))
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    text_keys = {widget.key for widget in app.text_input}
    assert text_keys == {"log_other_name", "log_notes", "edit_assessment", "edit_notes"}
    labels = " ".join(w.label.lower() for w in [*app.text_input, *app.selectbox])
    assert "path" not in labels and "file" not in labels


def test_csv_export_neutralises_formulas_and_the_log_keeps_them(log_path):
    typed = [
        Entry(dt.date(2026, 10, 1), '=HYPERLINK("http://x")', 231, "+1 point"),
        Entry(dt.date(2026, 10, 2), "@SUM(A1)", 232, "-2 since last"),
        Entry(dt.date(2026, 10, 3), "NBME 13", 233, "=1+1"),
        Entry(dt.date(2026, 10, 4), "UWSA 2", 244, "fine, = calm"),
    ]
    for entry in typed:
        log.append_entry(log_path, entry, today=TODAY)
    exported = log.export_csv(typed).decode().splitlines()
    assert exported == [
        "date,assessment,score,notes",
        '2026-10-01,"\'=HYPERLINK(""http://x"")",231,\'+1 point',
        "2026-10-02,'@SUM(A1),232,'-2 since last",
        "2026-10-03,NBME 13,233,'=1+1",
        '2026-10-04,UWSA 2,244,"fine, = calm"',
    ]
    assert log.read_log(log_path, today=TODAY) == typed
