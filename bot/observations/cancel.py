"""Calling an observation off, by either side, and the button that does it on every message about one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.kernel.context import Ctx, speaking_to
from bot.kernel.domain import Member
from bot.kernel.errors import PermissionDenied, UserError
from bot.kernel.i18n import _
from bot.kernel.messages import Attachment, Message, Section, said, text_message
from bot.kernel.ports import Scope
from bot.kernel.replies import confirm
from bot.observations.invite import invite_attachment
from bot.observations.model import OPEN_STATUSES, AskStatus, ObservationRequest, RequestStatus
from bot.observations.render import lesson_fields, status_words, when

CANCEL = "observe.cancel"


def with_cancel_button(
    request: ObservationRequest,
    text: str,
    summary: str,
    timezone: str | None = None,
    *,
    ephemeral: bool = False,
    attachments: Sequence[Attachment] = (),
) -> Message:
    """A booked observation as one of its two people sees it, with the way to call it off at hand."""
    return confirm(
        text,
        _("Cancel observation"),
        CANCEL,
        value=str(request.id),
        danger=True,
        details=(Section(fields=lesson_fields(request, timezone)),),
        summary=summary,
        ephemeral=ephemeral,
        attachments=attachments,
    )


def cancel_for(ctx: Ctx, member: Member, request: ObservationRequest) -> Message:
    """The teacher or their observer calls it off, before the lesson starts; nobody else may."""
    request = ctx.repos.observations.lock_request(request.id or 0) or request
    if member.id not in (request.requester_id, request.observer_id):
        raise PermissionDenied(_("Only the teacher and their observer can cancel an observation."))
    if request.status not in OPEN_STATUSES:
        raise UserError(
            _("Observation #{number} is already {status}.").format(
                number=request.id, status=status_words(request.status)
            )
        )
    if request.status is RequestStatus.CONFIRMED and request.starts_at <= ctx.now:
        raise UserError(_("That lesson has already started, so it can't be cancelled now."))
    told = cancel_observation(ctx.repos, request, member, ctx.now)
    lesson = when(request, member.timezone)
    if told:
        return text_message(
            _("Cancelled the observation on {lesson}. I've let {name} know.").format(
                lesson=lesson, name=told
            )
        )
    return text_message(_("Cancelled the observation on {lesson}.").format(lesson=lesson))


def cancel_observation(repos: Scope, request: ObservationRequest, by: Member, now: datetime) -> str:
    """Either side calls it off; the other side (or whoever is being asked) is told. Returns who was told."""
    assert request.id is not None
    requester = repos.members.get(request.requester_id)
    assert requester is not None
    was = request.status
    request.status = RequestStatus.CANCELLED
    request.cancelled_by_id = by.id
    repos.observations.save_request(request)
    told = ""
    for ask in repos.observations.asks_for(request.id):
        if ask.status in (AskStatus.WAITING, AskStatus.ASKED):
            if ask.status is AskStatus.ASKED:
                asked = repos.members.get(ask.member_id)
                if asked is not None:
                    with speaking_to(asked):
                        message = Message(
                            text=_(
                                "{name} no longer needs an observer for {lesson}. Thanks anyway!"
                            ).format(
                                name=said(requester.display_name),
                                lesson=when(request, asked.timezone),
                            ),
                            ephemeral=False,
                        )
                    repos.outbox.enqueue(
                        asked, message, f"obs:{request.id}:withdrawn:{asked.id}", now
                    )
                    told = said(asked.display_name)
            ask.status = AskStatus.WITHDRAWN
            repos.observations.save_ask(ask)
    if was is RequestStatus.CONFIRMED:
        observer = repos.members.get(request.observer_id) if request.observer_id else None
        other = requester if by.id != requester.id else observer
        if other is not None and observer is not None:
            with speaking_to(other):
                message = _cancelled_message(request, by, requester, other, observer, now)
            repos.outbox.enqueue(other, message, f"obs:{request.id}:cancelled:{other.id}", now)
            told = said(other.display_name)
    return told


def _cancelled_message(
    request: ObservationRequest,
    by: Member,
    requester: Member,
    other: Member,
    observer: Member,
    now: datetime,
) -> Message:
    """What ``other`` reads when ``by`` calls it off: build it in their language."""
    name, lesson = said(by.display_name), when(request, other.timezone)
    if other.id == requester.id:
        shown = _(
            "{name} had to cancel the observation of your lesson on {lesson}. The attached file "
            "removes it from your calendar. You can ask for another observer with `observe`."
        ).format(name=name, lesson=lesson)
    else:
        shown = _(
            "{name} had to cancel the observation of {teacher}'s lesson on {lesson}. The attached "
            "file removes it from your calendar."
        ).format(name=name, teacher=said(requester.display_name), lesson=lesson)
    return Message(
        text=_("{name} cancelled the observation on {lesson}.").format(name=name, lesson=lesson),
        blocks=(Section(shown),),
        attachments=(invite_attachment(request, requester, observer, now, cancelled=True),),
        ephemeral=False,
    )
