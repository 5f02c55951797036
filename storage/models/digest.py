"""Figures a coordinator has seen, frozen when their week closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, workspace_fk


class FrozenWeekRow(Base):
    """One closed week's check-in figures for a program (``grp`` empty) or one of its roles.

    Stored at the first read after the week closed and never recomputed: a late answer or a role
    changed afterwards would otherwise move a closed week, and two reads of it would give away the
    one teacher whose answer or role made the difference.
    """

    __tablename__ = "frozen_week_figures"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    grp: Mapped[str] = mapped_column(String(16), primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    sent: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)
    confidence_sum: Mapped[int] = mapped_column(Integer)
    confidence_count: Mapped[int] = mapped_column(Integer)
    people: Mapped[int] = mapped_column(Integer)
    frozen_at: Mapped[datetime]


class DigestLinkGenerationRow(Base):
    """How many times a program's web digest links have been revoked: a link carries the
    generation it was minted in and opens nothing once the program's has moved past it.

    One small row a program rather than a row an issued link: links are minted for every
    coordinator every week and cost nothing to forget, while revoking them all is one update.
    """

    __tablename__ = "digest_link_generations"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    workspace_id: Mapped[int] = workspace_fk()
    generation: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime | None]


class FrozenQuestionRow(Base):
    """One closed week's figures for one of a program's own questions: the question as a whole
    (``value`` empty) or how many gave one value of a choice or a scale.

    A week frozen with no answers keeps one row with an empty ``question``, so that a late answer
    does not bring it back to life. Text answers are counted here, never quoted.
    """

    __tablename__ = "frozen_question_figures"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    question: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    answers: Mapped[int] = mapped_column(Integer)
    people: Mapped[int] = mapped_column(Integer)
    frozen_at: Mapped[datetime]
