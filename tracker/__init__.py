"""Step Score Tracker: log practice scores, project the exam-day score, decide."""

__version__ = "0.1.0"
