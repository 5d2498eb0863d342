"""Turn a free-text question into a structured query: which roles, rows, paths, bands and what is asked."""

from __future__ import annotations

from framework_data.asks import Asks, about_me, asks_yes_or_no, asks_yes_or_no_after_context
from framework_data.catalogue import Catalogue, role_ref
from framework_data.local_grades import stepped_by_words
from framework_data.misread import misread_intents
from framework_data.numbers import Scan, scan_numbers
from framework_data.opportunities import opportunity_named
from framework_data.query_asks import (
    CRITERIA,
    every_level,
    only_self_described,
    read_asks,
    read_move_between_paths,
)
from framework_data.query_hits import (
    GRADE_FILLER,
    band_as_grade,
    bind_qualifiers,
    people_not_paths,
    phrase_hits,
    spread_over_paths,
)
from framework_data.query_model import Ambiguity, Hit, Intent, Query
from framework_data.query_roles_named import drop_roles_done_to, drop_roles_in_a_setting
from framework_data.query_who import read_who_does_it
from framework_data.rows_mentioning import read_rows_mentioning
from framework_data.schema import grade_key
from framework_data.vocabulary import NEVER_CORRECT, Vocabulary, normalise

__all__ = ["Ambiguity", "Intent", "Query", "job_at_grade", "parse_question"]

# Words before a role that make it the goal of a progression ("how do I become a lab manager").
_GOAL_MARKERS = {"to", "become", "becoming", "into", "reach", "reaching"}
# "going for grade 6", "applying for grade 7": "for" after one of these also names the goal.
_GOING_FOR = {"going", "go", "aiming", "aim", "applying", "apply", "gunning", "pushing", "up"}
# Words asking what a role involves ("the lab manager route, what would the job involve").
_ABOUT_THE_JOB = {"involve", "involves", "involved", "entail", "entails", "duties", "responsibilities", "job"}
# Words that name the self-assessment grid itself, not only the competencies.
_GRID_WORDS = {"grid", "assessment", "assess", "assessing", "score", "scores", "scoring", "rate"}
_SEARCH_STOPWORDS = set(
    "the and for you are can how who why what does about tell with any there mention mentions mentioned say "
    "says said framework guide anything something info information where please thing things "
    # How a yes/no asks ("is IOSH needed for g6"), not what about.
    "needed required necessary essential compulsory mandatory".split()
)
_UPWARD = {"next", "higher"}
# "either grade 8 role", "both grade 7 jobs", "the two g8 roles": every role of the grade.
_EVERY_ONE = {"either", "both", "each", "two"}
# "is a grade 6 allowed to develop charging models": whether the role does it, not training for it.
_PERMITTED = {"allowed", "able", "expected", "supposed", "required", "asked", "permitted", "meant"}
_DOING = {"develop", "train", "improve"}
# Words between a role and its verb that change nothing ("does a grade 6 technician usually develop").
_ADVERBS = {"technician", "technicians", "tech", "usually", "normally", "ever", "also", "actually", "still"}


# "both routes", "either side", "each path": the ways a grade's roles are called.
_ROLES_OF_A_GRADE = frozenset(
    "role roles job jobs route routes path paths side sides track tracks option options posts".split()
)


def _names_every_role(tokens: list[str]) -> bool:
    """ "either role", "both roles", "each of the roles": every role of the grade named."""
    return any(tokens[i] in _EVERY_ONE and tokens[i + 1] in _ROLES_OF_A_GRADE for i in range(len(tokens) - 1))


def _resolve_grades(
    scan: Scan, catalogue: Catalogue, framework: str, query: Query, titled: frozenset[str] = frozenset()
) -> None:
    """Each grade mentioned as its role, or as a choice of its roles. ``titled``: roles the question names
    by title, which a bare grade of theirs means ("the senior specialist route at g8")."""
    loaded = catalogue.framework(framework)
    qualified_paths = {m.path for m in scan.grades if m.path}
    for mention in scan.grades:
        roles = [r for r in loaded.framework.roles if r.grade == mention.grade]
        if not roles and any(job_at_grade(j.grade, mention.grade) for j in loaded.framework.example_jobs):
            scan.local_grades.append(mention.grade)  # Imperial's grade 4: advertised jobs, no role
            continue
        if not roles:
            query.unknown.append(f"{loaded.framework.grade_label} {mention.grade}")
            continue
        narrowed = [r for r in roles if r.path == mention.path] if mention.path else roles
        every_one = bool(_EVERY_ONE & set(scan.tokens[max(0, mention.start - 2) : mention.start]))
        # "g8 pair - who deals with ...", "the g7 duo": the grade's roles, both.
        every_one = every_one or scan.tokens[mention.end : mention.end + 1] in (["pair"], ["duo"], ["both"])
        # "g8 - does either role have to bring in income?": the grade said first, then "either role".
        every_one = every_one or _names_every_role(scan.tokens)
        if not mention.path and every_one:
            # "could either grade 8 role be named PI": each of its roles.
            query.roles.extend(role_ref(loaded, r) for r in roles if role_ref(loaded, r) not in query.roles)
            continue
        by_title = [r for r in narrowed if role_ref(loaded, r) in titled]
        if len(narrowed) > 1 and len(by_title) == 1:
            narrowed = by_title
        if len(narrowed) > 1 and len(qualified_paths) == 1:
            # "from grade 7 specialist to grade 8": the path said once carries over.
            inherited = [r for r in roles if r.path in qualified_paths]
            narrowed = inherited or narrowed
        narrowed = narrowed or roles
        mention.candidates = [role_ref(loaded, r) for r in narrowed]
        # A grade said twice is one role asked about ("it starts 'as grade 4' - what's the grade 4 part?").
        if len(narrowed) == 1:
            if mention.candidates[0] not in query.roles:
                query.roles.append(mention.candidates[0])
        elif all(a.options != mention.candidates for a in query.ambiguous):
            query.ambiguous.append(Ambiguity(mention=f"grade {mention.grade}", options=mention.candidates))


def job_at_grade(job_grade: str, grade: str) -> bool:
    """An advertised job's grade is the one asked: "4" is 4, and "3" covers 3a and 3b."""
    job_grade = job_grade.lower()
    return job_grade == grade or (job_grade[:-1] == grade and job_grade[-1:] in ("a", "b"))


def _choose_framework(hits: list[Hit], scan: Scan, catalogue: Catalogue) -> str:
    named = [e.key for h in hits for e in h.entities if e.kind == "framework"]
    if named:
        return named[0]
    if scan.local_grades or scan.levels:
        for loaded in catalogue.others:
            if loaded.framework.levels or loaded.framework.example_jobs:
                return loaded.id
    # A phrase only another framework knows ("first stage technician") selects that framework.
    role_frameworks = [{e.framework for e in h.entities if e.kind in ("role", "row", "job")} for h in hits]
    for frameworks in role_frameworks:
        if frameworks and catalogue.primary.id not in frameworks:
            return sorted(frameworks)[0]
    return catalogue.primary.id


# A competency asked of the self-assessment grid's rows: which row scores it.
_GRID_ROW_WORDS = frozenset({"row", "rows", "separate", "scored"})
# Being promoted, as against what is "above my grade" (a competency of the asker's own role, compared).
_PROMOTION = frozenset({"promoted", "promotion", "promote", "progress", "progression", "regrading"})


def _decide_intent(
    query: Query, intents: set[str], words: set[str], catalogue: Catalogue, does_it: bool = False
) -> Intent:
    """``does_it``: a yes/no whether the role does something ("allowed to develop"), not training for it."""
    has_roles = bool(query.roles or query.ambiguous)
    # "grade 8 manager vs specialist, who gets to make the decisions": roles of one grade, compared.
    same_grade_compared = (
        "compare" in intents
        and len(query.roles) >= 2
        and len({catalogue.role(ref)[1].grade for ref in query.roles}) == 1
    )
    if "help" in intents and not (has_roles or query.rows or "development" in intents):
        return Intent.HELP
    if intents == {"greeting"} and not (has_roles or query.rows):
        return Intent.HELP
    if "thanks" in intents and not (has_roles or query.rows):
        return Intent.THANKS
    if "pdp" in intents and not ("development" in intents and query.rows):
        return Intent.PDP  # not "writing my PDP - quick list of dev options for budgets?": those options
    if "progression" in intents and (has_roles or CRITERIA & words) and not same_grade_compared:
        return Intent.PROGRESSION
    if len(query.roles) + len(query.ambiguous) >= 2 or ("compare" in intents and has_roles):
        return Intent.COMPARE
    if "compare" in intents and query.about_me and not query.rows:
        return Intent.COMPARE  # "difference between my job and the next one": the asker's role, compared
    if "development" in intents and query.levels and (not query.rows or "hay" in words):
        # "which hay level is for people still doing formal training", "which hay levels mention formal
        # qualifications or formal training": the levels, not the development table.
        return Intent.CROSSWALK
    if "development" in intents and (query.rows or not has_roles) and not does_it:
        return Intent.DEVELOPMENT
    if query.bands or query.levels or query.local_grades or ("crosswalk" in intents and not query.rows):
        return Intent.CROSSWALK
    if "path" in intents and len(query.roles) == 1 and _ABOUT_THE_JOB & words:
        return Intent.ROLE  # "the lab manager route, what would the job involve": that role
    if (query.paths and not has_roles) or ("path" in intents and len(query.roles) <= 1 and not query.rows):
        return Intent.PATH
    if has_roles:
        return Intent.ROLE
    if "grid" in intents and query.rows and _GRID_ROW_WORDS & words and not has_roles:
        return Intent.GRID  # "is teaching delivery a separate row in the self-assessment grid?"
    if _PROMOTION & words and query.about_me and query.rows and "development" not in intents:
        return Intent.PROGRESSION  # "do i need a safety qualification to get promoted": my next step's
    if query.rows:
        return Intent.DEVELOPMENT if "development" in intents else Intent.COMPETENCY
    if "grid" in intents and query.about_me and not _GRID_WORDS & words:
        return Intent.ROLE  # "which competencies apply to me": the asker's role, not the grid
    if "grid" in intents:
        return Intent.GRID
    if "roles" in intents or "path" in intents:
        return Intent.ROLES if not query.paths else Intent.PATH
    if "progression" in intents:
        return Intent.PROGRESSION
    return Intent.UNKNOWN


# "what is a grade 4 called", "whats my job title", "what grade am i": the role's name, nothing more.
_ONLY_THE_NAME = (["called"], ["job", "title"], ["role", "title"], ["title"], ["grade", "am", "i"])


def _asks_only_the_name(tokens: list[str]) -> bool:
    return len(tokens) <= 7 and any(
        tokens[i : i + len(words)] == words for words in _ONLY_THE_NAME for i in range(len(tokens))
    )


def _names_a_row_twice(hits: list[Hit], framework: str) -> bool:
    """Every development word also names a competency that other words name too ("prof reg and cpd")."""
    development = [
        i
        for i, h in enumerate(hits)
        if any(e.kind == "intent" and e.key == "development" for e in h.entities)
    ]
    rows_of = [{e.key for e in h.entities if e.kind == "row" and e.framework == framework} for h in hits]
    return bool(development) and all(
        rows_of[i] & set().union(*(rows for j, rows in enumerate(rows_of) if j != i)) for i in development
    )


def parse_question(text: str, catalogue: Catalogue, vocab: Vocabulary, within: str = "") -> Query:
    """Read a question into a Query. Never raises: what it cannot place it reports as unknown. ``within``:
    the framework to read it in when it names none (a follow-up to an answer about that framework)."""
    tokens = [vocab.correct(t) for t in normalise(text)]
    scan = Scan(tokens)
    scan_numbers(scan)
    hits = people_not_paths(
        tokens, phrase_hits(tokens, scan.used, vocab), frozenset(m.end for m in scan.grades)
    )
    framework = _choose_framework(hits, scan, catalogue)
    if within and not any(e.kind == "framework" for h in hits for e in h.entities):
        framework = within
    query = Query(intent=Intent.UNKNOWN, framework=framework)
    every_hit = hits  # those bound to a grade below still say what their words were
    band_as_grade(scan, hits, catalogue, framework)
    hits = bind_qualifiers(scan, hits, catalogue, framework)
    hits, query.absent_paths = spread_over_paths(scan, hits, catalogue, framework)
    titled = frozenset(e.key for h in hits for e in h.entities if e.kind == "role")
    _resolve_grades(scan, catalogue, framework, query, titled)
    intents = {e.key for h in hits for e in h.entities if e.kind == "intent"}
    if any(e.kind == "opportunity" for h in hits for e in h.entities):
        intents.add("development")  # an opportunity named is about development, whatever else is asked
    spans = [(h.start, h.end, e.key) for h in hits for e in h.entities if e.kind == "intent"]
    named_at = {h.start for h in hits if any(e.kind in ("role", "path") for e in h.entities)}
    named_at |= {m.start for m in scan.grades}
    misread = misread_intents(
        tokens,
        spans,
        named_at,
        asks_yes_or_no(tokens),
        # "do i get a say in what resources my area needs": the asker's own role is named too.
        bool(query.roles or query.ambiguous or named_at) or about_me(tokens),
    )
    if _names_a_row_twice(hits, framework):
        misread.add("development")  # "g6 prof reg and cpd": the competency "Prof reg ... and CPD" by name
    intents -= misread
    # The words of a misread intent are what the question is about ("resource planning"): kept for the cells.
    misread_words = [t for start, end, key in spans if key in misread for t in tokens[start:end]]
    if scan.ranged:
        intents.add("progression")
    asks = Asks()
    # "specialist and manager path": a path named as a path makes a path word beside it one too.
    a_path_as_such = any({e.kind for e in h.entities if e.framework == framework} == {"path"} for h in hits)
    for hit in hits:
        for entity in hit.entities:
            asks.take(entity, hit.start, hit.end)
        mine = [e for e in hit.entities if e.framework == framework]
        kinds = {e.kind for e in mine}
        # "specialist" is both a role and a path: it is the path only when paths are what is asked.
        if "role" in kinds and not ("path" in kinds and ("path" in intents or a_path_as_such)):
            query.roles.extend(e.key for e in mine if e.kind == "role" and e.key not in query.roles)
        elif "path" in kinds:
            query.paths.extend(e.key for e in mine if e.kind == "path" and e.key not in query.paths)
        if "row" in kinds:
            query.rows.extend(e.key for e in mine if e.kind == "row" and e.key not in query.rows)
            query.mentions.append(" ".join(tokens[_with_level(tokens, hit.start) : hit.end]))
    query.bands = scan.bands
    query.levels = scan.levels or (every_level(catalogue, tokens) if "hay" in tokens else [])
    query.local_grades = stepped_by_words(
        scan.local_grades, tokens, catalogue.framework(framework).framework.example_jobs
    )
    query.towards = _names_a_destination(scan, hits, query)
    query.terms = _leftover_terms(scan, every_hit, vocab) + [
        t for t in misread_words if t not in NEVER_CORRECT
    ]
    query.terms = _with_everyday_terms(query.terms, tokens, catalogue, framework)
    query.about_me = about_me(tokens)
    query.upward = bool(_UPWARD & set(tokens))
    query.yes_no = asks_yes_or_no(tokens) or asks_yes_or_no_after_context(text)
    does_it = query.yes_no and (
        any(
            tokens[i] in _PERMITTED and tokens[i + 1] == "to" and tokens[i + 2] in _DOING
            for i in range(len(tokens) - 2)
        )
        or _role_then_doing(scan, every_hit)
    )
    if does_it:
        # What the role would do is what a cell must say ("can a g7 manager train staff").
        query.terms = [t for t in dict.fromkeys(tokens) if t in _DOING and t not in query.terms] + query.terms
    drop_roles_done_to(tokens, hits, scan, query)
    drop_roles_in_a_setting(hits, scan, query, catalogue)
    read_who_does_it(query, tokens, catalogue, intents)
    query.intent = _decide_intent(query, intents, set(tokens), catalogue, does_it)
    if query.intent is Intent.ROLE and query.towards and query.about_me and not query.rows:
        # "does my department's view count when i go for 6?": what going for the grade asks of the asker.
        query.intent = Intent.PROGRESSION
    if query.intent is Intent.DEVELOPMENT and "most" in tokens and not query.rows:
        query.terms.append("most")  # "which competency has the most training listed?": a count asked
    query.name_only = _asks_only_the_name(tokens) and not query.rows
    if query.intent is Intent.PATH and len(query.paths) == 1 and "grades" in tokens:
        # "which grades is the specialist path at?": the path's roles, grade by grade.
        loaded = catalogue.framework(framework)
        on_path = sorted(
            (r for r in loaded.framework.roles if r.path == query.paths[0]), key=lambda r: grade_key(r.grade)
        )
        query.roles = [role_ref(loaded, r) for r in on_path]
    self_described = only_self_described(scan, hits)
    # "being an apprentice, is there a registration i should aim at": the only role named is who asks.
    # Not "and once i'm a g5?", "if i became a lab manager": a role the asker may come to hold.
    someday = bool({"once", "when", "if", "after", "until", "become", "became"} & set(tokens))
    query.self_described = self_described and len(query.roles) == 1 and not someday
    read_asks(query, asks, tokens, catalogue, self_described)
    # "is there mentoring for teamwork", "any coaching for teamwork?": whether a competency lists it.
    asks_of_a_row = (query.yes_no or query.intent in (Intent.COMPETENCY, Intent.DEVELOPMENT)) and not (
        query.about_me  # "does my jd expect me to supervise project students": the asker's own cell
    )
    listed_for = asks_of_a_row and query.rows and not (query.roles or query.ambiguous)
    if not query.opportunity and (listed_for or (query.intent is Intent.DEVELOPMENT and not query.rows)):
        # "is the PDR listed as a development option anywhere?", "is there mentoring for teamwork": named
        # by words other phrases also read, or by one word alone.
        # The words that named a competency do not name an opportunity too: "do i have to scope and
        # deliver projects" is Project Management's cell, not whether Project work is listed.
        named_a_row = {w for mention in query.mentions for w in mention.split()} if listed_for else set()
        unread = [t for t in tokens if t not in named_a_row]
        loaded = catalogue.framework(query.framework)
        query.opportunity = opportunity_named(loaded, unread) or ""
        if not query.opportunity and named_a_row:
            # "anything from the Safety Office in the dev table": the competency's word is part of the
            # opportunity's name, whose other words the question has too.
            whole = opportunity_named(loaded, tokens) or ""
            query.opportunity = whole if set(normalise(whole)) & set(unread) else ""
        if query.opportunity and listed_for:
            query.intent = Intent.DEVELOPMENT
    read_move_between_paths(query, scan, hits, catalogue)
    read_rows_mentioning(query, tokens, catalogue)
    return query


def _role_then_doing(scan: Scan, hits: list[Hit]) -> bool:
    """ "does a grade 6 develop charging models", "can a g7 manager train staff": the verb right after the
    role is what the role does, not training asked for."""
    ends = [m.end for m in scan.grades] + [
        h.end for h in hits if any(e.kind in ("role", "path") for e in h.entities)
    ]
    tokens = scan.tokens
    for end in ends:
        rest = [t for t in tokens[end:] if t not in _ADVERBS]
        if rest and rest[0] in _DOING:
            return True
    return False


def _names_a_destination(scan: Scan, hits: list[Hit], query: Query) -> bool:
    """Whether the only role mentioned is a destination ("to grade 9", "become a lab manager")."""
    if len(query.roles) + len(query.ambiguous) != 1:
        return False
    starts = [
        m.start - (scan.tokens[m.start - 1] in ("grade", "grades")) for m in scan.grades if m.candidates
    ]
    starts += [h.start for h in hits if any(e.kind == "role" for e in h.entities)]
    for start in starts[:1]:
        before = [t for t in scan.tokens[:start] if t not in GRADE_FILLER]
        going_for = len(before) >= 2 and before[-1] == "for" and before[-2] in _GOING_FOR
        return bool(before) and (before[-1] in _GOAL_MARKERS or going_for)
    return False


def _leftover_terms(scan: Scan, hits: list[Hit], vocab: Vocabulary) -> list[str]:
    covered = set(scan.used) | {i for h in hits for i in range(h.start, h.end)}
    return [
        token
        for i, token in enumerate(scan.tokens)
        if i not in covered
        and token.isalpha()
        and (len(token) >= 3 or token in vocab.acronyms)  # "does the g8 ops manager deal with HR"
        and token not in NEVER_CORRECT
        and token not in _SEARCH_STOPWORDS
    ]


def _with_everyday_terms(
    terms: list[str], tokens: list[str], catalogue: Catalogue, framework: str
) -> list[str]:
    """The terms with the cells' own words for everyday ones the question uses in place of them ("look
    after a lab": "oversight", "lab")."""
    for phrase, words in catalogue.framework(framework).framework.everyday_words.items():
        wanted = normalise(phrase)
        if any(tokens[i : i + len(wanted)] == wanted for i in range(len(tokens))):
            terms = [t for t in terms if t not in wanted] + [w for w in words if w not in terms]
    return terms


def _with_level(tokens: list[str], start: int) -> int:
    """Where a competency's words start, taking in a qualification's level before them ("a level 5
    qualification"): the level is what a yes/no about the qualification turns on."""
    if start >= 2 and tokens[start - 2] == "level" and tokens[start - 1].isdigit():
        return start - 2
    return start
