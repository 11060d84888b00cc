"""The form that adds a scenario to a loaded agreement; the service checks it as a seed's."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from ui_common import STATE_ORDER, esc, tracker_app

from tracker import services


def add_scenario_form(agreement: str, commitments: list[str]) -> None:
    """Draw the form; on submit, add the scenario or show what is wrong (nothing is written)."""
    with st.form("add-scenario", clear_on_submit=False):
        left, right = st.columns(2)
        slug = left.text_input("Slug", placeholder="e.g. calm-breached",
                               help="Lower case, digits and hyphens; unique in the agreement.")
        group = right.text_input("Group (optional)",
                                 help="Scenarios of one group exclude one another.")
        title = st.text_input("Title", placeholder="What this future is, in words")
        mode = st.radio("It happens when", ["all of these hold", "any of these holds"],
                        horizontal=True)
        rows = st.data_editor(
            pd.DataFrame({"commitment": pd.Series([None], dtype="object"),
                          "has entered": pd.Series([None], dtype="object")}),
            num_rows="dynamic", hide_index=True, key="scenario-conditions",
            column_config={
                "commitment": st.column_config.SelectboxColumn(options=commitments),
                "has entered": st.column_config.SelectboxColumn(options=STATE_ORDER)})
        sent = st.form_submit_button("Add scenario", type="primary")
    if not sent:
        return
    pairs = [(str(r["commitment"]), str(r["has entered"])) for _, r in rows.iterrows()
             if r["commitment"] and r["has entered"]]
    terms = dict(pairs)
    if len(terms) < len(pairs):  # a dict would keep only the last row of a repeated commitment
        st.error("Not added: a commitment appears in two rows; give each commitment once")
        return
    scenario = {"slug": slug.strip(), "title": title.strip(),
                "when": {"all_of" if mode.startswith("all") else "any_of": terms}}
    if group.strip():
        scenario["group"] = group.strip()
    try:
        said = services.add_scenario(tracker_app(), agreement, scenario)
    except services.DomainError as error:
        st.error(f"Not added: {esc(str(error))}")
    else:
        st.session_state["forecast-flash"] = said.capitalize()
        st.rerun()
