"""Will Slack work? The token, the scopes the manifest asks for, the request URLs and Socket Mode.

Slack tells an app its installed scopes in the ``x-oauth-scopes`` header of every Web API answer, so
one ``auth.test`` proves the token and shows what the install granted; a scope added to the manifest
after the workspace installed the app is missing until someone reinstalls it, which nothing else
reports until the first send fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import adapters.slack as slack_adapter
from bot.kernel.settings import Settings
from staffroom.doctor.findings import Finding, Status, fail, ok, one_line, skip, warn

MANIFEST = Path(slack_adapter.__file__).parent / "manifest.yaml"
EVENTS_PATH = "/slack/events"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"
REINSTALL = (
    "add them under OAuth & Permissions > Bot Token Scopes (or paste adapters/slack/manifest.yaml "
    "into App Manifest), then reinstall the app to the workspace"
)
TOKEN_FIX = (
    "copy the Bot User OAuth Token (xoxb-...) from the app's Install App page into SLACK_BOT_TOKEN"
)
_TOKEN_ERRORS = {
    "invalid_auth": TOKEN_FIX,
    "not_authed": TOKEN_FIX,
    "token_revoked": "the app was uninstalled or its token revoked: reinstall it, then "
    + TOKEN_FIX,
    "account_inactive": "the workspace or the app's bot was deactivated: reinstall the app, then "
    + TOKEN_FIX,
    "token_expired": "token rotation is on: turn it off (token_rotation_enabled: false), reinstall, then "
    + TOKEN_FIX,
}


@dataclass(frozen=True)
class Manifest:
    """What the doctor needs from the Slack app's manifest: the copy pasted into Slack, ideally."""

    bot_scopes: tuple[str, ...]
    request_urls: tuple[tuple[str, str], ...]
    """(where in the manifest, URL) for everything Slack posts to."""
    redirect_urls: tuple[str, ...] = ()
    socket_mode: bool = False


def read_manifest(path: Path) -> Manifest:
    import yaml

    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    features = data.get("features") or {}
    settings = data.get("settings") or {}
    urls: list[tuple[str, str]] = [
        (f"slash command {c.get('command')}", str(c["url"]))
        for c in features.get("slash_commands") or []
        if c.get("url")
    ]
    for section in ("event_subscriptions", "interactivity"):
        url = (settings.get(section) or {}).get("request_url")
        if url:
            urls.append((section.replace("_", " "), str(url)))
    oauth = data.get("oauth_config") or {}
    return Manifest(
        bot_scopes=tuple(str(s) for s in (oauth.get("scopes") or {}).get("bot") or []),
        request_urls=tuple(urls),
        redirect_urls=tuple(str(u) for u in oauth.get("redirect_urls") or []),
        socket_mode=bool(settings.get("socket_mode_enabled")),
    )


@dataclass
class SlackOptions:
    manifest: Path = MANIFEST
    socket: bool = False
    """``serve slack --socket`` is how this copy runs (the manifest may say so too)."""
    timeout: float = 5.0


def configured(settings: Settings) -> bool:
    return any(
        (
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
            settings.slack_client_id,
            settings.slack_client_secret,
        )
    )


def check_slack(settings: Settings, options: SlackOptions) -> list[Finding]:
    if not configured(settings):
        return [
            skip("slack", "not configured (no SLACK_BOT_TOKEN, SLACK_CLIENT_ID or SLACK_APP_TOKEN)")
        ]
    import yaml

    try:
        manifest = read_manifest(options.manifest)
    except (OSError, yaml.YAMLError, AttributeError, KeyError, TypeError) as exc:
        # AttributeError, KeyError, TypeError: YAML, but not shaped like a Slack manifest
        return [
            fail(
                "slack manifest",
                f"cannot read {options.manifest}: {one_line(exc)}",
                "give the manifest you pasted into Slack with --slack-manifest FILE",
            )
        ]
    socket = options.socket or manifest.socket_mode
    findings = [_settings(settings)]
    granted: set[str] | None = None
    token_ok = False
    if settings.slack_bot_token:
        token, granted = _auth_test(settings, options.timeout)
        token_ok = token.status is Status.OK
        findings.append(token)
    else:
        findings.append(
            skip(
                "slack token",
                "no SLACK_BOT_TOKEN: each workspace's token comes from its OAuth install "
                "(stored in the database), not checked here",
            )
        )
    if token_ok and granted is None:
        # A proxy in between can drop Slack's headers: the token works, the scopes are unknown.
        why = "Slack's answer had no x-oauth-scopes header (a proxy in between may drop it)"
        unsure = "compare OAuth & Permissions > Bot Token Scopes with adapters/slack/manifest.yaml"
        findings += [warn("slack scopes", why, unsure), warn("slack DMs", why, unsure)]
    else:
        findings += _scopes(manifest, granted)
    findings.append(_request_urls(settings, manifest, socket))
    findings.append(_socket_mode(settings, socket))
    return findings


def _settings(settings: Settings) -> Finding:
    name = "slack settings"
    if not settings.slack_signing_secret:
        return fail(
            name,
            "SLACK_SIGNING_SECRET is not set (every request from Slack is verified with it)",
            "copy the Signing Secret from the app's Basic Information page into SLACK_SIGNING_SECRET",
        )
    oauth = bool(settings.slack_client_id and settings.slack_client_secret)
    if not settings.slack_bot_token and not oauth:
        return fail(
            name,
            "neither SLACK_BOT_TOKEN nor both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set",
            TOKEN_FIX
            + " (or, for several workspaces, set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)",
        )
    if settings.slack_bot_token and not settings.slack_bot_token.startswith("xoxb-"):
        return fail(
            name,
            f"SLACK_BOT_TOKEN starts {settings.slack_bot_token[:5]!r}, not 'xoxb-' (a bot token)",
            TOKEN_FIX,
        )
    how = "one workspace (SLACK_BOT_TOKEN)" if settings.slack_bot_token else "OAuth installs"
    return ok(name, f"signing secret set; {how}")


def _auth_test(settings: Settings, timeout: float) -> tuple[Finding, set[str] | None]:
    """``auth.test`` with the bot token: the findings, and the scopes the install granted."""
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError, SlackClientError

    from adapters.slack.messenger import api_base_url

    name = "slack token"
    base = api_base_url(settings.slack_api_base_url)
    # No retry handlers: a doctor should answer in seconds, and say "cannot reach" rather than wait.
    client = WebClient(
        token=settings.slack_bot_token,
        base_url=base,
        timeout=max(1, round(timeout)),
        retry_handlers=[],
    )
    try:
        response = client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error") or exc.response.status_code)
        fix = _TOKEN_ERRORS.get(error, "check SLACK_BOT_TOKEN and SLACK_API_BASE_URL")
        return fail(name, f"Slack refused SLACK_BOT_TOKEN: {error}", fix), None
    except (SlackClientError, OSError, ValueError) as exc:  # URLError, timeouts, refused, bad JSON
        return (
            fail(
                name,
                f"cannot reach Slack at {base}: {one_line(getattr(exc, 'reason', exc))}",
                "check this server's network and proxy to slack.com (and SLACK_API_BASE_URL if set)",
            ),
            None,
        )
    headers = {k.lower(): v for k, v in (response.headers or {}).items()}
    raw = headers.get("x-oauth-scopes")
    if isinstance(raw, list):
        raw = ",".join(raw)
    granted = {s.strip() for s in str(raw).split(",") if s.strip()} if raw is not None else None
    team = response.get("team") or response.get("team_id")
    return ok(name, f"auth.test ok: bot {response.get('user_id')} in {team}"), granted


def _scopes(manifest: Manifest, granted: set[str] | None) -> list[Finding]:
    if granted is None:
        why = "no working bot token to ask Slack with"
        return [
            skip("slack scopes", f"not checked: {why}"),
            skip("slack DMs", f"not checked: {why}"),
        ]
    missing = [s for s in manifest.bot_scopes if s not in granted]
    scopes = (
        fail("slack scopes", f"the install lacks {', '.join(missing)}", REINSTALL)
        if missing
        else ok("slack scopes", f"all {len(manifest.bot_scopes)} bot scopes the manifest asks for")
    )
    # conversations.open, how every check-in reaches a teacher, needs im:write.
    dms = (
        ok("slack DMs", "can open DMs (im:write)")
        if "im:write" in granted
        else fail("slack DMs", "cannot open DMs: the install lacks im:write", REINSTALL)
    )
    return [scopes, dms]


def _request_urls(settings: Settings, manifest: Manifest, socket: bool) -> Finding:
    name = "slack request URLs"
    if socket:
        return skip(name, "not needed: Socket Mode")
    if not settings.public_url:
        return skip(
            name,
            "not configured: set STAFFROOM_PUBLIC_URL to this server's public address to compare",
        )
    events = settings.public_url + EVENTS_PATH
    expected = [(where, url, events) for where, url in manifest.request_urls]
    if settings.slack_client_id and settings.slack_client_secret:
        redirect = settings.public_url + OAUTH_REDIRECT_PATH
        expected += [("OAuth redirect", url, redirect) for url in manifest.redirect_urls]
    wrong = [(where, url, want) for where, url, want in expected if url.rstrip("/") != want]
    if not settings.public_url.startswith("https://"):
        return fail(
            name,
            f"STAFFROOM_PUBLIC_URL is {settings.public_url}: Slack only posts to HTTPS",
            "serve behind an HTTPS proxy and set STAFFROOM_PUBLIC_URL=https://...",
        )
    if not expected:
        return fail(
            name,
            "the manifest has no request URLs and Socket Mode is off",
            "set socket_mode_enabled: true, or add the URLs from adapters/slack/manifest.yaml",
        )
    if wrong:
        where, url, want = wrong[0]
        more = f" (and {len(wrong) - 1} more)" if len(wrong) > 1 else ""
        return fail(
            name,
            f"{where} posts to {url}, not {want}{more}",
            f"in the manifest pasted into Slack (App Manifest page; check it with --slack-manifest FILE) "
            f"make every request URL {events}",
        )
    return ok(name, f"all {len(expected)} point at {settings.public_url}")


def _socket_mode(settings: Settings, socket: bool) -> Finding:
    name = "slack socket mode"
    token = settings.slack_app_token
    if not socket and not token:
        return skip(name, "not used (no --socket, manifest's socket_mode_enabled is false)")
    fix = (
        "make an App-Level Token with connections:write (Basic Information > App-Level Tokens) "
        "and put it (xapp-...) in SLACK_APP_TOKEN"
    )
    if not token:
        return fail(name, "Socket Mode is on but SLACK_APP_TOKEN is not set", fix)
    if not token.startswith("xapp-"):
        return fail(name, f"SLACK_APP_TOKEN starts {token[:5]!r}, not 'xapp-'", fix)
    return ok(name, "SLACK_APP_TOKEN is an app-level token (xapp-)")
