"""A first conversation at a time that suits everyone: slots from the free periods people declared.

Each introduction offers up to three *Suggest a time* buttons: the next moments (within a fortnight,
on different days) when every person in the pair or group has a declared free period, each in their
own time zone, long enough for a first talk. Pressing one sends everyone a calendar invite (.ics) and
tells the others who suggested it; pressing it again sends nothing twice.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from bot.kernel.context import Ctx
from bot.kernel.domain import Member, MemberStatus
from bot.kernel.errors import UserError
from bot.kernel.i18n import _, and_list, clock, when
from bot.kernel.messages import Actions, Attachment, Button, Message, Section, said, text_message
from bot.observations.model import FreePeriod

TIME_ACTION = "pairing.time"
MEETING_MINUTES = 20
LOOK_AHEAD_DAYS = 14
MAX_SLOTS = 3
PRODID = "-//Staffroom//Pairing//EN"


def _zone(name: str) -> ZoneInfo:
    with contextlib.suppress(KeyError, ValueError):
        return ZoneInfo(name)
    return ZoneInfo("UTC")


def _free_on(
    periods: Sequence[FreePeriod], tz: ZoneInfo, day: date
) -> list[tuple[datetime, datetime]]:
    """The person's free periods that fall on ``day`` in their own zone, as UTC intervals."""
    return [
        (
            datetime.combine(day, p.start, tzinfo=tz).astimezone(UTC),
            datetime.combine(day, p.end, tzinfo=tz).astimezone(UTC),
        )
        for p in periods
        if p.weekday == day.weekday()
    ]


def _overlap(
    a: list[tuple[datetime, datetime]], b: list[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    return [(max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b if max(s1, s2) < min(e1, e2)]


def shared_slots(
    periods: Mapping[int, Sequence[FreePeriod]],
    timezones: Mapping[int, str],
    now: datetime,
    *,
    limit: int = MAX_SLOTS,
) -> list[datetime]:
    """Up to ``limit`` starts (UTC) when every member is free for ``MEETING_MINUTES``, one a day."""
    if len(timezones) < 2 or any(not periods.get(m) for m in timezones):
        return []
    length = timedelta(minutes=MEETING_MINUTES)
    earliest = now.astimezone(UTC) + timedelta(hours=2)  # not a meeting in ten minutes' time
    first = earliest.date() - timedelta(days=1)  # a zone ahead of UTC may already be tomorrow
    days = [first + timedelta(days=n) for n in range(LOOK_AHEAD_DAYS + 2)]
    common: list[tuple[datetime, datetime]] | None = None
    for member_id, tz in timezones.items():
        zone = _zone(tz)
        mine = [iv for day in days for iv in _free_on(periods[member_id], zone, day)]
        common = mine if common is None else _overlap(common, mine)
        if not common:
            return []
    found: list[datetime] = []
    taken: set[date] = set()
    for start, end in sorted(common or []):
        start = max(start, earliest)
        if end - start >= length and start.date() not in taken:
            found.append(start)
            taken.add(start.date())
            if len(found) >= limit:
                break
    return found


def _label(start: datetime, tz: str) -> str:
    local = start.astimezone(_zone(tz))
    return _("{day} {time}").format(day=when(local, "short"), time=clock(local))


def time_buttons(pairing_id: int, slots: Sequence[datetime], tz: str) -> Actions | None:
    if not slots:
        return None
    return Actions(
        tuple(
            Button(
                _label(s, tz),
                TIME_ACTION,
                f"{pairing_id}:{s.astimezone(UTC):%Y%m%dT%H%M}",
                description=_("Suggest {time} (your time) to everyone and send the invite").format(
                    time=_label(s, tz)
                ),
            )
            for s in slots
        )
    )


def meeting_ics(
    uid: str,
    title: str,
    start: datetime,
    people: Sequence[Member],
    organiser: Member,
    now: datetime,
) -> str:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", (start + timedelta(minutes=MEETING_MINUTES)).astimezone(UTC))
    event.add("summary", title)
    event.add("description", _("A first conversation, suggested with Staffroom."))
    event.add("status", "CONFIRMED")
    for person in people:
        address = vCalAddress(
            f"mailto:{person.email}" if person.email else f"urn:staffroom:{person.platform_user_id}"
        )
        address.params["cn"] = vText(person.display_name)
        if person.id == organiser.id:
            event["organizer"] = address
        else:
            event.add("attendee", address)
    cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical.decode("utf-8")


def time_pressed(ctx: Ctx, value: str) -> list[Message]:
    """*Suggest a time*: everyone in the pair or group gets the invite; the others hear who chose it."""
    member = ctx.require_member()
    pairing_id, _sep, stamp = value.partition(":")
    try:
        pairing = ctx.repos.pairing.pairing(int(pairing_id))
        start = datetime.strptime(stamp, "%Y%m%dT%H%M").replace(tzinfo=UTC)
    except ValueError:
        pairing = None
        start = ctx.now
    if pairing is None or member.id not in pairing.member_ids:
        raise UserError(_("That button has expired. Type `help` to see what you can do now."))
    if start <= ctx.now:
        raise UserError(_("That time has passed. Suggest another in a message to your partner."))
    program = ctx.repos.programs.get(pairing.program_id)
    found = {m: ctx.repos.members.get(m) for m in pairing.member_ids}
    people = [p for p in found.values() if p is not None and p.status is not MemberStatus.OPTED_OUT]
    uid = f"pairing-{ctx.workspace.id}-{pairing.id}-{stamp}@staffroom"

    def invite() -> Attachment:
        """The calendar invite, its title and description in the language being spoken."""
        everyone = ", ".join(p.display_name for p in people)
        title = (
            _("First conversation: {names} ({program})").format(
                names=everyone, program=program.name
            )
            if program is not None
            else _("First conversation: {names}").format(names=everyone)
        )
        return Attachment(
            "first-conversation.ics",
            "text/calendar",
            meeting_ics(uid, title, start, people, member, ctx.now),
        )

    def suggested_to(person: Member) -> Message:
        text = _(
            "{name} suggested {time} (your time) for a first {minutes}-minute conversation. "
            "The invite is attached; if it doesn't suit, reply to suggest another."
        ).format(
            name=said(member.display_name),
            time=_label(start, person.timezone),
            minutes=MEETING_MINUTES,
        )
        return Message(text=text, blocks=(Section(text),), attachments=(invite(),), ephemeral=False)

    for person in people:
        if person.id == member.id:
            continue
        ctx.send_built(
            person,
            partial(suggested_to, person),
            f"pairing:{pairing.id}:time:{stamp}:{person.id}",
        )
    names = said(and_list([p.display_name for p in people if p.id != member.id]))
    mine = _(
        "Suggested {time} (your time) to {names}; the invite is attached, and theirs is on its way."
    ).format(time=_label(start, member.timezone), names=names or _("your group"))
    sent = ctx.send(
        member,
        Message(text=mine, blocks=(Section(mine),), attachments=(invite(),), ephemeral=False),
        f"pairing:{pairing.id}:time:{stamp}:{member.id}",
    )
    if not sent:
        return [text_message(_("You already suggested that time; the invites have gone."))]
    return [
        text_message(
            _("Done: {time} suggested to {names}.").format(
                time=_label(start, member.timezone), names=names
            )
        )
    ]
