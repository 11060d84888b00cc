"""Real local receivers for alert tests: an SMTP server (aiosmtpd) and an HTTP webhook."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

ALERT_ID = re.compile(r"alert #(\d+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Inbox:
    """What a receiver got: message texts, in order, and the alert ids they carry."""

    texts: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, text: str) -> None:
        with self.lock:
            self.texts.append(text)

    def alert_ids(self) -> list[int]:
        with self.lock:
            return [int(m.group(1)) for t in self.texts if (m := ALERT_ID.search(t))]

    def wait_for(self, predicate: Callable[[Inbox], bool], timeout: float = 30) -> bool:
        """Return True once `predicate` holds (polled), False after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return True
            time.sleep(0.05)
        return predicate(self)


class _Mail:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message: Message = message_from_bytes(envelope.content)
        parts = [p.get_payload(decode=True) for p in message.walk() if not p.is_multipart()]
        body = b"\n".join(p for p in parts if isinstance(p, bytes)).decode(errors="replace")
        self.inbox.add(f"{message['Subject']}\n{body}")
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[str, Inbox]]:
    """Yield an Apprise mailto:// URL for a real local SMTP server, and what it receives."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(_Mail(inbox), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield (f"mailto://127.0.0.1:{port}?from=tracker@example.org&to=desk@example.org",
               inbox)
    finally:
        controller.stop()


@contextmanager
def http_receiver(*, fail: bool = False) -> Iterator[tuple[str, Inbox]]:
    """Yield an Apprise json:// URL for a real local HTTP receiver (failing with 500 if asked)."""
    inbox = Inbox()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", 0))
            payload = json.loads(self.rfile.read(length) or b"{}")
            if fail:
                self.send_response(500)
            else:
                inbox.add(f"{payload.get('title', '')}\n{payload.get('message', '')}")
                self.send_response(200)
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"json://127.0.0.1:{server.server_port}/hook", inbox
    finally:
        server.shutdown()
        server.server_close()
