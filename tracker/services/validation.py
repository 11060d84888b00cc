"""Checks on what users type, shared by every entry point; errors name the field and the fix."""

from __future__ import annotations

from collections.abc import Sequence

from ..domain.errors import DomainError
from ..domain.records import Source
from ..seeds.fields import web_address

RELIABILITY = ("A", "B", "C", "D", "E", "F")
MAX_TEXT = 20_000


def check_plain(text: str, *, field: str) -> str:
    """Return `text` if a database can store it: no NUL, no undecodable bytes (surrogates)."""
    if "\x00" in text:
        raise DomainError(f"{field}: contains a NUL character; remove it")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # argv bytes that were not UTF-8 arrive as lone surrogates
        raise DomainError(f"{field}: is not valid UTF-8 text; retype it") from None
    return text


def check_by(by: str) -> str:
    name = check_plain(by, field="--by").strip()
    if not name or len(name) > 100:
        raise DomainError(f"--by: {by!r} is not a name; give who records this (1-100 characters)")
    return name


def check_text(text: str, *, field: str) -> str:
    check_plain(text, field=field)
    if len(text) > MAX_TEXT:
        raise DomainError(f"{field}: {len(text)} characters is over the {MAX_TEXT} limit; "
                          "shorten it or link a source")
    return text


def check_confidence(value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 1:
        raise DomainError(f"--confidence: {value} is outside 0..1; give e.g. 0.8")
    return value


def check_url(url: str) -> str:
    try:
        return web_address(check_plain(url, field="--source"))
    except ValueError as error:
        raise DomainError(f"--source: {error}") from None


def make_sources(urls: Sequence[str], reliability: str | None,
                 credibility: int | None, *, title: str = "") -> tuple[Source, ...]:
    """Return the sources of one command, each carrying the command's grades."""
    if reliability is not None and reliability.upper() not in RELIABILITY:
        raise DomainError(f"--reliability: {reliability!r} is not on the Admiralty scale A-F; "
                          "give a letter A (completely reliable) to F (cannot be judged)")
    if credibility is not None and not 1 <= credibility <= 6:
        raise DomainError(f"--credibility: {credibility} is not on the Admiralty scale 1-6; "
                          "give 1 (confirmed) to 6 (cannot be judged)")
    if (reliability or credibility) and not urls:
        raise DomainError("--reliability/--credibility grade sources; add at least one --source")
    grade = reliability.upper() if reliability else None
    title = check_text(title, field="source title")
    return tuple(Source(check_url(u), title, grade, credibility) for u in urls)
