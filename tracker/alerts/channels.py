"""Apprise channels: named without their secrets, sent one at a time so each has its result."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..domain.errors import DomainError


@dataclass(frozen=True)
class Channel:
    """One configured URL. `name` is safe to show and store: scheme, host, port and a digest."""

    name: str
    url: str


def parse_channels(urls: str | None) -> list[Channel]:
    """Return the channels in TRACKER_ALERT_URLS (comma separated), refusing unknown schemes."""
    raws = [u.strip() for u in (urls or "").split(",") if u.strip()]
    if not raws:
        return []
    import apprise  # slow to import: only when channels are configured

    out = []
    for raw in raws:
        if apprise.Apprise.instantiate(raw) is None:
            raise DomainError(f"TRACKER_ALERT_URLS: {safe_name(raw)} is not a URL Apprise "
                              "understands; see its list of services (mailto://, json://, ...)")
        out.append(Channel(safe_name(raw), raw))
    return out


def safe_name(url: str) -> str:
    """Return scheme://host[:port] plus a short digest: distinct per URL, no secrets.

    >>> safe_name("mailto://me:secret@mail.example.org:2525?to=a@b.c")
    'mailto://mail.example.org:2525#426a12'
    """
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    digest = hashlib.sha256(url.encode()).hexdigest()[:6]
    return f"{parts.scheme}://{host}{port}#{digest}"


def send(channel: Channel, *, title: str, body: str) -> str | None:
    """Send one message; return None on success, else the error (without the URL's secrets)."""
    import apprise

    notifier = apprise.Apprise()
    if not notifier.add(channel.url):
        return "the URL was refused by Apprise"
    with apprise.LogCapture(level=logging.WARNING) as captured:  # type: ignore[no-untyped-call]
        ok = notifier.notify(title=title, body=body)
        log = captured.getvalue() if not ok else ""
    if ok:
        return None
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    return _redact(lines[-1] if lines else "delivery failed", channel.url)


def _redact(text: str, url: str) -> str:
    parts = urlsplit(url)
    for secret in (parts.password, parts.username, url):
        if secret:
            text = text.replace(secret, "***")
    return text[:500]
