"""A real dashboard for the browser tests: Streamlit on loopback, Debian's Chromium.

Shared by test_browser.py and test_phone.py. The server reads the log named by
``TRACKER_LOG``; the project's ``.streamlit/config.toml`` keeps it on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling out, and a closed
# network refuses it, many times a second.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 60


def require_chromium() -> None:
    """Skip without Chromium, or fail when ``TRACKER_REQUIRE_BROWSER=1`` (as in CI)."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (Debian package: chromium)"
    if os.environ.get("TRACKER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"TRACKER_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def dashboard(log_path: Path, folder: Path) -> Iterator[tuple[str, int]]:
    """``streamlit run dashboard.py`` over ``log_path``: (its URL, its port), then
    stopped. Its output goes to ``folder/streamlit.log``."""
    port = free_port()
    env = {**os.environ, "TRACKER_LOG": str(log_path)}
    # No --server.address: the project's .streamlit/config.toml must keep it on loopback.
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py",
               "--server.port", str(port)]  # fmt: skip
    output = (folder / "streamlit.log").open("wb")
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, folder)
        yield url, port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()


def _wait_until_healthy(url: str, process: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(
                "the dashboard did not start:\n" + (folder / "streamlit.log").read_text()
            )
        time.sleep(0.2)
