"""Fixtures the team-mode tests share."""

from __future__ import annotations

import pytest

from tracker import services

from ..conftest import SEEDS, SYRIA, app_at, signed_in

NOW = "2016-09-16T12:00:00+03:00"
PASSWORD = "a long password"


@pytest.fixture
def team(migrated_url: str) -> services.App:
    """The Syria seed loaded, then an admin, an analyst and a viewer: team mode from now on."""
    app = app_at(migrated_url, NOW)
    services.load(app, [SEEDS / f"{SYRIA}.yaml"])
    services.add_user(app, "ada", role="admin", password=PASSWORD)
    admin = signed_in(app, "ada", PASSWORD)
    services.add_user(admin, "ann", role="analyst", password=PASSWORD)
    services.add_user(admin, "vic", role="viewer", password=PASSWORD)
    return app
