"""The front door of the core: one inbound event in, the replies for the person out.

Each event runs in one unit of work: the state change, the messages for other people (the outbox)
and the record of the platform's delivery id commit together or not at all. A refused request rolls
everything back and answers kindly; an unexpected error is logged and answered without a trace.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot import platform_events, routes
from bot.clock import Clock
from bot.commands import parse
from bot.context import Ctx
from bot.domain import Member, MemberStatus
from bot.errors import FormInvalid, UserError
from bot.events import Inbound, InboundKind
from bot.messages import Message, text_message
from bot.ports import Scope, UnitOfWorkFactory
from bot.roster import PENDING_PREFIX
from bot.settings import Settings

log = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on our side and nothing was saved. Please try again in a minute."
)


@dataclass
class Outcome:
    replies: list[Message] = field(default_factory=list)
    duplicate: bool = False
    """True when the platform re-delivered an event we already handled; nothing was done again."""
    form_errors: dict[str, str] = field(default_factory=dict)
    ok: bool = True


class Bot:
    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, settings: Settings) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.settings = settings

    def handle(self, inbound: Inbound) -> Outcome:
        try:
            return self._handle(inbound)
        except Exception:
            log.exception(
                "unhandled error for %s %s", inbound.kind, inbound.action_id or inbound.form_id
            )
            return Outcome(replies=[text_message(SORRY)], ok=False)

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
            ctx = Ctx(
                uow=uow,
                repos=repos,
                workspace=workspace,
                actor=actor,
                member=self._recognise(repos, inbound),
                now=now,
                settings=self.settings,
            )
            try:
                replies = self._route(ctx, inbound)
            except FormInvalid as invalid:
                uow.rollback()
                return self._refused_form(inbound, invalid)
            except UserError as refusal:
                uow.rollback()
                if inbound.delivery_id:
                    self._remember_delivery(inbound)
                return Outcome(replies=[text_message(refusal.message)], ok=False)
            uow.commit()
            return Outcome(replies=replies)

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

    def _recognise(self, repos: Scope, inbound: Inbound) -> Member | None:
        """Find the member behind the actor, claiming a roster entry made before they arrived."""
        actor = inbound.actor
        member = repos.members.by_platform_user(actor.user_id)
        if member is not None:
            if not member.reachable and inbound.kind is not InboundKind.PLATFORM:
                # They wrote to us, so we can write to them again (a reactivated account).
                member.reachable = True
                repos.members.save(member)
            return member
        for hint in (actor.email, actor.display_name if actor.platform == "console" else None):
            if not hint:
                continue
            candidate = repos.members.find(hint)
            if candidate and candidate.platform_user_id.startswith(PENDING_PREFIX):
                candidate.platform_user_id = actor.user_id
                if candidate.consented_at is None:
                    # Imported by a coordinator; their own first message is their consent.
                    candidate.consented_at = self.clock.now()
                    candidate.joined_at = candidate.joined_at or self.clock.now()
                repos.members.save(candidate)
                return candidate
        return None

    def _route(self, ctx: Ctx, inbound: Inbound) -> list[Message]:
        if inbound.kind is InboundKind.PLATFORM:
            return platform_events.handle(ctx, inbound.text)
        if not ctx.workspace.active:
            raise UserError(
                "Staffroom has been removed from this workspace. Ask your admin to reinstall it."
            )
        if inbound.kind is InboundKind.COMMAND:
            cmd = parse(inbound.text, registry=routes.VERB_REGISTRY)
            if cmd.verb not in routes.OPEN_VERBS:
                member = ctx.require_member()
                if member.status is MemberStatus.OPTED_OUT:
                    raise UserError("You've left Staffroom. Type `join` to come back.")
            return routes.COMMANDS[cmd.verb](ctx, cmd)
        if inbound.kind is InboundKind.ACTION:
            action = routes.ACTIONS.get(inbound.action_id)
            if action is None:
                raise UserError("That button has expired. Type `help` to see what you can do now.")
            return action(ctx, inbound.value)
        form = routes.FORMS.get(inbound.form_id)
        if form is None:
            raise UserError("That form has expired. Type `help` to start again.")
        return form.submit(ctx, inbound.values, self._state(inbound))

    @staticmethod
    def _state(inbound: Inbound) -> str:
        state = inbound.values.get("__state__", "")
        return state if isinstance(state, str) else ""

    def _refused_form(self, inbound: Inbound, invalid: FormInvalid) -> Outcome:
        """Show the same form again with every error beside its field and everything typed kept."""
        route = routes.FORMS[inbound.form_id]
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
            )
            form = route.rebuild(ctx, self._state(inbound))
        typed = {k: v for k, v in inbound.values.items() if k != "__state__"}
        again = form.with_errors(invalid.errors, typed)
        summary = "Please check: " + "; ".join(invalid.errors.values())
        return Outcome(
            replies=[Message(text=summary, form=again)], form_errors=invalid.errors, ok=False
        )
