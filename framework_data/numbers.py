"""Read the numbers of a question: grades ("grade 7", "from 5 to 6"), bands, Hay levels, Imperial's 3a."""

from __future__ import annotations

from dataclasses import dataclass, field

from framework_data.vocabulary import NUMBER_WORDS

_JOINERS = {"and", "or", "to", "versus", "through", "then", "till", "until", "into"}
_RANGE_JOINERS = {"to", "through", "then", "till", "until", "into"}


@dataclass
class GradeMention:
    grade: str
    start: int
    end: int
    path: str = ""
    candidates: list[str] = field(default_factory=list)


@dataclass
class Scan:
    tokens: list[str]
    grades: list[GradeMention] = field(default_factory=list)
    bands: list[str] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    local_grades: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    # "from 5 to 6", "from grade 7 to grade 8": a range of grades is a progression question.
    ranged: bool = False


def _number(token: str) -> str | None:
    token = NUMBER_WORDS.get(token, token)
    if token[:-1].isdigit() and token.endswith("s"):
        token = token[:-1]  # "grade 9s"
    return token if token.isdigit() or (token[:-1].isdigit() and token[-1:] in "ab" and token[:-1]) else None


def _numbers_after(scan: Scan, i: int) -> tuple[list[tuple[str, int]], int]:
    """Numbers in a run like "5 and 6", "5 to grade 6", "5, 6 or 7" starting at token i."""
    found: list[tuple[str, int]] = []
    tokens = scan.tokens
    while i < len(tokens):
        value = _number(tokens[i])
        # "g7 - one post to ...": a number spelled out right after one is not another grade.
        if value is not None and found and tokens[i] in NUMBER_WORDS:
            break
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


# Words of a career path, which make a bare number after "at" a grade.
_PATH_WORDS = frozenset(
    {"specialist", "specialists", "manager", "managers", "route", "path", "side", "track"}
)


_SOMEONES = frozenset({"my", "your", "their", "line", "our"})


def _path_then_bare_grade(tokens: list[str], at: int) -> bool:
    """Whether the number after "at" follows a career path word closely ("specialist or manager at 7"),
    not someone's manager ("see my manager at 10")."""
    number = tokens[at + 1]
    if not (number.isdigit() and len(number) <= 2 and 3 <= int(number) <= 10):
        return False
    return any(
        tokens[j] in _PATH_WORDS and (j == 0 or tokens[j - 1] not in _SOMEONES)
        for j in range(max(0, at - 3), at)
    )


_REACHING = frozenset({"get", "go", "move", "promoted", "up", "progress", "step"})
# "when i go for 6", "applying for 7": a grade gone for.
_GOING_FOR = frozenset({"go", "going", "goes", "went", "apply", "applying", "applied", "push", "pushing"})


def _reaching_a_bare_grade(tokens: list[str], at: int) -> bool:
    """Whether the number after "to" is where one gets to ("get to 6", "move up to 7"), or the number
    after "for" what one goes for ("when i go for 6")."""
    number = tokens[at + 1]
    reaching = _REACHING if tokens[at] == "to" else _GOING_FOR
    return (
        number.isdigit()
        and len(number) == 1
        and 3 <= int(number) <= 9
        and at > 0
        and tokens[at - 1] in reaching
        and not _COUNTED & set(tokens[at + 2 : at + 3])
    )


# What a number counts when it is not a grade ("go for 6 weeks", "apply for 3 days of training").
_COUNTED = frozenset(
    "years year months month weeks week days day hours hour minutes people staff times percent".split()
)


def scan_numbers(scan: Scan) -> None:
    tokens = scan.tokens
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("grade", "grades") and i + 1 < len(tokens):
            found, end = _numbers_after(scan, i + 1)
            for value, at in found:
                if value[-1].isdigit():
                    scan.grades.append(GradeMention(value, at, at + 1))
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
        elif token == "hay" or (token in ("level", "levels") and scan.levels):
            # "hay level 3 vs level 4": once Hay levels are asked about, a later "level 4" is one too.
            j = i + 1 + (token == "hay" and i + 1 < len(tokens) and tokens[i + 1] in ("level", "levels"))
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
                scan.grades.extend(GradeMention(v, at, at + 1) for v, at in found)
                scan.used.update(range(i + 1, end))
                i = end
                continue
        elif (_number(token) or "").isdigit() and i + 2 < len(tokens) and tokens[i + 1] in _RANGE_JOINERS:
            # "the 5 to 6 career grade", "5 to 6 grades": a range of bare numbers that "grade" follows.
            ranged = scan.ranged
            found, end = _numbers_after(scan, i)
            digits = all(v.isdigit() for v, _ in found)
            if len(found) > 1 and digits and {"grade", "grades"} & set(tokens[end : end + 3]):
                scan.grades.extend(GradeMention(v, at, at + 1) for v, at in found)
                scan.used.update(range(i, end))
                i = end
                continue
            scan.ranged = ranged
        elif token in ("to", "for") and i + 1 < len(tokens) and _reaching_a_bare_grade(tokens, i):
            # "what do i need to show at PDR to get to 6": a bare number one gets to is a grade.
            scan.grades.append(GradeMention(tokens[i + 1], i + 1, i + 2))
            scan.used.add(i + 1)
            i += 2
            continue
        elif token == "at" and i + 1 < len(tokens) and _path_then_bare_grade(tokens, i):
            # "the specialist route at 7", "specialist or manager at 7": a bare number after a career path.
            scan.grades.append(GradeMention(tokens[i + 1], i + 1, i + 2))
            scan.used.add(i + 1)
            i += 2
            continue
        elif len(token) == 2 and token[0].isdigit() and token[1] in "ab":
            scan.local_grades.append(token)  # Imperial's "2b", "3a"
            scan.used.add(i)
        i += 1
