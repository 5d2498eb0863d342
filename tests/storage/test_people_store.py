"""The directory store on both backends: upserts, identities and managers."""

from __future__ import annotations

from bot.storage.people import PersonFields
from bot.storage.stores import Stores


def person(email: str, **changes: str) -> PersonFields:
    fields = {
        "email": email,
        "display_name": "Ada Lovelace",
        "department": "Physics",
        "grade": "6",
        "role_id": "g6",
        "manager_email": "boss@uni.example",
        "bot_roles": frozenset(),
    }
    fields.update(changes)
    return PersonFields(**fields)  # type: ignore[arg-type]


async def test_upsert_reports_added_updated_unchanged(stores: Stores) -> None:
    assert await stores.people.upsert([person("a@uni.example"), person("b@uni.example")]) == (2, 0, 0)
    assert await stores.people.upsert([person("a@uni.example"), person("b@uni.example")]) == (0, 0, 2)
    assert await stores.people.upsert([person("a@uni.example", grade="7", role_id="g7-specialist")]) == (
        0,
        1,
        0,
    )
    ada = await stores.people.by_email("A@Uni.Example ")
    assert ada is not None and (ada.grade, ada.role_id) == ("7", "g7-specialist")


async def test_identity_links_once_and_finds_the_person(stores: Stores) -> None:
    await stores.people.upsert([person("a@uni.example")])
    ada = await stores.people.by_email("a@uni.example")
    assert ada is not None
    await stores.people.link_identity(ada.id, "slack", "T1", "U1")
    await stores.people.link_identity(ada.id, "slack", "T1", "U1")
    assert await stores.people.identities_of(ada.id) == [("slack", "T1", "U1")]
    assert await stores.people.by_identity("slack", "T1", "U1") == ada
    assert await stores.people.by_identity("slack", "T2", "U1") is None


async def test_a_manager_is_anyone_with_reports(stores: Stores) -> None:
    await stores.people.upsert(
        [
            person("boss@uni.example", manager_email="", display_name="Boss"),
            person("a@uni.example", display_name="Ada"),
            person("c@uni.example", display_name="Cy"),
        ]
    )
    boss = await stores.people.by_email("boss@uni.example")
    ada = await stores.people.by_email("a@uni.example")
    assert boss is not None and ada is not None
    assert [p.display_name for p in await stores.people.reports_of(boss)] == ["Ada", "Cy"]
    assert await stores.people.is_manager(boss)
    assert not await stores.people.is_manager(ada)
