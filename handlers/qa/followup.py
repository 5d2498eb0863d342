"""What the conversation is about (role, grade, competency, path), kept in its state, so that an elliptical
question ("and the manager?", "grade 8?", "what about budget management", "how do I get there") is read
against the previous answer, and a question's choices can be picked by typing ("the manager one", "2")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cards.model import Card
from framework_data.catalogue import Catalogue
from framework_data.document_index import (
    document_index,
    files_named,
    passage_terms,
    passages_by_id,
    terms_of,
)
from framework_data.document_words import PLAN_PARTS
from framework_data.query import Intent, Query, parse_question
from framework_data.query_asks import CRITERIA
from framework_data.schema import Passage
from framework_data.vocabulary import Vocabulary, normalise
from handlers.qa.common import PICK
from handlers.qa.completion import complete
from handlers.qa.elliptical import POINTING, direction, is_elliptical, points_back
from handlers.qa.picks import asks_for_more, typed_pick, valid_query

STATE_KEY = "qa"
# How many of a question's unread words the conversation keeps for a follow-up (the state stays small).
_KEPT_TERMS = 8
# What the conversation is about is remembered only after answers about the framework's content.
_TOPICAL = {
    Intent.ROLE,
    Intent.COMPARE,
    Intent.PROGRESSION,
    Intent.COMPETENCY,
    Intent.DEVELOPMENT,
    Intent.CROSSWALK,
    Intent.PATH,
    Intent.GRID,
    Intent.PDP,
}


def _topic(state: dict[str, Any]) -> dict[str, Any]:
    found = state.get(STATE_KEY)
    return found if isinstance(found, dict) else {}


def remember(state: dict[str, Any], query: Query, card: Card) -> None:
    """Keep what this answer was about, the query behind it (for "more"), and any choices it offered."""
    topic = _topic(state)
    choices = [[c.label, c.value] for c in card.choices if c.action_id == PICK]
    topic["choices"] = choices
    topic.pop("quoted", None)
    topic.pop("passage", None)
    if query.intent is Intent.PASSAGE and query.passage:
        topic["passage"] = [query.framework, query.passage]  # "anyone from IT on it?"
    subject = query.roles or query.rows or query.paths or query.levels or query.local_grades
    # The grid and the PDP template are subjects of their own ("is there a template for it?").
    if query.intent in _TOPICAL and not choices and (subject or query.intent in (Intent.GRID, Intent.PDP)):
        topic["about"] = {
            "framework": query.framework,
            "roles": query.roles,
            "rows": query.rows,
            "paths": query.paths,
            "levels": query.levels,
            "local_grades": query.local_grades,
            "intent": query.intent.value,
            # "can a grade 4 teach" then "and a grade 6?": the follow-up is a yes/no too.
            "yes_no": query.yes_no,
            "mentions": query.mentions,
            # "how do i get to grade 7" (towards it) or "whats my next step" (from one's own grade).
            "towards": query.towards,
            # "can a g8 specialist supervise students?" then "what about at g7?": students, still.
            "terms": query.terms[:_KEPT_TERMS],
        }
        topic["last"] = query.carried()
    state[STATE_KEY] = topic


def remember_documents(state: dict[str, Any], passages: list[str]) -> None:
    """The passages of the documents the answer just given quoted, for a follow-up about them ("what are
    they aiming for", "can managers get at it too?")."""
    topic = _topic(state)
    topic["quoted"] = list(dict.fromkeys(passages))
    state[STATE_KEY] = topic


def remember_asked(state: dict[str, Any], words: list[str]) -> None:
    """The words of the question just answered, without the documents it named, for a follow-up that asks
    the same of another document ("and queen mary?")."""
    topic = _topic(state)
    topic["asked"] = words
    state[STATE_KEY] = topic


def asked_before(state: dict[str, Any]) -> list[str]:
    found = _topic(state).get("asked")
    return [w for w in found if isinstance(w, str)] if isinstance(found, list) else []


# Words pointing at the very thing just quoted ("would it ever go wider?").
_IT = frozenset({"it", "that", "this", "those", "these"})
# Words pointing back at what a quoted document said ("how many are they aiming for").
_POINTING_AT_WRITERS = POINTING | {"they", "their", "theirs", "them"}


@dataclass(frozen=True)
class Discussed:
    """The passages just quoted, when this message follows up on them; ``pointing``: it points back at
    them ("they") rather than only reading as elliptical ("and for recognition?"); ``at_it``: at what
    was quoted itself ("can managers get at it too?")."""

    passages: list[str]
    pointing: bool
    at_it: bool = False
    # What was quoted holds every word the message has of its own ("what could get in the way?": risks).
    all_said: bool = False
    # What was quoted holds the message's rarest word and most of the rest by weight ("will there be a list
    # of who's up for being a mentor?" after Queen Mary's mentoring scheme).
    mostly_said: bool = False


def documents_discussed(text: str, state: dict[str, Any], vocab: Vocabulary) -> Discussed | None:
    quoted = _topic(state).get("quoted")
    if not isinstance(quoted, list) or not quoted or not all(isinstance(p, str) for p in quoted):
        return None
    tokens = [vocab.correct(t) for t in normalise(text)]
    pointing = bool(_POINTING_AT_WRITERS & set(tokens))
    found = None if pointing else passages_by_id(quoted)
    asked = set(terms_of(text))
    said = passage_terms(found.passages) if found is not None else set()
    # The words the message has of its own, when the passages just quoted hold every one of them.
    held = asked if found is not None and asked and asked <= said else None
    # "will people who take part get asked for feedback?" after the ICR's exchange pilot: every word the
    # question has of its own, two at least (or a part of a plan's row), is in what was just quoted.
    follows = held is not None and (len(held) >= 2 or held <= PLAN_PARTS)
    mostly = found is not None and _mostly_held(text, asked, said)
    if not pointing and not is_elliptical(tokens, text.strip().endswith("?")) and not follows and not mostly:
        return None
    return Discussed(quoted, pointing, bool(_IT & set(tokens)), all_said=held is not None, mostly_said=mostly)


def _mostly_held(text: str, asked: set[str], said: set[str]) -> bool:
    """What was quoted (``said``) holds one of the message's rarest terms and at least half its terms by
    weight, and the message names no document of its own."""
    if not asked or files_named(text):
        return False
    index = document_index()
    idf = index.idf
    # By any of a term's forms: "forward" is held by the "nominate" of what was quoted.
    held = {t for t in asked if t in said or set(index.forms(t)) & said}
    # One of the rarest, where several are as rare (the order of a set must not decide).
    rarest = max(idf.get(t, 0.0) for t in asked)
    weight = sum(idf.get(t, 0.0) for t in asked)
    held_rarest = any(idf.get(t, 0.0) == rarest for t in held)
    return held_rarest and sum(idf.get(t, 0.0) for t in held) * 2 >= weight


def follow(text: str, query: Query, state: dict[str, Any], catalogue: Catalogue, vocab: Vocabulary) -> Query:
    """The query a message means in this conversation: a typed pick of the choices just offered, the last
    answer in full, or an elliptical question completed from what the conversation is about."""
    topic = _topic(state)
    tokens = [vocab.correct(t) for t in normalise(text)]
    picked = typed_pick(tokens, query, topic.get("choices") or [], catalogue)
    if picked is not None:
        return picked
    if asks_for_more(tokens) and topic.get("last"):
        last = valid_query(str(topic["last"]), catalogue)
        return last.model_copy(update={"detail": True}) if last is not None else query
    again = _passage_pointed_at(tokens, query, topic.get("passage"), catalogue)
    if again is not None:
        return again
    offered = _step_the_passage_offers(tokens, text, query, topic.get("passage"), catalogue, vocab)
    if offered is not None:
        return offered
    about = topic.get("about")
    if not isinstance(about, dict):
        return query
    query = _bare_number_as_grade(tokens, text.strip().endswith("?"), query, about, catalogue, vocab)
    elsewhere = about.get("framework") != query.framework
    if elsewhere and (is_elliptical(tokens, text.strip().endswith("?")) or points_back(tokens)):
        # "imperial grade 3b" then "and grade 4?": read in the framework being discussed.
        within = parse_question(text, catalogue, vocab, within=str(about.get("framework")))
        if not within.unknown and (within.roles or within.local_grades or within.levels or within.rows):
            query = within
        elif (about.get("levels") or about.get("local_grades")) and (
            any(t.isdigit() for t in tokens)
            or direction(tokens)
            or _ENDS & set(tokens)
            or points_back(tokens)
        ):
            # "and level 3", "and the level below?", "the lowest level?", "and one grade above that?" after
            # Imperial's grade 2b jobs: completed below.
            query = within

    if about.get("framework") != query.framework:
        return query
    try:
        previous = Query(
            intent=Intent(about["intent"]),
            framework=about["framework"],
            roles=[r for r in about["roles"] if _known(catalogue, r)],
            rows=list(about["rows"]),
            paths=list(about["paths"]),
            levels=list(about.get("levels", [])),
            local_grades=list(about.get("local_grades", [])),
            yes_no=bool(about.get("yes_no")),
            mentions=list(about.get("mentions", [])),
            towards=bool(about.get("towards")),
            terms=[t for t in about.get("terms", []) if isinstance(t, str)][:_KEPT_TERMS],
        )
    except (KeyError, ValueError, TypeError):
        return query
    return complete(tokens, text.strip().endswith("?"), query, previous, catalogue, vocab)


_NUMBERED = {"grade", "grades", "band", "bands", "level", "levels", "hay"}
# "what about the lowest level?": one end of the levels.
_ENDS = {"lowest", "highest", "bottom", "top", "first", "last"}


def _bare_number_as_grade(
    tokens: list[str],
    asked: bool,
    query: Query,
    about: dict[str, Any],
    catalogue: Catalogue,
    vocab: Vocabulary,
) -> Query:
    """ "grade 3 teamwork" then "and 4?", "imperial grade 3a jobs" then "and 4?": after an answer about
    grades, a bare number in an elliptical question is another grade of the framework being discussed."""
    if about.get("levels") or not (about.get("roles") or about.get("local_grades")):
        return query
    if _NUMBERED & set(tokens) or not is_elliptical(tokens, asked) or not any(_bare_grade(t) for t in tokens):
        return query
    spelled = " ".join(f"grade {t}" if _bare_grade(t) else t for t in tokens)
    regraded = parse_question(spelled, catalogue, vocab, within=str(about.get("framework")))
    if regraded.unknown or not (regraded.local_grades or regraded.roles or regraded.ambiguous):
        return query
    return regraded


def _bare_grade(token: str) -> bool:
    """ "4", "3b": a grade said without the word "grade"."""
    return token.isdigit() or (len(token) == 2 and token[0].isdigit() and token[1] in "ab")


def _known(catalogue: Catalogue, ref: str) -> bool:
    try:
        catalogue.role(ref)
    except (KeyError, ValueError):
        return False
    return True


def _passage_pointed_at(tokens: list[str], query: Query, passage: Any, catalogue: Catalogue) -> Query | None:
    """ "anyone from IT on it?" after a passage (Imperial's steering group): that passage again, where the
    question names nothing of its own."""
    kept = _passage_kept(passage, catalogue)
    own_words = (
        query.roles
        or query.ambiguous
        or query.rows
        or query.paths
        or query.levels
        or query.bands
        or query.outside
    )
    # "who decides?" after how a career grade step is assessed: a short question with nothing of its own.
    bare = query.intent is Intent.UNKNOWN and len([t for t in tokens if t.isalpha()]) <= 3
    if kept is None or own_words or not (_POINTING_AT_WRITERS & set(tokens) or bare):
        return None
    framework, quoted = kept
    # "and where does it go after the faculty has looked at it?": "go after" is not a progression here.
    if query.intent not in (Intent.UNKNOWN, Intent.HELP, Intent.PROGRESSION) and not _holds_its_words(
        tokens, quoted
    ):
        return None
    return query.model_copy(update={"intent": Intent.PASSAGE, "framework": framework, "passage": quoted.id})


def _passage_kept(passage: Any, catalogue: Catalogue) -> tuple[str, Passage] | None:
    """The framework and passage the conversation's state says was just quoted, if it names a known one."""
    if not (isinstance(passage, list) and len(passage) == 2 and all(isinstance(p, str) for p in passage)):
        return None
    framework, passage_id = passage
    if not any(f.id == framework for f in catalogue.frameworks):
        return None
    found = next((p for p in catalogue.framework(framework).framework.passages if p.id == passage_id), None)
    return (framework, found) if found is not None else None


def _step_the_passage_offers(
    tokens: list[str], text: str, query: Query, passage: Any, catalogue: Catalogue, vocab: Vocabulary
) -> Query | None:
    """ "what's a career grade role" then "what evidence would i need?": the one step between grades the
    passage just quoted offers next (its button's question), where the follow-up asks for criteria or
    evidence and names no role of its own."""
    asked = text.strip().endswith("?")
    if query.intent is not Intent.PROGRESSION or query.roles or query.ambiguous or not CRITERIA & set(tokens):
        return None
    if not (is_elliptical(tokens, asked) or points_back(tokens)):
        return None
    kept = _passage_kept(passage, catalogue)
    offered = [parse_question(f.question, catalogue, vocab) for f in kept[1].follow_ups] if kept else []
    steps = [q for q in offered if q.intent is Intent.PROGRESSION and len(q.roles) == 2]
    return steps[0] if len(steps) == 1 else None


def _holds_its_words(tokens: list[str], passage: Passage) -> bool:
    """ "and the one about career pathways?" after the Technician Commitment's four themes: the passage
    just quoted says every word the question points at it with, whatever else they could be read as."""
    asked = set(terms_of(" ".join(t for t in tokens if t not in _POINTING_AT_WRITERS)))
    said = " ".join(
        (passage.title, passage.text, *passage.bullets, *(f"{p.label} {p.text}" for p in passage.points))
    )
    return bool(asked) and asked <= set(terms_of(said))
