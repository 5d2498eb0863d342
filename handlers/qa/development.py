"""Development opportunities mapped to competencies (Figure 5 at Lancaster)."""

from __future__ import annotations

from cards.model import Card, Section
from framework_data.loader import LoadedFramework
from framework_data.schema import GridRow, Role
from framework_data.vocabulary import normalise
from handlers.qa.common import ask_action, cite, cite_role, descriptor_section


def grid_rows_for(loaded: LoadedFramework, row_ids: list[str]) -> list[GridRow]:
    """The self-assessment rows that cover any of the given matrix rows, in grid order."""
    return [g for g in loaded.framework.grid if set(g.rows) & set(row_ids)]


def opportunity_sections(loaded: LoadedFramework, grid_rows: list[GridRow]) -> list[Section]:
    return [
        Section(heading=f"Development opportunities: {g.name}", bullets=g.opportunities)
        for g in grid_rows
        if g.opportunities
    ]


def development_card(loaded: LoadedFramework, row_ids: list[str], role: Role | None) -> Card:
    """Opportunities for the named competencies (all of them when none is named)."""
    fw = loaded.framework
    if not fw.grid or not any(g.opportunities for g in fw.grid):
        return Card(
            title="Development opportunities",
            sections=[Section(text=f"The {fw.name} does not map development opportunities to competencies.")],
            sources=[cite(loaded, "competencies")],
        )
    grid_rows = grid_rows_for(loaded, row_ids) if row_ids else list(fw.grid)
    sections: list[Section] = []
    sources = [cite(loaded, fw.opportunities_source or "development opportunities")]
    actions = [ask_action("Plan my development (PDP)", "personal development plan")]
    if role is not None and not row_ids:
        # "what training should i do": the guide's way to choose is the self-assessment against the role.
        sections.append(
            Section(
                text=f"For {role.label}, the guide suggests scoring yourself from 1 to 10 on each competency "
                "of the role, then choosing development for the areas you most want to improve: say “start "
                "self-assessment” to do it here. The opportunities mapped to each competency are below."
            )
        )
    if role is not None:
        for row_id in row_ids:
            sections.append(
                descriptor_section(loaded.descriptor(role.id, row_id), f"What {role.label} needs")
            )
        sources.insert(0, cite_role(loaded, role))
    sections.extend(opportunity_sections(loaded, grid_rows))
    uncovered = [loaded.rows[r].label for r in row_ids if not grid_rows_for(loaded, [r])]
    if uncovered:
        sections.append(
            Section(text=f"The framework maps no development opportunities to {', '.join(uncovered)}.")
        )
    return Card(
        title="Development opportunities" + (f": {', '.join(g.name for g in grid_rows)}" if row_ids else ""),
        subtitle=fw.name,
        sections=sections,
        actions=actions,
        sources=sources,
    )


# Words of an opportunity's name that do not tell it from the others ("OD Management E-Learning Resources",
# "HEATED courses"): a question names an opportunity by the rest ("deputising", "work shadowing").
_GENERIC_WORDS = frozenset(
    "od course courses training resources programme programmes e learning management development "
    "from etc and the of on job skills work to".split()
)


def _stem(word: str) -> str:
    """A word without a plural or "-ing" ending: "shadowing" is "shadow", "heater" is not "HEATED"."""
    for ending in ("ings", "ing", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def opportunity_named(loaded: LoadedFramework, words: list[str]) -> str | None:
    """The opportunity of Figure 5 a question names by its distinctive words ("which competencies is work
    shadowing listed under": Work shadowing), the one with most such words; None when none is named."""
    asked = {_stem(w) for word in words for w in normalise(word)}
    names = list(dict.fromkeys(name for grid_row in loaded.framework.grid for name in grid_row.opportunities))
    distinct = {name: {_stem(w) for w in normalise(name) if w not in _GENERIC_WORDS} for name in names}
    best, best_count = None, 0
    for name, needed in distinct.items():
        if needed and needed <= asked and len(needed) > best_count:
            best, best_count = name, len(needed)
    if best is None:
        # "is the PDR listed as a development option": a word of one opportunity's name alone
        # ("Probation / PDR expectations").
        having = [name for name, needed in distinct.items() if needed & asked]
        if len(having) == 1 and all(len(w) >= 3 for w in distinct[having[0]] & asked):
            best = having[0]
    return best


def where_listed_card(loaded: LoadedFramework, name: str) -> Card:
    """ "What is deputising suggested for": the competencies whose development opportunities list it."""
    fw = loaded.framework
    listed = [g.name for g in fw.grid if any(o.lower() == name.lower() for o in g.opportunities)]
    count = f"{len(listed)} competenc{'y' if len(listed) == 1 else 'ies'}"
    return Card(
        title=f"Where the framework suggests {name}",
        subtitle=fw.name,
        sections=[Section(text=f"The development opportunities list {name} for {count}:", bullets=listed)],
        actions=[ask_action("All development opportunities", "what development opportunities are there")],
        sources=[cite(loaded, fw.opportunities_source or "development opportunities")],
    )
