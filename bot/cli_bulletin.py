"""`techpath bulletin`: post opportunities from a file, approve, edit, recall; their delivery and uptake."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from bot.storage.people import PersonRecord
    from bot.storage.stores import Stores

T = TypeVar("T")
# handlers.bulletin.desk.BulletinDesk, made by bot.app (nothing in bot/ but the wiring names a feature).
BulletinDesk = Any


@click.group()
def bulletin() -> None:
    """The TC bulletin: opportunities for technicians, to the bulletin channels and the people they suit."""


def _with_desk(work: Callable[[BulletinDesk], Awaitable[T]]) -> T:
    """Run ``work`` with the bulletin desk over the configured database; a refusal is one line."""
    from bot.app import bulletin_desk, ready_stores
    from bot.cli import _context
    from bot.core import Refused
    from bot.settings import Settings

    settings = Settings()
    ctx = _context(settings)

    async def run() -> T:
        stores = await ready_stores(settings)
        try:
            return await work(bulletin_desk(settings, ctx, stores))
        finally:
            await stores.database.close()

    import asyncio

    try:
        return asyncio.run(run())
    except Refused as refusal:
        raise click.ClickException(f"refused: {refusal}") from refusal


async def _person(stores: Stores, email: str) -> PersonRecord:
    person = await stores.people.by_email(email)
    if person is None:
        raise click.ClickException(f"{email} is not in the directory (techpath people import)")
    return person


def _read(desk: BulletinDesk, file: Path) -> list[Any]:
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"cannot read {file}: {error}") from error
    found, problems = desk.read(text, file.name)
    if problems:
        click.echo(f"{file}: nothing was saved; fix these and post again:", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    return list(found)


@bulletin.command("post")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "author_email", required=True, help="The coordinator posting (their directory email).")
@click.option("--dry-run", is_flag=True, help="Check the file and show who it would reach; save nothing.")
@click.option("--yes", is_flag=True, help="Post without asking for confirmation.")
def post_command(file: Path, author_email: str, dry_run: bool, yes: bool) -> None:
    """Post the opportunities in FILE (YAML, or CSV with one a row): all of them, or none."""

    async def work(desk: BulletinDesk) -> None:
        author = await _person(desk.stores, author_email)
        items = _read(desk, file)
        desk.check_scope(author, items)
        for item in items:
            preview = await desk.preview(item)
            channels = ", ".join(preview.channels) or "none chosen yet"
            click.echo(f"{item.title}\n  reaches {preview.people}\n  channels: {channels}")
        if dry_run:
            click.echo("Nothing was saved (--dry-run).")
            return
        if not yes and not click.confirm(f"Post {len(items)} opportunit{'y' if len(items) == 1 else 'ies'}?"):
            click.echo("Nothing was saved.")
            return
        for outcome in await desk.post(items, author):
            record = outcome.opportunity
            if record.status == "posted":
                click.echo(f"posted {record.id}: {record.title} (techpath bulletin status {record.id})")
            else:
                click.echo(
                    f"held for approval {record.id}: {record.title} (techpath bulletin approve {record.id})"
                )

    _with_desk(work)


@bulletin.command("approve")
@click.argument("opportunity_id", type=int)
@click.option("--as", "approver_email", required=True, help="A coordinator other than the author.")
@click.option("--return", "send_back", is_flag=True, help="Return it to its author as a draft instead.")
def approve_command(opportunity_id: int, approver_email: str, send_back: bool) -> None:
    """Send a post held for approval (TECHPATH_BULLETIN_APPROVAL), or return it."""

    async def work(desk: BulletinDesk) -> str:
        outcome = await desk.approve(
            opportunity_id, await _person(desk.stores, approver_email), not send_back
        )
        if send_back:
            return f"returned {opportunity_id} to {outcome.opportunity.author_email} as a draft"
        return f"posted {opportunity_id}: reaches {outcome.preview.people}"

    click.echo(_with_desk(work))


@bulletin.command("status")
@click.argument("opportunity_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status_command(opportunity_id: int, as_json: bool) -> None:
    """OPPORTUNITY_ID's deliveries: sent, pending, failed by reason, throttling, progress."""
    from bot.cli_deliveries import load_status, print_status

    async def work(desk: BulletinDesk) -> tuple[Any, Any, Any]:
        record = await desk.stores.bulletin.get(opportunity_id)
        if record is None:
            raise click.ClickException(f"there is no opportunity {opportunity_id}")
        statuses, throttled = await load_status(desk.stores, record.send_id)
        return record, statuses, throttled

    record, statuses, throttled = _with_desk(work)
    if not as_json:
        click.echo(f"{record.id}: {record.title} ({record.status.replace('_', ' ')})")
    print_status(statuses, throttled, as_json)


@bulletin.command("edit")
@click.argument("opportunity_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "editor_email", default="", help="Who edits it (default: its author).")
def edit_command(opportunity_id: int, file: Path, editor_email: str) -> None:
    """Replace OPPORTUNITY_ID with the one opportunity in FILE, and edit every copy already sent."""

    async def work(desk: BulletinDesk) -> str:
        [fields, *more] = _read(desk, file) or [None]
        if fields is None or more:
            raise click.ClickException(f"{file} must hold exactly one opportunity to edit {opportunity_id}")
        editor = await _editor(desk, opportunity_id, editor_email)
        edited = await desk.edit(opportunity_id, fields, editor)
        return f"edited {opportunity_id}: {edited} copies already sent will be changed, channels first"

    click.echo(_with_desk(work))


@bulletin.command("recall")
@click.argument("opportunity_id", type=int)
@click.option("--as", "by_email", default="", help="Who recalls it (default: its author).")
def recall_command(opportunity_id: int, by_email: str) -> None:
    """Withdraw OPPORTUNITY_ID: copies not sent are cancelled, every sent copy is deleted."""

    async def work(desk: BulletinDesk) -> str:
        deleted = await desk.recall(opportunity_id, await _editor(desk, opportunity_id, by_email))
        return f"recalled {opportunity_id}: {deleted} copies already sent will be deleted"

    click.echo(_with_desk(work))


async def _editor(desk: BulletinDesk, opportunity_id: int, email: str) -> PersonRecord:
    if not email:
        record = await desk.stores.bulletin.get(opportunity_id)
        if record is None:
            raise click.ClickException(f"there is no opportunity {opportunity_id}")
        email = record.author_email
    return await _person(desk.stores, email)


@bulletin.command("report")
@click.argument("opportunity_id", type=int, required=False)
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path), help="Write a CSV too.")
def report_command(opportunity_id: int | None, csv_file: Path | None) -> None:
    """Reach and uptake per opportunity, by department and grade: no names, no group under five people."""

    async def work(desk: BulletinDesk) -> tuple[list[str], str] | None:
        report: tuple[list[str], str] | None = await desk.report(opportunity_id)
        return report

    report = _with_desk(work)
    if report is None:
        raise click.ClickException(f"there is no posted opportunity {opportunity_id}")
    lines, table = report
    for line in lines:
        click.echo(line)
    if csv_file is not None:
        csv_file.write_text(table, encoding="utf-8")
        click.echo(f"wrote {csv_file}")
