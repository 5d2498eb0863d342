"""Development opportunities mapped to competencies (Figure 5 at Lancaster)."""

from __future__ import annotations

from cards.model import Card, Section
from framework_data.loader import LoadedFramework
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
        actions=[ask_action("Plan my development (PDP)", "personal development plan")],
        sources=sources,
    )
