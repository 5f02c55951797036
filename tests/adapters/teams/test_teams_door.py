"""What an attacker sees at the Teams door with authentication on: every forged or broken token is a 401,
every unreadable body a 400, never a 500, and nothing is logged with a traceback or stored.

The Bot Framework's signing keys are played by a key made here (no network): ``kid-1`` is known, so a
token can fail for each of the reasons a real one could.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import jwt
import pytest
from botframework.connector.auth.jwt_token_extractor import _OpenIdMetadata
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from adapters.teams.app import build_teams_app
from bot.kernel.settings import Settings
from staffroom.bootstrap import Staffroom
from storage.db import make_session_factory
from storage.models.kernel import WorkspaceRow
from storage.models.members import MemberRow
from storage.models.platform import TeamsConversationRow
from storage.repositories.platform import SqlTeamsConversations
from tests.adapters.teams.conftest import Teams
from tests.conftest import count
from tests.support.aiohttp_loop import Loop

APP_ID = "00000000-0000-0000-0000-000000000001"
ISSUER = "https://api.botframework.com"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def known_keys() -> list[dict[str, Any]]:
    jwk = json.loads(RSAAlgorithm.to_jwk(KEY.public_key()))
    return [{**jwk, "kid": "kid-1", "endorsements": ["msteams"]}]


@pytest.fixture
def locked(
    app: Staffroom, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[Teams]:
    """The Teams app with an app id (authentication on) over loopback."""

    async def refresh(self: _OpenIdMetadata) -> None:
        self.keys = known_keys()
        self.last_updated = datetime.now()

    monkeypatch.setattr(_OpenIdMetadata, "_refresh", refresh)
    caplog.set_level(logging.DEBUG)
    loop = Loop()
    settings = Settings(database_url="unused", microsoft_app_id=APP_ID)
    store = SqlTeamsConversations(make_session_factory(app.engine), app.clock.now)
    try:
        port = loop.serve(build_teams_app(app.bot, store, settings))
        yield Teams(
            url=f"http://127.0.0.1:{port}/api/messages",
            service_url="http://127.0.0.1:9/",  # nothing there: a reply attempt would fail loudly
            connector=None,  # type: ignore[arg-type]
            store=store,
            messenger=None,  # type: ignore[arg-type]
            worker=None,  # type: ignore[arg-type]
        )
    finally:
        loop.close()


def claims(**extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"iss": ISSUER, "aud": APP_ID, "iat": now, "nbf": now, "exp": now + 600, **extra}


def b64(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def unsigned(header: dict[str, Any]) -> str:
    return f"{b64(header)}.{b64(claims())}."


TOKENS = {
    "missing": None,
    "empty bearer": "Bearer ",
    "garbage": "Bearer abc.def",
    "not a JWT at all": "Bearer \u00e9\u00e9\u00e9",
    "another scheme": "Basic YWxhZGRpbjpvcGVuc2VzYW1l",
    "alg none": "Bearer " + unsigned({"alg": "none", "kid": "kid-1", "typ": "JWT"}),
    "alg none, no key id": "Bearer " + unsigned({"alg": "none", "typ": "JWT"}),
    "HS256": "Bearer "
    + jwt.encode(
        claims(),
        "a-shared-secret-long-enough-for-hs256",
        algorithm="HS256",
        headers={"kid": "kid-1"},
    ),
    "unknown key id": "Bearer "
    + jwt.encode(claims(), KEY, algorithm="RS256", headers={"kid": "kid-unknown"}),
    "signed by another key": "Bearer "
    + jwt.encode(claims(), OTHER_KEY, algorithm="RS256", headers={"kid": "kid-1"}),
    "expired": "Bearer "
    + jwt.encode(
        claims(exp=int(time.time()) - 3600), KEY, algorithm="RS256", headers={"kid": "kid-1"}
    ),
    "for another bot": "Bearer "
    + jwt.encode(claims(aud="someone-else"), KEY, algorithm="RS256", headers={"kid": "kid-1"}),
    "another issuer": "Bearer "
    + jwt.encode(claims(iss="https://evil.example"), KEY, algorithm="RS256"),
}


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


@pytest.mark.parametrize("token", list(TOKENS), ids=list(TOKENS))
def test_every_bad_token_is_a_401_without_a_traceback(
    locked: Teams, app: Staffroom, caplog: pytest.LogCaptureFixture, token: str
) -> None:
    header = TOKENS[token]
    status, answer = locked.post(
        locked.activity(text="join"), headers={"Authorization": header} if header else {}
    )
    assert status == 401, answer
    assert "Traceback" not in json.dumps(answer)
    assert tracebacks(caplog) == []
    assert count(app, WorkspaceRow) == 0 and count(app, MemberRow) == 0
    assert count(app, TeamsConversationRow) == 0


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 5000 + b"]" * 5000,
        b'{"type": "message", "value": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"type": "message", "value": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001,
    ],
    ids=["a list 5,000 deep", "a value 5,000 deep", "objects 5,000 deep"],
)
def test_a_body_nested_absurdly_deep_is_a_400(
    locked: Teams, app: Staffroom, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    status, _ = locked.post(body)
    assert status == 400
    assert tracebacks(caplog) == []
    assert count(app, WorkspaceRow) == 0


def test_a_valid_token_still_gets_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """The other side of the 401s: a token the Bot Framework would issue is accepted."""
    import asyncio

    from botbuilder.schema import Activity

    from adapters.teams.app import authenticate, make_adapter

    async def refresh(self: _OpenIdMetadata) -> None:
        self.keys = known_keys()
        self.last_updated = datetime.now()

    monkeypatch.setattr(_OpenIdMetadata, "_refresh", refresh)
    service_url = "https://smba.trafficmanager.net/emea/"
    token = jwt.encode(
        claims(serviceurl=service_url), KEY, algorithm="RS256", headers={"kid": "kid-1"}
    )
    activity = Activity().deserialize(
        {
            "type": "message",
            "channelId": "msteams",
            "serviceUrl": service_url,
            "conversation": {"id": "a:1"},
        }
    )
    adapter = make_adapter(Settings(database_url="unused", microsoft_app_id=APP_ID))
    accepted = asyncio.run(authenticate(adapter, activity, f"Bearer {token}"))
    assert accepted is not None and accepted.claims_identity.is_authenticated
    forged = asyncio.run(authenticate(adapter, activity, "Bearer abc.def"))
    assert forged is None
