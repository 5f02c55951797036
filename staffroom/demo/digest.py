"""The demo's last chapter: the scheduler sends each coordinator their weekly digest, the demo
prints it, and writes the HTML version next to the database for a browser or an e-mail client."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from bot.kernel.clock import ManualClock
from bot.kernel.delivery import DeliveryWorker
from bot.kernel.domain import Platform

if TYPE_CHECKING:
    from staffroom.bootstrap import Staffroom
    from staffroom.demo.narrator import Narrator


def digest_chapter(
    app: Staffroom, story: Narrator, clock: ManualClock, worker: DeliveryWorker, db_path: Path
) -> None:
    from bot.digest.build import build_digest
    from bot.digest.chart import trend_png_base64
    from bot.digest.render import html_digest, text_digest
    from bot.digest.schedule import next_moment
    from bot.digest.sending import recipients, send_digests
    from bot.digest.weeks import week_just_ended

    story.chapter("The coordinator's weekly digest")
    with app.uow_factory() as uow:
        ws = uow.workspaces.by_external_id(Platform.CONSOLE, "local")
        assert ws is not None
        programs = [p for p in uow.scope(ws.id).programs.list() if p.active]
    if not programs:
        story.say("No programs, so no digest.")
        return
    # Move on to the first digest moment after this week's activity: the week just ended is this one.
    clock.set(min(next_moment(p, clock.now()) for p in programs))
    report = send_digests(app.uow_factory, clock.now())
    delivered = worker.drain()
    story.say(
        f"{clock.now():%A %d %B %H:%M} UTC: the scheduler queued {report.queued} digest(s) "
        f"({', '.join(report.programs) or 'none due yet'}); {delivered.sent} message(s) delivered."
    )
    with app.uow_factory() as uow:
        repos = uow.scope(ws.id)
        for program in programs:
            week = week_just_ended(clock.now(), program.timezone)
            digest = build_digest(repos.digest, program, week, now=clock.now())
            readers = ", ".join(m.display_name for m in recipients(repos, program))
            page = db_path.parent / f"digest-{_slug(program.name)}-{week.label}.html"
            page.write_text(html_digest(digest, trend_png_base64(digest)), encoding="utf-8")
            story.say(f"\nFor {readers or 'nobody yet'}:\n")
            story.say(text_digest(digest))
            story.say(f"\nHTML version (open it in a browser or attach it to an e-mail): {page}")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
