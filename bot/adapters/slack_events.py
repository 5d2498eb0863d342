"""What Slack's payloads become and what goes back in them, apart from the adapter's wiring: neutral events
from Events API payloads, a submitted modal's inputs, a form's problems for ``response_action: errors``,
the App Home view, and the log filters that keep request bodies and a needless warning out of the logs."""

from __future__ import annotations

import logging
from typing import Any

from bot.core import Event, EventKind, Reply
from cards.blockkit import render_blockkit

PLATFORM = "slack"


class NoBodyInLogs(logging.Filter):
    """slack-bolt logs the raw body of a request that fails verification; it may hold assessment answers."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "body:" in message:
            record.msg = message.split(", body:", 1)[0] + ", body: <withheld>)"
            record.args = ()
        return True


class NoClientTokenWarning(logging.Filter):
    """bolt reads SLACK_BOT_TOKEN itself and warns that it is unused when given a configured client, as
    this adapter does (for the API URL and the retry handlers): a warning about nothing wrong."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


MAX_HOME_BLOCKS = 100
# How long a modal's submission waits for its answer before the ack (Slack allows 3 s in all).
FORM_ANSWER_SECONDS = 2.0
FIELD_ERROR_TEXT = 300


def form_inputs(values: Any) -> dict[str, str]:
    """A submitted modal's inputs by block id (the form field's id): a text input's value, or the value
    of the option picked in a menu."""
    inputs: dict[str, str] = {}
    if not isinstance(values, dict):
        return inputs
    for block_id, entries in values.items():
        entry = entries.get("value") if isinstance(entries, dict) else None
        if not isinstance(entry, dict):
            continue
        picked = entry.get("selected_option")
        value = picked.get("value") if isinstance(picked, dict) else entry.get("value")
        inputs[str(block_id)] = str(value or "")
    return inputs


def form_event(body: dict[str, Any], view: dict[str, Any], metadata: dict[str, Any], channel: str) -> Event:
    """A submitted modal as a click on its submit action, with its inputs; ``metadata`` is what the modal
    carried (the action, its value, the thread) and ``channel`` where its answer goes."""
    team = str((body.get("team") or {}).get("id") or "")
    thread = str(metadata.get("thread") or "")
    conversation = f"{channel}:{thread}" if thread else channel
    return Event(
        kind=EventKind.ACTION,
        platform=PLATFORM,
        tenant=user_team(body.get("user"), team),
        conversation_id=f"slack:{team}:{conversation}",
        user_id=body["user"]["id"],
        action_id=str(metadata.get("action", "")),
        value=str(metadata.get("value", "")),
        inputs=form_inputs((view.get("state") or {}).get("values") or {}),
        private=bool(metadata.get("private")),
    )


def field_errors(replies: list[Reply], submitted: str) -> dict[str, str]:
    """The problems, by block id, of a form that came back from its own submission to be put right."""
    for reply in replies:
        form = reply.card.form
        if form is not None and form.submit.action_id == submitted:
            errors = {f.id[:255]: f.error[:FIELD_ERROR_TEXT] for f in form.fields if f.error}
            if errors:
                return errors
    return {}


def home_view(reply: Reply) -> dict[str, Any]:
    blocks = [b for message in render_blockkit(reply.card) for b in message["blocks"]][:MAX_HOME_BLOCKS]
    return {"type": "home", "blocks": blocks}


def user_team(user: Any, workspace: str) -> str:
    """The workspace a clicking user belongs to (``user.team_id``), else the one the payload came from."""
    team = user.get("team_id") if isinstance(user, dict) else None
    return str(team or workspace)


def message_event(
    body: dict[str, Any], event: dict[str, Any], conversation: str, text: str, private: bool = False
) -> Event:
    team = str(body.get("team_id") or "")
    # In a Slack Connect conversation the sender may belong to another organisation's workspace: the
    # event names it (user_team, or team), and that, not the workspace that received it, is who they are.
    home = str(event.get("user_team") or event.get("team") or team)
    return Event(
        kind=EventKind.MESSAGE,
        platform=PLATFORM,
        tenant=home,
        conversation_id=f"slack:{team}:{conversation}",
        user_id=event["user"],
        text=text,
        private=private,
    )
