"""The front door of the core: one inbound event in, the replies for the person out.

Each event runs in one unit of work: the state change, the messages for other people (the outbox)
and the record of the platform's delivery id commit together or not at all. A refused request rolls
everything back and answers kindly; an unexpected error is logged and answered without a trace.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot.kernel.clock import Clock
from bot.kernel.commands import HELP_VERB, ParsedCommand, help_text, parse, with_usage
from bot.kernel.context import Ctx, speaking_to
from bot.kernel.domain import Member, MemberStatus, Workspace
from bot.kernel.errors import FormInvalid, UnknownCommand, UserError
from bot.kernel.events import Inbound, InboundKind, cleaned
from bot.kernel.feature import Command, Feature, Registry
from bot.kernel.i18n import N_, _, number, speaking, supported
from bot.kernel.identity import (
    is_pending,
    release_typed_copies,
    vouch_from_platform,
    vouched_holder,
)
from bot.kernel.messages import Message, text_message
from bot.kernel.ports import Scope, UnitOfWork, UnitOfWorkFactory
from bot.kernel.settings import Settings
from bot.kernel.welcome import welcome_on_arrival

log = logging.getLogger(__name__)

MAX_COMMAND_LENGTH = 4000
"""Longer than any real command (a goal, a look-for list, an observation request), and short enough that
parsing one, and suggesting a verb for a mistyped one, stays instant whatever is pasted."""

SORRY = N_(
    "Sorry, something went wrong on our side and nothing was saved. Please try again in a minute."
)


@dataclass
class Outcome:
    replies: list[Message] = field(default_factory=list)
    duplicate: bool = False
    """True when the platform re-delivered an event we already handled; nothing was done again."""
    form_errors: dict[str, str] = field(default_factory=dict)
    ok: bool = True


def help_command(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    is_coordinator = bool(ctx.member and ctx.member.is_coordinator)
    topic = cmd.args[0] if cmd.args else None
    return [
        text_message(help_text(topic, is_coordinator=is_coordinator, registry=ctx.registry.verbs))
    ]


HELP = Feature("help", commands=(Command(HELP_VERB, help_command, before_joining=True),))
"""The registry's own verb, first in every registry: what every other feature declared, explained."""


def hear_platform_language(member: Member, tag: str | None) -> bool:
    """Follow the language their Slack or Teams client is set to (a language we have no catalog for
    counts as none); whether that changed anything. A platform that says nothing changes nothing."""
    if not tag:
        return False
    language = supported(tag)
    if member.platform_language == language:
        return False
    member.platform_language = language
    return True


class Bot:
    """Answers exactly the verbs, buttons and forms its registry's features declare."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        settings: Settings,
        registry: Registry,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.settings = settings
        self.registry = registry

    def handle(self, inbound: Inbound) -> Outcome:
        inbound = cleaned(inbound)
        with speaking(supported(inbound.actor.language)):
            try:
                return self._handle(inbound)
            except Exception:
                log.exception(
                    "unhandled error for %s %s", inbound.kind, inbound.action_id or inbound.form_id
                )
                return Outcome(replies=[text_message(_(SORRY))], ok=False)

    def _handle(self, inbound: Inbound) -> Outcome:
        now = self.clock.now()
        actor = inbound.actor
        with self.uow_factory() as uow:
            workspace = uow.workspaces.ensure(
                actor.platform, actor.workspace_external_id, actor.workspace_name
            )
            repos = uow.scope(workspace.id)
            if inbound.delivery_id and not repos.inbound.first_time(inbound.delivery_id, now):
                return Outcome(duplicate=True)
            member, arrived = self._recognise(repos, inbound)
            if member is not None:
                with speaking_to(member):
                    return self._answer(uow, repos, workspace, inbound, member, arrived, now)
            return self._answer(uow, repos, workspace, inbound, member, arrived, now)

    def _answer(
        self,
        uow: UnitOfWork,
        repos: Scope,
        workspace: Workspace,
        inbound: Inbound,
        member: Member | None,
        arrived: bool,
        now: datetime,
    ) -> Outcome:
        actor = inbound.actor
        ctx = Ctx(
            uow=uow,
            repos=repos,
            workspace=workspace,
            actor=actor,
            member=member,
            now=now,
            settings=self.settings,
            registry=self.registry,
        )
        try:
            replies = self._route(ctx, inbound)
        except FormInvalid as invalid:
            uow.rollback()
            return self._refused_form(inbound, invalid)
        except UserError as refusal:
            uow.rollback()
            reply = with_usage(refusal, self.registry.verbs)
            if arrived and workspace.active:
                # Their first message is their consent even when it is no command ("hi"):
                # keep it, and welcome them rather than answer with a refusal alone.
                unknown = isinstance(refusal, UnknownCommand)
                return Outcome(replies=[self._arrive(inbound, None if unknown else reply)])
            if inbound.delivery_id:
                self._remember_delivery(inbound)
            return Outcome(replies=[text_message(reply)], ok=False)
        uow.commit()
        return Outcome(replies=replies)

    def _arrive(self, inbound: Inbound, refusal: str | None) -> Message:
        """Record who they are and their consent on their own (the request was refused), and say
        welcome."""
        with self.uow_factory() as uow:
            actor = inbound.actor
            workspace = uow.workspaces.ensure(
                actor.platform, actor.workspace_external_id, actor.workspace_name
            )
            repos = uow.scope(workspace.id)
            if inbound.delivery_id:
                repos.inbound.first_time(inbound.delivery_id, self.clock.now())
            member, _arrived = self._recognise(repos, inbound)
            assert member is not None
            with speaking_to(member):
                welcome = welcome_on_arrival(repos, member, refusal)
            uow.commit()
        return welcome

    def _remember_delivery(self, inbound: Inbound) -> None:
        """A refused request still counts as handled: a platform retry must not answer it twice."""
        with self.uow_factory() as uow:
            actor = inbound.actor
            workspace = uow.workspaces.ensure(
                actor.platform, actor.workspace_external_id, actor.workspace_name
            )
            assert inbound.delivery_id is not None
            uow.scope(workspace.id).inbound.first_time(inbound.delivery_id, self.clock.now())
            uow.commit()

    def _recognise(self, repos: Scope, inbound: Inbound) -> tuple[Member | None, bool]:
        """Find the member behind the actor, claiming a roster entry made before they arrived; and
        whether this message is the one that recorded their consent (they arrived)."""
        actor = inbound.actor
        arrived = False
        wrote = inbound.kind is not InboundKind.PLATFORM
        member = repos.members.by_platform_user(actor.user_id)
        if member is not None:
            changed = vouch_from_platform(member, actor.email)
            changed = hear_platform_language(member, actor.language) or changed
            if wrote and (not member.reachable or member.consented_at is None):
                # They wrote to us: we can write to them again (a reactivated account), and for
                # someone a roster imported by their platform id, this first message is consent.
                member.reachable = True
                arrived = self._consent(member)
                changed = True
            if changed:
                repos.members.save(member)
                release_typed_copies(repos, member)
            return member, arrived
        candidate = self._roster_entry_for(repos, inbound)
        if candidate is None:
            return None, False
        candidate.platform_user_id = actor.user_id
        vouch_from_platform(candidate, actor.email)
        hear_platform_language(candidate, actor.language)
        if wrote:
            arrived = self._consent(candidate)
        repos.members.save(candidate)
        release_typed_copies(repos, candidate)
        return candidate, arrived

    @staticmethod
    def _roster_entry_for(repos: Scope, inbound: Inbound) -> Member | None:
        """The unclaimed roster entry for someone new: by the address their platform gives (never
        one typed into a profile), or at the console, where a name is all there is, by name."""
        actor = inbound.actor
        if actor.email:
            holder = vouched_holder(repos, actor.email)
            return holder if holder is not None and is_pending(holder) else None
        if actor.platform == "console":
            candidate = repos.members.find(actor.display_name)
            return candidate if candidate is not None and is_pending(candidate) else None
        return None

    def _consent(self, member: Member) -> bool:
        """Someone imported by a coordinator writes for the first time: that message is their consent,
        however the roster named them (platform id or e-mail), and check-ins and pairings start."""
        if member.consented_at is None:
            member.consented_at = self.clock.now()
            member.joined_at = member.joined_at or self.clock.now()
            return True
        return False

    def _route(self, ctx: Ctx, inbound: Inbound) -> list[Message]:
        if inbound.kind is InboundKind.PLATFORM:
            return [
                reply
                for handle in self.registry.platform_event_handlers()
                for reply in handle(ctx, inbound.text)
            ]
        if not ctx.workspace.active:
            raise UserError(
                _("Staffroom has been removed from this workspace. Ask your admin to reinstall it.")
            )
        if inbound.kind is InboundKind.COMMAND:
            if len(inbound.text) > MAX_COMMAND_LENGTH:
                raise UserError(
                    _(
                        "That is longer than any command ({length} characters; the most is "
                        "{most}). To write at length, use `reflect`."
                    ).format(length=number(len(inbound.text)), most=number(MAX_COMMAND_LENGTH))
                )
            cmd = parse(inbound.text, registry=self.registry.verbs)
            if cmd.verb not in self.registry.before_joining:
                member = ctx.require_member()
                if member.status is MemberStatus.OPTED_OUT:
                    raise UserError(_("You've left Staffroom. Type `join` to come back."))
            return self.registry.commands[cmd.verb](ctx, cmd)
        if inbound.kind is InboundKind.ACTION:
            action = self.registry.actions.get(inbound.action_id)
            if action is None:
                raise UserError(
                    _("That button has expired. Type `help` to see what you can do now.")
                )
            return action(ctx, inbound.value)
        form = self.registry.forms.get(inbound.form_id)
        if form is None:
            raise UserError(_("That form has expired. Type `help` to start again."))
        return form.submit(ctx, inbound.values, self._state(inbound))

    @staticmethod
    def _state(inbound: Inbound) -> str:
        state = inbound.values.get("__state__", "")
        return state if isinstance(state, str) else ""

    def _refused_form(self, inbound: Inbound, invalid: FormInvalid) -> Outcome:
        """Show the same form again with every error beside its field and everything typed kept."""
        route = self.registry.forms[inbound.form_id]
        with self.uow_factory() as uow:
            actor = inbound.actor
            workspace = uow.workspaces.ensure(
                actor.platform, actor.workspace_external_id, actor.workspace_name
            )
            repos = uow.scope(workspace.id)
            ctx = Ctx(
                uow=uow,
                repos=repos,
                workspace=workspace,
                actor=actor,
                member=repos.members.by_platform_user(actor.user_id),
                now=self.clock.now(),
                settings=self.settings,
                registry=self.registry,
            )
            form = route.rebuild(ctx, self._state(inbound))
        typed = {k: v for k, v in inbound.values.items() if k != "__state__"}
        again = form.with_errors(invalid.errors, typed)
        summary = _("Please check: {problems}").format(problems="; ".join(invalid.errors.values()))
        return Outcome(
            replies=[Message(text=summary, form=again)], form_errors=invalid.errors, ok=False
        )
