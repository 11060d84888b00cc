"""The dashboard's first page: where every commitment of every agreement stands, now.

It calls tracker.services and draws; nothing more. The full dashboard (forms, alerts, history)
is its own piece of work.
"""

from __future__ import annotations

import streamlit as st

from tracker import services
from tracker.domain.timefmt import local

st.set_page_config(page_title="Commitment tracker", layout="wide")
st.title("Commitment tracker")
st.info("Single-user local mode: this dashboard is bound to 127.0.0.1 and shows status only.")

app = services.bootstrap()
slugs = services.agreement_slugs(app)
if not slugs:
    st.warning("No agreement is loaded yet. Run `tracker load seeds/*.yaml`.")
for slug in slugs:
    view = services.status(app, slug)
    st.header(view.title)
    st.caption(f"{view.agreement} · as of {local(view.as_of, view.timezone)} · "
               f"times in {view.timezone}")
    st.dataframe(
        [{"commitment": c.slug, "state": c.state, "since": local(c.since, view.timezone),
          "due": local(c.due, view.timezone) if c.due else "", "cause": c.cause}
         for c in view.commitments],
        hide_index=True, use_container_width=True,
    )
    for s in view.scenarios:
        when = f" ({local(s.resolved_at, view.timezone)})" if s.resolved_at else ""
        st.write(f"Scenario **{s.slug}**: {s.outcome}{when}")
