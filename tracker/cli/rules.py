"""`tracker rules`: what each commitment waits on and what makes each scenario happen, in words."""

from __future__ import annotations

import typer
from rich.markup import escape

from .. import services
from . import app, friendly, print_json, tracker
from .show import console


@app.command()
@friendly
def rules(
    agreement: str = typer.Argument(..., help="Agreement slug."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show every commitment's rules and every scenario's condition in words."""
    view = services.rules(tracker(), agreement)
    if as_json:
        print_json(view.model_dump(mode="json"))
        return
    console.print(f"[dim]{escape(view.agreement)} · times in {view.timezone}[/dim]")
    for slug, words in view.commitments.items():
        console.print(f"[bold]{escape(slug)}[/bold]")
        for sentence in words:
            console.print(f"  {escape(sentence)}")
    for slug, sentence in view.scenarios.items():
        console.print(f"[bold]scenario {escape(slug)}[/bold]: {escape(sentence)}")
