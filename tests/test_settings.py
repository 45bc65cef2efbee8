"""The dashboard's remembered settings, read and written by the core."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tracker.errors import SettingsError
from tracker.settings import Settings, load_settings, save_settings, settings_path_for

TODAY = dt.date(2026, 11, 26)


def test_missing_file_gives_the_defaults(tmp_path):
    assert load_settings(tmp_path / "settings.json") == Settings()


def test_round_trip(tmp_path):
    path = tmp_path / "deep" / "settings.json"
    chosen = Settings(
        exam_date=dt.date(2027, 3, 15),
        threshold=250,
        window=4,
        target=255,
        level=0.9,
        eras_date=dt.date(2027, 6, 1),
        model="ols",
        prior_weight=0.5,
        recency_half_life_days=21.0,
        calibrate=False,
        calibrate_rule=True,
    )
    save_settings(path, chosen)
    assert load_settings(path) == chosen
    assert json.loads(path.read_text())["exam_date"] == "2027-03-15"


def test_unknown_keys_are_ignored_for_newer_files(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"threshold": 245, "theme": "dark"}')
    assert load_settings(path) == Settings(threshold=245)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"model": "spline"}', "model 'spline' is not one of bayes, ols"),
        ('{"calibrate": "yes"}', "calibrate 'yes' is not true or false"),
        ('{"prior_weight": "heavy"}', "prior_weight 'heavy' is not a number"),
        ('{"window": 0}', "window 0 must be at least 1"),
        ('{"eras_date": 20270601}', "eras_date 20270601 is not a date in YYYY-MM-DD form"),
    ],
)
def test_bad_values_name_the_file(tmp_path, content, message):
    path = tmp_path / "settings.json"
    path.write_text(content)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value) == f"{path}: {message}"


def test_an_exam_date_that_passed_is_replaced_by_one_ahead():
    assert Settings(exam_date=TODAY - dt.timedelta(days=3)).exam_date_or_default(TODAY) == (
        TODAY + dt.timedelta(days=60)
    )
    assert Settings(exam_date=TODAY).exam_date_or_default(TODAY) == TODAY


def test_settings_live_beside_the_log(tmp_path):
    assert settings_path_for(tmp_path / "scores.csv") == tmp_path / "settings.json"
