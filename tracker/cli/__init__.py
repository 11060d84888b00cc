"""The `tracker` command line (Typer). Every command calls one use case in tracker.services."""

from __future__ import annotations

import json
import os
import pwd
import socket
import sys
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer
from sqlalchemy.exc import InternalError, OperationalError, ProgrammingError

from .. import services
from ..config import Settings
from ..services.checkup import database_trouble
from ..services.clock import parse_user_instant
from . import show
from .parsing import Tracker

app = Tracker(help="Track conditional agreements: commitments, deadlines, evidence, history.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
F = TypeVar("F", bound=Callable[..., Any])
_state: dict[str, Any] = {}


def main() -> None:
    app(args=hoist_now(sys.argv[1:]))


def hoist_now(argv: list[str]) -> list[str]:
    """Return argv with `--now T` moved to the front, so it works after the command name too.

    >>> hoist_now(["status", "x", "--now", "2016-09-20T00:00:00Z"])
    ['--now', '2016-09-20T00:00:00Z', 'status', 'x']
    """
    out: list[str] = []
    now: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] == "--now" and i + 1 < len(argv):
            now = ["--now", argv[i + 1]]
            i += 2
            continue
        if argv[i].startswith("--now="):
            now = ["--now", argv[i].removeprefix("--now=")]
        else:
            out.append(argv[i])
        i += 1
    return now + out


@app.callback()
def _global(now: str | None = typer.Option(
        None, "--now", help="The clock for this command, e.g. 2016-09-20T12:00:00+03:00 "
        "(default: TRACKER_NOW, else the system clock)."),
        log_format: str | None = typer.Option(
        None, "--log-format", help="Logs of the scheduler: human or json (default: "
        "TRACKER_LOG_FORMAT, else human).")) -> None:
    _state["now"] = now
    if log_format is not None:  # through the environment, so `tracker up`'s scheduler has it too
        os.environ["TRACKER_LOG_FORMAT"] = log_format


def tracker() -> services.App:
    """Return the App for this command: settings, plus the --now clock."""
    return services.bootstrap(Settings(), now=_state.get("now"), origin=_origin())


def _origin() -> str:
    """Return where this command runs, for the audit log and the sign-in throttle: "cli
    ana@host", the OS account of the process's real user id, never what LOGNAME or USER claim."""
    try:
        who = pwd.getpwuid(os.getuid()).pw_name
    except (KeyError, OSError):  # no such user in the password database (containers)
        who = f"uid {os.getuid()}"
    return _printable(f"cli {who}@{socket.gethostname()}")


def friendly(command: F) -> F:
    """Turn refusals into one clear line on stderr and a non-zero exit."""
    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except services.DomainError as error:
            fail(str(error))
        except (OperationalError, ProgrammingError, InternalError) as error:  # PG read-only: Internal
            text = str(error.orig)
            if "no such table" in text or "does not exist" in text:
                fail("the database is not initialised; run `tracker init` first")
            fail(database_trouble(text) or f"database error: {text.splitlines()[0]}")
    return run  # type: ignore[return-value]


def fail(message: str) -> None:
    lines = [_printable(line) for line in message.rstrip("\n").split("\n")] or ["failed"]
    for line in lines:
        typer.echo(f"error: {line}", err=True)
    raise typer.Exit(1)


def _printable(line: str) -> str:
    r"""Return `line` with control characters shown as escapes, so a value the user typed can
    neither break the one-line message nor move the terminal's cursor.

    >>> _printable("FILE: a\x1eb")
    'FILE: a\\x1eb'
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in line)


def instant(value: str | None, field: str, agreement: str | None = None) -> datetime | None:
    """Return the instant typed for `field`; a naive one is refused with the offset that
    `agreement`'s zone has at that time (looked up only then)."""
    if value is None:
        return None
    try:
        return parse_user_instant(value, field=field)
    except services.DomainError:
        if agreement is None:
            raise
        from ..services.reading import agreement_zone

        return parse_user_instant(value, field=field, tz=agreement_zone(tracker(), agreement))


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


from . import (  # noqa: E402,F401  (register the commands on `app`)
    alerting,
    commands,
    database,
    forecasts,
    ops,  # backup, restore, doctor, health
    rules,
    running,
    scenarios,
    users,
)

__all__ = ["Path", "app", "main", "show"]
