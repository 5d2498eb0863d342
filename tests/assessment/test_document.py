"""The Word and CSV exports, opened again and read cell by cell; every expected value is written out."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta, timezone

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.table import Table, _Cell

from handlers.assessment.document import (
    AssessmentDocument,
    PlanItem,
    RowResult,
    assessment_csv,
    assessment_docx,
    csv_filename,
    docx_filename,
    half_steps,
)

DARK = "2F5496"
LIGHT = "B4C6E7"
TRICKY = 'He said "go"\nsecond line, café ✓ =HYPERLINK("http://evil.example","x")'
FORMULA = '=HYPERLINK("http://evil.example","click")'

ROWS = [
    RowResult("Service Delivery", 7.0, "I run the lab inductions"),
    RowResult("Teamwork & Motivation", 5.5, TRICKY),
    RowResult("Budget Management", None, ""),
    RowResult("Communication", 10.0, FORMULA),
    RowResult("Safety & Wellbeing", 9.5, "- wrote the COSHH forms"),
]
PLAN = [
    PlanItem(
        "Budget Management",
        "Own the lab's consumables budget",
        "Shadow the finance partner for a term",
        "I set and track the budget myself",
        "Finance partner; 1:1s",
        "31 March 2027",
    ),
    PlanItem("Communication", "Present at the technicians' forum", "+1 talk", "Feedback", "", "@summer"),
]


def make(**changes: object) -> AssessmentDocument:
    fields: dict[str, object] = {
        "person_name": "Ana Tech",
        "role_label": "Grade 6 Senior Technician",
        "framework_name": "Technicians Career Framework",
        "institution": "Lancaster University",
        "started": datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        "completed": datetime(2026, 11, 23, 14, 5, tzinfo=UTC),
        "rows": ROWS,
        "plan": PLAN,
        "source": "Figure 4 and Appendix 3",
        **changes,
    }
    return AssessmentDocument(**fields)  # type: ignore[arg-type]


def opened(doc: AssessmentDocument) -> docx.document.Document:
    return docx.Document(io.BytesIO(assessment_docx(doc)))


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def fill(cell: _Cell) -> str | None:
    fills = cell._tc.xpath("./w:tcPr/w:shd/@w:fill")
    return str(fills[0]) if fills else None


# The assessment every row of make()'s CSV belongs to: role, framework, started, completed.
ABOUT = ["Grade 6 Senior Technician", "Technicians Career Framework", "2026-11-20", "2026-11-23"]


def parsed(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_grid_header_is_the_appendix_2_scale() -> None:
    grid = opened(make()).tables[0]
    assert texts(grid)[0] == ["Competency", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]


def test_grid_shades_each_row_up_to_its_score() -> None:
    grid = opened(make()).tables[0]
    fills = {row.cells[0].text: [fill(cell) for cell in row.cells[1:]] for row in grid.rows[1:]}
    none = None
    assert fills == {
        "Service Delivery": [DARK, DARK, DARK, DARK, DARK, DARK, DARK, none, none, none],
        "Teamwork & Motivation": [DARK, DARK, DARK, DARK, DARK, LIGHT, none, none, none, none],
        "Budget Management": [none] * 10,
        "Communication": [DARK] * 10,
        "Safety & Wellbeing": [DARK, DARK, DARK, DARK, DARK, DARK, DARK, DARK, DARK, LIGHT],
    }


def test_grid_marks_half_points_and_unscored_rows_in_words() -> None:
    rows = texts(opened(make()).tables[0])
    assert rows[1] == ["Service Delivery", "", "", "", "", "", "", "", "", "", ""]
    assert rows[2] == ["Teamwork & Motivation", "", "", "", "", "", "½", "", "", "", ""]
    # One merged cell across the scale, read back once per column it covers.
    assert rows[3] == ["Budget Management"] + ["not scored"] * 10
    assert rows[5] == ["Safety & Wellbeing", "", "", "", "", "", "", "", "", "", "½"]


def test_grid_caption_explains_the_shading() -> None:
    paragraphs = [p.text for p in opened(make()).paragraphs]
    caption = paragraphs[paragraphs.index("Self-assessment grid") + 1]
    assert "half point (such as 5.5) shades the next cell light blue and marks it ½" in caption


def test_scores_and_evidence_keep_the_text_as_written() -> None:
    scores = opened(make()).tables[1]
    assert texts(scores) == [
        ["Competency", "Score", "Evidence"],
        ["Service Delivery", "7", "I run the lab inductions"],
        ["Teamwork & Motivation", "5.5", TRICKY],
        ["Budget Management", "not scored", ""],
        ["Communication", "10", FORMULA],
        ["Safety & Wellbeing", "9.5", "- wrote the COSHH forms"],
    ]


def test_plan_table_has_the_appendix_3_columns() -> None:
    plan = opened(make()).tables[2]
    assert texts(plan) == [
        [
            "Development Objective",
            "Development Activity",
            "What will I be doing differently?",
            "Support Needed?",
            "Date for Achievement",
        ],
        [
            "Budget Management\nOwn the lab's consumables budget",
            "Shadow the finance partner for a term",
            "I set and track the budget myself",
            "Finance partner; 1:1s",
            "31 March 2027",
        ],
        [
            "Communication\nPresent at the technicians' forum",
            "+1 talk",
            "Feedback",
            "",
            "@summer",
        ],
    ]


QUESTIONS = (
    "What competency, skill, knowledge do I want to develop?",
    "How will I achieve this? Detail the development activity/ies?",
    "How will I know I have been successful? What key differences will the development make?",
    "What additional resources or support will I need? Who and/or what resources can help?",
    "Target Dates for review /completion",
)


def test_plan_headings_carry_appendix_3_guidance_questions() -> None:
    plan = opened(make(plan_questions=QUESTIONS)).tables[2]
    assert texts(plan)[0] == [
        "Development Objective\nWhat competency, skill, knowledge do I want to develop?",
        "Development Activity\nHow will I achieve this? Detail the development activity/ies?",
        "What will I be doing differently?\nHow will I know I have been successful? What key differences "
        "will the development make?",
        "Support Needed?\nWhat additional resources or support will I need? Who and/or what resources can "
        "help?",
        "Date for Achievement\nTarget Dates for review /completion",
    ]
    assert texts(plan)[1][1] == "Shadow the finance partner for a term"


def test_no_row_of_a_table_splits_across_pages() -> None:
    word = opened(make())
    for table in word.tables:
        for row in table.rows[1:]:
            assert row._tr.xpath("./w:trPr/w:cantSplit"), texts(table)[0]


def test_empty_plan_is_explained_not_an_empty_table() -> None:
    word = opened(make(plan=[]))
    assert len(word.tables) == 2
    paragraphs = [p.text for p in word.paragraphs]
    after = paragraphs[paragraphs.index("Personal development plan") + 1]
    assert after.startswith("No development plan has been recorded yet.")


def test_details_source_and_page() -> None:
    word = opened(make())
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == "Self-assessment and personal development plan"
    assert paragraphs[1:7] == [
        "Name: Ana Tech",
        "Role: Grade 6 Senior Technician",
        "Framework: Technicians Career Framework",
        "Institution: Lancaster University",
        "Started: 20 November 2026",
        "Completed: 23 November 2026",
    ]
    source = "Source: Technicians Career Framework, Lancaster University. Figure 4 and Appendix 3"
    assert paragraphs[-1] == source
    section = word.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width is not None and section.page_height is not None
    assert section.page_width > section.page_height


def test_the_source_is_given_once_and_the_footer_numbers_the_pages() -> None:
    word = opened(make())
    body = [p.text for p in word.paragraphs]
    assert [p for p in body if p.startswith("Source:")] == [body[-1]]
    footer = word.sections[0].footer
    assert "Source" not in footer.paragraphs[0].text
    assert footer.paragraphs[0].text.startswith("Self-assessment and personal development plan · page ")
    fields = footer._element.xpath(".//w:fldSimple/@w:instr")
    assert [str(f).strip() for f in fields] == ["PAGE", "NUMPAGES"]


def test_unfinished_assessment_says_so_and_is_named_by_its_start() -> None:
    doc = make(completed=None)
    assert "Completed: not yet completed" in [p.text for p in opened(doc).paragraphs]
    assert docx_filename(doc, tag="0a1b2c3d") == "self-assessment-2026-11-20-0a1b2c3d.docx"
    assert csv_filename(doc, tag="0a1b2c3d") == "self-assessment-2026-11-20-0a1b2c3d.csv"


def test_file_names_carry_the_date_and_a_random_tag_so_they_never_collide() -> None:
    names = {docx_filename(make()) for _ in range(20)} | {csv_filename(make()) for _ in range(20)}
    assert len(names) == 40
    for name in names:
        assert re.fullmatch(r"self-assessment-2026-11-23-[0-9a-f]{8}\.(docx|csv)", name), name


def test_metadata_has_no_personal_data() -> None:
    props = opened(make()).core_properties
    assert props.title == "Self-assessment and personal development plan"
    assert props.author == "techpath"
    assert props.last_modified_by == "techpath"
    assert props.comments == ""
    assert props.subject == "Technicians Career Framework"
    assert props.created == datetime(2026, 11, 23, 14, 5, tzinfo=UTC)


def test_metadata_dates_are_converted_to_utc() -> None:
    london_summer = timezone(timedelta(hours=1))
    doc = make(completed=datetime(2026, 7, 1, 0, 30, tzinfo=london_summer))
    assert opened(doc).core_properties.created == datetime(2026, 6, 30, 23, 30, tzinfo=UTC)


def test_manager_scores_get_a_column_and_the_comment_is_shown() -> None:
    rows = [
        RowResult("Service Delivery", 7.0, "inductions", manager_score=8.0),
        RowResult("Budget Management", None, "", manager_score=4.5),
        RowResult("Communication", 6.0, "", manager_score=None),
    ]
    word = opened(make(rows=rows, manager_name="Sam Boss", manager_comment="Strong year; =ask me"))
    assert texts(word.tables[1]) == [
        ["Competency", "Score", "Evidence", "Manager's view"],
        ["Service Delivery", "7", "inductions", "8"],
        ["Budget Management", "not scored", "", "4.5"],
        ["Communication", "6", "", "not scored"],
    ]
    paragraphs = [p.text for p in word.paragraphs]
    assert "Manager: Sam Boss" in paragraphs
    assert "Manager's comment: Strong year; =ask me" in paragraphs


def test_control_characters_are_dropped_from_the_document() -> None:
    rows = [RowResult("Service Delivery", 3.0, "bell\x07 and\r\nwindows line")]
    assert texts(opened(make(rows=rows)).tables[1])[1] == ["Service Delivery", "3", "bell and\nwindows line"]


def test_csv_is_one_table_with_formulas_neutralised() -> None:
    assert parsed(assessment_csv(make())) == [
        [
            "section",
            "competency",
            "score",
            "manager_score",
            "evidence",
            "objective",
            "activity",
            "success_measure",
            "support",
            "target_date",
            "role",
            "framework",
            "started",
            "completed",
        ],
        ["assessment", "Service Delivery", "7", "", "I run the lab inductions", "", "", "", "", "", *ABOUT],
        ["assessment", "Teamwork & Motivation", "5.5", "", TRICKY, "", "", "", "", "", *ABOUT],
        ["assessment", "Budget Management", "", "", "", "", "", "", "", "", *ABOUT],
        ["assessment", "Communication", "10", "", "'" + FORMULA, "", "", "", "", "", *ABOUT],
        [
            "assessment",
            "Safety & Wellbeing",
            "9.5",
            "",
            "'- wrote the COSHH forms",
            "",
            "",
            "",
            "",
            "",
            *ABOUT,
        ],
        [
            "plan",
            "Budget Management",
            "",
            "",
            "",
            "Own the lab's consumables budget",
            "Shadow the finance partner for a term",
            "I set and track the budget myself",
            "Finance partner; 1:1s",
            "31 March 2027",
            *ABOUT,
        ],
        [
            "plan",
            "Communication",
            "",
            "",
            "",
            "Present at the technicians' forum",
            "'+1 talk",
            "Feedback",
            "",
            "'@summer",
            *ABOUT,
        ],
    ]


@pytest.mark.parametrize(
    ("evidence", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1524 65201", "'+44 1524 65201"),
        ("-2", "'-2"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("see =HYPERLINK()", "see =HYPERLINK()"),
        ("'quoted already", "'quoted already"),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed(evidence: str, written: str) -> None:
    rows = [RowResult("Service Delivery", 4.0, evidence, manager_score=3.5)]
    assert parsed(assessment_csv(make(rows=rows, plan=[])))[1] == [
        "assessment",
        "Service Delivery",
        "4",
        "3.5",
        written,
        "",
        "",
        "",
        "",
        "",
        *ABOUT,
    ]


def test_csv_uses_crlf_records_and_keeps_newlines_inside_quoted_cells() -> None:
    rows = [RowResult("Service Delivery", 2.0, 'two\nlines "quoted"')]
    assert assessment_csv(make(rows=rows, plan=[])) == (
        "\ufeffsection,competency,score,manager_score,evidence,objective,activity,success_measure,"
        "support,target_date,role,framework,started,completed\r\n"
        'assessment,Service Delivery,2,,"two\nlines ""quoted""",,,,,,'
        "Grade 6 Senior Technician,Technicians Career Framework,2026-11-20,2026-11-23\r\n"
    )


def test_csv_rows_say_which_role_was_assessed_and_when() -> None:
    header, *rows = parsed(assessment_csv(make()))
    about = [dict(zip(header, row, strict=True)) for row in rows]
    assert {(r["role"], r["framework"], r["started"], r["completed"]) for r in about} == {
        ("Grade 6 Senior Technician", "Technicians Career Framework", "2026-11-20", "2026-11-23")
    }
    [unfinished] = parsed(assessment_csv(make(completed=None, plan=[], rows=ROWS[:1])))[1:]
    assert unfinished[-2:] == ["2026-11-20", ""]


@pytest.mark.parametrize(
    ("score", "steps"),
    [(1.0, (1, False)), (5.5, (5, True)), (7.0, (7, False)), (9.5, (9, True)), (10.0, (10, False))],
)
def test_half_steps(score: float, steps: tuple[int, bool]) -> None:
    assert half_steps(score) == steps


def test_csv_guards_formulas_hidden_behind_invisible_or_full_width_characters() -> None:
    hidden = [
        "\x00=1+1",
        "\uff1dHYPERLINK(x)",
        "\u200b=1+1",
        "\t@A1",
        " -1",
        "\uff0b1",
        "\uff20A1",
        "\u2060=1",
    ]
    rows = [RowResult(f"Competency {i}", 5.0, cell) for i, cell in enumerate(hidden)]
    plan = [PlanItem("Communication", *hidden[:5])]
    table = parsed(assessment_csv(make(rows=rows, plan=plan)))
    assert [row[4] for row in table[1 : 1 + len(hidden)]] == ["'" + cell for cell in hidden]
    assert table[-1][5:10] == ["'" + cell for cell in hidden[:5]]
