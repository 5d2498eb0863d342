"""Personal data stays in one-to-one chats, and a card about someone reaches a manager only while shared."""

from __future__ import annotations

from typing import Any

from bot.app import build_router
from bot.core import PRIVATE_ONLY, Context, EventKind
from bot.outbox.engine import DeliveryEngine, EngineSettings
from bot.outbox.notifier import Address, Retryable
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from cards.model import Card
from tests.assessment.test_conversation import Chat
from tests.assessment.test_platforms import card_of, header, texts
from tests.assessment.test_sharing import finish, people
from tests.outbox_helpers import RecordingNotifier
from tests.slack.conftest import SlackRig
from tests.teams.conftest import TENANT, TeamsRig

ANA = PersonFields("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5", "", frozenset())
MENTION = {"type": "app_mention", "channel": "C1", "user": "U-ana", "ts": "5.5"}


async def test_a_channel_mention_never_gets_a_download(slack: SlackRig, stores: Stores) -> None:
    await stores.people.upsert([ANA])
    await slack.event({**MENTION, "text": "<@UBOT> download my assessment"}, event_id="Ev-m")
    [posted] = await slack.double.wait_for("chat.postMessage")
    assert posted["channel"] == "C1" and header(posted["blocks"]) == PRIVATE_ONLY.title
    await slack.event({**MENTION, "text": "<@UBOT> export my data", "ts": "5.6"}, event_id="Ev-n")
    await slack.double.wait_for("chat.postMessage", 2)
    assert slack.double.uploads == {}


async def test_the_slash_command_never_uploads_to_the_channel(slack: SlackRig, stores: Stores) -> None:
    await stores.people.upsert([ANA])
    await slack.command(text="download my assessment as csv")
    [answer] = await slack.double.wait_for("response_url")
    assert PRIVATE_ONLY.title in str(answer)
    await slack.command(text="start self-assessment")
    await slack.double.wait_for("response_url", 2)
    assert slack.double.uploads == {}
    assert await stores.assessments.open_for((await stores.people.by_email(ANA.email)).id) is None  # type: ignore[union-attr]


async def test_a_teams_channel_is_told_to_use_a_personal_chat(teams: TeamsRig, stores: Stores) -> None:
    await stores.people.upsert([ANA])
    activity = teams.activity(
        text="<at>techpath</at> start self-assessment",
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
    assert texts(card_of(reply.activity))[0] == PRIVATE_ONLY.title


async def test_a_waiting_card_is_shown_in_a_dm_never_in_a_channel(ctx: Context, stores: Stores) -> None:
    ana, boss, _ = await people(ctx, stores)
    summary = await finish(ana)
    await ana.click(ana.option("Share with my manager", summary))
    in_channel = boss._event(kind=EventKind.MESSAGE, text="band 4").model_copy(
        update={"private": False, "conversation_id": "slack:T1:C1:5.5"}
    )
    replies = await boss.router.dispatch(in_channel)
    assert [r.card.title for r in replies] == ["Crosswalk: grades, bands and levels"]
    await boss.say("band 4")
    assert boss.last[0].card.title == "Ana Costa shared a self-assessment"


async def test_a_card_whose_share_was_stopped_during_a_failed_send_is_never_shown(
    ctx: Context, stores: Stores
) -> None:
    ana, boss, _ = await people(ctx, stores)
    summary = await finish(ana)
    shared = await ana.click(ana.option("Share with my manager", summary))
    stop = ana.option("Stop sharing", shared)

    class StoppedMidSend(RecordingNotifier):
        async def send(self, address: Address, card: Card, delivery_id: int) -> dict[str, Any]:
            await ana.click(stop)  # Ana stops sharing while the send is under way, and it fails
            raise Retryable("http_502")

    # Retried at once, so the second round below is the retry.
    engine = DeliveryEngine(
        stores, [StoppedMidSend()], ana.router.deliveries, EngineSettings(backoff_base_seconds=0)
    )
    assert await engine.run_once() == 1
    # The retry asks the feature first, and the share is no longer there: withdrawn, not sent.
    assert await engine.run_once() == 1
    [status] = [s for s in await stores.outbox.status() if s.send_id.startswith("share:")]
    assert status.by_state == {"cancelled": 1}
    await boss.say("band 4")
    assert len(boss.last) == 1 and boss.last[0].card.title == "Crosswalk: grades, bands and levels"


async def test_evidence_that_reads_like_a_command_is_evidence(ctx: Context, stores: Stores) -> None:
    await stores.people.upsert([ANA])
    ana = Chat(build_router(ctx, stores), email=ANA.email)
    await ana.say("hello")
    await ana.say("start self-assessment")
    await ana.say("6")
    card = await ana.say("Assessment of COSHH risks for the teaching labs")
    assert card.title == "Self-assessment: 2 of 10"
    person = await stores.people.by_email(ANA.email)
    record = await stores.assessments.open_for(person.id)  # type: ignore[union-attr]
    assert record is not None
    assert record.progress.evidence == {"service-delivery": "Assessment of COSHH risks for the teaching labs"}


async def test_a_managers_erasure_removes_their_view(ctx: Context, stores: Stores) -> None:
    ana, boss, _ = await people(ctx, stores)
    summary = await finish(ana)
    await ana.click(ana.option("Share with my manager", summary))
    await boss.say("band 4")
    form_card = await boss.click(boss.option("Add my view", boss.last[0].card))
    assert form_card.form is not None
    submit = form_card.form.submit
    event = boss._event(kind=EventKind.ACTION, action_id=submit.action_id, value=submit.value)
    await boss.router.dispatch(event.model_copy(update={"inputs": {"budget": "4", "comment": "Bo's words"}}))
    bo = await stores.people.by_email("boss@uni.example")
    assert bo is not None
    await stores.privacy.erase(bo.id, "boss@uni.example")
    owner = await stores.people.by_email("ana.tech@uni.example")
    [record] = await stores.assessments.completed_for(owner.id)  # type: ignore[union-attr]
    assert record.review == {}
