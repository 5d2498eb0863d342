"""Cards that say something went wrong, shared by the router and every feature."""

from __future__ import annotations

from cards.model import Card, Section

FAILED = Card(
    title="Sorry, something went wrong",
    sections=[Section(text="I couldn't finish that. Nothing was changed; please try again in a moment.")],
)
PRIVATE_ONLY = Card(
    title="Let's do that in a direct message",
    sections=[
        Section(
            text="Self-assessments, plans and personal data are only shown in a one-to-one chat with me, "
            "where nobody else can read them. Message me directly (in Slack under Apps, in Teams in a chat "
            "with techpath) and ask there."
        )
    ],
)

STALE_ACTION = Card(
    title="That button has expired",
    sections=[Section(text="It belongs to an older version of this conversation. Type your question again.")],
)
