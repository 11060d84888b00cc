"""A report on one agreement rendered for people: Markdown, self-contained HTML, or CSV."""

from __future__ import annotations

from ..domain.errors import DomainError
from ..services.reporting import Report
from . import csvfile, html, markdown

FORMATS = {"md": markdown.render, "html": html.render, "csv": csvfile.render}


def render(report: Report, fmt: str) -> str:
    """Return `report` as text in `fmt` (md, html or csv)."""
    if fmt not in FORMATS:
        raise DomainError(f"--format: {fmt!r} is not a report format; use md, html or csv")
    return FORMATS[fmt](report)
