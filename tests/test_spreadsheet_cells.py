"""Every CSV the bot writes opens in a spreadsheet as text, never as a formula, and reads back unchanged."""

from __future__ import annotations

import pytest

from bot.spreadsheet_cells import GUARD, inert, restored

# Cells a spreadsheet (or a tool that tidies the file before one opens it) could run as a formula.
DANGEROUS = [
    "=1+1",
    "+44 1524 65201",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    " =1+1",
    "\u00a0=1+1",  # no-break space
    "\u3000=1+1",  # ideographic space
    "\x00=1+1",  # NUL, which some readers drop
    "\u200b=1+1",  # zero-width space
    "\u200d+1",  # zero-width joiner
    "\ufeff=1+1",  # a byte order mark in the middle of a file
    "\u2060@A1",  # word joiner
    "\u00ad=1",  # soft hyphen
    "\u3164=1",  # Hangul filler, drawn as nothing
    "\uff1d1+1",  # full-width equals sign
    "\uff0b1",  # full-width plus
    "\uff0d1",  # full-width hyphen-minus
    "\uff20A1",  # full-width commercial at
    "\ufe66" + "1",  # small equals sign
    "\u2212" + "1",  # minus sign
    "\t",
    "\rtext",
]
HARMLESS = ["Ana Costa", "O'Brien", "", "1+1", "a=b", "ana@uni.example", "½", "'quoted", "  spaced out"]


@pytest.mark.parametrize("cell", DANGEROUS, ids=[repr(c) for c in DANGEROUS])
def test_a_cell_that_could_run_as_a_formula_is_guarded(cell: str) -> None:
    assert inert(cell) == GUARD + cell


@pytest.mark.parametrize("cell", HARMLESS)
def test_plain_text_is_left_alone(cell: str) -> None:
    assert inert(cell) == cell


@pytest.mark.parametrize("cell", [*DANGEROUS, *HARMLESS, "'=1+1", "''=1+1", "'", "'\u200b=1"])
def test_every_cell_reads_back_as_it_was(cell: str) -> None:
    assert restored(inert(cell)) == cell


def test_a_guard_typed_before_a_formula_survives_the_round_trip() -> None:
    # Someone really named "'=x": the export must not make the import drop their apostrophe.
    assert inert("'=x") == "''=x"
    assert restored("'=x") == "=x"  # what Excel writes for a cell typed as '=x is =x anyway
    assert restored("'plain") == "'plain"
