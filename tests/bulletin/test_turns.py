"""A post's private copies are written in turns by platform, so that one platform's throttle does not hold
up the other's copies (rows are claimed oldest first)."""

from __future__ import annotations

from bot.storage.bulletin import Reach
from handlers.bulletin.desk import by_turns
from handlers.bulletin.targeting import Recipient


def test_copies_take_turns_by_platform_and_keep_directory_order_within_each() -> None:
    people = [Recipient(n, f"reason {n}") for n in range(1, 9)]
    # Directory order: four Slack people first, then three on Teams, then one who never used the bot.
    reach = Reach({1: "slack", 2: "slack", 3: "slack", 4: "slack", 5: "teams", 6: "teams", 7: "teams", 8: ""})
    ordered = by_turns(people, reach)
    assert [p.person_id for p in ordered] == [5, 1, 8, 6, 2, 7, 3, 4]
    assert {p.person_id: p.reason for p in ordered} == {p.person_id: p.reason for p in people}
    assert by_turns([], Reach({})) == []
