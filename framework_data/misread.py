"""Intent words that a question uses in another sense: "does a senior technician get to contribute to
planning" is not about getting to a grade; "is it on the g7 specialist to plan resources" is not asking for
development resources."""

from __future__ import annotations

# What "get to" reaches when it is about progressing: a grade, a band, a role, somewhere ("get to grade 7",
# "get to the next level", "get to be a manager", "how do I get there").
_PLACES = frozenset(
    "grade grades band bands level levels the a an next senior be become top there higher my that this it "
    "g where".split()
)
# Development words that, in a question about a named role, are the role's own duties when a verb of running
# things comes before them ("plan resources"), not in "are there resources for grade 6 safety".
_DUTY_WORDS = frozenset({"resources", "resource"})
_RUNNING = frozenset({"plan", "planning", "manage", "managing", "ensure", "allocate", "allocating", "order"})
_NEEDING = frozenset({"need", "needs", "needed", "require", "requires", "required"})
# How a yes/no asks what a role must do, of which its CPD is part, not whether training is offered.
_EXPECTED = frozenset({"expected", "required", "supposed", "meant", "must", "have", "has", "need", "needs"})


def misread_intents(
    tokens: list[str],
    intent_spans: list[tuple[int, int, str]],
    role_starts: set[int],
    yes_no: bool,
    names_roles: bool,
) -> set[str]:
    """The intents whose every phrase here means something else. ``intent_spans``: (start, end, intent) of
    each intent phrase; ``role_starts``: where a role, path or grade is named."""
    misread: set[str] = set()
    progression = [(s, e) for s, e, key in intent_spans if key == "progression"]
    if progression and all(
        _gets_to_do(tokens, s, e, role_starts) or _next_in_time(tokens, s, e) or _signed_off_above(tokens, s)
        for s, e in progression
    ):
        misread.add("progression")
    development = [(s, e) for s, e, key in intent_spans if key == "development"]
    if (
        names_roles
        and development
        and all(e - s == 1 and tokens[s] in _DUTY_WORDS and _runs_things(tokens, s) for s, e in development)
    ):
        misread.add("development")
    if (
        yes_no
        and names_roles
        and development
        and all(tokens[s:e] == ["cpd"] for s, e in development)
        and _EXPECTED & set(tokens)
    ):
        misread.add("development")  # "is a g5 expected to keep building skills as part of their CPD?"
    paths = [(s, e) for s, e, key in intent_spans if key == "path"]
    if paths and all(tokens[s:e] == ["track"] and tokens[e : e + 1] in (["down"], ["of"]) for s, e in paths):
        misread.add("path")  # "track down extra information", "keep track of": not a career track
    return misread


def _gets_to_do(tokens: list[str], start: int, end: int, role_starts: set[int]) -> bool:
    """ "get to contribute": "get to" followed by a verb, not by somewhere to get to."""
    if tokens[start:end] != ["get", "to"] or end >= len(tokens):
        return False
    following = tokens[end]
    return following.isalpha() and following not in _PLACES and end not in role_starts


# "does it need signing off above me": someone senior signs, no grade above is asked about.
_SIGNING = frozenset({"sign", "signing", "signed", "approved", "approval", "checked", "checking"})


def _signed_off_above(tokens: list[str], start: int) -> bool:
    return tokens[start : start + 1] == ["above"] and bool(_SIGNING & set(tokens[max(0, start - 3) : start]))


# "next year's staffing plan", "next week": a time to come, not the next grade.
_TIMES = frozenset("year years week weeks month months term terms semester academic financial round".split())


def _next_in_time(tokens: list[str], start: int, end: int) -> bool:
    return tokens[start:end] == ["next"] and bool(_TIMES & set(tokens[end : end + 1]))


def _runs_things(tokens: list[str], at: int) -> bool:
    """ "plan resources", "resource planning": resources as something the role runs."""
    after = tokens[at + 1 : at + 2]
    if _NEEDING & set(tokens[at + 1 : at + 4]):
        return True  # "a say in what resources my area needs"
    return bool(_RUNNING & set(tokens[max(0, at - 2) : at])) or after in (
        ["planning"],
        ["plan"],
        ["plans"],
        ["requirements"],
    )
