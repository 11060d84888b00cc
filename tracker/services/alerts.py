"""Use cases for the inbox: list alerts, acknowledge them, test the channels."""

from __future__ import annotations

from pydantic import BaseModel

from ..alerts.channels import configured, send
from ..domain.errors import DomainError
from ..store import alerts as store
from ..store import queries
from ..store.db import unit_of_work
from .access import audit_now, guarded, readable, unaudited
from .app import App
from .recording import agreement_or_fail
from .validation import check_by
from .views import UTC


class DeliveryView(BaseModel):
    channel: str
    status: str
    attempts: int
    last_error: str = ""


class AlertView(BaseModel):
    id: int
    agreement: str
    commitment: str
    kind: str
    rule: str
    deadline: UTC
    fired_at: UTC
    message: str
    acked: bool
    deliveries: list[DeliveryView]
    timezone: str = ""


KINDS = ("reminder", "overdue", "state-changed", "revised", "catch-up")


@readable("alerts")
def list_alerts(app: App, *, agreement: str | None = None, kind: str | None = None,
                acked: bool | None = None, limit: int = 500) -> list[AlertView]:
    """Return alerts, newest first, with each channel's delivery status."""
    if kind is not None and kind not in KINDS:
        raise DomainError(f"kind: {kind!r} is not an alert kind; use one of {', '.join(KINDS)}")
    with unit_of_work(app.database_url, read_only=True) as session:
        agreement_id = None
        if agreement:
            agreement_id = (queries.agreement_id(session, agreement)
                            or agreement_or_fail(session, agreement).id)
        rows = store.alerts(session, agreement_id=agreement_id, kind=kind, acked=acked,
                            limit=limit)
        deliveries = store.deliveries_of(session, [r.id or 0 for r in rows])
        names = store.names_of(session, {r.commitment_id for r in rows})
    return [
        AlertView(
            id=r.id or 0, agreement=names[r.commitment_id][0],
            commitment=names[r.commitment_id][1], kind=r.kind, rule=r.rule,
            deadline=r.deadline, fired_at=r.fired_at, message=r.message,
            acked=r.acked_at is not None, timezone=names[r.commitment_id][2],
            deliveries=[DeliveryView(channel=d.channel, status=d.status, attempts=d.attempts,
                                     last_error=d.last_error)
                        for d in deliveries.get(r.id or 0, [])])
        for r in rows
    ]


@guarded("acknowledge alerts", role="analyst")
def acknowledge(app: App, ids: list[int], *, by: str) -> int:
    """Acknowledge alerts; return how many were newly acknowledged."""
    if not ids:
        raise DomainError("ID: give at least one alert id (see `tracker alerts`)")
    now = app.clock()
    with unit_of_work(app.database_url) as session:
        missing = [i for i in ids if store.alert_by_id(session, i) is None]
        if missing:
            raise DomainError(f"ID: no alert #{missing[0]}; see `tracker alerts --all`")
        return store.acknowledge(session, ids, by=check_by(by or "analyst"), now=now)


@guarded("test alert channels", role="admin")
def test_channels(app: App) -> list[tuple[str, str | None]]:
    """Send a test notice to each configured channel (admins: it reaches every channel);
    return (channel, error or None)."""
    unaudited()
    channels, refused = configured(app.alert_urls)
    if refused and not channels:
        raise DomainError("; ".join(str(r) for r in refused))
    if not channels:
        raise DomainError("TRACKER_ALERT_URLS is empty; set it to Apprise URLs, comma "
                          "separated, e.g. mailto://... or json://host/path")
    stamp = app.clock().isoformat()
    results = [(c.name, send(c, title="[tracker] test notice",
                             body=f"A test notice from the commitment tracker at {stamp}."))
               for c in channels] + [(f"entry {r.position} ({r.scheme})", str(r)) for r in refused]
    failed = sum(error is not None for _, error in results)
    audit_now(app, action="test alert channels", target=f"{len(results)} channels",
              detail=f"{len(results) - failed} reached, {failed} failed")
    return results

