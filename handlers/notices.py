"""Cards that say something went wrong, shared by the router and every feature."""

from __future__ import annotations

from cards.model import Card, Section

FAILED = Card(
    title="Sorry, something went wrong",
    sections=[Section(text="I couldn't finish that. Nothing was changed; please try again in a moment.")],
)
STALE_ACTION = Card(
    title="That button has expired",
    sections=[Section(text="It belongs to an older version of this conversation. Type your question again.")],
)
