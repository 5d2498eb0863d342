"""How the words of a question are found in a cell's sentences: by their first letters, a sentence at a
time, so that "supervise" finds "Supervises" and "advice" finds "Advise"."""

from __future__ import annotations

import functools
import re

from framework_data.plain_words import other_words
from framework_data.yesno_words import EVERY_ROLE, SAME_AS

# Sentences end at a full stop, not at "e.g." or "i.e." ("May require safety qualifications (e.g. IOSH)").
SENTENCE = re.compile(r"(?<=[.;!?])(?<!e\.g\.)(?<!i\.e\.)\s+")


def mentioned_words(mentions: list[str]) -> list[str]:
    return [SAME_AS.get(w, w) for mention in mentions for w in mention.split() if w not in EVERY_ROLE]


def stems_of(mentions: list[str]) -> set[str]:
    return {w[:4] for w in mentioned_words(mentions) if len(w) >= 2}


def words_in(sentence: str, stems: set[str]) -> int:
    """How many of the words, by their first letters, the sentence has, itself or in the documents' own
    words for it ("mone" of "money" finds "increase revenue"). Two that find only the same word count once
    ("an outside company": "external")."""
    found = [m.start() for w in stems if (m := _finding(w).search(sentence))]
    return len(set(found))


@functools.cache
def _finding(stem: str) -> re.Pattern[str]:
    said = "|".join(re.escape(w) for w in (stem, *other_words(stem)))
    return re.compile(rf"\b(?:{said})", re.IGNORECASE)


def most_words_in(text: str | None, stems: set[str]) -> int:
    return max((words_in(s, stems) for s in SENTENCE.split(text or "")), default=0)


def cut_word(word: str) -> str:
    """A word without its last two letters, or its "-ing" ("driving" finds "Drive")."""
    return word[: max(4, len(word) - (3 if word.endswith("ing") else 2))]
