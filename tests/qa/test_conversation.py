"""Follow-up questions through the router and the real stores: the conversation remembers what it is about
(role, grade, competency, path), across a restart, and only for itself."""

from __future__ import annotations

from dataclasses import replace

from bot.app import build_router
from bot.core import Context, Event, EventKind
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from cards.text import render_text
from framework_data.query import parse_question
from handlers.qa.answer import answer_query, answer_question
from tests.assessment.test_conversation import Chat
from tests.qa.evaluate import load_cases, load_kinds

GRADE_6 = PersonFields("sam@uni.example", "Sam Lee", "Physics", "6", "g6", "", frozenset())


async def chat(ctx: Context, stores: Stores, user: str = "U-sam", email: str = "sam@uni.example") -> Chat:
    conversation = Chat(build_router(ctx, stores), user=user, email=email)
    await conversation.say("hello")  # the first contact's welcome, out of the way
    return conversation


async def test_an_elliptical_question_is_read_against_the_previous_answer(
    ctx: Context, stores: Stores
) -> None:
    sam = await chat(ctx, stores)
    assert (
        await sam.say("what does grade 7 specialist need")
    ).title == "Grade 7 Specialist (Descriptor) Technician"
    manager = await sam.say("and the manager?")
    assert manager.title.startswith("Grade 7 (Descriptor) Facility Manager")
    budget = await sam.say("what about budget management")
    assert budget.title == (
        "Budget Management: Grade 7 (Descriptor) Facility Manager, (Descriptor) Laboratory Manager, "
        "Technical Manager"
    )
    band = await sam.say("what band is that?")
    assert "NTDC/HETT band: 4" in render_text(band)


async def test_a_grade_after_a_competency_means_that_competency_at_that_grade(
    ctx: Context, stores: Stores
) -> None:
    sam = await chat(ctx, stores)
    await sam.say("budget management at each grade")
    card = await sam.say("grade 8?")
    text = render_text(card)
    assert "Budgets increase in complexity, size or number." in text
    assert "May manage multiple budgets for whole department / facility." in text
    assert "Managing and controlling budgets/resources/funding for Faculty / Division." not in text


async def test_the_grade_above_or_below_is_next_to_the_one_discussed_not_the_askers(
    ctx: Context, stores: Stores
) -> None:
    sam = await chat(ctx, stores)  # grade 6 in the directory: "next grade up" is not about Sam here
    await sam.say("teamwork grade 4")
    up = render_text(await sam.say("next grade up?"))
    assert "Leads by example. Works mainly independently" in up  # grade 5's Teamwork and Motivation
    down = await sam.say("and the one below?")
    assert down.title == "Teamwork and Motivation: Grade 4 Apprentice / Assistant (Descriptor) Technician"
    await sam.say("what does a grade 9 do")
    top = await sam.say("next grade up?")
    assert "There is no higher grade" in render_text(top)


async def test_me_compared_with_a_role_or_a_grade_named_starts_from_my_role(
    ctx: Context, stores: Stores
) -> None:
    await stores.people.upsert([GRADE_6])
    sam = await chat(ctx, stores)
    compared = await sam.say("what's the difference between me and a grade 7 specialist")
    assert compared.title == (
        "Grade 6 Senior (Descriptor) Technician vs Grade 7 Specialist (Descriptor) Technician"
    )
    step = await sam.say("what do i need to do to get to grade 7")
    assert step.title == "Your next step from Grade 6 Senior (Descriptor) Technician"
    assert "Specialist (Descriptor) Technician" in render_text(step)
    assert "Technical Manager" in render_text(step)


async def test_paths_without_a_role_at_the_grade_are_said_to_be_absent(ctx: Context, stores: Stores) -> None:
    sam = await chat(ctx, stores)
    card = await sam.say("specialist vs manager at grade 9")
    text = render_text(card)
    assert card.title == "Grade 9 Technical Director"
    assert "no Specialist (Teaching or Research) role at grade 9" in text
    assert "Specialist (Descriptor) Technician" not in text


async def test_a_choice_can_be_typed_and_the_rest_asked_for(ctx: Context, stores: Stores) -> None:
    sam = await chat(ctx, stores)
    assert (await sam.say("what does grade 8 need")).title == "Which grade 8 role?"
    picked = await sam.say("the manager one")
    assert picked.title == "Grade 8 Senior Technical Manager / Technical Operations Manager"

    summary = await sam.say("how do I get from grade 5 to 6")
    assert "What changes, competency by competency" not in render_text(summary)
    detail = await sam.say("show me more")
    assert "What changes, competency by competency" in render_text(detail)
    clicked = await sam.click(sam.option("Show what changes, competency by competency", summary))
    assert render_text(clicked) == render_text(detail)


async def test_what_a_conversation_is_about_survives_a_restart_and_stays_in_it(
    ctx: Context, stores: Stores
) -> None:
    sam = await chat(ctx, stores)
    other = await chat(ctx, stores, user="U-kim", email="kim@uni.example")
    await sam.say("grade 7 specialist")
    await other.say("communication at grade 4")
    restarted = Chat(build_router(ctx, stores), user="U-sam", email="sam@uni.example")
    assert (await restarted.say("and the manager?")).title.startswith("Grade 7 (Descriptor) Facility Manager")
    assert (await other.say("what about grade 5")).title == "Communication: Grade 5 (Descriptor) Technician"


async def test_about_me_uses_the_directory_and_asks_a_stranger(ctx: Context, stores: Stores) -> None:
    await stores.people.upsert([GRADE_6])
    sam = await chat(ctx, stores)
    mine = await sam.say("how do I get promoted")
    assert mine.title == "Your next step from Grade 6 Senior (Descriptor) Technician"
    assert "Knowledge, understanding or qualifications equivalent to level 5." not in render_text(mine)

    stranger = await chat(ctx, stores, user="U-x", email="x@uni.example")
    asked = await stranger.say("how do I get promoted")
    assert asked.title == "Which role is yours?"
    answered = await stranger.say("grade 5")
    assert answered.title == "From Grade 5 (Descriptor) Technician to Grade 6 Senior (Descriptor) Technician"


def test_questions_that_stand_alone_are_answered_as_asked_in_a_long_conversation(ctx: Context) -> None:
    """Every phrasing of phrasings.yaml, one after the other in one conversation, gets the answer it gets
    alone: what the conversation is about only completes questions that read as follow-ups."""
    conversation = replace(ctx, state={})
    for case in load_cases():
        alone = render_text(
            answer_query(parse_question(case["q"], ctx.catalogue, ctx.vocabulary), ctx.catalogue)
        )
        in_conversation = render_text(answer_question(case["q"], conversation))
        assert in_conversation == alone, case["q"]


def test_the_kinds_that_stand_alone_are_answered_as_asked_in_a_long_conversation(ctx: Context) -> None:
    conversation = replace(ctx, state={})
    for case in load_kinds():
        if "after" in case or "as" in case:
            continue
        alone = render_text(answer_question(case["q"], replace(ctx, state={})))
        assert render_text(answer_question(case["q"], conversation)) == alone, case["q"]


async def test_where_others_can_read_the_directory_grade_is_not_used(ctx: Context, stores: Stores) -> None:
    await stores.people.upsert([GRADE_6])
    router = build_router(ctx, stores)
    event = Event(
        kind=EventKind.MESSAGE,
        platform="slack",
        tenant="T1",
        conversation_id="slack:T1:C-lab",
        user_id="U-sam",
        email="sam@uni.example",
        text="how do I get promoted",
        private=False,  # a channel
    )
    *_, reply = await router.dispatch(event)
    assert reply.card.title == "Which role is yours?"
    assert "Grade 6 Senior" not in reply.card.title + "".join(s.text for s in reply.card.sections)
    assert reply.card.sections[0].text.startswith("Others can read this conversation")


async def test_naming_another_document_alone_asks_it_the_same_question(ctx: Context, stores: Stores) -> None:
    sam = await chat(ctx, stores)
    first = " ".join(render_text(await sam.say("is there any work shadowing at the icr?")).split())
    assert "work shadowing across two reciprocal days" in first
    queen_mary = " ".join(render_text(await sam.say("and queen mary?")).split())
    assert "informal work shadowing scheme" in queen_mary
    assert "Queen Mary University of London" in queen_mary and "two reciprocal days" not in queen_mary
    # Asked again of a third, the question is still the first one, not "and queen mary".
    icr = " ".join(render_text(await sam.say("what about the icr then?")).split())
    assert "two reciprocal days" in icr


async def test_follow_ups_keep_the_step_and_the_competency_asked_about(ctx: Context, stores: Stores) -> None:
    await stores.people.upsert([GRADE_6])
    sam = await chat(ctx, stores)
    assert (await sam.say("whats my next step")).title.startswith("Your next step from Grade 6")
    # "there" is the step just shown, not a step to grade 6.
    assert "Grade 5" not in (await sam.say("and how do i get there?")).title
    await sam.say("what does the technical director do")
    await sam.say("what about facilities?")
    step = await sam.say("and how do i get there from g8?")
    assert step.title == (
        "From Grade 8 Senior Technical Manager / Technical Operations Manager to Grade 9 Technical Director"
    )
    await sam.say("g8 ops manager communication")
    compared = render_text(await sam.say("how is that different from g7?"))
    assert compared.startswith(
        "Grade 8 Senior Technical Manager / Technical Operations Manager vs Grade 7 (Descriptor)"
    )
    assert "Communication" in compared and "Budget Management" not in compared
    await sam.say("what does a g5 need")
    training = await sam.say("what training would help with the safety bit?")
    assert training.title == "Development opportunities: Safety & Wellbeing"
    assert "IOSH courses" in render_text(training)


async def test_follow_ups_with_nothing_of_their_own_stay_on_what_was_shown(
    ctx: Context, stores: Stores
) -> None:
    await stores.people.upsert([GRADE_6])
    sam = await chat(ctx, stores)
    await sam.say("whats my next step")
    step = await sam.say("what about the manager?")
    assert step.title.startswith(
        "From Grade 6 Senior (Descriptor) Technician to Grade 7 (Descriptor) Facility"
    )
    await sam.say("g4 safety")
    again = await sam.say("what does that mean?")
    assert again.title == "Safety and Wellbeing: Grade 4 Apprentice / Assistant (Descriptor) Technician"
    await sam.say("g5 to g6 career grade")
    await sam.say("how is that assessed?")
    who = " ".join(render_text(await sam.say("who decides?")).split())
    assert "will make a recommendation to People and Organisational Effectiveness" in who


async def test_a_follow_up_about_another_role_keeps_what_was_asked(ctx: Context, stores: Stores) -> None:
    sam = await chat(ctx, stores)
    await sam.say("can a g8 specialist supervise students?")
    at_7 = await sam.say("what about at g7?")
    assert at_7.title == "Support for Teaching and Research: Grade 7 Specialist (Descriptor) Technician"
    assert "Supervises UG and PGT project students." in " ".join(render_text(at_7).split())
    await sam.say("does a g7 specialist need to mark?")
    manager = await sam.say("and as a manager?")
    assert manager.title.startswith(
        "Grade 7 (Descriptor) Facility Manager"
    )  # not the guide's page for managers


async def test_a_cells_reference_quoted_back_is_that_cell_not_a_passage(ctx: Context, stores: Stores) -> None:
    sam = await chat(ctx, stores)
    await sam.say("g8 ops manager communication")
    # "spreadsheet" alone would name the passage on the Excel version of Figure 3.
    card = await sam.say("the spreadsheet just says as grade 8 senior specialist - what does that mean?")
    text = " ".join(render_text(card).split())
    assert card.title.startswith("Communication: Grade 8 Senior Technical Manager"), card.title
    assert (
        "High level strategic communication with a wide range of internal and external stakeholders." in text
    )


async def test_who_does_something_at_a_grade_is_the_role_whose_cell_is_not_no(
    ctx: Context, stores: Stores
) -> None:
    sam = await chat(ctx, stores)
    await sam.say("g7 lab manager teaching delivery")  # the manager's Teaching Delivery is "No"
    card = await sam.say("so who does teach at g7?")
    assert card.title == "Teaching Delivery: Grade 7 Specialist (Descriptor) Technician", card.title
    # Both grade 8 roles do research: they are compared on it rather than the asker asked which is meant.
    both = await sam.say("who does research at g8?")
    assert both.title.startswith("Grade 8 Senior Specialist Technician vs Grade 8 Senior Technical Manager")
    assert "Contribute to REF." in " ".join(render_text(both).split())


async def test_a_reference_quoted_and_named_again_is_still_the_cell_discussed(
    ctx: Context, stores: Stores
) -> None:
    sam = await chat(ctx, stores)
    await sam.say("g5 communication")  # its cell opens "As grade 4."
    card = await sam.say("it starts 'as grade 4' - what's the grade 4 part it's pointing at?")
    assert card.title == "Communication: Grade 5 (Descriptor) Technician", card.title
    await sam.say("technical director communication")  # "As grade 8."
    # A grade with two roles, quoted: not a choice between them.
    card = await sam.say("that cell only says 'as grade 8' - can you spell out what it means?")
    assert card.title == "Communication: Grade 9 Technical Director", card.title
    text = " ".join(render_text(card).split())
    assert (
        "High level strategic communication with a wide range of internal and external stakeholders." in text
    )


async def test_which_post_of_a_grade_does_two_duties_compares_its_roles(ctx: Context, stores: Stores) -> None:
    sam = await chat(ctx, stores)
    card = await sam.say(
        "need a g8 who'll investigate near misses and still do some lecturing - which post is that?"
    )
    assert card.title.startswith("Grade 8 Senior Specialist Technician vs Grade 8 Senior Technical Manager")
    text = " ".join(render_text(card).split())
    assert "Perform accident & 'near miss' investigation." in text
    assert "Will be expected to have responsibility for UG or PGT project delivery" in text
    # Presenting work at conferences is a duty, not funding for a conference.
    card = await sam.say("at g8 who'd present our work at conferences, and who'd juggle several budgets?")
    assert "Asked to present work and consult on activities and outputs." in " ".join(
        render_text(card).split()
    )


async def test_a_comparison_on_two_duties_shows_the_row_of_each(ctx: Context, stores: Stores) -> None:
    sam = await chat(ctx, stores)
    card = await sam.say(
        "we want a g7 to be our biological safety officer and supervise the PGT projects - specialist or "
        "lab manager?"
    )
    text = " ".join(render_text(card).split())
    assert (
        "May have specific departmental safety remit (e.g. radiation protection supervisor, biological"
        in text
    )
    assert "Supervises UG and PGT project students." in text


async def test_the_first_grade_with_a_competency_is_the_lowest_whose_cell_is_not_no(
    ctx: Context, stores: Stores
) -> None:
    sam = await chat(ctx, stores)
    await sam.say("g3 teaching delivery")  # "No" at grades 3 to 5
    card = await sam.say("so at what grade does teaching first show up?")
    assert card.title == "Teaching Delivery: Grade 6 Senior (Descriptor) Technician", card.title
    assert "Some teaching with academic presence." in " ".join(render_text(card).split())


async def test_a_follow_up_naming_the_tc_stays_on_the_plan_just_quoted(ctx: Context, stores: Stores) -> None:
    sam = await chat(ctx, stores)
    await sam.say("what does the queen mary plan say about awards for technicians?")
    # "the TC" alone names the passage on the Technician Commitment; "put forward" is the plan's nominating.
    card = await sam.say("can other staff put their techs forward too, not just the TC team?")
    assert card.title == "What Queen Mary University of London wrote", card.title
    text = " ".join(render_text(card).split())
    assert "Expand mechanisms for seeking nomination with other categories of staff" in text


async def test_a_follow_up_on_fees_the_plan_just_quoted_speaks_of_is_answered_from_it(
    ctx: Context, stores: Stores
) -> None:
    sam = await chat(ctx, stores)
    await sam.say("what's the icr doing on professional registration for non-SO staff?")
    card = await sam.say("could a grant already be paying the membership fees? are they checking that?")
    text = " ".join(render_text(card).split())
    assert "Explore a way to evaluate where grants already include funding for membership fees" in text
    # A matter the plan says nothing of is still outside the framework.
    assert (await sam.say("and how much is my salary?")).title == "Not covered by the framework"


async def test_as_previous_grade_quoted_back_is_the_cell_discussed_not_the_grade_below(
    ctx: Context, stores: Stores
) -> None:
    sam = await chat(ctx, stores)
    await sam.say("assistant tech safety and wellbeing")  # grade 4's cell opens "As previous grade."
    card = await sam.say("it starts with 'as previous grade' - what's the bit it points back to?")
    assert card.title == "Safety and Wellbeing: Grade 4 Apprentice / Assistant (Descriptor) Technician"
    assert "Show sensitivity to those who may need help" in " ".join(render_text(card).split())


async def test_specialist_know_how_describes_a_duty_and_names_no_role(ctx: Context, stores: Stores) -> None:
    sam = await chat(ctx, stores)
    card = await sam.say(
        "g8 - who looks after remote sites that need specialist know-how, and who turns strategy into "
        "operational plans?"
    )
    assert card.title.startswith("Grade 8 Senior Specialist Technician vs Grade 8 Senior Technical Manager")
    text = " ".join(render_text(card).split())
    assert "remote areas requiring specialist knowledge or expertise" in text
    assert "Translates strategic requirements into operational plans" in text
