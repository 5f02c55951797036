"""``staffroom pair --program NAME [--dry-run]``: a pairing round from the terminal."""

from __future__ import annotations

import sys

from staffroom.bootstrap import Staffroom, parse_workspace


def pair_command(app: Staffroom, workspace: str, program_name: str, *, dry_run: bool) -> int:
    """Preview (``--dry-run``: nothing saved or sent) or publish the program's next round."""
    from bot.pairing import rounds

    platform, external = parse_workspace(workspace)
    now = app.clock.now()
    with app.uow_factory() as uow:
        ws = uow.workspaces.by_external_id(platform, external)
        program = uow.scope(ws.id).programs.by_name(program_name) if ws else None
        if ws is None or program is None:
            print(f"staffroom: no program called {program_name!r} in {workspace}", file=sys.stderr)
            return 1
        repos = uow.scope(ws.id)
        plan = rounds.plan_round(repos, program, now)
        print("\n".join(rounds.preview_lines(plan, limit=10_000)))
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
