"""The self-assessment in chat: start it, answer it step by step (typed or clicked), pause and resume it.

The assessment belongs to the person and lives in the database, so it survives restarts and can be
resumed on another platform. The conversation only remembers which assessment it is answering, so that
free text there goes to the assessment and not to the question answerer.
"""

from __future__ import annotations

import re

from bot import bounded_json
from bot.claims import spoken
from bot.core import STALE_ACTION, Context, Event, Reply, clicked_int
from bot.storage.assessments import AlreadyOpen, AssessmentRecord, StaleAssessment
from cards.model import Card, Section
from framework_data.catalogue import role_ref
from framework_data.query import parse_question
from handlers.assessment import cards
from handlers.assessment.buttons import assessment_named, button_fields, clicked_score
from handlers.assessment.flow import (
    ACTIVE,
    Command,
    NotNow,
    Phase,
    Progress,
    Unreadable,
    Verb,
    advance,
    outside_verb,
    read_command,
)
from handlers.assessment.history import HISTORY, history
from handlers.assessment.present import WHO_ARE_YOU, assessment_card, role_of, store_of

STATE_KEY = "assessment"  # in the conversation state: the id of the assessment answered here

_START = re.compile(
    r"^(?:please\s+)?(?:start|begin|do|new|take|run)?\s*(?:a\s+|my\s+)?(?:self[\s-]?assess(?:ment)?|assessment)\b"
    r"|^assess\s+me\b|^my\s+self[\s-]?assessment$",
    re.IGNORECASE,
)
_AGAINST = re.compile(r"\b(?:against|for|as)\b\s+(?P<role>.+)$", re.IGNORECASE)


def _follow(ctx: Context, record: AssessmentRecord) -> None:
    """Remember in this conversation whether its free text is for the assessment."""
    if record.progress.phase in ACTIVE:
        ctx.state[STATE_KEY] = record.id
    else:
        ctx.state.pop(STATE_KEY, None)


START_WORDS = _START
HISTORY_WORDS = HISTORY


async def still_following(ctx: Context) -> bool:
    """Whether the assessment this conversation remembers is still being answered here."""
    return await _following(ctx) is not None


async def on_answer(event: Event, ctx: Context) -> list[Reply]:
    """Any text while an assessment is being answered here: a score, evidence or a step word."""
    text = " ".join(event.text.split())
    lowered = text.lower().rstrip(".!?")
    following = await _following(ctx)
    if following is None:  # finished meanwhile (the router asked just before): say where things are
        return await on_step_words(event, ctx)
    # First, so that evidence such as "Assessment of COSHH risks" is evidence, not a command.
    try:
        command = read_command(text, following.progress.phase)
    except Unreadable as problem:
        if HISTORY.search(lowered):
            return await history(ctx)
        if _START.search(lowered):
            return await _start_from_text(text, ctx)
        return [Reply(card=await assessment_card(ctx, following, notice=str(problem)))]
    return await _apply(ctx, following, command, clicked=False)


async def on_history_message(event: Event, ctx: Context) -> list[Reply]:
    return await history(ctx)


async def on_start_message(event: Event, ctx: Context) -> list[Reply]:
    return await _start_from_text(" ".join(event.text.split()), ctx)


async def on_step_words(event: Event, ctx: Context) -> list[Reply]:
    """A step word ("resume", "restart", "skip") said where no assessment is being answered: applied to
    the person's open one, or answered with how to start one."""
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    verb = outside_verb(event.text) or Verb.RESUME
    record = await store_of(ctx).open_for(ctx.person.id)
    if record is None:
        return [Reply(card=_nothing_open(ctx, verb))]
    if verb is Verb.CANCEL and spoken(event.text) == "cancel":
        # A bare "cancel" may be meant for something else: discarding answers needs the assessment named.
        notice = "Say “cancel assessment” to discard this assessment, or “resume” to carry on."
        return [Reply(card=await assessment_card(ctx, record, notice=notice))]
    return await _apply(ctx, record, Command(verb), clicked=False)


def _nothing_open(ctx: Context, verb: Verb) -> Card:
    assert ctx.person is not None
    role = ctx.catalogue.primary.roles.get(ctx.person.role_id)
    actions = (
        [cards.start_action("Start a self-assessment", role_ref(ctx.catalogue.primary, role))] if role else []
    )
    return Card(
        title="You have no self-assessment in progress",
        sections=[
            Section(
                text=f"There is nothing to {verb.value.replace('-', ' ')}. Say “start self-assessment” to "
                "begin one, or “my assessments” to see the ones you have finished."
            )
        ],
        actions=actions,
    )


async def _following(ctx: Context) -> AssessmentRecord | None:
    """The assessment this conversation is answering, if it still is."""
    following = ctx.state.get(STATE_KEY)
    if following is None or ctx.person is None or ctx.stores is None:
        return None
    record = await store_of(ctx).open_for(ctx.person.id)
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
    open_record = await store_of(ctx).open_for(ctx.person.id)
    if open_record is not None and not fresh:
        role = role_of(ctx, open_record)
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
        record = await store_of(ctx).start(ctx.person.id, loaded.id, role.id, Progress(rows=tuple(rows)))
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
    return [Reply(card=await assessment_card(ctx, record, notice=notice))]


async def _apply(ctx: Context, record: AssessmentRecord, command: Command, clicked: bool) -> list[Reply]:
    try:
        progress = advance(record.progress, command)
    except NotNow as problem:
        _follow(ctx, record)
        return [Reply(card=await assessment_card(ctx, record, notice=str(problem)))]
    if progress == record.progress:
        _follow(ctx, record)
        return [Reply(card=await assessment_card(ctx, record), replace_original=clicked)]
    try:
        saved = await store_of(ctx).save(record, progress)
    except StaleAssessment:
        return await _stale(ctx)
    _follow(ctx, saved)
    if progress.phase is Phase.CANCELLED:
        return [Reply(card=cards.CANCELLED, replace_original=clicked)]
    return [Reply(card=await assessment_card(ctx, saved), replace_original=clicked)]


async def _stale(ctx: Context) -> list[Reply]:
    """A click on an old card, a double click, or an answer given meanwhile on another platform."""
    assert ctx.person is not None
    current = await store_of(ctx).open_for(ctx.person.id)
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
            card=await assessment_card(
                ctx,
                current,
                notice="That button was for an earlier step, so nothing changed. Here is where you are now.",
            )
        )
    ]


async def on_step(event: Event, ctx: Context) -> list[Reply]:
    """A clicked step: applied only if the card is for the assessment's current version."""
    fields = button_fields(event)
    if fields is None:
        return [Reply(card=STALE_ACTION)]
    version = clicked_int(fields.get("v"))
    try:
        verb = Verb(str(fields.get("c")))
    except ValueError:
        return [Reply(card=STALE_ACTION)]
    score = clicked_score(fields["s"]) if "s" in fields else None
    if version is None or ("s" in fields and score is None):
        return [Reply(card=STALE_ACTION)]
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    record = await assessment_named(ctx, fields)
    if record is None or record.person_id != ctx.person.id:
        # Someone else's card (in a shared channel), or one since cancelled: never acted on.
        return [Reply(card=STALE_ACTION)]
    if record.progress.version != version:
        return await _stale(ctx)
    return await _apply(ctx, record, Command(verb, score=score), clicked=True)


async def on_start(event: Event, ctx: Context) -> list[Reply]:
    try:
        value = bounded_json.loads(event.value)
        ref, fresh = str(value["role"]), bool(value.get("fresh", False))
        replacing = str(value.get("replace", ""))
        ctx.catalogue.role(ref)
    except (ValueError, KeyError, TypeError):
        return [Reply(card=STALE_ACTION)]
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    if fresh:
        open_record = await store_of(ctx).open_for(ctx.person.id)
        if open_record is None or f"{open_record.id}:{open_record.key}" != replacing:
            return await _stale(ctx)  # the one it would discard is already gone: a second click
    replies = await _offer_or_start(ctx, ref, fresh=fresh)
    return [r.model_copy(update={"replace_original": True}) for r in replies]
