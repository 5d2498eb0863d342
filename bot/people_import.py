"""Read an HR export of people: check every row against the framework before anything is written."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from bot.spreadsheet_cells import restored
from bot.storage.people import BOT_ROLES, PersonFields, normalise_email
from framework_data.loader import LoadedFramework
from framework_data.schema import Role, grade_key

COLUMNS = (
    "email",
    "display_name",
    "department",
    "grade",
    "role",
    "manager_email",
    "bot_roles",
    "grade_since",
    "coordinator_scope",
)
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
    "grade since": "grade_since",
    "in grade since": "grade_since",
    "grade start date": "grade_since",
    "scope": "coordinator_scope",
    "coordinator scope": "coordinator_scope",
    "audience scope": "coordinator_scope",
}
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_GRADE_PREFIX = re.compile(r"^(?:grade|g)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class RowProblem:
    """Something wrong in one cell, located the way a person finds it in a spreadsheet; ``rows`` when it
    takes several rows together (a manager loop)."""

    row: int
    column: str
    message: str
    rows: tuple[int, ...] = ()

    def __str__(self) -> str:
        where = f"rows {', '.join(map(str, self.rows))}" if self.rows else f"row {self.row}"
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class ImportPlan:
    """The valid people of a file, and every problem found, before anything is written.

    ``file_problem``: the file as a whole cannot be read (no header, a required column missing), so no
    row was checked. ``warnings`` are reported but refuse nothing (an ignored column)."""

    people: list[PersonFields] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    rejected: int = 0
    file_problem: bool = False
    # Every readable email in the file, valid row or not, with its first row: who the file speaks for.
    rows_by_email: dict[str, int] = field(default_factory=dict)
    # Rows whose email cannot be read: the file may or may not speak for someone there.
    unreadable_emails: list[int] = field(default_factory=list)

    def reject(self, emails: Collection[str], problem: RowProblem) -> None:
        """Take valid people out of the plan, with the one problem that rejects them all."""
        kept = [p for p in self.people if p.email not in emails]
        if len(kept) < len(self.people):
            self.rejected += len(self.people) - len(kept)
            self.people = kept
            self.problems.append(problem)


_DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _key(heading: str) -> str:
    """A heading as compared: case, underscores and repeated spaces do not matter."""
    return " ".join(heading.strip().lower().replace("_", " ").split())


def _column_for(heading: str, columns: Mapping[str, str]) -> str:
    """Our column for a heading: a --column mapping first, then our names and their common spellings. A
    mapped column is taken from its mapped heading only (the caller ignores the others)."""
    key = _key(heading)
    for column, mapped in columns.items():
        if _key(mapped) == key:
            return column
    return HEADER_ALIASES.get(key, key.replace(" ", "_"))


def _header(
    raw: list[str], columns: Mapping[str, str]
) -> tuple[list[str], list[RowProblem], list[RowProblem]]:
    """Each heading's column ("" where the column is ignored), the problems, and the warnings."""
    names: list[str] = []
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    first: dict[str, str] = {}
    for position, heading in enumerate(raw, start=1):
        label = heading.strip() or f"#{position}"
        column = _column_for(heading, columns)
        if column in columns and _key(columns[column]) != _key(heading):
            warnings.append(RowProblem(1, label, f"ignored: --column {column} takes {columns[column]!r}"))
            column = ""
        elif column not in COLUMNS:
            warnings.append(RowProblem(1, label, "not a column techpath reads; ignored"))
            column = ""
        elif column in first:
            problems.append(RowProblem(1, label, f"{column} appears twice (first as {first[column]!r})"))
            column = ""
        else:
            first[column] = label
        names.append(column)
    headings = {_key(h) for h in raw}
    for column, mapped in columns.items():
        if _key(mapped) not in headings:
            listed = ", ".join(h.strip() for h in raw if h.strip())
            problems.append(
                RowProblem(1, column, f"--column {column}={mapped!r}: the file has no such column ({listed})")
            )
    for column in (c for c in REQUIRED if c not in names):
        # An ignored column may be this one under another heading: say how to name it.
        hint = f" (if the file calls it something else: --column {column}=HEADING)" if warnings else ""
        problems.append(RowProblem(1, column, f"required column is missing{hint}"))
    return names, problems, warnings


def _delimiter(first_line: str, columns: Mapping[str, str]) -> str:
    """The delimiter under which the header names the most of our columns (a comma when none does)."""

    def known(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(1 for cell in cells if _column_for(cell, columns) in COLUMNS)

    return max((",", ";", "\t"), key=known)


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
    since_text = row.get("grade_since", "").strip()
    since = None
    if since_text:
        try:
            since = date.fromisoformat(since_text)
        except ValueError:
            problems.append(
                RowProblem(number, "grade_since", f"{since_text!r} is not a date; write it as 2021-09-01")
            )
    scope = frozenset(d.strip() for d in re.split(r"[;|]+", row.get("coordinator_scope", "")) if d.strip())
    if scope and not ({"coordinator", "admin"} & bot_roles):
        problems.append(
            RowProblem(
                number, "coordinator_scope", "a scope limits a coordinator: add coordinator to bot_roles"
            )
        )
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
        grade_since=since,
        coordinator_scope=scope,
    )
    return fields, []


def read_people(
    stream: TextIO, framework: LoadedFramework, columns: Mapping[str, str] | None = None
) -> ImportPlan:
    """Check a CSV export row by row; rows are numbered as a spreadsheet shows them (header is row 1).

    ``columns`` maps our column names to the file's own headings (``{"email": "Work Email"}``). Commas,
    semicolons (a spreadsheet set to a European locale) and tabs between cells are all read."""
    plan = ImportPlan()
    columns = dict(columns or {})
    text = stream.read()
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = _delimiter(first_line, columns)
    if delimiter != ",":
        plan.warnings.append(
            RowProblem(
                1, "", f"this file uses {_DELIMITERS[delimiter]} between cells, not commas; read it so"
            )
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        plan.problems.append(RowProblem(1, "-", "the file is empty; the first row must name the columns"))
        plan.file_problem = True
        return plan
    except csv.Error as exc:
        plan.problems.append(RowProblem(1, "-", f"not a readable CSV file ({exc})"))
        plan.file_problem = True
        return plan
    names, problems, warnings = _header(header, columns)
    plan.problems += problems
    plan.warnings += warnings
    if problems:
        plan.file_problem = True
        return plan
    seen: dict[str, int] = {}
    for number, cells in _numbered(reader, plan):
        if not any(c.strip() for c in cells):
            continue
        email = normalise_email(cells[names.index("email")]) if len(cells) > names.index("email") else ""
        if _EMAIL.match(email):
            plan.rows_by_email.setdefault(email, number)
        else:
            plan.unreadable_emails.append(number)
        if len(cells) != len(names):
            plan.problems.append(
                RowProblem(number, "-", f"has {len(cells)} cells, the header has {len(names)}")
            )
            plan.rejected += 1
            continue
        # A cell the export guarded against running as a formula ('=...) reads back as it was.
        row = {name: restored(cell) for name, cell in zip(names, cells, strict=True) if name}
        person, row_problems = _check_row(row, number, framework)
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
