"""Sending digests (the scheduler's job) and deciding who may read one.

The job is idempotent: each coordinator's digest for a week has the outbox key
``digest:{program_id}:{week}:{member_id}``, so several copies of Staffroom running it at the same minute,
or a run every quarter hour all day, still send one. It checks the keys before drawing anything, so a
digest already sent costs one indexed look-up, not a rebuild.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot.digest.build import build_digest
from bot.digest.chart import trend_png_base64
from bot.digest.links import LinkSigner, digest_url
from bot.digest.model import Digest
from bot.digest.render import chat_message
from bot.digest.schedule import is_due
from bot.digest.weeks import week_just_ended
from bot.kernel.context import speaking_to
from bot.kernel.domain import Member, MemberStatus, Program, ProgramRole, Role
from bot.kernel.ports import Scope, UnitOfWorkFactory

log = logging.getLogger(__name__)


@dataclass
class SendReport:
    queued: int = 0
    programs: list[str] = field(default_factory=list)


def digest_key(program_id: int, week: str, member_id: int) -> str:
    return f"digest:{program_id}:{week}:{member_id}"


def recipients(repos: Scope, program: Program) -> list[Member]:
    """The program's coordinators, and workspace admins who are in the program, still listening."""
    assert program.id is not None
    found: dict[int, Member] = {}
    for membership in repos.memberships.for_program(program.id):
        person = repos.members.get(membership.member_id)
        if person is None or person.id is None or person.status is MemberStatus.OPTED_OUT:
            continue
        if membership.role is ProgramRole.COORDINATOR or person.role is Role.ADMIN:
            found[person.id] = person
    return sorted(found.values(), key=lambda m: m.display_name)


def may_read(repos: Scope, member: Member | None, program: Program) -> bool:
    """Admins may read any program's digest; otherwise only that program's coordinators."""
    if member is None or member.id is None or program.id is None:
        return False
    if member.role is Role.ADMIN:
        return True
    # The reader's own memberships (a handful), not the program's (thousands): the web page asks
    # this on every request.
    return any(
        m.program_id == program.id and m.role is ProgramRole.COORDINATOR
        for m in repos.memberships.for_member(member.id)
    )


def send_digests(
    uow_factory: UnitOfWorkFactory, now: datetime, links: LinkSigner | None = None
) -> SendReport:
    """Queue this week's digest for every coordinator of every program whose digest moment has come.

    With ``links`` each coordinator's copy carries their own link to the web digest.
    """
    report = SendReport()
    with uow_factory() as uow:
        workspace_ids = uow.workspaces.active_ids()
    for workspace_id in workspace_ids:
        with uow_factory() as uow:
            repos = uow.scope(workspace_id)
            for program in repos.programs.list():
                report.queued += _send_one(repos, program, now, report, links)
            uow.commit()
    return report


def _send_one(
    repos: Scope, program: Program, now: datetime, report: SendReport, links: LinkSigner | None
) -> int:
    if not program.active or program.id is None or not is_due(program, now):
        return 0
    week = week_just_ended(now, program.timezone)
    _start, end = week.bounds(program.timezone)
    if program.created_at is not None and program.created_at >= end:
        return 0  # the program did not exist yet in the week that ended
    people = recipients(repos, program)
    keys = {p.id: digest_key(program.id, week.label, p.id) for p in people if p.id is not None}
    done = repos.digest.existing_keys(list(keys.values()))
    todo = [p for p in people if p.id is not None and keys[p.id] not in done]
    if not todo:
        return 0
    # Each coordinator's digest is built in their language: once a language, not once a person.
    built: dict[str, tuple[Digest, str]] = {}
    queued = 0
    for person in todo:
        assert person.id is not None
        # Each coordinator's link is their own: it names them, and stops when they stop coordinating.
        page = digest_url(links, repos, program, person, week.label, now) if links else None
        with speaking_to(person) as language:
            if language not in built:
                digest = build_digest(repos.digest, program, week, now=now)
                built[language] = (digest, trend_png_base64(digest))
            digest, chart = built[language]
            message = chat_message(digest, chart, page)
        if repos.outbox.enqueue(person, message, keys[person.id], now):
            queued += 1
    if queued:
        report.programs.append(program.name)
        log.info("digest %s %s queued for %d coordinator(s)", program.name, week.label, queued)
    return queued
