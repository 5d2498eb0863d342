"""The serviceUrl allow-list judges the host that the HTTP clients will actually connect to."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import urllib3
import yarl
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.teams_service_url import service_url_allowed
from bot.platforms import ConfigError, TeamsConfig, check_platforms
from bot.settings import Settings

HOSTS = frozenset({"smba.trafficmanager.net", "127.0.0.1"})


@pytest.mark.parametrize(
    "url",
    [
        "https://smba.trafficmanager.net/uk/",
        "https://smba.trafficmanager.net/amer/",
        "https://SMBA.trafficmanager.net/teams/",
        "https://smba.trafficmanager.net:443/uk/",
        "https://smba.trafficmanager.net",
        "http://127.0.0.1:8123/",
    ],
)
def test_real_bot_connector_urls_are_allowed(url: str) -> None:
    assert service_url_allowed(url, HOSTS)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example\\@smba.trafficmanager.net/uk/",
        "https://evil.example@smba.trafficmanager.net/uk/",
        "https://smba.trafficmanager.net@evil.example/uk/",
        "https://smba.trafficmanager.net\\@evil.example/",
        "https://smba%2Etrafficmanager.net/uk/",
        "https://smba.trafficmanager.net%00.evil.example/",
        "https://smba.trafficmanager.net./uk/",
        "https://smba.trafficmanager.net:8443/uk/",
        "https://smba.trafficmanager.net /uk/",
        "https://smba.trafficmanager.net\t/uk/",
        "https://smba.trafficmanager.net\n.evil.example/",
        "https://smba.trafficmanager.net/uk/ http://evil.example/",
        "https://smba.trafficmanager.net.evil.example/",
        "http://smba.trafficmanager.net/uk/",
        "ftp://127.0.0.1/",
        "//smba.trafficmanager.net/uk/",
        "https:///smba.trafficmanager.net/",
        "https://[::1]/",
        "https://smba.trafficmanager.net/uk/?next=http://evil.example",
        "https://smba.trafficmanager.net/uk/#@evil.example",
        "",
        None,
        7,
    ],
)
def test_urls_a_parser_could_read_another_way_are_refused(url: object) -> None:
    assert not service_url_allowed(url, HOSTS)


def _hosts_seen_by_clients(url: str) -> set[str]:
    """The host each HTTP client in the process would connect to: aiohttp's (yarl) and urllib3's (requests,
    and msrest under botbuilder's connector client)."""
    return {
        (yarl.URL(url).host or "").lower(),
        (urllib3.util.parse_url(url).host or "").lower(),
    }


_PIECES = st.sampled_from(
    [
        "https://",
        "http://",
        "smba.trafficmanager.net",
        "evil.example",
        "127.0.0.1",
        "@",
        "\\",
        "/",
        ":",
        "443",
        "%2e",
        "%40",
        ".",
        "?",
        "#",
        " ",
        "\t",
        "\x00",
        "uk",
        "[",
        "]",
        "\u3002",
    ]
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(_PIECES, min_size=1, max_size=10).map("".join))
def test_whatever_is_allowed_is_the_host_every_client_connects_to(url: str) -> None:
    if not service_url_allowed(url, HOSTS):
        return
    assert _hosts_seen_by_clients(url) <= HOSTS, url
    assert len(_hosts_seen_by_clients(url)) == 1, url


def test_the_backslash_url_would_have_reached_another_host() -> None:
    """Why the check is strict: Python's urlsplit (what the allow-list used to read) and urllib3 (what
    the connector client sends with) disagree about this URL's host."""
    url = "https://evil.example\\@smba.trafficmanager.net/uk/"
    assert urlsplit(url).hostname == "smba.trafficmanager.net"
    assert urllib3.util.parse_url(url).host == "evil.example"
    assert not service_url_allowed(url, HOSTS)


def _teams(**env: str) -> TeamsConfig:
    settings_ = Settings(_env_file=None, MICROSOFT_APP_ID="app", MICROSOFT_APP_PASSWORD="secret", **env)  # type: ignore[call-arg]
    teams = check_platforms(settings_).teams
    assert teams is not None
    return teams


def test_a_single_tenant_app_serves_its_own_tenant_by_default() -> None:
    teams = _teams(MICROSOFT_APP_TYPE="SingleTenant", MICROSOFT_APP_TENANT_ID="ABC-123")
    assert teams.tenants == frozenset({"abc-123"})


def test_the_served_tenants_can_be_listed() -> None:
    assert _teams(TECHPATH_TEAMS_TENANTS="t-1, t-2").tenants == frozenset({"t-1", "t-2"})


def test_graph_installs_use_the_bots_own_registration_by_default() -> None:
    teams = _teams(TECHPATH_TEAMS_TENANTS="t-1", TECHPATH_TEAMS_CATALOG_APP_ID="catalog-1")
    assert teams.graph is not None
    assert (teams.graph.client_id, teams.graph.client_secret, teams.graph.tenant) == ("app", "secret", "t-1")
    assert teams.graph.catalog_app_id == "catalog-1"
    assert _teams(TECHPATH_TEAMS_TENANTS="t-1").graph is None  # no catalog id: rosters only


def test_another_graph_registration_brings_its_own_secret() -> None:
    with pytest.raises(ConfigError, match="TECHPATH_GRAPH_CLIENT_SECRET"):
        _teams(
            TECHPATH_TEAMS_TENANTS="t-1",
            TECHPATH_TEAMS_CATALOG_APP_ID="catalog-1",
            TECHPATH_GRAPH_CLIENT_ID="other-app",
        )


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("TECHPATH_GRAPH_URL", "http://graph.example/v1.0", "TECHPATH_GRAPH_URL"),
        ("TECHPATH_GRAPH_AUTHORITY", "http://login.example", "TECHPATH_GRAPH_AUTHORITY"),
        ("TECHPATH_TEAMS_SERVICE_URL", "https://smba.evil.example/teams/", "TECHPATH_TEAMS_SERVICE_URL"),
    ],
)
def test_graph_settings_that_would_leak_a_token_are_refused(setting: str, value: str, named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        _teams(TECHPATH_TEAMS_TENANTS="t-1", TECHPATH_TEAMS_CATALOG_APP_ID="catalog-1", **{setting: value})


def test_graph_needs_to_know_which_tenant_to_install_in() -> None:
    with pytest.raises(ConfigError, match="TECHPATH_GRAPH_TENANT_ID"):
        _teams(TECHPATH_TEAMS_TENANTS="t-1,t-2", TECHPATH_TEAMS_CATALOG_APP_ID="catalog-1")


def test_graph_installs_only_in_a_served_tenant() -> None:
    with pytest.raises(ConfigError, match="TECHPATH_GRAPH_TENANT_ID must be one of"):
        _teams(
            TECHPATH_TEAMS_TENANTS="t-1",
            TECHPATH_TEAMS_CATALOG_APP_ID="catalog-1",
            TECHPATH_GRAPH_TENANT_ID="someone-elses",
        )
