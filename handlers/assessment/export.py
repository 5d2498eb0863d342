"""Download a finished assessment and its plan as a Word document or CSV: a file in Slack, a short-lived
link in Teams, a file on disk in the console."""

from __future__ import annotations

import re

from bot.core import STALE_ACTION, Attachment, Context, Event, Reply
from bot.storage.assessments import AssessmentRecord
from cards.model import Action, Card, Section
from handlers.assessment.buttons import assessment_named, button_fields, ident_value
from handlers.assessment.document import (
    AssessmentDocument,
    PlanItem,
    RowResult,
    assessment_csv,
    assessment_docx,
    csv_filename,
    docx_filename,
)

EXPORT = "assess.export"  # value {"a": assessment id, "k": its key, "f": "docx" or "csv"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV = "text/csv; charset=utf-8"

_DOWNLOAD = re.compile(
    r"^(?:download|export|send me)\s+(?:my\s+)?(?:latest\s+|last\s+)?(?:self[\s-]?)?assessment"
    r"(?:\s+as)?\s*(?P<format>word|docx|csv|spreadsheet)?$",
    re.IGNORECASE,
)


def claims(text: str) -> bool:
    return _DOWNLOAD.match(text) is not None


def export_actions(ident: tuple[int, str]) -> list[Action]:
    def action(label: str, kind: str) -> Action:
        return Action(label=label, action_id=EXPORT, value=ident_value(ident, f=kind))

    return [action("Download (Word)", "docx"), action("Download (CSV)", "csv")]


def document_of(record: AssessmentRecord, ctx: Context) -> AssessmentDocument:
    loaded, role = ctx.catalogue.role(f"{record.framework_id}:{record.role_id}")
    grid = {row.id: row for row in loaded.framework.grid}
    progress = record.progress
    fields = ("competency", "objective", "activity", "success_measure", "support", "target_date")
    # The plan template is Appendix 3 of the framework the assessment is against, or else the active one's.
    template = loaded.framework.pdp_columns or ctx.catalogue.primary.framework.pdp_columns
    return AssessmentDocument(
        person_name=ctx.person.display_name if ctx.person else "",
        role_label=role.label,
        framework_name=loaded.framework.name,
        institution=loaded.framework.institution,
        started=record.started_at,
        completed=record.completed_at,
        rows=[
            RowResult(
                grid[r].name if r in grid else r,
                progress.scores.get(r),
                progress.evidence.get(r, ""),
                manager_score=record.review.get("scores", {}).get(r),
            )
            for r in progress.rows
        ],
        manager_comment=str(record.review.get("comment", "")),
        plan=[PlanItem(**{f: str(item.get(f, "")) for f in fields}) for item in record.plan],
        source=loaded.framework.grid_source,
        plan_questions=tuple(column.prompt for column in template),
    )


def attachment_of(record: AssessmentRecord, ctx: Context, kind: str) -> Attachment:
    document = document_of(record, ctx)
    if kind == "csv":
        return Attachment(filename=csv_filename(document), media_type=CSV, content=assessment_csv(document))
    return Attachment(filename=docx_filename(document), media_type=DOCX, content=assessment_docx(document))


def _reply(record: AssessmentRecord, ctx: Context, kind: str) -> list[Reply]:
    attachment = attachment_of(record, ctx, kind)
    card = Card(
        title="Your self-assessment, to keep",
        sections=[
            Section(
                text=f"{attachment.filename}: the grid, your scores and evidence, and your development plan. "
                "It is personal: share it only with people you choose."
            )
        ],
    )
    return [Reply(card=card, attachments=[attachment])]


async def on_export(event: Event, ctx: Context) -> list[Reply]:
    """A Download button on a summary: only ever for the assessment's owner."""
    fields = button_fields(event)
    kind = str(fields.get("f", "")) if fields else ""
    if fields is None or ctx.person is None or ctx.stores is None or kind not in ("docx", "csv"):
        return [Reply(card=STALE_ACTION)]
    record = await assessment_named(ctx, fields)
    if record is None or record.person_id != ctx.person.id:
        return [Reply(card=STALE_ACTION)]
    return _reply(record, ctx, kind)


async def on_download_message(event: Event, ctx: Context) -> list[Reply] | None:
    """ "download my assessment [as csv]": the latest finished one."""
    match = _DOWNLOAD.match(" ".join(event.text.split()).rstrip(".!"))
    if match is None or not event.private:
        return None
    if ctx.person is None or ctx.stores is None:
        return None  # the assessment handler explains who can have assessments
    done = await ctx.stores.assessments.completed_for(ctx.person.id)
    if not done:
        return [
            Reply(
                card=Card(
                    title="No finished self-assessment yet",
                    sections=[
                        Section(text="Say “start self-assessment” to do one; it takes about ten minutes.")
                    ],
                )
            )
        ]
    kind = "csv" if (match.group("format") or "").lower() in ("csv", "spreadsheet") else "docx"
    return _reply(done[0], ctx, kind)
