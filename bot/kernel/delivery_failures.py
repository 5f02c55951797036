"""Telling coordinators when a message could not be delivered, so nobody silently drops out.

The delivery worker calls the hook once for each message it gives up on (after its bound of tries, or at
once for a permanent error such as a user who removed the app). The report is itself a message in the
outbox, keyed by the failed item, so a repeated hook call (two workers, a restart) reports it once.
Reports never quote the failed message: it may hold someone's private words.
"""

from __future__ import annotations

import logging

from bot.kernel.clock import Clock
from bot.kernel.context import speaking_to
from bot.kernel.delivery import FailureHook, UnreachableHook
from bot.kernel.domain import MemberStatus, OutboxItem
from bot.kernel.i18n import _, ngettext
from bot.kernel.messages import Context, Message, Section, said
from bot.kernel.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

REPORT_PREFIX = "delivery-failed:"


def mark_unreachable(uow_factory: UnitOfWorkFactory) -> UnreachableHook:
    """The ``on_unreachable`` hook: the platform says this person cannot be messaged at all.

    Marked, the planner and pairing skip them and the digest shows them to the coordinator; their
    next message to Staffroom marks them reachable again.
    """

    def hook(item: OutboxItem) -> None:
        if item.recipient_member_id is None:
            return
        with uow_factory() as uow:
            repos = uow.scope(item.workspace_id)
            member = repos.members.get(item.recipient_member_id)
            if member is None or not member.reachable:
                return
            member.reachable = False
            repos.members.save(member)
            uow.commit()
        log.info("member %s is unreachable (%s); marked so", member.id, item.platform)

    return hook


def report_to_coordinators(uow_factory: UnitOfWorkFactory, clock: Clock) -> FailureHook:
    """The ``on_failure`` hook for ``DeliveryWorker``: one report per failed message per coordinator."""

    def hook(item: OutboxItem, error: str) -> None:
        if item.idempotency_key.startswith(REPORT_PREFIX):
            return  # a report that cannot be delivered is logged, not reported again (no loops)
        with uow_factory() as uow:
            repos = uow.scope(item.workspace_id)
            recipient = (
                repos.members.get(item.recipient_member_id)
                if item.recipient_member_id is not None
                else None
            )
            who = recipient.display_name if recipient else item.recipient_user_id
            coordinators = [
                m
                for m in repos.members.list((MemberStatus.ACTIVE, MemberStatus.PAUSED))
                if m.is_coordinator and m.reachable and m.id != item.recipient_member_id
            ]
            if not coordinators:
                log.warning("no coordinator to tell that a message to %s failed", who)
                return
            for coordinator in coordinators:
                with speaking_to(coordinator):  # each reads it in their own language
                    message = _failure_report(who, item.attempts, error)
                repos.outbox.enqueue(
                    coordinator,
                    message,
                    f"{REPORT_PREFIX}{item.id}:{coordinator.id}",
                    clock.now(),
                )
            uow.commit()

    return hook


def _failure_report(who: str, attempts: int, error: str) -> Message:
    text = ngettext(
        "I couldn't deliver a Staffroom message to {name} after {n} try. They may have removed "
        "the app or their account may be unavailable; a quick word in person may help.",
        "I couldn't deliver a Staffroom message to {name} after {n} tries. They may have removed "
        "the app or their account may be unavailable; a quick word in person may help.",
        attempts,
    ).format(name=said(who), n=attempts)
    reason = _("Reason from the platform: {error}").format(error=error[:200])
    return Message(text=text, blocks=(Section(text), Context(reason)), ephemeral=False)
