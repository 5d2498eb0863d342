"""Reading the HR export: every problem is reported with its row and column, before anything is written."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from bot.core import Context
from bot.people_import import ImportPlan, read_people
from bot.people_managers import check_managers

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "people.csv"
HEADER = "email,display_name,department,grade,role,manager_email,bot_roles\n"


def plan_for(text: str, ctx: Context) -> ImportPlan:
    return read_people(io.StringIO(text), ctx.catalogue.primary)


def test_the_sample_file_is_valid_and_resolves_roles(ctx: Context) -> None:
    plan = read_people(io.StringIO(SAMPLE.read_text(encoding="utf-8")), ctx.catalogue.primary)
    assert plan.problems == [] and plan.rejected == 0
    roles = {p.email: p.role_id for p in plan.people}
    assert roles["priya.lab@uni.example"] == "g7-manager"
    assert roles["tom.spec@uni.example"] == "g7-specialist"
    assert roles["li.senior@uni.example"] == "g6"  # one role at grade 6: no role needed
    assert roles["hana.director@uni.example"] == "g9"
    admin = next(p for p in plan.people if p.email == "hana.director@uni.example")
    assert admin.bot_roles == frozenset({"admin"})


def test_each_bad_cell_is_named_by_row_and_column(ctx: Context) -> None:
    text = HEADER + (
        "ok@uni.example,Ok Person,Physics,5,,,\n"
        "not-an-email,Bad Email,Physics,5,,,\n"
        "g12@uni.example,Twelve,Physics,12,,,\n"
        "seven@uni.example,Seven,Physics,7,,,\n"
        "wizard@uni.example,Wizard,Physics,6,wizard,,\n"
        "self@uni.example,Self,Physics,5,,self@uni.example,\n"
        "roles@uni.example,Roles,Physics,5,,,superuser\n"
        "ok@uni.example,Duplicate,Physics,5,,,\n"
        "short@uni.example,Short\n"
        ",,,,,,\n"
    )
    plan = plan_for(text, ctx)
    messages = [str(p) for p in plan.problems]
    assert messages == [
        "row 3, column email: 'not-an-email' is not an email address",
        "row 4, column grade: unknown grade '12'; valid grades are 3, 4, 5, 6, 7, 8, 9",
        "row 5, column role: grade 7 has several roles: say which (g7-specialist, g7-manager)",
        "row 6, column role: 'wizard' is not a role at grade 6; roles there: g6 (Technical)",
        "row 7, column manager_email: a person cannot be their own manager",
        "row 8, column bot_roles: unknown bot role(s) superuser; allowed: technician, coordinator, admin",
        "row 9, column email: ok@uni.example already appears on row 2",
        "row 10, column -: has 2 cells, the header has 7",
    ]
    assert plan.rejected == 8
    assert [p.email for p in plan.people] == ["ok@uni.example"]


def test_header_problems_stop_before_any_row(ctx: Context) -> None:
    plan = plan_for("mail,name,grade,salary\nx@uni.example,X,5,100\n", ctx)
    assert [str(p) for p in plan.problems] == [
        "row 1, column email: required column is missing (if the file calls it something else: "
        "--column email=HEADING)",
    ]
    assert [str(w) for w in plan.warnings] == [
        "row 1, column mail: not a column techpath reads; ignored",
        "row 1, column salary: not a column techpath reads; ignored",
    ]
    assert plan.file_problem and plan.people == []


def test_common_header_spellings_and_grade_prefixes_are_accepted(ctx: Context) -> None:
    plan = plan_for(
        "Email,Full Name,Dept,Grade,Path,Line Manager Email,Roles\nA@Uni.Example,A,X,Grade 7,Manager,,\n", ctx
    )
    assert plan.problems == []
    [person] = plan.people
    assert (person.email, person.grade, person.role_id) == ("a@uni.example", "7", "g7-manager")


def test_an_empty_file_says_what_the_first_row_must_be(ctx: Context) -> None:
    assert [str(p) for p in plan_for("", ctx).problems] == [
        "row 1, column -: the file is empty; the first row must name the columns"
    ]


def test_a_manager_who_is_being_removed_or_rejected_is_no_manager(ctx: Context) -> None:
    text = HEADER + (
        "a@uni.example,A,Physics,5,,boss@uni.example,\n"
        "b@uni.example,B,Physics,5,,c@uni.example,\n"
        "c@uni.example,C,Physics,12,,,\n"
        "d@uni.example,D,Physics,5,,b@uni.example,\n"
    )
    directory = {"boss@uni.example": "", "a@uni.example": "boss@uni.example"}
    kept = plan_for(text, ctx)
    check_managers(kept, directory)
    assert [p.email for p in kept.people] == ["a@uni.example"]
    assert [str(p) for p in kept.problems] == [
        "row 3, column manager_email: c@uni.example is on row 4, which is rejected",
        "row 4, column grade: unknown grade '12'; valid grades are 3, 4, 5, 6, 7, 8, 9",
        "row 5, column manager_email: b@uni.example is on row 3, which is rejected",
    ]
    replaced = plan_for(text, ctx)
    check_managers(replaced, directory, replacing=True)
    assert replaced.people == [] and replaced.rejected == 4
    assert str(replaced.problems[0]).startswith(
        "row 2, column manager_email: boss@uni.example is not in the directory or in this file"
    )


def test_grade_since_is_optional_and_checked(ctx: Context) -> None:
    text = HEADER.replace("\n", ",grade since\n") + (
        "ok@uni.example,Ok Person,Physics,5,,,,2021-09-01\n"
        "blank@uni.example,Blank,Physics,5,,,,\n"
        "bad@uni.example,Bad Date,Physics,5,,,,last spring\n"
    )
    plan = plan_for(text, ctx)
    since = {p.email: p.grade_since for p in plan.people}
    assert since == {"ok@uni.example": date(2021, 9, 1), "blank@uni.example": None}
    assert [str(p) for p in plan.problems] == [
        "row 4, column grade_since: 'last spring' is not a date; write it as 2021-09-01"
    ]
