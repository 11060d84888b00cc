"""The form that adds a scenario to a loaded agreement: groups of conditions, each a table of
leaves (negatable, with an optional deadline) joined by all/any, the groups joined by all/any.
Every change redraws the preview: the condition in words and the checks of a seed, from the
services; nothing is written until "Add scenario"."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from ui_common import STATE_ORDER, esc, tracker_app

from tracker import services

MAX_GROUPS = 4
ALL, ANY = "all of these", "any of these"
COLUMNS = ("not", "commitment", "enters", "before")


def add_scenario_form(agreement: str, commitments: list[str]) -> None:
    """Draw the form with its live preview; on "Add scenario", add it or say what is wrong."""
    left, right = st.columns(2)
    slug = left.text_input("Slug", key="scenario-slug", placeholder="e.g. calm-breached",
                           help="Lower case, digits and hyphens; unique in the agreement.")
    group = right.text_input("Group (optional)", key="scenario-group",
                             help="Scenarios of one group exclude one another.")
    title = st.text_input("Title", key="scenario-title", placeholder="What this future is, in words")
    count = int(st.number_input("Groups of conditions", min_value=1, max_value=MAX_GROUPS, value=1,
                                key="scenario-groups", help="Each group is a table of conditions "
                                "joined by all or any; the groups are joined in turn."))
    joined = ALL
    if count > 1:
        joined = st.radio("It happens when it holds for", [f"{ALL} groups", f"{ANY} groups"],
                          horizontal=True, key="scenario-join").removesuffix(" groups")
    parts = [p for i in range(count) if (p := _group(i, commitments)) is not None]
    scenario = {"slug": slug.strip(), "title": title.strip(), **_condition(parts, joined)}
    if group.strip():
        scenario["group"] = group.strip()
    if not (slug.strip() or title.strip() or parts):
        st.caption("Its condition in words, and anything a seed's checks would refuse, show "
                   "here as you fill it in.")
    else:
        _preview(services.preview_scenario(tracker_app(), agreement, scenario))
    if st.button("Add scenario", type="primary", key="scenario-add"):
        _add(agreement, scenario)


def _preview(said: services.ScenarioPreview) -> None:
    if said.words:
        st.markdown("**In words:** " + esc(said.words[:1].upper() + said.words[1:]))
    for problem in said.problems:
        st.warning(esc(problem))


def _group(i: int, commitments: list[str]) -> dict[str, Any] | None:
    """Draw group `i` and return its condition (None while it has no complete row)."""
    mode = st.radio(f"Group {i + 1} holds when", [f"{ALL} hold", f"{ANY} holds"],
                    horizontal=True, key=f"scenario-mode-{i}")
    rows = st.data_editor(
        pd.DataFrame({"not": pd.Series([False], dtype="bool"),
                      **{c: pd.Series([None], dtype="object") for c in COLUMNS[1:]}}),
        num_rows="dynamic", hide_index=True, key=f"scenario-conditions-{i}",
        column_config={
            "not": st.column_config.CheckboxColumn(
                "not", help="It does not happen (by the date, if one is given)."),
            "commitment": st.column_config.SelectboxColumn(options=commitments),
            "enters": st.column_config.SelectboxColumn("has entered", options=STATE_ORDER),
            "before": st.column_config.TextColumn(
                "before (optional)", help="A date, 2016-09-19 (before that day ends in the "
                "agreement's zone), or an instant with its offset, 2016-09-19T19:00:00+03:00.")})
    leaves = [_leaf(r) for _, r in rows.iterrows()
              if isinstance(r["commitment"], str) and isinstance(r["enters"], str)]
    if not leaves:
        return None
    return leaves[0] if len(leaves) == 1 else {_mode(mode): leaves}


def _leaf(row: Any) -> dict[str, Any]:
    leaf: dict[str, Any] = {"commitment": str(row["commitment"]), "enters": str(row["enters"])}
    if isinstance(row["before"], str) and row["before"].strip():
        leaf["by"] = row["before"].strip()
    # A row added in the table has no value yet where it was not ticked (NaN, which is truthy).
    ticked = isinstance(row["not"], bool | np.bool_) and bool(row["not"])
    return {"not": leaf} if ticked else leaf


def _condition(parts: list[dict[str, Any]], joined: str) -> dict[str, Any]:
    """Return `{"when": ...}` for the groups drawn (nothing while there is none: the preview
    then says `when` is required, as a seed would)."""
    if not parts:
        return {}
    return {"when": parts[0] if len(parts) == 1 else {_mode(joined): parts}}


def _mode(label: str) -> str:
    return "all_of" if label.startswith(ALL) else "any_of"


def _add(agreement: str, scenario: dict[str, Any]) -> None:
    try:
        said = services.add_scenario(tracker_app(), agreement, scenario)
    except services.DomainError as error:
        st.error(f"Not added: {esc(str(error))}")
    else:
        st.session_state["forecast-flash"] = said.capitalize()
        for key in [k for k in st.session_state if str(k).startswith("scenario-")]:
            del st.session_state[key]  # a fresh form for the next one
        st.rerun()
