"""Alerts from the clock: once per key, on time, caught up, revised, delivered to real receivers."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from icalendar import Calendar

from tracker import services
from tracker.services.calendar import calendar_feed

from ..conftest import SEEDS, SYRIA, Cli, app_at
from ..receivers import http_receiver, smtp_server

SEED = SEEDS / f"{SYRIA}.yaml"
LOADED = "2016-09-10T12:00:00+03:00"


def kinds(app: services.App) -> list[tuple[str, str, str]]:
    return sorted((a.commitment, a.kind, a.rule) for a in services.list_alerts(app))


def test_reminders_and_overdue_fire_once_each_at_their_instants(migrated_url: str) -> None:
    services.load(app_at(migrated_url, LOADED), [SEED])
    # The calm holds (19 Sep 19:00): the Geneva centre starts, due 26 Sep 19:00 Damascus time.
    at_48h = app_at(migrated_url, "2016-09-24T19:00:00+03:00")
    report = services.tick(at_48h)
    centre = [a for a in services.list_alerts(at_48h)
              if a.commitment == "joint-implementation-center"]
    assert [(a.kind, a.rule) for a in centre if a.kind == "reminder"] == [("reminder", "PT48H")]
    assert centre[0].deadline == datetime.fromisoformat("2016-09-26T16:00:00+00:00")
    reminder = next(a for a in centre if a.kind == "reminder")
    assert "due in 2 days, at 2016-09-26 19:00 EEST (2016-09-26T16:00:00Z)" in reminder.message
    assert services.tick(at_48h).alerts == []  # the same instant again: nothing new
    assert report.alerts
    services.tick(app_at(migrated_url, "2016-09-25T19:00:00+03:00"))
    services.tick(app_at(migrated_url, "2016-09-26T19:00:00+03:00"))
    services.tick(app_at(migrated_url, "2016-09-26T19:00:01+03:00"))
    centre = [(a.kind, a.rule) for a in services.list_alerts(at_48h)
              if a.commitment == "joint-implementation-center"]
    assert sorted(centre) == [("overdue", "due"), ("reminder", "PT24H"), ("reminder", "PT48H"),
                              ("state-changed", "starts")]


def test_no_alert_for_history_before_the_agreement_was_loaded(migrated_url: str) -> None:
    app = app_at(migrated_url, "2016-11-01T00:00:00+00:00")
    services.load(app, [SEED, SEEDS / f"{SYRIA}.record.yaml"])
    services.tick(app)
    assert services.list_alerts(app) == []


def test_a_late_record_raises_revised_alerts_for_the_decisions_it_undid(migrated_url: str) -> None:
    services.load(app_at(migrated_url, LOADED), [SEED])
    services.tick(app_at(migrated_url, "2016-09-20T09:00:00+03:00"))
    late = app_at(migrated_url, "2016-09-21T11:00:00+03:00")
    services.record_transition(late, f"{SYRIA}/seven-day-calm", "breached",
                               occurred_at=datetime.fromisoformat("2016-09-18T12:00:00+03:00"),
                               by="mira")
    revised = {(a.commitment, a.rule) for a in services.list_alerts(late) if a.kind == "revised"}
    assert ("seven-day-calm", "hold_for") in revised
    assert ("joint-implementation-center", "starts") in revised
    calm = next(a for a in services.list_alerts(late)
                if a.kind == "revised" and a.commitment == "seven-day-calm")
    assert "the clock's decision 'fulfilled' at 2016-09-19 19:00 EEST" in calm.message
    lapsed = [a for a in services.list_alerts(late)
              if a.kind == "state-changed" and a.commitment == "joint-targeting"]
    assert lapsed and "lapsed because joint-implementation-center was lapsed" in lapsed[0].message


def test_reminders_that_fell_due_long_ago_are_folded_into_one_catch_up(migrated_url: str) -> None:
    services.load(app_at(migrated_url, LOADED), [SEED])
    # No scheduler ran from the 10th to the 30th: everything is caught up in one tick.
    late = app_at(migrated_url, "2016-09-30T12:00:00+03:00")
    services.tick(late)
    unacked = services.list_alerts(late, acked=False)
    catch_up = [a for a in unacked if a.kind == "catch-up"]
    assert len(catch_up) == 1
    assert "reminder(s) fell due while no scheduler ran" in catch_up[0].message
    assert not [a for a in unacked if a.kind == "reminder"]
    folded = [a for a in services.list_alerts(late, acked=True) if a.kind == "reminder"]
    assert {a.rule for a in folded} >= {"PT48H", "PT24H"}
    assert ("joint-implementation-center", "overdue", "due") in kinds(late)
    services.tick(app_at(migrated_url, "2016-09-30T12:05:00+03:00"))
    assert len([a for a in services.list_alerts(late) if a.kind == "catch-up"]) == 1


def test_each_alert_reaches_mail_and_webhook_exactly_once(migrated_url: str) -> None:
    with smtp_server() as (mail_url, mail), http_receiver() as (hook_url, hook):
        base = replace(app_at(migrated_url, LOADED), alert_urls=f"{mail_url},{hook_url}")
        services.load(base, [SEED])
        for now in ("2016-09-24T19:00:00+03:00", "2016-09-24T19:00:00+03:00",
                    "2016-09-25T19:00:00+03:00", "2016-09-26T19:00:00+03:00"):
            services.tick(replace(base, clock=app_at(migrated_url, now).clock))
        stored = [a.id for a in services.list_alerts(base) if a.deliveries]
        assert stored and sorted(mail.alert_ids()) == sorted(stored)
        assert sorted(hook.alert_ids()) == sorted(stored)
        views = services.list_alerts(base)
        assert all(d.status == "sent" and d.attempts == 1 for v in views for d in v.deliveries)


def test_a_failing_receiver_is_retried_with_backoff_and_the_inbox_shows_it(
        migrated_url: str) -> None:
    with http_receiver(fail=True) as (hook_url, _):
        base = replace(app_at(migrated_url, LOADED), alert_urls=hook_url)
        services.load(base, [SEED])
        first = replace(base, clock=app_at(migrated_url, "2016-09-24T19:00:00+03:00").clock)
        report = services.tick(first)
        assert report.sent and all(s.error for s in report.sent)
        assert services.tick(first).sent == []  # not again before the backoff is over
        later = replace(base, clock=app_at(migrated_url, "2016-09-24T19:00:10+03:00").clock)
        assert services.tick(later).sent  # retried after 10 s
        view = next(v for v in services.list_alerts(base) if v.deliveries)
        assert view.deliveries[0].status == "pending" and view.deliveries[0].attempts == 2
        assert view.deliveries[0].last_error


def test_alerts_cli_lists_json_acknowledges_and_writes_a_calendar(cli: Cli) -> None:
    cli.ok("load", str(SEED), now=LOADED)
    cli.ok("tick", now="2016-09-24T19:00:00+03:00")
    alerts = json.loads(cli.ok("alerts", "--json"))
    assert alerts and set(alerts[0]) == {"id", "agreement", "commitment", "kind", "deadline",
                                         "fired_at", "message", "acked", "deliveries"}
    assert alerts[0]["deadline"].endswith("Z")
    cli.ok("ack", str(alerts[0]["id"]), "--by", "mira")
    assert len(json.loads(cli.ok("alerts", "--json"))) == len(alerts) - 1
    everything = json.loads(cli.ok("alerts", "--json", "--all"))
    acked = {a["id"] for a in everything if a["acked"]}
    assert alerts[0]["id"] in acked and len(everything) == len(alerts) + len(acked) - 1
    assert "no alert #999" in cli.refused("ack", "999")
    assert "'nonsense' is not an alert kind" in cli.refused("alerts", "--kind", "nonsense")
    feed = Calendar.from_ical(calendar_feed(app_at(cli.url, "2016-09-24T19:00:00+03:00"), SYRIA))
    events = {str(e["summary"]): e for e in feed.walk("VEVENT")}
    centre = next(e for s, e in events.items() if s.startswith("Joint Implementation"))
    assert centre.decoded("dtstart") == datetime.fromisoformat("2016-09-26T16:00:00+00:00")


def test_alerts_test_reports_each_channel_and_hides_secrets(migrated_url: str) -> None:
    with http_receiver() as (good, inbox), http_receiver(fail=True) as (bad, _):
        app = replace(app_at(migrated_url, LOADED),
                      alert_urls=f"{good},{bad.replace('json://', 'json://user:s3cret@')}")
        results = services.test_channels(app)
        assert [error is None for _, error in results] == [True, False]
        assert all("s3cret" not in name + (error or "") for name, error in results)
        assert inbox.texts and "test notice" in inbox.texts[0]


def test_the_calendar_keeps_every_deadline_with_its_outcome(migrated_url: str) -> None:
    services.load(app_at(migrated_url, LOADED), [SEED])
    running = Calendar.from_ical(calendar_feed(app_at(migrated_url, "2016-09-15T12:00:00+03:00"),
                                               SYRIA))
    held = Calendar.from_ical(calendar_feed(app_at(migrated_url, "2016-09-24T19:00:00+03:00"),
                                            SYRIA))

    def hold_ends(feed: Calendar) -> list[Any]:
        return [e for e in feed.walk("VEVENT") if str(e["summary"]).endswith("end of hold")]

    [before] = hold_ends(running)
    assert "Outcome: running" in str(before["description"])
    [after] = hold_ends(held)  # the calm held on the 19th: its end stays in the feed
    assert after.decoded("dtstart") == before.decoded("dtstart")
    assert after["uid"] == before["uid"]
    assert "Outcome: held unbroken: became fulfilled on 2016-09-19 19:00 EEST" in str(
        after["description"])
    dues = [str(e["description"]) for e in held.walk("VEVENT")
            if str(e["summary"]).endswith(": due")]
    assert dues and all("Outcome: " in d for d in dues)
