"""Will Teams work? The app id and password must get a Bot Framework token, and the app package
teachers installed must name the same bot.

botbuilder's ``MicrosoftAppCredentials`` gets its token through MSAL: an OAuth client-credentials
grant at ``https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token`` (the app's own tenant
for a single-tenant bot) with the scope ``https://api.botframework.com/.default``. The doctor sends
that same request itself, without MSAL's authority discovery, so a test (or a sovereign cloud) can
point it elsewhere with ``--teams-token-url``; a wrong password then fails here, not on the first
check-in.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.kernel.settings import Settings
from staffroom.doctor.findings import Finding, fail, ok, one_line, skip

LOGIN_URL_PREFIX = "https://login.microsoftonline.com/"
DEFAULT_TENANT = "botframework.com"
TOKEN_PATH = "/oauth2/v2.0/token"
SCOPE = "https://api.botframework.com/.default"
PACKAGE = Path("staffroom-teams.zip")
"""Where ``staffroom teams package`` writes by default."""

CREDENTIALS_FIX = (
    "copy the Microsoft App ID from the Azure Bot's Configuration page into MICROSOFT_APP_ID, and a "
    "current client secret's value (Certificates & secrets) into MICROSOFT_APP_PASSWORD"
)
_ENTRA_FIXES = {
    "AADSTS7000215": "MICROSOFT_APP_PASSWORD is wrong: make a new client secret under the app "
    "registration's Certificates & secrets and put its value (not its id) in MICROSOFT_APP_PASSWORD",
    "AADSTS7000222": "the client secret has expired: make a new one under Certificates & secrets and "
    "put its value in MICROSOFT_APP_PASSWORD",
    "AADSTS700016": "MICROSOFT_APP_ID is not an app in that directory: copy the Microsoft App ID from "
    "the Azure Bot's Configuration page, and check MICROSOFT_APP_TYPE and MICROSOFT_APP_TENANT_ID",
    "AADSTS90002": "MICROSOFT_APP_TENANT_ID names no tenant: copy the Directory (tenant) ID from the "
    "app registration's Overview",
}


@dataclass
class TeamsOptions:
    token_url: str | None = None
    """Instead of Entra ID's: the whole URL the client-credentials grant is posted to."""
    package: Path = PACKAGE
    timeout: float = 5.0


def configured(settings: Settings) -> bool:
    return bool(settings.microsoft_app_id or settings.microsoft_app_password)


def token_url(settings: Settings) -> str:
    tenant = (
        settings.microsoft_app_tenant_id
        if settings.microsoft_app_type == "SingleTenant" and settings.microsoft_app_tenant_id
        else DEFAULT_TENANT
    )
    return f"{LOGIN_URL_PREFIX}{tenant}{TOKEN_PATH}"


def check_teams(settings: Settings, options: TeamsOptions) -> list[Finding]:
    if not configured(settings):
        if settings.teams_allow_unauthenticated:
            return [
                skip(
                    "teams",
                    "no MICROSOFT_APP_ID: authentication is off "
                    "(STAFFROOM_TEAMS_ALLOW_UNAUTHENTICATED=1, for the Emulator only)",
                )
            ]
        return [skip("teams", "not configured (no MICROSOFT_APP_ID)")]
    problem = _settings_problem(settings)
    if problem is not None:
        return [
            problem,
            skip("teams token", "not checked: the Teams settings are incomplete"),
            _package(settings, options.package),
        ]
    return [
        ok("teams settings", f"{settings.microsoft_app_type} app {settings.microsoft_app_id}"),
        _token(settings, options),
        _package(settings, options.package),
    ]


def _settings_problem(settings: Settings) -> Finding | None:
    name = "teams settings"
    if not settings.microsoft_app_id:
        return fail(
            name, "MICROSOFT_APP_PASSWORD is set but MICROSOFT_APP_ID is not", CREDENTIALS_FIX
        )
    if settings.microsoft_app_type != "UserAssignedMSI" and not settings.microsoft_app_password:
        return fail(
            name, "MICROSOFT_APP_ID is set but MICROSOFT_APP_PASSWORD is not", CREDENTIALS_FIX
        )
    if settings.microsoft_app_type == "SingleTenant" and not settings.microsoft_app_tenant_id:
        return fail(
            name,
            "MICROSOFT_APP_TYPE is SingleTenant but MICROSOFT_APP_TENANT_ID is not set",
            "copy the Directory (tenant) ID from the app registration's Overview into "
            "MICROSOFT_APP_TENANT_ID",
        )
    return None


def _token(settings: Settings, options: TeamsOptions) -> Finding:
    name = "teams token"
    if settings.microsoft_app_type == "UserAssignedMSI":
        return skip(
            name, "managed identity: its token comes from Azure's own endpoint, not checked"
        )
    url = options.token_url or token_url(settings)
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": settings.microsoft_app_id or "",
            "client_secret": settings.microsoft_app_password or "",
            "scope": SCOPE,
        }
    ).encode()
    request = urllib.request.Request(
        url,
        data=form,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=options.timeout) as response:
            body = _json(response.read())
    except urllib.error.HTTPError as exc:
        body = _json(exc.read())
        description = str(body.get("error_description") or exc.reason)
        code = description.split(":", 1)[0]
        error = body.get("error") or f"HTTP {exc.code}"
        return fail(
            name,
            f"the token endpoint refused the app id and password: {error}: {one_line(description, 160)}",
            _ENTRA_FIXES.get(code, CREDENTIALS_FIX),
        )
    except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections, a bad URL
        return fail(
            name,
            f"cannot reach the token endpoint {url}: {one_line(getattr(exc, 'reason', exc))}",
            "check this server's network and proxy to login.microsoftonline.com",
        )
    if not body.get("access_token"):
        return fail(
            name,
            f"the token endpoint {url} answered without a token",
            "check --teams-token-url, or this server's proxy to login.microsoftonline.com",
        )
    return ok(name, "the app id and password get a Bot Framework token")


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _package(settings: Settings, path: Path) -> Finding:
    """The package an admin uploaded carries the bot id it was built with; a new app id means a new
    package, or Teams keeps sending messages to the old bot."""
    name = "teams package"
    rebuild = (
        f"run `staffroom teams package --out {path}` and upload it again in Teams admin center"
    )
    if not path.exists():
        return skip(
            name,
            f"no package at {path} to compare (build one with `staffroom teams package`, "
            "or give it with --teams-package FILE)",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        ids = {"id": manifest.get("id")} | {
            f"bots[{i}].botId": bot.get("botId") for i, bot in enumerate(manifest.get("bots") or [])
        }
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, AttributeError) as exc:
        return fail(name, f"cannot read {path}: {one_line(exc)}", rebuild)
    if "bots[0].botId" not in ids:
        return fail(name, f"{path} declares no bot", rebuild)
    wrong = {where: value for where, value in ids.items() if value != settings.microsoft_app_id}
    if wrong:
        listed = ", ".join(f"{where} {value}" for where, value in wrong.items())
        return fail(
            name, f"{path} has {listed}, not MICROSOFT_APP_ID {settings.microsoft_app_id}", rebuild
        )
    return ok(name, f"{path} names bot {settings.microsoft_app_id}")
