"""Roles, each including the one before: `viewer` reads; `analyst` records states, observations,
forecasts and scenarios and acknowledges alerts; `admin` also loads seeds and manages users."""

from __future__ import annotations

from pydantic import BaseModel

ROLES = ("viewer", "analyst", "admin")


class UserView(BaseModel):
    name: str
    role: str
    state: str = "active"  # or "removed", or "no password" (an import left it out)

    def can(self, role: str) -> bool:
        """Return True when this user's role includes `role` (admin ⊃ analyst ⊃ viewer)."""
        return ROLES.index(self.role) >= ROLES.index(role)
