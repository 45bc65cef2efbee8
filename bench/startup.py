"""Start-up time of ``tracker verdict`` next to ``python -c "import numpy"``.

``tracker verdict`` is the command students run most, so its wall time matters; numpy's
bare import is the yardstick (the goal: at most five times that). Median of 15 runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = 15


def median_seconds(command: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    env = {**os.environ, "TRACKER_LOG": str(REPO / "data" / "example_scores.csv")}
    tracker = str(Path(sys.executable).parent / "tracker")
    # A fixed day: plans look at most three years ahead of "today".
    verdict = median_seconds(
        [tracker, "verdict", "--today", "2026-11-26", "--exam-date", "2027-01-20"], env
    )
    numpy = median_seconds([sys.executable, "-c", "import numpy"], env)
    print(f"Start-up (median of {RUNS} runs)")
    print(f"  tracker verdict (example data)  {verdict * 1000:6.0f} ms")
    print(f"  python -c 'import numpy'        {numpy * 1000:6.0f} ms")
    print(f"  ratio                           {verdict / numpy:6.1f}x  (goal: at most 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
