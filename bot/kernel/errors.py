"""Errors the core turns into friendly replies rather than stack traces."""

from __future__ import annotations

from collections.abc import Mapping

from bot.kernel.messages import unsaid


class UserError(Exception):
    """Something the person asked for cannot be done; the message is shown to them as is.

    Raising it rolls back the whole unit of work, so nothing is half-written.
    """

    def __init__(self, message: str, *, usage_of: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.usage_of = usage_of
        """The verb whose usage the reply should show after the message (the dispatcher adds it)."""


class UnknownCommand(UserError):
    """The first word is no verb Staffroom knows ("hi", a typo)."""


class PermissionDenied(UserError):
    """The person is not allowed to do this (a teacher asking for coordinator verbs)."""


class FormInvalid(Exception):
    """A submitted form has fields to fix; each adapter shows the errors next to the right field."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        plain = {k: unsaid(v) for k, v in errors.items()}  # shown beside a field: plain text
        super().__init__("; ".join(f"{k}: {v}" for k, v in plain.items()))
        self.errors = plain
