"""Settings, only from the environment (or a .env file): nothing secret is ever read from a committed file."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

# pydantic-settings would do this too, but importing it costs a one-shot `techpath ask` a fifth of its time;
# what we need of it is small: variables by name, case-insensitively, over a .env file, over defaults.
_UNSET: Any = object()


class SettingsError(ValueError):
    """Settings that cannot be used: one line per variable, naming it and what it should be."""


def _environment(env_file: str | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if env_file and Path(env_file).is_file():
        from dotenv import dotenv_values

        values.update({k.upper(): v for k, v in dotenv_values(env_file).items() if v is not None})
    values.update({k.upper(): v for k, v in os.environ.items()})
    return values


def default_data_dir() -> Path:
    """The per-user data folder: $XDG_DATA_HOME/techpath (~/.local/share/techpath) on Linux,
    ~/Library/Application Support/techpath on macOS, %LOCALAPPDATA%\\techpath on Windows."""
    if os.name == "nt":
        local = os.environ.get("LOCALAPPDATA", "")
        return (Path(local) if local else Path.home() / "AppData" / "Local") / "techpath"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "techpath"
    xdg = os.environ.get("XDG_DATA_HOME", "")
    # The XDG specification ignores a relative path here.
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share") / "techpath"


class Settings(BaseModel):
    """What an operator can set; every field documents the variable that sets it.

    ``Settings()`` reads the environment over ``.env`` (``_env_file=None`` for none); keyword arguments, by
    variable name, override both."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    def __init__(self, _env_file: str | None = ".env", **overrides: Any) -> None:
        values = {**_environment(_env_file), **{k.upper(): v for k, v in overrides.items()}}
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise SettingsError(_explain(error, values)) from None

    # The active framework: a bundled name ("lancaster") or the path of a university's own YAML file.
    framework: str = Field(default="lancaster", validation_alias="TECHPATH_FRAMEWORK")
    # Other frameworks to crosswalk with, comma-separated; empty for none.
    crosswalk: list[str] = Field(default=["imperial"], validation_alias="TECHPATH_CROSSWALK")
    log_level: str = Field(default="WARNING", validation_alias="TECHPATH_LOG_LEVEL")
    # PostgreSQL in production (postgresql://user:password@host/db); empty for the embedded SQLite file.
    database_url: str = Field(default="", validation_alias="DATABASE_URL")
    # PostgreSQL connections per process: this many for the stores, as many again for the turn locks (so a
    # replica opens up to twice this many); turns beyond it wait in line.
    db_pool_size: int = Field(default=10, ge=1, le=500, validation_alias="TECHPATH_DB_POOL_SIZE")
    # Seconds before a connection attempt, or any one statement, counts as the database being unreachable.
    db_connect_timeout: float = Field(
        default=5.0, gt=0, le=300, validation_alias="TECHPATH_DB_CONNECT_TIMEOUT"
    )
    db_statement_timeout: float = Field(
        default=10.0, gt=0, le=3600, validation_alias="TECHPATH_DB_STATEMENT_TIMEOUT"
    )
    # Where the SQLite file and console exports live: by default the per-user data folder (see
    # default_data_dir), so techpath finds the same directory and assessments from whichever folder it runs.
    data_dir: Path = Field(default_factory=default_data_dir, validation_alias="TECHPATH_DATA_DIR")
    # Assessment data older than this is deleted by the retention job (UK GDPR storage limitation).
    retention_days: int = Field(default=3 * 365, ge=1, validation_alias="TECHPATH_RETENTION_DAYS")
    # The server's event loop: uvloop (the default where it is installed) or Python's own asyncio.
    event_loop: Literal["uvloop", "asyncio"] = Field(default="uvloop", validation_alias="TECHPATH_EVENT_LOOP")
    host: str = Field(default="0.0.0.0", validation_alias="TECHPATH_HOST")
    port: int = Field(default=3978, ge=1, le=65535, validation_alias="TECHPATH_PORT")
    # The bot's public HTTPS address (as in the Teams messaging endpoint), for short-lived download links.
    public_url: str = Field(default="", validation_alias="TECHPATH_PUBLIC_URL")
    # Slack: a bot token and a signing secret (HTTP), or a bot token and an app-level token (Socket Mode).
    slack_bot_token: str = Field(default="", validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field(default="", validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str = Field(default="", validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    # Teams (Azure Bot registration).
    microsoft_app_id: str = Field(default="", validation_alias="MICROSOFT_APP_ID")
    microsoft_app_password: str = Field(default="", validation_alias="MICROSOFT_APP_PASSWORD")
    microsoft_app_tenant_id: str = Field(default="", validation_alias="MICROSOFT_APP_TENANT_ID")
    microsoft_app_type: str = Field(default="MultiTenant", validation_alias="MICROSOFT_APP_TYPE")
    # The Microsoft 365 tenant ids whose accounts are linked to directory people (comma-separated); for a
    # single-tenant app it defaults to MICROSOFT_APP_TENANT_ID.
    teams_tenants: list[str] = Field(default=[], validation_alias="TECHPATH_TEAMS_TENANTS")
    # The platforms' published limits for what the bot sends on its own (calls per second unless named).
    slack_channel_rate: float = Field(
        default=1.0, gt=0, le=100, validation_alias="TECHPATH_SLACK_CHANNEL_RATE"
    )
    slack_workspace_rate: float = Field(
        default=20.0, gt=0, le=1000, validation_alias="TECHPATH_SLACK_WORKSPACE_RATE"
    )
    slack_tier3_per_minute: float = Field(
        default=50.0, gt=0, le=10000, validation_alias="TECHPATH_SLACK_TIER3_PER_MINUTE"
    )
    teams_conversation_rate: float = Field(
        default=7.0, gt=0, le=100, validation_alias="TECHPATH_TEAMS_CONVERSATION_RATE"
    )
    teams_tenant_rate: float = Field(
        default=25.0, gt=0, le=1000, validation_alias="TECHPATH_TEAMS_TENANT_RATE"
    )
    # Reaching people on Teams who never wrote to the bot. Through a team's roster needs nothing set; through
    # Microsoft Graph (installing the app for them) needs the app's id in the organisation's Teams app
    # catalog, and an app registration granted TeamsAppInstallation.ReadWriteSelfForUser.All and
    # User.Read.All (application): by default the bot's own (MICROSOFT_APP_ID/PASSWORD/TENANT_ID).
    teams_catalog_app_id: str = Field(default="", validation_alias="TECHPATH_TEAMS_CATALOG_APP_ID")
    graph_client_id: str = Field(default="", validation_alias="TECHPATH_GRAPH_CLIENT_ID")
    graph_client_secret: str = Field(default="", validation_alias="TECHPATH_GRAPH_CLIENT_SECRET")
    graph_tenant_id: str = Field(default="", validation_alias="TECHPATH_GRAPH_TENANT_ID")
    graph_url: str = Field(default="https://graph.microsoft.com/v1.0", validation_alias="TECHPATH_GRAPH_URL")
    graph_authority: str = Field(
        default="https://login.microsoftonline.com", validation_alias="TECHPATH_GRAPH_AUTHORITY"
    )
    graph_install_rate: float = Field(
        default=20.0, gt=0, le=1000, validation_alias="TECHPATH_GRAPH_INSTALL_RATE"
    )
    # The Bot Connector address for a chat opened after a Graph installation, when the bot has not yet
    # seen a team of that tenant (whose own address it would use).
    teams_service_url: str = Field(
        default="https://smba.trafficmanager.net/teams/", validation_alias="TECHPATH_TEAMS_SERVICE_URL"
    )
    # Seconds a worker may hold a delivery it is sending; past that (its process died) another takes it.
    delivery_lease_seconds: float = Field(
        default=60.0, ge=1, le=3600, validation_alias="TECHPATH_DELIVERY_LEASE_SECONDS"
    )
    # Attempts at one delivery before it is marked failed (retryable errors only; 429s do not count).
    delivery_max_attempts: int = Field(
        default=6, ge=1, le=100, validation_alias="TECHPATH_DELIVERY_MAX_ATTEMPTS"
    )
    # The institution's clock for reminders: its zone, the local hour they go at, the days and hours it
    # works, the UK nation whose bank holidays it keeps (ENG, WLS, SCT, NIR or none), and a YAML file of
    # closure dates (see README).
    timezone: str = Field(default="Europe/London", validation_alias="TECHPATH_TIMEZONE")
    reminder_hour: str = Field(default="09:00", validation_alias="TECHPATH_REMINDER_HOUR")
    working_days: str = Field(default="Mon-Fri", validation_alias="TECHPATH_WORKING_DAYS")
    working_hours: str = Field(default="08:00-18:00", validation_alias="TECHPATH_WORKING_HOURS")
    holidays: str = Field(default="ENG", validation_alias="TECHPATH_HOLIDAYS")
    closures: Path | None = Field(default=None, validation_alias="TECHPATH_CLOSURES")
    # The TC bulletin: a second coordinator approves each post before it goes out; Slack channel ids it
    # always posts to (comma-separated), besides those a coordinator chose in chat; the key its tracked
    # links are signed with (made and kept in the database when empty).
    bulletin_approval: bool = Field(default=False, validation_alias="TECHPATH_BULLETIN_APPROVAL")
    bulletin_slack_channels: list[str] = Field(
        default=[], validation_alias="TECHPATH_BULLETIN_SLACK_CHANNELS"
    )
    link_secret: str = Field(default="", validation_alias="TECHPATH_LINK_SECRET")
    # "I'm interested" passed on to the opportunity's contact, when they are in the directory and reachable
    # (off: the person is told to write to the contact themselves); the day of the week digests go on.
    bulletin_forward_interest: bool = Field(
        default=False, validation_alias="TECHPATH_BULLETIN_FORWARD_INTEREST"
    )
    bulletin_digest_day: str = Field(default="Mon", validation_alias="TECHPATH_BULLETIN_DIGEST_DAY")
    # Local development only: accept Teams activities without authentication, on loopback.
    teams_dev_no_auth: bool = Field(default=False, validation_alias="TECHPATH_TEAMS_DEV_NO_AUTH")
    # Bot Connector hosts a reply may go to (exact host names; replies carry a bearer token).
    teams_service_hosts: list[str] = Field(
        default=[
            "smba.trafficmanager.net",
            "smba.infra.gcc.teams.microsoft.com",
            "smba.infra.gov.teams.microsoft.us",
            "smba.infra.dod.teams.microsoft.us",
        ],
        validation_alias="TECHPATH_TEAMS_SERVICE_HOSTS",
    )

    @field_validator(
        "timezone", "reminder_hour", "working_days", "working_hours", "holidays", "bulletin_digest_day"
    )
    @classmethod
    def _readable_time(cls, value: str, info: ValidationInfo) -> str:
        from bot import working_time

        readers: dict[str, Callable[[str], object]] = {
            "timezone": working_time.parse_zone,
            "reminder_hour": working_time.parse_hour,
            "working_days": working_time.parse_working_days,
            "working_hours": working_time.parse_hours,
            "holidays": working_time.parse_nation,
            "bulletin_digest_day": lambda text: working_time.parse_day(text, "TECHPATH_BULLETIN_DIGEST_DAY"),
        }
        readers[str(info.field_name)](value)  # raises with the setting's name and how to write it
        return value

    @field_validator(
        "crosswalk", "teams_service_hosts", "teams_tenants", "bulletin_slack_channels", mode="before"
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value


def _explain(error: ValidationError, values: dict[str, Any]) -> str:
    lines = []
    for problem in error.errors(include_url=False):
        name = str(problem["loc"][0]) if problem["loc"] else "a setting"
        given = values.get(name, _UNSET)
        secret = any(word in name for word in ("SECRET", "PASSWORD", "TOKEN"))
        shown = "" if given is _UNSET or secret else f"={given}"
        lines.append(f"{name}{shown}: {problem['msg']} (set in the environment or .env)")
    return "\n".join(lines)
