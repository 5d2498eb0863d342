"""A question read into framework terms (the Query), and the phrase matches it is read from."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel

from framework_data.catalogue import Catalogue
from framework_data.vocabulary import Entity


class Intent(StrEnum):
    HELP = "help"
    ROLE = "role"
    COMPARE = "compare"
    PROGRESSION = "progression"
    DEVELOPMENT = "development"
    CROSSWALK = "crosswalk"
    PATH = "path"
    GRID = "grid"
    PDP = "pdp"
    THANKS = "thanks"
    ROLES = "roles"
    COMPETENCY = "competency"
    # What the documents say about themselves (the Technician Commitment, HETT, switching paths).
    PASSAGE = "passage"
    # Something the framework does not cover (pay, leave): said plainly, with who usually answers it.
    OUTSIDE = "outside"
    UNKNOWN = "unknown"


class Ambiguity(BaseModel):
    """A mention that fits several roles ("grade 7"), with the roles it could mean."""

    mention: str
    options: list[str]


class Query(BaseModel):
    """What a question asks, in framework terms. Role references are ``framework:role``."""

    intent: Intent
    framework: str
    roles: list[str] = []
    rows: list[str] = []
    paths: list[str] = []
    bands: list[str] = []
    levels: list[int] = []
    local_grades: list[str] = []
    unknown: list[str] = []
    ambiguous: list[Ambiguity] = []
    # The one role named is where the person wants to get to ("how do I become a lab manager").
    towards: bool = False
    # Words that matched nothing, kept for a search of the framework's text.
    terms: list[str] = []
    # The passage asked for (PASSAGE), the topics outside the framework (OUTSIDE), advertised jobs named
    # (indexes into the framework's example_jobs).
    passage: str = ""
    outside: list[str] = []
    jobs: list[int] = []
    # The yes or no of the passage asked for that the question's words ask ("passage-id:index").
    passage_answer: str = ""
    # Only the role's name is asked ("what is a grade 4 called", "what grade am i"), not what it needs.
    name_only: bool = False
    # A development opportunity of the framework named in full ("OD Management E-Learning Resources").
    opportunity: str = ""
    # The question is about the asker ("how do I get promoted"): their role comes from the directory.
    about_me: bool = False
    # A yes/no question about one cell ("can a grade 4 teach"), and the words that named its competency.
    yes_no: bool = False
    mentions: list[str] = []
    # Everything, not the summary (the "show the full detail" button).
    detail: bool = False
    # About the grade above ("what qualifications do I need for the next grade"): with about_me, the
    # asker's next role(s) rather than their own.
    upward: bool = False
    # Career paths named with a grade that has no role on them ("specialist vs manager at grade 9").
    absent_paths: list[str] = []
    # The one role named is the asker describing themselves ("being an apprentice", "as a lab manager"):
    # their directory role, where they have one, is the one meant.
    self_described: bool = False
    # A published criterion of the step asked for by its place in the list ("what's number 6 on that
    # list?"), from 1; the last is -1.
    criterion: int = 0

    def carried(self) -> str:
        """The query as a button or the conversation's state keeps it: without the words that only a
        search would use, so that a long question cannot make a button's value too long for the platform."""
        return self.model_dump_json(exclude_defaults=True, exclude={"terms"})


@dataclass
class Hit:
    start: int
    end: int
    entities: list[Entity]


def qualifier_path(hit: Hit, catalogue: Catalogue, framework: str) -> str:
    """The career path a phrase names: its own ("the manager path"), or its role's ("lab manager")."""
    for entity in hit.entities:
        if entity.kind == "path" and entity.framework == framework:
            return entity.key
    for entity in hit.entities:
        if entity.kind == "role" and entity.framework == framework:
            return catalogue.role(entity.key)[1].path
    return ""
