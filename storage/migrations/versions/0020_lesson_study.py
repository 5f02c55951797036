"""study_cycles, study_members, study_notes: lesson study's cycles with their phases, due dates, shared
plan and research lesson; who is in each with the focus they observe; and the observers' notes.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _workspace() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("workspace_id", sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "study_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        _workspace(),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("starter_id", sa.Integer(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("plan_due", sa.Date(), nullable=False),
        sa.Column("teach_due", sa.Date(), nullable=False),
        sa.Column("debrief_due", sa.Date(), nullable=False),
        sa.Column("revise_due", sa.Date(), nullable=False),
        sa.Column("reteach_due", sa.Date(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("students_do", sa.Text(), nullable=False),
        sa.Column("watch_for", sa.Text(), nullable=False),
        sa.Column("plan_link", sa.String(length=500), nullable=False),
        sa.Column("plan_by", sa.Integer(), nullable=True),
        sa.Column("teacher_id", sa.Integer(), nullable=True),
        sa.Column("lesson_on", sa.Date(), nullable=True),
        sa.Column("period", sa.String(length=60), nullable=False),
        sa.Column("class_name", sa.String(length=120), nullable=False),
        sa.Column("nudged", sa.String(length=80), nullable=False),
        sa.Column("debriefed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_study_cycles_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["starter_id"],
            ["members.id"],
            name=op.f("fk_study_cycles_starter_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_by"],
            ["members.id"],
            name=op.f("fk_study_cycles_plan_by_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["teacher_id"],
            ["members.id"],
            name=op.f("fk_study_cycles_teacher_id_members"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_cycles")),
    )
    op.create_index(
        op.f("ix_study_cycles_workspace_id"), "study_cycles", ["workspace_id"], unique=False
    )
    op.create_index("ix_study_cycles_phase", "study_cycles", ["workspace_id", "phase"])
    op.create_table(
        "study_members",
        sa.Column("id", sa.Integer(), nullable=False),
        _workspace(),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("focus", sa.String(length=200), nullable=False),
        sa.Column("revision", sa.Text(), nullable=False),
        sa.Column("revised_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_study_members_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["study_cycles.id"],
            name=op.f("fk_study_members_cycle_id_study_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_study_members_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_members")),
        sa.UniqueConstraint("cycle_id", "member_id", name=op.f("uq_study_members_cycle_id")),
    )
    op.create_index(
        op.f("ix_study_members_workspace_id"), "study_members", ["workspace_id"], unique=False
    )
    op.create_index(
        op.f("ix_study_members_member_id"), "study_members", ["member_id"], unique=False
    )
    op.create_table(
        "study_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        _workspace(),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_study_notes_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["study_cycles.id"],
            name=op.f("fk_study_notes_cycle_id_study_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_study_notes_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_notes")),
    )
    op.create_index(
        op.f("ix_study_notes_workspace_id"), "study_notes", ["workspace_id"], unique=False
    )
    op.create_index(op.f("ix_study_notes_cycle_id"), "study_notes", ["cycle_id"], unique=False)
    op.create_index(op.f("ix_study_notes_member_id"), "study_notes", ["member_id"], unique=False)


def downgrade() -> None:
    op.drop_table("study_notes")
    op.drop_table("study_members")
    op.drop_table("study_cycles")
