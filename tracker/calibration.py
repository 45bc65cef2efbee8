"""Per-form calibration: practice forms differ by a few points in how they predict.

A catalog (``data/assessments.csv``) gives each form an *offset* in points: the real
exam is expected at the practice score plus the offset. Older NBME forms run low
(offset ≥ 0), UWSA 1 runs high (offset < 0). Where reports disagree the catalog takes
the conservative end, the one that makes a student look less ready. The log always
keeps the raw score; calibration only changes what the trend is fitted to.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import CatalogError
from tracker.log import Entry, atomic_write

CATALOG_COLUMNS = ("name", "family", "scale", "offset", "uncertainty", "source")
CATALOG_FILE_NAME = "assessments.csv"
SHIPPED_CATALOG = Path(__file__).resolve().parent.parent / "data" / CATALOG_FILE_NAME
MAX_OFFSET = 30.0  # points; a larger correction is a typo, not a form's bias


@dataclass(frozen=True, slots=True)
class FormCalibration:
    """One practice form: the points to add to its score, and how sure that is."""

    name: str
    family: str
    scale: str
    offset: float  # points added to the practice score
    uncertainty: float  # points, roughly one standard deviation
    source: str


@dataclass(frozen=True, slots=True)
class Catalog:
    forms: tuple[FormCalibration, ...]

    def find(self, assessment: str) -> FormCalibration | None:
        """The form an assessment name means ("nbme13" and "NBME 13" alike), if known."""
        wanted = _normalise(assessment)
        for form in self.forms:
            if _normalise(form.name) == wanted:
                return form
        return None

    def calibrated_scores(self, entries: Iterable[Entry]) -> list[float]:
        """Each entry's score plus its form's offset (unknown forms unchanged), points."""
        scores = []
        for entry in entries:
            form = self.find(entry.assessment)
            scores.append(entry.score + (form.offset if form else 0.0))
        return scores


def _normalise(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).lower()


def catalog_path_for(log_path: str | os.PathLike[str]) -> Path | None:
    """The catalog beside a log when the user has one there, else the shipped one.

    None when neither exists (an installation without the data folder): scores are
    then used as they are.
    """
    beside = Path(log_path).with_name(CATALOG_FILE_NAME)
    if beside.exists():
        return beside
    return SHIPPED_CATALOG if SHIPPED_CATALOG.exists() else None


def load_catalog(path: str | os.PathLike[str]) -> Catalog:
    """Read and validate a catalog; problems name the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogError(f"{path}: no such catalog") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"{path}: cannot be read ({error})") from None
    return parse_catalog(text, source=str(path))


def parse_catalog(text: str, *, source: str) -> Catalog:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    except csv.Error as error:
        raise CatalogError(
            f"{source} line {reader.line_num}: malformed CSV: {error}"
        ) from None
    if not rows:
        return Catalog(forms=())
    header_line, header = rows[0]
    names = tuple(cell.strip().lower() for cell in header)
    if names != CATALOG_COLUMNS:
        raise CatalogError(
            f"{source} line {header_line}: the header must be {','.join(CATALOG_COLUMNS)}"
        )
    forms, seen = [], set()
    for line, row in rows[1:]:
        if len(row) != len(CATALOG_COLUMNS):
            expected = len(CATALOG_COLUMNS)
            raise CatalogError(
                f"{source} line {line}: expected {expected} fields, found {len(row)}"
            )
        name, family, scale, offset, uncertainty, note = (cell.strip() for cell in row)
        if not name:
            raise CatalogError(f"{source} line {line}: name is empty")
        if _normalise(name) in seen:
            raise CatalogError(f"{source} line {line}: {name!r} is listed twice")
        seen.add(_normalise(name))
        forms.append(
            FormCalibration(
                name=name,
                family=family,
                scale=scale,
                offset=_points(offset, "offset", source, line, MAX_OFFSET),
                uncertainty=_points(uncertainty, "uncertainty", source, line, MAX_OFFSET),
                source=note,
            )
        )
        if forms[-1].uncertainty < 0:
            raise CatalogError(f"{source} line {line}: uncertainty must not be negative")
    return Catalog(forms=tuple(forms))


def _points(text: str, what: str, source: str, line: int, limit: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CatalogError(
            f"{source} line {line}: {what} {text!r} is not a number"
        ) from None
    if not -limit <= value <= limit:
        raise CatalogError(
            f"{source} line {line}: {what} {value:g} is outside ±{limit:g} points"
        )
    return value


def format_catalog(forms: Sequence[FormCalibration]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CATALOG_COLUMNS)
    for form in forms:
        writer.writerow(
            (
                form.name,
                form.family,
                form.scale,
                f"{form.offset:g}",
                f"{form.uncertainty:g}",
                form.source,
            )
        )
    return buffer.getvalue().encode("utf-8")


def save_catalog(path: str | os.PathLike[str], catalog: Catalog) -> None:
    """Write the catalog atomically (validated by reading it back first)."""
    data = format_catalog(catalog.forms)
    parse_catalog(data.decode("utf-8"), source=str(path))
    atomic_write(Path(path), data)
