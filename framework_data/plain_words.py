"""The everyday words people type and the words the framework's documents use for them, kept as data in
``plain_words.yaml``: "money" also finds "revenue" and "Income generation"."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

_TABLE = Path(__file__).with_name("plain_words.yaml")
# A question's word is cut to its first letters before it is looked for ("money" to "mone"); an entry
# answers for such a beginning only when little of the word is cut away ("peop" is "people", "pe" is not).
_SHORTEST = 4
_MOST_CUT = 3


@functools.cache
def table() -> dict[str, tuple[str, ...]]:
    """Each everyday word and the documents' words for it (lowercase)."""
    raw = yaml.safe_load(_TABLE.read_text(encoding="utf-8")) or {}
    return {str(word).lower(): tuple(str(w).lower() for w in others) for word, others in raw.items()}


@functools.cache
def other_words(beginning: str) -> tuple[str, ...]:
    """The documents' words for the everyday word that ``beginning`` cuts ("mone": revenue, income,
    funding), in the table's order; empty when the table has none."""
    beginning = beginning.lower()
    if len(beginning) < _SHORTEST:
        return ()
    found: list[str] = []
    for word, others in table().items():
        if word.startswith(beginning) and len(word) - len(beginning) <= _MOST_CUT:
            found += [w for w in others if w not in found]
    return tuple(found)
