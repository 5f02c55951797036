"""Every figure of the digest against a program with a known history (tests/digest/history.py)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.digest.build import breakdowns, build_digest
from bot.digest.model import CheckinFigures, Digest, GroupCheckins
from bot.digest.render import csv_digest, html_digest, spreadsheet_safe, text_digest
from bot.digest.weeks import Week, parse_week, week_just_ended
from staffroom.bootstrap import Staffroom
from storage.models.checkins import CheckinRow
from storage.models.programs import MembershipRow
from storage.repositories import confidence_trend
from tests.conftest import Person
from tests.digest.history import PROGRAM, SECRET, add_teacher, build_history, nz

pytestmark = pytest.mark.postgres  # the figures are SQL aggregates


def digest_for(app: Staffroom, week: Week) -> Digest:
    with app.uow_factory() as uow:
        (ws,) = uow.workspaces.active_ids()
        repos = uow.scope(ws)
        program = repos.programs.by_name(PROGRAM)
        assert program is not None
        return build_digest(repos.digest, program, week, now=app.clock.now())


def names(people: object) -> list[str]:
    return [p.person.name for p in people]  # type: ignore[attr-defined]


def test_every_figure_of_a_known_week(app: Staffroom, person: Person) -> None:
    build_history(app, person)
    d = digest_for(app, parse_week("2026-W47"))

    assert d.people == 11
    assert [p.week for p in d.trend] == [f"2026-W{n}" for n in range(40, 48)]
    now, before = d.trend[-1], d.trend[-2]
    assert (now.sent, now.answered) == (11, 8)
    assert round(now.response_rate.value or 0, 2) == 72.73
    assert now.confidence.value == 29 / 8
    assert (before.sent, before.answered) == (11, 5)
    assert before.confidence.value == 3.0
    # Three people in W45: neither rate nor average is shown; weeks with nothing are empty, not zero.
    assert d.trend[-3].response_rate.withheld and d.trend[-3].confidence.withheld
    assert d.trend[0].response_rate.value is None and not d.trend[0].response_rate.withheld
    assert d.trend[0].sent == 0

    mentees, mentors = d.by_role
    # The privacy floor: a breakdown of 4 mentors is withheld, figures and all; and so are the 7
    # mentees, or the mentors' figures would be the total minus the mentees'.
    assert (mentees.group, mentees.people, mentors.group, mentors.people) == (
        "Mentees",
        None,
        "Mentors",
        None,
    )
    for rate in (
        mentors.response_rate,
        mentors.confidence,
        mentees.response_rate,
        mentees.confidence,
    ):
        assert rate.withheld and rate.value is None

    # What the breakdown was built from, as stored (never shown as such).
    with app.uow_factory() as uow:
        (ws,) = uow.workspaces.active_ids()
        raw = uow.scope(ws).digest.checkins_by_role(d.program_id, "2026-W47")
    assert raw == [
        GroupCheckins("mentee", CheckinFigures(7, 6, 21, 6, 7)),
        GroupCheckins("mentor", CheckinFigures(4, 2, 8, 2, 4)),
    ]

    assert (d.reflections.written, d.reflections.writers) == (10, 6)
    assert [(t.tag, t.members, t.reflections) for t in d.themes] == [("questioning", 5, 5)]
    assert (d.pairs.met, d.pairs.not_yet, d.pairs.cant, d.pairs.round_number) == (2, 2, 1, 2)
    assert (d.observations.requested, d.observations.completed, d.observations.unmatched) == (
        5,
        3,
        1,
    )
    assert d.resources.shared == 4
    assert [(r.title, r.marks, r.shared_by) for r in d.resources.most_helpful] == [
        ("Hinge questions deck", 3, "Ivy"),
        ("Exit tickets", 2, "Ana"),
    ]
    assert [(c.person.name, c.observed, c.shared, c.mentored) for c in d.recognition] == [
        ("Ivy", 1, 2, 1),
        ("Hal", 1, 0, 1),
        ("Ana", 0, 1, 0),
        ("Dev", 0, 1, 0),
        ("Kim", 1, 0, 0),
    ]
    assert [(n.person.name, n.kind) for n in d.needs_hand] == [
        ("Dev", "unreachable"),
        ("Fay", "undelivered"),
        ("Gus", "quiet"),
        ("Dev", "couldnt_meet"),  # Jo and Dev said "We can't"; Jo, a mentor, is not a need
        ("Eli", "left_without_mentor"),  # Kim, Eli's mentor, is paused
        ("Fay", "unmatched"),
        ("Gus", "unmatched"),
        ("Gus", "no_observer"),
    ]
    assert all(n.action for n in d.needs_hand)
    (dev,) = [n for n in d.needs_hand if n.kind == "couldnt_meet"]
    assert dev.action == (
        "`pair pin Maths Mentoring Dev with PERSON` puts them with someone in the next round"
    )


def test_what_the_coordinator_reads(app: Staffroom, person: Person) -> None:
    build_history(app, person)
    d = digest_for(app, parse_week("2026-W47"))
    text = " ".join(text_digest(d).split())  # the columns' padding aside
    assert "Week 47 (Mon 16 Nov to Sun 22 Nov 2026) (Pacific/Auckland), 11 teachers" in text
    assert "Check-in response 73% (8 of 11) ▲ 27pts on last week" in text
    assert "Average confidence 3.6 ▲ 0.6 on last week" in text
    assert "Reflections written 10 by 6 people" in text
    assert "Pairs 2 met, 2 not yet, 1 can't (round 2)" in text
    assert "Observations 5 requested, 3 completed, 1 unmatched" in text
    assert "Mentees: withheld (a group, or what is left of one, under 5 people" in text
    assert "Mentors: withheld (a group, or what is left of one, under 5 people" in text
    assert "02 Nov withheld (fewer than 5 people)" in text  # the week of Monday 2 November
    assert "#questioning: 5 people" in text
    assert "Resources shared 4" in text
    assert "Hinge questions deck (3 helpful marks), shared by Ivy" in text
    assert "Ivy: observed 1 lesson, shared 2 resources, met 1 mentee" in text
    assert "Gus: No check-in answer for 2+ weeks. Try: Send a friendly note" in text
    for shape in (text, csv_digest(d), html_digest(d, None)):
        assert SECRET not in shape
        assert "behaviour" not in shape  # a theme from 4 people is never shown
    csv = csv_digest(d)
    assert "Maths Mentoring,2026-W47,checkins,response_rate_pct,72.7" in csv
    assert "Maths Mentoring,2026-W47,by_role,Mentors:response_rate_pct,withheld" in csv
    assert "Maths Mentoring,2026-W47,by_role,Mentees:average_confidence,withheld" in csv
    assert "Mentors:people,4" not in csv
    assert "Maths Mentoring,2026-W47,pairs,cant,1" in csv


def test_the_csv_never_hands_a_spreadsheet_a_formula(app: Staffroom, person: Person) -> None:
    build_history(app, person)
    d = digest_for(app, parse_week("2026-W47"))
    hostile = replace(d, program_name='=HYPERLINK("https://evil.example","Open")')
    rows = list(csv.reader(io.StringIO(csv_digest(hostile))))
    assert rows[1][0] == '\'=HYPERLINK("https://evil.example","Open")'
    for prefix in ("+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert spreadsheet_safe(prefix) == "'" + prefix
    assert spreadsheet_safe(-3) == -3 and spreadsheet_safe("72.7") == "72.7"
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_the_week_is_the_programs_own(app: Staffroom, person: Person) -> None:
    """Monday 08:00 in Auckland is still Sunday in UTC: the week just ended there is W47, not W46."""
    build_history(app, person)
    assert week_just_ended(nz(23, 8), "Pacific/Auckland").label == "2026-W47"
    assert week_just_ended(nz(23, 8), "UTC").label == "2026-W46"
    start, end = parse_week("2026-W47").bounds("Pacific/Auckland")
    assert (start.isoformat(), end.isoformat()) == (
        "2026-11-15T11:00:00+00:00",
        "2026-11-22T11:00:00+00:00",
    )
    # Counted in UTC's week the edges would move: Eli's Monday-00:30 reflection would drop out and
    # Fay's next-Monday one would come in (6 people on "questioning"), and round 3 would be current.
    d = digest_for(app, parse_week("2026-W47"))
    assert d.reflections.written == 10
    assert d.themes[0].members == 5
    assert d.pairs.round_number == 2
    w48 = digest_for(app, parse_week("2026-W48"))
    assert (w48.reflections.written, w48.pairs.round_number, w48.pairs.met) == (1, 3, 1)


def test_breakdowns_withhold_small_groups_and_their_complement() -> None:
    def group(name: str, people: int, answers: int) -> GroupCheckins:
        return GroupCheckins(name, CheckinFigures(people, answers, 4 * answers, answers, people))

    shown = breakdowns([group("mentee", 7, 6), group("mentor", 6, 5), group("peer", 3, 3)])
    # 3 peers are withheld; alone they could be worked out from the total, so the 6 mentors go too.
    assert [(b.group, b.response_rate.value) for b in shown] == [
        ("Mentees", 6 / 7 * 100),
        ("Mentors", None),
        ("Peers", None),
    ]
    assert [b.confidence.withheld for b in shown] == [False, True, True]
    # Big enough groups are all shown; answers, not people, decide for confidence.
    shown = breakdowns([group("mentee", 9, 4), group("mentor", 8, 8), group("peer", 6, 6)])
    assert [b.response_rate.withheld for b in shown] == [False, False, False]
    assert [b.confidence.withheld for b in shown] == [True, False, True]
    assert shown[1].confidence.value == 4.0


def test_a_withheld_figure_shows_no_count_behind_it(app: Staffroom, person: Person) -> None:
    """Three people were sent W45's check-in: "withheld (0 of 3)" would say none of them answered."""
    build_history(app, person)
    w45 = digest_for(app, parse_week("2026-W45"))
    assert w45.this_week.response_rate.withheld
    assert (w45.this_week.sent, w45.this_week.answered) == (None, None)
    text = " ".join(text_digest(w45).split())
    assert "Check-in response withheld (fewer than 5 people) Average confidence" in text
    for shape in (text, html_digest(w45, None)):
        assert not re.search(r"\d+ of \d+", shape), shape
    # In any week's CSV, W45's row holds no count either, only the word.
    for week in ("2026-W45", "2026-W47"):
        rows = list(csv.reader(io.StringIO(csv_digest(digest_for(app, parse_week(week))))))
        w45_checkins = {r[3]: r[4] for r in rows if r[1] == "2026-W45" and r[2] == "checkins"}
        assert w45_checkins == dict.fromkeys(
            ("sent", "answered", "response_rate_pct", "average_confidence"), "withheld"
        )
    # A withheld group's size is not in the digest to be rendered at all.
    w47 = digest_for(app, parse_week("2026-W47"))
    assert [b.people for b in w47.by_role] == [None, None]


def test_a_closed_week_reads_the_same_after_a_role_change_and_a_late_answer(
    app: Staffroom, person: Person
) -> None:
    """Recomputed, the second read would differ by exactly the teacher who moved or answered late."""
    history = build_history(app, person)
    week = parse_week("2026-W47")

    def read() -> Digest:
        with app.uow_factory() as uow:
            (ws,) = uow.workspaces.active_ids()
            repos = uow.scope(ws)
            program = repos.programs.by_name(PROGRAM)
            assert program is not None
            digest = build_digest(repos.digest, program, week, now=app.clock.now())
            uow.commit()
            return digest

    first = read()
    with Session(app.engine) as s:
        for name in ("Ana", "Ben"):  # 5 mentees and 6 mentors now: both big enough to show
            membership = s.scalars(
                select(MembershipRow).where(MembershipRow.member_id == history.ids[name])
            ).one()
            membership.role = "mentor"
        late = s.scalars(
            select(CheckinRow).where(
                CheckinRow.week == "2026-W47", CheckinRow.answered_at.is_(None)
            )
        ).first()
        assert late is not None
        late.answered_at, late.confidence = app.clock.now(), 1
        s.commit()
    second = read()
    assert second.trend == first.trend
    assert second.by_role == first.by_role


def test_invited_not_started_and_falling_confidence_are_needs(
    app: Staffroom, person: Person
) -> None:
    from datetime import timedelta

    from storage.models.members import MemberRow

    build_history(app, person)
    with Session(app.engine) as s:
        pid = s.scalars(select(MembershipRow.program_id)).first()
        # imported, invited, never joined: no consent; the invitation waited for school hours
        add_teacher(
            s, "Lee", role="mentee", at=nz(10), invited_at=nz(11), timezone="Pacific/Auckland"
        )
        ana = s.scalars(select(MemberRow.id).where(MemberRow.display_name == "Ana")).one()
        for week, confidence in (("2026-W45", 5), ("2026-W46", 4), ("2026-W47", 2)):
            s.execute(  # Ana's answers become 5, 4, 2: falling over three check-ins
                CheckinRow.__table__.update()
                .where(CheckinRow.member_id == ana, CheckinRow.week == week)
                .values(confidence=confidence)
            )
        confidence_trend.refresh_program(s, pid)  # as storing each answer would have
        s.commit()
    app.clock.set(nz(22) + timedelta(hours=1))  # type: ignore[attr-defined]
    d = digest_for(app, parse_week("2026-W47"))
    by_kind = {(n.person.name, n.kind): n for n in d.needs_hand}
    lee = by_kind[("Lee", "not_started")]
    assert d.needs_hand[0] is lee  # at the top of the list
    assert lee.reason == "Invited 11 days ago and hasn't started yet"
    assert lee.action.startswith(f"Press Nudge for them in `program show {PROGRAM}`")
    assert ("Lee", "unmatched") in by_kind  # not in the round either
    assert ("Ana", "falling_confidence") in by_kind
    assert not [k for k in by_kind if k[1] == "falling_confidence" and k[0] != "Ana"]
    # Mentors with nobody this round (a free round) are never listed.
    assert not {"Hal", "Ivy", "Jo", "Kim"} & {
        n.person.name
        for n in d.needs_hand
        if n.kind in ("unmatched", "couldnt_meet", "left_without_mentor")
    }
