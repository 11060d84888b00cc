"""Settings: the TRACKER_ environment, read once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    path = Path(user_data_dir("commitment-tracker", appauthor=False)) / "tracker.db"
    return f"sqlite:///{path}"


class Settings(BaseSettings):
    """Every knob of the tracker; `TRACKER_DATABASE_URL`, `TRACKER_NOW`, ..."""

    model_config = SettingsConfigDict(env_prefix="TRACKER_", env_ignore_empty=True, extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    now: str | None = None  # an ISO 8601 instant: the clock for this process (tests, replays)
    alert_urls: str = ""  # Apprise URLs, comma separated: mailto://..., json://..., ...
    sweep_seconds: int = Field(default=60, ge=1)
    # A reminder whose moment passed longer ago than this is folded into one catch-up notice.
    reminder_grace_seconds: int = Field(default=600, ge=0)
    # Team mode: the CLI's token (`tracker login NAME` prints one) and how long sign-ins last.
    token: str = Field(default="", repr=False)
    session_hours: float = Field(default=12, gt=0, le=24 * 30)
    # Logs of the scheduler and the other long-running parts: human lines, or JSON lines.
    # Checked where logging is set up, so a typo stops the scheduler only, not every command.
    log_format: str = "human"  # or "json"
    log_level: str = "INFO"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
