"""Settings from the environment (and a ``.env`` file), validated once at start-up.

A missing or malformed setting stops start-up with one line that names it, because an IT admin reading a
stack trace at 7am before school is how a pilot dies.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.kernel.i18n import LANGUAGES, supported

_DB_URL = re.compile(r"^[a-z][a-z0-9]*(\+[a-z0-9_]+)?://")
_LOG_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR"}
MIN_WEB_SECRET = 32
"""Characters a link-signing secret needs at least: a short one could be guessed offline from one link."""


class SettingsError(Exception):
    """One clear line naming the setting that is wrong and what would be right."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"Setting {name} {problem}")
        self.name = name


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///staffroom.db"
    log_level: str = "INFO"
    default_timezone: str = "UTC"
    default_language: str = "en"
    """What Staffroom speaks to someone who has not chosen a language and whose platform does not say."""
    console_workspace: str = "local"
    delivery_max_attempts: int = 8
    delivery_threads: int = 8
    worker_id: str | None = None
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_base_url: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    slack_messages_per_second: float | None = None
    microsoft_app_id: str | None = None
    microsoft_app_password: str | None = None
    microsoft_app_tenant_id: str | None = None
    microsoft_app_type: str = "MultiTenant"
    teams_allow_unauthenticated: bool = False
    web_secret: str | None = None
    """Signs the links to the coordinator's web digest; without it there is no web page and no link."""
    public_url: str | None = None
    """Where people reach this server (``https://staffroom.district.example``): the base of the
    web digest's links, and what ``staffroom doctor`` checks Slack's request URLs against."""
    web_link_days: int = 7
    extra: Mapping[str, str] = field(default_factory=dict)

    def require(self, *names: str) -> None:
        """Stop an adapter's start-up when a setting it cannot run without is missing."""
        for name in names:
            if not getattr(self, name.lower()):
                raise SettingsError(name.upper(), "is required for this command but is not set")


def load_settings(
    env: Mapping[str, str] | None = None, *, dotenv_path: str | Path | None = ".env"
) -> Settings:
    """Read settings from ``env`` (default: the process environment after loading ``.env``)."""
    if env is None:
        if dotenv_path is not None and Path(dotenv_path).exists():
            from dotenv import load_dotenv

            load_dotenv(dotenv_path, override=False)
        env = os.environ

    def text(name: str) -> str | None:
        value = env.get(name)
        return value.strip() if value and value.strip() else None

    database_url = text("DATABASE_URL") or Settings.database_url
    if not _DB_URL.match(database_url):
        raise SettingsError(
            "DATABASE_URL",
            f"is malformed ({without_password(database_url)!r}); expected e.g. sqlite:///staffroom.db "
            "or postgresql+psycopg://user@host/dbname",
        )

    log_level = (text("STAFFROOM_LOG_LEVEL") or "INFO").upper()
    if log_level not in _LOG_LEVELS:
        raise SettingsError("STAFFROOM_LOG_LEVEL", f"must be one of {sorted(_LOG_LEVELS)}")

    default_timezone = text("STAFFROOM_DEFAULT_TIMEZONE") or "UTC"
    try:
        ZoneInfo(default_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            "STAFFROOM_DEFAULT_TIMEZONE",
            f"is not a known time zone ({default_timezone!r}); use an IANA name like Europe/London",
        ) from None

    language_raw = text("STAFFROOM_DEFAULT_LANGUAGE") or "en"
    default_language = supported(language_raw)
    if default_language is None:
        raise SettingsError(
            "STAFFROOM_DEFAULT_LANGUAGE",
            f"is not a language Staffroom speaks ({language_raw!r}); use one of {sorted(LANGUAGES)}",
        )

    attempts_raw = text("STAFFROOM_DELIVERY_MAX_ATTEMPTS") or "8"
    if not attempts_raw.isdigit() or not 1 <= int(attempts_raw) <= 50:
        raise SettingsError(
            "STAFFROOM_DELIVERY_MAX_ATTEMPTS", "must be a whole number from 1 to 50"
        )

    threads_raw = text("STAFFROOM_DELIVERY_THREADS") or "8"
    if not threads_raw.isdigit() or not 1 <= int(threads_raw) <= 32:
        raise SettingsError("STAFFROOM_DELIVERY_THREADS", "must be a whole number from 1 to 32")

    worker_id = text("STAFFROOM_WORKER_ID")
    if worker_id is not None and not re.fullmatch(r"[A-Za-z0-9._:-]{1,100}", worker_id):
        raise SettingsError(
            "STAFFROOM_WORKER_ID", "may use letters, digits and . _ : - (up to 100 characters)"
        )

    base_url = text("SLACK_API_BASE_URL")
    if base_url and not re.match(r"^https?://", base_url):
        raise SettingsError("SLACK_API_BASE_URL", "must start with http:// or https://")

    slack_rate_raw = text("SLACK_MESSAGES_PER_SECOND")
    slack_rate: float | None = None
    if slack_rate_raw is not None:
        try:
            slack_rate = float(slack_rate_raw)
        except ValueError:
            slack_rate = 0.0
        if not 0.1 <= slack_rate <= 10_000:
            raise SettingsError(
                "SLACK_MESSAGES_PER_SECOND",
                "must be a number of messages a second from 0.1 to 10000 (or unset to learn it)",
            )

    app_type = text("MICROSOFT_APP_TYPE") or "MultiTenant"
    if app_type not in {"MultiTenant", "SingleTenant", "UserAssignedMSI"}:
        raise SettingsError(
            "MICROSOFT_APP_TYPE", "must be MultiTenant, SingleTenant or UserAssignedMSI"
        )

    allow_unauth = (text("STAFFROOM_TEAMS_ALLOW_UNAUTHENTICATED") or "0").lower()
    if allow_unauth not in {"0", "1", "true", "false", "yes", "no"}:
        raise SettingsError("STAFFROOM_TEAMS_ALLOW_UNAUTHENTICATED", "must be 1 or 0")

    web_secret = text("STAFFROOM_WEB_SECRET")
    if web_secret is not None and len(web_secret) < MIN_WEB_SECRET:
        raise SettingsError(
            "STAFFROOM_WEB_SECRET",
            f"is too short to sign links safely: use at least {MIN_WEB_SECRET} random characters "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)",
        )
    public_url = text("STAFFROOM_PUBLIC_URL")
    if public_url is not None and not re.match(r"^https?://[^/\s]+", public_url):
        raise SettingsError(
            "STAFFROOM_PUBLIC_URL", "must be a base URL like https://staffroom.district.example"
        )
    link_days_raw = text("STAFFROOM_WEB_LINK_DAYS") or "7"
    if not link_days_raw.isdigit() or not 1 <= int(link_days_raw) <= 90:
        raise SettingsError(
            "STAFFROOM_WEB_LINK_DAYS", "must be a whole number of days from 1 to 90"
        )

    return Settings(
        database_url=database_url,
        log_level=log_level,
        default_timezone=default_timezone,
        default_language=default_language,
        console_workspace=text("STAFFROOM_CONSOLE_WORKSPACE") or "local",
        delivery_max_attempts=int(attempts_raw),
        delivery_threads=int(threads_raw),
        worker_id=worker_id,
        slack_bot_token=text("SLACK_BOT_TOKEN"),
        slack_signing_secret=text("SLACK_SIGNING_SECRET"),
        slack_app_token=text("SLACK_APP_TOKEN"),
        slack_api_base_url=base_url,
        slack_client_id=text("SLACK_CLIENT_ID"),
        slack_client_secret=text("SLACK_CLIENT_SECRET"),
        slack_messages_per_second=slack_rate,
        microsoft_app_id=text("MICROSOFT_APP_ID"),
        microsoft_app_password=text("MICROSOFT_APP_PASSWORD"),
        microsoft_app_tenant_id=text("MICROSOFT_APP_TENANT_ID"),
        microsoft_app_type=app_type,
        teams_allow_unauthenticated=allow_unauth in {"1", "true", "yes"},
        web_secret=web_secret,
        public_url=public_url.rstrip("/") if public_url else None,
        web_link_days=int(link_days_raw),
    )


def without_password(url: str) -> str:
    """A URL as it may be shown in an error or a log: ``user:secret@`` becomes ``user:***@``."""
    scheme, sep, rest = url.rpartition("://")
    return scheme + sep + re.sub(r"^([^:/@]*:)[^/]*@", r"\1***@", rest)
