"""Use case `history` at an instant: the log as it stood at T, as we knew it at K."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ..domain.projection import Entry, Override, known_at
from ..store import queries
from ..store.db import unit_of_work
from .access import readable
from .app import App
from .projecting import agreement_model
from .reading import clock_decision, history, undone_items
from .recording import agreement_or_fail
from .views import HistoryItem


@readable("history")
def history_at(app: App, target: str, *, as_of: datetime | None = None,
               known: datetime | None = None) -> tuple[str, str, list[HistoryItem]]:
    """Return (title, zone, items): the history up to `as_of`, as known at `known`.

    With `known`, only records recorded by then count, the clock's decisions are those a replay
    of them makes, and a record is overridden or retracted only if that was known by then.
    """
    row, items = history(app, target)
    if known is not None:
        items = _as_known(app, row.slug, target, items, known, until=as_of or known)
    if as_of is not None:
        items = [i for i in items if i.occurred_at <= as_of]
    return row.title, row.timezone, items


def _as_known(app: App, slug: str, target: str, items: list[HistoryItem], known: datetime, *,
              until: datetime) -> list[HistoryItem]:
    only = target.partition("/")[2]
    with unit_of_work(app.database_url, read_only=True) as session:
        row = agreement_or_fail(session, slug)
        slugs = {c.id: c.slug for c in queries.commitments(session, row.id or 0)
                 if c.id is not None}
        log = queries.records_for_projection(session, row.id or 0, slugs, recorded_until=known)
        only_id = next((i for i, s in slugs.items() if s == only), None) if only else None
        undone = queries.undone_decisions(session, row.id or 0, only_id)
    projection = known_at(agreement_model(row), log, at=known, until=max(until, known))
    recorded = {i.id for i in items if isinstance(i.id, int) and i.recorded_at <= known}
    kept = [_then(i, projection.overridden, recorded) for i in items if i.id in recorded]
    clock = [_clock(e, known) for e in projection.entries
             if e.record_id is None and e.at <= until and (not only or e.commitment == only)]
    out = kept + clock
    out += undone_items(undone, slugs, standing={str(i.id) for i in clock}, known=known)
    out.sort(key=lambda i: (i.occurred_at, i.by != "clock", i.recorded_at, str(i.id)))
    return out


def _then(item: HistoryItem, overridden: Mapping[int, Override],
          recorded: set[int]) -> HistoryItem:
    """Return `item` as it read then: overridden or retracted only by what was known."""
    override = overridden.get(item.id) if isinstance(item.id, int) else None
    return item.model_copy(update={
        "overridden_by": (override.by_record or "clock") if override else None,
        "override_cause": override.cause if override else None,
        "retracted_by": item.retracted_by if item.retracted_by in recorded else None,
    })


def _clock(e: Entry, known: datetime) -> HistoryItem:
    """Return a decision of the replay at `known` as the stored history shows the same one."""
    return clock_decision(e.commitment, e.state.value, e.at, e.rule, e.derivable_at or known,
                          e.cause)
