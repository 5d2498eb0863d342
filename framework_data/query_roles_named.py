"""Roles a question names without asking about them: who a role's action is done to ("can a g4 line manage
our junior apprentice"), and the setting of a question about other roles ("the g8 manager role under the
director", "than a g4 does", "been a g6 for years", "just says as grade 7")."""

from __future__ import annotations

from framework_data.asks import about_me
from framework_data.catalogue import Catalogue
from framework_data.numbers import Scan
from framework_data.query_model import Hit, Query

# Verbs whose object may be a role ("can a g4 line manage our junior apprentice").
_DONE_TO = {
    *"manage manages managing supervise supervises supervising oversee oversees overseeing".split(),
    *"train trains training mentor mentors mentoring".split(),
}


# Words before a role that make it the setting of the question, not what it asks about: where the role
# asked about sits ("the g8 manager role under the director"), what it is measured against ("than a g4
# does"), the asker's past ("been a g6 for years"), a cell's reference quoted ("just says as grade 7").
_PLACED_BEFORE: tuple[tuple[str, ...], ...] = (
    ("under",),
    ("beneath",),
    ("below",),
    ("reporting", "to"),
    ("reports", "to"),
    ("than",),
    ("than", "at"),  # "are a g8's budgets bigger than at g7?"
    ("than", "in"),
    ("than", "for"),
    ("been",),
    ("like", "at"),
)
_ARTICLES = {"a", "an", "the", "my", "our"}


# A cell's reference to another role, quoted: never the role asked about, even alone ("it just says as
# grade 7 manager - what's that in full?" is about the cell that says it).
_QUOTED = (
    ("says", "as"),
    ("say", "as"),
    ("reads", "as"),
    ("with", "as"),
    ("starts", "as"),
    ("begins", "as"),
    ("opens", "as"),
)
_SETTING_BEFORE = _PLACED_BEFORE + _QUOTED


def quotes_a_reference(tokens: list[str]) -> bool:
    """The question quotes a cell's reference to another grade ("the spreadsheet just says as grade 8
    senior specialist"): it asks about that cell, not about what else its words name."""
    return any(
        tuple(tokens[i : i + 2]) in _QUOTED and tokens[i + 2 : i + 3] in (["grade"], ["g"], ["previous"])
        for i in range(len(tokens))
    )


def _before(tokens: list[str], start: int, settings: tuple[tuple[str, ...], ...]) -> bool:
    at = start
    while at > 0 and tokens[at - 1] in _ARTICLES:
        at -= 1
    return any(tuple(tokens[max(0, at - len(words)) : at]) == words for words in settings)


def _in_a_setting(tokens: list[str], start: int, end: int) -> bool:
    """Whether the role named at tokens[start:end] is only the setting ("a grade 7 thing" too)."""
    return _before(tokens, start, _SETTING_BEFORE) or tokens[end : end + 1] in (["thing"], ["things"])


def drop_roles_in_a_setting(hits: list[Hit], scan: Scan, query: Query, catalogue: Catalogue) -> None:
    """The roles named only as the setting of a question about others at another grade."""
    tokens = scan.tokens
    spans = [(m.start - (m.start > 0 and tokens[m.start - 1] in ("grade", "g")), m.end) for m in scan.grades]
    titles = {
        (h.start, h.end): [e.key for e in h.entities if e.kind == "role"]
        for h in hits
        if any(e.kind == "role" for e in h.entities)
    }
    for start, end in [*spans, *titles]:
        if not _in_a_setting(tokens, start, end):
            continue
        if _before(tokens, start, _QUOTED):
            # "that cell only says 'as grade 8'": no choice of grade 8's roles is asked for either.
            quoted = {f"grade {m.grade}" for m in scan.grades if m.start >= start and m.end <= end}
            query.ambiguous = [a for a in query.ambiguous if a.mention not in quoted]
        named = titles.get((start, end)) or [
            ref
            for ref in query.roles
            if any(
                m.start >= start and m.end <= end and catalogue.role(ref)[1].grade == m.grade
                for m in scan.grades
            )
        ]
        grades = {catalogue.role(ref)[1].grade for ref in named if ref in query.roles}
        rest = [ref for ref in query.roles if catalogue.role(ref)[1].grade not in grades]
        # "my research delivery line says 'as grade 4'": the asker's own role is what is asked about.
        if grades and (rest or about_me(tokens) or _before(tokens, start, _QUOTED)):
            query.roles = rest


def drop_roles_done_to(tokens: list[str], hits: list[Hit], scan: Scan, query: Query) -> None:
    """In a yes/no about one role, a second role named just after what the first would do to it is who it
    is done to, not a role asked about ("can a new g4 line manage our junior apprentice?")."""
    if not query.yes_no or len(query.roles) != 2:
        return
    for hit in hits:
        named = [e.key for e in hit.entities if e.kind == "role" and e.key == query.roles[1]]
        if named and _DONE_TO & set(tokens[max(0, hit.start - 3) : hit.start]):
            query.roles.remove(named[0])
            return
    grades = scan.grades
    titled = any(e.kind == "role" for h in hits for e in h.entities)
    if (
        len(grades) == 2
        and not titled
        and _DONE_TO & set(tokens[max(0, grades[1].start - 4) : grades[1].start])
    ):
        query.roles.pop()  # "can a grade 7 manager supervise a grade 5"
