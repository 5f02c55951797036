"""``staffroom pair --program NAME [--dry-run]``: a pairing round from the terminal."""

from __future__ import annotations

import sys

from bot.kernel.messages import unsaid
from staffroom.bootstrap import Staffroom, program_called, workspace_scope


def pair_command(app: Staffroom, workspace: str, program_name: str, *, dry_run: bool) -> int:
    """Preview (``--dry-run``: nothing saved or sent) or publish the program's next round."""
    from bot.pairing import rounds

    now = app.clock.now()
    with app.uow_factory() as uow:
        try:
            repos = workspace_scope(uow, workspace)
            program = program_called(repos, program_name)
        except LookupError as exc:
            print(f"staffroom: {exc}", file=sys.stderr)
            return 1
        plan = rounds.plan_round(repos, program, now)
        print(unsaid("\n".join(rounds.preview_lines(plan, limit=10_000))))
        if dry_run:
            print("Dry run: nothing was saved or sent.")
            return 0
        if not plan.proposal.groups:
            print("staffroom: nobody to pair; nothing published", file=sys.stderr)
            return 1
        if rounds.publish(repos, plan, now) is None:
            print(f"staffroom: round {plan.number} was published meanwhile", file=sys.stderr)
            return 1
        rounds.notify_coordinators(repos, plan, now)
        uow.commit()
    print(f"Published round {plan.number}; introductions are in the outbox (`staffroom deliver`).")
    return 0
