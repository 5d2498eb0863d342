"""Two or more roles side by side, and what changes between them on the way up (progression)."""

from __future__ import annotations

from cards.model import Card, Fact, Section
from framework_data.loader import LoadedFramework
from framework_data.schema import Role
from handlers.qa.common import cite, cite_role, descriptor_text, grade_order


def _row_facts(loaded: LoadedFramework, roles: list[Role], row_id: str) -> tuple[list[Fact], bool]:
    """One fact per role for a row, and whether the roles' texts differ at all."""
    texts = []
    facts = []
    for role in roles:
        text, note = descriptor_text(loaded.descriptor(role.id, row_id))
        texts.append(text)
        facts.append(Fact(label=role.label, value=f"{text} ({note})" if note else text))
    return facts, len(set(texts)) > 1


def comparison_sections(
    loaded: LoadedFramework, roles: list[Role], row_ids: list[str] | None = None, only_changes: bool = False
) -> tuple[list[Section], list[str]]:
    """Sections comparing the roles row by row, and the labels of rows whose text is the same for all."""
    sections = []
    same = []
    for row in loaded.framework.rows:
        if row_ids and row.id not in row_ids:
            continue
        facts, differs = _row_facts(loaded, roles, row.id)
        if not differs:
            same.append(row.label)
            if only_changes:
                continue
        sections.append(Section(heading=row.label if differs else f"{row.label} (the same)", facts=facts))
    return sections, same


def compare_card(loaded: LoadedFramework, roles: list[Role], row_ids: list[str]) -> Card:
    """Roles side by side, row by row, saying where the framework gives the same text."""
    sections, same = comparison_sections(loaded, roles, row_ids)
    if same and len(sections) > len(same):
        sections.insert(0, Section(text=f"Same text for both: {', '.join(same)}."))
    return Card(
        title=" vs ".join(r.label for r in roles),
        subtitle=loaded.framework.name,
        sections=sections,
        sources=[cite_role(loaded, r) for r in roles],
    )


def progression_card(loaded: LoadedFramework, start: Role, goal: Role, opportunities: list[Section]) -> Card:
    """How to get from one role to another: published criteria, what changes, development that helps."""
    sections: list[Section] = []
    sources = [cite_role(loaded, start), cite_role(loaded, goal)]
    if grade_order(goal) < grade_order(start):
        sections.append(
            Section(text=f"{goal.label} is a lower grade than {start.label}; here is what differs.")
        )
    published = next(
        (p for p in loaded.framework.progressions if p.from_role == start.id and p.to_role == goal.id), None
    )
    if published:
        sections.append(
            Section(heading="Criteria to progress to the higher grade", bullets=published.criteria)
        )
        if published.assessment:
            sections.append(Section(heading="How it will be assessed", bullets=published.assessment))
        sources.append(cite(loaded, published.source))
    elif grade_order(goal) > grade_order(start):
        fw = loaded.framework
        others = ", ".join(
            f"{loaded.roles[p.from_role].label} to {loaded.roles[p.to_role].label}" for p in fw.progressions
        )
        note = f"The framework publishes criteria only for {others}." if others else "No published criteria."
        sections.append(Section(heading="How to progress", bullets=fw.career_steps, note=note))
        if fw.career_steps:
            sources.append(cite(loaded, fw.career_steps_source or "career management"))
    changes, same = comparison_sections(loaded, [start, goal], only_changes=True)
    if changes:
        sections.append(Section(heading="What changes, competency by competency"))
        sections.extend(changes)
    if same:
        sections.append(Section(text=f"Unchanged: {', '.join(same)}."))
    sections.extend(opportunities)
    return Card(
        title=f"From {start.label} to {goal.label}",
        subtitle=loaded.framework.name,
        sections=sections,
        sources=sources,
    )
