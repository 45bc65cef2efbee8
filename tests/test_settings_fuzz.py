"""Random settings.json files through the real dashboard: never an exception inside the
app, and a file the app could not use is never rewritten."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from tracker.settings import SETTINGS

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "example_scores.csv"

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["2026-11-26", "9999-12-31", "2027-02-30", "bayes", "comlex-2ce"]),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
TODAY = dt.date.today()  # the dashboard uses the real date


def plausible(setting) -> st.SearchStrategy:
    """Values of the setting's own kind, inside and just outside its range."""
    if setting.kind is dt.date:
        return st.integers(-3000, 3000).map(
            lambda n: (TODAY + dt.timedelta(days=n)).isoformat()
        )
    if setting.kind is bool:
        return st.booleans()
    if setting.kind is str and not setting.choices:  # free text
        return st.text(max_size=70)
    if setting.choices and setting.low is not None:  # words or a score
        return st.one_of(st.sampled_from(setting.choices), st.integers(-5, 305))
    if setting.choices:
        return st.sampled_from(setting.choices)
    span = setting.high - setting.low
    inside = st.floats(setting.low, setting.high)
    around = st.floats(setting.low - span, setting.high + span)
    return st.one_of(inside, inside, inside, around).map(
        lambda x: round(x) if setting.kind is int else x
    )


SETTINGS_FILES = st.fixed_dictionaries(
    {},
    optional={s.name: st.one_of(plausible(s), plausible(s), JSON_VALUES) for s in SETTINGS}
    | {"theme": JSON_VALUES},
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=SETTINGS_FILES)
def test_any_settings_file_is_used_or_reported_never_raised(tmp_path, monkeypatch, content):
    log = tmp_path / "scores.csv"
    log.write_bytes(EXAMPLE.read_bytes())
    settings_file = tmp_path / "settings.json"
    text = json.dumps(content, allow_nan=True)
    settings_file.write_text(text)
    monkeypatch.setenv("TRACKER_LOG", str(log))
    app = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not app.exception, [e.value for e in app.exception]
    assert settings_file.read_text() == text  # opening the app never rewrites it
