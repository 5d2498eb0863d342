"""The held-out questions (heldout.yaml to heldout12.yaml; there is no sixth), each written from the seeds
without sight of the answers: heldout.yaml and heldout2.yaml without sight of kinds.yaml's or the other
sets' questions, the later ones reading the earlier question files only for their format (from heldout4.yaml
on, also so as to repeat none of their questions). Each question gets the answer its facts describe."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from bot.core import Context
from tests.qa.evaluate import GATED, HELDOUT_SETS, QUESTION_KINDS, evaluate_kind, load_kinds

SETS = {name: load_kinds(path) for name, path in HELDOUT_SETS.items()}
# Questions of the gated sets still answered wrongly, each with what goes wrong: expected to fail, so that
# fixing one shows (strict xfail) and it leaves this list.
KNOWN_MISSES = {
    "going for 6 means getting a safety qual - which courses does the framework point me to?": (
        "read as development for Safety and Knowledge at the asker's next grade; the step's criterion "
        "'Demonstration of safety competence through attainment of appropriate qualification' is not shown"
    ),
    "how long has the FST technical director been managing technical staff, going by her quote?": (
        "'quote' names the passage listing who wrote in support of the framework, not Helen Quirk's "
        "quotation itself, which the documents' search finds but not decisively"
    ),
    "once i've adapted the template JD for a vacancy, is there a special way i have to advertise it?": (
        "'template JD' names the passage on the template job description; the recruiting steps' 'Advertise "
        "and recruit to the role as normal.' are not reached"
    ),
    "i spend half my time selling the faculty's plans to different groups - is that really in my jd?": (
        "'selling the faculty's plans' is read as Planning; Communication's 'gain support for, the Faculty "
        "and University's strategic aims to varying audiences' says it in other words"
    ),
    "am i the one who decides how many techs the department needs?": (
        "'how many techs' asks for the number of technicians at Lancaster; the asker's own cell on "
        "'technical staffing' is not read from 'decides how many'"
    ),
    "my job has loads of specialist bits the generic JD doesn't cover - where do they go?": (
        "the passage on specialist skills 'added to individual JDs' leads the next only narrowly, and "
        "'doesn't cover' is not its words, so no passage is quoted"
    ),
    (
        "g8 - who would i see about next year's tech staffing and resource plan, senior specialist or ops "
        "manager?"
    ): (
        "'resource plan' is read as Planning and 'staffing' finds Teamwork, not also the Management and "
        "Development of Staff cell's liaison on 'planning and resource requirements'"
    ),
    "do i need to run every day-to-day query past my supervisor?": (
        "'run ... past my supervisor' is read as supervision (Teamwork's 'minimal supervision'), not Service "
        "Delivery's day-to-day issues dealt with 'without direct or continuous reference to others'"
    ),
    "and once i'm a technician?": (
        "'technician' alone is in every role's name, so a grade 4 is not read as becoming the grade 5 "
        "'(Descriptor) Technician'"
    ),
    "can a g8 senior specialist be named PI on a grant?": (
        "'May be named as PI on grant proposals' leads with 'Possibly.', as five other sets expect of the "
        "same question; this set reads the 'May' as permission and expects 'Yes.'"
    ),
    "is managing people compulsory in my job or just a maybe?": (
        "a grade 8 Senior Specialist gets its staff management cell, not also the Teamwork cell's 'May have "
        "line management of a team.'"
    ),
    "and the career grade bit at the end?": (
        "after the JD template, 'the career grade bit' finds the passage on what a career grade role is, not "
        "the template's criteria to progress"
    ),
    "is bringing in money for the facility part of my job?": (
        "'money' finds the budget cell's 'Income generation', but the support cell's 'increase revenue' is "
        "not shown beside it"
    ),
    "is the icr looking at a prof body membership for the whole institute?": (
        "'whole institute' is not the ICR's 'Institution wide', so no passage holds enough of the question"
    ),
    "just taken on a budget and a small team - what development is suggested for both?": (
        "'a small team' is read as Teamwork, not the Management and Development of Staff its new manager "
        "would need"
    ),
    "do i get a say in what resources my area needs?": (
        "'a say in' and 'needs' are not read as advising on requirements, so a grade 6 gets the cell on "
        "overseeing resources, not 'Advises on resource requirements for own area.'"
    ),
    "my PDR is coming up, what should i put down for development?": (
        "'put down for development' is not read as asking for development, nor 'PDR' alone as the review, so "
        "the question is not placed and the asker is not asked their role"
    ),
    "i like hands-on kit work more than managing people - specialist or manager at g7?": (
        "the comparison shows the rows on managing people that the question names, not the specialist's "
        "technical expertise that 'hands-on kit work' points to"
    ),
    "when was the PALS workshop?": (
        "'PALS' names Imperial's history passage only in a question that names Imperial, and the documents' "
        "search then quotes another slide than the one dated April 2013"
    ),
    "how will the icr judge its wellcome funded career development programmes": (
        "the ICR's Wellcome-funded junior SO training (1E) outscores the Wellcome career development "
        "programmes (1B) the question means"
    ),
}
CASES = [case for name in GATED for case in SETS[name]]


@pytest.mark.parametrize("name", SETS)
def test_every_kind_is_asked_and_no_question_twice(name: str) -> None:
    cases = SETS[name]
    kinds = Counter(case["kind"] for case in cases)
    assert set(kinds) == QUESTION_KINDS
    assert all(count >= 2 for count in kinds.values()), kinds
    asked = [(c["q"].lower(), c.get("as"), tuple(c.get("after", []))) for c in cases]
    assert len(set(asked)) == len(asked)


def _marked(case: dict[str, Any]) -> Any:
    reason = KNOWN_MISSES.get(case["q"])
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, marks=marks, id=f"{case['kind']}: {case['q']}")


def test_every_known_miss_is_a_gated_question() -> None:
    assert set(KNOWN_MISSES) <= {case["q"] for case in CASES}


@pytest.mark.parametrize("case", [_marked(c) for c in CASES])
def test_question(case: dict[str, Any], ctx: Context) -> None:
    assert evaluate_kind(case, ctx) == []
