"""The bulletin in chat: bulletin channels chosen by coordinators, open opportunities asked for in words,
a coordinator's own posts, and each person's bulletin settings."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

from bot.claims import Claim, words
from bot.core import STALE_ACTION, Context, Event, Handler, Reply
from bot.storage.bulletin import (
    CHANNEL_ONLY,
    DISCARDED,
    EACH,
    POSTED,
    RECALLED,
    WEEKLY,
    ChannelRecord,
    OpportunityRecord,
    Preference,
)
from cards.model import Action, Card, Section
from handlers.bulletin.cards import REPORT, summary_line
from handlers.bulletin.desk import BulletinDesk
from handlers.bulletin.manage import post_choices
from handlers.bulletin.model import competencies_named, kind_of
from handlers.bulletin.report import cell

SETTINGS = "bulletin.settings"
_USE = words("use this channel for the bulletin", "use this channel for bulletin", "post the bulletin here")
_STOP = words(
    "stop using this channel",
    "stop using this channel for the bulletin",
    "stop posting the bulletin here",
)
_MINE = words("my posts", "my bulletin posts", "my opportunities", "show my posts")
_SETTINGS_WORDS = words("bulletin settings", "my bulletin settings", "bulletin preferences")
_PLURALS = ("secondments", "apprenticeships", "vacancies", "events", "conferences", "courses", "awards")
_CLOSING = re.compile(r"\bclosing\s+(?:this\s+week|soon|today|this\s+month)\b")
_GRADE = re.compile(r"\bgrade\s+(\w+)\b")
LIMIT = 10


def _kinds_named(text: str) -> set[str]:
    said = re.findall(r"[a-z-]+", text)
    return {kind for w in said for kind in (kind_of(w), kind_of(w.removesuffix("s"))) if kind is not None}


def asks_for_opportunities(text: str) -> bool:
    """Whether a message asks what is on the bulletin (not what the framework suggests for development)."""
    if "development opportunit" in text:
        return False
    if re.search(r"\b(?:opportunit\w*|bulletin)\b", text) or _CLOSING.search(text):
        return True
    first = re.match(r"^any\s+([a-z-]+)", text)
    if first and _kinds_named(first.group(1)):
        return True
    return bool(re.match(rf"^(?:{'|'.join(_PLURALS)})\b", text))


OPEN_CLAIM = Claim(feature="bulletin", name="bulletin.open", test=asks_for_opportunities)
USE_CLAIM = Claim(feature="bulletin", name="bulletin.use-channel", phrases=(_USE,))
STOP_CLAIM = Claim(feature="bulletin", name="bulletin.stop-channel", phrases=(_STOP,))
MINE_CLAIM = Claim(feature="bulletin", name="bulletin.mine", phrases=(_MINE,), private_only=True)
SETTINGS_CLAIM = Claim(
    feature="bulletin", name="bulletin.settings", phrases=(_SETTINGS_WORDS,), private_only=True
)


def _only_coordinators(ctx: Context) -> Card | None:
    if ctx.person is None or not ctx.person.is_coordinator:
        return Card(
            title="Only coordinators can do that",
            sections=[
                Section(text="Bulletin channels and posts are managed by Technician Commitment coordinators.")
            ],
        )
    return None


async def on_use_channel(event: Event, ctx: Context) -> list[Reply]:
    refusal = _only_coordinators(ctx)
    if refusal is not None or ctx.stores is None or ctx.person is None:
        return [Reply(card=refusal or STALE_ACTION)]
    if not event.channel:
        text = "Say it in the channel the bulletin should go to (mention me there), not in a direct message."
        return [Reply(card=Card(title="Which channel?", sections=[Section(text=text)]))]
    name = event.channel_name or event.channel
    added = await ctx.stores.bulletin.add_channel(
        ChannelRecord(event.platform, event.channel, event.tenant, name), ctx.person.email
    )
    await ctx.stores.audit.record(
        ctx.person.email, "bulletin.channel.add", f"{event.platform}:{event.channel}"
    )
    text = "New opportunities will be posted here." if added else "This channel already gets the bulletin."
    return [Reply(card=Card(title="This channel gets the TC bulletin", sections=[Section(text=text)]))]


async def on_stop_channel(event: Event, ctx: Context) -> list[Reply]:
    refusal = _only_coordinators(ctx)
    if refusal is not None or ctx.stores is None or ctx.person is None:
        return [Reply(card=refusal or STALE_ACTION)]
    removed = bool(event.channel) and await ctx.stores.bulletin.remove_channel(event.platform, event.channel)
    await ctx.stores.audit.record(
        ctx.person.email, "bulletin.channel.remove", f"{event.platform}:{event.channel}"
    )
    text = (
        "No more opportunities will be posted here."
        if removed
        else "This channel was not getting the bulletin."
    )
    return [Reply(card=Card(title="Bulletin channel", sections=[Section(text=text)]))]


def _matches(record: OpportunityRecord, text: str, ctx: Context, today: date) -> bool:
    kinds = _kinds_named(text)
    if kinds and record.kind not in kinds:
        return False
    grade = _GRADE.search(text)
    if grade and record.grades and grade.group(1) not in record.grades:
        return False
    if _CLOSING.search(text):
        horizon = today + timedelta(days=1 if "today" in text else 31 if "month" in text else 7)
        if not record.closes_on or record.closes_on > horizon.isoformat():
            return False
    rest = text.split(" for ", 1)[1] if " for " in text else ""
    rest = _GRADE.sub("", rest).strip()
    if rest:
        wanted, _ = competencies_named([rest], ctx)
        if wanted and not set(wanted) & set(record.competencies):
            return False
    return True


def open_opportunities_handler(desk: BulletinDesk) -> Handler:
    async def on_open(event: Event, ctx: Context) -> list[Reply]:
        if ctx.stores is None:
            return [Reply(card=STALE_ACTION)]
        text = " ".join(event.text.lower().split()).rstrip("?!.")
        today = desk.today()
        found = [
            r for r in await ctx.stores.bulletin.posted(today.isoformat()) if _matches(r, text, ctx, today)
        ]
        if not found:
            card = Card(
                title="No open opportunities match",
                sections=[
                    Section(
                        text="Nothing on the bulletin matches that now. Ask “what opportunities are "
                        "open” to see all of them."
                    )
                ],
            )
            return [Reply(card=card)]
        key = await ctx.stores.uptake.link_key(desk.config.link_secret)
        person_id = ctx.person.id if ctx.person else None
        sections = []
        for record in found[:LIMIT]:
            link = desk._link(record, key, person_id)
            sections.append(Section(heading=summary_line(record), text=record.description[:300], note=link))
        more = f" (the first {LIMIT} of {len(found)})" if len(found) > LIMIT else ""
        return [Reply(card=Card(title=f"Open opportunities{more}", sections=sections))]

    return on_open


async def on_my_posts(event: Event, ctx: Context) -> list[Reply]:
    refusal = _only_coordinators(ctx)
    if refusal is not None or ctx.stores is None or ctx.person is None:
        return [Reply(card=refusal or STALE_ACTION)]
    records = [r for r in await ctx.stores.bulletin.by_author(ctx.person.email) if r.status != DISCARDED]
    if not records:
        return [
            Reply(card=Card(title="Your posts", sections=[Section(text="You have not posted anything yet.")]))
        ]
    lines = []
    for record in records[:20]:
        statuses = await ctx.stores.outbox.status(record.send_id)
        status = statuses[0] if statuses else None
        uptake = await ctx.stores.uptake.of(record.id)
        sent = status.by_state.get("sent", 0) if status else 0
        pending = status.open if status else 0
        failed = sum(status.failed_by_reason.values()) if status else 0
        state = record.status.replace("_", " ")
        uptake_line = f"clicked {cell(len(uptake.clicked))}, interested {cell(len(uptake.interested))}"
        lines.append(
            f"{record.id}: {record.title} ({state}): sent {sent}, pending {pending}, "
            f"not delivered {failed}; {uptake_line}"
        )
    # A Report button for each post that went out (Slack allows 25 buttons; ten is plenty to pick from).
    reports = [
        Action(label=f"Report on {r.id}", action_id=REPORT, value=json.dumps([r.id]))
        for r in records[:10]
        if r.status in (POSTED, RECALLED)
    ]
    card = Card(
        title="Your posts",
        sections=[Section(bullets=lines)],
        prompt="Choose one for its delivery status, to resend, edit or recall it.",
        choices=post_choices(records[:20]),
        actions=reports,
    )
    return [Reply(card=card)]


def _settings_card(preference: Preference) -> Card:
    mode = {EACH: "each matching opportunity", WEEKLY: "a weekly digest", CHANNEL_ONLY: "the channels only"}
    suggest = "on" if preference.use_assessment else "off"
    return Card(
        title="Your bulletin settings",
        sections=[
            Section(text=f"You get {mode.get(preference.mode, preference.mode)} in a private message."),
            Section(
                text=f"Use my self-assessment to suggest opportunities: {suggest}. When on, opportunities "
                "that develop one of your latest development areas reach you too. Nobody else sees why."
            ),
        ],
        actions=[
            Action(label="Each one", action_id=SETTINGS, value=json.dumps({"mode": EACH})),
            Action(label="Weekly digest", action_id=SETTINGS, value=json.dumps({"mode": WEEKLY})),
            Action(label="Channel only", action_id=SETTINGS, value=json.dumps({"mode": CHANNEL_ONLY})),
            Action(
                label="Stop using my self-assessment"
                if preference.use_assessment
                else "Use my self-assessment",
                action_id=SETTINGS,
                value=json.dumps({"use_assessment": not preference.use_assessment}),
            ),
        ],
    )


async def on_settings(event: Event, ctx: Context) -> list[Reply]:
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=STALE_ACTION)]
    return [Reply(card=_settings_card(await ctx.stores.bulletin.preference(ctx.person.id)))]


async def on_settings_action(event: Event, ctx: Context) -> list[Reply]:
    if ctx.person is None or ctx.stores is None or not event.private:
        return [Reply(card=STALE_ACTION)]
    try:
        chosen = json.loads(event.value)
    except ValueError:
        return [Reply(card=STALE_ACTION)]
    mode = chosen.get("mode") if isinstance(chosen, dict) else None
    use = chosen.get("use_assessment") if isinstance(chosen, dict) else None
    if (
        mode not in (None, EACH, WEEKLY, CHANNEL_ONLY)
        or use not in (None, True, False)
        or (mode is None and use is None)
    ):
        return [Reply(card=STALE_ACTION)]
    preference = await ctx.stores.bulletin.set_preference(ctx.person.id, mode=mode, use_assessment=use)
    return [Reply(card=_settings_card(preference), replace_original=True)]
