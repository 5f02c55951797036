"""frozen_question_figures, checkin_answers.template, pairing_members.met_asked_at: a closed week's
figures for the program's own questions, stored once and counted by the question as the coordinator
wrote it; and which pairings each person was asked "did you meet?" about

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checkin_answers") as batch:
        batch.add_column(sa.Column("template", sa.String(length=200), nullable=True))
    with op.batch_alter_table("pairing_members") as batch:
        batch.add_column(sa.Column("met_asked_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "frozen_question_figures",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("question", sa.String(length=200), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("frozen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_frozen_question_figures_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_frozen_question_figures_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "program_id", "week", "question", "value", name=op.f("pk_frozen_question_figures")
        ),
    )
    op.create_index(
        op.f("ix_frozen_question_figures_workspace_id"),
        "frozen_question_figures",
        ["workspace_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_frozen_question_figures_workspace_id"), table_name="frozen_question_figures"
    )
    op.drop_table("frozen_question_figures")
    with op.batch_alter_table("pairing_members") as batch:
        batch.drop_column("met_asked_at")
    with op.batch_alter_table("checkin_answers") as batch:
        batch.drop_column("template")
