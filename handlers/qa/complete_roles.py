"""Follow-ups completed by another role: the same grade on another path ("and the manager?"), the same
question at another grade ("grade 8?", "the one above?"), the asker a grade up ("and once i'm promoted?"),
and the step or comparison to or from the role discussed ("how would I get there from grade 6")."""

from __future__ import annotations

from framework_data.asks import ME
from framework_data.catalogue import Catalogue, role_ref
from framework_data.query import Ambiguity, Intent, Query
from handlers.qa.common import next_roles
from handlers.qa.elliptical import ABOVE, FollowUp


def to_the_path_named_of_the_step(f: FollowUp) -> Query | None:
    """ "from grade 6 to grade 7 specialist" then "what about the manager route": the step to that path."""
    stepped = f.previous.intent is Intent.PROGRESSION and len(f.previous_roles) == 2
    if not (f.paths and stepped and (f.elliptical or "instead" in f.words)):
        return None
    goal = f.previous_roles[1]
    there = [r for r in f.loaded.framework.roles if r.grade == goal.grade and r.path in f.paths]
    if there and there[0].id != goal.id:
        return f.previous.model_copy(update={"roles": [f.previous.roles[0], role_ref(f.loaded, there[0])]})
    return None


def to_the_path_named_of_my_next_step(f: FollowUp) -> Query | None:
    """ "whats my next step" (grade 6) then "what about the manager?": the step to the manager role."""
    previous = f.previous
    from_mine = previous.intent is Intent.PROGRESSION and len(f.previous_roles) == 1 and not previous.towards
    if not (f.paths and from_mine and f.elliptical):
        return None
    there = [r for r in next_roles(f.loaded, f.previous_roles[0]) if r.path in f.paths]
    if len(there) != 1:
        return None
    to_there = role_ref(f.loaded, there[0])
    return previous.model_copy(update={"roles": [previous.roles[0], to_there], "about_me": False})


def the_path_named(f: FollowUp) -> Query | None:
    """ "and the manager?": the same grade, on the path named; "one grade down on the manager side": the
    grade below, on that path; "what would that be if i went the specialist route?": the path's role."""
    said_as_a_follow_up = f.elliptical or {"one", "instead"} & f.words or (f.pointing and f.chooses_a_path)
    if not (f.paths and f.previous_roles and said_as_a_follow_up):
        return None
    if f.step:
        at_grade = next_roles(f.loaded, f.previous_roles[0], f.step)
    else:
        at_grade = [r for r in f.loaded.framework.roles if r.grade == f.previous_roles[0].grade]
    swapped = [r for r in at_grade if r.path in f.paths]
    if not swapped and not f.step:
        # "what does my role say about facilities?" (grade 6) then "and if i went down the specialist
        # route?": the path starts above the asker's grade, so the first of its roles above it.
        swapped = [r for r in next_roles(f.loaded, f.previous_roles[0]) if r.path in f.paths]
    if not swapped:
        return None
    previous = f.previous
    intent = previous.intent if previous.intent in (Intent.ROLE, Intent.DEVELOPMENT) else Intent.ROLE
    roles = [role_ref(f.loaded, r) for r in swapped]
    return previous.model_copy(update={"intent": intent, "roles": roles, "paths": []})


def swapped_into_the_comparison(f: FollowUp) -> Query | None:
    """ "compare g6 and g7 specialist" then "what about g7 manager": the same comparison, with the role of
    that grade swapped for the one named."""
    query, previous = f.query, f.previous
    if not f.elliptical or previous.intent is not Intent.COMPARE:
        return None
    if len(previous.roles) != 2 or len(query.roles) != 1:
        return None
    if query.ambiguous or query.intent not in (Intent.ROLE, Intent.COMPARE):
        return None
    named = query.roles[0]
    grade = f.catalogue.role(named)[1].grade
    same_grade = [r for r in previous.roles if f.catalogue.role(r)[1].grade == grade and r != named]
    if len(same_grade) != 1 or named in previous.roles:
        return None
    roles = [named if r == same_grade[0] else r for r in previous.roles]
    return previous.model_copy(update={"roles": roles})


def the_same_question_of_the_role_named(f: FollowUp) -> Query | None:
    """ "grade 8?", "and at grade 9?", "next one up, g4?" after a competency, "what's the g8 equivalent?"
    after "g6 prof reg and cpd": the previous question asked of the role named."""
    query = f.query
    if not f.names_roles or query.rows:
        return None
    # Not "and how do i get there from g8?": from the role named to the one being discussed (later).
    from_there = f.pointing and "from" in f.words
    stepping = query.intent is Intent.PROGRESSION and bool(f.previous.rows) and not from_there
    its_equivalent = query.intent is Intent.CROSSWALK and "equivalent" in f.words and bool(f.previous.rows)
    mapped = bool(query.bands or query.levels or query.local_grades)
    if (
        (f.elliptical and query.intent in (Intent.ROLE, Intent.PATH))
        or ((f.elliptical or f.pointing) and stepping)
        or (f.elliptical and its_equivalent and not mapped)
    ):
        return _same_question_other_role(query, f.previous, f.catalogue)
    return None


def _same_question_other_role(query: Query, previous: Query, catalogue: Catalogue) -> Query:
    """The previous question (its competencies) asked of another grade. An ambiguous grade follows the
    previous path; failing that, a competency is answered for each of its roles, and a whole role is
    asked about."""
    roles = list(query.roles)
    remaining = []
    previous_paths = {catalogue.role(r)[1].path for r in previous.roles} | set(previous.paths)
    compared = previous.intent is Intent.COMPARE and len(previous.roles) >= 2
    for ambiguity in query.ambiguous:
        same_path = [o for o in ambiguity.options if catalogue.role(o)[1].path in previous_paths]
        if len(same_path) == 1:
            roles.append(same_path[0])
        elif compared and same_path:
            roles.extend(same_path)  # "grade 7 specialist vs manager" then "and at grade 8?"
        elif previous.rows:
            roles.extend(ambiguity.options)
        else:
            remaining.append(ambiguity)
    intent: Intent = Intent.ROLE
    if previous.intent in (Intent.DEVELOPMENT, Intent.CROSSWALK):
        intent = previous.intent
    if compared and len(roles) >= 2:
        intent = Intent.COMPARE
    carried = {"yes_no": previous.yes_no, "mentions": previous.mentions} if previous.rows else {}
    if previous.yes_no and previous.rows and not query.terms:
        carried["terms"] = previous.terms  # "supervise students" at g8, then "what about at g7?"
    update = {"roles": roles, "ambiguous": remaining, "rows": previous.rows, "intent": intent, "paths": []}
    return query.model_copy(update={**update, **carried})


def the_grade_above_mine(f: FollowUp) -> Query | None:
    """ "what's expected of me for planning" then "and if i moved up a grade?", "and once i'm promoted?":
    that competency at the grade above the asker's own."""
    raised = (
        bool(ABOVE & f.words)
        or "promoted" in f.words
        or ("up" in f.words and bool({"grade", "move", "moved", "go", "went", "got", "step"} & f.words))
    )
    if not (f.elliptical and ME & f.words and raised and f.previous.rows and not f.names_roles):
        return None
    carried = {"yes_no": f.previous.yes_no, "mentions": f.previous.mentions}
    above = {"intent": Intent.ROLE, "rows": f.previous.rows, "roles": [], "about_me": True, "upward": True}
    return f.query.model_copy(update={**above, **carried})


def the_grade_beside(f: FollowUp) -> Query | None:
    """ "the one above?", "and the grade below?": the previous question asked of the role(s) there: its
    competencies, or the step up to it, or that role (a choice when two roles are there)."""
    if not ((f.elliptical or f.pointing) and f.previous_roles and not f.names_roles and f.step):
        return None
    query, previous, catalogue, step = f.query, f.previous, f.catalogue, f.step
    loaded, role = catalogue.role(previous.roles[0])
    beside = [role_ref(loaded, r) for r in next_roles(loaded, role, step)]
    base = query.model_copy(update={"about_me": False, "upward": False, "framework": previous.framework})
    if not beside and step > 0:  # the top grade: the next-step answer says there is no grade above
        top = {"intent": Intent.PROGRESSION, "roles": previous.roles[:1], "about_me": True}
        return base.model_copy(update=top)
    if not beside:
        return base.model_copy(update={"intent": Intent.ROLE, "roles": previous.roles[:1]})
    if previous.rows:
        carried = {"yes_no": previous.yes_no, "mentions": previous.mentions}
        rows = {"intent": Intent.ROLE, "roles": beside, "rows": previous.rows}
        return base.model_copy(update={**rows, **carried})
    if len(beside) == 1 and step > 0:
        return base.model_copy(update={"intent": Intent.PROGRESSION, "roles": [previous.roles[0], *beside]})
    if len(beside) == 1:
        return base.model_copy(update={"intent": Intent.ROLE, "roles": beside})
    mention = f"grade {catalogue.role(beside[0])[1].grade}"
    return base.model_copy(
        update={"intent": Intent.ROLE, "roles": [], "ambiguous": [Ambiguity(mention=mention, options=beside)]}
    )


def from_the_role_named_to_there(f: FollowUp) -> Query | None:
    """ "how would I get there from grade 6": from the role named to the one being discussed; "from g8" to
    the technical director: the grade 8 role on the director's path."""
    query = f.query
    if not (f.pointing and query.intent is Intent.PROGRESSION and f.previous.roles):
        return None
    start = query.roles[:1]
    if not start and len(query.ambiguous) == 1:
        path = f.catalogue.role(f.previous.roles[0])[1].path
        start = [o for o in query.ambiguous[0].options if f.catalogue.role(o)[1].path == path][:1]
    if len(start) == 1 and len(query.roles) + len(query.ambiguous) == 1:
        update = {"roles": [start[0], f.previous.roles[0]], "ambiguous": [], "about_me": False}
        return query.model_copy(update=update)
    return None


def compared_with_it(f: FollowUp) -> Query | None:
    """ "compare it with 9": the role discussed beside the one named."""
    query = f.query
    if f.pointing and query.intent is Intent.COMPARE and len(query.roles) + len(query.ambiguous) == 1:
        return query.model_copy(update={"roles": [*f.previous.roles[:1], *query.roles]})
    return None


def its_difference_from_the_grade_named(f: FollowUp) -> Query | None:
    """ "g8 ops manager communication" then "how is that different from g7?": the grade 7 role on its
    path, on the same competency."""
    query, previous = f.query, f.previous
    one_grade = {f.catalogue.role(r)[1].grade for r in query.roles}
    at_it = bool({"that", "it", "this"} & f.words) and not f.paths
    if not (at_it and query.intent is Intent.COMPARE and len(previous.roles) == 1 and len(one_grade) == 1):
        return None
    mine = f.catalogue.role(previous.roles[0])[1]
    same_path = [r for r in query.roles if f.catalogue.role(r)[1].path == mine.path]
    if mine.grade not in one_grade and len(same_path) == 1:
        rows = query.rows or previous.rows
        return query.model_copy(update={"roles": [previous.roles[0], same_path[0]], "rows": rows})
    return None
