"""Is anything delivering the outbox? Check-ins, introductions and digests wait there until a worker
sends them; a message that has been due for long means no worker runs, or every send fails."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from staffroom.doctor.findings import Finding, age, fail, ok, one_line

if TYPE_CHECKING:
    from sqlalchemy import Engine

CHECK = "delivery queue"
MAX_AGE = timedelta(minutes=15)


def check_queue(engine: Engine, now: datetime, max_age: timedelta = MAX_AGE) -> Finding:
    from sqlalchemy.orm import sessionmaker

    from storage.repositories.delivery import SqlDeliveryQueue

    backlog = SqlDeliveryQueue(sessionmaker(bind=engine)).backlog(now)
    if backlog.due == 0 or backlog.oldest_due_since is None:
        return ok(CHECK, "no message waiting to be sent")
    waited = now - backlog.oldest_due_since
    seen = (
        f"{backlog.due} message(s) due; the oldest has waited {age(waited)} "
        f"({backlog.oldest_platform}, {backlog.oldest_attempts} attempt(s)"
        + (
            f", last error: {one_line(backlog.oldest_last_error, 120)}"
            if backlog.oldest_last_error
            else ""
        )
        + ")"
    )
    if waited <= max_age:
        return ok(CHECK, seen)
    return fail(
        CHECK,
        f"{seen}, over {age(max_age)}",
        "start the delivery worker (`staffroom serve slack`, `staffroom serve teams` or "
        "`staffroom worker`) and read its log for the send errors",
    )
