"""A grade with several roles whose cells say the same for what was asked ("comms at grade 8", "what
qualifications do I need for grade 7"): answered once, naming the roles that share it, rather than asking
which role was meant."""

from __future__ import annotations

from cards.model import Card, Section
from framework_data.catalogue import Catalogue
from framework_data.loader import LoadedFramework
from framework_data.query import Intent, Query
from framework_data.schema import Role
from handlers.qa.search import cells_mentioning


def _rows_asked(loaded: LoadedFramework, query: Query, role: Role) -> list[str]:
    """The rows the answer for this role would show: those named, or for a yes/no that names none, the
    first cell that mentions what was asked ("does a grade 7 need NEBOSH")."""
    if query.rows:
        return list(query.rows)
    if query.yes_no and query.terms:
        return cells_mentioning(loaded, role, query.terms)[:1]
    return []


def same_for_every_role(query: Query, catalogue: Catalogue) -> tuple[Query, list[Role]] | None:
    """The query for the first of the grade's roles and the others that share its cells, when every role
    of the one ambiguous grade has the same text for what was asked; else None."""
    if query.intent is not Intent.ROLE or query.roles or len(query.ambiguous) != 1:
        return None
    refs = query.ambiguous[0].options
    loaded = catalogue.role(refs[0])[0]
    roles = [catalogue.role(ref)[1] for ref in refs]
    asked = [_rows_asked(loaded, query, role) for role in roles]
    if not asked[0] or any(rows != asked[0] for rows in asked):
        return None
    texts = {tuple(loaded.descriptor(role.id, row).text for row in asked[0]) for role in roles}
    if len(texts) != 1:
        return None
    return query.model_copy(update={"roles": [refs[0]], "ambiguous": []}), roles[1:]


def noting_the_same(card: Card, others: list[Role]) -> Card:
    """The card, saying which other roles of the grade have the very same text."""
    names = " and ".join(role.label for role in others)
    note = Section(note=f"{names} has the same text for this.")
    return card.model_copy(update={"sections": [*card.sections, note]})
