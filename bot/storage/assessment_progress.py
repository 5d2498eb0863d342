"""Where a self-assessment is, as stored: its phase and its answers so far (the feature's state machine,
handlers/assessment/flow.py, is the only thing that moves it on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Phase(StrEnum):
    SCORE = "score"  # waiting for the score of the current row
    EVIDENCE = "evidence"  # waiting for an optional line of evidence for the score just given
    PAUSED = "paused"
    COMPLETE = "complete"
    CANCELLED = "cancelled"


ACTIVE = (Phase.SCORE, Phase.EVIDENCE)
OPEN = (*ACTIVE, Phase.PAUSED)


@dataclass(frozen=True)
class Progress:
    """Where one assessment is: the grid rows to score in order, the answers so far, and the phase.

    ``version`` goes up with every change, so a card built for an older version can be recognised as
    stale and a double click cannot advance twice.
    """

    rows: tuple[str, ...]
    step: int = 0
    phase: Phase = Phase.SCORE
    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    # The phase to go back to when a paused assessment is resumed.
    paused_in: Phase = Phase.SCORE
    version: int = 0

    @property
    def row(self) -> str:
        return self.rows[min(self.step, len(self.rows) - 1)]

    @property
    def skipped(self) -> list[str]:
        return [row for row in self.rows[: self.step] if row not in self.scores]
