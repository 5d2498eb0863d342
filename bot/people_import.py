"""Read an HR export of people: check every row against the framework before anything is written."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

from bot.spreadsheet_cells import restored
from bot.storage.people import BOT_ROLES, PersonFields, normalise_email
from framework_data.loader import LoadedFramework
from framework_data.schema import Role, grade_key

COLUMNS = ("email", "display_name", "department", "grade", "role", "manager_email", "bot_roles")
REQUIRED = ("email", "display_name", "grade")
# Header spellings HR systems commonly use for our columns.
HEADER_ALIASES = {
    "name": "display_name",
    "display name": "display_name",
    "full name": "display_name",
    "role/path": "role",
    "path": "role",
    "job role": "role",
    "manager": "manager_email",
    "manager email": "manager_email",
    "line manager email": "manager_email",
    "roles": "bot_roles",
    "bot roles": "bot_roles",
    "dept": "department",
}
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_GRADE_PREFIX = re.compile(r"^(?:grade|g)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class RowProblem:
    """Something wrong in one cell, located the way a person finds it in a spreadsheet."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class ImportPlan:
    """The valid people of a file, and every problem found, before anything is written."""

    people: list[PersonFields] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rejected: int = 0


def _header(raw: list[str]) -> tuple[list[str], list[RowProblem]]:
    names = []
    problems = []
    for position, name in enumerate(raw, start=1):
        key = name.strip().lower().replace("_", " ")
        column = HEADER_ALIASES.get(key, key.replace(" ", "_"))
        if column not in COLUMNS:
            problems.append(
                RowProblem(1, name or f"#{position}", f"unknown column; expected {', '.join(COLUMNS)}")
            )
        names.append(column)
    problems += [RowProblem(1, c, "required column is missing") for c in REQUIRED if c not in names]
    return names, problems


def resolve_role(
    framework: LoadedFramework, grade: str, role_text: str
) -> tuple[Role | None, RowProblem | None]:
    """The framework role for a grade and a role/path cell ("specialist", "g7-manager", "lab manager");
    a problem's row number is left 0 for the caller to fill in."""
    at_grade = [r for r in framework.framework.roles if r.grade == grade]
    if not at_grade:
        valid = ", ".join(sorted({r.grade for r in framework.framework.roles}, key=grade_key))
        problem = f"unknown grade {grade!r}" if grade else "a grade is required"
        return None, RowProblem(0, "grade", f"{problem}; valid grades are {valid}")
    wanted = role_text.strip().lower()
    if not wanted:
        if len(at_grade) == 1:
            return at_grade[0], None
        choices = ", ".join(r.id for r in at_grade)
        return None, RowProblem(0, "role", f"grade {grade} has several roles: say which ({choices})")
    paths = {p.id: p for p in framework.framework.paths}
    for role in at_grade:
        path = paths[role.path]
        names = {role.id, role.title.lower(), *role.aliases, path.id, path.name.lower(), *path.synonyms}
        if wanted in names:
            return role, None
    options = ", ".join(f"{r.id} ({paths[r.path].name})" for r in at_grade)
    return None, RowProblem(
        0, "role", f"{role_text!r} is not a role at grade {grade}; roles there: {options}"
    )


def _bot_roles(text: str) -> tuple[frozenset[str], str]:
    roles = frozenset(r.strip().lower() for r in re.split(r"[;,|\s]+", text) if r.strip())
    unknown = roles - set(BOT_ROLES)
    if unknown:
        return roles, f"unknown bot role(s) {', '.join(sorted(unknown))}; allowed: {', '.join(BOT_ROLES)}"
    return roles - {"technician"}, ""


def _check_row(
    row: dict[str, str], number: int, framework: LoadedFramework
) -> tuple[PersonFields | None, list[RowProblem]]:
    problems = []
    email = normalise_email(row.get("email", ""))
    if not _EMAIL.match(email):
        problems.append(RowProblem(number, "email", f"{row.get('email', '')!r} is not an email address"))
    name = row.get("display_name", "").strip()
    if not name:
        problems.append(RowProblem(number, "display_name", "a name is required"))
    grade = _GRADE_PREFIX.sub("", row.get("grade", "").strip())
    role, role_problem = resolve_role(framework, grade, row.get("role", ""))
    if role_problem:
        problems.append(RowProblem(number, role_problem.column, role_problem.message))
    manager = normalise_email(row.get("manager_email", ""))
    if manager and not _EMAIL.match(manager):
        problems.append(RowProblem(number, "manager_email", f"{manager!r} is not an email address"))
    elif manager and manager == email:
        problems.append(RowProblem(number, "manager_email", "a person cannot be their own manager"))
    bot_roles, error = _bot_roles(row.get("bot_roles", ""))
    if error:
        problems.append(RowProblem(number, "bot_roles", error))
    if problems or role is None:
        return None, problems
    fields = PersonFields(
        email=email,
        display_name=name,
        department=row.get("department", "").strip(),
        grade=grade,
        role_id=role.id,
        manager_email=manager,
        bot_roles=bot_roles,
    )
    return fields, []


def read_people(stream: TextIO, framework: LoadedFramework) -> ImportPlan:
    """Check a CSV export row by row; rows are numbered as a spreadsheet shows them (header is row 1)."""
    plan = ImportPlan()
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        plan.problems.append(RowProblem(1, "-", "the file is empty; the first row must name the columns"))
        return plan
    except csv.Error as exc:
        plan.problems.append(RowProblem(1, "-", f"not a readable CSV file ({exc})"))
        return plan
    names, problems = _header(header)
    plan.problems += problems
    if problems:
        return plan
    seen: dict[str, int] = {}
    for number, cells in _numbered(reader, plan):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            plan.problems.append(
                RowProblem(number, "-", f"has {len(cells)} cells, the header has {len(names)}")
            )
            plan.rejected += 1
            continue
        # A cell the export guarded against running as a formula ('=...) reads back as it was.
        values = [restored(cell) for cell in cells]
        person, row_problems = _check_row(dict(zip(names, values, strict=True)), number, framework)
        if person is not None and person.email in seen:
            row_problems.append(
                RowProblem(number, "email", f"{person.email} already appears on row {seen[person.email]}")
            )
            person = None
        if person is None:
            plan.problems += row_problems
            plan.rejected += 1
        else:
            seen[person.email] = number
            plan.people.append(person)
    return plan


def _numbered(reader: Iterable[list[str]], plan: ImportPlan) -> Iterable[tuple[int, list[str]]]:
    iterator = iter(reader)
    number = 1
    while True:
        number += 1
        try:
            yield number, next(iterator)
        except StopIteration:
            return
        except csv.Error as exc:
            plan.problems.append(RowProblem(number, "-", f"unreadable CSV ({exc})"))
            plan.rejected += 1
