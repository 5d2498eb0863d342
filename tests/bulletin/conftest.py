"""One server with both platforms' adapters and one delivery engine over both, for the bulletin's scenarios:
what the CLI posts arrives at the loopback Slack and Bot Connector doubles."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from click.testing import CliRunner, Result

from bot.adapters.slack import SlackAdapter
from bot.adapters.teams import TeamsAdapter
from bot.app import build_bulletin_tick, build_router
from bot.cli import main
from bot.core import Context
from bot.platforms import SlackConfig, TeamsConfig
from bot.router import Router
from bot.server import build_app
from bot.settings import Settings
from bot.storage.bulletin import ChannelRecord
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from bot.working_time import InstitutionCalendar
from handlers.bulletin.tick import BulletinTick
from tests.doubles.bot_connector import BotConnectorDouble
from tests.doubles.slack_api import SlackApiDouble
from tests.outbox_helpers import running_engine
from tests.slack.conftest import SECRET, sign

TENANT = "tenant-1"
PUBLIC_URL = "https://techpath.example.ac.uk"
TEAMS_CHANNEL = "19:bulletin@thread.tacv2"


def person(
    email: str, name: str, department: str, grade: str, role: str, roles: str = "", scope: str = ""
) -> PersonFields:
    return PersonFields(
        email,
        name,
        department,
        grade,
        role,
        "",
        frozenset(r for r in roles.split(",") if r),
        coordinator_scope=frozenset(d for d in scope.split(",") if d),
    )


PEOPLE = [
    person("coord@uni.example", "Cora Ord", "Technical Services", "7", "g7-manager", "coordinator"),
    person("second@uni.example", "Sam Second", "Technical Services", "7", "g7-manager", "coordinator"),
    person("faculty@uni.example", "Fay Culty", "Chemistry", "7", "g7-manager", "coordinator", "Chemistry"),
    person("ana.tech@uni.example", "Ana Costa", "Chemistry", "5", "g5"),
    person("tom@uni.example", "Tom Teams", "Chemistry", "5", "g5"),
    person("lee@uni.example", "Lee Nowhere", "Physics", "6", "g6"),
]


# London, Monday to Friday, England's bank holidays: the defaults.
CALENDAR = InstitutionCalendar()


@dataclass
class Now:
    """The instant the bulletin's handlers and tick see (real time until a test moves it)."""

    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.at


@dataclass
class BulletinRig:
    slack: SlackApiDouble
    connector: BotConnectorDouble
    server: TestServer
    session: aiohttp.ClientSession
    stores: Stores
    ids: dict[str, int]
    router: Router
    settings: Settings
    ctx: Context
    now: Now
    env: dict[str, str] = field(default_factory=dict)

    def tick(self, stores: Stores | None = None) -> BulletinTick:
        """The bulletin's scheduler tick, as ``techpath serve`` runs it, on this rig's clock (over other
        stores: another replica)."""
        return build_bulletin_tick(self.settings, self.ctx, stores or self.stores, CALENDAR, self.now)

    async def slack_event(self, payload: dict[str, Any]) -> None:
        """A signed Events API delivery, as Slack posts it."""
        body = json.dumps(payload)
        headers = {"Content-Type": "application/json", **sign(body)}
        async with self.session.post(
            self.url("/slack/events"), data=body.encode(), headers=headers
        ) as response:
            assert response.status == 200

    async def teams_activity(self, activity: dict[str, Any]) -> None:
        async with self.session.post(self.url("/api/messages"), json=activity) as response:
            assert response.status in (200, 201, 202)

    async def cli(self, *args: str, **env: str) -> Result:
        """``techpath ARGS`` against this rig's database, as an operator runs it (in a thread: the command
        runs its own event loop)."""
        environment = {
            "DATABASE_URL": self.stores.database.url,
            "TECHPATH_PUBLIC_URL": PUBLIC_URL,
            **self.env,
            **env,
        }
        runner = CliRunner()
        return await asyncio.to_thread(
            runner.invoke, main, list(args), env=environment, catch_exceptions=False
        )

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    def teams_sent(self, conversation: str, verb: str = "send") -> list[dict[str, Any]]:
        """What reached a Teams conversation: new messages ("send": a proactive one arrives as a reply to
        the conversation), "update"s or "delete"s."""
        verbs = {"send", "reply"} if verb == "send" else {verb}
        sent = self.connector.sent
        return [s.activity for s in sent if s.conversation_id == conversation and s.verb in verbs]

    def slack_posts(self, channel: str) -> list[dict[str, Any]]:
        return [m for m in self.slack.of("chat.postMessage") if m["channel"] == channel]


def teams_reference(connector: BotConnectorDouble, user: str, conversation: str, kind: str) -> dict[str, Any]:
    return {
        "user": {"id": user},
        "bot": {"id": "28:bot"},
        "conversation": {"id": conversation, "conversationType": kind, "tenantId": TENANT},
        "channelId": "msteams",
        "serviceUrl": connector.service_url,
    }


@pytest.fixture
def rig_env() -> dict[str, str]:
    """Settings a test's rig runs with besides the public address (parametrize ``rig_env`` to change)."""
    return {}


@pytest.fixture
async def rig(ctx: Context, stores: Stores, rig_env: dict[str, str]) -> AsyncIterator[BulletinRig]:
    async with bulletin_rig(ctx, stores, **rig_env) as running:
        yield running


@asynccontextmanager
async def bulletin_rig(ctx: Context, stores: Stores, **rig_env: str) -> AsyncIterator[BulletinRig]:
    """The rig, its router built with these settings (``TECHPATH_BULLETIN_APPROVAL="true"``, say)."""
    slack = SlackApiDouble(emails={"U-ana": "ana.tech@uni.example"}, dms={"U-ana": "D-ana"})
    connector = BotConnectorDouble()
    await slack.start()
    await connector.start()
    settings = Settings(_env_file=None, TECHPATH_PUBLIC_URL=PUBLIC_URL, **rig_env)  # type: ignore[call-arg]
    app = build_app(settings, ctx, stores)
    now = Now()
    router = build_router(ctx, stores, CALENDAR, now, settings)
    slack_adapter = SlackAdapter(SlackConfig("xoxb-test", SECRET, "", slack.api_url), router, stores)
    slack_adapter.install(app)
    teams_config = TeamsConfig("", "", "", "MultiTenant", frozenset({"127.0.0.1"}), frozenset({TENANT}))
    teams_adapter = TeamsAdapter(teams_config, router, stores, public_url=PUBLIC_URL)
    teams_adapter.install(app)
    await stores.people.upsert(PEOPLE)
    ids = {p.email.split("@")[0].split(".")[0]: p.id for p in await stores.people.all()}
    await stores.people.link_identity(ids["ana"], "slack", "T1", "U-ana")
    await stores.contacts.first_contact("slack", "T1", "U-ana")
    await stores.references.save(
        "teams",
        f"teams:{TENANT}:a:personal-tom",
        ids["tom"],
        teams_reference(connector, "29:tom", "a:personal-tom", "personal"),
    )
    await stores.references.save(
        "teams",
        f"teams:{TENANT}:{TEAMS_CHANNEL}",
        None,
        teams_reference(connector, "29:x", TEAMS_CHANNEL, "channel"),
    )
    await stores.bulletin.add_channel(ChannelRecord("slack", "C-bulletin", "T1", "#tc-bulletin"), "test")
    await stores.bulletin.add_channel(
        ChannelRecord("teams", TEAMS_CHANNEL, TENANT, "Technicians / Bulletin"), "test"
    )
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    slack.calls.clear()
    notifiers = (slack_adapter.notifier, teams_adapter.notifier)
    async with aiohttp.ClientSession() as session, running_engine(stores, router, *notifiers):
        yield BulletinRig(slack, connector, server, session, stores, ids, router, settings, ctx, now, rig_env)
    await server.close()
    await slack.close()
    await connector.close()
