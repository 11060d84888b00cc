"""The projection: commitment states derived from the log plus the clock.

The log of analyst records is the truth. Replaying it in `occurred_at` order, with the clock's
own decisions (started, held, overdue, lapsed, ended) interleaved, gives every commitment's
timeline. Clock decisions at an instant come before analyst records at that instant; records at
one instant are ordered by `recorded_at`, then id. A record that the timeline does not allow at
its `occurred_at` stays in the log, marked overridden with the cause.

Replaying can resume from the tracks as they stood just before an instant, so a late record costs
what comes after it, not the whole log.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .conditions import Decided, Track, verdict
from .deadlines import Notice, next_reminder
from .deadlines import due_at as due_at  # re-exported: callers read deadlines from here too
from .deadlines import hold_ends_at as hold_ends_at
from .records import Record, RecordKind, effective
from .rules import LAPSING_RULES, After, Agreement, Commitment, conditions_of
from .states import FINAL, State, allowed_next
from .timefmt import duration_words, local, utc_z
from .wording import decided_words, unmet_words


@dataclass(frozen=True)
class Entry:
    """One step of a commitment's projected timeline, with the track as it stood after it."""

    seq: int
    commitment: str
    state: State
    at: datetime
    cause: str
    by: str
    record_id: int | None
    rule: str | None
    track: Track
    # When the tracker could first have derived this step: for a record, its recording; for a
    # clock decision, the later of its instant and the recording of the records it reads.
    derivable_at: datetime | None = None

    @property
    def decision_id(self) -> str:
        """Return the id of this step that every replay and view agrees on."""
        return decision_id(self.commitment, self.state, self.at, self.rule)


def decision_id(commitment: str, state: State | str, at: datetime, rule: str | None) -> str:
    """Return a clock decision's stable id: what it decides (commitment, state, instant, rule)
    identifies it across replays, where a sequence number changes with what came before.

    >>> from datetime import UTC
    >>> decision_id("calm", "fulfilled", datetime(2016, 9, 19, tzinfo=UTC), "hold_for")
    'clock-137e189ce8'
    """
    key = f"{commitment}|{State(state).value}|{utc_z(at)}|{rule or ''}"
    return "clock-" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:10]


@dataclass
class Projection:
    """What the log and the clock say up to `until`."""

    until: datetime
    tracks: dict[str, Track]
    entries: list[Entry] = field(default_factory=list)
    overridden: dict[int, Override] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    next_at: dict[str, datetime] = field(default_factory=dict)  # each commitment's next event


@dataclass(frozen=True)
class Override:
    """Why an analyst record no longer holds: the cause, and the record that made it so."""

    cause: str
    by_record: int | None


@dataclass(frozen=True, order=True)
class _ClockEvent:
    at: datetime
    priority: int
    order: int
    state: State = field(compare=False)
    rule: str = field(compare=False)
    cause: str = field(compare=False)


def initial_tracks(agreement: Agreement) -> dict[str, Track]:
    """Return every commitment pending since the agreement was announced."""
    at = agreement.announced_at
    return {
        c.slug: Track(c.slug, State.PENDING, at, "announced", entered={State.PENDING: at})
        for c in agreement.commitments
    }


def project(agreement: Agreement, records: Iterable[Record], *, until: datetime) -> Projection:
    """Return the projection of the whole log, clock applied up to `until`."""
    start = initial_tracks(agreement)
    return resume(agreement, start, effective(list(records)), since=agreement.announced_at,
                  until=until)


def known_at(agreement: Agreement, records: Iterable[Record], *, at: datetime,
             until: datetime | None = None) -> Projection:
    """Return what was believed at `at`: only records recorded by then, the clock at `at`
    (or at `until`, to ask what that knowledge implied for another instant)."""
    known = [r for r in records if r.recorded_at <= at]
    return project(agreement, known, until=until or at)


def resume(
    agreement: Agreement,
    tracks: Mapping[str, Track],
    records: list[Record],
    *,
    since: datetime,
    until: datetime,
    first_seq: int = 1,
) -> Projection:
    """Return the projection continued from `tracks` (as they stood before `since`).

    `records` are the effective records with `occurred_at >= since`, in projection order.
    """
    projector = _Projector(agreement, {k: t.copy() for k, t in tracks.items()}, since, first_seq)
    return projector.run(records, until)


def tracks_at(
    base: Mapping[str, Track], entries: Iterable[Entry], *, at: datetime
) -> dict[str, Track]:
    """Return `base` updated with every entry up to and including `at` (entries in order)."""
    out = {k: t.copy() for k, t in base.items()}
    for entry in entries:
        if entry.at > at:
            break
        out[entry.commitment] = entry.track.copy()
    return out


_CLOCK, _NOTICE = 0, 1
# at, priority, commitment order, kind, slug, generation, payload: tuples order by the first six.
_Item = tuple[datetime, int, int, int, str, int, "_ClockEvent | Notice"]


class _Projector:
    """A discrete-event replay: a heap of each commitment's next clock decision and next
    reminder, merged with the log in time order."""

    def __init__(self, agreement: Agreement, tracks: dict[str, Track], now: datetime,
                 first_seq: int) -> None:
        self.agreement = agreement
        self.tracks = tracks
        self.now = now
        self.seq = first_seq
        self.order = {c.slug: i for i, c in enumerate(agreement.commitments)}
        self.dependants = agreement.dependants()
        self.reads = reads(agreement)
        self.heap: list[_Item] = []
        self.generation = {(slug, kind): 0 for slug in self.order for kind in (_CLOCK, _NOTICE)}
        # Reminders at the resume instant itself were already due before it: include them.
        self.reminded = dict.fromkeys(self.order, now - timedelta(microseconds=1))
        self.result = Projection(until=now, tracks=tracks)

    def run(self, records: list[Record], until: datetime) -> Projection:
        for slug in self.order:
            self._schedule(slug)
        pending = iter(records)
        record = next(pending, None)
        while True:
            item = self._peek()
            if item and item[0] <= until and (record is None or item[0] <= record.occurred_at):
                heapq.heappop(self.heap)
                self._apply_item(item)
            elif record is not None and record.occurred_at <= until:
                self._apply_record(record)
                record = next(pending, None)
            else:
                break
        self.result.until = until
        self.result.next_at = self._next_at()
        return self.result

    def _valid(self, item: _Item) -> bool:
        return item[5] == self.generation[(item[4], item[3])]

    def _peek(self) -> _Item | None:
        while self.heap and not self._valid(self.heap[0]):
            heapq.heappop(self.heap)  # superseded by a later reschedule
        return self.heap[0] if self.heap else None

    def _next_at(self) -> dict[str, datetime]:
        out: dict[str, datetime] = {}
        for item in self.heap:
            if self._valid(item) and (item[4] not in out or item[0] < out[item[4]]):
                out[item[4]] = item[0]
        return out

    def _schedule(self, slug: str) -> None:
        self._schedule_clock(slug)
        self._schedule_reminder(slug)

    def _schedule_clock(self, slug: str) -> None:
        key = (slug, _CLOCK)
        self.generation[key] += 1
        event = self._next_clock_event(self.agreement.commitment(slug), self.tracks[slug])
        if event is not None:
            # An event already due (decided by what just happened) happens now.
            at = max(event.at, self.now)
            heapq.heappush(self.heap, (at, event.priority, event.order, _CLOCK, slug,
                                       self.generation[key], event))

    def _schedule_reminder(self, slug: str) -> None:
        key = (slug, _NOTICE)
        self.generation[key] += 1
        notice = next_reminder(self.agreement.commitment(slug), self.tracks,
                               after=self.reminded[slug])
        if notice is not None:
            heapq.heappush(self.heap, (max(notice.at, self.now), 5, self.order[slug], _NOTICE,
                                       slug, self.generation[key], notice))

    def _apply_item(self, item: _Item) -> None:
        at, slug, payload = item[0], item[4], item[6]
        if isinstance(payload, Notice):
            self.now = max(self.now, at)
            self.result.notices.append(payload)
            self.reminded[slug] = payload.at
            self._schedule_reminder(slug)
        else:
            learned = [k for d in self.reads[slug] if (k := self.tracks[d].known_from)]
            self._move(slug, payload.state, at, cause=payload.cause, by="clock",
                       record_id=None, rule=payload.rule, derivable=max([at, *learned]))

    def _move(self, slug: str, state: State, at: datetime, *, cause: str, by: str,
              record_id: int | None, rule: str | None, derivable: datetime) -> None:
        track = self.tracks[slug]
        track.state, track.since, track.cause = state, at, cause
        track.by, track.record_id = by, record_id
        if record_id is not None:
            track.known_from = max(derivable, track.known_from or derivable)
        track.entered.setdefault(state, at)
        # Suspension (or anything but active) breaks a hold; a start or a resume begins a new one.
        track.hold_from = at if state is State.ACTIVE else None
        self.now = max(self.now, at)
        self.result.entries.append(
            Entry(self.seq, slug, state, at, cause, by, record_id, rule, track.copy(), derivable)
        )
        self.seq += 1
        for name in (slug, *sorted(self.dependants[slug], key=self.order.__getitem__)):
            self._schedule(name)

    def _apply_record(self, record: Record) -> None:
        self.now = max(self.now, record.occurred_at)
        if record.kind is not RecordKind.TRANSITION:
            return
        assert record.commitment is not None and record.state is not None
        track = self.tracks[record.commitment]
        if record.state not in allowed_next(track.state, started=track.started):
            cause = refusal(self.agreement, track, record.state)
            self.result.overridden[record.id] = Override(cause, track.record_id)
            return
        if record.state is State.ACTIVE and track.state is State.PENDING and not record.forced:
            unmet = unmet_start(self.agreement, self.agreement.commitment(record.commitment),
                                self.tracks, at=record.occurred_at)
            if unmet:
                cause = start_refusal(self.agreement, record.commitment, unmet,
                                      at=record.occurred_at)
                self.result.overridden[record.id] = Override(cause, track.record_id)
                return
        cause = record.reason or f"recorded by {record.by}"
        if record.forced:
            cause = f"forced by {record.by}: {cause}"
        self._move(record.commitment, record.state, record.occurred_at, cause=cause,
                   by=record.by, record_id=record.id, rule=None, derivable=record.recorded_at)

    # -- the clock's rules, each a small named candidate --------------------------------------

    def _next_clock_event(self, c: Commitment, track: Track) -> _ClockEvent | None:
        if track.state in FINAL:
            return None
        order = self.order[c.slug]
        candidates = [
            self._lapse(c, track, order),
            self._start(c, track, order),
            self._end(c, track, order),
            self._hold(c, track, order),
            self._due(c, track, order),
        ]
        found = [e for e in candidates if e is not None]
        return min(found) if found else None

    def _lapse(self, c: Commitment, track: Track, order: int) -> _ClockEvent | None:
        """A condition failing before the start lapses it, at the instant it fails: now, or
        later when a `by:` still ahead will decide it (rescheduled if a track moves first)."""
        if track.started or track.state not in (State.PENDING, State.OVERDUE):
            return None
        found = [_ClockEvent(failed.at, 0, order, State.LAPSED, rule,
                             lapse_cause(self.agreement, failed, self.tracks))
                 for rule, condition in conditions_of(c) if rule in LAPSING_RULES
                 if (failed := condition.outlook(self.tracks).failed) is not None]
        return min(found) if found else None

    def _start(self, c: Commitment, track: Track, order: int) -> _ClockEvent | None:
        if track.state is not State.PENDING:
            return None
        parts: list[datetime] = []
        reasons: list[str] = []
        tz = self.agreement.timezone
        if isinstance(c.starts, datetime):
            parts.append(c.starts)
            reasons.append(f"its start {local(c.starts, tz)} was reached")
        elif isinstance(c.starts, After):
            met = c.starts.when.outlook(self.tracks).met
            if met is None:
                return None
            parts.append(met.at + c.starts.offset)
            reasons.append(decided_words(met, tz) + _plus(c.starts.offset))
        if c.requires is not None:
            required = c.requires.outlook(self.tracks).met
            if required is None:
                return None
            parts.append(required.at)
            reasons.append(f"its requirements were met ({c.requires.describe(tz)})")
        if not parts:
            parts.append(self.agreement.announced_at)
            reasons.append("the agreement was announced")
        return _ClockEvent(max(parts), 1, order, State.ACTIVE, "starts",
                           "started because " + " and ".join(reasons))

    def _end(self, c: Commitment, track: Track, order: int) -> _ClockEvent | None:
        if c.ends is None or track.state not in (State.ACTIVE, State.OVERDUE):
            return None
        met = c.ends.when.outlook(self.tracks).met
        if met is None:
            return None
        at = max(met.at + c.ends.offset, track.since or met.at)
        cause = f"fulfilled because {decided_words(met, self.agreement.timezone)}"
        return _ClockEvent(at, 2, order, State.FULFILLED, "ends", cause)

    def _hold(self, c: Commitment, track: Track, order: int) -> _ClockEvent | None:
        ends = hold_ends_at(c, track)
        if ends is None or c.hold_for is None:
            return None
        cause = (f"held unbroken for {duration_words(c.hold_for)} from "
                 f"{local(track.hold_from or ends, self.agreement.timezone)}")
        return _ClockEvent(ends, 3, order, State.FULFILLED, "hold_for", cause)

    def _due(self, c: Commitment, track: Track, order: int) -> _ClockEvent | None:
        if track.state not in (State.PENDING, State.ACTIVE, State.SUSPENDED):
            return None
        due = due_at(c, self.tracks)
        if due is None:
            return None
        cause = f"due {local(due, self.agreement.timezone)} passed before it was fulfilled"
        return _ClockEvent(due, 4, order, State.OVERDUE, "due", cause)


def reads(agreement: Agreement) -> dict[str, frozenset[str]]:
    """Return, for each commitment, itself and every commitment its rules read, transitively."""
    out: dict[str, frozenset[str]] = {}
    for c in agreement.commitments:
        seen, todo = {c.slug}, list(c.depends_on())
        while todo:
            slug = todo.pop()
            if slug not in seen:
                seen.add(slug)
                todo += agreement.commitment(slug).depends_on()
        out[c.slug] = frozenset(seen)
    return out


def unmet_start(agreement: Agreement, c: Commitment, tracks: Mapping[str, Track], *,
                at: datetime) -> list[str]:
    """Return, in words, each of `c`'s `starts` and `requires` not met at `at` (empty: it may
    start then)."""
    tz = agreement.timezone
    out: list[str] = []
    if isinstance(c.starts, datetime) and at < c.starts:
        out.append(f"starts: its start {local(c.starts, tz)} is not reached")
    elif isinstance(c.starts, After):
        met = verdict(c.starts.when, tracks, now=at).met
        if met is None or met.at + c.starts.offset > at:
            out.append(f"starts: {unmet_words(c.starts.when, tz)}" + _plus(c.starts.offset))
    if c.requires is not None and verdict(c.requires, tracks, now=at).met is None:
        out.append(f"requires: {c.requires.describe(tz)} is not met")
    return out


def start_refusal(agreement: Agreement, slug: str, unmet: list[str], *, at: datetime) -> str:
    """Return why an analyst may not start `slug` at `at`, and how to record it anyway."""
    return (f"{agreement.slug}/{slug} cannot become active at {local(at, agreement.timezone)}: "
            f"{'; '.join(unmet)}; if it did start, record it anyway with --force --reason TEXT "
            "(in a record file: force: true and a reason)")


def lapse_cause(agreement: Agreement, decided: Decided, tracks: Mapping[str, Track]) -> str:
    """Return "lapsed because X was breached on <date>", naming the record if one decided it
    ("lapsed because X had not become active before <date>" when a `by:` passed)."""
    decider = tracks[decided.commitment]
    by = (f" (record #{decider.record_id} by {decider.by})"
          if decider.record_id and decided.state is not None else "")
    return f"lapsed because {decided_words(decided, agreement.timezone, final=True)}{by}"


def refusal(agreement: Agreement, track: Track, target: State) -> str:
    """Return why `track` cannot move to `target`, naming the states it may go to."""
    options = allowed_next(track.state, started=track.started)
    may = ", ".join(s.value for s in options) if options else "nothing (it is final)"
    since = local(track.since, agreement.timezone) if track.since else "the start"
    return (f"{agreement.slug}/{track.slug} cannot become {target.value}: it was "
            f"{track.state.value} since {since}; from {track.state.value} it may go to {may}")


def _plus(offset: timedelta) -> str:
    return f" plus {duration_words(offset)}" if offset else ""
