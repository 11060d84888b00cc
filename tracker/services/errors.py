"""Errors the services raise; all are DomainErrors, so callers show the message and exit."""

from __future__ import annotations

from ..domain.errors import DomainError, TransitionRefused

__all__ = ["DomainError", "NotFound", "StaleVersion", "TransitionRefused"]


class NotFound(DomainError):
    """An agreement, commitment or record that does not exist."""


class StaleVersion(DomainError):
    """The commitment changed since the caller read it."""
