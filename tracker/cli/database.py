"""`tracker db ...`: what the database's owner does once, outside the running parts."""

from __future__ import annotations

import sys

import typer

from ..services.database_roles import DEFAULT_ROLE, create_roles
from . import app, friendly, tracker

db_app = typer.Typer(help="The database's owner: roles for the running parts.",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("create-roles")
@friendly
def create_roles_(
    role: str = typer.Option(DEFAULT_ROLE, "--role", help="The name of the role to create."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the role's password from standard input."),
) -> None:
    """Create (or update) the PostgreSQL role the scheduler and dashboards use: it may append
    to the log and rewrite what the projection derives, but never change a record or the audit
    log, nor alter the schema. Run as the owner, once and after each `tracker init`."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    for line in create_roles(tracker(), role=role, password=password):
        typer.echo(line)
