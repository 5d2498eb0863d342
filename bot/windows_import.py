"""Read a coordinator's file of promotion windows and programme deadlines, checking every field before
anything is saved: a problem names the window and the field, and says what to write instead."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml

from framework_data.loader import LoadedFramework
from framework_data.schema import grade_key

KINDS = {
    "promotion_round": "Promotion or regrading round",
    "increment_round": "Discretionary increment round",
    "career_grade_progression": "Career-grade progression",
    "programme_intake": "Development programme intake",
    "award_deadline": "Award deadline",
    "apprenticeship_intake": "Apprenticeship intake",
}
RECURRENCES = ("once", "yearly")
# Kinds whose criteria, when none are given, are the framework's own for the eligible grades.
QUOTES_FRAMEWORK = ("career_grade_progression", "promotion_round")
ANCHORS = {"opening": "opens", "opens": "opens", "closing": "closes", "closes": "closes"}
DEFAULT_LEADS = ((-14, "opens"), (0, "opens"), (-3, "closes"))
# What the columns and the cards hold (a Slack section holds 3,000 characters).
NAME_LIMIT, LINK_LIMIT, CONTACT_LIMIT, TEXT_LIMIT = 200, 500, 320, 3000
_LEAD = re.compile(r"^(?:(\d+)\s+days?\s+(before|after)\s+|on\s+)(opening|closing|opens|closes)$")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True)
class Lead:
    """A reminder's lead time: ``days`` calendar days from the window's opening or closing date."""

    days: int
    anchor: str  # "opens" | "closes"

    @property
    def code(self) -> str:
        return f"{self.days}:{self.anchor}"

    @classmethod
    def from_code(cls, code: str) -> Lead:
        days, anchor = code.split(":")
        return cls(int(days), anchor)

    def __str__(self) -> str:
        where = "opening" if self.anchor == "opens" else "closing"
        if self.days == 0:
            return f"on {where}"
        days = f"{abs(self.days)} day{'s' if abs(self.days) != 1 else ''}"
        return f"{days} {'before' if self.days < 0 else 'after'} {where}"


@dataclass(frozen=True)
class WindowSpec:
    """A window as the file gives it, checked."""

    key: str
    name: str
    kind: str
    opens: date
    closes: date
    recurrence: str = "once"
    grades: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    criteria_text: str = ""
    criteria_link: str = ""
    mentoring_contact: str = ""
    mentoring_how: str = ""
    leads: tuple[Lead, ...] = tuple(Lead(d, a) for d, a in DEFAULT_LEADS)


@dataclass(frozen=True)
class WindowProblem:
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}"


@dataclass
class WindowPlan:
    windows: list[WindowSpec] = field(default_factory=list)
    problems: list[WindowProblem] = field(default_factory=list)


def _text(raw: dict[str, Any], name: str) -> str:
    value = raw.get(name, "")
    return "" if value is None else str(value).strip()


def _as_date(value: Any) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (str, int, float)):
        value = [value]
    return [str(v).strip() for v in value if str(v).strip()] if isinstance(value, list) else ["?"]


def parse_lead(value: Any) -> Lead | None:
    if isinstance(value, dict) and set(value) == {"days", "anchor"} and isinstance(value["days"], int):
        anchor = ANCHORS.get(str(value["anchor"]).lower())
        return Lead(value["days"], anchor) if anchor else None
    if not isinstance(value, str):
        return None
    found = _LEAD.match(" ".join(value.lower().split()))
    if found is None:
        return None
    days = int(found.group(1) or 0) * (-1 if found.group(2) == "before" else 1)
    return Lead(days, ANCHORS[found.group(3)])


class _Checker:
    def __init__(self, framework: LoadedFramework, departments: Collection[str]) -> None:
        self.framework = framework
        fw = framework.framework
        self.grades = sorted({r.grade for r in fw.roles}, key=grade_key)
        self.paths = {p.id: p.id for p in fw.paths} | {p.name.lower(): p.id for p in fw.paths}
        self.departments = {d.lower(): d for d in departments if d}
        self.problems: list[WindowProblem] = []

    def problem(self, where: str, name: str, message: str) -> None:
        self.problems.append(WindowProblem(where, name, message))

    def _at_most(self, where: str, name: str, text: str, limit: int) -> None:
        if len(text) > limit:
            self.problem(where, name, f"{len(text)} characters; at most {limit}")

    def window(self, raw: Any, number: int, keys: set[str]) -> WindowSpec | None:
        where = f"window {number}"
        if not isinstance(raw, dict):
            self.problem(where, "-", "each window is a mapping of fields (key:, name:, kind:, opens:, ...)")
            return None
        key = _text(raw, "key")
        if key:
            where = f"window {number} ({key})"
        before = len(self.problems)
        known = {"key", "name", "kind", "opens", "closes", "recurrence", "eligible", "criteria"}
        known |= {"mentoring", "leads"}
        for extra in sorted(set(raw) - known):
            self.problem(where, str(extra), f"not a window field; fields are {', '.join(sorted(known))}")
        if not _KEY.match(key):
            self.problem(where, "key", "give a short key of lower-case letters, digits and dashes")
        elif key in keys:
            self.problem(where, "key", f"{key!r} is used by another window in this file")
        keys.add(key)
        name = _text(raw, "name")
        if not name:
            self.problem(where, "name", "a name is required")
        self._at_most(where, "name", name, NAME_LIMIT)
        kind = _text(raw, "kind")
        if kind not in KINDS:
            self.problem(where, "kind", f"{kind or 'nothing'!r}: choose one of {', '.join(KINDS)}")
        opens, closes = _as_date(raw.get("opens")), _as_date(raw.get("closes"))
        for label, value in (("opens", opens), ("closes", closes)):
            if value is None and raw.get(label) in (None, ""):
                self.problem(where, label, "a date is required; write it as 2027-03-01")
            elif value is None:
                self.problem(where, label, f"{raw.get(label)!r} is not a date; write it as 2027-03-01")
        if opens and closes and closes < opens:
            self.problem(where, "closes", f"{closes} is before opens {opens}")
        recurrence = _text(raw, "recurrence") or "once"
        if recurrence not in RECURRENCES:
            self.problem(where, "recurrence", f"{recurrence!r}: choose once or yearly")
        grades, paths, departments = self._eligible(raw.get("eligible") or {}, where)
        criteria_text, link = self._criteria(raw.get("criteria") or {}, where, kind, grades)
        mentoring = raw.get("mentoring") or {}
        if not isinstance(mentoring, dict):
            self.problem(where, "mentoring", "give contact: and how: under mentoring")
            mentoring = {}
        self._at_most(where, "mentoring.contact", _text(mentoring, "contact"), CONTACT_LIMIT)
        self._at_most(where, "mentoring.how", _text(mentoring, "how"), TEXT_LIMIT)
        leads = self._leads(raw.get("leads"), where, opens, closes)
        if len(self.problems) > before or opens is None or closes is None:
            return None
        return WindowSpec(
            key=key,
            name=name,
            kind=kind,
            opens=opens,
            closes=closes,
            recurrence=recurrence,
            grades=grades,
            paths=paths,
            departments=departments,
            criteria_text=criteria_text,
            criteria_link=link,
            mentoring_contact=_text(mentoring, "contact"),
            mentoring_how=_text(mentoring, "how"),
            leads=leads,
        )

    def _eligible(self, raw: Any, where: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        if not isinstance(raw, dict):
            self.problem(where, "eligible", "give grades:, paths: and departments: lists (each optional)")
            return (), (), ()
        grades = [re.sub(r"^(?:grade|g)\s*", "", g, flags=re.IGNORECASE) for g in _list(raw.get("grades"))]
        for grade in grades:
            if grade not in self.grades:
                self.problem(
                    where, "eligible.grades", f"unknown grade {grade!r}; grades are {', '.join(self.grades)}"
                )
        paths = []
        for path in _list(raw.get("paths")):
            if path.lower() not in self.paths:
                names = ", ".join(sorted(set(self.paths.values())))
                self.problem(where, "eligible.paths", f"unknown path {path!r}; paths are {names}")
            else:
                paths.append(self.paths[path.lower()])
        departments = []
        for department in _list(raw.get("departments")):
            if self.departments and department.lower() not in self.departments:
                listed = ", ".join(sorted(self.departments.values()))
                self.problem(
                    where,
                    "eligible.departments",
                    f"{department!r} is not a department in the directory ({listed})",
                )
            departments.append(self.departments.get(department.lower(), department))
        for extra in sorted(set(raw) - {"grades", "paths", "departments"}):
            self.problem(where, f"eligible.{extra}", "not a field; use grades, paths or departments")
        return tuple(grades), tuple(paths), tuple(departments)

    def _criteria(self, raw: Any, where: str, kind: str, grades: tuple[str, ...]) -> tuple[str, str]:
        if isinstance(raw, str):
            raw = {"text": raw}
        if not isinstance(raw, dict):
            self.problem(where, "criteria", "give text: and link: under criteria")
            return "", ""
        text, link = _text(raw, "text"), _text(raw, "link")
        if link and not link.startswith(("https://", "http://")):
            self.problem(where, "criteria.link", f"{link!r} is not a web address (https://...)")
        self._at_most(where, "criteria.link", link, LINK_LIMIT)
        self._at_most(where, "criteria.text", text, TEXT_LIMIT)
        if not text and kind in QUOTES_FRAMEWORK:
            text = framework_criteria(self.framework, grades)
        return text, link

    def _leads(self, raw: Any, where: str, opens: date | None, closes: date | None) -> tuple[Lead, ...]:
        if raw is None:
            return tuple(Lead(d, a) for d, a in DEFAULT_LEADS)
        if not isinstance(raw, list) or not raw:
            self.problem(
                where, "leads", "a list such as [14 days before opening, on opening, 3 days before closing]"
            )
            return ()
        leads: list[Lead] = []
        for number, value in enumerate(raw, start=1):
            lead = parse_lead(value)
            if lead is None:
                self.problem(
                    where,
                    f"leads[{number}]",
                    f"{value!r}: write '14 days before opening', 'on opening' or '3 days before closing'",
                )
                continue
            if opens and closes:
                anchor = opens if lead.anchor == "opens" else closes
                if date.fromordinal(anchor.toordinal() + lead.days) > closes:
                    self.problem(
                        where, f"leads[{number}]", f"{lead} falls after the window closes on {closes}"
                    )
            if lead in leads:
                self.problem(where, f"leads[{number}]", f"{lead} is listed twice")
            leads.append(lead)
        return tuple(leads)


def framework_criteria(framework: LoadedFramework, grades: Collection[str]) -> str:
    """The framework's own published criteria for moving on from an eligible grade, where it has any."""
    roles = framework.roles
    found = [p for p in framework.framework.progressions if roles[p.from_role].grade in grades]
    parts = []
    for step in found:
        heading = f"{roles[step.from_role].label} to {roles[step.to_role].label} ({step.source}):"
        parts.append("\n".join([heading, *(f"- {c}" for c in step.criteria)]))
    return "\n\n".join(parts)


def check_window(
    raw: dict[str, Any], framework: LoadedFramework, departments: Collection[str] = ()
) -> tuple[WindowSpec | None, list[WindowProblem]]:
    """One window in the file's shape (from a chat form, say), checked exactly as a file's windows are:
    the window, or None and every problem, each naming its field."""
    checker = _Checker(framework, departments)
    spec = checker.window(raw, 1, set())
    return (None if checker.problems else spec), checker.problems


def read_windows(text: str, framework: LoadedFramework, departments: Collection[str] = ()) -> WindowPlan:
    """Check a YAML file (``windows:`` and a list) against the framework and the directory's departments."""
    plan = WindowPlan()
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"line {mark.line + 1}" if mark is not None else "file"
        plan.problems.append(WindowProblem(line, "-", "not valid YAML"))
        return plan
    if isinstance(raw, dict) and "windows" in raw:
        raw = raw["windows"]
    if not isinstance(raw, list) or not raw:
        plan.problems.append(WindowProblem("file", "windows", "give a list of windows under windows:"))
        return plan
    checker = _Checker(framework, departments)
    keys: set[str] = set()
    for number, entry in enumerate(raw, start=1):
        spec = checker.window(entry, number, keys)
        if spec is not None:
            plan.windows.append(spec)
    plan.problems = checker.problems
    if plan.problems:
        plan.windows = []  # mistakes save nothing
    return plan
