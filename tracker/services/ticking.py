"""Use case `tick`: apply the clock up to now, raise the alerts it calls for, deliver them.

Idempotent: a second tick at the same instant finds nothing due and stores nothing new."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..store import alerts as alert_store
from ..store import queries
from ..store.db import unit_of_work
from ..store.tables import AgreementRow
from .access import audit_here, guarded, unaudited
from .alerting import AlertPolicy, raise_alerts
from .app import App
from .delivering import Sent, deliver_due
from .projecting import advance


@dataclass(frozen=True)
class Decision:
    agreement: str
    commitment: str
    state: str
    at: str
    cause: str


@dataclass
class TickReport:
    decisions: list[Decision] = field(default_factory=list)
    alerts: list[int] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)


@guarded("tick", role="analyst")
def tick(app: App) -> TickReport:
    """Return what the clock decided, which alerts were new, and what was delivered.

    1. in one transaction, advance every agreement with something due (an index range) and
       store the alerts that calls for, with an audit event for each agreement it changed (an
       empty sweep leaves none);
    2. then send the deliveries that are due, each claimed by one sender.
    """
    unaudited()  # the events are per agreement, below
    now = app.clock()
    policy = AlertPolicy.of(app)
    report = TickReport()
    with unit_of_work(app.database_url) as session:
        for agreement_id in alert_store.due_agreement_ids(session, now):
            row = session.get(AgreementRow, agreement_id)
            assert row is not None
            row = queries.agreement_by_slug(session, row.slug, lock=True) or row
            change = advance(session, row, now=now)
            decided = [Decision(row.slug, e.commitment, e.state.value, e.at.isoformat(), e.cause)
                       for e in change.entries]
            raised = raise_alerts(session, row, change, policy=policy, now=now)
            if decided or raised:
                audit_here(session, action="tick", target=row.slug, chain=row.slug,
                           detail=f"{len(decided)} clock decisions, {len(raised)} new alerts")
            report.decisions += decided
            report.alerts += raised
    report.sent = deliver_due(app)
    return report


def next_due(app: App) -> datetime | None:
    """Return the earliest instant the clock or a retry has something to do (an index lookup)."""
    with unit_of_work(app.database_url, read_only=True) as session:
        return alert_store.next_instant(session)
