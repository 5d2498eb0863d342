"""The database tables. Personal data lives only in people, identities, assessments and conversation state."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    # Timezone-aware datetimes only; JSON columns for structured personal data (erased as a whole).
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class Person(Base):
    """Someone in the directory, as the HR export describes them."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(200), default="")
    grade: Mapped[str] = mapped_column(String(20))
    # The framework role ("g7-specialist") the person holds; validated against the active framework.
    role_id: Mapped[str] = mapped_column(String(60))
    manager_email: Mapped[str] = mapped_column(String(320), default="", index=True)
    # Comma-separated bot roles beyond technician: "coordinator", "admin".
    bot_roles: Mapped[str] = mapped_column(String(100), default="")
    # When they started at their grade, when the HR export says.
    grade_since: Mapped[date | None] = mapped_column(Date, default=None)
    # A coordinator's audience: the departments they may post to (comma-separated); empty for all.
    coordinator_scope: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Identity(Base):
    """A platform account (Slack user in a workspace, Teams user in a tenant) linked to a person."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("platform", "tenant", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    tenant: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[str] = mapped_column(String(200))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConversationState(Base):
    """What a conversation is in the middle of, so it survives a restart and moves between replicas."""

    __tablename__ = "conversation_state"

    conversation_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProcessedEvent(Base):
    """A platform event already handled: a Slack retry or a duplicated Teams activity is dropped."""

    __tablename__ = "processed_events"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Contact(Base):
    """A platform account the bot has talked to, so the welcome is sent on the first contact only."""

    __tablename__ = "contacts"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(100), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConversationReference(Base):
    """Where to send a proactive Teams message later: the Bot Framework reference, stored as our own JSON."""

    __tablename__ = "conversation_references"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    # The person it reaches in a 1:1 chat (None for channels and group chats); erased with their data.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    reference: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BotInstall(Base):
    """A place the bot is installed in beyond one person's chat (a Teams team), whose members it may reach
    in a new one-to-one chat. Holds no personal data: the team's id, its service URL, the bot's account."""

    __tablename__ = "bot_installs"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(100), primary_key=True)
    place_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Download(Base):
    """A file offered as a short-lived link (Teams): the unguessable token is the only way to fetch it."""

    __tablename__ = "downloads"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)
    # The file's bytes; ``content`` is empty then (it held text before files could be binary).
    data: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    # How many more times it may be fetched (set by the offer); the row is deleted with the last fetch.
    downloads_left: Mapped[int] = mapped_column(Integer, server_default="3")


class Assessment(Base):
    """A self-assessment: scores and evidence are personal data, private until the person shares them."""

    __tablename__ = "assessments"
    # One assessment open per person: two starts at once (say from Slack and Teams) cannot both win.
    __table_args__ = (
        Index(
            "ux_assessments_one_open",
            "person_id",
            unique=True,
            sqlite_where=text("status IN ('score', 'evidence', 'paused')"),
            postgresql_where=text("status IN ('score', 'evidence', 'paused')"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    framework_id: Mapped[str] = mapped_column(String(60))
    role_id: Mapped[str] = mapped_column(String(60))
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    plan: Mapped[dict[str, Any]] = mapped_column(default=dict)
    shared_with_manager_at: Mapped[datetime | None] = mapped_column(default=None)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    # Where the conversation is (handlers/assessment/flow.py): the phase, and the rest of its progress.
    status: Mapped[str] = mapped_column(String(20), default="complete", index=True)
    # The manager's view, once shared: {"scores": {row: score}, "comment": str, "at": iso time}.
    review: Mapped[dict[str, Any]] = mapped_column(default=dict)
    progress: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Who did what, when, for coordinator and admin actions and erasures; never the content."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(320), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class Delivery(Base):
    """One message the bot sends on its own to one target (a person, or a channel), or an edit or deletion
    of one already sent: the delivery engine's ledger (bot/outbox/). Written in the same transaction as
    whatever caused it; marked sent only after the platform answered, with the platform's message
    reference kept for later edits."""

    __tablename__ = "deliveries"
    __table_args__ = (
        # The claim's search: due rows, oldest first; and expired leases.
        Index("ix_deliveries_due", "state", "next_attempt_at"),
        Index("ix_deliveries_send", "send_id"),
        Index("ix_deliveries_subject", "feature", "subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Rows of one message to many targets share a send id ("share:12", "bulletin:40"); status is by send.
    send_id: Mapped[str] = mapped_column(String(120))
    # post | edit | delete
    kind: Mapped[str] = mapped_column(String(10), default="post")
    # For an edit or a delete, the row whose message it changes (its reference is copied into this row).
    changes_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id", ondelete="SET NULL"))
    # Which feature wrote it, and what about: asked before sending whether it may still go.
    feature: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(120), default="")
    # Whose data the card shows (erasing them withdraws it) and who receives it (erasing them drops it).
    about_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # A channel target: the platform, and its channel (Slack) or conversation (Teams) id.
    platform: Mapped[str] = mapped_column(String(20), default="")
    channel: Mapped[str] = mapped_column(String(300), default="")
    card: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # pending -> sending (leased) -> sent | failed | cancelled; waiting: unreachable until they write.
    state: Mapped[str] = mapped_column(String(12), default="pending")
    lease_owner: Mapped[str] = mapped_column(String(80), default="")
    lease_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(String(120), default="")
    reason: Mapped[str] = mapped_column(String(120), default="")
    # A send that was under way when its worker died: it may or may not have reached the platform.
    outcome_unknown: Mapped[bool] = mapped_column(default=False)
    # The platform's reference to the sent message: {"platform", "channel", "ts"} or
    # {"platform", "conversation_id", "activity_id", "service_url", ...}.
    message_ref: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class DeliveryThrottle(Base):
    """A platform rate-limit scope ("slack:T1:chat.postMessage", "teams:{tenant}"), shared by every
    replica: when the next call may go (a cell-rate schedule) and, after a 429, nothing before the time
    the platform named."""

    __tablename__ = "delivery_throttles"

    scope: Mapped[str] = mapped_column(String(300), primary_key=True)
    # The earliest time the next call in this scope is due under the configured rate.
    next_slot_at: Mapped[datetime] = mapped_column(default=utcnow)
    throttled_until: Mapped[datetime | None] = mapped_column(default=None)
    throttled_seconds: Mapped[float] = mapped_column(default=0.0)


class DeliveryBlock(Base):
    """A person a platform said cannot be reached there for good (blocked the bot, app not installed):
    not tried again on that platform until they next talk to the bot."""

    __tablename__ = "delivery_blocks"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    reason: Mapped[str] = mapped_column(String(120))
    since: Mapped[datetime] = mapped_column(default=utcnow)
