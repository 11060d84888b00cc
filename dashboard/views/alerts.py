"""Alerts: the inbox. Filter by agreement, kind and acknowledged; acknowledge one or many."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from ui_common import data_table, esc, tracker_app, user, when

from tracker import services
from tracker.services import alerts as inbox

st.title("Alerts")
app = tracker_app()
ACKED = {"Unacknowledged": False, "Acknowledged": True, "All": None}

left, middle, right = st.columns(3)
agreements = ["all", *services.agreement_slugs(app)]
agreement = left.selectbox("Agreement", agreements, key="alerts-agreement")
kind = middle.selectbox("Kind", ["all", *inbox.KINDS], key="alerts-kind")
acked = right.selectbox("Acknowledged", list(ACKED), key="alerts-acked")
alerts = inbox.list_alerts(app, agreement=None if agreement == "all" else agreement,
                           kind=None if kind == "all" else kind, acked=ACKED[acked])

if not alerts:
    st.info("No alert matches these filters.")
    st.stop()
st.caption(f"{len(alerts)} alert(s), newest first; instants in each agreement's zone.")
data_table("alerts", pd.DataFrame([{
    "id": a.id, "fired": when(a.fired_at, a.timezone or "UTC"), "kind": a.kind,
    "agreement": a.agreement, "commitment": a.commitment,
    "deadline": when(a.deadline, a.timezone or "UTC"), "message": a.message,
    "acknowledged": "yes" if a.acked else "",
    "deliveries": " · ".join(f"{d.channel}: {d.status} ({d.attempts})" for d in a.deliveries),
} for a in alerts]), hide_index=True)

open_ids = [a.id for a in alerts if not a.acked]
if not user().can("analyst"):
    st.caption(f"{esc(user().name)} is a {user().role}: an analyst acknowledges alerts.")
elif open_ids:
    chosen = st.multiselect("Alerts to acknowledge", open_ids, key="alerts-chosen",
                            format_func=lambda i: f"#{i}")
    one, every = st.columns([1, 3])
    ids = []
    if one.button("Acknowledge selected", disabled=not chosen):
        ids = list(chosen)
    if every.button(f"Acknowledge all {len(open_ids)} shown"):
        ids = open_ids
    if ids:
        try:
            done = inbox.acknowledge(app, ids, by=user().name)
        except services.DomainError as error:
            st.error(esc(str(error)))
        else:
            st.session_state.pop("alerts-chosen", None)
            st.toast(f"Acknowledged {done} alert(s) as {esc(user().name)}.")
            st.rerun()
