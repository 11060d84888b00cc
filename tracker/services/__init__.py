"""The use cases: the only way in for the CLI, the scheduler and the dashboard.

Each is one function and one transaction; errors are DomainErrors with a message for the user.
"""

from .admin import info, init_database
from .app import App, bootstrap
from .errors import DomainError, NotFound, StaleVersion, TransitionRefused
from .loading import load, validate
from .reading import agreement_slugs, history, status
from .recording import Evidence, Recorded, record_observation, record_transition, retract
from .ticking import Decision, tick
from .transfer import export_text, import_file

__all__ = [
    "App", "Decision", "DomainError", "Evidence", "NotFound", "Recorded", "StaleVersion",
    "TransitionRefused", "agreement_slugs", "bootstrap", "export_text", "history",
    "import_file", "info", "init_database", "load", "record_observation", "record_transition",
    "retract", "status", "tick", "validate",
]
