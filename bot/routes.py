"""Which function answers which verb, button and form. Feature modules add their rows here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot import members, programs, roster
from bot.commands import VERBS, ParsedCommand, Verb, help_text
from bot.context import Ctx
from bot.events import FormValue
from bot.messages import Form, Message, text_message
from bot.resources import chat as resource_chat  # resources (issue 8)
from bot.resources import hooks as resource_hooks  # resources (issue 8)
from bot.resources import render as resource_render  # resources (issue 8)

CommandHandler = Callable[[Ctx, ParsedCommand], list[Message]]
ActionHandler = Callable[[Ctx, str], list[Message]]
FormHandler = Callable[[Ctx, Mapping[str, FormValue], str], list[Message]]
FormBuilder = Callable[[Ctx, str], Form]


@dataclass(frozen=True)
class FormRoute:
    submit: FormHandler
    rebuild: FormBuilder
    """Builds the form again so a refused submission can be shown with its errors and what was typed."""


def help_command(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    is_coordinator = bool(ctx.member and ctx.member.is_coordinator)
    return [
        text_message(
            help_text(
                cmd.args[0] if cmd.args else None,
                is_coordinator=is_coordinator,
                registry=VERB_REGISTRY,
            )
        )
    ]


# Verbs anyone may use before joining; everything else asks them to join first.
OPEN_VERBS = frozenset({"help", "join"})

COMMANDS: dict[str, CommandHandler] = {
    "help": help_command,
    "join": members.join,
    "profile": members.profile,
    "goals": members.goals,
    "pause": members.pause,
    "resume": members.resume,
    "leave": members.leave,
    "program": programs.program,
    "roster": roster.roster,
}

ACTIONS: dict[str, ActionHandler] = {
    "member.join": members.join_button,
    "member.edit": members.edit_button,
    "member.pause": members.pause_button,
    "member.resume": members.resume,
    "member.rejoin": members.rejoin,
}


def _rebuild_profile(ctx: Ctx, state: str) -> Form:
    joining = state.removeprefix("join:") if state.startswith("join:") else None
    return members.profile_form(ctx, ctx.member, joining_program=joining or None)


def _rebuild_roster(ctx: Ctx, _state: str) -> Form:
    form = roster.roster(ctx, ParsedCommand(verb="roster", args=("import",)))[0].form
    assert form is not None
    return form


FORMS: dict[str, FormRoute] = {
    members.PROFILE_FORM: FormRoute(members.submit_profile, _rebuild_profile),
    roster.ROSTER_FORM: FormRoute(roster.submit_roster, _rebuild_roster),
}


# --- Feature registrations -----------------------------------------------------------------------
# Each feature module exposes its own VERBS / COMMANDS / ACTIONS / FORMS and registers them in its own
# section below, so features stay in their modules and this file only lists them.
FEATURE_VERBS: list[Verb] = []

# pairing (issue 5)
from bot.pairing import chat as pairing_chat  # noqa: E402

FEATURE_VERBS.append(pairing_chat.VERB)
COMMANDS["pair"] = pairing_chat.pair
ACTIONS["pairing.met"] = pairing_chat.met_button
from bot import privacy as _pairing_privacy_hooks  # noqa: E402
from bot.pairing import privacy as pairing_privacy  # noqa: E402

_pairing_privacy_hooks.EXPORT_HOOKS.append(pairing_privacy.export_pairings)
_pairing_privacy_hooks.FORGET_HOOKS.append(pairing_privacy.forget_pairings)

# check-ins and reflections (issue 6)
from bot import checkins, privacy, reflections, school_calendar  # noqa: E402

FEATURE_VERBS += [*checkins.VERBS, *reflections.VERBS, school_calendar.VERB, *privacy.VERBS]
COMMANDS["checkin"] = checkins.checkin
COMMANDS["checkins"] = checkins.checkins_stats
COMMANDS["reflect"] = reflections.reflect
COMMANDS["reflections"] = reflections.reflections
COMMANDS["calendar"] = school_calendar.calendar
COMMANDS["export-my-data"] = privacy.export_command
COMMANDS["forget-me"] = privacy.forget_command
ACTIONS["checkin.rate"] = checkins.rate
ACTIONS["checkin.snooze"] = checkins.snooze
ACTIONS["checkin.skip"] = checkins.skip
ACTIONS["checkin.reflect"] = checkins.reflect_button
ACTIONS["reflection.edit"] = reflections.edit_button
ACTIONS["reflection.delete"] = reflections.delete_button
ACTIONS["privacy.export"] = privacy.export_button
ACTIONS["privacy.forget"] = privacy.forget_button
FORMS[reflections.FORM_ID] = FormRoute(reflections.submit, reflections.rebuild)

# peer observation (issue 7)
from bot.observations import chat as observations  # noqa: E402

FEATURE_VERBS += observations.VERBS
COMMANDS["observe"] = observations.observe
COMMANDS["free"] = observations.free
ACTIONS[observations.PICK] = observations.pick
ACTIONS[observations.IN_TURN] = observations.in_turn
ACTIONS[observations.TELL_COORDINATOR] = observations.tell_coordinator
ACTIONS[observations.ACCEPT] = observations.accept
ACTIONS[observations.DECLINE] = observations.decline
ACTIONS[observations.CANCEL] = observations.cancel_button
ACTIONS[observations.GIVE_FEEDBACK] = observations.feedback_button
ACTIONS[observations.SHARE] = observations.share
ACTIONS[observations.REFLECT] = observations.reflect
FORMS[observations.REQUEST_FORM] = FormRoute(
    observations.submit_request, observations.rebuild_request
)
FORMS[observations.FEEDBACK_FORM] = FormRoute(
    observations.submit_feedback, observations.rebuild_feedback
)
FORMS[observations.REFLECTION_FORM] = FormRoute(
    observations.submit_reflection, observations.rebuild_reflection
)
from bot import privacy as _privacy  # noqa: E402
from bot.observations import privacy as observation_privacy  # noqa: E402

_privacy.EXPORT_HOOKS.append(observation_privacy.export_observations)
_privacy.FORGET_HOOKS.append(observation_privacy.forget_observations)

# resources (issue 8)
FEATURE_VERBS.extend(resource_chat.VERBS)
COMMANDS["share"] = resource_chat.share
COMMANDS["resources"] = resource_chat.resources
COMMANDS["goals"] = resource_chat.goals_with_suggestions  # a new goal may surface a resource
ACTIONS[resource_render.HELPFUL] = resource_chat.helpful_button
ACTIONS[resource_render.UNHELPFUL] = resource_chat.unhelpful_button
ACTIONS[resource_render.REMOVE] = resource_chat.remove_button
FORMS[resource_chat.SHARE_FORM] = FormRoute(resource_chat.submit_share, resource_chat.share_form)
resource_hooks.register()  # suggestions in check-ins and reflections; export and forget-me

# digest (issue 9)
from bot.digest import chat as digest_chat  # noqa: E402

FEATURE_VERBS.append(digest_chat.VERB)
COMMANDS["digest"] = digest_chat.digest
ACTIONS["digest.list"] = digest_chat.open_list

# platform events (issues 3 and 4)
# home page (issue 3): the Slack App Home tab, and `home` everywhere else.
from bot import home  # noqa: E402

FEATURE_VERBS.append(home.HOME_VERB)
COMMANDS["home"] = home.home
OPEN_VERBS = OPEN_VERBS | {"home"}  # a visitor's page invites them to join
ACTIONS["home.reflect"] = home.open_reflection
ACTIONS["home.observe"] = home.open_observation_request

VERB_REGISTRY: dict[str, Verb] = {v.name: v for v in (*VERBS, *FEATURE_VERBS)}
