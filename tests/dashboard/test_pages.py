"""Every page renders from the services; the dashboard is gated by users once one exists."""

from __future__ import annotations

import pytest

from tracker import services

from ..conftest import SYRIA, app_at, signed_in
from .helpers import PASSWORD, by_label, loaded, page, texts

PAGES = ["views/overview.py", "views/agreement.py", "views/commitment.py", "views/alerts.py",
         "views/history.py", "views/scenarios.py", "views/users.py", "views/audit.py"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_local_mode(migrated_url: str, path: str) -> None:
    at = page(loaded(migrated_url), path)
    assert not at.error
    assert "Single-user local mode" in texts(at)


def test_overview_counts_states_and_lists_the_next_deadlines(migrated_url: str) -> None:
    at = page(loaded(migrated_url))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["total"] == "8" and metrics["active"] == "5" and metrics["pending"] == "3"
    deadlines = at.dataframe[0].value
    assert list(deadlines["commitment"]) == ["seven-day-calm", "humanitarian-access"]
    assert deadlines["deadline"][0] == "2016-09-19 19:00 EEST"  # Damascus time, not UTC


def test_overview_filters_by_state(migrated_url: str) -> None:
    at = page(loaded(migrated_url))
    by_label(at.multiselect, "States").select("pending").run()
    assert list(at.dataframe[-1].value["commitment"]) == [
        "joint-implementation-center", "joint-targeting", "target-list-sharing-only"]


def test_utc_toggle_adds_utc_beside_local_time(migrated_url: str) -> None:
    at = page(loaded(migrated_url))
    at.toggle(key="show_utc").set_value(True).run()
    assert at.dataframe[0].value["deadline"][0] == "2016-09-19 19:00 EEST (2016-09-19T16:00:00Z)"


def test_agreement_page_draws_graph_timeline_and_sources(migrated_url: str) -> None:
    at = page(loaded(migrated_url), "views/agreement.py")
    assert len(at.dataframe[0].value) == 8
    dot = at.get("graphviz_chart")[0].proto.spec
    assert '"seven-day-calm" -> "joint-implementation-center" [label="after fulfilled"]' in dot
    assert '"humanitarian-access" -> "joint-implementation-center" [label="requires active"]' in dot
    assert at.get("vega_lite_chart")
    assert "Reuters, 10 Sep 2016" in texts(at)


def test_commitment_page_states_its_rules_in_words(migrated_url: str) -> None:
    at = page(loaded(migrated_url), "views/commitment.py", commitment="joint-implementation-center")
    text = texts(at)
    assert "starts when seven-day-calm is fulfilled" in text
    assert "due 7 days after it starts" in text


def test_history_page_highlights_what_was_learned_late(migrated_url: str) -> None:
    app = loaded(migrated_url, records=True, now="2016-10-31T12:00:00+03:00")
    at = page(app, "views/history.py")
    by_label(at.text_input, "State as of").input("2016-09-20T09:00:00+03:00").run()
    by_label(at.text_input, "As known at").input("2016-09-20T09:00:00+03:00").run()
    table = at.dataframe[0].value.set_index("commitment")
    assert table.loc["seven-day-calm", "learned late"] == "yes"
    assert table.loc["seven-day-calm", "as known now"] == "breached"
    assert table.loc["joint-implementation-center", "learned late"] == "yes"
    assert table.loc["air-safety-mou", "learned late"] == ""
    assert 2 in at.dataframe[-1].value.index or len(at.dataframe[-1].value) >= 1


def test_history_page_refuses_a_naive_instant(migrated_url: str) -> None:
    at = page(loaded(migrated_url), "views/history.py")
    by_label(at.text_input, "State as of").input("2016-09-20 09:00").run()
    assert "has no time zone" in at.error[0].value


def test_login_is_required_once_a_user_exists(migrated_url: str) -> None:
    app = loaded(migrated_url)
    services.add_user(app, "mira", role="analyst", password="correct horse")
    at = page(app)
    assert [t.value for t in at.title] == ["Commitment tracker"] and not at.metric
    by_label(at.text_input, "Name").input("mira")
    by_label(at.text_input, "Password").input("wrong password")
    by_label(at.button, "Sign in").click().run()
    assert "do not match" in at.error[0].value
    by_label(at.text_input, "Password").input("correct horse")
    by_label(at.button, "Sign in").click().run()
    assert "Signed in as **mira** (analyst)" in texts(at)
    assert "Single-user local mode" not in texts(at)


def test_a_viewer_sees_no_form(migrated_url: str) -> None:
    app = loaded(migrated_url)
    viewer = services.add_user(app, "vic", role="viewer", password=PASSWORD)
    at = page(app, "views/commitment.py", user=viewer)
    assert not at.button or "Record state change" not in [b.label for b in at.button]
    assert "reading only" in texts(at)


def test_users_are_stored_with_a_salted_hash_and_refused_twice(migrated_url: str) -> None:
    app = loaded(migrated_url)
    services.add_user(app, "ana", role="admin", password="secret-one")
    app = signed_in(app, "ana", "secret-one")  # from now on, team mode: only admins add users
    assert "secret-one" not in services.export_text(app)
    with pytest.raises(services.DomainError, match="exists already"):
        services.add_user(app, "ana", role="viewer", password="secret-two")
    with pytest.raises(services.DomainError, match="not a role"):
        services.add_user(app, "bob", role="owner", password="secret-two")
    assert services.authenticate(app, "ana", "secret-one") == services.UserView(name="ana", role="admin")
    assert services.authenticate(app, "ana", "secret-two") is None


def test_an_admin_sees_a_viewers_refused_write_in_the_audit_log(migrated_url: str) -> None:
    app = loaded(migrated_url)
    admin = services.add_user(app, "ada", role="admin", password=PASSWORD)
    ada = signed_in(app, "ada", PASSWORD)
    services.add_user(ada, "vic", role="viewer", password=PASSWORD)
    with pytest.raises(services.AccessDenied):  # a request the page never offers a viewer
        services.record_transition(signed_in(app, "vic", PASSWORD), f"{SYRIA}/seven-day-calm",
                                   "breached", occurred_at=app.clock(), by="vic")
    at = page(app, "views/audit.py", user=admin)
    by_label(at.toggle, "Only refused").set_value(True).run()
    rows = at.dataframe[0].value
    assert list(rows["actor"]) == ["vic"] and list(rows["action"]) == ["record transition"]
    assert "needs analyst" in rows["detail"][0]


def test_an_expired_session_asks_to_sign_in_again(migrated_url: str) -> None:
    app = loaded(migrated_url)
    mira = services.add_user(app, "mira", role="analyst", password=PASSWORD)
    at = page(app, user=mira)
    assert "Signed in as **mira** (analyst)" in texts(at)
    at.session_state["tracker_app"] = app_at(app.database_url, "2016-09-17T01:00:00+03:00")
    at.run()
    assert "Your session has ended" in texts(at) and not at.metric


def test_an_admin_changes_a_role_on_the_users_page(migrated_url: str) -> None:
    app = loaded(migrated_url)
    admin = services.add_user(app, "ada", role="admin", password=PASSWORD)
    services.add_user(signed_in(app, "ada", PASSWORD), "vic", role="viewer", password=PASSWORD)
    at = page(app, "views/users.py", user=admin)
    by_label(at.selectbox, "User").select("vic")
    by_label(at.selectbox, "New role").select("analyst")
    by_label(at.button, "Change role").click().run()
    assert "vic is now analyst" in texts(at)
    reader = signed_in(app, "ada", PASSWORD)  # team mode: reads need a sign-in
    assert ("vic", "analyst") in [(u.name, u.role) for u in services.list_users(reader)]
    by_label(at.selectbox, "User").select("ada")
    by_label(at.selectbox, "New role").select("viewer")
    by_label(at.button, "Change role").click().run()
    assert "ada is the last admin" in at.error[0].value
