"""Members: joining, the profile, goals, pauses and leaving; and what a platform's install events mean."""

from __future__ import annotations

from functools import partial

from bot.kernel.context import Ctx
from bot.kernel.feature import Command, Feature, FormRoute
from bot.kernel.messages import Form
from bot.members import chat, platform_events, privacy, profile
from bot.members.chat import GoalAdded, MemberLeft


def _rebuild_profile(ctx: Ctx, state: str) -> Form:
    joining = state.removeprefix("join:") if state.startswith("join:") else None
    return profile.profile_form(ctx, ctx.member, joining_program=joining or None)


def build(
    *,
    goal_added: GoalAdded | None = None,
    member_left: MemberLeft | None = None,
    member_paused: MemberLeft | None = None,
) -> Feature:
    """``goal_added``: what another feature offers after ``goals add`` (the library's resources);
    ``member_left`` / ``member_paused``: what another feature does when someone leaves or pauses
    (pairing ends their pairings and tells their partners)."""
    join, profile_verb, goals, pause, resume, leave = chat.VERBS
    return Feature(
        "members",
        commands=(
            Command(join, chat.join, before_joining=True),
            Command(profile_verb, chat.profile),
            Command(goals, partial(chat.goals, goal_added=goal_added)),
            Command(pause, partial(chat.pause, member_paused=member_paused)),
            Command(resume, chat.resume),
            Command(leave, partial(chat.leave, member_left=member_left)),
        ),
        actions={
            "member.join": chat.join_button,
            "member.edit": chat.edit_button,
            "member.pause": partial(chat.pause_button, member_paused=member_paused),
            "member.resume": chat.resume,
            "member.rejoin": chat.rejoin,
            "member.goal_focus": chat.focus_button,
        },
        forms={profile.PROFILE_FORM: FormRoute(chat.submit_profile, _rebuild_profile)},
        export=privacy.export_profile,
        platform_events=platform_events.handle,
    )
