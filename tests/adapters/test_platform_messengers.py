"""The composition root hands every messenger the app's own engine and clock."""

from __future__ import annotations

from dataclasses import replace

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from adapters.console.messenger import ConsoleMessenger
from adapters.slack.messenger import SlackMessenger
from adapters.teams.messenger import TeamsMessenger
from bot.kernel.domain import Platform
from staffroom.bootstrap import Staffroom, platform_messengers
from storage.models.platform import TeamsConversationRow
from tests.conftest import START, fetch_all


def test_only_the_console_without_platform_settings(app: Staffroom) -> None:
    messengers = platform_messengers(app)
    assert list(messengers) == [Platform.CONSOLE]


def test_the_slack_oauth_store_reads_the_apps_own_database(app: Staffroom) -> None:
    oauth = replace(
        app, settings=replace(app.settings, slack_client_id="111.222", slack_client_secret="shh")
    )
    slack = platform_messengers(oauth)[Platform.SLACK]
    assert isinstance(slack, SlackMessenger)
    store = slack.clients.installation_store
    assert isinstance(store, SQLAlchemyInstallationStore)
    assert store.engine is app.engine


def test_teams_conversations_are_stamped_by_the_apps_clock(app: Staffroom) -> None:
    teams_app = replace(app, settings=replace(app.settings, teams_allow_unauthenticated=True))
    teams = platform_messengers(teams_app)[Platform.TEAMS]
    assert isinstance(teams, TeamsMessenger)
    teams.conversations.remember(
        "tenant-1", "aad-ana", {"user": {"id": "29:ana"}}, conversation_id="a:1", service_url="u"
    )
    [row] = fetch_all(app, TeamsConversationRow)
    assert (row.user_id, row.updated_at.replace(tzinfo=START.tzinfo)) == ("aad-ana", START)


def test_a_messenger_the_process_already_runs_is_used_instead_of_a_new_one(
    app: Staffroom,
) -> None:
    mine = ConsoleMessenger(quiet=True)
    slack_app = replace(app, settings=replace(app.settings, slack_bot_token="xoxb-1"))
    messengers = platform_messengers(slack_app, given={Platform.CONSOLE: mine})
    assert messengers[Platform.CONSOLE] is mine
    assert isinstance(messengers[Platform.SLACK], SlackMessenger)
