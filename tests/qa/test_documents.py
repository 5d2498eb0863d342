"""Questions answered from what the source documents say: the passage quoted with its document and section,
only when it clearly matches; everything the framework data answers, and everything the documents do not
say, is answered as before. Expected words are copied by hand from the seed files."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bot.core import Context
from cards.model import Card
from cards.text import render_text
from framework_data import build_documents
from framework_data.document_index import document_index
from framework_data.vocabulary import normalise
from handlers.qa.answer import answer_question

SEEDS = Path(os.environ.get("TECHPATH_SEEDS", ""))
COMMITTED = Path(build_documents.__file__).with_name("documents.yaml")


def flat(card: Card) -> str:
    return " ".join(render_text(card).split())


# (question as a technician would type it, words the seed says, the seed file it must be cited from)
ANSWERED = [
    (
        "what does queen mary's action plan say about apprenticeships",
        "Promote existing staff apprenticeship development opportunities, accessing levy funding",
        "003_9d7d450b9c063b7b.txt",
    ),
    (
        "how does the ICR measure the bulletin's success",
        "Consistently see traffic/clicks to centralised TC Bulletin, and uptake of advertised opportunities.",
        "004_d907821eafce8e48.txt",
    ),
    (
        "what percentage of technical staff know their progression options",
        "34%",
        "000_799a1d67b47d27c5.txt",
    ),
    ("what are the NTDC headline topics", "Stock control and ordering", "000_799a1d67b47d27c5.txt"),
    (
        "according to the icr plan when are managers told about programmes opening",
        "at latest within 3 days of programmes opening",
        "004_d907821eafce8e48.txt",
    ),
    (
        "does queen mary have a mentoring scheme",
        "Explore setting up an internal mentoring scheme for technicians",
        "003_9d7d450b9c063b7b.txt",
    ),
    (
        "secondments at qmul",
        "One secondment per year using this mechanism.",
        "003_9d7d450b9c063b7b.txt",
    ),
    (
        "what is the lab technician apprenticeship at the icr",
        "Level 3 Laboratory Technician Apprenticeship Programme (LTAP)",
        "004_d907821eafce8e48.txt",
    ),
    (
        "what does the queen mary plan say about work shadowing",
        "Explore how to implement an informal work shadowing scheme across the organisation",
        "003_9d7d450b9c063b7b.txt",
    ),
    (
        "what does the icr plan say about ORCID",
        "Encourage and support generation of ORCID IDs.",
        "004_d907821eafce8e48.txt",
    ),
    (
        "whats the level 4 hay summery",  # a typo, as typed
        "Role holders at this level have recognised technical expertise.",
        "000_799a1d67b47d27c5.txt",
    ),
]


@pytest.mark.parametrize(("question", "says", "file"), ANSWERED, ids=[q for q, _, _ in ANSWERED])
def test_a_question_the_documents_answer_quotes_them_with_the_source(
    ctx: Context, question: str, says: str, file: str
) -> None:
    card = answer_question(question, ctx)
    text = flat(card)
    assert says in text, text
    assert card.sources and all(file in s for s in card.sources), card.sources


def test_a_question_naming_a_document_quotes_at_most_three_passages_of_it(ctx: Context) -> None:
    card = answer_question("what is the icr doing about authorship", ctx)
    quoted = [s for s in card.sections if s.heading]
    assert 1 <= len(quoted) <= 3
    assert all("004_d907821eafce8e48.txt" in s for s in card.sources)
    assert "Authorships and Acknowledgments" in flat(card)


NOT_FROM_A_PASSAGE = [
    "what's the weather like today",
    "how much does a grade 6 get paid",  # pay: outside the framework, said so
    "what does grade 5 need for budget management",  # a cell
    "grade 7 specialist vs manager",  # a comparison
    "tell me about microscopes and cryostats",  # equipment: outside the framework, said so
    "tell me about cryostats and telescopes",
    "where does the framework mention consultancy",
    "what does queen mary say about parking",
    "training",  # one common word names no passage in particular
]


@pytest.mark.parametrize("typed", ["who've", "they're", "you're", "heard", "hear"])
def test_contractions_and_chat_words_are_not_corrected_into_the_documents_words(typed: str) -> None:
    # "apprentices who've done it" is not "whole", nor "i've heard" "hard": one edit from a word the
    # documents have is no slip when the word is common English.
    index = document_index()
    assert [index.correct(t) for t in normalise(typed)] == normalise(typed)


@pytest.mark.parametrize("question", NOT_FROM_A_PASSAGE)
def test_a_question_the_documents_do_not_clearly_answer_gets_no_passage(ctx: Context, question: str) -> None:
    card = answer_question(question, ctx)
    assert not any(s.startswith(("Queen Mary", "The Institute of Cancer Research")) for s in card.sources)
    assert "Quoted from the source documents" not in flat(card)


def test_the_committed_passages_are_what_the_script_makes_of_the_seeds(tmp_path: Path) -> None:
    if not os.environ.get("TECHPATH_SEEDS") or not SEEDS.is_dir():
        pytest.skip("the seed documents are not on this machine (set TECHPATH_SEEDS)")
    out = tmp_path / "documents.yaml"
    assert build_documents.main([str(SEEDS), str(out)]) == 0
    assert out.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8")


def test_the_script_says_how_to_run_it_when_given_no_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert build_documents.main([]) == 2
    assert "usage:" in capsys.readouterr().err


def test_a_framework_question_does_not_load_the_passages() -> None:
    """Lazy: `techpath ask "grade 5"` must not pay for reading the documents."""
    script = (
        "from bot.app import answer_one\n"
        "from bot.cli import _context\n"
        "from bot.settings import Settings\n"
        "from framework_data.document_index import document_index\n"
        "answer_one('grade 5', _context(Settings()))\n"
        "print(document_index.cache_info().currsize)\n"
        "answer_one('how does the ICR measure the bulletin success', _context(Settings()))\n"
        "print(document_index.cache_info().currsize)\n"
    )
    env = {**os.environ, "TECHPATH_DATA_DIR": tempfile.mkdtemp(prefix="techpath-test-")}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "1"]


def test_techpath_ask_answers_from_a_document_and_exits_0() -> None:
    env = {**os.environ, "TECHPATH_DATA_DIR": tempfile.mkdtemp(prefix="techpath-test-")}
    techpath = str(Path(sys.executable).with_name("techpath"))
    done = subprocess.run(
        [techpath, "ask", "how does the ICR measure the bulletin's success"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stdout
    assert "traffic/clicks to centralised TC Bulletin" in done.stdout
    assert "004_d907821eafce8e48.txt" in done.stdout


def test_a_topic_asked_of_a_document_named_quotes_each_of_its_passages_that_hold_it(ctx: Context) -> None:
    # Three of the ICR's Visibility actions hold "acknowledgement": a topic, not one action.
    text = flat(answer_question("what is the icr doing about acknowledgement?", ctx))
    assert "Track acknowledgement and authorship data for technicians" in text
    assert "Enable acknowledgement and authorship record keeping" in text
    assert "Promote and raise awareness of the ICRs acknowledgement and authorship guidelines" in text


def test_a_quotation_over_two_paragraphs_is_one_passage_with_whoever_said_it() -> None:
    index = document_index()
    quoted = [p for p in index.passages if "cooling machines that money can't buy" in p.text]
    assert len(quoted) == 1
    assert quoted[0].text.startswith("“For an experimental physicist like me")
    assert quoted[0].text.endswith(
        "(Professor Rich Haley, Physics, former Chair of the Technicians Commitment Steering Group)"
    )


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("does the lancaster guide count cartographers as technicans?", "even to include cartographers"),
        ("what does the lancaster guide say techs do when something like a flood hits?", "flood or pandemic"),
    ],
)
def test_a_word_only_a_named_documents_passage_has_is_answered_from_it(
    ctx: Context, question: str, said: str
) -> None:
    # "flood" alone would be an estates matter, "technicians" a career path: the guide's introduction says it.
    card = answer_question(question, ctx)
    assert card.title == "What Lancaster University wrote", card.title
    assert said in flat(card)


def test_words_that_only_frame_a_question_do_not_count_against_a_passage(ctx: Context) -> None:
    # "itself" says nothing a passage could hold: Queen Mary's personal career development action does.
    card = answer_question("would qm's work shadowing ever reach beyond the uni itself?", ctx)
    assert "possibly surrounding institutions/companies" in flat(card)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # "makes sure ... gets done": the plan's "ensure ... implemented".
        (
            "who at queen mary makes sure the TC action plan actually gets done?",
            "Chair to ensure action plan",
        ),
        # "is working": its measures; "push": what it promotes.
        (
            "how will qm judge whether its push on staff apprenticeships is working?",
            "Monitor numbers engaging with apprenticeships",
        ),
    ],
)
def test_everyday_phrasing_of_a_plans_action_finds_it(ctx: Context, question: str, said: str) -> None:
    card = answer_question(question, ctx)
    assert card.title == "What Queen Mary University of London wrote", card.title
    assert said in flat(card)
