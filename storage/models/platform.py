"""Platform tables: Teams conversation references and slack_sdk's OAuth stores."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, workspace_fk


class SlackSeenRequestRow(Base):
    """A signed Slack request already let in, by its signature: a replay within Slack's five-minute
    window is recognised by every copy of the server. Rows older than the window are pruned."""

    __tablename__ = "slack_seen_requests"

    signature: Mapped[str] = mapped_column(String(80), primary_key=True)
    request_timestamp: Mapped[int] = mapped_column(BigInteger, index=True)
    """Slack's ``X-Slack-Request-Timestamp`` (seconds since the epoch), which the signature covers."""


class TeamsConversationRow(Base):
    """Where to reach one person in Teams without their writing first (a Bot Framework reference).

    ``conversation_id`` is empty until their one-to-one chat with the bot exists: someone met only as a
    team member is reached by creating that chat on the first send, which is then stored here.
    """

    __tablename__ = "teams_conversations"
    __table_args__ = (
        UniqueConstraint("workspace_id", "user_id", name="uq_teams_conversations_workspace_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_fk()
    user_id: Mapped[str] = mapped_column(String(128))
    conversation_id: Mapped[str | None] = mapped_column(String(512))
    service_url: Mapped[str] = mapped_column(String(512))
    reference: Mapped[dict[str, Any]] = mapped_column()
    updated_at: Mapped[datetime]


class ConsoleReadRow(Base):
    """A console message its recipient has seen in their terminal.

    The console has no chat history of its own: what the delivery worker marked sent to a console
    person *is* their inbox, read from the outbox (so an erasure or a redaction there applies here
    too). This table only remembers which of those each terminal has already shown.
    """

    __tablename__ = "console_reads"

    outbox_id: Mapped[int] = mapped_column(
        ForeignKey("outbox.id", ondelete="CASCADE"), primary_key=True
    )
    read_at: Mapped[datetime]


# slack_sdk's OAuth installation and state stores keep their rows here, in tables with exactly the
# columns slack_sdk's SQLAlchemy stores expect (tests/adapters/slack/test_oauth.py checks them against
# slack_sdk's own definitions). They are keyed by Slack's team id, not by our workspace id: an
# installation exists before its workspace has done anything in Staffroom.
slack_installations = Table(
    "slack_installations",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index(
        "slack_installations_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)


slack_bots = Table(
    "slack_bots",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("installed_at", DateTime, nullable=False, default=func.now()),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)


slack_oauth_states = Table(
    "slack_oauth_states",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
