"""A yes/no question about one cell ("can a grade 4 teach"): the answer the cell implies, first, quoting the
sentence it rests on."""

from __future__ import annotations

import itertools
import re

from framework_data.document_search import stem
from framework_data.loader import Descriptor, LoadedFramework
from framework_data.qualifications import QUALIFICATION_LEVELS
from framework_data.schema import Role, grade_key
from framework_data.vocabulary import root
from framework_data.yesno_words import (
    ASKING,
    ASKING_WORDS,
    DEPENDS,
    DIRECTED,
    EQUIVALENT_LEVEL,
    EVERY_ROLE,
    HANDS_ON,
    IN_PROGRESS,
    INDEPENDENT,
    LIGHT,
    MAYBE,
    REGISTRATION,
    SAME_AS,
    WORKING_ALONE,
    WORKING_TOWARDS,
)

# Sentences end at a full stop, not at "e.g." or "i.e." ("May require safety qualifications (e.g. IOSH)").
_SENTENCE = re.compile(r"(?<=[.;!?])(?<!e\.g\.)(?<!i\.e\.)\s+")


def _working_towards(sentences: list[str], mentions: list[str]) -> str | None:
    """The sentence in which what the question names comes only after "working towards"."""
    stems = _stems(mentions)
    for sentence in sentences:
        found = WORKING_TOWARDS.search(sentence)
        if found and stems:
            before, after = sentence[: found.start()], sentence[found.end() :]
            if REGISTRATION.search(after) and _score(after, stems) and not _score(before, stems):
                return sentence
    return None


def _qualified(sentences: list[str], mentions: list[str]) -> tuple[str, str] | None:
    """The answer a cell's qualifier gives to how the question asks (alone, hands-on, a qualification above
    the cell's level, something worked towards), if it does."""
    asked = f" {' '.join(mentions).lower()} "
    # "a level 6 qualification", "a level 6 qual", "level 6 quals".
    named = [int(n) for n in re.findall(r" level (\d+) ", asked) if re.search(r" qual", asked)]
    rest = set(asked.split())
    for name in sorted(QUALIFICATION_LEVELS, key=len, reverse=True):  # "foundation degree" before "degree"
        if set(name.split()) <= rest:
            named.append(QUALIFICATION_LEVELS[name])
            rest -= set(name.split())
    wanted = max(named, default=0)
    if wanted:
        for sentence in sentences:
            levels = EQUIVALENT_LEVEL.search(sentence)
            if levels and max(int(n) for n in levels.groups() if n) < wanted:
                return "no", sentence
    if not any(f" {word} " in asked for word in IN_PROGRESS):
        towards = _working_towards(sentences, mentions)
        if towards is not None:
            return "no", towards
    if any(f" {phrase} " in asked for phrase in WORKING_ALONE):
        directed = next((s for s in sentences if DIRECTED.search(s)), None)
        if directed is not None:
            return "no", directed
        independent = next((s for s in sentences if INDEPENDENT.search(s)), None)
        if independent is not None:
            return _kind(independent), independent  # "May work with minimal supervision": possibly
    if any(f" {phrase} " in asked for phrase in HANDS_ON):
        found = next((s for s in sentences if s.strip().lower().startswith("indirect")), None)
        if found is not None:
            return "no", found
    return None


def working_alone_row(
    loaded: LoadedFramework, role: Role, row_ids: list[str], mentions: list[str]
) -> str | None:
    """Of the rows a "can a grade 3 run a lab on their own" names, the one whose cell says how independently
    the role works at it: the activity's own row first ("Assists under direction"), then the others."""
    for row_id in row_ids:
        text = loaded.descriptor(role.id, row_id).text or ""
        if _qualified([s for s in _SENTENCE.split(text) if s.strip()], mentions):
            return row_id
    return None


def _kind(sentence: str) -> str:
    lowered = sentence.lower().strip()
    if re.match(r"(no|not)\b", lowered):
        return "no"  # "No marking.", "Not expected to work under own initiative."
    if re.match(r"yes\b", lowered):
        return "yes"
    if lowered.startswith(DEPENDS):
        return "depends"
    if lowered.startswith(MAYBE) or re.match(r"(?:[a-z]+ ){1,2}(may|might|could)\b", lowered):
        return "maybe"  # "Managers may be asked to train staff and students.", "Time may be bought out"
    return "yes"


def _mentioned_words(mentions: list[str]) -> list[str]:
    return [SAME_AS.get(w, w) for mention in mentions for w in mention.split() if w not in EVERY_ROLE]


def _stems(mentions: list[str]) -> set[str]:
    return {w[:4] for w in _mentioned_words(mentions) if len(w) >= 2}


def _score(sentence: str, stems: set[str]) -> int:
    return sum(1 for w in stems if re.search(rf"\b{re.escape(w)}", sentence, re.IGNORECASE))


def _mentioned(sentences: list[str], mentions: list[str]) -> str | None:
    """The sentence sharing most words with what the question named ("REF" in "Contribute to REF.",
    "work" in "May work with minimal supervision."), words compared by their first four letters."""
    stems = _stems(mentions)
    # Ties are broken by longer stems: "suppliers" is nearer "suppliers" than "Supported".
    longer = {w[: max(4, len(w) - 2)] for w in _mentioned_words(mentions)}
    best, best_score = None, (0, 0)
    for sentence in sentences:
        score = (_score(sentence, stems), _score(sentence, longer))
        if score[0] and score > best_score:
            best, best_score = sentence, score
    return best


def _best_score(text: str | None, stems: set[str]) -> int:
    return max((_score(s, stems) for s in _SENTENCE.split(text or "")), default=0)


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
    needed = {w[:4] for mention in mentions for w in mention.split() if len(w) >= 4}
    extra = {w[:4] for term in terms for w in term.split() if len(w) >= 3}
    named = loaded.descriptor(role.id, row_id)
    if not needed or named.is_no:
        return row_id
    about = extra - ASKING
    # Ties between rows are broken by longer stems ("resource planning": "Contribute to resource planning."
    # over "May plan and manage small projects, ensuring effective use of resources.").
    longer = {w[: max(4, len(w) - 2)] for w in _mentioned_words([*mentions, *terms]) if len(w) >= 4}
    best, best_extra, best_longer = row_id, -1, -1
    for row in loaded.framework.rows:
        text = loaded.descriptor(role.id, row.id).text or ""
        sentences = [x for x in _SENTENCE.split(text) if _score(x, needed) == len(needed)]
        if sentences and len(sentences) < len(_SENTENCE.split(text)):
            # The cell may say it over two sentences ("Yes for their facility. Income generation - develop
            # charging models." for "do i set the charges for my facility").
            sentences.append(text)
        score = max((_score(x, about) for x in sentences), default=-1)
        closer = max((_score(x, longer) for x in sentences), default=-1)
        if (score, closer) > (best_extra, best_longer):
            best, best_extra, best_longer = row.id, score, closer
    # Another cell answers only where it has the competency word itself, not just its first letters
    # ("practicals" is not "practice"): else the competency named answers.
    whole = {root(w) for mention in mentions for w in mention.split() if len(w) >= 4}
    qualification = any(w in QUALIFICATION_LEVELS for mention in mentions for w in mention.split())
    if qualification or _best_score(loaded.descriptor(role.id, best).text, whole) < len(whole):
        best = row_id  # "a masters" is a qualification, whatever "mastery" elsewhere says
    if _score(f"{named.row.name} {named.row.label}", needed) == len(needed):
        # The competency itself was named ("does a grade 5 do teaching"): its cell answers, unless the word
        # only qualified the question's subject, which another cell names with it ("new designs for teaching
        # kit": "Investigate and produce novel designs for teaching and research", under Service Delivery).
        if best_extra > 0 and _best_score(named.text, about) == 0:
            return best
        return _only_other_cell_saying(loaded, role, row_id, terms) or row_id
    if _best_score(named.text, needed) == len(needed):
        return row_id
    if about and best_extra < len(about) and _best_score(named.text, about) == len(about):
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
    fw = loaded.framework
    cells = [loaded.descriptor(r.id, row.id).text or "" for r in fw.roles for row in fw.rows]
    asked = {_cut(w) for t in terms for w in t.split() if len(w) >= 8 and w not in ASKING_WORDS | EVERY_ROLE}
    # Words few cells of the whole framework have ("reputation"), not "people" or "responsibility".
    long_words = {w for w in asked if sum(1 for c in cells if _score(c, {w})) <= _FEW_CELLS}
    if not long_words or _score(loaded.descriptor(role.id, row_id).text or "", long_words):
        return None
    having = [
        row.id
        for row in loaded.framework.rows
        if row.id != row_id and _score(loaded.descriptor(role.id, row.id).text or "", long_words)
    ]
    return having[0] if len(having) == 1 else None


def _cut(word: str) -> str:
    """A word without its last two letters, or its "-ing" ("driving" finds "Drive")."""
    return word[: max(4, len(word) - (3 if word.endswith("ing") else 2))]


def row_saying_most(loaded: LoadedFramework, role: Role, terms: list[str]) -> tuple[str, bool] | None:
    """The row of a yes/no's cell with the one sentence sharing most of its words ("are grade 5s in charge of
    their own workload": "Manages own workload with indirect supervision."), and whether that sentence has
    them all: at least two words, and more than any other row's sentence; None otherwise. Words compare
    by all but their last two letters ("advice" finds "Advise", "workload" is not "work")."""
    # Whole words of asking are dropped, not their first letters: "suppliers" is not "supposed".
    words = [SAME_AS.get(w, w) for term in terms for w in term.split() if w not in EVERY_ROLE | ASKING_WORDS]
    stems = {_cut(w) for w in words if len(w) >= 3}
    if len(stems) < 2:
        return None
    pairs = [(_cut(a), _cut(b)) for a, b in itertools.pairwise(words)]
    scored = sorted(
        (
            (_best_score(text, stems), _pairs_in(text, pairs), row.id)
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
        if _best_score(loaded.descriptor(role.id, row_id).text, needed) == len(needed):
            return row_id
    # Failing one sentence, the one named row whose cell has them all ("generate income for their
    # facility": "Yes for their facility. Income generation - develop charging models.").
    whole = [r for r in row_ids if _score(loaded.descriptor(role.id, r).text or "", needed) == len(needed)]
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
        return _score(text, stems) == len(stems) or all(w in named_by for w in stems)

    meeting = [r for r in row_ids if all(meets(r, m) for m in mentions)]
    return meeting[0] if len(mentions) >= 2 and len(meeting) == 1 else None


def implied_answer(descriptor: Descriptor, mentions: list[str]) -> tuple[str, str]:
    """("yes" | "no" | "maybe" | "depends" | "not said", the sentence it rests on)."""
    if descriptor.text is None:
        return "not said", ""
    if descriptor.is_no:
        return "no", descriptor.text
    sentences = [s for s in _SENTENCE.split(descriptor.text) if s.strip()]
    qualified = _qualified(sentences, mentions)
    if qualified is not None:
        return qualified
    first = _kind(sentences[0])
    deciding = _mentioned(sentences, mentions)
    other = deciding not in (None, sentences[0]) and not _score(sentences[0], _stems(mentions))
    if first == "no" and other and deciding is not None and _kind(deciding) != "no":
        # "No management of staff. Supported networking and liaison ...": the "No" is of something else
        # than the networking asked about.
        return _kind(deciding), deciding
    if first in ("yes", "no") and re.match(r"(yes|no)\b", sentences[0].strip().lower()):
        # The cell opens with its answer ("Yes. May manage multiple budgets"); a yes is quoted with the
        # sentence that says what was asked, where that is another ("Yes for their facility. … Plan and
        # ensure resources for servicing, repairs and replacement equipment.").
        if first == "yes" and deciding is not None and _kind(deciding) == "yes":
            return first, deciding
        if (
            first == "yes"
            and deciding is not None
            and _kind(deciding) == "maybe"
            and _says_more(deciding, mentions)
        ):
            # "have to juggle other demands on their budget": "May be required to balance other demands on
            # budget." answers that, not the "Yes for their facility." before it.
            return "maybe", deciding
        return first, sentences[0]
    if first == "depends" and (deciding is None or _kind(deciding) != "yes"):
        # "Dependent on role." governs the "could"s that follow it, not a plain "Counted in TEF."
        return "depends", sentences[0]
    if deciding is None:
        refusal = next((s for s in sentences if _kind(s) == "no"), None)
        deciding = refusal if refusal is not None and _kind(sentences[0]) == "yes" else sentences[0]
    return _kind(deciding), deciding


def _says_more(sentence: str, mentions: list[str]) -> bool:
    """The sentence holds more of the question's words than its competency's alone (two or more)."""
    return _score(sentence, _stems(mentions)) >= 2


def said_first_above(
    loaded: LoadedFramework, role: Role, row_id: str, terms: list[str]
) -> tuple[Role, str] | None:
    """Where the role's cells lack what a yes/no asks ("can a g4 supervise project students": none speaks
    of project students), the first higher grade's cell that says it in one sentence ("May have oversight
    of project students ..." at grade 5), this competency's first; else None."""
    words = [
        w for t in terms for w in t.split() if len(w) >= 4 and w not in ASKING_WORDS | EVERY_ROLE | LIGHT
    ]
    stems = {_cut(w) for w in words}
    if not stems or _best_score(loaded.descriptor(role.id, row_id).text, stems) == len(stems):
        return None
    higher = sorted(
        (r for r in loaded.framework.roles if grade_key(r.grade) > grade_key(role.grade)),
        key=lambda r: grade_key(r.grade),
    )
    own = [r.id for r in loaded.framework.rows]
    if any(_best_score(loaded.descriptor(role.id, r).text, stems) == len(stems) for r in own):
        return None  # another of the role's own cells says it
    # Said above only in the words themselves, not in longer ones that begin with them ("build" is not
    # "buildings"), or in another form of them ("documents" and "documentation").
    whole = [re.compile(rf"\b{re.escape(_cut(w))}\w{{0,3}}\b", re.IGNORECASE) for w in words]
    forms = [stem(w.lower()) for w in words]

    def says_it(sentence: str) -> bool:
        own_forms = {stem(t) for t in re.findall(r"[a-z]+", sentence.lower())}
        return all(p.search(sentence) or f in own_forms for p, f in zip(whole, forms, strict=False))

    for rows in ([row_id], [r for r in own if r != row_id]):
        for other in higher:
            for row in rows:
                for sentence in _SENTENCE.split(loaded.descriptor(other.id, row).text or ""):
                    if says_it(sentence):
                        return other, sentence.strip()
    return None


def answer_line(descriptor: Descriptor, mentions: list[str]) -> str:
    """The lead of the answer: the yes or no, and the framework's words for it."""
    kind, sentence = implied_answer(descriptor, mentions)
    where = f"{descriptor.row.label} for {descriptor.role.label}"
    if kind == "not said":
        return f"The framework does not say: it gives no descriptor for {where}."
    if kind == "no" and descriptor.is_no:
        return f"No. The framework's {where} is “No”: it is not expected in this role."
    if kind == "yes" and descriptor.row.examples:
        # "is CSci required for g7": the row's registrations are the source's examples ("Prof reg
        # (Examples)"), which the answer says rather than present them as what a role must hold.
        return f"Yes. {where}: “{sentence.strip()}” (The framework gives these as examples.)"
    lead = {"yes": "Yes.", "no": "No.", "maybe": "Possibly.", "depends": "It depends on the role."}[kind]
    return f"{lead} {where}: “{sentence.strip()}”"


def rows_saying_it(
    loaded: LoadedFramework, roles: list[Role], row_ids: list[str], mentions: list[str], terms: list[str]
) -> list[str]:
    """The rows to compare roles on: those named, and where no role's cell there has what a competency word
    named, the rows whose cells have it ("line management" at grade 8 is under Teamwork, not Management
    and Development of Staff)."""
    extra: list[str] = []
    for mention in mentions:
        needed = {w[:4] for w in mention.split() if len(w) >= 4}
        if len(needed) < 2 or any(_any_says(loaded, roles, r, needed) for r in row_ids):
            continue
        others = [row.id for row in loaded.framework.rows if row.id not in row_ids + extra]
        extra += [r for r in others if _any_says(loaded, roles, r, needed)]
    if row_ids:
        # A word only one other row's cells have ("safety quals like iosh": Knowledge, Qualifications or
        # Experience, where "May require IOSH, NEBOSH or other safety qualifications." is).
        for term in terms:
            stem = {term[: max(4, len(term) - 2)]} if len(term) >= 4 else set()
            if not stem or any(_any_says(loaded, roles, r, stem) for r in row_ids + extra):
                continue
            having = [row.id for row in loaded.framework.rows if _any_says(loaded, roles, row.id, stem)]
            if len(having) == 1:
                extra += having
    return row_ids + extra


def _any_says(loaded: LoadedFramework, roles: list[Role], row_id: str, needed: set[str]) -> bool:
    """Whether one of the roles' cells in this row has every word, in one sentence."""
    return any(_best_score(loaded.descriptor(r.id, row_id).text, needed) == len(needed) for r in roles)
