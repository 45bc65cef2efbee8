"""The tracker's one exception family.

Shells (the command and the dashboard) catch :class:`TrackerError` alone, show its
message as one line and, for the command, exit with status 2. Anything else is a bug.
"""


class TrackerError(Exception):
    """Base class: a problem the user can fix, with a message that says how."""


class InvalidEntryError(TrackerError):
    """A value for one log entry is out of range or malformed (a score of 999, say)."""


class LogFormatError(TrackerError):
    """The log file cannot be read: it names the file, the line and the problem."""

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = f"{source} line {line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


class FileReadError(TrackerError):
    """A file cannot be read: not a regular file, too large, or unreadable."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class LogWriteError(TrackerError):
    """A write to the log or another file failed; the message says what is on disk now."""


class LogBusyError(LogWriteError):
    """Another process held the log's lock for too long."""


class PolicyError(TrackerError):
    """A policy setting (threshold, window, level, dates) is out of range."""


class SettingsError(TrackerError):
    """The dashboard's settings file cannot be read."""


class CatalogError(TrackerError):
    """The assessment catalog (per-form offsets) cannot be read."""


class CalibrationError(TrackerError):
    """A cohort cannot calibrate the catalog (no usable log, too few scores)."""


class FactsError(TrackerError):
    """A shipped facts file (data/facts/) cannot be read: names the file and line."""
