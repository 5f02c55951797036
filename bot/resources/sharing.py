"""Sharing, feedback and curation: the rules of the library, whichever way a request arrives."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.kernel.context import Ctx, record_id
from bot.kernel.domain import Member
from bot.kernel.errors import PermissionDenied, UserError
from bot.kernel.i18n import N_, _
from bot.kernel.messages import Message, Section, text_message
from bot.resources import text
from bot.resources.model import Mark, Resource
from bot.resources.render import names, plain_line, resource_blocks

GRADE_BANDS = (N_("Early years"), "K-2", "3-5", "6-8", "9-10", "11-12", N_("Adult / FE"))
"""Stored in English; a form and a resource show them in the reader's language."""
MAX_SUBJECT = 80


@dataclass
class Draft:
    """A share as typed, before any checking."""

    url: str = ""
    title: str = ""
    note: str = ""
    subject: str = ""
    grade_band: str = ""
    tags: list[str] = field(default_factory=list)
    source_kind: str = "peer"


def grade_band(raw: str) -> str | None:
    if not raw.strip():
        return None
    wanted = raw.strip().lower().replace(" ", "")
    for band in GRADE_BANDS:
        if wanted in (band.lower().replace(" ", ""), _(band).lower().replace(" ", "")):
            return band
    raise text.InvalidResource(
        "grade_band",
        _("Grades are one of: {bands}.").format(bands=", ".join(_(b) for b in GRADE_BANDS)),
    )


def validate(draft: Draft) -> Resource:
    """Every field checked at once; raises ``InvalidResource`` for the first wrong one."""
    url = text.clean_url(draft.url) if draft.url.strip() else None
    note = text.clean_note(draft.note)
    if url is None and not note:
        raise text.InvalidResource("url", _("Share a link, or write the idea itself in the note."))
    title_source = draft.title if draft.title.strip() or url is None else text.title_from_url(url)
    title = text.clean_title(title_source)
    subject = text.plain(draft.subject)
    if len(subject) > MAX_SUBJECT:
        raise text.InvalidResource(
            "subject", _("Keep the subject under {limit} characters.").format(limit=MAX_SUBJECT)
        )
    kind = draft.source_kind.strip().lower() or "peer"
    if kind not in text.SOURCE_KINDS:
        raise text.InvalidResource("source_kind", _("It is either `peer` or `expert`."))
    return Resource(
        workspace_id=0,
        title=title,
        url=url,
        normalized_url=text.normalise_url(url) if url else None,
        note=note,
        subject=subject or None,
        grade_band=grade_band(draft.grade_band),
        tags=text.clean_tags(draft.tags),
        source_kind=kind,
    )


def share(ctx: Ctx, draft: Draft) -> list[Message]:
    """Store a share, or merge it into the same link shared before (crediting both sharers)."""
    member = ctx.require_member()
    assert member.id is not None
    resource = validate(draft)
    resource.workspace_id = ctx.workspace.id
    repo = ctx.repos.resources
    existing = repo.by_normalized_url(resource.normalized_url) if resource.normalized_url else None
    if existing is None:
        stored = repo.add(resource, member.id, ctx.now)
        return [_shared_reply(stored, _("Shared ✅ Colleagues will find it with `resources`."))]
    assert existing.id is not None
    sharers = repo.sharer_ids(existing.id)
    if existing.removed_at is not None:
        if existing.removed_by_member_id not in sharers:
            raise UserError(
                _(
                    "A coordinator removed that link from the library, so it can't be shared "
                    "again here."
                )
            )
        # Its sharer took it down; sharing it again brings it back with what was typed now.
        resource.id = existing.id
        resource.removed_at = None
        resource.removed_by_member_id = None
        repo.save(resource)
        repo.add_sharer(existing.id, member.id, ctx.now)
        revived = repo.get(existing.id)
        assert revived is not None
        return [_shared_reply(revived, _("Shared ✅ (it is back in the library)."))]
    if member.id in sharers:
        return [_shared_reply(existing, _("You've shared this one already; here it is."))]
    before = names(existing.sharers)
    existing.tags = text.clean_tags([*existing.tags, *resource.tags])[: text.MAX_TAGS]
    existing.subject = existing.subject or resource.subject
    existing.grade_band = existing.grade_band or resource.grade_band
    if resource.note and not existing.note:
        existing.note = resource.note
    repo.save(existing)
    repo.add_sharer(existing.id, member.id, ctx.now)
    merged = repo.get(existing.id)
    assert merged is not None
    return [
        _shared_reply(
            merged,
            (
                _(
                    "{names} shared this link already, so I've added you as a sharer and kept your tags."
                )
                if resource.tags
                else _("{names} shared this link already, so I've added you as a sharer.")
            ).format(names=before),
        )
    ]


def _shared_reply(resource: Resource, headline: str) -> Message:
    return Message(
        text=f"{headline}\n{plain_line(resource)}",
        blocks=(Section(headline), *resource_blocks(resource, buttons=False)),
    )


def live_resource(ctx: Ctx, raw_id: str) -> Resource:
    """The resource a button or command names, if it is still in this workspace's library."""
    number = record_id(raw_id)
    resource = ctx.repos.resources.get(number) if number is not None else None
    if resource is None or resource.removed_at is not None:
        raise UserError(_("That resource is no longer in the library."))
    return resource


def mark(ctx: Ctx, raw_id: str, value: Mark) -> list[Message]:
    member = ctx.require_member()
    assert member.id is not None
    resource = live_resource(ctx, raw_id)
    assert resource.id is not None
    previous = ctx.repos.resources.mark(resource.id, member.id, value, ctx.now)
    if value is Mark.HELPFUL:
        reply = (
            _("Already marked helpful 👍")
            if previous is value
            else _("Marked “{title}” helpful 👍 It will rank higher for colleagues.")
        )
    else:
        reply = _("Thanks, noted. I won't suggest “{title}” to you again.")
    reply = reply.format(title=resource.title)
    return [text_message(reply)]


def remove(ctx: Ctx, raw_id: str) -> list[Message]:
    """Sharers take back their own share; coordinators remove anything inappropriate."""
    member = ctx.require_member()
    assert member.id is not None
    resource = live_resource(ctx, raw_id)
    assert resource.id is not None
    repo = ctx.repos.resources
    sharers = repo.sharer_ids(resource.id)
    if member.id in sharers and len(sharers) > 1:
        repo.remove_sharer(resource.id, member.id)
        others = [n for n in (repo.get(resource.id) or resource).sharers]
        return [
            text_message(
                _("Took your name off “{title}”; it stays because {names} shared it too.").format(
                    title=resource.title, names=names(others)
                )
            )
        ]
    if member.id not in sharers and not member.is_coordinator:
        raise PermissionDenied(
            _("Only the people who shared a resource, or a coordinator, can remove it.")
        )
    resource.removed_at = ctx.now
    resource.removed_by_member_id = member.id
    repo.save(resource)
    if member.id not in sharers:
        _tell_sharers(ctx, resource, sharers)
    return [text_message(_("Removed “{title}” from the library.").format(title=resource.title))]


def _tell_sharers(ctx: Ctx, resource: Resource, sharer_ids: list[int]) -> None:
    for sharer_id in sharer_ids:
        sharer = ctx.repos.members.get(sharer_id)
        if sharer is None:
            continue
        ctx.send_built(
            sharer,
            lambda: text_message(
                _(
                    "A coordinator removed “{title}”, which you shared, from the library. "
                    "Ask them if you'd like to know why."
                ).format(title=resource.title)
            ),
            f"resource-removed:{resource.id}:{sharer_id}",
        )


def program_ids(ctx: Ctx, member: Member) -> tuple[int, ...]:
    assert member.id is not None
    return tuple(m.program_id for m in ctx.repos.memberships.for_member(member.id))
