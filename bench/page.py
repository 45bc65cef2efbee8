"""How soon the dashboard shows its verdict and its chart, next to a bare Streamlit page.

Run with ``make bench`` (or ``python bench/page.py``); writes ``bench/results/page.md``.
Three Streamlit servers on 127.0.0.1, started side by side with the project's own
``.streamlit/config.toml``:

* *bare text*: a page of one line of text;
* *bare chart*: one line and one small Vega-Lite chart (a line over points);
* *dashboard*: ``dashboard.py`` over a copy of the example log, with an exam date saved.

Debian's Chromium, headless and driven by Playwright, opens each page once to warm its
server (the first script run imports the page's modules) and its own cache, then opens
each ``VISITS`` times in turns, a new tab (a new Streamlit session) each time. A script
in the page notes when the words (the verdict's headline, or the bare line) and the
chart (its first plotted point) first appear, in ms from the start of the navigation; the
tables give medians and ratios to the bare text page. Goals: the verdict's words within
1.2 times, the chart within 1.6 times.

Where the time goes: the Streamlit messages of each dashboard visit are read off the
websocket (script runs, reruns the browser asked for, bytes, the chart's own message),
and the first visit of each server is reported apart from the warm ones.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.results_file import write_measured  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tracker.plan import Outcome  # noqa: E402
from tracker.settings import Settings, save_settings, settings_path_for  # noqa: E402

RESULTS = REPO / "bench" / "results"
VISITS = 11
STARTUP_SECONDS = 90
VISIT_TIMEOUT_MS = 60_000
QUIET_SECONDS = 1.0
# Chromium's own account of the tab's main thread (seconds, turned into ms): all its
# tasks, and the JavaScript, layout and style work among them.
MAIN_THREAD_METRICS = (
    "TaskDuration",
    "ScriptDuration",
    "LayoutDuration",
    "RecalcStyleDuration",
)
WORDS_GOAL, CHART_GOAL = 1.2, 1.6
BARE_LINE = "Step Score Tracker, a bare page"
HEADLINES = "|".join(outcome.headline for outcome in Outcome)

BARE_TEXT = f"""
import streamlit as st

with st.container(key="words"):
    st.markdown({BARE_LINE!r})
"""
BARE_CHART = (
    BARE_TEXT
    + """
import pandas as pd

frame = pd.DataFrame({"day": list(range(10)), "score": [224, 229, 227, 233, 241,
                                                      236, 239, 244, 242, 246]})
spec = {
    "layer": [
        {"mark": "line", "encoding": {"x": {"field": "day", "type": "quantitative"},
                                      "y": {"field": "score", "type": "quantitative",
                                            "scale": {"zero": False}}}},
        {"mark": "point", "encoding": {"x": {"field": "day", "type": "quantitative"},
                                       "y": {"field": "score", "type": "quantitative"}}},
    ]
}
with st.container(key="chart"):
    st.vega_lite_chart(frame, spec, width="stretch")
"""
)

# Runs in each tab before the page's own scripts: notes the first moment each mark is
# on the page (ms since the navigation started).
PROBE = """
(() => {
  const marks = {};
  window.__marks = marks;
  const wanted = %s;
  const look = () => {
    const now = performance.now();
    for (const [name, selector, pattern] of wanted) {
      if (name in marks) continue;
      const found = document.querySelector(selector);
      if (!found) continue;
      if (pattern && !new RegExp(pattern).test(found.textContent)) continue;
      marks[name] = now;
    }
  };
  new MutationObserver(look).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
})();
"""


@dataclass(frozen=True)
class Page:
    """One page to time: its script and the marks it must show."""

    name: str
    script: Path
    marks: tuple[tuple[str, str, str], ...]  # (mark, CSS selector, text pattern)


@dataclass
class Visit:
    """One visit: when each mark appeared (ms), and what came over the websocket."""

    marks: dict[str, float] = field(default_factory=dict)
    script_runs: int = 0  # runs the server finished
    reruns_asked: int = 0  # runs the browser asked for after the first
    bytes_received: int = 0
    chart_message_bytes: int = 0
    chart_message_ms: float | None = None  # when it arrived, from the navigation
    runs_finished_ms: list[float] = field(default_factory=list)  # from the navigation
    last_message: float = 0.0  # time.monotonic() of the last message received
    main_thread_ms: dict[str, float] = field(default_factory=dict)  # the tab's own work


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def server(script: Path, env: dict[str, str], output: Path) -> Iterator[str]:
    """``streamlit run script`` on 127.0.0.1 from the repository (its config): the URL."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script),
               "--server.port", str(port)]  # fmt: skip
    with output.open("wb") as sink:
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(url, process, output)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_healthy(url: str, process: subprocess.Popen, output: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer,
        ):
            if answer.status == 200:
                return
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{url} did not start:\n{output.read_text()}")
        time.sleep(0.2)


def visit(context, url: str, page: Page) -> Visit:
    """Open ``url`` in a new tab and wait for every mark of ``page``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    seen = Visit()

    def received(payload) -> None:
        if isinstance(payload, str):
            return
        seen.bytes_received += len(payload)
        seen.last_message = time.monotonic()
        message = ForwardMsg.FromString(payload)
        kind = message.WhichOneof("type")
        if kind == "script_finished":
            seen.script_runs += 1
            seen.runs_finished_ms.append((time.monotonic() - started) * 1000)
        elif kind == "delta" and message.delta.new_element.WhichOneof("type") == (
            "vega_lite_chart"
        ):
            seen.chart_message_bytes += len(payload)
            seen.chart_message_ms = (time.monotonic() - started) * 1000

    def sent(payload) -> None:
        if not isinstance(payload, str) and BackMsg.FromString(payload).HasField(
            "rerun_script"
        ):
            seen.reruns_asked += 1

    def watch(socket_) -> None:
        socket_.on("framereceived", received)
        socket_.on("framesent", sent)

    tab = context.new_page()
    devtools = context.new_cdp_session(tab)
    devtools.send("Performance.enable")
    tab.add_init_script(PROBE % json.dumps([list(mark) for mark in page.marks]))
    tab.on("websocket", watch)
    started = time.monotonic()
    tab.goto(url, wait_until="commit")
    names = json.dumps([name for name, _, _ in page.marks])
    try:
        tab.wait_for_function(
            f"() => window.__marks && {names}.every(name => name in window.__marks)",
            timeout=VISIT_TIMEOUT_MS,
        )
    except PlaywrightTimeout:
        seen_marks = tab.evaluate("() => window.__marks")
        raise SystemExit(
            f"{page.name}: not every mark of {names} showed in {VISIT_TIMEOUT_MS} ms "
            f"(seen: {seen_marks}); page text: {tab.inner_text('body')[:500]!r}"
        ) from None
    seen.marks = tab.evaluate("() => window.__marks")
    # Count the session's messages until it has been quiet for a while.
    while time.monotonic() - max(seen.last_message, started) < QUIET_SECONDS:
        tab.wait_for_timeout(100)
    seen.reruns_asked = max(seen.reruns_asked - 1, 0)  # the first run is the page's own
    metrics = devtools.send("Performance.getMetrics")["metrics"]
    seen.main_thread_ms = {
        m["name"]: m["value"] * 1000 for m in metrics if m["name"] in MAIN_THREAD_METRICS
    }
    tab.close()
    return seen


def pages(folder: Path) -> tuple[Page, ...]:
    """The three pages, their scripts written (the bare ones) into ``folder``."""
    words = ("words", ".st-key-words", "")
    # Vega draws in SVG; a plotted point (not a legend's) exists once the data is drawn.
    chart = ("chart", ".st-key-chart .mark-symbol.role-mark path", "")
    (folder / "bare_text.py").write_text(BARE_TEXT, encoding="utf-8")
    (folder / "bare_chart.py").write_text(BARE_CHART, encoding="utf-8")
    return (
        Page("bare text", folder / "bare_text.py", (words,)),
        Page("bare chart", folder / "bare_chart.py", (words, chart)),
        Page(
            "dashboard",
            REPO / "dashboard.py",
            (("words", ".st-key-verdict_banner", HEADLINES), chart),
        ),
    )


def dashboard_log(folder: Path) -> Path:
    """A copy of the example log with an exam date saved beside it, 50 days ahead."""
    log_path = folder / "data" / "scores.csv"
    log_path.parent.mkdir()
    shutil.copyfile(REPO / "data" / "example_scores.csv", log_path)
    exam_date = dt.date.today() + dt.timedelta(days=50)
    save_settings(settings_path_for(log_path), Settings(exam_date=exam_date))
    return log_path


def measure(
    folder: Path, the_pages: tuple[Page, ...], visits: int = VISITS
) -> tuple[dict[str, Visit], dict[str, list[Visit]]]:
    """(each page's first visit, its warm visits), the servers running side by side."""
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "TRACKER_LOG": str(dashboard_log(folder))}
    first: dict[str, Visit] = {}
    warm: dict[str, list[Visit]] = {}
    with contextlib.ExitStack() as stack, sync_playwright() as playwright:
        urls = {
            page.name: stack.enter_context(
                server(page.script, env, folder / f"{page.name}.log")
            )
            for page in the_pages
        }
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        for page in the_pages:
            first[page.name] = visit(context, urls[page.name], page)
            warm[page.name] = []
        for _ in range(visits):
            for page in the_pages:
                warm[page.name].append(visit(context, urls[page.name], page))
        browser.close()
    return first, warm


def median_mark(visits: list[Visit], mark: str) -> float:
    return statistics.median(v.marks[mark] for v in visits)


def chart_message(visits: list[Visit]) -> str:
    """The chart's message: its size (KB) and when it arrived (ms), or a dash."""
    arrived = [v.chart_message_ms for v in visits if v.chart_message_ms is not None]
    if not arrived:
        return "—"
    size = statistics.median(v.chart_message_bytes for v in visits) / 1024
    return f"{size:.1f}, {statistics.median(arrived):.0f}"


def main_thread(visits: list[Visit]) -> str:
    """The tab's main-thread work in a visit (ms, medians): all tasks, and scripts."""
    task = statistics.median(v.main_thread_ms["TaskDuration"] for v in visits)
    script = statistics.median(v.main_thread_ms["ScriptDuration"] for v in visits)
    return f"{task:.0f}, {script:.0f}"


def round_ratios(visits: list[Visit], bare: list[Visit], mark: str) -> list[float]:
    """Each round's ratio: this page's ``mark`` over the bare text page's words, both
    taken in the same round (so a busy moment slows both)."""
    return [v.marks[mark] / b.marks["words"] for v, b in zip(visits, bare, strict=True)]


def ratio_cell(ratios: list[float]) -> str:
    """Median ratio with its quartiles."""
    low, _, high = statistics.quantiles(ratios, n=4)
    return f"{statistics.median(ratios):.2f} ({low:.2f}–{high:.2f})"


def timing_table(warm: dict[str, list[Visit]]) -> list[str]:
    bare = warm["bare text"]
    lines = [
        "| page | words ms | chart ms | words / bare | chart / bare |",
        "|---|---|---|---|---|",
    ]
    for name, visits in warm.items():
        cells = [f"{median_mark(visits, 'words'):.0f}", "—", "", "—"]
        cells[2] = ratio_cell(round_ratios(visits, bare, "words"))
        if "chart" in visits[0].marks:
            cells[1] = f"{median_mark(visits, 'chart'):.0f}"
            cells[3] = ratio_cell(round_ratios(visits, bare, "chart"))
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return lines


def verdict_line(warm: dict[str, list[Visit]]) -> str:
    bare, dashboard = warm["bare text"], warm["dashboard"]
    words = statistics.median(round_ratios(dashboard, bare, "words"))
    chart = statistics.median(round_ratios(dashboard, bare, "chart"))
    words_met = "met" if words <= WORDS_GOAL else "MISSED"
    chart_met = "met" if chart <= CHART_GOAL else "MISSED"
    return (
        f"Dashboard against the bare text page: the verdict's words {words:.2f} times "
        f"(goal ≤ {WORDS_GOAL}: {words_met}), the chart {chart:.2f} times "
        f"(goal ≤ {CHART_GOAL}: {chart_met})."
    )


def diagnosis_table(first: dict[str, Visit], warm: dict[str, list[Visit]]) -> list[str]:
    lines = [
        "| page | first visit: words, chart ms | script runs | reruns asked | KB in "
        "| chart message: KB, at ms | runs finished at ms | main thread: all, script ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, visits in warm.items():
        marks = first[name].marks
        cold = ", ".join(
            f"{marks[mark]:.0f}" for mark in ("words", "chart") if mark in marks
        )
        finished = ", ".join(
            f"{statistics.median(times):.0f}"
            for times in zip(*(v.runs_finished_ms for v in visits), strict=False)
        )
        lines.append(
            f"| {name} | {cold} | {statistics.median(v.script_runs for v in visits):g} "
            f"| {statistics.median(v.reruns_asked for v in visits):g} "
            f"| {statistics.median(v.bytes_received for v in visits) / 1024:.1f} "
            f"| {chart_message(visits)} | {finished} | {main_thread(visits)} |"
        )
    return lines


def report(first: dict[str, Visit], warm: dict[str, list[Visit]]) -> str:
    rounds = len(warm["bare text"])
    lines = [
        f"`make bench` (`bench/page.py`), {dt.date.today()}: {rounds} rounds of warm "
        "visits, one visit of each page a round, in headless Chromium. Times: ms from "
        "the start of the navigation to the first moment the mark is on the page "
        "(medians). Ratios: the median of each round's ratio to the bare text page "
        "(quartiles in brackets).",
        "",
        *timing_table(warm),
        "",
        verdict_line(warm),
        "",
        "Where the time goes (medians of the warm visits; the first visit after the "
        "server started runs the script's imports; the main thread is Chromium's count of "
        "the tab's own work):",
        "",
        *diagnosis_table(first, warm),
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    if not CHROMIUM.exists():
        print(f"bench/page.py: {CHROMIUM} is missing (Debian package: chromium)")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        first, warm = measure(Path(folder), pages(Path(folder)))
    text = report(first, warm)
    write_measured(RESULTS / "page.md", "How soon the page shows the verdict", text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
