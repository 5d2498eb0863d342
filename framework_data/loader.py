"""Load a framework file: parse and validate it, check its cross-references, resolve "As grade N" cells."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from framework_data.schema import BandSet, Cell, Framework, Role, Row

# A plain cell that still reads like a reference was transcribed without saying what it refers to.
_LOOKS_LIKE_REFERENCE = re.compile(r"^\s*As (?:grade \d|previous grade)", re.IGNORECASE)
BUNDLED = ("lancaster", "imperial")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a framework file, located as precisely as the file allows."""

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


class FrameworkError(Exception):
    """A framework file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Descriptor:
    """What the framework says for one role and one row, with any reference already followed."""

    role: Role
    row: Row
    source_text: str
    text: str | None
    shared_with: Role | None = None
    gap: str = ""
    # A reference with words of its own after it ("As grade 7. Budgets increase in complexity").
    extended: bool = False

    @property
    def is_no(self) -> bool:
        """The source's "No": this competency is not expected in this role."""
        return (self.text or "").strip().rstrip(".").lower() == "no"


@dataclass(frozen=True)
class LoadedFramework:
    """A validated framework with every descriptor resolved, indexed for answering."""

    framework: Framework
    file: str
    roles: dict[str, Role]
    rows: dict[str, Row]
    descriptors: dict[tuple[str, str], Descriptor]

    @property
    def id(self) -> str:
        return self.framework.id

    def descriptor(self, role_id: str, row_id: str) -> Descriptor:
        return self.descriptors[(role_id, row_id)]


def _read_yaml(path: Path, file: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError([Problem(file, "", f"cannot read the file ({exc.strerror})")]) from exc
    # Imported here: a start that finds the frameworks in the cache (bot/app.py) never parses YAML.
    import yaml

    from framework_data.yaml_errors import explain

    # libyaml parses the bundled files ten times faster than the pure-Python parser; PyYAML built without
    # it falls back to the same safe loader in Python.
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        pass
    # Read again with the pure-Python parser: the same YAML, and the messages yaml_errors recognises.
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where, message = explain(text, exc)
        raise FrameworkError([Problem(file, where, message)]) from exc
    raise FrameworkError([Problem(file, "", "not valid YAML")])  # libyaml alone refused it


def _describe_location(raw: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into words, naming roles by id rather than list index."""
    parts: list[str] = []
    node = raw
    for key in loc:
        label = str(key)
        child = None
        if isinstance(node, list) and isinstance(key, int) and key < len(node):
            child = node[key]
            ident = child.get("id") if isinstance(child, dict) else None
            label = f"{parts.pop() if parts else ''}[{key}]" + (f" ({ident})" if ident else "")
        elif isinstance(node, dict):
            child = node.get(key)
        parts.append(label)
        node = child
    named = {"roles": "role", "rows": "row", "cells": "row"}
    words = [p for p in parts if p not in named]
    return " → ".join(words)


def _schema_problems(raw: Any, exc: ValidationError, file: str) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        problems.append(Problem(file, _describe_location(raw, loc), error["msg"]))
    return problems


def _check_references(fw: Framework, file: str, band_numbers: set[str] | None) -> list[Problem]:
    problems: list[Problem] = []
    # Lists, not sets, in the file's own order: messages read the same on every run.
    roles = {r.id: r for r in fw.roles}
    rows = [r.id for r in fw.rows]
    paths = [p.id for p in fw.paths]
    valid_roles = ", ".join(roles)
    for role in fw.roles:
        here = f"role {role.id}"
        if role.path not in paths:
            problems.append(Problem(file, here, f"unknown path {role.path!r}; paths are {', '.join(paths)}"))
        if band_numbers is not None:
            for band in role.bands:
                if band not in band_numbers:
                    problems.append(Problem(file, here, f"unknown HETT band {band!r}"))
        for row_id in (r for r in rows if r not in role.cells):
            problems.append(
                Problem(file, f"{here}, row {row_id}", "no cell: give the source text, or a 'gap'")
            )
        for row_id, cell in role.cells.items():
            where = f"{here}, row {row_id}"
            if row_id not in rows:
                problems.append(Problem(file, where, f"unknown row; rows are {', '.join(rows)}"))
                continue
            if cell.refers_to is None:
                if not cell.gap and _LOOKS_LIKE_REFERENCE.match(cell.text):
                    problems.append(
                        Problem(file, where, "reads like a reference; say which role with 'refers_to'")
                    )
            elif cell.refers_to == role.id:
                problems.append(
                    Problem(file, where, "refers to itself; describe the source defect with 'gap'")
                )
            elif cell.refers_to not in roles:
                problems.append(
                    Problem(
                        file, where, f"refers to unknown role {cell.refers_to!r}; roles are {valid_roles}"
                    )
                )
    for grid_row in fw.grid:
        for row_id in grid_row.rows:
            if row_id not in rows:
                problems.append(Problem(file, f"grid row {grid_row.id}", f"unknown row {row_id!r}"))
    passages = {p.id for p in fw.passages}
    if fw.between_paths_passage and fw.between_paths_passage not in passages:
        problems.append(
            Problem(file, "between_paths_passage", f"unknown passage {fw.between_paths_passage!r}")
        )
    for progression in fw.progressions:
        for role_id in (progression.from_role, progression.to_role):
            if role_id not in roles:
                problems.append(
                    Problem(file, "progressions", f"unknown role {role_id!r}; roles are {valid_roles}")
                )
    return problems


def _resolve(fw: Framework, file: str) -> tuple[dict[tuple[str, str], Descriptor], list[Problem]]:
    roles = {r.id: r for r in fw.roles}
    rows = {r.id: r for r in fw.rows}
    resolved: dict[tuple[str, str], Descriptor] = {}
    problems: list[Problem] = []
    reported: set[frozenset[str]] = set()

    def follow(role_id: str, row_id: str, chain: tuple[str, ...]) -> Descriptor | None:
        key = (role_id, row_id)
        if key in resolved:
            return resolved[key]
        role, row = roles[role_id], rows[row_id]
        cell: Cell = role.cells[row_id]
        if cell.gap:
            result = Descriptor(role, row, cell.text, None, gap=cell.gap)
        elif cell.refers_to is None:
            result = Descriptor(role, row, cell.text, cell.text.strip())
        elif cell.refers_to in chain:
            loop = (*chain[chain.index(cell.refers_to) :], role_id, cell.refers_to)
            if frozenset(loop) not in reported:  # report each loop once, not once per cell on it
                reported.add(frozenset(loop))
                where = f"role {role_id}, row {row_id}"
                problems.append(Problem(file, where, f"circular reference: {' → '.join(loop)}"))
            return None
        else:
            target = follow(cell.refers_to, row_id, (*chain, role_id))
            if target is None:
                return None
            if target.text is None:
                gap = f"The source refers to {target.role.label}, which gives no descriptor here."
                result = Descriptor(role, row, cell.text, None, gap=gap)
            else:
                text = joined(target.text, cell.adds) if cell.adds else target.text
                origin = target.shared_with or target.role
                extended = bool(cell.adds) or target.extended
                result = Descriptor(role, row, cell.text, text, shared_with=origin, extended=extended)
        resolved[key] = result
        return result

    for role in fw.roles:
        for row_id in role.cells:
            follow(role.id, row_id, ())
    return resolved, problems


def joined(referred: str, adds: str) -> str:
    """The text a reference points to, followed by what the cell adds, reading as one text: "As grade 7
    Manager but breadth of control…" continues the sentence; "As previous grade. Responsible for…" after
    a text with no full stop ("Assists under direction") starts a new one."""
    referred, adds = referred.strip(), adds.strip()
    if adds[:1].islower():
        return f"{referred.rstrip('.')}, {adds}"
    if referred[-1:] not in ".!?":
        referred += "."
    return f"{referred} {adds}"


def bundled_path(name: str) -> Path:
    """The path of a framework file shipped with techpath."""
    return Path(str(resources.files("framework_data").joinpath(f"{name}.yaml")))


def resolve_location(name_or_path: str, setting: str = "") -> Path:
    """A setting names a bundled framework ("lancaster") or a YAML file of the university's own; a name
    that is neither raises FrameworkError listing the bundled names (and ``setting``, the variable)."""
    if name_or_path in (*BUNDLED, "hett"):
        return bundled_path(name_or_path)
    path = Path(name_or_path)
    if path.is_file() or (name_or_path.strip() and not setting and path.suffix):
        return path  # a file, or (outside a setting) a path whose reading reports the problem
    import difflib

    label = f"{setting}={name_or_path}" if setting else repr(name_or_path)
    bundled = ", ".join(sorted(BUNDLED))
    looks_like_a_name = path.suffix.lower() not in (".yaml", ".yml") and len(path.parts) <= 1
    if not name_or_path.strip():
        message = f"is empty: give a bundled framework ({bundled}) or the path of a YAML file"
    elif not looks_like_a_name:
        message = f"there is no file {str(path.absolute())!r}"
    else:
        close = difflib.get_close_matches(name_or_path.strip().lower(), BUNDLED, n=1, cutoff=0.6)
        message = (
            f"no bundled framework is called {name_or_path!r}"
            + (f" (did you mean {close[0]}?)" if close else "")
            + f"; the bundled ones are {bundled}, or give the path of a YAML file"
        )
    raise FrameworkError([Problem(label, "", message)])


def load_bands(path: Path | None = None) -> BandSet:
    """Load the HETT bands file (the national bands that frameworks map their grades to)."""
    path = path or bundled_path("hett")
    raw = _read_yaml(path, path.name)
    try:
        return BandSet.model_validate(raw)
    except ValidationError as exc:
        raise FrameworkError(_schema_problems(raw, exc, path.name)) from exc


def load_framework(path: Path, bands: BandSet | None = None) -> LoadedFramework:
    """Load and fully check one framework file; raise FrameworkError listing every problem."""
    file = path.name
    raw = _read_yaml(path, file)
    if not isinstance(raw, dict):
        raise FrameworkError([Problem(file, "", "expected a mapping of framework fields at the top level")])
    try:
        fw = Framework.model_validate(raw)
    except ValidationError as exc:
        raise FrameworkError(_schema_problems(raw, exc, file)) from exc
    band_numbers = {b.number for b in bands.bands} if bands else None
    problems = _check_references(fw, file, band_numbers)
    if problems:
        raise FrameworkError(problems)
    descriptors, problems = _resolve(fw, file)
    if problems:
        raise FrameworkError(problems)
    return LoadedFramework(
        framework=fw,
        file=file,
        roles={r.id: r for r in fw.roles},
        rows={r.id: r for r in fw.rows},
        descriptors=descriptors,
    )
