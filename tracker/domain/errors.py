"""Errors the domain raises; each names what was wrong and how to fix it."""


class DomainError(ValueError):
    """A request the domain refuses; the message is meant for the user as it stands."""


class TransitionRefused(DomainError):
    """A transition the table (or a rule) does not allow from the commitment's state at that instant."""
