"""Which development opportunity of the framework (Figure 5) a question names: by the distinctive words of
its name ("work shadowing", "the PDR"), never by the words every opportunity shares ("courses")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from framework_data.vocabulary import normalise

if TYPE_CHECKING:
    from framework_data.loader import LoadedFramework

# Words of an opportunity's name that do not tell it from the others ("OD Management E-Learning Resources",
# "HEATED courses"): a question names an opportunity by the rest ("deputising", "work shadowing").
_GENERIC_WORDS = frozenset(
    "od course courses training resources programme programmes e learning management development "
    "from etc and the of on job skills work to".split()
)


def _stem(word: str) -> str:
    """A word without a plural or "-ing" ending: "shadowing" is "shadow", "heater" is not "HEATED"."""
    for ending in ("ings", "ing", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _distinct_words(loaded: LoadedFramework) -> dict[str, set[str]]:
    names = list(dict.fromkeys(name for grid_row in loaded.framework.grid for name in grid_row.opportunities))
    return {name: {_stem(w) for w in normalise(name) if w not in _GENERIC_WORDS} for name in names}


def also_named(loaded: LoadedFramework, named: str, words: list[str]) -> list[str]:
    """The opportunity named, then any other the same words name in full ("which competency has NEBOSH and
    IOSH listed": IOSH courses and NEBOSH), none of them one whose words are part of another's."""
    asked = {_stem(w) for word in words for w in normalise(word)}
    distinct = _distinct_words(loaded)
    every = [n for n, needed in distinct.items() if needed and needed <= asked]
    widest = [n for n in every if not any(distinct[n] < distinct[o] for o in every)]
    return [named, *(n for n in widest if n != named and not distinct[n] <= distinct.get(named, set()))]


def opportunity_named(loaded: LoadedFramework, words: list[str]) -> str | None:
    """The opportunity of Figure 5 a question names by its distinctive words ("which competencies is work
    shadowing listed under": Work shadowing), the one with most such words; None when none is named."""
    asked = {_stem(w) for word in words for w in normalise(word)}
    distinct = _distinct_words(loaded)
    names = list(distinct)
    best, best_count = None, 0
    for name, needed in distinct.items():
        if needed and needed <= asked and len(needed) > best_count:
            best, best_count = name, len(needed)
    if best is None:
        # "is the PDR listed as a development option": an initialism of one opportunity's name alone
        # ("Probation / PDR expectations"), unless it only asks for development ("CPD").
        initials = {name: _initialisms(name) for name in names}
        having = [name for name in names if initials[name] & asked]
        if len(having) == 1:
            best = having[0]
    return best


def _initialisms(name: str) -> set[str]:
    """The capitalised initialisms of an opportunity's name ("PDR", "IOSH"), not those that only ask for
    development or training ("CPD", "OD")."""
    return {w.lower() for w in re.findall(r"\b[A-Z]{3,}\b", name)} - {"cpd"}
