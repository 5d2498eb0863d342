"""`techpath people`: import the HR export, export the directory, show one person."""

from __future__ import annotations

import asyncio
import csv
import getpass
import sys
from pathlib import Path

import click

from bot.app import ready_stores
from bot.people_import import COLUMNS, ImportPlan, read_people
from bot.settings import Settings
from bot.spreadsheet_cells import inert_row
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from framework_data.catalogue import load_catalogue

CHUNK = 250


@click.group()
def people() -> None:
    """The people directory (from an HR export)."""


def _plan(file: Path, settings: Settings) -> ImportPlan:
    framework = load_catalogue(settings.framework, settings.crosswalk).primary
    try:
        with file.open(encoding="utf-8-sig", newline="") as stream:
            return read_people(stream, framework)
    except UnicodeDecodeError as exc:
        raise click.ClickException(
            f"{file}: not UTF-8 text ({exc.reason}); save the export as CSV UTF-8"
        ) from exc


async def _write(stores: Stores, plan: ImportPlan, actor: str) -> tuple[int, int, int]:
    totals = [0, 0, 0]
    chunks = [plan.people[i : i + CHUNK] for i in range(0, len(plan.people), CHUNK)]
    # A bar only where a person watches: piped output and CI logs get the summary line alone.
    show_bar = sys.stderr.isatty() and len(plan.people) > CHUNK
    with click.progressbar(
        length=len(plan.people), label="Importing", file=sys.stderr, hidden=not show_bar
    ) as bar:
        for chunk in chunks:
            for i, count in enumerate(await stores.people.upsert(chunk)):
                totals[i] += count
            bar.update(len(chunk))
    added, updated, unchanged = totals
    detail = f"added={added} updated={updated} unchanged={unchanged} rejected={plan.rejected}"
    await stores.audit.record(actor, "people.import", detail=detail)
    return added, updated, unchanged


@people.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report what would change; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows even when some rows are rejected.")
def import_people(file: Path, dry_run: bool, skip_invalid: bool) -> None:
    """Load FILE (CSV: email, display_name, department, grade, role, manager_email, bot_roles)."""
    settings = Settings()
    plan = _plan(file, settings)
    for problem in plan.problems:
        click.echo(f"{file.name}: {problem}", err=True)
    header_broken = plan.problems and plan.problems[0].row == 1
    if header_broken or (plan.rejected and not skip_invalid):
        click.echo(
            f"{plan.rejected} row(s) rejected; nothing was written. Fix them, or use --skip-invalid "
            "to import the other rows.",
            err=True,
        )
        sys.exit(1)
    actor = f"cli:{getpass.getuser()}"

    async def run() -> tuple[int, int, int]:
        stores = await ready_stores(settings)
        try:
            if dry_run:
                return await _preview(stores, plan.people)
            return await _write(stores, plan, actor)
        finally:
            await stores.database.close()

    added, updated, unchanged = asyncio.run(run())
    verb = "would be" if dry_run else "were"
    click.echo(
        f"{len(plan.people)} valid row(s): {added} {verb} added, {updated} {verb} updated, "
        f"{unchanged} unchanged, {plan.rejected} rejected."
    )


async def _preview(stores: Stores, rows: list[PersonFields]) -> tuple[int, int, int]:
    # One read of the directory, not one query per row: HR exports run to thousands of rows.
    existing = {person.email: person for person in await stores.people.all()}
    added = updated = unchanged = 0
    for row in rows:
        current = existing.get(row.email)
        if current is None:
            added += 1
        elif current.fields != row:
            updated += 1
        else:
            unchanged += 1
    return added, updated, unchanged


@people.command("export")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout."
)
def export_people(output: Path | None) -> None:
    """Write the directory as CSV, in the same columns the import reads."""

    async def rows() -> list[list[str]]:
        stores = await ready_stores(Settings())
        try:
            everyone = await stores.people.all()
        finally:
            await stores.database.close()
        return [
            [
                p.email,
                p.display_name,
                p.department,
                p.grade,
                p.role_id,
                p.manager_email,
                ";".join(sorted(p.bot_roles)),
            ]
            for p in everyone
        ]

    data = asyncio.run(rows())
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        # Text, not formulas, when opened in a spreadsheet; the import takes the guard off again.
        writer.writerows(inert_row(row) for row in data)
    finally:
        if output:
            stream.close()


@people.command("show")
@click.argument("email")
def show_person(email: str) -> None:
    """Show one person's directory entry, linked accounts and reports (never assessment content)."""

    async def show() -> list[str] | None:
        stores = await ready_stores(Settings())
        try:
            person = await stores.people.by_email(email)
            if person is None:
                return None
            accounts = await stores.people.identities_of(person.id)
            reports = await stores.people.reports_of(person)
        finally:
            await stores.database.close()
        return [
            f"{person.display_name} <{person.email}>",
            f"  department: {person.department or '-'}",
            f"  grade: {person.grade}  role: {person.role_id}",
            f"  manager: {person.manager_email or '-'}",
            f"  bot roles: {', '.join(['technician', *sorted(person.bot_roles)])}",
            f"  reports: {', '.join(r.email for r in reports) or '-'}",
            f"  linked accounts: {', '.join(f'{p} {t} {u}' for p, t, u in accounts) or '-'}",
        ]

    lines = asyncio.run(show())
    if lines is None:
        raise click.ClickException(
            f"{email} is not in the directory (techpath people import FILE.csv adds people)"
        )
    click.echo("\n".join(lines))
