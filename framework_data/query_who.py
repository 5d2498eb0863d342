"""Which of a grade's roles a question means when it asks who does something ("who teaches at grade 7",
"which post chases the audit actions"), and the first grade that does it ("at what grade does teaching
first show up")."""

from __future__ import annotations

from framework_data.catalogue import Catalogue, role_ref
from framework_data.query_model import Query
from framework_data.schema import grade_key

# "g8 money side - is it grants for one and budgets for the other?"
_THE_OTHER = frozenset({"the", "other"})


def read_who_does_it(query: Query, tokens: list[str], catalogue: Catalogue, intents: set[str]) -> None:
    """Fill in the roles a "who"/"which post" question means, and the intents it adds (a comparison)."""
    if _first_grade_asked(tokens, query):
        # "at what grade does teaching first show up?": the lowest grade's role whose cell is not "No".
        first = _first_role_doing(query, catalogue)
        if first:
            query.roles = [first]
            intents.discard("competency")
    if query.ambiguous and not query.roles and _who_does_it(tokens, query) and not _which_of_them(tokens):
        # "so who does teach at g7?": the one role of the grade whose cell there is not "No".
        # "who does research at g8?": both do, and how they do it is compared.
        doing = _roles_doing_it(query, catalogue)
        if doing:
            query.roles, query.ambiguous = doing, []
        if len(doing) > 1:
            intents.add("compare")
    if query.ambiguous and not query.roles and _which_of_them(tokens):
        intents.add("compare")  # "which g7 role would be our radiation protection supervisor?"


# What "which" asks for when it asks which of a grade's roles ("which g7 role", "which post").
_ONE_OF_THEM = frozenset("role roles one job jobs path route post posts position positions".split())


def _which_of_them(tokens: list[str]) -> bool:
    """ "which g7 role ...", "g8 - which role does ...", "at g7 which path lets you ...", "who does this and
    who does that", "this for one and that for the other": asks which of a grade's roles."""
    if tokens.count("who") >= 2 or ("one" in tokens and set(tokens) >= _THE_OTHER):
        return True  # "g7 - who comes up with the new protocols and who runs the infrastructure?"
    return any(
        token == "which" and _ONE_OF_THEM & set(tokens[i + 1 : i + 4]) for i, token in enumerate(tokens)
    )


def _who_does_it(tokens: list[str], query: Query) -> bool:
    """ "who teaches at grade 7", "so who does teach at g7?": one competency, asked of a grade's roles by
    "who" once, with no other role named."""
    return tokens.count("who") == 1 and len(query.rows) == 1 and len(query.ambiguous) == 1


_FIRST = frozenset({"first", "start", "starts", "begin", "begins", "earliest", "lowest"})


def _first_grade_asked(tokens: list[str], query: Query) -> bool:
    """ "at what grade does teaching first show up", "which grade is the first to do research": one
    competency, no role, and the first grade that has it asked for."""
    asks_grade = any(
        t in ("what", "which") and tokens[i + 1 : i + 2] == ["grade"] for i, t in enumerate(tokens)
    )
    return asks_grade and bool(_FIRST & set(tokens)) and len(query.rows) == 1 and not query.roles


def _first_role_doing(query: Query, catalogue: Catalogue) -> str:
    """The role of the lowest grade whose cell in the competency asked says something other than "No"."""
    loaded = catalogue.framework(query.framework)
    ordered = sorted(loaded.framework.roles, key=lambda r: grade_key(r.grade))
    doing = (r for r in ordered if (d := loaded.descriptor(r.id, query.rows[0])).text and not d.is_no)
    first = next(doing, None)
    return role_ref(loaded, first) if first else ""


def _roles_doing_it(query: Query, catalogue: Catalogue) -> list[str]:
    """Of the roles a grade could mean, those whose cell in the competency asked is not "No"."""
    loaded = catalogue.framework(query.framework)
    row_id = query.rows[0]
    return [
        ref
        for ref in query.ambiguous[0].options
        if not loaded.descriptor(catalogue.role(ref)[1].id, row_id).is_no
    ]
