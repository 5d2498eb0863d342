"""Settings, only from the environment (or a .env file): nothing secret is ever read from a committed file."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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


class Settings(BaseSettings):
    """What an operator can set; every field documents the variable that sets it."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # The active framework: a bundled name ("lancaster") or the path of a university's own YAML file.
    framework: str = Field(default="lancaster", validation_alias="TECHPATH_FRAMEWORK")
    # Other frameworks to crosswalk with, comma-separated; empty for none.
    crosswalk: Annotated[list[str], NoDecode] = Field(
        default=["imperial"], validation_alias="TECHPATH_CROSSWALK"
    )
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
    teams_tenants: Annotated[list[str], NoDecode] = Field(
        default=[], validation_alias="TECHPATH_TEAMS_TENANTS"
    )
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
    # Seconds a worker may hold a delivery it is sending; past that (its process died) another takes it.
    delivery_lease_seconds: float = Field(
        default=60.0, ge=1, le=3600, validation_alias="TECHPATH_DELIVERY_LEASE_SECONDS"
    )
    # Attempts at one delivery before it is marked failed (retryable errors only; 429s do not count).
    delivery_max_attempts: int = Field(
        default=6, ge=1, le=100, validation_alias="TECHPATH_DELIVERY_MAX_ATTEMPTS"
    )
    # The TC bulletin: a second coordinator approves each post before it goes out; Slack channel ids it
    # always posts to (comma-separated), besides those a coordinator chose in chat; the key its tracked
    # links are signed with (made and kept in the database when empty).
    bulletin_approval: bool = Field(default=False, validation_alias="TECHPATH_BULLETIN_APPROVAL")
    bulletin_slack_channels: Annotated[list[str], NoDecode] = Field(
        default=[], validation_alias="TECHPATH_BULLETIN_SLACK_CHANNELS"
    )
    link_secret: str = Field(default="", validation_alias="TECHPATH_LINK_SECRET")
    # Local development only: accept Teams activities without authentication, on loopback.
    teams_dev_no_auth: bool = Field(default=False, validation_alias="TECHPATH_TEAMS_DEV_NO_AUTH")
    # Bot Connector hosts a reply may go to (exact host names; replies carry a bearer token).
    teams_service_hosts: Annotated[list[str], NoDecode] = Field(
        default=[
            "smba.trafficmanager.net",
            "smba.infra.gcc.teams.microsoft.com",
            "smba.infra.gov.teams.microsoft.us",
            "smba.infra.dod.teams.microsoft.us",
        ],
        validation_alias="TECHPATH_TEAMS_SERVICE_HOSTS",
    )

    @field_validator(
        "crosswalk", "teams_service_hosts", "teams_tenants", "bulletin_slack_channels", mode="before"
    )
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value
