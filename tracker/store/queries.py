"""Queries the services need. They read and stage writes; the unit of work commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from ..domain.conditions import Track
from ..domain.records import Record, RecordKind, Source
from ..domain.states import State
from .codec import track_from_json
from .tables import (
    AgreementRow,
    CommitmentRow,
    OverrideRow,
    RecordRow,
    ScenarioRow,
    SourceRow,
    TimelineEntryRow,
    UndoneDecisionRow,
)


def agreement_by_slug(session: Session, slug: str, *, lock: bool = False) -> AgreementRow | None:
    """Return the agreement; with `lock`, hold its row so writers to it queue (PostgreSQL)."""
    query = select(AgreementRow).where(AgreementRow.slug == slug)
    if lock:
        # populate_existing: a row this session read before it waited for the lock must
        # show what the writer it waited for committed (its next_seq, its horizon).
        query = query.with_for_update().execution_options(populate_existing=True)
    return session.exec(query).first()


def agreement_id(session: Session, slug: str) -> int | None:
    """Return the agreement's id without reading its definition (which can be megabytes)."""
    return session.exec(select(AgreementRow.id).where(AgreementRow.slug == slug)).first()


def agreement_slugs(session: Session) -> list[str]:
    """Return every agreement's slug (without reading the definitions)."""
    return list(session.exec(select(AgreementRow.slug).order_by(col(AgreementRow.slug))).all())


def agreements(session: Session) -> Sequence[AgreementRow]:
    return session.exec(select(AgreementRow).order_by(col(AgreementRow.slug))).all()


def commitments(session: Session, agreement_id: int) -> Sequence[CommitmentRow]:
    query = select(CommitmentRow).where(CommitmentRow.agreement_id == agreement_id)
    return session.exec(query.order_by(col(CommitmentRow.ordinal))).all()


def scenarios(session: Session, agreement_id: int) -> Sequence[ScenarioRow]:
    query = select(ScenarioRow).where(ScenarioRow.agreement_id == agreement_id)
    return session.exec(query.order_by(col(ScenarioRow.id))).all()


def scenarios_added(session: Session, agreement_id: int) -> dict[str, datetime]:
    """Return when each scenario analysts added after loading was added (the seed's are not)."""
    query = select(ScenarioRow.slug, ScenarioRow.added_at).where(
        ScenarioRow.agreement_id == agreement_id, col(ScenarioRow.added_at).is_not(None))
    return {slug: at for slug, at in session.exec(query).all() if at is not None}


def latest_recorded_at(session: Session, agreement_id: int) -> datetime | None:
    query = select(func.max(RecordRow.recorded_at)).where(RecordRow.agreement_id == agreement_id)
    return session.exec(query).one()


def record_by_id(session: Session, record_id: int) -> RecordRow | None:
    return session.get(RecordRow, record_id)


def retraction_of(session: Session, record_id: int) -> RecordRow | None:
    return session.exec(select(RecordRow).where(RecordRow.retracts_id == record_id)).first()


def fingerprints(session: Session, agreement_id: int) -> set[str]:
    query = select(RecordRow.fingerprint).where(
        RecordRow.agreement_id == agreement_id, col(RecordRow.fingerprint).is_not(None)
    )
    return {f for f in session.exec(query).all() if f is not None}


def records_for_projection(
    session: Session, agreement_id: int, slugs: dict[int, str], *,
    occurred_from: datetime | None = None, recorded_until: datetime | None = None,
) -> list[Record]:
    """Return the log (with every retraction) for a projection from `occurred_from` on."""
    query = select(RecordRow).where(RecordRow.agreement_id == agreement_id)
    if recorded_until is not None:
        query = query.where(RecordRow.recorded_at <= recorded_until)
    if occurred_from is None:
        rows = list(session.exec(query).all())
    else:
        # Two index ranges: the records from the instant on, and every retraction (any of
        # them may undo one of those records). An OR would make SQLite scan the whole log.
        rows = list(session.exec(query.where(col(RecordRow.occurred_at) >= occurred_from)).all())
        seen = {r.id for r in rows}
        rows += [r for r in session.exec(query.where(
            col(RecordRow.kind) == RecordKind.RETRACTION.value)).all() if r.id not in seen]
    return [to_record(row, slugs, ()) for row in sorted(rows, key=lambda r: r.id or 0)]


def records_with_sources(
    session: Session, agreement_id: int, commitment_id: int | None = None
) -> list[tuple[RecordRow, list[SourceRow]]]:
    query = select(RecordRow).where(RecordRow.agreement_id == agreement_id)
    if commitment_id is not None:
        query = query.where(RecordRow.commitment_id == commitment_id)
    rows = session.exec(query.order_by(col(RecordRow.id))).all()
    sources = sources_for(session, [r.id for r in rows if r.id is not None])
    return [(row, sources.get(row.id or 0, [])) for row in rows]


def sources_for(session: Session, record_ids: list[int]) -> dict[int, list[SourceRow]]:
    out: dict[int, list[SourceRow]] = {}
    for chunk in _chunks(record_ids, 500):
        query = select(SourceRow).where(col(SourceRow.record_id).in_(chunk))
        for row in session.exec(query.order_by(col(SourceRow.position))).all():
            out.setdefault(row.record_id, []).append(row)
    return out


def to_record(row: RecordRow, slugs: dict[int, str], sources: Iterable[SourceRow]) -> Record:
    assert row.id is not None
    return Record(
        id=row.id,
        kind=RecordKind(row.kind),
        commitment=slugs.get(row.commitment_id) if row.commitment_id else None,
        occurred_at=row.occurred_at,
        recorded_at=row.recorded_at,
        by=row.by,
        state=State(row.state) if row.state else None,
        reason=row.reason,
        summary=row.summary,
        confidence=row.confidence,
        sources=tuple(Source(s.url, s.title, s.reliability, s.credibility) for s in sources),
        retracts=row.retracts_id,
        forced=row.forced,
    )


def tracks_before(
    session: Session, agreement_id: int, slugs: dict[int, str], instant: datetime, *,
    inclusive: bool = False,
) -> dict[str, Track]:
    """Return each commitment's track as its last timeline entry before `instant` left it."""
    entry = TimelineEntryRow
    bound = entry.at <= instant if inclusive else entry.at < instant
    latest = (
        select(entry.commitment_id, func.max(entry.seq).label("seq"))
        .where(entry.agreement_id == agreement_id, bound)
        .group_by(col(entry.commitment_id))
        .subquery()
    )
    query = select(entry).join(
        latest,
        (col(entry.commitment_id) == latest.c.commitment_id) & (col(entry.seq) == latest.c.seq),
    )
    rows = session.exec(query).all()
    return {slugs[r.commitment_id]: track_from_json(slugs[r.commitment_id], r.track) for r in rows}


def entries_from(session: Session, agreement_id: int, instant: datetime) -> list[TimelineEntryRow]:
    query = select(TimelineEntryRow).where(
        TimelineEntryRow.agreement_id == agreement_id, TimelineEntryRow.at >= instant
    )
    return list(session.exec(query.order_by(col(TimelineEntryRow.seq))).all())


def timeline(session: Session, agreement_id: int,
             commitment_id: int | None = None) -> list[TimelineEntryRow]:
    query = select(TimelineEntryRow).where(TimelineEntryRow.agreement_id == agreement_id)
    if commitment_id is not None:
        query = query.where(TimelineEntryRow.commitment_id == commitment_id)
    return list(session.exec(query.order_by(col(TimelineEntryRow.seq))).all())


def delete_derived_from(session: Session, agreement_id: int, instant: datetime) -> None:
    """Drop the timeline and overrides from `instant` on: a re-projection writes them anew."""
    session.exec(delete(TimelineEntryRow).where(
        col(TimelineEntryRow.agreement_id) == agreement_id, col(TimelineEntryRow.at) >= instant))
    session.exec(delete(OverrideRow).where(
        col(OverrideRow.agreement_id) == agreement_id, col(OverrideRow.occurred_at) >= instant))


def undone_decisions(session: Session, agreement_id: int, commitment_id: int | None = None,
                     ) -> list[UndoneDecisionRow]:
    """Return the clock decisions late records undid, in the order they were undone."""
    query = select(UndoneDecisionRow).where(UndoneDecisionRow.agreement_id == agreement_id)
    if commitment_id is not None:
        query = query.where(UndoneDecisionRow.commitment_id == commitment_id)
    return list(session.exec(query.order_by(col(UndoneDecisionRow.id))).all())


def overrides(session: Session, agreement_id: int) -> dict[int, OverrideRow]:
    query = select(OverrideRow).where(OverrideRow.agreement_id == agreement_id)
    return {row.record_id: row for row in session.exec(query).all()}


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
