"""Which chat platforms the settings configure, with every missing or contradictory setting named."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.settings import Settings


class ConfigError(Exception):
    """Settings that cannot start the server; each message names the variable to fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class SlackConfig:
    bot_token: str
    signing_secret: str
    app_token: str
    api_url: str

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)


@dataclass(frozen=True)
class GraphConfig:
    client_id: str
    client_secret: str
    tenant: str
    # The app's id in the organisation's Teams app catalog (not the bot's id).
    catalog_app_id: str
    graph_url: str = "https://graph.microsoft.com/v1.0"
    authority: str = "https://login.microsoftonline.com"


@dataclass(frozen=True)
class TeamsConfig:
    app_id: str
    app_password: str
    tenant_id: str
    app_type: str
    service_hosts: frozenset[str]
    # The tenants whose accounts may be linked to directory people; activities from others are answered
    # as from someone not in the directory.
    tenants: frozenset[str] = frozenset()
    # Where a chat opened after a Graph installation goes, when no team of the tenant gave an address.
    service_url: str = "https://smba.trafficmanager.net/teams/"
    # Installing the app for people through Microsoft Graph; None: only team rosters reach new people.
    graph: GraphConfig | None = None

    @property
    def dev_no_auth(self) -> bool:
        return not self.app_id


@dataclass(frozen=True)
class Platforms:
    slack: SlackConfig | None
    teams: TeamsConfig | None = None


def _slack(settings: Settings, problems: list[str]) -> SlackConfig | None:
    token, secret, app_token = (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
    )
    if not token:
        if secret or app_token:
            names = " and ".join(
                n for n, v in (("SLACK_SIGNING_SECRET", secret), ("SLACK_APP_TOKEN", app_token)) if v
            )
            problems.append(f"{names} set but SLACK_BOT_TOKEN is not: set the bot token (xoxb-...) too")
        return None
    if not token.startswith("xoxb-"):
        problems.append("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
    if app_token and not app_token.startswith("xapp-"):
        problems.append("SLACK_APP_TOKEN must be an app-level token starting with xapp- (Socket Mode)")
    if not secret and not app_token:
        problems.append("SLACK_SIGNING_SECRET is required for HTTP (or set SLACK_APP_TOKEN for Socket Mode)")
    if not settings.slack_api_url.startswith(("https://", "http://127.", "http://localhost")):
        problems.append("SLACK_API_URL must be https:// (plain http only to a local test double)")
    return SlackConfig(token, secret, app_token, settings.slack_api_url.rstrip("/") + "/")


APP_TYPES = ("MultiTenant", "SingleTenant", "UserAssignedMSI")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _teams(settings: Settings, problems: list[str]) -> TeamsConfig | None:
    app_id, dev = settings.microsoft_app_id, settings.teams_dev_no_auth
    if dev and app_id:
        problems.append("TECHPATH_TEAMS_DEV_NO_AUTH=1 contradicts MICROSOFT_APP_ID: unset one of them")
        return None
    if not app_id and not dev:
        if settings.microsoft_app_password or settings.microsoft_app_tenant_id:
            problems.append("MICROSOFT_APP_PASSWORD/MICROSOFT_APP_TENANT_ID set but MICROSOFT_APP_ID is not")
        return None
    if dev and settings.host not in LOOPBACK:
        problems.append(
            "TECHPATH_TEAMS_DEV_NO_AUTH=1 serves without authentication: set TECHPATH_HOST=127.0.0.1"
        )
    if app_id and settings.microsoft_app_type not in APP_TYPES:
        problems.append(f"MICROSOFT_APP_TYPE must be one of {', '.join(APP_TYPES)}")
    if app_id and settings.microsoft_app_type != "UserAssignedMSI" and not settings.microsoft_app_password:
        problems.append(
            "MICROSOFT_APP_PASSWORD is required with MICROSOFT_APP_ID (the Azure Bot's client secret)"
        )
    if app_id and settings.microsoft_app_type != "MultiTenant" and not settings.microsoft_app_tenant_id:
        problems.append(
            f"MICROSOFT_APP_TENANT_ID is required when MICROSOFT_APP_TYPE={settings.microsoft_app_type}"
        )
    tenants = frozenset(t.lower() for t in settings.teams_tenants)
    if not tenants and settings.microsoft_app_type == "SingleTenant" and settings.microsoft_app_tenant_id:
        tenants = frozenset({settings.microsoft_app_tenant_id.lower()})
    if app_id and not tenants:
        problems.append(
            f"TECHPATH_TEAMS_TENANTS is required with MICROSOFT_APP_TYPE={settings.microsoft_app_type}: "
            "the app accepts activities from any Microsoft 365 tenant, and only accounts of your own "
            "tenant(s) may be linked to directory people; set it to your tenant id (comma-separated for "
            "several)"
        )
    hosts = frozenset(h.lower() for h in settings.teams_service_hosts)
    if any(h.startswith("*") or "/" in h for h in hosts):
        problems.append("TECHPATH_TEAMS_SERVICE_HOSTS takes exact host names, never wildcards or URLs")
    return TeamsConfig(
        app_id,
        settings.microsoft_app_password,
        settings.microsoft_app_tenant_id,
        settings.microsoft_app_type,
        hosts,
        tenants,
        settings.teams_service_url,
        _graph(settings, tenants, hosts, problems),
    )


def _graph(
    settings: Settings, tenants: frozenset[str], hosts: frozenset[str], problems: list[str]
) -> GraphConfig | None:
    """Graph installs, when the catalog app id is set: the app registration defaults to the bot's own."""
    if not settings.teams_catalog_app_id:
        return None
    client_id = settings.graph_client_id or settings.microsoft_app_id
    secret = settings.graph_client_secret or (
        settings.microsoft_app_password if client_id == settings.microsoft_app_id else ""
    )
    tenant = settings.graph_tenant_id or settings.microsoft_app_tenant_id
    if not tenant and len(tenants) == 1:
        [tenant] = tenants
    if not client_id or not secret:
        problems.append(
            "TECHPATH_TEAMS_CATALOG_APP_ID needs an app registration for Graph: set TECHPATH_GRAPH_CLIENT_ID "
            "and TECHPATH_GRAPH_CLIENT_SECRET (or MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD)"
        )
    if not tenant:
        problems.append(
            "TECHPATH_TEAMS_CATALOG_APP_ID needs the tenant to install in: set TECHPATH_GRAPH_TENANT_ID"
        )
    elif tenants and tenant.lower() not in tenants:
        # A directory person is only ever matched to an account of a tenant this deployment serves.
        problems.append("TECHPATH_GRAPH_TENANT_ID must be one of TECHPATH_TEAMS_TENANTS")
    if (urlsplit(settings.teams_service_url).hostname or "").lower() not in hosts:
        problems.append("TECHPATH_TEAMS_SERVICE_URL must be on a host in TECHPATH_TEAMS_SERVICE_HOSTS")
    urls = {"TECHPATH_GRAPH_URL": settings.graph_url, "TECHPATH_GRAPH_AUTHORITY": settings.graph_authority}
    for name, url in urls.items():
        if not _https_or_loopback(url):
            problems.append(f"{name} must be an https:// URL (the calls carry a Graph token)")
    return GraphConfig(
        client_id,
        secret,
        tenant,
        settings.teams_catalog_app_id,
        settings.graph_url,
        settings.graph_authority,
    )


def _https_or_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and (parts.hostname or "") in LOOPBACK


def check_platforms(settings: Settings) -> Platforms:
    """The configured platforms; raises ConfigError naming every problem, or when none is configured."""
    problems: list[str] = []
    slack = _slack(settings, problems)
    teams = _teams(settings, problems)
    if not problems and slack is None and teams is None:
        problems.append(
            "no chat platform is configured: set SLACK_BOT_TOKEN (+ SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) "
            "for Slack, or MICROSOFT_APP_ID (+ MICROSOFT_APP_PASSWORD) for Teams"
        )
    if problems:
        raise ConfigError(problems)
    return Platforms(slack=slack, teams=teams)
