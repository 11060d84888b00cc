"""`tracker user ...`: manage the dashboard's users."""

from __future__ import annotations

import sys
from datetime import timedelta

import typer
from rich.markup import escape
from rich.table import Table

from .. import services
from ..domain.errors import DomainError
from ..domain.timefmt import utc_z
from ..services.access import CLI_TOKEN_DAYS
from ..services.audit_trail import verify_audit
from . import app, friendly, print_json, tracker
from .show import console

user_app = typer.Typer(help="Dashboard users: viewer, analyst, admin.", no_args_is_help=True)
app.add_typer(user_app, name="user")


@user_app.command("add")
@friendly
def add(
    name: str = typer.Argument(..., help="The user's name, as it will appear in the log."),
    role: str = typer.Option(..., "--role", help="viewer, analyst or admin."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input (scripts)."),
) -> None:
    """Add a user; the password is stored as a salted hash, never as text."""
    password = _password(password_stdin, confirm=True)
    user = services.add_user(tracker(), name, role=role, password=password)
    typer.echo(f"user {user.name} added with role {user.role}")


@user_app.command("list")
@friendly
def list_() -> None:
    """List the users, their roles, and who is removed or has no password yet."""
    for user in services.list_users(tracker()):
        state = "" if user.state == "active" else f"\t({user.state})"
        typer.echo(f"{quoted(user.name)}\t{user.role}{state}")


@user_app.command("role")
@friendly
def role(name: str = typer.Argument(..., help="The user."),
         new_role: str = typer.Argument(..., metavar="ROLE", help="viewer, analyst or admin.")
         ) -> None:
    """Change a user's role (admins); it applies from their next action."""
    user = services.change_role(tracker(), name, role=new_role)
    typer.echo(f"user {user.name} is now {user.role}")


@user_app.command("end-sessions")
@friendly
def end_sessions(name: str = typer.Argument(..., help="The user.")) -> None:
    """End every dashboard session and CLI token of a user at once (admins)."""
    count = services.end_sessions(tracker(), name)
    typer.echo(f"ended {count} session(s) of {name}")


@user_app.command("unlock")
@friendly
def unlock(name: str = typer.Argument(..., help="The user.")) -> None:
    """Let a user sign in again at once, whatever failed attempts came before (admins)."""
    services.unlock(tracker(), name)
    typer.echo(f"{name} may sign in again")


@user_app.command("reset-password")
@friendly
def reset_password(
    name: str = typer.Argument(..., help="The user."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the new password from standard input."),
) -> None:
    """Give a user a new password and end their sessions (admins; after an import that left
    passwords out, the first admin's is set this way without a sign-in)."""
    services.reset_password(tracker(), name, password=_password(password_stdin, confirm=True))
    typer.echo(f"new password set for {name}; their sessions are ended")


@user_app.command("remove")
@friendly
def remove(name: str = typer.Argument(..., help="The user.")) -> None:
    """Remove a user (admins): no more sign-ins; records keep the name, which stays taken."""
    services.remove_user(tracker(), name)
    typer.echo(f"user {name} removed; the log keeps the name")


@app.command()
@friendly
def login(
    name: str = typer.Argument(..., help="Your user name."),
    days: int = typer.Option(CLI_TOKEN_DAYS, "--days", min=1, max=365,
                             help="How long the token lasts."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input (scripts)."),
) -> None:
    """Sign in for the CLI (team mode): prints a token to put in TRACKER_TOKEN."""
    done = services.sign_in(tracker(), name, _password(password_stdin), kind="cli",
                            lifetime=timedelta(days=days))
    typer.echo(f"signed in as {done.user.name} ({done.user.role}) until "
               f"{utc_z(done.expires_at)}; run:", err=True)
    typer.echo(f"export TRACKER_TOKEN={done.token}")


@app.command()
@friendly
def logout() -> None:
    """End the session of TRACKER_TOKEN (the token stops working at once)."""
    current = tracker()
    if current.token is None:
        raise DomainError("TRACKER_TOKEN: not set, so there is no session to end")
    if services.sign_out(current, current.token):
        typer.echo("signed out; unset TRACKER_TOKEN")
    else:
        typer.echo("that token had ended already; unset TRACKER_TOKEN")


audit_app = typer.Typer(help="The audit log (admins); `tracker audit verify` checks its chains.",
                        invoke_without_command=True, no_args_is_help=False)
app.add_typer(audit_app, name="audit")


@audit_app.callback()
@friendly
def audit(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", min=1, max=10_000, help="How many, newest first."),
    actor: str | None = typer.Option(None, "--actor", help="Only this user's events."),
    refused: bool = typer.Option(False, "--refused", help="Only refused attempts."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show the audit log (admins): who did what, when, from where, allowed or refused."""
    if ctx.invoked_subcommand is not None:
        return
    events = services.audit_log(tracker(), limit=limit, actor=actor,
                                outcome="refused" if refused else None)
    if as_json:
        print_json([{**e, "at": utc_z(e["at"])} for e in events])
        return
    table = Table()
    for column in ("id", "at (UTC)", "actor", "role", "origin", "action", "target", "outcome"):
        table.add_column(column)
    for e in events:
        table.add_row(str(e["id"]), utc_z(e["at"]), quoted(e["actor"]), e["role"],
                      quoted(e["origin"]), e["action"], quoted(e["target"][:60]),
                      e["outcome"] + (f": {quoted(e['detail'])}" if e["detail"] else ""))
    console.print(table)


@audit_app.command("verify")
@friendly
def verify(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Check every hash chain of the audit log; exit 1 at the first row that breaks one."""
    report = verify_audit(tracker())
    if as_json:
        print_json(report.model_dump(mode="json"))
    else:
        for head in report.chains:
            typer.echo(f"{head.chain or '(no agreement)'}: {head.rows} events, last hash "
                       f"{head.hash}")
        typer.echo(report.broken or f"{report.rows} events: every chain holds")
    if report.broken:
        raise typer.Exit(1)


def quoted(text: str) -> str:
    r"""Return text people or their machines supplied as inert data in a table: control
    characters as escapes, Rich's markup escaped.

    >>> quoted("a\x1b[31m[bold]b")
    'a\\x1b[31m\\[bold]b'
    """
    return escape("".join(c if c.isprintable() else repr(c)[1:-1] for c in text))


def _password(from_stdin: bool, *, confirm: bool = False) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=confirm))
