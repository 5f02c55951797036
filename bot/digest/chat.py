"""``digest`` in the chat: a coordinator asks for a program's digest, or opens one of its full lists."""

from __future__ import annotations

from bot.digest.build import build_digest
from bot.digest.chart import trend_png_base64
from bot.digest.links import chat_link_maker, digest_url
from bot.digest.render import LISTS, chat_message, full_list
from bot.digest.sending import may_read
from bot.digest.weeks import Week, parse_week, week_just_ended
from bot.kernel.commands import ParsedCommand, Verb
from bot.kernel.context import Ctx, program_named, record_id
from bot.kernel.domain import Program, ProgramRole
from bot.kernel.errors import UserError
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Message, text_message

VERB = Verb(
    "digest",
    N_("digest [program] [week=2026-W47] | digest revoke-links [program]"),
    N_(
        "The weekly digest of a program you coordinate: participation, trends, who needs a hand. "
        "`revoke-links` closes every link to the program's web digest sent so far."
    ),
    coordinator_only=True,
    examples=(
        "digest",
        N_('digest "New Teacher Mentoring" week=2026-W47'),
        N_('digest revoke-links "New Teacher Mentoring"'),
    ),
)
REVOKE = "revoke-links"

REFUSAL = N_(
    "The weekly digest is for the program's coordinators, so it isn't something I can show you. "
    "Your own check-ins and reflections are always yours to see; if you'd like to know how the "
    "program is going, your coordinator will be glad to tell you."
)
GONE = N_("That digest is no longer available. Type `digest` for this week's.")


def digest(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    args = list(cmd.args)
    if args and args[0].lower() == REVOKE:
        return revoke_links(ctx, " ".join(args[1:]))
    week_text = cmd.options.get("week")
    if week_text is None and args:
        try:
            parse_week(args[-1])
            week_text = args.pop()
        except ValueError:
            pass
    program = _choose_program(ctx, " ".join(args))
    if not may_read(ctx.repos, member, program):
        raise UserError(_(REFUSAL))
    week = _week(ctx, program, week_text)
    built = build_digest(ctx.repos.digest, program, week, now=ctx.now)
    links = chat_link_maker(ctx.settings)
    page = digest_url(links, ctx.repos, program, member, week.label, ctx.now) if links else None
    return [chat_message(built, trend_png_base64(built), page)]


def revoke_links(ctx: Ctx, name: str) -> list[Message]:
    """Close every web digest link of a program at once: a link forwarded by mistake, a laptop lost.

    Any of the program's coordinators may, for everyone's links, because whoever notices the leak
    should not have to find whoever it came from; each gets a fresh link with the next digest.
    """
    member = ctx.require_member()
    program = _choose_program(ctx, name)
    if not may_read(ctx.repos, member, program):
        raise UserError(_(REFUSAL))
    assert program.id is not None
    ctx.repos.digest.revoke_links(program.id, ctx.now)
    return [
        text_message(
            _(
                "Done: every link to the web digest of “{program}” is closed, yours and other "
                "coordinators'. Type `digest` for a fresh link; next week's digest brings one too."
            ).format(program=program.name)
        )
    ]


def open_list(ctx: Ctx, value: str) -> list[Message]:
    """The ``All N who need a hand`` button: the whole list, checked against the reader again."""
    program_id, _colon, rest = value.partition(":")
    week_text, _colon, which = rest.partition(":")
    number = record_id(program_id)
    program = ctx.repos.programs.get(number) if number is not None else None
    if program is None or which not in LISTS:
        raise UserError(_(GONE))
    if not may_read(ctx.repos, ctx.member, program):
        raise UserError(_(REFUSAL))
    try:
        week = parse_week(week_text)
    except ValueError:
        raise UserError(_(GONE)) from None
    return [full_list(build_digest(ctx.repos.digest, program, week, now=ctx.now), which)]


def _choose_program(ctx: Ctx, name: str) -> Program:
    member = ctx.require_member()
    if name.strip():
        return program_named(ctx, name)
    assert member.id is not None
    mine = [
        p
        for m in ctx.repos.memberships.for_member(member.id)
        if m.role is ProgramRole.COORDINATOR
        for p in [ctx.repos.programs.get(m.program_id)]
        if p is not None
    ]
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise UserError(_(REFUSAL))
    names = ", ".join(f"“{p.name}”" for p in mine)
    raise UserError(
        _("Which program? You coordinate {programs}: type `digest PROGRAM`.").format(programs=names)
    )


def _week(ctx: Ctx, program: Program, text: str | None) -> Week:
    if text is None:
        return week_just_ended(ctx.now, program.timezone)
    try:
        return parse_week(text)
    except ValueError as exc:
        raise UserError(f"{exc}.") from None
