"""Who is in a program, by where they are: active, invited and not started, paused, left.

``program show`` ends with these lists so a coordinator sees at a glance who hasn't started, since
when, and can *Nudge* them (one friendly reminder, see ``reminders``). Long lists are cut short: a
district's program is thousands of people, and the digest lists every one who needs a hand.
"""

from __future__ import annotations

from datetime import datetime

from bot.kernel.context import Ctx
from bot.kernel.domain import Enrolled, Program, ProgramRole, Roll, RollState
from bot.kernel.i18n import N_, _, ngettext, when
from bot.kernel.identity import is_pending
from bot.kernel.messages import Actions, Block, Button, Context, Section, said
from bot.programs.reminders import NUDGE_ACTION

NAMES_SHOWN = 30
NUDGES_SHOWN = 10
"""Not-started people shown each with their own Nudge button; Slack allows 50 blocks a message."""
TEACHING_ROLES = (ProgramRole.MENTOR, ProgramRole.MENTEE, ProgramRole.PEER)


def program_roll(ctx: Ctx, program: Program, *, page: int = 1) -> Roll:
    """The program's teachers by state: each state's count and the names on ``page``, in one read
    however many there are. Page 1 shows ``NUDGES_SHOWN`` of the not started (each with a button)
    and ``NAMES_SHOWN`` of every other state; each page after it the next ``NAMES_SHOWN`` of each."""
    assert program.id is not None
    offsets = {state: (page - 1) * NAMES_SHOWN for state in RollState}
    offsets[RollState.NOT_STARTED] = 0 if page == 1 else NUDGES_SHOWN + (page - 2) * NAMES_SHOWN
    return ctx.repos.memberships.roll(
        program.id, TEACHING_ROLES, ctx.now, first=NAMES_SHOWN, offsets=offsets
    )


def pages(roll: Roll) -> int:
    """How many pages the roll's names take (``program show NAME page=N``)."""
    waiting = roll.counts.get(RollState.NOT_STARTED, 0) - NUDGES_SHOWN
    longest = max(
        [n for state, n in roll.counts.items() if state is not RollState.NOT_STARTED] or [0]
    )
    return max(1, -(-longest // NAMES_SHOWN), 1 + -(-max(0, waiting) // NAMES_SHOWN))


def _since(place: Enrolled) -> datetime | None:
    return place.invited_at or place.joined_at


def _days(since: datetime | None, now: datetime) -> str:
    if since is None:
        return ""
    if since > now:
        return _("invitation queued for school hours")
    days = (now - since).days
    if days == 0:
        return _("invited today")
    return ngettext("invited {n} day ago", "invited {n} days ago", days).format(n=days)


def _names(roll: Roll, state: RollState) -> str:
    shown = roll.shown.get(state, [])
    names = ", ".join(said(m.display_name) for m in shown)
    more = roll.counts.get(state, 0) - len(shown)
    if more <= 0 or not shown:
        return names
    return ngettext("{names} and {n} more", "{names} and {n} more", more).format(
        names=names, n=more
    )


def people_blocks(ctx: Ctx, program: Program) -> list[Block]:
    """The lists as blocks: a heading a state, names, and a Nudge beside each not-started person.

    A state's count is always whole; its names stop at a page (``NAMES_SHOWN``): a coordinator can't
    read a district's thousands in a chat message, and ``program show NAME page=2`` goes on."""
    assert program.id is not None
    roll = program_roll(ctx, program)
    count = roll.counts.get
    blocks: list[Block] = []
    blocks.append(
        Section(
            _("*Active* ({n}): {names}").format(
                n=count(RollState.ACTIVE, 0),
                names=_names(roll, RollState.ACTIVE) or _("nobody yet"),
            )
        )
    )
    waiting = roll.shown.get(RollState.NOT_STARTED, [])
    blocks.append(
        Section(_("*Invited, not started* ({n})").format(n=count(RollState.NOT_STARTED, 0)))
    )
    for place in waiting[:NUDGES_SHOWN]:
        line = _waiting_line(ctx, place)
        if is_pending(place):
            blocks.append(
                Context(
                    _(
                        "{line}; known only by e-mail, reachable once they write to Staffroom"
                    ).format(line=line)
                )
            )
            continue
        blocks.append(Section(line))
        blocks.append(
            Actions(
                (
                    Button(
                        _("Nudge"),
                        NUDGE_ACTION,
                        f"{program.id}:{place.member_id}",
                        description=_("Send {name} one friendly reminder to join").format(
                            name=place.display_name
                        ),
                    ),
                )
            )
        )
    rest = count(RollState.NOT_STARTED, 0) - NUDGES_SHOWN
    if rest > 0:
        blocks.append(
            Context(
                ngettext(
                    "…and {n} more; the weekly digest lists everyone waiting.",
                    "…and {n} more; the weekly digest lists everyone waiting.",
                    rest,
                ).format(n=rest)
            )
        )
    if count(RollState.PAUSED):
        blocks.append(
            Section(
                _("*Paused* ({n}): {names}").format(
                    n=count(RollState.PAUSED), names=_names(roll, RollState.PAUSED)
                )
            )
        )
    if count(RollState.LEFT):
        blocks.append(
            Section(
                _("*Left* ({n}): {names}").format(
                    n=count(RollState.LEFT), names=_names(roll, RollState.LEFT)
                )
            )
        )
    if pages(roll) > 1:
        blocks.append(Context(_more(program, 1, pages(roll))))
    return blocks


def people_page(ctx: Ctx, program: Program, page: int) -> list[Block]:
    """Page ``page`` (2 or more) of the lists: the next names of each state, with every count."""
    roll = program_roll(ctx, program, page=page)
    total = pages(roll)
    blocks: list[Block] = []
    headings = (
        (RollState.ACTIVE, N_("*Active* ({n}): {names}")),
        (RollState.NOT_STARTED, N_("*Invited, not started* ({n}): {names}")),
        (RollState.PAUSED, N_("*Paused* ({n}): {names}")),
        (RollState.LEFT, N_("*Left* ({n}): {names}")),
    )
    for state, heading in headings:
        shown = roll.shown.get(state, [])
        if not shown:
            continue
        if state is RollState.NOT_STARTED:
            names = "; ".join(_waiting_line(ctx, place) for place in shown)
        else:
            names = ", ".join(said(m.display_name) for m in shown)
        blocks.append(Section(_(heading).format(n=roll.counts.get(state, 0), names=names)))
    if not blocks:
        blocks.append(
            Section(
                ngettext(
                    "There is {n} page of names.", "There are {n} pages of names.", total
                ).format(n=total)
            )
        )
    elif page < total:
        blocks.append(Context(_more(program, page, total)))
    return blocks


def _waiting_line(ctx: Ctx, place: Enrolled) -> str:
    line = f"{said(place.display_name)}: {_days(_since(place), ctx.now)}"
    if place.reminded_at is not None:
        line += "; " + _("reminded {day}").format(day=when(place.reminded_at, "short"))
    return line


def _more(program: Program, page: int, total: int) -> str:
    return _(
        'Page {page} of {pages} of names: `program show "{program}" page={next}` shows the next.'
    ).format(page=page, pages=total, program=program.name, next=page + 1)
