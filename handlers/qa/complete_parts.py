"""Follow-ups completed by a part of what was just shown, or by the same thing again: a competency of the
role discussed ("budget?", "do they have to teach?"), the cell again ("what does that mean?"), a criterion
of the step by its place ("number 6 on that list"), a Hay level or Imperial grade beside the one shown, and
the template or grid card that says what was asked ("is there a template for it?")."""

from __future__ import annotations

from framework_data.local_grades import step_local_grades
from framework_data.query import Intent, Query
from framework_data.query_asks import every_level
from framework_data.vocabulary import INTENT_PHRASES
from handlers.qa.elliptical import THEY, FollowUp, place_in_list, the_bit


def the_same_card(f: FollowUp) -> Query | None:
    """ "what's a pdp" then "is there a template for it?", "how does the self assessment work" then "what's
    the scale out of?": the same card, which says it."""
    on_its_own = f.previous.intent in (Intent.GRID, Intent.PDP) and f.query.intent is Intent.UNKNOWN
    return f.previous if on_its_own and (f.pointing or f.elliptical) else None


def a_row_of_the_grid(f: FollowUp) -> Query | None:
    """ "how do i fill in the self-assessment grid?" then "is there a separate row for teaching delivery?":
    the grid, with the row that scores it."""
    if f.previous.intent is not Intent.GRID or not f.query.rows or f.names_roles:
        return None
    if not {"row", "rows", "line", "separate", "own", "scored", "score", "grid"} & f.words:
        return None
    return f.previous.model_copy(update={"rows": f.query.rows})


def asked_of_the_step(f: FollowUp) -> Query | None:
    """ "what do i need to go from g5 to g6" then "does my CPD count towards it?": that step, asked. A
    competency it names is matched by its name too ("CPD": "Professional registration and CPD")."""
    query, previous = f.query, f.previous
    if not (
        f.pointing and query.yes_no and previous.intent is Intent.PROGRESSION and len(previous.roles) == 2
    ):
        return None
    named = [f.loaded.rows[r].label.lower() for r in query.rows]
    words = [*query.mentions, *query.terms, *named]
    return previous.model_copy(update={"yes_no": True, "mentions": words, "rows": []})


def the_imperial_grade_beside(f: FollowUp) -> Query | None:
    """ "which imperial jobs are 2b?" then "and one grade above that?": the advertised grade above."""
    previous = f.previous
    named = f.names_roles or f.query.local_grades
    if not (previous.local_grades and (f.elliptical or f.pointing) and f.step and not named):
        return None
    grades = step_local_grades(previous.local_grades, f.step, f.loaded.framework.example_jobs)
    if grades == previous.local_grades:
        return None
    update = {"intent": Intent.CROSSWALK, "local_grades": grades, "about_me": False, "terms": []}
    return previous.model_copy(update=update)


def the_level_named(f: FollowUp) -> Query | None:
    """ "hay level 2" then "and level 3", "and the level below?", "what about the lowest level?"."""
    previous = f.previous
    if not (previous.levels and f.elliptical and not f.names_roles and not f.query.rows):
        return None
    numbers = [int(t) for t in f.tokens if t.isdigit()]
    if not numbers and f.step and len(previous.levels) == 1:
        numbers = [previous.levels[0] + f.step]
    known = {level.number for level in f.loaded.framework.levels}
    if "which" in f.words and not numbers:
        return None  # "at which level can someone first work as an adviser": the level saying it
    if not numbers and known and {"lowest", "first", "bottom"} & f.words:
        numbers = [min(known)]
    elif not numbers and known and {"highest", "top", "last"} & f.words:
        numbers = [max(known)]
    if numbers and set(numbers) <= known:
        return f.query.model_copy(update={"intent": Intent.CROSSWALK, "levels": numbers, "terms": []})
    return None


def the_level_saying_it(f: FollowUp) -> Query | None:
    """ "what are imperial's hay levels?" then "which of them talks about experts?": the one saying it;
    after one level, "at which level can someone first work as an individual technical adviser?": the
    lowest of every level that says it."""
    previous = f.previous
    if not previous.levels or "which" not in f.words or f.names_roles or f.query.rows:
        return None
    among = previous.levels if len(previous.levels) > 1 else [n.number for n in f.loaded.framework.levels]
    if len(among) <= 1:
        return None
    chosen = [n for n in every_level(f.catalogue, f.tokens) if n in among]
    if chosen and {"first", "lowest", "earliest"} & f.words:
        chosen = chosen[:1]
    if chosen and len(chosen) < len(among):
        return f.query.model_copy(update={"intent": Intent.CROSSWALK, "levels": chosen, "terms": []})
    return None


def their_competency(f: FollowUp) -> Query | None:
    """ "what does a technical director do" then "do they have to teach?": the role being discussed."""
    query = f.query
    if not (f.that_role and query.rows and f.previous.roles and not f.names_roles and not query.about_me):
        return None
    intent = Intent.DEVELOPMENT if query.intent is Intent.DEVELOPMENT else Intent.ROLE
    return query.model_copy(update={"intent": intent, "roles": f.previous.roles[:2]})


def their_job_title(f: FollowUp) -> Query | None:
    """ "what does a g7 specialist do" then "what would their job title be?": that role's name."""
    if f.that_role and f.query.name_only and len(f.previous.roles) == 1 and not f.names_roles:
        return f.query.model_copy(update={"intent": Intent.ROLE, "roles": f.previous.roles})
    return None


def the_cell_again(f: FollowUp) -> Query | None:
    """ "g4 safety" then "what does that mean?", "g7 specialist safety and wellbeing" then "what sort of
    departmental remit does it mean?": the cell just shown, again."""
    query, previous = f.query, f.previous
    of_the_cell = query.intent is Intent.UNKNOWN and len(previous.roles) == 1 and bool(previous.rows)
    about_it = not query.terms or not (query.yes_no or query.rows or f.step)
    if f.pointing and of_the_cell and about_it and not (f.names_roles or query.about_me):
        return previous.model_copy(update={"intent": Intent.ROLE, "yes_no": False})
    return None


def asked_of_that_role(f: FollowUp) -> Query | None:
    """ "what is a grade 7 specialist" then "does that role mark exams?": that role's cell on it."""
    query, previous = f.query, f.previous
    of_that_role = (
        f.that_role and query.yes_no and query.terms and not query.rows and len(previous.roles) == 1
    )
    if of_that_role and not previous.rows and not f.names_roles and not query.about_me:
        return query.model_copy(update={"intent": Intent.ROLE, "roles": previous.roles})
    return None


def asked_of_that_cell(f: FollowUp) -> Query | None:
    """ "g6 teaching delivery" then "can they mark too?", "does that cover buying equipment?": that cell of
    the role, asked about what the question names; not "is there training listed for that?"."""
    query, previous = f.query, f.previous
    they_too = query.yes_no and query.terms and ((THEY & f.words and not query.rows) or f.pointing)
    if not they_too or query.intent is Intent.DEVELOPMENT:
        return None
    if len(previous.roles) == 1 and previous.rows and not f.names_roles and not query.about_me:
        cell = {"intent": Intent.ROLE, "roles": previous.roles, "rows": previous.rows[:1]}
        return query.model_copy(update={**cell, "mentions": [*query.mentions, *query.terms]})
    return None


def _of_a_step(f: FollowUp) -> bool:
    return f.previous.intent is Intent.PROGRESSION and len(f.previous.roles) == 2


def the_criterion_at_its_place(f: FollowUp) -> Query | None:
    """ "g5 to g6 career grade criteria" then "what's number 6 on that list?": that criterion, first."""
    place = place_in_list(f.tokens)
    if place and _of_a_step(f) and not f.names_roles:
        return f.previous.model_copy(update={"criterion": place, "rows": [], "yes_no": False})
    return None


def the_bit_of_the_step(f: FollowUp) -> Query | None:
    """ "g5 to g6 career grade criteria" then "which one's the safety bit?": that competency of the step."""
    if the_bit(f.tokens) and f.query.rows and _of_a_step(f):
        return f.previous.model_copy(update={"rows": f.query.rows, "mentions": f.query.mentions})
    return None


def the_competency_named(f: FollowUp) -> Query | None:
    """ "budget?", "what about budget management", "what registration goes with it?": that competency for
    the role being discussed; after "training for budget management", "and for safety?" is its training."""
    query, previous = f.query, f.previous
    if f.names_roles or not query.rows or not (f.elliptical or f.pointing):
        return None
    if query.intent is not Intent.COMPETENCY:
        return None
    if previous.intent is Intent.DEVELOPMENT:
        return query.model_copy(update={"intent": Intent.DEVELOPMENT, "roles": previous.roles[:1]})
    if previous.roles:
        return query.model_copy(update={"intent": Intent.ROLE, "roles": previous.roles[:2]})
    return None


def pointed_at(f: FollowUp) -> Query | None:
    """ "how do I get there", "what band is that", "training for that": about the previous subject."""
    query, previous = f.query, f.previous
    if not f.pointing or f.names_roles or (query.rows and not _rows_only_by_asking(query)):
        return None
    if query.intent is Intent.PROGRESSION and previous.intent is Intent.PROGRESSION and not previous.towards:
        # "whats my next step" then "and how do i get there?": that same step.
        return previous.model_copy(update={"about_me": False})
    if query.intent is Intent.PROGRESSION and previous.roles:
        return query.model_copy(update={"roles": previous.roles[:1], "towards": True, "about_me": False})
    if query.intent in (Intent.CROSSWALK, Intent.PATH) and previous.roles:
        return query.model_copy(update={"roles": previous.roles, "about_me": False})
    if query.intent is Intent.UNKNOWN and previous.intent is Intent.CROSSWALK and previous.local_grades:
        return previous  # "which imperial jobs are on 2b?" then "which departments are those in?"
    if query.intent is Intent.DEVELOPMENT and (previous.rows or previous.roles):
        return query.model_copy(
            update={"rows": previous.rows, "roles": previous.roles[:1] if previous.rows else []}
        )
    return query  # pointing, but at nothing this can fill in: answered as asked


def _rows_only_by_asking(query: Query) -> bool:
    """Whether the only competency words of a development question are how it asks for development ("what
    cpd would help there" names Professional registration and CPD only by asking for CPD)."""
    return (
        query.intent is Intent.DEVELOPMENT
        and bool(query.mentions)
        and all(INTENT_PHRASES.get(m) == "development" for m in query.mentions)
    )


def the_bit_of_the_role(f: FollowUp) -> Query | None:
    """ "g3 teamwork and motivation" then "does the close supervision bit ever ease off?": that part of the
    role being discussed; "what training would help with the safety bit?": its opportunities."""
    query = f.query
    if the_bit(f.tokens) and query.rows and f.previous.roles and not f.names_roles:
        intent = Intent.DEVELOPMENT if query.intent is Intent.DEVELOPMENT else Intent.ROLE
        return query.model_copy(update={"intent": intent, "roles": f.previous.roles[:1]})
    return None
