"""Read summaries for the dashboard: where commitments stand, what falls due, how they got there.

Each reads the stored projection (moved on by the clock to now), never the whole log.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, TypeAdapter
from sqlmodel import Session

from ..domain.conditions import Track
from ..domain.deadlines import due_at, hold_ends_at
from ..domain.projection import Entry, Projection, initial_tracks, resume
from ..domain.rules import Agreement
from ..domain.states import FINAL, State, allowed_next
from ..domain.wording import rule_words
from ..store import queries, summaries
from ..store.db import unit_of_work
from ..store.tables import AgreementRow
from .access import readable
from .app import App
from .describe import Edge, edges
from .projecting import agreement_model
from .recording import agreement_or_fail, commitment_or_fail, split_target

Stored = tuple[int, str, str, int, Track]  # id, slug, title, version, stored track
# The clock decides these; an analyst records the others.
CLOCK_ONLY = frozenset({State.OVERDUE, State.LAPSED})


class Item(BaseModel):
    """One commitment where it stands now, with its next deadline (due, or the end of a hold)."""

    slug: str
    title: str
    state: str
    since: datetime
    cause: str
    version: int
    owed_by: list[str]
    deadline: datetime | None
    deadline_kind: str | None


_ITEMS = TypeAdapter(list[Item])


class Summary(BaseModel):
    slug: str
    title: str
    timezone: str
    parties: list[str]
    as_of: datetime
    counts: dict[str, int]
    items: list[Item]


class Detail(Summary):
    announced_at: datetime
    sources: list[dict[str, Any]]
    notes: str
    edges: list[Edge]


class CommitmentDetail(BaseModel):
    agreement: str
    timezone: str
    item: Item
    owed_to: list[str]
    text: str
    provision: dict[str, Any] | None
    notes: str
    rules: list[str]
    allowed: list[str]


class Segment(BaseModel):
    """A commitment in one state from `start` to `end` (the asked instant for the last one)."""

    commitment: str
    state: str
    start: datetime
    end: datetime
    cause: str


@readable("overview")
def overview(app: App) -> list[Summary]:
    """Return every agreement's commitments now, with counts by state."""
    now = app.clock()
    with unit_of_work(app.database_url, read_only=True) as session:
        return [_summary(session, row, now) for row in summaries.agreement_heads(session)]


@readable("agreement")
def agreement_detail(app: App, slug: str) -> Detail:
    """Return one agreement now: its commitments, their dependencies, its sources."""
    now = app.clock()
    with unit_of_work(app.database_url, read_only=True) as session:
        row = _head(session, slug)
        shape = _shape(row)
        summary = _summary(session, row, now)
    # Built from checked parts (the stored projection, the parsed definition): no re-validation
    # of ten thousand items.
    return Detail.model_construct(**dict(summary), announced_at=row.announced_at,
                                  sources=list(shape.sources), notes=shape.notes,
                                  edges=list(shape.edges))


@readable("commitment")
def commitment_detail(app: App, target: str) -> CommitmentDetail:
    """Return one commitment now: rules in words, and the states an analyst may move it to."""
    slug, commitment_slug = split_target(target)
    now = app.clock()
    with unit_of_work(app.database_url, read_only=True) as session:
        row = agreement_or_fail(session, slug)
        commitment_or_fail(session, row, commitment_slug)
        commitments, tracks = _now(session, row, now)
    agreement = agreement_model(row)
    c = agreement.commitment(commitment_slug)
    crow = next(x for x in commitments if x[1] == commitment_slug)
    seed = next(d for d in row.definition["commitments"] if d["slug"] == commitment_slug)
    track = tracks[commitment_slug]
    return CommitmentDetail(
        agreement=row.slug, timezone=row.timezone, item=_item(agreement, crow, tracks),
        owed_to=list(c.owed_to), text=c.text, provision=seed.get("provision"),
        notes=seed.get("notes", ""), rules=rule_words(c, row.timezone),
        allowed=[s.value for s in allowed_next(track.state, started=track.started)
                 if s not in CLOCK_ONLY])


@readable("timeline")
def timeline(app: App, slug: str, commitments: list[str]) -> list[Segment]:
    """Return the state segments of `commitments` from the announcement to now."""
    now = app.clock()
    with unit_of_work(app.database_url, read_only=True) as session:
        row = _head(session, slug)
        agreement = agreement_model(row)
        earliest = summaries.earliest_clock(session, row.id or 0)
        moves = now > row.projected_until and earliest is not None and earliest <= now
        every = summaries.commitment_tracks(session, row.id or 0) if moves else []
        ids = summaries.commitment_ids(session, row.id or 0, commitments)
        stored = summaries.timeline_of(session, row.id or 0, list(ids))
    steps = [(ids[e.commitment_id], e.state, e.at, e.cause) for e in stored if e.at <= now]
    if moves:
        later: list[Entry] = _advanced(agreement, row, every, now).entries
        wanted = set(ids.values())
        steps += [(e.commitment, e.state.value, e.at, e.cause) for e in later if e.commitment in wanted]
    order = [c for c in commitments if c in set(ids.values())]
    return _segments(row, order, steps, now)


def _segments(row: AgreementRow, order: list[str], steps: list[tuple[str, str, datetime, str]],
              now: datetime) -> list[Segment]:
    out: list[Segment] = []
    for slug in order:
        mine = [("pending", row.announced_at, "announced")] + [
            (state, at, cause) for s, state, at, cause in steps if s == slug]
        for (state, start, cause), nxt in zip(mine, [*mine[1:], None], strict=True):
            end = nxt[1] if nxt else now
            if end > start or nxt is None:
                out.append(Segment(commitment=slug, state=state, start=start, end=end, cause=cause))
    return out


def _now(session: Session, row: AgreementRow, now: datetime) -> tuple[list[Stored], dict[str, Track]]:
    """Return the commitments and their tracks at `now`, the clock applied (nothing written)."""
    rows = summaries.commitment_tracks(session, row.id or 0)
    agreement = agreement_model(row)
    if now >= row.projected_until:
        earliest = summaries.earliest_clock(session, row.id or 0)
        if earliest is None or earliest > now:  # the clock has nothing to decide: stored = now
            return rows, {r[1]: r[4] for r in rows}
        return rows, _advanced(agreement, row, rows, now).tracks
    slugs = {r[0]: r[1] for r in rows}
    stored = queries.tracks_before(session, row.id or 0, slugs, now, inclusive=True)
    return rows, initial_tracks(agreement) | stored


def _advanced(agreement: Agreement, row: AgreementRow, rows: list[Stored], now: datetime) -> Projection:
    """Return the stored tracks moved on by the clock from the stored horizon to `now`."""
    tracks = {r[1]: r[4] for r in rows}
    if now <= row.projected_until:
        return Projection(until=row.projected_until, tracks=tracks)
    return resume(agreement, tracks, [], since=row.projected_until, until=now, first_seq=row.next_seq)


@dataclass(frozen=True)
class _Shape:
    """What the Agreement page draws from a definition, worked out once per definition hash."""

    sources: list[dict[str, Any]]
    notes: str
    edges: list[Edge]


_shapes: dict[str, _Shape] = {}


def _head(session: Session, slug: str) -> AgreementRow:
    """Return the agreement without reading its definition (raise NotFound if it is not loaded)."""
    rows = summaries.agreement_heads(session, slug)
    return rows[0] if rows else agreement_or_fail(session, slug)


def _shape(row: AgreementRow) -> _Shape:
    """Return the definition's sources, notes and edges (in the session: it may read the row)."""
    if row.definition_hash not in _shapes:
        head = row.definition["agreement"]
        _shapes[row.definition_hash] = _Shape(
            sources=list(head.get("sources", [])), notes=head.get("notes", ""),
            edges=edges(agreement_model(row).commitments, row.timezone))
    return _shapes[row.definition_hash]


def _summary(session: Session, row: AgreementRow, now: datetime) -> Summary:
    agreement = agreement_model(row)
    items = _items(session, row, agreement, now)
    return Summary.model_construct(slug=row.slug, title=row.title, timezone=row.timezone,
                                   parties=list(agreement.parties), as_of=now, items=items,
                                   counts=dict(Counter(i.state for i in items)))


def _items(session: Session, row: AgreementRow, agreement: Agreement, now: datetime) -> list[Item]:
    """Return every commitment now. When the clock has nothing to decide, the stored columns are
    the answer (no track is decoded); otherwise the stored tracks are moved on to `now`."""
    if now >= row.projected_until:
        earliest = summaries.earliest_clock(session, row.id or 0)
        if earliest is None or earliest > now:
            return _ITEMS.validate_python([_stored_item(agreement, s)
                                           for s in summaries.standings(session, row.id or 0)])
    commitments, tracks = _now(session, row, now)
    return [_item(agreement, c, tracks) for c in commitments]


_FINAL = frozenset(s.value for s in FINAL)
_ACTIVE = State.ACTIVE.value


def _stored_item(agreement: Agreement, standing: summaries.Standing) -> dict[str, Any]:
    """Return the fields of the Item `_item` gives for a stored track, from the stored columns
    alone (validated together: one call for ten thousand)."""
    slug, title, version, state, since, cause, due, hold_from = standing
    rules = agreement.commitment(slug)
    deadline: datetime | None = None
    kind: str | None = None
    if state not in _FINAL:
        hold = (datetime.fromisoformat(hold_from) + rules.hold_for
                if hold_from and state == _ACTIVE and rules.hold_for is not None else None)
        if due is not None and hold is not None:
            deadline, kind = min((due, "due"), (hold, "hold ends"))
        elif due is not None:
            deadline, kind = due, "due"
        elif hold is not None:
            deadline, kind = hold, "hold ends"
    return {"slug": slug, "title": title, "state": state, "since": since or agreement.announced_at,
            "cause": cause, "version": version, "owed_by": list(rules.owed_by), "deadline": deadline,
            "deadline_kind": kind}


def _item(agreement: Agreement, c: Stored, tracks: dict[str, Track]) -> Item:
    _, slug, title, version, _ = c
    track = tracks[slug]
    rules = agreement.commitment(slug)
    due = due_at(rules, tracks)
    hold = hold_ends_at(rules, track)
    deadline, kind = (None, None)
    if track.state not in FINAL:
        deadline, kind = min([(d, k) for d, k in ((due, "due"), (hold, "hold ends")) if d],
                             default=(None, None))
    return Item(slug=slug, title=title, state=track.state.value,
                since=track.since or agreement.announced_at, cause=track.cause, version=version,
                owed_by=list(rules.owed_by), deadline=deadline, deadline_kind=kind)
