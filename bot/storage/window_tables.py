"""The tables of promotion windows and their reminders (the reminders' intent, one row per recipient)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.tables import Base, utcnow


class Window(Base):
    """A promotion or regrading round, an increment round, a programme intake, an award deadline..."""

    __tablename__ = "windows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The coordinator's own key for it in the import file, so importing the file again updates it.
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    opens: Mapped[date] = mapped_column(Date)
    closes: Mapped[date] = mapped_column(Date)
    # once | yearly
    recurrence: Mapped[str] = mapped_column(String(10), default="once")
    # Who is eligible: empty lists mean everyone.
    eligible: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    criteria_text: Mapped[str] = mapped_column(Text, default="")
    criteria_link: Mapped[str] = mapped_column(String(500), default="")
    mentoring_contact: Mapped[str] = mapped_column(String(320), default="")
    mentoring_how: Mapped[str] = mapped_column(Text, default="")
    # [{"days": -14, "anchor": "opens"}, ...]
    leads: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class WindowSlot(Base):
    """One lead time of one occurrence of a window, and when it is due: the tick's small search."""

    __tablename__ = "window_slots"
    __table_args__ = (
        UniqueConstraint("window_id", "occurrence", "lead"),
        Index("ix_window_slots_due", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id", ondelete="CASCADE"))
    # The occurrence's opening date (ISO): a yearly window has one a year.
    occurrence: Mapped[str] = mapped_column(String(10))
    # "-14:opens", "0:opens", "-3:closes"
    lead: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime] = mapped_column()
    # scheduled -> done | skipped (a later lead was also missed) | dropped (the window had closed)
    state: Mapped[str] = mapped_column(String(10), default="scheduled")


class WindowReminder(Base):
    """A reminder to one person: created once per (window, occurrence, recipient, lead), whichever replica
    makes it, and sent through the delivery engine in the same transaction."""

    __tablename__ = "window_reminders"
    __table_args__ = (
        UniqueConstraint("window_id", "occurrence", "person_id", "lead"),
        Index("ix_window_reminders_due", "state", "due_at"),
        Index("ix_window_reminders_window", "window_id", "occurrence"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("windows.id", ondelete="CASCADE"))
    occurrence: Mapped[str] = mapped_column(String(10))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # The slot's lead, prefixed by who it is for: "manager:-14:opens", "technician:-14:opens", "told:1".
    lead: Mapped[str] = mapped_column(String(40))
    # sent (queued to the engine) | acknowledged | snoozed (due again at due_at) | cancelled
    state: Mapped[str] = mapped_column(String(14), default="sent")
    due_at: Mapped[datetime] = mapped_column()
    delivery_id: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class WindowOptOut(Base):
    """A technician who turned window notices off."""

    __tablename__ = "window_opt_outs"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    since: Mapped[datetime] = mapped_column(default=utcnow)
