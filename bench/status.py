"""Benchmark 2: `status` of a big agreement reads the stored projection, it does not replay the log.

Cold: the parsed definitions and the engines are dropped before each call, as in a fresh
process (imports aside), so parsing the 1,000-commitment definition and connecting are counted.
Baselines: a full replay of the log (`status --known-at now`) and the bare SELECT of the rows.
"""

from __future__ import annotations

from sqlalchemy import text

from tracker import services
from tracker.services import projecting
from tracker.services.clock import fixed_clock
from tracker.services.views import StatusView
from tracker.store.db import dispose_all, engine_for

from . import workload
from .databases import Backend
from .report import against, heading, line, median_time, secs, timed_call
from .workload import Workload

TARGET_SECONDS = 0.2


def run(backend: Backend, url: str, work: Workload, repeats: int) -> list[tuple[str, bool]]:
    heading(f"2. status of an agreement with {work.commitments:,} commitments and "
            f"{len(work.records):,} records")
    app = services.App(url, fixed_clock(work.now))

    def status() -> StatusView:
        return services.status(app, workload.SLUG)

    repeats = max(repeats, 5)  # a call is a fraction of a second: take a few more
    cold = median_time(status, repeats, before=_forget)
    warm = median_time(status, repeats)
    replay, replayed = timed_call(lambda: services.status(app, workload.SLUG, known=app.clock()))
    agreement_id = _agreement_id(url)
    raw = median_time(lambda: _select_commitments(url, agreement_id), repeats)
    ok = against("status, cold (stored projection)", cold, "full replay baseline", replay,
                 max_seconds=TARGET_SECONDS)
    against("status, warm (stored projection)", warm, "full replay baseline", replay)
    against("status, cold", cold, "raw SELECT * FROM commitment baseline", raw)
    line(f"(median of {repeats}; the replay ran once)")
    _same_states(status(), replayed)
    return [(f"{backend.name}: status cold < {secs(TARGET_SECONDS)}", ok)]


def _forget() -> None:
    projecting._models.clear()  # the definitions parsed so far: a new process has none
    dispose_all()


def _agreement_id(url: str) -> int:
    with engine_for(url).connect() as connection:
        query = text("SELECT id FROM agreement WHERE slug = :slug")
        return int(connection.execute(query, {"slug": workload.SLUG}).scalar_one())


def _select_commitments(url: str, agreement_id: int) -> None:
    with engine_for(url).connect() as connection:
        connection.execute(text("SELECT * FROM commitment WHERE agreement_id = :id"),
                           {"id": agreement_id}).fetchall()


def _same_states(stored: StatusView, replayed: StatusView) -> None:
    """The benchmark is only fair if the stored projection is what a replay gives."""
    pairs = zip(stored.commitments, replayed.commitments, strict=True)
    differ = [s.slug for s, r in pairs if (s.state, s.since, s.due) != (r.state, r.since, r.due)]
    line("stored projection equals the replay" if not differ
         else f"WARNING: stored projection differs from the replay for {', '.join(differ[:5])}")
