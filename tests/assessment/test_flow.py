"""The assessment state machine: every phase against every command, and the reading of typed input."""

from __future__ import annotations

import pytest

from handlers.assessment.flow import (
    Command,
    NotNow,
    Phase,
    Progress,
    Unreadable,
    Verb,
    advance,
    read_command,
)

ROWS = ("a", "b", "c")


def at(phase: Phase, step: int = 1, **fields: object) -> Progress:
    """Row "b" of three, with "a" scored 6 and evidenced; in the evidence phase "b" is scored 7."""
    scores = {"a": 6.0, **({"b": 7.0} if phase is Phase.EVIDENCE else {})}
    base: dict[str, object] = {
        "rows": ROWS,
        "step": step,
        "phase": phase,
        "scores": scores,
        "evidence": {"a": "ran the inductions"},
        "version": 5,
    }
    return Progress(**{**base, **fields})  # type: ignore[arg-type]


COMMANDS = {
    Verb.SCORE: Command(Verb.SCORE, score=8.0),
    Verb.EVIDENCE: Command(Verb.EVIDENCE, text="trained two students"),
    Verb.NO_EVIDENCE: Command(Verb.NO_EVIDENCE),
    Verb.SKIP: Command(Verb.SKIP),
    Verb.BACK: Command(Verb.BACK),
    Verb.PAUSE: Command(Verb.PAUSE),
    Verb.RESUME: Command(Verb.RESUME),
    Verb.CANCEL: Command(Verb.CANCEL),
    Verb.RESTART: Command(Verb.RESTART),
}

# (phase, verb) -> (phase, step, scores, evidence, paused_in) after, or None where the command is refused.
# Written out by hand from flow.md, not computed by the code under test.
A = {"a": 6.0}
AB7 = {"a": 6.0, "b": 7.0}
AB8 = {"a": 6.0, "b": 8.0}
E = {"a": "ran the inductions"}
EXPECTED: dict[tuple[Phase, Verb], tuple[Phase, int, dict[str, float], dict[str, str], Phase] | None] = {
    (Phase.SCORE, Verb.SCORE): (Phase.EVIDENCE, 1, AB8, E, Phase.SCORE),
    (Phase.SCORE, Verb.EVIDENCE): None,
    (Phase.SCORE, Verb.NO_EVIDENCE): None,
    (Phase.SCORE, Verb.SKIP): (Phase.SCORE, 2, A, E, Phase.SCORE),
    (Phase.SCORE, Verb.BACK): (Phase.SCORE, 0, A, E, Phase.SCORE),
    (Phase.SCORE, Verb.PAUSE): (Phase.PAUSED, 1, A, E, Phase.SCORE),
    (Phase.SCORE, Verb.RESUME): (Phase.SCORE, 1, A, E, Phase.SCORE),
    (Phase.SCORE, Verb.CANCEL): (Phase.CANCELLED, 1, A, E, Phase.SCORE),
    (Phase.SCORE, Verb.RESTART): (Phase.SCORE, 0, {}, {}, Phase.SCORE),
    (Phase.EVIDENCE, Verb.SCORE): None,
    (Phase.EVIDENCE, Verb.EVIDENCE): (Phase.SCORE, 2, AB7, {**E, "b": "trained two students"}, Phase.SCORE),
    (Phase.EVIDENCE, Verb.NO_EVIDENCE): (Phase.SCORE, 2, AB7, E, Phase.SCORE),
    (Phase.EVIDENCE, Verb.SKIP): (Phase.SCORE, 2, AB7, E, Phase.SCORE),
    (Phase.EVIDENCE, Verb.BACK): (Phase.SCORE, 1, AB7, E, Phase.SCORE),
    (Phase.EVIDENCE, Verb.PAUSE): (Phase.PAUSED, 1, AB7, E, Phase.EVIDENCE),
    (Phase.EVIDENCE, Verb.RESUME): (Phase.EVIDENCE, 1, AB7, E, Phase.SCORE),
    (Phase.EVIDENCE, Verb.CANCEL): (Phase.CANCELLED, 1, AB7, E, Phase.SCORE),
    (Phase.EVIDENCE, Verb.RESTART): (Phase.SCORE, 0, {}, {}, Phase.SCORE),
    (Phase.PAUSED, Verb.SCORE): None,
    (Phase.PAUSED, Verb.EVIDENCE): None,
    (Phase.PAUSED, Verb.NO_EVIDENCE): None,
    (Phase.PAUSED, Verb.SKIP): None,
    (Phase.PAUSED, Verb.BACK): None,
    (Phase.PAUSED, Verb.PAUSE): None,
    (Phase.PAUSED, Verb.RESUME): (Phase.SCORE, 1, A, E, Phase.SCORE),
    (Phase.PAUSED, Verb.CANCEL): (Phase.CANCELLED, 1, A, E, Phase.SCORE),
    (Phase.PAUSED, Verb.RESTART): (Phase.SCORE, 0, {}, {}, Phase.SCORE),
    # Finished and cancelled assessments are final: nothing changes them (a new one is started instead).
    **{(Phase.COMPLETE, verb): None for verb in Verb},
    **{(Phase.CANCELLED, verb): None for verb in Verb},
}


@pytest.mark.parametrize(("phase", "verb"), list(EXPECTED), ids=lambda v: str(v))
def test_every_phase_against_every_command(phase: Phase, verb: Verb) -> None:
    before = at(phase)
    expected = EXPECTED[(phase, verb)]
    if expected is None:
        with pytest.raises(NotNow) as refused:
            advance(before, COMMANDS[verb])
        assert str(refused.value)  # says what to do instead
        return
    after = advance(before, COMMANDS[verb])
    assert (after.phase, after.step, after.scores, after.evidence, after.paused_in) == expected
    unchanged = verb is Verb.RESUME and phase in (Phase.SCORE, Phase.EVIDENCE)
    assert after.version == (5 if unchanged else 6)
    assert after.rows == ROWS


def test_every_pair_is_specified() -> None:
    assert set(EXPECTED) == {(phase, verb) for phase in Phase for verb in Verb}


def test_paused_in_evidence_resumes_in_evidence() -> None:
    paused = advance(at(Phase.EVIDENCE), Command(Verb.PAUSE))
    resumed = advance(paused, Command(Verb.RESUME))
    assert (resumed.phase, resumed.step, resumed.scores) == (Phase.EVIDENCE, 1, AB7)


def test_the_last_row_completes_whichever_way_it_is_answered() -> None:
    last_score = at(Phase.SCORE, step=2)
    assert advance(last_score, Command(Verb.SKIP)).phase is Phase.COMPLETE
    assert advance(last_score, Command(Verb.SCORE, score=4.0, text="led a project")).phase is Phase.COMPLETE
    last_evidence = at(Phase.EVIDENCE, step=2, scores={"a": 6.0, "c": 3.0})
    done = advance(last_evidence, Command(Verb.NO_EVIDENCE))
    assert (done.phase, done.step, done.scores) == (Phase.COMPLETE, 3, {"a": 6.0, "c": 3.0})


@pytest.mark.parametrize("score", [0.0, 11.0, 7.3, 1e6, float("nan"), float("inf")])
def test_a_score_off_the_scale_is_refused_even_when_clicked(score: float) -> None:
    with pytest.raises(NotNow, match="not a score on the scale"):
        advance(at(Phase.SCORE), Command(Verb.SCORE, score=score))


def test_back_on_the_first_row_is_refused() -> None:
    with pytest.raises(NotNow, match="first competency"):
        advance(at(Phase.SCORE, step=0, scores={}), Command(Verb.BACK))


def test_skipping_a_row_scored_before_going_back_removes_its_score() -> None:
    went_back = at(Phase.SCORE, step=0)  # "a" was scored 6, then the person went back to it
    after = advance(went_back, Command(Verb.SKIP))
    assert after.scores == {} and after.step == 1
    assert after.skipped == ["a"]


@pytest.mark.parametrize(
    ("typed", "score", "evidence"),
    [
        ("7", 7.0, ""),
        ("5.5", 5.5, ""),
        ("seven", 7.0, ""),
        ("Ten", 10.0, ""),
        ("7/10", 7.0, ""),
        ("8 out of 10", 8.0, ""),
        ("7 - I run the inductions", 7.0, "I run the inductions"),
        ("6: budget spreadsheets", 6.0, "budget spreadsheets"),
        ("9 lead the safety walk-rounds", 9.0, "lead the safety walk-rounds"),
    ],
)
def test_typed_scores_are_read(typed: str, score: float, evidence: str) -> None:
    assert read_command(typed, Phase.SCORE) == Command(Verb.SCORE, score=score, text=evidence)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("0", "outside the scale"),
        ("11", "outside the scale"),
        ("7.3", "between the marks"),
        ("seven-ish", "couldn't read a score"),
        ("I think quite good", "couldn't read a score"),
        ("-3", "couldn't read a score"),
    ],
)
def test_invalid_scores_say_what_is_accepted(typed: str, says: str) -> None:
    with pytest.raises(Unreadable) as problem:
        read_command(typed, Phase.SCORE)
    assert says in str(problem.value)
    assert "1 (not at all competent or confident) to 10" in str(problem.value)


@pytest.mark.parametrize(
    ("typed", "phase", "verb"),
    [
        ("back", Phase.SCORE, Verb.BACK),
        ("Skip", Phase.SCORE, Verb.SKIP),
        ("skip", Phase.EVIDENCE, Verb.NO_EVIDENCE),
        ("none", Phase.EVIDENCE, Verb.NO_EVIDENCE),
        ("pause", Phase.EVIDENCE, Verb.PAUSE),
        ("resume", Phase.PAUSED, Verb.RESUME),
        ("Cancel.", Phase.SCORE, Verb.CANCEL),
        ("start over", Phase.EVIDENCE, Verb.RESTART),
    ],
)
def test_command_words_work_in_every_phase(typed: str, phase: Phase, verb: Verb) -> None:
    assert read_command(typed, phase).verb is verb


def test_evidence_is_taken_as_written_but_a_lone_number_is_questioned() -> None:
    assert read_command("I trained 3 students", Phase.EVIDENCE) == Command(
        Verb.EVIDENCE, text="I trained 3 students"
    )
    with pytest.raises(Unreadable, match="scored this one already"):
        read_command("8", Phase.EVIDENCE)


def test_overlong_evidence_is_refused_not_cut() -> None:
    with pytest.raises(Unreadable, match="limited to 500 characters and yours has 501"):
        read_command("x" * 501, Phase.EVIDENCE)
