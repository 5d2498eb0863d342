"""Every button typed in the person's own words does what the button does, through the router and the real
stores; a command is never answered with a search of the framework."""

from __future__ import annotations

from bot.core import Context
from bot.storage.stores import Stores
from tests.assessment.test_sharing import finish, people

NOT_IN_FRAMEWORK = "Not in the framework"
SEARCHED = "Where the framework mentions"


async def test_sharing_typed_shares_and_stops_sharing(ctx: Context, stores: Stores) -> None:
    ana, boss, _ = await people(ctx, stores)
    assert (await ana.say("share with my manager")).title == "You have no finished self-assessment"
    await finish(ana)
    shared = await ana.say("share with my manager")
    assert shared.title == "Shared with Bo Manager"
    assert not ana.last[0].replace_original  # a new message: there is no clicked card to replace
    owner = await stores.people.by_email("ana.tech@uni.example")
    assert owner is not None and (await stores.assessments.completed_for(owner.id))[0].shared

    # The manager sees it by name, and adds their view by name.
    await boss.say("hello again")
    side = await boss.say("show ana costa")
    assert side.title == "Ana Costa: self-assessment and manager's view"
    form = await boss.say("add my view")  # the only report who shares one
    assert form.form is not None and form.title == "Your view of Ana Costa's self-assessment"
    assert (await boss.say("show ben")).title == "Ben Ode has not shared a self-assessment with you"
    assert (await boss.say("show zed quill")).title == "I can't find Zed Quill"

    assert (await ana.say("my manager's view")).title == "Ana Costa: self-assessment and manager's view"
    stopped = await ana.say("stop sharing")
    assert stopped.title == "No longer shared"
    assert (await ana.say("stop sharing")).title == "Nothing is shared"
    assert (await boss.say("show ana costa")).title == "Ana Costa has not shared a self-assessment with you"


async def test_step_words_outside_an_assessment_are_answered_about_the_assessment(
    ctx: Context, stores: Stores
) -> None:
    ana, _, _ = await people(ctx, stores)
    for word in ("restart", "resume", "skip", "cancel"):
        card = await ana.say(word)
        assert card.title == "You have no self-assessment in progress", word
        assert any(a.label == "Start a self-assessment" for a in card.actions)
    await ana.say("start self-assessment")
    await ana.say("7")
    await ana.say("pause")
    assert (await ana.say("cancel")).title.startswith("Self-assessment paused")  # a bare cancel keeps it
    resumed = await ana.say("resume")
    assert resumed.title == "Self-assessment: 1 of 10"  # paused at the evidence of the first competency


async def test_typed_commands_are_never_a_framework_search(ctx: Context, stores: Stores) -> None:
    ana, boss, _ = await people(ctx, stores)
    await finish(ana)
    for chat, text in (
        (ana, "share with my manager"),
        (ana, "stop sharing"),
        (ana, "accept the suggestions"),
        (ana, "download as csv"),
        (ana, "restart"),
        (boss, "show ana costa"),
        (boss, "add my view"),
        (boss, "my team"),
    ):
        card = await chat.say(text)
        assert card.title != NOT_IN_FRAMEWORK, text
        assert not card.title.startswith(SEARCHED), text
    saved = await ana.say("accept suggestions")
    assert saved.title == "Your development plan"


async def test_the_latest_summary_and_a_fresh_start_typed(ctx: Context, stores: Stores) -> None:
    ana, _, _ = await people(ctx, stores)
    assert (await ana.say("show my last assessment")).title == "You have no finished self-assessment"
    summary = await finish(ana)
    assert (await ana.say("show my last assessment")).title == summary.title
    await ana.say("start self-assessment")
    await ana.say("7")
    await ana.say("pause")
    offered = await ana.say("start self-assessment")
    assert offered.title == "You have a self-assessment in progress"
    fresh = await ana.say("start a new one")
    assert fresh.title == "Self-assessment: 1 of 10"
    owner = await stores.people.by_email("ana.tech@uni.example")
    assert owner is not None
    record = await stores.assessments.open_for(owner.id)
    assert record is not None and record.progress.scores == {}  # the paused one was discarded
