"""The HTTP edge: bad bodies get a 4xx (never a 500 with a trace), and JWT auth is on with an app id."""

from __future__ import annotations

import json

import pytest

from adapters.teams.app import MAX_BODY_BYTES, bot_config, build_teams_app
from bot.kernel.settings import Settings, SettingsError
from staffroom.bootstrap import Staffroom
from storage.db import make_session_factory
from storage.models.kernel import WorkspaceRow
from storage.models.members import MemberRow
from storage.repositories.platform import SqlTeamsConversations
from tests.adapters.teams.conftest import Teams
from tests.conftest import count
from tests.support.aiohttp_loop import Loop


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"text": "no type"}', "application/json", 400),
        (b'{"type": "message", "text": "hi"}', "application/json", 400),
        (b'{"type": "message"}', "text/plain", 415),
        (b"\xff\xfe", "application/json", 400),
    ],
)
def test_malformed_bodies_get_a_4xx(
    teams: Teams, app: Staffroom, body: bytes, content_type: str, status: int
) -> None:
    got, answer = teams.post(body, content_type=content_type)
    assert got == status
    assert "Traceback" not in json.dumps(answer)
    assert count(app, WorkspaceRow) == 0


def test_an_oversized_body_gets_413(teams: Teams) -> None:
    activity = teams.activity(text="x" * (MAX_BODY_BYTES + 10))
    got, _ = teams.post(activity)
    assert got == 413
    assert teams.connector.calls == []


def test_with_an_app_id_an_unsigned_request_is_refused(app: Staffroom) -> None:
    loop = Loop()
    settings = Settings(
        database_url="unused", microsoft_app_id="00000000-0000-0000-0000-000000000001"
    )
    store = SqlTeamsConversations(make_session_factory(app.engine), app.clock.now)
    try:
        port = loop.serve(build_teams_app(app.bot, store, settings))
        teams = Teams(
            url=f"http://127.0.0.1:{port}/api/messages",
            service_url="http://127.0.0.1:9/",
            connector=None,  # type: ignore[arg-type]
            store=store,
            messenger=None,  # type: ignore[arg-type]
            worker=None,  # type: ignore[arg-type]
        )
        status, _ = teams.say("join")
        assert status == 401
        assert count(app, MemberRow) == 0 and count(app, WorkspaceRow) == 0
    finally:
        loop.close()


def test_serving_without_an_app_id_needs_the_explicit_setting() -> None:
    with pytest.raises(SettingsError, match="MICROSOFT_APP_ID"):
        bot_config(Settings())
    assert bot_config(Settings(teams_allow_unauthenticated=True)).APP_ID == ""
    with pytest.raises(SettingsError, match="MICROSOFT_APP_TENANT_ID"):
        bot_config(
            Settings(
                microsoft_app_id="id",
                microsoft_app_password="pw",
                microsoft_app_type="SingleTenant",
            )
        )


def test_health_answers(teams: Teams) -> None:
    import urllib.request

    with urllib.request.urlopen(teams.url.replace("/api/messages", "/healthz")) as response:
        assert response.status == 200
