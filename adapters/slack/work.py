"""What happens after Slack has been acknowledged: run the core, then answer the person.

Each piece of work takes the request body as Slack sent it (plain JSON, so it can cross to a worker
process) and finds its own Web API client and response URL. ``SlackWork`` runs either on a thread of
the web process (tests, small installs) or in worker processes (``staffroom serve slack --workers N``),
where the core's CPU time never competes with acknowledging Slack.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.oauth.installation_store import InstallationStore

from adapters.pacing import RateBudgets
from adapters.slack import blocks, inbound
from adapters.slack.installations import installation_store
from adapters.slack.messenger import (
    SlackMessenger,
    clients_from_settings,
    outgoing_files,
    retry_handlers,
    upload,
)
from bot.kernel.dispatch import Bot
from bot.kernel.events import Actor, Inbound, InboundKind, PlatformEvent
from bot.kernel.messages import Form, Message
from bot.kernel.settings import Settings
from storage.repositories.rate_budgets import SqlRateBudgets

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)

Respond = Callable[..., Any]
Body = dict[str, Any]


class SlackWork:
    def __init__(
        self,
        bot: Bot,
        settings: Settings,
        *,
        installation_store: InstallationStore | None = None,
        budgets: RateBudgets | None = None,
    ) -> None:
        self.bot = bot
        self.settings = settings
        self.installation_store = installation_store
        self.profiles = inbound.Profiles()
        # Replies draw from the same workspace budget as the outbox's fan-out (``budgets``).
        self.sender = SlackMessenger(
            clients=clients_from_settings(settings, installation_store, budgets)
        )

    def run(self, name: str, body: Body, bot_user_id: str | None) -> None:
        """Run one piece of work by name; its errors are logged, never lost with the thread."""
        try:
            getattr(self, name)(body, bot_user_id)
        except Exception:
            log.exception("Slack %s failed after its acknowledgement", name)

    # --- who is acting, and how to answer them ----------------------------------------------------

    def client_for(self, body: Mapping[str, Any]) -> WebClient:
        return self.sender.clients.for_team(inbound.team_of(body))

    def actor(
        self, client: WebClient, body: Mapping[str, Any], user_id: str | None = None
    ) -> Actor:
        team_id = inbound.team_of(body)
        user = user_id or inbound.user_of(body)

        def lookup(uid: str) -> Mapping[str, Any]:
            return dict(client.users_info(user=uid, include_locale=True)["user"])

        profile = self.profiles.get(team_id, user, lookup)
        if not profile.display_name:
            fallback = body.get("user_name") or (body.get("user") or {}).get("name") or ""
            profile = inbound.Profile(str(fallback), profile.timezone, profile.email)
        return inbound.make_actor(team_id, user, profile, team_name=inbound.team_name_of(body))

    # --- slash commands --------------------------------------------------------------------------

    def command(self, body: Body, _bot_user_id: str | None = None) -> None:
        """The core's answer goes to the response URL (privately), or opens a modal."""
        client = self.client_for(body)
        actor = self.actor(client, body)
        outcome = self.bot.handle(inbound.command_inbound(body, actor))
        response_url = body.get("response_url")
        self.deliver(
            client,
            actor,
            outcome.replies,
            respond=responder(str(response_url)) if response_url else None,
            trigger_id=body.get("trigger_id"),
            metadata={"r": response_url} if response_url else {},
        )

    # --- buttons ---------------------------------------------------------------------------------

    def action(self, body: Body, _bot_user_id: str | None = None) -> None:
        client = self.client_for(body)
        action = (body.get("actions") or [{}])[0]
        pressed = blocks.core_action_id(str(action.get("action_id", "")))
        if pressed == blocks.LINK_ACTION:
            return  # Slack opened the link in the browser; there is nothing for the core to do
        if pressed == blocks.OPEN_FORM_ACTION:
            self._open_packed_form(client, body, str(action.get("value", "")))
            return
        actor = self.actor(client, body)
        outcome = self.bot.handle(inbound.action_inbound(body, actor))
        replies = list(outcome.replies)
        response_url = body.get("response_url")
        respond = responder(str(response_url)) if response_url else None
        replaced = False
        if outcome.ok and not outcome.duplicate and respond is not None:
            replaced = self._close_buttons(body, respond, action, replies)
        home = from_home(body)
        self.deliver(
            client,
            actor,
            replies,
            respond=respond,
            trigger_id=body.get("trigger_id"),
            replace_first=not replaced and respond is not None and outcome.ok,
            metadata={"r": response_url, "h": home},
        )
        if home:
            self.publish_home(client, body, actor)

    def _close_buttons(
        self,
        body: Mapping[str, Any],
        respond: Respond,
        action: Mapping[str, Any],
        replies: list[Message],
    ) -> bool:
        """Update the pressed message in place so nobody presses it twice: its buttons become a note
        of what was chosen. Ephemeral messages carry no copy of themselves; the reply replaces them."""
        message = body.get("message")
        if not message or not message.get("blocks"):
            return False
        if replies and all(r.form is not None for r in replies):
            return True  # a button that opens a form: keep the message as it is
        label = str((action.get("text") or {}).get("text") or "Done")
        kept = [b for b in message["blocks"] if b.get("type") != "actions"]
        kept.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f"✅ *{blocks.escape(label)}*"}],
            }
        )
        try:
            respond(text=str(message.get("text") or label), blocks=kept, replace_original=True)
        except Exception:
            log.warning("could not update the pressed message in place", exc_info=True)
            return False
        return True

    def _open_packed_form(self, client: WebClient, body: Mapping[str, Any], value: str) -> None:
        try:
            form, language = blocks.unpack_form(value)
        except (ValueError, KeyError, TypeError):
            log.warning("a form button carried a form we cannot read")
            return
        if form is not None and body.get("trigger_id"):
            view = blocks.modal(form, language=language)
            client.views_open(trigger_id=body["trigger_id"], view=view)

    # --- after a modal was submitted (the submission itself is answered in the ack) ----------------

    def after_submit(
        self,
        body: Mapping[str, Any],
        actor: Actor,
        replies: list[Message],
        metadata: Mapping[str, Any],
    ) -> None:
        try:
            client = self.client_for(body)
            response_url = metadata.get("r")
            respond = responder(str(response_url)) if response_url else None
            self.deliver(client, actor, replies, respond=respond, trigger_id=None)
            if metadata.get("h"):
                self.publish_home(client, body, actor)
        except Exception:
            log.exception("could not send the replies to a form")

    # --- events ----------------------------------------------------------------------------------

    def home_opened(self, body: Body, _bot_user_id: str | None = None) -> None:
        event = body.get("event") or {}
        client = self.client_for(body)
        actor = self.actor(client, body, user_id=str(event.get("user", "")))
        if event.get("tab") == "messages":
            # First visit to the DM: a welcome, once per person (the id below is recorded).
            outcome = self.bot.handle(
                inbound.platform_inbound(
                    body,
                    actor,
                    PlatformEvent.INSTALLED,
                    delivery_id=f"slack-welcome:{actor.user_id}",
                )
            )
            self.deliver(client, actor, outcome.replies, respond=None, trigger_id=None)
            return
        self.publish_home(client, body, actor)

    def publish_home(self, client: WebClient, body: Mapping[str, Any], actor: Actor) -> None:
        home = "home"  # not translated: the verb, which the core parses in every language
        outcome = self.bot.handle(Inbound(actor=actor, kind=InboundKind.COMMAND, text=home))
        page = next((r for r in outcome.replies if r.form is None), None)
        if page is not None:
            client.views_publish(user_id=actor.user_id, view=blocks.home_view(page))

    def member_joined(self, body: Body, bot_user_id: str | None = None) -> None:
        event = body.get("event") or {}
        user = str(event.get("user", ""))
        if not user or user == bot_user_id:
            return  # Staffroom itself was added to a channel
        client = self.client_for(body)
        actor = self.actor(client, body, user_id=user)
        outcome = self.bot.handle(inbound.platform_inbound(body, actor, PlatformEvent.MEMBER_ADDED))
        self.deliver(client, actor, outcome.replies, respond=None, trigger_id=None)

    def uninstalled(self, body: Body, _bot_user_id: str | None = None) -> None:
        event = body.get("event") or {}
        if event.get("type") == "tokens_revoked" and inbound.revoked_platform_event(event) is None:
            return  # only user tokens, which Staffroom never asks for
        team_id = inbound.team_of(body)
        actor = inbound.make_actor(team_id, inbound.SYSTEM_USER, inbound.Profile())
        self.bot.handle(inbound.platform_inbound(body, actor, PlatformEvent.UNINSTALLED))
        if self.installation_store is not None:
            self.installation_store.delete_all(enterprise_id=None, team_id=team_id)

    def direct_message(self, body: Body, _bot_user_id: str | None = None) -> None:
        event = body.get("event") or {}
        text = inbound.direct_message_text(event)
        if text is None:
            return
        client = self.client_for(body)
        actor = self.actor(client, body, user_id=str(event.get("user", "")))
        outcome = self.bot.handle(
            Inbound(
                actor=actor,
                kind=InboundKind.COMMAND,
                text=text,
                delivery_id=inbound.event_delivery_id(body),
            )
        )
        self.deliver(client, actor, outcome.replies, respond=None, trigger_id=None)

    def installed(self, body: Body, _bot_user_id: str | None = None) -> None:
        """A (re)install wakes the workspace up and welcomes the person who installed."""
        client = self.client_for(body)
        actor = self.actor(client, body, user_id=str(body.get("user_id", "")))
        outcome = self.bot.handle(
            inbound.platform_inbound(body, actor, PlatformEvent.INSTALLED, delivery_id=None)
        )
        self.deliver(client, actor, outcome.replies, respond=None, trigger_id=None)

    # --- sending replies -------------------------------------------------------------------------

    def deliver(
        self,
        client: WebClient,
        actor: Actor,
        replies: Sequence[Message],
        respond: Respond | None,
        trigger_id: str | None,
        *,
        replace_first: bool = False,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        """The core's replies to the person who acted: forms as modals, messages where they typed
        (ephemeral unless meant to be seen), or in their DM when there is nowhere else."""
        trigger = trigger_id
        first = True
        dm: str | None = None
        for reply in replies:
            message = reply
            opened = (
                reply.form is not None
                and trigger is not None
                and self._open_modal(client, trigger, reply.form, metadata, reply.language)
            )
            if opened:
                trigger = None  # a trigger opens one modal
                if not reply.blocks:
                    continue
                message = Message(
                    text=reply.text,
                    blocks=reply.blocks,
                    ephemeral=reply.ephemeral,
                    language=reply.language,
                )
            payload = blocks.message_payload(message)
            if respond is not None:
                respond(
                    **payload,
                    response_type=response_type(message),
                    replace_original=replace_first and first,
                )
            else:
                dm = self.sender.post(client, dm or actor.user_id, message).channel
            first = False
            files = outgoing_files(message)
            if files:
                dm = dm or self.sender.open_dm(client, actor.workspace_external_id, actor.user_id)
                for file in files:
                    upload(client, dm, file)

    def _open_modal(
        self,
        client: WebClient,
        trigger_id: str,
        form: Form,
        metadata: Mapping[str, Any] | None,
        language: str,
    ) -> bool:
        try:
            view = blocks.modal(form, metadata=carry(metadata), language=language)
            client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as exc:
            log.warning("could not open a modal: %s", exc.response.get("error"))
            return False
        return True


def response_type(message: Message) -> str:
    return "ephemeral" if message.ephemeral else "in_channel"


def from_home(body: Mapping[str, Any]) -> bool:
    view = body.get("view") or {}
    return (body.get("container") or {}).get("type") == "view" and view.get("type") == "home"


def carry(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    """What a modal must remember for after its submission: where to answer, whether from Home."""
    return {k: v for k, v in (metadata or {}).items() if k in ("r", "h") and v}


def responder(response_url: str) -> Respond:
    """Posts to a command's or a button's response URL (private to the person unless in_channel)."""
    from slack_sdk.webhook import WebhookClient

    webhook = WebhookClient(response_url, retry_handlers=retry_handlers())

    def respond(**kwargs: Any) -> None:
        response = webhook.send(**kwargs)
        if response.status_code >= 400:
            log.warning("response_url answered %s: %s", response.status_code, response.body)

    return respond


# --- worker processes ---------------------------------------------------------------------------

CoreFactory = Callable[[Settings], "tuple[Bot, Engine]"]
"""Builds the core (``Bot``) and its database engine from settings, in a fresh process."""

_WORK: SlackWork | None = None
WORKER_NICENESS = 5


def init_worker(settings: Settings, core: CoreFactory) -> None:
    """Start-up of one worker process: its own core, engine and Web API clients."""
    global _WORK
    # Under contention the web process wins the CPU: acknowledging within Slack's 3 seconds is the
    # hard deadline; an answer a moment later is fine.
    os.nice(WORKER_NICENESS)
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s[work]: %(message)s"
    )
    _exit_with_parent()
    bot, engine = core(settings)
    _WORK = SlackWork(
        bot,
        settings,
        installation_store=installation_store(settings, engine),
        budgets=SqlRateBudgets(engine),
    )


def _exit_with_parent() -> None:
    """A worker whose web process died (even by SIGKILL) must not live on, working a dead queue."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def run_in_worker(name: str, body: Body, bot_user_id: str | None) -> None:
    assert _WORK is not None, "init_worker did not run"
    _WORK.run(name, body, bot_user_id)


def ready() -> bool:
    return _WORK is not None
