"""Long-running commands: the scheduler, the dashboard, and both together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import typer

from .. import scheduler as scheduler_service
from ..config import Settings
from . import app, friendly, tracker

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


@app.command()
@friendly
def scheduler(every: int | None = typer.Option(
        None, "--every", help="Seconds between sweeps (default TRACKER_SWEEP_SECONDS, 60).")
        ) -> None:
    """Run the scheduler in the foreground (logs on stderr); stop with Ctrl-C or SIGTERM."""
    scheduler_service.run(tracker(), every_seconds=every or Settings().sweep_seconds)


def dashboard_command(port: int) -> list[str]:
    # No traceback, exception text or type reaches a reader's browser (the page shows an error id
    # the log carries), and tables export only through our CSV button, which neutralises cells.
    return [sys.executable, "-m", "streamlit", "run", str(DASHBOARD), "--server.headless=true",
            "--server.address=127.0.0.1", f"--server.port={port}",
            "--browser.gatherUsageStats=false", "--client.showErrorDetails=none",
            "--client.disableDataExport=true"]


@app.command()
def dashboard(port: int = typer.Option(8501, "--port")) -> None:
    """Serve the dashboard on 127.0.0.1:PORT (headless)."""
    os.execv(sys.executable, dashboard_command(port))


@app.command()
def up(port: int = typer.Option(8501, "--port")) -> None:
    """Run scheduler and dashboard together; Ctrl-C stops both."""
    children = [
        subprocess.Popen([sys.executable, "-m", "tracker.cli", "scheduler"]),
        subprocess.Popen(dashboard_command(port), stdout=subprocess.DEVNULL),
    ]
    typer.echo(f"dashboard: http://127.0.0.1:{port}  (Ctrl-C stops scheduler and dashboard)")
    # A supervisor stops us with SIGTERM, whose default ends the process at once and would
    # leave both children running: treat it as Ctrl-C, so `finally` stops them.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while all(child.poll() is None for child in children):
            try:
                children[0].wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            child.wait(timeout=10)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt
