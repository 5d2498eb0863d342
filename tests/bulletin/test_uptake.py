"""Uptake: the tracked redirect (404 for anything forged or expired, a person counted once, link previews
and HEAD not counted, a withdrawn one says so), "I'm interested" once per person, and the report's cells."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from bot.link_tokens import sign_link
from tests.assessment.test_platforms import card_of
from tests.bulletin.conftest import BulletinRig, person
from tests.bulletin.test_post_from_file import _post
from tests.fixtures import load
from tests.outbox_helpers import drained
from tests.slack.conftest import sign


def _path_of_link(activity: dict[str, Any]) -> str:
    [url] = [a["url"] for a in card_of(activity)["actions"] if a["type"] == "Action.OpenUrl"]
    return urlsplit(url).path


async def _posted(rig: BulletinRig, tmp_path: Path) -> int:
    opportunity = await _post(rig, tmp_path)
    await drained(rig.stores)
    return opportunity


async def test_the_redirect_counts_a_person_once_and_never_a_preview(
    rig: BulletinRig, tmp_path: Path
) -> None:
    opportunity = await _posted(rig, tmp_path)
    [to_tom] = rig.teams_sent("a:personal-tom")
    path = _path_of_link(to_tom)
    for _ in range(3):
        async with rig.session.get(rig.url(path), allow_redirects=False) as response:
            assert response.status == 302
            assert response.headers["Location"] == "https://jobs.uni.example/imaging-secondment"
    for agent in ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "facebookexternalhit/1.1"):
        async with rig.session.get(rig.url(path), allow_redirects=False, headers={"User-Agent": agent}) as r:
            assert r.status == 302
    async with rig.session.head(rig.url(path), allow_redirects=False) as response:
        assert response.status == 302
    uptake = await rig.stores.uptake.of(opportunity)
    assert uptake.clicked == {rig.ids["tom"]} and uptake.channel_opens == 0
    # The channel card's link names nobody: each open is counted, anonymously.
    [in_channel] = rig.teams_sent("19:bulletin@thread.tacv2")
    async with rig.session.get(rig.url(_path_of_link(in_channel)), allow_redirects=False) as response:
        assert response.status == 302
    assert (await rig.stores.uptake.of(opportunity)).channel_opens == 1


async def test_a_forged_altered_or_expired_token_is_a_404_and_a_recalled_one_says_so(
    rig: BulletinRig, tmp_path: Path
) -> None:
    opportunity = await _posted(rig, tmp_path)
    [to_tom] = rig.teams_sent("a:personal-tom")
    path = _path_of_link(to_tom)
    key = await rig.stores.uptake.link_key()
    expired = sign_link(key, opportunity, rig.ids["tom"], datetime.now(UTC) - timedelta(seconds=1))
    forged = sign_link(b"not the key", opportunity, rig.ids["tom"], datetime.now(UTC) + timedelta(days=1))
    altered = path[:-1] + ("A" if path[-1] != "A" else "B")
    for bad in ("/r/nonsense", "/r/" + expired, "/r/" + forged, altered, "/r/" + "x" * 300):
        async with rig.session.get(rig.url(bad), allow_redirects=False) as response:
            assert response.status == 404, bad
            assert "Location" not in response.headers
    assert (await rig.stores.uptake.of(opportunity)).clicked == set()
    assert (await rig.cli("bulletin", "recall", str(opportunity))).exit_code == 0
    async with rig.session.get(rig.url(path), allow_redirects=False) as response:
        assert response.status == 410 and "withdrawn" in await response.text()


async def _click(rig: BulletinRig, button: dict[str, Any]) -> None:
    payload = load(
        "slack/block_actions",
        actions=[{"action_id": button["action_id"], "value": button["value"], "type": "button"}],
        container={"type": "message", "message_ts": "1.1", "channel_id": "D-ana", "is_ephemeral": False},
        channel={"id": "D-ana", "name": "directmessage"},
    )
    body = "payload=" + quote(json.dumps(payload))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
    async with rig.session.post(rig.url("/slack/events"), data=body.encode(), headers=headers) as response:
        assert response.status == 200


def _button(blocks: list[dict[str, Any]], label: str) -> dict[str, Any]:
    [found] = [
        e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == label
    ]
    return found


async def test_interest_is_recorded_once_and_acknowledged(rig: BulletinRig, tmp_path: Path) -> None:
    opportunity = await _posted(rig, tmp_path)
    [to_ana] = rig.slack_posts("D-ana")
    interested = _button(to_ana["blocks"], "I'm interested")
    # Counted before each click: the acknowledgement may arrive before the click's own response does.
    before = len(rig.slack.of("chat.postMessage"))
    await _click(rig, interested)
    await rig.slack.wait_for("chat.postMessage", before + 1)
    await _click(rig, interested)
    replies = await rig.slack.wait_for("chat.postMessage", before + 2)
    assert "is recorded" in str(replies[-2]["blocks"]) and "imaging@uni.example" in str(replies[-2]["blocks"])
    assert "counted once" in str(replies[-1]["blocks"])
    assert (await rig.stores.uptake.of(opportunity)).interested == {rig.ids["ana"]}
    # Slack reports a click on the link button too: Ana counted, once, whatever else counted her.
    await _click(rig, _button(to_ana["blocks"], "Open the link"))
    link = urlsplit(_button(to_ana["blocks"], "Open the link")["url"]).path
    async with rig.session.get(rig.url(link), allow_redirects=False) as response:
        assert response.status == 302
    assert (await rig.stores.uptake.of(opportunity)).clicked == {rig.ids["ana"]}


async def test_the_report_shows_no_cell_under_five_and_no_names(rig: BulletinRig, tmp_path: Path) -> None:
    await rig.stores.people.upsert(
        [person(f"chem{n}@uni.example", f"Chem {n}", "Chemistry", "6", "g6") for n in range(5)]
    )
    opportunity = await _posted(rig, tmp_path)
    await rig.stores.uptake.interested(opportunity, rig.ids["ana"])
    table = tmp_path / "report.csv"
    result = await rig.cli("bulletin", "report", str(opportunity), "--csv", str(table))
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in table.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == [
        "opportunity",
        "title",
        "group",
        "value",
        "reached",
        "delivered",
        "clicked",
        "interested",
    ]
    by_group = {(r[2], r[3]): r[4:] for r in rows[1:]}
    # Eight in Chemistry were reached (Ana, Tom, Fay and five more); two got it so far, one is interested.
    assert by_group[("all", "")] == ["8", "< 5", "< 5", "< 5"]
    assert by_group[("department", "Chemistry")] == ["8", "< 5", "< 5", "< 5"]
    assert by_group[("grade", "6")] == ["5", "< 5", "< 5", "< 5"]
    assert by_group[("grade", "5")] == ["< 5", "< 5", "< 5", "< 5"]
    for name in ("Ana", "Tom", "Fay", "ana.tech", "Chem 1"):
        assert name not in result.output and name not in table.read_text(encoding="utf-8")


async def test_interest_in_a_channel_copy_is_acknowledged_to_the_clicker_alone(
    rig: BulletinRig, tmp_path: Path
) -> None:
    """A click on the bulletin channel's card is answered ephemerally through its response_url, never posted
    in the channel (where everyone would see who is interested, one message a click)."""
    opportunity = await _posted(rig, tmp_path)
    [in_channel] = rig.slack_posts("C-bulletin")
    interested = _button(in_channel["blocks"], "I'm interested")
    payload = load(
        "slack/block_actions",
        actions=[{"action_id": interested["action_id"], "value": interested["value"], "type": "button"}],
        container={"type": "message", "message_ts": "1.1", "channel_id": "C-bulletin", "is_ephemeral": False},
        channel={"id": "C-bulletin", "name": "tc-bulletin"},
        response_url=f"{rig.slack.base_url}/respond/interest",
    )
    posts_before = len(rig.slack.of("chat.postMessage"))
    body = "payload=" + quote(json.dumps(payload))
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
    async with rig.session.post(rig.url("/slack/events"), data=body.encode(), headers=headers) as response:
        assert response.status == 200
    [answer] = await rig.slack.wait_for("response_url")
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    assert "is recorded" in json.dumps(answer["blocks"])
    assert len(rig.slack.of("chat.postMessage")) == posts_before  # nothing in the channel
    assert (await rig.stores.uptake.of(opportunity)).interested == {rig.ids["ana"]}
