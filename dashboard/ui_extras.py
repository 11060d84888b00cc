"""Pieces several pages show: unacknowledged alerts, a record's sources in one cell."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from ui_common import data_table, tracker_app, when

from tracker import services


def alerts_ready() -> bool:
    """Return True once the alerts use cases exist (they arrive with the alerts work)."""
    return hasattr(services, "list_alerts") and hasattr(services, "acknowledge")


def unacked_alerts(agreement: str, tz: str) -> None:
    if not alerts_ready():
        return
    alerts = services.list_alerts(tracker_app(), agreement=agreement, acked=False, limit=5)
    if not alerts:
        st.caption("No unacknowledged alert.")
        return
    st.markdown(f"**Unacknowledged alerts** (latest {len(alerts)}; see the Alerts page)")
    data_table(f"unacked-{agreement}", pd.DataFrame([{"fired": when(a.fired_at, tz), "kind": a.kind,
                                "commitment": a.commitment, "message": a.message}
                               for a in alerts]), hide_index=True)


def sources_cell(sources: list[services.views.SourceView]) -> str:
    """Return sources as "title [B2] (url)" joined by " · ", plain text for a table cell."""
    out = []
    for s in sources:
        grade = f" [{s.reliability or '?'}{s.credibility or '?'}]" if s.reliability or s.credibility else ""
        out.append(f"{s.title or s.url}{grade}")
    return " · ".join(out)
