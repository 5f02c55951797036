"""Invitations keep school hours; one gentle reminder follows a few school days later, once; the
coordinator sees who hasn't started in ``program show`` and can nudge them, not nag them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.kernel.domain import MemberStatus
from bot.kernel.messages import Actions, Button, Section, unsaid
from tests.unit.school import School, Teacher

HEADER = "name,email,subjects,grades,years,timezone,role,platform_user_id"
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def import_roster(cora: Teacher, *people: Teacher, timezone: str = "Europe/London") -> None:
    assert cora.say("roster import PLC").ok, cora.text
    form = cora.form
    (program,) = [i.initial for i in form.inputs if i.name == "program"]
    rows = [
        f"{p.name},{p.name.split()[0].lower()}@school.example,Maths,9-10,4,{timezone},peer,{p.user_id}"
        for p in people
    ]
    csv = "\n".join((HEADER, *rows))
    assert cora.submit(form, {"program": program, "csv": csv, "skip_bad": "no"}).ok, cora.text


def plc(start: datetime = MONDAY) -> tuple[School, Teacher]:
    school = School(start)
    cora = school.coordinator()
    assert cora.say("program create PLC kind=peer day=tue time=15:30").ok, cora.text
    return school, cora


def test_an_invitation_sent_at_the_weekend_waits_for_school_hours_in_the_teachers_zone() -> None:
    school, cora = plc(datetime(2026, 11, 28, 22, 0, tzinfo=UTC))  # Saturday night
    dana = school.person("Dana Imported")
    yuki = school.person("Yuki Tanaka", timezone="Asia/Tokyo")
    import_roster(cora, dana)
    import_roster(cora, yuki, timezone="Asia/Tokyo")
    times = {r.recipient_user_id: r.next_attempt_at for r in school.outbox("invite:")}
    # Monday, at the program's 15:30, each in their own time zone.
    assert times[dana.user_id] == datetime(2026, 11, 30, 15, 30, tzinfo=UTC)
    assert times[yuki.user_id] == datetime(2026, 11, 30, 6, 30, tzinfo=UTC)


def test_one_gentle_reminder_goes_three_school_days_later_once_and_its_join_works() -> None:
    school, cora = plc()
    dana = school.person("Dana Imported")
    import_roster(cora, dana)
    school.clock.set(datetime(2026, 11, 26, 8, 59, tzinfo=UTC))  # Thursday, just before
    school.run_job("invitations.remind")
    assert school.messages_to(dana, "invite-reminder:") == []

    school.clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    report = school.run_job("invitations.remind")
    assert report.sent == 1
    (reminder,) = school.messages_to(dana, "invite-reminder:")
    assert reminder.text.startswith("Hi Dana, a gentle reminder: Your place is still waiting")
    assert "this is the only reminder I send" in reminder.text

    school.clock.advance(timedelta(days=8))  # more runs, more days: never a second one
    for _ in range(3):
        school.run_job("invitations.remind")
    assert len(school.messages_to(dana, "invite-reminder:")) == 1
    assert len(school.messages_to(dana)) == 2  # the invitation and the one reminder

    assert dana.press(dana.button("Join", [reminder])).ok, dana.text
    assert school.member(dana).consented_at == school.clock.now()


def test_school_days_are_counted_past_the_weekend_and_holidays() -> None:
    school, cora = plc(datetime(2026, 11, 26, 10, 0, tzinfo=UTC))  # Thursday
    assert cora.say('calendar holiday 2026-11-30 name="Staff day"').ok, cora.text
    dana = school.person("Dana Imported")
    import_roster(cora, dana)
    # Friday, (weekend), (Monday's staff day), Tuesday, Wednesday: the third school day.
    school.clock.set(datetime(2026, 12, 1, 23, 0, tzinfo=UTC))
    school.run_job("invitations.remind")
    assert school.messages_to(dana, "invite-reminder:") == []
    school.clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    school.run_job("invitations.remind")
    assert len(school.messages_to(dana, "invite-reminder:")) == 1


def test_nobody_who_joined_paused_left_or_cannot_be_reached_is_reminded() -> None:
    school, cora = plc()
    joins, pauses, leaves, gone = (
        school.person(n) for n in ("Ana Joins", "Ben Pauses", "Cy Leaves", "Dee Gone")
    )
    import_roster(cora, joins, pauses, leaves, gone)
    assert joins.press(joins.button("Join", school.messages_to(joins, "invite:"))).ok
    assert pauses.say("pause until 2027-01-04").ok, pauses.text
    assert leaves.say("leave").ok, leaves.text
    with school.scope(commit=True) as repos:  # their account was deactivated
        member = repos.members.by_platform_user(gone.user_id)
        assert member is not None
        member.reachable = False
        repos.members.save(member)
    school.clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    report = school.run_job("invitations.remind")
    assert (report.sent, report.settled) == (0, 4)
    assert school.outbox("invite-reminder:") == []


def test_an_invited_teacher_on_a_pause_is_reminded_after_it_not_during_it() -> None:
    school, cora = plc()
    dana = school.person("Dana Imported")
    import_roster(cora, dana)
    with school.scope(commit=True) as repos:  # paused before she ever wrote (by her school)
        member = repos.members.by_platform_user(dana.user_id)
        assert member is not None
        member.status, member.paused_until = MemberStatus.PAUSED, datetime(2026, 12, 4).date()
        repos.members.save(member)
    school.clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    school.run_job("invitations.remind")
    assert school.outbox("invite-reminder:") == []
    school.clock.set(datetime(2026, 12, 7, 15, 30, tzinfo=UTC))  # the Monday after her pause
    school.run_job("invitations.remind")
    assert len(school.messages_to(dana, "invite-reminder:")) == 1


def _people_lines(cora: Teacher) -> list[str]:
    (shown,) = cora.shown
    return [unsaid(b.text) for b in shown.blocks if isinstance(b, Section) and not b.fields]


def test_program_show_lists_people_by_state_with_a_nudge_for_each_not_started() -> None:
    school, cora = plc()
    school.teacher("Ana Active")
    assert cora.say('program add PLC "Ana Active" as peer').ok, cora.text
    dana, eli, fay = (school.person(n) for n in ("Dana Waiting", "Eli Paused", "Fay Left"))
    import_roster(cora, dana, eli, fay)
    assert eli.say("pause until 2026-12-31").ok and fay.say("leave").ok
    school.clock.advance(timedelta(days=2))
    assert cora.say("program show PLC").ok, cora.text
    lines = _people_lines(cora)
    assert lines == [
        "*Active* (1): Ana Active",
        "*Invited, not started* (1)",
        "Dana Waiting: invited 2 days ago",
        "*Paused* (1): Eli Paused",
        "*Left* (1): Fay Left",
    ]
    (nudge,) = [b for m in cora.shown for b in m.buttons() if b.label == "Nudge"]
    assert nudge.description == "Send Dana Waiting one friendly reminder to join"
    assert [type(b).__name__ for b in cora.shown[0].blocks].count(Actions.__name__) == 1


def waiting_with_nudge() -> tuple[School, Teacher, Teacher, Button]:
    """Dana, invited this Monday morning, and the Nudge beside her in ``program show``."""
    school, cora = plc()
    dana = school.person("Dana Waiting")
    import_roster(cora, dana)
    assert cora.say("program show PLC").ok
    return school, cora, dana, cora.button("Nudge")


def test_a_nudge_sends_one_reminder_and_a_second_within_days_is_kindly_refused() -> None:
    school, cora, dana, nudge = waiting_with_nudge()
    refused = cora.press(nudge)  # the invitation went this morning
    assert not refused.ok
    assert "heard from Staffroom today, so I'll let them be for now" in cora.text
    assert "nudge them again from Thu 26 Nov" in cora.text

    school.clock.set(datetime(2026, 11, 25, 10, 0, tzinfo=UTC))  # Wednesday: still too soon
    assert not cora.press(nudge).ok
    school.clock.set(datetime(2026, 11, 26, 9, 30, tzinfo=UTC))
    assert cora.press(nudge).ok, cora.text
    assert cora.text == "Nudged Dana Waiting: one friendly reminder goes now, with a Join button."
    assert cora.press(nudge).ok is False  # pressed twice: one message
    (sent,) = school.messages_to(dana, "invite-nudge:")
    assert "Cora Coordinator hoped you'd join in *PLC*" in sent.text
    # The nudge was their reminder: the scheduled one does not follow it.
    school.run_job("invitations.remind")
    assert school.outbox("invite-reminder:") == []
    assert cora.say("program show PLC").ok
    assert "Dana Waiting: invited 3 days ago; reminded Thu 26 Nov" in _people_lines(cora)


def test_only_coordinators_nudge_and_someone_who_joined_needs_none() -> None:
    school, cora, dana, nudge = waiting_with_nudge()
    ben = school.teacher("Ben Curious")
    assert not ben.press(nudge).ok and "for programme coordinators" in ben.text
    assert dana.say("help").ok  # her first message is her consent
    assert school.member(dana).consented_at is not None
    school.clock.advance(timedelta(days=4))
    assert cora.press(nudge).ok
    assert cora.text == "Good news: Dana Waiting has already joined PLC."
    assert school.outbox("invite-nudge:") == []
    assert not cora.press(type(nudge)("Nudge", nudge.action_id, "999:1")).ok
    assert "That button has expired" in cora.text


def test_an_imported_teachers_first_hi_welcomes_them_and_keeps_their_consent() -> None:
    school, cora = plc()
    dana = school.person("Dana Imported")
    import_roster(cora, dana)
    assert dana.say("hi").ok, dana.text
    assert dana.text.startswith("Welcome to Staffroom, Dana! You're in PLC: from now on")
    assert "I don't know the command" not in dana.text
    assert school.member(dana).consented_at == school.clock.now()
    # From then on an unknown word is just that.
    assert not dana.say("hi").ok
    assert dana.text.startswith("I don't know the command `hi`.")


def test_a_first_message_that_is_a_real_but_refused_request_still_welcomes_and_says_why() -> None:
    school, cora = plc()
    eli = school.person("Eli Imported")
    import_roster(cora, eli)
    assert eli.say("pause until someday").ok
    assert eli.text.startswith("Welcome to Staffroom, Eli!")
    assert "pause" in eli.text.split("\n\n", 1)[1]  # what was wrong with the pause, after it
    assert school.member(eli).consented_at is not None
    assert school.member(eli).status is MemberStatus.ACTIVE  # the refused pause changed nothing


def test_program_show_pages_a_long_list_and_keeps_every_count_whole() -> None:
    school, cora = plc()
    names = [f"Teacher {i:02d}" for i in range(35)]
    for name in names:
        school.teacher(name)
        assert cora.say(f'program add PLC "{name}" as peer').ok, cora.text
    waiting = [school.person(f"{chr(65 + i)}ly Waiting") for i in range(12)]
    import_roster(cora, *waiting)
    assert cora.say("program show PLC").ok, cora.text
    lines = _people_lines(cora)
    assert lines[0] == "*Active* (35): " + ", ".join(names[:30]) + " and 5 more"
    assert lines[1] == "*Invited, not started* (12)"
    (shown,) = cora.shown
    assert (
        shown.blocks[-1].text == 'Page 1 of 2 of names: `program show "PLC" page=2` shows the next.'
    )
    assert cora.say("program show PLC page=2").ok, cora.text
    assert _people_lines(cora) == [
        "*PLC*: its people, page 2",
        "*Active* (35): " + ", ".join(names[30:]),
        "*Invited, not started* (12): Kly Waiting: invited today; Lly Waiting: invited today",
    ]
    assert cora.say("program show PLC page=3").ok
    assert _people_lines(cora)[1] == "There are 2 pages of names."
    assert not cora.say("program show PLC page=none").ok
