"""A coordinator's windows file: each mistake named by window and field; a file with any saves none."""

from __future__ import annotations

from datetime import date

from bot.core import Context
from bot.windows_import import Lead, read_windows

GOOD = """
windows:
  - key: progression-5-6
    name: Career-grade progression, grade 5 to 6
    kind: career_grade_progression
    opens: 2027-03-01
    closes: 2027-03-31
    recurrence: yearly
    eligible: {grades: [5], departments: [physics]}
    mentoring: {contact: mentoring@uni.example, how: "Email to be paired with a grade 6 mentor"}
  - key: herschel-2027
    name: Herschel programme intake
    kind: programme_intake
    opens: 2027-01-11
    closes: 2027-02-05
    criteria: {text: "Women in technical roles at grades 5-7", link: "https://uni.example/herschel"}
    leads: [7 days before opening, on opening, 3 days after opening]
"""


def test_a_good_file_gives_windows_with_the_framework_criteria(ctx: Context) -> None:
    plan = read_windows(GOOD, ctx.catalogue.primary, {"Physics", "Chemistry"})
    assert plan.problems == []
    progression, herschel = plan.windows
    assert progression.grades == ("5",) and progression.departments == ("Physics",)
    assert progression.leads == (Lead(-14, "opens"), Lead(0, "opens"), Lead(-3, "closes"))
    # The Lancaster framework's own published criteria for grade 5 to 6, quoted.
    assert "Evidence of working autonomously" in progression.criteria_text
    assert progression.criteria_text.startswith("Grade 5 ")
    assert herschel.leads == (Lead(-7, "opens"), Lead(0, "opens"), Lead(3, "opens"))
    assert herschel.opens == date(2027, 1, 11) and herschel.recurrence == "once"


BAD = """
windows:
  - key: broken
    name: Broken round
    kind: promotion
    opens: 2027-03-31
    closes: 2027-03-01
    eligible: {grades: [12], paths: [wizardry], departments: [Astrology]}
    leads: [14 days before opening, 40 days after opening, soon]
  - key: fine
    name: Fine
    kind: award_deadline
    opens: 2027-05-01
    closes: 2027-05-02
"""


def test_every_mistake_is_named_by_field_and_nothing_is_kept(ctx: Context) -> None:
    plan = read_windows(BAD, ctx.catalogue.primary, {"Physics"})
    assert plan.windows == []
    said = [str(p) for p in plan.problems]
    assert said[0].startswith("window 1 (broken), kind: 'promotion': choose one of promotion_round")
    assert "window 1 (broken), closes: 2027-03-01 is before opens 2027-03-31" in said
    assert any(
        s.startswith("window 1 (broken), eligible.grades: unknown grade '12'; grades are 3, 4") for s in said
    )
    assert any(s.startswith("window 1 (broken), eligible.paths: unknown path 'wizardry'") for s in said)
    assert (
        "window 1 (broken), eligible.departments: 'Astrology' is not a department in the directory (Physics)"
        in said
    )
    assert (
        "window 1 (broken), leads[2]: 40 days after opening falls after the window closes on 2027-03-01"
        in said
    )
    assert any(s.startswith("window 1 (broken), leads[3]: 'soon': write") for s in said)
    assert not any("fine" in s for s in said)


def test_a_lead_after_the_close_and_unreadable_yaml(ctx: Context) -> None:
    late = GOOD.replace("3 days after opening", "30 days after opening")
    said = [str(p) for p in read_windows(late, ctx.catalogue.primary).problems]
    assert said == [
        "window 2 (herschel-2027), leads[3]: "
        "30 days after opening falls after the window closes on 2027-02-05"
    ]
    assert [str(p) for p in read_windows("windows: [\n", ctx.catalogue.primary).problems] == [
        "line 2, -: not valid YAML"
    ]
