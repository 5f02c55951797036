"""Pairing rounds, their groups and members, and coordinators' rules."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, workspace_fk


class PairingRoundRow(Base):
    __tablename__ = "pairing_rounds"
    __table_args__ = (
        UniqueConstraint("program_id", "number", name="uq_pairing_rounds_program_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    score: Mapped[float | None] = mapped_column(Float)
    seed: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]


class PairingRow(Base):
    __tablename__ = "pairings"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    round_id: Mapped[int] = mapped_column(
        ForeignKey("pairing_rounds.id", ondelete="CASCADE"), index=True
    )
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[float | None] = mapped_column(Float)
    met_status: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]


class PairingMemberRow(Base):
    __tablename__ = "pairing_members"
    __table_args__ = (
        UniqueConstraint("pairing_id", "member_id", name="uq_pairing_members_pair_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    met_asked_at: Mapped[datetime | None]
    """When this person was asked "did you meet?" about this pairing: once, in their one message
    of the week that covers every pairing they are in."""


class PairingRuleRow(Base):
    """A coordinator's pin or forbid for one round, or a standing do-not-pair between two people."""

    __tablename__ = "pairing_rules"
    __table_args__ = (Index("ix_pairing_rules_program_kind", "program_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    member_a_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    member_b_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    round_number: Mapped[int | None] = mapped_column(Integer)
    created_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime]


# The weekly digest reads one week through this; see storage.models.checkins for why it leads with
# workspace_id.
Index(
    "ix_pairing_rounds_digest",
    PairingRoundRow.workspace_id,
    PairingRoundRow.program_id,
    PairingRoundRow.published_at,
)


Index("ix_pairings_digest", PairingRow.workspace_id, PairingRow.round_id, PairingRow.met_status)
