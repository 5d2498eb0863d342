"""Two or more roles side by side, and what changes between them on the way up (progression)."""

from __future__ import annotations

from cards.model import Action, Card, Fact, Section
from framework_data.loader import LoadedFramework
from framework_data.schema import GridRow, Progression, Role, grade_key
from handlers.qa.common import cite, cite_role, descriptor_text, grade_order, path_name, short_label
from handlers.qa.roles import role_card


def _row_facts(loaded: LoadedFramework, roles: list[Role], row_id: str) -> tuple[list[Fact], bool]:
    """One fact per role for a row (labelled short, so long titles keep the columns aligned), and whether
    the roles' texts differ at all."""
    texts = []
    facts = []
    for role in roles:
        text, note = descriptor_text(loaded.descriptor(role.id, row_id))
        texts.append(text)
        facts.append(Fact(label=short_label(loaded, role), value=f"{text} ({note})" if note else text))
    return facts, len(set(texts)) > 1


def legend(loaded: LoadedFramework, roles: list[Role]) -> Section:
    """The full title behind each short label, with its career path where the grade has several."""
    facts = []
    for role in roles:
        label = short_label(loaded, role)
        several_paths = label != f"Grade {role.grade}"
        value = f"{role.label}, on the {path_name(loaded, role)} path" if several_paths else role.label
        facts.append(Fact(label=label, value=value))
    return Section(facts=facts)


def comparison_sections(
    loaded: LoadedFramework, roles: list[Role], row_ids: list[str] | None = None, only_changes: bool = False
) -> tuple[list[Section], list[str]]:
    """Sections comparing the roles row by row (rows with the same text for all last, said once), and the
    labels of those rows."""
    differing: list[Section] = []
    alike: list[Section] = []
    same = []
    for row in loaded.framework.rows:
        if row_ids and row.id not in row_ids:
            continue
        facts, differs = _row_facts(loaded, roles, row.id)
        if differs:
            differing.append(Section(heading=row.label, facts=facts))
            continue
        same.append(row.label)
        if not only_changes:
            text, _ = descriptor_text(loaded.descriptor(roles[0].id, row.id))
            alike.append(Section(heading=f"{row.label} (the same)", text=text))
    return differing + alike, same


def compare_card(loaded: LoadedFramework, roles: list[Role], row_ids: list[str]) -> Card:
    """Roles side by side, row by row: first where they differ, then what the framework says alike."""
    sections, same = comparison_sections(loaded, roles, row_ids)
    lead = [legend(loaded, roles)]
    if same and len(sections) > len(same):
        lead.append(Section(text=f"Same text for both: {', '.join(same)}."))
    elif not same:
        lead.append(Section(text="Every competency compared reads differently."))
    return Card(
        title=" vs ".join(r.label for r in roles),
        subtitle=loaded.framework.name,
        sections=lead + sections,
        sources=[cite_role(loaded, r) for r in roles],
    )


def opportunities_in_brief(grid_rows: list[GridRow]) -> list[Section]:
    """Figure 5's opportunities for these competencies, in one section of one bullet each."""
    bullets = [f"{g.name}: {_sentence('; '.join(g.opportunities))}" for g in grid_rows if g.opportunities]
    return [Section(heading="Development opportunities", bullets=bullets)] if bullets else []


def _sentence(text: str) -> str:
    return text if text.endswith(".") else f"{text}."


def published_step(loaded: LoadedFramework, start: Role, goal: Role) -> Progression | None:
    steps = loaded.framework.progressions
    return next((p for p in steps if p.from_role == start.id and p.to_role == goal.id), None)


def _criteria_sections(loaded: LoadedFramework, start: Role, goal: Role) -> tuple[list[Section], list[str]]:
    """The published criteria for this step, or the framework's general advice and which steps have any."""
    sections: list[Section] = []
    sources: list[str] = []
    published = published_step(loaded, start, goal)
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
    return sections, sources


def progression_card(
    loaded: LoadedFramework,
    start: Role,
    goal: Role,
    grid_rows: list[GridRow],
    detail: bool = False,
    more: Action | None = None,
) -> Card:
    """How to get from one role to another: published criteria, what changes, development that helps.
    In brief, where the framework publishes criteria for the step they say what changes, and the
    competencies are named; without criteria, what changes is the higher role's text for each
    competency; the opportunities are one line each. In ``detail``: both roles side by side and the
    opportunities in full."""
    sections: list[Section] = []
    sources = [cite_role(loaded, start), cite_role(loaded, goal)]
    if grade_order(goal) < grade_order(start):
        sections.append(
            Section(text=f"{goal.label} is a lower grade than {start.label}; here is what differs.")
        )
    criteria, criteria_sources = _criteria_sections(loaded, start, goal)
    sections.extend(criteria)
    sources.extend(criteria_sources)
    if detail:
        changes, same = comparison_sections(loaded, [start, goal], only_changes=True)
        if changes:
            sections.append(Section(heading="What changes, competency by competency"))
            sections.append(legend(loaded, [start, goal]))
            sections.extend(changes)
    else:
        changes, same = _changes_in_brief(loaded, start, goal)
        if changes and published_step(loaded, start, goal):
            named = ", ".join(c.heading for c in changes)
            every = not same and len(changes) == len(loaded.framework.rows)
            said = "Every competency's descriptor." if every else f"The descriptors of {named}."
            sections.append(Section(heading="What changes", text=said))
        elif changes:
            sections.append(Section(heading=f"What changes: what {goal.label} needs"))
            sections.extend(changes)
    if same:
        sections.append(Section(text=f"Unchanged: {', '.join(same)}."))
    if detail:
        sections.extend(
            Section(heading=f"Development opportunities: {g.name}", bullets=g.opportunities)
            for g in grid_rows
            if g.opportunities
        )
    else:
        sections.extend(opportunities_in_brief(grid_rows))
    if grid_rows:
        sources.append(cite(loaded, loaded.framework.opportunities_source or "development opportunities"))
    return Card(
        title=f"From {start.label} to {goal.label}",
        subtitle=loaded.framework.name,
        sections=sections,
        actions=[more] if more is not None and not detail else [],
        sources=sources,
    )


def _changes_in_brief(loaded: LoadedFramework, start: Role, goal: Role) -> tuple[list[Section], list[str]]:
    """For each competency whose text changes, what the higher role needs; and the rows that do not."""
    changes, same = [], []
    for row in loaded.framework.rows:
        before, after = loaded.descriptor(start.id, row.id), loaded.descriptor(goal.id, row.id)
        if before.text == after.text:
            same.append(row.label)
            continue
        text, note = descriptor_text(after)
        changes.append(Section(heading=row.label, text=text, note=note))
    return changes, same


def paths_absent_card(loaded: LoadedFramework, roles: list[Role], absent: list[str], grade: str) -> Card:
    """ "Specialist vs manager at grade 9": say which paths have no role at that grade, where they do have
    roles, and what the grade has (its role in full when it has one, side by side when several)."""
    fw = loaded.framework
    names = {p.id: p.name for p in fw.paths}
    missing = " or ".join(names.get(p, p) for p in absent)
    at_grade = [r for r in fw.roles if r.grade == grade]
    here = "; ".join(f"{r.label} ({names.get(r.path, r.path)} path)" for r in at_grade)
    lead = f"The framework has no {missing} role at {fw.grade_label} {grade}"
    lead += f": {fw.grade_label} {grade} has {'only ' if len(at_grade) == 1 else ''}{here}." if here else "."
    elsewhere = []
    for path in absent:
        grades = sorted({r.grade for r in fw.roles if r.path == path}, key=grade_key)
        if grades:
            listed = ", ".join(grades[:-1]) + f" and {grades[-1]}" if len(grades) > 1 else grades[0]
            elsewhere.append(f"The {names.get(path, path)} path has roles at {fw.grade_label} {listed}.")
    sections = [Section(text=" ".join([lead, *elsewhere]))]
    if len(roles) >= 2:
        body = compare_card(loaded, roles, [])
    elif roles:
        body = role_card(loaded, roles[0])
    else:
        return Card(title=f"No {missing} role at {fw.grade_label} {grade}", sections=sections)
    return body.model_copy(update={"sections": sections + body.sections})
