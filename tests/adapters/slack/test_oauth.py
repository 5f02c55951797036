"""Installs in several workspaces: OAuth through bolt, installations kept in our own database."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from urllib.error import HTTPError

import pytest
import sqlalchemy as sa
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from adapters.slack.app import SlackAdapter
from bot.kernel.domain import Member, Platform
from bot.kernel.messages import Message
from staffroom.bootstrap import Staffroom, platform_messengers
from storage.models.base import Base
from storage.models.kernel import OutboxRow, WorkspaceRow
from tests.adapters.slack import fake_slack
from tests.adapters.slack.conftest import CountedWork, Slack, serve, slack_settings
from tests.adapters.slack.fake_slack import FakeSlack
from tests.conftest import fetch_all

pytestmark = (
    pytest.mark.postgres
)  # on PostgreSQL the requests let in are shared through the database


def _shape(table: sa.Table) -> dict[str, object]:
    return {
        "columns": [
            (
                c.name,
                type(c.type).__name__,
                getattr(c.type, "length", None),
                c.nullable,
                c.primary_key,
            )
            for c in table.columns
        ],
        "indexes": sorted((i.name, tuple(c.name for c in i.columns)) for i in table.indexes),
    }


def test_our_tables_are_exactly_what_slack_sdks_stores_use() -> None:
    theirs = sa.MetaData()
    expected = {
        "slack_installations": SQLAlchemyInstallationStore.build_installations_table(
            theirs, "slack_installations"
        ),
        "slack_bots": SQLAlchemyInstallationStore.build_bots_table(theirs, "slack_bots"),
        "slack_oauth_states": SQLAlchemyOAuthStateStore.build_oauth_states_table(
            theirs, "slack_oauth_states"
        ),
    }
    for name, table in expected.items():
        assert _shape(Base.metadata.tables[name]) == _shape(table), name


@pytest.fixture
def oauth_slack(app: Staffroom, fake: FakeSlack) -> Iterator[Slack]:
    settings = slack_settings(
        app, fake, slack_bot_token=None, slack_client_id="111.222", slack_client_secret="shh"
    )
    work = CountedWork()
    adapter = SlackAdapter(app.bot, settings, engine=app.engine, executor=work)
    yield from serve(adapter, fake, work)


def install(slack: Slack) -> str:
    """A browser through /slack/install and back from Slack's consent page with a code."""
    with urllib.request.urlopen(f"{slack.server.base}/slack/install") as response:
        page = response.read().decode()
        # bolt's state cookie is Secure; a browser on https would send it back, so do we.
        cookie = response.headers["Set-Cookie"].split(";")[0]
    state = re.search(r"state=([\w-]+)", page)
    assert state, page
    request = urllib.request.Request(
        f"{slack.server.base}/slack/oauth_redirect?code=c0de&state={state.group(1)}",
        headers={"Cookie": cookie},
    )
    try:
        with urllib.request.urlopen(request) as done:
            return str(done.status)
    except HTTPError as exc:
        return f"{exc.code} {exc.read()[:300]!r}"


def test_an_install_is_stored_and_its_token_used_for_that_workspace(
    oauth_slack: Slack, app: Staffroom, fake: FakeSlack
) -> None:
    assert install(oauth_slack) == "200"
    [exchange] = fake.of("oauth.v2.access")
    assert exchange.params["code"] == "c0de"
    with app.engine.connect() as conn:
        bots = conn.execute(sa.text("SELECT team_id, bot_token FROM slack_bots")).all()
    assert bots == [("T0OAUTH", "xoxb-oauth-token")]
    # The installer is welcomed in their DM, with that workspace's own token.
    post = fake.wait_for("chat.postMessage")[0]
    assert (post.token, post.params["channel"]) == ("xoxb-oauth-token", "UINSTALLER")
    assert [w.external_id for w in fetch_all(app, WorkspaceRow)] == ["T0OAUTH"]

    body = fake_slack.command_body(
        "help", team="T0OAUTH", user="U2", response_url=fake.response_url("U2")
    )
    assert fake_slack.post(oauth_slack.url, body, fake_slack.FORM).status == 200
    assert "Here is what I can do" in fake.wait_for("response_url")[0].params["text"]
    assert {c.token for c in fake.of("users.info")} == {"xoxb-oauth-token"}


def test_the_outbox_uses_each_workspaces_token_until_it_uninstalls(
    oauth_slack: Slack, app: Staffroom, fake: FakeSlack
) -> None:
    assert install(oauth_slack) == "200"
    oauth_slack.idle()
    [welcome] = fake.of("chat.postMessage")
    assert welcome.params["channel"] == "UINSTALLER"
    messenger = platform_messengers(replace(app, settings=oauth_slack.adapter.settings))[
        Platform.SLACK
    ]
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.SLACK, "T0OAUTH", "OAuth School")
        repos = uow.scope(ws.id)
        member = repos.members.add(
            Member(workspace_id=ws.id, platform_user_id="U2", display_name="B")
        )
        repos.outbox.enqueue(member, Message(text="one"), "one", app.clock.now())
        uow.commit()
    app.worker({Platform.SLACK: messenger}, worker_id="w").drain()
    [_welcome, post] = fake.of("chat.postMessage")
    assert (post.token, post.params["text"]) == ("xoxb-oauth-token", "one")

    event = fake_slack.event_body({"type": "app_uninstalled"}, event_id="EvU", team="T0OAUTH")
    assert fake_slack.post(oauth_slack.url, event, fake_slack.JSON_TYPE).status == 200
    oauth_slack.idle()
    with app.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM slack_bots")).scalar() == 0
    # Reinstalling wakes the workspace; until then nothing is sent, and after, with the new token.
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.SLACK, "T0OAUTH", "OAuth School")
        repos = uow.scope(ws.id)
        member2 = repos.members.by_platform_user("U2")
        assert member2 is not None and ws.active is False
        repos.outbox.enqueue(member2, Message(text="two"), "two", app.clock.now())
        uow.commit()
    assert app.worker({Platform.SLACK: messenger}, worker_id="w").drain().handled == 0
    assert install(oauth_slack) == "200"
    oauth_slack.idle()
    app.worker({Platform.SLACK: messenger}, worker_id="w").drain()
    sent = [r.idempotency_key for r in fetch_all(app, OutboxRow) if r.status == "sent"]
    assert sorted(sent) == ["one", "two"]
    texts = [c.params["text"] for c in fake.of("chat.postMessage")]
    assert texts.count("one") == texts.count("two") == 1
