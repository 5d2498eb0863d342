""" "I'm interested" passed on to the contact when TECHPATH_BULLETIN_FORWARD_INTEREST is on and the contact is
a directory person the bot can reach (once, through the delivery engine); otherwise the acknowledgement
says to write to the contact directly, with their address."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.assessment.test_platforms import card_of, texts
from tests.bulletin.conftest import BulletinRig
from tests.bulletin.steps import opportunity, post, slack_button, slack_press
from tests.outbox_helpers import drained

FORWARDING = pytest.mark.parametrize("rig_env", [{"TECHPATH_BULLETIN_FORWARD_INTEREST": "true"}])


async def _press_interested(rig: BulletinRig, tmp_path: Path, contact: str) -> tuple[int, str]:
    text = opportunity("Imaging secondment", "secondment", departments="Chemistry", contact=contact)
    number = await post(rig, tmp_path, text)
    await drained(rig.stores)
    reply = await slack_press(rig, slack_button(rig.slack_posts("D-ana")[-1], "I'm interested"))
    await drained(rig.stores)
    return number, json.dumps(reply["blocks"])


@FORWARDING
async def test_the_contact_on_teams_hears_who_is_interested_once(rig: BulletinRig, tmp_path: Path) -> None:
    number, said = await _press_interested(rig, tmp_path, "Tom Teams <tom@uni.example>")
    assert "is recorded, and its contact, Tom Teams, has been sent your name and email address" in said
    told = [a for a in rig.teams_sent("a:personal-tom") if a["summary"].startswith("Ana Costa")]
    assert [a["summary"] for a in told] == ["Ana Costa is interested in “Imaging secondment”"]
    assert any("Ana Costa (ana.tech@uni.example)" in t for t in texts(card_of(told[0])))
    # Saying it again counts once and tells nobody twice.
    again = await slack_press(rig, slack_button(rig.slack_posts("D-ana")[0], "I'm interested"))
    assert "counted once. The contact has been told." in json.dumps(again["blocks"])
    await drained(rig.stores)
    assert len(await rig.stores.outbox.rows_of(f"bulletin-interest:{number}")) == 1


@FORWARDING
@pytest.mark.parametrize(
    "contact",
    ["lee@uni.example", "imaging-office@uni.example"],
    ids=["in the directory but never used the bot", "not in the directory"],
)
async def test_a_contact_the_bot_cannot_reach_is_to_be_written_to(
    rig: BulletinRig, tmp_path: Path, contact: str
) -> None:
    number, said = await _press_interested(rig, tmp_path, contact)
    assert (
        f"The contact has not been told: to apply or ask about it, write to them directly at {contact}"
        in said
    )
    assert await rig.stores.outbox.rows_of(f"bulletin-interest:{number}") == []


async def test_nothing_is_passed_on_unless_the_deployment_chose_so(rig: BulletinRig, tmp_path: Path) -> None:
    number, said = await _press_interested(rig, tmp_path, "tom@uni.example")
    assert "write to them directly at tom@uni.example" in said
    assert await rig.stores.outbox.rows_of(f"bulletin-interest:{number}") == []
    assert (await rig.stores.uptake.of(number)).interested == {rig.ids["ana"]}
