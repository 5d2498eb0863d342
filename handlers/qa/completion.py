"""Completing an elliptical question from what the conversation was about: "and the manager?" (the same
grade on another path), "grade 8?" (the same question at another grade), "what about budget management"
(that competency for the role discussed), "how do I get there" (pointing back at it)."""

from __future__ import annotations

from framework_data.asks import ME
from framework_data.catalogue import Catalogue, role_ref
from framework_data.local_grades import step_local_grades
from framework_data.query import Ambiguity, Intent, Query
from framework_data.query_asks import every_level
from framework_data.vocabulary import INTENT_PHRASES, Vocabulary
from handlers.qa.common import next_roles
from handlers.qa.picks import FILLER as _FILLER

_OPENERS = (
    ("and",),
    ("what", "about"),
    ("how", "about"),
    ("what", "of"),
    ("same", "for"),
    ("also",),
    ("then",),
    ("anything", "on"),
    ("anything", "about"),
    ("any", "more", "on"),
    ("at", "grade"),
    ("for", "grade"),
    # "just planning" after a comparison: that competency of the roles compared.
    ("just",),
    ("only",),
)
# Words pointing back at the previous subject; "there" only when it is somewhere to get to ("how do I get
# there"), not in "what training is there".
POINTING = {"that", "it", "this", "them", "those", "these", "one"}
_TO_THERE = {"get", "go", "reach", "move", "progress", "help"}
# Words a follow-up may start with before its "and" or "what about" ("ok and budget?").
# Words asking for the grade above (or below) the one discussed ("next grade up?", "the one below?").
_ABOVE = {"next", "higher", "above"}
_BELOW = {"below", "lower", "previous"}
_INTERJECTIONS = {"ok", "okay", "right", "cool", "great", "so", "hmm", "alright", "thanks", "nice", "oh"}


_AS_A = frozenset({"as", "for", "on", "in", "at"})
# "and if i went down the specialist route?", "what if i took the manager path?": a path chosen, no more.
_CHOOSING = frozenset(
    "if went go going gone down took take taking chose choose chosen picked pick followed".split()
)


def _path_words_only(tokens: list[str], vocab: Vocabulary, framework: str) -> list[str]:
    """The paths a message names when it names nothing else ("and the manager?", "the specialist one")."""
    paths: list[str] = []
    for token in tokens:
        if token in _FILLER or token in _AS_A or token in _CHOOSING:
            continue  # "and as a manager?", "for the specialist?"
        entities = vocab.phrases.get((token,), [])
        found = [e.key for e in entities if e.kind == "path" and e.framework == framework]
        if not found:
            return []
        paths.extend(p for p in found if p not in paths)
    return paths


def _the_bit(tokens: list[str]) -> bool:
    """ "the close supervision bit", "that part": a part of what was just shown."""
    for marker in ("bit", "part"):
        if marker in tokens:
            before = tokens[max(0, tokens.index(marker) - 4) : tokens.index(marker)]
            if {"the", "that", "this"} & set(before):
                return True
    return False


# "number 6", "point 6": a place by its number; "the 3rd one", "the last point": by a word for it.
_PLACE_WORDS = frozenset({"number", "no", "point", "item", "criterion", "bullet"})
_LISTED = frozenset({"list", "one", "point", "item", "criterion", "bullet"})
_PLACES_SPELT = {
    **{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8},
    **{"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "last": -1},
}


def _place_in_list(tokens: list[str]) -> int:
    """ "number 6 on that list", "the 3rd one", "the last point": a place in the list just shown (0: none)."""
    for i, token in enumerate(tokens):
        if token in _PLACE_WORDS and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            return int(tokens[i + 1])
    spelt = [_PLACES_SPELT[t] for t in tokens if t in _PLACES_SPELT]
    return spelt[0] if spelt and _LISTED & set(tokens) else 0


def points_back(tokens: list[str]) -> bool:
    return any(
        t in POINTING or (t == "there" and i > 0 and tokens[i - 1] in _TO_THERE) for i, t in enumerate(tokens)
    )


def _opens_as_follow_up(tokens: list[str]) -> bool:
    start = next((i for i, t in enumerate(tokens) if t not in _INTERJECTIONS), len(tokens))
    return any(tuple(tokens[start : start + len(o)]) == o for o in _OPENERS)


def is_elliptical(tokens: list[str], asked: bool) -> bool:
    """Opens with "and" or "what about", or is a few words and a question mark ("grade 8?")."""
    return _opens_as_follow_up(tokens) or (asked and len([t for t in tokens if t not in _FILLER]) <= 3)


def complete(
    tokens: list[str], asked: bool, query: Query, previous: Query, catalogue: Catalogue, vocab: Vocabulary
) -> Query:
    """Fill in what an elliptical question leaves out from the previous topic. Only a question that reads
    as a follow-up is completed: it opens with "and" or "what about", or is a few words and a question
    mark ("grade 8?"), or points back ("how do I get there"); a question that stands alone is answered
    as asked."""
    elliptical = is_elliptical(tokens, asked)
    pointing = points_back(tokens)
    loaded = catalogue.framework(previous.framework)
    names_roles = bool(query.roles or query.ambiguous)
    previous_roles = [catalogue.role(r)[1] for r in previous.roles]

    paths = _path_words_only(tokens, vocab, previous.framework)
    step = direction(tokens)
    stepped = previous.intent is Intent.PROGRESSION and len(previous_roles) == 2
    if paths and stepped and (elliptical or "instead" in tokens):
        # "from grade 6 to grade 7 specialist" then "what about the manager route": the step to that path.
        goal = previous_roles[1]
        there = [r for r in loaded.framework.roles if r.grade == goal.grade and r.path in paths]
        if there and there[0].id != goal.id:
            return previous.model_copy(update={"roles": [previous.roles[0], role_ref(loaded, there[0])]})
    from_mine = previous.intent is Intent.PROGRESSION and len(previous_roles) == 1 and not previous.towards
    if paths and from_mine and elliptical:
        # "whats my next step" (grade 6) then "what about the manager?": the step to the manager role.
        there = [r for r in next_roles(loaded, previous_roles[0]) if r.path in paths]
        if len(there) == 1:
            to_there = role_ref(loaded, there[0])
            return previous.model_copy(update={"roles": [previous.roles[0], to_there], "about_me": False})
    if paths and previous_roles and (elliptical or "one" in tokens or "instead" in tokens):
        # "and the manager?": the same grade, on the path named; "one grade down on the manager side":
        # the grade below, on that path.
        if step:
            at_grade = next_roles(loaded, previous_roles[0], step)
        else:
            at_grade = [r for r in loaded.framework.roles if r.grade == previous_roles[0].grade]
        swapped = [r for r in at_grade if r.path in paths]
        if not swapped and not step:
            # "what does my role say about facilities?" (grade 6) then "and if i went down the specialist
            # route?": the path starts above the asker's grade, so the first of its roles above it.
            swapped = [r for r in next_roles(loaded, previous_roles[0]) if r.path in paths]
        if swapped:
            intent = previous.intent if previous.intent in (Intent.ROLE, Intent.DEVELOPMENT) else Intent.ROLE
            return previous.model_copy(
                update={"intent": intent, "roles": [role_ref(loaded, r) for r in swapped], "paths": []}
            )
    on_its_own = previous.intent in (Intent.GRID, Intent.PDP) and query.intent is Intent.UNKNOWN
    if on_its_own and (pointing or elliptical):
        # "what's a pdp" then "is there a template for it?", "how does the self assessment work" then
        # "what's the scale out of?": the same card, which says it.
        return previous
    if pointing and query.yes_no and previous.intent is Intent.PROGRESSION and len(previous.roles) == 2:
        # "what do i need to go from g5 to g6" then "does my CPD count towards it?": that step, asked.
        # A competency it names is matched by its name too ("CPD": "Professional registration and CPD").
        named = [loaded.rows[r].label.lower() for r in query.rows]
        words = [*query.mentions, *query.terms, *named]
        return previous.model_copy(update={"yes_no": True, "mentions": words, "rows": []})
    swapped_in = _swapped_into_comparison(query, previous, catalogue) if elliptical else None
    if swapped_in is not None:
        return swapped_in
    # "next one up, g4?", "and if i got promoted to senior tech?" after a competency: that competency there.
    # Not "and how do i get there from g8?": from the role named to the one being discussed (below).
    from_there = pointing and "from" in tokens
    stepping = query.intent is Intent.PROGRESSION and bool(previous.rows) and not from_there
    # "g6 prof reg and cpd" then "what's the g8 equivalent?": the same competency at grade 8.
    its_equivalent = query.intent is Intent.CROSSWALK and "equivalent" in tokens and bool(previous.rows)
    if (
        names_roles
        and not query.rows
        and (
            (elliptical and query.intent in (Intent.ROLE, Intent.PATH))
            or ((elliptical or pointing) and stepping)
            or (elliptical and its_equivalent and not (query.bands or query.levels or query.local_grades))
        )
    ):
        return _same_question_other_role(query, previous, catalogue)
    if (
        previous.local_grades
        and (elliptical or pointing)
        and step
        and not (names_roles or query.local_grades)
    ):
        # "which imperial jobs are 2b?" then "and one grade above that?": the advertised grade above.
        jobs = loaded.framework.example_jobs
        grades = step_local_grades(previous.local_grades, step, jobs)
        if grades != previous.local_grades:
            update = {"intent": Intent.CROSSWALK, "local_grades": grades, "about_me": False, "terms": []}
            return previous.model_copy(update=update)
    if previous.levels and elliptical and not names_roles and not query.rows:
        numbers = [int(t) for t in tokens if t.isdigit()]
        if not numbers and step and len(previous.levels) == 1:
            numbers = [previous.levels[0] + step]  # "hay level 5" then "and the level below?"
        known = {level.number for level in loaded.framework.levels}
        if not numbers and known and {"lowest", "first", "bottom"} & set(tokens):
            numbers = [min(known)]  # "hay level 3" then "what about the lowest level?"
        elif not numbers and known and {"highest", "top", "last"} & set(tokens):
            numbers = [max(known)]
        if numbers and set(numbers) <= known:  # "hay level 2" then "and level 3"
            return query.model_copy(update={"intent": Intent.CROSSWALK, "levels": numbers, "terms": []})
    if len(previous.levels) > 1 and "which" in tokens and not names_roles and not query.rows:
        # "what are imperial's hay levels?" then "which of them talks about experts?": the one saying it.
        chosen = [n for n in every_level(catalogue, tokens) if n in previous.levels]
        if chosen and len(chosen) < len(previous.levels):
            return query.model_copy(update={"intent": Intent.CROSSWALK, "levels": chosen, "terms": []})
    that_role = bool(_THEY & set(tokens)) or (pointing and bool({"role", "job"} & set(tokens)))
    if that_role and query.rows and previous.roles and not names_roles and not query.about_me:
        # "what does a technical director do" then "do they have to teach?": the role being discussed.
        intent = Intent.DEVELOPMENT if query.intent is Intent.DEVELOPMENT else Intent.ROLE
        return query.model_copy(update={"intent": intent, "roles": previous.roles[:2]})
    if that_role and query.name_only and len(previous.roles) == 1 and not names_roles:
        # "what does a g7 specialist do" then "what would their job title be?": that role's name.
        return query.model_copy(update={"intent": Intent.ROLE, "roles": previous.roles})
    of_the_cell = query.intent is Intent.UNKNOWN and len(previous.roles) == 1 and bool(previous.rows)
    # "g4 safety" then "what does that mean?", "g7 specialist safety and wellbeing" then "what sort of
    # departmental remit does it mean?": the cell just shown, again.
    about_it = not query.terms or not (query.yes_no or query.rows or step)
    if pointing and of_the_cell and about_it and not (names_roles or query.about_me):
        return previous.model_copy(update={"intent": Intent.ROLE, "yes_no": False})
    of_that_role = that_role and query.yes_no and query.terms and not query.rows and len(previous.roles) == 1
    if of_that_role and not previous.rows and not names_roles and not query.about_me:
        # "what is a grade 7 specialist" then "does that role mark exams?": that role's cell on it.
        return query.model_copy(update={"intent": Intent.ROLE, "roles": previous.roles})
    they_too = query.yes_no and query.terms and ((_THEY & set(tokens) and not query.rows) or pointing)
    they_too = they_too and query.intent is not Intent.DEVELOPMENT  # "is there training listed for that?"
    if they_too and len(previous.roles) == 1 and previous.rows and not names_roles and not query.about_me:
        # "g6 teaching delivery" then "can they mark too?", "does that cover buying equipment?": that cell
        # of the role, asked about what the question names.
        cell = {"intent": Intent.ROLE, "roles": previous.roles, "rows": previous.rows[:1]}
        return query.model_copy(update={**cell, "mentions": [*query.mentions, *query.terms]})
    place = _place_in_list(tokens)
    if place and previous.intent is Intent.PROGRESSION and len(previous.roles) == 2 and not names_roles:
        # "g5 to g6 career grade criteria" then "what's number 6 on that list?": that criterion, first.
        return previous.model_copy(update={"criterion": place, "rows": [], "yes_no": False})
    if _the_bit(tokens) and query.rows and previous.intent is Intent.PROGRESSION and len(previous.roles) == 2:
        # "g5 to g6 career grade criteria" then "which one's the safety bit?": that competency of the step.
        return previous.model_copy(update={"rows": query.rows, "mentions": query.mentions})
    # "budget?", "what about budget management", "what registration goes with it?": that competency.
    asks_row = (
        not names_roles and query.rows and (elliptical or pointing) and query.intent is Intent.COMPETENCY
    )
    if asks_row and previous.intent is Intent.DEVELOPMENT:
        # "training for budget management" then "and for safety?": the opportunities for that one.
        return query.model_copy(update={"intent": Intent.DEVELOPMENT, "roles": previous.roles[:1]})
    if asks_row and previous.roles:
        # "what about budget management", "budget?": that competency for the role being discussed.
        return query.model_copy(update={"intent": Intent.ROLE, "roles": previous.roles[:2]})
    # "and if i moved up a grade?", "and once i'm promoted?": the asker a grade higher.
    raised = (
        bool(_ABOVE & set(tokens))
        or "promoted" in tokens
        or ("up" in tokens and bool({"grade", "move", "moved", "go", "went", "got", "step"} & set(tokens)))
    )
    if elliptical and ME & set(tokens) and raised and previous.rows and not names_roles:
        # "what's expected of me for planning" then "what about the grade above mine?": that competency at
        # the grade above the asker's own.
        carried = {"yes_no": previous.yes_no, "mentions": previous.mentions}
        above = {"intent": Intent.ROLE, "rows": previous.rows, "roles": [], "about_me": True, "upward": True}
        return query.model_copy(update={**above, **carried})
    if (elliptical or pointing) and previous_roles and not names_roles and step:
        return _grade_beside(query, previous, catalogue, step)
    if pointing and not names_roles and (not query.rows or _rows_only_by_asking(query)):
        return _pointed_at(query, previous)
    if _the_bit(tokens) and query.rows and previous.roles and not names_roles:
        # "g3 teamwork and motivation" then "does the close supervision bit ever ease off?": that part of
        # the role being discussed; "what training would help with the safety bit?": its opportunities.
        intent = Intent.DEVELOPMENT if query.intent is Intent.DEVELOPMENT else Intent.ROLE
        return query.model_copy(update={"intent": intent, "roles": previous.roles[:1]})
    if pointing and query.intent is Intent.PROGRESSION and previous.roles:
        # "how would I get there from grade 6": from the role named to the one being discussed; "from g8"
        # to the technical director: the grade 8 role on the director's path.
        start = query.roles[:1]
        if not start and len(query.ambiguous) == 1:
            path = catalogue.role(previous.roles[0])[1].path
            start = [o for o in query.ambiguous[0].options if catalogue.role(o)[1].path == path][:1]
        if len(start) == 1 and len(query.roles) + len(query.ambiguous) == 1:
            update = {"roles": [start[0], previous.roles[0]], "ambiguous": [], "about_me": False}
            return query.model_copy(update=update)
    if pointing and query.intent is Intent.COMPARE and len(query.roles) + len(query.ambiguous) == 1:
        return query.model_copy(update={"roles": [*previous.roles[:1], *query.roles]})  # "compare it with 9"
    one_grade = {catalogue.role(r)[1].grade for r in query.roles}
    at_it = bool({"that", "it", "this"} & set(tokens)) and not paths
    if at_it and query.intent is Intent.COMPARE and len(previous.roles) == 1 and len(one_grade) == 1:
        # "g8 ops manager communication" then "how is that different from g7?": the grade 7 role on its
        # path, on the same competency.
        mine = catalogue.role(previous.roles[0])[1]
        same_path = [r for r in query.roles if catalogue.role(r)[1].path == mine.path]
        if mine.grade not in one_grade and len(same_path) == 1:
            rows = query.rows or previous.rows
            return query.model_copy(update={"roles": [previous.roles[0], same_path[0]], "rows": rows})
    return query


# Someone in the role being discussed, spoken of ("do they have to teach?", "what quals do they need?").
_THEY = {"they", "them", "their", "theyre", "he", "she", "his", "her"}


def _swapped_into_comparison(query: Query, previous: Query, catalogue: Catalogue) -> Query | None:
    """ "compare g6 and g7 specialist" then "what about g7 manager": the same comparison, with the role of
    that grade swapped for the one named."""
    if previous.intent is not Intent.COMPARE or len(previous.roles) != 2 or len(query.roles) != 1:
        return None
    if query.ambiguous or query.intent not in (Intent.ROLE, Intent.COMPARE):
        return None
    named = query.roles[0]
    grade = catalogue.role(named)[1].grade
    same_grade = [r for r in previous.roles if catalogue.role(r)[1].grade == grade and r != named]
    if len(same_grade) != 1 or named in previous.roles:
        return None
    roles = [named if r == same_grade[0] else r for r in previous.roles]
    return previous.model_copy(update={"roles": roles})


def _same_question_other_role(query: Query, previous: Query, catalogue: Catalogue) -> Query:
    """ "grade 8?", "and at grade 9?": the previous question (its competencies) asked of another grade. An
    ambiguous grade follows the previous path; failing that, a competency is answered for each of its
    roles, and a whole role is asked about."""
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
    return query.model_copy(
        update={
            "roles": roles,
            "ambiguous": remaining,
            "rows": previous.rows,
            "intent": intent,
            "paths": [],
            **carried,
        }
    )


def _rows_only_by_asking(query: Query) -> bool:
    """Whether the only competency words of a development question are how it asks for development ("what
    cpd would help there" names Professional registration and CPD only by asking for CPD)."""
    return (
        query.intent is Intent.DEVELOPMENT
        and bool(query.mentions)
        and all(INTENT_PHRASES.get(m) == "development" for m in query.mentions)
    )


def _pointed_at(query: Query, previous: Query) -> Query:
    """ "how do I get there", "what band is that", "training for that": about the previous subject."""
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
    return query


def direction(tokens: list[str]) -> int:
    """ "next grade up?", "and the one above?" (1), "and the one below?" (-1): a grade next to the one
    discussed, not the asker's own (0 when neither, or when the asker speaks of themselves)."""
    if ME & set(tokens):
        return 0

    # "one grade down", "a step down": not "break that down" or "written down".
    def after_a_step(word: str) -> bool:
        return any(
            t == word and {"grade", "level", "step"} & set(tokens[max(0, i - 2) : i])
            for i, t in enumerate(tokens)
        )

    # "one grade up on the manager side", "a step up".
    up = after_a_step("up")
    down = after_a_step("down")
    return 1 if _ABOVE & set(tokens) or up else -1 if _BELOW & set(tokens) or down else 0


def _grade_beside(query: Query, previous: Query, catalogue: Catalogue, step: int) -> Query:
    """The previous question asked of the role(s) above (or below) the one discussed: its competencies
    there, or the step up to it, or that role (a choice when two roles are there)."""
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
