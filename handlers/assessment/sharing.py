"""Sharing a finished assessment with one's manager (framework section 6.2 step 3), and the manager's side:
their own 1-10 view and a comment, self and manager side by side, and a team view.

Nothing is shared by default. Sharing is explicit and revocable; every manager action checks, at the
moment of the click, that the assessment is still shared with them (handlers/authz.py).
"""

from __future__ import annotations

import re
import secrets

from bot.core import STALE_ACTION, Context, Event, Reply
from bot.storage.assessments import AssessmentRecord, StaleAssessment
from bot.storage.outbox import Row, Target
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from cards.model import Action, Card, Form, FormField, Section
from handlers.assessment import cards
from handlers.assessment.buttons import assessment_named, button_fields, ident_value
from handlers.assessment.flow import MAX_SCORE, Phase, Unreadable, read_score, score_label
from handlers.authz import can_view_assessment

SHARE = "assess.share"
UNSHARE = "assess.unshare"
REVIEW_EDIT = "review.edit"
REVIEW_SAVE = "review.save"
SIDE_BY_SIDE = "review.show"
COMMENT_LIMIT = 1000
# The delivery engine's names for what this feature sends: the card to the manager, the notice to the owner.
SHARE_DELIVERY = "assessment.share"
REVIEW_DELIVERY = "assessment.review"
_TEAM = re.compile(r"^(?:show\s+)?(?:my\s+)?(?:team|reports|team view)(?:'s assessments)?$", re.IGNORECASE)

NOT_SHARED = Card(
    title="That assessment is not shared with you",
    sections=[
        Section(text="Its owner has not shared it, or has stopped sharing it. Nothing of it is shown.")
    ],
)


def _value(record: AssessmentRecord) -> str:
    return ident_value((record.id, record.key))


def share_actions(record: AssessmentRecord) -> list[Action]:
    if record.shared:
        return [
            Action(label="Manager's view", action_id=SIDE_BY_SIDE, value=_value(record)),
            Action(label="Stop sharing", action_id=UNSHARE, value=_value(record), style="danger"),
        ]
    return [Action(label="Share with my manager", action_id=SHARE, value=_value(record))]


async def _load(event: Event, ctx: Context) -> tuple[AssessmentRecord, PersonRecord] | None:
    """The assessment a button names, and its owner, if it is finished and the key matches."""
    fields = button_fields(event)
    if fields is None or ctx.person is None or ctx.stores is None:
        return None
    record = await assessment_named(ctx, fields)
    if record is None or record.progress.phase is not Phase.COMPLETE:
        return None
    owner = await ctx.stores.people.by_id(record.person_id)
    return (record, owner) if owner else None


async def _manager_of(ctx: Context, owner: PersonRecord) -> PersonRecord | None:
    assert ctx.stores is not None
    return await ctx.stores.people.by_email(owner.manager_email) if owner.manager_email else None


async def on_share(event: Event, ctx: Context) -> list[Reply]:
    found = await _load(event, ctx)
    if found is None or ctx.person is None or found[1].id != ctx.person.id or ctx.stores is None:
        return [Reply(card=STALE_ACTION)]
    record, owner = found
    manager = await _manager_of(ctx, owner)
    if manager is None:
        return [
            Reply(
                card=Card(
                    title="I don't know who your manager is",
                    sections=[
                        Section(
                            text="Your directory entry names no manager, or they are not in the directory. "
                            "Ask your Technician Commitment coordinator to update it; nothing was shared."
                        )
                    ],
                )
            )
        ]
    if not record.shared:
        # The share, the card to the manager and the audit line commit together or not at all.
        async with ctx.stores.database.unit_of_work():
            record = await ctx.stores.assessments.set_shared(record, True)
            await ctx.stores.outbox.enqueue(
                f"share:{record.id}:{secrets.token_hex(4)}",
                SHARE_DELIVERY,
                _for_manager(record, owner, ctx).model_dump(),
                [Target(person_id=manager.id)],
                subject=delivery_subject(record.id),
                about_person_id=owner.id,
            )
            await ctx.stores.audit.record(
                owner.email, "assessment.share", f"person:{owner.id}", f"manager:{manager.id}"
            )
    card = Card(
        title=f"Shared with {manager.display_name}",
        sections=[
            Section(
                text="They can see your scores, strengths, development areas and plan (not your evidence), "
                "and add their own view for your PDR or 1:1. You can stop sharing at any time."
            )
        ],
        actions=share_actions(record),
    )
    return [Reply(card=card)]


async def on_unshare(event: Event, ctx: Context) -> list[Reply]:
    found = await _load(event, ctx)
    if found is None or ctx.person is None or found[1].id != ctx.person.id or ctx.stores is None:
        return [Reply(card=STALE_ACTION)]
    record, owner = found
    if record.shared:
        # Not only undelivered cards: the ones already in the manager's chat are edited to say so, and
        # the ledger keeps no copy of the scores it sent.
        async with ctx.stores.database.unit_of_work():
            record = await ctx.stores.assessments.set_shared(record, False)
            edited = await ctx.stores.outbox.change_sent(
                SHARE_DELIVERY,
                delivery_subject(record.id),
                _withdrawn(owner).model_dump(),
                erase_original=True,
            )
            await ctx.stores.audit.record(
                owner.email, "assessment.unshare", f"person:{owner.id}", f"cards_edited={edited}"
            )
    card = Card(
        title="No longer shared",
        sections=[
            Section(text="Your manager can no longer see this assessment. You can share it again later.")
        ],
        actions=share_actions(record),
    )
    return [Reply(card=card, replace_original=True)]


def delivery_subject(assessment_id: int) -> str:
    return f"assessment:{assessment_id}"


def _withdrawn(owner: PersonRecord) -> Card:
    return Card(
        title=f"{owner.display_name} stopped sharing this self-assessment",
        sections=[
            Section(text="Its scores, strengths, development areas and plan are no longer shown here.")
        ],
    )


async def may_deliver(stores: Stores, row: Row) -> bool:
    """Checked when a card goes out, not only when it was queued: a card about someone's assessment reaches
    someone else only while it is shared with them as that person's manager; its owner, always."""
    prefix, _, number = row.subject.partition(":")
    if prefix != "assessment" or not number.isdigit() or row.person_id is None or row.about_person_id is None:
        return False
    record = await stores.assessments.get(int(number))
    owner = await stores.people.by_id(row.about_person_id)
    if record is None or owner is None or record.person_id != owner.id:
        return False
    if row.person_id == owner.id:
        return True
    recipient = await stores.people.by_id(row.person_id)
    return recipient is not None and can_view_assessment(recipient, owner, record.shared)


def _for_manager(record: AssessmentRecord, owner: PersonRecord, ctx: Context) -> Card:
    """What the manager receives: the summary and the plan, with their own actions."""
    loaded, role = ctx.catalogue.role(f"{record.framework_id}:{record.role_id}")
    summary = cards.summary_card(loaded, role, record.progress, aspired=role.id != owner.role_id)
    keep = [
        s
        for s in summary.sections
        if s.heading in ("Strengths", "Development areas") or s.heading.startswith("Gaps")
    ]
    plan = [
        Section(
            heading=f"Plan: {item.get('objective') or '-'}",
            text=f"{item.get('activity') or '-'} (by {item.get('target_date') or 'no date'})",
        )
        for item in record.plan
    ]
    return Card(
        title=f"{owner.display_name} shared a self-assessment",
        subtitle=f"Against {role.label}, {record.completed_at:%-d %B %Y}"
        if record.completed_at
        else role.label,
        chart=summary.chart,
        sections=[
            *keep,
            *plan,
            Section(
                text="As the framework suggests, consider their scoring and give feedback: add your own "
                "view, then agree the priority areas and development together."
            ),
        ],
        actions=[
            Action(label="Add my view", action_id=REVIEW_EDIT, value=_value(record), style="primary"),
            Action(label="Side by side", action_id=SIDE_BY_SIDE, value=_value(record)),
        ],
        sources=summary.sources,
    )


async def _as_manager(event: Event, ctx: Context) -> tuple[AssessmentRecord, PersonRecord] | Card:
    """The assessment, if the person clicking is its owner's manager and it is shared now."""
    found = await _load(event, ctx)
    if found is None or ctx.person is None:
        return STALE_ACTION
    record, owner = found
    if ctx.person.id == owner.id or not can_view_assessment(ctx.person, owner, record.shared):
        return NOT_SHARED
    return record, owner


def _review_form(
    record: AssessmentRecord, owner: PersonRecord, ctx: Context, typed: dict[str, str] | None = None
) -> Form:
    loaded, _ = ctx.catalogue.role(f"{record.framework_id}:{record.role_id}")
    grid = cards.grid_rows(loaded)
    review_scores = record.review.get("scores", {})
    fields = []
    for row in record.progress.rows:
        own = record.progress.scores.get(row)
        theirs = score_label(own) if own is not None else "not scored"
        previous = (
            typed.get(row, "")
            if typed is not None
            else (score_label(review_scores[row]) if row in review_scores else "")
        )
        fields.append(
            FormField(
                id=row,
                label=f"{grid[row].name} ({owner.display_name.split()[0]}: {theirs})",
                value=previous,
                max_length=4,
                placeholder="1-10, or leave empty",
            )
        )
    comment = typed.get("comment", "") if typed is not None else str(record.review.get("comment", ""))
    fields.append(
        FormField(id="comment", label="Comment", value=comment, multiline=True, max_length=COMMENT_LIMIT)
    )
    return Form(
        title="Your view",
        fields=fields,
        submit=Action(label="Save my view", action_id=REVIEW_SAVE, value=_value(record)),
        reopen=Action(label="Add my view", action_id=REVIEW_EDIT, value=_value(record)),
    )


async def on_review_edit(event: Event, ctx: Context) -> list[Reply]:
    checked = await _as_manager(event, ctx)
    if isinstance(checked, Card):
        return [Reply(card=checked)]
    record, owner = checked
    card = Card(
        title=f"Your view of {owner.display_name}'s self-assessment",
        sections=[Section(text=f"Score each competency 1-{MAX_SCORE:g} as you see it, or leave it empty.")],
        form=_review_form(record, owner, ctx),
    )
    return [Reply(card=card)]


async def on_review_save(event: Event, ctx: Context) -> list[Reply]:
    checked = await _as_manager(event, ctx)
    if isinstance(checked, Card) or ctx.stores is None:
        return [Reply(card=checked if isinstance(checked, Card) else STALE_ACTION)]
    record, owner = checked
    loaded, _ = ctx.catalogue.role(f"{record.framework_id}:{record.role_id}")
    grid = cards.grid_rows(loaded)
    scores: dict[str, float] = {}
    problems = []
    for row in record.progress.rows:
        typed = event.inputs.get(row, "").strip()
        if not typed:
            continue
        try:
            score, extra = read_score(typed)
            if extra:
                raise Unreadable("only a number")
        except Unreadable:
            problems.append(f"{grid[row].name}: “{typed[:20]}” is not a score from 1 to 10 (halves allowed)")
            continue
        scores[row] = score
    comment = " ".join(event.inputs.get("comment", "").split())
    if len(comment) > COMMENT_LIMIT:
        problems.append(f"the comment has {len(comment)} characters (at most {COMMENT_LIMIT})")
    if problems:
        card = Card(
            title=f"Your view of {owner.display_name}'s self-assessment",
            sections=[Section(note="Nothing was saved: " + "; ".join(problems) + ".")],
            form=_review_form(record, owner, ctx, typed=dict(event.inputs)),
        )
        return [Reply(card=card)]
    try:
        assert ctx.person is not None
        record = await ctx.stores.assessments.save_review(record, scores, comment, by=ctx.person.id)
    except StaleAssessment:
        return [Reply(card=NOT_SHARED)]
    assert ctx.person is not None
    notice = Card(
        title=f"{ctx.person.display_name} added their view of your self-assessment",
        sections=side_by_side_sections(record, ctx),
        actions=share_actions(record),
    )
    await ctx.stores.outbox.enqueue(
        f"review:{record.id}:{secrets.token_hex(4)}",
        REVIEW_DELIVERY,
        notice.model_dump(),
        [Target(person_id=owner.id)],
        subject=delivery_subject(record.id),
        about_person_id=owner.id,
    )
    return [Reply(card=_side_by_side_card(record, owner, ctx))]


def side_by_side_sections(record: AssessmentRecord, ctx: Context) -> list[Section]:
    """Self and manager per competency, and the manager's comment."""
    loaded, _ = ctx.catalogue.role(f"{record.framework_id}:{record.role_id}")
    grid = cards.grid_rows(loaded)
    theirs = record.review.get("scores", {})

    def shown(score: float | None) -> str:
        return score_label(score) if score is not None else "-"

    lines = [
        f"{grid[row].name}: self {shown(record.progress.scores.get(row))} · manager {shown(theirs.get(row))}"
        for row in record.progress.rows
    ]
    sections = [Section(heading="Self and manager, side by side", bullets=lines)]
    if record.review.get("comment"):
        sections.append(Section(heading="Manager's comment", text=str(record.review["comment"])))
    if not record.review:
        sections.append(Section(note="The manager has not added their view yet."))
    return sections


def _side_by_side_card(record: AssessmentRecord, owner: PersonRecord, ctx: Context) -> Card:
    _, role = ctx.catalogue.role(f"{record.framework_id}:{record.role_id}")
    return Card(
        title=f"{owner.display_name}: self-assessment and manager's view",
        subtitle=f"Against {role.label}",
        sections=side_by_side_sections(record, ctx),
        actions=[Action(label="Edit my view", action_id=REVIEW_EDIT, value=_value(record))]
        if ctx.person is not None and ctx.person.id != owner.id
        else share_actions(record),
    )


async def on_side_by_side(event: Event, ctx: Context) -> list[Reply]:
    found = await _load(event, ctx)
    if found is None or ctx.person is None:
        return [Reply(card=STALE_ACTION)]
    record, owner = found
    if not can_view_assessment(ctx.person, owner, record.shared):
        return [Reply(card=NOT_SHARED)]
    return [Reply(card=_side_by_side_card(record, owner, ctx))]


def claims(text: str) -> bool:
    return _TEAM.match(text) is not None


async def on_team_message(event: Event, ctx: Context) -> list[Reply] | None:
    """ "my team": which reports share an assessment and when; never anything of an unshared one."""
    text = " ".join(event.text.split()).rstrip(".?!")
    if not _TEAM.match(text) or not event.private or ctx.person is None or ctx.stores is None:
        return None
    reports = await ctx.stores.people.reports_of(ctx.person)
    if not reports:
        return [
            Reply(
                card=Card(
                    title="Your team", sections=[Section(text="The directory lists nobody reporting to you.")]
                )
            )
        ]
    lines, actions = [], []
    for report in reports:
        shared = await ctx.stores.assessments.latest_shared(report.id)
        if shared is None or shared.shared_with_manager_at is None:
            lines.append(f"{report.display_name}: no assessment shared with you")
            continue
        lines.append(f"{report.display_name}: shared on {shared.shared_with_manager_at:%-d %B %Y}")
        actions.append(
            Action(label=f"View {report.display_name}", action_id=SIDE_BY_SIDE, value=_value(shared))
        )
    return [
        Reply(
            card=Card(
                title="Your team",
                sections=[
                    Section(bullets=lines),
                    Section(note="Only assessments your reports chose to share are shown, and only to you."),
                ],
                actions=actions[:6],
            )
        )
    ]
