"""The periodic job: moves asks on after 24 hours, reminds, and prompts for feedback after lessons."""

from __future__ import annotations

from datetime import datetime

from bot.kernel.ports import UnitOfWorkFactory
from bot.observations.lifecycle import advance


def advance_observation_requests(uow_factory: UnitOfWorkFactory, now: datetime) -> dict[str, int]:
    """One pass over every active workspace, each in its own unit of work.

    Idempotent: a state change and its messages commit together, message keys are unique, so a second
    copy of the job running at the same minute finds nothing left to do or sends nothing new.
    """
    totals: dict[str, int] = {}
    with uow_factory() as uow:
        workspace_ids = uow.workspaces.active_ids()
    for workspace_id in workspace_ids:
        with uow_factory() as uow:
            for key, n in advance(uow.scope(workspace_id), now).items():
                totals[key] = totals.get(key, 0) + n
            uow.commit()
    return totals
