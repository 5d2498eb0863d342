"""The self-assessment as an explicit state machine over the framework's grid (diagram: flow.md).

Pure: no I/O and no platform. ``advance(progress, command)`` is the only way a session changes; it
returns the new progress or raises ``NotNow`` with what the person can do instead. Typed words and
clicked buttons both become a ``Command`` first (``read_command``), so they behave the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

# The stored record of an assessment, re-exported: the feature's code speaks of them as the flow's own.
from bot.storage.assessment_progress import ACTIVE as ACTIVE
from bot.storage.assessment_progress import OPEN as OPEN
from bot.storage.assessment_progress import Phase as Phase
from bot.storage.assessment_progress import Progress as Progress

MIN_SCORE = 1.0
MAX_SCORE = 10.0
EVIDENCE_LIMIT = 500


class Verb(StrEnum):
    SCORE = "score"
    EVIDENCE = "evidence"
    NO_EVIDENCE = "no-evidence"
    SKIP = "skip"
    BACK = "back"
    PAUSE = "pause"
    RESUME = "resume"
    CANCEL = "cancel"
    RESTART = "restart"


@dataclass(frozen=True)
class Command:
    verb: Verb
    score: float | None = None
    text: str = ""


class NotNow(Exception):
    """The command makes no sense in this phase; the message says what does."""


def advance(progress: Progress, command: Command) -> Progress:
    """The state after ``command``; raises NotNow, leaving ``progress`` as it was, when not allowed."""
    phase, verb = progress.phase, command.verb
    if phase in (Phase.COMPLETE, Phase.CANCELLED):
        # Final: a finished assessment may be shared, and its history must not change under the manager.
        raise NotNow("This assessment is finished. Say “start self-assessment” to begin a new one.")
    if command.score is not None and not valid_score(command.score):
        raise NotNow(f"That is not a score on the scale. {SCORE_HELP}")
    if verb is Verb.CANCEL:
        return _next(progress, phase=Phase.CANCELLED)
    if verb is Verb.RESTART:
        return _restart(progress)
    if phase is Phase.PAUSED:
        if verb is Verb.RESUME:
            return _next(progress, phase=progress.paused_in)
        raise NotNow("This assessment is paused. Say “resume” to carry on, or “cancel” to discard it.")
    if verb is Verb.PAUSE:
        return _next(progress, phase=Phase.PAUSED, paused_in=phase)
    if verb is Verb.RESUME:
        return progress  # already going: resuming is harmless
    if verb is Verb.BACK:
        return _back(progress)
    if verb is Verb.SKIP:
        scores = {k: v for k, v in progress.scores.items() if k != progress.row or phase is Phase.EVIDENCE}
        return _forward(progress, scores=scores, evidence=progress.evidence)
    if phase is Phase.SCORE:
        if verb is Verb.SCORE and command.score is not None:
            scores = {**progress.scores, progress.row: command.score}
            if command.text:  # "7 - I run the inductions": score and evidence in one go
                return _forward(
                    progress, scores=scores, evidence={**progress.evidence, progress.row: command.text}
                )
            return _next(progress, phase=Phase.EVIDENCE, scores=scores)
        raise NotNow(SCORE_HELP)
    # Phase.EVIDENCE
    if verb is Verb.EVIDENCE and command.text:
        return _forward(
            progress, scores=progress.scores, evidence={**progress.evidence, progress.row: command.text}
        )
    if verb is Verb.NO_EVIDENCE:
        evidence = {k: v for k, v in progress.evidence.items() if k != progress.row}
        return _forward(progress, scores=progress.scores, evidence=evidence)
    raise NotNow(EVIDENCE_HELP)


def valid_score(score: float) -> bool:
    """1 to 10 in whole or half points (a clicked value is checked as strictly as a typed one)."""
    return MIN_SCORE <= score <= MAX_SCORE and score * 2 == int(score * 2)


def _next(progress: Progress, **changes: object) -> Progress:
    return replace(progress, version=progress.version + 1, **changes)  # type: ignore[arg-type]


def _forward(progress: Progress, scores: dict[str, float], evidence: dict[str, str]) -> Progress:
    step = progress.step + 1
    phase = Phase.COMPLETE if step >= len(progress.rows) else Phase.SCORE
    return _next(progress, step=min(step, len(progress.rows)), phase=phase, scores=scores, evidence=evidence)


def _back(progress: Progress) -> Progress:
    if progress.phase is Phase.EVIDENCE:
        return _next(progress, phase=Phase.SCORE)  # score the same row again
    if progress.step == 0:
        raise NotNow("This is the first competency: there is nothing before it.")
    return _next(progress, step=progress.step - 1, phase=Phase.SCORE)


def _restart(progress: Progress) -> Progress:
    return Progress(rows=progress.rows, version=progress.version + 1)


SCORE_HELP = (
    "Score yourself from 1 (not at all competent or confident) to 10 (extremely), in whole or half "
    "points such as 7 or 5.5. You can add evidence after it: “7 - I run the lab inductions”. "
    "Or say back, skip, pause, cancel or restart."
)
EVIDENCE_HELP = (
    "Write one line on what you do now that shows this, or say “skip” to move on without evidence. "
    "To change the score, say “back”."
)

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_WORDS = {
    Verb.BACK: {"back", "go back", "previous", "undo"},
    Verb.SKIP: {"skip", "next", "pass", "skip this", "skip it"},
    Verb.PAUSE: {"pause", "later", "stop for now", "save for later", "pause assessment"},
    Verb.RESUME: {"resume", "continue", "carry on", "resume assessment", "continue assessment"},
    Verb.CANCEL: {"cancel", "abandon", "discard", "cancel assessment", "stop assessment"},
    Verb.RESTART: {"restart", "start again", "start over", "restart assessment"},
}
# The step words that also make sense said outside the assessment they are for ("restart" with none open).
OUTSIDE_WORDS = {
    Verb.BACK: {"back", "go back"},
    Verb.SKIP: {"skip", "skip this", "skip it"},
    Verb.PAUSE: {"pause", "pause assessment", "stop for now", "save for later"},
    Verb.RESUME: _WORDS[Verb.RESUME] | {"resume my assessment", "continue my assessment"},
    Verb.CANCEL: _WORDS[Verb.CANCEL] | {"cancel my assessment"},
    Verb.RESTART: _WORDS[Verb.RESTART] | {"restart my assessment"},
}
_NO_EVIDENCE = {"no", "none", "nothing", "no evidence", "n/a", "-"}
# A score, optionally "/10" or "out of 10", optionally followed by evidence after a space or a separator.
# "seven-ish" and "7.3" do not match: the whole first word must be the score.
_SCORE = re.compile(
    r"^(?P<number>\d{1,2}(?:\.\d+)?|[a-z]+)\s*(?:/\s*10|out of 10)?"
    r"(?:(?:\s*[-\u2013\u2014:;,]\s+|\s+|\s*[-\u2013\u2014:;,]$)(?P<evidence>.*))?$",
    re.IGNORECASE | re.DOTALL,
)


def outside_verb(text: str) -> Verb | None:
    """The step a message names when it is said outside the assessment it is for, if any."""
    lowered = " ".join(text.split()).lower().rstrip(".!?")
    return next((verb for verb, words in OUTSIDE_WORDS.items() if lowered in words), None)


class Unreadable(Exception):
    """Typed input that is neither a command nor an answer; the message says what is accepted."""


def read_command(text: str, phase: Phase) -> Command:
    """What a typed line means in ``phase``; raises Unreadable with what is accepted instead."""
    cleaned = " ".join(text.strip().split())
    lowered = cleaned.lower().rstrip(".!")
    for verb, words in _WORDS.items():
        if lowered in words:
            # "skip" while asked for evidence means "no evidence": the score stays.
            if verb is Verb.SKIP and phase is Phase.EVIDENCE:
                return Command(Verb.NO_EVIDENCE)
            return Command(verb)
    if phase is Phase.EVIDENCE:
        if lowered in _NO_EVIDENCE:
            return Command(Verb.NO_EVIDENCE)
        bare = _SCORE.match(cleaned)
        if bare and not (bare.group("evidence") or "").strip() and _as_number(bare.group("number")):
            # A lone number here is most likely the next score typed too early, not evidence.
            raise Unreadable(
                "You have scored this one already; now a line of evidence, or “skip”. "
                "To change the score, say “back”."
            )
        return Command(Verb.EVIDENCE, text=_evidence(cleaned))
    if phase is Phase.SCORE:
        return Command(Verb.SCORE, *read_score(cleaned))
    raise Unreadable("Say “resume” to carry on, or “cancel” to discard the assessment.")


def read_score(text: str) -> tuple[float, str]:
    """A score (and any evidence after it) from typed text; raises Unreadable with what is accepted."""
    match = _SCORE.match(text.strip())
    number = _as_number(match.group("number")) if match else None
    if match is None or number is None:
        raise Unreadable(f"I couldn't read a score in “{_quote(text)}”. {SCORE_HELP}")
    if not MIN_SCORE <= number <= MAX_SCORE:
        raise Unreadable(f"{match.group('number')} is outside the scale. {SCORE_HELP}")
    if number * 2 != int(number * 2):
        raise Unreadable(f"{match.group('number')} is between the marks. {SCORE_HELP}")
    return number, _evidence(match.group("evidence") or "")


def _as_number(word: str) -> float | None:
    if word.lower() in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word.lower()])
    try:
        return float(word)
    except ValueError:
        return None


def _evidence(text: str) -> str:
    text = text.strip()
    if len(text) > EVIDENCE_LIMIT:
        raise Unreadable(
            f"Evidence is limited to {EVIDENCE_LIMIT} characters and yours has {len(text)}: "
            "please send a shorter line (nothing has been recorded yet)."
        )
    return text


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def score_label(score: float) -> str:
    return f"{score:g}"
