"""A message read against the last answer: a typed pick of the choices it offered ("the manager one", "2"),
or a request for it in full ("show me more")."""

from __future__ import annotations

import re

from pydantic import ValidationError

from framework_data.catalogue import Catalogue
from framework_data.query import Intent, Query

# "show me more", "more detail please", "the full version", "side by side": the last answer in full.
_MORE_WORDS = frozenset(
    "more detail details detailed rest everything all full fully expand version side by both complete whole "
    "longer answer in".split()
)
_MORE_FRAMING = frozenset(
    "please can could i you me show see give tell the a some on that it this go into of".split()
)
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "last": -1}
# Words that say nothing of what is meant ("the manager one", "and the specialist?").
FILLER = {
    "the", "a", "an", "one", "ones", "path", "route", "role", "version", "instead", "then", "too", "please",
    "and", "what", "about", "how", "at", "for", "of", "i", "mean", "meant", "option", "is", "s", "on",
    "same", "also", "ok", "okay",
}  # fmt: skip


def asks_for_more(tokens: list[str]) -> bool:
    words = [t for t in tokens if t not in _MORE_FRAMING]
    return (
        bool(words)
        and all(t in _MORE_WORDS for t in words)
        and any(
            t in ("more", "detail", "details", "detailed", "rest", "everything", "full", "expand", "side")
            for t in words
        )
    )


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


def typed_pick(
    tokens: list[str], query: Query, choices: list[list[str]], catalogue: Catalogue
) -> Query | None:
    """A choice of the last card, typed: its number, its place ("the second"), a grade ("6") or words of
    its label ("the manager one")."""
    if not choices:
        return None
    labels = [label.lower() for label, _ in choices]
    words = [t for t in tokens if t not in FILLER]
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
    return valid_query(choices[index][1], catalogue)


def _picked_role(value: str) -> str:
    try:
        roles = Query.model_validate_json(value).roles
    except ValidationError:
        return ""
    return roles[-1] if roles else ""
