"""Which cell of a role answers a yes/no: the one the competency word named, or another of the role's cells
that says what was asked ("does a grade 8 manager line manage people": Teamwork's "Line management of a
team")."""

from __future__ import annotations

import itertools
import re

from framework_data.loader import LoadedFramework
from framework_data.qualifications import QUALIFICATION_LEVELS
from framework_data.schema import Role
from framework_data.vocabulary import root
from framework_data.yesno_words import ASKING, ASKING_WORDS, EVERY_ROLE, SAME_AS
from handlers.qa.cell_words import SENTENCE, cut_word, mentioned_words, most_words_in, words_in

_PRONOUNS = frozenset("their they them theirs your yours mine ours this that these those".split())


def answering_row(
    loaded: LoadedFramework, role: Role, row_id: str, mentions: list[str], terms: list[str]
) -> str:
    """The row whose cell answers a yes/no: the one the question's competency word named, unless that cell
    lacks the words that named it and another cell of the same role has them all in one sentence (the
    question's other words breaking a tie): "does a grade 8 manager line manage people" is answered by
    "Line management of a team", under Teamwork; "does a grade 7 specialist supervise project students"
    by "Supervises UG and PGT project students", under Support for Teaching and Research."""
    # Words of four letters or more: "own" of "work on my own" is not a reason to answer from "organise
    # own work", under Planning.
    # Not "their" of "on their own": "Yes for their facility." says nothing of working alone.
    needed = {w[:4] for mention in mentions for w in mention.split() if len(w) >= 4 and w not in _PRONOUNS}
    extra = {w[:4] for term in terms for w in term.split() if len(w) >= 3}
    named = loaded.descriptor(role.id, row_id)
    if not needed or named.is_no:
        return row_id
    about = extra - ASKING
    # Ties between rows are broken by longer stems ("resource planning": "Contribute to resource planning."
    # over "May plan and manage small projects, ensuring effective use of resources.").
    longer = {w[: max(4, len(w) - 2)] for w in mentioned_words([*mentions, *terms]) if len(w) >= 4}
    best, best_extra, best_longer = row_id, -1, -1
    for row in loaded.framework.rows:
        text = loaded.descriptor(role.id, row.id).text or ""
        sentences = [x for x in SENTENCE.split(text) if words_in(x, needed) == len(needed)]
        if sentences and len(sentences) < len(SENTENCE.split(text)):
            # The cell may say it over two sentences ("Yes for their facility. Income generation - develop
            # charging models." for "do i set the charges for my facility").
            sentences.append(text)
        score = max((words_in(x, about) for x in sentences), default=-1)
        closer = max((words_in(x, longer) for x in sentences), default=-1)
        if (score, closer) > (best_extra, best_longer):
            best, best_extra, best_longer = row.id, score, closer
    # Another cell answers only where it has the competency word itself, not just its first letters
    # ("practicals" is not "practice"): else the competency named answers.
    whole = {root(w) for mention in mentions for w in mention.split() if len(w) >= 4}
    qualification = any(w in QUALIFICATION_LEVELS for mention in mentions for w in mention.split())
    if qualification or most_words_in(loaded.descriptor(role.id, best).text, whole) < len(whole):
        best = row_id  # "a masters" is a qualification, whatever "mastery" elsewhere says
    if words_in(f"{named.row.name} {named.row.label}", needed) == len(needed):
        # The competency itself was named ("does a grade 5 do teaching"): its cell answers, unless the word
        # only qualified the question's subject, which another cell names with it ("new designs for teaching
        # kit": "Investigate and produce novel designs for teaching and research", under Service Delivery).
        if best_extra > 0 and most_words_in(named.text, about) == 0:
            return best
        return _only_other_cell_saying(loaded, role, row_id, terms) or row_id
    if most_words_in(named.text, needed) == len(needed):
        return row_id
    if about and best_extra < len(about) and most_words_in(named.text, about) == len(about):
        # "can a grade 5 supervise project students": the named cell speaks of the project students
        # ("May have oversight of project students"), in other words than the question's, and no other
        # cell has the question's words and its subject together.
        return row_id
    return best


_FEW_CELLS = 3


def _only_other_cell_saying(loaded: LoadedFramework, role: Role, row_id: str, terms: list[str]) -> str | None:
    """The one other cell of the role with a long word of the question that the named cell lacks
    ("would a g7 lab manager be expected to boost the facility's reputation": "enhance the reputation",
    under Support for Teaching and Research, not the facility cell); None when the named cell has any
    of them, or several cells do."""
    long_words = _rare_long_words(loaded, terms)
    if not long_words or words_in(loaded.descriptor(role.id, row_id).text or "", long_words):
        return None
    having = [r for r in _rows_having(loaded, role, long_words) if r != row_id]
    return having[0] if len(having) == 1 else None


def row_with_rare_word(loaded: LoadedFramework, role: Role, terms: list[str]) -> str | None:
    """Where a yes/no names no competency and no cell of the role has all its words, the one cell of the role
    with a long word of the question that few cells of the framework have ("does a tech director need to
    know what competitor universities do": "practices at competitor institutions", under Teamwork); None
    when no cell of the role has one, or several do."""
    long_words = _rare_long_words(loaded, terms)
    having = _rows_having(loaded, role, long_words) if long_words else []
    return having[0] if len(having) == 1 else None


def _rare_long_words(loaded: LoadedFramework, terms: list[str]) -> set[str]:
    """The question's words of eight letters or more that few cells of the whole framework have
    ("reputation", "competitor"), not "people" or "responsibility"; by their stems."""
    fw = loaded.framework
    cells = [loaded.descriptor(r.id, row.id).text or "" for r in fw.roles for row in fw.rows]
    asked = {
        cut_word(w) for t in terms for w in t.split() if len(w) >= 8 and w not in ASKING_WORDS | EVERY_ROLE
    }
    return {w for w in asked if sum(1 for c in cells if words_in(c, {w})) <= _FEW_CELLS}


def _rows_having(loaded: LoadedFramework, role: Role, stems: set[str]) -> list[str]:
    return [
        row.id
        for row in loaded.framework.rows
        if words_in(loaded.descriptor(role.id, row.id).text or "", stems)
    ]


def row_saying_most(loaded: LoadedFramework, role: Role, terms: list[str]) -> tuple[str, bool] | None:
    """The row of a yes/no's cell with the one sentence sharing most of its words ("are grade 5s in charge of
    their own workload": "Manages own workload with indirect supervision."), and whether that sentence has
    them all: at least two words, and more than any other row's sentence; None otherwise. Words compare
    by all but their last two letters ("advice" finds "Advise", "workload" is not "work")."""
    # Whole words of asking are dropped, not their first letters: "suppliers" is not "supposed".
    words = [SAME_AS.get(w, w) for term in terms for w in term.split() if w not in EVERY_ROLE | ASKING_WORDS]
    stems = {cut_word(w) for w in words if len(w) >= 3}
    if len(stems) < 2:
        return None
    pairs = [(cut_word(a), cut_word(b)) for a, b in itertools.pairwise(words)]
    scored = sorted(
        (
            (most_words_in(text, stems), _pairs_in(text, pairs), row.id)
            for row in loaded.framework.rows
            if (text := loaded.descriptor(role.id, row.id).text or "")
        ),
        key=lambda scores: (-scores[0], -scores[1]),
    )
    best, runner_up = scored[0], scored[1] if len(scored) > 1 else (0, 0, "")
    if best[0] < 2 or (runner_up[:2] == best[:2] and best[0] < 3):
        return None
    # Rows tied on the question's words are told apart by its words side by side ("manage risk": "Acts
    # accordingly to manage risk in a significant unit, area, department", not "Manage complex facilities
    # ... low risk departments"); tied on three or more even so, they say the same thing in two places
    # ("careful explanation or interpretation", under Communication and under Support): the first answers.
    return best[2], best[0] == len(stems)


_MUCH = 3


def rows_saying_much(loaded: LoadedFramework, role: Role, terms: list[str]) -> list[str]:
    """The rows of the role with one sentence holding three or more of the question's words, by the same
    stems as row_saying_most: each duty of a question naming several ("be our biological safety officer
    and supervise the PGT projects": Safety's "biological safety officer", Support's "Supervises UG and
    PGT project students")."""
    words = [SAME_AS.get(w, w) for term in terms for w in term.split() if w not in EVERY_ROLE | ASKING_WORDS]
    stems = {cut_word(w) for w in words if len(w) >= 3}
    return [
        row.id
        for row in loaded.framework.rows
        if most_words_in(loaded.descriptor(role.id, row.id).text, stems) >= _MUCH
    ]


def _pairs_in(text: str, pairs: list[tuple[str, str]]) -> int:
    """How many of the question's neighbouring words stand side by side in the text."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    neighbours = list(itertools.pairwise(words))
    return sum(1 for a, b in pairs if any(x.startswith(a) and y.startswith(b) for x, y in neighbours))


def row_saying_all(
    loaded: LoadedFramework, role: Role, row_ids: list[str], mentions: list[str]
) -> str | None:
    """Where a yes/no names several competency words ("does a grade 7 specialist supervise UG projects"
    reads Management and Facility or Project Management), the row whose cell has them all in one
    sentence ("Supervises UG and PGT project students."), the rows named first; None when no cell has."""
    needed = {w[:4] for mention in mentions for w in mention.split() if len(w) >= 3}
    if len(needed) < 2:
        return None
    ordered = row_ids + [r.id for r in loaded.framework.rows if r.id not in row_ids]
    for row_id in ordered:
        if most_words_in(loaded.descriptor(role.id, row_id).text, needed) == len(needed):
            return row_id
    # Failing one sentence, the one named row whose cell has them all ("generate income for their
    # facility": "Yes for their facility. Income generation - develop charging models.").
    whole = [r for r in row_ids if words_in(loaded.descriptor(role.id, r).text or "", needed) == len(needed)]
    return whole[0] if len(whole) == 1 else None


def row_meeting_all(
    loaded: LoadedFramework, role: Role, row_ids: list[str], mentions: list[str]
) -> str | None:
    """Where a yes/no names several competencies and no cell says them all in one sentence ("is the tech
    director responsible for a safety strategy": Safety and Planning), the one named row that meets every
    mention, by its own name or its cell's words ("Safety and Wellbeing", "develop and implement strategic
    plan"), when only one does; else None."""

    def meets(row_id: str, mention: str) -> bool:
        row = loaded.rows[row_id]
        named_by = " ".join((row.name, *row.synonyms)).lower()
        text = loaded.descriptor(role.id, row_id).text or ""
        stems = {w[:4] for w in mention.split() if len(w) >= 3 and w != "and"}
        return words_in(text, stems) == len(stems) or all(w in named_by for w in stems)

    meeting = [r for r in row_ids if all(meets(r, m) for m in mentions)]
    return meeting[0] if len(mentions) >= 2 and len(meeting) == 1 else None
