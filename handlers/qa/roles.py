"""Answers about roles: a role's requirements, one competency for a role, a competency across roles, paths."""

from __future__ import annotations

from cards.model import Action, Card, Fact, Section
from framework_data.catalogue import Catalogue
from framework_data.loader import LoadedFramework
from framework_data.schema import Role
from handlers.qa.common import (
    DESCRIPTOR_PLACEHOLDER,
    ask_action,
    bands_text,
    cite,
    cite_role,
    descriptor_section,
    descriptor_text,
    grade_order,
    next_roles,
    path_name,
    role_subtitle,
)


def _follow_ups(loaded: LoadedFramework, role: Role) -> list[Action]:
    actions = []
    for nxt in next_roles(loaded, role)[:2]:
        actions.append(
            ask_action(f"How do I get to {nxt.label}?", f"how do I get from {spoken(role)} to {spoken(nxt)}")
        )
    actions.append(ask_action("Development opportunities", "what development opportunities are there"))
    return actions


def spoken(role: Role) -> str:
    """A role as a person would type it, unambiguous for the parser ("grade 7 specialist")."""
    qualifier = {"specialist": " specialist", "manager": " manager"}.get(role.path, "")
    return f"grade {role.grade}{qualifier}"


def role_card(loaded: LoadedFramework, role: Role) -> Card:
    """Everything the framework asks of one role, row by row."""
    sections = [descriptor_section(loaded.descriptor(role.id, row.id)) for row in loaded.framework.rows]
    if "(Descriptor)" in role.title:
        sections.append(Section(note=DESCRIPTOR_PLACEHOLDER))
    return Card(
        title=role.label,
        subtitle=role_subtitle(loaded, role),
        sections=sections,
        actions=_follow_ups(loaded, role),
        sources=[cite_role(loaded, role)],
    )


def role_name_card(loaded: LoadedFramework, role: Role) -> Card:
    """ "What is a grade 4 called": the role's title, grade, path and band, with the rest a button away."""
    return Card(
        title=role.label,
        subtitle=role_subtitle(loaded, role),
        sections=[
            Section(
                text=f"The framework's title at grade {role.grade}: “{role.title}”, on the "
                f"{path_name(loaded, role)} path."
            ),
            *([Section(note=DESCRIPTOR_PLACEHOLDER)] if "(Descriptor)" in role.title else []),
        ],
        actions=[ask_action(f"Everything for {role.label}", spoken(role))],
        sources=[cite_role(loaded, role)],
    )


def role_rows_card(loaded: LoadedFramework, roles: list[Role], row_ids: list[str]) -> Card:
    """Named competencies (rows) for one or more roles."""
    rows = [loaded.rows[r] for r in row_ids]
    sections: list[Section] = []
    for role in roles:
        for row in rows:
            heading = row.label if len(roles) == 1 else f"{row.label}: {role.label}"
            sections.append(descriptor_section(loaded.descriptor(role.id, row.id), heading))
    title = " and ".join(r.label for r in rows)
    subject = roles[0].label if len(roles) == 1 else ", ".join(r.label for r in roles)
    return Card(
        title=f"{title}: {subject}",
        subtitle=role_subtitle(loaded, roles[0]) if len(roles) == 1 else loaded.framework.name,
        sections=sections,
        actions=[ask_action(f"Everything for {roles[0].label}", spoken(roles[0]))],
        sources=[cite_role(loaded, r) for r in roles],
    )


def competency_card(loaded: LoadedFramework, row_ids: list[str]) -> Card:
    """How a competency grows from grade to grade: every role's descriptor for the named rows."""
    roles = sorted(loaded.framework.roles, key=grade_order)
    sections = []
    for row_id in row_ids:
        row = loaded.rows[row_id]
        facts = []
        for role in roles:
            text, note = descriptor_text(loaded.descriptor(role.id, row_id))
            facts.append(Fact(label=role.label, value=f"{text} ({note})" if note else text))
        sections.append(Section(heading=f"{row.label} at each grade", facts=facts))
    return Card(
        title=" and ".join(loaded.rows[r].label for r in row_ids),
        subtitle=loaded.framework.name,
        sections=sections,
        actions=[ask_action("Development opportunities", f"training for {loaded.rows[row_ids[0]].label}")],
        sources=sorted({cite(loaded, role.table) for role in roles}),
    )


def roles_card(catalogue: Catalogue) -> Card:
    """Every role of every framework, by grade."""
    sections = []
    for loaded in catalogue.frameworks:
        facts = [
            Fact(
                label=f"Grade {r.grade}",
                value=f"{r.title} · {path_name(loaded, r)} path · band {bands_text(r)}",
            )
            for r in sorted(loaded.framework.roles, key=grade_order)
        ]
        sections.append(Section(heading=loaded.framework.name, facts=facts))
    return Card(
        title="Roles in the frameworks",
        sections=sections,
        actions=[ask_action("Compare two roles", "difference between grade 6 and grade 7 specialist")],
        sources=[cite(f, "roles") for f in catalogue.frameworks],
    )


def path_card(loaded: LoadedFramework, path_ids: list[str]) -> Card:
    """The roles on one or more career paths, in grade order."""
    sections = []
    for path in (p for p in loaded.framework.paths if p.id in path_ids):
        roles = sorted((r for r in loaded.framework.roles if r.path == path.id), key=grade_order)
        facts = [Fact(label=f"Grade {r.grade} (band {bands_text(r)})", value=r.title) for r in roles]
        sections.append(Section(heading=f"{path.name} path", facts=facts))
    return Card(
        title="Career paths",
        subtitle=loaded.framework.name,
        sections=sections,
        sources=sorted({cite(loaded, r.table) for r in loaded.framework.roles if r.path in path_ids}),
    )
