"""Replies that could not be sent now go to the outbox, so a platform's refusal never loses them.

A direct reply (the answer to what someone just typed) normally goes straight back on the platform's
connection. When the platform keeps answering 429 or 5xx past what the person can be kept waiting,
the replies are written to the outbox for that person instead, under keys made from the event's own
delivery id: the delivery worker sends them once the platform's ``Retry-After`` has passed, and an
event the platform delivers again queues nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.kernel.clock import Clock
from bot.kernel.events import Actor
from bot.kernel.messages import Message
from bot.kernel.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)


def queue_for_later(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    actor: Actor,
    replies: Sequence[Message],
    event_key: str,
) -> int:
    """Write ``replies`` to ``actor``'s outbox; returns how many were queued (0: nobody to queue
    them for, which the caller logs: a person the core has never recorded gets no outbox row)."""
    with uow_factory() as uow:
        workspace = uow.workspaces.by_external_id(actor.platform, actor.workspace_external_id)
        if workspace is None or workspace.id is None:
            return 0
        repos = uow.scope(workspace.id)
        member = repos.members.by_platform_user(actor.user_id)
        if member is None:
            return 0
        now = clock.now()
        queued = repos.outbox.enqueue_many(
            [
                (member, message, f"reply:{event_key}:{index}")
                for index, message in enumerate(replies)
            ],
            now,
        )
        uow.commit()
    log.info("queued %s reply(ies) for %s to the outbox", queued, actor.user_id)
    return queued
