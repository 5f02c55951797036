"""resources: sharers, marks, views, pins, and full-text search

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

Adds the feedback counters, the narrow ``resource_search`` table the search reads (see
``storage.repositories.resources_search``) and the full-text index on it: an FTS5 table with triggers on SQLite, a generated
weighted tsvector with a GIN index on PostgreSQL. Existing live resources get their index rows.

A later migration that recreates ``resource_search`` on SQLite (Alembic's batch mode copies the table)
drops the FTS triggers with it: such a migration must run ``storage.repositories.resources_search.SQLITE_DROP`` before and
``SQLITE_DDL`` after.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import SchemaItem

from storage.repositories import resources_search as search

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _member_fk(table: str, column: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["members.id"], name=op.f(f"fk_{table}_{column}_members"), ondelete=ondelete
    )


def _common(table: str) -> list[SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f(f"fk_{table}_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _resource_fk(table: str) -> list[SchemaItem]:
    return [
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f(f"fk_{table}_resource_id_resources"),
            ondelete="CASCADE",
        ),
    ]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("helpful_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("unhelpful_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("removed_by_member_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_resources_removed_by_member_id_members"),
            "members",
            ["removed_by_member_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # The server defaults only filled existing rows; the models give every new row its values.
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.alter_column("helpful_count", server_default=None)
        batch_op.alter_column("unhelpful_count", server_default=None)

    op.create_table(
        "resource_search",
        sa.Column("resource_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("workspace_token", sa.String(length=24), nullable=False),
        sa.Column("quality", sa.Integer(), nullable=False),
        sa.Column("subject_key", sa.String(length=80), nullable=False),
        sa.Column("grade_key", sa.String(length=40), nullable=False),
        sa.Column("tag_keys", sa.Text(), nullable=False),
        sa.Column("search_title", sa.Text(), nullable=False),
        sa.Column("search_tags", sa.Text(), nullable=False),
        sa.Column("search_body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_search_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_resource_search_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resource_id", name=op.f("pk_resource_search")),
    )
    op.create_index(
        op.f("ix_resource_search_workspace_id"), "resource_search", ["workspace_id"], unique=False
    )
    op.create_table(
        "resource_sharers",
        *_common("resource_sharers"),
        *_resource_fk("resource_sharers"),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        _member_fk("resource_sharers", "member_id"),
        sa.UniqueConstraint("resource_id", "member_id", name="uq_resource_sharers_resource_member"),
    )
    op.create_table(
        "resource_marks",
        *_common("resource_marks"),
        *_resource_fk("resource_marks"),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(length=16), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        _member_fk("resource_marks", "member_id"),
        sa.UniqueConstraint("resource_id", "member_id", name="uq_resource_marks_resource_member"),
    )
    op.create_table(
        "resource_views",
        *_common("resource_views"),
        *_resource_fk("resource_views"),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("shown_in", sa.String(length=16), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        _member_fk("resource_views", "member_id"),
        sa.UniqueConstraint("member_id", "resource_id", name="uq_resource_views_member_resource"),
    )
    op.create_table(
        "resource_pins",
        *_common("resource_pins"),
        *_resource_fk("resource_pins"),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("pinned_by_member_id", sa.Integer(), nullable=True),
        sa.Column("pinned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_resource_pins_program_id_programs"),
            ondelete="CASCADE",
        ),
        _member_fk("resource_pins", "pinned_by_member_id", "SET NULL"),
        sa.UniqueConstraint("program_id", "resource_id", name="uq_resource_pins_program_resource"),
    )
    for table in ("resource_sharers", "resource_marks", "resource_views", "resource_pins"):
        columns = ["workspace_id", "resource_id"]
        columns += ["program_id"] if table == "resource_pins" else ["member_id"]
        for column in columns:
            op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)
    op.create_index(
        "ix_resource_marks_workspace_mark_time",
        "resource_marks",
        ["workspace_id", "mark", "marked_at"],
        unique=False,
    )

    _fill_search_columns()
    for statement in search.SQLITE_DDL if dialect == "sqlite" else search.POSTGRES_DDL:
        op.execute(statement)


def _fill_search_columns() -> None:
    """Live resources stored before this revision get their index row (and so a place in search)."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, workspace_id, title, body, url, subject, grade_band, tags FROM resources "
            "WHERE removed_at IS NULL"
        )
    ).mappings()
    for row in list(rows):
        tags = row["tags"]
        if isinstance(tags, str):
            tags = json.loads(tags)
        values = search.search_row(
            workspace_id=row["workspace_id"],
            title=row["title"],
            tags=list(tags or []),
            note=row["body"] or "",
            url=row["url"],
            subject=row["subject"],
            grade_band=row["grade_band"],
            helpful=0,
            unhelpful=0,
        )
        bind.execute(
            sa.text(
                "INSERT INTO resource_search (resource_id, workspace_id, workspace_token, quality, "
                "subject_key, grade_key, tag_keys, search_title, search_tags, search_body) VALUES "
                "(:id, :ws, :workspace_token, :quality, :subject_key, :grade_key, :tag_keys, "
                ":search_title, :search_tags, :search_body)"
            ),
            {**values, "id": row["id"], "ws": row["workspace_id"]},
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in search.SQLITE_DROP if dialect == "sqlite" else search.POSTGRES_DROP:
        op.execute(statement)
    op.drop_index("ix_resource_marks_workspace_mark_time", table_name="resource_marks")
    for table in (
        "resource_pins",
        "resource_views",
        "resource_marks",
        "resource_sharers",
        "resource_search",
    ):
        op.drop_table(table)
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_resources_removed_by_member_id_members"), type_="foreignkey"
        )
        for name in ("removed_by_member_id", "unhelpful_count", "helpful_count"):
            batch_op.drop_column(name)
