"""Logging for the long-running parts: the human format by default, or one JSON object per
line (`TRACKER_LOG_FORMAT=json`, `tracker --log-format json ...`) for a log collector."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from .domain.errors import DomainError

FORMATS = ("human", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
HUMAN = "%(asctime)s %(name)s %(message)s"
# What every LogRecord carries; anything else on a record came from `extra=` and is logged.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts (UTC ISO 8601), level, logger, message, then the extras."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname.lower(), "logger": record.name,
            "message": record.getMessage(),
        }
        out.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]  # generic only in typeshed
    """Ours, so configuring twice replaces it instead of logging every line twice."""


def configure(fmt: str | None = None, *, level: str | None = None,
              stream: TextIO | None = None) -> logging.Handler:
    """Send the root logger to `stream` (stderr) in `fmt` (default TRACKER_LOG_FORMAT)."""
    from .config import Settings

    settings = Settings()
    fmt = (fmt or settings.log_format).lower()
    if fmt not in FORMATS:
        raise DomainError(f"TRACKER_LOG_FORMAT: {fmt!r} is not a log format; use "
                          f"{' or '.join(FORMATS)}")
    level = (level or settings.log_level).upper()
    if level not in LEVELS:
        raise DomainError(f"TRACKER_LOG_LEVEL: {level!r} is not a level; use one of "
                          f"{', '.join(LEVELS)}")
    handler = _Handler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(HUMAN))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job run otherwise
    return handler
