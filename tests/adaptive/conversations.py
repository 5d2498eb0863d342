"""Conversations through the router that between them get every kind of card the bot sends in Teams."""

from __future__ import annotations

from bot.app import build_router
from bot.core import Context, EventKind
from bot.storage.stores import Stores
from cards.model import Card
from tests.assessment.test_conversation import EVIDENCE, Chat
from tests.assessment.test_sharing import ANSWERS, PEOPLE
from tests.qa.evaluate import load_cases


async def _submit(chat: Chat, form_card: Card, inputs: dict[str, str]) -> Card:
    """Send a card form as Teams does: the submit button's action with the inputs typed beside it."""
    assert form_card.form is not None, f"{form_card.title} has no form"
    submit = form_card.form.submit
    event = chat._event(kind=EventKind.ACTION, action_id=submit.action_id, value=submit.value)
    return chat._last(await chat.router.dispatch(event.model_copy(update={"inputs": inputs})))


async def questions(ctx: Context, stores: Stores) -> list[Chat]:
    """Every phrasing of the accuracy suite, asked by someone the directory does not know."""
    guest = Chat(build_router(ctx, stores), platform="teams", user="29:guest", email="guest@uni.example")
    await guest.say("hello")
    for case in load_cases():
        await guest.say(case["q"])
    for typed in ("help", "what does grade 7 need", "who am i", "start self-assessment", "thanks"):
        await guest.say(typed)
    await guest.say("x " * 400)  # too long a question
    return [guest]


async def assessment(ctx: Context, stores: Stores) -> list[Chat]:
    """A self-assessment with every detour, its plan, sharing it, the manager's view, export and erasure."""
    await stores.people.upsert(PEOPLE)
    router = build_router(ctx, stores)
    ana = Chat(router, platform="teams", user="29:ana", email="ana.tech@uni.example")
    boss = Chat(router, platform="teams", user="29:boss", email="boss@uni.example")
    ben = Chat(router, platform="teams", user="29:ben", email="ben@uni.example")
    for chat in (ana, boss, ben):
        await chat.say("hello")

    first = await ana.say("start self-assessment")  # the score step: ten scores, a menu
    await ana.click(ana.option("7", first))  # the evidence step
    await ana.say(EVIDENCE)
    await ana.say("eleven")  # not a score: explained and asked again
    await ana.say("start self-assessment")  # one is in progress: resume or start a new one
    await ana.say("4 a")
    await ana.click(ana.option("Back"))
    await ana.click(ana.option("Skip"))
    await ana.say("6")
    await ana.click(ana.option("Pause"))
    await ana.say("resume")  # paused while asked for evidence
    await ana.say("done it")
    await ana.click(ana.option("7", first))  # a stale card
    for typed in ANSWERS[3:]:
        summary = await ana.say(typed)
    assert summary.chart is not None, summary.title

    plan = await ana.click(ana.option("My development plan", summary))
    form = await ana.click(ana.option("Edit plan", plan))
    inputs = {field.id: field.value for field in form.form.fields} if form.form else {}
    await _submit(ana, form, {**inputs, "1.target_date": "someday", "2.objective": "x" * 301})
    await ana.click(ana.option("Accept suggestions", plan))
    await ana.say("my development plan")
    await ana.say("download my assessment")
    history = await ana.say("my assessments")
    await ana.click(history.actions[0])  # one assessment shown again

    shared = await ana.click(ana.option("Share with my manager", summary))
    await boss.say("band 4")  # the shared card waits for Bo's next message
    received = boss.cards[-2]
    review = await boss.click(boss.option("Add my view", received))
    await _submit(boss, review, {"service-delivery": "eleven"})
    await _submit(boss, review, {"service-delivery": "6", "budget": "3.5", "comment": "Good year"})
    await boss.click(boss.option("Side by side", received))
    await boss.say("my team")
    await ben.click(boss.option("Side by side", received))  # not Ben's to see
    await ben.say("my team")
    await ana.say("band 4")  # hears that Bo added their view
    await ana.click(ana.option("Stop sharing", shared))

    aspired = await ben.say("assess me against grade 7")  # which grade 7 role?
    await ben.click(aspired.choices[-1])
    await ben.click(ben.option("Cancel"))
    await ana.say("export my data")
    confirm = await ana.say("delete my data")
    await ana.click(confirm.actions[0])
    return [ana, boss, ben]


async def bulletin(ctx: Context, stores: Stores) -> list[Chat]:
    """An opportunity written in Teams with approval on: the form with its mistakes, the preview, the
    approver's card, a return with and without a reason, the approval, "my posts", a status, a recall."""
    from bot.settings import Settings
    from cards.model import Card
    from tests.bulletin.compose_helpers import GOOD, MISTAKES
    from tests.bulletin.conftest import PEOPLE as BULLETIN_PEOPLE

    await stores.people.upsert(BULLETIN_PEOPLE)
    settings = Settings(_env_file=None, TECHPATH_BULLETIN_APPROVAL="true")  # type: ignore[call-arg]
    router = build_router(ctx, stores, settings=settings)
    cora = Chat(router, platform="teams", user="29:cora", email="coord@uni.example")
    sam = Chat(router, platform="teams", user="29:sam", email="second@uni.example")
    lee = Chat(router, platform="teams", user="29:lee", email="lee@uni.example")
    for chat in (cora, sam, lee):
        await chat.say("hello")
    await lee.say("post an opportunity")  # not a coordinator

    async def delivered(to: Chat, feature: str) -> Card:
        """The latest card the delivery engine was given for ``to`` (no engine runs here)."""
        person = await stores.people.by_email(to.email)
        assert person is not None
        [record] = await stores.bulletin.by_author("coord@uni.example")
        rows = [
            r
            for send in await stores.outbox.status(limit=500)
            if send.send_id.startswith(record.send_id)
            for r in await stores.outbox.rows_of(send.send_id)
            if r.feature == feature and r.person_id == person.id and r.card
        ]
        card = Card.model_validate(max(rows, key=lambda r: r.id).card)
        to.cards.append(card)
        return card

    form = await cora.say("post an opportunity")
    refused = await _submit(cora, form, MISTAKES)
    preview = await _submit(cora, refused, GOOD)
    await cora.click(cora.option("Send for approval", preview))
    asking = await delivered(sam, "bulletin.approval")
    back = await sam.click(sam.option("Return", asking))
    await _submit(sam, back, {"reason": ""})
    await _submit(sam, back, {"reason": "Please name the two days."})
    returned = await delivered(cora, "bulletin.outcome")
    edit = await cora.click(cora.option("Edit", returned))
    fixed = await _submit(cora, edit, {**GOOD, "description": "Tuesdays and Thursdays, for six months."})
    await cora.click(cora.option("Send for approval", fixed))
    await sam.click(sam.option("Approve", asking))  # the older card
    await sam.click(sam.option("Approve", await delivered(sam, "bulletin.approval")))
    await delivered(cora, "bulletin.outcome")
    mine = await cora.say("my posts")
    status = await cora.click(mine.choices[0])
    confirm = await cora.click(cora.option("Recall", status))
    await cora.click(cora.option("Recall every copy", confirm))
    return [cora, sam, lee]
