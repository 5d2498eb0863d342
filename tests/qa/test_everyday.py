"""Everyday questions whose answers rest on one mechanism each: a qualification's level, typos of words only
the passages and outside topics use, opportunities and advertised jobs named in full, "they" for the role
being discussed, and the documents' word forms. Each is asked through answer_text, as a chat asks it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core import Context
from bot.storage.people import PersonRecord
from cards.text import render_text
from framework_data.document_index import document_index
from framework_data.document_search import search
from framework_data.query import Intent
from handlers.qa.answer import answer_text


def ask(ctx: Context, *questions: str) -> tuple[Intent, str, str]:
    """The last question's intent, the card's title and its whole text (its lines joined), after the others
    in one chat."""
    for question in questions[:-1]:
        answer_text(question, ctx)
    query, card = answer_text(questions[-1], ctx)
    return query.intent, card.title, " ".join(render_text(card).split())


def lead(ctx: Context, question: str) -> str:
    _, card = answer_text(question, ctx)
    return card.sections[0].text


def test_a_qualification_level_above_the_cells_is_a_no(ctx: Context) -> None:
    assert lead(ctx, "do you need a level 5 qualification to be a g5 technician").startswith("No.")
    assert lead(ctx, "does a g5 need a level 4 qualification").startswith("Yes.")


def test_a_sentence_opening_with_something_that_may_be_is_a_possibly(ctx: Context) -> None:
    # "Role dependent. Time may be bought out on specific projects."
    assert lead(ctx, "does a g6 get time bought out for research?").startswith("It depends")


def test_a_typo_of_an_outside_topics_word_is_still_outside(ctx: Context) -> None:
    intent, title, text = ask(ctx, "what's the retirment age for technicians")
    assert intent is Intent.OUTSIDE and title == "Not covered by the framework"
    assert "pensions and retirement" in text


def test_outside_phrases_are_read_in_the_plural_too(ctx: Context) -> None:
    intent, _, text = ask(ctx, "how many spine points are there in grade 6")
    assert intent is Intent.OUTSIDE
    assert "Apply detailed knowledge of theory and practice." not in text  # no grade 6 cell shown


def test_a_who_do_i_ask_question_is_answered_by_what_it_asks_about(ctx: Context) -> None:
    intent, title, text = ask(ctx, "who do i talk to about switching to the new JD?")
    assert intent is Intent.PASSAGE and title == "Adopting a new job description"
    assert "You will have the option to discuss adopting a new JD with your manager" in text
    assert ask(ctx, "who do i talk to about my contract")[0] is Intent.OUTSIDE


def test_switching_is_about_paths_only_where_a_path_is_named(ctx: Context) -> None:
    assert ask(ctx, "could i switch to management")[1] == "Moving between career paths"
    assert ask(ctx, "what is the toolkit for career management")[1] == "The Career Management Toolkit"


def test_an_opportunity_named_in_full_says_where_it_is_listed(ctx: Context) -> None:
    _, title, text = ask(ctx, "OD Management E-Learning Resources - which competencies?")
    assert title == "Where the framework suggests OD Management E-Learning Resources"
    assert "NEBOSH" not in text  # not every competency's list


def test_advertised_jobs_are_narrowed_by_the_questions_words(ctx: Context) -> None:
    _, _, text = ask(ctx, "which imperial jobs are in the department of medicine?")
    assert "Research Technician: Department of Medicine 3a" in text
    assert "Teaching facilities Manager \N{EN DASH} Dep. Of Medicine 4" in text
    assert "NHLI" not in text
    intent, _, estates = ask(ctx, "any estates jobs on imperial's list of technical roles?")
    assert intent is Intent.CROSSWALK  # the estates helpdesk topic does not take it
    assert "Minor works project manager \N{EN DASH} Estates Facilities 4" in estates


def test_hay_levels_are_narrowed_by_what_their_summaries_say(ctx: Context) -> None:
    _, _, text = ask(ctx, "which hay level is for people still doing formal training?")
    assert "Level 1" in text and "sometimes while undergoing formal training" in text
    assert "Level 2" not in text
    assert "Level 5" in ask(ctx, "what are the hay levels")[2]


def test_they_after_a_role_is_that_role(ctx: Context) -> None:
    _, title, _ = ask(ctx, "what does a technical director do", "do they have to teach?")
    assert title == "Teaching Delivery: Grade 9 Technical Director"
    assert lead(ctx, "do they have to teach?").startswith("No.")  # the cell is "No"
    alone = ask(replace(ctx, state={}), "do they have to teach?")
    assert alone[1] == "Teaching Delivery"  # asked first, it is no one's: the competency at each grade


def test_a_grade_and_which_role_compares_that_grades_roles(ctx: Context) -> None:
    intent, _, text = ask(ctx, "g8 - which role is the recognised expert and which is the strategic one?")
    assert intent is Intent.COMPARE
    assert "Recognised expert in area." in text


def test_a_path_inside_a_passages_phrase_is_still_a_path(ctx: Context) -> None:
    question = "g8 - would i have to line manage people on the specialist side too, or just as a manager?"
    intent, title, _ = ask(ctx, question)
    assert intent is Intent.COMPARE
    assert title.startswith("Grade 8 Senior Specialist Technician vs Grade 8 Senior Technical Manager")


def test_training_for_oneself_asks_the_role_of_someone_not_in_the_directory(ctx: Context) -> None:
    assert ask(ctx, "what training should i do?")[1] == "Which role is yours?"
    grade_6 = PersonRecord("sam@uni.example", "Sam", "Physics", "6", "g6", "", frozenset(), id=1)
    _, _, text = ask(replace(ctx, person=grade_6, state={}), "what training should i do?")
    assert "For Grade 6 Senior (Descriptor) Technician" in text and "start self-assessment" in text


def test_the_documents_find_other_forms_of_a_word() -> None:
    found = search("a key tech is leaving unexpectedly")  # the passage says "unexpected"
    assert found is not None
    assert "Unexpected turnover arises when colleagues in key roles leave." in found.passages[0].text
    registered = search("does the icr help techs get professionally registered?")
    assert registered is not None
    assert any("support for professional registration" in p.text for p in registered.passages)


def test_the_one_passage_holding_every_word_answers(ctx: Context) -> None:
    _, title, text = ask(ctx, "is the framework just for lab techs?")
    assert "These can be used for all technical roles, in all Faculties and departments" in text, title


def test_a_may_sentence_on_what_was_asked_is_a_possibly_after_a_cells_yes(ctx: Context) -> None:
    # "Yes for their facility. ... May be required to balance other demands on budget."
    line = lead(ctx, "does a g8 senior specialist have to juggle other demands on their budget")
    assert line.startswith("Possibly.") and "balance other demands on budget" in line
    assert lead(ctx, "does a g7 manager have a budget").startswith("Yes.")


def test_a_past_participle_is_not_corrected_into_another_word(ctx: Context) -> None:
    line = lead(ctx, "is a g7 specialist expected to have mastered a whole range of techniques and methods?")
    assert line.startswith("Yes.") and "Requires a mastery of a range of techniques" in line


def test_contractions_read_as_typed_without_the_apostrophe(ctx: Context) -> None:
    # The passage is asked for as "once ive marked"; people type "once i've marked".
    then = "once i've marked everything, what does it give me"
    _, _, text = ask(ctx, "how do i do the self assessment", then)
    assert "you will have a visual representation of your areas of strength" in text


def test_a_yes_or_no_after_a_line_of_context_is_still_one(ctx: Context) -> None:
    line = lead(ctx, "new g4 in my team - can they line manage our junior apprentice?")
    assert line.startswith("No.") and "Grade 4 Apprentice" in line


def test_the_role_a_yes_or_no_is_done_to_is_not_a_role_asked_about(ctx: Context) -> None:
    intent, title, _ = ask(ctx, "can a grade 7 manager supervise a grade 5")
    assert intent is Intent.ROLE
    assert title.startswith("Management and Development of Staff: Grade 7 (Descriptor) Facility Manager")


def test_plural_grades_and_chat_short_forms_are_read(ctx: Context) -> None:
    assert lead(ctx, "do g3s do research").startswith("No.")
    assert ask(ctx, "development opps for teamwork")[1] == "Development opportunities: Teamwork & Motivation"
    assert ask(ctx, "imperial support services - how many techs?")[1] == "Technical staff at Imperial"


def test_the_guides_own_passages_answer_what_people_ask_of_it(ctx: Context) -> None:
    assert "record the development you have agreed" in ask(ctx, "whats the PDP for?")[2]
    membership = ask(ctx, "is lancaster in the NTDC?")[2]
    assert "Lancaster University is a member of the National Technicians Development Centre" in membership
    assert (
        "this can be part of your Performance Development Review (PDR)"
        in ask(ctx, "can i do my self assessment at my PDR?")[2]
    )
    assert (
        "Principal Investigators (PIs) can use the framework"
        in ask(ctx, "im a PI - can i use the framework?")[2]
    )


def test_a_plan_is_found_whatever_verb_the_question_uses(ctx: Context) -> None:
    # Queen Mary "Deliver[s] a Technician Conference"; the ICR's plan speaks of "celebration".
    conference = search("does queen mary run a technician conference?")
    assert conference is not None
    assert any("Technician Conference" in p.text for p in conference.passages)
    celebrate = search("icr TC plan - do they celebrate promotions?")
    assert celebrate is not None and "celebration of SO promotions" in celebrate.passages[0].text


def test_everyday_verbs_find_the_cells_words(ctx: Context) -> None:
    line = lead(ctx, "does a g5 look after a lab?")  # the cell says "Oversight of a lab"
    assert line.startswith("Yes.") and "Oversight of a lab" in line
    assert "Liaison with HR" in lead(ctx, "does the g8 ops manager deal with HR?")


def test_how_to_questions_outside_the_framework_are_declined(ctx: Context) -> None:
    for question, topic in (
        ("how do i report bullying", "trade unions and employment policies"),
        ("how do i order chemicals", "purchasing rules"),
        ("is there a vacancy for a g6", "job vacancies and applications"),
        ("when is my PDR", "when your PDR is held"),
        ("can i start at 7 and finish at 3?", "contracts, hours and working arrangements"),
    ):
        intent, title, text = ask(replace(ctx, state={}), question)
        assert (intent, title) == (Intent.OUTSIDE, "Not covered by the framework"), question
        assert topic in text, question


def test_a_phrases_plural_is_not_read_as_another_word(ctx: Context) -> None:
    # "bullyings" would be corrected to "buildings": buildings stay a framework word.
    question = "is the g8 technical operations manager responsible for the buildings in a high-risk dept"
    assert ask(ctx, question)[0] is Intent.ROLE


def test_how_do_i_find_a_mentor_names_the_opportunity(ctx: Context) -> None:
    assert ask(ctx, "how do i find a mentor")[1] == "Where the framework suggests Mentoring"


def test_which_of_a_grades_roles_is_a_comparison_on_what_was_asked(ctx: Context) -> None:
    intent, _, text = ask(ctx, "which g7 role would be our radiation protection supervisor?")
    assert intent is Intent.COMPARE
    assert "May have specific departmental safety remit (e.g. radiation protection supervisor" in text


def test_the_cell_that_speaks_of_it_answers_for_the_askers_role(ctx: Context) -> None:
    grade_4 = PersonRecord("jo@uni.example", "Jo", "Physics", "4", "g4", "", frozenset(), id=2)
    _, title, text = ask(replace(ctx, person=grade_4), "how much supervison should i be getting?")
    assert (
        title.startswith("Teamwork and Motivation: Grade 4") and "May work with minimal supervision." in text
    )


def test_imperials_apprentice_and_its_2018_19_activities(ctx: Context) -> None:
    _, _, text = ask(ctx, "imperial apprentice - what's the day job?")
    assert "Providing day to day technical support for laboratories, workshops and specialist areas" in text
    assert (
        "Science Museum's Technician Exhibition"
        in ask(ctx, "what did imperial do on visibility in 2018-19?")[2]
    )


def test_a_grades_roles_with_the_same_cell_are_answered_at_once(ctx: Context) -> None:
    _, title, text = ask(ctx, "comms at grade 8")
    assert title == "Communication: Grade 8 Senior Specialist Technician"
    assert (
        "Grade 8 Senior Technical Manager / Technical Operations Manager has the same text for this." in text
    )
    assert ask(ctx, "service delivery at grade 7")[1] == "Which grade 7 role?"  # the two cells differ


def test_a_registration_yes_says_the_registrations_are_examples(ctx: Context) -> None:
    line = lead(ctx, "is rsci needed for g6")
    assert line.startswith("Yes.") and line.endswith("(The framework gives these as examples.)")
    assert lead(ctx, "is IOSH needed for g6").startswith("Possibly.")  # "May require safety qualifications"


def test_a_step_to_a_grade_named_starts_from_the_askers_own_role(ctx: Context) -> None:
    senior_specialist = PersonRecord(
        "al@uni.example", "Al", "Physics", "8", "g8-specialist", "", frozenset(), id=3
    )
    title = ask(replace(ctx, person=senior_specialist), "how do i get to grade 9")[1]
    assert title == "From Grade 8 Senior Specialist Technician to Grade 9 Technical Director"
    assert ask(ctx, "how do i get to grade 6")[1].startswith(
        "From Grade 5 (Descriptor) Technician"
    )  # no one's


def test_a_path_named_as_such_makes_the_word_beside_it_a_path(ctx: Context) -> None:
    intent, title, _ = ask(ctx, "whats the diff between specialist and manager path")
    assert intent is Intent.PATH and title == "Career paths"


def test_a_role_of_a_compared_grade_swaps_into_the_comparison(ctx: Context) -> None:
    _, title, _ = ask(ctx, "compare g6 and g7 specialist", "what about g7 manager")
    assert title.startswith("Grade 6 Senior (Descriptor) Technician vs Grade 7 (Descriptor) Facility Manager")


def test_a_yes_or_no_about_a_passage_leads_with_the_passages_answer(ctx: Context) -> None:
    assert lead(ctx, "do existing technicians have to adopt the new JD") == (
        "No. “Existing technicians have the option to adopt a new job description, but this isn't mandatory.”"
    )
    assert lead(ctx, "can a specialist become a manager").startswith("Yes. “That does not mean that one path")
    assert lead(ctx, "is the self assessment part of the PDR").startswith(
        "Yes. “Discuss your self-assessment"
    )
    assert (
        ask(ctx, "what does the new jd mean for me")[1] == "Adopting a new job description"
    )  # no lead asked


def test_the_guides_named_people_and_its_spreadsheet(ctx: Context) -> None:
    assert "Professor Phil Barker" in ask(ctx, "who chairs lancaster's TC steering group?")[2]
    assert "Helen Quirk, Technical Director, FST" in ask(ctx, "who's the technical director in FST?")[2]
    assert ask(ctx, "what does a technical director do")[1] == "Grade 9 Technical Director"
    assert (
        "Competency Framework.xlsx" in ask(ctx, "is there an excel version of the competency framework?")[2]
    )


def test_working_alone_against_what_a_cell_says_of_help(ctx: Context) -> None:
    assert lead(ctx, "can a g6 teach without an academic there?").startswith(
        "No."
    )  # "with academic presence"
    sign_off = lead(ctx, "can a g5 sign off H&S paperwork on their own?")
    assert sign_off.startswith("No.") and "with authorisation from senior colleagues" in sign_off


def test_they_after_a_cell_asks_about_that_cell(ctx: Context) -> None:
    _, _, text = ask(ctx, "g6 teaching delivery", "can they mark too?")
    assert lead(ctx, "can they mark too?").startswith("No.") and "No marking." in text


def test_both_of_a_grades_roles_and_later_hay_levels(ctx: Context) -> None:
    intent, _, _ = ask(ctx, "do the two g8 roles have the same comms expectations?")
    assert intent is Intent.COMPARE
    _, _, levels = ask(ctx, "hay level 3 vs level 4 - what's the difference?")
    assert "Level 3" in levels and "Level 4" in levels


def test_a_word_of_one_opportunitys_name_alone_names_it(ctx: Context) -> None:
    _, title, _ = ask(ctx, "is the PDR listed as a development option anywhere?")
    assert title == "Where the framework suggests Probation / PDR expectations"


def test_a_follow_up_finds_the_passage_headed_by_what_it_asks(ctx: Context) -> None:
    # The first answer's welcome email mentions registration; 3A is headed by it.
    _, _, text = ask(ctx, "icr technician commitment action plan", "what are they doing on prof reg?")
    assert "Maintain and improve support for professional registration through the Science Council" in text


def test_whether_an_opportunity_is_listed_for_a_competency(ctx: Context) -> None:
    assert lead(ctx, "is there mentoring for teamwork") == (
        "Yes. The development opportunities for Teamwork & Motivation list Mentoring."
    )
    assert lead(ctx, "is there coaching for budget management").startswith("No.")
    assert ask(ctx, "development for safety")[1] == "Development opportunities: Safety & Wellbeing"


def test_where_people_ask_who_decides_and_who_to_discuss_with(ctx: Context) -> None:
    assert ask(ctx, "who decides if i get regraded to 6")[1] == "How a career grade progression is assessed"
    assert (
        ask(ctx, "who do i discuss my self assessment with")[1]
        == "The Performance and Development Review (PDR)"
    )
    assert ask(ctx, "as a manager how do i use the self assessment with my team")[1] == "Developing your team"


def test_parking_is_the_estates_and_a_contribution_point_is_pay(ctx: Context) -> None:
    assert "parking and catering" in ask(ctx, "where can i park")[2]
    assert "pay and salaries" in ask(ctx, "can i get a contribution point")[2]
    assert ask(ctx, "need a reference letter for my mortgage, does HR do that or my line manager?")[0] is (
        Intent.OUTSIDE
    )


def test_follow_ups_on_a_cell_a_step_a_path_and_the_guides_templates(ctx: Context) -> None:
    line = ask(ctx, "g6 budget management", "does that cover buying equipment?")[2]
    assert (
        "Yes. Budget Management for Grade 6" in line
        and "Will purchase standard consumables and equipment." in line
    )
    step = ask(replace(ctx, state={}), "what do i need to go from g5 to g6", "does my CPD count towards it?")[
        2
    ]
    assert (
        "Yes. One of the criteria from grade 5 to 6: “Evidence of continuous professional development.”"
        in step
    )
    path = answer_text("which grades is the specialist path at?", replace(ctx, state={}))[0]
    assert path.roles == ["lancaster:g7-specialist", "lancaster:g8-specialist"]
    assert ask(replace(ctx, state={}), "what's a pdp", "is there a template for it?")[1] == (
        "Personal development plan (PDP)"
    )


def test_a_documents_word_is_never_corrected_into_a_framework_word(ctx: Context) -> None:
    # "directory" (Queen Mary's People directory) is not "director".
    query, _ = answer_text("queen mary people directory", ctx)
    assert "lancaster:g9" not in query.roles


EVERYDAY_WORDS = (
    "wedding seven death stuff rules codes side slide sell chance bank cash fire lunch stick".split()
)


@pytest.mark.parametrize("word", EVERYDAY_WORDS)
def test_an_everyday_word_is_never_corrected_into_a_framework_or_documents_word(
    ctx: Context, word: str
) -> None:
    # "wedding" was "welding", "seven" "seen", "death in service" "depth", "stuff" "staff".
    assert ctx.vocabulary.correct(word) == word
    assert document_index().correct(word) == word


def test_a_typo_that_is_a_rare_word_is_still_corrected(ctx: Context) -> None:
    assert [ctx.vocabulary.correct(t) for t in ("manger", "specalist", "saftey", "wat")] == [
        "manager",
        "specialist",
        "safety",
        "what",
    ]


def test_yes_or_no_leads_that_the_sixteenth_set_found(ctx: Context) -> None:
    assert lead(ctx, "is a g7 specialist expected to be creative?").startswith("Yes.")  # "Apply creativity"
    assert lead(ctx, "does a junior apprentice do any networking?").startswith("Yes.")  # not "No management"
    income = lead(ctx, "is a g7 specialist expected to generate income for their facility?")
    assert income.startswith("Yes.") and "Income generation" in income
    assert (
        "make independent decisions"
        in ask(ctx, "can a g8 ops manager make calls for the whole department?")[2]
    )
    assert ask(ctx, "tech director planning?")[1] == "Planning and Organisation: Grade 9 Technical Director"


def test_time_words_alone_do_not_mean_promotion_dates(ctx: Context) -> None:
    assert "Bimonthly newsletter" in ask(ctx, "how often does the queen mary tech newsletter come out?")[2]
    assert ask(ctx, "how long does promotion take")[1] == "When promotions happen"


def test_where_no_passage_answers_above_the_others_the_places_mentioning_it_are_listed(ctx: Context) -> None:
    _, title, text = ask(ctx, "does the framework mention apprenticeships")
    assert title == "Where the documents mention “apprenticeships”"
    assert "(1C) Encourage uptake of apprenticeship levy funded training for existing staff" in text
    assert ask(ctx, "mentoring")[1].startswith(
        "Where the framework mentions “mentoring"
    )  # its own text first
    _, _, queen_mary = ask(ctx, "what is queen mary doing for technicians")
    assert "Queen Mary" in queen_mary


def test_a_question_for_the_roles_name_gets_the_name_not_every_cell(ctx: Context) -> None:
    _, title, text = ask(ctx, "what is a grade 4 called")
    assert title == "Grade 4 Apprentice / Assistant (Descriptor) Technician"
    assert "“Apprentice / Assistant (Descriptor) Technician”" in text
    assert "Knowledge, Qualifications or Experience" not in text  # no cells
    grade_6 = PersonRecord("sam@uni.example", "Sam", "Physics", "6", "g6", "", frozenset(), id=1)
    assert ask(replace(ctx, person=grade_6), "what grade am i")[1] == "Grade 6 Senior (Descriptor) Technician"


def test_follow_ups_about_that_role_a_grade_and_another_route(ctx: Context) -> None:
    _, _, _ = ask(ctx, "what is a grade 7 specialist")
    assert lead(ctx, "does that role mark exams").startswith("It depends")  # "Dependent on role. ... mark"
    _, title, _ = ask(replace(ctx, state={}), "teaching delivery", "at grade 6 specifically")
    assert title == "Teaching Delivery: Grade 6 Senior (Descriptor) Technician"
    steps = ("how do i get from grade 6 to grade 7 specialist", "what about the manager route")
    _, title, _ = ask(replace(ctx, state={}), *steps)
    assert title.startswith(
        "From Grade 6 Senior (Descriptor) Technician to Grade 7 (Descriptor) Facility Manager"
    )


def test_a_yes_the_roles_cells_do_not_support_says_where_the_framework_first_does(ctx: Context) -> None:
    students = lead(ctx, "can g4 supervise project students")
    assert students.startswith("No.") and "May have oversight of project students" in students
    risk = lead(ctx, "can a g4 write risk assessments")
    assert risk.startswith("No.") and "Write safety documentation with authorisation" in risk
    assert lead(ctx, "is a g4 expected to help with team morale?").startswith("Yes.")  # "building morale"


def test_what_the_seventeenth_set_found(ctx: Context) -> None:
    assert ask(ctx, "who is nazia hirjee?")[1] == "Imperial's Technician Commitment Steering Group"  # a name
    assert ask(ctx, "g8 - does either role have to bring in income?")[0] is Intent.COMPARE
    assert ask(ctx, "how much extra do i get going from g4 to g5?")[0] is Intent.OUTSIDE
    assert not lead(ctx, "should a g6 build good working relationships?").startswith("No.")  # not "buildings"
    grade_4 = PersonRecord("jo@uni.example", "Jo", "Physics", "4", "g4", "", frozenset(), id=2)
    title = ask(replace(ctx, person=grade_4), "what's my part in supporting teaching and research?")[1]
    assert (
        title == "Support for Teaching and Research: Grade 4 Apprentice / Assistant (Descriptor) Technician"
    )


def test_follow_ups_the_seventeenth_set_found(ctx: Context) -> None:
    assert answer_text("what does a g7 specialist do", ctx) and ask(ctx, "what would their job title be?")[
        1
    ] == ("Grade 7 Specialist (Descriptor) Technician")
    assert "Level 1" in ask(replace(ctx, state={}), "hay level 3", "what about the lowest level?")[2]
    steps = ("g7 specialist safety and wellbeing", "what sort of departmental remit does it mean?")
    assert (
        ask(replace(ctx, state={}), *steps)[1]
        == "Safety and Wellbeing: Grade 7 Specialist (Descriptor) Technician"
    )


def test_whether_my_promotion_needs_something_is_my_next_steps_criterion_that_says_so(ctx: Context) -> None:
    grade_5 = PersonRecord("ali@uni.example", "Ali", "Chemistry", "5", "g5", "", frozenset(), id=3)
    asker = replace(ctx, person=grade_5)
    _, title, text = ask(asker, "do i need a first aid or safety qualification to get promoted?")
    assert title == "From Grade 5 (Descriptor) Technician to Grade 6 Senior (Descriptor) Technician"
    # The criterion sharing most of the words asked, not the first that says "qualifications".
    assert "“Demonstration of safety competence through attainment of appropriate qualification.”" in text
    # "above my grade" is the asker's own cell beside the grade above, not a promotion.
    assert ask(asker, "is writing safety documentation on my own above my grade?")[0] is Intent.ROLE


@pytest.mark.parametrize(
    "question",
    ["do i get london weighting?", "can i have my birthday off?", "how do i whistleblow on a safety issue?"],
)
def test_pay_leave_and_hr_matters_the_twenty_fourth_set_found_are_outside(
    ctx: Context, question: str
) -> None:
    intent, title, _ = ask(ctx, question)
    assert intent is Intent.OUTSIDE and title == "Not covered by the framework"


def test_what_the_twenty_fourth_set_found(ctx: Context) -> None:
    # "advertise" finds the plan's "publicised".
    text = ask(ctx, "does queen mary advertise its apprenticeships in schools?")[2]
    assert "Ensure publicised in local community/Schools/FE etc." in text
    # A plural is the level summary's singular: level 3 "gained through either experience and/or formal
    # qualification"; the levels, not the development table.
    intent, _, text = ask(ctx, "which hay levels talk about formal qualifications?")
    assert (
        intent is Intent.CROSSWALK and "gained through either experience and/or formal qualification" in text
    )
    assert ask(ctx, "what was imperial's approach?")[1] == "How Imperial set about its career pathway"
    # What a role is measured against ("than at g7") is not asked about.
    assert ask(ctx, "do g8 senior specialists have bigger budgets than at g7?")[1] == (
        "Budget Management: Grade 8 Senior Specialist Technician"
    )
    grade_6 = PersonRecord("sam@uni.example", "Sam", "Physics", "6", "g6", "", frozenset(), id=1)
    asked = "i end up resolving problems between colleagues a lot - is that in my job description?"
    assert (
        ask(replace(ctx, person=grade_6), asked)[1]
        == "Teamwork and Motivation: Grade 6 Senior (Descriptor) Technician"
    )


def test_a_cells_reference_quoted_in_a_follow_up_is_not_the_role_asked_about(ctx: Context) -> None:
    _, title, text = ask(
        ctx, "g8 ops manager research delivery", "it says as grade 7 manager there, what does that mean?"
    )
    assert title == "Research Delivery: Grade 8 Senior Technical Manager / Technical Operations Manager"
    assert "Role dependent. Time may be bought out as consultancy." in text


def test_which_competency_has_the_fewest_or_most_development_opportunities(ctx: Context) -> None:
    _, title, text = ask(ctx, "what has the least development opportunities?")
    assert title == "The competencies with the fewest development opportunities"
    assert "Budget Management, with 2 opportunities" in text and "On the job training" in text
    _, title, text = ask(ctx, "which competency has the most training listed?")
    assert "Service Delivery, with 7 opportunities" in text and "Digital skills training" in text


def test_which_row_of_the_grid_scores_a_competency(ctx: Context) -> None:
    shared = "Teaching Delivery shares one row of the grid with Research Delivery"
    assert shared in ask(ctx, "is teaching delivery a separate row in the self-assessment grid?")[2]
    grid = "how do i fill in the self-assessment grid?"
    assert (
        "has a row of its own in the grid" in ask(replace(ctx, state={}), grid, "is budget its own row?")[2]
    )


def test_a_path_chosen_after_a_cell_of_my_role_is_that_cell_on_the_path(ctx: Context) -> None:
    grade_6 = PersonRecord("sam@uni.example", "Sam", "Physics", "6", "g6", "", frozenset(), id=1)
    asker = replace(ctx, person=grade_6)
    asked = ("what does my jd say about planning?", "what would it look like if i took the manager route?")
    assert ask(asker, *asked)[1].startswith(
        "Planning and Organisation: Grade 7 (Descriptor) Facility Manager"
    )
