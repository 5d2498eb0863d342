"""How a follow-up reads: whether it leaves something out ("and the manager?", "grade 8?"), points back
("how do I get there"), steps a grade up or down ("the one above?"), or picks a part of what was shown
("the safety bit", "number 6 on that list"); and the follow-up as read, for the rules that complete it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from framework_data.asks import ME
from framework_data.catalogue import Catalogue
from framework_data.loader import LoadedFramework
from framework_data.query import Query
from framework_data.query_roles_named import quotes_a_reference
from framework_data.schema import Role
from framework_data.vocabulary import Vocabulary
from handlers.qa.picks import FILLER as _FILLER

_OPENERS = (
    ("and",),
    ("what", "about"),
    ("how", "about"),
    ("what", "of"),
    ("same", "for"),
    ("also",),
    ("then",),
    ("anything", "on"),
    ("anything", "about"),
    ("any", "more", "on"),
    ("at", "grade"),
    ("for", "grade"),
    # "just planning" after a comparison: that competency of the roles compared.
    ("just",),
    ("only",),
)
# Words pointing back at the previous subject; "there" only when it is somewhere to get to ("how do I get
# there"), not in "what training is there".
POINTING = {"that", "it", "this", "them", "those", "these", "one"}
_TO_THERE = {"get", "go", "reach", "move", "progress", "help"}
# Words asking for the grade above (or below) the one discussed ("next grade up?", "the one below?").
ABOVE = {"next", "higher", "above"}
_BELOW = {"below", "lower", "previous"}
# Words a follow-up may start with before its "and" or "what about" ("ok and budget?").
_INTERJECTIONS = {"ok", "okay", "right", "cool", "great", "so", "hmm", "alright", "thanks", "nice", "oh"}
# Someone in the role being discussed, spoken of ("do they have to teach?", "what quals do they need?").
THEY = {"they", "them", "their", "theyre", "he", "she", "his", "her"}

_AS_A = frozenset({"as", "for", "on", "in", "at"})
# "what would that be if i went the specialist route?": what the path would make of the subject discussed.
_WOULD_BE = frozenset({"would", "be", "that", "it", "this", "like", "look", "looks", "were"})
# "and if i went down the specialist route?", "what if i took the manager path?": a path chosen, no more.
_CHOOSING = frozenset(
    "if went go going gone down took take taking chose choose chosen picked pick followed".split()
)

# "number 6", "point 6": a place by its number; "the 3rd one", "the last point": by a word for it.
_PLACE_WORDS = frozenset({"number", "no", "point", "item", "criterion", "bullet"})
_LISTED = frozenset({"list", "one", "point", "item", "criterion", "bullet"})
_PLACES_SPELT = {
    **{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8},
    **{"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "6th": 6, "7th": 7, "8th": 8, "last": -1},
}


def points_back(tokens: list[str]) -> bool:
    return any(
        t in POINTING or (t == "there" and i > 0 and tokens[i - 1] in _TO_THERE) for i, t in enumerate(tokens)
    )


def _opens_as_follow_up(tokens: list[str]) -> bool:
    start = next((i for i, t in enumerate(tokens) if t not in _INTERJECTIONS), len(tokens))
    return any(tuple(tokens[start : start + len(o)]) == o for o in _OPENERS)


def is_elliptical(tokens: list[str], asked: bool) -> bool:
    """Opens with "and" or "what about", or is a few words and a question mark ("grade 8?")."""
    return _opens_as_follow_up(tokens) or (asked and len([t for t in tokens if t not in _FILLER]) <= 3)


def direction(tokens: list[str]) -> int:
    """ "next grade up?", "and the one above?" (1), "and the one below?" (-1): a grade next to the one
    discussed, not the asker's own (0 when neither, or when the asker speaks of themselves)."""
    if ME & set(tokens) or quotes_a_reference(tokens):
        return 0  # "it starts with 'as previous grade'": the cell's own words, not a grade asked for

    # "one grade down", "a step down": not "break that down" or "written down".
    def after_a_step(word: str) -> bool:
        return any(
            t == word and {"grade", "level", "step"} & set(tokens[max(0, i - 2) : i])
            for i, t in enumerate(tokens)
        )

    # "one grade up on the manager side", "a step up".
    up = after_a_step("up")
    down = after_a_step("down")
    return 1 if ABOVE & set(tokens) or up else -1 if _BELOW & set(tokens) or down else 0


def the_bit(tokens: list[str]) -> bool:
    """ "the close supervision bit", "that part": a part of what was just shown."""
    for marker in ("bit", "part"):
        if marker in tokens:
            before = tokens[max(0, tokens.index(marker) - 4) : tokens.index(marker)]
            if {"the", "that", "this"} & set(before):
                return True
    return False


def place_in_list(tokens: list[str]) -> int:
    """ "number 6 on that list", "the 3rd one", "the last point": a place in the list just shown (0: none)."""
    for i, token in enumerate(tokens):
        if token in _PLACE_WORDS and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            return int(tokens[i + 1])
    spelt = [_PLACES_SPELT[t] for t in tokens if t in _PLACES_SPELT]
    return spelt[0] if spelt and _LISTED & set(tokens) else 0


def _path_words_only(tokens: list[str], vocab: Vocabulary, framework: str) -> list[str]:
    """The paths a message names when it names nothing else ("and the manager?", "the specialist one")."""
    paths: list[str] = []
    for token in tokens:
        if token in _FILLER or token in _AS_A or token in _CHOOSING or token in _WOULD_BE:
            continue  # "and as a manager?", "for the specialist?"
        entities = vocab.phrases.get((token,), [])
        found = [e.key for e in entities if e.kind == "path" and e.framework == framework]
        if not found:
            return []
        paths.extend(p for p in found if p not in paths)
    return paths


@dataclass
class FollowUp:
    """A message read as a possible follow-up: its words, the query parsed from it alone, and the query
    the conversation was about."""

    tokens: list[str]
    asked: bool  # it ends with a question mark
    query: Query
    previous: Query
    catalogue: Catalogue
    vocab: Vocabulary

    @cached_property
    def words(self) -> set[str]:
        return set(self.tokens)

    @cached_property
    def elliptical(self) -> bool:
        return is_elliptical(self.tokens, self.asked)

    @cached_property
    def pointing(self) -> bool:
        return points_back(self.tokens)

    @cached_property
    def loaded(self) -> LoadedFramework:
        return self.catalogue.framework(self.previous.framework)

    @cached_property
    def names_roles(self) -> bool:
        return bool(self.query.roles or self.query.ambiguous)

    @cached_property
    def previous_roles(self) -> list[Role]:
        return [self.catalogue.role(r)[1] for r in self.previous.roles]

    @cached_property
    def paths(self) -> list[str]:
        """The career paths the message names, when it names nothing else."""
        return _path_words_only(self.tokens, self.vocab, self.previous.framework)

    @cached_property
    def chooses_a_path(self) -> bool:
        """ "if i went the specialist route", "what if i took the manager path"."""
        return bool(_CHOOSING & self.words) and bool(self.paths)

    @cached_property
    def step(self) -> int:
        return direction(self.tokens)

    @cached_property
    def that_role(self) -> bool:
        """It speaks of someone in the role discussed ("do they teach?") or points at it ("that job")."""
        return bool(THEY & self.words) or (self.pointing and bool({"role", "job"} & self.words))
