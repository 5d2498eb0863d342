"""The asker's own band, asked with the bands it might be ("is my grade band 1 or band 2?")."""

from __future__ import annotations

from dataclasses import replace

from bot.core import Context
from bot.storage.people import PersonRecord
from cards.text import render_text
from handlers.qa.answer import answer_text

GRADE_4 = PersonRecord("lee@uni.example", "Lee", "Physics", "4", "g4", "", frozenset(), id=1)
QUESTION = "on the ntdc scale, is my grade band 1 or band 2?"


def test_the_bands_named_are_read_for_the_askers_own_role(ctx: Context) -> None:
    query, card = answer_text(QUESTION, replace(ctx, person=GRADE_4))
    assert query.roles == ["lancaster:g4"]
    text = " ".join(render_text(card).split())
    assert "Grade 4 Apprentice / Assistant (Descriptor) Technician" in text
    assert "NTDC/HETT band: 1 or 2" in text


def test_someone_not_in_the_directory_is_asked_their_role(ctx: Context) -> None:
    _, card = answer_text(QUESTION, ctx)
    assert card.title == "Which role is yours?", card.title
