"""The Commitment page's two forms write through the services, or refuse and change nothing."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from tracker import services

from ..conftest import SYRIA, signed_in, snapshot
from .helpers import DASHBOARD, PASSWORD, by_label, loaded, page, shown

CALM = f"{SYRIA}/seven-day-calm"


def analyst(app: services.App) -> services.UserView:
    return services.add_user(app, "mira.haddad", role="analyst", password=PASSWORD)


def fill_change(at: Any, state: str, occurred: str, reason: str = "") -> Any:
    by_label(at.selectbox, "New state").select(state)
    at.text_input(key="change-occurred").input(occurred)
    at.text_area(key="change-reason").input(reason)
    return at


def test_a_state_change_through_the_form_is_in_the_log_with_the_users_name(migrated_url: str) -> None:
    app = loaded(migrated_url)
    at = page(app, "views/commitment.py", user=analyst(app), commitment="seven-day-calm")
    fill_change(at, "breached", "2016-09-16T10:00:00+03:00", "air strikes on eastern Aleppo")
    at.text_input(key="change-url-0").input("https://example.org/report")
    at.text_input(key="change-rel-0").input("B")
    at.text_input(key="change-cred-0").input("2")
    by_label(at.button, "Record state change").click().run()

    assert not at.error, [e.value for e in at.error]
    assert "joint-implementation-center: pending → lapsed" in shown(at.success[0].value)
    reader = signed_in(app, "mira.haddad", PASSWORD)  # team mode: reads need a sign-in
    _, log = services.history(reader, CALM)
    record = [h for h in log if h.kind == "transition"][0]
    assert (record.by, record.state, record.reason) == ("mira.haddad", "breached",
                                                        "air strikes on eastern Aleppo")
    assert (record.sources[0].reliability, record.sources[0].credibility) == ("B", 2)
    states = {c.slug: c.state for c in services.status(reader, SYRIA).commitments}
    assert states["joint-implementation-center"] == "lapsed"  # the dependants re-evaluated
    assert by_label(at.metric, "State").value == "breached"


def test_an_impossible_change_is_not_offered(migrated_url: str) -> None:
    app = loaded(migrated_url)
    at = page(app, "views/commitment.py", commitment="joint-implementation-center")
    assert by_label(at.selectbox, "New state").options == ["active", "withdrawn"]
    at = page(app, "views/commitment.py", commitment="seven-day-calm")
    assert by_label(at.selectbox, "New state").options == ["fulfilled", "breached", "suspended",
                                                           "withdrawn"]


def test_a_final_commitment_offers_no_change(migrated_url: str) -> None:
    app = loaded(migrated_url)
    services.record_transition(app, CALM, "breached", occurred_at=app.clock(), by="tom")
    at = page(app, "views/commitment.py", commitment="seven-day-calm")
    assert "breached is final" in shown(at.info[-1].value)
    assert "Record state change" not in [b.label for b in at.button]


def test_a_stale_form_is_refused_and_changes_nothing(migrated_url: str) -> None:
    app = loaded(migrated_url)
    services.add_user(app, "tom.reilly", role="admin", password=PASSWORD)
    tom = signed_in(app, "tom.reilly", PASSWORD)  # another user, in another browser
    at = page(app, "views/commitment.py", user=analyst(tom), commitment="seven-day-calm")
    services.record_observation(tom, CALM, occurred_at=app.clock(), by="tom.reilly",
                                summary="shelling reported near Aleppo")
    before = snapshot(app.database_url)
    fill_change(at, "breached", "2016-09-16T10:00:00+03:00")
    by_label(at.button, "Record state change").click().run()

    assert "changed by tom.reilly at 2016-09-16 12:00 EEST" in shown(at.error[0].value)
    assert "reload" in shown(at.error[0].value)
    assert "--expect-version" not in shown(at.error[0].value)  # the form's words, not the CLI's
    assert shown(at.error[0].value).startswith("Not recorded: this form is out of date: ")
    assert snapshot(app.database_url) == before
    by_label(at.button, "Reload the latest version").click().run()
    fill_change(at, "breached", "2016-09-16T10:00:00+03:00")
    by_label(at.button, "Record state change").click().run()
    assert not at.error and snapshot(app.database_url) != before


def test_a_bad_timestamp_shows_an_error_and_changes_nothing(migrated_url: str) -> None:
    app = loaded(migrated_url)
    before = services.export_text(app)
    at = page(app, "views/commitment.py", commitment="seven-day-calm")
    fill_change(at, "breached", "2016-09-16 10:00")
    by_label(at.button, "Record state change").click().run()
    assert "has no time zone; add an offset or Z" in shown(at.error[0].value)
    assert services.export_text(app) == before


def test_a_grade_outside_the_scale_shows_an_error_and_changes_nothing(migrated_url: str) -> None:
    app = loaded(migrated_url)
    before = services.export_text(app)
    at = page(app, "views/commitment.py", commitment="seven-day-calm")
    at.text_area(key="outcome-summary").input("convoy stopped at Castello Road")
    at.text_input(key="outcome-url-0").input("https://example.org/convoy")
    at.text_input(key="outcome-rel-0").input("G")
    by_label(at.button, "Record outcome").click().run()
    assert "not on the Admiralty scale" in shown(at.error[0].value)
    at.text_input(key="outcome-rel-0").input("B")
    at.text_input(key="outcome-cred-0").input("7")
    by_label(at.button, "Record outcome").click().run()
    assert "7 is not on the Admiralty scale" in shown(at.error[0].value)
    assert services.export_text(app) == before


def test_an_outcome_is_recorded_with_graded_sources_and_confidence(migrated_url: str) -> None:
    app = loaded(migrated_url)
    at = page(app, "views/commitment.py", commitment="humanitarian-access")
    at.text_area(key="outcome-summary").input("<script>alert(1)</script> **convoy** stopped")
    at.text_input(key="outcome-occurred").input("2016-09-15T09:00:00Z")
    at.text_input(key="outcome-url-0").input("https://example.org/un")
    at.text_input(key="outcome-title-0").input("UN OCHA")
    at.text_input(key="outcome-rel-0").input("a")
    at.text_input(key="outcome-cred-0").input("3")
    at.text_input(key="outcome-url-1").input("https://example.org/sohr")
    at.text_input(key="outcome-rel-1").input("C")
    at.slider(key="outcome-confidence").set_value(0.6)
    by_label(at.button, "Record outcome").click().run()

    assert not at.error, [e.value for e in at.error]
    _, log = services.history(app, f"{SYRIA}/humanitarian-access")
    seen = [h for h in log if h.kind == "observation"][0]
    assert seen.by == "local-analyst" and seen.confidence == 0.6
    assert [(s.title, s.reliability, s.credibility) for s in seen.sources] == [
        ("UN OCHA", "A", 3), ("", "C", None)]
    # The page shows the text as typed, in a table cell: never rendered as HTML or Markdown.
    history = at.dataframe[-1].value
    assert history["reason / summary"][0] == "<script>alert(1)</script> **convoy** stopped"
    assert all("<script>" not in m.value for m in at.markdown)


def test_the_new_state_has_no_default_and_must_be_chosen(migrated_url: str) -> None:
    app = loaded(migrated_url)
    before = services.export_text(app)
    at = page(app, "views/commitment.py", commitment="seven-day-calm")
    assert by_label(at.selectbox, "New state").value is None
    at.text_input(key="change-occurred").input("2016-09-16T10:00:00+03:00")
    by_label(at.button, "Record state change").click().run()
    assert "New state: choose the state" in shown(at.error[0].value)
    assert services.export_text(app) == before


def test_a_start_against_the_rules_is_refused_unless_forced(migrated_url: str) -> None:
    app = loaded(migrated_url)
    before = services.export_text(app)
    at = page(app, "views/commitment.py", commitment="joint-implementation-center")
    fill_change(at, "active", "2016-09-16T10:00:00+03:00", "opened in Geneva early")
    by_label(at.button, "Record state change").click().run()
    assert "starts: seven-day-calm has not become fulfilled" in shown(at.error[0].value)
    assert services.export_text(app) == before
    at.checkbox(key="change-force").check()
    by_label(at.button, "Record state change").click().run()
    assert not at.error, [e.value for e in at.error]
    _, log = services.history(app, f"{SYRIA}/joint-implementation-center")
    assert [(h.state, h.forced) for h in log if h.kind == "transition"] == [("active", True)]


def test_the_commitment_page_shows_the_commitments_notes(migrated_url: str) -> None:
    app = loaded(migrated_url)
    detail = services.commitment_detail(app, f"{SYRIA}/seven-day-calm")
    assert detail.notes
    at = page(app, "views/commitment.py", commitment="seven-day-calm")
    assert any(detail.notes.split()[0] in m.value for m in at.markdown)
    assert "**Notes**" in [m.value for m in at.markdown]


def test_recording_as_is_remembered_in_the_address_in_local_mode(migrated_url: str) -> None:
    app = loaded(migrated_url)
    at = page(app, "views/commitment.py", commitment="seven-day-calm")
    by_label(at.sidebar.text_input, "Recording as").input("ana.lopes").run()
    assert at.query_params["as"] in ("ana.lopes", ["ana.lopes"])
    again = AppTest.from_file(str(DASHBOARD), default_timeout=60)  # the next visit, same address
    again.session_state["tracker_app"] = app
    again.query_params["as"] = "ana.lopes"
    again.run()
    assert by_label(again.sidebar.text_input, "Recording as").value == "ana.lopes"
