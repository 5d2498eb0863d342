"""What a question asks beyond its roles and rows: a passage of the documents, a topic outside the
framework, an advertised job, a move between career paths; these take over the intent read so far."""

from __future__ import annotations

from framework_data.asks import (
    ROLE_WORDS,
    Asks,
    jobs_with_words,
    main_topics,
    narrowed_jobs,
    only_framing,
    passage_asked,
    passage_of,
    with_departments_named,
)
from framework_data.catalogue import Catalogue
from framework_data.document_index import names_of_publishers
from framework_data.numbers import Scan
from framework_data.query_model import Hit, Intent, Query, qualifier_path
from framework_data.query_roles_named import quotes_a_reference
from framework_data.vocabulary import normalise

# What a progression asks for when it names no step ("what evidence do I need for the 5 to 6").
CRITERIA = {"criteria", "criterion", "evidence"}
_JOB_WORDS = {"job", "jobs", "advert", "adverts", "advertised", "posts", "titles"}
_MOVE_WORDS = {
    *"move moving transfer transferring cross over side across switch switching swap swapping".split()
}

_FOR_EVER = frozenset("stuck forever permanent permanently locked tied lifelong irreversible".split())


def read_move_between_paths(query: Query, scan: Scan, hits: list[Hit], catalogue: Catalogue) -> None:
    """ "can a specialist become a manager": two paths and no grade, asked as a move or a yes/no, is a
    move between paths, which the framework speaks of in a passage of its own."""
    if query.intent is Intent.PASSAGE or scan.grades:
        return
    named = len(paths_named(hits, catalogue, query.framework))
    # "if i pick the manager path am i stuck on it for good?": whether a path, once taken, is for ever.
    for_ever = named >= 1 and bool(_FOR_EVER & set(scan.tokens))
    if not (query.intent is Intent.PROGRESSION or query.yes_no or for_ever):
        return
    between = catalogue.framework(query.framework).framework.between_paths_passage
    # "could I move over to the manager side": the asker's own path is the other one.
    moving = query.about_me and bool(_MOVE_WORDS & set(scan.tokens))
    if between and (named >= 2 or (named == 1 and moving) or for_ever):
        query.intent, query.passage = Intent.PASSAGE, between
        if query.yes_no and not query.passage_answer:
            # "can a specialist become a manager": the passage's yes to a move between paths.
            answers = next(
                p.answers for p in catalogue.framework(query.framework).framework.passages if p.id == between
            )
            yes = next((i for i, a in enumerate(answers) if a.answer == "yes"), None)
            query.passage_answer = f"{between}:{yes}" if yes is not None else ""


def every_level(catalogue: Catalogue, tokens: list[str] | None = None) -> list[int]:
    """ "What are the Hay levels": all of them; "which hay level is for people still doing formal
    training": those whose summary has most of the question's words, if some have more than others;
    "which hay levels say ...": each whose summary has a word of it that few levels' summaries have."""
    levels = [level for f in catalogue.frameworks for level in f.framework.levels]
    # A plural is its singular: "formal qualifications" is the summary's "formal qualification".
    words = {_singular(t) for t in tokens or [] if len(t) >= 4 and t not in _LEVEL_FRAMING}
    summaries = {level.number: {_singular(w) for w in normalise(level.summary)} for level in levels}
    said = {number: len(words & summary) for number, summary in summaries.items()}
    if "levels" in (tokens or []):
        # "which hay levels say the work follows set routines": "routine" is in two, "follow" in one;
        # "work", in most, tells none apart.
        having = [{n for n, summary in summaries.items() if w in summary} for w in words]
        telling = set().union(*(numbers for numbers in having if 0 < len(numbers) <= len(levels) // 2))
        if telling:
            return sorted(telling)
    most = max(said.values(), default=0)
    if most and list(said.values()).count(most) < len(said):
        return [number for number, count in said.items() if count == most]
    return [level.number for level in levels]


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 4 else word


# Words of a question about the levels that every level's summary may share.
_LEVEL_FRAMING = frozenset("level levels roles role people staff which what with this that hay".split())


def paths_named(hits: list[Hit], catalogue: Catalogue, framework: str) -> list[str]:
    """The career paths a question names by a path word ("specialist", "the manager path")."""
    paths: list[str] = []
    for hit in hits:
        if any(e.kind == "path" and e.framework == framework for e in hit.entities):
            path = qualifier_path(hit, catalogue, framework)
            if path and path not in paths:
                paths.append(path)
    return paths


def read_asks(
    query: Query, asks: Asks, tokens: list[str], catalogue: Catalogue, self_described: bool = False
) -> None:
    """A topic outside the framework, then a passage of the documents, then an advertised job, take over
    the intent read from roles and rows ("how much does a grade 6 get paid" is about pay).
    ``self_described``: the only roles named are the asker's own ("im a technical manager, ..."), which
    say who asks, not what about, when a passage is asked for."""
    names_roles = bool(query.roles or query.ambiguous)
    query.opportunity = next((name for fw, name in asks.opportunities if fw == query.framework), "")
    specifics = names_roles or bool(query.rows or query.bands or query.levels or query.local_grades)
    passage = passage_asked(asks, tokens, catalogue, specifics, names_roles, query.framework)
    if passage is None and names_roles and self_described and not query.rows:
        passage = passage_asked(asks, tokens, catalogue, False, False, query.framework)
    between = catalogue.framework(query.framework).framework.between_paths_passage
    if passage is not None and _of_another_institution(passage, tokens, catalogue):
        passage = None  # "does the icr compare its authorship guidelines": not Imperial's on authorship
    one_cell = query.yes_no and query.rows and len(query.roles) == 1
    if passage is not None and one_cell and passage[1] != between:
        passage = None  # "hiring an assistant tech (g4) - would a level 3 qualification be enough?"
    if passage is not None and quotes_a_reference(tokens):
        passage = None  # "the spreadsheet just says as grade 8 senior specialist - what does that mean?"
    if (
        passage is not None
        and len(query.roles) >= 2
        and (query.rows or _one_grade(query, catalogue, between))
    ):
        # "hiring at g8 - budgets for the whole department, specialist or manager?", "hiring a g7 to
        # troubleshoot tricky methods - specialist post or technical manager post?": the roles compared.
        passage = None
    if passage == (query.framework, between) and _asks_what_changes(query, tokens, catalogue):
        passage = None  # "sideways move from g7 specialist to g7 lab manager - what would i pick up?"
    if (
        passage is not None
        and not names_roles
        and _names_my_job(tokens)
        and (query.rows or _says_about(tokens))
    ):
        # "what does my jd say about communication", "... about looking after the lab": the asker's own
        # role's cells, not the passage on JDs.
        passage = None
        query.intent = Intent.ROLE
    # The topics outside are the primary framework's; a passage of another framework the question names
    # ("who do I contact about imperial's pathway") is what that framework says on it.
    named_other = (
        passage is not None
        and passage[0] != catalogue.primary.id
        and (passage[0] == query.framework or passage[0] in tokens)  # "imperial's career structure"
    )
    # "any estates jobs at imperial": the word of a topic outside is an advertised job's department here.
    jobs_by_words = jobs_with_words(tokens, catalogue, query.framework) if _JOB_WORDS & set(tokens) else []
    # "who do i talk to about switching to the new JD": what it is about answers, where something does.
    asked_something = specifics or passage is not None or query.intent is not Intent.UNKNOWN
    if asks.outside and only_framing(catalogue, asks.outside) and asked_something:
        asks.outside = []
    if asks.outside and not named_other and not jobs_by_words:
        query.intent, query.outside = Intent.OUTSIDE, main_topics(catalogue, asks.outside)
    elif passage is not None:
        query.intent, query.framework, query.passage = Intent.PASSAGE, passage[0], passage[1]
        query.passage_answer = next(
            (key for fw, key in asks.answers if fw == passage[0] and key.split(":")[0] == passage[1]), ""
        )
    elif asks.jobs and not names_roles:
        query.intent = Intent.CROSSWALK
        query.framework = asks.jobs[0][0]
        jobs = with_departments_named(narrowed_jobs(asks.jobs, tokens, catalogue), tokens, catalogue)
        query.jobs = [index for framework, index in jobs if framework == query.framework]
    elif (
        not specifics
        and (_JOB_WORDS & set(tokens) or _grades_of_another(query, tokens, catalogue))
        and catalogue.framework(query.framework).framework.example_jobs
    ):
        # "what grades do imperial jobs have": every advertised job of that framework, or those the
        # question's words pick out ("which imperial jobs are in the department of medicine").
        query.intent = Intent.CROSSWALK
        every_job = range(len(catalogue.framework(query.framework).framework.example_jobs))
        query.jobs = jobs_by_words or list(every_job)
    elif query.intent is Intent.UNKNOWN and query.about_me and _asks_of_my_role(tokens):
        query.intent = Intent.ROLE  # "what does my role need": the asker's role, from the directory
    elif query.intent is Intent.UNKNOWN and query.about_me and query.yes_no and query.terms:
        query.intent = Intent.ROLE  # "do I get my own budget": a yes/no about the asker's own role
    if query.intent is Intent.COMPARE and not query.roles and len(query.ambiguous) == 1:
        # "Compare the grade 8 roles": one grade and nothing else to compare it with means all its roles.
        query.roles, query.ambiguous = list(query.ambiguous[0].options), []
    if query.intent is Intent.PROGRESSION and not names_roles and not CRITERIA & set(tokens):
        query.about_me = True  # "how does one get promoted" is asked for oneself


def _of_another_institution(passage: tuple[str, str], tokens: list[str], catalogue: Catalogue) -> bool:
    """The question names institutions whose documents the bot holds, and the passage is none of theirs."""
    named = {who for phrase, who in names_of_publishers() if _says(tokens, phrase)}
    if not named:
        return False
    found = passage_of(catalogue, *passage)
    source = catalogue.framework(passage[0]).framework.source
    return (found.cited.publisher if found.cited else source.publisher) not in named


def _says(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    return any(tuple(tokens[i : i + len(phrase)]) == phrase for i in range(len(tokens)))


def _one_grade(query: Query, catalogue: Catalogue, between: str) -> bool:
    """The roles named are all of one grade, and the passage found is not the one on moving between them."""
    grades = {catalogue.role(ref)[1].grade for ref in query.roles}
    return len(grades) == 1 and query.passage != between


_CHANGES = frozenset("pick change changes changed different difference new extra gain involve".split())


def _asks_what_changes(query: Query, tokens: list[str], catalogue: Catalogue) -> bool:
    """Two roles of one grade named, and what moving between them changes asked (not whether one may)."""
    grades = {catalogue.role(ref)[1].grade for ref in query.roles}
    return len(query.roles) == 2 and len(grades) == 1 and not query.yes_no and bool(_CHANGES & set(tokens))


def _grades_of_another(query: Query, tokens: list[str], catalogue: Catalogue) -> bool:
    """ "what grades does imperial use for technicians": the grades of another framework than the primary,
    which its advertised jobs show."""
    return (
        query.intent is Intent.UNKNOWN
        and query.framework != catalogue.primary.id
        and bool({"grades", "grading"} & set(tokens))
    )


# "im a technical manager", "as a grade 7", "i am a lab manager": who is asking.
_I_AM = (["im"], ["i", "am"], ["i", "m"], ["as"], ["being"])


# "how do i ...", "where do i ...": asking how to do something, not what the role needs.
_HOW_TO = {"how", "where", "when", "who", "whom"}


def _asks_of_my_role(tokens: list[str]) -> bool:
    """A word of what a role needs ("what does my role need", "what am I expected to do"), not only the
    "do" of "how do I report bullying"."""
    words = {t for t in tokens if t in ROLE_WORDS}
    how_to = tokens[:1] and tokens[0] in _HOW_TO and tokens[1:3] in (["do", "i"], ["can", "i"], ["do", "we"])
    if words == {"do"} and how_to:
        return False
    return bool(words)


def only_self_described(scan: Scan, hits: list[Hit]) -> bool:
    """Every role or grade the question names follows "im a", "as a", "i am a"."""
    starts = [m.start - (scan.tokens[m.start - 1 : m.start] == ["grade"]) for m in scan.grades]
    starts += [h.start for h in hits if any(e.kind in ("role", "path") for e in h.entities)]
    if not starts:
        return False
    tokens = scan.tokens

    def described(start: int) -> bool:
        before = tokens[:start]
        if before[-1:] in (["a"], ["an"]):
            before = before[:-1]
        # "im a senior technician": a word of the title may come first ("senior", "technical").
        return any(before[-len(words) :] == words for words in _I_AM)

    return all(described(s) or described(s - 1) for s in starts)


_MY_JOB = (
    ["my", "jd"],
    ["my", "job", "description"],
    ["my", "job", "descriptor"],
    ["my", "job", "spec"],
    ["my", "job"],  # "is managing people compulsory in my job": the asker's own cell
    ["my", "role"],
)


def _says_about(tokens: list[str]) -> bool:
    """ "what does my jd say about ...", "i sort out clashes, is that actually in my jd?": what a JD says,
    not whether the guide says anything on a topic ("do i do every example listed in my jd?")."""
    if any(tokens[i] in ("say", "says") and tokens[i + 1] == "about" for i in range(len(tokens) - 1)):
        return True
    return bool({"that", "this", "it"} & set(tokens)) and any(
        tokens[i] in ("in", "part", "covered") and tokens[i + 1 : i + 1 + len(words)] == words
        for words in _MY_JOB
        for i in range(len(tokens) - 1)
    )


def _names_my_job(tokens: list[str]) -> bool:
    return any(tokens[i : i + len(words)] == words for words in _MY_JOB for i in range(len(tokens)))
