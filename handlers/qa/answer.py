"""Answer a question: parse it, read it in the conversation (follow-ups, the asker's own role), ask which
role when it is ambiguous, then build the card for its intent."""

from __future__ import annotations

from dataclasses import replace

from bot.core import Context
from cards.model import Card, Section
from framework_data.catalogue import Catalogue, role_ref
from framework_data.document_index import files_named, without_document_names
from framework_data.document_search import search_broadly
from framework_data.loader import LoadedFramework
from framework_data.opportunities import also_named, opportunity_named
from framework_data.query import Intent, Query, parse_question
from framework_data.schema import Role
from framework_data.vocabulary import INTENT_PHRASES
from handlers.qa.across import answered, side_by_side_card, sides
from handlers.qa.answering_row import (
    answering_row,
    row_meeting_all,
    row_saying_all,
    row_saying_most,
    row_with_rare_word,
    rows_saying_much,
)
from handlers.qa.common import next_roles
from handlers.qa.compare import compare_card, paths_absent_card
from handlers.qa.crosswalk import crosswalk_card
from handlers.qa.development import counted_by, counted_card, development_card, listed_line, where_listed_card
from handlers.qa.documents import asked_of_another, document_follow_up, documents_card, documents_found
from handlers.qa.followup import (
    asked_before,
    documents_discussed,
    follow,
    remember,
    remember_asked,
    remember_documents,
)
from handlers.qa.guide import clarify_card, grid_card, help_card, pdp_card, thanks_card, unknown_card
from handlers.qa.me import for_me, needs_my_role, which_role_card
from handlers.qa.passages import leading_with_the_part_asked, outside_card, passage_card
from handlers.qa.progress import progression, to_the_next_grade_card
from handlers.qa.roles import (
    competency_card,
    path_card,
    role_card,
    role_name_card,
    role_rows_card,
    roles_card,
)
from handlers.qa.same_cells import noting_the_same, same_for_every_role
from handlers.qa.search import cells_mentioning, mentions_all, search_card
from handlers.qa.yesno import answer_line, rows_saying_it, said_first_above, working_alone_row

# Intents whose answer is the same whichever role an ambiguous grade means.
_AMBIGUITY_IS_FINE = {
    Intent.CROSSWALK,
    Intent.PATH,
    Intent.HELP,
    Intent.GRID,
    Intent.PDP,
    Intent.ROLES,
    Intent.PASSAGE,
    Intent.OUTSIDE,
}
# Intents that need a role to answer at all.
_NEEDS_A_ROLE = {Intent.ROLE}


def answer_question(text: str, ctx: Context, shared: bool = False) -> Card:
    """The card answering a free-text question in this conversation."""
    return answer_text(text, ctx, shared)[1]


def answer_text(text: str, ctx: Context, shared: bool = False) -> tuple[Query, Card]:
    """What a question was read as in this conversation, and its answer; the conversation's state then
    holds what the answer was about, for the next question. ``shared``: others can read the answer."""
    query = parse_question(text, ctx.catalogue, ctx.vocabulary)
    if not _asked_of_all_at_once(query) and (both := _side_by_side(text, ctx)) is not None:
        return both
    query = follow(text, query, ctx.state, ctx.catalogue, ctx.vocabulary)
    # What the framework's data cannot answer, the source documents may: quoted, never guessed.
    # A follow-up about the documents just quoted is searched in them first ("what happens once they
    # finish it" after the ICR's apprenticeship).
    discussed = documents_discussed(text, ctx.state, ctx.vocabulary)
    found = asked_of_another(text, asked_before(ctx.state))
    if found is None:
        remember_asked(ctx.state, without_document_names(text))
        found = document_follow_up(text, query, discussed) or documents_found(text, query, ctx.catalogue)
    if found is not None:
        quoted = documents_card(found)
        query = query.model_copy(update={"intent": Intent.PASSAGE, "passage": ""})
        remember(ctx.state, query, quoted)
        remember_documents(ctx.state, [p.id for p in found.passages])
        return query, quoted
    query, card = _answered(query, ctx, shared)
    if query.intent is Intent.PASSAGE and query.passage and not (query.yes_no and query.passage_answer):
        card = leading_with_the_part_asked(card, text)
    return query, card


def _asked_of_all_at_once(query: Query) -> bool:
    """The question maps grades, bands or levels between frameworks ("is imperial's grade 5 the same as
    lancaster grade 7?"): the crosswalk's to answer, not each framework's alone; or it names a matter
    outside every framework ("where do imperial staff park"), which none answers."""
    return query.intent is Intent.CROSSWALK or bool(
        query.unknown or query.local_grades or query.bands or query.levels or query.jobs or query.outside
    )


def _side_by_side(text: str, ctx: Context) -> tuple[Query, Card] | None:
    """A question naming two institutions, asked of each alone and answered one after the other; None
    unless at least two of them answer it. The conversation then remembers the first one's answer."""
    answers = []
    for side in sides(text, ctx.catalogue):
        query, card = answer_text(side.question, replace(ctx, state={}))
        if not answered(card, side) and (found := search_broadly(side.question)) is not None:
            # "is queen mary doing anything like imperial's pilot": what its plan says on the topic.
            query, card = query.model_copy(update={"intent": Intent.PASSAGE}), documents_card(found)
        if answered(card, side):
            answers.append((side, query, card))
    if len(answers) < 2:
        return None
    card = side_by_side_card([(side, card) for side, _, card in answers])
    remember(ctx.state, answers[0][1], card)
    return answers[0][1], card


def answer_in_conversation(query: Query, ctx: Context, shared: bool = False) -> Card:
    """The card for a query, with the asker's role filled in where they asked about themselves (not
    where others can read the answer)."""
    return _answered(query, ctx, shared)[1]


def _answered(query: Query, ctx: Context, shared: bool) -> tuple[Query, Card]:
    """The query as answered (the asker's role filled in) and its card."""
    own = ctx.catalogue.primary.roles.get(ctx.person.role_id) if ctx.person and not shared else None
    if query.self_described and own is not None and query.framework == ctx.catalogue.primary.id:
        query = query.model_copy(update={"roles": [role_ref(ctx.catalogue.primary, own)]})
    if needs_my_role(query):
        mine = for_me(query, ctx.catalogue, ctx.person, shared)
        if isinstance(mine, Card):
            remember(ctx.state, query, mine)
            return query, mine
        query = mine
    card = answer_query(query, ctx.catalogue)
    remember(ctx.state, query, card)
    return query, card


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
    if query.ambiguous and query.intent is Intent.DEVELOPMENT and query.rows and not query.roles:
        # "what training for the safety part of g7": the opportunities are the competency's, whichever
        # grade 7 role is meant.
        query = query.model_copy(update={"ambiguous": []})
    if _to_every_role_above(query, catalogue):
        # "whats the jump from g6 to g7": to either grade 7 role, each with how much changes.
        loaded, start = catalogue.role(query.roles[0])
        return to_the_next_grade_card(loaded, start)
    if query.ambiguous and query.intent not in _AMBIGUITY_IS_FINE:
        same = same_for_every_role(query, catalogue)
        if same is None:
            return clarify_card(catalogue, query)
        return noting_the_same(answer_query(same[0], catalogue), same[1])
    # The same role named twice ("grade 7 specialist vs the specialist") is one role.
    query = query.model_copy(update={"roles": list(dict.fromkeys(query.roles))})
    if query.intent in _NEEDS_A_ROLE and not query.roles:
        return which_role_card(catalogue, query, None)
    loaded = catalogue.framework(query.framework)
    roles: list[Role] = [catalogue.role(ref)[1] for ref in query.roles]
    match query.intent:
        case Intent.HELP:
            return help_card(catalogue)
        case Intent.ROLE if query.rows and query.yes_no and len(roles) == 1 and len(query.rows) == 1:
            row = answering_row(loaded, roles[0], query.rows[0], query.mentions, query.terms)
            # "a level 5 qualification": the level is read as a number, and the cell's qualifier needs it.
            words = [*query.mentions, *query.terms, *(f"level {n}" for n in query.levels)]
            asked = query.model_copy(update={"rows": [row], "mentions": words})
            return _with_yes_or_no(asked, role_rows_card(loaded, roles, [row]), catalogue)
        case Intent.ROLE if (
            query.rows
            and query.yes_no
            and len(roles) == 1
            and (saying := row_saying_all(loaded, roles[0], query.rows, query.mentions))
        ):
            # "does a grade 7 specialist supervise UG projects": the one cell that says it all.
            asked = query.model_copy(update={"rows": [saying]})
            return _with_yes_or_no(asked, role_rows_card(loaded, roles, [saying]), catalogue)
        case Intent.ROLE if (
            query.yes_no
            and len(roles) == 1
            and len(query.rows) > 1
            and (picked := _row_of_several(loaded, roles[0], query))
        ):
            row, shown = picked
            asked = query.model_copy(update={"rows": [row]})
            return _with_yes_or_no(asked, role_rows_card(loaded, roles, shown), catalogue)
        case Intent.ROLE if query.rows and len(roles) == 1 and len(query.rows) == 1 and not query.yes_no:
            # "how much supervision should i be getting" (grade 4): the cell that speaks of supervision
            # (Teamwork: "May work with minimal supervision."), where the competency it named does not.
            asked_row = loaded.rows[query.rows[0]]
            own_name = f"{asked_row.name} {asked_row.label}".lower()
            # "tech director planning?": the competency named by its own name answers, whatever it says.
            by_name = all(w in own_name for m in query.mentions for w in m.split())
            row = query.rows[0]
            if not by_name:
                row = answering_row(loaded, roles[0], row, query.mentions, query.terms)
            return role_rows_card(loaded, roles, [row, *_said_instead(loaded, roles[0], row)])
        case Intent.ROLE if query.rows:
            # "is planning the replacement on me?": also the one other cell with a word the named ones lack
            # (Budget Management's "replacement equipment").
            rows = query.rows
            if len(roles) == 1:
                rows = rows_saying_it(loaded, roles, query.rows, [], query.terms)
            return _with_yes_or_no(query, role_rows_card(loaded, roles, rows), catalogue)
        case Intent.ROLE if query.yes_no and query.terms and len(roles) == 1:
            # "does a senior technician need IOSH": the cell of this role that mentions it, if one does.
            rows = cells_mentioning(loaded, roles[0], query.terms)
            most = row_saying_most(loaded, roles[0], query.terms)
            if most and (most[1] or not rows):
                rows = [most[0]]  # one sentence says it all, or says most where no cell has every word
            if not rows and (rare := row_with_rare_word(loaded, roles[0], query.terms)):
                rows = [rare]
            if rows:
                asked = query.model_copy(update={"rows": rows[:1], "mentions": query.terms})
                return _with_yes_or_no(asked, role_rows_card(loaded, roles, rows[:1]), catalogue)
            return role_card(loaded, roles[0])
        case Intent.ROLE if query.name_only and len(roles) == 1:
            return role_name_card(loaded, roles[0])
        case Intent.ROLE:
            return role_card(loaded, roles[0])
        case Intent.COMPARE if query.absent_paths and roles:
            return paths_absent_card(loaded, roles, query.absent_paths, roles[0].grade)
        case Intent.COMPARE if len(roles) >= 2:
            rows = rows_saying_it(loaded, roles, query.rows, query.mentions, query.terms)
            if rows:
                # "a g7 to be our biological safety officer and supervise the PGT projects": also the rows
                # where a role's sentence has three of its words ("Supervises UG and PGT project students.").
                words = [*query.mentions, *query.terms]
                duty_rows = [r for role in roles for r in rows_saying_much(loaded, role, words)]
                rows += [r for r in dict.fromkeys(duty_rows) if r not in rows]
            # "would they lose the teaching?": where one side's cell is "No", what that role does instead.
            instead = [r for role in roles for row in rows for r in _said_instead(loaded, role, row)]
            return compare_card(loaded, roles, list(dict.fromkeys([*rows, *instead])))
        case Intent.COMPARE if roles and (
            beside := [
                r
                for r in loaded.framework.roles
                if r.grade == roles[0].grade and r.path in query.paths and r.id != roles[0].id
            ]
        ):
            # "what's different about the manager at my grade" (a grade 8 specialist): that grade's manager.
            return compare_card(loaded, [roles[0], *beside], query.rows)
        case Intent.COMPARE if roles:
            nxt = next_roles(loaded, roles[0])
            if nxt:
                return compare_card(loaded, [roles[0], *nxt], query.rows)
            return role_card(loaded, roles[0])
        case Intent.PROGRESSION:
            return progression(query, catalogue, roles)
        case Intent.DEVELOPMENT | Intent.CROSSWALK | Intent.GRID if (
            not roles
            and not (query.bands or query.levels or query.local_grades or query.jobs)
            and _no_competency_but_by_asking(query)
            and (
                named := query.opportunity
                or opportunity_named(loaded, query.terms)
                or opportunity_named(loaded, [*query.terms, *query.mentions])  # "CPD Central resources"
            )
        ):
            # "which competencies is work shadowing listed under", "project work as cpd - which
            # competencies", "what is mentoring mapped to": where an opportunity is listed.
            return where_listed_card(loaded, also_named(loaded, named, [*query.terms, *query.mentions]))
        case Intent.DEVELOPMENT if query.opportunity and query.rows:
            # "is there mentoring for teamwork": whether the competency's opportunities list it, first.
            card = development_card(loaded, query.rows, roles[0] if len(roles) == 1 else None)
            return card.model_copy(update={"sections": [listed_line(loaded, query), *card.sections]})
        case Intent.DEVELOPMENT if not query.rows and not roles and counted_by(query.terms):
            # "which competency has the fewest development options listed?"
            return counted_card(loaded, counted_by(query.terms))
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
            return grid_card(loaded, query.rows)
        case Intent.PDP:
            return pdp_card(loaded)
        case Intent.PASSAGE if query.passage:
            return passage_card(loaded, query.passage, query.passage_answer if query.yes_no else "")
        case Intent.OUTSIDE:
            return outside_card(catalogue, query)
    named = (
        query.opportunity or opportunity_named(loaded, query.terms)
        if query.intent is Intent.UNKNOWN and not query.rows
        else None
    )
    if named and not mentions_all(loaded, query.terms):
        # "how do i find a mentor": the opportunity named, not the cells that have one of its words.
        return where_listed_card(loaded, also_named(loaded, named, query.terms))
    # The framework's cells never answer what another document was asked for ("the icr's tech exchange").
    elsewhere = files_named(" ".join(query.terms)) - {loaded.framework.source.document}
    if query.terms and not query.unknown and not elsewhere:
        found = search_card(loaded, query.terms)
        if found is not None:
            return found
    if named:
        return where_listed_card(loaded, [named])  # "deputising - what does the framework suggest it for?"
    return unknown_card(catalogue, query)


def _row_of_several(loaded: LoadedFramework, role: Role, query: Query) -> tuple[str, list[str]] | None:
    """The row that answers a yes/no naming several competencies, and the rows to show: "can a junior
    apprentice run a lab on their own" is answered by the cell that says how independently, beside the
    others; "is the tech director responsible for a safety strategy" by the one cell that meets them all."""
    alone = working_alone_row(loaded, role, query.rows, query.mentions)
    if alone is not None:
        return alone, query.rows
    meeting = row_meeting_all(loaded, role, query.rows, query.mentions)
    return (meeting, [meeting]) if meeting is not None else None


def _to_every_role_above(query: Query, catalogue: Catalogue) -> bool:
    """A progression from one role to a grade whose every role is the next step up from it."""
    if query.intent is not Intent.PROGRESSION or len(query.roles) != 1 or len(query.ambiguous) != 1:
        return False
    loaded, start = catalogue.role(query.roles[0])
    above = {role_ref(loaded, r) for r in next_roles(loaded, start)}
    return len(above) > 1 and set(query.ambiguous[0].options) == above


def _no_competency_but_by_asking(query: Query) -> bool:
    """No competency named, or only by the words that ask for development ("cpd")."""
    return all(INTENT_PHRASES.get(m) == "development" for m in query.mentions) if query.rows else True


def _with_yes_or_no(query: Query, card: Card, catalogue: Catalogue) -> Card:
    """ "Can a grade 4 teach": the yes or no the cell implies, before the cell itself."""
    if not query.yes_no or len(query.roles) != 1 or len(query.rows) != 1:
        return card
    loaded, role = catalogue.role(query.roles[0])
    descriptor = loaded.descriptor(role.id, query.rows[0])
    line = answer_line(descriptor, query.mentions)
    asserted = line.startswith(("Yes", "Possibly"))
    above = said_first_above(loaded, role, query.rows[0], query.terms) if asserted else None
    if above is not None:
        # The role's cell says nothing of it; a higher grade's does: not yet at this grade.
        where = f"{descriptor.row.label} for {role.label}"
        line = f"No. {where} does not say so; the framework first says it for {above[0].label}: “{above[1]}”"
    return card.model_copy(update={"sections": [Section(text=line), *card.sections]})


def _said_instead(loaded: LoadedFramework, role: Role, row_id: str) -> list[str]:
    """Where the role's cell is "No" ("what does the lab manager do for teaching?"), the rows that say what
    it does instead (Support for Teaching and Research's "be asked to train staff and students")."""
    if not loaded.descriptor(role.id, row_id).is_no:
        return []
    return [r for r in loaded.rows[row_id].instead if loaded.descriptor(role.id, r).text]
