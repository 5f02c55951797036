"""The slack-bolt app: Slack's requests in, acknowledged at once, the work handed on.

Slack gives a slash command, a button or an event three seconds to be acknowledged. Every listener
here acknowledges first and hands the request to ``SlackWork`` on a thread pool (or, with worker
processes, to another process), so a slow database or Web API can never make Slack show
"operation_timeout", and retries never pile up. This is bolt's lazy-listener pattern without bolt's
deep copy of each request, which was most of an acknowledgement's cost. The one exception is a modal
submission: Slack wants validation errors *in* the acknowledgement, so the core runs before that ack,
and only the follow-up messages are sent afterwards.

Request signatures are verified on the raw bytes by ``door.py`` before bolt parses anything, and again by
bolt's own middleware; there is no setting to turn either off. ``adapter.door`` is what a server
serves the app behind: on PostgreSQL, replays are recognised across every copy of the server.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from slack_bolt import App, BoltContext
from slack_bolt.error import BoltError
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore

from adapters.slack import blocks, inbound, work
from adapters.slack.door import Door, Remembered, SeenRequests
from adapters.slack.installations import installation_store
from adapters.slack.messenger import api_base_url, retry_handlers
from adapters.slack.work import SlackWork
from bot.kernel.dispatch import Bot
from bot.kernel.i18n import _
from bot.kernel.settings import Settings, SettingsError
from storage.repositories.rate_budgets import SqlRateBudgets

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "mpim:write",
    "im:history",
    "users:read",
    "users:read.email",
    "channels:read",
    "groups:read",
    "files:write",
)
EVERYTHING = re.compile(r".*")


class SlackAdapter:
    """One bolt ``App`` wired to the core's ``Bot``; ``adapter.app`` is what a server serves.

    ``work_processes=0`` does the work on threads of this process; ``N`` starts N worker processes,
    each building its own core with ``core_factory`` (needed then), so acknowledgements never wait
    for the core's CPU time. The threads are ``threads`` of its own, or the ``executor`` given by a
    caller that needs to know when the work handed over has finished (tests wait for exactly that).
    """

    def __init__(
        self,
        bot: Bot,
        settings: Settings,
        *,
        engine: Engine | None = None,
        threads: int = 8,
        executor: ThreadPoolExecutor | None = None,
        work_processes: int = 0,
        core_factory: work.CoreFactory | None = None,
        token_verification: bool = True,
    ) -> None:
        if not settings.slack_signing_secret:
            raise SettingsError(
                "SLACK_SIGNING_SECRET", "is required to serve Slack (every request is verified)"
            )
        self.bot = bot
        self.settings = settings
        self.executor = executor or ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="slack"
        )
        base_url = api_base_url(settings.slack_api_base_url)
        self.installation_store: InstallationStore | None = None
        oauth_settings = None
        if settings.slack_client_id and settings.slack_client_secret:
            oauth_settings = self._oauth_settings(settings, engine)
        elif not settings.slack_bot_token:
            raise SettingsError(
                "SLACK_BOT_TOKEN",
                "is required to serve Slack (or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for OAuth)",
            )
        token = None if oauth_settings else settings.slack_bot_token
        client = WebClient(token=token, base_url=base_url, retry_handlers=retry_handlers())
        try:
            self.app = App(
                signing_secret=settings.slack_signing_secret,
                client=client,
                oauth_settings=oauth_settings,
                process_before_response=True,
                token_verification_enabled=token_verification and oauth_settings is None,
                listener_executor=self.executor,
                name="staffroom",
            )
        except BoltError as exc:  # auth.test refused the token: say so in one line
            raise SettingsError("SLACK_BOT_TOKEN", f"was refused by Slack: {exc}") from None
        self.door = Door(settings.slack_signing_secret, Remembered(_shared_memory(engine)))
        self.work = SlackWork(
            bot,
            settings,
            installation_store=self.installation_store,
            budgets=SqlRateBudgets(engine) if engine is not None else None,
        )
        self.sender = self.work.sender
        self.processes: Executor | None = None
        if work_processes > 0:
            if core_factory is None:
                raise ValueError("worker processes need a core_factory to build their core")
            self.processes = start_workers(settings, core_factory, work_processes)
        self._register()

    def close(self) -> None:
        if self.processes is not None:
            self.processes.shutdown(wait=False, cancel_futures=True)
        self.executor.shutdown(wait=False, cancel_futures=True)

    # --- set-up ----------------------------------------------------------------------------------

    def _oauth_settings(self, settings: Settings, engine: Engine | None) -> OAuthSettings:
        from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

        if engine is None:
            raise ValueError("OAuth needs the database engine for its installation store")
        assert settings.slack_client_id is not None
        # The tables come from our Alembic migrations (the baseline, 0001), never create_all().
        self.installation_store = installation_store(settings, engine)
        return OAuthSettings(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
            scopes=list(BOT_SCOPES),
            installation_store=self.installation_store,
            state_store=SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine),
            callback_options=CallbackOptions(success=self._installed, failure=self._not_installed),
        )

    def _register(self) -> None:
        app = self.app
        app.command(EVERYTHING)(self.ack_then("command"))
        app.action(EVERYTHING)(self.ack_then("action"))
        app.view_submission(EVERYTHING)(self.submit_form)
        app.view_closed(EVERYTHING)(_ack)
        app.event("app_home_opened")(self.ack_then("home_opened"))
        app.event("member_joined_channel")(self.ack_then("member_joined"))
        app.event("app_uninstalled")(self.ack_then("uninstalled"))
        app.event("tokens_revoked")(self.ack_then("uninstalled"))
        app.event("message")(self.ack_then("direct_message"))

    def ack_then(self, name: str) -> Callable[..., None]:
        """A listener that acknowledges, then hands the request to ``SlackWork.<name>``."""

        def listener(ack: Callable[..., None], body: dict[str, Any], context: BoltContext) -> None:
            ack()
            self.dispatch(name, body, context.bot_user_id)

        return listener

    def dispatch(self, name: str, body: dict[str, Any], bot_user_id: str | None) -> None:
        if self.processes is not None:
            try:
                self.processes.submit(work.run_in_worker, name, body, bot_user_id)
                return
            except Exception:  # a worker died (BrokenProcessPool): Slack was acked, so work here
                log.exception("worker processes unavailable; doing %s on a thread instead", name)
        self.executor.submit(self.work.run, name, body, bot_user_id)

    # --- modal submissions ------------------------------------------------------------------------

    def submit_form(self, ack: Callable[..., None], body: dict[str, Any]) -> None:
        """The core runs before the ack here: Slack shows refused fields only from the ack."""
        view = body.get("view") or {}
        actor = self.work.actor(self.work.client_for(body), body)
        outcome = self.bot.handle(inbound.form_inbound(view, actor))
        names = [
            str(b.get("block_id")) for b in view.get("blocks") or [] if b.get("type") == "input"
        ]
        if outcome.form_errors or not outcome.ok:
            errors = outcome.form_errors or {
                "_": " ".join(r.text for r in outcome.replies) or _("Please try again.")
            }
            # Slack keeps everything typed and shows each error under its own field.
            ack(response_action="errors", errors=blocks.field_errors(names, errors))
            return
        replies = list(outcome.replies)
        metadata = blocks.read_metadata(view)
        next_form = next((r.form for r in replies if r.form is not None), None)
        if next_form is not None:
            ack(
                response_action="update",
                view=blocks.modal(
                    next_form,
                    metadata=work.carry(metadata),
                    language=next(r.language for r in replies if r.form is next_form),
                ),
            )
            replies = [r for r in replies if r.form is None]
        else:
            ack()
        self.executor.submit(self.work.after_submit, body, actor, replies, metadata)

    # --- OAuth -----------------------------------------------------------------------------------

    def _installed(self, args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        if installation.team_id and installation.user_id:
            body = {
                "team_id": installation.team_id,
                "user_id": installation.user_id,
                "team": {"domain": installation.team_name or ""},
            }
            self.dispatch("installed", body, installation.bot_user_id)
        return args.default.success(args)

    @staticmethod
    def _not_installed(args: FailureArgs) -> BoltResponse:
        log.warning("Slack installation failed: %s", args.reason)
        return args.default.failure(args)


def start_workers(settings: Settings, core: work.CoreFactory, count: int) -> ProcessPoolExecutor:
    """Fresh processes (spawned, not forked: this one has threads and open database connections),
    started now so the first requests do not wait for them."""
    pool = ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=work.init_worker,
        initargs=(settings, core),
    )
    for started in [pool.submit(work.ready) for _copy in range(count)]:
        started.result(timeout=120)
    return pool


def _shared_memory(engine: Engine | None) -> SeenRequests | None:
    """The database's record of requests let in, on PostgreSQL, where several copies of the server
    can share one; on SQLite (one server on one host) the web process's memory is the record.

    SQLite takes its one write lock for every transaction, so a write on the acknowledgement path
    queues behind the workers' transactions: measured, p99 acknowledgement went from 16 to 370 ms.
    """
    if engine is None or engine.dialect.name == "sqlite":
        return None
    from storage.repositories.replays import SqlSeenRequests

    return SqlSeenRequests(engine)


def _ack(ack: Callable[..., None]) -> None:
    ack()
