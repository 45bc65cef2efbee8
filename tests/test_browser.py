"""A real Streamlit server on loopback, driven in Debian's Chromium by Playwright."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 60
HEADER = "date,assessment,score,notes\n"


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (Debian package: chromium)"
    if os.environ.get("TRACKER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"TRACKER_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening_addresses(port: int) -> set[str]:
    """Local IPv4 addresses with a listening TCP socket on ``port``, from /proc."""
    addresses = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address_hex, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
            addresses.add(socket.inet_ntoa(bytes.fromhex(address_hex)[::-1]))
    return addresses


@pytest.fixture
def server(tmp_path):
    """``streamlit run dashboard.py`` against a temporary log; stopped afterwards."""
    log_path = tmp_path / "data" / "scores.csv"
    log_path.parent.mkdir()
    port = _free_port()
    env = {**os.environ, "TRACKER_LOG": str(log_path)}
    # No --server.address: the project's .streamlit/config.toml must keep it on loopback.
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.port",
        str(port),
    ]
    output = (tmp_path / "streamlit.log").open("wb")
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    "the dashboard did not start:\n"
                    + (tmp_path / "streamlit.log").read_text()
                )
            time.sleep(0.2)
        yield url, port, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()


def test_server_listens_on_loopback_only(server):
    _, port, _ = server
    assert _listening_addresses(port) == {"127.0.0.1"}


def test_log_a_result_in_the_browser(server, tmp_path):
    _require_chromium()
    from playwright.sync_api import expect, sync_playwright

    url, _, log_path = server
    today = dt.date.today()
    exam_day = today + dt.timedelta(days=60)
    earlier = [(today - dt.timedelta(days=d)).isoformat() for d in (21, 11)]
    log_path.write_text(HEADER + f"{earlier[0]},NBME 12,241,\n{earlier[1]},NBME 13,243,\n")

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1300, "height": 2200},
        )
        try:
            page = context.new_page()
            page.goto(url)
            banner = page.locator(".st-key-verdict_banner")
            expect(banner).to_contain_text("NOT ENOUGH DATA", timeout=30_000)

            page.locator(".st-key-log_score input").fill("246")
            page.locator(".st-key-log_notes input").fill("felt ready")
            page.locator(".st-key-log_submit button").click()

            # The exam and its date sit on the main page, right under the banner.
            exam, exam_date = (
                page.locator(".st-key-exam"),
                page.locator(".st-key-exam_date"),
            )
            expect(exam).to_be_visible()
            expect(exam_date).to_be_visible()
            assert banner.bounding_box()["y"] < exam.bounding_box()["y"]
            assert page.locator("[data-testid=stSidebar] .st-key-exam").count() == 0

            expect(banner).not_to_contain_text("NOT ENOUGH DATA", timeout=30_000)
            # 241, 243, 246 (NBME forms, no offsets) all reach 240 and rise: sit on the
            # date the dashboard offers when none is saved, 60 days ahead.
            expect(banner).to_contain_text("TAKE NOW")
            expect(banner).to_contain_text(f"Sit as planned on {exam_day} (in 60 days).")
            expect(page.get_by_text(f"Logged {today} NBME 9: 246")).to_be_visible()
            # The interactive chart (Vega-Lite draws on a canvas) is on the page.
            chart = page.locator(".st-key-chart canvas, .st-key-chart svg").first
            expect(chart).to_be_visible(timeout=30_000)
            page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
        finally:
            context.close()

    assert log_path.read_text().splitlines()[1:] == [
        f"{earlier[0]},NBME 12,241,",
        f"{earlier[1]},NBME 13,243,",
        f"{today},NBME 9,246,felt ready",
    ]
    assert (tmp_path / "dashboard.png").stat().st_size > 20_000
