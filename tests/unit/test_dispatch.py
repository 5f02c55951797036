"""What the dispatcher promises every feature: help, unknown verbs, one answer a delivery, and a refusal
that leaves nothing behind. Driven through ``Bot.handle`` with the real registry over the fakes."""

from __future__ import annotations

from dataclasses import replace

from bot.kernel.events import Inbound, InboundKind
from tests.unit.school import PROFILE, School


def test_help_lists_what_a_teacher_can_do_and_hides_coordinator_verbs() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    ana.say("help")
    lines = ana.text.splitlines()
    assert lines[0] == "Here is what I can do (type `help <command>` for more):"
    assert any(line.startswith("• `join [program]`") for line in lines)
    assert not any("`program " in line for line in lines)

    cora = school.coordinator()
    cora.say("help")
    assert any(line.startswith("• `program …`") for line in cora.text.splitlines())


def test_help_on_one_verb_gives_its_usage_and_examples() -> None:
    school = School()
    ben = school.person("Ben Okafor")
    assert ben.say("help pause").ok
    assert ben.text.splitlines()[:3] == [
        "*pause*: Take a break from check-ins and pairings (holidays, leave, a busy spell).",
        "Usage: `pause [until DATE]`",
        "Example: `pause`",
    ]


def test_an_empty_line_is_help_and_an_unknown_verb_suggests_the_close_one() -> None:
    school = School()
    ben = school.person("Ben Okafor")
    ben.say("")
    assert ben.text.startswith("Here is what I can do")
    outcome = ben.say("paus until friday")
    assert not outcome.ok
    assert ben.text == (
        "I don't know the command `paus`. Did you mean `pause`? Type `help` to see what I can do."
    )
    ben.say("xyzzy")
    assert ben.text == "I don't know the command `xyzzy`. Type `help` to see what I can do."


def test_an_unknown_button_or_form_has_expired() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    outcome = school.bot.handle(Inbound(ana.actor, InboundKind.ACTION, action_id="gone.button"))
    assert outcome.replies[0].text == (
        "That button has expired. Type `help` to see what you can do now."
    )
    outcome = school.bot.handle(Inbound(ana.actor, InboundKind.FORM, form_id="gone.form"))
    assert outcome.replies[0].text == "That form has expired. Type `help` to start again."


def test_a_repeated_delivery_is_answered_once_and_changes_nothing_twice() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    first = ana.say("goals add Use more hinge questions", delivery_id="Ev-1")
    assert first.ok and not first.duplicate
    again = ana.say("goals add Use more hinge questions", delivery_id="Ev-1")
    assert again.duplicate
    assert again.replies == []
    assert school.member(ana).goals == ["Ask more open questions", "Use more hinge questions"]


def test_a_refused_request_is_remembered_so_its_retry_is_not_answered_again() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    refused = ana.say("goals remove 9", delivery_id="Ev-2")
    assert not refused.ok and not refused.duplicate
    retry = ana.say("goals remove 9", delivery_id="Ev-2")
    assert retry.duplicate
    assert retry.replies == []


def test_a_refusal_rolls_back_what_the_handler_had_already_written() -> None:
    """The profile form adds the member before enrolling them; a program gone by then refuses the
    whole submission, so no half-joined member is left behind."""
    school = School()
    ana = school.person("Ana Lopez")
    ana.say("join")
    stale = replace(ana.form, state="join:999")
    outcome = ana.submit(stale, {**PROFILE, "display_name": "Ana Lopez"})
    assert not outcome.ok
    assert ana.text == "That program no longer exists."
    with school.uow_factory() as uow:
        (workspace_id,) = uow.workspaces.active_ids()
        assert uow.scope(workspace_id).members.list() == []
    assert school.outbox() == []


def test_each_school_sees_only_its_own_people() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    elsewhere = replace(ana.actor, workspace_external_id="T-ELSEWHERE")
    outcome = school.bot.handle(Inbound(elsewhere, InboundKind.COMMAND, text="goals"))
    assert not outcome.ok
    assert outcome.replies[0].text.startswith("You haven't joined Staffroom yet.")
    assert school.member(ana).display_name == "Ana Lopez"
