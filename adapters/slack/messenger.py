"""Delivers outbox messages to Slack DMs: open the DM, post, upload pictures and files.

Rate limits: every post takes its slot from the workspace's budget, shared by every thread, process
and copy (``adapters/pacing.py``); a 429 pauses that budget for its ``Retry-After``. A short pause is
waited out in place; a long one is handed back to the delivery worker as ``SendResult.retry_after``
so the worker reschedules the row instead of blocking every other send. A message is posted once even when its files need retries: the
messenger remembers, per idempotency key, what already went out, and a retry only sends the rest.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.web import SlackResponse

from adapters.pacing import MemoryRateBudgets, PacingPolicy, RateBudgets, SharedPacer, SharedPacers
from adapters.slack.blocks import message_payload
from bot.kernel.domain import OutboxItem, Platform
from bot.kernel.messages import Image, Message, message_from_dict
from bot.kernel.ports import SendResult
from bot.kernel.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://slack.com/api/"
METADATA_EVENT = "staffroom_outbox"
"""Message metadata naming the outbox key, so a retry can find a message that already got through."""
HISTORY_LOOKBACK = 20
MAX_INLINE_WAIT = 5
"""Seconds of ``Retry-After`` worth waiting in place; longer waits go back to the outbox."""
PACED_ATTEMPTS = 3
"""Tries of one post through short pauses before it goes back to its caller."""

PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "user_not_found",
        "user_disabled",
        "users_not_found",
        "user_is_bot",
        "cannot_dm_bot",
        "channel_not_found",
        "is_archived",
        "messages_tab_disabled",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "team_access_not_granted",
        "no_permission",
        "missing_scope",
        "restricted_action",
        "not_installed",
        "ekm_access_denied",
    }
)
PACED_METHODS = frozenset({"chat.postMessage"})
"""Slack's "special tier" method whose workspace-wide limit is unpublished: see adapters/pacing.py."""
PLATFORM = "slack"
UNREACHABLE_ERRORS = frozenset(
    {
        "account_inactive",
        "user_not_found",
        "user_disabled",
        "users_not_found",
        "user_is_bot",
        "cannot_dm_bot",
        "messages_tab_disabled",
    }
)
"""Permanent errors about the person, not the workspace: they are marked unreachable."""
BLOCK_ERRORS = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"})


class ShortRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, but only for waits short enough to spend blocking a thread.

    Paced methods (chat.postMessage) are left to ``PacedWebClient``, which pauses the whole
    workspace's budget instead of this one thread.
    """

    def __init__(self, max_retry_count: int = 2, max_wait: float = MAX_INLINE_WAIT) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        if _method_of(request.url) in PACED_METHODS:
            return False
        return retry_after(response.headers) <= self.max_wait

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        """Wait Slack's Retry-After (slack_sdk would add up to a second of jitter on top)."""
        if response is None:
            raise error or RuntimeError("retry without a response")
        state.next_attempt_requested = True
        time.sleep(max(retry_after(response.headers), 0.0))
        state.increment_current_attempt()


def _method_of(url: str) -> str:
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class PacedWebClient(WebClient):
    """slack_sdk's client with chat.postMessage taking its slot from the workspace's shared budget.

    Pacing here, rather than in the messenger, covers every post: the outbox's fan-out and the
    replies to commands share Slack's limit, so they share the budget. A 429 pauses the workspace
    for every copy; the post that got it waits that pause out in place when it is short, and goes
    back to its caller (the outbox reschedules it) when it is long.
    """

    def __init__(self, *, pacer: SharedPacer, **kwargs: Any) -> None:
        super().__init__(retry_handlers=[ShortRateLimitRetryHandler()], **kwargs)
        self.pacer = pacer

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        if api_method not in PACED_METHODS:
            return super().api_call(api_method, **kwargs)
        waited = 0.0
        for attempt in range(1, PACED_ATTEMPTS + 1):
            waited += self.pacer.acquire()
            try:
                response = super().api_call(api_method, **kwargs)
            except SlackApiError as exc:
                if getattr(exc.response, "status_code", 0) != 429:
                    raise
                pause = retry_after(exc.response.headers or {})
                self.pacer.rate_limited(pause)
                if attempt == PACED_ATTEMPTS or pause > MAX_INLINE_WAIT:
                    raise
            else:
                self.pacer.accepted()
                return response
        raise AssertionError("unreachable")  # pragma: no cover


def retry_after(headers: Mapping[str, Any]) -> float:
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return 1.0
    return 1.0


def api_base_url(base_url: str | None) -> str:
    """slack_sdk joins method names onto the base URL, so it must end with a slash."""
    url = base_url or DEFAULT_BASE_URL
    return url if url.endswith("/") else url + "/"


def retry_handlers() -> list[RetryHandler]:
    return [ShortRateLimitRetryHandler()]


class NotInstalled(Exception):
    """No bot token for this workspace: it never installed Staffroom, or uninstalled it."""


@dataclass
class SlackClients:
    """A Web API client per workspace: one bot token, or each workspace's from the OAuth store."""

    token: str | None = None
    base_url: str | None = None
    installation_store: InstallationStore | None = None
    timeout: int = 15
    pacing: PacingPolicy = field(default_factory=PacingPolicy)
    budgets: RateBudgets | None = None
    """Where each workspace's rate budget lives: the database, so every copy shares it; without
    one (a bare messenger in a trial) this process keeps its own."""
    _clients: dict[tuple[str, str], WebClient] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._pacers = SharedPacers(self.budgets or MemoryRateBudgets(), PLATFORM, self.pacing)

    def token_for(self, team_id: str) -> str:
        if self.installation_store is not None:
            bot = self.installation_store.find_bot(enterprise_id=None, team_id=team_id)
            if bot is None or not bot.bot_token:
                raise NotInstalled(f"Staffroom is not installed in Slack workspace {team_id}")
            return str(bot.bot_token)
        if not self.token:
            raise NotInstalled("SLACK_BOT_TOKEN is not set")
        return self.token

    def pacer_for(self, team_id: str) -> SharedPacer:
        """The budget chat.postMessage draws from in this workspace, shared with every copy."""
        return self._pacers.for_workspace(team_id)

    def for_team(self, team_id: str) -> WebClient:
        token = self.token_for(team_id)
        with self._lock:
            client = self._clients.get((token, team_id))
            if client is None:
                client = PacedWebClient(
                    token=token,
                    base_url=api_base_url(self.base_url),
                    timeout=self.timeout,
                    pacer=self._pacers.for_workspace(team_id),
                )
                self._clients[(token, team_id)] = client
            return client


@dataclass
class _Progress:
    channel: str | None = None
    ts: str | None = None
    files_sent: int = 0


class SlackMessenger:
    platform: Platform = Platform.SLACK

    def __init__(
        self,
        *,
        token: str | None = None,
        base_url: str | None = None,
        installation_store: InstallationStore | None = None,
        clients: SlackClients | None = None,
    ) -> None:
        self.clients = clients or SlackClients(
            token=token, base_url=base_url, installation_store=installation_store
        )
        self._channels: dict[tuple[str, str], str] = {}
        self._progress: dict[str, _Progress] = {}
        self._lock = threading.Lock()

    # --- the Messenger protocol ------------------------------------------------------------------

    def send(self, item: OutboxItem, message: Message) -> SendResult:
        try:
            client = self.clients.for_team(item.workspace_external_id)
        except NotInstalled as exc:
            return SendResult(ok=False, permanent=True, error=str(exc))
        key = f"{item.workspace_id}:{item.idempotency_key}"
        with self._lock:
            progress = self._progress.setdefault(key, _Progress())
        try:
            group = group_of(message)
            if progress.ts is None and group:
                # A pair or group's introduction: one group DM with everyone (mpim:write).
                channel = self.open_dm(client, item.workspace_external_id, group)
                posted = self.post(client, channel, message, key=item.idempotency_key)
                progress.channel, progress.ts = posted.channel, posted.ts
            if progress.ts is None:
                # Posting to the user id opens the DM in the same call (half the requests of
                # conversations.open first); Slack answers with the DM's channel id.
                dm = self._channels.get((item.workspace_external_id, item.recipient_user_id))
                try:
                    posted = self.post(
                        client, dm or item.recipient_user_id, message, key=item.idempotency_key
                    )
                except SlackApiError as exc:
                    if dm is None or _error_code(exc) != "channel_not_found":
                        raise
                    # The DM we remembered is gone: post to the person, and Slack opens a new one.
                    posted = self.post(
                        client, item.recipient_user_id, message, key=item.idempotency_key
                    )
                progress.channel, progress.ts = posted.channel, posted.ts
                self._remember_dm(
                    item.workspace_external_id, item.recipient_user_id, posted.channel
                )
            files = outgoing_files(message)
            while progress.files_sent < len(files):
                upload(client, str(progress.channel), files[progress.files_sent])
                progress.files_sent += 1
        except SlackApiError as exc:
            result = failure(exc)
            if result.permanent:
                self._forget(key)
            return result
        except (URLError, OSError, TimeoutError) as exc:
            return SendResult(ok=False, error=f"network: {exc}")
        self._forget(key)
        return SendResult(ok=True, platform_message_id=f"{progress.channel}:{progress.ts}")

    def already_sent(self, item: OutboxItem) -> str | None:
        """The message carrying this outbox key, if it is already in the DM.

        The delivery worker asks before retrying: a worker killed after Slack accepted a message but
        before recording it must not post it twice. When Slack cannot be asked, we say "not found":
        a rare duplicate is better than a lost check-in. A message this process posted and
        whose files are still to go is not "already sent": ``send`` finishes it from where it was.
        """
        with self._lock:
            progress = self._progress.get(f"{item.workspace_id}:{item.idempotency_key}")
        if progress is not None and progress.ts is not None:
            return None
        try:
            client = self.clients.for_team(item.workspace_external_id)
            group = group_of(message_from_dict(item.payload))
            channel = self.open_dm(
                client, item.workspace_external_id, group or item.recipient_user_id
            )
            response = client.conversations_history(
                channel=channel, include_all_metadata=True, limit=HISTORY_LOOKBACK
            )
        except (SlackApiError, NotInstalled, URLError, OSError, TimeoutError):
            return None
        for found in response.get("messages") or []:
            metadata = found.get("metadata") or {}
            if metadata.get("event_type") != METADATA_EVENT:
                continue
            if (metadata.get("event_payload") or {}).get("key") == item.idempotency_key:
                return f"{channel}:{found.get('ts')}"
        return None

    def _forget(self, key: str) -> None:
        with self._lock:
            self._progress.pop(key, None)

    # --- pieces the app reuses -------------------------------------------------------------------

    def open_dm(self, client: WebClient, team_id: str, user_id: str) -> str:
        """The DM with a person, or with several (``U1,U2,...``: a group DM, the bot in it too)."""
        cached = self._channels.get((team_id, user_id))
        if cached:
            return cached
        response = client.conversations_open(users=user_id)
        channel = str(response["channel"]["id"])
        self._remember_dm(team_id, user_id, channel)
        return channel

    def _remember_dm(self, team_id: str, user_id: str, channel: str) -> None:
        if channel == user_id:
            return  # not a DM id (a fake or an odd answer): keep asking Slack
        with self._lock:
            if len(self._channels) > 50_000:
                self._channels.clear()
            self._channels[(team_id, user_id)] = channel

    @staticmethod
    def post(
        client: WebClient, channel: str, message: Message, *, key: str | None = None
    ) -> PostedMessage:
        """Post to a channel, or to a user id (Slack opens the DM and names it in its answer)."""
        payload = message_payload(message)
        if key is not None:  # exactly-once: the outbox key travels with the message
            payload["metadata"] = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        try:
            response = client.chat_postMessage(channel=channel, unfurl_links=False, **payload)
        except SlackApiError as exc:
            if _error_code(exc) not in BLOCK_ERRORS:
                raise
            # A rendering bug must not lose the message: send the plain text instead, with the
            # outbox key still on it, or a crash after this post would send it again.
            log.warning("Slack refused our blocks (%s); sending text only", _error_code(exc))
            plain = {k: v for k, v in payload.items() if k in ("text", "metadata")}
            response = client.chat_postMessage(channel=channel, **plain)
        return PostedMessage(
            channel=str(response.get("channel") or channel), ts=str(response["ts"])
        )


MAX_GROUP_DM = 8
"""People in a Slack group DM besides the bot (conversations.open takes at most eight users)."""
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}$")


def group_of(message: Message) -> str:
    """``U1,U2`` for a message meant for one conversation of several Slack users, else ``""``."""
    ids = sorted({m.user_id for m in message.conversation})
    if not 2 <= len(ids) <= MAX_GROUP_DM or not all(_SLACK_USER.match(i) for i in ids):
        return ""
    return ",".join(ids)


@dataclass(frozen=True)
class PostedMessage:
    channel: str
    ts: str


@dataclass(frozen=True)
class OutgoingFile:
    filename: str
    content: bytes | str
    title: str
    alt: str | None = None


_SLUG = re.compile(r"[^a-z0-9]+")


def outgoing_files(message: Message) -> list[OutgoingFile]:
    """Pictures (Block Kit cannot inline a PNG) and attachments, in the order they appear."""
    files: list[OutgoingFile] = []
    for block in message.blocks:
        if isinstance(block, Image):
            name = _SLUG.sub("-", block.alt.lower()).strip("-")[:60] or "picture"
            files.append(
                OutgoingFile(
                    f"{name}.png", base64.b64decode(block.png_base64), block.alt, alt=block.alt
                )
            )
    for attachment in message.attachments:
        files.append(OutgoingFile(attachment.filename, attachment.content, attachment.filename))
    return files


def upload(client: WebClient, channel: str, file: OutgoingFile) -> None:
    kwargs: dict[str, Any] = {}
    if file.alt:
        kwargs["alt_txt"] = file.alt[:1000]
    client.files_upload_v2(
        channel=channel,
        content=file.content,
        filename=file.filename,
        title=file.title,
        request_file_info=False,
        **kwargs,
    )


def _error_code(exc: SlackApiError) -> str:
    try:
        return str(exc.response.get("error") or "")
    except Exception:
        return ""


def failure(exc: SlackApiError) -> SendResult:
    """What a Web API error means for the outbox: wait, retry later, or give up."""
    response = exc.response
    status = getattr(response, "status_code", 0)
    code = _error_code(exc) or f"http_{status}"
    if status == 429 or code == "ratelimited":
        return SendResult(ok=False, retry_after=retry_after(response.headers or {}), error=code)
    if code in PERMANENT_ERRORS:
        return SendResult(
            ok=False, permanent=True, error=code, unreachable=code in UNREACHABLE_ERRORS
        )
    return SendResult(ok=False, error=code)


def clients_from_settings(
    settings: Settings,
    installation_store: InstallationStore | None = None,
    budgets: RateBudgets | None = None,
) -> SlackClients:
    """The bot token of these settings, or, given an OAuth store, each workspace's own token;
    ``budgets`` the shared rate budgets (``SqlRateBudgets`` on the process's engine)."""
    return SlackClients(
        token=None if installation_store is not None else settings.slack_bot_token,
        base_url=settings.slack_api_base_url,
        installation_store=installation_store,
        pacing=PacingPolicy(ceiling=settings.slack_messages_per_second),
        budgets=budgets,
    )
