"""Who a roster row is about, and whether it may say so: the identity rules of a roster import.

A coordinator's roster may name people who have not arrived yet, so it is a way to make someone into
someone else if it trusts the wrong thing: an address a teacher typed, or a name that reads like a
colleague's. Every rule here refuses a row with a reason the coordinator can act on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.kernel.domain import PENDING_PREFIX, Member, Role
from bot.kernel.i18n import _
from bot.kernel.names import FORGOTTEN_NAME, name_key, told_apart
from bot.kernel.parsing import ParseError

if TYPE_CHECKING:
    from bot.programs.roster import RosterRow


class Staff:
    """The workspace's people, read once an import and looked up by user id and by address."""

    def __init__(self, members: list[Member]) -> None:
        self.by_user = {m.platform_user_id: m for m in members}
        self.by_email: dict[str, list[Member]] = {}
        self.by_name: dict[str, list[Member]] = {}
        for m in members:
            if m.email:
                self.by_email.setdefault(m.email.strip().lower(), []).append(m)
            if m.display_name != FORGOTTEN_NAME:
                self.by_name.setdefault(name_key(m.display_name), []).append(m)

    def holders(self, email: str) -> list[Member]:
        return self.by_email.get(email.strip().lower(), [])


def who_is(staff: Staff, row: RosterRow, importer: Member | None) -> Member | None:
    """The member a row is about (None: someone new), or ``ParseError`` saying why the row would
    make one person into another.

    A row names someone by their platform user id, or else by an address that a platform or an
    earlier roster vouched for. An address a teacher typed into their own profile never matches:
    otherwise whoever typed the incoming coordinator's address would be renamed to her and given
    her role. Each address belongs to one person.
    """
    if row.role == "admin" and importer is not None and importer.role is not Role.ADMIN:
        raise ParseError(_("only an admin's roster can make admins (or `staffroom admin grant`)"))
    holders = staff.holders(row.email)
    if row.platform_user_id:
        member = staff.by_user.get(row.platform_user_id)
        others = [m for m in holders if member is None or m.id != member.id]
        if others and not (member is None and len(others) == 1 and _claimable(others[0])):
            raise ParseError(
                _("{email} already belongs to {name} here").format(
                    email=row.email, name=others[0].display_name
                )
            )
        if member is None and others:
            return others[0]  # their pending entry from an earlier roster, now with their id
        return member
    vouched = [m for m in holders if m.email_vouched]
    if vouched:
        return vouched[0]
    if holders:
        raise ParseError(
            _(
                "{email} is an address {name} typed into their own profile, so it can't tell me "
                "who they are: add their platform user id to the row"
            ).format(email=row.email, name=holders[0].display_name)
        )
    return None


def name_is_theirs(
    staff: Staff, row: RosterRow, found: Member | None, first_line: dict[str, int]
) -> None:
    """``ParseError`` when the row would give someone a name that reads the same as another
    person's, here or on an earlier line: two people one name could be taken for each other."""
    key = name_key(row.name)
    earlier = first_line.setdefault(key, row.line)
    if earlier != row.line:
        raise ParseError(
            _(
                "{name} is also the name on line {line}: give each a name that tells them apart"
            ).format(name=row.name, line=earlier)
        )
    if found is not None and found.consented_at is not None:
        return  # their own name stays theirs (``fill_profile``)
    others = [m for m in staff.by_name.get(key, []) if found is None or m.id != found.id]
    if others:
        raise ParseError(
            _(
                "{name} reads the same as the name of {other}: give the new row a name that tells "
                "them apart, or add that person's platform user id to it"
            ).format(name=row.name, other=told_apart(others[0]))
        )


def _claimable(member: Member) -> bool:
    return member.platform_user_id.startswith(PENDING_PREFIX) and member.email_vouched
