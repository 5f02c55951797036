"""``staffroom doctor``: everything a running copy needs, checked in one go, one line each.

Each area has its module (settings here, ``database``, ``timezones``, ``queue``, ``slack``, ``teams``);
this one runs them in order and makes sure nothing a check does can end in a traceback: the person
reading this output is trying to get a server up, and needs the next step, not a stack.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.kernel.settings import Settings, SettingsError, load_settings
from staffroom.doctor.findings import Finding, Status, fail, ok, one_line, skip
from staffroom.doctor.queue import MAX_AGE
from staffroom.doctor.slack import SlackOptions
from staffroom.doctor.teams import TeamsOptions

__all__ = ["DoctorOptions", "Finding", "Status", "run_checks"]


@dataclass
class DoctorOptions:
    slack: SlackOptions = field(default_factory=SlackOptions)
    teams: TeamsOptions = field(default_factory=TeamsOptions)
    queue_max_age: timedelta = MAX_AGE
    now: Callable[[], datetime] = lambda: datetime.now(UTC)


AFTER_SETTINGS = ("database", "time zones", "delivery queue", "slack", "teams")


def run_checks(
    options: DoctorOptions | None = None, env: Mapping[str, str] | None = None
) -> list[Finding]:
    """Every finding, in the order a person would fix them: settings, database, then platforms."""
    options = options or DoctorOptions()
    try:
        settings = load_settings(env)
    except SettingsError as exc:
        findings = [
            fail(
                "settings",
                str(exc),
                f"correct {exc.name} in the environment or .env (see .env.example)",
            )
        ]
        return findings + [
            skip(name, "not checked: the settings do not load") for name in AFTER_SETTINGS
        ]
    findings = [ok("settings", "loaded from the environment and .env")]
    findings += _database_and_after(settings, options)
    findings += guarded("slack", lambda: _slack(settings, options))
    findings += guarded("teams", lambda: _teams(settings, options))
    return findings


def guarded(check: str, run: Callable[[], list[Finding]]) -> list[Finding]:
    """A check that breaks in a way nobody foresaw is a failed line, never a crash of the others."""
    try:
        return run()
    except Exception as exc:
        return [
            fail(
                check,
                f"the check itself failed: {type(exc).__name__}: {one_line(exc)}",
                "run `staffroom doctor` again; if it repeats, report this line",
            )
        ]


def _database_and_after(settings: Settings, options: DoctorOptions) -> list[Finding]:
    from staffroom.doctor.database import check_database
    from staffroom.doctor.queue import check_queue
    from staffroom.doctor.timezones import check_time_zones

    holder: list[object] = []

    def database() -> list[Finding]:
        found, engine = check_database(settings)
        holder.append(engine)
        return found

    findings = guarded("database", database)
    engine = holder[0] if holder else None
    if engine is None:
        why = "not checked: needs the database at the right schema"
        return [*findings, skip("time zones", why), skip("delivery queue", why)]
    from sqlalchemy import Engine

    assert isinstance(engine, Engine)
    try:
        findings += guarded("time zones", lambda: [check_time_zones(engine)])
        findings += guarded(
            "delivery queue", lambda: [check_queue(engine, options.now(), options.queue_max_age)]
        )
    finally:
        engine.dispose()
    return findings


def _slack(settings: Settings, options: DoctorOptions) -> list[Finding]:
    from staffroom.doctor.slack import check_slack

    return check_slack(settings, options.slack)


def _teams(settings: Settings, options: DoctorOptions) -> list[Finding]:
    from staffroom.doctor.teams import check_teams

    return check_teams(settings, options.teams)
