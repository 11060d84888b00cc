"""Audit (admin): who did what, when, from where, and what was refused. Nothing here can be
changed: the database refuses to update or delete audit events."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from ui_common import data_table, esc, tracker_app

from tracker import services
from tracker.domain.timefmt import utc_z

st.title("Audit log")
st.caption("Every change and every refused attempt, newest first. Instants in UTC.")
left, middle, right = st.columns([2, 1, 1])
actor = left.text_input("Only this user", placeholder="a user name")
refused = middle.toggle("Only refused", help="Forged or unauthorised requests, bad sign-ins.")
limit = right.number_input("Show", min_value=10, max_value=5000, value=200, step=50)
try:
    events = services.audit_log(tracker_app(), limit=int(limit), actor=actor.strip() or None,
                                outcome="refused" if refused else None)
except services.DomainError as error:
    st.error(esc(str(error)))
    st.stop()
if not events:
    st.caption("No events match.")
    st.stop()
frame = pd.DataFrame([{"id": e["id"], "at (UTC)": utc_z(e["at"]), "actor": e["actor"],
                       "role": e["role"], "origin": e["origin"], "action": e["action"],
                       "target": e["target"], "outcome": e["outcome"], "detail": e["detail"]}
                      for e in events])
data_table("audit", frame.style.apply(
    lambda row: ["background-color: #ffe3e3" if row["outcome"] == "refused" else ""] * len(row),
    axis=1), hide_index=True)
