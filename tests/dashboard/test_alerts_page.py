"""The Alerts page: the inbox filtered by kind and acknowledged; acknowledging one or many."""

from __future__ import annotations

from tracker import services

from ..conftest import app_at, signed_in
from .helpers import by_label, loaded, page

AFTER_REMINDERS = "2016-09-18T21:00:00+03:00"  # 24 h before the calm's hold and the aid's due


def test_alerts_are_listed_filtered_and_acknowledged(migrated_url: str) -> None:
    loaded(migrated_url)
    app = app_at(migrated_url, AFTER_REMINDERS)
    services.tick(app)
    fired = services.list_alerts(app, acked=False)
    acked_before = {a.id for a in services.list_alerts(app, acked=True)}
    assert fired, "the clock raised reminders"
    mira = services.add_user(app, "mira", role="analyst", password="a long password")
    at = page(app, "views/alerts.py", user=mira)
    assert len(at.dataframe[0].value) == len(fired)
    assert set(at.dataframe[0].value["kind"]) == {a.kind for a in fired}

    by_label(at.multiselect, "Alerts to acknowledge").select(fired[0].id).run()
    by_label(at.button, "Acknowledge selected").click().run()
    reader = signed_in(app, "mira", "a long password")  # team mode: reads need a sign-in
    assert {a.id for a in services.list_alerts(reader, acked=True)} == acked_before | {fired[0].id}
    assert len(at.dataframe[0].value) == len(fired) - 1

    absent = next(k for k in ("overdue", "revised", "reminder") if k not in {a.kind for a in fired})
    by_label(at.selectbox, "Kind").select(absent).run()
    assert "No alert matches" in at.info[0].value
    by_label(at.selectbox, "Kind").select("all").run()
    by_label(at.selectbox, "Acknowledged").select("Acknowledged").run()
    assert fired[0].id in list(at.dataframe[0].value["id"])


def test_a_viewer_cannot_acknowledge(migrated_url: str) -> None:
    loaded(migrated_url)
    app = app_at(migrated_url, AFTER_REMINDERS)
    services.tick(app)
    viewer = services.add_user(app, "vic", role="viewer", password="a long password")
    at = page(app, "views/alerts.py", user=viewer)
    assert "Acknowledge selected" not in [b.label for b in at.button]
