"""Which of a role's competencies mention something ("which imperial trainee competency mentions CPD?",
"apart from the communication one itself, which trainee competencies mention communicating?"): the rows
whose cell for the role has the words, not the competency the words name nor its development table."""

from __future__ import annotations

import re

from framework_data.catalogue import Catalogue
from framework_data.document_index import stem
from framework_data.loader import LoadedFramework
from framework_data.query_model import Intent, Query
from framework_data.schema import Role

_WHICH = frozenset({"which", "what"})
_ROWS = frozenset(
    "competency competencies row rows part parts area areas section sections cell cells".split()
)
_SAYING = frozenset(
    "mention mentions mentioned say says said include includes included cover covers covered talk talks "
    "refer refers list lists about".split()
)
_APART = (("apart", "from"), ("other", "than"), ("except",), ("besides",), ("not", "counting"))


def asks_which_rows_mention(tokens: list[str]) -> bool:
    """ "which ... competency mentions ...": which, then a word for the competencies, then one of saying."""
    for i, token in enumerate(tokens):
        # "which imperial trainee competency", but only "what parts": "what does the communication
        # competency say" asks what one competency says.
        reach = 5 if token == "which" else 2
        if token in _WHICH and _ROWS & set(tokens[i + 1 : i + reach]):
            return bool(_SAYING & set(tokens[i + 1 : i + 8]))
    return False


def read_rows_mentioning(query: Query, tokens: list[str], catalogue: Catalogue) -> None:
    """For one role, the rows whose cell has what the question's competency words name, without a row set
    apart ("apart from the communication one"); the question becomes that role's cells."""
    if len(query.roles) != 1 or not asks_which_rows_mention(tokens):
        return
    loaded, role = catalogue.role(query.roles[0])
    set_apart = _rows_set_apart(tokens, query, catalogue)
    if not query.mentions:
        # No competency's words: the one row whose cell has most of the question's own ("feeding back on
        # how the service runs": "feedback on how the service is running").
        best = _row_with_most(loaded, role, [t for t in query.terms if t not in _ROWS], set_apart)
        if best:
            query.intent, query.rows, query.yes_no = Intent.ROLE, [best], False
        return
    stems = {w[: max(4, len(w) - 3)] for mention in query.mentions for w in mention.split() if len(w) >= 3}
    having = [
        row.id
        for row in loaded.framework.rows
        if row.id not in set_apart
        and all(
            re.search(rf"\b{re.escape(s)}", loaded.descriptor(role.id, row.id).text or "", re.I)
            for s in stems
        )
    ]
    if having:
        query.intent, query.rows, query.yes_no = Intent.ROLE, having, False


def _row_with_most(loaded: LoadedFramework, role: Role, terms: list[str], set_apart: set[str]) -> str:
    """The row whose cell for the role has the most of the words, two at least and more than any other."""
    stems = {stem(w) for w in terms if len(w) >= 4}
    counted = sorted(
        (
            (
                sum(
                    bool(re.search(rf"\b{re.escape(s)}", loaded.descriptor(role.id, row.id).text or "", re.I))
                    for s in stems
                ),
                row.id,
            )
            for row in loaded.framework.rows
            if row.id not in set_apart
        ),
        reverse=True,
    )
    if not counted or counted[0][0] < 2 or (len(counted) > 1 and counted[1][0] == counted[0][0]):
        return ""
    return counted[0][1]


def _has_all(text: str, stems: set[str]) -> bool:
    return all(re.search(rf"\b{re.escape(s)}", text, re.IGNORECASE) for s in stems)


def _rows_set_apart(tokens: list[str], query: Query, catalogue: Catalogue) -> set[str]:
    """The rows named right after "apart from", "other than", "except", "besides"."""
    loaded = catalogue.framework(query.framework)
    apart: set[str] = set()
    for i in range(len(tokens)):
        for words in _APART:
            if tuple(tokens[i : i + len(words)]) == words:
                after = set(tokens[i + len(words) : i + len(words) + 4])
                apart |= {r.id for r in loaded.framework.rows if set(r.name.lower().split()) & after}
    return apart
