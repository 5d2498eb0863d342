"""Who a post reaches beyond its audience and its chosen channels: technicians who let their
self-assessment suggest opportunities (and nobody who did not), with no score in any card or log; and the
Slack channels TECHPATH_BULLETIN_SLACK_CHANNELS names."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.storage.assessment_progress import Phase, Progress
from tests.bulletin.conftest import BulletinRig, person
from tests.bulletin.steps import opportunity, post
from tests.outbox_helpers import drained

# For Chemistry; develops Budget Management.
BUDGETING = opportunity(
    "Budgeting course", "training", departments="Chemistry", competencies="budget managment"
)
# Scores no card or log line may carry: budget and communication are the development areas.
SCORES = {"budget": 2.5, "communication": 4.5, "planning": 9.5}


async def _technician_with_an_assessment(rig: BulletinRig, name: str) -> int:
    """A Physics technician on Slack (U-name, DM D-name) whose latest finished self-assessment has Budget
    Management among its development areas."""
    await rig.stores.people.upsert([person(f"{name}@uni.example", name.title(), "Physics", "6", "g6")])
    found = await rig.stores.people.by_email(f"{name}@uni.example")
    assert found is not None
    await rig.stores.people.link_identity(found.id, "slack", "T1", f"U-{name}")
    rig.slack.dms[f"U-{name}"] = f"D-{name}"
    done = Progress(rows=tuple(SCORES), step=len(SCORES), phase=Phase.COMPLETE, scores=SCORES)
    await rig.stores.assessments.start(found.id, "lancaster", "g6", done)
    return found.id


async def test_only_an_opted_in_technician_is_suggested_it_and_no_score_is_shown(
    rig: BulletinRig, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    lee = await _technician_with_an_assessment(rig, "lena")
    await _technician_with_an_assessment(rig, "pat")
    await rig.stores.bulletin.set_preference(lee, use_assessment=True)
    with caplog.at_level(logging.DEBUG):
        number = await post(rig, tmp_path, BUDGETING)
        await drained(rig.stores)
    [to_lena] = rig.slack_posts("D-lena")
    body = json.dumps(to_lena["blocks"])
    assert "because it develops Budget Management, one of your development areas" in body
    assert rig.slack_posts("D-pat") == []  # the same development areas, but she never opted in
    cards = json.dumps([r.card for r in await rig.stores.outbox.rows_of(f"bulletin:{number}")])
    for score in ("2.5", "4.5", "9.5"):
        assert score not in cards and score not in caplog.text and score not in body
    assert "score" not in cards.lower()


@pytest.mark.parametrize(
    "rig_env", [{"TECHPATH_BULLETIN_SLACK_CHANNELS": "C-configured, C-second,C-bulletin"}]
)
async def test_the_configured_slack_channels_get_the_channel_copy(rig: BulletinRig, tmp_path: Path) -> None:
    path = tmp_path / "dry.yaml"
    path.write_text(BUDGETING, encoding="utf-8")
    dry = await rig.cli("bulletin", "post", str(path), "--as", "coord@uni.example", "--dry-run")
    assert "channels: C-configured, C-second, #tc-bulletin, Technicians / Bulletin" in dry.output
    await post(rig, tmp_path, BUDGETING)
    await drained(rig.stores)
    # Each configured channel once (C-bulletin is also chosen in chat: still once), as the channel copy.
    for channel in ("C-configured", "C-second", "C-bulletin"):
        [copy] = rig.slack_posts(channel)
        assert copy["text"].startswith("Budgeting course")
        assert "You received this" not in json.dumps(copy["blocks"])
