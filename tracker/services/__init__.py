"""The use cases: the only way in for the CLI, the scheduler and the dashboard.

Each is one function and one transaction; errors are DomainErrors with a message for the user.
"""

from .admin import info, init_database
from .alerts import AlertView, acknowledge, list_alerts, test_channels
from .app import App, bootstrap
from .errors import DomainError, NotFound, StaleVersion, TransitionRefused
from .loading import load, validate
from .reading import agreement_slugs, agreement_zone, history, status
from .recording import Evidence, Recorded, record_observation, record_transition, retract
from .ticking import Decision, TickReport, next_due, tick
from .transfer import export_text, import_file

__all__ = [
    "AlertView", "App", "Decision", "TickReport", "acknowledge", "list_alerts", "next_due",
    "test_channels", "DomainError", "Evidence", "NotFound", "Recorded", "StaleVersion",
    "TransitionRefused", "agreement_slugs", "agreement_zone", "bootstrap", "export_text", "history",
    "import_file", "info", "init_database", "load", "record_observation", "record_transition",
    "retract", "status", "tick", "validate",
]

from .access import AccessDenied, SignedIn, audit_log, session_user, sign_in, sign_out  # noqa: E402
from .describe import Edge  # noqa: E402
from .overview import (  # noqa: E402
    CommitmentDetail,
    Detail,
    Item,
    Segment,
    Summary,
    agreement_detail,
    commitment_detail,
    overview,
    timeline,
)
from .users import (  # noqa: E402
    ROLES,
    UserView,
    add_user,
    authenticate,
    change_role,
    end_sessions,
    has_users,
    list_users,
    remove_user,
    reset_password,
    unlock,
)

__all__ += [
    "ROLES", "CommitmentDetail", "Detail", "Edge", "Item", "Segment", "Summary", "UserView",
    "add_user", "agreement_detail", "authenticate", "commitment_detail", "has_users", "list_users",
    "remove_user", "reset_password", "unlock",
    "overview", "timeline",
]

from .clock import parse_user_instant  # noqa: E402

__all__ += ["parse_user_instant"]

from .forecast_checks import GROUP_TOLERANCE  # noqa: E402
from .forecasting import Forecasted, record_forecast, record_group_forecast  # noqa: E402
from .scoring import UNSCORED_TITLE, ScoresView, UnscoredView, scores  # noqa: E402

__all__ += ["GROUP_TOLERANCE", "Forecasted", "ScoresView", "UNSCORED_TITLE", "UnscoredView",
            "record_forecast", "record_group_forecast", "scores"]

from .diffing import DiffView, diff  # noqa: E402

__all__ += ["DiffView", "diff"]

from .reporting import Report, report  # noqa: E402

__all__ += ["Report", "report"]

from .scenario_history import ScenarioEvent, scenario_history  # noqa: E402

__all__ += ["ScenarioEvent", "scenario_history"]

from .scenarios import ScenarioPreview, add_scenario, preview_scenario  # noqa: E402

__all__ += ["ScenarioPreview", "add_scenario", "preview_scenario"]

__all__ += ["AccessDenied", "SignedIn", "audit_log", "change_role", "end_sessions", "session_user",
            "sign_in", "sign_out"]

from .archive import BackupReport, backup, restore  # noqa: E402
from .checkup import Check, HealthReport, database_trouble, doctor, health  # noqa: E402

__all__ += ["BackupReport", "Check", "HealthReport", "backup", "database_trouble", "doctor", "health",
            "restore"]

from .audit_trail import ChainReport, verify_audit  # noqa: E402

__all__ += ["ChainReport", "verify_audit"]

from .rules import RulesView, rules  # noqa: E402

__all__ += ["RulesView", "rules"]
