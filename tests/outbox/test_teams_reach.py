"""Reaching people on Teams who never wrote to the bot: a team's roster, a Graph installation, or neither,
over loopback doubles of the Bot Connector and Microsoft Graph."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.adapters.teams import TeamsAdapter
from bot.app import build_router
from bot.core import Context
from bot.platforms import GraphConfig, TeamsConfig
from bot.server import build_app
from bot.settings import Settings
from bot.storage.outbox import Target
from bot.storage.stores import Stores
from cards.model import Card
from tests.assessment.test_platforms import card_of, texts
from tests.assessment.test_sharing import ANSWERS, PEOPLE
from tests.doubles import graph_api
from tests.doubles.bot_connector import BotConnectorDouble
from tests.doubles.graph_api import GraphDouble
from tests.outbox_helpers import drained, running_engine
from tests.teams.conftest import PUBLIC_URL, TENANT, TeamsRig

TEAM = "19:labteam@thread.tacv2"
CARD = Card(title="Secondment: imaging facility").model_dump()
ROSTER = [
    {"id": "29:ana", "aadObjectId": "aad-ana", "email": "ana.tech@uni.example", "userRole": "user"},
    {"id": "29:x", "aadObjectId": "aad-x", "email": "x@uni.example", "userRole": "user"},
    {"id": "29:boss", "aadObjectId": "aad-boss", "userPrincipalName": "Boss@uni.example", "userRole": "user"},
    {"id": "29:ben", "aadObjectId": "aad-ben", "email": "ben@uni.example", "userRole": "user"},
    # A guest whose own organisation gives them Bo's address: never taken for Bo.
    {"id": "29:mallory", "aadObjectId": "aad-mallory", "email": "boss@uni.example", "userRole": "guest"},
]


class Rig(TeamsRig):
    graph: GraphDouble


@pytest.fixture
async def rig(ctx: Context, stores: Stores) -> AsyncIterator[Rig]:
    """The server with its Teams adapter configured for Graph installs, beside both doubles."""
    connector = BotConnectorDouble(
        members={"29:ana": {"id": "29:ana", "aadObjectId": "aad-ana", "email": "ana.tech@uni.example"}}
    )
    graph = GraphDouble(on_install=connector.personal_installs.add)
    await connector.start()
    await graph.start()
    config = TeamsConfig(
        "",
        "",
        "",
        "MultiTenant",
        frozenset({"127.0.0.1"}),
        frozenset({TENANT}),
        service_url=connector.service_url,
        graph=GraphConfig(
            graph_api.CLIENT_ID,
            graph_api.CLIENT_SECRET,
            graph_api.TENANT,
            graph_api.CATALOG_APP_ID,
            graph.graph_url,
            graph.authority,
        ),
    )
    app = build_app(Settings(_env_file=None), ctx, stores)
    router = build_router(ctx, stores)
    adapter = TeamsAdapter(config, router, stores, public_url=PUBLIC_URL)
    adapter.install(app)
    await stores.people.upsert(PEOPLE)
    await stores.contacts.first_contact("teams", TENANT, "aad-ana")
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as session, running_engine(stores, router, adapter.notifier):
        found = Rig(connector, server, session, stores, router=router, adapter=adapter)
        found.graph = graph
        yield found
    await server.close()
    await graph.close()
    await connector.close()


async def _person(stores: Stores, email: str) -> int:
    person = await stores.people.by_email(email)
    assert person is not None
    return person.id


async def _bot_added_to_the_team(rig: Rig) -> None:
    response = await rig.post(rig.fixture("conversation_update_bot_added_to_team"))
    assert response.status == 202
    await rig.settled()


def _sent_to(rig: Rig, conversation: str) -> list[dict[str, Any]]:
    """What the bot posted in a conversation (botbuilder posts a proactive message as a reply)."""
    sent = rig.connector.sent
    return [s.activity for s in sent if s.conversation_id == conversation and s.verb in ("send", "reply")]


async def test_a_team_member_who_never_wrote_gets_the_share_card_in_a_new_chat(
    rig: Rig, stores: Stores
) -> None:
    rig.connector.rosters[TEAM] = ROSTER
    await _bot_added_to_the_team(rig)
    [install] = await stores.installs.of("teams")
    assert (install.tenant, install.place_id) == (TENANT, TEAM)
    assert install.details["serviceUrl"] == rig.connector.service_url

    # Ana shares her self-assessment with Bo, who has never written to the bot.
    for answer in ["start self-assessment", *ANSWERS]:
        await rig.post(rig.activity(text=answer))
        await rig.connector.wait_for(len(rig.connector.messages()) + 1)
    summary = card_of(rig.connector.messages()[-1].activity)
    [share] = [a for a in summary["actions"] if a["title"] == "Share with my manager"]
    await rig.post(rig.activity(text=None, value=share["data"], replyToId="activity-11"))
    await rig.connector.until(lambda sent: _sent_to(rig, "a:1on1-29:boss"), "the card in Bo's new chat")
    await drained(stores)

    [created] = rig.connector.created
    assert created["members"] == [{"id": "29:boss"}] and created["channelData"]["tenant"]["id"] == TENANT
    assert created["bot"]["id"] == "28:bot"
    [card] = _sent_to(rig, "a:1on1-29:boss")
    assert "Ana Costa shared a self-assessment" in texts(card_of(card))
    # Five members at two a page: the roster is read over three pages, following the continuation token.
    assert [p for m, p in rig.connector.requests if m == "GET" and p.endswith("/pagedmembers")] == [
        f"/v3/conversations/{TEAM}/pagedmembers"
    ] * 3

    # The chat is kept: the next card goes straight there, with no roster read and no new chat.
    boss = await _person(stores, "boss@uni.example")
    [reference] = await stores.references.personal_of("teams", boss)
    assert reference["conversation"]["id"] == "a:1on1-29:boss"
    await stores.outbox.enqueue("s2", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    assert len(_sent_to(rig, "a:1on1-29:boss")) == 2
    assert len(rig.connector.created) == 1
    assert len([p for _, p in rig.connector.requests if p.endswith("/pagedmembers")]) == 3


async def test_one_roster_read_serves_a_whole_broadcast(rig: Rig, stores: Stores) -> None:
    rig.connector.rosters[TEAM] = ROSTER
    await _bot_added_to_the_team(rig)
    people = [await _person(stores, e) for e in ("boss@uni.example", "ben@uni.example")]
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=p) for p in people])
    await drained(stores)
    assert sorted(c["members"][0]["id"] for c in rig.connector.created) == ["29:ben", "29:boss"]
    assert len([p for _, p in rig.connector.requests if p.endswith("/pagedmembers")]) == 3
    assert rig.graph.calls == []  # nobody needed Graph


async def test_someone_only_graph_knows_gets_the_app_installed_then_the_card(
    rig: Rig, stores: Stores
) -> None:
    rig.graph.users["boss@uni.example"] = "aad-boss"
    boss = await _person(stores, "boss@uni.example")
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    [(path, body)] = rig.graph.installs()
    assert path == "/v1.0/users/aad-boss/teamwork/installedApps"
    assert body == {
        "teamsApp@odata.bind": f"{rig.graph.graph_url}/appCatalogs/teamsApps/{graph_api.CATALOG_APP_ID}"
    }
    assert all(valid for *_, valid in rig.graph.calls)  # every call carried the token it was issued
    [token] = rig.graph.tokens_issued
    assert token["scope"] == rig.graph.graph_url.removesuffix("/v1.0") + "/.default"
    [created] = rig.connector.created
    assert created["members"] == [{"id": "aad-boss"}] and created["channelData"]["tenant"]["id"] == TENANT
    [card] = _sent_to(rig, "a:1on1-aad-boss")
    assert card["summary"] == "Secondment: imaging facility"
    [row] = await stores.outbox.rows_of("s1")
    assert row.state == "sent"


async def test_an_app_already_installed_409_is_taken_as_installed(rig: Rig, stores: Stores) -> None:
    rig.graph.users["boss@uni.example"] = "aad-boss"
    rig.graph.installed.add("aad-boss")
    rig.connector.personal_installs.add("aad-boss")
    boss = await _person(stores, "boss@uni.example")
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    assert len(rig.graph.installs()) == 1  # answered 409
    assert len(_sent_to(rig, "a:1on1-aad-boss")) == 1
    assert (await stores.outbox.status("s1"))[0].by_state == {"sent": 1}


async def test_a_graph_429_holds_installs_back_for_its_retry_after(rig: Rig, stores: Stores) -> None:
    rig.graph.users["boss@uni.example"] = "aad-boss"
    rig.graph.fail_installs = [429]
    boss = await _person(stores, "boss@uni.example")
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    assert len(rig.graph.installs()) == 2  # refused once, then installed
    [(scope, _until, seconds)] = [t for t in await stores.throttles.all() if t[1] is not None]
    assert scope == f"graph:{TENANT}:install" and seconds == 1.0
    assert (await stores.outbox.status("s1"))[0].by_state == {"sent": 1}


@pytest.mark.parametrize("graph_answer", ["no such user", "install forbidden"])
async def test_someone_reachable_nowhere_is_reported_and_sees_the_card_when_they_write(
    rig: Rig, stores: Stores, graph_answer: str
) -> None:
    rig.connector.rosters[TEAM] = [m for m in ROSTER if m["id"] != "29:ana"]
    await _bot_added_to_the_team(rig)
    if graph_answer == "install forbidden":
        rig.graph.users["ana.tech@uni.example"] = "aad-ana"
        rig.graph.fail_installs = [403]
    ana = await _person(stores, "ana.tech@uni.example")
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=ana)])
    await drained(stores)
    [status] = await stores.outbox.status("s1")
    assert status.by_state == {"waiting": 1}
    assert rig.connector.created == [] and rig.connector.messages() == []
    if graph_answer == "install forbidden":
        assert await stores.outbox.blocked_platforms(ana) == {"teams"}
        assert len(rig.graph.installs()) == 1  # tried once, not again

    # Ana writes: the card waiting for her comes with the answer.
    await rig.post(rig.activity(text="hello"))
    await rig.settled()
    shown = [texts(card_of(s.activity)) for s in rig.connector.messages()]
    assert any("Secondment: imaging facility" in t for t in shown)
    assert (await stores.outbox.status("s1"))[0].by_state == {"sent": 1}


async def test_a_team_whose_service_url_is_no_longer_allowed_is_never_called(
    rig: Rig, stores: Stores
) -> None:
    """The team was installed while its host was allowed; the allow-list has changed since."""
    rig.connector.rosters[TEAM] = ROSTER
    moved = rig.connector.service_url.replace("127.0.0.1", "localhost")
    bot = {"id": "28:bot"}
    details = {"tenantId": TENANT, "serviceUrl": moved, "bot": bot}
    await stores.installs.remember("teams", TENANT, TEAM, details)
    boss = await _person(stores, "boss@uni.example")
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    assert rig.connector.requests == []
    assert (await stores.outbox.status("s1"))[0].by_state == {"waiting": 1}


async def test_removing_the_bot_from_a_team_forgets_the_team(rig: Rig, stores: Stores) -> None:
    await _bot_added_to_the_team(rig)
    removed = rig.fixture("conversation_update_bot_added_to_team", membersRemoved=[{"id": "28:bot"}])
    del removed["membersAdded"]
    assert (await rig.post(removed)).status == 202
    await rig.settled()
    assert await stores.installs.of("teams") == []


async def test_a_team_installation_update_is_remembered_and_its_removal_forgotten(
    rig: Rig, stores: Stores
) -> None:
    team_scope = {
        "conversation": {"isGroup": True, "conversationType": "channel", "tenantId": TENANT, "id": TEAM},
        "channelData": {"team": {"id": TEAM, "name": "Lab technicians"}, "tenant": {"id": TENANT}},
    }
    assert (await rig.post(rig.fixture("installation_update", **team_scope))).status == 202
    await rig.settled()
    assert [i.place_id for i in await stores.installs.of("teams")] == [TEAM]
    # A personal installation names no team: nothing to remember.
    assert (await rig.post(rig.fixture("installation_update"))).status == 202
    await rig.settled()
    assert len(await stores.installs.of("teams")) == 1
    removed = rig.fixture("installation_update", action="remove", **team_scope)
    assert (await rig.post(removed)).status == 202
    await rig.settled()
    assert await stores.installs.of("teams") == []


async def test_a_team_learnt_from_a_channel_message_reaches_its_members(rig: Rig, stores: Stores) -> None:
    """A team the bot was in before it listened for installations is learnt from a message there."""
    rig.connector.rosters["19:labteam@thread.tacv2"] = ROSTER
    await rig.post(rig.fixture("channel_mention"))
    await rig.settled()
    boss = await _person(stores, "boss@uni.example")
    await stores.outbox.enqueue("s1", "bulletin", CARD, [Target(person_id=boss)])
    await drained(stores)
    assert len(_sent_to(rig, "a:1on1-29:boss")) == 1
