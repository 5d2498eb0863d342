"""JSON from outside (request bodies, the values clicks bring back) read with bounds: nesting no deeper
than a real payload's, one value per key, no NaN or Infinity, and only text that UTF-8 can encode. Its
errors are ValueErrors."""

from __future__ import annotations

import json
import re
from typing import Any

# Slack and Bot Framework payloads nest a dozen levels at most (a view's blocks, a card's body); the JSON
# parser recurses once per level and raises RecursionError near a thousand, and so would code that walks
# what it returned.
MAX_DEPTH = 64
# A JSON string, escapes included; one left open runs to the end (so the scan never backtracks).
_STRING = re.compile(rb'"[^"\\]*(?:\\.?[^"\\]*)*(?:"|\Z)', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_ONE_KIND = bytes.maketrans(b"{}", b"[]")
_RUN = re.compile(rb"\[+|\]+")
_OPEN = ord("[")
_LEAF_PASSES = 6


class UnsafeJSON(ValueError):
    """JSON that parses, or might, but is refused; the message says why."""


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` before parsing it: brackets are counted outside strings.

    Linear in the size of the text, and mostly in C: strings are cut out, then all but the brackets, then
    the innermost pairs (the leaves) are removed a few times over; what remains has few runs to count."""
    raw = text.encode()
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return
    brackets = _STRING.sub(b"", raw).translate(_ONE_KIND, _NOT_BRACKET)
    removed = 0
    while removed < _LEAF_PASSES and b"[]" in brackets:
        # Each pass lowers the depth of well-formed JSON by exactly one.
        brackets = brackets.replace(b"[]", b"")
        removed += 1
    depth = removed
    for run in _RUN.finditer(brackets):
        size = run.end() - run.start()
        if brackets[run.start()] == _OPEN:
            depth += size
            if depth > limit:
                raise UnsafeJSON(f"the JSON is nested more than {limit} levels deep")
        else:
            depth -= size


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # With a key given twice, parsers disagree on which value counts; the platforms never send one.
    found = dict(pairs)
    if len(found) != len(pairs):
        raise UnsafeJSON("a key appears twice in one JSON object")
    return found


def _no_constant(name: str) -> None:
    raise UnsafeJSON(f"{name} is not a JSON number")


def loads(text: str) -> Any:
    """``json.loads`` within the bounds above; a number of more digits than Python converts is a
    ValueError too."""
    check_depth(text)
    value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    try:
        # An escape of half a surrogate pair ("\\ud800") makes a string no database or encoder accepts.
        json.dumps(value, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise UnsafeJSON("a JSON string holds half of a surrogate pair") from None
    return value
