"""pairing: coordinators' pairing rules, and one round number per program

Revision ID: 0005
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pairing_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("member_a_id", sa.Integer(), nullable=False),
        sa.Column("member_b_id", sa.Integer(), nullable=False),
        sa.Column("round_number", sa.Integer(), nullable=True),
        sa.Column("created_by_member_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"],
            ["members.id"],
            name=op.f("fk_pairing_rules_created_by_member_id_members"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["member_a_id"],
            ["members.id"],
            name=op.f("fk_pairing_rules_member_a_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_b_id"],
            ["members.id"],
            name=op.f("fk_pairing_rules_member_b_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_pairing_rules_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_pairing_rules_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairing_rules")),
    )
    with op.batch_alter_table("pairing_rules", schema=None) as batch_op:
        batch_op.create_index("ix_pairing_rules_program_kind", ["program_id", "kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pairing_rules_workspace_id"), ["workspace_id"], unique=False
        )
    with op.batch_alter_table("pairing_rounds", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_pairing_rounds_program_number", ["program_id", "number"]
        )


def downgrade() -> None:
    with op.batch_alter_table("pairing_rounds", schema=None) as batch_op:
        batch_op.drop_constraint("uq_pairing_rounds_program_number", type_="unique")
    with op.batch_alter_table("pairing_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pairing_rules_workspace_id"))
        batch_op.drop_index("ix_pairing_rules_program_kind")
    op.drop_table("pairing_rules")
