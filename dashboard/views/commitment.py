"""Commitment: its rules in words, where it stands, its full history, and the two forms."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from ui_common import BADGES, data_table, esc, pick_agreement, time_help, tracker_app, user, when
from ui_extras import sources_cell
from ui_forms import change_state_form, outcome_form

from tracker import services

slug = pick_agreement()
if slug is None:
    st.stop()
app = tracker_app()
items = services.agreement_detail(app, slug).items
slugs = [i.slug for i in items]
current = st.session_state.get("picked_commitment", slugs[0])
choice = st.selectbox("Commitment", slugs, index=slugs.index(current) if current in slugs else 0)
st.session_state["picked_commitment"] = choice
target = f"{slug}/{choice}"
detail = services.commitment_detail(app, target)
item, tz = detail.item, detail.timezone

flash = st.session_state.pop("flash", None)
if flash:
    message, moved = flash
    st.success(esc(message + (" Now: " + "; ".join(moved) if moved else " No state changed.")))

st.title(esc(item.title))
st.markdown(f"{esc(item.slug)} · owed by {esc(', '.join(item.owed_by))}"
            + (f" to {esc(', '.join(detail.owed_to))}" if detail.owed_to else ""))
state_col, version_col, _ = st.columns([1, 1, 3])
state_col.metric("State", item.state)
version_col.metric("Version", item.version, help="Rises with every change; the forms send it back.")
deadline = when(item.deadline, tz) or "none"
kind = f" ({item.deadline_kind})" if item.deadline_kind else ""
st.markdown(f":{BADGES.get(item.state, 'gray')}-badge[{item.state}] since **{when(item.since, tz)}**"
            f" · next deadline{kind}: **{deadline}**", help=time_help(tz))
st.markdown("**Why:** " + esc(item.cause))

st.markdown("**Rules**")
st.markdown("\n".join(f"- {esc(rule)}" for rule in detail.rules))
if detail.text:
    st.markdown("**What it says**")
    st.markdown(esc(detail.text))
if detail.provision:
    st.markdown("> " + esc(f"“{detail.provision.get('quote', '')}”") + "  \n> — "
                + esc(str(detail.provision.get("source", ""))))
if detail.notes:
    st.markdown("**Notes**")
    st.markdown(esc(detail.notes))

st.subheader("Update")
if user().can("analyst"):
    change, outcome = st.tabs(["Change state", "Record outcome"])
    with change:
        change_state_form(detail)
    with outcome:
        outcome_form(detail)
else:
    st.info(f"{esc(user().name)} is a {user().role}: reading only. An analyst can change states.")

st.subheader("History")
_, history = services.history(app, target)
if not history:
    st.caption("No record yet. The clock's decisions are listed once the scheduler has stored them.")
    st.stop()
data_table(f"history-{choice}", pd.DataFrame([{
    "id": str(h.id), "kind": h.kind, "state": h.state or "", "occurred": when(h.occurred_at, tz),
    "recorded": when(h.recorded_at, tz), "by": h.who(), "reason / summary": h.reason or h.summary,
    "sources": sources_cell(h.sources),
    "confidence": "" if h.confidence is None else f"{h.confidence:.2f}",
    "note": (f"overridden: {h.override_cause}" if h.overridden_by else "")
            + (f"retracted by #{h.retracted_by}" if h.retracted_by else "")
            + (f"retracts #{h.retracts}" if h.retracts else "")
            + ("forced: its starts/requires were not met" if h.forced else "")
            + (f"undone by #{h.undone_by}: now {h.undone_cause}" if h.undone_by else ""),
} for h in reversed(history)]), hide_index=True, column_config={
    # Widths that show what the columns hold (kind, by and summary were cut off).
    "kind": st.column_config.TextColumn("kind", width="small"),
    "by": st.column_config.TextColumn("by", width="small"),
    "reason / summary": st.column_config.TextColumn("reason / summary", width="large"),
    "note": st.column_config.TextColumn("note", width="medium"),
    "occurred": st.column_config.TextColumn("occurred", help="When it happened. " + time_help(tz)),
    "recorded": st.column_config.TextColumn("recorded", help="When the tracker learned it.")})
