"""The digest's aggregate SQL. Every query is bound to one workspace and one program, and each
reads only the week (or the trend's eight weeks) asked about, through the indexes named beside it, so a
program's long history does not slow its digest down."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, distinct, func, or_, select, text, update
from sqlalchemy.orm import Session, aliased

from bot.digest.model import (
    CheckinFigures,
    FrozenWeek,
    GroupCheckins,
    HelpfulResource,
    ObservationFigures,
    PairFigures,
    Person,
    QuestionFigures,
    ReflectionFigures,
    ResourceFigures,
    Theme,
)
from storage.models.checkins import FALLING, CheckinAnswerRow, CheckinRow, SupportRequestRow
from storage.models.digest import DigestLinkGenerationRow, FrozenQuestionRow, FrozenWeekRow
from storage.models.kernel import OutboxRow
from storage.models.members import MemberRow
from storage.models.observations import ObservationRequestRow
from storage.models.pairing import PairingMemberRow, PairingRoundRow, PairingRow
from storage.models.programs import MembershipRow
from storage.models.reflections import ReflectionRow
from storage.models.resources import ResourceMarkRow, ResourceRow, ResourceSharerRow
from storage.sql import insert_ignoring_conflict, insert_many_ignoring_conflicts

COORDINATOR = "coordinator"
QUESTION_CHARS, VALUE_CHARS = 200, 40
"""What ``frozen_question_figures`` keeps of a question and a value: a question is at most 200
characters and a choice at most 40 when a coordinator writes them."""
ACTIVE = "active"
HELPFUL = "helpful"
SKIPPED = "skipped"
"""A check-in the teacher chose to skip: a reply, though not an answer."""
MET = ("met",)
CANT = ("cant", "can't", "cannot", "declined")
OBSERVATION_DONE = ("done", "completed")
OBSERVATION_UNMATCHED = ("unmatched",)
"""Closed without an observer: nobody could or would (peer observation)."""
OBSERVATION_NOT_SENT = ("draft",)
ROUND_LIVE = ("published", "active", "closed")


class SqlDigestQueries:
    def __init__(self, session: Session, workspace_id: int) -> None:
        self._session = session
        self._ws = workspace_id
        self._rounds: dict[tuple[int, datetime], _Round | None] = {}
        self._serial = False

    @property
    def _s(self) -> Session:
        """The session, told on PostgreSQL to plan this transaction's reads without parallel workers.

        Each digest query reads a few thousand rows of one program; starting parallel workers for
        them cost more than they saved (who is quiet: 24 ms with workers, 14 without) and took cores
        from the requests beside them. ``SET LOCAL`` ends with the transaction."""
        if not self._serial:
            self._serial = True
            if self._session.get_bind().dialect.name == "postgresql":
                self._session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        return self._session

    # --- people ---------------------------------------------------------------------------------

    def _teachers(self, program_id: int) -> Any:
        """The program's members other than its coordinators (ix: program_memberships.program_id)."""
        return select(MembershipRow.member_id).where(
            MembershipRow.workspace_id == self._ws,
            MembershipRow.program_id == program_id,
            MembershipRow.role != COORDINATOR,
        )

    def _is_teacher(self, program_id: int, member: Any, *also: Any) -> Any:
        """``member`` (a column) is one of the program's teachers, as a correlated EXISTS.

        One probe of uq_memberships_program_member per row, whatever the planner believes about the
        tables: written as ``IN (SELECT ...)``, PostgreSQL without fresh statistics took the
        program's memberships for one row and rescanned all of them for every candidate (130 ms
        for a week's helpful marks among 5,000 teachers, 2 ms this way)."""
        return (
            select(MembershipRow.id)
            .where(
                MembershipRow.program_id == program_id,
                MembershipRow.member_id == member,
                MembershipRow.workspace_id == self._ws,
                MembershipRow.role != COORDINATOR,
                *also,
            )
            .exists()
        )

    def program_people(self, program_id: int) -> int:
        return int(
            self._s.scalar(select(func.count()).select_from(self._teachers(program_id).subquery()))
            or 0
        )

    def _people(self, stmt: Any) -> list[Person]:
        return [Person(int(i), str(n)) for i, n in self._s.execute(stmt)]

    # --- check-ins (ix_checkins_program_week) -----------------------------------------------------

    def _checkin_figures(self) -> tuple[Any, ...]:
        answered = CheckinRow.answered_at.is_not(None)
        return (
            func.count(CheckinRow.sent_at),
            func.count(CheckinRow.answered_at),
            func.coalesce(func.sum(case((answered, CheckinRow.confidence), else_=None)), 0),
            func.count(case((answered, CheckinRow.confidence), else_=None)),
            func.count(distinct(case((CheckinRow.sent_at.is_not(None), CheckinRow.member_id)))),
        )

    def checkin_weeks(self, program_id: int, weeks: Sequence[str]) -> dict[str, CheckinFigures]:
        rows = self._s.execute(
            select(CheckinRow.week, *self._checkin_figures())
            .where(
                CheckinRow.workspace_id == self._ws,
                CheckinRow.program_id == program_id,
                CheckinRow.week.in_(list(weeks)),
            )
            .group_by(CheckinRow.week)
        )
        return {str(week): _figures(rest) for week, *rest in rows}

    def checkins_by_role(self, program_id: int, week: str) -> list[GroupCheckins]:
        rows = self._s.execute(
            select(MembershipRow.role, *self._checkin_figures())
            .join(
                MembershipRow,
                and_(
                    MembershipRow.program_id == CheckinRow.program_id,
                    MembershipRow.member_id == CheckinRow.member_id,
                ),
            )
            .where(
                CheckinRow.workspace_id == self._ws,
                CheckinRow.program_id == program_id,
                CheckinRow.week == week,
                MembershipRow.role != COORDINATOR,
            )
            .group_by(MembershipRow.role)
            .order_by(MembershipRow.role)
        )
        return [GroupCheckins(str(role), _figures(rest)) for role, *rest in rows]

    def frozen_weeks(self, program_id: int, weeks: Sequence[str]) -> dict[str, FrozenWeek]:
        rows = self._s.scalars(
            select(FrozenWeekRow)
            .where(
                FrozenWeekRow.workspace_id == self._ws,
                FrozenWeekRow.program_id == program_id,
                FrozenWeekRow.week.in_(list(weeks)),
            )
            .order_by(FrozenWeekRow.week, FrozenWeekRow.grp)
        )
        totals: dict[str, CheckinFigures] = {}
        groups: dict[str, list[GroupCheckins]] = {}
        for row in rows:
            figures = CheckinFigures(
                sent=row.sent,
                answered=row.answered,
                confidence_sum=row.confidence_sum,
                confidence_count=row.confidence_count,
                people=row.people,
            )
            if row.grp:
                groups.setdefault(row.week, []).append(GroupCheckins(row.grp, figures))
            else:
                totals[row.week] = figures
        return {w: FrozenWeek(t, tuple(groups.get(w, ()))) for w, t in totals.items()}

    def freeze_week(self, program_id: int, week: str, figures: FrozenWeek, now: datetime) -> None:
        parts = [("", figures.total), *((g.group, g.figures) for g in figures.groups)]
        insert_many_ignoring_conflicts(
            self._s,
            FrozenWeekRow.__table__,  # type: ignore[arg-type]
            [
                {
                    "program_id": program_id,
                    "week": week,
                    "grp": group,
                    "workspace_id": self._ws,
                    "sent": f.sent,
                    "answered": f.answered,
                    "confidence_sum": f.confidence_sum,
                    "confidence_count": f.confidence_count,
                    "people": f.people,
                    "frozen_at": now,
                }
                for group, f in parts
            ],
        )

    # --- the program's own questions (ix_checkin_answers_program_id, pk_frozen_question_figures) ----

    def question_weeks(
        self, program_id: int, weeks: Sequence[str]
    ) -> dict[str, list[QuestionFigures]]:
        a = CheckinAnswerRow
        asked = func.coalesce(a.template, a.question)
        value = case((a.kind == "text", ""), else_=a.value)  # a text answer's words stay put
        where = (
            a.workspace_id == self._ws,
            a.program_id == program_id,
            CheckinRow.week.in_(list(weeks)),
        )
        joined = select(CheckinRow.week, asked, a.kind).join(
            CheckinRow, CheckinRow.id == a.checkin_id
        )
        totals = self._s.execute(
            joined.add_columns(
                func.min(a.position), func.count(), func.count(distinct(a.member_id))
            )
            .where(*where)
            .group_by(CheckinRow.week, asked, a.kind)
        )
        spreads: dict[tuple[str, str, str], list[tuple[str, int]]] = {}
        for week, question, kind, v, n in self._s.execute(
            joined.add_columns(value, func.count())
            .where(*where, a.kind != "text")
            .group_by(CheckinRow.week, asked, a.kind, value)
        ):
            spreads.setdefault((week, question, kind), []).append((str(v), int(n)))
        found: dict[str, list[tuple[int, QuestionFigures]]] = {}
        for week, question, kind, position, answers, people in totals:
            spread = sorted(spreads.get((week, question, kind), []), key=_spread_order(kind))
            figures = QuestionFigures(question, kind, int(answers), int(people), tuple(spread))
            found.setdefault(week, []).append((int(position), figures))
        return {w: [f for _p, f in sorted(rows, key=lambda r: r[0])] for w, rows in found.items()}

    def frozen_questions(
        self, program_id: int, weeks: Sequence[str]
    ) -> dict[str, list[QuestionFigures]]:
        rows = self._s.scalars(
            select(FrozenQuestionRow)
            .where(
                FrozenQuestionRow.workspace_id == self._ws,
                FrozenQuestionRow.program_id == program_id,
                FrozenQuestionRow.week.in_(list(weeks)),
            )
            .order_by(FrozenQuestionRow.week, FrozenQuestionRow.position, FrozenQuestionRow.value)
        )
        found: dict[str, dict[str, tuple[FrozenQuestionRow, list[tuple[str, int]]]]] = {}
        for row in rows:
            week = found.setdefault(row.week, {})
            if not row.question:
                continue  # frozen with no answers: the week is there, empty
            if not row.value:
                week[row.question] = (row, week.get(row.question, (row, []))[1])
            else:
                week.setdefault(row.question, (row, []))[1].append((row.value, row.answers))
        return {
            w: [
                QuestionFigures(
                    q,
                    total.kind,
                    total.answers,
                    total.people,
                    tuple(sorted(spread, key=_spread_order(total.kind))),
                )
                for q, (total, spread) in questions.items()
            ]
            for w, questions in found.items()
        }

    def freeze_questions(
        self, program_id: int, week: str, figures: Sequence[QuestionFigures], now: datetime
    ) -> None:
        base = {"program_id": program_id, "week": week, "workspace_id": self._ws, "frozen_at": now}
        rows = [
            {
                **base,
                "question": "",
                "value": "",
                "position": 0,
                "kind": "",
                "answers": 0,
                "people": 0,
            }
        ]
        for position, f in enumerate(figures, 1):
            rows.append(
                {
                    **base,
                    "question": f.question[:QUESTION_CHARS],
                    "value": "",
                    "position": position,
                    "kind": f.kind,
                    "answers": f.answers,
                    "people": f.people,
                }
            )
            rows.extend(
                {
                    **base,
                    "question": f.question[:QUESTION_CHARS],
                    "value": v[:VALUE_CHARS],
                    "position": position,
                    "kind": f.kind,
                    "answers": n,
                    "people": n,
                }
                for v, n in f.spread
            )
        insert_many_ignoring_conflicts(self._s, FrozenQuestionRow.__table__, rows)  # type: ignore[arg-type]

    # --- web digest links (pk_digest_link_generations) ---------------------------------------------

    def link_generation(self, program_id: int) -> int:
        found = self._s.scalar(
            select(DigestLinkGenerationRow.generation).where(
                DigestLinkGenerationRow.workspace_id == self._ws,
                DigestLinkGenerationRow.program_id == program_id,
            )
        )
        return int(found or 0)

    def revoke_links(self, program_id: int, now: datetime) -> int:
        # Insert-if-absent then increment in the database: two revocations at once both count.
        table = DigestLinkGenerationRow.__table__
        insert_ignoring_conflict(
            self._s,
            table,  # type: ignore[arg-type]
            {
                "program_id": program_id,
                "workspace_id": self._ws,
                "generation": 0,
                "revoked_at": None,
            },
        )
        self._s.execute(
            update(DigestLinkGenerationRow)
            .where(
                DigestLinkGenerationRow.workspace_id == self._ws,
                DigestLinkGenerationRow.program_id == program_id,
            )
            .values(generation=DigestLinkGenerationRow.generation + 1, revoked_at=now)
            .execution_options(synchronize_session=False)
        )
        return self.link_generation(program_id)

    # --- reflections (ix_reflections_program_created) --------------------------------------------

    def _reflections_in(self, program_id: int, start: datetime, end: datetime) -> list[Any]:
        return [
            ReflectionRow.workspace_id == self._ws,
            or_(
                ReflectionRow.program_id == program_id,
                # A reflection written outside a check-in has no program: it counts for the
                # programs its writer is in.
                and_(
                    ReflectionRow.program_id.is_(None),
                    self._is_teacher(program_id, ReflectionRow.member_id),
                ),
            ),
            ReflectionRow.created_at >= start,
            ReflectionRow.created_at < end,
            ReflectionRow.is_draft.is_(False),
        ]

    def reflections(self, program_id: int, start: datetime, end: datetime) -> ReflectionFigures:
        written, writers = self._s.execute(
            select(func.count(), func.count(distinct(ReflectionRow.member_id))).where(
                *self._reflections_in(program_id, start, end)
            )
        ).one()
        return ReflectionFigures(written=int(written), writers=int(writers))

    def themes(
        self, program_id: int, start: datetime, end: datetime, min_members: int
    ) -> list[Theme]:
        tag = func.lower(func.trim(ReflectionRow.tag))
        members = func.count(distinct(ReflectionRow.member_id))
        rows = self._s.execute(
            select(tag, members, func.count())
            .where(
                *self._reflections_in(program_id, start, end),
                ReflectionRow.tag.is_not(None),
                func.trim(ReflectionRow.tag) != "",
            )
            .group_by(tag)
            .having(members >= min_members)
            .order_by(members.desc(), tag)
        )
        return [Theme(str(t), int(m), int(n)) for t, m, n in rows]

    # --- pairs (ix: pairing_rounds.program_id, pairings.round_id) ---------------------------------

    def _latest_round(self, program_id: int, end: datetime) -> _Round | None:
        """The round published last before ``end``, with the span of its pairings' ids.

        A round's pairings are written together, so their ids lie in one narrow span; naming it lets
        both databases read the round's ``pairing_members`` as one range of their pairing index
        rather than the whole history (PostgreSQL otherwise hashed all 40 rounds' members, twice).
        The span only narrows the search: every query still joins on the round itself."""
        key = (program_id, end)
        if key in self._rounds:
            return self._rounds[key]
        row = self._s.execute(
            select(PairingRoundRow.id, PairingRoundRow.number)
            .where(
                PairingRoundRow.workspace_id == self._ws,
                PairingRoundRow.program_id == program_id,
                PairingRoundRow.published_at.is_not(None),
                PairingRoundRow.published_at < end,
            )
            .order_by(PairingRoundRow.published_at.desc(), PairingRoundRow.id.desc())
            .limit(1)
        ).first()
        found = None
        if row is not None:
            # ``id + 0``: a bare min(id) is answered from the primary key, walking every older
            # round's pairings to reach this one's in PostgreSQL; this reads the round's index range.
            first, last = self._s.execute(
                select(func.min(PairingRow.id + 0), func.max(PairingRow.id + 0)).where(
                    PairingRow.workspace_id == self._ws, PairingRow.round_id == row[0]
                )
            ).one()
            found = _Round(int(row[0]), int(row[1]), int(first or 0), int(last or 0))
        self._rounds[key] = found
        return found

    @staticmethod
    def _of_round(member: Any, latest: _Round) -> Any:
        """``member`` (a pairing_members alias) belongs to a pairing in the round's id span."""
        return member.pairing_id.between(latest.first_pairing, latest.last_pairing)

    def pairs(self, program_id: int, end: datetime) -> PairFigures:
        latest = self._latest_round(program_id, end)
        if latest is None:
            return PairFigures()
        counts = {
            (status or ""): int(n)
            for status, n in self._s.execute(
                select(PairingRow.met_status, func.count())
                .where(PairingRow.workspace_id == self._ws, PairingRow.round_id == latest.id)
                .group_by(PairingRow.met_status)
            )
        }
        met = sum(n for s, n in counts.items() if s in MET)
        cant = sum(n for s, n in counts.items() if s in CANT)
        return PairFigures(
            met=met,
            cant=cant,
            not_yet=sum(counts.values()) - met - cant,
            round_number=latest.number,
        )

    def mentors_who_met(self, program_id: int, end: datetime) -> dict[Person, int]:
        latest = self._latest_round(program_id, end)
        if latest is None:
            return {}
        rows = self._s.execute(
            select(MemberRow.id, MemberRow.display_name, func.count())
            .join(PairingMemberRow, PairingMemberRow.member_id == MemberRow.id)
            .join(PairingRow, PairingRow.id == PairingMemberRow.pairing_id)
            .where(
                PairingRow.workspace_id == self._ws,
                PairingRow.round_id == latest.id,
                self._of_round(PairingMemberRow, latest),
                PairingRow.met_status.in_(MET),
                PairingMemberRow.role == "mentor",
                MemberRow.status != "opted_out",  # nobody is thanked by name after forget-me
            )
            .group_by(MemberRow.id, MemberRow.display_name)
        )
        return {Person(int(i), str(n)): int(c) for i, n, c in rows}

    def unmatched(self, program_id: int, end: datetime) -> list[Person]:
        latest = self._latest_round(program_id, end)
        if latest is None:
            return []
        paired = (
            select(PairingMemberRow.member_id)
            .join(PairingRow, PairingRow.id == PairingMemberRow.pairing_id)
            .where(
                PairingRow.workspace_id == self._ws,
                PairingRow.round_id == latest.id,
                self._of_round(PairingMemberRow, latest),
            )
        )
        return self._people(
            select(MemberRow.id, MemberRow.display_name).where(
                MemberRow.workspace_id == self._ws,
                # someone who joined after the week was not left out of its round
                self._is_teacher(program_id, MemberRow.id, MembershipRow.joined_at < end),
                MemberRow.status == ACTIVE,
                MemberRow.id.not_in(paired),
            )
        )

    def pairing_needs(self, program_id: int, end: datetime) -> list[tuple[Person, str]]:
        latest = self._latest_round(program_id, end)
        if latest is None:
            return []
        called_off = func.coalesce(PairingRow.met_status, "").in_(CANT)
        pairing = (
            select(
                PairingRow.id.label("id"),
                case((called_off, 1), else_=0).label("called_off"),
                func.sum(case((MemberRow.status == ACTIVE, 1), else_=0)).label("active"),
            )
            .join(PairingMemberRow, PairingMemberRow.pairing_id == PairingRow.id)
            .join(MemberRow, MemberRow.id == PairingMemberRow.member_id)
            .where(
                PairingRow.workspace_id == self._ws,
                PairingRow.round_id == latest.id,
                self._of_round(PairingMemberRow, latest),
            )
            .group_by(PairingRow.id, PairingRow.met_status)
            .subquery()
        )
        going_ahead = and_(pairing.c.called_off == 0, pairing.c.active >= 2)
        # Each member's pairings of the round, summed up in one pass: in one going ahead, in one
        # called off, in one as someone's mentee or partner.
        state = (
            select(
                PairingMemberRow.member_id.label("member_id"),
                func.max(case((going_ahead, 1), else_=0)).label("live"),
                func.max(pairing.c.called_off).label("called_off"),
                func.max(case((PairingMemberRow.role != "mentor", 1), else_=0)).label("partnered"),
            )
            .join(pairing, pairing.c.id == PairingMemberRow.pairing_id)
            .where(self._of_round(PairingMemberRow, latest))
            .group_by(PairingMemberRow.member_id)
            .subquery()
        )
        rows = self._s.execute(
            select(MemberRow.id, MemberRow.display_name, state.c.called_off, state.c.partnered)
            .join(MembershipRow, MembershipRow.member_id == MemberRow.id)
            .outerjoin(state, state.c.member_id == MemberRow.id)
            .where(
                MembershipRow.workspace_id == self._ws,
                MembershipRow.program_id == program_id,
                MembershipRow.role.not_in((COORDINATOR, "mentor")),
                MembershipRow.joined_at < end,
                MemberRow.status == ACTIVE,
                func.coalesce(state.c.live, 0) == 0,
            )
            .order_by(MemberRow.display_name, MemberRow.id)
        )
        return [
            (
                Person(int(i), str(n)),
                "couldnt_meet" if called else "left_without_mentor" if partnered else "unmatched",
            )
            for i, n, called, partnered in rows
        ]

    def not_started(self, program_id: int) -> list[tuple[Person, datetime]]:
        return [
            (Person(int(i), str(n)), invited or joined)  # added before invitations were dated
            for i, n, invited, joined in self._s.execute(
                select(
                    MemberRow.id,
                    MemberRow.display_name,
                    MembershipRow.invited_at,
                    MembershipRow.joined_at,
                )
                .join(MembershipRow, MembershipRow.member_id == MemberRow.id)
                .where(
                    MembershipRow.workspace_id == self._ws,
                    MembershipRow.program_id == program_id,
                    MembershipRow.role != COORDINATOR,
                    MemberRow.consented_at.is_(None),
                    MemberRow.status != "opted_out",
                )
                .order_by(MemberRow.display_name, MemberRow.id)
            )
        ]

    def falling_confidence(self, program_id: int, weeks: Sequence[str]) -> list[Person]:
        """Teachers whose newest answer in ``weeks`` ends a fall (``bot.checkins.trend``).

        The flag is kept on the answer as it is written, so this reads the flagged few through the
        partial index ix_checkins_falling and asks uq_checkins_program_member_week of each whether it
        is the newest answer; the program's size and history don't enter into it."""
        labels = list(weeks)
        if not labels:
            return []
        newest = aliased(CheckinRow)
        # A correlated scalar subquery, not NOT EXISTS: PostgreSQL turns the latter into a hash
        # anti-join over the whole table, while this stays one probe of the unique index a row.
        newest_answer = (
            select(func.max(newest.week))
            .where(
                newest.program_id == program_id,
                newest.member_id == CheckinRow.member_id,
                newest.week >= CheckinRow.week,
                newest.week <= max(labels),
                newest.answered_at.is_not(None),
                newest.confidence.is_not(None),
            )
            .scalar_subquery()
        )
        return self._people(
            select(MemberRow.id, MemberRow.display_name)
            .join(CheckinRow, CheckinRow.member_id == MemberRow.id)
            .where(
                CheckinRow.workspace_id == self._ws,
                CheckinRow.program_id == program_id,
                CheckinRow.week.in_(labels),
                FALLING,
                CheckinRow.week == newest_answer,
                MemberRow.workspace_id == self._ws,
                MemberRow.status == ACTIVE,
            )
            .distinct()
        )

    # --- observations (ix_observation_requests_program_created) ---------------------------------

    def _observation_program(self, program_id: int) -> Any:
        """A request names its program, or none (a request asks across the workspace): then it counts
        for the programs its requester is in."""
        o = ObservationRequestRow
        return or_(
            o.program_id == program_id,
            and_(o.program_id.is_(None), self._is_teacher(program_id, o.requester_id)),
        )

    def _closed_in(
        self, program_id: int, statuses: Sequence[str], start: datetime, end: datetime
    ) -> list[Any]:
        """Requests that reached one of ``statuses`` in [start, end) (ix_observation_requests_closed)."""
        o = ObservationRequestRow
        return [
            o.workspace_id == self._ws,
            o.status.in_(list(statuses)),
            o.updated_at >= start,
            o.updated_at < end,
            self._observation_program(program_id),
        ]

    def observations(self, program_id: int, start: datetime, end: datetime) -> ObservationFigures:
        o = ObservationRequestRow
        requested = self._s.scalar(
            select(func.count()).where(
                o.workspace_id == self._ws,
                self._observation_program(program_id),
                o.created_at >= start,
                o.created_at < end,
                o.status.not_in(OBSERVATION_NOT_SENT),
            )
        )
        completed, unmatched = (
            self._s.scalar(
                select(func.count()).where(*self._closed_in(program_id, statuses, start, end))
            )
            for statuses in (OBSERVATION_DONE, OBSERVATION_UNMATCHED)
        )
        return ObservationFigures(int(requested or 0), int(completed or 0), int(unmatched or 0))

    def observers(self, program_id: int, start: datetime, end: datetime) -> dict[Person, int]:
        o = ObservationRequestRow
        rows = self._s.execute(
            select(MemberRow.id, MemberRow.display_name, func.count())
            .join(o, o.observer_id == MemberRow.id)
            .where(
                *self._closed_in(program_id, OBSERVATION_DONE, start, end),
                MemberRow.status != "opted_out",
            )
            .group_by(MemberRow.id, MemberRow.display_name)
        )
        return {Person(int(i), str(n)): int(c) for i, n, c in rows}

    def waiting_for_observer(self, program_id: int, start: datetime, end: datetime) -> list[Person]:
        o = ObservationRequestRow
        return self._people(
            select(MemberRow.id, MemberRow.display_name)
            .join(o, o.requester_id == MemberRow.id)
            .where(
                *self._closed_in(program_id, OBSERVATION_UNMATCHED, start, end),
                MemberRow.status != "opted_out",
            )
            .distinct()
        )

    # --- resources (ix_resources_workspace_created) ---------------------------------------------

    def _shares_in(self, program_id: int, start: datetime, end: datetime) -> list[Any]:
        """Shares by the program's teachers in [start, end) of resources still in the library.

        A share is a ``resource_sharers`` row: sharing a link someone already shared credits
        the second sharer there rather than adding a resource (ix_resource_sharers_digest)."""
        return [
            ResourceSharerRow.workspace_id == self._ws,
            ResourceSharerRow.shared_at >= start,
            ResourceSharerRow.shared_at < end,
            self._is_teacher(program_id, ResourceSharerRow.member_id),
            ResourceRow.removed_at.is_(None),
        ]

    def resources(
        self, program_id: int, start: datetime, end: datetime, top: int
    ) -> ResourceFigures:
        shared = self._s.scalar(
            select(func.count())
            .select_from(ResourceSharerRow)
            .join(ResourceRow, ResourceRow.id == ResourceSharerRow.resource_id)
            .where(*self._shares_in(program_id, start, end))
        )
        return ResourceFigures(
            shared=int(shared or 0), most_helpful=self._helpful(program_id, start, end, top)
        )

    def _helpful(
        self, program_id: int, start: datetime, end: datetime, top: int
    ) -> tuple[HelpfulResource, ...]:
        """The resources the program's teachers marked helpful most in [start, end), whoever shared
        them (ix_resource_marks_workspace_mark_time)."""
        marks = func.count(ResourceMarkRow.id)
        sharer = aliased(MemberRow)
        rows = self._s.execute(
            select(ResourceRow.title, marks, sharer.display_name)
            .join(ResourceMarkRow, ResourceMarkRow.resource_id == ResourceRow.id)
            .outerjoin(sharer, sharer.id == ResourceRow.shared_by_member_id)
            .where(
                ResourceMarkRow.workspace_id == self._ws,
                ResourceMarkRow.mark == HELPFUL,
                ResourceMarkRow.marked_at >= start,
                ResourceMarkRow.marked_at < end,
                self._is_teacher(program_id, ResourceMarkRow.member_id),
                ResourceRow.removed_at.is_(None),
            )
            .group_by(ResourceRow.id, ResourceRow.title, sharer.display_name)
            .order_by(marks.desc(), ResourceRow.title)
            .limit(top)
        )
        return tuple(
            HelpfulResource(str(title), int(n), str(name) if name else None)
            for title, n, name in rows
        )

    def sharers(self, program_id: int, start: datetime, end: datetime) -> dict[Person, int]:
        rows = self._s.execute(
            select(MemberRow.id, MemberRow.display_name, func.count())
            .join(ResourceSharerRow, ResourceSharerRow.member_id == MemberRow.id)
            .join(ResourceRow, ResourceRow.id == ResourceSharerRow.resource_id)
            .where(*self._shares_in(program_id, start, end), MemberRow.status != "opted_out")
            .group_by(MemberRow.id, MemberRow.display_name)
        )
        return {Person(int(i), str(n)): int(c) for i, n, c in rows}

    # --- who needs a hand -------------------------------------------------------------------------

    def quiet(self, program_id: int, weeks: Sequence[str]) -> list[Person]:
        """Teachers who left every one of ``weeks``' check-ins unanswered, in one statement.

        It starts from one week's unanswered check-ins (a range of ix_checkins_digest) and asks the
        unique (program, member, week) index about each other week, so its cost follows the silent,
        not the program's size or its history; no id list goes to the database and back."""
        labels = list(dict.fromkeys(weeks))
        if not labels:
            return []
        first = aliased(CheckinRow)
        others = []
        for label in labels[1:]:
            other = aliased(CheckinRow)
            others.append(
                select(other.id)
                .where(
                    other.program_id == program_id,
                    other.member_id == first.member_id,
                    other.week == label,
                    *self._unanswered(other),
                )
                .exists()
            )
        return self._people(
            select(MemberRow.id, MemberRow.display_name)
            .join(first, first.member_id == MemberRow.id)
            .where(
                first.workspace_id == self._ws,
                first.program_id == program_id,
                first.week == labels[0],
                *self._unanswered(first),
                *others,
                MemberRow.workspace_id == self._ws,
                MemberRow.status == ACTIVE,
                self._is_teacher(program_id, MemberRow.id),
            )
            .order_by(MemberRow.display_name)
        )

    @staticmethod
    def _unanswered(checkin: Any) -> list[Any]:
        """Sent, not answered, not skipped: a check-in the teacher let pass."""
        return [
            checkin.sent_at.is_not(None),
            checkin.answered_at.is_(None),
            checkin.status != SKIPPED,
        ]

    def unreachable(self, program_id: int) -> list[Person]:
        return self._people(
            select(MemberRow.id, MemberRow.display_name).where(
                MemberRow.workspace_id == self._ws,
                self._is_teacher(program_id, MemberRow.id),
                MemberRow.reachable.is_(False),
                MemberRow.status != "opted_out",
            )
        )

    def undelivered(self, program_id: int, start: datetime, end: datetime) -> list[Person]:
        failed = select(OutboxRow.recipient_member_id).where(
            OutboxRow.workspace_id == self._ws,
            OutboxRow.status == "failed",
            OutboxRow.created_at >= start,
            OutboxRow.created_at < end,
        )
        return self._people(
            select(MemberRow.id, MemberRow.display_name).where(
                MemberRow.workspace_id == self._ws,
                MemberRow.id.in_(failed),
                self._is_teacher(program_id, MemberRow.id),
                MemberRow.status != "opted_out",
            )
        )

    def support_requests(self, program_id: int, start: datetime, end: datetime) -> int:
        r = SupportRequestRow
        return int(
            self._s.scalar(
                select(func.count()).where(
                    r.workspace_id == self._ws,
                    r.created_at >= start,
                    r.created_at < end,
                    self._is_teacher(program_id, r.member_id),
                )
            )
            or 0
        )

    def existing_keys(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        return set(
            self._s.scalars(
                select(OutboxRow.idempotency_key).where(
                    OutboxRow.workspace_id == self._ws, OutboxRow.idempotency_key.in_(list(keys))
                )
            )
        )


@dataclass(frozen=True)
class _Round:
    id: int
    number: int
    first_pairing: int
    last_pairing: int


def _spread_order(kind: str) -> Any:
    """A scale reads 1 to 5; a choice's answers, the most given first."""
    if kind == "scale":
        return lambda item: item[0]
    return lambda item: (-item[1], item[0])


def _figures(row: Sequence[Any]) -> CheckinFigures:
    sent, answered, conf_sum, conf_n, people = row
    return CheckinFigures(
        sent=int(sent),
        answered=int(answered),
        confidence_sum=int(conf_sum or 0),
        confidence_count=int(conf_n),
        people=int(people),
    )
