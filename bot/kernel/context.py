"""What a handler gets: the person, their workspace, the time, and the unit of work to change things;
and the lookups every feature makes the same way (a program by name, the record behind a button)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from bot.kernel.commands import usage_error
from bot.kernel.domain import Member, Program, Workspace
from bot.kernel.errors import PermissionDenied, UserError
from bot.kernel.events import Actor
from bot.kernel.i18n import N_, _, speaking
from bot.kernel.messages import Message
from bot.kernel.ports import Scope, UnitOfWork
from bot.kernel.settings import Settings

if TYPE_CHECKING:
    from bot.kernel.feature import Registry


@dataclass
class Ctx:
    uow: UnitOfWork
    repos: Scope
    workspace: Workspace
    actor: Actor
    member: Member | None
    now: datetime
    settings: Settings
    registry: Registry
    """What this running Staffroom can do: help, privacy and Home read every feature's part from it."""

    def require_member(self) -> Member:
        if self.member is None:
            raise UserError(
                _("You haven't joined Staffroom yet. Type `join` to start; it takes a minute.")
            )
        return self.member

    def require_coordinator(self) -> Member:
        member = self.require_member()
        if not member.is_coordinator:
            raise PermissionDenied(
                _(
                    "That one is for programme coordinators. If you think you should have it, "
                    "ask your PD lead to add you as a coordinator."
                )
            )
        return member

    def local_today(self, member: Member | None = None) -> date:
        """Today where the person is: a pause "until Friday" means their Friday."""
        who = member or self.member
        tz = who.timezone if who else self.settings.default_timezone
        return self.now.astimezone(ZoneInfo(tz)).date()

    def send(self, recipient: Member, message: Message, idempotency_key: str) -> bool:
        """Queue a message for someone in the same transaction as the change that caused it.

        Build ``message`` inside ``ctx.speaking_to(recipient)`` when it is for somebody else, or
        pass a function to ``send_built``: it is read in their language, not the sender's."""
        return self.repos.outbox.enqueue(recipient, message, idempotency_key, self.now)

    def send_built(
        self, recipient: Member, build: Callable[[], Message], idempotency_key: str
    ) -> bool:
        """Write a message for someone in their language, and queue it like ``send``."""
        with self.speaking_to(recipient):
            message = build()
        return self.send(recipient, message, idempotency_key)

    def speaking_to(self, person: Member) -> AbstractContextManager[str]:
        """Write what is inside in ``person``'s language."""
        return speaking_to(person)


def speaking_to(person: Member) -> AbstractContextManager[str]:
    """Write what is inside in ``person``'s language: for jobs and flows that write to others."""
    return speaking(person.language or person.platform_language)


# Translators: a command with an example program's name; `program show` stays in English.
PROGRAM_EXAMPLE = N_("program show Year 9 PLC")


def program_named(
    ctx: Ctx, name: str, *, verb: str | None = None, example: str = PROGRAM_EXAMPLE
) -> Program:
    """The program the person named; otherwise one refusal, worded the same everywhere, that lists the
    programs there are (a coordinator who mistyped sees the right spelling at once).

    ``example`` is the command shown when no name was given, so it can be the one the person was typing.
    """
    if not name.strip():
        problem = _("Which program? Give its name, e.g. `{example}`.").format(example=_(example))
        raise usage_error(verb, problem) if verb else UserError(problem)
    found = ctx.repos.programs.by_name(name)
    if found is None:
        names = ", ".join(p.name for p in ctx.repos.programs.list()) or _("none yet")
        raise UserError(
            _("There is no program called “{name}”. Programs: {names}.").format(
                name=name.strip(), names=names
            )
        )
    return found


def program_and_rest(ctx: Ctx, words: Sequence[str]) -> tuple[Program, list[str]] | None:
    """The program the first words name and the words after it (``Year 9 PLC Ana with Ben``).

    A name may be several unquoted words, so the longest prefix that names a program wins; at least
    one word is always left over. None when no prefix names one.
    """
    for split in range(len(words) - 1, 0, -1):
        found = ctx.repos.programs.by_name(" ".join(words[:split]))
        if found is not None:
            return found, list(words[split:])
    return None


def record_id(value: str) -> int | None:
    """The record id a button or a typed number carries (``12``, ``#12``, ``12:extra``), or None for
    anything else: a button value is whatever the platform sends back, so it is never trusted as is."""
    head = value.strip().lstrip("#").split(":", 1)[0]
    return int(head) if head.isdigit() and len(head) <= 18 else None


R = TypeVar("R")


def own(
    record: R | None,
    owner_id: int | Callable[[R], int | None] | None,
    member: Member,
    refusal: str,
) -> R:
    """The record behind a button or a number, if it belongs to the person acting.

    Someone else's record is refused exactly like one that does not exist, so ids cannot be probed.
    ``owner_id`` may be given as how to read it from the record (``lambda r: r.member_id``), for a
    record that was looked up and may be missing.
    """
    if record is None:
        raise UserError(refusal)
    owner = owner_id(record) if callable(owner_id) else owner_id
    if owner is None or owner != member.id:
        raise UserError(refusal)
    return record
