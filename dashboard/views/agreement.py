"""Agreement: its commitments as a table, a dependency graph and a timeline; its sources."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from ui_charts import MAX_GRAPH_NODES, chart_height, dependency_dot, timeline_chart
from ui_common import STATE_ORDER, data_table, esc, first_rows, pick_agreement, time_help, tracker_app, when

from tracker import services

slug = pick_agreement()
if slug is None:
    st.stop()
app = tracker_app()
detail = services.agreement_detail(app, slug)
tz = detail.timezone

st.title(esc(detail.title))
st.caption(f"{esc(detail.slug)} · parties: {esc(', '.join(detail.parties))} · announced "
           f"{when(detail.announced_at, tz)} · as of {when(detail.as_of, tz)} · times in {tz}")
present = [s for s in STATE_ORDER if detail.counts.get(s)]
for column, state in zip(st.columns(len(present)), present, strict=True):
    column.metric(state, detail.counts[state])

st.subheader("Commitments")
shown = first_rows(detail.items, key="find-commitment")
frame = pd.DataFrame([{
    "commitment": i.slug, "title": i.title, "state": i.state, "since": when(i.since, tz),
    "next deadline": when(i.deadline, tz), "kind": i.deadline_kind or "", "version": i.version,
    "owed by": ", ".join(i.owed_by), "cause": i.cause} for i in shown],
    columns=["commitment", "title", "state", "since", "next deadline", "kind", "version", "owed by",
             "cause"])
data_table(f"commitments-{slug}", frame, hide_index=True, column_config={
    "title": st.column_config.TextColumn("title", width="medium"),
    "since": st.column_config.TextColumn("since", help=time_help(tz)),
    "next deadline": st.column_config.TextColumn("next deadline", help=time_help(tz))})
open_left, open_right = st.columns([3, 1])
target = open_left.selectbox("Open a commitment", [i.slug for i in shown], key="open-target")
if open_right.button("Open", type="primary", disabled=target is None):
    st.session_state["picked_commitment"] = target
    st.switch_page("views/commitment.py")

slugs = [i.slug for i in detail.items]
focus = slugs
if len(slugs) > MAX_GRAPH_NODES:
    focus = st.multiselect(f"{len(slugs)} commitments: pick the ones to draw", slugs,
                           default=slugs[:40])
st.subheader("Dependencies")
st.caption("An arrow runs from a commitment to the one whose rule reads it; colours are states.")
st.graphviz_chart(dependency_dot(detail, set(focus)))

st.subheader("States over time")
st.caption(f"Each bar is a state; ◆ marks the next deadline. Hover for instants in {tz} and UTC.")
segments = services.timeline(app, slug, focus)
st.altair_chart(timeline_chart(segments, detail.items, tz), width="stretch",
                height=chart_height(len(focus)) + 60)

st.subheader("Sources")
for source in detail.sources:
    grade = f" — graded {source.get('reliability') or '?'}{source.get('credibility') or '?'}"
    st.markdown(f"- {esc(source.get('title') or source['url'])}{esc(grade)}  \n  "
                f"{esc(source['url'])}")
if detail.notes:
    with st.expander("Notes"):
        st.markdown(esc(detail.notes))
