"""The bulletin's form: an opportunity written in chat (a Slack modal, an Adaptive Card form in Teams, field
by field in the console), checked exactly as a file's is (handlers/bulletin/model.py), every mistake named
beside its field and nothing saved until there are none."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from bot import bounded_json
from bot.core import Context, Event, clicked_int
from bot.storage.bulletin import OpportunityFields
from bot.storage.people import PersonRecord
from cards.model import Action, Card, Form, FormField, Option
from handlers.bulletin.cards import competency_names
from handlers.bulletin.desk import scope_refusal
from handlers.bulletin.model import (
    DESCRIPTION_LIMIT,
    KINDS,
    LINK_LIMIT,
    TITLE_LIMIT,
    read_opportunity,
)

NEW = "bulletin.new"  # value "": the form, blank (or as last typed, when it came back with mistakes)
SAVE = "bulletin.save"  # value {} for a new opportunity, {"o", "v"} for a draft or post; inputs by field id
EDIT = "bulletin.edit"  # value {"o", "v"}: the form again, with the opportunity's values
STATUS = "bulletin.status"  # value {"o", "v"}: a post's delivery status (handlers/bulletin/manage.py)
# The conversation's state: a form that came back with mistakes, as typed, so "Edit" brings it back.
TYPED_KEY = "bulletin_form"
# (field id, label, multi-line, most characters, placeholder); the ids are the model's field names.
_FIELDS: tuple[tuple[str, str, bool, int, str], ...] = (
    ("title", "Title", False, TITLE_LIMIT, "Secondment to the imaging facility"),
    ("kind", "Kind of opportunity", False, 40, "Choose a kind"),
    ("description", "Description", True, DESCRIPTION_LIMIT, "What it is, when, and how to apply"),
    ("link", "Link (optional)", False, LINK_LIMIT, "https://…"),
    ("closes_on", "Closing date (optional)", False, 40, "2027-03-31"),
    ("contact", "Contact (optional)", False, 320, "name@uni.example"),
    ("grades", "Grades (empty: every grade)", False, 200, "5, 6"),
    ("paths", "Paths (empty: every path)", False, 300, "Technical; Manager"),
    ("departments", "Departments (empty: every department)", True, 1000, "Chemistry; Physics"),
    ("competencies", "Competencies it develops (optional)", True, 1000, "Budget Management; Teamwork"),
)
FIELD_IDS = tuple(f[0] for f in _FIELDS)
_LISTS = ("grades", "paths", "departments", "competencies")
FORM_TITLE = "Bulletin opportunity"


def button_value(opportunity_id: int, version: int) -> str:
    """What a button about an opportunity carries: its id and the version the card showed."""
    return json.dumps({"o": opportunity_id, "v": version}, separators=(",", ":"))


def clicked_opportunity(event: Event) -> tuple[int, int] | None:
    """The (id, version) a button of ours carries; None for anything else (a stale or altered value)."""
    try:
        value = bounded_json.loads(event.value)
    except ValueError:
        return None
    if not isinstance(value, dict) or set(value) != {"o", "v"}:
        return None
    number, version = clicked_int(value["o"], minimum=1), clicked_int(value["v"], minimum=1)
    return None if number is None or version is None else (number, version)


def is_new(event: Event) -> bool:
    """A submission of the blank form (its value is an empty object)."""
    return event.value.strip() in ("", "{}")


def form_values(fields: OpportunityFields, ctx: Context) -> dict[str, str]:
    """An opportunity's fields as the form shows them: names, not ids, lists one after another."""
    framework = ctx.catalogue.primary.framework
    paths = {p.id: p.name for p in framework.paths}
    return {
        "title": fields.title,
        "kind": fields.kind,
        "description": fields.description,
        "link": fields.link,
        "closes_on": fields.closes_on,
        "contact": fields.contact,
        "grades": ", ".join(fields.grades),
        "paths": "; ".join(paths.get(p, p) for p in fields.paths),
        "departments": "; ".join(fields.departments),
        "competencies": "; ".join(competency_names(fields.competencies, ctx)),
    }


def typed_values(inputs: dict[str, str]) -> dict[str, str]:
    """What was typed into the form's own fields (nothing else a payload may carry), each bounded."""
    limits = {f[0]: f[3] for f in _FIELDS}
    return {name: str(inputs.get(name, ""))[: limits[name] * 2] for name in FIELD_IDS}


def compose_form(values: dict[str, str], submit_value: str, errors: dict[str, str] | None = None) -> Form:
    """The form, filled with ``values``, each field's problem beside it."""
    errors = errors or {}
    new = submit_value.strip() in ("", "{}")
    fields = []
    for field_id, label, multiline, limit, placeholder in _FIELDS:
        options = (
            [Option(label=label_of, value=kind) for kind, (label_of, _) in KINDS.items()]
            if field_id == "kind"
            else []
        )
        fields.append(
            FormField(
                id=field_id,
                label=label,
                value=values.get(field_id, ""),
                multiline=multiline,
                max_length=limit,
                placeholder=placeholder,
                options=options,
                error=errors.get(field_id, ""),
            )
        )
    return Form(
        title=FORM_TITLE,
        fields=fields,
        submit=Action(label="Preview", action_id=SAVE, value=submit_value),
        reopen=Action(label="Open the form", action_id=NEW if new else EDIT, value=submit_value),
    )


def form_card(values: dict[str, str], submit_value: str, errors: dict[str, str] | None = None) -> Card:
    """The form on a card of its own: the title says, when it came back, how many fields to put right."""
    if errors:
        count = len(errors)
        title = f"Nothing was saved: {count} field{'' if count == 1 else 's'} to put right"
    else:
        title = "Post an opportunity" if submit_value.strip() in ("", "{}") else "Edit the opportunity"
    return Card(title=title, form=compose_form(values, submit_value, errors))


def _list_value(text: str) -> str | list[str]:
    """A list field as typed: split at semicolons or lines when it has any (names may hold commas), else
    left for the model to split at commas, as a file's cell is."""
    if ";" in text or "\n" in text:
        return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
    return text


def read_form(
    inputs: dict[str, str], ctx: Context, today: date, author: PersonRecord
) -> tuple[OpportunityFields | None, dict[str, str]]:
    """The opportunity a submitted form describes, or its problems by field id (then it is None). The
    author's scope is checked here too, so a department outside it is named on the departments field."""
    typed = typed_values(inputs)
    raw: dict[str, Any] = {
        name: _list_value(value) if name in _LISTS else value for name, value in typed.items()
    }
    fields, problems = read_opportunity(raw, "the form", ctx, today)
    errors: dict[str, str] = {}
    for problem in problems:
        name = problem.field if problem.field in FIELD_IDS else "title"
        errors[name] = f"{errors[name]}; {problem.message}" if name in errors else problem.message
    if fields is not None and (refusal := scope_refusal(author, fields)):
        errors["departments"] = refusal
    return (None if errors else fields), errors
