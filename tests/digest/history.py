"""A program with a known history, written straight into the real database, for the digest's tests.

The program runs in Pacific/Auckland (UTC+13 in November), so "last week" (2026-W47: Mon 16 to Sun 22
November, local) starts and ends eleven hours before the UTC week does: rows just inside and just
outside those local edges check that the digest counts the school's week, not UTC's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.kernel.domain import Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.checkins import CheckinRow
from storage.models.kernel import OutboxRow
from storage.models.members import MemberRow
from storage.models.observations import ObservationRequestRow
from storage.models.pairing import PairingMemberRow, PairingRoundRow, PairingRow
from storage.models.programs import MembershipRow, ProgramRow
from storage.models.reflections import ReflectionRow
from storage.models.resources import ResourceMarkRow, ResourceRow, ResourceSharerRow
from storage.repositories import confidence_trend
from tests.conftest import Person, joined

NZ = ZoneInfo("Pacific/Auckland")
PROGRAM = "Maths Mentoring"
SECRET = "SECRET-REFLECTION-TEXT"
MENTEES = ("Ana", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus")
MENTORS = ("Hal", "Ivy", "Jo", "Kim")


def nz(day: int, hour: int = 12, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=NZ).astimezone(UTC)


@dataclass
class History:
    program_id: int
    ids: dict[str, int] = field(default_factory=dict)


def build_history(app: Staffroom, person: Person) -> History:
    """Maya coordinates; 7 mentees and 4 mentors with check-ins, reflections, pairs, observations."""
    clock = app.clock
    clock.set(datetime(2026, 9, 1, 9, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    maya = joined(person("Maya Patel"))
    grant_role(app, "console:local", "Maya Patel", Role.COORDINATOR)
    outcome = maya.type(f'program create "{PROGRAM}" kind=mentoring tz=Pacific/Auckland')
    assert outcome.ok, outcome.replies
    with Session(app.engine) as s:
        program = s.query(ProgramRow).one()
        ws = program.workspace_id
        h = History(program_id=program.id)
        h.ids["Maya"] = s.query(MemberRow).one().id
        created = datetime(2026, 9, 1, tzinfo=UTC)
        for name in MENTEES + MENTORS:
            row = MemberRow(
                workspace_id=ws,
                platform_user_id=f"U-{name}",
                display_name=name,
                timezone="Pacific/Auckland",
                status="paused" if name == "Kim" else "active",
                reachable=name != "Dev",
                consented_at=created,
                created_at=created,
                updated_at=created,
            )
            s.add(row)
            s.flush()
            h.ids[name] = row.id
            s.add(
                MembershipRow(
                    workspace_id=ws,
                    program_id=program.id,
                    member_id=row.id,
                    role="mentee" if name in MENTEES else "mentor",
                    joined_at=created,
                )
            )
        pid, ids = program.id, h.ids

        def checkin(
            name: str, week: str, confidence: int | None, answered: bool = True, status: str = ""
        ) -> None:
            s.add(
                CheckinRow(
                    workspace_id=ws,
                    program_id=pid,
                    member_id=ids[name],
                    week=week,
                    status=status or ("answered" if answered else "sent"),
                    due_at=created,
                    sent_at=created,
                    answered_at=created if answered else None,
                    confidence=confidence if answered else None,
                )
            )

        # W47: 11 sent, 8 answered. Mentees 6/7 (4+3+5+4+2+3 = 21), mentors 2/4 (5+3).
        for name, conf in zip(MENTEES, (4, 3, 5, 4, 2, 3, None), strict=True):
            checkin(name, "2026-W47", conf, answered=conf is not None)
        for name, conf in zip(MENTORS, (5, 3, None, None), strict=True):
            checkin(name, "2026-W47", conf, answered=conf is not None)
        # W46: 11 sent, 5 answered (3+3+4+2+3 = 15). Jo skipped it: a reply, so Jo is not "quiet".
        for name in MENTEES + MENTORS:
            conf = {"Ana": 3, "Ben": 3, "Cara": 4, "Dev": 2, "Eli": 3}.get(name)
            skipped = "skipped" if name == "Jo" else ""
            checkin(name, "2026-W46", conf, answered=conf is not None, status=skipped)
        # W45: only three people: too few to show.
        for name in ("Ana", "Ben", "Cara"):
            checkin(name, "2026-W45", 5)
        # Long before the trend: must change nothing.
        for name in MENTEES + MENTORS:
            checkin(name, "2026-W30", 1)
        # A check-in scheduled but never sent counts for nothing.
        s.add(
            CheckinRow(
                workspace_id=ws,
                program_id=pid,
                member_id=ids["Ana"],
                week="2026-W44",
                status="scheduled",
                due_at=created,
            )
        )

        def reflect(name: str, at: datetime, tag: str | None, draft: bool = False) -> None:
            s.add(
                ReflectionRow(
                    workspace_id=ws,
                    member_id=ids[name],
                    program_id=pid,
                    went_well=SECRET,
                    try_next=SECRET,
                    tag=tag,
                    is_draft=draft,
                    created_at=at,
                    updated_at=at,
                )
            )

        # "questioning": 5 people in the local week (Eli's at 00:30 local Monday = Sunday in UTC).
        reflect("Ana", nz(17), "questioning")
        reflect("Ben", nz(18), "Questioning ")
        reflect("Cara", nz(19), "questioning")
        reflect("Dev", nz(20), "questioning")
        reflect("Eli", nz(16, 0, 30), "questioning")
        # "behaviour": only 4 people, so it never appears.
        for name in ("Ana", "Ben", "Cara", "Fay"):
            reflect(name, nz(21), "behaviour")
        # Outside the local week, or drafts: not counted.
        reflect("Fay", nz(23, 0, 30), "questioning")  # Monday of W48 locally, Sunday in UTC
        reflect("Gus", nz(15, 23, 30), "behaviour")  # Sunday of W46 locally
        reflect("Gus", nz(19), "behaviour", draft=True)
        # Written outside a check-in (no program): counts for the writer's programs.
        s.add(
            ReflectionRow(
                workspace_id=ws,
                member_id=ids["Fay"],
                program_id=None,
                went_well=SECRET,
                created_at=nz(20),
                updated_at=nz(20),
            )
        )
        s.add(
            ReflectionRow(
                workspace_id=ws,
                member_id=ids["Maya"],
                program_id=None,
                went_well=SECRET,
                created_at=nz(20),
                updated_at=nz(20),
            )
        )

        def round_(number: int, published: datetime) -> int:
            row = PairingRoundRow(
                workspace_id=ws,
                program_id=pid,
                number=number,
                status="published",
                created_at=published,
                published_at=published,
            )
            s.add(row)
            s.flush()
            return row.id

        def pair(round_id: int, mentor: str, mentee: str, met: str | None) -> None:
            row = PairingRow(
                workspace_id=ws,
                round_id=round_id,
                program_id=pid,
                met_status=met,
                created_at=created,
            )
            s.add(row)
            s.flush()
            for who, role in ((mentor, "mentor"), (mentee, "mentee")):
                s.add(
                    PairingMemberRow(
                        workspace_id=ws, pairing_id=row.id, member_id=ids[who], role=role
                    )
                )

        old = round_(1, nz(2))
        for mentee in MENTEES:
            pair(old, "Hal", mentee, "met")
        current = round_(2, nz(16, 9))
        pair(current, "Hal", "Ana", "met")
        pair(current, "Ivy", "Ben", "met")
        pair(current, "Hal", "Cara", None)
        pair(current, "Jo", "Dev", "cant")
        pair(current, "Kim", "Eli", "not_yet")
        future = round_(3, nz(23, 1))  # Monday of W48 locally: not last week's
        pair(future, "Jo", "Fay", "met")

        def observe(
            requester: str,
            observer: str | None,
            status: str,
            requested: datetime,
            updated: datetime,
            program: int | None = pid,
        ) -> None:
            s.add(
                ObservationRequestRow(
                    workspace_id=ws,
                    program_id=program,
                    requester_id=ids[requester],
                    observer_id=ids[observer] if observer else None,
                    starts_at=updated,
                    ends_at=updated + timedelta(hours=1),
                    focus="questioning",
                    status=status,
                    created_at=requested,
                    updated_at=updated,
                )
            )

        observe("Ana", "Ivy", "done", nz(10), nz(18))  # asked the week before, done this week
        observe("Ben", "Hal", "completed", nz(17), nz(20))
        observe(
            "Cara", None, "asking", nz(18), nz(18)
        )  # still asking colleagues: not yet unmatched
        observe("Dev", "Jo", "confirmed", nz(19), nz(19))
        observe("Gus", None, "unmatched", nz(16), nz(21))  # closed with nobody this week
        observe("Jo", None, "draft", nz(18), nz(18))  # never sent: not a request
        observe("Hal", None, "unmatched", nz(3), nz(10))  # closed the week before
        observe("Eli", None, "asking", nz(23, 2), nz(23, 2))  # after the week
        # Asked without naming a program: it counts for the requester's programs.
        observe("Eli", "Kim", "done", nz(16, 9), nz(22), program=None)
        observe("Maya", "Ana", "done", nz(16, 9), nz(22), program=None)  # Maya is no teacher here

        resources: dict[str, int] = {}

        def share(name: str, title: str, at: datetime, removed: bool = False) -> None:
            if title not in resources:
                row = ResourceRow(
                    workspace_id=ws,
                    url=f"https://example.org/{title.replace(' ', '-')}",
                    normalized_url=f"example.org/{title.replace(' ', '-')}",
                    title=title,
                    shared_by_member_id=ids[name],
                    created_at=at,
                    removed_at=at if removed else None,
                )
                s.add(row)
                s.flush()
                resources[title] = row.id
            s.add(
                ResourceSharerRow(
                    workspace_id=ws, resource_id=resources[title], member_id=ids[name], shared_at=at
                )
            )

        def mark(name: str, title: str, at: datetime, how: str = "helpful") -> None:
            s.add(
                ResourceMarkRow(
                    workspace_id=ws,
                    resource_id=resources[title],
                    member_id=ids[name],
                    mark=how,
                    marked_at=at,
                )
            )

        share("Ivy", "Hinge questions deck", nz(17))
        share("Ivy", "Seating plans", nz(18))
        share("Ana", "Exit tickets", nz(20))
        share("Ben", "Withdrawn link", nz(20), removed=True)
        share("Cara", "Old news", nz(12))
        share("Dev", "Hinge questions deck", nz(21))  # the same link again: Dev's share counts too
        for name in ("Ana", "Ben", "Cara"):
            mark(name, "Hinge questions deck", nz(19))
        mark("Hal", "Exit tickets", nz(21))
        mark("Ivy", "Exit tickets", nz(22))
        mark("Jo", "Seating plans", nz(19), "unhelpful")
        mark("Eli", "Old news", nz(12))  # the week before
        mark("Fay", "Withdrawn link", nz(21))  # removed from the library

        s.add(
            OutboxRow(
                workspace_id=ws,
                platform="console",
                recipient_member_id=ids["Fay"],
                recipient_user_id="U-Fay",
                idempotency_key="checkin:failed:fay",
                payload={"text": "hi", "blocks": []},
                status="failed",
                attempts=8,
                next_attempt_at=nz(18),
                created_at=nz(18),
            )
        )
        s.flush()
        confidence_trend.refresh_program(s, pid)  # as storing each answer would have
        s.commit()
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    return h


def add_teacher(
    s: Session,
    name: str,
    *,
    role: str,
    at: datetime,
    invited_at: datetime | None = None,
    **member: object,
) -> int:
    """One more teacher in the history's program, written as rows (``member`` sets MemberRow's
    columns: ``consented_at``, ``reachable``...); returns the member's id."""
    ws, pid = s.execute(select(MembershipRow.workspace_id, MembershipRow.program_id)).first()  # type: ignore[misc]
    fields: dict[str, object] = {"timezone": "UTC", "status": "active", **member}
    row = MemberRow(
        workspace_id=ws,
        platform_user_id=f"U-{name}",
        display_name=name,
        created_at=at,
        updated_at=at,
        **fields,
    )
    s.add(row)
    s.flush()
    s.add(
        MembershipRow(
            workspace_id=ws,
            program_id=pid,
            member_id=row.id,
            role=role,
            joined_at=at,
            invited_at=invited_at,
        )
    )
    return int(row.id)
