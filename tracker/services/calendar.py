"""Use case `calendar`: every known deadline of an agreement as an iCalendar feed."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Alarm, Calendar, Event

from ..domain.deadlines import due_at, hold_ends_at
from ..domain.timefmt import local
from ..store import queries
from ..store.db import unit_of_work
from .access import readable
from .app import App
from .projecting import agreement_model
from .reading import current_tracks
from .recording import agreement_or_fail


@readable("calendar")
def calendar_feed(app: App, slug: str) -> bytes:
    """Return an .ics feed: one event per due instant and running hold's end, with reminders."""
    now = app.clock()
    with unit_of_work(app.database_url, read_only=True) as session:
        row = agreement_or_fail(session, slug)
        rows = queries.commitments(session, row.id or 0)
        tracks = current_tracks(session, row, rows, at=now)
    agreement = agreement_model(row)
    feed = Calendar()
    feed.add("prodid", "-//commitment tracker//EN")
    feed.add("version", "2.0")
    # An X- property is not escaped by icalendar: a line break in a title must not reach it.
    feed.add("x-wr-calname", f"{' '.join(row.title.split())} — deadlines")
    feed.add("x-wr-timezone", row.timezone)
    for c in agreement.commitments:
        track = tracks[c.slug]
        marks = [("due", due_at(c, tracks)), ("end of hold", hold_ends_at(c, track))]
        for what, instant in marks:
            if instant is None:
                continue
            event = Event()
            event.add("uid", f"{row.slug}/{c.slug}/{what.replace(' ', '-')}/"
                             f"{instant.isoformat()}@commitment-tracker")
            event.add("dtstamp", now)
            event.add("dtstart", instant)
            event.add("dtend", instant + timedelta(minutes=15))
            event.add("summary", f"{c.title}: {what}")
            event.add("description", f"{row.slug}/{c.slug} is {track.state.value}; {what} at "
                                     f"{local(instant, row.timezone)}. {track.cause}")
            for lead in c.reminders:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{c.title}: {what} soon")
                alarm.add("trigger", -lead)
                event.add_component(alarm)
            feed.add_component(event)
    return bytes(feed.to_ical())
