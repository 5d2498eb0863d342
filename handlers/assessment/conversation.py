"""The self-assessment in chat: start it, answer it step by step (typed or clicked), pause and resume it.

The assessment belongs to the person and lives in the database, so it survives restarts and can be
resumed on another platform. The conversation only remembers which assessment it is answering, so that
free text there goes to the assessment and not to the question answerer.
"""

from __future__ import annotations

import json
import re

from bot.storage.assessments import AlreadyOpen, AssessmentRecord, AssessmentStore, StaleAssessment
from cards.model import Card, Section
from framework_data.catalogue import role_ref
from framework_data.query import parse_question
from framework_data.schema import Role
from handlers.assessment import cards
from handlers.assessment.export import claims as export_claims
from handlers.assessment.export import export_actions
from handlers.assessment.flow import (
    ACTIVE,
    Command,
    NotNow,
    Phase,
    Progress,
    Unreadable,
    Verb,
    advance,
    read_command,
)
from handlers.assessment.plan import claims as plan_claims
from handlers.assessment.plan import plan_actions
from handlers.assessment.sharing import claims as team_claims
from handlers.assessment.sharing import share_actions, side_by_side_sections
from handlers.notices import STALE_ACTION
from handlers.types import Context, Event, Reply

STATE_KEY = "assessment"  # in the conversation state: the id of the assessment answered here

_START = re.compile(
    r"^(?:please\s+)?(?:start|begin|do|new|take|run)?\s*(?:a\s+|my\s+)?(?:self[\s-]?assess(?:ment)?|assessment)\b"
    r"|^assess\s+me\b|^my\s+self[\s-]?assessment$",
    re.IGNORECASE,
)
_AGAINST = re.compile(r"\b(?:against|for|as)\b\s+(?P<role>.+)$", re.IGNORECASE)
_HISTORY = re.compile(
    r"^(?:show\s+)?(?:my\s+)?(?:past\s+|previous\s+)?(?:self[\s-]?)?assessments"
    r"|^(?:my\s+)?(?:self[\s-]?)?assessment\s+history$",
    re.IGNORECASE,
)
HISTORY_LIMIT = 10
_RESUME_WORDS = {"resume", "continue", "resume assessment", "continue assessment", "resume my assessment"}

WHO_ARE_YOU = Card(
    title="I need to know who you are first",
    sections=[
        Section(
            text="Your self-assessment is saved to you personally, so you need to be in the techpath "
            "directory. Ask your Technician Commitment coordinator to add you."
        )
    ],
)


def _store(ctx: Context) -> AssessmentStore:
    assert ctx.stores is not None  # the router registers this feature only with a database
    return ctx.stores.assessments


def _role(ctx: Context, record: AssessmentRecord) -> Role | None:
    try:
        _, role = ctx.catalogue.role(f"{record.framework_id}:{record.role_id}")
    except KeyError:
        return None
    return role


async def _card(ctx: Context, record: AssessmentRecord, notice: str = "") -> Card:
    loaded, role = ctx.catalogue.role(f"{record.framework_id}:{record.role_id}")
    aspired = ctx.person is None or role.id != ctx.person.role_id
    earlier = await _earlier(ctx, record) if record.progress.phase is Phase.COMPLETE else None
    ident = (record.id, record.key)
    card = cards.card_for(loaded, role, ident, record.progress, aspired, notice, earlier)
    if record.progress.phase is Phase.COMPLETE:
        actions = [*card.actions, *plan_actions(ident), *share_actions(record), *export_actions(ident)]
        sections = [*card.sections, *(side_by_side_sections(record, ctx) if record.review else [])]
        card = card.model_copy(update={"actions": actions, "sections": sections})
    return card


async def _earlier(ctx: Context, record: AssessmentRecord) -> cards.Earlier | None:
    """The person's last finished assessment against the same role before this one."""
    for other in await _store(ctx).completed_for(record.person_id):
        same_role = (other.framework_id, other.role_id) == (record.framework_id, record.role_id)
        earlier = other.started_at < record.started_at
        if other.id != record.id and same_role and other.completed_at and earlier:
            return cards.Earlier(other.completed_at, other.progress.scores)
    return None


def _follow(ctx: Context, record: AssessmentRecord) -> None:
    """Remember in this conversation whether its free text is for the assessment."""
    if record.progress.phase in ACTIVE:
        ctx.state[STATE_KEY] = record.id
    else:
        ctx.state.pop(STATE_KEY, None)


def claims(text: str) -> bool:
    """Whether a message is one of this feature's phrases (any of its message handlers')."""
    lowered = " ".join(text.split()).lower().rstrip(".!?")
    return bool(
        _HISTORY.search(lowered)
        or _START.search(lowered)
        or lowered in _RESUME_WORDS
        or export_claims(lowered)
        or plan_claims(lowered)
        or team_claims(lowered)
    )


async def on_message(event: Event, ctx: Context) -> list[Reply] | None:
    """Any text while an assessment is being answered here; otherwise a start phrase or "resume"."""
    if not event.private:
        return None
    text = " ".join(event.text.split())
    lowered = text.lower().rstrip(".!?")
    following = await _following(ctx)
    if following is not None:
        # First, so that evidence such as "Assessment of COSHH risks" is evidence, not a command.
        try:
            command = read_command(text, following.progress.phase)
        except Unreadable as problem:
            if not (_HISTORY.search(lowered) or _START.search(lowered)):
                return [Reply(card=await _card(ctx, following, notice=str(problem)))]
        else:
            return await _apply(ctx, following, command, clicked=False)
    if _HISTORY.search(lowered):
        return await _history(ctx)
    if _START.search(lowered):
        return await _start_from_text(text, ctx)
    if lowered in _RESUME_WORDS and ctx.person is not None and ctx.stores is not None:
        record = await _store(ctx).open_for(ctx.person.id)
        if record is not None:
            return await _apply(ctx, record, Command(Verb.RESUME), clicked=False)
    return None


async def _following(ctx: Context) -> AssessmentRecord | None:
    """The assessment this conversation is answering, if it still is."""
    following = ctx.state.get(STATE_KEY)
    if following is None or ctx.person is None or ctx.stores is None:
        return None
    record = await _store(ctx).open_for(ctx.person.id)
    if record is None or record.id != following or record.progress.phase not in ACTIVE:
        # Finished, paused or replaced elsewhere: questions are questions again.
        ctx.state.pop(STATE_KEY, None)
        return None
    return record


async def _start_from_text(text: str, ctx: Context) -> list[Reply]:
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    against = _AGAINST.search(text)
    if against:
        query = parse_question(against.group("role"), ctx.catalogue, ctx.vocabulary)
        if query.ambiguous:
            options = query.ambiguous[0].options
            return [
                Reply(
                    card=_pick_role_card(ctx, options, "Which role do you want to assess yourself against?")
                )
            ]
        if len(query.roles) == 1:
            return await _offer_or_start(ctx, query.roles[0])
        return [
            Reply(
                card=_pick_role_card(
                    ctx, _all_roles(ctx), f"I couldn't tell which role “{against.group('role')}” is."
                )
            )
        ]
    current = ctx.catalogue.primary.roles.get(ctx.person.role_id)
    if current is None:
        return [
            Reply(
                card=_pick_role_card(
                    ctx, _all_roles(ctx), "Which role do you want to assess yourself against?"
                )
            )
        ]
    return await _offer_or_start(ctx, role_ref(ctx.catalogue.primary, current))


def _all_roles(ctx: Context) -> list[str]:
    return [role_ref(ctx.catalogue.primary, r) for r in ctx.catalogue.primary.framework.roles]


def _pick_role_card(ctx: Context, refs: list[str], prompt: str) -> Card:
    choices = []
    for ref in refs:
        _, role = ctx.catalogue.role(ref)
        choices.append(cards.start_action(role.label, ref, fresh=False))
    return Card(
        title="Self-assessment",
        sections=[
            Section(
                text="Score yourself against your current role, or against a role you aspire to "
                "(section 6.4 of the framework)."
            )
        ],
        prompt=prompt,
        choices=choices,
    )


async def _offer_or_start(ctx: Context, ref: str, fresh: bool = False) -> list[Reply]:
    """Start against ``ref``, unless an assessment is already open: then offer to resume it instead."""
    assert ctx.person is not None
    open_record = await _store(ctx).open_for(ctx.person.id)
    if open_record is not None and not fresh:
        role = _role(ctx, open_record)
        progress = open_record.progress
        return [
            Reply(
                card=Card(
                    title="You have a self-assessment in progress",
                    subtitle=f"Against {role.label}" if role else "",
                    sections=[
                        Section(
                            text=f"{len(progress.scores)} of {len(progress.rows)} competencies scored. "
                            "Resume it, or start a new one (the one in progress is then discarded)."
                        )
                    ],
                    actions=[
                        cards.do_action("Resume", (open_record.id, open_record.key), progress, Verb.RESUME),
                        cards.start_action(
                            "Start a new one",
                            ref,
                            fresh=True,
                            style="danger",
                            replacing=(open_record.id, open_record.key),
                        ),
                    ],
                )
            )
        ]
    loaded, role = ctx.catalogue.role(ref)
    rows, left_out = cards.scored_rows(loaded, role)
    if not rows:
        return [
            Reply(
                card=Card(
                    title="Nothing to assess",
                    sections=[Section(text=f"The framework gives {role.label} no descriptors to score.")],
                )
            )
        ]
    try:
        record = await _store(ctx).start(ctx.person.id, loaded.id, role.id, Progress(rows=tuple(rows)))
    except AlreadyOpen:
        return await _offer_or_start(ctx, ref)  # started elsewhere at the same moment: offer that one

    _follow(ctx, record)
    grid = cards.grid_rows(loaded)
    notice = (
        f"{len(rows)} competencies, one at a time. Say back, skip, pause, cancel or restart at any point."
        + (
            f" Not scored, as {role.label} has no descriptor for them: "
            + ", ".join(grid[r].name for r in left_out)
            + "."
            if left_out
            else ""
        )
    )
    return [Reply(card=await _card(ctx, record, notice=notice))]


async def _apply(ctx: Context, record: AssessmentRecord, command: Command, clicked: bool) -> list[Reply]:
    try:
        progress = advance(record.progress, command)
    except NotNow as problem:
        _follow(ctx, record)
        return [Reply(card=await _card(ctx, record, notice=str(problem)))]
    if progress == record.progress:
        _follow(ctx, record)
        return [Reply(card=await _card(ctx, record), replace_original=clicked)]
    try:
        saved = await _store(ctx).save(record, progress)
    except StaleAssessment:
        return await _stale(ctx)
    _follow(ctx, saved)
    if progress.phase is Phase.CANCELLED:
        return [Reply(card=cards.CANCELLED, replace_original=clicked)]
    return [Reply(card=await _card(ctx, saved), replace_original=clicked)]


async def _stale(ctx: Context) -> list[Reply]:
    """A click on an old card, a double click, or an answer given meanwhile on another platform."""
    assert ctx.person is not None
    current = await _store(ctx).open_for(ctx.person.id)
    if current is None:
        return [
            Reply(
                card=Card(
                    title="That card is out of date",
                    sections=[
                        Section(
                            text="That assessment is no longer open. "
                            "Say “start self-assessment” to begin a new one."
                        )
                    ],
                )
            )
        ]
    _follow(ctx, current)
    return [
        Reply(
            card=await _card(
                ctx,
                current,
                notice="That button was for an earlier step, so nothing changed. Here is where you are now.",
            )
        )
    ]


async def _history(ctx: Context) -> list[Reply]:
    """The person's finished assessments, newest first, each with a button to show its summary."""
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    done = await _store(ctx).completed_for(ctx.person.id)
    open_record = await _store(ctx).open_for(ctx.person.id)
    lines, actions = [], []
    for record in done[:HISTORY_LIMIT]:
        role = _role(ctx, record)
        scores = record.progress.scores
        average = f", average {sum(scores.values()) / len(scores):.1f}" if scores else ""
        when = f"{record.completed_at:%-d %b %Y}" if record.completed_at else "unfinished"
        label = role.label if role else record.role_id
        lines.append(f"{when}: {label}, {len(scores)} of {len(record.progress.rows)} scored{average}")
        actions.append(cards.show_action(f"Show {when}", (record.id, record.key)))
    sections = (
        [Section(bullets=lines)] if lines else [Section(text="You haven't finished a self-assessment yet.")]
    )
    if open_record is not None:
        sections.append(Section(note="You also have one in progress: say “resume” to carry on."))
    return [
        Reply(
            card=Card(
                title="Your self-assessments",
                sections=sections,
                actions=actions[:5],
                sources=[],
            )
        )
    ]


async def on_show(event: Event, ctx: Context) -> list[Reply]:
    """Show a finished assessment's summary; only ever to its owner."""
    try:
        value = json.loads(event.value)
        assessment_id, key = int(value["a"]), str(value["k"])
    except (ValueError, KeyError, TypeError):
        return [Reply(card=STALE_ACTION)]
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    record = await _store(ctx).get(assessment_id)
    if record is None or record.key != key or record.person_id != ctx.person.id or _role(ctx, record) is None:
        return [Reply(card=STALE_ACTION)]
    return [Reply(card=await _card(ctx, record))]


async def on_step(event: Event, ctx: Context) -> list[Reply]:
    """A clicked step: applied only if the card is for the assessment's current version."""
    try:
        value = json.loads(event.value)
        assessment_id, key = int(value["a"]), str(value["k"])
        version, verb = int(value["v"]), Verb(value["c"])
        score = float(value["s"]) if "s" in value else None
    except (ValueError, KeyError, TypeError):
        return [Reply(card=STALE_ACTION)]
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    record = await _store(ctx).get(assessment_id)
    if record is None or record.key != key or record.person_id != ctx.person.id:
        # Someone else's card (in a shared channel), or one since cancelled: never acted on.
        return [Reply(card=STALE_ACTION)]
    if record.progress.version != version:
        return await _stale(ctx)
    return await _apply(ctx, record, Command(verb, score=score), clicked=True)


async def on_start(event: Event, ctx: Context) -> list[Reply]:
    try:
        value = json.loads(event.value)
        ref, fresh = str(value["role"]), bool(value.get("fresh", False))
        replacing = str(value.get("replace", ""))
        ctx.catalogue.role(ref)
    except (ValueError, KeyError, TypeError):
        return [Reply(card=STALE_ACTION)]
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    if fresh:
        open_record = await _store(ctx).open_for(ctx.person.id)
        if open_record is None or f"{open_record.id}:{open_record.key}" != replacing:
            return await _stale(ctx)  # the one it would discard is already gone: a second click
    replies = await _offer_or_start(ctx, ref, fresh=fresh)
    return [r.model_copy(update={"replace_original": True}) for r in replies]
