"""Rows to domain objects and back; the only place that knows both shapes."""

from __future__ import annotations

from datetime import datetime

from bot.kernel.domain import (
    Member,
    Membership,
    MemberStatus,
    OutboxItem,
    Platform,
    Program,
    ProgramKind,
    ProgramRole,
    Role,
    Workspace,
)
from storage.models import MemberRow, MembershipRow, OutboxRow, ProgramRow, WorkspaceRow


def workspace(row: WorkspaceRow) -> Workspace:
    return Workspace(
        id=row.id,
        platform=Platform(row.platform),
        external_id=row.external_id,
        name=row.name,
        active=row.active,
    )


def member(row: MemberRow) -> Member:
    return Member(
        id=row.id,
        workspace_id=row.workspace_id,
        platform_user_id=row.platform_user_id,
        display_name=row.display_name,
        email=row.email,
        timezone=row.timezone,
        role=Role(row.role),
        subjects=list(row.subjects or []),
        grade_bands=list(row.grade_bands or []),
        school=row.school,
        years_experience=row.years_experience,
        goals=list(row.goals or []),
        strengths=list(row.strengths or []),
        status=MemberStatus(row.status),
        paused_until=row.paused_until,
        consented_at=row.consented_at,
        joined_at=row.joined_at,
        reachable=row.reachable,
    )


def fill_member_row(row: MemberRow, m: Member, now: datetime) -> None:
    row.platform_user_id = m.platform_user_id
    row.display_name = m.display_name
    row.email = m.email
    row.timezone = m.timezone
    row.role = m.role.value
    row.subjects = list(m.subjects)
    row.grade_bands = list(m.grade_bands)
    row.school = m.school
    row.years_experience = m.years_experience
    row.goals = list(m.goals)
    row.strengths = list(m.strengths)
    row.status = m.status.value
    row.paused_until = m.paused_until
    row.consented_at = m.consented_at
    row.joined_at = m.joined_at
    row.reachable = m.reachable
    row.updated_at = now


def program(row: ProgramRow) -> Program:
    return Program(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        kind=ProgramKind(row.kind),
        cadence_weeks=row.cadence_weeks,
        checkin_weekday=row.checkin_weekday,
        checkin_time=row.checkin_time,
        timezone=row.timezone,
        group_size=row.group_size,
        questions=list(row.questions or []),
        settings=dict(row.settings or {}),
        active=row.active,
        created_at=row.created_at,
    )


def fill_program_row(row: ProgramRow, p: Program) -> None:
    row.name = p.name
    row.kind = p.kind.value
    row.cadence_weeks = p.cadence_weeks
    row.checkin_weekday = p.checkin_weekday
    row.checkin_time = p.checkin_time
    row.timezone = p.timezone
    row.group_size = p.group_size
    row.questions = list(p.questions)
    row.settings = dict(p.settings)
    row.active = p.active


def membership(row: MembershipRow) -> Membership:
    return Membership(
        id=row.id,
        program_id=row.program_id,
        member_id=row.member_id,
        role=ProgramRole(row.role),
        capacity=row.capacity,
        joined_at=row.joined_at,
    )


def outbox_item(row: OutboxRow, workspace_external_id: str = "") -> OutboxItem:
    return OutboxItem(
        id=row.id,
        workspace_id=row.workspace_id,
        platform=Platform(row.platform),
        recipient_user_id=row.recipient_user_id,
        recipient_member_id=row.recipient_member_id,
        idempotency_key=row.idempotency_key,
        payload=dict(row.payload),
        attempts=row.attempts,
        workspace_external_id=workspace_external_id,
    )
