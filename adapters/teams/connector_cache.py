"""Reuse Bot Connector clients instead of building two new ones for every activity.

botbuilder's CloudAdapter asks its authentication for a fresh ``ConnectorClient`` and ``UserTokenClient``
on each turn. Each one builds an msrest retry policy (about 10 ms of CPU: it scans a 999 x 500 list) and a
new aiohttp session, never closed, so every reply also opens a new TCP (and in production TLS) connection to
the connector. Wrapping the authentication keeps one client per (bot app id, service URL, audience) for the
life of the adapter: same credentials, same token cache, one pooled session. Authentication of inbound
requests is untouched: it is delegated as is.
"""

from __future__ import annotations

from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient

ConnectorKey = tuple[str, str, str]
"""(bot app id, service URL, audience): what a connector client's credentials and endpoint depend on."""

MAX_CLIENTS = 64
"""Teams uses a handful of regional service URLs; this bounds the cache if it is ever fed many."""


def _app_of(identity: ClaimsIdentity | None) -> str:
    if identity is None or not identity.claims:
        return ""
    claims = identity.claims
    return str(
        claims.get(AuthenticationConstants.APP_ID_CLAIM)
        or claims.get(AuthenticationConstants.AUTHORIZED_PARTY)
        or claims.get(AuthenticationConstants.AUDIENCE_CLAIM)
        or ""
    )


class _CachingConnectorFactory(ConnectorFactory):  # type: ignore[misc]
    def __init__(
        self, inner: ConnectorFactory, cache: dict[ConnectorKey, ConnectorClient], app: str
    ):
        self._inner = inner
        self._cache = cache
        self._app = app

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (self._app, service_url, audience or "")
        client = self._cache.get(key)
        if client is None:
            client = await self._inner.create(service_url, audience)
            if len(self._cache) >= MAX_CLIENTS:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = client
        return client


class CachingAuthentication(BotFrameworkAuthentication):  # type: ignore[misc]
    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner
        self._connectors: dict[ConnectorKey, ConnectorClient] = {}
        self._token_clients: dict[str, UserTokenClient] = {}

    def _wrap(
        self, factory: ConnectorFactory | None, identity: ClaimsIdentity | None
    ) -> ConnectorFactory | None:
        if factory is None:
            return None
        return _CachingConnectorFactory(factory, self._connectors, _app_of(identity))

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        result.connector_factory = self._wrap(result.connector_factory, result.claims_identity)
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory | None:
        return self._wrap(self._inner.create_connector_factory(claims_identity), claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        key = _app_of(claims_identity)
        client = self._token_clients.get(key)
        if client is None:
            client = await self._inner.create_user_token_client(claims_identity)
            self._token_clients[key] = client
        return client

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self._inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)
