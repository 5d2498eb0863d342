"""A yes/no question about one cell ("can a grade 4 teach"): the answer the cell implies, first, quoting the
sentence it rests on."""

from __future__ import annotations

import re

from framework_data.document_index import stem
from framework_data.loader import Descriptor, LoadedFramework
from framework_data.qualifications import QUALIFICATION_LEVELS
from framework_data.schema import Role, grade_key
from framework_data.yesno_words import (
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
    WORKING_ALONE,
    WORKING_TOWARDS,
)
from handlers.qa.cell_words import SENTENCE, cut_word, mentioned_words, most_words_in, stems_of, words_in


def _working_towards(sentences: list[str], mentions: list[str]) -> str | None:
    """The sentence in which what the question names comes only after "working towards"."""
    stems = stems_of(mentions)
    for sentence in sentences:
        found = WORKING_TOWARDS.search(sentence)
        if found and stems:
            before, after = sentence[: found.start()], sentence[found.end() :]
            if REGISTRATION.search(after) and words_in(after, stems) and not words_in(before, stems):
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
        if _qualified([s for s in SENTENCE.split(text) if s.strip()], mentions):
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


def _mentioned(sentences: list[str], mentions: list[str]) -> str | None:
    """The sentence sharing most words with what the question named ("REF" in "Contribute to REF.",
    "work" in "May work with minimal supervision."), words compared by their first four letters."""
    stems = stems_of(mentions)
    # Ties are broken by longer stems: "suppliers" is nearer "suppliers" than "Supported".
    longer = {w[: max(4, len(w) - 2)] for w in mentioned_words(mentions)}
    best, best_score = None, (0, 0)
    for sentence in sentences:
        score = (words_in(sentence, stems), words_in(sentence, longer))
        if score[0] and score > best_score:
            best, best_score = sentence, score
    return best


def implied_answer(descriptor: Descriptor, mentions: list[str]) -> tuple[str, str]:
    """("yes" | "no" | "maybe" | "depends" | "not said", the sentence it rests on)."""
    if descriptor.text is None:
        return "not said", ""
    if descriptor.is_no:
        return "no", descriptor.text
    sentences = [s for s in SENTENCE.split(descriptor.text) if s.strip()]
    qualified = _qualified(sentences, mentions)
    if qualified is not None:
        return qualified
    first = _kind(sentences[0])
    deciding = _mentioned(sentences, mentions)
    other = deciding not in (None, sentences[0]) and not words_in(sentences[0], stems_of(mentions))
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
    return words_in(sentence, stems_of(mentions)) >= 2


def said_first_above(
    loaded: LoadedFramework, role: Role, row_id: str, terms: list[str]
) -> tuple[Role, str] | None:
    """Where the role's cells lack what a yes/no asks ("can a g4 supervise project students": none speaks
    of project students), the first higher grade's cell that says it in one sentence ("May have oversight
    of project students ..." at grade 5), this competency's first; else None."""
    words = [
        w for t in terms for w in t.split() if len(w) >= 4 and w not in ASKING_WORDS | EVERY_ROLE | LIGHT
    ]
    stems = {cut_word(w) for w in words}
    if not stems or most_words_in(loaded.descriptor(role.id, row_id).text, stems) == len(stems):
        return None
    higher = sorted(
        (r for r in loaded.framework.roles if grade_key(r.grade) > grade_key(role.grade)),
        key=lambda r: grade_key(r.grade),
    )
    own = [r.id for r in loaded.framework.rows]
    if any(most_words_in(loaded.descriptor(role.id, r).text, stems) == len(stems) for r in own):
        return None  # another of the role's own cells says it
    # Said above only in the words themselves, not in longer ones that begin with them ("build" is not
    # "buildings"), or in another form of them ("documents" and "documentation").
    whole = [re.compile(rf"\b{re.escape(cut_word(w))}\w{{0,3}}\b", re.IGNORECASE) for w in words]
    forms = [stem(w.lower()) for w in words]

    def says_it(sentence: str) -> bool:
        own_forms = {stem(t) for t in re.findall(r"[a-z]+", sentence.lower())}
        return all(p.search(sentence) or f in own_forms for p, f in zip(whole, forms, strict=False))

    for rows in ([row_id], [r for r in own if r != row_id]):
        for other in higher:
            for row in rows:
                for sentence in SENTENCE.split(loaded.descriptor(other.id, row).text or ""):
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
    return any(most_words_in(loaded.descriptor(r.id, row_id).text, needed) == len(needed) for r in roles)
