"""When a question matches no role or competency, look for its words in the framework's own text."""

from __future__ import annotations

import re
from functools import lru_cache

from cards.model import Card, Section
from framework_data.loader import LoadedFramework
from framework_data.schema import Role
from handlers.qa.common import cite, grade_order

MAX_HITS = 8


@lru_cache(maxsize=4096)
def _word(term: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(term)}\w*", re.IGNORECASE)


Place = tuple[str, str]  # the words searched, and the line shown for them


def _places(loaded: LoadedFramework) -> tuple[list[Place], list[Place]]:
    """Every opportunity (shown with its competency) and every cell's own words (with its role and row)."""
    fw = loaded.framework
    opportunities = [(item, f"{item} ({g.name})") for g in fw.grid for item in g.opportunities]
    descriptors = []
    for role in sorted(fw.roles, key=grade_order):
        for row in fw.rows:
            descriptor = loaded.descriptor(role.id, row.id)
            # Only a cell's own words: a shared cell would repeat the same hit under another role.
            if descriptor.shared_with is None and descriptor.text:
                descriptors.append((descriptor.text, f"{role.label}, {row.label}: {descriptor.text}"))
    return opportunities, descriptors


def _required(terms: list[str], places: list[Place]) -> list[str]:
    """The words a place must contain to count as an answer: every word asked, or failing that the
    distinctive ones (long words found in a few places only), so that one common word in a cell
    ("day" of "day-to-day" for "annual leave", "close" for "when does the library close") never makes
    that cell an answer."""
    patterns = {t: _word(t) for t in terms}
    if any(all(p.search(words) for p in patterns.values()) for words, _ in places):
        return terms
    if any(len(t) >= 6 and not any(p.search(w) for w, _ in places) for t, p in patterns.items()):
        # A distinctive word the framework never uses ("redundancy policy"): what it is about is not
        # here, and the cells with the other words ("policy") would not answer it.
        return []
    distinctive = []
    for term, pattern in patterns.items():
        found = sum(1 for words, _ in places if pattern.search(words))
        if len(term) >= 6 and 0 < found <= MAX_HITS:
            distinctive.append(term)
    return distinctive


def mentions_all(loaded: LoadedFramework, terms: list[str]) -> bool:
    """Whether one place of the framework mentions every one of the terms."""
    all_opportunities, all_descriptors = _places(loaded)
    return _required(terms, all_opportunities + all_descriptors) == terms


def search_card(loaded: LoadedFramework, terms: list[str]) -> Card | None:
    """Where the framework mentions the terms (opportunities first, then role descriptors), or None
    when no place has a meaningful match."""
    fw = loaded.framework
    all_opportunities, all_descriptors = _places(loaded)
    required = _required(terms, all_opportunities + all_descriptors)
    if not required:
        return None
    patterns = [_word(t) for t in required]
    opportunities = [shown for words, shown in all_opportunities if all(p.search(words) for p in patterns)]
    descriptors = [shown for words, shown in all_descriptors if all(p.search(words) for p in patterns)]
    if not opportunities and not descriptors:
        return None
    sections = []
    sources = []
    if opportunities:
        sections.append(Section(heading="Development opportunities", bullets=opportunities[:MAX_HITS]))
        sources.append(cite(loaded, fw.opportunities_source or "development opportunities"))
    if descriptors:
        more = len(descriptors) - MAX_HITS
        note = (
            f"{more} more mention(s): ask about a role or competency to narrow it down." if more > 0 else ""
        )
        sections.append(Section(heading="Role descriptors", bullets=descriptors[:MAX_HITS], note=note))
        sources.extend(sorted({cite(loaded, r.table) for r in fw.roles}))
    found = " ".join(required)
    asked = " ".join(terms)
    return Card(
        # The words as asked, and which of them were found when not all were.
        title=f"Where the framework mentions “{asked}”" + (f": only “{found}”" if asked != found else ""),
        subtitle=fw.name,
        sections=sections,
        sources=sources,
    )


def cells_mentioning(loaded: LoadedFramework, role: Role, terms: list[str]) -> list[str]:
    """The rows whose descriptor for ``role`` contains every one of ``terms`` (the distinctive ones, failing
    that), in the framework's order."""
    places = [
        (text, row.id)
        for row in loaded.framework.rows
        if (text := loaded.descriptor(role.id, row.id).text) is not None
    ]
    found = _having(places, _required(terms, places))
    if found or len(terms) != 1:
        return found
    # One word is found by its stem too: "creative" in "Apply creativity".
    stem = [t[: max(4, len(t) - 2)] if len(t) >= 6 else t for t in terms]
    return _having(places, _required(stem, places))


def _having(places: list[Place], required: list[str]) -> list[str]:
    patterns = [_word(t) for t in required]
    return [row_id for text, row_id in places if patterns and all(p.search(text) for p in patterns)]
