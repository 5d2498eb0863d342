"""`techpath people`: import the HR export, export the directory, show one person.

Imports happen in the commands, so `techpath --help` does not load the database layer."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bot.words import counted

if TYPE_CHECKING:
    from bot.people_import import ImportPlan
    from bot.settings import Settings
    from bot.storage.people import PersonRecord
    from bot.storage.stores import Stores

CHUNK = 250


@click.group()
def people() -> None:
    """The people directory (from an HR export)."""


def _plan(file: Path, settings: Settings, columns: dict[str, str]) -> ImportPlan:
    from bot.people_import import read_people
    from framework_data.catalogue import load_catalogue
    from framework_data.loader import FrameworkError

    try:
        catalogue = load_catalogue(
            settings.framework,
            settings.crosswalk,
            primary_setting="TECHPATH_FRAMEWORK",
            others_setting="TECHPATH_CROSSWALK",
        )
    except FrameworkError as exc:
        listed = "\n".join(f"  {problem}" for problem in exc.problems)
        raise click.ClickException(f"the framework could not be loaded to check the file:\n{listed}") from exc
    framework = catalogue.primary
    try:
        with file.open(encoding="utf-8-sig", newline="") as stream:
            return read_people(stream, framework, columns)
    except UnicodeDecodeError as exc:
        raise click.ClickException(
            f"{file}: not UTF-8 text ({exc.reason}); save the export as CSV UTF-8"
        ) from exc


def _column_mapping(values: tuple[str, ...]) -> dict[str, str]:
    from bot.people_import import COLUMNS

    mapping: dict[str, str] = {}
    for value in values:
        name, equals, heading = value.partition("=")
        name = name.strip().lower()
        if not equals or not heading.strip():
            raise click.BadParameter(f'{value!r}: write NAME=HEADING, e.g. email="Work Email"')
        if name not in COLUMNS:
            raise click.BadParameter(f"{name!r} is not a column techpath reads ({', '.join(COLUMNS)})")
        mapping[name] = heading.strip()
    return mapping


@dataclass
class _Outcome:
    """What an import did (or, in a dry run, would do)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: list[PersonRecord] = field(default_factory=list)
    removed: int = 0


async def _write(
    stores: Stores, plan: ImportPlan, outcome: _Outcome, actor: str, remove_missing: bool
) -> None:
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
    outcome.added, outcome.updated, outcome.unchanged = totals
    if remove_missing:
        from bot.core import ERASED_MESSAGE

        for person in outcome.missing:
            # As "delete my data": what was sent about them is edited in the same transaction.
            async with stores.database.unit_of_work():
                await stores.outbox.withdraw_about(person.id, ERASED_MESSAGE.model_dump())
                await stores.privacy.remove(person.id, actor)
        outcome.removed = len(outcome.missing)
    detail = (
        f"added={outcome.added} updated={outcome.updated} unchanged={outcome.unchanged} "
        f"rejected={plan.rejected} removed={outcome.removed}"
    )
    await stores.audit.record(actor, "people.import", detail=detail)


def _preview(existing: dict[str, PersonRecord], plan: ImportPlan, outcome: _Outcome) -> None:
    for row in plan.people:
        current = existing.get(row.email)
        if current is None:
            outcome.added += 1
        elif current.fields != row:
            outcome.updated += 1
        else:
            outcome.unchanged += 1


LISTED = 20  # people named when they stay; a removal names everyone


def _report_missing(outcome: _Outcome, remove_missing: bool, dry_run: bool) -> None:
    if not outcome.missing:
        return
    listed = outcome.missing if remove_missing else outcome.missing[:LISTED]
    who = counted(len(outcome.missing), "person", "people")
    if not remove_missing:
        click.echo(
            f"{who} in the directory {'is' if len(outcome.missing) == 1 else 'are'} not in this file and "
            f"{'stays' if len(outcome.missing) == 1 else 'stay'} as they are (use --remove-missing to remove "
            "them and erase their data):",
            err=True,
        )
    elif dry_run:
        click.echo(
            f"{who} not in this file would be removed, with their assessments, plans, linked accounts "
            "and conversation state:",
            err=True,
        )
    else:
        click.echo(f"{who} not in this file removed, and their data erased:", err=True)
    for person in listed:
        click.echo(f"  {person.email}", err=True)
    if len(listed) < len(outcome.missing):
        more = len(outcome.missing) - len(listed)
        click.echo(f"  and {more} more (--dry-run --remove-missing lists everyone)", err=True)


@people.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report what would change; write nothing.")
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows even when some rows are rejected.")
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="NAME=HEADING",
    help='Read a column under the file\'s own heading, e.g. --column email="Work Email" (repeatable).',
)
@click.option(
    "--pending-managers",
    is_flag=True,
    help="Keep a manager who is not in the directory yet as a pending link, until they are imported.",
)
@click.option(
    "--remove-missing",
    is_flag=True,
    help="Remove the people this file leaves out, erasing their data as “delete my data” does.",
)
def import_people(
    file: Path,
    dry_run: bool,
    skip_invalid: bool,
    columns: tuple[str, ...],
    pending_managers: bool,
    remove_missing: bool,
) -> None:
    """Load FILE (CSV: email, display_name, department, grade, role, manager_email, bot_roles and,
    optionally, grade_since: the date they started at their grade, and coordinator_scope)."""
    import asyncio
    import getpass

    from bot.app import ready_stores
    from bot.people_managers import PENDING_HINT, check_managers
    from bot.settings import Settings
    from bot.storage.people import CONSOLE_EMAIL

    settings = Settings()
    plan = _plan(file, settings, _column_mapping(columns))
    if plan.file_problem:
        _echo_problems(file, plan)
        click.echo(
            f"{counted(len(plan.problems), 'problem')} with the file as a whole; nothing was written.",
            err=True,
        )
        sys.exit(1)
    if remove_missing and plan.unreadable_emails:
        rows = ", ".join(map(str, plan.unreadable_emails))
        raise click.ClickException(
            f"--remove-missing needs every row's email: the email on row(s) {rows} cannot be read, so "
            "who is missing cannot be told. Fix those rows first."
        )
    actor = f"cli:{getpass.getuser()}"
    outcome = _Outcome()

    async def run() -> bool:
        stores = await ready_stores(settings)
        try:
            existing = {person.email: person for person in await stores.people.all()}
            check_managers(
                plan,
                {email: p.manager_email for email, p in existing.items()},
                replacing=remove_missing,
                pending=pending_managers,
            )
            outcome.missing = [
                p
                for email, p in existing.items()
                if email not in plan.rows_by_email and email != CONSOLE_EMAIL
            ]
            if plan.rejected and not skip_invalid:
                return False
            if dry_run:
                _preview(existing, plan, outcome)
                outcome.removed = len(outcome.missing) if remove_missing else 0
            else:
                await _write(stores, plan, outcome, actor, remove_missing)
            return True
        finally:
            await stores.database.close()

    went_ahead = asyncio.run(run())
    _echo_problems(file, plan)
    if not went_ahead:
        orphaned = any(PENDING_HINT in problem.message for problem in plan.problems)
        click.echo(
            f"{counted(plan.rejected, 'row')} rejected; nothing was written. "
            f"Fix {'it' if plan.rejected == 1 else 'them'}, or use --skip-invalid to import the other rows"
            + (f" ({PENDING_HINT})." if orphaned else "."),
            err=True,
        )
        sys.exit(1)
    _report_missing(outcome, remove_missing, dry_run)
    verb = "would be" if dry_run else "were"
    removed = f", {outcome.removed} {verb} removed" if remove_missing else ""
    click.echo(
        f"{counted(len(plan.people), 'valid row')}: {outcome.added} {verb} added, {outcome.updated} {verb} "
        f"updated, {outcome.unchanged} unchanged, {plan.rejected} rejected{removed}."
    )


def _echo_problems(file: Path, plan: ImportPlan) -> None:
    for warning in sorted(plan.warnings, key=lambda w: w.row):
        click.echo(f"{file.name}: {warning}", err=True)
    for problem in plan.problems:
        click.echo(f"{file.name}: {problem}", err=True)


@people.command("export")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout."
)
def export_people(output: Path | None) -> None:
    """Write the directory as CSV, in the same columns the import reads."""
    import asyncio
    import csv

    from bot.app import ready_stores
    from bot.people_import import COLUMNS
    from bot.settings import Settings
    from bot.spreadsheet_cells import inert_row

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
                p.grade_since.isoformat() if p.grade_since else "",
                ";".join(sorted(p.coordinator_scope)),
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
    import asyncio

    from bot.app import ready_stores
    from bot.settings import Settings

    async def show() -> list[str] | None:
        stores = await ready_stores(Settings())
        try:
            person = await stores.people.by_email(email)
            if person is None:
                return None
            accounts = await stores.people.identities_of(person.id)
            reports = await stores.people.reports_of(person)
            manager = await stores.people.by_email(person.manager_email) if person.manager_email else None
        finally:
            await stores.database.close()
        pending = " (pending: not in the directory yet)" if person.manager_email and manager is None else ""
        return [
            f"{person.display_name} <{person.email}>",
            f"  department: {person.department or '-'}",
            f"  grade: {person.grade}  role: {person.role_id}",
            f"  manager: {person.manager_email or '-'}{pending}",
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
