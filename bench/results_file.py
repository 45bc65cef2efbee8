"""Results files of the benchmarks: measured numbers between two markers, notes around.

A benchmark rewrites only the text between the markers, so the written analysis around
it (what was found, what was changed and why) survives every ``make bench``.
"""

from __future__ import annotations

from pathlib import Path

BEGIN = "<!-- measured by make bench: begin -->"
END = "<!-- measured by make bench: end -->"


def write_measured(path: Path, title: str, measured: str) -> None:
    """Put ``measured`` between the markers in ``path``; a file without them (or none
    at all) gets ``title`` and the markers first."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN not in text or END not in text:
        text = f"# {title}\n\n{BEGIN}\n{END}\n" + (f"\n{text}" if text else "")
    before, rest = text.split(BEGIN, 1)
    _, after = rest.split(END, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{before}{BEGIN}\n{measured.strip()}\n{END}{after}", encoding="utf-8")
