"""Who someone is: their platform identity, or an address their platform or a coordinator's roster
vouched for. An address a person types about themselves is contact information and never decides who
they are, or anyone could become the incoming coordinator by typing her address."""

from __future__ import annotations

from bot.kernel.domain import PENDING_PREFIX, EmailSource, Enrolled, Member
from bot.kernel.errors import UserError
from bot.kernel.i18n import _
from bot.kernel.ports import Scope


def is_pending(member: Member | Enrolled) -> bool:
    """A roster entry nobody has claimed yet: the person has not written to Staffroom."""
    return member.platform_user_id.startswith(PENDING_PREFIX)


def vouched_holder(repos: Scope, email: str) -> Member | None:
    """The one member this address identifies, if a platform or a roster vouched for it."""
    vouched = [m for m in repos.members.by_email(email) if m.email_vouched]
    return vouched[0] if len(vouched) == 1 else None


def other_holders(repos: Scope, member: Member, email: str) -> list[Member]:
    return [m for m in repos.members.by_email(email) if m.id != member.id]


def ensure_address_free(repos: Scope, member: Member) -> None:
    """E-mails are one person's each in a workspace: refuse one that someone else already holds."""
    if member.email and other_holders(repos, member, member.email):
        raise UserError(
            _(
                "That e-mail address already belongs to someone else here, so I haven't saved "
                "it. If it is yours, ask your coordinator to sort it out."
            )
        )


def vouch_from_platform(member: Member, email: str | None) -> bool:
    """The platform's profile gives this address: it now identifies them. True if anything changed."""
    if not email or (member.email_source is EmailSource.PLATFORM and member.email == email):
        return False
    if member.email not in (None, email) and member.email_source is EmailSource.SELF:
        return False  # they chose another contact address; keep it, unvouched
    member.email = email
    member.email_source = EmailSource.PLATFORM
    return True


def release_typed_copies(repos: Scope, member: Member) -> None:
    """The platform says this address is ``member``'s: anyone else who only typed it loses it, so
    an address stays one person's and the one who typed it is never mistaken for its owner."""
    if member.email is None or member.email_source is not EmailSource.PLATFORM:
        return
    for other in other_holders(repos, member, member.email):
        if other.email_source is not EmailSource.PLATFORM:
            other.email, other.email_source = None, None
            repos.members.save(other)
