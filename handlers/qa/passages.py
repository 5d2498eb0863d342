"""What the documents say about themselves (a passage, quoted with its source), and questions outside the
framework: said plainly, with what it does cover and who usually answers."""

from __future__ import annotations

from cards.model import Card, Fact, Section
from framework_data.catalogue import Catalogue
from framework_data.document_index import terms_of
from framework_data.loader import LoadedFramework
from framework_data.query import Query
from framework_data.schema import Passage, grade_key
from handlers.qa.common import ask_action, cite
from handlers.qa.guide import EXAMPLES
from handlers.qa.roles import spoken


def _cite_passage(loaded: LoadedFramework, passage: Passage) -> str:
    if passage.cited is None:
        return cite(loaded, passage.where)
    source = passage.cited
    return f"{source.publisher}, {source.title}: {passage.where} [{source.document}]"


_LEADS = {"yes": "Yes.", "no": "No.", "depends": "It depends."}


def passage_card(loaded: LoadedFramework, passage_id: str, answer: str = "") -> Card:
    """A passage in the documents' own words, what they do not say, and where to go next; ``answer``
    ("passage-id:index"): the yes or no of it a yes/no question asked, first."""
    passage = next(p for p in loaded.framework.passages if p.id == passage_id)
    sections: list[Section] = []
    index = answer.split(":")[-1] if answer.split(":")[0] == passage_id else ""
    if index.isdigit() and int(index) < len(passage.answers):
        given = passage.answers[int(index)]
        sections.append(Section(text=f"{_LEADS[given.answer]} “{given.because}”"))
    if passage.not_given:
        sections.append(Section(text=passage.not_given))
    if passage.text or passage.points:
        sections.append(
            Section(
                text=passage.text,
                facts=[Fact(label=point.label, value=point.text) for point in passage.points],
            )
        )
    if passage.bullets:
        sections.append(Section(bullets=passage.bullets))
    return Card(
        title=passage.title,
        subtitle=loaded.framework.name if passage.cited is None else passage.cited.title,
        sections=sections,
        actions=[ask_action(f.label, f.question) for f in passage.follow_ups],
        sources=[_cite_passage(loaded, passage)],
    )


def what_it_covers(loaded: LoadedFramework) -> str:
    fw = loaded.framework
    grades = sorted({r.grade for r in fw.roles}, key=grade_key)
    return (
        f"The {fw.name} covers what each role needs ({fw.grade_label}s {', '.join(grades)}), its "
        f"competencies, how to progress, development opportunities, NTDC/HETT bands and career paths."
    )


def outside_card(catalogue: Catalogue, query: Query) -> Card:
    """Not covered, plainly: what was asked, what the framework does cover, and who usually answers."""
    loaded = catalogue.primary
    fw = loaded.framework
    topics = [t for t in fw.outside_topics if t.id in query.outside]
    names = " or ".join(t.name for t in topics) or "that"
    sections = [
        Section(text=f"The framework does not cover {names}."),
        Section(text=what_it_covers(loaded)),
        Section(heading="Who usually can", bullets=list(dict.fromkeys(t.who for t in topics))),
    ]
    actions = []
    for ref in query.roles[:1]:
        _, role = catalogue.role(ref)
        actions.append(ask_action(f"What {role.label} needs", f"what does {spoken(role)} need"))
    actions += [ask_action(label, question) for label, question in EXAMPLES[:3]]
    return Card(
        title="Not covered by the framework",
        sections=sections,
        actions=actions,
        sources=[cite(loaded, fw.scope_source or "scope")],
    )


def leading_with_the_part_asked(card: Card, question: str) -> Card:
    """A passage's card with the one bullet that holds what the question asks, and the rest of the
    passage does not, moved first ("when did imperial sign the TC": "Imperial became a founding signatory
    in May 2017 ..." before the four themes); the card as it is when no bullet stands out. Words are
    weighed by how few parts of the passage have them, so that "career" in most of them counts little
    beside "pay" in one."""
    asked = {t for t in terms_of(question) if len(t) >= 3}
    bullets = [(i, b) for i, s in enumerate(card.sections) for b in s.bullets]
    others = [s.text for s in card.sections if s.text] + [
        f"{f.label} {f.value}" for s in card.sections for f in s.facts
    ]
    if not asked or not bullets:
        return card
    parts = [terms_of(part) for part in [*(b for _, b in bullets), *others]]
    held = [{t for t in asked if _says(words, t)} for words in parts]
    spread = {t: sum(1 for h in held if t in h) for t in asked}
    scores = [sum(1 / spread[t] for t in h) for h in held]
    best = max(range(len(bullets)), key=lambda k: scores[k])
    rivals = [score for k, score in enumerate(scores) if k != best]
    at, chosen = bullets[best]
    first = card.sections[0]
    already_first = at == 0 and not first.text and not first.facts and first.bullets[:1] == [chosen]
    if scores[best] < 1 or scores[best] <= max(rivals, default=0.0) or already_first:
        return card
    sections = [
        s.model_copy(update={"bullets": [b for b in s.bullets if b != chosen]}) if i == at else s
        for i, s in enumerate(card.sections)
    ]
    return card.model_copy(update={"sections": [Section(text=chosen), *sections]})


def _says(words: list[str], term: str) -> bool:
    """Whether a part's words have a word of the question, in any of its forms ("sign": "signatory")."""
    return any(t.startswith(term[:4]) and (len(term) < 6 or t.startswith(term[:6])) for t in words)
