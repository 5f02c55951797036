"""The indexes a teacher's growth record reads through: it owns no table, only these read paths.

Each leads with ``workspace_id`` then the member, for the same reason as the digest's (see
``storage.models.checkins``): SQLite, without ANALYZE statistics, otherwise prefers the single-column
``workspace_id`` index and reads every teacher's years of rows to count one teacher's.
"""

from __future__ import annotations

from sqlalchemy import Index

from storage.models.checkins import CheckinRow
from storage.models.observations import ObservationRequestRow
from storage.models.pairing import PairingMemberRow
from storage.models.reflections import ReflectionRow
from storage.models.resources import ResourceMarkRow, ResourceSharerRow

Index("ix_checkins_growth", CheckinRow.workspace_id, CheckinRow.member_id, CheckinRow.answered_at)
Index(
    "ix_reflections_growth",
    ReflectionRow.workspace_id,
    ReflectionRow.member_id,
    ReflectionRow.created_at,
)
Index(
    "ix_observation_requests_growth",
    ObservationRequestRow.workspace_id,
    ObservationRequestRow.requester_id,
    ObservationRequestRow.starts_at,
)
Index(
    "ix_resource_sharers_growth",
    ResourceSharerRow.workspace_id,
    ResourceSharerRow.member_id,
    ResourceSharerRow.shared_at,
)
Index(
    "ix_resource_marks_growth_on",
    ResourceMarkRow.workspace_id,
    ResourceMarkRow.resource_id,
    ResourceMarkRow.mark,
    ResourceMarkRow.marked_at,
)
Index(
    "ix_resource_marks_growth_by",
    ResourceMarkRow.workspace_id,
    ResourceMarkRow.member_id,
    ResourceMarkRow.mark,
    ResourceMarkRow.marked_at,
)
Index("ix_pairing_members_growth", PairingMemberRow.workspace_id, PairingMemberRow.member_id)
