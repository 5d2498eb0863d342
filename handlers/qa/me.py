"""Questions about the asker ("how do I get promoted", "what does my role need"): answered for their role in
the directory, or, for someone not in it, after asking which role is theirs (never assuming one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cards.model import Action, Card, Section
from framework_data.catalogue import Catalogue, role_ref
from framework_data.query import Intent, Query
from framework_data.schema import grade_key
from handlers.qa.common import PICK, next_roles

if TYPE_CHECKING:
    from bot.storage.people import PersonRecord


_MY_JOB = {"job", "current", "role", "position", "post", "grade"}


def needs_my_role(query: Query) -> bool:
    """Whether the answer needs the asker's own role: they asked about themselves and named no role, or
    compared themselves with one ("the difference between me and a grade 7 specialist")."""
    if query.about_me and query.intent is Intent.COMPARE and len(query.roles) == 1 and not query.ambiguous:
        return True
    if (
        query.about_me
        and query.intent is Intent.PROGRESSION
        and not query.roles
        and len(query.ambiguous) == 1
    ):
        return True  # "what do I need to get to grade 7": from the asker's role to that grade's roles
    if query.about_me and query.intent is Intent.PROGRESSION and query.towards and len(query.roles) == 1:
        return True  # "how do I get to grade 9": from the asker's own role, not the one below on its path
    if not query.about_me or query.roles or query.ambiguous:
        return False
    match query.intent:
        case Intent.ROLE | Intent.PROGRESSION | Intent.COMPETENCY | Intent.COMPARE:
            return True
        case Intent.CROSSWALK:
            # "is my grade band 1 or band 2?": the bands named are the answers offered for the asker's role.
            mine = query.bands and bool(_MY_JOB & set(query.terms))
            return mine or not (query.bands or query.levels or query.local_grades or query.jobs)
        case Intent.DEVELOPMENT:
            # "training for my current job", "what training should i do": the development for the asker's
            # role; for a competency named, what its cell at their grade needs beside it.
            return True
        case Intent.PATH:
            return not query.paths
    return False


def for_me(
    query: Query, catalogue: Catalogue, person: PersonRecord | None, shared: bool = False
) -> Query | Card:
    """The query with the asker's role filled in, or the card asking which role is theirs. Where others
    can read the answer (``shared``), the directory entry is not used: a grade is personal."""
    loaded = catalogue.primary
    role = loaded.roles.get(person.role_id) if person is not None and not shared else None
    names_my_job = bool(_MY_JOB & set(query.terms))
    competency_named = query.intent is Intent.DEVELOPMENT and bool(query.rows) and not names_my_job
    if role is None and (competency_named or query.ambiguous):
        # A competency's opportunities are the same for everyone; the role only adds what it needs. A
        # grade named ("how do I become grade 7") is asked about first, which role of it.
        return query
    towards_one = query.intent is Intent.PROGRESSION and query.towards and len(query.roles) == 1
    if role is None and towards_one:
        return query  # someone not in the directory: from the role below the one named, as the path goes
    if role is None:
        return which_role_card(catalogue, query, person, shared)
    if towards_one:
        target = catalogue.role(query.roles[0])[1]
        if grade_key(target.grade) <= grade_key(role.grade):
            return query  # not a step up from the asker's role: the step into the role named
        return query.model_copy(update={"roles": [role_ref(loaded, role), query.roles[0]], "towards": False})
    if query.upward and query.rows and query.intent in (Intent.COMPETENCY, Intent.ROLE):
        # "what qualifications do I need for the next grade": that competency for the role(s) above.
        above = next_roles(loaded, role)
        if above:
            refs = [role_ref(loaded, r) for r in above]
            return query.model_copy(update={"roles": refs, "intent": Intent.ROLE, "framework": loaded.id})
    if query.ambiguous:
        next_up = [role_ref(loaded, r) for r in next_roles(loaded, role)]
        if sorted(query.ambiguous[0].options) == sorted(next_up):
            # The grade asked is the asker's next: their next step, with every role there.
            query = query.model_copy(update={"ambiguous": [], "towards": False})
        else:
            return query.model_copy(update={"roles": [role_ref(loaded, role)], "towards": False})
    return _with_role(query, role_ref(loaded, role))


def _with_role(query: Query, ref: str) -> Query:
    intent = Intent.ROLE if query.intent is Intent.COMPETENCY else query.intent
    # Compared with a role named, the asker's own comes first; alone, with the next grade's.
    roles = list(dict.fromkeys([ref, *query.roles])) if intent is Intent.COMPARE else [ref]
    return query.model_copy(update={"roles": roles, "intent": intent, "framework": ref.split(":", 1)[0]})


def which_role_card(
    catalogue: Catalogue, query: Query, person: PersonRecord | None, shared: bool = False
) -> Card:
    """ "Which role is yours?": one choice per role, each carrying the question with that role filled in."""
    loaded = catalogue.primary
    if shared and person is not None:
        why = "Others can read this conversation, so I don't use your directory entry here."
    elif person is None:
        why = "You are not in the techpath directory, so I don't know your grade."
    else:
        why = "Your directory entry names no role in the framework, so I don't know your grade."
    roles = sorted(loaded.framework.roles, key=lambda r: grade_key(r.grade))
    choices = [
        Action(
            label=role.label,
            action_id=PICK,
            value=_with_role(query, role_ref(loaded, role)).carried(),
        )
        for role in roles
    ]
    return Card(
        title="Which role is yours?",
        sections=[Section(text=why)],
        prompt="Pick your role (or type your grade, such as “grade 6”):",
        choices=choices,
    )
