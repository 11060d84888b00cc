"""Send pending deliveries: claim one, send it outside any transaction, record the result.

Retries back off exponentially; after MAX_ATTEMPTS the delivery is marked failed and the
inbox shows the error. A message carries its alert id, so a receiver can drop the one repeat a
crash between sending and recording can cause."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..alerts.channels import Channel, parse_channels, send
from ..store import alerts as store
from ..store.db import unit_of_work
from .app import App

MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Sent:
    alert_id: int
    channel: str
    error: str | None


def backoff(attempts: int) -> timedelta:
    """Return the wait before attempt `attempts + 1`: 10 s, 20 s, 40 s ... at most an hour.

    >>> [int(backoff(n).total_seconds()) for n in (1, 2, 3, 10)]
    [10, 20, 40, 3600]
    """
    return min(timedelta(seconds=10 * 2 ** (attempts - 1)), timedelta(hours=1))


def deliver_due(app: App) -> list[Sent]:
    """Return what this call sent (or failed to send) of the deliveries due now."""
    now = app.clock()
    channels = {name: c for c in parse_channels(app.alert_urls) for name in (c.name, *c.aliases)}
    with unit_of_work(app.database_url, read_only=True) as session:
        due = [(d.id or 0, d.alert_id, d.channel) for d in store.deliveries_due(session, now)]
    return [sent for d in due if (sent := _deliver_one(app, *d, channels, now)) is not None]


def _deliver_one(app: App, delivery_id: int, alert_id: int, channel_name: str,
                 channels: dict[str, Channel], now: datetime) -> Sent | None:
    with unit_of_work(app.database_url) as session:
        if not store.claim_delivery(session, delivery_id, now=now, lease_until=now + LEASE):
            return None  # another sender has it
        alert = store.alert_by_id(session, alert_id)
        delivery = store.delivery_by_id(session, delivery_id)
    assert alert is not None and delivery is not None
    attempts = delivery.attempts
    channel = channels.get(channel_name)
    title = f"[tracker alert #{alert_id}] {alert.kind}"
    body = f"{alert.message}\n\nalert #{alert_id} · {alert.kind} · rule {alert.rule}"
    error = ("the channel is no longer in TRACKER_ALERT_URLS" if channel is None
             else send(channel, title=title, body=body))
    with unit_of_work(app.database_url) as session:
        if error is None:
            store.finish_delivery(session, delivery_id, status=store.SENT, error="",
                                  next_attempt_at=now, sent_at=app.clock())
        else:
            give_up = attempts >= MAX_ATTEMPTS or channel is None
            store.finish_delivery(session, delivery_id,
                                  status=store.FAILED if give_up else store.PENDING,
                                  error=error, next_attempt_at=now + backoff(attempts),
                                  sent_at=None)
    return Sent(alert_id, channel_name, error)

