"""Turn a free-text question into a structured query: which roles, rows, paths, bands and what is asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel

from framework_data.catalogue import Catalogue, role_ref
from framework_data.vocabulary import NEVER_CORRECT, NUMBER_WORDS, Entity, Vocabulary, normalise

_JOINERS = {"and", "or", "to", "versus", "through", "then", "till", "until", "into"}
_RANGE_JOINERS = {"to", "through", "then", "till", "until", "into"}
# Words before a role that make it the goal of a progression ("how do I become a lab manager").
_GOAL_MARKERS = {"to", "become", "becoming", "into", "reach", "reaching"}
_SEARCH_STOPWORDS = set("the and for you are can how who why what does about tell with any there".split())
_FILLER = {"a", "an", "the", "my", "as", "at", "level", "role"}


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


@dataclass
class _Hit:
    start: int
    end: int
    entities: list[Entity]


@dataclass
class _GradeMention:
    grade: str
    start: int
    end: int
    path: str = ""
    candidates: list[str] = field(default_factory=list)


@dataclass
class _Scan:
    tokens: list[str]
    grades: list[_GradeMention] = field(default_factory=list)
    bands: list[str] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    local_grades: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    # "from 5 to 6", "from grade 7 to grade 8": a range of grades is a progression question.
    ranged: bool = False


def _number(token: str) -> str | None:
    token = NUMBER_WORDS.get(token, token)
    return token if token.isdigit() or (token[:-1].isdigit() and token[-1:] in "ab" and token[:-1]) else None


def _numbers_after(scan: _Scan, i: int) -> tuple[list[tuple[str, int]], int]:
    """Numbers in a run like "5 and 6", "5 to grade 6", "5, 6 or 7" starting at token i."""
    found: list[tuple[str, int]] = []
    tokens = scan.tokens
    while i < len(tokens):
        value = _number(tokens[i])
        if value is not None:
            found.append((value, i))
            i += 1
        elif found and tokens[i] in _JOINERS and i + 1 < len(tokens):
            nxt = i + 1
            if tokens[nxt] in ("grade", "grades") and nxt + 1 < len(tokens):
                nxt += 1
            if _number(tokens[nxt]) is None:
                break
            scan.ranged = scan.ranged or tokens[i] in _RANGE_JOINERS
            i = nxt
        else:
            break
    return found, i


def _scan_numbers(scan: _Scan) -> None:
    tokens = scan.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("grade", "grades") and i + 1 < len(tokens):
            found, end = _numbers_after(scan, i + 1)
            for value, at in found:
                if value[-1].isdigit():
                    scan.grades.append(_GradeMention(value, at, at + 1))
                else:
                    scan.local_grades.append(value)  # Imperial's "grade 3a"
            if found:
                scan.used.update(range(i, end))
                i = end
                continue
        elif token in ("band", "bands"):
            ranged = scan.ranged
            found, end = _numbers_after(scan, i + 1)
            scan.ranged = ranged  # "bands 3 to 4" is a span of bands, not a progression
            scan.bands.extend(v for v, _ in found)
            if found:
                scan.used.update(range(i, end))
                i = end
                continue
        elif token == "hay":
            j = i + 1 + (i + 1 < len(tokens) and tokens[i + 1] in ("level", "levels"))
            found, end = _numbers_after(scan, j)
            scan.levels.extend(int(v) for v, _ in found if v.isdigit())
            scan.used.update(range(i, max(end, i + 1)))
            i = max(end, i + 1)
            continue
        elif (
            token in ("from", "between") and _number(tokens[i + 1] if i + 1 < len(tokens) else "") is not None
        ):
            # "from 5 to 6": bare numbers are grades when a range is spelled out.
            found, end = _numbers_after(scan, i + 1)
            if len(found) > 1:
                scan.grades.extend(_GradeMention(v, at, at + 1) for v, at in found)
                scan.used.update(range(i + 1, end))
                i = end
                continue
        elif len(token) == 2 and token[0].isdigit() and token[1] in "ab":
            scan.local_grades.append(token)  # Imperial's "2b", "3a"
            scan.used.add(i)
        i += 1


def _phrase_hits(tokens: list[str], used: set[int], vocab: Vocabulary) -> list[_Hit]:
    """Greedy longest-first phrase matching over the tokens not already read as numbers."""
    hits: list[_Hit] = []
    i = 0
    while i < len(tokens):
        if i in used:
            i += 1
            continue
        for size in range(min(vocab.max_phrase, len(tokens) - i), 0, -1):
            if any(j in used for j in range(i, i + size)):
                continue
            entities = vocab.phrases.get(tuple(tokens[i : i + size]))
            if entities:
                hits.append(_Hit(i, i + size, entities))
                i += size
                break
        else:
            i += 1
    return hits


def _qualifier_path(hit: _Hit, catalogue: Catalogue, framework: str) -> str:
    for entity in hit.entities:
        if entity.kind == "path" and entity.framework == framework:
            return entity.key
    for entity in hit.entities:
        if entity.kind == "role" and entity.framework == framework:
            return catalogue.role(entity.key)[1].path
    return ""


def _bind_qualifiers(scan: _Scan, hits: list[_Hit], catalogue: Catalogue, framework: str) -> list[_Hit]:
    """Attach "specialist"/"manager"/"lab manager" next to a grade to that grade; return the unbound hits."""
    bound: set[int] = set()
    for mention in scan.grades:
        for index, hit in enumerate(hits):
            if index in bound:
                continue
            gap_after = [t for t in scan.tokens[mention.end : hit.start] if t not in _FILLER]
            gap_before = [t for t in scan.tokens[hit.end : mention.start] if t not in _FILLER]
            after = hit.start >= mention.end and not gap_after
            before = hit.end <= mention.start and not gap_before
            path = _qualifier_path(hit, catalogue, framework) if (after or before) else ""
            if path:
                mention.path = path
                bound.add(index)
                break
    return [hit for index, hit in enumerate(hits) if index not in bound]


def _resolve_grades(scan: _Scan, catalogue: Catalogue, framework: str, query: Query) -> None:
    loaded = catalogue.framework(framework)
    qualified_paths = {m.path for m in scan.grades if m.path}
    for mention in scan.grades:
        roles = [r for r in loaded.framework.roles if r.grade == mention.grade]
        if not roles:
            query.unknown.append(f"{loaded.framework.grade_label} {mention.grade}")
            continue
        narrowed = [r for r in roles if r.path == mention.path] if mention.path else roles
        if len(narrowed) > 1 and len(qualified_paths) == 1:
            # "from grade 7 specialist to grade 8": the path said once carries over.
            inherited = [r for r in roles if r.path in qualified_paths]
            narrowed = inherited or narrowed
        narrowed = narrowed or roles
        mention.candidates = [role_ref(loaded, r) for r in narrowed]
        if len(narrowed) == 1:
            query.roles.append(mention.candidates[0])
        else:
            query.ambiguous.append(Ambiguity(mention=f"grade {mention.grade}", options=mention.candidates))


def _choose_framework(hits: list[_Hit], scan: _Scan, catalogue: Catalogue) -> str:
    named = [e.key for h in hits for e in h.entities if e.kind == "framework"]
    if named:
        return named[0]
    if scan.local_grades or scan.levels:
        for loaded in catalogue.others:
            if loaded.framework.levels or loaded.framework.example_jobs:
                return loaded.id
    # A phrase only another framework knows ("first stage technician") selects that framework.
    role_frameworks = [{e.framework for e in h.entities if e.kind in ("role", "row")} for h in hits]
    for frameworks in role_frameworks:
        if frameworks and catalogue.primary.id not in frameworks:
            return sorted(frameworks)[0]
    return catalogue.primary.id


def _decide_intent(query: Query, intents: set[str], words: set[str]) -> Intent:
    has_roles = bool(query.roles or query.ambiguous)
    if "help" in intents and not (has_roles or query.rows):
        return Intent.HELP
    if "thanks" in intents and not (has_roles or query.rows):
        return Intent.THANKS
    if "pdp" in intents:
        return Intent.PDP
    if "progression" in intents and (has_roles or "criteria" in words):
        return Intent.PROGRESSION
    if len(query.roles) + len(query.ambiguous) >= 2 or ("compare" in intents and has_roles):
        return Intent.COMPARE
    if "development" in intents and (query.rows or not has_roles):
        return Intent.DEVELOPMENT
    if query.bands or query.levels or query.local_grades or ("crosswalk" in intents and not query.rows):
        return Intent.CROSSWALK
    if (query.paths and not has_roles) or ("path" in intents and len(query.roles) <= 1 and not query.rows):
        return Intent.PATH
    if has_roles:
        return Intent.ROLE
    if query.rows:
        return Intent.DEVELOPMENT if "development" in intents else Intent.COMPETENCY
    if "grid" in intents:
        return Intent.GRID
    if "roles" in intents or "path" in intents:
        return Intent.ROLES if not query.paths else Intent.PATH
    if "progression" in intents:
        return Intent.PROGRESSION
    return Intent.UNKNOWN


def parse_question(text: str, catalogue: Catalogue, vocab: Vocabulary) -> Query:
    """Read a question into a Query. Never raises: what it cannot place it reports as unknown."""
    tokens = [vocab.correct(t) for t in normalise(text)]
    scan = _Scan(tokens)
    _scan_numbers(scan)
    hits = _phrase_hits(tokens, scan.used, vocab)
    framework = _choose_framework(hits, scan, catalogue)
    query = Query(intent=Intent.UNKNOWN, framework=framework)
    hits = _bind_qualifiers(scan, hits, catalogue, framework)
    _resolve_grades(scan, catalogue, framework, query)
    intents = {e.key for h in hits for e in h.entities if e.kind == "intent"}
    if scan.ranged:
        intents.add("progression")
    for hit in hits:
        mine = [e for e in hit.entities if e.framework == framework]
        kinds = {e.kind for e in mine}
        # "specialist" is both a role and a path: it is the path only when paths are what is asked.
        if "role" in kinds and not ("path" in kinds and "path" in intents):
            query.roles.extend(e.key for e in mine if e.kind == "role" and e.key not in query.roles)
        elif "path" in kinds:
            query.paths.extend(e.key for e in mine if e.kind == "path" and e.key not in query.paths)
        query.rows.extend(e.key for e in mine if e.kind == "row" and e.key not in query.rows)
    query.bands = scan.bands
    query.levels = scan.levels
    query.local_grades = scan.local_grades
    query.towards = _names_a_destination(scan, hits, query)
    query.terms = _leftover_terms(scan, hits)
    query.intent = _decide_intent(query, intents, set(tokens))
    return query


def _names_a_destination(scan: _Scan, hits: list[_Hit], query: Query) -> bool:
    """Whether the only role mentioned is a destination ("to grade 9", "become a lab manager")."""
    if len(query.roles) + len(query.ambiguous) != 1:
        return False
    starts = [
        m.start - (scan.tokens[m.start - 1] in ("grade", "grades")) for m in scan.grades if m.candidates
    ]
    starts += [h.start for h in hits if any(e.kind == "role" for e in h.entities)]
    for start in starts[:1]:
        before = [t for t in scan.tokens[:start] if t not in _FILLER]
        return bool(before) and before[-1] in _GOAL_MARKERS
    return False


def _leftover_terms(scan: _Scan, hits: list[_Hit]) -> list[str]:
    covered = set(scan.used) | {i for h in hits for i in range(h.start, h.end)}
    return [
        token
        for i, token in enumerate(scan.tokens)
        if i not in covered
        and token.isalpha()
        and len(token) >= 3
        and token not in NEVER_CORRECT
        and token not in _SEARCH_STOPWORDS
    ]
