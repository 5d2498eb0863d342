"""The shape of a Slack request, checked before slack-bolt reads it: the fields bolt and the adapter use.

bolt parses the body again itself, by the same rules, so what it reads is what was checked here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from bot.adapters.payload_checks import (
    ID,
    BadPayload,
    Each,
    Required,
    Shape,
    Text,
    check_shape,
    json_object,
    web_address,
)

_ID_OR_NULL: Shape = (ID, None)
_USER: Shape = (ID, {"id": Required(ID), "team_id": _ID_OR_NULL})
_CHANNEL: Shape = (ID, {"id": ID}, None)
# A message inside an event (message_changed, message_deleted, assistant threads): bolt reads who and where.
_NESTED: Shape = (
    {
        "user": _USER,
        "channel": _CHANNEL,
        "thread_ts": _ID_OR_NULL,
        "subtype": (str, None),
        "bot_id": _ID_OR_NULL,
    },
    None,
)
_EVENT: Shape = {
    "type": Required(str),
    "subtype": (str, None),
    "user": _USER,
    "user_id": ID,
    "channel": _CHANNEL,
    "channel_type": str,
    "text": (str, None),
    "ts": ID,
    "thread_ts": _ID_OR_NULL,
    "event_ts": ID,
    "tab": str,
    "bot_id": _ID_OR_NULL,
    "team": ID,
    "user_team": ID,
    "item": _NESTED,
    "message": _NESTED,
    "previous_message": _NESTED,
    "assistant_thread": _NESTED,
    "function_execution_id": str,
    "bot_access_token": str,
    "inputs": dict,
}
_ACTION: Shape = {
    "action_id": Required(Text(255)),
    "block_id": str,
    "type": str,
    "value": str,
    "selected_option": ({"value": str}, None),
}
_VIEW: Shape = {
    "id": ID,
    "team_id": _ID_OR_NULL,
    "app_installed_team_id": _ID_OR_NULL,
    "callback_id": Text(255),
    "private_metadata": Text(3000),
    "type": str,
    # A submitted modal's inputs: block id -> action id -> the element's state.
    "state": {
        "values": Each(Each({"type": str, "value": (str, None), "selected_option": ({"value": str}, None)}))
    },
}
ENVELOPE: Shape = {
    "type": str,
    "token": str,
    "challenge": str,
    "ssl_check": str,
    "callback_id": Text(255),
    "api_app_id": ID,
    "event_id": ID,
    "team_id": _ID_OR_NULL,
    "enterprise_id": _ID_OR_NULL,
    "context_team_id": _ID_OR_NULL,
    "context_enterprise_id": _ID_OR_NULL,
    "user_id": ID,
    "channel_id": ID,
    "thread_ts": ID,
    "team": (ID, {"id": _ID_OR_NULL, "enterprise_id": _ID_OR_NULL}, None),
    "enterprise": (ID, {"id": _ID_OR_NULL}, None),
    "user": _USER,
    "channel": _CHANNEL,
    "authorizations": [
        {"enterprise_id": _ID_OR_NULL, "team_id": _ID_OR_NULL, "user_id": ID, "is_enterprise_install": bool}
    ],
    "is_enterprise_install": (bool, str),
    "is_ext_shared_channel": bool,
    "event": _EVENT,
    "message": _NESTED,
    "previous_message": _NESTED,
    "item": _NESTED,
    "assistant_thread": _NESTED,
    "function_execution_id": (str, None),
    "bot_access_token": (str, None),
    "function_data": ({"execution_id": str, "inputs": dict}, None),
    "response_url": str,
    "response_urls": [{"response_url": str}],
    "trigger_id": Text(255),
    "container": {
        "type": str,
        "channel_id": ID,
        "message_ts": ID,
        "thread_ts": ID,
        "is_ephemeral": bool,
        "view_id": ID,
    },
    "actions": [_ACTION],
    "view": _VIEW,
    "command": str,
    "text": str,
}
_CLICKER: Shape = Required({"id": Required(ID)})
_INTERACTION_TEAM: Shape = ({"id": _ID_OR_NULL}, None)
# What the listeners that bolt picks for each kind of request read without a default.
_NEEDS: dict[str, Shape] = {
    "block_actions": {"user": _CLICKER, "team": _INTERACTION_TEAM, "channel": ({"id": ID}, None)},
    "interactive_message": {"user": _CLICKER, "callback_id": Required(str)},
    "dialog_submission": {"user": _CLICKER, "callback_id": Required(str)},
    "dialog_cancellation": {"user": _CLICKER, "callback_id": Required(str)},
    # bolt looks for a workflow step in every interaction it matches (slack_bolt.request.payload_utils).
    "workflow_step_edit": {"user": _CLICKER, "callback_id": Required(str), "workflow_step": Required(dict)},
    "view_submission": {
        "user": _CLICKER,
        "team": _INTERACTION_TEAM,
        "view": Required({"callback_id": Required(Text(255)), "type": Required(str)}),
    },
    "command": {
        "team_id": Required(ID),
        "channel_id": Required(ID),
        "user_id": Required(ID),
        "response_url": Required(str),
    },
}
_EVENT_NEEDS: dict[str, Shape] = {
    "app_mention": {"user": Required(ID), "channel": Required(ID), "ts": Required(ID)},
    "app_home_opened": {"user": Required(ID)},
    # A person's message: who wrote it, and where (edits, joins and bots' messages are ignored).
    "message": {"user": Required(ID), "channel": Required(ID)},
}


def plausible_timestamp(header: str) -> bool:
    """Seconds since the epoch in ASCII digits ("²".isdigit() holds, and int() refuses it; so does it a
    number of thousands of digits)."""
    return header.isascii() and header.isdigit() and len(header) <= 12


def slack_body(text: str, content_type: str | None) -> dict[str, Any]:
    """The request body as bolt will read it (JSON, an interaction's ``payload`` form field, or a slash
    command's form), refused with a reason unless it has the shape the adapter relies on."""
    if not text:
        raise BadPayload("the body is empty")
    # bolt's own rules, in its order: JSON by type or first character, then a form.
    if content_type == "application/json" or text.startswith("{"):
        body = json_object(text)
    else:
        pairs = parse_qsl(text, keep_blank_values=True)
        fields = dict(pairs)
        if len(fields) != len(pairs):
            raise BadPayload("a form field appears twice")
        if "payload" in text:  # bolt's test, on the raw text
            if "payload" not in fields:
                raise BadPayload("the form has no payload field")
            body = json_object(fields["payload"])
        else:
            body = fields
    check_shape(body, ENVELOPE, "body")
    kind = "command" if "command" in body else str(body.get("type", ""))
    if kind in _NEEDS:
        check_shape(body, _NEEDS[kind], "body")
    if kind == "view_submission" and body["view"]["type"] == "workflow_step":
        check_shape(body, {"workflow_step": Required(dict)}, "body")
    if kind in ("block_actions", "interactive_message") and not body.get("actions"):
        raise BadPayload("body.actions must name the action taken")
    for url in [body.get("response_url"), *(u.get("response_url") for u in body.get("response_urls") or ())]:
        # bolt posts answers there (the slash command's, an ephemeral message's).
        if url is not None and web_address(url) is None:
            raise BadPayload("body.response_url must be an http(s) URL")
    event = body.get("event")
    if event is not None and _answered(event):
        check_shape(event, _EVENT_NEEDS[event["type"]], "body.event")
    return body


def _answered(event: dict[str, Any]) -> bool:
    if event["type"] == "message":
        return not event.get("subtype") and not event.get("bot_id")
    return event["type"] in _EVENT_NEEDS
