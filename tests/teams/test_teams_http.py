"""Teams over real HTTP (local development mode, no tokens): activities in, Bot Connector calls out."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text

from bot.storage.downloads import ALLOWED_DOWNLOADS
from bot.storage.people import PersonFields
from tests.teams.conftest import PUBLIC_URL, TENANT, TeamsRig


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    content: dict[str, Any] = attachment["content"]
    return content


def title_of(activity: dict[str, Any]) -> str:
    """The card's title as a person reads it (Adaptive Card text is markdown-escaped)."""
    return re.sub(r"\\(.)", r"\1", str(card_of(activity)["body"][0]["text"]))


async def test_a_personal_message_is_answered_with_an_adaptive_card(teams: TeamsRig) -> None:
    response = await teams.post(teams.activity(text="what does grd 7 specalist need"))
    assert response.status == 202  # acknowledged; the reply follows through the connector
    [reply] = await teams.connector.wait_for(1)
    assert reply.conversation_id == "a:personal-ana"
    assert title_of(reply.activity) == "Grade 7 Specialist (Descriptor) Technician"
    assert card_of(reply.activity)["version"] == "1.5"


async def test_a_channel_mention_is_answered_without_the_mention(teams: TeamsRig) -> None:
    activity = teams.activity(
        text="<at>techpath</at> band 4",
        conversation={"id": "19:channel;messageid=1", "conversationType": "channel", "tenantId": TENANT},
        entities=[
            {
                "type": "mention",
                "mentioned": {"id": "28:bot", "name": "techpath"},
                "text": "<at>techpath</at>",
            }
        ],
    )
    await teams.post(activity)
    [reply] = await teams.connector.wait_for(1)
    assert title_of(reply.activity) == "Crosswalk: grades, bands and levels"


async def test_a_submitted_choice_updates_the_card_it_came_from(teams: TeamsRig) -> None:
    await teams.post(teams.activity(text="grade 7"))
    [question] = await teams.connector.wait_for(1)
    buttons = [
        a for e in card_of(question.activity)["body"] if e["type"] == "ActionSet" for a in e["actions"]
    ]
    buttons += card_of(question.activity).get("actions", [])
    manager = next(b for b in buttons if "Manager" in b["title"])
    await teams.post(teams.activity(value=manager["data"], replyToId="activity-1", text=None))
    messages = await teams.connector.wait_for(2)
    assert messages[1].verb == "update"
    assert title_of(messages[1].activity).startswith("Grade 7 (Descriptor) Facility Manager")


async def test_installing_the_app_welcomes_once(teams: TeamsRig) -> None:
    added = teams.activity(
        type="conversationUpdate",
        text=None,
        **{"from": {"id": "29:ben", "aadObjectId": "aad-ben"}},
        membersAdded=[{"id": "29:ben", "aadObjectId": "aad-ben"}, {"id": "28:bot"}],
    )
    await teams.post(added)
    [welcome] = await teams.connector.wait_for(1)
    assert title_of(welcome.activity) == "Hello! I'm techpath"
    await teams.post({**added, "id": "again"})
    await teams.post(teams.activity(text="grade 5"))
    messages = await teams.connector.wait_for(2)
    assert [title_of(m.activity) for m in messages] == [
        "Hello! I'm techpath",
        "Grade 5 (Descriptor) Technician",
    ]


async def test_the_conversation_reference_is_stored_as_json(teams: TeamsRig) -> None:
    fields = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())
    await teams.stores.people.upsert([fields])
    await teams.post(teams.activity(text="who am i"))
    [reply] = await teams.connector.wait_for(1)
    assert title_of(reply.activity) == "Ana Costa"  # linked by the email from the Teams roster
    reference = await teams.stores.references.get("teams", f"teams:{TENANT}:a:personal-ana")
    assert reference is not None
    assert reference["serviceUrl"] == teams.connector.service_url
    assert reference["conversation"]["id"] == "a:personal-ana"
    json.dumps(reference)  # our own JSON, not a pickled SDK object


async def test_an_untrusted_service_url_is_refused_and_never_called(teams: TeamsRig) -> None:
    for url in ("https://evil.example/", "https://smba.trafficmanager.net.evil.example/", "ftp://127.0.0.1/"):
        response = await teams.post(teams.activity(text="grade 5", serviceUrl=url))
        assert response.status == 403
    assert teams.connector.sent == []


async def test_bad_input_is_a_4xx_never_a_500(teams: TeamsRig) -> None:
    url = str(teams.server.make_url("/api/messages"))
    assert (
        await teams.session.post(url, data="{not json", headers={"Content-Type": "application/json"})
    ).status == 400
    assert (await teams.session.post(url, data="hello", headers={"Content-Type": "text/plain"})).status == 415
    assert (await teams.session.post(url, json=[1, 2])).status == 400
    assert (await teams.session.post(url, json={"text": "no type"})).status == 400
    assert (
        await teams.session.post(url, data=b"x" * (1024 * 1024), headers={"Content-Type": "application/json"})
    ).status == 413
    odd = await teams.post(teams.activity(type="messageReaction", text=None))
    assert odd.status == 202
    forged = await teams.post(
        teams.activity(value={"techpath_action": "choice", "input": "choice0", "choice0": "{bad"}, text=None)
    )
    assert forged.status == 202
    [reply] = await teams.connector.wait_for(1)
    assert title_of(reply.activity) == "That button has expired"


async def test_export_in_teams_offers_a_short_lived_download_link(teams: TeamsRig) -> None:
    fields = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())
    await teams.stores.people.upsert([fields])
    await teams.post(teams.activity(text="export my data"))
    summary, link = await teams.connector.wait_for(2)
    assert title_of(summary.activity) == "Your data"
    [open_url] = card_of(link.activity)["actions"]
    assert open_url["type"] == "Action.OpenUrl" and open_url["url"].startswith(f"{PUBLIC_URL}/downloads/")
    path = open_url["url"].removeprefix(PUBLIC_URL)
    download = await teams.session.get(str(teams.server.make_url(path)))
    assert download.status == 200
    assert download.headers["Cache-Control"] == "no-store"
    assert json.loads(await download.text())["directory_entry"]["email"] == "ana.tech@uni.example"
    async with teams.stores.database.engine.begin() as connection:  # fifteen minutes later
        await connection.execute(
            text("UPDATE downloads SET expires_at = :past"), {"past": datetime(2000, 1, 1, tzinfo=UTC)}
        )
    expired = await teams.session.get(str(teams.server.make_url(path)))
    assert expired.status == 404
    assert "expired" in (await expired.json())["error"]
    assert await downloads_held(teams) == 0  # the export left the database when the link was refused
    assert (await teams.session.get(str(teams.server.make_url("/downloads/guessed-token")))).status == 404


async def test_the_data_export_holds_the_personal_teams_conversation_references(teams: TeamsRig) -> None:
    fields = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())
    await teams.stores.people.upsert([fields])
    channel = {"id": "19:channel;messageid=1", "conversationType": "channel", "tenantId": TENANT}
    await teams.post(teams.activity(text="<at>techpath</at> band 4", conversation=channel))
    await teams.connector.wait_for(1)
    await teams.post(teams.activity(text="export my data"))
    *_, summary, link = await teams.connector.wait_for(3)
    assert title_of(summary.activity) == "Your data"
    [open_url] = card_of(link.activity)["actions"]
    download = await teams.session.get(str(teams.server.make_url(open_url["url"].removeprefix(PUBLIC_URL))))
    [kept] = json.loads(await download.text())["teams_conversations"]  # the channel's is nobody's own
    assert kept["conversation_id"] == f"teams:{TENANT}:a:personal-ana"
    assert kept["reference"]["conversation"]["id"] == "a:personal-ana"
    assert kept["reference"]["user"]["id"] == "29:ana"
    assert kept["reference"]["serviceUrl"] == teams.connector.service_url
    assert kept["updated_at"]


async def downloads_held(teams: TeamsRig) -> int:
    async with teams.stores.database.engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM downloads"))).scalar_one())


async def test_a_download_link_is_used_up_after_a_few_fetches(teams: TeamsRig) -> None:
    fields = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())
    await teams.stores.people.upsert([fields])
    await teams.post(teams.activity(text="export my data"))
    _, link = await teams.connector.wait_for(2)
    assert card_of(link.activity)["body"][1]["text"] == "The link works for 15 minutes, 3 downloads at most."
    [open_url] = card_of(link.activity)["actions"]
    url = str(teams.server.make_url(open_url["url"].removeprefix(PUBLIC_URL)))
    assert (await teams.session.head(url)).status == 405  # a HEAD would spend a download on nothing
    for _ in range(ALLOWED_DOWNLOADS):
        download = await teams.session.get(url)
        assert download.status == 200
        assert json.loads(await download.text())["directory_entry"]["email"] == "ana.tech@uni.example"
    assert await downloads_held(teams) == 0  # gone with the last download, not at the daily tidy
    used_up = await teams.session.get(url)
    assert used_up.status == 404
    assert (await used_up.json())["error"] == "this link has expired or been used up; ask the bot again"


def submit_data(activity: dict[str, object], action_id: str) -> dict[str, object]:
    """The data of the card's Action.Submit for ``action_id``, as Teams would post it back."""
    card = activity["attachments"][0]["content"]  # type: ignore[index]
    for action in card.get("actions", []):
        data = action.get("data") or {}
        if data.get("techpath_action") == action_id:
            return dict(data)
    raise AssertionError(f"no {action_id} action in {card}")


async def test_erasing_my_data_leaves_no_conversation_reference(teams: TeamsRig) -> None:
    fields = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())
    await teams.stores.people.upsert([fields])
    conversation = f"teams:{TENANT}:a:personal-ana"
    await teams.post(teams.activity(text="delete my data"))
    [confirm] = await teams.connector.wait_for(1)
    assert await teams.stores.references.get("teams", conversation) is not None

    await teams.post(
        teams.activity(
            text=None, value=submit_data(confirm.activity, "privacy.erase"), replyToId="activity-1"
        )
    )
    await teams.connector.wait_for(2)
    assert title_of(teams.connector.sent[-1].activity) == "Your data has been deleted"
    # The reference is written before the handlers run, so the erasure in the same turn removes it.
    assert await teams.stores.references.get("teams", conversation) is None
