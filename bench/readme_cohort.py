"""Write the simulated cohort the README's ``tracker calibrate`` transcript runs on.

``python bench/readme_cohort.py FOLDER`` writes 400 student logs (practice scores and
the real result, one student a file) from the *old forms under, UWSA 2 over* world of
``bench/cohorts.py``, so the transcript can be reproduced exactly.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.cohorts import WORLDS, result_entry, simulate_world  # noqa: E402
from bench.students import entries_of  # noqa: E402
from tracker.log import format_log  # noqa: E402

WORLD, SEED, STUDENTS = "old forms under, UWSA 2 over", 2026, 400


def main(folder: str) -> int:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for i, student in enumerate(simulate_world(SEED, STUDENTS, WORLDS[WORLD])):
        entries = [*entries_of(student), result_entry(student)]
        (out / f"student{i:03d}.csv").write_bytes(format_log(entries))
    print(f"Wrote {STUDENTS} logs to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "students"))
