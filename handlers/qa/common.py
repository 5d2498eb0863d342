"""Pieces every framework answer uses: citations, descriptor sections and follow-up questions."""

from __future__ import annotations

import json

from cards.model import Action, Section
from framework_data.loader import Descriptor, LoadedFramework
from framework_data.schema import Role, grade_key

ASK = "qa.ask"
PICK = "qa.pick"
MORE = "qa.more"  # value: a query (JSON) to answer in full, the summary's "show the full detail"
NO_DESCRIPTOR = "The framework gives no descriptor for this role here."
NOT_EXPECTED = "The framework's “No”: not expected in this role."
DESCRIPTOR_PLACEHOLDER = (
    "“(Descriptor)” in a title stands for the discipline, e.g. Senior (Chemistry) Technician."
)


def cite(loaded: LoadedFramework, where: str) -> str:
    """A citation naming the document, its version, the place in it and the seed file."""
    src = loaded.framework.source
    version = f" ({src.version})" if src.version else ""
    return f"{src.publisher}, {src.title}{version}: {where} [{src.document}]"


def cite_role(loaded: LoadedFramework, role: Role) -> str:
    return cite(loaded, f"{role.table}, {role.label}")


def path_name(loaded: LoadedFramework, role: Role) -> str:
    return next((p.name for p in loaded.framework.paths if p.id == role.path), role.path)


def short_label(loaded: LoadedFramework, role: Role) -> str:
    """A role named for a column of a comparison: "Grade 8 Specialist", or "Grade 6" when the grade has
    one role. The full titles are said once, above."""
    shared_grade = sum(1 for r in loaded.framework.roles if r.grade == role.grade) > 1
    if not shared_grade:
        return f"Grade {role.grade}"
    return f"Grade {role.grade} {path_name(loaded, role).split(' (')[0]}"


def more_action(label: str, query_json: str) -> Action:
    """A button that answers the same query again in full."""
    return Action(label=label, action_id=MORE, value=query_json)


def bands_text(role: Role) -> str:
    return " or ".join(role.bands) if role.bands else "not mapped"


def role_subtitle(loaded: LoadedFramework, role: Role) -> str:
    parts = [loaded.framework.name, f"{path_name(loaded, role)} path"]
    if role.bands:
        parts.append(f"NTDC/HETT band {bands_text(role)}")
    return " · ".join(parts)


def descriptor_text(descriptor: Descriptor) -> tuple[str, str]:
    """The words to show for a descriptor and a note on where they come from."""
    if descriptor.text is None:
        return NO_DESCRIPTOR, descriptor.gap
    if descriptor.is_no:
        return descriptor.text, NOT_EXPECTED
    if descriptor.shared_with is not None:
        # The reference itself ("As grade 7 Specialist") is never shown: the text above is what it means.
        how = (
            "the guide gives that role's cell here and adds to it"
            if descriptor.extended
            else "the guide gives this cell as that role's"
        )
        return descriptor.text, f"Shared with {descriptor.shared_with.label} ({how})."
    return descriptor.text, ""


def descriptor_section(descriptor: Descriptor, heading: str | None = None) -> Section:
    text, note = descriptor_text(descriptor)
    return Section(heading=descriptor.row.label if heading is None else heading, text=text, note=note)


def ask_action(label: str, question: str) -> Action:
    """A follow-up button that asks the bot another question, exactly as if it had been typed."""
    return Action(label=label, action_id=ASK, value=json.dumps({"text": question}))


def next_roles(loaded: LoadedFramework, role: Role, step: int = 1) -> list[Role]:
    """Roles one grade up (or down, with step=-1): on the same path if any, otherwise all at that grade."""
    grades = sorted({r.grade for r in loaded.framework.roles}, key=grade_key)
    position = grades.index(role.grade) + step if role.grade in grades else -1
    if not 0 <= position < len(grades):
        return []
    candidates = [r for r in loaded.framework.roles if r.grade == grades[position]]
    same_path = [r for r in candidates if r.path == role.path]
    return same_path or candidates


def grade_order(role: Role) -> tuple[int, str]:
    return grade_key(role.grade)
