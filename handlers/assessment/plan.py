"""The personal development plan (framework section 6.2 step 6, Appendix 3), built in the chat.

It starts from suggestions for the development areas of a finished assessment (Figure 5's opportunities);
the technician accepts them or edits them in a form: a Slack modal, an Adaptive Card form in Teams, prompts
in the console. A form with a mistake saves nothing and comes back with what was typed, and why.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from bot.core import STALE_ACTION, Context, Event, Reply
from bot.storage.assessments import AssessmentRecord, StaleAssessment
from cards.model import Action, Card, Form, FormField, Section
from handlers.assessment import cards
from handlers.assessment.buttons import assessment_named, button_fields, ident_value
from handlers.assessment.export import export_actions
from handlers.assessment.flow import Phase

OPEN = "plan.open"  # value {"a", "k"}: show the plan (or the suggestions)
ACCEPT = "plan.accept"  # value {"a", "k", "v"}: save the suggestions as they are
EDIT = "plan.edit"  # value {"a", "k"}: the form
SAVE = "plan.save"  # value {"a", "k"}, inputs by field id: save the form

COLUMNS = ("objective", "activity", "success_measure", "support", "target_date")
LABELS = {
    "objective": "Objective: what will be different?",
    "activity": "Development activity",
    "success_measure": "How will I know? (success measure)",
    "support": "Support needed",
    "target_date": "Target date",
}
# Five items of six fields must fit one Adaptive Card (28 KB) even in accented text: 300 characters each.
FIELD_LIMIT = 300
MAX_ITEMS = 5
DRAFT_KEY = "plan_draft"  # in the conversation state: a form sent back with a mistake, as typed
TARGET_MONTHS = 6
_PLAN_WORDS = re.compile(
    r"^(?:show\s+|edit\s+)?my\s+(?:development\s+|pdp\s+)?plan$|^my\s+pdp$", re.IGNORECASE
)


def claims(text: str) -> bool:
    return _PLAN_WORDS.match(text) is not None


def plan_actions(ident: cards.Ident) -> list[Action]:
    return [Action(label="My development plan", action_id=OPEN, value=ident_value(ident))]


def suggestions(record: AssessmentRecord, ctx: Context, today: date) -> list[dict[str, str]]:
    """A plan item for each development area: Figure 5's opportunities as the activity."""
    loaded, role = ctx.catalogue.role(f"{record.framework_id}:{record.role_id}")
    grid = cards.grid_rows(loaded)
    target = _add_months(today, TARGET_MONTHS).isoformat()
    items = []
    for row_id in cards.development_rows(record.progress):
        row, score = grid[row_id], record.progress.scores[row_id]
        opportunities = row.opportunities[:2]
        items.append(
            {
                "competency": row.name,
                "objective": f"Work at the level {role.label} describes for {row.name}",
                "activity": ", ".join(opportunities) if opportunities else "To agree with my manager",
                "success_measure": f"Evidence my manager agrees shows it, and a self-assessed score of at "
                f"least {min(10.0, score + 2):g} next time (now {score:g})",
                "support": "Time and guidance agreed with my manager",
                "target_date": target,
            }
        )
    return items


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    return day + timedelta(days=30 * months)


def plan_card(
    record: AssessmentRecord,
    ctx: Context,
    items: list[dict[str, str]],
    saved: bool,
    notice: str = "",
    draft: bool = False,
) -> Card:
    """The plan, the suggestions, or (``draft``) a form as typed that was refused."""
    _, role = ctx.catalogue.role(f"{record.framework_id}:{record.role_id}")
    ident = (record.id, record.key)
    sections = [Section(note=notice)] if notice else []
    if draft and not record.plan:
        sections.append(
            Section(
                text="Your plan as you typed it. Edit it to put the mistakes right, or accept the "
                "suggestions from your development areas instead."
            )
        )
    elif not saved:
        sections.append(
            Section(
                text="Suggestions from your development areas and the framework's Figure 5. Accept them, or "
                "edit them into your own words; then discuss the plan with your manager."
            )
        )
    for number, item in enumerate(items, start=1):
        sections.append(
            Section(
                heading=f"{number}. {item.get('competency') or 'Objective'}",
                bullets=[f"{LABELS[c].split(':')[0].split(' (')[0]}: {item.get(c) or '-'}" for c in COLUMNS],
            )
        )
    if not items:
        sections.append(Section(text="Your plan is empty: edit it to add an objective."))
    actions = [Action(label="Edit plan", action_id=EDIT, value=ident_value(ident), style="primary")]
    # Until a plan is saved, the suggestions can be accepted: also after a form was refused.
    if not saved and not record.plan and (items or draft):
        actions.insert(
            0, Action(label="Accept suggestions", action_id=ACCEPT, value=ident_value(ident, v=len(items)))
        )
    return Card(
        title="Your development plan" if saved else "Suggested development plan",
        subtitle=f"From your self-assessment against {role.label}",
        sections=sections,
        actions=[*actions, *export_actions(ident)],
        sources=[
            s
            for s in (
                "Appendix 3: Personal Development Plan",
                ctx.catalogue.primary.framework.opportunities_source,
            )
            if s
        ],
    )


def plan_form(record: AssessmentRecord, items: list[dict[str, str]]) -> Form:
    """One group of fields per item, and a blank one for an objective of the technician's own."""
    ident = (record.id, record.key)
    rows = [*items, {}][:MAX_ITEMS]
    fields = []
    for number, item in enumerate(rows, start=1):
        extra = " (optional)" if not item else ""
        fields.append(
            FormField(
                id=f"{number}.competency",
                label=f"{number}. Competency{extra}",
                value=item.get("competency", ""),
                max_length=120,
            )
        )
        for column in COLUMNS:
            fields.append(
                FormField(
                    id=f"{number}.{column}",
                    label=f"{number}. {LABELS[column]}",
                    value=item.get(column, ""),
                    multiline=column in ("objective", "activity", "success_measure"),
                    max_length=40 if column == "target_date" else FIELD_LIMIT,
                    placeholder="e.g. 2027-05-31" if column == "target_date" else "",
                )
            )
    return Form(
        title="Development plan",
        fields=fields,
        submit=Action(label="Save plan", action_id=SAVE, value=ident_value(ident)),
        reopen=Action(label="Edit plan", action_id=EDIT, value=ident_value(ident)),
    )


class PlanProblem(Exception):
    pass


def read_form(inputs: dict[str, str], today: date) -> list[dict[str, str]]:
    """The items of a submitted form, blanks dropped; raises PlanProblem naming each mistake."""
    items, problems = [], []
    for number in range(1, MAX_ITEMS + 1):
        item = {c: " ".join(inputs.get(f"{number}.{c}", "").split()) for c in ("competency", *COLUMNS)}
        if not any(item.values()):
            continue
        for column, text in item.items():
            if len(text) > FIELD_LIMIT:
                problems.append(
                    f"item {number}, {column.replace('_', ' ')}: "
                    f"{len(text)} characters (at most {FIELD_LIMIT})"
                )
        if not item["objective"]:
            problems.append(f"item {number} needs an objective")
        if item["target_date"]:
            try:
                item["target_date"] = read_date(item["target_date"], today)
            except PlanProblem as problem:
                problems.append(f"item {number}: {problem}")
        items.append(item)
    if problems:
        raise PlanProblem("Nothing was saved: " + "; ".join(problems) + ".")
    return items


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def read_date(text: str, today: date) -> str:
    """A target date as ISO (2027-05-31), from ISO, UK day/month/year, or "May 2027" (end of month)."""
    cleaned = text.strip().lower()
    found: date | None = None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            found = datetime.strptime(cleaned, pattern).date()
            break
        except ValueError:
            continue
    month_year = re.fullmatch(r"([a-z]+)\s+(\d{4})", cleaned)
    if found is None and month_year and month_year.group(1)[:3] in _MONTHS:
        year, month = int(month_year.group(2)), _MONTHS[month_year.group(1)[:3]]
        try:
            found = _add_months(date(year, month, 1), 1) - timedelta(days=1)
        except (ValueError, OverflowError):
            found = None
    if found is None:
        raise PlanProblem(f"“{text[:40]}” is not a date I can read (try 2027-05-31 or May 2027)")
    if found < today:
        raise PlanProblem(f"the target date {found.isoformat()} has passed")
    return found.isoformat()


async def _owned(event: Event, ctx: Context) -> AssessmentRecord | None:
    """The clicking person's own finished assessment that the button names."""
    fields = button_fields(event)
    if fields is None or ctx.person is None:
        return None
    record = await assessment_named(ctx, fields)
    if record is None or record.person_id != ctx.person.id or record.progress.phase is not Phase.COMPLETE:
        return None
    return record


def _today() -> date:
    return datetime.now(UTC).date()


async def on_open(event: Event, ctx: Context) -> list[Reply]:
    record = await _owned(event, ctx)
    if record is None:
        return [Reply(card=STALE_ACTION)]
    if record.plan:
        return [Reply(card=plan_card(record, ctx, list(record.plan), saved=True))]
    return [Reply(card=plan_card(record, ctx, suggestions(record, ctx, _today()), saved=False))]


async def on_accept(event: Event, ctx: Context) -> list[Reply]:
    record = await _owned(event, ctx)
    if record is None or ctx.stores is None:
        return [Reply(card=STALE_ACTION)]
    if record.plan:  # a second click, or a plan saved since: keep what is there
        return [
            Reply(
                card=plan_card(
                    record, ctx, list(record.plan), saved=True, notice="Your plan was already saved."
                )
            )
        ]
    items = suggestions(record, ctx, _today())
    saved = await ctx.stores.assessments.save_plan(record, items)
    ctx.state.pop(DRAFT_KEY, None)  # a refused form is set aside for the suggestions
    return [Reply(card=plan_card(saved, ctx, items, saved=True, notice="Saved."), replace_original=True)]


async def on_edit(event: Event, ctx: Context) -> list[Reply]:
    record = await _owned(event, ctx)
    if record is None:
        return [Reply(card=STALE_ACTION)]
    draft = ctx.state.get(DRAFT_KEY)
    if isinstance(draft, dict) and draft.get("assessment") == record.id:
        items = list(draft.get("items", []))
    else:
        items = list(record.plan) or suggestions(record, ctx, _today())
    card = plan_card(record, ctx, items, saved=bool(record.plan))
    return [Reply(card=card.model_copy(update={"form": plan_form(record, items)}))]


async def on_save(event: Event, ctx: Context) -> list[Reply]:
    record = await _owned(event, ctx)
    if record is None or ctx.stores is None:
        return [Reply(card=STALE_ACTION)]
    try:
        items = read_form(event.inputs, _today())
    except PlanProblem as problem:
        typed = [
            {c: event.inputs.get(f"{n}.{c}", "") for c in ("competency", *COLUMNS)}
            for n in range(1, MAX_ITEMS + 1)
            if any(event.inputs.get(f"{n}.{c}") for c in ("competency", *COLUMNS))
        ]
        # Kept as typed, so "Edit plan" brings it all back to be corrected.
        ctx.state[DRAFT_KEY] = {"assessment": record.id, "items": typed}
        return [Reply(card=plan_card(record, ctx, typed, saved=False, notice=str(problem), draft=True))]
    ctx.state.pop(DRAFT_KEY, None)
    try:
        saved = await ctx.stores.assessments.save_plan(record, items)
    except StaleAssessment:
        return [Reply(card=STALE_ACTION)]
    return [Reply(card=plan_card(saved, ctx, items, saved=True, notice="Saved."))]


async def on_plan_message(event: Event, ctx: Context) -> list[Reply] | None:
    """ "my development plan" / "edit my plan": the plan of the latest finished assessment."""
    text = " ".join(event.text.split()).rstrip(".!?")
    if not _PLAN_WORDS.match(text) or not event.private or ctx.person is None or ctx.stores is None:
        return None
    done = await ctx.stores.assessments.completed_for(ctx.person.id)
    if not done:
        return [
            Reply(
                card=Card(
                    title="No plan yet",
                    sections=[
                        Section(
                            text="A plan starts from a finished self-assessment: say “start self-assessment”."
                        )
                    ],
                )
            )
        ]
    record = done[0]
    synthetic = event.model_copy(update={"value": ident_value((record.id, record.key))})
    if text.lower().startswith("edit"):
        return await on_edit(synthetic, ctx)
    return await on_open(synthetic, ctx)
