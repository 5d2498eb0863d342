"""Split and shorten text, and group items, to fit platform limits without losing a word."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from cards.model import Action

T = TypeVar("T")
Size = Callable[[str], int]

# Boundaries to cut at, best first: paragraph, line, sentence, word (a word is cut only when too big alone).
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")
_SEPARATORS: tuple[str | re.Pattern[str], ...] = ("\n\n", "\n", _SENTENCE_END, " ")
ELLIPSIS = "…"


def split_text(text: str, limit: int, size: Size = len) -> list[str]:
    """Chunks of ``size`` at most ``limit`` that hold the text's words in order.

    Cuts at paragraph, then line, then sentence, then word boundaries, and inside a word only when one word
    alone exceeds the limit. ``size`` measures a chunk as the platform will (for example its length once
    escaped) and must be additive: the size of a concatenation is the sum of the parts' sizes.
    """
    if size(text) <= limit:
        return [text]
    return [chunk for chunk in _pieces(text, limit, size, 0) if chunk.strip()]


def _pieces(text: str, limit: int, size: Size, level: int) -> list[str]:
    for depth in range(level, len(_SEPARATORS)):
        separator = _SEPARATORS[depth]
        parts = text.split(separator) if isinstance(separator, str) else separator.split(text)
        if len(parts) > 1:
            pieces: list[str] = []
            for part in parts:
                pieces.extend([part] if size(part) <= limit else _pieces(part, limit, size, depth + 1))
            # The sentence pattern eats the whitespace after a full stop; one space puts it back.
            return _pack(pieces, separator if isinstance(separator, str) else " ", limit, size)
    return _cut(text, limit, size)


def _pack(pieces: list[str], joiner: str, limit: int, size: Size) -> list[str]:
    """Join consecutive pieces greedily while they fit (sizes are added, not remeasured)."""
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    gap = size(joiner)
    for piece in pieces:
        extra = size(piece) + (gap if current else 0)
        if current and used + extra > limit:
            chunks.append(joiner.join(current))
            current, used, extra = [], 0, size(piece)
        current.append(piece)
        used += extra
    if current:
        chunks.append(joiner.join(current))
    return chunks


def _cut(text: str, limit: int, size: Size) -> list[str]:
    """Cut one unbreakable run character by character, so an escape sequence is never split."""
    chunks: list[str] = []
    start = used = 0
    for index, char in enumerate(text):
        width = size(char)
        if used + width > limit and index > start:
            chunks.append(text[start:index])
            start, used = index, 0
        used += width
    chunks.append(text[start:])
    return chunks


def truncate(text: str, limit: int, size: Size = len) -> str:
    """The text if it fits, else its longest prefix that fits with an ellipsis marking the cut."""
    if size(text) <= limit:
        return text
    budget = limit - size(ELLIPSIS)
    end = used = 0
    for char in text:
        used += size(char)
        if used > budget:
            break
        end += 1
    return text[:end].rstrip() + ELLIPSIS


def action_label(action: Action) -> str:
    """A button's text: platforms refuse an empty one, and a button must still be pressable."""
    return action.label.strip() or action.action_id or "Choose"


def continued_line(title: str) -> str:
    """The short line that opens every message or card after the first of a long answer."""
    return f"{truncate(title.strip(), 200)} (continued)" if title.strip() else "(continued)"


def batches(items: Iterable[T], size_of: Callable[[T], int], limit: int) -> list[list[T]]:
    """Consecutive groups whose total size stays within limit (an item too big on its own stands alone)."""
    groups: list[list[T]] = []
    total = 0
    for item in items:
        size = size_of(item)
        if not groups or (groups[-1] and total + size > limit):
            groups.append([])
            total = 0
        groups[-1].append(item)
        total += size
    return groups
