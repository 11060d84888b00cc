"""Use cases `init` and `info`: the database's schema and what the tracker is pointed at."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from ..alerts.channels import configured
from ..domain.timefmt import utc_z
from .access import AccessDenied, in_team_mode
from .app import App
from .reading import agreement_slugs


def init_database(app: App) -> str:
    """Migrate the database to the newest schema; return the revision it is at."""
    from ..store.migrate import current_revision, upgrade  # Alembic is slow to import

    upgrade(app.database_url)
    return current_revision(app.database_url) or "none"


def _clock(app: App, migrated: str | None) -> str:
    if migrated and in_team_mode(app):
        return f"{utc_z(app.wall_clock())} (real time: team mode)"
    return utc_z(app.clock())


def info(app: App) -> dict[str, object]:
    """Return where the data lives (password hidden), its schema, and what it holds."""
    from ..store.migrate import current_revision, head_revision

    url = make_url(app.database_url).render_as_string(hide_password=True)
    current = current_revision(app.database_url)
    channels, refused = configured(app.alert_urls)
    out: dict[str, object] = {"database": url, "schema": current or "not initialised",
                              "schema_head": head_revision(app.database_url),
                              "clock": _clock(app, current),
                              "alert_channels": [c.name for c in channels]
                              or "inbox only (TRACKER_ALERT_URLS is empty)"}
    if refused:
        out["alert_channels_refused"] = [str(r) for r in refused]
    if current:
        out["agreements"] = _agreements(app)
    return out


def _agreements(app: App) -> list[str] | str:
    """Return the loaded agreements, or why they are not shown (team mode needs a viewer)."""
    try:
        return agreement_slugs(app)
    except AccessDenied:
        return "not shown: in team mode they need a viewer's sign-in (TRACKER_TOKEN)"
