"""One contract, two implementations: every assertion here runs against the in-memory fakes of the unit
tier and against the SQL repositories (SQLite, and PostgreSQL when configured), so they cannot drift.

The SQL side is reached only through the ``app`` fixture's unit of work factory, as the core reaches it.
Only one unit of work is open at a time: SQLite takes its write lock when a transaction begins.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.calendar.model import CalendarEntry, CalendarKind
from bot.checkins.model import Checkin, CheckinStatus
from bot.kernel.clock import ManualClock
from bot.kernel.domain import (
    EmailSource,
    Member,
    Membership,
    MemberStatus,
    Platform,
    Program,
    ProgramKind,
    ProgramRole,
    Role,
    RollState,
)
from bot.kernel.messages import text_message
from bot.kernel.ports import Scope, UnitOfWork, UnitOfWorkFactory
from bot.pairing.model import pair_key
from bot.pairing.ports import MetStatus, PairingRecord, RoundRecord, RuleKind
from bot.reflections.model import Reflection, Visibility
from tests.support.fakes import FakeUnitOfWorkFactory, InMemoryDatabase

pytestmark = pytest.mark.postgres  # the repositories' SQL, held to one contract on both databases

LONDON = ZoneInfo("Europe/London")


def teacher(name: str, user_id: str, **fields: Any) -> Member:
    return Member(workspace_id=0, platform_user_id=user_id, display_name=name, **fields)


def bulk_outbox(repos: Scope) -> Any:
    """The outbox's many-row writer, wherever the scope keeps it (one outbox writer, or two)."""
    return repos.outbox if hasattr(repos.outbox, "enqueue_many") else repos.outbox_bulk


class Contract:
    """What every implementation of the core's repositories must do. Subclasses give ``factory``."""

    @pytest.fixture
    def factory(self) -> UnitOfWorkFactory:
        raise NotImplementedError

    @pytest.fixture
    def uow(self, factory: UnitOfWorkFactory) -> Iterator[UnitOfWork]:
        with factory() as uow:
            yield uow

    @pytest.fixture
    def repos(self, uow: UnitOfWork) -> Scope:
        return uow.scope(uow.workspaces.ensure(Platform.SLACK, "T-HILL", "Hillcrest").id)

    @pytest.fixture
    def other(self, uow: UnitOfWork) -> Scope:
        """Another school in the same database."""
        return uow.scope(uow.workspaces.ensure(Platform.SLACK, "T-NORTH", "North High").id)

    @contextmanager
    def school(self, factory: UnitOfWorkFactory, *, commit: bool) -> Iterator[Scope]:
        with factory() as uow:
            yield uow.scope(uow.workspaces.ensure(Platform.SLACK, "T-HILL", "Hillcrest").id)
            if commit:
                uow.commit()

    # --- the unit of work ---------------------------------------------------------------------

    def test_what_is_not_committed_is_not_stored(self, factory: UnitOfWorkFactory) -> None:
        with self.school(factory, commit=True) as repos:
            repos.members.add(teacher("Ana Lopez", "U1"))
        with self.school(factory, commit=False) as repos:
            repos.members.add(teacher("Ben Okafor", "U2"))
        with self.school(factory, commit=False) as repos:
            assert [m.display_name for m in repos.members.list()] == ["Ana Lopez"]

    def test_rollback_discards_and_the_unit_of_work_goes_on(
        self, factory: UnitOfWorkFactory
    ) -> None:
        with factory() as uow:
            repos = uow.scope(uow.workspaces.ensure(Platform.SLACK, "T-HILL", "Hillcrest").id)
            uow.commit()
            repos.members.add(teacher("Ana Lopez", "U1"))
            uow.rollback()
            assert repos.members.list() == []
            repos.members.add(teacher("Ben Okafor", "U2"))
            uow.commit()
            repos.members.add(teacher("Cal Reyes", "U3"))
        with self.school(factory, commit=False) as repos:
            assert [m.display_name for m in repos.members.list()] == ["Ben Okafor"]

    def test_a_member_changed_but_not_saved_is_unchanged(self, factory: UnitOfWorkFactory) -> None:
        with self.school(factory, commit=True) as repos:
            added = repos.members.add(teacher("Ana Lopez", "U1", goals=["Questioning"]))
            added.goals.append("Behaviour")
            read = repos.members.by_platform_user("U1")
            assert read is not None
            read.display_name = "Somebody Else"
        with self.school(factory, commit=False) as repos:
            stored = repos.members.by_platform_user("U1")
            assert stored is not None
            assert (stored.display_name, stored.goals) == ("Ana Lopez", ["Questioning"])

    def test_a_workspace_that_does_not_exist_has_no_scope(self, uow: UnitOfWork) -> None:
        with pytest.raises(LookupError):
            uow.scope(987654)

    def test_a_unit_of_work_is_used_inside_its_block(self, factory: UnitOfWorkFactory) -> None:
        with pytest.raises(RuntimeError):
            factory().workspaces  # noqa: B018

    # --- workspaces ---------------------------------------------------------------------------------

    def test_a_workspace_is_made_once_for_each_platform_and_id(self, uow: UnitOfWork) -> None:
        first = uow.workspaces.ensure(Platform.SLACK, "T-HILL", "Hillcrest")
        again = uow.workspaces.ensure(Platform.SLACK, "T-HILL", "Renamed")
        teams = uow.workspaces.ensure(Platform.TEAMS, "T-HILL", "")
        assert again == first
        assert (first.name, first.active) == ("Hillcrest", True)
        assert teams.id != first.id and teams.name == "T-HILL"
        assert uow.workspaces.by_external_id(Platform.CONSOLE, "T-HILL") is None

    def test_only_active_workspaces_are_walked_in_id_order(self, uow: UnitOfWork) -> None:
        ids = [uow.workspaces.ensure(Platform.SLACK, f"T{n}", "").id for n in range(3)]
        uow.workspaces.set_active(ids[1], False)
        uow.workspaces.set_active(987654, False)  # nothing to do, nothing raised
        assert uow.workspaces.active_ids() == [ids[0], ids[2]]
        found = uow.workspaces.by_external_id(Platform.SLACK, "T1")
        assert found is not None and not found.active

    # --- members ------------------------------------------------------------------------------------

    def test_a_member_round_trips_with_times_in_utc(self, repos: Scope, clock: ManualClock) -> None:
        consented = datetime(2026, 7, 1, 9, 30, tzinfo=LONDON)
        added = repos.members.add(
            teacher(
                "Ana Lopez",
                "U1",
                email="ana@hill.org",
                timezone="Europe/London",
                role=Role.COORDINATOR,
                subjects=["Maths", "Physics"],
                grade_bands=["9-10"],
                school="Hillcrest",
                years_experience=4,
                goals=["Questioning"],
                strengths=["Behaviour"],
                status=MemberStatus.PAUSED,
                paused_until=date(2026, 12, 4),
                consented_at=consented,
                joined_at=consented,
                reachable=False,
            )
        )
        assert added.id is not None and added.workspace_id == repos.workspace_id
        got = repos.members.get(added.id)
        assert got == added
        assert got.consented_at == consented and got.consented_at.utcoffset() == timedelta(0)
        assert (got.role, got.status, got.paused_until, got.reachable) == (
            Role.COORDINATOR,
            MemberStatus.PAUSED,
            date(2026, 12, 4),
            False,
        )

    def test_find_by_user_id_email_or_name_but_never_a_guess(self, repos: Scope) -> None:
        ana = repos.members.add(
            teacher(
                "Ana Lopez", "U1", email="Ana.Lopez@Hill.org", email_source=EmailSource.PLATFORM
            )
        )
        repos.members.add(teacher("Sam Lee", "U2"))
        repos.members.add(teacher("sam lee", "U3"))
        repos.members.add(teacher("U1", "U4"))  # someone whose name is another's user id
        assert repos.members.find("U1") == ana
        assert repos.members.find(" @U1 ") == ana
        assert repos.members.find("ana.lopez@hill.org") == ana
        assert repos.members.find("ANA LOPEZ") == ana
        assert repos.members.find("Sam Lee") is None  # two of them: ambiguous
        assert repos.members.find("Ana") is None
        assert repos.members.find("  ") is None

    def test_an_address_someone_typed_finds_nobody_but_every_holder_is_listed(
        self, repos: Scope
    ) -> None:
        cora = repos.members.add(
            teacher("Cora Diaz", "pending:cora@hill.org", email="cora@hill.org")
        )
        cora.email_source = EmailSource.ROSTER
        repos.members.save(cora)
        typed = repos.members.add(
            teacher("Eve Black", "U9", email="Cora@Hill.org", email_source=EmailSource.SELF)
        )
        assert repos.members.find("cora@hill.org") == cora  # the roster's, not Eve's
        assert repos.members.get(typed.id or 0) == typed  # the source is stored
        assert repos.members.by_email("CORA@hill.org") == [cora, typed]
        cora.email_source = None
        repos.members.save(cora)
        assert repos.members.find("cora@hill.org") is None  # nobody vouches for it any more

    def test_names_and_emails_match_in_any_case_beyond_ascii(self, repos: Scope) -> None:
        elodie = repos.members.add(
            teacher("Élodie Martin", "U1", email="Élodie@École.fr", email_source=EmailSource.ROSTER)
        )
        program = repos.programs.add(Program(workspace_id=0, name="École d'été"))
        assert repos.members.find("élodie martin") == elodie
        assert repos.members.find("ÉLODIE@ÉCOLE.FR") == elodie
        assert repos.programs.by_name("ÉCOLE D'ÉTÉ") == program

    def test_a_programs_roll_counts_every_state_and_pages_each_in_its_order(
        self, repos: Scope
    ) -> None:
        program = repos.programs.add(Program(workspace_id=0, name="PLC"))
        assert program.id is not None
        now = datetime(
            2026, 11, 23, 10, 30, tzinfo=UTC
        )  # Sun 22 Nov in Pago Pago, Tue 24 in Kiritimati
        joined = now - timedelta(days=5)
        today, yesterday = now.date(), now.date() - timedelta(days=1)
        people = [  # name, time zone, status, paused until, consented, invited days ago
            ("bea", "Europe/London", MemberStatus.ACTIVE, None, True, None),
            ("Ana", "Europe/London", MemberStatus.ACTIVE, None, True, None),
            ("Émile", "Europe/Paris", MemberStatus.ACTIVE, None, True, None),
            ("Zed", "Europe/London", MemberStatus.PAUSED, None, True, None),
            ("Yan", "Europe/London", MemberStatus.PAUSED, today, True, None),
            ("Xia", "Pacific/Kiritimati", MemberStatus.PAUSED, today, True, None),  # back
            ("Wes", "Pacific/Pago_Pago", MemberStatus.PAUSED, yesterday, True, None),  # its day
            ("Val", "Europe/London", MemberStatus.PAUSED, yesterday, True, None),  # back
            ("Ula", "Not/AZone", MemberStatus.PAUSED, yesterday, True, None),  # UTC: back
            ("Tom", "Europe/London", MemberStatus.ACTIVE, None, False, 1),
            ("Sue", "Europe/London", MemberStatus.ACTIVE, None, False, 3),
            ("Ray", "Europe/London", MemberStatus.PAUSED, None, False, 3),
            ("Quy", "Europe/London", MemberStatus.OPTED_OUT, None, True, None),
            ("Cora", "Europe/London", MemberStatus.ACTIVE, None, True, None),  # coordinator
        ]
        ids = {}
        for i, (name, tz, status, until, consented, _days) in enumerate(people):
            added = repos.members.add(
                teacher(name, f"U{i}", timezone=tz, consented_at=joined if consented else None)
            )
            added.status, added.paused_until = status, until
            repos.members.save(added)
            assert added.id is not None
            ids[name] = added.id
            role = ProgramRole.COORDINATOR if name == "Cora" else ProgramRole.PEER
            repos.memberships.upsert(Membership(program.id, added.id, role))
        for name, *_rest, days in people:
            if days is not None:
                at = now - timedelta(days=days)
                repos.memberships.mark_invited(program.id, [(ids[name], at, at)])
        teaching = (ProgramRole.PEER, ProgramRole.MENTOR, ProgramRole.MENTEE)

        def names(**kw: Any) -> tuple[dict[RollState, int], dict[RollState, list[str]]]:
            roll = repos.memberships.roll(program.id or 0, teaching, now, **kw)
            shown = {s: [e.display_name for e in found] for s, found in roll.shown.items()}
            return roll.counts, shown

        counts, shown = names(first=10)
        assert counts == {
            RollState.ACTIVE: 6,
            RollState.PAUSED: 3,
            RollState.NOT_STARTED: 3,
            RollState.LEFT: 1,
        }
        assert shown[RollState.ACTIVE] == ["Ana", "bea", "Ula", "Val", "Xia", "Émile"]
        assert shown[RollState.PAUSED] == ["Wes", "Yan", "Zed"]
        assert shown[RollState.NOT_STARTED] == ["Ray", "Sue", "Tom"]
        assert shown[RollState.LEFT] == ["Quy"]
        offsets = {RollState.ACTIVE: 2, RollState.NOT_STARTED: 1, RollState.LEFT: 1}
        counts_2, shown_2 = names(first=2, offsets=offsets)
        assert counts_2 == counts  # whole counts on every page, even past a state's last one
        assert shown_2 == {
            RollState.ACTIVE: ["Ula", "Val"],
            RollState.PAUSED: ["Wes", "Yan"],
            RollState.NOT_STARTED: ["Sue", "Tom"],
        }
        assert repos.memberships.role_counts(program.id) == {
            ProgramRole.PEER: 13,
            ProgramRole.COORDINATOR: 1,
        }
        assert [
            m.display_name for m in repos.memberships.with_role(program.id, ProgramRole.COORDINATOR)
        ] == ["Cora"]

    def test_the_planner_reads_a_programs_zones_and_only_who_may_be_due(self, repos: Scope) -> None:
        program = repos.programs.add(Program(workspace_id=0, name="PLC"))
        assert program.id is not None
        ana, ben, cy, cora = (
            repos.members.add(teacher(name, uid, timezone=tz))
            for name, uid, tz in (
                ("Ana", "U1", "Europe/London"),
                ("Ben", "U2", "Asia/Tokyo"),
                ("Cy", "U3", "Asia/Tokyo"),  # not in the program
                ("Cora", "U4", "America/Chicago"),  # its coordinator
            )
        )
        assert ana.id and ben.id and cy.id and cora.id
        for who, role in ((ana, ProgramRole.PEER), (ben, ProgramRole.PEER)):
            repos.memberships.upsert(Membership(program.id, who.id or 0, role))
        repos.memberships.upsert(Membership(program.id, cora.id, ProgramRole.COORDINATOR))
        peers, active = (ProgramRole.PEER,), (MemberStatus.ACTIVE,)
        assert repos.members.program_zones(program.id, peers) == {"Europe/London", "Asia/Tokyo"}

        def ids(**kw: Any) -> list[int]:
            return [m.id or 0 for m in repos.members.in_program(program.id, peers, active, **kw)]

        assert ids() == [ana.id, ben.id]
        assert ids(timezones={"Europe/London"}) == [ana.id]
        assert ids(timezones={"Europe/London"}, member_ids={ben.id, cy.id}) == [ana.id, ben.id]
        assert ids(timezones=set()) == []

        due = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
        repos.checkins.add_many(
            [
                Checkin(program.id, ana.id, "2026-W48", due_at=due, sent_at=due),
                Checkin(program.id, ben.id, "2026-W48", due_at=due, sent_at=due, answered_at=due),
            ]
        )
        assert set(repos.checkins.for_weeks(program.id, ["2026-W48"], open_only=True)) == {
            (ana.id, "2026-W48")
        }
        assert set(repos.checkins.for_weeks(program.id, ["2026-W48"], member_ids={ben.id})) == {
            (ben.id, "2026-W48")
        }
        assert repos.checkins.for_weeks(program.id, ["2026-W48"], member_ids=set()) == {}

    def test_members_of_another_workspace_do_not_exist_here(
        self, repos: Scope, other: Scope
    ) -> None:
        theirs = other.members.add(
            teacher("Ana Lopez", "U1", email="ana@north.org", email_source=EmailSource.PLATFORM)
        )
        assert theirs.id is not None
        assert repos.members.get(theirs.id) is None
        assert repos.members.by_platform_user("U1") is None
        assert repos.members.find("ana@north.org") is None
        assert repos.members.list() == []
        with pytest.raises(LookupError):
            repos.members.save(theirs)
        ours = repos.members.add(teacher("Ana Lopez", "U1"))  # the same user id, another school
        assert ours.id != theirs.id

    def test_list_filters_by_status_in_id_order(self, repos: Scope) -> None:
        statuses = [MemberStatus.ACTIVE, MemberStatus.OPTED_OUT, MemberStatus.PAUSED]
        added = [
            repos.members.add(teacher(f"T{n}", f"U{n}", status=s)) for n, s in enumerate(statuses)
        ]
        assert repos.members.list() == added
        assert repos.members.list(()) == added
        assert repos.members.list((MemberStatus.PAUSED, MemberStatus.ACTIVE)) == [
            added[0],
            added[2],
        ]

    def test_save_writes_back_and_refuses_a_member_never_added(self, repos: Scope) -> None:
        ana = repos.members.add(teacher("Ana Lopez", "U1"))
        ana.goals = ["Hinge questions"]
        ana.status = MemberStatus.OPTED_OUT
        repos.members.save(ana)
        assert repos.members.get(ana.id or 0) == ana
        with pytest.raises(ValueError):
            repos.members.save(teacher("New", "U9"))
        with pytest.raises(LookupError):
            repos.members.save(teacher("Gone", "U9", id=987654))

    def test_one_member_a_platform_user_in_each_workspace(self, repos: Scope) -> None:
        repos.members.add(teacher("Ana Lopez", "U1"))
        with pytest.raises(Exception, match=r"(?i)unique|exists"):
            repos.members.add(teacher("Ana Again", "U1"))

    # --- programs -----------------------------------------------------------------------------------

    def test_programs_are_found_by_name_in_any_case_and_listed_by_name(
        self, repos: Scope, other: Scope, clock: ManualClock
    ) -> None:
        made = {
            name: repos.programs.add(Program(workspace_id=0, name=name))
            for name in ("Year 9 PLC", "Art Club", "Mentoring")
        }
        other.programs.add(Program(workspace_id=0, name="Book Club"))
        assert repos.programs.by_name("  year 9 plc ") == made["Year 9 PLC"]
        assert repos.programs.by_name("Year 9") is None
        assert repos.programs.by_name("Book Club") is None
        assert [p.name for p in repos.programs.list()] == ["Art Club", "Mentoring", "Year 9 PLC"]
        assert made["Art Club"].created_at == clock.now()
        assert made["Art Club"].workspace_id == repos.workspace_id

    def test_a_program_round_trips_and_save_keeps_when_it_was_made(
        self, repos: Scope, clock: ManualClock
    ) -> None:
        program = repos.programs.add(
            Program(
                workspace_id=0,
                name="Mentoring",
                kind=ProgramKind.MENTORING,
                cadence_weeks=3,
                checkin_weekday=2,
                checkin_time=time(16, 15),
                timezone="America/Chicago",
                group_size=4,
                questions=["What went well?"],
                settings={"quiet_hours": "21:00-06:00", "mentor_min_years": 7},
                active=False,
            )
        )
        assert repos.programs.get(program.id or 0) == program
        made = program.created_at
        clock.advance(timedelta(days=1))
        program.name, program.questions = "New Teacher Mentoring", ["A?", "B?"]
        repos.programs.save(program)
        stored = repos.programs.get(program.id or 0)
        assert stored is not None
        assert (stored.name, stored.questions, stored.created_at) == (
            "New Teacher Mentoring",
            ["A?", "B?"],
            made,
        )
        with pytest.raises(LookupError):
            repos.programs.save(Program(workspace_id=0, name="Never added"))

    def test_programs_of_another_workspace_do_not_exist_here(
        self, repos: Scope, other: Scope
    ) -> None:
        theirs = other.programs.add(Program(workspace_id=0, name="Book Club"))
        assert repos.programs.get(theirs.id or 0) is None
        with pytest.raises(LookupError):
            repos.programs.save(theirs)

    # --- memberships --------------------------------------------------------------------------------

    def test_upsert_adds_once_then_changes_role_and_capacity(
        self, repos: Scope, clock: ManualClock
    ) -> None:
        program = repos.programs.add(Program(workspace_id=0, name="Mentoring"))
        ana = repos.members.add(teacher("Ana Lopez", "U1"))
        ben = repos.members.add(teacher("Ben Okafor", "U2"))
        assert program.id and ana.id and ben.id
        first = repos.memberships.upsert(Membership(program.id, ana.id, ProgramRole.MENTEE))
        assert first.id is not None and first.joined_at == clock.now()
        clock.advance(timedelta(hours=1))
        changed = repos.memberships.upsert(
            Membership(program.id, ana.id, ProgramRole.MENTOR, capacity=2)
        )
        assert (changed.id, changed.joined_at, changed.role, changed.capacity) == (
            first.id,
            first.joined_at,
            ProgramRole.MENTOR,
            2,
        )
        second = repos.memberships.upsert(Membership(program.id, ben.id, ProgramRole.MENTEE))
        assert repos.memberships.for_program(program.id) == [changed, second]
        assert repos.memberships.for_member(ana.id) == [changed]
        assert repos.memberships.remove(program.id, ana.id)
        assert not repos.memberships.remove(program.id, ana.id)
        assert repos.memberships.for_program(program.id) == [second]

    def test_an_invitation_is_dated_once_and_its_reminder_is_due_then_settled(
        self, repos: Scope, other: Scope, clock: ManualClock
    ) -> None:
        program = repos.programs.add(Program(workspace_id=0, name="Mentoring"))
        ana = repos.members.add(teacher("Ana Lopez", "U1"))
        ben = repos.members.add(teacher("Ben Okafor", "U2"))
        assert program.id and ana.id and ben.id
        for who in (ana.id, ben.id):
            repos.memberships.upsert(Membership(program.id, who, ProgramRole.PEER))
        now = clock.now()
        repos.memberships.mark_invited(
            program.id,
            [(ana.id, now, now + timedelta(days=3)), (ben.id, now, now + timedelta(days=4))],
        )
        later = now + timedelta(days=1)  # invited again (a second import): nothing moves
        repos.memberships.mark_invited(program.id, [(ana.id, later, later + timedelta(days=3))])
        repos.memberships.upsert(Membership(program.id, ana.id, ProgramRole.MENTEE))
        (place,) = [m for m in repos.memberships.for_program(program.id) if m.member_id == ana.id]
        assert (place.invited_at, place.remind_at, place.reminded_at) == (
            now,
            now + timedelta(days=3),
            None,
        )
        assert repos.memberships.reminders_due(now + timedelta(days=2), 10) == []
        due = repos.memberships.reminders_due(now + timedelta(days=5), 10)
        assert [m.member_id for m in due] == [ana.id, ben.id]
        assert [
            m.member_id for m in repos.memberships.reminders_due(now + timedelta(days=5), 1)
        ] == [ana.id]
        assert other.memberships.reminders_due(now + timedelta(days=5), 10) == []
        repos.memberships.plan_reminder(program.id, ana.id, None, reminded_at=later)
        repos.memberships.plan_reminder(program.id, ben.id, now + timedelta(days=9))
        assert [
            m.member_id for m in repos.memberships.reminders_due(now + timedelta(days=5), 10)
        ] == []
        (place,) = [m for m in repos.memberships.for_program(program.id) if m.member_id == ana.id]
        assert (place.remind_at, place.reminded_at) == (None, later)

    # --- the outbox ---------------------------------------------------------------------------------

    def test_one_idempotency_key_one_message_in_each_workspace(
        self, repos: Scope, other: Scope, clock: ManualClock
    ) -> None:
        ana = repos.members.add(teacher("Ana Lopez", "U1"))
        now = clock.now()
        assert repos.outbox.enqueue(ana, text_message("first"), "k:1", now)
        assert not repos.outbox.enqueue(ana, text_message("second"), "k:1", now)
        elsewhere = other.members.add(teacher("Ana Lopez", "U1"))
        assert other.outbox.enqueue(elsewhere, text_message("theirs"), "k:1", now)
        assert [m["text"] for m in repos.privacy.messages_for(ana.id or 0)] == ["first"]
        (row,) = repos.privacy.messages_for(ana.id or 0)
        assert row == {
            "text": "first",
            "status": "pending",
            "created_at": now.astimezone(UTC).isoformat(),
            "sent_at": None,
        }

    def test_many_messages_in_one_go_skip_the_keys_already_used(
        self, repos: Scope, clock: ManualClock
    ) -> None:
        ana = repos.members.add(teacher("Ana Lopez", "U1"))
        ben = repos.members.add(teacher("Ben Okafor", "U2"))
        now = clock.now()
        repos.outbox.enqueue(ana, text_message("already"), "k:ana", now)
        bulk_outbox(repos).enqueue_many(
            [
                (ana, text_message("again"), "k:ana"),
                (ben, text_message("new"), "k:ben"),
                (ben, text_message("twice in the batch"), "k:ben"),
                (ana, text_message("another"), "k:ana:2"),
            ],
            now,
        )
        bulk_outbox(repos).enqueue_many([], now)
        assert [m["text"] for m in repos.privacy.messages_for(ana.id or 0)] == [
            "already",
            "another",
        ]
        assert [m["text"] for m in repos.privacy.messages_for(ben.id or 0)] == ["new"]
        assert not repos.outbox.enqueue(ben, text_message("later"), "k:ben", now)

    # --- the inbound log ----------------------------------------------------------------------------

    def test_a_delivery_id_is_new_once_in_each_workspace(
        self, repos: Scope, other: Scope, clock: ManualClock
    ) -> None:
        now = clock.now()
        assert repos.inbound.first_time("Ev-1", now)
        assert not repos.inbound.first_time("Ev-1", now + timedelta(minutes=5))
        assert other.inbound.first_time("Ev-1", now)
        long_id = "x" * 255
        assert repos.inbound.first_time(long_id + "-first", now)
        assert not repos.inbound.first_time(long_id + "-second", now)  # kept to 255 characters

    # --- check-ins ----------------------------------------------------------------------------------

    def people_in_a_program(self, repos: Scope, n: int = 2) -> tuple[int, list[int]]:
        program = repos.programs.add(Program(workspace_id=0, name="PLC"))
        members = [repos.members.add(teacher(f"T{i}", f"U{i}")) for i in range(n)]
        assert program.id is not None
        return program.id, [m.id or 0 for m in members]

    def test_one_check_in_a_member_a_week(self, repos: Scope, clock: ManualClock) -> None:
        program, (ana, ben) = self.people_in_a_program(repos)
        due = datetime(2026, 11, 24, 15, 30, tzinfo=LONDON)
        first = repos.checkins.add(Checkin(program, ana, "2026-W48", due_at=due, sent_at=due))
        assert first is not None and first.id is not None
        assert first.due_at == due and first.due_at.utcoffset() == timedelta(0)
        assert repos.checkins.add(Checkin(program, ana, "2026-W48", due_at=due)) is None
        assert repos.checkins.get(first.id) == first

        stored = repos.checkins.add_many(
            [
                Checkin(program, ana, "2026-W48", due_at=due, status=CheckinStatus.MISSED),
                Checkin(program, ben, "2026-W48", due_at=due, status=CheckinStatus.MISSED),
            ]
        )
        assert set(stored) == {(ana, "2026-W48"), (ben, "2026-W48")}
        assert stored[(ana, "2026-W48")] == first  # the row that was there, not the one offered
        assert stored[(ben, "2026-W48")].status is CheckinStatus.MISSED
        assert repos.checkins.add_many([]) == {}
        assert repos.checkins.for_weeks(program, ["2026-W48", "2026-W49"]) == stored
        assert repos.checkins.for_weeks(program, ["2026-W47"]) == {}

    def test_check_ins_are_read_newest_first_and_open_ones_by_id(self, repos: Scope) -> None:
        program, (ana, ben) = self.people_in_a_program(repos)
        monday = datetime(2026, 11, 2, 15, 30, tzinfo=UTC)
        weeks = {}
        for n, status in enumerate(
            [CheckinStatus.ANSWERED, CheckinStatus.SNOOZED, CheckinStatus.SENT]
        ):
            added = repos.checkins.add(
                Checkin(program, ana, f"2026-W{45 + n}", monday + timedelta(weeks=n), status=status)
            )
            assert added is not None
            weeks[added.week] = added
        bens = repos.checkins.add(Checkin(program, ben, "2026-W47", monday + timedelta(weeks=2)))
        assert [c.week for c in repos.checkins.for_member(ana)] == [
            "2026-W47",
            "2026-W46",
            "2026-W45",
        ]
        assert [c.week for c in repos.checkins.for_member(ana, limit=1)] == ["2026-W47"]
        since = monday + timedelta(weeks=1)
        assert repos.checkins.open_since(since) == [weeks["2026-W46"], weeks["2026-W47"], bens]
        assert repos.checkins.for_program(program, since) == [
            weeks["2026-W46"],
            weeks["2026-W47"],
            bens,
        ]
        assert len(repos.checkins.for_program(program)) == 4

    def test_saving_a_check_in_writes_back_its_answer(self, repos: Scope, other: Scope) -> None:
        program, (ana,) = self.people_in_a_program(repos, 1)
        due = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
        checkin = repos.checkins.add(Checkin(program, ana, "2026-W48", due))
        assert checkin is not None and checkin.id is not None
        checkin.status, checkin.confidence = CheckinStatus.ANSWERED, 4
        checkin.answered_at = due + timedelta(hours=1)
        checkin.snoozed_at = due + timedelta(minutes=5)
        repos.checkins.save(checkin)
        assert repos.checkins.get(checkin.id) == checkin
        assert other.checkins.get(checkin.id) is None
        with pytest.raises(LookupError):
            other.checkins.save(checkin)
        with pytest.raises(LookupError):
            repos.checkins.save(Checkin(program, ana, "2026-W49", due))

    # --- reflections --------------------------------------------------------------------------------

    def test_reflections_are_the_authors_newest_first(
        self, repos: Scope, clock: ManualClock
    ) -> None:
        program, (ana, ben) = self.people_in_a_program(repos)
        first = repos.reflections.add(Reflection(ana, went_well="One", program_id=program))
        same_time = repos.reflections.add(Reflection(ana, went_well="Two"))
        clock.advance(timedelta(hours=1))
        later = repos.reflections.add(Reflection(ana, went_well="Three", tag="Questioning"))
        repos.reflections.add(Reflection(ben, went_well="Ben's"))
        assert first.created_at == first.updated_at == clock.now() - timedelta(hours=1)
        assert [r.went_well for r in repos.reflections.for_member(ana)] == ["Three", "Two", "One"]
        assert repos.reflections.get(later.id or 0) == later

        clock.advance(timedelta(hours=1))
        first.went_well, first.visibility = "One, edited", Visibility.WALL
        repos.reflections.save(first)
        stored = repos.reflections.get(first.id or 0)
        assert stored is not None
        assert (stored.went_well, stored.visibility) == ("One, edited", Visibility.WALL)
        assert (stored.created_at, stored.updated_at) == (first.created_at, clock.now())
        assert same_time.id is not None

    def test_only_the_author_may_save_and_anyone_may_delete_by_id_once(self, repos: Scope) -> None:
        _program, (ana, ben) = self.people_in_a_program(repos)
        mine = repos.reflections.add(Reflection(ana, went_well="Mine"))
        mine.member_id = ben
        with pytest.raises(LookupError):
            repos.reflections.save(mine)
        assert repos.reflections.delete(mine.id or 0)
        assert not repos.reflections.delete(mine.id or 0)
        assert repos.reflections.get(mine.id or 0) is None

    def test_shared_reflections_and_their_counts_leave_drafts_out(self, repos: Scope) -> None:
        program, (ana, ben) = self.people_in_a_program(repos)
        elsewhere = repos.programs.add(Program(workspace_id=0, name="Other")).id
        add = repos.reflections.add
        wall = add(Reflection(ana, "Wall", visibility=Visibility.WALL, program_id=program))
        add(Reflection(ana, "Draft", visibility=Visibility.WALL, is_draft=True, program_id=program))
        other_wall = add(
            Reflection(ben, "Theirs", visibility=Visibility.WALL, program_id=elsewhere)
        )
        mentor = add(Reflection(ben, "Mentor", visibility=Visibility.MENTOR, program_id=program))
        add(Reflection(ben, "Private", program_id=program))
        assert repos.reflections.shared(Visibility.WALL) == [other_wall, wall]
        assert repos.reflections.shared(Visibility.WALL, program) == [wall]
        assert repos.reflections.shared(Visibility.MENTOR) == [mentor]
        assert repos.reflections.counts(program) == {"private": 1, "mentor": 1, "wall": 1}
        assert repos.reflections.counts() == {"private": 1, "mentor": 1, "wall": 2}
        assert repos.reflections.counts(987654) == {"private": 0, "mentor": 0, "wall": 0}

    # --- the school calendar ------------------------------------------------------------------------

    def test_a_program_follows_its_own_dates_and_the_whole_schools(self, repos: Scope) -> None:
        program, _people = self.people_in_a_program(repos, 0)
        other_program = repos.programs.add(Program(workspace_id=0, name="Other")).id
        add = repos.calendar.add
        half_term = add(CalendarEntry(CalendarKind.HOLIDAY, date(2026, 12, 1), date(2026, 12, 4)))
        term = add(CalendarEntry(CalendarKind.TERM, date(2026, 9, 1), date(2026, 12, 18), "Autumn"))
        inset = add(
            CalendarEntry(
                CalendarKind.HOLIDAY, date(2026, 11, 24), date(2026, 11, 24), program_id=program
            )
        )
        add(
            CalendarEntry(
                CalendarKind.HOLIDAY, date(2026, 10, 1), date(2026, 10, 1), "", other_program
            )
        )
        assert term.id is not None and term.label == "Autumn"
        assert repos.calendar.for_program(None) == [term, half_term]
        assert repos.calendar.for_program(program) == [term, inset, half_term]
        assert repos.calendar.remove(inset.id or 0)
        assert not repos.calendar.remove(inset.id or 0)
        assert repos.calendar.for_program(program) == [term, half_term]

    # --- privacy ------------------------------------------------------------------------------------

    def test_partners_are_everyone_who_shared_a_pairing_or_group(
        self, repos: Scope, clock: ManualClock
    ) -> None:
        program, (ana, ben, cal, dee) = self.people_in_a_program(repos, 4)
        now = clock.now()
        one = repos.pairing.create_round(program, 1, score=1.0, seed=7, now=now)
        two = repos.pairing.create_round(program, 2, score=2.0, seed=8, now=now)
        assert one is not None and two is not None
        repos.pairing.add_pairing(
            one, [(ana, "peer"), (ben, "peer"), (cal, "peer")], reason="r", score=1, now=now
        )
        repos.pairing.add_pairing(
            two, [(ana, "mentor"), (dee, "mentee")], reason="r", score=1, now=now
        )
        assert repos.privacy.partners(ana) == [ben, cal, dee]
        assert repos.privacy.partners(dee) == [ana]
        assert repos.privacy.partners(987654) == []

    def test_forgetting_drops_undelivered_messages_and_every_reflection(
        self, repos: Scope, clock: ManualClock
    ) -> None:
        _program, (ana_id, ben_id) = self.people_in_a_program(repos)
        ana, ben = repos.members.get(ana_id), repos.members.get(ben_id)
        assert ana is not None and ben is not None
        now = clock.now()
        repos.outbox.enqueue(ana, text_message("one"), "k:1", now)
        repos.outbox.enqueue(ana, text_message("two"), "k:2", now)
        repos.outbox.enqueue(ben, text_message("Ben's"), "k:3", now)
        repos.reflections.add(Reflection(ana_id, "A"))
        repos.reflections.add(Reflection(ana_id, "B", visibility=Visibility.WALL))
        repos.reflections.add(Reflection(ben_id, "C"))
        assert repos.privacy.cancel_pending_for(ana_id) == 2
        assert repos.privacy.messages_for(ana_id) == []
        assert [m["text"] for m in repos.privacy.messages_for(ben_id)] == ["Ben's"]
        assert repos.privacy.delete_reflections(ana_id) == 2
        assert repos.reflections.for_member(ana_id) == []
        assert [r.went_well for r in repos.reflections.for_member(ben_id)] == ["C"]

    # --- pairing ------------------------------------------------------------------------------------

    def test_rounds_are_numbered_once_and_the_latest_is_the_highest(
        self, repos: Scope, clock: ManualClock
    ) -> None:
        program, _people = self.people_in_a_program(repos, 0)
        now = clock.now()
        assert repos.pairing.last_round(program) is None
        two = repos.pairing.create_round(program, 2, score=3.5, seed=42, now=now)
        one = repos.pairing.create_round(program, 1, score=1.0, seed=1, now=now)
        assert repos.pairing.create_round(program, 2, score=9.9, seed=9, now=now) is None
        assert two is not None and one is not None
        assert (two.number, two.score, two.seed, two.published_at) == (2, 3.5, 42, now)
        assert repos.pairing.last_round(program) == two

    def test_recent_pairs_leave_out_those_who_never_met(
        self, repos: Scope, clock: ManualClock
    ) -> None:
        program, (a, b, c, d, e, f) = self.people_in_a_program(repos, 6)
        now = clock.now()
        rounds = {
            n: repos.pairing.create_round(program, n, score=1, seed=n, now=now) for n in (1, 2, 3)
        }
        one, two, three = rounds[1], rounds[2], rounds[3]
        assert one is not None and two is not None and three is not None

        def pair(round_: RoundRecord, *people: int) -> PairingRecord:
            members = [(p, "peer") for p in people]
            return repos.pairing.add_pairing(round_, members, reason="", score=1, now=now)

        pair(one, a, e)
        met, not_yet = pair(two, a, b), pair(two, c, d)
        group, cant = pair(three, b, c, f), pair(three, d, e)
        repos.pairing.set_met(met.id, MetStatus.MET)
        repos.pairing.set_met(not_yet.id, MetStatus.NOT_YET)
        repos.pairing.set_met(cant.id, MetStatus.CANT)
        latest = {pair_key(b, c), pair_key(b, f), pair_key(c, f)}
        assert repos.pairing.recent_pairs(program, 1) == latest
        assert repos.pairing.recent_pairs(program, 2) == latest | {pair_key(a, b)}
        assert repos.pairing.recent_pairs(program, 5) == latest | {pair_key(a, b), pair_key(a, e)}
        assert repos.pairing.recent_pairs(program, 0) == set()
        assert repos.pairing.pairings(three.id) == [group, repos.pairing.pairing(cant.id)]
        stored = repos.pairing.pairing(cant.id)
        assert stored is not None and stored.met_status == "cant"

    def test_a_members_pairings_oldest_first_and_their_reasons_erased(
        self, repos: Scope, other: Scope, clock: ManualClock
    ) -> None:
        program, (a, b, c) = self.people_in_a_program(repos, 3)
        now = clock.now()
        one = repos.pairing.create_round(program, 1, score=1, seed=1, now=now)
        two = repos.pairing.create_round(program, 2, score=1, seed=2, now=now)
        assert one is not None and two is not None
        first = repos.pairing.add_pairing(
            one, [(a, "mentor"), (b, "mentee")], reason="A and B teach Maths", score=1, now=now
        )
        second = repos.pairing.add_pairing(
            two, [(c, "mentor"), (a, "mentee")], reason="C and A", score=1, now=now
        )
        assert first.members == ((a, "mentor"), (b, "mentee"))
        assert repos.pairing.for_member(a) == [(one, first), (two, second)]
        assert other.pairing.pairing(first.id) is None
        assert repos.pairing.erase_reasons(a) == 2
        assert repos.pairing.erase_reasons(987654) == 0
        assert [p.reason for _r, p in repos.pairing.for_member(b)] == [""]

    def test_a_members_pairing_in_a_round_is_found_by_the_member(
        self, repos: Scope, other: Scope, clock: ManualClock
    ) -> None:
        program, (a, b, c, d) = self.people_in_a_program(repos, 4)
        now = clock.now()
        one = repos.pairing.create_round(program, 1, score=1, seed=1, now=now)
        two = repos.pairing.create_round(program, 2, score=1, seed=2, now=now)
        assert one is not None and two is not None
        ab = repos.pairing.add_pairing(one, [(a, "peer"), (b, "peer")], reason="", score=1, now=now)
        cd = repos.pairing.add_pairing(
            one, [(c, "peer"), (d, "peer")], reason="x", score=1, now=now
        )
        ca = repos.pairing.add_pairing(two, [(c, "peer"), (a, "peer")], reason="", score=1, now=now)
        assert repos.pairing.pairing_of(one.id, a) == ab
        assert repos.pairing.pairing_of(one.id, d) == cd
        assert repos.pairing.pairing_of(two.id, a) == ca
        assert repos.pairing.pairing_of(two.id, b) is None  # not paired in that round
        assert other.pairing.pairing_of(one.id, a) is None  # another workspace's round

    def test_rules_are_kept_in_the_order_made(self, repos: Scope, clock: ManualClock) -> None:
        program, (a, b, c) = self.people_in_a_program(repos, 3)
        now = clock.now()
        pin = repos.pairing.add_rule(
            program, RuleKind.PIN, a, b, round_number=2, created_by=None, now=now
        )
        never = repos.pairing.add_rule(
            program, RuleKind.DO_NOT_PAIR, b, c, round_number=None, created_by=a, now=now
        )
        assert (pin.kind, pin.member_a, pin.member_b, pin.round_number) == (RuleKind.PIN, a, b, 2)
        assert repos.pairing.rules(program) == [pin, never]
        assert repos.pairing.rules(987654) == []


class TestFakes(Contract):
    @pytest.fixture
    def factory(self, clock: ManualClock) -> UnitOfWorkFactory:
        return FakeUnitOfWorkFactory(InMemoryDatabase(), clock.now)


class TestSql(Contract):
    @pytest.fixture
    def factory(self, app: Any) -> UnitOfWorkFactory:
        factory: UnitOfWorkFactory = app.uow_factory
        return factory
