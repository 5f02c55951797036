"""A term of one teacher's professional learning, built the way it happens: through the console's
real commands and buttons (pairing, observations both ways, feedback, "did you meet?", reflections,
a shared resource a colleague found helpful), with the weekly confidence ratings of earlier months
stored through the check-in repository, as the planner would have stored them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.checkins.message import NO_GOAL
from bot.checkins.model import Checkin, CheckinStatus
from bot.checkins.schedule import iso_week
from bot.kernel.domain import Platform
from bot.kernel.messages import Form
from bot.pairing.scheduled import run_due_pairing_rounds
from bot.reflections.model import Reflection, Visibility
from staffroom.bootstrap import Staffroom
from tests.conftest import Person, joined
from tests.e2e.test_pairing_flows import setup_program
from tests.observations.helpers import button, inbox, last_to, run_job

THU_LESSON = datetime(2026, 11, 26, 10, 15, tzinfo=UTC)  # Europe/London is on UTC in November
FRI_LESSON = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
MET_CHECK = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
RECORD_DAY = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)

FOCUS_GOAL = "Ask more open questions"
EARLIER_GOAL = "Calm starts to lessons"
STRENGTHS = "Great wait time <b>after</b> every question"
NEXT_STEP = "=Try no-hands-up for the starter"
RATINGS = (
    # (when, goal, confidence): Ana's weekly check-ins of the autumn, and two outside the year
    (datetime(2025, 6, 10, 16, 0, tzinfo=UTC), FOCUS_GOAL, 1),
    (datetime(2025, 11, 30, 16, 0, tzinfo=UTC), FOCUS_GOAL, 1),
    (datetime(2026, 9, 1, 16, 0, tzinfo=UTC), NO_GOAL, 2),  # before she had set a goal
    (datetime(2026, 9, 8, 16, 0, tzinfo=UTC), EARLIER_GOAL, 3),
    (datetime(2026, 9, 15, 16, 0, tzinfo=UTC), FOCUS_GOAL, 2),
    (datetime(2026, 10, 6, 16, 0, tzinfo=UTC), FOCUS_GOAL, 3),
    (datetime(2026, 10, 13, 16, 0, tzinfo=UTC), FOCUS_GOAL, 3),
    (datetime(2026, 11, 10, 16, 0, tzinfo=UTC), FOCUS_GOAL, 4),
)


@dataclass
class Term:
    ana: ConsoleSession
    ben: ConsoleSession
    maya: ConsoleSession
    north_ana: ConsoleSession
    """Someone of the same name in another school: none of her rows may reach Ana's record."""


def fill_feedback(form: Form, strengths: str, next_step: str) -> dict[str, str]:
    """The observer's form with the words given and every rating left empty (ratings are optional,
    and the record never shows them)."""
    values = {i.name: "" for i in form.inputs}
    values["strengths"] = strengths
    values["suggestion_1"] = next_step
    return values


def autumn_term(app: Staffroom, person: Person, messenger: ConsoleMessenger) -> Term:
    maya, teachers = setup_program(app, person, names=("Ana Lopez", "Ben Okafor"))
    ana, ben = teachers["Ana Lopez"], teachers["Ben Okafor"]
    assert ana.type(f"goals add {FOCUS_GOAL}").ok
    assert ben.type("free add thu 10:00-11:30").ok
    assert ana.type("free add fri 08:30-10:00").ok
    assert maya.type("pair publish Year 8 Circle").ok

    # Ben observes Ana's lesson and writes feedback; Ana observes Ben's and has not written hers.
    draft = ana.type('observe thu 10:15-11:00 focus: questioning "Year 8 forces"')
    assert ana.press_button(button(draft.replies[0], "Ask Ben Okafor")).ok
    assert ben.press_button(button(last_to(messenger, "Ben Okafor"), "Accept")).ok
    draft = ben.type('observe fri 9:00-9:45 focus: behaviour "Year 7 lab"')
    assert ben.press_button(button(draft.replies[0], "Ask Ana Lopez")).ok
    assert ana.press_button(button(last_to(messenger, "Ana Lopez"), "Accept")).ok
    run_job(app, messenger, THU_LESSON + timedelta(minutes=50))
    (prompt,) = [
        d.message
        for d in inbox(messenger, "Ben Okafor")
        if "Give feedback" in [b.label for b in d.message.buttons()]
    ]
    opened = ben.press_button(button(prompt, "Give feedback"))
    form = opened.replies[0].form
    assert form is not None
    assert ben.submit(form, fill_feedback(form, STRENGTHS, NEXT_STEP)).ok

    # Halfway through the round: "did you meet?", and Ana says they did.
    app.clock.set(MET_CHECK)  # type: ignore[attr-defined]
    run_due_pairing_rounds(app.uow_factory, MET_CHECK)
    app.worker({Platform.CONSOLE: messenger}).drain()
    met = [d for d in messenger.delivered if "did you manage to meet" in d.message.text]
    to_ana = [d.message for d in met if d.recipient_user_id == "ana-lopez"][-1]
    assert ana.press_button(button(to_ana, "Yes, we met")).ok

    # Two reflections of her own, a link Ben found helpful.
    for went_well, who in (("Tried cold calling", "private"), ("Wait time worked", "mentor")):
        ana.type("reflect")
        assert ana.pending_form is not None
        saved = ana.submit(
            ana.pending_form, {"went_well": went_well, "try_next": "More", "visibility": who}
        )
        assert saved.ok, saved.replies
    assert ana.type("share https://example.org/wait-time Wait time routines #questioning").ok
    found = ben.type("resources wait time")
    assert ben.press_button(button(found.replies[0], "Helpful")).ok

    _earlier_checkins(app)

    north_ana = joined(person("Ana Lopez", workspace="north"))
    for text in ("North one", "North two", "North three"):
        north_ana.type("reflect")
        assert north_ana.pending_form is not None
        north_ana.submit(
            north_ana.pending_form, {"went_well": text, "try_next": "", "visibility": "private"}
        )
    assert north_ana.type("share https://example.org/north North notes #questioning").ok

    app.clock.set(RECORD_DAY)  # type: ignore[attr-defined]
    return Term(ana=ana, ben=ben, maya=maya, north_ana=north_ana)


def _earlier_checkins(app: Staffroom) -> None:
    """Ana's answered check-ins of earlier weeks, and a reflection written after one of them."""
    with app.uow_factory() as uow:
        workspace = uow.workspaces.by_external_id(Platform.CONSOLE, "local")
        assert workspace is not None
        repos = uow.scope(workspace.id)
        ana = repos.members.by_platform_user("ana-lopez")
        assert ana is not None and ana.id is not None
        (program,) = repos.programs.list()
        assert program.id is not None
        first = None
        for when, goal, confidence in RATINGS:
            added = repos.checkins.add(
                Checkin(
                    program_id=program.id,
                    member_id=ana.id,
                    week=iso_week(when.date()),
                    due_at=when,
                    status=CheckinStatus.ANSWERED,
                    sent_at=when,
                    answered_at=when,
                    confidence=confidence,
                    goal=goal,
                )
            )
            first = first or (added if when.year == 2026 else None)
        assert first is not None and first.id is not None
        reflection = Reflection(
            member_id=ana.id,
            program_id=program.id,
            checkin_id=first.id,
            went_well="A calmer start",
            visibility=Visibility.PRIVATE,
        )
        repos.reflections.add(reflection)
        uow.commit()


def stored_reflections(app: Staffroom, platform_user_id: str, *texts: str) -> None:
    """Reflections written by whoever has this platform user id, stored through the repository as
    the reflection form stores them: a platform test's history, whatever the platform."""
    from storage.models.members import MemberRow
    from tests.conftest import fetch_all

    (row,) = fetch_all(app, MemberRow, MemberRow.platform_user_id == platform_user_id)
    with app.uow_factory() as uow:
        repos = uow.scope(row.workspace_id)
        for text in texts:
            repos.reflections.add(Reflection(member_id=row.id, went_well=text, try_next="Again"))
        uow.commit()
