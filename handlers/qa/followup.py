"""What the conversation is about (role, grade, competency, path), kept in its state, so that an elliptical
question ("and the manager?", "grade 8?", "what about budget management", "how do I get there") is read
against the previous answer, and a question's choices can be picked by typing ("the manager one", "2")."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from cards.model import Card
from framework_data.catalogue import Catalogue, role_ref
from framework_data.query import Intent, Query
from framework_data.vocabulary import Vocabulary, normalise
from handlers.qa.common import PICK

STATE_KEY = "qa"
# What the conversation is about is remembered only after answers about the framework's content.
_TOPICAL = {
    Intent.ROLE,
    Intent.COMPARE,
    Intent.PROGRESSION,
    Intent.COMPETENCY,
    Intent.DEVELOPMENT,
    Intent.CROSSWALK,
    Intent.PATH,
}
_OPENERS = (
    ("and",),
    ("what", "about"),
    ("how", "about"),
    ("what", "of"),
    ("same", "for"),
    ("also",),
    ("then",),
)
# Words pointing back at the previous subject; "there" only when it is somewhere to get to ("how do I get
# there"), not in "what training is there".
_POINTING = {"that", "it", "this", "them", "those", "these", "one"}
_TO_THERE = {"get", "go", "reach", "move", "progress"}
_FILLER = {
    "the", "a", "an", "one", "ones", "path", "route", "role", "version", "instead", "then", "too", "please",
    "and", "what", "about", "how", "at", "for", "of", "i", "mean", "meant", "option", "is", "s", "on",
    "same", "also", "ok", "okay",
}  # fmt: skip
# Words a follow-up may start with before its "and" or "what about" ("ok and budget?").
_INTERJECTIONS = {"ok", "okay", "right", "cool", "great", "so", "hmm", "alright", "thanks", "nice", "oh"}
# "show me more", "more detail please", "the full version", "side by side": the last answer in full.
_MORE_WORDS = frozenset(
    "more detail details detailed rest everything all full fully expand version side by both complete whole "
    "longer answer in".split()
)
_MORE_FRAMING = frozenset(
    "please can could i you me show see give tell the a some on that it this go into of".split()
)
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "last": -1}


def _topic(state: dict[str, Any]) -> dict[str, Any]:
    found = state.get(STATE_KEY)
    return found if isinstance(found, dict) else {}


def remember(state: dict[str, Any], query: Query, card: Card) -> None:
    """Keep what this answer was about, the query behind it (for "more"), and any choices it offered."""
    topic = _topic(state)
    choices = [[c.label, c.value] for c in card.choices if c.action_id == PICK]
    topic["choices"] = choices
    if query.intent in _TOPICAL and not choices and (query.roles or query.rows or query.paths):
        topic["about"] = {
            "framework": query.framework,
            "roles": query.roles,
            "rows": query.rows,
            "paths": query.paths,
            "intent": query.intent.value,
        }
        topic["last"] = query.carried()
    state[STATE_KEY] = topic


def follow(text: str, query: Query, state: dict[str, Any], catalogue: Catalogue, vocab: Vocabulary) -> Query:
    """The query a message means in this conversation: a typed pick of the choices just offered, the last
    answer in full, or an elliptical question completed from what the conversation is about."""
    topic = _topic(state)
    tokens = [vocab.correct(t) for t in normalise(text)]
    picked = _typed_pick(tokens, query, topic.get("choices") or [], catalogue)
    if picked is not None:
        return picked
    if _asks_for_more(tokens) and topic.get("last"):
        last = _valid(str(topic["last"]), catalogue)
        return last.model_copy(update={"detail": True}) if last is not None else query
    about = topic.get("about")
    if not isinstance(about, dict) or about.get("framework") != query.framework:
        return query
    try:
        previous = Query(
            intent=Intent(about["intent"]),
            framework=about["framework"],
            roles=[r for r in about["roles"] if _known(catalogue, r)],
            rows=list(about["rows"]),
            paths=list(about["paths"]),
        )
    except (KeyError, ValueError, TypeError):
        return query
    return _complete(tokens, text.strip().endswith("?"), query, previous, catalogue, vocab)


def _asks_for_more(tokens: list[str]) -> bool:
    words = [t for t in tokens if t not in _MORE_FRAMING]
    return (
        bool(words)
        and all(t in _MORE_WORDS for t in words)
        and any(
            t in ("more", "detail", "details", "detailed", "rest", "everything", "full", "expand", "side")
            for t in words
        )
    )


def _known(catalogue: Catalogue, ref: str) -> bool:
    try:
        catalogue.role(ref)
    except (KeyError, ValueError):
        return False
    return True


def valid_query(value: str, catalogue: Catalogue) -> Query | None:
    """A query kept in a button or the conversation's state, if it still names only roles, competencies
    and passages the frameworks have (a framework file may have changed since)."""
    try:
        query = Query.model_validate_json(value)
        loaded = catalogue.framework(query.framework)
        for ref in (*query.roles, *(o for a in query.ambiguous for o in a.options)):
            catalogue.role(ref)
        for row in query.rows:
            loaded.rows[row]
    except (ValidationError, KeyError, ValueError):
        return None
    if query.passage and all(p.id != query.passage for p in loaded.framework.passages):
        return None
    return query


_valid = valid_query


def _typed_pick(
    tokens: list[str], query: Query, choices: list[list[str]], catalogue: Catalogue
) -> Query | None:
    """A choice of the last card, typed: its number, its place ("the second"), a grade ("6") or words of
    its label ("the manager one")."""
    if not choices:
        return None
    labels = [label.lower() for label, _ in choices]
    words = [t for t in tokens if t not in _FILLER]
    index: int | None = None
    if len(words) == 1 and words[0].isdigit():
        graded = [i for i, label in enumerate(labels) if label.startswith(f"grade {words[0]} ")]
        if len(graded) == 1:
            index = graded[0]
        elif not graded and 1 <= int(words[0]) <= len(choices):
            index = int(words[0]) - 1
    elif len(words) == 1 and words[0] in _ORDINALS:
        position = _ORDINALS[words[0]]
        index = len(choices) - 1 if position == -1 else position - 1 if position <= len(choices) else None
    elif words and len(words) <= 4:
        matching = [
            i for i, label in enumerate(labels) if all(re.search(rf"\b{re.escape(w)}", label) for w in words)
        ]
        if len(matching) == 1:
            index = matching[0]
    if index is None and query.roles and not query.rows and query.intent in (Intent.ROLE, Intent.PATH):
        # "grade 8 manager" typed for "Which grade 8 role?" (but "grade 8 manager budget" is a new question)
        named = [i for i, (_, value) in enumerate(choices) if _picked_role(value) in query.roles]
        index = named[0] if len(named) == 1 else None
    if index is None:
        return None
    return _valid(choices[index][1], catalogue)


def _picked_role(value: str) -> str:
    try:
        roles = Query.model_validate_json(value).roles
    except ValidationError:
        return ""
    return roles[-1] if roles else ""


def _path_words_only(tokens: list[str], vocab: Vocabulary, framework: str) -> list[str]:
    """The paths a message names when it names nothing else ("and the manager?", "the specialist one")."""
    paths: list[str] = []
    for token in tokens:
        if token in _FILLER:
            continue
        entities = vocab.phrases.get((token,), [])
        found = [e.key for e in entities if e.kind == "path" and e.framework == framework]
        if not found:
            return []
        paths.extend(p for p in found if p not in paths)
    return paths


def _points_back(tokens: list[str]) -> bool:
    return any(
        t in _POINTING or (t == "there" and i > 0 and tokens[i - 1] in _TO_THERE)
        for i, t in enumerate(tokens)
    )


def _complete(
    tokens: list[str], asked: bool, query: Query, previous: Query, catalogue: Catalogue, vocab: Vocabulary
) -> Query:
    """Fill in what an elliptical question leaves out from the previous topic. Only a question that reads
    as a follow-up is completed: it opens with "and" or "what about", or is a few words and a question
    mark ("grade 8?"), or points back ("how do I get there"); a question that stands alone is answered
    as asked."""
    start = next((i for i, t in enumerate(tokens) if t not in _INTERJECTIONS), len(tokens))
    opener = any(tuple(tokens[start : start + len(o)]) == o for o in _OPENERS)
    elliptical = opener or (asked and len([t for t in tokens if t not in _FILLER]) <= 3)
    pointing = _points_back(tokens)
    loaded = catalogue.framework(previous.framework)
    names_roles = bool(query.roles or query.ambiguous)
    previous_roles = [catalogue.role(r)[1] for r in previous.roles]

    paths = _path_words_only(tokens, vocab, previous.framework)
    if paths and previous_roles and (elliptical or "one" in tokens or "instead" in tokens):
        # "and the manager?": the same grade, on the path named.
        grade = previous_roles[0].grade
        swapped = [r for r in loaded.framework.roles if r.grade == grade and r.path in paths]
        if swapped:
            intent = previous.intent if previous.intent in (Intent.ROLE, Intent.DEVELOPMENT) else Intent.ROLE
            return previous.model_copy(
                update={"intent": intent, "roles": [role_ref(loaded, r) for r in swapped], "paths": []}
            )
    if names_roles and not query.rows and elliptical and query.intent in (Intent.ROLE, Intent.PATH):
        return _same_question_other_role(query, previous, catalogue)
    if not names_roles and query.rows and opener and previous.roles and query.intent is Intent.COMPETENCY:
        # "what about budget management": that competency for the role being discussed.
        return query.model_copy(update={"intent": Intent.ROLE, "roles": previous.roles[:2]})
    if pointing and not names_roles and not query.rows:
        return _pointed_at(query, previous)
    if pointing and query.intent is Intent.PROGRESSION and len(query.roles) == 1 and previous.roles:
        # "how would I get there from grade 6": from the role named to the one being discussed.
        return query.model_copy(update={"roles": [query.roles[0], previous.roles[0]], "about_me": False})
    if pointing and query.intent is Intent.COMPARE and len(query.roles) + len(query.ambiguous) == 1:
        return query.model_copy(update={"roles": [*previous.roles[:1], *query.roles]})  # "compare it with 9"
    return query


def _same_question_other_role(query: Query, previous: Query, catalogue: Catalogue) -> Query:
    """ "grade 8?", "and at grade 9?": the previous question (its competencies) asked of another grade. An
    ambiguous grade follows the previous path; failing that, a competency is answered for each of its
    roles, and a whole role is asked about."""
    roles = list(query.roles)
    remaining = []
    previous_paths = {catalogue.role(r)[1].path for r in previous.roles} | set(previous.paths)
    for ambiguity in query.ambiguous:
        same_path = [o for o in ambiguity.options if catalogue.role(o)[1].path in previous_paths]
        if len(same_path) == 1:
            roles.append(same_path[0])
        elif previous.rows:
            roles.extend(ambiguity.options)
        else:
            remaining.append(ambiguity)
    intent = previous.intent if previous.intent in (Intent.DEVELOPMENT, Intent.CROSSWALK) else Intent.ROLE
    return query.model_copy(
        update={"roles": roles, "ambiguous": remaining, "rows": previous.rows, "intent": intent, "paths": []}
    )


def _pointed_at(query: Query, previous: Query) -> Query:
    """ "how do I get there", "what band is that", "training for that": about the previous subject."""
    if query.intent is Intent.PROGRESSION and previous.roles:
        return query.model_copy(update={"roles": previous.roles[:1], "towards": True, "about_me": False})
    if query.intent in (Intent.CROSSWALK, Intent.PATH) and previous.roles:
        return query.model_copy(update={"roles": previous.roles, "about_me": False})
    if query.intent is Intent.DEVELOPMENT and (previous.rows or previous.roles):
        return query.model_copy(
            update={"rows": previous.rows, "roles": previous.roles[:1] if previous.rows else []}
        )
    return query
