"""Use case `tick`: apply the clock up to now, raise the alerts it calls for, deliver them.

Idempotent: a second tick at the same instant finds nothing due and stores nothing new."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..store import alerts as alert_store
from ..store import queries
from ..store.db import unit_of_work
from ..store.tables import AgreementRow
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


def tick(app: App) -> TickReport:
    """Return what the clock decided, which alerts were new, and what was delivered.

    1. in one transaction, advance every agreement with something due (an index range) and
       store the alerts that calls for;
    2. then send the deliveries that are due, each claimed by one sender.
    """
    now = app.clock()
    policy = AlertPolicy.of(app)
    report = TickReport()
    with unit_of_work(app.database_url) as session:
        for agreement_id in alert_store.due_agreement_ids(session, now):
            row = session.get(AgreementRow, agreement_id)
            assert row is not None
            row = queries.agreement_by_slug(session, row.slug, lock=True) or row
            change = advance(session, row, now=now)
            report.decisions += [Decision(row.slug, e.commitment, e.state.value,
                                          e.at.isoformat(), e.cause) for e in change.entries]
            report.alerts += raise_alerts(session, row, change, policy=policy, now=now)
    report.sent = deliver_due(app)
    return report


def next_due(app: App) -> datetime | None:
    """Return the earliest instant the clock or a retry has something to do (an index lookup)."""
    with unit_of_work(app.database_url, read_only=True) as session:
        return alert_store.next_instant(session)
