"""Alert and delivery queries. The unique key stores an alert once; conditional UPDATEs claim a
delivery for one sender at a time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from .tables import AgreementRow, AlertRow, CommitmentRow, DeliveryRow

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


def insert_alert(session: Session, values: dict[str, Any]) -> int | None:
    """Return the new alert's id, or None when its key is already stored (by anyone)."""
    table = AlertRow.__table__  # type: ignore[attr-defined]
    dialect = session.get_bind().dialect.name
    build = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = build(table).values(**values).on_conflict_do_nothing(
        index_elements=["commitment_id", "kind", "rule", "deadline"]
    ).returning(table.c.id)
    return session.execute(statement).scalar()


def insert_deliveries(session: Session, alert_id: int, channels: Sequence[str],
                      now: datetime) -> None:
    if channels:
        session.execute(insert(DeliveryRow), [
            {"alert_id": alert_id, "channel": c, "status": PENDING, "attempts": 0,
             "last_error": "", "next_attempt_at": now} for c in channels])


def due_agreement_ids(session: Session, now: datetime) -> list[int]:
    """Return the agreements where the clock has something to do by `now` (an index range)."""
    # No DISTINCT: SQLite would then walk the agreement index instead of this range.
    query = select(col(CommitmentRow.agreement_id)).where(col(CommitmentRow.next_clock_at) <= now)
    return sorted({int(i) for i in session.exec(query).all()})  # one lock order: no deadlock


def next_instant(session: Session) -> datetime | None:
    """Return the earliest instant anything is due: a clock event, a reminder or a retry."""
    clock = session.exec(select(func.min(CommitmentRow.next_clock_at))).one()
    retry = session.exec(select(func.min(DeliveryRow.next_attempt_at)).where(
        col(DeliveryRow.status).in_([PENDING, SENDING]))).one()
    known = [t for t in (clock, retry) if t is not None]
    return min(known) if known else None


def deliveries_due(session: Session, now: datetime, limit: int = 200) -> list[DeliveryRow]:
    query = select(DeliveryRow).where(col(DeliveryRow.status).in_([PENDING, SENDING]),
                                      col(DeliveryRow.next_attempt_at) <= now)
    return list(session.exec(query.order_by(col(DeliveryRow.next_attempt_at)).limit(limit)).all())


def claim_delivery(session: Session, delivery_id: int, *, now: datetime,
                   lease_until: datetime) -> bool:
    """Return True if this caller won the delivery (it is then 'sending' until `lease_until`).

    If the sender dies mid-send the lease runs out and another sender takes it over: a crash
    between sending and recording can repeat a message once, never lose it.
    """
    result = session.execute(
        update(DeliveryRow)
        .where(col(DeliveryRow.id) == delivery_id,
               col(DeliveryRow.status).in_([PENDING, SENDING]),
               col(DeliveryRow.next_attempt_at) <= now)
        .values(status=SENDING, attempts=DeliveryRow.attempts + 1, next_attempt_at=lease_until)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def finish_delivery(session: Session, delivery_id: int, *, status: str, error: str,
                    next_attempt_at: datetime, sent_at: datetime | None) -> None:
    session.execute(update(DeliveryRow).where(col(DeliveryRow.id) == delivery_id).values(
        status=status, last_error=error, next_attempt_at=next_attempt_at, sent_at=sent_at))


def delivery_by_id(session: Session, delivery_id: int) -> DeliveryRow | None:
    return session.get(DeliveryRow, delivery_id)


def alert_by_id(session: Session, alert_id: int) -> AlertRow | None:
    return session.get(AlertRow, alert_id)


def alerts(session: Session, *, agreement_id: int | None = None, kind: str | None = None,
           acked: bool | None = None, limit: int = 500) -> list[AlertRow]:
    query = select(AlertRow)
    if agreement_id is not None:
        query = query.where(AlertRow.agreement_id == agreement_id)
    if kind is not None:
        query = query.where(AlertRow.kind == kind)
    if acked is not None:
        query = query.where(col(AlertRow.acked_at).is_not(None) if acked
                            else col(AlertRow.acked_at).is_(None))
    query = query.order_by(col(AlertRow.fired_at).desc(), col(AlertRow.id).desc()).limit(limit)
    return list(session.exec(query).all())


def deliveries_of(session: Session, alert_ids: list[int]) -> dict[int, list[DeliveryRow]]:
    out: dict[int, list[DeliveryRow]] = {}
    if alert_ids:
        query = select(DeliveryRow).where(col(DeliveryRow.alert_id).in_(alert_ids))
        for row in session.exec(query.order_by(col(DeliveryRow.id))).all():
            out.setdefault(row.alert_id, []).append(row)
    return out


def acknowledge(session: Session, ids: list[int], *, by: str, now: datetime) -> int:
    result = session.execute(
        update(AlertRow).where(col(AlertRow.id).in_(ids), col(AlertRow.acked_at).is_(None))
        .values(acked_at=now, acked_by=by))
    return int(getattr(result, "rowcount", 0))


def names_of(session: Session, commitment_ids: set[int]) -> dict[int, tuple[str, str, str]]:
    """Return (agreement slug, commitment slug, agreement zone) for the given commitments."""
    out: dict[int, tuple[str, str, str]] = {}
    ids = sorted(commitment_ids)
    for start in range(0, len(ids), 500):
        query = (select(CommitmentRow.id, AgreementRow.slug, CommitmentRow.slug,
                        AgreementRow.timezone)
                 .join(AgreementRow, col(AgreementRow.id) == col(CommitmentRow.agreement_id))
                 .where(col(CommitmentRow.id).in_(ids[start:start + 500])))
        for cid, agreement, commitment, zone in session.exec(query).all():
            out[cid or 0] = (agreement, commitment, zone)
    return out
