"""Helper processes for the fault and file-safety tests: a second writer, a held lock.

Shared by test_faults.py and test_file_safety.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 60  # generous bound for helper processes on a loaded 2-core machine


def run_python(code: str, *args: str) -> subprocess.Popen:
    """A helper Python process running ``code`` with the project importable."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, process: subprocess.Popen | None = None) -> None:
    """Wait until ``path`` exists; fail early if ``process`` ends first."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not path.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"{path} never appeared")
        if process is not None and process.poll() is not None:
            pytest.fail(f"the helper ended before {path.name}: {process.stderr.read()}")
        time.sleep(0.005)
