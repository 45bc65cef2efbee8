"""Security: loopback only, user text shown as text (page and terminal), safe CSV export."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tracker import log
from tracker.cli import main
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


def md_date(day: dt.date) -> str:
    """A date as the page's Markdown holds it: each hyphen backslash-escaped."""
    return f"{day:%Y}\\-{day:%m}\\-{day:%d}"


# What a student typed, and the Markdown that shows it as typed, escaped by hand:
# every ASCII punctuation mark gets a backslash, so nothing renders as markup.
INJECTIONS = [
    ("[click me](javascript:alert(1))", r"\[click me\]\(javascript\:alert\(1\)\)"),
    ("**bold** <b>html</b>", r"\*\*bold\*\* \<b\>html\<\/b\>"),
    (":red[alarm] :material/warning:", r"\:red\[alarm\] \:material\/warning\:"),
    ("$x^2$ `code`", r"\$x\^2\$ \`code\`"),
]


def _markdown_texts(app: AppTest) -> list[str]:
    """Every piece of Markdown the page shows: text, alerts and captions."""
    kinds = (app.markdown, app.success, app.warning, app.info, app.error, app.caption)
    return [element.value for kind in kinds for element in kind]


def test_no_user_text_reaches_unsafe_html(tmp_path, monkeypatch):
    # A log whose names and notes are HTML: every Markdown element of the page is
    # drawn with HTML off, and the tags arrive escaped.
    log_path = tmp_path / "scores.csv"
    today = dt.date.today()
    log_path.write_text(
        "date,assessment,score,notes\n"
        + "".join(
            f"{today - dt.timedelta(days=d)},<b>Mock {d}</b>,{s},<i>note</i>\n"
            for d, s in ((20, 236), (10, 241), (3, 244))
        )
    )
    monkeypatch.setenv("TRACKER_LOG", str(log_path))
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    assert not app.exception
    markdown = [*app.markdown, *app.caption]
    assert markdown and not [element.value for element in markdown if element.allow_html]
    texts = _markdown_texts(app)
    assert any(r"\<b\>Mock 20\<\/b\>" in text for text in texts)
    assert not [text for text in texts if "<b>" in text or "<i>" in text]


@pytest.mark.parametrize(("name", "escaped"), INJECTIONS)
def test_an_assessment_name_is_shown_as_typed_and_kept_as_typed(
    tmp_path, monkeypatch, name, escaped
):
    log_path = tmp_path / "scores.csv"
    monkeypatch.setenv("TRACKER_LOG", str(log_path))
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    app.selectbox(key="log_assessment").set_value("Other…")
    app.text_input(key="log_other_name").input(name)
    app.number_input(key="log_score").set_value(238)
    app.button(key="log_submit").click().run()
    assert not app.exception

    today = md_date(dt.date.today())
    [message] = [e.value for e in app.success if not e.value.startswith("## ")]
    assert message == f"Logged {today} {escaped}\\: 238 \\(1 result in the log\\)\\."
    [warning] = [e.value for e in app.warning]
    assert warning.startswith(
        f"\\'{escaped}\\' is not in the catalog of practice forms\\, so it is logged "
        "as a three\\-digit score and not calibrated"
    )
    [reason] = [m.value for m in app.markdown if "Not calibrated" in m.value]
    assert reason == (
        ":gray[:material/info:] Not calibrated \\(not in the catalog of forms\\, used as "
        f"logged\\)\\: {escaped}\\."
    )
    # Wherever else the name appears, it is escaped too: no element holds it unescaped.
    for text in _markdown_texts(app):
        assert name not in text.replace(escaped, "")
    assert log.read_log(log_path)[0].assessment == name  # the log keeps what was typed


def test_the_dashboard_offers_no_way_to_choose_another_file(tmp_path, monkeypatch):
    log_path = tmp_path / "scores.csv"
    log_path.write_text(f"date,assessment,score,notes\n{dt.date.today()},NBME 12,236,\n")
    monkeypatch.setenv("TRACKER_LOG", str(log_path))
    app = AppTest.from_file(DASHBOARD, default_timeout=30).run()
    for expander in ("result_open", "edit_open", "offsets_open"):  # every input shown
        app.session_state[expander] = True
    app.run()
    text_keys = {widget.key for widget in app.text_input}
    assert text_keys == {
        "exam_date", "log_other_name", "log_notes", "edit_assessment", "edit_notes",
    }  # fmt: skip
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
    assert log.read_log(log_path) == typed


def test_the_terminal_sees_control_characters_as_escapes(tmp_path, capsys):
    # Reads accept old notes with control characters (a write no longer makes them);
    # printed raw, ESC ] 0 ; ... BEL retitles the terminal and U+202E reverses text.
    log_path = tmp_path / "scores.csv"
    log_path.write_bytes(
        b"date,assessment,score,notes\n"
        b'2026-11-20,NBME 12,236,"\x1b]0;owned\x07 calm \xe2\x80\xae evil"\n'
    )
    assert main(["list", "--log", str(log_path)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1] == (
        "  1  2026-11-20  NBME 12       236         \\x1b]0;owned\\x07 calm \\u202e evil"
    )
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


@pytest.mark.parametrize(
    "argv",
    [
        ["verdict", "--exam-date", "2027-01-15", "--eras-date", "\x1b[2J"],
        ["log", "--assessment", "NBME\u202e 12", "--score", "240"],
        ["log", "--assessment", "NBME 12", "--score", "240", "--notes", "a\x1bb"],
        ["log", "--assessment", "NBME 12", "--score", "\x1b[2J"],
    ],
)
def test_typed_control_characters_are_refused_in_one_escaped_line(tmp_path, capsys, argv):
    log_path = tmp_path / "scores.csv"
    code = main([*argv, "--log", str(log_path), "--today", "2026-11-26"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and err.startswith("tracker: error: ")
    assert not any(char in err for char in "\x1b\u202e")
    assert not log_path.exists()
