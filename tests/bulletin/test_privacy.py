"""Interest and clicks are personal data: in "export my data", and gone after "delete my data"."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core import Event, EventKind
from tests.bulletin.conftest import BulletinRig
from tests.bulletin.test_post_from_file import _post
from tests.outbox_helpers import drained


def _from_ana(text: str = "", **fields: str) -> Event:
    kind = EventKind.ACTION if "action_id" in fields else EventKind.MESSAGE
    return Event(
        kind=kind,
        platform="slack",
        tenant="T1",
        conversation_id="slack:T1:D-ana",
        user_id="U-ana",
        text=text,
        private=True,
        **fields,
    )


async def test_interest_and_clicks_are_exported_and_erased(rig: BulletinRig, tmp_path: Path) -> None:
    opportunity = await _post(rig, tmp_path)
    await drained(rig.stores)
    ana = rig.ids["ana"]
    await rig.stores.uptake.interested(opportunity, ana)
    await rig.stores.uptake.clicked(opportunity, ana, "dm")
    await rig.stores.bulletin.set_preference(ana, use_assessment=True)
    *_, exported = await rig.router.dispatch(_from_ana("export my data"))
    bulletin = json.loads(exported.attachments[0].content)["bulletin"]
    assert [i["opportunity"] for i in bulletin["interested_in"]] == [opportunity]
    assert [(c["opportunity"], c["from"]) for c in bulletin["link_clicks"]] == [(opportunity, "dm")]
    assert bulletin["settings"] == {"mode": "each", "use_self_assessment": True}

    *_, confirm = await rig.router.dispatch(_from_ana("delete my data"))
    yes = next(a for a in confirm.card.actions if a.label == "Yes, delete my data")
    await rig.router.dispatch(_from_ana(action_id=yes.action_id, value=yes.value))
    uptake = await rig.stores.uptake.of(opportunity)
    assert uptake.interested == set() and uptake.clicked == set()
    assert (await rig.stores.privacy.export(ana))["bulletin"] == {
        "interested_in": [],
        "link_clicks": [],
        "weekly_digests": [],
        "closing_reminders": [],
        "settings": None,
    }


async def test_retention_removes_old_interest_and_clicks(rig: BulletinRig, tmp_path: Path) -> None:
    opportunity = await _post(rig, tmp_path)
    await rig.stores.uptake.interested(opportunity, rig.ids["ana"])
    await rig.stores.uptake.clicked(opportunity, None, "channel")
    await rig.stores.privacy.purge_expired(timedelta(days=30), now=datetime.now(UTC) + timedelta(days=29))
    assert (await rig.stores.uptake.of(opportunity)).interested == {rig.ids["ana"]}
    await rig.stores.privacy.purge_expired(timedelta(days=30), now=datetime.now(UTC) + timedelta(days=31))
    uptake = await rig.stores.uptake.of(opportunity)
    assert uptake.interested == set() and uptake.channel_opens == 0
