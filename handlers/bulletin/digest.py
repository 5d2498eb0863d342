"""The weekly digest: one private message a week to each person who chose it, listing the open
opportunities posted since they last had one that suit them, with the same reasons a single post gives.

It goes on the digest day (TECHPATH_BULLETIN_DIGEST_DAY, Monday by default) at the local send hour, or on
the next working day of that week when the day is not one. Each person's digest is made once per ISO week
by its unique key, whichever replica's tick gets there first, in the same transaction as its delivery; a
week with nothing for someone sends them nothing."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from bot.storage.bulletin import POSTED, WEEKLY, OpportunityRecord
from bot.storage.outbox import Row, Target
from bot.storage.stores import Stores
from bot.working_time import InstitutionCalendar
from cards.model import Action, Card, Section
from handlers.bulletin.cards import INTERESTED, opportunity_value, summary_line
from handlers.bulletin.desk import BulletinDesk
from handlers.bulletin.targeting import recipients

logger = logging.getLogger(__name__)

DIGEST_FEATURE = "bulletin.digest"
# Each listed opportunity is three blocks and a button on Slack: eight stay well inside 50 blocks.
LISTED = 8
CHUNK = 500
_BUTTON_TITLE = 40

Listing = list[tuple[OpportunityRecord, str]]


def week_of(day: date) -> str:
    """The ISO week a day is in, as digests are keyed: "2027-W09"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_day(calendar: InstitutionCalendar, day: date, weekday: int) -> date | None:
    """The day the digest of ``day``'s week goes: ``weekday`` of that week, or the next working day after
    it in the same week, else the last working day before it; None for a week with no working day."""
    monday = day - timedelta(days=day.weekday())
    week = [monday + timedelta(days=n) for n in range(7)]
    working = [d for d in week if calendar.is_working_day(d)]
    later = [d for d in working if d.weekday() >= weekday]
    earlier = [d for d in working if d.weekday() < weekday]
    return later[0] if later else earlier[-1] if earlier else None


def digest_card(listing: Listing, links: dict[int, str], more: int) -> Card:
    """One person's digest: each opportunity with why it reached them, its link and "I'm interested"."""
    count = len(listing) + more
    title = f"Your weekly bulletin: {count} new " + ("opportunity" if count == 1 else "opportunities")
    sections = []
    actions = []
    for record, reason in listing:
        link = links.get(record.id, "")
        note = f"{reason} Link: {link}" if link else reason
        sections.append(Section(heading=summary_line(record), text=record.description[:300], note=note))
        short = (
            record.title if len(record.title) <= _BUTTON_TITLE else record.title[: _BUTTON_TITLE - 1] + "…"
        )
        actions.append(
            Action(label=f"I'm interested: {short}", action_id=INTERESTED, value=opportunity_value(record.id))
        )
    if more:
        sections.append(Section(text=f"{more} more suit you: ask “what opportunities are open” to see them."))
    sections.append(
        Section(note="You chose a weekly digest. Say “bulletin settings” to get each one as it is posted.")
    )
    return Card(title=title, sections=sections, actions=actions)


class WeeklyDigest:
    def __init__(self, desk: BulletinDesk, calendar: InstitutionCalendar) -> None:
        self._desk = desk
        self._calendar = calendar

    async def run_once(self, now: datetime) -> int:
        """Make this week's digests once they are due; returns how many were queued."""
        today = self._calendar.local_date(now)
        day = digest_day(self._calendar, today, self._desk.config.digest_day)
        if day is None or now < self._calendar.instant(day):
            return 0
        week = week_of(today)
        schedule = self._desk.stores.bulletin_schedule
        if await schedule.week_done(week):
            return 0
        made = await self._make(week, today)
        await schedule.finish_week(week)
        if made:
            logger.info("bulletin digests for %s: %d queued", week, made)
        return made

    async def listings(self, today: date) -> dict[int, Listing]:
        """What each weekly reader's digest would list now: open opportunities that suit them, posted
        after they chose the digest, that no earlier digest of theirs listed. Soonest closing first."""
        stores = self._desk.stores
        weekly = {p: pref for p, pref in (await stores.bulletin.preferences()).items() if pref.mode == WEEKLY}
        if not weekly:
            return {}
        since = {p: pref.mode_since for p, pref in weekly.items()}
        earliest = min((s for s in since.values() if s is not None), default=None)
        candidates = [
            r
            for r in await stores.bulletin.posted(today.isoformat())
            if r.posted_at is not None and (earliest is None or r.posted_at > earliest)
        ]
        listed = await stores.bulletin_schedule.listed(list(weekly))
        found: dict[int, Listing] = {}
        for record in candidates:
            assert record.posted_at is not None
            for recipient in await recipients(record, self._desk.ctx, stores, mode=WEEKLY):
                chose = since.get(recipient.person_id)
                if chose is not None and record.posted_at <= chose:
                    continue  # it reached them as they had chosen then
                if record.id in listed.get(recipient.person_id, set()):
                    continue
                found.setdefault(recipient.person_id, []).append((record, recipient.reason))
        return found

    async def _make(self, week: str, today: date) -> int:
        stores = self._desk.stores
        listings = await self.listings(today)
        key = await self._desk._key()
        people = sorted(listings)
        made = 0
        # In chunks, each its own transaction (digests and their deliveries together); a crash between
        # chunks leaves the week unfinished, and the next tick makes only the digests still missing.
        for start in range(0, len(people), CHUNK):
            chunk = {p: listings[p] for p in people[start : start + CHUNK]}
            async with stores.database.unit_of_work():
                new = await stores.bulletin_schedule.create_digests(
                    week, {p: [record.id for record, _ in listing] for p, listing in chunk.items()}
                )
                posts = []
                for person_id, digest_id in new.items():
                    listing = chunk[person_id]
                    shown = listing[:LISTED]
                    links = {r.id: self._desk._link(r, key, person_id) for r, _ in shown}
                    card = digest_card(shown, links, len(listing) - len(shown)).model_dump()
                    posts.append(
                        (f"bulletin-digest:{week}", card, Target(person_id=person_id), f"digest:{digest_id}")
                    )
                await stores.outbox.enqueue_each(DIGEST_FEATURE, posts, want_ids=False)
                made += len(posts)
        return made


async def may_deliver_digest(stores: Stores, row: Row) -> bool:
    """A digest goes only to someone who still wants one (not after switching to each post or channels),
    and only while something it lists is still posted: one waiting for its reader's first message may
    outlive every opportunity in it."""
    if row.person_id is None:
        return False
    if (await stores.bulletin.preference(row.person_id)).mode != WEEKLY:
        return False
    prefix, _, number = row.subject.partition(":")
    if prefix != "digest" or not number.isdigit():
        return False
    for opportunity_id in await stores.bulletin_schedule.digest_lists(int(number)):
        record = await stores.bulletin.get(opportunity_id)
        if record is not None and record.status == POSTED:
            return True
    return False
