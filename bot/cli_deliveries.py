"""`techpath deliveries`: what happened to everything the bot sent on its own, and resending what failed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from bot.storage.outbox import SendStatus
    from bot.storage.stores import Stores

# A send with rows still to go and no progress for this long is flagged, not shown as "sending" for ever.
STALLED_AFTER = timedelta(minutes=10)


@click.group()
def deliveries() -> None:
    """Messages the bot sends on its own: shares, bulletin posts, reminders, their edits and recalls."""


def _as_json(status: SendStatus, throttled: dict[str, str]) -> dict[str, Any]:
    return {
        "send_id": status.send_id,
        "total": status.total,
        "by_state": status.by_state,
        "failed_by_reason": status.failed_by_reason,
        "last_progress_at": status.last_progress_at.isoformat() if status.last_progress_at else None,
        "stalled": _stalled(status),
        "throttled_until": throttled,
    }


def _stalled(status: SendStatus) -> bool:
    last = status.last_progress_at
    if status.open == 0 or last is None:
        return False
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    return datetime.now(UTC) - last > STALLED_AFTER


@deliveries.command("status")
@click.argument("send_id", required=False)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status_command(send_id: str | None, as_json: bool) -> None:
    """SEND_ID's deliveries (or the latest sends): sent, pending, failed by reason, throttling, progress."""
    show_status(send_id, as_json)


async def load_status(stores: Stores, send_id: str | None) -> tuple[list[SendStatus], dict[str, str]]:
    """The sends' statuses, and the scopes throttled now."""
    statuses = await stores.outbox.status(send_id)
    now = datetime.now(UTC)
    throttled = {
        scope: until.isoformat()
        for scope, until, _ in await stores.throttles.all()
        if until is not None and (until if until.tzinfo else until.replace(tzinfo=now.tzinfo)) > now
    }
    return statuses, throttled


def show_status(send_id: str | None, as_json: bool) -> None:
    from bot.app import ready_stores
    from bot.settings import Settings

    async def run() -> tuple[list[SendStatus], dict[str, str]]:
        stores = await ready_stores(Settings())
        try:
            return await load_status(stores, send_id)
        finally:
            await stores.database.close()

    import asyncio

    statuses, throttled = asyncio.run(run())
    if send_id is not None and not statuses:
        raise click.ClickException(f"no send {send_id!r}; `techpath deliveries status` lists the latest")
    print_status(statuses, throttled, as_json)


def print_status(statuses: list[SendStatus], throttled: dict[str, str], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([_as_json(s, throttled) for s in statuses], indent=2))
        return
    for status in statuses:
        states = ", ".join(f"{state} {count}" for state, count in sorted(status.by_state.items()))
        line = f"{status.send_id}: {status.total} in all ({states})"
        if _stalled(status):
            line += "  STALLED: no progress for over 10 minutes"
        click.echo(line)
        for reason, count in sorted(status.failed_by_reason.items()):
            click.echo(f"    {reason}: {count}")
    for scope, until in sorted(throttled.items()):
        click.echo(f"throttled: {scope} until {until}")


@deliveries.command("resend")
@click.argument("send_id")
def resend_command(send_id: str) -> None:
    """Try SEND_ID's failed deliveries again (only those: what was sent is not sent twice)."""

    from bot.app import ready_stores
    from bot.settings import Settings

    async def run() -> int:
        stores = await ready_stores(Settings())
        try:
            return await stores.outbox.resend_failed(send_id)
        finally:
            await stores.database.close()

    import asyncio

    count = asyncio.run(run())
    click.echo(f"{count} failed deliveries of {send_id} will be tried again by the running server")
