"""The slack-bolt app: Slack's requests in, the core's answers out.

Slack gives a slash command or a button three seconds to be acknowledged. Every listener here
acknowledges first and works after (bolt's lazy listeners, on a thread pool), so a slow database or a
slow Web API can never make Slack show "operation_timeout". The one exception is a modal submission:
Slack wants the validation errors *in* the acknowledgement, so the core runs before the ack there,
and only the follow-up messages are sent afterwards.

Request signatures are always verified by bolt's own middleware; there is no setting to turn it off.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.slack import blocks, inbound
from adapters.slack.messenger import (
    SlackClients,
    SlackMessenger,
    api_base_url,
    outgoing_files,
    retry_handlers,
    upload,
)
from bot.events import Actor, Inbound, InboundKind, PlatformEvent
from bot.handlers import Bot
from bot.messages import Form, Message, message_from_dict
from bot.settings import Settings, SettingsError

log = logging.getLogger(__name__)

BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "im:history",
    "users:read",
    "users:read.email",
    "channels:read",
    "groups:read",
    "files:write",
)
EVERYTHING = re.compile(r".*")

Respond = Callable[..., Any]


class SlackAdapter:
    """One bolt ``App`` wired to the core's ``Bot``; ``adapter.app`` is what a server serves."""

    def __init__(
        self,
        bot: Bot,
        settings: Settings,
        *,
        engine: Any = None,
        workers: int = 8,
        token_verification: bool = True,
    ) -> None:
        if not settings.slack_signing_secret:
            raise SettingsError(
                "SLACK_SIGNING_SECRET", "is required to serve Slack (every request is verified)"
            )
        self.bot = bot
        self.settings = settings
        self.profiles = inbound.Profiles()
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slack")
        base_url = api_base_url(settings.slack_api_base_url)
        self.installation_store: Any = None
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
        self.sender = SlackMessenger(
            clients=SlackClients(
                token=settings.slack_bot_token,
                base_url=base_url,
                installation_store=self.installation_store,
            )
        )
        self._register()

    # --- set-up ----------------------------------------------------------------------------------

    def _oauth_settings(self, settings: Settings, engine: Any) -> OAuthSettings:
        from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
        from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

        if engine is None:
            raise ValueError("OAuth needs the database engine for its installation store")
        assert settings.slack_client_id is not None
        # The tables come from our Alembic migrations (0003_slack_oauth), never create_all().
        self.installation_store = SQLAlchemyInstallationStore(
            client_id=settings.slack_client_id, engine=engine
        )
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
        app.command(EVERYTHING)(ack=_ack, lazy=[self.run_command])
        app.action(EVERYTHING)(ack=_ack, lazy=[self.run_action])
        app.view_submission(EVERYTHING)(self.submit_form)
        app.view_closed(EVERYTHING)(_ack)
        app.event("app_home_opened")(ack=_ack, lazy=[self.home_opened])
        app.event("member_joined_channel")(ack=_ack, lazy=[self.member_joined])
        app.event("app_uninstalled")(ack=_ack, lazy=[self.uninstalled])
        app.event("tokens_revoked")(ack=_ack, lazy=[self.uninstalled])
        app.event("message")(ack=_ack, lazy=[self.direct_message])

    # --- who is acting ---------------------------------------------------------------------------

    def actor(
        self, client: WebClient, body: Mapping[str, Any], user_id: str | None = None
    ) -> Actor:
        team_id = inbound.team_of(body)
        user = user_id or inbound.user_of(body)

        def lookup(uid: str) -> Mapping[str, Any]:
            return dict(client.users_info(user=uid)["user"])

        profile = self.profiles.get(team_id, user, lookup)
        if not profile.display_name:
            fallback = body.get("user_name") or (body.get("user") or {}).get("name") or ""
            profile = inbound.Profile(str(fallback), profile.timezone, profile.email)
        return inbound.make_actor(team_id, user, profile, team_name=inbound.team_name_of(body))

    # --- slash commands --------------------------------------------------------------------------

    def run_command(self, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        """After the ack: the core's answer goes to the response URL (or opens a modal)."""
        actor = self.actor(client, body)
        outcome = self.bot.handle(inbound.command_inbound(body, actor))
        self._send_command_replies(body, client, respond, actor, outcome.replies)

    def _send_command_replies(
        self,
        body: dict[str, Any],
        client: WebClient,
        respond: Respond,
        actor: Actor,
        replies: Sequence[Message],
    ) -> None:
        try:
            self.deliver(
                client,
                actor,
                replies,
                respond=respond if body.get("response_url") else None,
                trigger_id=body.get("trigger_id"),
                metadata={"r": body.get("response_url")} if body.get("response_url") else {},
            )
        except Exception:
            log.exception("could not send the answer to a slash command")

    # --- buttons ---------------------------------------------------------------------------------

    def run_action(self, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        action = (body.get("actions") or [{}])[0]
        can_respond = bool(body.get("response_url"))
        if blocks.core_action_id(str(action.get("action_id", ""))) == blocks.OPEN_FORM_ACTION:
            self._open_packed_form(client, body, str(action.get("value", "")))
            return
        actor = self.actor(client, body)
        outcome = self.bot.handle(inbound.action_inbound(body, actor))
        replies = list(outcome.replies)
        replaced = False
        if outcome.ok and not outcome.duplicate and can_respond:
            replaced = self._close_buttons(body, respond, action, replies)
        self.deliver(
            client,
            actor,
            replies,
            respond=respond if can_respond else None,
            trigger_id=body.get("trigger_id"),
            replace_first=not replaced and can_respond and outcome.ok,
            metadata={"r": body.get("response_url"), "h": _from_home(body)},
        )
        if _from_home(body):
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
        if any(r.form is not None for r in replies) and not any(r.form is None for r in replies):
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
            form = message_from_dict({"text": "", "form": json.loads(value)}).form
        except (ValueError, KeyError, TypeError):
            log.warning("a form button carried a form we cannot read")
            return
        if form is not None and body.get("trigger_id"):
            client.views_open(trigger_id=body["trigger_id"], view=blocks.modal(form))

    # --- modal submissions ------------------------------------------------------------------------

    def submit_form(
        self, ack: Callable[..., None], body: dict[str, Any], client: WebClient
    ) -> None:
        view = body.get("view") or {}
        actor = self.actor(client, body)
        outcome = self.bot.handle(inbound.form_inbound(view, actor))
        names = [
            str(b.get("block_id")) for b in view.get("blocks") or [] if b.get("type") == "input"
        ]
        if outcome.form_errors or not outcome.ok:
            errors = outcome.form_errors or {
                "_": " ".join(r.text for r in outcome.replies) or "Please try again."
            }
            # Slack keeps everything typed and shows each error under its own field.
            ack(response_action="errors", errors=blocks.field_errors(names, errors))
            return
        replies = list(outcome.replies)
        metadata = blocks.read_metadata(view)
        next_form = next((r.form for r in replies if r.form is not None), None)
        if next_form is not None:
            ack(response_action="update", view=blocks.modal(next_form, metadata=_carry(metadata)))
            replies = [r for r in replies if r.form is None]
        else:
            ack()
        response_url = metadata.get("r")
        respond = _responder(client, str(response_url)) if response_url else None
        self.executor.submit(self._after_submit, client, body, actor, replies, respond, metadata)

    def _after_submit(
        self,
        client: WebClient,
        body: Mapping[str, Any],
        actor: Actor,
        replies: list[Message],
        respond: Respond | None,
        metadata: Mapping[str, Any],
    ) -> None:
        try:
            self.deliver(client, actor, replies, respond=respond, trigger_id=None)
            if metadata.get("h"):
                self.publish_home(client, body, actor)
        except Exception:
            log.exception("could not send the replies to a form")

    # --- events ----------------------------------------------------------------------------------

    def home_opened(self, body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
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
        outcome = self.bot.handle(Inbound(actor=actor, kind=InboundKind.COMMAND, text="home"))
        page = next((r for r in outcome.replies if r.form is None), None)
        if page is None:
            return
        client.views_publish(user_id=actor.user_id, view=blocks.home_view(page))

    def member_joined(
        self, body: dict[str, Any], event: dict[str, Any], client: WebClient, context: Any
    ) -> None:
        user = str(event.get("user", ""))
        if not user or user == getattr(context, "bot_user_id", None):
            return  # Staffroom itself was added to a channel
        actor = self.actor(client, body, user_id=user)
        outcome = self.bot.handle(inbound.platform_inbound(body, actor, PlatformEvent.MEMBER_ADDED))
        self.deliver(client, actor, outcome.replies, respond=None, trigger_id=None)

    def uninstalled(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("type") == "tokens_revoked" and inbound.revoked_platform_event(event) is None:
            return  # only user tokens, which Staffroom never asks for
        team_id = inbound.team_of(body)
        actor = inbound.make_actor(team_id, inbound.SYSTEM_USER, inbound.Profile())
        self.bot.handle(inbound.platform_inbound(body, actor, PlatformEvent.UNINSTALLED))
        if self.installation_store is not None:
            self.installation_store.delete_all(enterprise_id=None, team_id=team_id)

    def direct_message(
        self, body: dict[str, Any], event: dict[str, Any], client: WebClient
    ) -> None:
        text = inbound.direct_message_text(event)
        if text is None:
            return
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

    # --- OAuth -----------------------------------------------------------------------------------

    def _installed(self, args: SuccessArgs) -> BoltResponse:
        """A (re)install wakes the workspace up and welcomes the person who installed."""
        installation = args.installation
        try:
            if installation.team_id and installation.user_id:
                client = self.sender.clients.for_team(installation.team_id)
                body = {
                    "team_id": installation.team_id,
                    "team": {"domain": installation.team_name or ""},
                }
                actor = self.actor(client, body, user_id=installation.user_id)
                outcome = self.bot.handle(
                    inbound.platform_inbound(body, actor, PlatformEvent.INSTALLED, delivery_id=None)
                )
                self.executor.submit(self.deliver, client, actor, outcome.replies, None, None)
        except Exception:
            log.exception("installed, but could not welcome the installer")
        return args.default.success(args)

    @staticmethod
    def _not_installed(args: FailureArgs) -> BoltResponse:
        log.warning("Slack installation failed: %s", args.reason)
        return args.default.failure(args)

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
                and self._open_modal(client, trigger, reply.form, metadata)
            )
            if opened:
                trigger = None  # a trigger opens one modal
                if not reply.blocks:
                    continue
                message = Message(text=reply.text, blocks=reply.blocks, ephemeral=reply.ephemeral)
            payload = blocks.message_payload(message)
            if respond is not None:
                respond(
                    **payload,
                    response_type=_response_type(message),
                    replace_original=replace_first and first,
                )
            else:
                dm = dm or self.sender.open_dm(client, actor.workspace_external_id, actor.user_id)
                self.sender.post(client, dm, message)
            first = False
            files = outgoing_files(message)
            if files:
                dm = dm or self.sender.open_dm(client, actor.workspace_external_id, actor.user_id)
                for file in files:
                    upload(client, dm, file)

    def _open_modal(
        self, client: WebClient, trigger_id: str, form: Form, metadata: Mapping[str, Any] | None
    ) -> bool:
        try:
            client.views_open(
                trigger_id=trigger_id, view=blocks.modal(form, metadata=_carry(metadata))
            )
        except SlackApiError as exc:
            log.warning("could not open a modal: %s", exc.response.get("error"))
            return False
        return True


def _ack(ack: Callable[..., None]) -> None:
    ack()


def _response_type(message: Message) -> str:
    return "ephemeral" if message.ephemeral else "in_channel"


def _from_home(body: Mapping[str, Any]) -> bool:
    view = body.get("view") or {}
    return (body.get("container") or {}).get("type") == "view" and view.get("type") == "home"


def _carry(metadata: Mapping[str, Any] | None) -> dict[str, Any]:
    """What a modal must remember for after its submission: where to answer, whether from Home."""
    return {k: v for k, v in (metadata or {}).items() if k in ("r", "h") and v}


def _responder(client: WebClient, response_url: str) -> Respond:
    from slack_sdk.webhook import WebhookClient

    webhook = WebhookClient(response_url, retry_handlers=retry_handlers())

    def respond(**kwargs: Any) -> None:
        webhook.send(**kwargs)

    return respond
