"""Questions that set two institutions side by side ("imperial trainees and lancaster junior apprentices -
are both meant to be working towards RSciTech?", "imperial ran a prof reg pilot - is queen mary doing
anything like it?"): the question asked of each institution alone, and the answers one after the other."""

from __future__ import annotations

from dataclasses import dataclass

from cards.model import Action, Card, Section
from framework_data.catalogue import Catalogue
from framework_data.document_index import names_of_publishers
from framework_data.vocabulary import normalise

# Words that only set the two side by side: asked of one institution alone, they would ask for another
# comparison ("compare with", "both roles").
_SETTING_SIDE_BY_SIDE = frozenset("both each compared compare comparison versus vs".split())
# What an institution's own answer cannot be: a refusal, or a question back.
NOT_ANSWERED = ("Not in the framework", "Not covered by the framework")


@dataclass(frozen=True)
class Side:
    """One institution named, and the question as asked of it alone."""

    publisher: str
    question: str


def _names(catalogue: Catalogue) -> list[tuple[tuple[str, ...], str]]:
    """Each phrase that names an institution whose documents the bot holds, longest first."""
    names = list(names_of_publishers())
    publishers = {publisher for _, publisher in names}
    for loaded in catalogue.frameworks:
        fw = loaded.framework
        if fw.source.publisher in publishers:
            for phrase in (fw.id, f"{fw.id}s", fw.institution):
                names.append((tuple(normalise(phrase)), fw.source.publisher))
    return sorted(set(names), key=lambda name: -len(name[0]))


def sides(text: str, catalogue: Catalogue) -> list[Side]:
    """The institutions a question names, each with the question without the others' names; empty when
    it names fewer than two."""
    tokens = normalise(text)
    names = _names(catalogue)
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        match = next(((p, who) for p, who in names if tuple(tokens[i : i + len(p)]) == p), None)
        if match is None:
            i += 1
            continue
        spans.append((i, i + len(match[0]), match[1]))
        i += len(match[0])
    publishers = list(dict.fromkeys(who for _, _, who in spans))
    if len(publishers) < 2:
        return []
    found = []
    for publisher in publishers:
        others = {i for start, end, who in spans if who != publisher for i in range(start, end)}
        kept = [t for i, t in enumerate(tokens) if i not in others and t not in _SETTING_SIDE_BY_SIDE]
        found.append(Side(publisher, " ".join(kept)))
    return found


def answered(card: Card, side: Side) -> bool:
    """The card answers what was asked of its institution, from that institution's own sources: not a
    refusal, a choice to make first, or another's framework."""
    from_it = any(source.startswith(side.publisher) for source in card.sources)
    return from_it and card.title not in NOT_ANSWERED and not card.choices


def side_by_side_card(answers: list[tuple[Side, Card]]) -> Card:
    """Each institution's answer under its name, in the order the question named them, with every source."""
    sections: list[Section] = []
    for side, card in answers:
        sections.append(Section(heading=f"{side.publisher}: {card.title}", text=card.subtitle))
        sections += card.sections
    actions: list[Action] = []
    for _, card in answers:
        actions += [a for a in card.actions if a not in actions]
    return Card(
        title=" and ".join(side.publisher for side, _ in answers) + ", side by side",
        sections=sections,
        actions=actions,
        sources=list(dict.fromkeys(s for _, card in answers for s in card.sources)),
    )
