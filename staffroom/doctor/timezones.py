"""Can the scheduler load every time zone it will be asked for? Check-ins go out at each teacher's
local time, so a zone missing from the time zone database silently stops that teacher's check-ins."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from staffroom.doctor.findings import Finding, fail, ok

if TYPE_CHECKING:
    from sqlalchemy import Engine

CHECK = "time zones"
KNOWN = "Europe/London"
"""A zone every IANA database has: if it does not load, there is no database at all."""
SHOWN = 5


def loads(zone: str) -> bool:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def check_time_zones(engine: Engine) -> Finding:
    from sqlalchemy.orm import Session

    from storage.repositories.members import time_zones_in_use

    if not loads(KNOWN):
        return fail(
            CHECK,
            f"zoneinfo cannot load {KNOWN}: this Python has no time zone database",
            "pip install tzdata (or install the operating system's tzdata package)",
        )
    with Session(engine) as session:
        in_use = time_zones_in_use(session)
    bad = {zone: use for zone, use in in_use.items() if not loads(zone)}
    if not in_use:
        return ok(CHECK, f"zoneinfo loads {KNOWN}; no member or program has a zone yet")
    if not bad:
        return ok(CHECK, f"zoneinfo loads {KNOWN} and all {len(in_use)} zone(s) in use")
    listed = ", ".join(
        f"{zone!r} ({_use(members, programs)})"
        for zone, (members, programs) in sorted(bad.items())[:SHOWN]
    )
    more = f" and {len(bad) - SHOWN} more" if len(bad) > SHOWN else ""
    return fail(
        CHECK,
        f"zoneinfo cannot load {listed}{more}",
        "pip install -U tzdata for a newer time zone database, or correct the zone "
        "(`profile set tz=Europe/London` as the teacher, `program set NAME tz=...` as a coordinator)",
    )


def _use(members: int, programs: int) -> str:
    parts = [f"{members} member(s)"] if members else []
    parts += [f"{programs} program(s)"] if programs else []
    return ", ".join(parts)
