"""The bulletin's tables: opportunities, the channels they go to, and their uptake (personal data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base, utcnow


class Opportunity(Base):
    """Something on the TC bulletin: a course, a secondment, mentoring... and who it is for."""

    __tablename__ = "opportunities"
    __table_args__ = (Index("ix_opportunities_status", "status", "closes_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(1000), default="")
    # The last day to apply (an ISO date, in the institution's calendar); empty when open-ended.
    closes_on: Mapped[str] = mapped_column(String(10), default="")
    contact: Mapped[str] = mapped_column(String(320), default="")
    # {"grades": [...], "paths": [...], "departments": [...]}; all empty: every technician.
    audience: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Framework row ids of the active framework.
    competencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    # draft | awaiting_approval | posted | recalled | discarded (a draft cancelled before posting)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    author_email: Mapped[str] = mapped_column(String(320))
    approved_by: Mapped[str] = mapped_column(String(320), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Its copies were changed to say "Closed" once the closing date passed (done once, by any replica).
    closed_shown: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BulletinChannel(Base):
    """A channel the bulletin posts to: a Slack channel or a Teams channel where the bot is present."""

    __tablename__ = "bulletin_channels"
    __table_args__ = (UniqueConstraint("platform", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(300))
    tenant: Mapped[str] = mapped_column(String(100), default="")
    name: Mapped[str] = mapped_column(String(200), default="")
    added_by: Mapped[str] = mapped_column(String(320), default="")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class BulletinInterest(Base):
    """Someone said "I'm interested": once per person and opportunity."""

    __tablename__ = "bulletin_interest"

    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class BulletinClick(Base):
    """A click on an opportunity's link: a known person once; a channel card's anonymous opens each."""

    __tablename__ = "bulletin_clicks"
    __table_args__ = (
        Index(
            "ux_bulletin_clicks_person",
            "opportunity_id",
            "person_id",
            unique=True,
            sqlite_where=text("person_id IS NOT NULL"),
            postgresql_where=text("person_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # dm | channel | button (Slack's own report of a link button's click)
    source: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class BulletinPreference(Base):
    """How a person wants the bulletin: each matching post, a weekly digest, or the channels only; and
    whether their self-assessment may suggest opportunities."""

    __tablename__ = "bulletin_preferences"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    mode: Mapped[str] = mapped_column(String(10), default="each")
    use_assessment: Mapped[bool] = mapped_column(default=False)
    # When the mode last changed: a first weekly digest lists only what was posted after it (what came
    # before reached them as they had chosen then).
    mode_since: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class BulletinDigest(Base):
    """One person's weekly digest: made once per (person, week), whichever replica gets there first, in the
    same transaction as its delivery. It keeps which opportunities it listed, so none is listed twice."""

    __tablename__ = "bulletin_digests"
    __table_args__ = (UniqueConstraint("person_id", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # The ISO week it is for, "2027-W09".
    week: Mapped[str] = mapped_column(String(8))
    opportunity_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BulletinDigestWeek(Base):
    """A week whose digests have all been made: later ticks that week need not look again."""

    __tablename__ = "bulletin_digest_weeks"

    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    done_at: Mapped[datetime] = mapped_column(default=utcnow)


class BulletinClosingReminder(Base):
    """ "Closes in three days", to one interested person: once per (opportunity, person, closing date), so
    a closing date moved later by an edit is reminded of again."""

    __tablename__ = "bulletin_closing_reminders"
    __table_args__ = (UniqueConstraint("opportunity_id", "person_id", "closes_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    closes_on: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SigningKey(Base):
    """A key the deployment made for itself (the bulletin's link tokens) when none is set."""

    __tablename__ = "signing_keys"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(128))
