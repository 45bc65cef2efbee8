"""Settings: one table drives the flags and settings.json; bad values name the file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.errors import SettingsError
from tracker.settings import (
    MODELS,
    SETTINGS,
    SETTINGS_BY_NAME,
    Settings,
    load_settings,
    read_saved,
    save_settings,
    settings_from_mapping,
    settings_path_for,
)

# --- the table ----------------------------------------------------------------------------


def test_the_settings_fields_are_the_table():
    assert [f.name for f in dataclasses.fields(Settings)] == [s.name for s in SETTINGS]
    assert list(SETTINGS_BY_NAME) == [s.name for s in SETTINGS]
    flags = [s.flag for s in SETTINGS if s.flag is not None]
    assert len(set(flags)) == len(flags) and all(f.startswith("--") for f in flags)


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_each_default_is_accepted_everywhere(setting):
    assert setting.check(setting.default) == setting.default
    assert getattr(Settings(), setting.name) == setting.default
    assert setting.from_json(setting.to_json(setting.default)) == setting.default
    if setting.kind in (int, float):
        assert setting.low < setting.high
        assert setting.default is None or setting.low <= setting.default <= setting.high
    if setting.optional:
        assert setting.none_means  # the help says what leaving it unset means
    if setting.kind is not bool and setting.flag is not None:
        typed = "none" if setting.default is None else str(setting.default)
        assert setting.parse_text(typed) == setting.default


def test_the_model_choices_are_the_models():
    assert SETTINGS_BY_NAME["model"].choices == tuple(MODELS) == ("bayes", "bend", "ols")


def test_settings_refuse_a_bad_value_when_built_in_code():
    with pytest.raises(SettingsError) as caught:
        Settings(window=True)
    assert str(caught.value) == "window True is not a number"


# --- settings.json ------------------------------------------------------------------------


def test_missing_file_gives_the_defaults(tmp_path):
    assert load_settings(tmp_path / "settings.json") == Settings()


def test_round_trip(tmp_path):
    path = tmp_path / "deep" / "settings.json"
    chosen = Settings(
        exam="comlex-2ce",
        exam_date=dt.date(2027, 3, 15),
        threshold=500,
        window=4,
        target=520,
        level=0.9,
        model="ols",
        prior_weight=0.5,
        recency_half_life_days=21.0,
        calibrate=False,
        calibrate_rule=True,
        eras_date=dt.date(2027, 6, 1),
        eligibility_end=dt.date(2027, 5, 31),
        longest_delay_days=365,
        pace_days=5,
        min_gap_days=2,
        specialty="other",
        specialty_name="Internal medicine",
        applicant="non-us-img",
        visa=True,
        step1=231,
    )
    # Every setting differs from its default, so none can be lost on the way.
    assert all(getattr(chosen, s.name) != s.default for s in SETTINGS)
    path.parent.mkdir()  # a missing folder is refused, not made (test_every_file.py)
    save_settings(path, chosen)
    assert load_settings(path) == chosen
    stored = json.loads(path.read_text())
    # The exam's own values sit under its key; the rest are the student's.
    own = stored["exams"]["comlex-2ce"]
    assert own == {
        "exam_date": "2027-03-15",
        "threshold": 500,
        "target": 520,
        "eligibility_end": "2027-05-31",
    }
    assert set(stored) == {s.name for s in SETTINGS if not s.per_exam} | {"exams"}


def test_unknown_keys_are_ignored_for_newer_files(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"threshold": 245, "theme": "dark", "colours": [1, {"a": null}]}')
    assert load_settings(path) == Settings(threshold=245)


# --- each exam keeps its own ---------------------------------------------------------


def test_a_step2_threshold_never_judges_comlex_scores(tmp_path):
    # A file as older versions wrote it: flat keys, saved while preparing Step 2 CK.
    path = tmp_path / "settings.json"
    path.write_text('{"exam": "step2-ck", "threshold": 245, "target": 250}')
    assert load_settings(path) == Settings(threshold=245, target=250)
    # The same file read for COMLEX: that exam's own defaults (None), not 245 and 250.
    assert load_settings(path, "comlex-2ce") == Settings(exam="comlex-2ce")


def test_saving_one_exam_keeps_the_others_own_values(tmp_path):
    path = tmp_path / "settings.json"
    step2 = Settings(exam_date=dt.date(2027, 1, 15), threshold=245, window=4)
    save_settings(path, step2)
    comlex = Settings(exam="comlex-2ce", exam_date=dt.date(2027, 3, 1), window=4)
    save_settings(path, comlex)
    assert load_settings(path) == comlex  # the file's exam is the last one chosen
    assert load_settings(path, "step2-ck") == step2
    stored = json.loads(path.read_text())
    assert stored == {
        "exam": "comlex-2ce",
        "window": 4,
        "exams": {
            "comlex-2ce": {"exam_date": "2027-03-01"},
            "step2-ck": {"exam_date": "2027-01-15", "threshold": 245},
        },
    }


def test_points_off_the_exams_scale_are_refused():
    with pytest.raises(SettingsError) as caught:
        Settings(threshold=480)  # a COMLEX-sized threshold for Step 2 CK (1–300)
    assert str(caught.value) == "threshold 480 is outside the Step 2 CK scale 1–300"
    assert Settings(exam="comlex-2ce", threshold=480).threshold == 480


def test_a_block_for_an_exam_is_checked_on_that_exams_scale(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"exams": {"step2-ck": {"target": 510}}}')
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value) == f"{path}: target 510 is outside the Step 2 CK scale 1–300"


def test_keys_of_a_newer_version_survive_a_save(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "dark", "exams": {"some-new-exam": {"x": 1}}}')
    save_settings(path, Settings(window=5))
    stored = json.loads(path.read_text())
    assert stored["theme"] == "dark" and stored["window"] == 5
    # An exam this version does not know is not read, but kept as it was.
    assert stored["exams"] == {"some-new-exam": {"x": 1}}


def test_sources_say_file_or_default(tmp_path):
    path = tmp_path / "settings.json"
    text = '{"window": 4, "exams": {"step2-ck": {"exam_date": "2027-01-15"}}}'
    path.write_text(text)
    sources = read_saved(path).sources()
    assert sources["window"] == sources["exam_date"] == "file"
    assert sources["level"] == sources["threshold"] == sources["exam"] == "default"
    assert read_saved(path).sources("comlex-2ce")["exam_date"] == "default"


def test_a_broken_file_is_not_replaced_unless_asked(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"window": "three"}')
    with pytest.raises(SettingsError):
        save_settings(path, Settings(window=4))
    assert path.read_text() == '{"window": "three"}'
    save_settings(path, Settings(window=4), replace=True)
    assert load_settings(path) == Settings(window=4)


def test_a_whole_number_written_as_a_float_is_read():
    assert settings_from_mapping(
        {"window": 4.0, "prior_weight": 2}, where="s.json"
    ) == Settings(window=4, prior_weight=2.0)


def _deep(depth: int) -> str:
    return '{"window": ' + "[" * depth + "]" * depth + "}"


# (case, the file's text, the message after "<path>: ")
BAD_FILES = [
    ("NaN", '{"level": NaN}', "not valid settings (NaN is not a number JSON allows)"),
    (
        "Infinity",
        '{"level": Infinity}',
        "not valid settings (Infinity is not a number JSON allows)",
    ),
    (
        "-Infinity",
        '{"prior_weight": -Infinity}',
        "not valid settings (-Infinity is not a number JSON allows)",
    ),
    # 100,000 brackets each way is 200,000 bytes: refused before it is parsed.
    (
        "100,000 deep",
        _deep(100_000),
        "is 200,012 bytes; a settings file may be at most 100,000 bytes",
    ),
    # 40,000 each way fits in the size limit (80,013 bytes): the parser's own depth
    # limit refuses it, and the error is still one line naming the file.
    (
        "40,000 deep",
        _deep(40_000),
        "not valid settings (maximum recursion depth exceeded while decoding a JSON "
        "array from a unicode string)",
    ),
    (
        "huge file",
        "{" + " " * 100_000 + "}",
        "is 100,002 bytes; a settings file may be at most 100,000 bytes",
    ),
    ("bool threshold", '{"threshold": true}', "threshold True is not a number"),
    ("bool level", '{"level": false}', "level False is not a number"),
    ("window 50", '{"window": 50}', "window 50 is outside 1 to 20"),
    ("window 0", '{"window": 0}', "window 0 is outside 1 to 20"),
    ("window 3.5", '{"window": 3.5}', "window 3.5 is not a whole number"),
    ("window null", '{"window": null}', "window must be set"),
    (
        "prior_weight 1e308",
        '{"prior_weight": 1e308}',
        "prior_weight 1e+308 is outside 0 to 10",
    ),
    (
        "prior_weight heavy",
        '{"prior_weight": "heavy"}',
        "prior_weight 'heavy' is not a number",
    ),
    (
        "half-life 0.5",
        '{"recency_half_life_days": 0.5}',
        "recency_half_life_days 0.5 is outside 1 to 3650",
    ),
    (
        "longest delay 5",
        '{"longest_delay_days": 5}',
        "longest_delay_days 5 is outside 7 to 730",
    ),
    (
        "date 9999-12-31",
        '{"exam_date": "9999-12-31"}',
        "exam_date 9999-12-31 is outside 1990–2199",
    ),
    (
        "date 1989",
        '{"eras_date": "1989-12-31"}',
        "eras_date 1989-12-31 is outside 1990–2199",
    ),
    (
        "not a date",
        '{"exam_date": "next week"}',
        "exam_date 'next week' is not a date in YYYY-MM-DD form (ASCII digits)",
    ),
    (
        "full-width date",
        '{"exam_date": "２０２７-03-15"}',
        "exam_date '２０２７-03-15' is not a date in YYYY-MM-DD form (ASCII digits)",
    ),
    (
        "30 February",
        '{"eligibility_end": "2027-02-30"}',
        "eligibility_end 2027-02-30 does not exist in the calendar",
    ),
    (
        "date as a number",
        '{"eras_date": 20270601}',
        "eras_date 20270601 is not a date in YYYY-MM-DD form",
    ),
    (
        "model spline",
        '{"model": "spline"}',
        "model 'spline' is not one of bayes, bend, ols",
    ),
    ("exam step1", '{"exam": "step1"}', "exam 'step1' is not one of step2-ck, comlex-2ce"),
    ("calibrate yes", '{"calibrate": "yes"}', "calibrate 'yes' is not true or false"),
    ("calibrate 1", '{"calibrate": 1}', "calibrate 1 is not true or false"),
    ("a list", "[1, 2]", "expected a JSON object of settings"),
]


@pytest.mark.parametrize(
    ("content", "message"), [pytest.param(*case[1:], id=case[0]) for case in BAD_FILES]
)
def test_bad_values_name_the_file(tmp_path, content, message):
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value) == f"{path}: {message}"


def test_broken_json_names_the_line(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{\n"window": 3,\n"level": .9}')
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value) == f"{path} line 3: not valid JSON (Expecting value)"


def test_a_file_that_is_not_text_or_not_a_file(tmp_path):
    path = tmp_path / "settings.json"
    path.write_bytes(b'{"window": "\xff"}')
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value) == f"{path}: not UTF-8 text"
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert str(caught.value) == f"{tmp_path}: is a directory, not a JSON file"


# A number past the float range. JSON allows it and Python reads it as an int.
HUGE = 10**400


@pytest.mark.parametrize("name", ["threshold", "window", "level", "prior_weight"])
def test_a_number_past_the_float_range_is_refused(tmp_path, name):
    path = tmp_path / "settings.json"
    path.write_text(f'{{"{name}": {HUGE}}}')
    setting = SETTINGS_BY_NAME[name]
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value) == (
        f"{path}: {name} 100000000000… is outside {setting.low:g} to {setting.high:g}"
    )


def test_settings_live_beside_the_log(tmp_path):
    assert settings_path_for(tmp_path / "scores.csv") == tmp_path / "settings.json"


# --- flags --------------------------------------------------------------------------------

# (setting, what was typed, the value read)
ACCEPTED = [
    ("threshold", "240", 240),
    ("threshold", " 245 ", 245),
    ("level", "0.9", 0.9),
    ("threshold", "none", None),
    ("threshold", "None", None),
    ("target", "off", None),
    ("recency_half_life_days", "none", None),
    ("recency_half_life_days", "21", 21.0),
    ("exam_date", "2027-03-15", dt.date(2027, 3, 15)),
    ("exam_date", "none", None),
    ("model", "ols", "ols"),
    ("exam", "comlex-2ce", "comlex-2ce"),
]


@pytest.mark.parametrize(("name", "text", "value"), ACCEPTED)
def test_parse_text_reads_what_a_flag_was_given(name, text, value):
    assert SETTINGS_BY_NAME[name].parse_text(text) == value


# (setting, what was typed, the message)
REFUSED = [
    ("threshold", "２４０", "threshold '２４０' is not a whole number in ASCII digits"),
    ("threshold", "٢٤٠", "threshold '٢٤٠' is not a whole number in ASCII digits"),
    ("window", "٣", "window '٣' is not a whole number in ASCII digits"),
    ("threshold", "240.0", "threshold '240.0' is not a whole number in ASCII digits"),
    ("threshold", "nan", "threshold 'nan' is not a whole number in ASCII digits"),
    ("threshold", "1e308", "threshold '1e308' is not a whole number in ASCII digits"),
    ("threshold", "1000", "threshold 1000 is outside 1 to 999"),
    ("level", "nan", "level 'nan' is not a number in ASCII digits"),
    ("level", "inf", "level 'inf' is not a number in ASCII digits"),
    ("level", "-inf", "level '-inf' is not a number in ASCII digits"),
    ("level", "0x1", "level '0x1' is not a number in ASCII digits"),
    # 1e308 is a finite float, far outside the range; 1e309 overflows to inf.
    ("prior_weight", "1e308", "prior_weight 1e+308 is outside 0 to 10"),
    ("prior_weight", "1e309", "prior_weight inf is not a finite number"),
    ("prior_weight", "", "prior_weight '' is not a number in ASCII digits"),
    ("window", "none", "window 'none' is not a whole number in ASCII digits"),
    ("exam_date", "9999-12-31", "exam_date 9999-12-31 is outside 1990–2199"),
    (
        "eras_date",
        "15/03/2027",
        "eras_date '15/03/2027' is not a date in YYYY-MM-DD form (ASCII digits)",
    ),
    ("model", "spline", "model 'spline' is not one of bayes, bend, ols"),
    ("exam", "none", "exam 'none' is not one of step2-ck, comlex-2ce"),
]


@pytest.mark.parametrize(("name", "text", "message"), REFUSED)
def test_parse_text_refuses_with_a_message(name, text, message):
    with pytest.raises(SettingsError) as caught:
        SETTINGS_BY_NAME[name].parse_text(text)
    assert str(caught.value) == message


def test_parse_text_refuses_digit_separators():
    with pytest.raises(SettingsError) as caught:
        SETTINGS_BY_NAME["threshold"].parse_text("2_40")
    assert str(caught.value) == "threshold '2_40' is not a whole number in ASCII digits"


def test_parse_text_refuses_a_number_past_the_float_range():
    with pytest.raises(SettingsError) as caught:
        SETTINGS_BY_NAME["window"].parse_text(str(HUGE))
    # 401 digits: too long to be worth reading back in full.
    assert str(caught.value) == "window '100000000000'… is far outside its range"


# --- properties ---------------------------------------------------------------------------

# Whole numbers stay inside the float range: past it is the known bug tested above.
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**300), max_value=10**300)
    | st.integers(min_value=-5, max_value=1000)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=0.0, max_value=20.0)
    | st.text(max_size=12)
    | st.dates().map(dt.date.isoformat)
    | st.sampled_from(["bayes", "ols", "step2-ck", "comlex-2ce", "none", ""])
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children)
    ),
    max_leaves=6,
)


def _plausible(setting) -> st.SearchStrategy:
    """Values a student might really leave in the file for ``setting``."""
    if setting.kind is bool:
        values = st.booleans()
    elif setting.kind is str and not setting.choices:  # free text: a specialty's name
        values = st.text(max_size=70)
    elif setting.kind is str and setting.low is not None:  # Step 1: words or a score
        values = st.sampled_from(setting.choices) | st.integers(-5, 305) | st.floats()
    elif setting.kind is str:
        values = st.sampled_from(setting.choices)
    elif setting.kind is dt.date:
        values = st.dates(dt.date(1985, 1, 1), dt.date(2205, 1, 1)).map(dt.date.isoformat)
    else:
        low, high = setting.low - 2, setting.high + 2
        values = st.integers(int(low), int(high)) | st.floats(low, high)
    return values | st.none() if setting.optional else values


settings_objects = st.fixed_dictionaries(
    {},
    # Mostly plausible values (three to one), so that whole files do load.
    optional={s.name: st.one_of(*[_plausible(s)] * 3, json_values) for s in SETTINGS}
    | {"theme": json_values, "": json_values},
)


def _assert_valid(loaded: Settings) -> None:
    assert isinstance(loaded, Settings)
    for setting in SETTINGS:
        value = getattr(loaded, setting.name)
        assert setting.check(value) == value
        if isinstance(value, float):
            assert math.isfinite(value)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(raw=settings_objects)
def test_any_json_settings_load_or_raise_a_settings_error(tmp_path, raw):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(raw, allow_nan=True), encoding="utf-8")
    try:
        loaded = load_settings(path)
    except SettingsError as error:
        assert str(error).startswith(str(path))
        return
    _assert_valid(loaded)
    # What loads can be saved and loaded back unchanged.
    save_settings(path, loaded)
    assert load_settings(path) == loaded


@settings(max_examples=300, deadline=None)
@given(raw=settings_objects)
def test_any_mapping_gives_settings_or_a_settings_error(raw):
    # NaN and infinities reach the table here (a JSON file refuses them earlier).
    try:
        loaded = settings_from_mapping(raw, where="s.json")
    except SettingsError as error:
        assert str(error).startswith("s.json: ")
    else:
        _assert_valid(loaded)
