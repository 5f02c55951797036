"""The message someone a coordinator imports receives: who added them, to what, what Staffroom keeps and
who sees it, and one button to join. Nothing else is sent to them until they press it (or write)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.kernel.domain import Member, Program
from bot.kernel.messages import Actions, Button, Context, Message, Section, said
from bot.kernel.ports import Scope

INVITE_KEY = "invite:"


def invitation(program: Program, member: Member, added_by: str) -> Message:
    first = member.display_name.split()[0] if member.display_name.split() else "there"
    head = f"Hi {said(first)}! {said(added_by)} added you to *{said(program.name)}* on Staffroom."
    what = (
        "Staffroom pairs you with colleagues for peer support, asks a one-minute check-in once a "
        "week at a time that suits you, and helps you find someone to observe a lesson."
    )
    kept = (
        "It keeps the profile your school gave (subjects, grades, goals; you can change any of it) "
        "and your check-in answers. Your reflections are yours alone unless you share them; "
        "coordinators only ever see totals."
    )
    return Message(
        text=f"{head} {what}",
        blocks=(
            Section(head),
            Section(what),
            Context(kept),
            # They are in the program already: the press is their consent (``member.join``).
            Actions((Button("Join", "member.join", "invited", style="primary"),)),
            Context("Nothing more is sent to you until you join. You can pause or leave any time."),
        ),
        ephemeral=False,
    )


def invite(
    repos: Scope, program: Program, members: Sequence[Member], added_by: str, now: datetime
) -> tuple[int, int]:
    """Queue one invitation a person who has not joined yet, once per program: (invited, not
    reachable yet). Someone known only by e-mail cannot be messaged until they write to Staffroom,
    which is when their platform says who they are."""
    reachable = [
        m
        for m in members
        if m.consented_at is None and not m.platform_user_id.startswith("pending:")
    ]
    waiting = sum(
        1 for m in members if m.consented_at is None and m.platform_user_id.startswith("pending:")
    )
    messages = [
        (m, invitation(program, m, added_by), f"{INVITE_KEY}{program.id}:{m.id}") for m in reachable
    ]
    repos.outbox.enqueue_many(messages, now)
    return len(reachable), waiting
