"""The one place that builds Staffroom's object graph from settings: engine, unit of work, bot,
messengers. Everything else is given its collaborators. Imports of storage and adapters stay inside
functions so ``staffroom --help`` stays fast."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.features import REGISTRY
from bot.kernel.clock import Clock, SystemClock
from bot.kernel.delivery import DeliveryWorker
from bot.kernel.dispatch import Bot
from bot.kernel.domain import EmailSource, Member, Platform, Program, Role
from bot.kernel.i18n import use_default_language
from bot.kernel.ports import DeliveryQueue, Messenger, Scope, UnitOfWork, UnitOfWorkFactory
from bot.kernel.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from adapters.pacing import SharedPacers
    from adapters.slack.messenger import SlackMessenger
    from adapters.teams.messenger import TeamsMessenger
    from bot.digest.web import DigestWeb
    from storage.repositories.platform import SqlTeamsConversations


@dataclass
class Staffroom:
    settings: Settings
    clock: Clock
    engine: Engine
    uow_factory: UnitOfWorkFactory
    queue: DeliveryQueue
    bot: Bot

    def worker(
        self, messengers: dict[Platform, Messenger], *, worker_id: str | None = None
    ) -> DeliveryWorker:
        from bot.kernel.delivery_failures import mark_unreachable

        return DeliveryWorker(
            self.queue,
            messengers,
            self.clock,
            worker_id=worker_id or self.settings.worker_id or default_worker_id(),
            max_attempts=self.settings.delivery_max_attempts,
            on_unreachable=mark_unreachable(self.uow_factory),
        )


def default_worker_id() -> str:
    """Unique among running copies, but new at each restart: a crashed copy's claims wait their lease."""
    return f"{socket.gethostname()}-{os.getpid()}"


def platform_messengers(
    app: Staffroom, *, given: Mapping[Platform, Messenger] | None = None
) -> dict[Platform, Messenger]:
    """A messenger for every platform the settings reach; the delivery worker sends through them.

    They share the app's one engine and its clock (a test's or the demo's ``ManualClock`` included).
    ``given`` are messengers the process already runs, used instead of new ones: the Slack app's own
    sender shares its token store and DM cache with the replies it posts.
    """
    from adapters.console.inbox import InboxMessenger

    settings = app.settings
    # console: delivered into each person's inbox, read by `staffroom chat` as that person.
    messengers: dict[Platform, Messenger] = {Platform.CONSOLE: InboxMessenger()}
    # slack: one bot token, or each workspace's own from the OAuth installation store.
    if settings.slack_bot_token or (settings.slack_client_id and settings.slack_client_secret):
        messengers[Platform.SLACK] = slack_messenger(app)
    if settings.microsoft_app_id or settings.teams_allow_unauthenticated:
        messengers[Platform.TEAMS] = teams_messenger(app)
    messengers.update(given or {})
    return messengers


def slack_messenger(app: Staffroom) -> SlackMessenger:
    from adapters.slack.installations import installation_store
    from adapters.slack.messenger import SlackMessenger, clients_from_settings
    from storage.repositories.rate_budgets import SqlRateBudgets

    store = installation_store(app.settings, app.engine)
    budgets = SqlRateBudgets(app.engine)
    return SlackMessenger(clients=clients_from_settings(app.settings, store, budgets))


def teams_conversations(app: Staffroom) -> SqlTeamsConversations:
    """Where each Teams person's conversation is kept, stamped by the app's clock."""
    from storage.db import make_session_factory
    from storage.repositories.platform import SqlTeamsConversations

    return SqlTeamsConversations(make_session_factory(app.engine), app.clock.now)


def teams_pacers(app: Staffroom) -> SharedPacers:
    """Each Teams tenant's rate budget, in the database every copy shares."""
    from adapters.pacing import SharedPacers
    from adapters.teams.app import PLATFORM
    from storage.repositories.rate_budgets import SqlRateBudgets

    return SharedPacers(SqlRateBudgets(app.engine), PLATFORM)


def teams_messenger(
    app: Staffroom,
    conversations: SqlTeamsConversations | None = None,
    pacers: SharedPacers | None = None,
) -> TeamsMessenger:
    from adapters.teams.app import make_adapter
    from adapters.teams.messenger import TeamsMessenger

    settings = app.settings
    return TeamsMessenger(
        lambda: make_adapter(settings),
        conversations or teams_conversations(app),
        app_id=settings.microsoft_app_id or "",
        pacers=pacers or teams_pacers(app),
    )


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    check_schema: bool = True,
    engine: Engine | None = None,
) -> Staffroom:
    """Staffroom over ``settings.database_url``, or over ``engine`` when the caller already holds one
    for that database (it keeps its compiled-statement cache and its pool)."""
    from storage.db import make_engine, make_session_factory
    from storage.migrate import ensure_current
    from storage.repositories.delivery import SqlDeliveryQueue
    from storage.uow import SqlUnitOfWorkFactory

    use_default_language(settings.default_language)
    clock = clock or SystemClock()
    engine = engine or make_engine(
        settings.database_url, delivery_threads=settings.delivery_threads
    )
    if check_schema:
        ensure_current(engine)
    sessions = make_session_factory(engine)
    uow_factory = SqlUnitOfWorkFactory(sessions, clock.now)
    return Staffroom(
        settings=settings,
        clock=clock,
        engine=engine,
        uow_factory=uow_factory,
        queue=SqlDeliveryQueue(sessions),
        bot=Bot(uow_factory, clock, settings, REGISTRY),
    )


def digest_web(app: Staffroom) -> DigestWeb:
    """The web digest a server mounts at ``/digest/...``, reading who needs a hand on a connection
    of its own beside the page's other reads (``storage.reads_alongside``)."""
    from bot.digest.web import DigestWeb
    from storage.reads_alongside import reads_alongside

    return DigestWeb(
        app.uow_factory, app.clock, app.settings, alongside=reads_alongside(app.engine)
    )


def upgrade_database(settings: Settings) -> str:
    from storage.db import make_engine
    from storage.migrate import current_revision, upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    return current_revision(engine) or "?"


def _granted(repos: Scope, workspace: str, who: str) -> Member | None:
    member = repos.members.by_platform_user(who)
    if member is None and parse_workspace(workspace)[0] is Platform.CONSOLE:
        from adapters.console.session import console_user_id

        member = repos.members.by_platform_user(console_user_id(who))
    if member is None and "@" in who:
        vouched = [m for m in repos.members.by_email(who) if m.email_source is EmailSource.PLATFORM]
        member = vouched[0] if len(vouched) == 1 else None
    return member


def parse_workspace(text: str) -> tuple[Platform, str]:
    platform, sep, external = text.partition(":")
    if not sep:
        return Platform.CONSOLE, text
    return Platform(platform), external


def workspace_scope(uow: UnitOfWork, workspace: str) -> Scope:
    """The repositories of the workspace an admin names as ``PLATFORM:ID`` on the command line."""
    platform, external = parse_workspace(workspace)
    found = uow.workspaces.by_external_id(platform, external)
    if found is None:
        raise LookupError(f"no workspace {workspace}; someone has to use Staffroom there first")
    return uow.scope(found.id)


def program_called(repos: Scope, name: str) -> Program:
    """The program an admin names on the command line, or a refusal listing the ones there are."""
    program = repos.programs.by_name(name)
    if program is None:
        names = ", ".join(p.name for p in repos.programs.list()) or "none yet"
        raise LookupError(f"no program called {name!r} (programs: {names})")
    return program


def grant_role(app: Staffroom, workspace: str, who: str, role: Role) -> str:
    """The IT admin's way to name the first coordinators of a workspace.

    ``who`` is a platform user id or an address the platform itself gave for them: never a name or
    an address someone typed, which anyone can make look like the person the admin means. At the
    console, where people are known by name only, the name is the user id.
    """
    with app.uow_factory() as uow:
        repos = workspace_scope(uow, workspace)
        member = _granted(repos, workspace, who.strip())
        if member is None:
            raise LookupError(
                f"nobody in {workspace} has the user id or the platform-verified e-mail {who!r}; "
                "they need to write to Staffroom once (so their platform vouches for their "
                "address), or give their Slack or Teams user id"
            )
        member.role = role
        repos.members.save(member)
        uow.commit()
        return member.display_name
