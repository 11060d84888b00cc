"""Use case `calendar`: every known deadline of an agreement as an iCalendar feed."""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Alarm, Calendar, Event

from ..domain.deadlines import HoldWindow, Step, due_at, hold_windows
from ..domain.states import FINAL, State
from ..domain.timefmt import local
from ..store import queries
from ..store.db import unit_of_work
from .access import readable
from .app import App
from .projecting import advanced, agreement_model
from .reading import current_tracks
from .recording import agreement_or_fail


@readable("calendar")
def calendar_feed(app: App, slug: str) -> bytes:
    """Return an .ics feed: one event per deadline the agreement has had — every due instant
    and the end of every hold, run, completed or broken — with its outcome and reminders."""
    now = app.clock()
    with unit_of_work(app.database_url, read_only=True) as session:
        row = agreement_or_fail(session, slug)
        rows = queries.commitments(session, row.id or 0)
        tracks = current_tracks(session, row, rows, at=now)
        slugs = {c.id: c.slug for c in rows}
        steps: dict[str, list[Step]] = {c.slug: [] for c in rows}
        for e in queries.timeline(session, row.id or 0):
            steps[slugs[e.commitment_id]].append(Step(State(e.state), e.at, e.cause))
    agreement = agreement_model(row)
    for d in advanced(agreement, row, rows, now=now).entries:  # decided since the last tick
        steps[d.commitment].append(Step(d.state, d.at, d.cause))
    feed = Calendar()
    feed.add("prodid", "-//commitment tracker//EN")
    feed.add("version", "2.0")
    # An X- property is not escaped by icalendar: a line break in a title must not reach it.
    feed.add("x-wr-calname", f"{' '.join(row.title.split())} — deadlines")
    feed.add("x-wr-timezone", row.timezone)
    for c in agreement.commitments:
        track = tracks[c.slug]
        marks = [("due", due, _due_outcome(c.slug, due, steps[c.slug], row.timezone))
                 for due in [due_at(c, tracks)] if due is not None]
        marks += [("end of hold", w.end, _hold_outcome(w, row.timezone))
                  for w in hold_windows(c, steps[c.slug])]
        for what, instant, outcome in marks:
            event = Event()
            event.add("uid", f"{row.slug}/{c.slug}/{what.replace(' ', '-')}/"
                             f"{instant.isoformat()}@commitment-tracker")
            event.add("dtstamp", now)
            event.add("dtstart", instant)
            event.add("dtend", instant + timedelta(minutes=15))
            event.add("summary", f"{c.title}: {what}")
            event.add("description", f"{row.slug}/{c.slug} is {track.state.value}; {what} at "
                                     f"{local(instant, row.timezone)}. Outcome: {outcome}")
            for lead in c.reminders:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{c.title}: {what} soon")
                alarm.add("trigger", -lead)
                event.add_component(alarm)
            feed.add_component(event)
    return bytes(feed.to_ical())


def _hold_outcome(window: HoldWindow, tz: str) -> str:
    if window.ended_by is None:
        return "running: it completes then if unbroken"
    how = f"became {window.ended_by.state.value} on {local(window.ended_by.at, tz)}"
    if window.outcome == "held":
        return f"held unbroken: {how}"
    return f"broken before its end: {how} ({window.ended_by.cause})"


def _due_outcome(slug: str, due: datetime, steps: list[Step], tz: str) -> str:
    done = next((s for s in steps if s.state in FINAL), None)
    if done is not None and done.at <= due:
        return f"{done.state.value} on {local(done.at, tz)}, by its due"
    late = next((s for s in steps if s.state is State.OVERDUE), None)
    if late is not None:
        tail = f"; then {done.state.value} on {local(done.at, tz)}" if done else ""
        return f"passed unfulfilled: overdue from {local(late.at, tz)}{tail}"
    if done is not None:
        return f"{done.state.value} on {local(done.at, tz)}, before it was owed"
    return "not yet reached"
