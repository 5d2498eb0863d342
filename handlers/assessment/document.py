"""A finished self-assessment and its development plan as a Word document or CSV (Appendices 2 and 3).

Pure: the functions take an ``AssessmentDocument`` and return bytes or text; saving and sending are the
caller's business.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from bot.spreadsheet_cells import inert_row
from handlers.assessment.flow import MAX_SCORE, score_label


@dataclass(frozen=True)
class RowResult:
    """One row of the grid: ``score`` is None when the person skipped it."""

    competency: str
    score: float | None
    evidence: str
    manager_score: float | None = None


@dataclass(frozen=True)
class PlanItem:
    """One row of the personal development plan; ``competency`` is the grid row it develops."""

    competency: str
    objective: str
    activity: str
    success_measure: str
    support: str
    target_date: str


@dataclass(frozen=True)
class AssessmentDocument:
    """Everything the exports show; datetimes are shown in the time zone they carry."""

    person_name: str
    role_label: str
    framework_name: str
    institution: str
    started: datetime
    completed: datetime | None
    rows: list[RowResult]
    plan: list[PlanItem]
    manager_name: str = ""
    manager_comment: str = ""
    source: str = ""
    # Appendix 3's guidance question under each of PLAN_HEADINGS, from the framework (none: headings only).
    plan_questions: tuple[str, ...] = ()


TITLE = "Self-assessment and personal development plan"
# Appendix 3's column headings, as in framework_data/lancaster.yaml `pdp_columns`.
PLAN_HEADINGS = (
    "Development Objective",
    "Development Activity",
    "What will I be doing differently?",
    "Support Needed?",
    "Date for Achievement",
)
NOT_SCORED = "not scored"
HALF_MARK = "½"
FULL_FILL = "2F5496"  # dark blue: the cells up to the score
HALF_FILL = "B4C6E7"  # light blue, marked ½: the half point after them
GRID_CAPTION = (
    "Each row is shaded dark blue up to the score, on the 1 to 10 scale of the framework's self-assessment "
    f"grid. A half point (such as 5.5) shades the next cell light blue and marks it {HALF_MARK}. "
    "The scores and evidence are also written out in the table after the grid."
)
EMPTY_PLAN = (
    "No development plan has been recorded yet. Agree one with your manager after discussing this "
    "self-assessment: for each objective, the activity, how you will know it worked, the support you need "
    "and a target date."
)
CSV_HEADER = (
    "section,competency,score,manager_score,evidence,objective,activity,success_measure,support,target_date,"
    "role,framework,started,completed"
).split(",")
# Characters XML 1.0 cannot hold; lxml refuses them, and they can arrive in pasted chat text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# A4 landscape with 2 cm margins leaves 25.7 cm for the tables.
_PAGE_W, _PAGE_H, _MARGIN = Cm(29.7), Cm(21.0), Cm(2.0)
_GRID_WIDTHS: list[Length] = [Cm(7.7), *[Cm(1.8)] * 10]
_SCORE_WIDTHS: list[Length] = [Cm(7.7), Cm(2.0), Cm(16.0)]
_SCORE_WIDTHS_MANAGER: list[Length] = [Cm(7.7), Cm(2.0), Cm(12.5), Cm(3.5)]
_PLAN_WIDTHS: list[Length] = [Cm(5.7), Cm(5.5), Cm(5.5), Cm(5.0), Cm(4.0)]


def assessment_docx(doc: AssessmentDocument) -> bytes:
    """The assessment as a .docx: details, the shaded grid, scores and evidence, then the plan."""
    word = Document()
    _page_setup(word)
    _metadata(word, doc)
    word.add_heading(TITLE, level=0)
    for label, value in _details(doc):
        p = word.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(_text(value))

    word.add_heading("Self-assessment grid", level=1)
    word.add_paragraph(GRID_CAPTION)
    _grid_table(word, doc.rows)

    word.add_heading("Scores and evidence", level=1)
    _scores_table(word, doc.rows)
    if doc.manager_comment:
        p = word.add_paragraph()
        p.add_run("Manager's comment: ").bold = True
        p.add_run(_text(doc.manager_comment))

    word.add_heading("Personal development plan", level=1)
    if doc.plan:
        _plan_table(word, doc.plan, doc.plan_questions)
    else:
        word.add_paragraph(EMPTY_PLAN)

    # In the body, once: screen readers and some viewers skip footers (the footer numbers the pages).
    word.add_paragraph().add_run(_source_line(doc)).italic = True
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def assessment_csv(doc: AssessmentDocument) -> str:
    """The assessment as one CSV table: an ``assessment`` row per competency, then a ``plan`` row per item.

    One rectangular table (columns ``CSV_HEADER``) so Excel can sort and filter it; an unscored competency
    has an empty score, so the column stays numeric. RFC 4180: "\\r\\n" line endings, quoting as needed.
    The text starts with a UTF-8 byte order mark (write it out as UTF-8): without one, Excel on Windows
    opens a double-clicked CSV in the local code page and garbles "½", accents and curly quotes. Cells that
    a spreadsheet could run as a formula are guarded (``bot.spreadsheet_cells``).
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    # On every row, so a row copied or filtered on its own still says which assessment it belongs to.
    about = [doc.role_label, doc.framework_name, f"{doc.started:%Y-%m-%d}", _iso_day(doc.completed)]
    for row in doc.rows:
        score, manager = _number(row.score), _number(row.manager_score)
        writer.writerow(
            inert_row(["assessment", row.competency, score, manager, row.evidence, *[""] * 5, *about])
        )
    for item in doc.plan:
        plan_cells = [item.objective, item.activity, item.success_measure, item.support, item.target_date]
        writer.writerow(inert_row(["plan", item.competency, "", "", "", *plan_cells, *about]))
    return out.getvalue()


def docx_filename(doc: AssessmentDocument, tag: str | None = None) -> str:
    """``self-assessment-YYYY-MM-DD-TAG.docx``: the date and a random tag, no personal data. The tag keeps
    two downloads from the same day apart (one person's file must never replace another's in a shared
    folder, such as the console's exports)."""
    return f"self-assessment-{_day(doc):%Y-%m-%d}-{tag or _tag()}.docx"


def csv_filename(doc: AssessmentDocument, tag: str | None = None) -> str:
    """``self-assessment-YYYY-MM-DD-TAG.csv``, as ``docx_filename``."""
    return f"self-assessment-{_day(doc):%Y-%m-%d}-{tag or _tag()}.csv"


def _tag() -> str:
    return secrets.token_hex(4)


def _iso_day(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d}" if moment else ""


def half_steps(score: float) -> tuple[int, bool]:
    """The number of fully shaded cells and whether a half cell follows, the score rounded to a half point."""
    halves = max(0, min(int(MAX_SCORE) * 2, round(score * 2)))
    return halves // 2, halves % 2 == 1


def _day(doc: AssessmentDocument) -> datetime:
    return doc.completed or doc.started


def _details(doc: AssessmentDocument) -> list[tuple[str, str]]:
    details = [
        ("Name", doc.person_name),
        ("Role", doc.role_label),
        ("Framework", doc.framework_name),
        ("Institution", doc.institution),
        ("Started", _date(doc.started)),
        ("Completed", _date(doc.completed) if doc.completed else "not yet completed"),
    ]
    if doc.manager_name:
        details.append(("Manager", doc.manager_name))
    return details


def _date(moment: datetime) -> str:
    return f"{moment.day} {moment:%B %Y}"


def _source_line(doc: AssessmentDocument) -> str:
    where = f"{doc.framework_name}, {doc.institution}" if doc.institution else doc.framework_name
    return f"Source: {where}" + (f". {doc.source}" if doc.source else "")


def _metadata(word: WordDocument, doc: AssessmentDocument) -> None:
    # Document properties travel unseen (previews, search indexes, shared drives), so they hold no personal
    # data: not even the name in the title. The template's own values ("python-docx", 2013) are replaced.
    props = word.core_properties
    props.title = TITLE
    props.subject = doc.framework_name
    props.author = "techpath"
    props.last_modified_by = "techpath"
    props.comments = ""
    props.keywords = ""
    props.language = "en-GB"
    props.revision = 1
    # python-docx writes the wall-clock time with a "Z", so it must be in UTC already.
    props.created = props.modified = _day(doc).astimezone(UTC)


def _page_setup(word: WordDocument) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE  # the grid's eleven columns need the width
    section.page_width, section.page_height = _PAGE_W, _PAGE_H
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, _MARGIN)
    footer = section.footer.paragraphs[0]
    footer.text = f"{TITLE} · page "
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _field(paragraph: Paragraph, code: str) -> None:
    """A field Word and LibreOffice fill in as they lay out the pages (a page number)."""
    field = OxmlElement("w:fldSimple", {qn("w:instr"): code})
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"  # shown until the viewer updates the field
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _grid_table(word: WordDocument, rows: list[RowResult]) -> None:
    table = _table(word, ["Competency", *(str(n) for n in range(1, 11))], _GRID_WIDTHS)
    for result in rows:
        cells = _add_row(table)
        cells[0].text = _text(result.competency)
        if result.score is None:
            # One merged cell reading "not scored", so a blank row cannot be mistaken for a low score.
            merged = cells[1].merge(cells[10])
            merged.text = NOT_SCORED
            merged.paragraphs[0].runs[0].italic = True
            continue
        full, half = half_steps(result.score)
        for cell in cells[1 : full + 1]:
            _shade(cell, FULL_FILL)
        if half:
            _shade(cells[full + 1], HALF_FILL)
            cells[full + 1].text = HALF_MARK
            cells[full + 1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _widths(table, _GRID_WIDTHS)


def _scores_table(word: WordDocument, rows: list[RowResult]) -> None:
    with_manager = any(r.manager_score is not None for r in rows)
    headings = ["Competency", "Score", "Evidence"] + (["Manager's view"] if with_manager else [])
    widths = _SCORE_WIDTHS_MANAGER if with_manager else _SCORE_WIDTHS
    table = _table(word, headings, widths)
    for result in rows:
        values = [result.competency, _shown(result.score), result.evidence]
        if with_manager:
            values.append(_shown(result.manager_score))
        for cell, value in zip(_add_row(table), values, strict=True):
            cell.text = _text(value)
    _widths(table, widths)


def _plan_table(word: WordDocument, plan: list[PlanItem], questions: tuple[str, ...]) -> None:
    table = _table(word, list(PLAN_HEADINGS), _PLAN_WIDTHS)
    # Appendix 3 puts a guidance question under each heading: it says what goes in the column.
    if len(questions) == len(PLAN_HEADINGS):
        for cell, question in zip(table.rows[0].cells, questions, strict=True):
            if question:
                cell.add_paragraph().add_run(_text(question)).italic = True
    for item in plan:
        cells = _add_row(table)
        # Appendix 3 asks "What competency, skill, knowledge do I want to develop?" under the objective,
        # so the competency leads that cell rather than taking a column the template does not have.
        if item.competency:
            cells[0].paragraphs[0].add_run(_text(item.competency)).bold = True
            cells[0].add_paragraph(_text(item.objective))
        else:
            cells[0].text = _text(item.objective)
        for cell, value in zip(
            cells[1:], [item.activity, item.success_measure, item.support, item.target_date], strict=True
        ):
            cell.text = _text(value)
    _widths(table, _PLAN_WIDTHS)


def _table(word: WordDocument, headings: list[str], widths: list[Length]) -> Table:
    table: Table = word.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    # Repeat the heading row on every page, and let screen readers announce it as the header.
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, heading in zip(header.cells, headings, strict=True):
        cell.paragraphs[0].add_run(heading).bold = True
    return table


def _add_row(table: Table) -> tuple[_Cell, ...]:
    # python-docx leaves Table.add_row unannotated; its result is a _Row.
    row = table.add_row()  # type: ignore[no-untyped-call]
    # A row stays on one page: a plan item or a score read across a page break is easily misread.
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return row.cells  # type: ignore[no-any-return]


def _widths(table: Table, widths: list[Length]) -> None:
    # Word follows the cell widths, LibreOffice the grid columns: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        cells, i = row.cells, 0
        while i < len(cells):  # a merged cell appears once per column it spans, and gets their sum
            span = cells[i].grid_span
            cells[i].width = Length(sum(widths[i : i + span]))
            i += span


def _shade(cell: _Cell, fill: str) -> None:
    shd = OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill})
    cell._tc.get_or_add_tcPr().append(shd)


def _shown(score: float | None) -> str:
    return NOT_SCORED if score is None else score_label(score)


def _number(score: float | None) -> str:
    return "" if score is None else score_label(score)


def _text(value: str) -> str:
    # "\r\n" from Teams would otherwise become two line breaks.
    return _NOT_XML.sub("", value.replace("\r\n", "\n"))
