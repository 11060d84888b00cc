"""Users (admin): who may sign in, with which role; add one."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from ui_common import data_table, esc, tracker_app, user

from tracker import services

st.title("Users")
app = tracker_app()
if not user().can("admin"):
    st.error("Only an admin manages users.")
    st.stop()
people = services.list_users(app)
if people:
    data_table("users", pd.DataFrame([{"name": u.name, "role": u.role, "state": u.state} for u in people]),
                 hide_index=True)
else:
    st.caption("No users: the dashboard runs in single-user local mode. The first user ends it.")
with st.form("add-user", clear_on_submit=True):
    name = st.text_input("Name")
    role = st.selectbox("Role", services.ROLES)
    password = st.text_input("Password (8 characters or more)", type="password")
    sent = st.form_submit_button("Add user")
if sent:
    try:
        added = services.add_user(app, name, role=role, password=password)
    except services.DomainError as error:
        st.error(esc(str(error)))
    else:
        st.success(f"Added {esc(added.name)} ({added.role}).")

if people:
    st.subheader("Change a role, or end someone's sessions")
    with st.form("manage-user"):
        left, right = st.columns(2)
        who = left.selectbox("User", [u.name for u in people])
        new_role = right.selectbox("New role", services.ROLES)
        change = st.form_submit_button("Change role")
        end = st.form_submit_button("End all their sessions",
                                    help="Signs them out everywhere, CLI tokens included.")
    try:
        if change:
            changed = services.change_role(app, who, role=new_role)
            st.success(f"{esc(changed.name)} is now {changed.role}.")
        if end:
            st.success(f"Ended {services.end_sessions(app, who)} session(s) of {esc(who)}.")
    except services.DomainError as error:
        st.error(esc(str(error)))
