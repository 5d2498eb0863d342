"""A coordinator's report in chat: "my posts" has a Report button, "report for my posts" shows each post's
report; reached, delivered, not delivered by reason, clicked, interested, by department and grade, as a
native chart in Teams and aligned bars in Slack. No names, no count under five."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from tests.assessment.test_platforms import card_of, header, texts
from tests.bulletin.conftest import BulletinRig, person
from tests.bulletin.steps import (
    known_on_teams,
    opportunity,
    post,
    slack_button,
    slack_press,
    teams_say,
)
from tests.fixtures import load
from tests.outbox_helpers import drained

NAMES = ("Ana", "Tom", "Fay", "Costa", "ana.tech", "Chem 1", "tom@")


async def _posted_with_uptake(rig: BulletinRig, tmp_path: Path) -> int:
    """Reached: Ana, Tom, Fay and five more in Chemistry (eight); delivered to two; Ana interested."""
    await rig.stores.people.upsert(
        [person(f"chem{n}@uni.example", f"Chem {n}", "Chemistry", "6", "g6") for n in range(5)]
    )
    number = await post(
        rig, tmp_path, opportunity("Imaging secondment", "secondment", departments="Chemistry")
    )
    await drained(rig.stores)
    await rig.stores.uptake.interested(number, rig.ids["ana"])
    return number


def _bar_lines(blocks: list[dict[str, Any]]) -> list[str]:
    """The lines of the chart's code fence, as Slack shows them (its mrkdwn escapes "<")."""
    fenced = next(b["text"]["text"] for b in blocks if "```" in b.get("text", {}).get("text", ""))
    return html.unescape(fenced.split("```")[1]).strip("\n").split("\n")


async def test_slack_my_posts_report_button_shows_aligned_bars(rig: BulletinRig, tmp_path: Path) -> None:
    number = await _posted_with_uptake(rig, tmp_path)
    await rig.stores.people.link_identity(rig.ids["coord"], "slack", "T1", "U-coord")
    await rig.stores.contacts.first_contact("slack", "T1", "U-coord")
    before = len(rig.slack.of("chat.postMessage"))
    await rig.slack_event(
        load("slack/message_im", event__user="U-coord", event__channel="D-coord", event__text="my posts")
    )
    mine = (await rig.slack.wait_for("chat.postMessage", before + 1))[-1]
    assert header(mine["blocks"]) == "Your posts"
    report = await slack_press(rig, slack_button(mine, f"Report on {number}"), "U-coord", "D-coord")
    assert header(report["blocks"]) == "Report: Imaging secondment"
    bars = _bar_lines(report["blocks"])
    assert bars[0].startswith("Reached   ") and bars[0].endswith("  8")
    assert bars[0].index("8") == bars[1].index("<")  # values in one column
    assert [line.split()[0] for line in bars] == ["Reached", "Delivered", "Clicked", "Interested"]
    assert all(line.endswith("< 5") for line in bars[1:])
    body = html.unescape(json.dumps(report["blocks"], ensure_ascii=False))
    assert "Chemistry: reached 8 · delivered < 5 · clicked < 5 · interested < 5" in body
    assert "Grade 6: reached 5" in body and "Grade 5: reached < 5" in body
    assert "not reachable yet" in body  # Fay's copy waits: counted by reason, not named
    for name in NAMES:
        assert name not in body


async def test_teams_report_for_my_posts_is_a_native_chart(rig: BulletinRig, tmp_path: Path) -> None:
    await _posted_with_uptake(rig, tmp_path)
    await known_on_teams(rig, "29:cora", "coord@uni.example")
    [reply] = await teams_say(rig, "report for my posts", "29:cora", "a:personal-cora")
    card = card_of(reply)
    [chart] = [e for e in card["body"] if e.get("type") == "Chart.HorizontalBar"]
    # Only the counts that may be shown are drawn; the rest are "< 5" in the text the chart falls back to.
    assert chart["data"] == [{"x": "Reached", "y": 8.0}]
    assert "< 5" in json.dumps(chart["fallback"])
    assert reply["summary"] == "Report: Imaging secondment"
    assert any("Chemistry: reached 8" in t for t in texts(card))
    for name in NAMES:
        assert name not in json.dumps(card)
    # Someone who is not a coordinator is told so.
    await known_on_teams(rig, "29:tom", "tom@uni.example")
    [refused] = await teams_say(rig, "report for my posts", "29:tom", "a:personal-tom")
    assert refused["summary"] == "Only coordinators can do that"
