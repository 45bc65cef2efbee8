"""The applicant profile in the dashboard: sidebar widgets, the target that follows the
profile, the profile section, the next step after the result, bad values."""

from __future__ import annotations

import json

from test_dashboard import (
    day,
    log_path,  # noqa: F401 (a fixture)
    metrics,
    save_settings,
    shifted_example,
    start,
    unescaped,
)


def profile_texts(app) -> list[str]:
    return [unescaped(m.value) for m in app.get_by_key("profile").markdown]


def test_choosing_a_profile_moves_the_target_and_is_remembered(log_path):  # noqa: F811
    log_path.write_text(shifted_example())
    app = start()
    assert app.number_input(key="target_step2-ck").value == 245  # no profile: the exam's
    app.selectbox(key="profile_specialty").set_value("ir").run()
    app.selectbox(key="profile_applicant").set_value("non-us-img").run()
    app.checkbox(key="profile_visa").check().run()
    app.selectbox(key="profile_step1").set_value("pass").run()
    assert not app.exception
    # The seed's rung for an IMG in IR who needs a visa: 250, in a fresh widget.
    assert app.number_input(key="target_step2-ck_250").value == 250
    saved = json.loads(log_path.with_name("settings.json").read_text())
    assert {k: saved[k] for k in ("specialty", "applicant", "visa", "step1")} == {
        "specialty": "ir", "applicant": "non-us-img", "visa": True, "step1": "pass",
    }  # fmt: skip
    # No target was chosen: none is written, and the profile's follows the profile.
    assert "target" not in saved.get("exams", {}).get("step2-ck", {})
    assert metrics(app)["Target"] == "250"
    texts = profile_texts(app)
    assert texts[0].startswith("Target 250: for an IMG in interventional radiology")
    assert "Residency Advisor" in texts[0]
    again = start()  # a fresh session reads the file back
    assert again.selectbox(key="profile_applicant").value == "non-us-img"
    assert again.number_input(key="target_step2-ck_250").value == 250


def test_a_step1_score_and_another_specialty_by_name(log_path):  # noqa: F811
    log_path.write_text(shifted_example())
    app = start()
    app.selectbox(key="profile_specialty").set_value("other").run()
    app.text_input(key="profile_specialty_name").input("Internal medicine").run()
    app.selectbox(key="profile_step1").set_value("score").run()
    app.number_input(key="profile_step1_score").set_value(221).run()
    assert not app.exception
    saved = json.loads(log_path.with_name("settings.json").read_text())
    assert (saved["specialty_name"], saved["step1"]) == ("Internal medicine", 221)
    assert profile_texts(app)[0].startswith(
        "Target 245: the tracker holds no sourced figure for Internal medicine"
    )


def test_a_bad_specialty_name_is_refused_and_nothing_is_written(log_path):  # noqa: F811
    log_path.write_text(shifted_example())
    settings_file = save_settings(log_path, exam_date=day(50), specialty="other")
    before = settings_file.read_bytes()
    app = start()
    app.text_input(key="profile_specialty_name").input("Onco\u202elogy").run()
    # The right-to-left override is shown as an escape, never applied to the page.
    assert [unescaped(e.value) for e in app.sidebar.error] == [
        "specialty_name 'Onco\\u202elogy' holds a control character"
    ]
    assert settings_file.read_bytes() == before


def test_a_bad_profile_value_in_the_file_is_shown_and_the_file_kept(log_path):  # noqa: F811
    log_path.write_text(shifted_example())
    settings_file = log_path.with_name("settings.json")
    settings_file.write_text('{"applicant": "martian"}')
    app = start()
    assert not app.exception
    warnings = [unescaped(e.value) for e in app.warning]
    assert any("applicant 'martian' is not one of" in text for text in warnings)
    assert settings_file.read_text() == '{"applicant": "martian"}'


def test_after_the_result_the_next_step_is_shown(log_path):  # noqa: F811
    log_path.write_text(shifted_example(f"{day(-2)},Step 2 CK,241,\n"))
    save_settings(log_path, specialty="ir", applicant="non-us-img", visa=True, step1="pass")
    app = start()
    block = app.get_by_key("next_step")
    texts = [unescaped(m.value) for m in block.markdown]
    assert texts[0].endswith("**Next step: apply this cycle with a broader list**")
    assert texts[1].startswith(
        "Next step: apply this cycle with a broader list. 241 is under your target of "
        "250 but not low (at least 235)."
    )
    assert metrics(app)["Your result: standing"] == "Borderline for IR"
