"""When a question matches no role or competency, look for its words in the framework's own text."""

from __future__ import annotations

import re
from functools import lru_cache

from cards.model import Card, Section
from framework_data.loader import LoadedFramework
from handlers.qa.common import cite, grade_order

MAX_HITS = 8


@lru_cache(maxsize=4096)
def _word(term: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(term)}\w*", re.IGNORECASE)


def search_card(loaded: LoadedFramework, terms: list[str]) -> Card | None:
    """Where the framework mentions the terms (opportunities first, then role descriptors), or None."""
    patterns = [_word(t) for t in terms]
    fw = loaded.framework
    opportunities = [
        f"{item} ({g.name})"
        for g in fw.grid
        for item in g.opportunities
        if any(p.search(item) for p in patterns)
    ]
    descriptors = []
    for role in sorted(fw.roles, key=grade_order):
        for row in fw.rows:
            descriptor = loaded.descriptor(role.id, row.id)
            # Only a cell's own words: a shared cell would repeat the same hit under another role.
            if (
                descriptor.shared_with is None
                and descriptor.text
                and any(p.search(descriptor.text) for p in patterns)
            ):
                descriptors.append(f"{role.label}, {row.label}: {descriptor.text}")
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
    return Card(
        title=f"Where the framework mentions “{' '.join(terms)}”",
        subtitle=fw.name,
        sections=sections,
        sources=sources,
    )
