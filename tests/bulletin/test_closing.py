"""After the closing date every copy says "Closed" and loses its buttons, once, whichever replica looks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.app import bulletin_desk
from bot.core import Context
from bot.settings import Settings
from tests.assessment.test_platforms import card_of, texts
from tests.bulletin.conftest import PUBLIC_URL, TEAMS_CHANNEL, BulletinRig
from tests.bulletin.test_post_from_file import _post
from tests.outbox_helpers import drained


async def test_copies_say_closed_after_the_closing_date(
    rig: BulletinRig, tmp_path: Path, ctx: Context
) -> None:
    await _post(rig, tmp_path)  # closes on 31 March 2099
    await drained(rig.stores)
    settings = Settings(_env_file=None, TECHPATH_PUBLIC_URL=PUBLIC_URL)  # type: ignore[call-arg]
    desk = bulletin_desk(settings, ctx, rig.stores)
    desk.today = lambda: date(2099, 3, 31)
    assert await desk.close_due() == 0  # open all of its last day
    desk.today = lambda: date(2099, 4, 1)
    assert await desk.close_due() == 1
    assert await desk.close_due() == 0  # once
    await drained(rig.stores)
    [channel] = [u for u in rig.slack.of("chat.update") if u["channel"] == "C-bulletin"]
    assert "Closed on 31 March 2099" in str(channel["blocks"])
    assert not [b for b in channel["blocks"] if b["type"] == "actions"]  # no "I'm interested" any more
    [dm] = [u for u in rig.slack.of("chat.update") if u["channel"] == "D-ana"]
    assert "Closed on 31 March 2099" in str(dm["blocks"]) and "because it is open to Chemistry" in str(
        dm["blocks"]
    )
    [teams] = rig.teams_sent(TEAMS_CHANNEL, "update")
    assert any("Closed on 31 March 2099" in t for t in texts(card_of(teams)))
