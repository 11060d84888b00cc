"""History: the agreement as of an instant, and as it was known at a second instant; the
difference is what was learned late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st
from ui_common import data_table, esc, iso_local, pick_agreement, tracker_app, when
from ui_extras import sources_cell

from tracker import services

SLIDER_STEPS = (timedelta(hours=1), timedelta(hours=6), timedelta(days=1), timedelta(days=7))
MAX_SLIDER_STEPS = 2000


def slider_steps(start: datetime, end: datetime) -> list[datetime]:
    """Return `start` and every whole step after it up to `end`: a time slider's stops.

    The step is the first of an hour, six hours, a day or a week that makes at most
    MAX_SLIDER_STEPS stops (a week for anything longer). The stops stay the same while the clock
    runs within a step, so the slider keeps its place between reruns.
    """
    if end <= start:
        return [start]
    span = end - start
    step = next((s for s in SLIDER_STEPS if span / s <= MAX_SLIDER_STEPS), SLIDER_STEPS[-1])
    epoch = datetime(2000, 1, 1, tzinfo=UTC)  # stops fall on whole steps of UTC time
    stop = epoch + ((start - epoch) // step + 1) * step
    stops = [start]
    while stop <= end:
        stops.append(stop)
        stop += step
    return stops


def nearest_step(steps: list[datetime], at: datetime) -> datetime:
    """Return the last stop at or before `at` (the first stop if `at` is before them all)."""
    return max((s for s in steps if s <= at), default=steps[0])


def step_words(steps: list[datetime]) -> str:
    gap = steps[2] - steps[1] if len(steps) > 2 else steps[-1] - steps[0]
    return {3600: "an hour", 21600: "six hours", 86400: "a day", 604800: "a week"}.get(
        int(gap.total_seconds()), str(gap))


slug = pick_agreement()
if slug is None:
    st.stop()
app = tracker_app()
now = app.clock()
title = services.status(app, slug)
tz = title.timezone
st.title("History")
st.caption(f"{esc(title.title)} · instants with an offset or Z; the agreement's zone is {tz}")

start = title.announced_at
steps = slider_steps(start, now)
if "as-of-text" not in st.session_state:  # set here, not as `value=`: the slider moves it
    st.session_state["as-of-text"] = iso_local(now, tz)


def slid() -> None:
    """The slider moved: it sets "State as of" (the text box stays free for an exact instant)."""
    st.session_state["as-of-text"] = iso_local(st.session_state["as-of-slider"], tz)


if len(steps) > 1:
    try:  # the slider follows an instant typed in the box, to the stop at or before it
        typed = services.parse_user_instant(st.session_state["as-of-text"], field="state as of")
        st.session_state["as-of-slider"] = nearest_step(steps, typed)
    except services.DomainError:  # the box shows the error below; the slider stays on a stop
        st.session_state["as-of-slider"] = nearest_step(
            steps, st.session_state.get("as-of-slider", now))
    st.select_slider("Move through the agreement's life", options=steps, key="as-of-slider",
                     on_change=slid, format_func=lambda at: when(at, tz),
                     help=f"From its announcement to now, in steps of {step_words(steps)}; sets "
                          f"“State as of”. Shown in {tz}.")
left, right = st.columns(2)
as_of_text = left.text_input("State as of", key="as-of-text",
                             help="What stood at this instant, as we know it now. Type an exact "
                                  "instant, or move the slider above.")
known_text = right.text_input("As known at", value=as_of_text,
                              help="What we believed then: only records recorded by this instant.")
try:
    as_of = services.parse_user_instant(as_of_text, field="state as of", tz=tz)
    known = services.parse_user_instant(known_text, field="as known at", tz=tz)
    now_view = services.status(app, slug, as_of=as_of)
    then_view = services.status(app, slug, as_of=as_of, known=known)
except services.DomainError as error:
    st.error(esc(str(error)))
    st.stop()

then = {c.slug: c for c in then_view.commitments}
rows = []
for c in now_view.commitments:
    old = then[c.slug]
    rows.append({"commitment": c.slug, "as known now": c.state, "since": when(c.since, tz),
                 f"as known at {when(known, tz)}": old.state,
                 "learned late": "yes" if old.state != c.state else "",
                 "cause (known now)": c.cause, "cause (then)": old.cause})
frame = pd.DataFrame(rows)
late = int((frame["learned late"] == "yes").sum())
st.subheader(f"As of {when(as_of, tz)}")
st.caption(f"{late} commitment(s) differ between what we know now and what we knew at "
           f"{when(known, tz)}; they are highlighted.")


def highlight(row: pd.Series) -> list[str]:
    colour = "background-color: #fff3bf" if row["learned late"] else ""
    return [colour] * len(row)


data_table("states", frame.style.apply(highlight, axis=1), hide_index=True)

scen_then = {s.slug: s for s in then_view.scenarios}
st.markdown("**Scenarios**")
# A scenario an analyst added after the second instant was not defined then (status leaves it
# out of what we knew), as `tracker diff` says.
data_table("scenario-outcomes", pd.DataFrame([{"scenario": s.slug, "as known now": s.outcome,
                            "as known then": scen_then[s.slug].outcome if s.slug in scen_then
                            else "not defined then (added later)",
                            "resolved": when(s.resolved_at, tz)} for s in now_view.scenarios]),
             hide_index=True)
added_later = [s.slug for s in now_view.scenarios if s.slug not in scen_then]
if added_later:
    st.caption(f"Not defined at {when(known, tz)}: {esc(', '.join(added_later))} (added by an "
               "analyst later, so nothing was believed about it then).")

st.subheader("Records learned after the second instant")
_, items = services.history(app, slug)
learned = [h for h in items if h.by != "clock" and h.recorded_at > known and h.occurred_at <= as_of]
if learned:
    data_table("records-learned", pd.DataFrame([{
        "id": str(h.id), "commitment": h.commitment, "kind": h.kind, "state": h.state or "",
        "occurred": when(h.occurred_at, tz), "recorded": when(h.recorded_at, tz), "by": h.who(),
        "reason / summary": h.reason or h.summary, "sources": sources_cell(h.sources)}
        for h in learned]), hide_index=True)
else:
    st.caption("None: nothing that happened by the first instant was recorded after the second.")
