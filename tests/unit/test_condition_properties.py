"""Properties of the condition language over random projected timelines (hypothesis).

The brute force here is another way to the same answer: walk the timeline instant by instant,
ask at each one only "is it met, failed or open *now*" in three-valued logic, and take the first
instant each answer appears. `verdict` instead composes instants. They must agree, at every
instant, and the projection's clock must lapse or start a commitment exactly then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.conditions import AllOf, AnyOf, Condition, Not, Track, verdict
from tracker.domain.leaves import Enters
from tracker.domain.projection import initial_tracks, project, resume, tracks_at
from tracker.domain.records import effective
from tracker.domain.rules import Agreement, Commitment
from tracker.domain.states import FINAL, State

from ..factories import at, syria_like
from .test_projection_properties import analyst_record, make_log

AGREEMENT = syria_like()
SLUGS = [c.slug for c in AGREEMENT.commitments]
END = at(days=25)
MET, FAILED, OPEN = "met", "failed", None

# Deadlines on the same hour grid as the records, so that entries at exactly `by` happen.
deadline = st.one_of(st.none(), st.integers(0, 24 * 24).map(lambda h: at(hours=h)))
leaf = st.builds(lambda slug, states, by: Enters(slug, tuple(states), by),
                 st.sampled_from(SLUGS), st.lists(st.sampled_from(list(State)), min_size=1,
                                                  max_size=3, unique=True), deadline)
condition = st.recursive(leaf, lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=3).map(lambda ps: AllOf(tuple(ps))),
    st.lists(inner, min_size=1, max_size=3).map(lambda ps: AnyOf(tuple(ps))),
    inner.map(Not)), max_leaves=8)


def now_status(c: Condition, tracks: Mapping[str, Track], t: datetime) -> str | None:
    """Return whether `c` is met, failed or open at `t`, from the tracks at `t` alone."""
    if isinstance(c, Enters):
        track = tracks[c.commitment]
        if any((e := track.entered.get(s)) is not None and (c.by is None or e < c.by)
               for s in c.states):
            return MET
        impossible = track.state in FINAL or (
            track.started and set(c.states) <= {State.LAPSED, State.PENDING})
        return FAILED if impossible or (c.by is not None and c.by <= t) else OPEN
    if isinstance(c, Not):
        return {MET: FAILED, FAILED: MET, OPEN: OPEN}[now_status(c.part, tracks, t)]
    parts = [now_status(p, tracks, t) for p in c.parts]  # type: ignore[attr-defined]
    win, lose = (MET, FAILED) if isinstance(c, AllOf) else (FAILED, MET)
    if lose in parts:
        return lose
    return win if all(p == win for p in parts) else OPEN


def instants(entries: list, c: Condition) -> list[datetime]:  # type: ignore[type-arg]
    """Return every instant at which a status can change: entries, deadlines, the end."""
    deadlines = [leaf.by for leaf, _ in c.leaves() if isinstance(leaf, Enters) and leaf.by]
    return sorted({AGREEMENT.announced_at, *(e.at for e in entries), *deadlines, END}
                  - {t for t in deadlines if t > END})


@settings(max_examples=300, deadline=None)
@given(st.lists(analyst_record, max_size=10), condition)
def test_met_and_failed_instants_equal_a_brute_force_walk_of_the_timeline(specs, c) -> None:  # type: ignore[no-untyped-def]
    p = project(AGREEMENT, make_log(specs), until=END)
    start = initial_tracks(AGREEMENT)
    first: dict[str, datetime] = {}
    for t in instants(p.entries, c):
        tracks = tracks_at(start, p.entries, at=t)
        status = now_status(c, tracks, t)
        if status is not None:
            first.setdefault(status, t)
        seen = verdict(c, tracks, now=t)
        # At every instant: decided exactly when the walk says, at the instant it first said so.
        assert (seen.met_at, seen.failed_at) == (
            first.get(MET) if status == MET else None,
            first.get(FAILED) if status == FAILED else None), t
    assert len(first) <= 1  # met and failed are both for ever, and exclusive
    final = verdict(c, p.tracks, now=END)
    assert (final.met_at, final.failed_at) == (first.get(MET), first.get(FAILED))


def watching(c: Condition) -> Agreement:
    """Return the small Syria chain plus `watcher`, which requires `c` and is read by no one."""
    watcher = Commitment("watcher", "watcher", ("a",), requires=c)
    return replace(AGREEMENT, commitments=(*AGREEMENT.commitments, watcher), _by_slug={})


@settings(max_examples=200, deadline=None)
@given(st.lists(analyst_record, max_size=10), condition)
def test_the_clock_starts_or_lapses_a_requirement_at_the_instant_the_walk_decides_it(specs, c) -> None:  # type: ignore[no-untyped-def]
    agreement = watching(c)
    records = make_log(specs)
    p = project(agreement, records, until=END)
    others = project(AGREEMENT, records, until=END)  # the watcher changes nobody's timeline
    start = initial_tracks(AGREEMENT)
    decided = next(((s, t) for t in instants(others.entries, c)
                    if (s := now_status(c, tracks_at(start, others.entries, at=t), t))), None)
    mine = [(e.state, e.at) for e in p.entries if e.commitment == "watcher"]
    if decided is None:
        assert mine == []
    else:
        status, t = decided
        assert mine == [(State.ACTIVE if status == MET else State.LAPSED, t)]


@settings(max_examples=100, deadline=None)
@given(st.lists(analyst_record, max_size=8), condition, st.integers(0, 24 * 24))
def test_resuming_with_deadlines_ahead_equals_the_full_replay(specs, c, cut_hours) -> None:  # type: ignore[no-untyped-def]
    agreement = watching(c)
    records = make_log(specs)
    full = project(agreement, records, until=END)
    cut = at(hours=cut_hours)
    base = tracks_at(initial_tracks(agreement), [e for e in full.entries if e.at < cut], at=cut)
    rest = [r for r in effective(records) if r.occurred_at >= cut]
    resumed = resume(agreement, base, rest, since=cut, until=END)
    assert {k: (t.state, t.since) for k, t in resumed.tracks.items()} == \
        {k: (t.state, t.since) for k, t in full.tracks.items()}
