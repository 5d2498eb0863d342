"""The window form coordinators fill in from chat (a Slack modal, an Adaptive Card form, console prompts):
its fields, what a window looks like in them, and what they become for the file import's own checks."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.storage.windows import WindowRecord
from bot.windows_import import (
    CONTACT_LIMIT,
    DEFAULT_LEADS,
    KINDS,
    LINK_LIMIT,
    NAME_LIMIT,
    QUOTES_FRAMEWORK,
    TEXT_LIMIT,
    Lead,
    WindowProblem,
    framework_criteria,
)
from cards.model import Action, Form, FormField
from framework_data.loader import LoadedFramework

FORM = "window.form"  # value {"w"}: show the form (0: a new window), with the draft's values if any
CHECK = "window.check"  # value {"w"}, inputs by field id: check what was typed, then confirm

DEFAULT_LEADS_TEXT = ", ".join(str(Lead(d, a)) for d, a in DEFAULT_LEADS)


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    placeholder: str = ""
    multiline: bool = False
    max_length: int = 200


FIELDS = (
    Field("name", "Name", "e.g. Regrading round 2027", max_length=NAME_LIMIT),
    Field("kind", "Kind", ", ".join(KINDS), max_length=60),
    Field("opens", "Opens (YYYY-MM-DD)", "e.g. 2027-03-01", max_length=20),
    Field("closes", "Closes (YYYY-MM-DD)", "e.g. 2027-03-31", max_length=20),
    Field("grades", "Eligible grades", "e.g. 5, 6 (empty: every grade)"),
    Field("paths", "Eligible paths", "e.g. technical, specialist (empty: every path)"),
    Field(
        "departments",
        "Eligible departments",
        "e.g. Physics, Chemistry (empty: every department)",
        max_length=500,
    ),
    Field(
        "criteria",
        "Criteria",
        "What applicants must show (empty for a promotion round: the framework's own criteria)",
        multiline=True,
        max_length=TEXT_LIMIT,
    ),
    Field("link", "Criteria link", "https://...", max_length=LINK_LIMIT),
    Field("contact", "Mentoring contact", "e.g. mentors@uni.example", max_length=CONTACT_LIMIT),
    Field("how", "How to ask for mentoring", "e.g. Email to be paired with a mentor", True, TEXT_LIMIT),
    Field("leads", "Reminders", f"e.g. {DEFAULT_LEADS_TEXT}", max_length=300),
    Field("recurrence", "Once or yearly", "once or yearly", max_length=20),
)
FIELD_IDS = tuple(f.id for f in FIELDS)
LABELS = {f.id: f.label.split(" (")[0] for f in FIELDS}
BLANK = {"kind": "promotion_round", "leads": DEFAULT_LEADS_TEXT, "recurrence": "once"}

# The import's field names, as the form names them.
_FROM_IMPORT = {
    "key": "name",
    "eligible": "grades",
    "eligible.grades": "grades",
    "eligible.paths": "paths",
    "eligible.departments": "departments",
    "criteria": "criteria",
    "criteria.text": "criteria",
    "criteria.link": "link",
    "mentoring": "contact",
    "mentoring.contact": "contact",
    "mentoring.how": "how",
}
_RECURRENCE_WORDS = {"annual": "yearly", "annually": "yearly", "every year": "yearly", "one-off": "once"}


def button(window_id: int, **fields: int) -> str:
    return json.dumps({"w": window_id, **fields}, separators=(",", ":"))


def values_of(window: WindowRecord, framework: LoadedFramework) -> dict[str, str]:
    """A saved window as the form shows it. Criteria quoted from the framework show as empty, so saving
    the form again quotes the framework again rather than a copy that no longer follows it."""
    quoted = window.kind in QUOTES_FRAMEWORK and window.criteria_text == framework_criteria(
        framework, window.grades
    )
    return {
        "name": window.name,
        "kind": window.kind,
        "opens": window.opens.isoformat(),
        "closes": window.closes.isoformat(),
        "grades": ", ".join(window.grades),
        "paths": ", ".join(window.paths),
        "departments": ", ".join(window.departments),
        "criteria": "" if quoted else window.criteria_text,
        "link": window.criteria_link,
        "contact": window.mentoring_contact,
        "how": window.mentoring_how,
        "leads": ", ".join(str(Lead.from_code(code)) for code in window.leads),
        "recurrence": window.recurrence,
    }


def typed(inputs: dict[str, str]) -> dict[str, str]:
    """The form's inputs, known fields only, as typed (kept so the form comes back as it was)."""
    return {f.id: str(inputs.get(f.id, ""))[: f.max_length * 2] for f in FIELDS}


def window_form(window_id: int, values: dict[str, str], problems: dict[str, str] | None = None) -> Form:
    """The form with ``values``; a field with a problem says so in its label, beside what was typed."""
    problems = problems or {}
    fields = []
    for field in FIELDS:
        problem = problems.get(field.id)
        fields.append(
            FormField(
                id=field.id,
                label=f"{field.label} - problem: {problem}" if problem else field.label,
                value=values.get(field.id, ""),
                multiline=field.multiline,
                max_length=field.max_length,
                placeholder=field.placeholder,
            )
        )
    value = button(window_id)
    return Form(
        title="Edit window" if window_id else "New window",
        fields=fields,
        submit=Action(label="Review", action_id=CHECK, value=value),
        reopen=Action(
            label="Fix the form" if problems else ("Edit the window" if window_id else "Open the form"),
            action_id=FORM,
            value=value,
            style="primary",
        ),
    )


def _kind(text: str) -> str:
    """A kind by its id or its name, however it is spaced or capitalised; anything else as typed, for the
    import's check to name the choices."""
    said = " ".join(text.lower().replace("_", " ").replace("-", " ").split())
    for kind, label in KINDS.items():
        if said in (kind.replace("_", " "), label.lower()):
            return kind
    return text.strip()


def _items(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[,;\n]", text) if item.strip()]


def as_file_entry(values: dict[str, str], key: str) -> dict[str, Any]:
    """The form's values in the shape of one window of an import file, for the import's own checks."""
    recurrence = " ".join(values.get("recurrence", "").lower().split()) or "once"
    leads = _items(values.get("leads", ""))
    return {
        "key": key,
        "name": values.get("name", ""),
        "kind": _kind(values.get("kind", "")),
        "opens": values.get("opens", "").strip() or None,
        "closes": values.get("closes", "").strip() or None,
        "recurrence": _RECURRENCE_WORDS.get(recurrence, recurrence),
        "eligible": {
            "grades": _items(values.get("grades", "")),
            "paths": _items(values.get("paths", "")),
            "departments": _items(values.get("departments", "")),
        },
        "criteria": {"text": values.get("criteria", ""), "link": values.get("link", "")},
        "mentoring": {"contact": values.get("contact", ""), "how": values.get("how", "")},
        "leads": leads or None,
    }


def by_field(problems: list[WindowProblem]) -> dict[str, str]:
    """The import's problems by the form field they are about (several on one field joined)."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        name = re.sub(r"\[\d+\]$", "", problem.field)
        field = _FROM_IMPORT.get(name, name if name in FIELD_IDS else "name")
        found.setdefault(field, []).append(problem.message)
    return {field: "; ".join(messages) for field, messages in found.items()}


def key_for(name: str) -> str:
    """A key for a window made in chat, from its name (the import file's key, should it be exported)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:70].strip("-")
    return slug or "window"
