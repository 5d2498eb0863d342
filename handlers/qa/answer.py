"""Answer a question: parse it, ask which role when it is ambiguous, then build the card for its intent."""

from __future__ import annotations

from bot.core import Context
from cards.model import Card
from framework_data.catalogue import Catalogue
from framework_data.query import Ambiguity, Intent, Query, parse_question
from framework_data.schema import Role
from handlers.qa.common import grade_order, next_roles
from handlers.qa.compare import compare_card, progression_card
from handlers.qa.crosswalk import crosswalk_card
from handlers.qa.development import development_card, grid_rows_for, opportunity_sections
from handlers.qa.guide import clarify_card, grid_card, help_card, pdp_card, thanks_card, unknown_card
from handlers.qa.roles import competency_card, path_card, role_card, role_rows_card, roles_card
from handlers.qa.search import search_card

# Intents whose answer is the same whichever role an ambiguous grade means.
_AMBIGUITY_IS_FINE = {Intent.CROSSWALK, Intent.PATH, Intent.HELP, Intent.GRID, Intent.PDP, Intent.ROLES}


def answer_question(text: str, ctx: Context) -> Card:
    """The card answering a free-text question."""
    return answer_query(parse_question(text, ctx.catalogue, ctx.vocabulary), ctx.catalogue)


def _narrow_by_chosen_paths(query: Query, catalogue: Catalogue) -> Query:
    """After a pick ("grade 7 specialist"), a still-ambiguous "grade 8" follows the same path when it can."""
    paths = {catalogue.role(ref)[1].path for ref in query.roles}
    roles = list(query.roles)
    remaining = []
    for ambiguity in query.ambiguous:
        same_path = [o for o in ambiguity.options if catalogue.role(o)[1].path in paths]
        if len(same_path) == 1:
            roles.append(same_path[0])
        else:
            remaining.append(ambiguity)
    return query.model_copy(update={"roles": roles, "ambiguous": remaining})


def answer_query(query: Query, catalogue: Catalogue) -> Card:
    """The card for an already-parsed query (also used when a clarifying choice is picked)."""
    if query.ambiguous and query.roles:
        query = _narrow_by_chosen_paths(query, catalogue)
    if query.ambiguous and query.intent not in _AMBIGUITY_IS_FINE:
        return clarify_card(catalogue, query)
    loaded = catalogue.framework(query.framework)
    roles: list[Role] = [catalogue.role(ref)[1] for ref in query.roles]
    match query.intent:
        case Intent.HELP:
            return help_card(catalogue)
        case Intent.ROLE if query.rows:
            return role_rows_card(loaded, roles, query.rows)
        case Intent.ROLE:
            return role_card(loaded, roles[0])
        case Intent.COMPARE if len(roles) >= 2:
            return compare_card(loaded, roles, query.rows)
        case Intent.COMPARE:
            nxt = next_roles(loaded, roles[0])
            if nxt:
                return compare_card(loaded, [roles[0], *nxt], query.rows)
            return role_card(loaded, roles[0])
        case Intent.PROGRESSION:
            return _progression(query, catalogue, roles)
        case Intent.DEVELOPMENT:
            return development_card(loaded, query.rows, roles[0] if len(roles) == 1 else None)
        case Intent.CROSSWALK:
            return crosswalk_card(catalogue, query)
        case Intent.PATH:
            paths = query.paths or [r.path for r in roles] or [p.id for p in loaded.framework.paths]
            return path_card(loaded, paths)
        case Intent.THANKS:
            return thanks_card()
        case Intent.ROLES:
            return roles_card(catalogue)
        case Intent.COMPETENCY:
            return competency_card(loaded, query.rows)
        case Intent.GRID:
            return grid_card(loaded)
        case Intent.PDP:
            return pdp_card(loaded)
    if query.terms and not query.unknown:
        found = search_card(loaded, query.terms)
        if found is not None:
            return found
    return unknown_card(catalogue, query)


def _progression(query: Query, catalogue: Catalogue, roles: list[Role]) -> Card:
    loaded = catalogue.framework(query.framework)
    if not roles:
        if query.unknown:
            return unknown_card(catalogue, query)
        # "What are the criteria for promotion?": the published progressions, starting with the first.
        published = loaded.framework.progressions
        if not published:
            return unknown_card(catalogue, query)
        roles = [loaded.roles[published[0].from_role], loaded.roles[published[0].to_role]]
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
    changed = [
        row.id
        for row in loaded.framework.rows
        if loaded.descriptor(start.id, row.id).text != loaded.descriptor(goal.id, row.id).text
    ]
    opportunities = opportunity_sections(loaded, grid_rows_for(loaded, changed))
    return progression_card(loaded, start, goal, opportunities)
