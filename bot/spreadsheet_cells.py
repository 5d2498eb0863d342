"""CSV cells made safe to open in a spreadsheet: one rule for every CSV the bot writes, and its inverse."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

# A leading apostrophe makes Excel, LibreOffice and Google Sheets take the rest of the cell as text.
GUARD = "'"
# OWASP "CSV Injection": a cell starting with one of these may be run as a formula.
FORMULA_STARTS = frozenset("=+-@")
# Drawn as nothing, yet letters (Unicode says Lo), so the category test below misses them.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Controls, format characters (zero-width space and joiners, BOM, soft hyphen), combining marks and every
# kind of space: a reader that drops or trims them (NUL, a BOM, leading blanks) leaves what follows first.
_INVISIBLE = ("Cc", "Cf", "Cn", "Co", "Mn", "Me", "Zs", "Zl", "Zp")


def _invisible(char: str) -> bool:
    return char in _BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE


def _runs_as_formula(cell: str) -> bool:
    if cell.startswith(("\t", "\r")):  # OWASP's own list: some spreadsheets split or trim on them
        return True
    visible = next((char for char in cell if not _invisible(char)), "")
    # NFKC folds the full-width and small forms (U+FF1D, U+FE66 ...) that some spreadsheets accept too.
    folded = unicodedata.normalize("NFKC", visible)[:1]
    return folded in FORMULA_STARTS or visible == "\u2212"  # the minus sign, which does not fold


def inert(cell: str) -> str:
    """The cell as a spreadsheet will show it as text: guarded when it could run as a formula.

    A cell that already starts with the guard before such a formula is guarded once more, so that
    ``restored(inert(cell)) == cell`` for every cell.
    """
    return GUARD + cell if _runs_as_formula(cell.lstrip(GUARD)) else cell


def restored(cell: str) -> str:
    """The value ``inert`` guarded, for reading a CSV back in (the guard is the bot's, not the data's)."""
    if cell.startswith(GUARD) and _runs_as_formula(cell.lstrip(GUARD)):
        return cell[len(GUARD) :]
    return cell


def inert_row(cells: Iterable[str]) -> list[str]:
    """A row ready for ``csv.writer``."""
    return [inert(cell) for cell in cells]
