"""Read use cases: status (as of an instant, as known at an instant) and history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session

from ..domain.conditions import Track
from ..domain.projection import Entry, decision_id, due_at, initial_tracks, known_at
from ..domain.scenarios import resolve
from ..domain.timefmt import local
from ..domain.wording import scenario_words
from ..store import queries
from ..store.db import retrying, unit_of_work
from ..store.tables import (
    AgreementRow,
    CommitmentRow,
    OverrideRow,
    RecordRow,
    SourceRow,
    TimelineEntryRow,
    UndoneDecisionRow,
)
from .access import readable
from .app import App
from .projecting import advanced, agreement_model
from .recording import agreement_or_fail, commitment_or_fail, split_target
from .views import (
    CommitmentStatus,
    HistoryItem,
    ScenarioStatus,
    SourceView,
    StatusView,
)


@readable("agreements")
def agreement_slugs(app: App) -> list[str]:
    with unit_of_work(app.database_url, read_only=True) as session:
        return queries.agreement_slugs(session)


@retrying
def agreement_zone(app: App, slug: str) -> str | None:
    """Return the agreement's home zone (None if it is not loaded): for hints about instants."""
    with unit_of_work(app.database_url, read_only=True) as session:
        row = queries.agreement_by_slug(session, slug)
        return row.timezone if row is not None else None


@readable("status")
def status(app: App, slug: str, *, as_of: datetime | None = None,
           known: datetime | None = None) -> StatusView:
    """Return every commitment's state at `as_of` (default: now), as known now or at `known`."""
    at = as_of or known or app.clock()
    with unit_of_work(app.database_url, read_only=True) as session:
        row = agreement_or_fail(session, slug)
        rows = queries.commitments(session, row.id or 0)
        tracks = current_tracks(session, row, rows, at=at, known=known)
        # What we knew at K had no scenario an analyst only added after K.
        later = {slug for slug, added in queries.scenarios_added(session, row.id or 0).items()
                 if known is not None and added > known}
    agreement = agreement_model(row)
    notes = {c.get("slug"): c.get("notes", "") for c in row.definition.get("commitments", [])}
    announced = at >= row.announced_at
    commitments = [
        CommitmentStatus(slug=c.slug, title=c.title, state=tracks[c.slug].state.value,
                         since=tracks[c.slug].since or row.announced_at,
                         cause=tracks[c.slug].cause if announced else _not_yet(row),
                         due=due_at(agreement.commitment(c.slug), tracks), version=c.version,
                         notes=notes.get(c.slug, ""))
        for c in rows
    ]
    scenarios = [
        ScenarioStatus(slug=s.slug, outcome=r.outcome.value, resolved_at=r.resolved_at,
                       words=scenario_words(s, row.timezone))
        for s in agreement.scenarios if s.slug not in later for r in [resolve(s, tracks, now=at)]
    ]
    return StatusView(agreement=row.slug, title=row.title, timezone=row.timezone,
                      announced_at=row.announced_at, as_of=at,
                      known_at=known, commitments=commitments, scenarios=scenarios,
                      notes=row.definition.get("agreement", {}).get("notes", ""),
                      announced=announced)


def _not_yet(row: AgreementRow) -> str:
    return f"not yet announced (it was announced {local(row.announced_at, row.timezone)})"


def current_tracks(session: Session, row: AgreementRow, rows: Sequence[CommitmentRow], *,
                   at: datetime, known: datetime | None = None) -> dict[str, Track]:
    """Return the tracks at `at`: from the stored projection, or replayed for `known`."""
    agreement = agreement_model(row)
    slugs = {c.id: c.slug for c in rows if c.id is not None}
    if known is not None:
        log = queries.records_for_projection(session, row.id or 0, slugs, recorded_until=known)
        return known_at(agreement, log, at=known, until=at).tracks
    if at >= row.projected_until:
        return advanced(agreement, row, rows, now=at).tracks
    stored = queries.tracks_before(session, row.id or 0, slugs, at, inclusive=True)
    return initial_tracks(agreement) | stored


@readable("history")
def history(app: App, target: str) -> tuple[AgreementRow, list[HistoryItem]]:
    """Return the log and the clock's decisions for an agreement or one commitment, in order."""
    slug, _, commitment_slug = target.partition("/")
    if commitment_slug:
        split_target(target)
    with unit_of_work(app.database_url, read_only=True) as session:
        row = agreement_or_fail(session, slug)
        assert row.id is not None
        only = commitment_or_fail(session, row, commitment_slug).id if commitment_slug else None
        rows = queries.commitments(session, row.id)
        slugs = {c.id: c.slug for c in rows}
        records = queries.records_with_sources(session, row.id, only)
        overrides = queries.overrides(session, row.id)
        clock = [e for e in queries.timeline(session, row.id, only) if e.record_id is None]
        undone = queries.undone_decisions(session, row.id, only)
    retracted_by = {r.retracts_id: r.id for r, _ in records if r.retracts_id is not None}
    items = [_record_item(r, s, slugs, overrides, retracted_by) for r, s in records]
    items += [_clock_item(e, slugs) for e in clock]
    items += undone_items(undone, slugs, standing={str(i.id) for i in items})
    # Decisions the clock has reached since the last tick: derived now, as `status` shows them.
    now = app.clock()
    if now > row.projected_until:
        pending = advanced(agreement_model(row), row, rows, now=now).entries
        items += [_pending_item(e, now) for e in pending
                  if not commitment_slug or e.commitment == commitment_slug]
    items.sort(key=lambda i: (i.occurred_at, i.by != "clock", i.recorded_at, str(i.id)))
    return row, items


def _record_item(r: RecordRow, sources: list[SourceRow], slugs: dict[int | None, str],
                 overrides: Mapping[int, OverrideRow], retracted_by: Mapping[int, int | None],
                 ) -> HistoryItem:
    override = overrides.get(r.id or 0)
    return HistoryItem(
        id=r.id or 0, commitment=slugs.get(r.commitment_id), kind=r.kind, state=r.state,
        occurred_at=r.occurred_at, recorded_at=r.recorded_at, by=r.by, reason=r.reason,
        summary=r.summary, confidence=r.confidence, retracts=r.retracts_id, forced=r.forced,
        loaded_by=r.loaded_by,
        retracted_by=retracted_by.get(r.id or 0),
        sources=[SourceView(url=s.url, title=s.title, reliability=s.reliability,
                            credibility=s.credibility) for s in sources],
        overridden_by=(override.by_record_id or "clock") if override else None,
        override_cause=override.cause if override else None,
    )


def _pending_item(e: Entry, now: datetime) -> HistoryItem:
    """A decision the clock has reached since the last tick, as a replay would store it."""
    return clock_decision(e.commitment, e.state.value, e.at, e.rule, e.derivable_at or now,
                          e.cause)


def _clock_item(e: TimelineEntryRow, slugs: dict[int | None, str]) -> HistoryItem:
    return clock_decision(slugs.get(e.commitment_id) or "", e.state, e.at, e.rule, e.derived_at,
                          e.cause)


def undone_items(undone: Sequence[UndoneDecisionRow], slugs: Mapping[Any, str], *,
                 standing: set[str], known: datetime | None = None) -> list[HistoryItem]:
    """Return the clock decisions late records undid (as known at `known`), each marked with
    what undid it and what replaced it; one the timeline makes again (`standing`) is left out."""
    out: dict[str, HistoryItem] = {}
    for u in undone:
        if u.decision_id in standing or (known is not None and u.undone_at > known):
            continue
        item = clock_decision(slugs.get(u.commitment_id) or "", u.state, u.at, u.rule,
                              u.derived_at, u.cause)
        out[u.decision_id] = item.model_copy(update={
            "undone_by": u.undone_by_record_id or "clock", "undone_cause": u.replaced_by})
    return list(out.values())


def clock_decision(commitment: str, state: str, at: datetime, rule: str | None,
                   derivable: datetime, cause: str) -> HistoryItem:
    """Return a clock decision as history shows it: its id is the same in every view (what it
    decided), its recorded instant when it could first be derived."""
    return HistoryItem(id=decision_id(commitment, state, at, rule), commitment=commitment,
                       kind="clock", state=state, occurred_at=at, recorded_at=derivable,
                       by="clock", reason=cause, summary="", sources=[], overridden_by=None)
