"""The everyday words people type for the framework's own ("money" for revenue and income, "sites" for
areas), kept as data in plain_words.yaml and read both where a cell answers a yes/no and in the documents'
search."""

from __future__ import annotations

import yaml

from bot.core import Context
from framework_data import plain_words
from handlers.qa.cell_words import words_in
from tests.qa.test_everyday import ask, lead


def test_the_table_is_lowercase_words_each_with_a_list_of_others() -> None:
    raw = yaml.safe_load(plain_words._TABLE.read_text(encoding="utf-8"))
    assert raw, "the table is empty"
    for word, others in raw.items():
        assert isinstance(word, str) and word == word.lower() and " " not in word, word
        assert isinstance(others, list) and others, word
        assert all(isinstance(o, str) and o == o.lower() and o != word for o in others), word


def test_a_words_beginning_finds_the_documents_words_for_it() -> None:
    assert plain_words.other_words("mone") == ("revenue", "income", "funding")
    # Little may be cut away: "si" is not "sites", and a word beyond the table has none.
    assert plain_words.other_words("si") == ()
    assert plain_words.other_words("pipette") == ()


def test_a_sentence_counts_a_word_said_in_the_documents_words() -> None:
    assert words_in("Income generation - develop charging models.", {"mone"}) == 1
    assert (
        words_in(
            "Responsibility for buildings, remote areas requiring specialist knowledge", {"remo", "site"}
        )
        == 2
    )
    # One way only: "revenue" does not find "money".
    assert words_in("Bring in money.", {"reve"}) == 0


def test_a_yes_no_in_everyday_words_finds_the_cell_that_says_it(ctx: Context) -> None:
    # "Responsibility for buildings, remote areas requiring specialist knowledge or expertise", under
    # Facility or Project Management at grade 8.
    answer = lead(ctx, "would a g8 senior specialist look after remote sites?")
    assert answer.startswith("Yes."), answer
    assert "remote areas requiring specialist knowledge or expertise" in answer


def test_the_documents_search_reads_the_table_too(ctx: Context) -> None:
    # "advertise" finds the plan's "Ensure publicised in local community/Schools/FE etc.".
    text = ask(ctx, "does queen mary advertise its apprenticeships in schools?")[2]
    assert "Ensure publicised in local community/Schools/FE etc." in text


def test_a_plans_programmes_are_the_courses_asked_about(ctx: Context) -> None:
    # The ICR's "(1B) Technical Career Development Programmes": "Equipping individuals to grow into senior
    # roles with management and leadership responsibilities".
    title, text = ask(ctx, "does the icr run leadership courses for techs?")[1:]
    assert title == "What The Institute of Cancer Research wrote", title
    assert "Equipping individuals to grow into senior roles with management and leadership" in text


def test_a_yes_no_after_a_condition_is_still_a_yes_no(ctx: Context) -> None:
    # Grade 4's Service Delivery: "... referring the user to the right person if necessary."
    answer = lead(ctx, "if a request isn't for them, is a g4 meant to point the person to whoever it is for?")
    assert answer.startswith("Yes."), answer
    assert "referring the user to the right person" in answer


def test_the_documents_word_is_found_by_its_own_stem_too(ctx: Context) -> None:
    # Queen Mary's job profiles "include variations in teaching, leadership and specialist duties".
    text = ask(
        ctx, "will queen mary's standard job profiles show the differences in teaching and leadership?"
    )[2]
    assert "To include variations in teaching, leadership and specialist duties." in text
