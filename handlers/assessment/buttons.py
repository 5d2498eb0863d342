"""What an assessment's buttons carry: its id and random key (and the button's own fields), and how a
click finds the assessment again. Ids can be reused after a deletion (SQLite); keys cannot, so a button
from a deleted assessment never acts on a newer one that got the same id."""

from __future__ import annotations

import json
import math
from typing import Any

from bot import bounded_json
from bot.core import Context, Event, clicked_int
from bot.storage.assessments import AssessmentRecord

Ident = tuple[int, str]  # an assessment's id and key


def ident_value(ident: Ident, **fields: object) -> str:
    """A button value naming the assessment, with ``fields`` beside it (kept short: Slack caps values)."""
    return json.dumps({"a": ident[0], "k": ident[1], **fields}, separators=(",", ":"))


def button_fields(event: Event) -> dict[str, Any] | None:
    """The fields of a clicked assessment button; None when the value is not one (stale or forged)."""
    try:
        fields = bounded_json.loads(event.value)
    except ValueError:
        return None
    if not isinstance(fields, dict) or clicked_int(fields.get("a"), minimum=1) is None:
        return None
    return fields if isinstance(fields.get("k"), str) else None


def clicked_score(value: object) -> float | None:
    """A score button's number (its range is checked like a typed one's); None for what is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return None
    return number if math.isfinite(number) else None


async def assessment_named(ctx: Context, fields: dict[str, Any]) -> AssessmentRecord | None:
    """The assessment the button names (``fields`` from button_fields), if it still exists under the same
    key."""
    if ctx.stores is None:
        return None
    record = await ctx.stores.assessments.get(fields["a"])
    return record if record is not None and record.key == fields["k"] else None
