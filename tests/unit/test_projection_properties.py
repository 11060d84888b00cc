"""Properties of the projection over random logs (hypothesis)."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.conditions import Track
from tracker.domain.projection import Projection, initial_tracks, project, resume, tracks_at
from tracker.domain.records import Record, RecordKind, effective
from tracker.domain.states import FINAL, State

from ..factories import at, syria_like, transition

AGREEMENT = syria_like()
SLUGS = [c.slug for c in AGREEMENT.commitments]
END = at(days=25)

analyst_record = st.tuples(
    st.sampled_from(SLUGS),
    st.sampled_from(["active", "fulfilled", "breached", "suspended", "withdrawn", "overdue"]),
    st.integers(min_value=0, max_value=24 * 24),  # occurred, hours after the announcement
    st.integers(min_value=0, max_value=72),  # reported this many hours later
)


def make_log(specs: list[tuple[str, str, int, int]]) -> list[Record]:
    return [transition(c, s, at(hours=h), at(hours=h + d), record_id=i + 1)
            for i, (c, s, h, d) in enumerate(specs)]


def summary(p: Projection) -> dict[str, tuple[State, datetime | None]]:
    return {k: (t.state, t.since) for k, t in p.tracks.items()}


def incremental(records: list[Record], until: datetime) -> Projection:
    """Project as the store does: one record at a time, in recording order, resuming each time
    from the instant it touches, with the clock advanced to the record's recording time."""
    ordered = sorted(records, key=lambda r: (r.recorded_at, r.id))
    horizon = AGREEMENT.announced_at
    entries = project(AGREEMENT, [], until=horizon).entries
    seen: list[Record] = []
    for record in ordered:
        seen.append(record)
        since = min(record.occurred_at, horizon)
        kept = [e for e in entries if e.at < since]
        base: dict[str, Track] = tracks_at(initial_tracks(AGREEMENT), kept, at=since)
        rest = [r for r in effective(seen) if r.occurred_at >= since]
        horizon = max(horizon, record.recorded_at)
        step = resume(AGREEMENT, base, rest, since=since, until=horizon)
        entries = kept + step.entries
    final = project(AGREEMENT, seen, until=until)  # the clock runs on past the last record
    assert [(e.commitment, e.state, e.at) for e in entries] == \
        [(e.commitment, e.state, e.at) for e in final.entries if e.at <= horizon]
    return final


@settings(max_examples=150, deadline=None)
@given(st.lists(analyst_record, max_size=12), st.randoms(use_true_random=False))
def test_recording_order_does_not_change_the_projection(specs, rnd) -> None:  # type: ignore[no-untyped-def]
    records = make_log(specs)
    shuffled = list(records)
    rnd.shuffle(shuffled)
    assert summary(project(AGREEMENT, records, until=END)) == \
        summary(project(AGREEMENT, shuffled, until=END))
    # Same facts learned in another order: only records at one instant are ordered by when
    # they were recorded (DESIGN), so keep one record per instant.
    by_instant = {r.occurred_at: r for r in shuffled}
    records = [r for r in records if by_instant[r.occurred_at] is r]
    shuffled = [r for r in shuffled if by_instant[r.occurred_at] is r]
    relearned = [Record(r.id, r.kind, r.commitment, r.occurred_at, max(r.occurred_at, at(days=30 + i)),
                        r.by, r.state) for i, r in enumerate(shuffled)]
    assert summary(project(AGREEMENT, records, until=END)) == \
        summary(project(AGREEMENT, relearned, until=END))


@settings(max_examples=100, deadline=None)
@given(st.lists(analyst_record, max_size=10))
def test_one_record_at_a_time_equals_the_full_replay(specs) -> None:  # type: ignore[no-untyped-def]
    incremental(make_log(specs), END)


@settings(max_examples=150, deadline=None)
@given(st.lists(analyst_record, min_size=1, max_size=10), st.lists(analyst_record, max_size=6))
def test_final_state_set_by_an_analyst_changes_only_through_a_retraction(first, later) -> None:  # type: ignore[no-untyped-def]
    records = make_log(first)
    p = project(AGREEMENT, records, until=END)
    finals = {k: t for k, t in p.tracks.items() if t.state in FINAL and t.by != "clock"}
    for slug, track in finals.items():
        assert track.since is not None
        # Later records about later instants, whatever they say, leave it alone...
        more = [transition(c, s, max(track.since, at(hours=h)), at(days=40), record_id=100 + i)
                for i, (c, s, h, _) in enumerate(later)]
        after = project(AGREEMENT, records + more, until=END)
        assert after.tracks[slug].state is track.state
        # ...and a retraction of the record that set it takes it back.
        undo = Record(999, RecordKind.RETRACTION, slug, at(days=41), at(days=41), "analyst",
                      retracts=track.record_id)
        undone = project(AGREEMENT, records + [undo], until=END)
        assert (undone.tracks[slug].record_id != track.record_id
                or undone.tracks[slug].since != track.since)


@settings(max_examples=150, deadline=None)
@given(st.lists(analyst_record, max_size=10), st.lists(analyst_record, min_size=1, max_size=6))
def test_clock_decision_changes_only_when_a_late_record_lands_before_it(first, later) -> None:  # type: ignore[no-untyped-def]
    records = make_log(first)
    p = project(AGREEMENT, records, until=END)
    for slug, track in p.tracks.items():
        if track.state not in FINAL or track.by != "clock":
            continue
        assert track.since is not None
        more = [transition(c, s, max(track.since, at(hours=h)), at(days=40), record_id=100 + i)
                for i, (c, s, h, _) in enumerate(later)]
        assert project(AGREEMENT, records + more, until=END).tracks[slug].state is track.state
