"""Platform events (as Slack and Teams adapters translate them) change the right rows."""

from __future__ import annotations

from bot.kernel.domain import Platform
from bot.kernel.events import Actor, Inbound, InboundKind, PlatformEvent
from staffroom.bootstrap import Staffroom
from storage.models.kernel import WorkspaceRow
from storage.models.members import MemberRow
from tests.conftest import Person, fetch_all, joined


def event(kind: PlatformEvent, user: str = "ana-lopez", delivery_id: str | None = None) -> Inbound:
    actor = Actor(platform=Platform.CONSOLE, workspace_external_id="local", user_id=user)
    return Inbound(actor=actor, kind=InboundKind.PLATFORM, text=kind.value, delivery_id=delivery_id)


def test_install_welcomes_newcomers_with_a_join_button_but_not_members(
    app: Staffroom, person: Person
) -> None:
    outcome = app.bot.handle(event(PlatformEvent.INSTALLED, user="newcomer"))
    assert outcome.replies[0].buttons()[0].action_id == "member.join"
    joined(person("Ana Lopez"))
    assert app.bot.handle(event(PlatformEvent.INSTALLED)).replies == []


def test_unreachable_member_is_marked_and_comes_back(app: Staffroom, person: Person) -> None:
    joined(person("Ana Lopez"))
    app.bot.handle(event(PlatformEvent.USER_UNREACHABLE))
    assert [m.reachable for m in fetch_all(app, MemberRow)] == [False]
    app.bot.handle(event(PlatformEvent.USER_REACHABLE))
    assert [m.reachable for m in fetch_all(app, MemberRow)] == [True]


def test_uninstall_stops_the_workspace_and_commands_are_refused(
    app: Staffroom, person: Person
) -> None:
    ana = joined(person("Ana Lopez"))
    app.bot.handle(event(PlatformEvent.UNINSTALLED, delivery_id="ev-9"))
    assert [w.active for w in fetch_all(app, WorkspaceRow)] == [False]
    with app.uow_factory() as uow:
        assert uow.workspaces.active_ids() == []
    assert "removed from this workspace" in ana.type("profile").replies[0].text
    app.bot.handle(event(PlatformEvent.INSTALLED))
    assert [w.active for w in fetch_all(app, WorkspaceRow)] == [True]
