"""Counts in words, for what the command line tells a person ("1 problem", "2 problems")."""

from __future__ import annotations


def counted(count: int, singular: str, plural: str = "") -> str:
    """``count`` and the noun that agrees with it; ``plural`` where adding an "s" is wrong."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"
