"""Split text and block lists to fit platform limits without losing a word."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


def _pieces(text: str, limit: int) -> list[str]:
    """Break text into pieces of at most limit: by paragraph, then sentence, then word, then character."""
    for pattern in ("\n\n", "\n", _SENTENCE_END, " "):
        parts = pattern.split(text) if isinstance(pattern, re.Pattern) else text.split(pattern)
        if len(parts) > 1:
            joiner = pattern if isinstance(pattern, str) else " "
            out: list[str] = []
            for part in parts:
                out.extend(_pieces(part, limit) if len(part) > limit else [part])
            return _pack(out, limit, joiner)
    return [text[i : i + limit] for i in range(0, len(text), limit)] or [""]


def _pack(parts: list[str], limit: int, joiner: str) -> list[str]:
    chunks: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{joiner}{part}" if current else part
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                chunks.append(current)
            current = part
    if current or not chunks:
        chunks.append(current)
    return chunks


def split_text(text: str, limit: int) -> list[str]:
    """Chunks of at most ``limit`` characters whose words, in order, are the text's words."""
    if len(text) <= limit:
        return [text]
    return [chunk for chunk in _pieces(text, limit) if chunk.strip()] or [text[:limit]]


def truncate(text: str, limit: int) -> str:
    """Shorten a label to fit, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def batches(items: Iterable[T], size_of: Callable[[T], int], limit: int) -> list[list[T]]:
    """Group items in order so each group's total size stays within limit (an oversized item stands alone)."""
    groups: list[list[T]] = [[]]
    total = 0
    for item in items:
        size = size_of(item)
        if groups[-1] and total + size > limit:
            groups.append([])
            total = 0
        groups[-1].append(item)
        total += size
    return [group for group in groups if group]
