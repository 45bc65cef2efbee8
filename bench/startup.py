"""Start-up cost of ``tracker verdict``, ``tracker log`` and ``tracker list``.

Run with ``make bench`` (or ``python bench/startup.py``); writes
``bench/results/startup.md``. The yardstick is ``python -c "import numpy"`` on the same
machine in the same run, so the ratios hold where absolute times do not. Each command
is timed by the CPU it uses (user + system, seconds of its own process), the median of
``RUNS`` runs taken in turns, so a busy neighbour slows every command alike. Goals:
``verdict`` at most 2.5 times numpy's import, ``log`` and ``list`` at most 1.5 times.

Where the time goes: one run of each command under ``python -X importtime`` names the
heavy packages it imported and the tracker modules' own cumulative import times.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.results_file import write_measured  # noqa: E402

RESULTS = REPO / "bench" / "results"
EXAMPLE_LOG = REPO / "data" / "example_scores.csv"
RUNS = 15
# The example log as of its own last days, with an exam a few weeks on: the command's
# usual work, on any day the benchmark is run.
TODAY, EXAM_DATE = "2026-11-26", "2027-01-15"
HEAVY_PACKAGES = ("numpy", "scipy", "pandas", "matplotlib", "altair", "filelock")


@dataclass(frozen=True)
class Command:
    """One timed command: its name, its arguments after ``tracker`` and its goal."""

    name: str
    args: tuple[str, ...]
    goal: float | None  # at most this many times numpy's import (None: the yardstick)


COMMANDS = (
    Command(
        "tracker verdict", ("verdict", "--today", TODAY, "--exam-date", EXAM_DATE), 2.5
    ),
    Command(
        "tracker log",
        ("log", "--today", TODAY, "--assessment", "NBME 16", "--score", "245"),
        1.5,
    ),
    Command("tracker list", ("list", "--today", TODAY), 1.5),
)
YARDSTICK = Command("python -c 'import numpy'", (), None)


def command_line(command: Command) -> list[str]:
    if command.goal is None:
        return [sys.executable, "-c", "import numpy"]
    return [sys.executable, str(Path(sys.executable).parent / "tracker"), *command.args]


def timed_run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``argv``; a fresh copy of the example
    log each time, so ``tracker log`` always appends to the same nine rows."""
    shutil.copyfile(EXAMPLE_LOG, env["TRACKER_LOG"])
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed with status {process.returncode}")
    return usage.ru_utime + usage.ru_stime, wall


def measure(env: dict[str, str]) -> dict[str, tuple[float, float]]:
    """Median (CPU, wall) seconds per command, the commands taken in turns."""
    everything = (YARDSTICK, *COMMANDS)
    samples: dict[str, list[tuple[float, float]]] = {c.name: [] for c in everything}
    for _ in range(RUNS):
        for command in everything:
            samples[command.name].append(timed_run(command_line(command), env))
    return {
        name: (
            statistics.median(cpu for cpu, _ in runs),
            statistics.median(wall for _, wall in runs),
        )
        for name, runs in samples.items()
    }


def import_profile(command: Command, env: dict[str, str]) -> tuple[list[str], list[str]]:
    """(heavy packages imported, the tracker modules' top-level cumulative import times
    in ms) for one run of ``command`` under ``-X importtime``."""
    shutil.copyfile(EXAMPLE_LOG, env["TRACKER_LOG"])
    argv = [sys.executable, "-X", "importtime", *command_line(command)[1:]]
    report = subprocess.run(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ).stderr
    imported, tracker_times = set(), []
    for line in report.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        module = name.strip()
        if module.split(".")[0] in HEAVY_PACKAGES:
            imported.add(module.split(".")[0])
        # Top-level (not nested) imports of the tracker's own modules.
        if name.startswith(" tracker") and cumulative.strip().isdigit():
            tracker_times.append(f"{module} {int(cumulative) / 1000:.0f}")
    heavy = [package for package in HEAVY_PACKAGES if package in imported]
    return heavy, tracker_times


def report(times: dict[str, tuple[float, float]], profiles: dict[str, tuple]) -> str:
    yardstick_cpu, yardstick_wall = times[YARDSTICK.name]
    lines = [
        f"`make bench` (`bench/startup.py`): median of {RUNS} runs each, in turns, on the "
        "example log. CPU is the process's user + system time; the ratio is to "
        "`python -c 'import numpy'` measured in the same run.",
        "",
        "| command | CPU ms | wall ms | CPU ratio | goal | heavy imports |",
        "|---|---|---|---|---|---|",
        f"| {YARDSTICK.name} | {yardstick_cpu * 1000:.0f} | {yardstick_wall * 1000:.0f}"
        " | 1.00 | — | numpy |",
    ]
    for command in COMMANDS:
        cpu, wall = times[command.name]
        ratio = cpu / yardstick_cpu
        met = "met" if ratio <= command.goal else "MISSED"
        heavy = ", ".join(profiles[command.name][0]) or "none"
        lines.append(
            f"| `{command.name}` | {cpu * 1000:.0f} | {wall * 1000:.0f} | {ratio:.2f}"
            f" | ≤ {command.goal} ({met}) | {heavy} |"
        )
    lines += ["", "Tracker modules each imports first (cumulative ms, -X importtime):", ""]
    lines += [f"- `{c.name}`: {', '.join(profiles[c.name][1])}" for c in COMMANDS]
    return "\n".join(lines) + "\n"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "TRACKER_LOG": str(Path(folder) / "scores.csv")}
        env.pop("PYTHONPROFILEIMPORTTIME", None)
        times = measure(env)
        profiles = {c.name: import_profile(c, env) for c in COMMANDS}
    text = report(times, profiles)
    write_measured(RESULTS / "startup.md", "Start-up of the commands", text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
