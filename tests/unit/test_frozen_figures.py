"""Asking twice tells nothing: a week's figures appear once it is over, and never move again."""

from __future__ import annotations

from tests.unit.test_checkins import LONDON, plan_at, school_with_program, utc

SIX = dict.fromkeys(("ana", "ben", "cy", "dee", "eve", "flo"), LONDON)


def test_a_late_answer_does_not_move_a_closed_week() -> None:
    school, cora, people = school_with_program(utc(2026, 11, 23), **SIX)
    plan_at(school, utc(2026, 11, 24, 15, 30))
    for first, rating in zip(("ana", "ben", "cy", "dee", "eve"), "34443", strict=True):
        people[first].press(people[first].button(rating, school.messages_to(people[first])))

    cora.say("checkins PLC")  # Tuesday: the week is still open, so nothing of it is shown
    assert cora.text.startswith("*PLC* (last 4 weeks): no check-ins sent;"), cora.text

    school.clock.set(utc(2026, 11, 30, 9))  # Monday: last week has closed
    cora.say("checkins PLC")
    before = cora.text
    assert "6 check-ins sent, 5 answered (83%), average confidence 3.6/5" in before

    flo = people["flo"]
    assert flo.press(flo.button("1 · not yet", school.messages_to(flo))).ok  # Flo answers late, a 1
    cora.say("checkins PLC")
    assert cora.text == before  # the difference would have been Flo's rating


def test_a_week_too_small_to_show_stays_withheld_after_it_closes() -> None:
    four = dict.fromkeys(("ana", "ben", "cy", "dee"), LONDON)
    school, cora, people = school_with_program(utc(2026, 11, 23), **four)
    plan_at(school, utc(2026, 11, 24, 15, 30))
    for first in four:
        people[first].press(people[first].button("4", school.messages_to(people[first])))
    school.clock.set(utc(2026, 11, 30, 9))
    cora.say("checkins PLC")
    assert "check-ins withheld (fewer than 5 people)" in cora.text
    assert "4 answered" not in cora.text and "4/5" not in cora.text
