"""What a check found, as one line an IT admin can act on: a status, what was seen, and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    """Worth a look, but a running copy can live with it: the exit status stays 0."""
    FAIL = "FAIL"
    SKIP = "skip"
    """Not configured, or not checkable because an earlier check failed: never a failure itself."""


@dataclass(frozen=True)
class Finding:
    check: str
    status: Status
    detail: str
    fix: str | None = None

    def line(self) -> str:
        """One line a check, so the output greps and reads the same in a terminal and a CI log."""
        text = f"{self.status.value:<4}  {self.check}: {self.detail}"
        return f"{text}; fix: {self.fix}" if self.fix else text


def ok(check: str, detail: str) -> Finding:
    return Finding(check, Status.OK, detail)


def warn(check: str, detail: str, fix: str | None = None) -> Finding:
    return Finding(check, Status.WARN, detail, fix)


def fail(check: str, detail: str, fix: str) -> Finding:
    """A failure always says what to do: a red line with no next step helps nobody at 7am."""
    return Finding(check, Status.FAIL, detail, fix)


def skip(check: str, detail: str) -> Finding:
    return Finding(check, Status.SKIP, detail)


def one_line(text: object, limit: int = 200) -> str:
    """An error's first line, short: SDK errors carry whole responses and stack context."""
    first = str(text).strip().splitlines()[0] if str(text).strip() else type(text).__name__
    return first if len(first) <= limit else first[: limit - 1] + "…"


def age(delta: timedelta) -> str:
    """A duration as a person says it: 45 s, 12 min, 3 h 5 min, 2 d 4 h."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"
