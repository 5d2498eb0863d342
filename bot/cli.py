"""The ``techpath`` command: chat, ask, validate-framework, serve.

Each command imports what it needs when it runs: ``techpath --help`` and ``techpath ask`` must not pay for
the chat SDKs, the web server or the database layer (see bench/startup.py)."""

from __future__ import annotations

import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.cli_bulletin import bulletin
from bot.cli_db import db
from bot.cli_deliveries import deliveries
from bot.cli_people import people
from bot.cli_windows import windows
from bot.words import counted

if TYPE_CHECKING:
    from bot.core import Context
    from bot.settings import Settings


def _context(settings: Settings) -> Context:
    from bot.app import build_context
    from framework_data.loader import FrameworkError

    try:
        return build_context(settings, settings.data_dir / "cache")
    except FrameworkError as exc:
        click.echo(f"The framework could not be loaded ({counted(len(exc.problems), 'problem')}):", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        if any(p.file.startswith(("TECHPATH_FRAMEWORK=", "TECHPATH_CROSSWALK=")) for p in exc.problems):
            click.echo("Fix the setting (in the environment or .env).", err=True)
        else:
            click.echo("Fix the file, or check it with: techpath validate-framework FILE", err=True)
        sys.exit(1)


class _Commands(click.Group):
    """Start-up failures an operator can fix get one line that says what to fix, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as error:
            # Only a command that opened the database can raise DatabaseUnreachable, so its module is loaded
            # by then; importing it for every other error would load SQLAlchemy for nothing.
            health = sys.modules.get("bot.storage.health")
            settings = sys.modules.get("bot.settings")
            if (health is None or not isinstance(error, health.DatabaseUnreachable)) and (
                settings is None or not isinstance(error, settings.SettingsError)
            ):
                raise
            click.echo(str(error), err=True)
            sys.exit(1)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """techpath: the technician career framework, answered in chat."""
    import logging

    from bot.log_privacy import quiet_payload_loggers
    from bot.settings import Settings

    logging.basicConfig(level=Settings().log_level.upper(), stream=sys.stderr)
    quiet_payload_loggers()


@main.command()
@click.option("--as", "as_email", metavar="EMAIL", help="Speak as this person from the directory.")
def chat(as_email: str | None) -> None:
    """Chat with the bot in this terminal."""
    import asyncio

    from bot.app import build_router, ready_stores
    from bot.console import ConsoleChat
    from bot.settings import Settings
    from bot.storage.people import CONSOLE_EMAIL, PersonFields
    from bot.working_time import calendar_from_settings

    settings = Settings()
    ctx = _context(settings)

    async def run() -> None:
        stores = await ready_stores(settings)
        try:
            user = CONSOLE_EMAIL
            if not as_email and await stores.people.by_email(CONSOLE_EMAIL) is None:
                # Zero set-up: the person at this terminal gets a directory entry of their own (no role
                # yet), so a self-assessment can be saved, paused and resumed here.
                await stores.people.upsert(
                    [PersonFields(CONSOLE_EMAIL, "Console user", "", "", "", "", frozenset())]
                )
            if as_email:
                person = await stores.people.by_email(as_email)
                if person is None:
                    raise click.ClickException(
                        f"{as_email} is not in the directory. Add people first, for example: "
                        "techpath people import examples/people.csv"
                    )
                user = person.email
            console = ConsoleChat(
                build_router(ctx, stores, calendar_from_settings(settings), settings=settings),
                user_id=user,
                exports=settings.data_dir / "exports",
            )
            await console.run(echo=not sys.stdin.isatty())
        finally:
            await stores.database.close()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        click.echo("")


@main.command()
@click.argument("question", nargs=-1, required=True)
def ask(question: tuple[str, ...]) -> None:
    """Answer one QUESTION and exit (exit status 1 when it is not in the framework)."""
    text = " ".join(question).strip()
    if not text:
        raise click.UsageError(
            'Give a question, for example: techpath ask "what does grade 7 specialist need"'
        )
    from bot.app import answer_one
    from bot.settings import Settings
    from cards.text import render_text
    from framework_data.query import Intent

    ctx = _context(Settings())
    query, card = answer_one(text, ctx)
    click.echo(render_text(card))
    if query.intent in (Intent.UNKNOWN, Intent.OUTSIDE) or (query.unknown and not query.roles):
        sys.exit(1)


@main.command("validate-framework")
@click.argument("file", type=click.Path(dir_okay=False))
def validate_framework(file: str) -> None:
    """Check a framework FILE and report every problem with file, role and row."""
    from framework_data.loader import FrameworkError, load_bands, load_framework

    try:
        loaded = load_framework(Path(file), load_bands())
    except FrameworkError as exc:
        click.echo(f"{file}: {counted(len(exc.problems), 'problem')}", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    fw = loaded.framework
    shared = sum(1 for d in loaded.descriptors.values() if d.shared_with is not None)
    gaps = sum(1 for d in loaded.descriptors.values() if d.text is None)
    click.echo(
        f"{file}: valid. {fw.name}: {len(fw.roles)} roles, {len(fw.rows)} rows, {len(fw.grid)} grid rows; "
        f"{shared} cells shared with another role, {gaps} without a descriptor."
    )


@main.command()
def serve() -> None:
    """Serve Slack and/or Teams (and the health, readiness and metrics endpoints) until stopped.

    Needs a chat platform configured: SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN), or
    MICROSOFT_APP_ID with MICROSOFT_APP_PASSWORD and TECHPATH_TEAMS_TENANTS."""
    from bot.platforms import ConfigError, check_platforms
    from bot.serve import run_server
    from bot.settings import Settings

    settings = Settings()
    ctx = _context(settings)
    from bot.working_time import TimeSettingError, calendar_from_settings

    try:
        platforms = check_platforms(settings)
        calendar_from_settings(settings)  # a broken closure file stops the start, saying what to fix
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(f"configuration: {problem}", err=True)
        sys.exit(2)
    except TimeSettingError as exc:
        click.echo(f"configuration: {exc}", err=True)
        sys.exit(2)
    _run_loop(run_server(settings, ctx, platforms), settings.event_loop)


def _run_loop(main_coroutine: Coroutine[Any, Any, None], loop: str) -> None:
    """Run the server on uvloop where it is installed: the same asyncio API with a faster loop, which
    under load keeps acknowledgements quick while turns are worked on (see bench/http.py)."""
    import asyncio
    import logging

    if loop == "uvloop":
        try:
            import uvloop
        except ImportError:  # not built for this platform (Windows): Python's own loop works the same
            logging.getLogger(__name__).info("uvloop is not installed; using asyncio's own event loop")
        else:
            uvloop.run(main_coroutine)
            return
    asyncio.run(main_coroutine)


@main.command("teams-package")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=Path("techpath-teams.zip")
)
@click.option(
    "--developer",
    default="Technician Commitment team",
    show_default=True,
    help="Shown in Teams' app details.",
)
@click.option(
    "--version", "app_version", default="1.0.0", show_default=True, help="Raise it for each re-upload."
)
def teams_package(output: Path, developer: str, app_version: str) -> None:
    """Build the Teams app zip from MICROSOFT_APP_ID and TECHPATH_PUBLIC_URL."""
    from bot.settings import Settings
    from bot.teams_app import build_manifest, write_package

    settings = Settings()
    try:
        manifest = build_manifest(settings.microsoft_app_id, settings.public_url, developer, app_version)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {write_package(manifest, output)}: upload it in Teams (Apps → Manage your apps).")


main.add_command(people)
main.add_command(db)
main.add_command(deliveries)
main.add_command(windows)
main.add_command(bulletin)
