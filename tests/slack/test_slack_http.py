"""Slack over real HTTP: signed requests in, Web API calls out to a loopback double."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest

from bot.storage.people import PersonFields
from tests.slack.conftest import SlackRig, sign

DM = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U-ana", "ts": "1.1"}


def header_of(blocks: list[dict[str, Any]]) -> str:
    return next(b["text"]["text"] for b in blocks if b["type"] == "header")


async def test_url_verification_answers_the_challenge(slack: SlackRig) -> None:
    response = await slack.post(
        json.dumps({"type": "url_verification", "challenge": "abc123"}), "application/json"
    )
    assert response.status == 200
    assert (await response.json())["challenge"] == "abc123"


async def test_a_direct_message_is_answered_in_the_conversation(slack: SlackRig) -> None:
    response = await slack.event({**DM, "text": "what does grd 7 specalist need"})
    assert response.status == 200
    [posted] = await slack.double.wait_for("chat.postMessage")
    assert posted["channel"] == "D1"
    assert header_of(posted["blocks"]) == "Grade 7 Specialist (Descriptor) Technician"
    assert posted["text"].startswith("Grade 7 Specialist")


async def test_web_api_calls_reuse_one_connection(slack: SlackRig) -> None:
    for n, question in enumerate(("grade 5", "band 4", "help")):
        await slack.event({**DM, "text": question, "ts": f"{n}.1"}, event_id=f"Ev{n}")
        await slack.double.wait_for("chat.postMessage", n + 1)
    calls = [call for call in slack.double.calls if call.method == "chat.postMessage"]
    # A session per call would open a new connection (a new TLS handshake with Slack) every time.
    assert len({call.peer for call in calls}) == 1


async def test_a_retried_event_is_handled_once(slack: SlackRig) -> None:
    await slack.event({**DM, "text": "grade 5"}, event_id="Ev-retried")
    retry = await slack.event({**DM, "text": "grade 5"}, event_id="Ev-retried", **{"X-Slack-Retry-Num": "1"})
    assert retry.status == 200
    await slack.double.wait_for("chat.postMessage")
    await slack.event({**DM, "text": "grade 6"}, event_id="Ev-next")
    posts = await slack.double.wait_for("chat.postMessage", 2)
    assert [header_of(p["blocks"]) for p in posts] == [
        "Grade 5 (Descriptor) Technician",
        "Grade 6 Senior (Descriptor) Technician",
    ]


async def test_a_channel_mention_is_answered_in_its_thread(slack: SlackRig) -> None:
    mention = {"type": "app_mention", "channel": "C1", "user": "U-ana", "ts": "5.5", "text": "<@UBOT> band 4"}
    await slack.event(mention)
    [posted] = await slack.double.wait_for("chat.postMessage")
    assert (posted["channel"], posted["thread_ts"]) == ("C1", "5.5")
    assert header_of(posted["blocks"]) == "Crosswalk: grades, bands and levels"


async def test_own_and_edited_messages_are_ignored(slack: SlackRig) -> None:
    await slack.event({**DM, "text": "grade 5", "bot_id": "BBOT"}, event_id="Ev-bot")
    await slack.event({**DM, "text": "grade 5", "subtype": "message_changed"}, event_id="Ev-edit")
    await slack.event({**DM, "text": "grade 6"}, event_id="Ev-real")
    [posted] = await slack.double.wait_for("chat.postMessage")
    assert header_of(posted["blocks"]) == "Grade 6 Senior (Descriptor) Technician"


async def test_the_slash_command_acks_at_once_and_answers_privately(slack: SlackRig) -> None:
    started = time.perf_counter()
    response = await slack.form(
        {
            "command": "/techpath",
            "text": "budget management for a lab manager",
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U-ana",
            "response_url": f"{slack.double.base_url}/respond/cmd1",
            "trigger_id": "trig",
        }
    )
    assert response.status == 200
    ack_seconds = time.perf_counter() - started
    [answer] = await slack.double.wait_for("response_url")
    assert answer["response_type"] == "ephemeral"
    assert header_of(answer["blocks"]).startswith("Budget Management: Grade 7")
    assert ack_seconds < 3


async def test_a_clarifying_choice_updates_the_question_in_place(slack: SlackRig) -> None:
    await slack.event({**DM, "text": "grade 7"})
    [question] = await slack.double.wait_for("chat.postMessage")
    buttons = next(b for b in question["blocks"] if b["type"] == "actions")["elements"]
    manager = next(b for b in buttons if "Manager" in b["text"]["text"])
    await slack.action(
        {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": "U-ana"},
            "container": {"type": "message", "channel_id": "D1", "message_ts": "1700000000.000002"},
            "channel": {"id": "D1"},
            "actions": [{"action_id": manager["action_id"], "value": manager["value"], "type": "button"}],
            "response_url": f"{slack.double.base_url}/respond/act1",
        }
    )
    [update] = await slack.double.wait_for("chat.update")
    assert (update["channel"], update["ts"]) == ("D1", "1700000000.000002")
    assert header_of(update["blocks"]).startswith("Grade 7 (Descriptor) Facility Manager")


async def test_an_unknown_action_gets_a_graceful_answer(slack: SlackRig) -> None:
    response = await slack.action(
        {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": "U-ana"},
            "container": {"type": "message", "channel_id": "D1", "message_ts": "9.9"},
            "actions": [{"action_id": "gone.feature:a0", "value": "x", "type": "button"}],
        }
    )
    assert response.status == 200
    [posted] = await slack.double.wait_for("chat.postMessage")
    assert header_of(posted["blocks"]) == "That button has expired"


async def test_a_429_is_retried_after_retry_after(slack: SlackRig) -> None:
    slack.double.rate_limit_next["chat.postMessage"] = 1
    await slack.event({**DM, "text": "grade 4"})
    [posted] = await slack.double.wait_for("chat.postMessage", timeout=8)
    assert header_of(posted["blocks"]).startswith("Grade 4")
    assert [c.method for c in slack.double.calls].count("chat.postMessage (429)") == 1


async def test_export_in_slack_uploads_the_file_to_the_conversation(slack: SlackRig) -> None:
    fields = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())
    await slack.stores.people.upsert([fields])
    await slack.event({**DM, "text": "export my data"})
    [summary] = await slack.double.wait_for("chat.postMessage")
    assert header_of(summary["blocks"]) == "Your data"
    [complete] = await slack.double.wait_for("files.completeUploadExternal")
    assert complete["channel_id"] == "D1"
    [uploaded] = slack.double.uploads.values()
    assert b'"email": "ana.tech@uni.example"' in uploaded


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": "not-a-number", "X-Slack-Signature": "v0=abc"},
        sign("{}", timestamp=str(int(time.time()) - 600)),
        sign('{"type": "event_callback"}', secret="someone-elses-secret"),
    ],
    ids=["unsigned", "non-numeric timestamp", "stale timestamp", "wrong secret"],
)
async def test_unverified_requests_are_refused_and_their_body_never_logged(
    slack: SlackRig, headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = json.dumps(
        {"type": "event_callback", "event_id": "EvX", "event": {**DM, "text": "my evidence: SECRET-42"}}
    )
    response = await slack.session.post(
        slack.url("/slack/events"), data=body, headers={"Content-Type": "application/json", **headers}
    )
    assert response.status == 401
    assert "SECRET-42" not in caplog.text
    assert slack.double.calls == []


async def test_a_huge_body_is_refused_before_it_is_read(slack: SlackRig) -> None:
    body = "x" * (1024 * 1024)
    response = await slack.session.post(
        slack.url("/slack/events"), data=body, headers={**sign(body), "Content-Type": "application/json"}
    )
    assert response.status == 413


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
        ("payload=%7Bnot+json", "application/x-www-form-urlencoded"),
    ],
)
async def test_malformed_payloads_with_a_valid_signature_are_refused_not_a_500(
    slack: SlackRig, body: str, content_type: str
) -> None:
    response = await slack.post(body, content_type)
    assert response.status == 400
    assert slack.double.calls == []


async def test_health_readiness_and_metrics(slack: SlackRig) -> None:
    assert (await slack.session.get(slack.url("/healthz"))).status == 200
    ready = await slack.session.get(slack.url("/readyz"))
    assert ready.status == 200 and (await ready.json()) == {
        "ready": True,
        "framework": True,
        "database": True,
    }
    await slack.event({**DM, "text": "grade 5"})
    await slack.double.wait_for("chat.postMessage")
    metrics = await (await slack.session.get(slack.url("/metrics"))).text()
    assert 'techpath_requests_total{handler="slack_events",platform="slack",status="200"} 1.0' in metrics


async def test_the_first_message_ever_gets_a_welcome_then_the_answer_in_one_post(slack: SlackRig) -> None:
    newcomer = {**DM, "user": "U-new", "channel": "D9"}
    await slack.event({**newcomer, "text": "grade 5"}, event_id="Ev-a")
    [first] = await slack.double.wait_for("chat.postMessage")
    headers = [b["text"]["text"] for b in first["blocks"] if b["type"] == "header"]
    assert headers == ["Hello! I'm techpath", "Grade 5 (Descriptor) Technician"]
    divider = [b["type"] for b in first["blocks"]].index("divider")
    assert header_of(first["blocks"][divider + 1 :]) == "Grade 5 (Descriptor) Technician"
    assert first["text"].startswith("Hello! I'm techpath") and "Grade 5" in first["text"]
    await slack.event({**newcomer, "text": "grade 6"}, event_id="Ev-b")
    posts = await slack.double.wait_for("chat.postMessage", 2)
    assert header_of(posts[1]["blocks"]) == "Grade 6 Senior (Descriptor) Technician"
    assert "Hello! I'm techpath" not in str(posts[1]["blocks"])


async def test_the_home_tab_shows_who_you_are_and_quick_actions(slack: SlackRig) -> None:
    fields = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())
    await slack.stores.people.upsert([fields])
    await slack.event({"type": "app_home_opened", "user": "U-ana", "tab": "home", "channel": "D1"})
    [published] = await slack.double.wait_for("views.publish")
    view = published["view"] if isinstance(published["view"], dict) else json.loads(published["view"])
    assert published["user_id"] == "U-ana" and view["type"] == "home"
    text = json.dumps(view)
    assert "Grade 5 (Descriptor) Technician" in text
    assert "How do I get to the next grade?" in text


async def test_share_posts_the_slash_command_answer_for_the_channel(slack: SlackRig) -> None:
    await slack.form(
        {
            "command": "/techpath",
            "text": "share band 4",
            "team_id": "T1",
            "channel_id": "C1",
            "user_id": "U-ana",
            "response_url": f"{slack.double.base_url}/respond/cmd2",
        }
    )
    [answer] = await slack.double.wait_for("response_url")
    assert answer["response_type"] == "in_channel"
    assert header_of(answer["blocks"]) == "Crosswalk: grades, bands and levels"
