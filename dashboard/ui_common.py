"""What every page shares: the App, the signed-in user, instants in the agreement's zone, escaping.

Pages call tracker.services only; nothing here touches the database directly.
"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import streamlit as st

from tracker import services
from tracker.domain.timefmt import local, utc_z

STATE_COLOURS = {
    "pending": "#9e9e9e", "active": "#1f77b4", "overdue": "#ff7f0e", "fulfilled": "#2ca02c",
    "breached": "#d62728", "lapsed": "#8c564b", "suspended": "#9467bd", "withdrawn": "#404040",
}
STATE_ORDER = list(STATE_COLOURS)
BADGES = {"pending": "gray", "active": "blue", "overdue": "orange", "fulfilled": "green",
          "breached": "red", "lapsed": "gray", "suspended": "violet", "withdrawn": "gray"}
TABLE_ROWS = 500  # a table or picker longer than this gets a search box and shows the first rows
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")  # & too: "&amp;" stays as typed


def tracker_app() -> services.App:
    """Return this session's App, carrying the signed-in user's session for the services' checks.

    Tests put their own App in session state before the first run.
    """
    if "tracker_app" not in st.session_state:
        st.session_state["tracker_app"] = services.bootstrap()
    app: services.App = st.session_state["tracker_app"]
    # The dashboard may show TRACKER_NOW's instant (a replay on a screen); what it records runs
    # on real time in team mode whatever that says (services.access), so it keeps the setting.
    return replace(app, token=st.session_state.get("token"), origin=_origin(), clock_override="")


def _origin() -> str:
    """Return where this browser session comes from, for the audit log."""
    address = getattr(st.context, "ip_address", None)
    return f"dashboard {address or 'local'}"


def report_error() -> str:
    """Log the exception being handled, with its traceback, under a short new id; return it."""
    import logging
    import secrets

    from tracker import logs

    error_id = secrets.token_hex(4)
    logs.configure()
    logging.getLogger("tracker.dashboard").exception("dashboard error %s", error_id)
    return error_id


def data_table(name: str, data: Any, **options: Any) -> None:
    """Draw a table with our CSV download (Streamlit's own export is switched off): every cell
    neutralised as in every CSV the tracker writes, so no spreadsheet runs what people typed."""
    from tracker.reports.csvfile import to_csv

    st.dataframe(data, **options)
    frame = getattr(data, "data", data)  # a Styler holds its DataFrame in .data
    if len(frame):
        rows = [list(frame.columns), *(list(r) for r in frame.itertuples(index=False))]
        st.download_button("Download CSV", to_csv(rows).encode("utf-8"), file_name=f"{name}.csv",
                           mime="text/csv", key=f"csv-{name}")


def user() -> services.UserView:
    """Return who is signed in (in local mode: the name typed in the sidebar, as an admin)."""
    current: services.UserView = st.session_state["user"]
    return current


def esc(text: str) -> str:
    """Return `text` with every Markdown character escaped: shown as typed, never rendered."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


_run = threading.local()  # Streamlit runs each session's script in its own thread


def remember_utc() -> None:
    """Read the "Show UTC" toggle once per run (app.py calls this before the page)."""
    _run.utc = bool(st.session_state.get("show_utc", False))


def show_utc() -> bool:
    return bool(getattr(_run, "utc", False))


def when(value: datetime | None, tz: str) -> str:
    """Return an instant in the agreement's zone, with UTC beside it when the toggle is on."""
    if value is None:
        return ""
    return f"{local(value, tz)} ({utc_z(value)})" if show_utc() else local(value, tz)


def iso_local(value: datetime, tz: str) -> str:
    """Return an instant as ISO 8601 with the agreement zone's offset: what the forms prefill."""
    from tracker.domain.timefmt import zone

    return value.astimezone(zone(tz)).replace(microsecond=0).isoformat()


def pick_agreement() -> str | None:
    """Return the agreement chosen in the sidebar (shared by every page), or None if none loaded."""
    slugs = services.agreement_slugs(tracker_app())
    if not slugs:
        st.warning("No agreement is loaded yet. Run `tracker load seeds/*.yaml`.")
        return None
    current = st.session_state.get("picked_agreement", slugs[0])
    index = slugs.index(current) if current in slugs else 0
    choice = st.sidebar.selectbox("Agreement", slugs, index=index)
    st.session_state["picked_agreement"] = choice
    return str(choice)


def relative(value: datetime | None, now: datetime) -> str:
    """Return "in 3 days" / "2 hours ago" for a deadline."""
    if value is None:
        return ""
    seconds = (value - now).total_seconds()
    hours = abs(seconds) / 3600
    amount = f"{hours / 24:.0f} days" if hours >= 48 else f"{hours:.0f} hours"
    return f"in {amount}" if seconds >= 0 else f"{amount} ago"


def time_help(tz: str) -> str:
    return f"Shown in the agreement's zone, {tz}. Turn on “Show UTC” in the sidebar for UTC."


def first_rows(items: list[services.Item], key: str) -> list[services.Item]:
    """Return the commitments a big table shows: those whose slug or title holds the text typed in
    a search box, at most TABLE_ROWS of them, with a caption saying how many are not shown.

    A list of TABLE_ROWS or fewer is returned whole, with no box: small agreements read as before.
    """
    if len(items) <= TABLE_ROWS:
        return items
    text = st.text_input("Find a commitment", key=key, placeholder="part of a slug or title",
                         help="Narrows this table (and the picker below it) to matching commitments."
                         ).strip().lower()
    found = [i for i in items if text in i.slug.lower() or text in i.title.lower()] if text else items
    if len(found) > TABLE_ROWS:
        st.caption(f"Showing the first {TABLE_ROWS:,} of {len(found):,} commitments "
                   f"({len(found) - TABLE_ROWS:,} not shown): type in the box to find the others.")
    elif text:
        st.caption(f"{len(found):,} of {len(items):,} commitments match “{esc(text)}”.")
    return found[:TABLE_ROWS]


def time_axis_format(start: datetime, end: datetime) -> str:
    """Return a d3 time format for an axis from `start` to `end` that says what the span needs:
    hours within a few days, the year once the span crosses one or is a year or longer.

    >>> from datetime import UTC
    >>> time_axis_format(datetime(2016, 9, 9, tzinfo=UTC), datetime(2016, 9, 11, tzinfo=UTC))
    '%d %b %H:%M'
    >>> time_axis_format(datetime(2020, 2, 29, tzinfo=UTC), datetime(2021, 5, 1, tzinfo=UTC))
    '%b %Y'
    >>> time_axis_format(datetime(2020, 12, 1, tzinfo=UTC), datetime(2021, 2, 1, tzinfo=UTC))
    '%d %b %Y'
    """
    span = end - start
    year = "" if start.year == end.year else " %Y"
    if span <= timedelta(days=3):
        return f"%d %b{year} %H:%M"
    if span < timedelta(days=365):
        return f"%d %b{year}"
    return "%b %Y"
