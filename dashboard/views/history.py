"""History: the agreement as of an instant, and as it was known at a second instant; the
difference is what was learned late."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from ui_common import esc, iso_local, pick_agreement, tracker_app, when
from ui_extras import sources_cell

from tracker import services

slug = pick_agreement()
if slug is None:
    st.stop()
app = tracker_app()
now = app.clock()
title = services.status(app, slug)
tz = title.timezone
st.title("History")
st.caption(f"{esc(title.title)} · instants with an offset or Z; the agreement's zone is {tz}")

left, right = st.columns(2)
as_of_text = left.text_input("State as of", value=iso_local(now, tz),
                             help="What stood at this instant, as we know it now.")
known_text = right.text_input("As known at", value=as_of_text,
                              help="What we believed then: only records recorded by this instant.")
try:
    as_of = services.parse_user_instant(as_of_text, field="state as of")
    known = services.parse_user_instant(known_text, field="as known at")
    now_view = services.status(app, slug, as_of=as_of)
    then_view = services.status(app, slug, as_of=as_of, known=known)
except services.DomainError as error:
    st.error(str(error))
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


st.dataframe(frame.style.apply(highlight, axis=1), hide_index=True)

scen_then = {s.slug: s for s in then_view.scenarios}
st.markdown("**Scenarios**")
st.dataframe(pd.DataFrame([{"scenario": s.slug, "as known now": s.outcome,
                            "as known then": scen_then[s.slug].outcome,
                            "resolved": when(s.resolved_at, tz)} for s in now_view.scenarios]),
             hide_index=True)

st.subheader("Records learned after the second instant")
_, items = services.history(app, slug)
learned = [h for h in items if h.by != "clock" and h.recorded_at > known and h.occurred_at <= as_of]
if learned:
    st.dataframe(pd.DataFrame([{
        "id": str(h.id), "commitment": h.commitment, "kind": h.kind, "state": h.state or "",
        "occurred": when(h.occurred_at, tz), "recorded": when(h.recorded_at, tz), "by": h.by,
        "reason / summary": h.reason or h.summary, "sources": sources_cell(h.sources)}
        for h in learned]), hide_index=True)
else:
    st.caption("None: nothing that happened by the first instant was recorded after the second.")
