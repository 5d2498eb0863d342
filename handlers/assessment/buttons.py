"""What an assessment's buttons carry: its id and random key (and the button's own fields), and how a
click finds the assessment again. Ids can be reused after a deletion (SQLite); keys cannot, so a button
from a deleted assessment never acts on a newer one that got the same id."""

from __future__ import annotations

import json
from typing import Any

from bot.core import Context, Event
from bot.storage.assessments import AssessmentRecord

Ident = tuple[int, str]  # an assessment's id and key


def ident_value(ident: Ident, **fields: object) -> str:
    """A button value naming the assessment, with ``fields`` beside it (kept short: Slack caps values)."""
    return json.dumps({"a": ident[0], "k": ident[1], **fields}, separators=(",", ":"))


def button_fields(event: Event) -> dict[str, Any] | None:
    """The fields of a clicked assessment button; None when the value is not one (stale or forged)."""
    try:
        fields = json.loads(event.value)
        int(fields["a"]), str(fields["k"])
    except (ValueError, KeyError, TypeError):
        return None
    return fields if isinstance(fields, dict) else None


async def assessment_named(ctx: Context, fields: dict[str, Any]) -> AssessmentRecord | None:
    """The assessment the button names, if it still exists under the same key."""
    if ctx.stores is None:
        return None
    record = await ctx.stores.assessments.get(int(fields["a"]))
    return record if record is not None and record.key == str(fields["k"]) else None
