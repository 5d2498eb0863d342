"""What a feature declares it takes from the messages people type: phrases, conversation state, private only.

The router asks each feature's claim in the order the features registered, and the first that takes a
message handles it, so who answers what can be listed without running any handler (``Router.claimant``).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.core import Context, Reply

# A phrase test for what no regular expression says well (another module's own test of its phrases).
PhraseTest = Callable[[str], bool]


def spoken(text: str) -> str:
    """A message as the claims read it: lower case, single spaces, no closing punctuation."""
    return " ".join(text.split()).lower().strip().rstrip(".!?")


def words(*phrases: str) -> re.Pattern[str]:
    """A pattern taking exactly one of ``phrases`` (already in lower case), the whole message."""
    alternatives = "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in phrases)
    return re.compile(rf"^(?:please\s+)?(?:{alternatives})(?:\s+please)?$")


@dataclass(frozen=True)
class Claim:
    """One feature's declaration of the messages it takes.

    A claim takes a message when the conversation's ``state`` holds its key (if it names one) and the
    message is one of its ``phrases`` or passes its ``test`` (if it has any); ``anything`` takes every
    message (the question answerer, last). ``private_only`` claims answer elsewhere with where to go
    instead; a claim on state alone never takes a message outside a one-to-one chat.
    """

    feature: str
    name: str
    phrases: tuple[re.Pattern[str], ...] = ()
    test: PhraseTest | None = None
    state: str = ""
    anything: bool = False
    private_only: bool = False
    # The state is a question waiting for its answer: it is dropped after the next message, whoever
    # takes it, unless that message's handler asks again.
    one_reply: bool = False
    # Asked before the handler runs, for a claim on state that may be out of date (an assessment finished
    # on another platform); the feature clears its state and the message goes on to the next claim.
    still_holds: Callable[[Context], Awaitable[bool]] | None = None

    def __post_init__(self) -> None:
        if not (self.phrases or self.test or self.state or self.anything):
            raise ValueError(f"claim {self.name!r} takes nothing: give phrases, a test, a state or anything")

    @property
    def by_phrase(self) -> bool:
        return bool(self.phrases or self.test)

    def takes(self, text: str, state: dict[str, Any], private: bool) -> bool:
        """Whether this claim takes the message (before ``still_holds`` is asked)."""
        if self.anything:
            return True
        if self.state and state.get(self.state) is None:
            return False
        if not self.by_phrase:
            return private or not self.private_only
        said = spoken(text)
        return any(p.search(said) for p in self.phrases) or (self.test is not None and self.test(said))


def claimant(claims: Iterable[Claim], text: str, state: dict[str, Any], private: bool) -> Claim | None:
    """The first of ``claims`` that takes the message."""
    return next((claim for claim in claims if claim.takes(text, state, private)), None)


def as_typed(replies: list[Reply]) -> list[Reply]:
    """A button's replies for the same action typed: new messages, as there is no clicked card to replace."""
    return [reply.model_copy(update={"replace_original": False}) for reply in replies]
