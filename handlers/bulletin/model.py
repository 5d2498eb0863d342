"""An opportunity as a coordinator writes it (a file, a form): every field checked, every mistake named."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from bot.core import Context
from bot.storage.bulletin import OpportunityFields
from framework_data.query import parse_question
from framework_data.schema import grade_key

# The kinds of opportunity a bulletin carries (seeds 001, 003), with the words people use for them.
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "training": ("Training course", ("training", "course", "training course", "workshop")),
    "secondment": ("Secondment", ("secondment", "secondments")),
    "shadowing": ("Work shadowing", ("work shadowing", "shadowing", "job shadowing")),
    "mentoring": ("Mentoring", ("mentoring", "mentor", "mentorship")),
    "apprenticeship": ("Apprenticeship", ("apprenticeship", "apprenticeships")),
    "conference-fund": (
        "Conference or networking fund",
        ("conference", "conference fund", "networking fund", "conference or networking fund", "funding"),
    ),
    "award": ("Award or prize nomination", ("award", "prize", "nomination", "award or prize nomination")),
    "registration": (
        "Professional registration support",
        ("professional registration", "registration", "professional registration support", "rscitech"),
    ),
    "vacancy": ("Career-grade role or vacancy", ("vacancy", "job", "career-grade", "career grade", "role")),
    "event": ("Event", ("event", "events", "seminar", "talk")),
}
FIELDS = (
    "title",
    "kind",
    "description",
    "link",
    "closes_on",
    "contact",
    "grades",
    "paths",
    "departments",
    "competencies",
)
FIELD_ALIASES = {
    "closing date": "closes_on",
    "closes": "closes_on",
    "closing": "closes_on",
    "deadline": "closes_on",
    "url": "link",
    "type": "kind",
    "grade": "grades",
    "path": "paths",
    "department": "departments",
    "competency": "competencies",
    "develops": "competencies",
}
TITLE_LIMIT, DESCRIPTION_LIMIT, LINK_LIMIT = 200, 2000, 1000
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y")


@dataclass(frozen=True)
class Problem:
    """A mistake, where a person finds it: an opportunity (or a CSV row) and a field (or column)."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.where}, {self.field}: {self.message}" if self.field else f"{self.where}: {self.message}"
        )


def field_name(key: str) -> str:
    """A field or column heading as this module names it ("Closing date" -> "closes_on")."""
    spaced = " ".join(str(key).strip().lower().replace("_", " ").split())
    return FIELD_ALIASES.get(spaced, spaced.replace(" ", "_"))


def kind_of(text: str) -> str | None:
    said = " ".join(text.lower().replace("_", " ").split())
    for kind, (label, words) in KINDS.items():
        if said in (kind, label.lower(), *words):
            return kind
    return None


def kind_label(kind: str) -> str:
    return KINDS.get(kind, (kind.title(), ()))[0]


def _items(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in re.split(r"[;,|]", str(value)) if part.strip()]


def _closing(value: Any, today: date) -> tuple[str, str]:
    if value in (None, ""):
        return "", ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        found = value
    else:
        for pattern in _DATE_FORMATS:
            try:
                found = datetime.strptime(str(value).strip(), pattern).date()
                break
            except ValueError:
                continue
        else:
            return "", f"{str(value)[:40]!r} is not a date (write it as 2027-03-31)"
    if found < today:
        return "", f"{found.isoformat()} has passed; give a closing date from today on, or none"
    return found.isoformat(), ""


def check_link(value: str) -> str:
    """What is wrong with a link ("" when nothing is): https only, a host, no credentials, no spaces."""
    if len(value) > LINK_LIMIT:
        return f"has {len(value)} characters (at most {LINK_LIMIT})"
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in value):
        return f"{value[:60]!r} is not an https:// address"
    if parts.username or parts.password:
        return "must not carry a user name or password"
    return ""


def competencies_named(names: list[str], ctx: Context) -> tuple[list[str], list[str]]:
    """The active framework's competency ids for names typed loosely ("budget managment"), and the names
    that match none."""
    primary = ctx.catalogue.primary.framework
    competencies = {row.id: row for row in primary.rows if row.kind == "competency"}
    found: list[str] = []
    unknown: list[str] = []
    for name in names:
        query = parse_question(name, ctx.catalogue, ctx.vocabulary)
        rows = [r for r in query.rows if r in competencies] if query.framework == primary.id else []
        if not rows and name.strip().lower() in competencies:
            rows = [name.strip().lower()]
        if rows:
            found.extend(r for r in rows if r not in found)
        else:
            unknown.append(name)
    return found, unknown


def read_opportunity(
    raw: dict[str, Any], where: str, ctx: Context, today: date
) -> tuple[OpportunityFields | None, list[Problem]]:
    """One opportunity's fields, or every problem with them (by field)."""
    values = {field_name(k): v for k, v in raw.items()}
    audience = values.pop("audience", None)
    if isinstance(audience, dict):
        values.update({field_name(k): v for k, v in audience.items()})
    problems: list[Problem] = []

    def problem(field: str, message: str) -> None:
        problems.append(Problem(where, field, message))

    for extra in sorted(set(values) - set(FIELDS)):
        problem(extra, f"not a field of an opportunity (fields: {', '.join(FIELDS)})")
    text = {
        name: " ".join(str(values.get(name) or "").split()) for name in ("title", "kind", "link", "contact")
    }
    description = str(values.get("description") or "").strip()
    if not text["title"]:
        problem("title", "a title is required")
    elif len(text["title"]) > TITLE_LIMIT:
        problem("title", f"has {len(text['title'])} characters (at most {TITLE_LIMIT})")
    kind = kind_of(text["kind"]) if text["kind"] else None
    if kind is None:
        choices = ", ".join(KINDS)
        problem(
            "kind",
            f"{text['kind']!r} is not a kind of opportunity ({choices})"
            if text["kind"]
            else f"a kind is required ({choices})",
        )
    if len(description) > DESCRIPTION_LIMIT:
        problem("description", f"has {len(description)} characters (at most {DESCRIPTION_LIMIT})")
    if text["link"] and (wrong := check_link(text["link"])):
        problem("link", wrong)
    closes_on, wrong = _closing(values.get("closes_on"), today)
    if wrong:
        problem("closes_on", wrong)
    framework = ctx.catalogue.primary.framework
    known_grades = sorted({r.grade for r in framework.roles}, key=grade_key)
    grades = [re.sub(r"^(?:grade|g)\s*", "", g, flags=re.IGNORECASE) for g in _items(values.get("grades"))]
    if bad := [g for g in grades if g not in known_grades]:
        problem("grades", f"unknown grade(s) {', '.join(bad)}; grades are {', '.join(known_grades)}")
    paths: list[str] = []
    for said in _items(values.get("paths")):
        match = next(
            (p.id for p in framework.paths if said.lower() in (p.id, p.name.lower(), *p.synonyms)), None
        )
        if match is None:
            problem("paths", f"unknown path {said!r}; paths are {', '.join(p.name for p in framework.paths)}")
        elif match not in paths:
            paths.append(match)
    competencies, unknown = competencies_named(_items(values.get("competencies")), ctx)
    if unknown:
        names = ", ".join(r.label for r in framework.rows if r.kind == "competency")
        problem(
            "competencies",
            f"not a competency of {framework.name}: {', '.join(unknown)} (competencies: {names})",
        )
    if problems or kind is None:
        return None, problems
    return (
        OpportunityFields(
            title=text["title"],
            kind=kind,
            description=description,
            link=text["link"],
            closes_on=closes_on,
            contact=text["contact"],
            grades=tuple(dict.fromkeys(grades)),
            paths=tuple(paths),
            departments=tuple(dict.fromkeys(_items(values.get("departments")))),
            competencies=tuple(competencies),
        ),
        [],
    )
