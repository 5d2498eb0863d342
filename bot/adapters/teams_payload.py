"""The shape of a Bot Framework activity, checked before botbuilder reads it: the fields the SDK and the
adapter use. botbuilder's deserializer turns a number where text belongs into text and drops what it
cannot read; the adapter relies on ``from``, ``conversation`` and the rest being what they say."""

from __future__ import annotations

import re
from typing import Any

from bot.adapters.payload_checks import ID, BadPayload, Required, Shape, Text, check_shape

_NAME: Shape = (str, None)
# Ids of people, conversations and activities: they run to a hundred characters or so, end up in database
# keys, and in the paths and headers of the Bot Connector requests that answer (so: printable ASCII, and
# not a path segment of its own such as "..").
_LONG_ID = Text(200, re.compile(r"(?!\.\.?\Z)[!-~]+"))
_ACCOUNT: Shape = {"id": Required(_LONG_ID), "name": _NAME, "aadObjectId": (ID, None), "role": _NAME}
ACTIVITY: Shape = {
    "type": Required(Text(64)),
    "id": (_LONG_ID, None),
    "name": (str, None),
    "serviceUrl": Required(str),
    "channelId": (str, None),
    "from": Required(_ACCOUNT),
    "recipient": Required(_ACCOUNT),
    "conversation": Required(
        {
            "id": Required(_LONG_ID),
            "conversationType": _NAME,
            "tenantId": (ID, None),
            "isGroup": (bool, None),
            "name": _NAME,
        }
    ),
    "text": (str, None),
    "textFormat": _NAME,
    "locale": _NAME,
    "localTimezone": _NAME,
    "replyToId": (_LONG_ID, None),
    "action": _NAME,
    "timestamp": (str, None),
    "localTimestamp": (str, None),
    "expiration": (str, None),
    "entities": ([{"type": Required(str)}], None),
    "attachments": ([dict], None),
    "channelData": ({"tenant": ({"id": (ID, None)}, None)}, None),
    "membersAdded": ([_ACCOUNT], None),
    "membersRemoved": ([_ACCOUNT], None),
    "reactionsAdded": ([{"type": _NAME}], None),
    "reactionsRemoved": ([{"type": _NAME}], None),
}
# How the SDK reads a mention when it removes the bot's own from the text.
_MENTION: Shape = {"mentioned": Required({"id": Required(str), "name": str}), "text": str}
# adaptiveCard/action is the one invoke the SDK parses itself, before any handler of the bot is asked.
_CARD_ACTION: Shape = {"value": Required({"action": Required({"type": Required(str)})})}


def check_activity(body: dict[str, Any]) -> None:
    """Refuse, with a reason, an activity without the shape the SDK and the adapter rely on."""
    check_shape(body, ACTIVITY, "activity")
    for index, entity in enumerate(body.get("entities") or ()):
        if entity["type"].lower() == "mention":
            check_shape(entity, _MENTION, f"activity.entities[{index}]")
            if entity.get("text") is None and entity["mentioned"].get("name") is None:
                raise BadPayload(f"activity.entities[{index}] must say who is mentioned, as text or a name")
    if body["type"] == "invoke" and body.get("name") == "adaptiveCard/action":
        check_shape(body, _CARD_ACTION, "activity")
