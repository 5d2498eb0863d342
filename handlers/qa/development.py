"""Development opportunities mapped to competencies (Figure 5 at Lancaster)."""

from __future__ import annotations

import re

from cards.model import Card, Fact, Section
from framework_data.loader import LoadedFramework
from framework_data.query import Query
from framework_data.schema import GridRow, Role
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


def _named_after(loaded: LoadedFramework, labels: list[str]) -> list[Section]:
    """The opportunities whose names share an initialism with a competency Figure 5 has no list for
    ("Professional registration and CPD": "CPD Central resources"), with where they are listed."""
    asked = {w for label in labels for w in re.findall(r"\b[A-Z]{2,}\b", label)}
    found: dict[str, list[str]] = {}
    for grid_row in loaded.framework.grid:
        for name in grid_row.opportunities:
            if asked & set(re.findall(r"\b[A-Z]{2,}\b", name)):
                found.setdefault(name, []).append(grid_row.name)
    return [Section(text=f"{name} is listed for {', '.join(rows)}.") for name, rows in found.items()]


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
        if not grid_rows:  # not "and cpd for budgets?", where "cpd" only asks for development
            sections.extend(_named_after(loaded, uncovered))
    names = [g.name for g in grid_rows] + uncovered
    return Card(
        title="Development opportunities" + (f": {', '.join(names)}" if row_ids else ""),
        subtitle=fw.name,
        sections=sections,
        actions=actions,
        sources=sources,
    )


def listed_line(loaded: LoadedFramework, query: Query) -> Section:
    """Whether the opportunity a yes/no names is listed for the competencies it names."""
    grid_rows = grid_rows_for(loaded, query.rows)
    listing = [g.name for g in grid_rows if query.opportunity in g.opportunities]
    if listing:
        return Section(
            text=f"Yes. The development opportunities for {', '.join(listing)} list {query.opportunity}."
        )
    names = ", ".join(g.name for g in grid_rows) or "that competency"
    return Section(text=f"No. The development opportunities for {names} do not list {query.opportunity}.")


def where_listed_card(loaded: LoadedFramework, names: list[str]) -> Card:
    """ "What is deputising suggested for": the competencies whose development opportunities list it (each
    of those named, "NEBOSH and IOSH")."""
    fw = loaded.framework
    sections = []
    for name in names:
        listed = [g.name for g in fw.grid if any(o.lower() == name.lower() for o in g.opportunities)]
        count = f"{len(listed)} competenc{'y' if len(listed) == 1 else 'ies'}"
        sections.append(
            Section(text=f"The development opportunities list {name} for {count}:", bullets=listed)
        )
    return Card(
        title=f"Where the framework suggests {' and '.join(names)}",
        subtitle=fw.name,
        sections=sections,
        actions=[ask_action("All development opportunities", "what development opportunities are there")],
        sources=[cite(loaded, fw.opportunities_source or "development opportunities")],
    )


_FEWEST = frozenset({"fewest", "least", "fewer", "smallest", "shortest"})
_MOST = frozenset({"most", "biggest", "longest", "widest", "greatest"})


def counted_by(terms: list[str]) -> int:
    """ "the fewest development options" (-1), "the most" (1), or neither (0)."""
    words = set(terms)
    return -1 if _FEWEST & words else 1 if _MOST & words else 0


def counted_card(loaded: LoadedFramework, order: int) -> Card:
    """The competencies with the fewest (``order`` -1) or most (1) development opportunities listed, and how
    many each competency has."""
    fw = loaded.framework
    grid_rows = [g for g in fw.grid if g.opportunities]
    if not grid_rows:
        return development_card(loaded, [], None)
    counts = {g.name: len(g.opportunities) for g in grid_rows}
    extreme = min(counts.values()) if order < 0 else max(counts.values())
    chosen = [g for g in grid_rows if len(g.opportunities) == extreme]
    which = "fewest" if order < 0 else "most"
    unit = "opportunity" if extreme == 1 else "opportunities"
    lead = Section(
        text=f"The {which} development opportunities listed: {' and '.join(g.name for g in chosen)}, "
        f"with {extreme} {unit}.",
    )
    listed = [
        Section(heading=f"Development opportunities: {g.name}", bullets=g.opportunities) for g in chosen
    ]
    ranked = sorted(grid_rows, key=lambda g: len(g.opportunities) * order, reverse=True)
    facts = [Fact(label=g.name, value=str(len(g.opportunities))) for g in ranked]
    return Card(
        title=f"The competencies with the {which} development opportunities",
        subtitle=fw.name,
        sections=[lead, *listed, Section(heading="Opportunities listed for each competency", facts=facts)],
        actions=[ask_action("All development opportunities", "what development opportunities are there")],
        sources=[cite(loaded, fw.opportunities_source or "development opportunities")],
    )
