"""Drive the dashboard in-process with Streamlit's AppTest, against a loaded Syria database."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from tracker import services

from ..conftest import SEEDS, SYRIA, app_at

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
LOADED = "2016-09-10T12:00:00+03:00"
NOW = "2016-09-16T12:00:00+03:00"  # the calm is holding; the Geneva centre waits on it


def loaded(url: str, *, records: bool = False, now: str = NOW) -> services.App:
    """Return an App at `now` on a database holding the Syria seed (and its record file)."""
    paths = [SEEDS / f"{SYRIA}.yaml"] + ([SEEDS / f"{SYRIA}.record.yaml"] if records else [])
    services.load(app_at(url, LOADED if not records else now), paths)
    return app_at(url, now)


PASSWORD = "a long password"  # every test user's


def page(app: services.App, path: str = "views/overview.py", *, user: services.UserView | None = None,
         commitment: str | None = None) -> AppTest:
    """Return the dashboard run once on `path`, signed in as `user` (None: no one)."""
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    at.session_state["tracker_app"] = app
    if user is not None:
        at.session_state["user"] = user
        at.session_state["token"] = services.sign_in(app, user.name, PASSWORD).token
    if commitment is not None:
        at.session_state["picked_commitment"] = commitment
    at.run()
    if path != "views/overview.py":
        at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def by_label(widgets: Any, label: str) -> Any:
    found = [w for w in widgets if w.label == label]
    assert found, (label, [w.label for w in widgets])
    return found[0]


def texts(at: AppTest) -> str:
    """Return every title, header, markdown, caption, message and metric of the page as one text,
    as a reader sees it (the Markdown escapes removed)."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "success", "info",
                 "warning"):
        parts += [shown(str(e.value)) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def shown(markdown: str) -> str:
    r"""Return Markdown source as its reader sees it: the text, without the escapes that keep
    what people typed from being formatting.

    >>> shown(r"Recorded \#1 as mira\.haddad\.")
    'Recorded #1 as mira.haddad.'
    """
    return re.sub(r"\\(.)", r"\1", markdown)
