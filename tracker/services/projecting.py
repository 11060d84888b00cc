"""Keep the stored projection equal to a replay of the log: rewrite it from an instant on, or
advance it with the clock. Called inside a unit of work by the use cases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session

from ..domain.conditions import Track
from ..domain.deadlines import Notice
from ..domain.projection import (
    Entry,
    Projection,
    decision_id,
    due_at,
    initial_tracks,
    reads,
    resume,
)
from ..domain.records import effective
from ..domain.rules import Agreement
from ..domain.timefmt import local
from ..seeds.convert import to_domain
from ..seeds.schema import AgreementSeed
from ..store import queries
from ..store.codec import track_from_json, track_to_json
from ..store.tables import (
    AgreementRow,
    CommitmentRow,
    OverrideRow,
    TimelineEntryRow,
    UndoneDecisionRow,
    table_of,
)

_models: dict[str, Agreement] = {}


def agreement_model(row: AgreementRow) -> Agreement:
    """Return the domain agreement stored in `row` (parsed once per definition)."""
    if row.definition_hash not in _models:
        _models[row.definition_hash] = to_domain(AgreementSeed.model_validate(row.definition))
    return _models[row.definition_hash]


@dataclass(frozen=True)
class Undone:
    """A clock decision that a re-projection no longer makes (a late record contradicted it):
    its stable id, what replaced it, and the record that caused it (None: no record named)."""

    commitment: str
    state: str
    at: datetime
    rule: str | None
    decision_id: str = ""
    replaced_by: str = ""
    by_record: int | None = None
    learned_at: datetime | None = None  # when that record was recorded


@dataclass
class Change:
    """What one write or tick did to the stored projection."""

    entries: list[Entry] = field(default_factory=list)
    newly_overridden: list[int] = field(default_factory=list)
    projection: Projection | None = None
    undone: list[Undone] = field(default_factory=list)
    # The newly overridden records: on which commitment, and when they said it happened.
    overridden_records: dict[int, tuple[str, datetime]] = field(default_factory=dict)
    commitment_ids: dict[str, int] = field(default_factory=dict)  # read once, for the alerts

    @property
    def notices(self) -> list[Notice]:
        return self.projection.notices if self.projection else []


def reproject(session: Session, row: AgreementRow, *, since: datetime, now: datetime,
              by: str, touched: frozenset[str] = frozenset(),
              causes: Sequence[Cause] = ()) -> Change:
    """Replay the log from `since` on: the timeline before it stands, the rest is rewritten.
    `causes` are the new records of the write, which undid whatever clock decision is undone."""
    assert row.id is not None
    # The clock has decided nothing past the horizon yet: replay from there at the latest.
    since = min(since, row.projected_until)
    agreement = agreement_model(row)
    rows = queries.commitments(session, row.id)
    slugs = {c.id: c.slug for c in rows if c.id is not None}
    base = initial_tracks(agreement) | queries.tracks_before(session, row.id, slugs, since)
    log = queries.records_for_projection(session, row.id, slugs, occurred_from=since)
    old_entries = queries.entries_from(session, row.id, since)
    old_overrides = set(queries.overrides(session, row.id))
    projection = resume(agreement, base, effective(log), since=since,
                        until=max(now, row.projected_until), first_seq=row.next_seq)
    queries.delete_derived_from(session, row.id, since)
    session.flush()
    _write_entries(session, row, rows, projection.entries, now)
    occurred = {r.id: r.occurred_at for r in log}
    for record_id, override in projection.overridden.items():
        session.add(OverrideRow(record_id=record_id, agreement_id=row.id, cause=override.cause,
                                occurred_at=occurred[record_id], by_record_id=override.by_record))
    _write_tracks(agreement, rows, projection, by=by, now=now, touched=touched)
    _finish(session, row, projection)
    fresh = sorted(set(projection.overridden) - old_overrides)
    undone = _undone(old_entries, projection, {c.id: c.slug for c in rows}, base,
                     agreement, causes)
    _keep_undone(session, row, rows, old_entries, undone, now)
    about = {r.id: (r.commitment or "", r.occurred_at) for r in log}
    return Change(projection.entries, fresh, projection, undone, {i: about[i] for i in fresh},
                  {c.slug: c.id or 0 for c in rows})


def advance(session: Session, row: AgreementRow, *, now: datetime) -> Change:
    """Apply the clock from the stored horizon up to `now` and store what it decided."""
    assert row.id is not None
    agreement = agreement_model(row)
    rows = queries.commitments(session, row.id)
    projection = resume(agreement, stored_tracks(rows), [], since=row.projected_until,
                        until=max(now, row.projected_until), first_seq=row.next_seq)
    _write_entries(session, row, rows, projection.entries, now)
    _write_tracks(agreement, rows, projection, by="clock", now=now)
    _finish(session, row, projection)
    return Change(projection.entries, [], projection,
                  commitment_ids={c.slug: c.id or 0 for c in rows})


def advanced(agreement: Agreement, row: AgreementRow, rows: Sequence[CommitmentRow], *,
             now: datetime) -> Projection:
    """Return the stored tracks moved on by the clock to `now`, writing nothing."""
    tracks = stored_tracks(rows)
    if now <= row.projected_until:  # nothing decided since the stored horizon: read as stored
        return Projection(until=row.projected_until, tracks=tracks)
    return resume(agreement, tracks, [], since=row.projected_until, until=now,
                  first_seq=row.next_seq)


def stored_tracks(rows: Sequence[CommitmentRow]) -> dict[str, Track]:
    return {c.slug: track_from_json(c.slug, c.track) for c in rows}


def _write_entries(session: Session, row: AgreementRow, rows: Sequence[CommitmentRow],
                   entries: list[Entry], now: datetime) -> None:
    ids = {c.slug: c.id or 0 for c in rows}
    if entries:  # Core executemany: a late record can rewrite tens of thousands of entries
        session.execute(insert(table_of(TimelineEntryRow)), [
            {"agreement_id": row.id, "commitment_id": ids[e.commitment], "seq": e.seq,
             "at": e.at, "state": e.state.value, "cause": e.cause, "by": e.by,
             "record_id": e.record_id, "rule": e.rule,
             # When it could first be derived: the same instant whenever a replay makes it.
             "derived_at": e.derivable_at or now,
             "track": track_to_json(e.track)}
            for e in entries
        ])


def _write_tracks(agreement: Agreement, rows: Sequence[CommitmentRow], projection: Projection,
                  *, by: str, now: datetime, touched: frozenset[str] = frozenset()) -> None:
    tracks, next_at = projection.tracks, projection.next_at
    for c in rows:
        track = tracks[c.slug]
        assert track.since is not None
        due = due_at(agreement.commitment(c.slug), tracks)
        changed = (c.state, c.since, c.cause, c.due) != (track.state.value, track.since,
                                                          track.cause, due)
        c.state, c.since, c.cause, c.due = track.state.value, track.since, track.cause, due
        c.track = track_to_json(track)
        c.next_clock_at = next_at.get(c.slug)
        if changed or c.slug in touched:
            c.version += 1
            c.changed_by, c.changed_at = by, now


Cause = tuple[int, str, datetime, datetime]  # a new record: id, commitment, occurred, recorded


def _undone(old: list[TimelineEntryRow], projection: Projection,
            slugs: dict[int | None, str], base: dict[str, Track], agreement: Agreement,
            causes: Sequence[Cause]) -> list[Undone]:
    new = projection.entries
    kept = {(e.commitment, e.state.value, e.at) for e in new if e.by == "clock"}
    read = reads(agreement)
    out = []
    for e in old:
        slug = slugs[e.commitment_id]
        if e.by != "clock" or (slug, e.state, e.at) in kept:
            continue
        # The new record on what the decision read, that happened first before it, undid it.
        mine = sorted((c for c in causes if c[1] in read[slug] and c[2] <= e.at),
                      key=lambda c: (c[2], c[0]))
        cause = mine[0] if mine else (causes[0] if causes else None)
        out.append(Undone(slug, e.state, e.at, e.rule, decision_id(slug, e.state, e.at, e.rule),
                          _replaced_by(agreement, slug, e.at, new, base),
                          cause[0] if cause else None, cause[3] if cause else None))
    return out


def _replaced_by(agreement: Agreement, slug: str, at: datetime, new: list[Entry],
                 base: dict[str, Track]) -> str:
    """Return what the new timeline says of `slug` at `at`, in words."""
    mine = [e for e in new if e.commitment == slug and e.at <= at]
    track = mine[-1].track if mine else base[slug]
    since = local(track.since, agreement.timezone) if track.since else "the start"
    who = f" by record #{track.record_id}" if track.record_id else ""
    return f"{track.state.value} since {since}{who} ({track.cause})"


def _keep_undone(session: Session, row: AgreementRow, rows: Sequence[CommitmentRow],
                 old: list[TimelineEntryRow], undone: list[Undone], now: datetime) -> None:
    """Store each undone decision, for history's "undone by #N" and the revised alert."""
    ids = {c.slug: c.id or 0 for c in rows}
    derived = {(e.commitment_id, e.state, e.at): e for e in old}
    for u in undone:
        was = derived[(ids[u.commitment], u.state, u.at)]
        session.add(UndoneDecisionRow(
            agreement_id=row.id or 0, commitment_id=ids[u.commitment], decision_id=u.decision_id,
            state=u.state, at=u.at, rule=u.rule, cause=was.cause, derived_at=was.derived_at,
            undone_at=u.learned_at or now, undone_by_record_id=u.by_record,
            replaced_by=u.replaced_by))


def _finish(session: Session, row: AgreementRow, projection: Projection) -> None:
    row.projected_until = max(row.projected_until, projection.until)
    if projection.entries:
        row.next_seq = projection.entries[-1].seq + 1
    session.add(row)
