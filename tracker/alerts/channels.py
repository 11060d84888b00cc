"""Apprise channels: named without their secrets, sent one at a time so each has its result.

One function, `masked`, turns a channel's URL into the name everything shows and stores (info,
doctor, the inbox, the dashboard, logs, the delivery table, exports): Apprise's own privacy mode,
which knows where each of its services keeps its secrets, without the query string (settings,
and custom headers or payload fields that privacy mode leaves as they are). A URL Apprise cannot
use is refused with its position and scheme only, and the other channels go on working.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]{0,30})://")
_PIECES = re.compile(r"[/:@?&=#,;+%\s]+")


@dataclass(frozen=True)
class Channel:
    """One configured URL. `name` is safe to show and store; `url` never leaves this module's
    callers' memory."""

    name: str
    url: str = field(repr=False)
    aliases: tuple[str, ...] = ()  # names older trackers stored deliveries under


@dataclass(frozen=True)
class Refused:
    """A TRACKER_ALERT_URLS entry Apprise cannot use, told by its position and scheme only."""

    position: int
    scheme: str

    def __str__(self) -> str:
        return (f"TRACKER_ALERT_URLS entry {self.position} ({self.scheme}): Apprise cannot use it; "
                "check it against that service's URL format in Apprise's list (the URL is not "
                "shown: it may hold a secret)")


def configured(urls: str | None) -> tuple[list[Channel], list[Refused]]:
    """Return the usable channels of TRACKER_ALERT_URLS (comma separated) and the refused ones."""
    raws = [u.strip() for u in (urls or "").split(",") if u.strip()]
    channels: list[Channel] = []
    refused: list[Refused] = []
    for position, raw in enumerate(raws, 1):
        name = masked(raw)
        if name is None:
            refused.append(Refused(position, _scheme(raw)))
        else:
            channels.append(Channel(name, raw, _legacy_names(raw)))
    return channels, refused


def parse_channels(urls: str | None) -> list[Channel]:
    """Return the usable channels, skipping refused ones, so one bad URL stops neither a
    command, the sweep nor the other channels (`doctor`, `info` and the scheduler name it)."""
    return configured(urls)[0]


def masked(url: str) -> str | None:
    """Return the name shown for `url`: Apprise's privacy URL, without its query, plus a short
    digest that tells two URLs apart; None when Apprise cannot use the URL.

    >>> masked("json://hook:t0ken@127.0.0.1:9/x")[:30]
    'json://hook:****@127.0.0.1:9/x'
    """
    plugin = _instantiate(url)
    if plugin is None:
        return None
    try:
        private = str(plugin.url(privacy=True))
    except Exception:  # noqa: BLE001 - a plugin that cannot describe itself is not usable
        return None
    shown = private.split("?", 1)[0].rstrip("/")
    digest = hashlib.sha256(url.encode()).hexdigest()[:6]
    return f"{shown[:180]}#{digest}"


def _instantiate(url: str) -> Any:
    import apprise  # slow to import: only when channels are configured

    try:
        with _quiet_apprise():
            return apprise.Apprise.instantiate(url)
    except Exception:  # noqa: BLE001 - whatever Apprise raises, the URL is not usable
        return None


@contextmanager
def _quiet_apprise() -> Iterator[None]:
    """Keep Apprise's own log lines, which may quote a URL, out of our logs and stderr."""
    apprise_log = logging.getLogger("apprise")
    before = apprise_log.propagate
    apprise_log.propagate = False
    try:
        yield
    finally:
        apprise_log.propagate = before


def _scheme(url: str) -> str:
    found = _SCHEME.match(url)
    return f"{found.group(1).lower()}://" if found else "no scheme"


def _legacy_names(url: str) -> tuple[str, ...]:
    """Return the name trackers before this one stored (scheme://host:port#digest), so their
    pending deliveries still find their channel."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a port that is not a number: that name could never have been stored
        return ()
    digest = hashlib.sha256(url.encode()).hexdigest()[:6]
    return (f"{parts.scheme}://{parts.hostname or '?'}{port}#{digest}",)


def secrets_of(channel: Channel) -> list[str]:
    """Return the pieces of the URL its name does not show: what privacy mode hid."""
    return sorted({p for p in _PIECES.split(channel.url) if len(p) >= 4 and p not in channel.name},
                  key=len, reverse=True)


def redact(text: str, channel: Channel) -> str:
    """Return `text` (an error, a log line) with every hidden piece of the URL replaced."""
    text = text.replace(channel.url, channel.name)
    for secret in secrets_of(channel):
        text = text.replace(secret, "***")
    return text[:500]


def send(channel: Channel, *, title: str, body: str) -> str | None:
    """Send one message; return None on success, else the error (without the URL's secrets)."""
    import apprise

    notifier = apprise.Apprise()
    try:
        with _quiet_apprise(), apprise.LogCapture(  # type: ignore[no-untyped-call]
                level=logging.WARNING) as captured:
            if not notifier.add(channel.url):
                return "the URL was refused by Apprise"
            ok = notifier.notify(title=title, body=body)
            text = captured.getvalue() if not ok else ""
    except Exception as error:  # noqa: BLE001 - a plugin's crash is this channel's failure only
        return redact(f"{type(error).__name__}: {error}", channel)
    if ok:
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return redact(lines[-1] if lines else "delivery failed", channel)
