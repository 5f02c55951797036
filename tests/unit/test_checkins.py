"""The weekly check-in: planned by the scheduler's own job with a manual clock, answered with a tap."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.checkins.model import Checkin, CheckinStatus
from bot.checkins.planner import PlanReport
from tests.unit.school import School, Teacher

LONDON, NEW_YORK = "Europe/London", "America/New_York"


def school_with_program(
    start: datetime, settings: str = "day=tue time=15:30", **teachers: str
) -> tuple[School, Teacher, dict[str, Teacher]]:
    """A coordinator's peer program ``PLC`` with each teacher (first name -> time zone) in it."""
    school = School(start)
    cora = school.coordinator()
    assert cora.say(f"program create PLC kind=peer {settings}").ok, cora.text
    people = {}
    for first, tz in teachers.items():
        name = f"{first.capitalize()} Teacher"
        people[first] = school.teacher(name, timezone=tz)
        assert cora.say(f'program add PLC "{name}" as peer').ok, cora.text
    return school, cora, people


def plan_at(school: School, moment: datetime) -> PlanReport:
    school.clock.set(moment)
    report = school.run_job("checkins.plan")
    assert isinstance(report, PlanReport) and report.errors == []
    return report


def checkins_of(school: School, who: Teacher) -> list[Checkin]:
    member = school.member(who)
    assert member.id is not None
    with school.scope() as repos:
        return list(reversed(repos.checkins.for_member(member.id)))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_check_ins_keep_local_time_when_the_clocks_change_on_either_side_of_the_atlantic() -> None:
    # London leaves summer time on 25 October 2026, New York on 1 November.
    school, _cora, people = school_with_program(utc(2026, 10, 19), ana=LONDON, ben=NEW_YORK)
    ana, ben = people["ana"], people["ben"]
    expected_utc = {
        # week: (London 15:30 in UTC, New York 15:30 in UTC)
        "2026-W43": (utc(2026, 10, 20, 14, 30), utc(2026, 10, 20, 19, 30)),
        "2026-W44": (utc(2026, 10, 27, 15, 30), utc(2026, 10, 27, 19, 30)),
        "2026-W45": (utc(2026, 11, 3, 15, 30), utc(2026, 11, 3, 20, 30)),
    }
    for london_due, new_york_due in expected_utc.values():
        for due, teacher in ((london_due, ana), (new_york_due, ben)):
            before = len(school.messages_to(teacher))
            plan_at(school, due.replace(minute=due.minute - 1))
            assert len(school.messages_to(teacher)) == before, f"sent before {due}"
            plan_at(school, due)
            assert len(school.messages_to(teacher)) == before + 1, f"not sent at {due}"

    for teacher, tz, column in ((ana, LONDON, 0), (ben, NEW_YORK, 1)):
        rows = checkins_of(school, teacher)
        assert [r.week for r in rows] == list(expected_utc)
        assert [r.due_at for r in rows] == [due[column] for due in expected_utc.values()]
        assert {r.due_at.astimezone(ZoneInfo(tz)).strftime("%a %H:%M") for r in rows} == {
            "Tue 15:30"
        }
    assert [
        r.idempotency_key for r in school.outbox("checkin:") if r.recipient_user_id == ana.user_id
    ] == [f"checkin:1:{school.member(ana).id}:2026-W{week}" for week in (43, 44, 45)]


def test_the_check_in_message_offers_one_tap_answers() -> None:
    school, _cora, people = school_with_program(utc(2026, 11, 23), ana=LONDON)
    plan_at(school, utc(2026, 11, 24, 15, 30))
    (message,) = school.messages_to(people["ana"])
    assert message.text.splitlines()[:2] == [
        "Hi Ana! Your weekly PLC check-in (under a minute).",
        "How confident do you feel about “Ask more open questions” this week? (1-5)",
    ]
    assert [b.label for b in message.buttons()] == [
        "1 · not yet",
        "2",
        "3",
        "4",
        "5 · very",
        "Answer this week's questions",
        "I'd like some support",
        "Snooze to tomorrow",
        "Skip this week",
    ]
    assert not message.ephemeral


def test_planning_twice_at_the_same_minute_sends_once() -> None:
    school, _cora, people = school_with_program(utc(2026, 11, 23), ana=LONDON)
    first = plan_at(school, utc(2026, 11, 24, 15, 30))
    second = plan_at(school, utc(2026, 11, 24, 15, 30))
    assert (first.sent, second.sent) == (1, 0)
    assert len(school.messages_to(people["ana"])) == 1
    assert len(checkins_of(school, people["ana"])) == 1


def test_nothing_is_sent_in_quiet_hours_it_waits_for_the_morning() -> None:
    school, _cora, people = school_with_program(
        utc(2026, 11, 23), settings="day=tue time=21:30", ana=LONDON
    )
    ana = people["ana"]
    plan_at(school, utc(2026, 11, 24, 21, 30))
    plan_at(school, utc(2026, 11, 25, 6, 59))
    assert school.messages_to(ana) == []
    plan_at(school, utc(2026, 11, 25, 7, 0))
    assert len(school.messages_to(ana)) == 1
    (row,) = checkins_of(school, ana)
    assert row.due_at.astimezone(ZoneInfo(LONDON)).strftime("%a %H:%M") == "Wed 07:00"


def test_a_paused_teacher_gets_no_check_in_and_one_who_comes_back_does() -> None:
    school, _cora, people = school_with_program(utc(2026, 11, 23), ana=LONDON, ben=LONDON)
    ana, ben = people["ana"], people["ben"]
    assert ana.say("pause until 2026-11-27").ok
    plan_at(school, utc(2026, 11, 24, 15, 30))
    assert school.messages_to(ana) == []
    assert len(school.messages_to(ben)) == 1
    plan_at(school, utc(2026, 12, 1, 15, 30))
    assert len(school.messages_to(ana)) == 1


def test_rating_stores_the_answer_and_compares_with_last_time() -> None:
    school, _cora, people = school_with_program(utc(2026, 11, 23), ana=LONDON)
    ana = people["ana"]
    plan_at(school, utc(2026, 11, 24, 15, 30))
    ana.press(ana.button("4", school.messages_to(ana)))
    assert ana.text == (
        "Thanks: 4/5 on “Ask more open questions”. That's your first answer on record; next "
        "time I'll show you how it compares."
    )
    assert [b.label for b in ana.shown[0].buttons()] == [
        "Answer this week's questions",
        "Write a reflection",
        "I'd like some support",
    ]
    (row,) = checkins_of(school, ana)
    assert (row.status, row.confidence, row.answered_at) == (
        CheckinStatus.ANSWERED,
        4,
        utc(2026, 11, 24, 15, 30),
    )

    plan_at(school, utc(2026, 12, 1, 15, 30))
    next_week = school.messages_to(ana)[-1]
    assert "Last week: 4/5." in next_week.text
    ana.press(ana.button("5 · very", [next_week]))
    assert ana.text.startswith("Thanks: 5/5 on “Ask more open questions”. That's up from 4/5")


def test_snoozing_asks_again_tomorrow_once() -> None:
    school, _cora, people = school_with_program(utc(2026, 11, 23), ana=LONDON)
    ana = people["ana"]
    plan_at(school, utc(2026, 11, 24, 15, 30))
    snooze = ana.button("Snooze to tomorrow", school.messages_to(ana))
    school.clock.set(utc(2026, 11, 24, 16, 0))
    ana.press(snooze)
    assert ana.text == "Snoozed. I'll ask again Wednesday at 15:30 your time."
    (row,) = checkins_of(school, ana)
    assert (row.status, row.due_at) == (CheckinStatus.SNOOZED, utc(2026, 11, 25, 15, 30))

    plan_at(school, utc(2026, 11, 25, 15, 29))
    assert len(school.messages_to(ana)) == 1
    plan_at(school, utc(2026, 11, 25, 15, 30))
    again = school.messages_to(ana, "checkin:")[-1]
    assert again.text.startswith("Hi Ana, here is your check-in again, as you asked.")
    assert "Snooze to tomorrow" not in [b.label for b in again.buttons()]

    ana.press(snooze)
    assert ana.text == "This check-in was already snoozed once; answer or skip it when you can."


def test_nobody_can_answer_someone_elses_check_in() -> None:
    school, _cora, people = school_with_program(utc(2026, 11, 23), ana=LONDON, ben=LONDON)
    ana, ben = people["ana"], people["ben"]
    plan_at(school, utc(2026, 11, 24, 15, 30))
    outcome = ben.press(ana.button("2", school.messages_to(ana)))
    assert not outcome.ok
    assert (
        ben.text == "That check-in isn't one of yours any more. Type `checkin` to see this week's."
    )
    (row,) = checkins_of(school, ana)
    assert (row.status, row.confidence) == (CheckinStatus.SENT, None)


def test_the_coordinator_sees_counts_and_averages_never_text() -> None:
    teachers = dict.fromkeys(("ana", "ben", "cy", "dee", "eve", "flo"), LONDON)
    school, cora, people = school_with_program(utc(2026, 11, 23), **teachers)
    plan_at(school, utc(2026, 11, 24, 15, 30))
    for first, rating in zip(("ana", "ben", "cy", "dee", "eve"), "34443", strict=True):
        people[first].press(people[first].button(rating, school.messages_to(people[first])))
    school.clock.set(utc(2026, 11, 30, 9))  # the week is over: its figures can be shown
    cora.say("checkins PLC")
    assert cora.text == (
        "*PLC* (last 4 weeks): 6 check-ins sent, 5 answered (83%), average confidence 3.6/5; "
        "reflections: 0 private, 0 shared with mentors or groups, 0 on the wall."
    )


def test_a_program_of_fewer_than_five_shows_no_figure_that_could_single_one_out() -> None:
    """With two teachers, "average 3.0/5, 1 answered" is Ana's rating to anyone who knows Ben's
    silence; four answering of six would be a count, but their average is one of them too many."""
    school, cora, people = school_with_program(utc(2026, 11, 23), ana=LONDON, ben=LONDON)
    plan_at(school, utc(2026, 11, 24, 15, 30))
    people["ana"].press(people["ana"].button("3", school.messages_to(people["ana"])))
    school.clock.set(utc(2026, 11, 30, 9))  # the week is over: its figures can be shown
    cora.say("checkins PLC")
    assert cora.text == (
        "*PLC* (last 4 weeks): check-ins withheld (fewer than 5 people); "
        "reflections: withheld (fewer than 5 people)."
    )

    teachers = dict.fromkeys(("ana", "ben", "cy", "dee", "eve", "flo"), LONDON)
    school, cora, people = school_with_program(utc(2026, 11, 23), **teachers)
    plan_at(school, utc(2026, 11, 24, 15, 30))
    for first in ("ana", "ben", "cy", "dee"):
        people[first].press(people[first].button("4", school.messages_to(people[first])))
    school.clock.set(utc(2026, 11, 30, 9))  # the week is over: its figures can be shown
    cora.say("checkins PLC")
    assert cora.text.startswith(
        "*PLC* (last 4 weeks): 6 check-ins sent, 4 answered (66%), "
        "average confidence withheld (fewer than 5 people); reflections: 0 private"
    )


def test_the_first_check_in_claims_no_answer_until_one_is_given() -> None:
    school, _cora, people = school_with_program(utc(2026, 11, 23), ana=LONDON)
    ana = people["ana"]
    plan_at(school, utc(2026, 11, 24, 15, 30))
    (first,) = school.messages_to(ana, "checkin:")
    assert "on record" not in first.text and "on record" not in str(first.blocks)
    ana.press(ana.button("4", [first]))
    assert ana.text.startswith(
        "Thanks: 4/5 on “Ask more open questions”. That's your first answer on record; "
        "next time I'll show you how it compares."
    )


def test_a_teacher_reads_the_week_of_a_date_never_an_iso_week() -> None:
    school, _cora, people = school_with_program(utc(2026, 11, 23), ana=LONDON)
    ana = people["ana"]
    plan_at(school, utc(2026, 11, 24, 15, 30))
    ana.press(ana.button("4", school.messages_to(ana, "checkin:")))
    plan_at(school, utc(2026, 12, 1, 15, 30))
    plan_at(school, utc(2026, 12, 3, 15, 30))
    (reminder,) = school.messages_to(ana, "checkin-reminder:")
    ana.say("checkin history")
    history = ana.text
    ana.say("home")
    home = str(ana.shown[0].blocks)
    assert "PLC · week of 30 Nov" in str(reminder.blocks)
    assert "week of 23 Nov · PLC: 4/5" in history and "week of 30 Nov · PLC:" in history
    assert "Your last answer: 4/5 (week of 23 Nov)" in home
    for shown in (str(reminder.blocks), reminder.text, history, home):
        assert "2026-W" not in shown


def test_checkin_right_after_a_snooze_shows_the_snoozed_one_and_when_it_comes_back() -> None:
    school, _cora, people = school_with_program(utc(2026, 11, 23), ana=LONDON)
    ana = people["ana"]
    plan_at(school, utc(2026, 11, 24, 15, 30))
    snooze = ana.button("Snooze to tomorrow", school.messages_to(ana))
    school.clock.set(utc(2026, 11, 24, 16, 0))
    ana.press(snooze)
    ana.say("checkin")
    assert ana.text.startswith(
        "You snoozed this one: I'll bring it back Wednesday at 15:30 your time. "
        "Answer now if you like.\n"
    )
    assert "How confident do you feel" in ana.text
    ana.press(ana.button("3"))
    (row,) = checkins_of(school, ana)
    assert (row.status, row.confidence) == (CheckinStatus.ANSWERED, 3)
    plan_at(school, utc(2026, 11, 25, 15, 30))
    assert len(school.messages_to(ana, "checkin:")) == 1  # answered: it does not come back


def test_checkin_after_answering_says_so_and_offers_to_change_the_answers() -> None:
    school, _cora, people = school_with_program(utc(2026, 11, 23), ana=LONDON)
    ana = people["ana"]
    ana.say("checkin")
    assert ana.text.startswith("No check-in is waiting for you right now.")
    plan_at(school, utc(2026, 11, 24, 15, 30))
    ana.press(ana.button("4", school.messages_to(ana)))
    ana.say("checkin")
    assert ana.text == (
        "You've answered this week's check-in: 4/5 on “Ask more open questions”. Thank you! "
        "You can change your answers."
    )
    assert [b.label for b in ana.shown[0].buttons()] == ["Answer this week's questions"]
    school.clock.set(utc(2026, 12, 1, 9))  # a new week, its check-in not yet due
    ana.say("checkin")
    assert ana.text.startswith("No check-in is waiting for you right now.")


def test_a_mentors_question_reads_right_for_one_mentee_or_two() -> None:
    from bot.checkins.questions import Question, worded

    asked = Question("Anything {mentee} needs from you?")
    assert worded(asked, ["Bea"]).text == "Anything Bea needs from you?"
    assert worded(asked, ["Bea", "Emeka"]).text == "Anything Bea and Emeka need from you?"
    assert worded(asked, []).text == "Anything your mentee needs from you?"
    group = Question("What will you bring to {group}?")
    assert worded(group, [], ["Ben", "Cy", "Dee"]).text == "What will you bring to Ben, Cy and Dee?"
