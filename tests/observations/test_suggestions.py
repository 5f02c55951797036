"""Who is suggested: free then, same workspace, mentor or group first, fit, and fairness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from adapters.console.messenger import ConsoleMessenger
from bot.kernel.messages import Button
from staffroom.bootstrap import Staffroom
from storage.models.members import MemberRow
from storage.models.observations import ObservationFeedbackRow, ObservationRequestRow
from storage.models.pairing import PairingMemberRow, PairingRoundRow, PairingRow
from storage.models.programs import ProgramRow
from tests.conftest import Person, fetch_all
from tests.observations.helpers import button, inbox, last_to, reply_text, run_job, teacher

REQUEST = "observe thu 10:15-11:00 focus: questioning"


def _id(app: Staffroom, name: str) -> int:
    (row,) = fetch_all(app, MemberRow, MemberRow.display_name == name)
    return int(row.id)


def pair(app: Staffroom, members: dict[str, str]) -> None:
    """Pairing data as the pairing feature stores it: a round, a pairing, its members."""
    now = app.clock.now()
    ids = {name: _id(app, name) for name in members}
    (first,) = fetch_all(app, MemberRow, MemberRow.id == next(iter(ids.values())))
    workspace_id = first.workspace_id
    with Session(app.engine) as s:
        program = ProgramRow(
            workspace_id=workspace_id,
            name="Mentoring",
            kind="mentoring",
            checkin_time=datetime(2026, 1, 1, 15, 30).time(),
            created_at=now,
        )
        s.add(program)
        s.flush()
        round_ = PairingRoundRow(
            workspace_id=workspace_id, program_id=program.id, number=1, created_at=now
        )
        s.add(round_)
        s.flush()
        pairing = PairingRow(
            workspace_id=workspace_id, round_id=round_.id, program_id=program.id, created_at=now
        )
        s.add(pairing)
        s.flush()
        for name, role in members.items():
            s.add(
                PairingMemberRow(
                    workspace_id=workspace_id, pairing_id=pairing.id, member_id=ids[name], role=role
                )
            )
        s.commit()


def past_observation(app: Staffroom, requester: str, observer: str, days_ago: int) -> None:
    now = app.clock.now()
    (row,) = fetch_all(app, MemberRow, MemberRow.display_name == requester)
    observer_id = _id(app, observer)
    with Session(app.engine) as s:
        s.add(
            ObservationRequestRow(
                workspace_id=row.workspace_id,
                requester_id=row.id,
                observer_id=observer_id,
                starts_at=now - timedelta(days=days_ago),
                ends_at=now - timedelta(days=days_ago) + timedelta(minutes=50),
                focus="engagement",
                status="done",
                timezone="Europe/London",
                created_at=now,
                updated_at=now,
            )
        )
        s.commit()


def test_ranked_by_subject_grade_and_strength(app: Staffroom, person: Person) -> None:
    ana = teacher(person, "Ana Lopez", subjects="Maths", grades=("9-10",))
    teacher(person, "Art Only", subjects="Art", grades=("K-2",), free="thu 9:00-12:00")
    teacher(person, "Same Grade", subjects="Art", grades=("9-10",), free="thu 9:00-12:00")
    teacher(person, "Same Subject", subjects="Maths", grades=("K-2",), free="thu 9:00-12:00")
    teacher(person, "All Three", subjects="Maths", strengths="Questioning", free="thu 9:00-12:00")
    labels = [b.label for b in ana.type(REQUEST).replies[0].buttons()][:3]
    assert labels == ["Ask All Three", "Ask Same Subject", "Ask Same Grade"]


def test_fairness_puts_people_who_observed_least_lately_first(
    app: Staffroom, person: Person
) -> None:
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Busy Bee", free="thu 9:00-12:00")
    teacher(person, "Fresh Face", free="thu 9:00-12:00")
    teacher(person, "Other Person", free="thu 9:00-12:00", subjects="Art")
    past_observation(app, "Other Person", "Busy Bee", days_ago=10)
    past_observation(app, "Other Person", "Busy Bee", days_ago=20)
    past_observation(app, "Other Person", "Fresh Face", days_ago=200)  # long ago: forgotten
    draft = ana.type(REQUEST)
    labels = [b.label for b in draft.replies[0].buttons()][:3]
    assert labels[0] == "Ask Fresh Face"
    assert "observed 2x lately" in reply_text(draft)


def test_the_mentor_comes_first_when_free_and_can_read_shared_feedback(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Top Fit", strengths="questioning", free="thu 9:00-12:00")
    mentor = teacher(person, "Mo Mentor", subjects="Drama", grades=("K-2",), free="thu 9:00-12:00")
    teacher(person, "Gus Group", subjects="Art", free="mon 9:00-10:00")  # in the group, not free
    pair(app, {"Ana Lopez": "mentee", "Mo Mentor": "mentor", "Gus Group": "peer"})
    draft = ana.type(REQUEST)
    labels = [b.label for b in draft.replies[0].buttons()]
    assert labels[:2] == ["Ask Mo Mentor", "Ask Top Fit"]
    assert "Gus Group" not in reply_text(draft)
    assert "your mentor" in reply_text(draft)

    # Top Fit observes; Ana chooses to share the feedback with her mentor.
    top = person("Top Fit")
    ana.press_button(button(draft.replies[0], "Ask Top Fit"))
    top.press_button(button(last_to(messenger, "Top Fit"), "Accept"))
    run_job(app, messenger, datetime(2026, 11, 26, 11, 5, tzinfo=UTC))
    form = top.press_button(button(last_to(messenger, "Top Fit"), "Give feedback")).replies[0].form
    assert form is not None
    top.submit(form, {"strengths": "Calm, precise questions", "suggestion_1": "More think time"})
    feedback = last_to(messenger, "Ana Lopez")
    request_id = fetch_all(app, ObservationRequestRow)[0].id
    assert "private" in reply_text(mentor.type(f"observe show {request_id}"))  # not shared yet
    shared = ana.press_button(button(feedback, "Share with my mentor"))
    assert "Shared with Mo Mentor, and only with them" in reply_text(shared)
    assert "Calm, precise questions" in str(last_to(messenger, "Mo Mentor").blocks)
    assert "Calm, precise questions" in reply_text(mentor.type(f"observe show {request_id}"))


def test_other_workspaces_paused_and_departed_people_are_never_suggested(
    app: Staffroom, person: Person
) -> None:
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Elsewhere", free="thu 9:00-12:00", workspace="other-school")
    away = teacher(person, "On Leave", free="thu 9:00-12:00")
    away.type("pause until 2026-12-31")
    gone = teacher(person, "Has Left", free="thu 9:00-12:00")
    gone.type("leave")
    back_soon = teacher(person, "Back Wednesday", free="thu 9:00-12:00")
    back_soon.type("pause until 2026-11-25")
    text = reply_text(ana.type(REQUEST))
    assert "Elsewhere" not in text and "On Leave" not in text and "Has Left" not in text
    assert "Back Wednesday" in text


def test_free_periods_are_in_each_teachers_own_time_zone(app: Staffroom, person: Person) -> None:
    ana = teacher(person, "Ana Lopez")  # Europe/London
    chicago = teacher(person, "Chi Cago", free="thu 4:00-5:30")  # 10:00-11:30 in London
    chicago.type("profile set tz=America/Chicago")
    teacher(person, "London Early", free="thu 4:00-5:30")
    draft = ana.type(REQUEST)
    text = reply_text(draft)
    assert "Chi Cago" in text and "London Early" not in text


def test_a_declared_free_period_beats_any_fit_of_someone_who_declared_none(
    app: Staffroom, person: Person
) -> None:
    ana = teacher(person, "Ana Lopez", subjects="Maths", grades=("9-10",))
    teacher(person, "Perfect Fit", subjects="Maths", strengths="questioning")  # no free periods
    teacher(person, "Also Unknown", subjects="Maths")  # no free periods
    teacher(person, "Art Free", subjects="Art", grades=("K-2",), free="thu 9:00-12:00")
    draft = ana.type(REQUEST)
    labels = [b.label for b in draft.replies[0].buttons()][:3]
    assert labels == ["Ask Art Free", "Ask Perfect Fit", "Ask Also Unknown"]
    text = reply_text(draft)
    free_then = text.index("Colleagues free then:")
    unknown = text.index("Colleagues who haven't said when they're free")
    assert free_then < text.index("Art Free") < unknown < text.index("Perfect Fit")
    assert "Perfect Fit" not in text[free_then:unknown]


def test_people_who_declared_nothing_are_never_called_free_then(
    app: Staffroom, person: Person
) -> None:
    ana = teacher(person, "Ana Lopez")
    teacher(person, "Never Said", strengths="questioning")
    text = reply_text(ana.type(REQUEST))
    assert "Never Said" in text
    assert "Colleagues who haven't said when they're free" in text
    assert "free then" not in text


def test_feedback_from_the_mentor_is_not_offered_back_to_the_mentor(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")
    mentor = teacher(person, "Mo Mentor", free="thu 9:00-12:00")
    pair(app, {"Ana Lopez": "mentee", "Mo Mentor": "mentor"})
    draft = ana.type(REQUEST)
    ana.press_button(button(draft.replies[0], "Ask Mo Mentor"))
    mentor.press_button(button(last_to(messenger, "Mo Mentor"), "Accept"))
    run_job(app, messenger, datetime(2026, 11, 26, 11, 5, tzinfo=UTC))
    prompt = last_to(messenger, "Mo Mentor")
    form = mentor.press_button(button(prompt, "Give feedback")).replies[0].form
    assert form is not None
    mentor.submit(form, {"strengths": "Calm, precise questions", "suggestion_1": "More think time"})
    feedback = last_to(messenger, "Ana Lopez")
    assert [b.label for b in feedback.buttons()] == ["Write a reflection", "Thank Mo"]
    delivered_to_mentor = len(inbox(messenger, "Mo Mentor"))

    # An old or forged Share button changes nothing and sends the mentor nothing.
    forged = Button(
        "Share with my mentor", "observe.share", button(feedback, "Write a reflection").value
    )
    refused = ana.press_button(forged)
    assert "Mo Mentor observed this lesson" in reply_text(refused)
    run_job(app, messenger)
    assert len(inbox(messenger, "Mo Mentor")) == delivered_to_mentor
    assert all(
        "Calm, precise questions" not in str(d.message.blocks)
        for d in inbox(messenger, "Mo Mentor")
    )
    (row,) = fetch_all(app, ObservationFeedbackRow)
    assert row.shared_with_mentor is False
