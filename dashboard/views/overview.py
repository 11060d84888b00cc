"""Overview: every agreement with counts by state, overdue first, the next deadlines, open alerts."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st
from ui_common import (
    STATE_ORDER,
    data_table,
    esc,
    first_rows,
    relative,
    show_utc,
    time_help,
    tracker_app,
    when,
)
from ui_extras import unacked_alerts

from tracker import services

NEXT_DEADLINES = 15

st.title("Overview")
app = tracker_app()
summaries = services.overview(app)
if not summaries:
    st.warning("No agreement is loaded yet. Run `tracker load seeds/*.yaml`.")
    st.stop()

left, middle, right = st.columns(3)
chosen = left.multiselect("Agreements", [s.slug for s in summaries], placeholder="all")
parties = middle.multiselect("Owed by party", sorted({p for s in summaries for p in s.parties}),
                             placeholder="any")
states = right.multiselect("States", STATE_ORDER, placeholder="any")


def wanted(item: services.Item) -> bool:
    return (not parties or bool(set(parties) & set(item.owed_by))) and (not states or item.state in states)


def table(items: list[services.Item], tz: str, now: datetime) -> pd.DataFrame:
    rows = []
    for i in items:
        row = {"commitment": i.slug, "title": i.title, "state": i.state,
               "deadline": when(i.deadline, tz), "from now": relative(i.deadline, now),
               "kind": i.deadline_kind or "", "owed by": ", ".join(i.owed_by)}
        rows.append(row)
    return pd.DataFrame(rows)


for summary in summaries:
    if chosen and summary.slug not in chosen:
        continue
    tz = summary.timezone
    st.subheader(esc(summary.title))
    st.caption(f"{esc(summary.slug)} · as of {when(summary.as_of, tz)} · times in {tz}")
    present = [s for s in STATE_ORDER if summary.counts.get(s)]
    for column, state in zip(st.columns(max(len(present), 1) + 1), ["total", *present], strict=False):
        column.metric(state, len(summary.items) if state == "total" else summary.counts[state])
    items = [i for i in summary.items if wanted(i)]
    overdue = [i for i in items if i.state == "overdue"]
    upcoming = sorted((i for i in items if i.deadline and i.state != "overdue"),
                      key=lambda i: i.deadline or summary.as_of)[:NEXT_DEADLINES]
    config = {"deadline": st.column_config.TextColumn("deadline", help=time_help(tz))}
    if overdue:
        st.markdown(f"**Overdue** ({len(overdue)})")
        data_table(f"overdue-{summary.slug}", table(overdue[:200], tz, summary.as_of),
                   hide_index=True, column_config=config)
    st.markdown("**Next deadlines**")
    if upcoming:
        data_table(f"next-{summary.slug}", table(upcoming, tz, summary.as_of), hide_index=True,
                   column_config=config)
    else:
        st.caption("No deadline ahead for the commitments shown.")
    unacked_alerts(summary.slug, tz)
    with st.expander(f"All {len(items)} commitments shown by the filters"):
        shown = first_rows(items, key=f"find-{summary.slug}")
        data_table(f"all-{summary.slug}", pd.DataFrame([{"commitment": i.slug, "state": i.state,
                                    "since": when(i.since, tz), "owed by": ", ".join(i.owed_by),
                                    "cause": i.cause} for i in shown],
                                  columns=["commitment", "state", "since", "owed by", "cause"]),
                     hide_index=True)
if show_utc():
    st.caption("Instants show the agreement's zone, then UTC in brackets.")
