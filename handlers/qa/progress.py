"""How to progress: from one role to another, and the asker's own next step (the next grade's roles, what
changes, the criteria where the framework has them, what it does not give; at the top, that it is the top)."""

from __future__ import annotations

from cards.model import Card, Fact, Section
from framework_data.catalogue import Catalogue
from framework_data.loader import LoadedFramework
from framework_data.query import Ambiguity, Query
from framework_data.schema import Role
from handlers.qa.common import ask_action, cite, cite_role, grade_order, more_action, next_roles, short_label
from handlers.qa.compare import compare_card, opportunities_in_brief, progression_card, published_step
from handlers.qa.development import grid_rows_for
from handlers.qa.guide import clarify_card, unknown_card
from handlers.qa.roles import role_card, spoken


def progression(query: Query, catalogue: Catalogue, roles: list[Role]) -> Card:
    loaded = catalogue.framework(query.framework)
    if not roles:
        if query.unknown:
            return unknown_card(catalogue, query)
        # "What are the criteria for promotion?": the published progressions, starting with the first.
        published = loaded.framework.progressions
        if not published:
            return unknown_card(catalogue, query)
        roles = [loaded.roles[published[0].from_role], loaded.roles[published[0].to_role]]
    if len(roles) == 1 and query.about_me and not query.towards:
        return next_step_card(loaded, roles[0], query)
    if len(roles) == 1:
        # "How do I become a lab manager" names the goal: the start is the grade below.
        neighbours = next_roles(loaded, roles[0], -1 if query.towards else 1)
        if not neighbours:
            return role_card(loaded, roles[0])
        if len(neighbours) > 1:
            options = [f"{loaded.id}:{r.id}" for r in neighbours]
            pending = query.model_copy(
                update={"ambiguous": [Ambiguity(mention=f"grade {neighbours[0].grade}", options=options)]}
            )
            return clarify_card(catalogue, pending)
        roles = [roles[0], neighbours[0]]
    start, goal = roles[0], roles[1]
    if start.id == goal.id:
        return role_card(loaded, start)
    if grade_order(goal) < grade_order(start):
        # People ask about moving up; "to grade 8 from grade 7" names the goal first.
        start, goal = goal, start
    return step_card(loaded, start, goal, query)


def step_card(loaded: LoadedFramework, start: Role, goal: Role, query: Query) -> Card:
    """From ``start`` to ``goal``, in brief with a button for the detail (or in detail); for the
    competencies named, when some are ("lab manager to senior technical manager, how do the comms step
    up"), the two roles' cells side by side, and the opportunities for them, with the step's published
    criteria a button away."""
    if query.rows and not query.detail:
        side_by_side = compare_card(loaded, [start, goal], query.rows)
        grid = grid_rows_for(loaded, query.rows)
        fw = loaded.framework
        opportunity_source = (
            [cite(loaded, fw.opportunities_source)] if grid and fw.opportunities_source else []
        )
        criteria = (
            [ask_action("The criteria for this step", f"criteria from grade {start.grade} to {goal.grade}")]
            if published_step(loaded, start, goal)
            else []
        )
        named = _criterion_asked(loaded, start, goal, query, asked=True)
        # "g5 to g6 career grade criteria" then "which one's the safety bit?": that criterion, first.
        criterion = (
            [Section(text=f"The criterion from grade {start.grade} to {goal.grade}: “{named}”")]
            if named
            else []
        )
        return side_by_side.model_copy(
            update={
                "title": f"From {start.label} to {goal.label}",
                "sections": [*criterion, *side_by_side.sections, *opportunities_in_brief(grid)],
                "sources": [*side_by_side.sources, *opportunity_source],
                "actions": criteria,
            }
        )
    changed = [
        row.id
        for row in loaded.framework.rows
        if loaded.descriptor(start.id, row.id).text != loaded.descriptor(goal.id, row.id).text
    ]
    full = query.model_copy(
        update={
            "roles": [f"{loaded.id}:{start.id}", f"{loaded.id}:{goal.id}"],
            "detail": True,
            "about_me": False,
        }
    )
    more = more_action("Show what changes, competency by competency", full.carried())
    card = progression_card(loaded, start, goal, grid_rows_for(loaded, changed), query.detail, more)
    if start.grade == goal.grade:
        # The same grade on another path is a move between paths, which the framework welcomes.
        card = _between_paths(loaded, card)
    if loaded.framework.progression_not_given:
        card = card.model_copy(
            update={"sections": [*card.sections, Section(note=loaded.framework.progression_not_given)]}
        )
    placed = _criterion_at(loaded, start, goal, query.criterion)
    if placed:
        card = card.model_copy(update={"sections": [placed, *card.sections]})
    counted = _criterion_asked(loaded, start, goal, query)
    if counted:
        # "does my CPD count towards it?" after the 5 to 6 step: the criterion that says so, first.
        lead = Section(text=f"Yes. One of the criteria from grade {start.grade} to {goal.grade}: “{counted}”")
        card = card.model_copy(update={"sections": [lead, *card.sections]})
    return card


def _criterion_at(loaded: LoadedFramework, start: Role, goal: Role, place: int) -> Section | None:
    """ "what's number 6 on that list?": the published criterion at that place, or what the list holds."""
    published = published_step(loaded, start, goal)
    if not place or not published:
        return None
    criteria = published.criteria
    step = f"from grade {start.grade} to {goal.grade}"
    if not -len(criteria) <= place <= len(criteria) or place == 0:
        return Section(text=f"There are {len(criteria)} criteria {step}: there is no number {place}.")
    number = place if place > 0 else len(criteria) + 1 + place
    return Section(text=f"Criterion {number} of {len(criteria)} {step}: “{criteria[number - 1]}”")


def _criterion_asked(
    loaded: LoadedFramework, start: Role, goal: Role, query: Query, asked: bool = False
) -> str:
    """The published criterion of this step a yes/no names (its words, or the competency they name);
    ``asked``: named by any question, not only a yes/no."""
    published = published_step(loaded, start, goal)
    if not ((query.yes_no or asked) and published and query.mentions):
        return ""
    words = {w[:5] for mention in query.mentions for w in mention.split() if len(w) >= 5}

    def shared(criterion: str) -> int:
        return len(words & {w[:5] for w in criterion.lower().replace(",", " ").split()})

    # The one sharing most of the words ("a safety qualification": the safety qualification criterion, not
    # the first that says "qualifications"); the first of those, in the published order.
    best = max(published.criteria, key=shared, default="")
    return best if best and shared(best) else ""


def _between_paths(loaded: LoadedFramework, card: Card) -> Card:
    wanted = loaded.framework.between_paths_passage
    passage = next((p for p in loaded.framework.passages if p.id == wanted), None)
    if passage is None:
        return card
    lead = Section(heading=passage.title, text=passage.text)
    return card.model_copy(
        update={"sections": [lead, *card.sections], "sources": [*card.sources, cite(loaded, passage.where)]}
    )


def next_step_card(loaded: LoadedFramework, role: Role, query: Query) -> Card:
    """The asker's next step up from their own role."""
    fw = loaded.framework
    not_given = Section(note=fw.progression_not_given) if fw.progression_not_given else None
    upward = next_roles(loaded, role)
    if not upward:
        return Card(
            title=f"{role.label} is the top of the framework",
            subtitle=fw.name,
            sections=[
                Section(
                    text=f"There is no higher grade in the {fw.name}: grade {role.grade} is its highest."
                ),
                *([not_given] if not_given else []),
            ],
            actions=[
                ask_action(f"What {role.label} needs", spoken(role)),
                ask_action("Development opportunities", "what development opportunities are there"),
            ],
            sources=[cite_role(loaded, role)],
        )
    if len(upward) == 1:
        card = step_card(loaded, role, upward[0], query)
        lead = Section(text=f"From {role.label}, the next grade is {upward[0].grade}: {upward[0].label}.")
        return card.model_copy(update={"sections": [lead, *card.sections]})
    return _choice_of_next_roles(loaded, role, upward, not_given)


def to_the_next_grade_card(loaded: LoadedFramework, role: Role) -> Card:
    """ "whats the jump from g6 to g7": the step to the next grade, whose roles are several."""
    fw = loaded.framework
    not_given = Section(note=fw.progression_not_given) if fw.progression_not_given else None
    upward = next_roles(loaded, role)
    title = f"From {role.label} to grade {upward[0].grade}"
    return _choice_of_next_roles(loaded, role, upward, not_given, title)


def _choice_of_next_roles(
    loaded: LoadedFramework, role: Role, upward: list[Role], not_given: Section | None, title: str = ""
) -> Card:
    """Several roles at the next grade (grade 6 → Specialist or Manager): each, with how much changes."""
    fw = loaded.framework
    facts = []
    for goal in upward:
        changed = [
            row.label
            for row in fw.rows
            if loaded.descriptor(role.id, row.id).text != loaded.descriptor(goal.id, row.id).text
        ]
        facts.append(
            Fact(
                label=short_label(loaded, goal),
                value=f"{goal.label}; {len(changed)} of {len(fw.rows)} competencies and requirements change",
            )
        )
    published = [p for p in fw.progressions if p.from_role == role.id]
    others = ", ".join(
        f"{loaded.roles[p.from_role].label} to {loaded.roles[p.to_role].label}" for p in fw.progressions
    )
    sections = [
        Section(
            text=f"From {role.label}, the next grade is {upward[0].grade}, with {len(upward)} roles:",
            facts=facts,
        ),
    ]
    if not published:
        sections.append(
            Section(
                heading="How to progress",
                bullets=fw.career_steps,
                note=f"The framework publishes criteria only for {others}." if others else "",
            )
        )
    if not_given:
        sections.append(not_given)
    actions = [
        ask_action(f"To {goal.label}", f"how do I get from {spoken(role)} to {spoken(goal)}")
        for goal in upward
    ]
    if len(upward) == 2:
        actions.append(
            ask_action("Compare the two", f"difference between {spoken(upward[0])} and {spoken(upward[1])}")
        )
    sources = [cite_role(loaded, r) for r in (role, *upward)]
    if fw.career_steps:
        sources.append(cite(loaded, fw.career_steps_source or "career management"))
    return Card(
        title=title or f"Your next step from {role.label}",
        subtitle=fw.name,
        sections=sections,
        actions=actions,
        sources=sources,
    )
