"""Reflections and privacy through the console adapter: what each person is shown, and the rows stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from adapters.console.messenger import ConsoleMessenger
from staffroom.bootstrap import Staffroom
from storage.models.checkins import CheckinRow
from storage.models.members import MemberRow
from storage.models.pairing import PairingMemberRow, PairingRoundRow, PairingRow
from storage.models.reflections import ReflectionRow
from tests.checkins.helpers import outbox, plan, setup_program, user_id
from tests.conftest import Person, count, fetch_all


def reflect(session, **values: str):  # type: ignore[no-untyped-def]
    session.type("reflect")
    form = session.pending_form
    assert form is not None and form.form_id == "reflection.form"
    base = {"went_well": "", "try_next": "", "visibility": "private"}
    return session.submit(form, {**base, **values})


def pair(app: Staffroom, program_id: int, *member_ids: int) -> None:
    """A pairing as the pairing feature stores it."""
    now = app.clock.now()
    with Session(app.engine) as s:
        workspace_id = s.get(MemberRow, member_ids[0]).workspace_id  # type: ignore[union-attr]
        rnd = PairingRoundRow(
            workspace_id=workspace_id, program_id=program_id, number=1, created_at=now
        )
        s.add(rnd)
        s.flush()
        pairing = PairingRow(
            workspace_id=workspace_id, round_id=rnd.id, program_id=program_id, created_at=now
        )
        s.add(pairing)
        s.flush()
        for mid in member_ids:
            s.add(
                PairingMemberRow(
                    workspace_id=workspace_id, pairing_id=pairing.id, member_id=mid, role="peer"
                )
            )
        s.commit()


def member_id(app: Staffroom, name: str) -> int:
    (row,) = fetch_all(app, MemberRow, MemberRow.display_name == name)
    return int(row.id)


def test_a_private_reflection_is_seen_by_its_author_only_and_coordinators_get_counts(
    app: Staffroom, person: Person
) -> None:
    coordinator = setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    ana = person("Ana Lopez")
    outcome = reflect(
        ana, went_well="Exit tickets showed who needed help", tag="Ask more open questions"
    )
    assert outcome.ok, outcome.replies
    assert "Only you can see it" in outcome.replies[0].text
    (row,) = fetch_all(app, ReflectionRow)
    assert (row.visibility, row.is_draft, row.tag) == ("private", False, "Ask more open questions")
    listing = ana.type("reflections").replies[0].text
    assert "Exit tickets" in listing
    stats = coordinator.type("checkins").replies[0].text
    assert "reflections: withheld (fewer than 5 people)" in stats  # a program of one: Ana's
    assert "1 private" not in stats and "Exit tickets" not in stats
    refused = coordinator.type(f"reflections show {row.id}").replies[0].text
    assert "You have no reflection" in refused


def test_an_over_long_reflection_is_kept_in_full_as_a_draft_and_the_teacher_asked_to_shorten(
    app: Staffroom, person: Person
) -> None:
    setup_program(
        app, person, teachers={"Ana Lopez": "Europe/London", "Ben Okafor": "Europe/London"}
    )
    ana, ben = person("Ana Lopez"), person("Ben Okafor")
    long_text = "We tried think-pair-share. " * 150  # about 4,000 characters
    outcome = reflect(ana, went_well=long_text, visibility="wall")
    assert "limit is 3,000" in outcome.replies[0].text
    (row,) = fetch_all(app, ReflectionRow)
    assert row.is_draft and row.went_well == long_text.strip()
    assert "empty" in ben.type("reflections wall").replies[0].text  # a draft is not posted
    ana.press(1)  # "Shorten it" opens the same reflection, full text in the box
    form = ana.pending_form
    assert form is not None and form.inputs[0].initial == long_text.strip()
    outcome = ana.submit(
        form, {"went_well": "Think-pair-share worked.", "try_next": "", "visibility": "wall"}
    )
    assert "shared wall" in outcome.replies[0].text
    (row,) = fetch_all(app, ReflectionRow)
    assert not row.is_draft and count(app, ReflectionRow) == 1


def test_an_empty_reflection_is_refused_with_the_form_again(app: Staffroom, person: Person) -> None:
    setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    outcome = reflect(person("Ana Lopez"))
    assert not outcome.ok and "went_well" in outcome.form_errors
    assert count(app, ReflectionRow) == 0


def test_sharing_with_my_group_reaches_them_once_and_the_wall_is_anonymous(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    setup_program(
        app,
        person,
        teachers={
            "Ana Lopez": "Europe/London",
            "Ben Okafor": "Europe/London",
            "Cy Diaz": "Europe/London",
        },
    )
    program_id = 1
    pair(app, program_id, member_id(app, "Ana Lopez"), member_id(app, "Ben Okafor"))
    ana, ben, cy = person("Ana Lopez"), person("Ben Okafor"), person("Cy Diaz")
    outcome = reflect(ana, went_well="Cold calling with wait time", visibility="mentor")
    assert "shared with 1 person" in outcome.replies[0].text
    ana.type("reflections edit 1")
    assert ana.pending_form is not None
    ana.submit(
        ana.pending_form,
        {"went_well": "Cold calling, with wait time", "try_next": "", "visibility": "mentor"},
    )
    shared = outbox(app, "reflection-shared:")
    assert [r.recipient_user_id for r in shared] == [user_id("Ben Okafor")]
    assert "Cold calling" in ben.type("reflections shared").replies[0].blocks[1].fields[0][1]  # type: ignore[union-attr]
    assert "Nobody has shared" in cy.type("reflections shared").replies[0].text
    reflect(cy, went_well="Mini whiteboards everywhere", visibility="wall")
    wall = ana.type("reflections wall").replies[0]
    rendered = json.dumps([str(b) for b in wall.blocks])
    assert "Mini whiteboards" in rendered and "Cy Diaz" not in rendered


def test_list_edit_and_delete_only_ones_own(app: Staffroom, person: Person) -> None:
    setup_program(
        app, person, teachers={"Ana Lopez": "Europe/London", "Ben Okafor": "Europe/London"}
    )
    ana, ben = person("Ana Lopez"), person("Ben Okafor")
    reflect(ana, went_well="Seating plan helped")
    assert "You have no reflection 1" in ben.type("reflections delete 1").replies[0].text
    assert "You have no reflection 1" in ben.type("reflections edit 1").replies[0].text
    ana.type("reflections delete 1")
    ana.press(1)
    assert count(app, ReflectionRow) == 0


def test_export_my_data_and_forget_me(app: Staffroom, person: Person) -> None:
    setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    app.clock.set(datetime(2026, 11, 24, 15, 30, tzinfo=UTC))  # type: ignore[attr-defined]
    assert plan(app).sent == 1
    ana = person("Ana Lopez")
    reflect(ana, went_well="Retrieval practice starter")
    ana.type("export-my-data")
    outcome = ana.press(1)
    (attachment,) = outcome.replies[0].attachments
    data = json.loads(attachment.content)
    assert set(data) == {
        "exported_at",
        *("profile", "programs"),  # members
        *("pairings", "pairing_rules"),
        *("checkins", "support_requests"),
        "reflections",
        *("messages_to_you", "platform_records"),  # privacy
        *("observations", "free_periods"),
        *("resources_shared", "resource_marks"),
        "lesson_studies",
    }
    assert data["profile"]["name"] == "Ana Lopez"
    assert data["programs"] == [{"program": "PLC", "role": "peer"}]
    assert data["reflections"][0]["went_well"] == "Retrieval practice starter"
    assert data["checkins"][0]["week"] == "2026-W48"
    ana.type("forget-me")
    assert "erase" in ana.buttons[0].label
    ana.press(1)
    (row,) = fetch_all(app, MemberRow, MemberRow.id == member_id(app, "Former member"))
    assert (row.email, row.goals, row.status) == (None, [], "opted_out")
    assert count(app, ReflectionRow) == 0
    assert count(app, CheckinRow) == 1  # the anonymous count stays
    assert "Type `join`" in ana.type("profile").replies[0].text


def test_calendar_is_for_coordinators(app: Staffroom, person: Person) -> None:
    coordinator = setup_program(app, person, teachers={"Ana Lopez": "Europe/London"})
    refused = person("Ana Lopez").type("calendar holiday 2026-12-24")
    assert not refused.ok and "coordinators" in refused.replies[0].text
    coordinator.type("calendar holiday 2026-12-21 2027-01-01 name=Winter")
    shown = coordinator.type("calendar").replies[0].text
    assert "Winter" in shown and "Mon 21 Dec 2026 to Fri 01 Jan 2027" in shown
    bad = coordinator.type("calendar term 2027-03-01 2027-01-01")
    assert "ends" in bad.replies[0].text


def test_forget_me_erases_the_copies_of_a_reflection_shared_with_a_mentor(
    app: Staffroom, person: Person
) -> None:
    setup_program(
        app, person, teachers={"Ana Lopez": "Europe/London", "Ben Okafor": "Europe/London"}
    )
    pair(app, 1, member_id(app, "Ana Lopez"), member_id(app, "Ben Okafor"))
    ana = person("Ana Lopez")
    reflect(ana, went_well="Seating plan finally works", visibility="mentor")
    reflect(ana, went_well="Parents evening nerves", visibility="mentor")
    before = outbox(app, "reflection-shared:")
    assert len(before) == 2 and "Seating plan" in json.dumps([r.payload for r in before])

    ana.type("forget-me")
    ana.press(1)

    after = outbox(app, "reflection-shared:")
    assert all(r.status == "sent" for r in after)  # nothing quoting her is still to be delivered
    stored = json.dumps([r.payload for r in after])
    assert "Seating plan" not in stored and "Parents evening" not in stored
    assert "Ana Lopez" not in stored
