"""Read-only queries for the dashboard's summaries: small slices of the timeline, never the log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from ..domain.conditions import Track
from .codec import track_from_json
from .tables import AgreementRow, CommitmentRow, TimelineEntryRow


def timeline_of(session: Session, agreement_id: int,
                commitment_ids: Sequence[int]) -> list[TimelineEntryRow]:
    """Return the stored timeline steps of a few commitments, in order."""
    out: list[TimelineEntryRow] = []
    for i in range(0, len(commitment_ids), 500):
        query = select(TimelineEntryRow).where(
            TimelineEntryRow.agreement_id == agreement_id,
            col(TimelineEntryRow.commitment_id).in_(commitment_ids[i:i + 500]))
        out += session.exec(query).all()
    return sorted(out, key=lambda e: e.seq)


def commitment_tracks(session: Session, agreement_id: int) -> list[tuple[int, str, str, int, Track]]:
    """Return (id, slug, title, version, stored track) of every commitment, in order, as plain
    columns: ten thousand of them load without the ORM's per-object cost."""
    c = CommitmentRow.__table__.c  # type: ignore[attr-defined]  # SQLModel hides the Table
    query = (sa_select(c.id, c.slug, c.title, c.version, c.track)
             .where(c.agreement_id == agreement_id).order_by(c.ordinal))
    return [(i, slug, title, version, track_from_json(slug, track))
            for i, slug, title, version, track in session.connection().execute(query).all()]


def earliest_clock(session: Session, agreement_id: int) -> datetime | None:
    """Return the first instant the clock has anything to decide in the agreement (None: never)."""
    query = select(func.min(CommitmentRow.next_clock_at)).where(
        CommitmentRow.agreement_id == agreement_id)
    return session.exec(query).one()


def commitment_ids(session: Session, agreement_id: int, slugs: Sequence[str]) -> dict[int, str]:
    """Return {id: slug} of the named commitments."""
    out: dict[int, str] = {}
    for i in range(0, len(slugs), 500):
        query = select(CommitmentRow.id, CommitmentRow.slug).where(
            CommitmentRow.agreement_id == agreement_id, col(CommitmentRow.slug).in_(slugs[i:i + 500]))
        out |= {cid or 0: slug for cid, slug in session.exec(query).all()}
    return out


Standing = tuple[str, str, int, str, datetime, str, datetime | None, str | None]


def agreement_heads(session: Session, slug: str | None = None) -> Sequence[AgreementRow]:
    """Return the agreements (or the one named), in slug order, without reading their definitions:
    a definition loads only if it is read (the parsed model is cached per definition hash)."""
    query = select(AgreementRow).options(
        defer(AgreementRow.definition))  # type: ignore[arg-type]  # an ORM attribute at run time
    if slug is not None:
        query = query.where(AgreementRow.slug == slug)
    return session.exec(query.order_by(col(AgreementRow.slug))).all()


def standings(session: Session, agreement_id: int) -> list[Standing]:
    """Return (slug, title, version, state, since, cause, due, hold_from) of every commitment, in
    order: the stored projection's own columns, with only `hold_from` read out of the stored track
    (in SQL), so no track is decoded."""
    c = CommitmentRow.__table__.c  # type: ignore[attr-defined]  # SQLModel hides the Table
    query = (sa_select(c.slug, c.title, c.version, c.state, c.since, c.cause, c.due,
                       c.track["hold_from"].as_string())
             .where(c.agreement_id == agreement_id).order_by(c.ordinal))
    return [tuple(r) for r in session.connection().execute(query).all()]
