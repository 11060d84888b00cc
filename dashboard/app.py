"""The commitment tracker's dashboard: Overview, Agreement, Commitment, Alerts, History (+ Users).

Streamlit multipage (st.navigation). Pages call tracker.services only. With no user in the
database it runs in single-user local mode (bound to 127.0.0.1 by `tracker dashboard`); once a user
exists, a login is required and every change is recorded under that user's name.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # the helper modules beside this file, under AppTest too
    sys.path.insert(0, str(HERE))

from ui_common import esc, remember_utc, report_error, tracker_app  # noqa: E402

from tracker import services  # noqa: E402

st.set_page_config(page_title="Commitment tracker", layout="wide")


def login(app: services.App, notice: str = "") -> None:
    st.title("Commitment tracker")
    st.caption("Sign in to see and update commitments.")
    if notice:
        st.warning(notice)
    with st.form("login"):
        name = st.text_input("Name")
        password = st.text_input("Password", type="password")
        sent = st.form_submit_button("Sign in", type="primary")
    if sent:
        try:
            done = services.sign_in(app, name, password)
        except services.AccessDenied as error:
            reason = str(error).removeprefix("sign-in: ")
            st.error(esc(reason[:1].upper() + reason[1:]))
        else:
            st.session_state["user"], st.session_state["token"] = done.user, done.token
            st.rerun()
    st.stop()


def signed_in(app: services.App) -> services.UserView:
    """Return the user: the signed-in one, or in local mode whoever the sidebar names.

    The session is checked against the database on every run, so an expired or ended session
    (or a user whose role changed) takes effect at the next click, not at the next sign-in.
    """
    if services.has_users(app):
        token = st.session_state.get("token")
        current = services.session_user(app, token) if token else None
        if current is None:
            ended = "Your session has ended (it expired or was signed out); sign in again."
            st.session_state.pop("user", None)
            st.session_state.pop("token", None)
            login(app, ended if token else "")
        assert current is not None
        st.session_state["user"] = current
        st.sidebar.markdown(f"Signed in as **{esc(current.name)}** ({current.role})")
        if st.sidebar.button("Sign out"):
            services.sign_out(app, token)
            del st.session_state["user"], st.session_state["token"]
            st.rerun()
        return current
    st.info("Single-user local mode: no users exist, so there is no login and this dashboard is "
            "bound to 127.0.0.1. Add one with `tracker user add NAME --role admin` to require it.")
    # Remembered per browser in the page's address (?as=NAME), so a visit or reload keeps it.
    name = st.sidebar.text_input("Recording as", value=st.query_params.get("as", "local-analyst"),
                                 help="Your name in the log (local mode has no login); kept "
                                      "in this page's address for your next visit.")
    local = services.UserView(name=name.strip() or "local-analyst", role="admin")
    if st.query_params.get("as") != local.name:
        st.query_params["as"] = local.name
    st.session_state["user"] = local
    return local



def main() -> None:
    app = tracker_app()
    current = signed_in(app)
    st.sidebar.toggle("Show UTC", key="show_utc",
                      help="Instants are shown in each agreement's zone; this adds UTC beside them.")
    remember_utc()
    # No icons: Streamlit fetches Material symbols from a font server, outside this origin.
    pages = [
        st.Page("views/overview.py", title="Overview", default=True),
        st.Page("views/agreement.py", title="Agreement"),
        st.Page("views/commitment.py", title="Commitment"),
        st.Page("views/alerts.py", title="Alerts"),
        st.Page("views/history.py", title="History"),
        st.Page("views/scenarios.py", title="Scenarios"),
    ]
    if current.can("admin"):
        pages.append(st.Page("views/users.py", title="Users"))
        pages.append(st.Page("views/audit.py", title="Audit"))
    st.navigation(pages).run()


try:
    main()
except Exception:  # noqa: BLE001 - Streamlit's own stop and rerun are BaseExceptions, not these
    # No traceback, SQL or path for the reader (Streamlit's own details are off too, see
    # `tracker dashboard`): a short id to quote, and the whole story in the log under it.
    st.error(f"Something went wrong on this page (error {report_error()}). Reload it; if it "
             "happens again, give this error id to whoever runs the tracker.")
