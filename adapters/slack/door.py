"""Slack's front door: a request is checked on its raw bytes before anything parses it.

bolt decodes and parses a body before its own signature check, so a non-numeric timestamp header,
truncated JSON or bytes that are not UTF-8 used to end in a 500 and a traceback, even unsigned. Here
the order is the safe one: the size, the timestamp, then the signature (Slack's ``v0`` HMAC of
``v0:<timestamp>:<body>`` with the signing secret, compared in constant time), and only then the body's
shape. Anything wrong is refused with a 4xx and one line in the log, never a traceback.

A signed request can still be captured and sent again within Slack's five-minute window; its
signature (which covers the timestamp) is remembered, and a second arrival is answered ``200`` with
nothing done. Slash commands and buttons have no id of their own to de-duplicate on, so this is the
only thing that makes their replay harmless.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import parse_qsl

log = logging.getLogger(__name__)

WINDOW_SECONDS = 5 * 60
"""Slack's own rule: a request whose timestamp is further than this from now is not Slack's."""
MAX_BODY_BYTES = 1024 * 1024
"""Slack's largest payloads (a modal with every block echoed back) are tens of KB."""
SIGNATURE_PREFIX = "v0="


@dataclass(frozen=True)
class Refusal:
    status: str
    reason: str


UNAUTHORIZED = "401 Unauthorized"
BAD_REQUEST = "400 Bad Request"
TOO_LARGE = "413 Payload Too Large"


class SeenRequests(Protocol):
    """Which signed requests have arrived already (``storage.repositories.replays`` keeps them in the
    database, so that every copy of the server agrees)."""

    def first_time(self, signature: str, timestamp: int) -> bool: ...


class RecentSignatures:
    """Signatures seen in the last window, in this process's memory, bounded.

    The first line of defence (a replay to the same process costs no database round trip) and the
    only one when no database is given or it cannot answer.
    """

    def __init__(self, max_entries: int = 200_000, clock: Callable[[], float] = time.time) -> None:
        self.max_entries = max_entries
        self.clock = clock
        self._seen: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, signature: str, timestamp: int) -> bool:
        horizon = int(self.clock()) - 2 * WINDOW_SECONDS
        with self._lock:
            if signature in self._seen:
                return False
            while self._seen and (
                len(self._seen) >= self.max_entries or next(iter(self._seen.values())) < horizon
            ):
                self._seen.popitem(last=False)
            self._seen[signature] = timestamp
            return True


class Remembered:
    """Memory first, then the shared store; a store that fails leaves memory's answer standing."""

    def __init__(self, shared: SeenRequests | None, memory: RecentSignatures | None = None) -> None:
        self.shared = shared
        self.memory = memory or RecentSignatures()

    def first_time(self, signature: str, timestamp: int) -> bool:
        if not self.memory.first_time(signature, timestamp):
            return False
        if self.shared is None:
            return True
        try:
            return self.shared.first_time(signature, timestamp)
        except Exception as exc:  # the database is busy or gone: this process still remembers
            log.warning("could not record a Slack request signature: %s", type(exc).__name__)
            return True


def signature_for(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256)
    return SIGNATURE_PREFIX + digest.hexdigest()


def content_length(raw: str | None) -> int | Refusal:
    text = (raw or "0").strip()
    if not text.isascii() or not text.isdigit():
        return Refusal(BAD_REQUEST, "Content-Length is not a number")
    length = int(text)
    if length > MAX_BODY_BYTES:
        return Refusal(TOO_LARGE, f"body larger than {MAX_BODY_BYTES} bytes")
    return length


def verify(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float
) -> Refusal | None:
    """Slack's signature check, refusing (never raising) on any header a client could send."""
    if not timestamp or not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return Refusal(UNAUTHORIZED, "timestamp header missing or not a number")
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        return Refusal(UNAUTHORIZED, "timestamp outside the five-minute window")
    if not signature or not signature.isascii():
        return Refusal(UNAUTHORIZED, "signature header missing")
    if not hmac.compare_digest(signature_for(secret, timestamp, body), signature):
        return Refusal(UNAUTHORIZED, "signature does not match")
    return None


def well_formed(content_type: str, body: bytes) -> Refusal | None:
    """A signed body is still parsed here first, so that bolt only ever sees one it can read."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            return shaped(json.loads(text))
        if content_type.startswith("application/x-www-form-urlencoded"):
            form = dict(parse_qsl(text, keep_blank_values=True, errors="strict"))
            return shaped(json.loads(form["payload"])) if "payload" in form else None
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return Refusal(BAD_REQUEST, "body is not UTF-8 JSON or a form")
    return Refusal(BAD_REQUEST, "unexpected content type")


OBJECTS = ("event", "view", "team", "user", "container", "channel", "message")
"""Keys bolt and ``inbound.py`` read as objects: anything else there crashes them, signed or not."""


def shaped(data: object) -> Refusal | None:
    """An event or an interactive payload in the shape Slack sends: an object with a string type,
    objects where objects are read, and a list of actions that are objects."""
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        return Refusal(BAD_REQUEST, "not a Slack event or payload (no type)")
    if any(data.get(key) is not None and not isinstance(data[key], dict) for key in OBJECTS):
        return Refusal(BAD_REQUEST, "a Slack payload with a malformed part")
    actions = data.get("actions")
    if data["type"] == "block_actions" and not actions:
        return Refusal(BAD_REQUEST, "a button press with no action")
    if actions is not None and not (
        isinstance(actions, list) and all(isinstance(a, dict) for a in actions)
    ):
        return Refusal(BAD_REQUEST, "a Slack payload with malformed actions")
    return None


@dataclass(frozen=True)
class Admitted:
    body: bytes


@dataclass(frozen=True)
class Replayed:
    signature: str


class Door:
    """Decides what becomes of one request to the events path: refused, a replay, or admitted."""

    def __init__(
        self, secret: str, seen: SeenRequests, clock: Callable[[], float] = time.time
    ) -> None:
        self.secret = secret
        self.seen = seen
        self.clock = clock

    def check(
        self,
        *,
        body: bytes,
        content_type: str,
        timestamp: str | None,
        signature: str | None,
    ) -> Refusal | Replayed | Admitted:
        refused = verify(self.secret, timestamp, signature, body, self.clock())
        if refused is None:
            refused = well_formed(content_type, body)
        if refused is not None:
            log.info("refused a Slack request (%s): %s", refused.status, refused.reason)
            return refused
        assert timestamp is not None and signature is not None
        if not self.seen.first_time(signature, int(timestamp)):
            log.info("a signed Slack request arrived a second time; nothing done")
            return Replayed(signature)
        return Admitted(body)
