"""`tracker user ...`: manage the dashboard's users."""

from __future__ import annotations

import sys

import typer

from .. import services
from . import app, friendly, tracker

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
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = services.add_user(tracker(), name, role=role, password=password)
    typer.echo(f"user {user.name} added with role {user.role}")


@user_app.command("list")
@friendly
def list_() -> None:
    """List the users and their roles."""
    for user in services.list_users(tracker()):
        typer.echo(f"{user.name}\t{user.role}")
