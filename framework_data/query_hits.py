"""The phrases a question's words match, and how the career-path words among them bind to the grades named
("grade 8 specialist or manager", "band 4 specialist vs manager", "or just as a manager")."""

from __future__ import annotations

from framework_data.catalogue import Catalogue
from framework_data.numbers import GradeMention, Scan
from framework_data.query_asks import paths_named
from framework_data.query_model import Hit, qualifier_path
from framework_data.schema import grade_key
from framework_data.vocabulary import Entity, Vocabulary

# Words between a grade and a path word that still bind them ("grade 7 as a specialist").
GRADE_FILLER = {"a", "an", "the", "my", "as", "at", "level", "role", "grade", "grades"}


def phrase_hits(tokens: list[str], used: set[int], vocab: Vocabulary) -> list[Hit]:
    """Greedy longest-first phrase matching over the tokens not already read as numbers."""
    hits: list[Hit] = []
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
                hits.append(Hit(i, i + size, entities + _paths_within(tokens[i : i + size], entities, vocab)))
                i += size
                break
        else:
            i += 1
    return hits


_ASKS = {"passage", "passage-alone", "outside"}


def _paths_within(words: list[str], entities: list[Entity], vocab: Vocabulary) -> list[Entity]:
    """The career paths named inside a phrase that asks for a passage ("or just as a manager"): the path
    is still named, for a grade to be read on it."""
    if len(words) < 2 or not all(e.kind in _ASKS for e in entities):
        return []
    return [
        e for word in words for e in vocab.phrases.get((word,), []) if e.kind == "path" and e not in entities
    ]


# Words before "manager" that make it a person, not the career path ("is that my manager's job").
_WHOSE = {"my", "your", "their", "our", "his", "her"}


# What a path word before it describes rather than names a path ("deep specialist expertise").
_DESCRIBED = frozenset(
    "knowledge expertise skill skills area areas subject subjects topic topics equipment techniques "
    "methods advice input know knowhow expert experts".split()
)


def people_not_paths(
    tokens: list[str], hits: list[Hit], grade_ends: frozenset[int] = frozenset()
) -> list[Hit]:
    """The phrase matches without a path word that names someone's manager ("my manager's job"), or that
    describes what follows it ("which g7 role is about deep specialist expertise"), unless it comes right
    after a grade ("g7 specialist knowledge")."""
    kept = []
    for hit in hits:
        only_a_path = all(e.kind == "path" for e in hit.entities) and hit.end - hit.start == 1
        whose = hit.start > 0 and tokens[hit.start - 1] in _WHOSE
        if only_a_path and whose and tokens[hit.start] in ("manager", "managers"):
            continue
        described = tokens[max(0, hit.start - 2) : hit.start] in (["as", "a"], ["im", "a"], ["am", "a"])
        if (whose or described) and tokens[hit.start : hit.end] in (
            ["line", "manager"],
            ["line", "managers"],
        ):
            # "my line manager says ...", "as a line manager, how should i ...": a person, not Management
            # and Development of Staff.
            continue
        describes = hit.end < len(tokens) and tokens[hit.end] in _DESCRIBED and hit.end - hit.start == 1
        a_path_word = any(e.kind == "path" for e in hit.entities)
        if a_path_word and describes and hit.start not in grade_ends:
            continue
        kept.append(hit)
    return kept


def bind_qualifiers(scan: Scan, hits: list[Hit], catalogue: Catalogue, framework: str) -> list[Hit]:
    """Attach "specialist"/"manager"/"lab manager" next to a grade to that grade; return the unbound hits."""
    bound: set[int] = set()
    for mention in scan.grades:
        for index, hit in enumerate(hits):
            if index in bound:
                continue
            gap_after = [t for t in scan.tokens[mention.end : hit.start] if t not in GRADE_FILLER]
            gap_before = [t for t in scan.tokens[hit.end : mention.start] if t not in GRADE_FILLER]
            after = hit.start >= mention.end and not gap_after
            before = hit.end <= mention.start and not gap_before
            path = qualifier_path(hit, catalogue, framework) if (after or before) else ""
            if path:
                mention.path = path
                bound.add(index)
                break
    return [hit for index, hit in enumerate(hits) if index not in bound]


def spread_over_paths(
    scan: Scan, hits: list[Hit], catalogue: Catalogue, framework: str
) -> tuple[list[Hit], list[str]]:
    """ "specialist and manager at grade 8", "grade 8 specialist or manager": one grade and several paths
    named mean that grade on each path. Returns the hits not used up, and the paths named that have no
    role at that grade ("specialist vs manager at grade 9": grade 9 is on the Manager path only)."""
    grades = {m.grade for m in scan.grades}
    if len(grades) != 1 or not scan.grades:
        return hits, []
    grade = next(iter(grades))
    at_grade = {r.path for r in catalogue.framework(framework).framework.roles if r.grade == grade}
    named: list[tuple[int, str]] = [(m.start, m.path) for m in scan.grades if m.path]
    used: list[Hit] = []
    for hit in hits:
        mine = [e for e in hit.entities if e.framework == framework]
        # A path word ("manager"), or a title of a role at this very grade; not "technical director".
        if not any(e.kind == "path" for e in mine) and not any(
            e.kind == "role" and catalogue.role(e.key)[1].grade == grade for e in mine
        ):
            continue
        path = qualifier_path(hit, catalogue, framework)
        if path:
            named.append((hit.start, path))
            used.append(hit)
    every = list(dict.fromkeys(path for _, path in sorted(named)))
    paths = [path for path in every if path in at_grade]
    absent = [path for path in every if path not in at_grade]
    if len(every) < 2 or (len(paths) < 2 and not absent):
        return hits, []
    first = scan.grades[0]
    # The grade's own role(s) when none of the paths named is there ("specialist vs manager at grade 5").
    scan.grades = [GradeMention(grade, first.start, first.end, path) for path in paths or [""]]
    return [hit for hit in hits if hit not in used], absent


def band_as_grade(scan: Scan, hits: list[Hit], catalogue: Catalogue, framework: str) -> None:
    """ "band 4 specialist vs manager", "band 5 specialist compared to band 5 manager", "band 3 planning and
    organisation": a band named with a path or a competency and no grade stands for this framework's
    grade(s) at that band, so that the roles there are answered (and their paths compared)."""
    if scan.grades or not scan.bands or len(set(scan.bands)) != 1:
        return
    names_rows = any(e.kind == "row" and e.framework == framework for h in hits for e in h.entities)
    if not (paths_named(hits, catalogue, framework) or names_rows):
        return
    band = scan.bands[0]
    roles = catalogue.framework(framework).framework.roles
    grades = sorted({r.grade for r in roles if band in r.bands}, key=grade_key)
    if not grades or (len(grades) > 1 and not names_rows):
        return
    tokens = scan.tokens
    places = [i + 1 for i, t in enumerate(tokens[:-1]) if t in ("band", "bands") and tokens[i + 1] == band]
    for at in places:
        scan.grades.extend(GradeMention(grade, at, at + 1) for grade in grades)
    if scan.grades:
        scan.bands.clear()
