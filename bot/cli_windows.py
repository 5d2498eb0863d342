"""`techpath windows`: import promotion windows and programme deadlines from a file, list them, see who
was reminded, and withdraw one."""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from bot.storage.stores import Stores

T = TypeVar("T")


@click.group()
def windows() -> None:
    """Promotion and regrading rounds, increment rounds, programme intakes, award deadlines."""


def _run(work: Callable[[Stores], Awaitable[T]]) -> T:
    from bot.app import ready_stores
    from bot.settings import Settings

    async def run() -> T:
        stores = await ready_stores(Settings())
        try:
            return await work(stores)
        finally:
            await stores.database.close()

    import asyncio

    return asyncio.run(run())


@windows.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change; save nothing.")
def import_command(file: Path, dry_run: bool) -> None:
    """Load FILE (YAML, a list under windows:). Any mistake saves nothing; importing again updates by key,
    and moving a window's dates moves the reminders not yet sent."""
    from bot.app import build_context
    from bot.settings import Settings
    from bot.windows_import import read_windows
    from bot.windows_schedule import replan
    from bot.working_time import TimeSettingError, calendar_from_settings

    settings = Settings()
    try:
        calendar = calendar_from_settings(settings)
    except TimeSettingError as error:
        raise click.ClickException(str(error)) from None
    framework = build_context(settings).catalogue.primary
    text = file.read_text(encoding="utf-8")

    async def work(stores: Stores) -> list[str]:
        departments = {p.department for p in await stores.people.all()}
        checked = read_windows(text, framework, departments)
        if checked.problems:
            for problem in checked.problems:
                click.echo(f"{file.name}: {problem}", err=True)
            return []
        if dry_run:
            lines = []
            for spec in checked.windows:
                known = await stores.windows.by_key(spec.key)
                lines.append(f"{spec.key}: would be {'updated' if known else 'added'}")
            return lines
        now = datetime.now(UTC)
        lines = []
        async with stores.database.unit_of_work():
            for record, outcome in await stores.windows.save(checked.windows):
                occurrence = await replan(stores.windows, record, calendar, now, outcome)
                when = f"next opens {occurrence.opens}" if occurrence else "already closed: no reminders"
                lines.append(f"{record.key} (id {record.id}): {outcome}, {when}")
        return lines

    lines = _run(work)
    if not lines:
        click.echo("Nothing was saved: fix the problems above and import again.", err=True)
        sys.exit(1)
    for line in lines:
        click.echo(line)
    if dry_run:
        click.echo("Dry run: nothing was saved.")


@windows.command("list")
def list_command() -> None:
    """Every window: id, key, kind, dates, who is eligible."""

    async def work(stores: Stores) -> list[str]:
        lines = []
        for w in await stores.windows.all():
            who = ", ".join(
                part
                for part in (
                    f"grades {'/'.join(w.grades)}" if w.grades else "",
                    f"paths {'/'.join(w.paths)}" if w.paths else "",
                    f"departments {'/'.join(w.departments)}" if w.departments else "",
                )
                if part
            )
            lines.append(
                f"{w.id}  {w.key}  {w.kind}  {w.opens} to {w.closes} ({w.recurrence})  {who or 'everyone'}"
            )
        return lines

    lines = _run(work)
    for line in lines or ["No windows yet: `techpath windows import FILE.yaml` adds them."]:
        click.echo(line)


@windows.command("status")
@click.argument("window_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status_command(window_id: int, as_json: bool) -> None:
    """Who was reminded of WINDOW_ID, who acknowledged, who snoozed, who could not be reached and why."""
    from bot.windows_status import WindowStatus, window_status

    async def work(stores: Stores) -> WindowStatus | None:
        window = await stores.windows.get(window_id)
        return None if window is None else await window_status(stores, window)

    status = _run(work)
    if status is None:
        raise click.ClickException(f"no window {window_id}; `techpath windows list` shows their ids")
    if as_json:
        click.echo(json.dumps(status.as_json(), indent=2))
        return
    counts = ", ".join(f"{outcome} {n}" for outcome, n in sorted(status.counts.items())) or "no reminders yet"
    click.echo(f"{status.window.name} ({status.window.key}): {counts}")
    for line in status.lines:
        why = f" ({line.reason})" if line.reason else ""
        click.echo(f"  {line.person} <{line.email}>  {line.audience} {line.lead}  {line.outcome}{why}")
    for occurrence, lead, due, state in status.slots:
        click.echo(f"  slot {occurrence} {lead}: {state}, due {due}")


@windows.command("delete")
@click.argument("window_id", type=int)
def delete_command(window_id: int) -> None:
    """Withdraw WINDOW_ID: nothing more is sent about it (what was sent stays sent)."""

    async def work(stores: Stores) -> int | None:
        if await stores.windows.get(window_id) is None:
            return None
        return await stores.windows.delete(window_id)

    cancelled = _run(work)
    if cancelled is None:
        raise click.ClickException(f"no window {window_id}; `techpath windows list` shows their ids")
    click.echo(f"Window {window_id} withdrawn; {cancelled} reminders not yet sent were cancelled.")
