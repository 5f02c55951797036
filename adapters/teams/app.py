"""The Teams bot: a Bot Framework ``ActivityHandler`` behind botbuilder's ``CloudAdapter``, on aiohttp.

``POST /api/messages`` takes each activity Teams sends. The body is checked here before the SDK sees it,
because the SDK answers a missing content type or broken JSON with a 500 and a trace: an oversized body gets
413, a wrong content type 415, anything that is not an activity (or is nested too deep to read) 400, and
every kind of bad or missing token 401.

A turn translates the activity (``inbound.py``), remembers how to reach the person (``references.py``),
lets the core decide (in a worker thread: the core and its database are synchronous) and sends the replies
(``cards.py``). Replies the core means for one person only never go to a team channel: they go to the
person's own chat with the bot, and a pressed button's card is replaced in place in personal chats only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Any

from aiohttp import web
from botbuilder.core import (
    ActivityHandler,
    InvokeResponse,
    TurnContext,
    serializer_helper,
)
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationParameters,
)
from botframework.connector.auth import AuthenticateRequestResult

from adapters.pacing import MemoryRateBudgets, SharedPacers
from adapters.teams.cards import (
    CARD_CONTENT_TYPE,
    is_plain_text,
    markdown,
    plain_paragraph,
    render_card,
)
from adapters.teams.connector_cache import CachingAuthentication
from adapters.teams.inbound import Routed, is_personal, tenant_of, translate, user_id_of
from adapters.teams.references import ConversationStore, personal_reference, remember
from adapters.teams.retry import Throttled, passing, status_of, with_retries
from bot.digest.links import PATH as DIGEST_PATH
from bot.digest.web import DigestWeb
from bot.kernel.dispatch import Bot, Outcome
from bot.kernel.events import InboundKind, PlatformEvent
from bot.kernel.i18n import N_, _, speaking, supported
from bot.kernel.later import queue_for_later
from bot.kernel.messages import Message
from bot.kernel.settings import Settings, SettingsError

log = logging.getLogger(__name__)

PLATFORM = "teams"
"""The rate budgets' name for Teams: one budget per tenant."""

MAX_BODY_BYTES = 256 * 1024
"""Teams activities are a few KB; a card submission with a pasted roster stays well under this."""
PRIVATE_NOTE = N_("I've sent you a private message.")
EMAIL_LOOKUP_SECONDS = 5.0


@dataclass(frozen=True)
class BotConfig:
    """The attribute names botbuilder's configuration-based authentication reads."""

    APP_ID: str
    APP_PASSWORD: str
    APP_TYPE: str
    APP_TENANTID: str


def bot_config(settings: Settings) -> BotConfig:
    """Refuses to start without an app id unless unauthenticated mode was asked for, by name."""
    if not settings.microsoft_app_id and not settings.teams_allow_unauthenticated:
        raise SettingsError(
            "MICROSOFT_APP_ID",
            "is required to serve Teams (or set STAFFROOM_TEAMS_ALLOW_UNAUTHENTICATED=1 for the "
            "Bot Framework Emulator and local tests only)",
        )
    if settings.microsoft_app_id and settings.microsoft_app_type == "SingleTenant":
        settings.require("MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID")
    return BotConfig(
        APP_ID=settings.microsoft_app_id or "",
        APP_PASSWORD=settings.microsoft_app_password or "",
        APP_TYPE=settings.microsoft_app_type,
        APP_TENANTID=settings.microsoft_app_tenant_id or "",
    )


def make_adapter(settings: Settings) -> CloudAdapter:
    """A CloudAdapter: JWT authentication on whenever an app id is set, off (with a warning) otherwise."""
    config = bot_config(settings)
    if not config.APP_ID:
        log.warning(
            "Teams authentication is OFF (STAFFROOM_TEAMS_ALLOW_UNAUTHENTICATED=1, no MICROSOFT_APP_ID):"
            " anyone who can reach this port can talk to the bot. Use it with the Emulator or tests only."
        )
    return CloudAdapter(CachingAuthentication(ConfigurationBotFrameworkAuthentication(config)))


MAX_DEPTH = 64
"""Deeper than any activity Teams sends; refused before parsing, so no parser recurses thousands of
levels (and leaves a half-built structure behind for the garbage collector to trip over)."""
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(rb"[\[\]{}]")


def nested_deeper_than(raw: bytes, limit: int) -> bool:
    depth = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub(b"", raw)):
        depth += 1 if bracket in (b"[", b"{") else -1
        if depth > limit:
            return True
    return False


def to_activity(message: Message) -> Activity:
    if is_plain_text(message):
        return Activity(
            type=ActivityTypes.message,
            text=markdown(plain_paragraph(message)),
            text_format="markdown",
        )
    return Activity(
        type=ActivityTypes.message,
        summary=message.text[:240],
        attachments=[Attachment(content_type=CARD_CONTENT_TYPE, content=render_card(message))],
    )


class StaffroomTeamsBot(ActivityHandler):  # type: ignore[misc]
    def __init__(
        self,
        core: Bot,
        conversations: ConversationStore,
        app_id: str = "",
        pacers: SharedPacers | None = None,
    ) -> None:
        self.core = core
        self.conversations = conversations
        self.app_id = app_id
        self.pacers = pacers or SharedPacers(MemoryRateBudgets(), PLATFORM)
        """Each tenant's budget, shared with the outbox's messenger and every other copy."""
        self._known: dict[tuple[str, str], tuple[str | None, str]] = {}
        """(tenant, user) -> (conversation id, service url) already stored: skips a write per message."""

    # --- ActivityHandler entry points ----------------------------------------------------------
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self._turn(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        await self._turn(turn_context)

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        await self._turn(turn_context)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        if turn_context.activity.name != "adaptiveCard/action":
            return InvokeResponse(status=HTTPStatus.NOT_IMPLEMENTED)
        body = await self._turn(turn_context, invoke=True)
        return InvokeResponse(status=HTTPStatus.OK, body=body)

    # --- one turn --------------------------------------------------------------------------------
    async def _turn(self, turn_context: TurnContext, *, invoke: bool = False) -> dict[str, Any]:
        activity = turn_context.activity
        routed = await self._with_emails(turn_context, translate(activity))
        # One hop to a worker thread for the whole decision: the core and its database are synchronous.
        outcomes = await asyncio.to_thread(self._decide, activity, routed) if routed else []
        answered = [r for outcome in outcomes for r in outcome.replies]
        with speaking(answered[0].language if answered else supported(activity.locale)):
            done = _("Done.")
        invoke_body: dict[str, Any] = {
            "statusCode": 200,
            "type": "application/vnd.microsoft.activity.message",
            "value": done,
        }
        personal = is_personal(activity)
        for item, outcome in zip(routed, outcomes, strict=True):
            if outcome.duplicate or not outcome.replies:
                continue
            if invoke and personal:
                # Action.Execute in a personal chat: the first reply replaces the card in place.
                first, *rest = outcome.replies
                invoke_body = {
                    "statusCode": 200,
                    "type": CARD_CONTENT_TYPE,
                    "value": render_card(first),
                }
                await self._reply(turn_context, item, rest)
                continue
            if invoke:
                # In a channel the card is everyone's: answer privately, leave the card as it is.
                with speaking(outcome.replies[0].language):
                    invoke_body["value"] = _(PRIVATE_NOTE)
            await self._reply(turn_context, item, outcome.replies)
        return invoke_body

    async def _with_emails(self, turn_context: TurnContext, routed: list[Routed]) -> list[Routed]:
        """On first sight of someone (in this process), ask Teams for their e-mail address.

        Activities carry no e-mail, but coordinators import rosters by e-mail: with it the core recognises
        the imported teacher on their first message, and offers it as the default when they join. A
        failure here only means no hint; the turn goes on.
        """
        tenant = tenant_of(turn_context.activity)
        out: list[Routed] = []
        for item in routed:
            actor = item.inbound.actor
            wanted = (
                (tenant, actor.user_id) not in self._known
                and not actor.email
                and item.account.id
                and item.inbound.text != PlatformEvent.USER_UNREACHABLE.value
            )
            if wanted:
                try:
                    member = await asyncio.wait_for(
                        TeamsInfo.get_member(turn_context, item.account.id), EMAIL_LOOKUP_SECONDS
                    )
                    email = member.email or member.user_principal_name
                except Exception as exc:
                    log.debug("no e-mail for Teams user %s: %s", actor.user_id, exc)
                    email = None
                if email and "@" in str(email):
                    actor = replace(actor, email=str(email))
                    item = replace(item, inbound=replace(item.inbound, actor=actor))
            out.append(item)
        return out

    def _decide(self, activity: Activity, routed: list[Routed]) -> list[Outcome]:
        self._remember_all(activity, routed)
        return [self.core.handle(item.inbound) for item in routed]

    def _remember_all(self, activity: Activity, routed: list[Routed]) -> None:
        for item in routed:
            if item.inbound.kind is InboundKind.PLATFORM and item.inbound.text in (
                PlatformEvent.USER_UNREACHABLE.value,
            ):
                continue
            key = (tenant_of(activity), user_id_of(item.account))
            seen = (
                activity.conversation.id if is_personal(activity) else None,
                str(activity.service_url),
            )
            known = self._known.get(key)
            if known == seen or (seen[0] is None and known is not None and known[1] == seen[1]):
                continue  # stored already (a channel sighting never replaces a personal chat)
            remember(self.conversations, activity, item.account)
            self._known[key] = seen

    async def _reply(self, turn_context: TurnContext, item: Routed, replies: list[Message]) -> None:
        """Send the replies; any the connector still refuses after ``Retry-After`` (429, 5xx) go
        to the outbox for this person, to be delivered once it accepts them again."""
        if not replies:
            return
        if item.private:
            here, private = [], replies
        elif is_personal(turn_context.activity):
            here, private = replies, []
        else:
            here = [m for m in replies if not m.ephemeral]
            private = [m for m in replies if m.ephemeral]
        if item.update and here:
            first, *here = here
            if not await self._update(turn_context, item.update, first):
                here.insert(0, first)
        for index, message in enumerate(here):
            try:
                await self._send(turn_context, to_activity(message))
            except Exception as exc:
                if not passing(status_of(exc)[0]):
                    raise
                await self._later(turn_context, item, [*here[index:], *private])
                return
        if private:
            try:
                await self._send_private(turn_context, item.account, private)
            except Exception as exc:
                if not passing(status_of(exc)[0]):
                    raise
                await self._later(turn_context, item, private)
                return
            if item.inbound.kind is InboundKind.COMMAND:
                with speaking(private[0].language):
                    note = _(PRIVATE_NOTE)
                await self._send(turn_context, note)

    async def _later(self, turn_context: TurnContext, item: Routed, replies: list[Message]) -> None:
        event = item.inbound.delivery_id or str(turn_context.activity.id or "")
        queued = await asyncio.to_thread(
            queue_for_later,
            self.core.uow_factory,
            self.core.clock,
            item.inbound.actor,
            replies,
            event,
        )
        if queued < len(replies):
            log.error(
                "Teams kept refusing %s reply(ies) to %s and they could not be queued",
                len(replies) - queued,
                item.inbound.actor.user_id,
            )

    def _throttling(
        self, turn_context: TurnContext
    ) -> tuple[Callable[[], Awaitable[None]], Throttled, Callable[[], None]]:
        """Take a slot from the tenant's budget; record a 429's pause in it, and what got through."""
        pacer = self.pacers.for_workspace(tenant_of(turn_context.activity))

        async def slot() -> None:
            await asyncio.to_thread(pacer.acquire)

        async def throttled(retry_after: float) -> None:
            await asyncio.to_thread(pacer.rate_limited, retry_after)

        return slot, throttled, pacer.accepted

    async def _send(self, turn_context: TurnContext, activity: Activity) -> None:
        slot, throttled, accepted = self._throttling(turn_context)

        async def send() -> Any:
            await slot()
            response = await turn_context.send_activity(activity)
            accepted()
            return response

        await with_retries(send, "a reply", throttled=throttled)

    async def _update(self, turn_context: TurnContext, activity_id: str, message: Message) -> bool:
        """Replace the card whose button was pressed, so a stale button cannot be pressed again."""
        replacement = to_activity(message)
        replacement.id = activity_id
        try:
            await turn_context.update_activity(replacement)
        except Exception:
            log.warning("could not update Teams card %s in place; sending anew", activity_id)
            return False
        return True

    async def _send_private(
        self, turn_context: TurnContext, account: ChannelAccount, replies: list[Message]
    ) -> None:
        """Open (or find: Teams returns the existing one) the person's chat with the bot, and write there."""
        activity = turn_context.activity
        tenant = tenant_of(activity)
        connector = turn_context.turn_state[turn_context.adapter.BOT_CONNECTOR_CLIENT_KEY]
        created = await connector.conversations.create_conversation(
            ConversationParameters(
                is_group=False,
                bot=activity.recipient,
                members=[account],
                tenant_id=tenant,
                channel_data={"tenant": {"id": tenant}},
            )
        )
        reference = personal_reference(activity, account, created.id)
        await asyncio.to_thread(
            self.conversations.remember,
            tenant,
            user_id_of(account),
            reference.serialize(),
            conversation_id=created.id,
            service_url=str(activity.service_url),
        )
        self._known[(tenant, user_id_of(account))] = (created.id, str(activity.service_url))
        slot, throttled, accepted = self._throttling(turn_context)
        for message in replies:
            outgoing = to_activity(message)
            outgoing.conversation = reference.conversation
            outgoing.from_property = activity.recipient
            outgoing.recipient = account
            outgoing.channel_id = activity.channel_id
            outgoing.service_url = activity.service_url

            async def send(body: Activity = outgoing) -> Any:
                await slot()
                response = await connector.conversations.send_to_conversation(created.id, body)
                accepted()
                return response

            await with_retries(send, "a private reply", throttled=throttled)


def _problem(status: int, detail: str) -> web.Response:
    return web.json_response({"error": detail}, status=status)


async def authenticate(
    adapter: CloudAdapter, activity: Activity, auth_header: str | None
) -> AuthenticateRequestResult | None:
    """The token checked on its own, before the turn, so that every way it can be wrong is a 401.

    botbuilder reports a bad token as ``PermissionError`` only sometimes: a garbage token raises
    PyJWT's ``DecodeError``, ``alg=none`` or HS256 a bare ``Exception``, an unknown key id an
    ``AttributeError``, keys it could not fetch a ``requests`` error. Whatever the authentication
    step raises means "not proven to be the Bot Framework", which is what 401 says; errors in the
    turn itself (after this) stay 500s with their traceback, because those are ours.
    """
    try:
        result: AuthenticateRequestResult = (
            await adapter.bot_framework_authentication.authenticate_request(
                activity, auth_header or ""
            )
        )
    except Exception as exc:
        log.info("refused a Teams request: %s", type(exc).__name__)
        return None
    return result


def make_app(
    adapter: CloudAdapter, bot: StaffroomTeamsBot, digest: DigestWeb | None = None
) -> web.Application:
    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        log.error("Teams turn failed: %s", error, exc_info=error)
        try:
            with speaking(supported(turn_context.activity.locale)):
                sorry = _("Sorry, something went wrong on our side. Please try again in a minute.")
            await turn_context.send_activity(sorry)
        except Exception:
            log.warning("could not tell the person about the failure either")

    adapter.on_turn_error = on_turn_error

    async def messages(request: web.Request) -> web.StreamResponse:
        if request.content_type != "application/json":
            return _problem(415, "expected application/json")
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _problem(413, f"body larger than {MAX_BODY_BYTES} bytes")
        if nested_deeper_than(raw, MAX_DEPTH):
            return _problem(400, "body is nested too deep")
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            return _problem(400, "body is not JSON")
        if not isinstance(body, dict) or not isinstance(body.get("type"), str):
            return _problem(400, "body is not a Bot Framework activity")
        try:
            activity = Activity().deserialize(body)
        except Exception:  # msrest raises its own errors, and RecursionError on deep nesting
            return _problem(400, "body is not a Bot Framework activity")
        if not activity.service_url or activity.conversation is None:
            return _problem(400, "activity has no serviceUrl or conversation")
        authenticated = await authenticate(adapter, activity, request.headers.get("Authorization"))
        if authenticated is None:
            return _problem(401, "unauthorized")
        try:
            response = await adapter.process_activity(authenticated, activity, bot.on_turn)
        except Exception:
            log.exception("Teams activity %s could not be processed", activity.id)
            return _problem(500, "internal error")
        if response:
            body = response.body
            if body is not None and not isinstance(body, dict | list | str):
                body = serializer_helper(body)
            return web.json_response(data=body, status=int(response.status))
        return web.Response(status=200)

    async def health(_request: web.Request) -> web.StreamResponse:
        return web.json_response({"ok": True})

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", health)
    if digest is not None:
        app.router.add_route("*", DIGEST_PATH + "{tail:(/.*)?}", digest_handler(digest))
    return app


def digest_handler(
    digest: DigestWeb,
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The web digest: the core answers on a worker thread (its database is synchronous)."""

    async def serve(request: web.Request) -> web.StreamResponse:
        answer = await asyncio.to_thread(
            digest.respond, request.method, request.path, request.query_string
        )
        headers = [(k, v) for k, v in answer.headers if k.lower() != "content-length"]
        response = web.Response(status=answer.status, body=answer.body)
        for key, value in headers:
            response.headers[key] = value
        return response

    return serve


def build_teams_app(
    core: Bot,
    conversations: ConversationStore,
    settings: Settings,
    digest: DigestWeb | None = None,
    pacers: SharedPacers | None = None,
) -> web.Application:
    adapter = make_adapter(settings)
    bot = StaffroomTeamsBot(core, conversations, settings.microsoft_app_id or "", pacers)
    return make_app(adapter, bot, digest)
