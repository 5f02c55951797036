"""``growth``: a teacher's own record of their professional learning, in chat and as files.

The record is always the record of the person asking. Nothing typed or pressed can name anyone
else: the verb takes only a period, and the export button carries only that period, so a
coordinator, an admin or a mentor who types a colleague's name gets the same refusal as a typo.
"""

from __future__ import annotations

from bot.growth.export import attachments
from bot.growth.model import Period
from bot.growth.period import ONLY_YOURS, USAGE, between, parse_period, parse_token
from bot.growth.record import build_record
from bot.growth.render import record_message
from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx
from bot.kernel.errors import UserError
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Message, Section
from bot.kernel.parsing import ParseError

GROWTH_VERB = Verb(
    "growth",
    "growth [since DATE | last N months | from DATE to DATE] [with feedback]",  # not translated: command syntax, the words the parser reads
    N_(
        "Your own growth record (the last 12 months unless you say): goals and confidence, "
        "observations, reflections, resources, meetings and estimated hours, to download as PD "
        "evidence."
    ),
    examples=(
        "growth",
        "growth since 2026-09-01",  # not translated: a command, typed as it is
        "growth last 3 months with feedback",  # not translated: a command, typed as it is
    ),
)


def growth(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    today = ctx.local_today(member)
    try:
        period = parse_period(cmd.rest, today)
    except ParseError as exc:
        raise usage_error("growth", str(exc)) from None
    return [record_message(build_record(ctx.repos, member, period, ctx.now))]


def export_button(ctx: Ctx, value: str) -> list[Message]:
    """The files for the period the button carries, of the person pressing it, whoever's message
    the button came from."""
    member = ctx.require_member()
    found = parse_token(value, ctx.local_today(member))
    if found is None:
        raise UserError(
            _("That download has expired. Type `growth` to make your record again. {usage}").format(
                usage=_(USAGE)
            )
        )
    start, end, with_feedback = found
    default = parse_period("", ctx.local_today(member))
    label = default.label if (start, end) == (default.start, default.end) else between(start, end)
    record = build_record(ctx.repos, member, Period(start, end, label, with_feedback), ctx.now)
    files = attachments(record)
    text = _(
        "Here is your growth record for {period}: a page to print or save as PDF, and a CSV. "
        "{only_yours}"
    ).format(period=label, only_yours=_(ONLY_YOURS))
    return [Message(text=text, blocks=(Section(text),), attachments=files)]
