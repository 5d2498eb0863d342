"""Reaching someone on Teams who never wrote to the bot: through the roster of a team the bot is installed
in, or by installing the app for them through Microsoft Graph; then a new one-to-one chat, kept.

Both open a conversation with the bot's bearer token, so a team's stored serviceUrl is checked against the
allow-list before its roster is read and before any chat is created from it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, ConversationParameters
from botbuilder.schema import ConversationReference as SdkReference

from bot.adapters.graph_client import GraphClient
from bot.adapters.lookup_cache import TimedCache
from bot.adapters.teams_errors import connector_failure
from bot.outbox.notifier import Rejected, Retryable
from bot.storage.installs import Install
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores

logger = logging.getLogger(__name__)

PLATFORM = "teams"
CHANNEL_ID = "msteams"
# Rosters are read again after this long, for people who joined a team since.
ROSTER_REFRESH_SECONDS = 6 * 3600.0
# A roster that could not be read is tried again this soon, not after the full refresh.
ROSTER_RETRY_SECONDS = 300.0
ROSTER_PAGE_SIZE = 500  # the most the Bot Connector gives in one page
MAX_ROSTER_PAGES = 200  # 100,000 members a team
# A Graph look-up is kept this long (an unknown address too, so a broadcast asks once per person).
GRAPH_LOOKUP_SECONDS = 3600.0

Route = dict[str, Any]


def team_of(activity: Activity) -> tuple[str, str, dict[str, Any]] | None:
    """The tenant, team id and what a later call needs (service URL, the bot's account) of an activity
    from a team's channel, or None for a personal or group chat."""
    team = (activity.channel_data or {}).get("team") or {}
    team_id = str(team.get("id") or "") if isinstance(team, dict) else ""
    tenant = (activity.conversation.tenant_id if activity.conversation else None) or (
        (activity.channel_data or {}).get("tenant") or {}
    ).get("id")
    if not team_id or not tenant or not activity.recipient:
        return None
    bot = {"id": str(activity.recipient.id or "")}
    details = {"tenantId": str(tenant), "serviceUrl": str(activity.service_url or ""), "bot": bot}
    return str(tenant).lower(), team_id, details


async def note_team(stores: Stores, activity: Activity, installed: bool = True) -> None:
    """Remember (or forget, when the bot was removed) the team an activity comes from."""
    found = team_of(activity)
    if found is None:
        return
    tenant, team_id, details = found
    if installed:
        await stores.installs.remember(PLATFORM, tenant, team_id, details)
    else:
        await stores.installs.forget(PLATFORM, tenant, team_id)


class TeamsReach:
    """Finds a route to a directory person with no Teams chat yet, and opens the chat along it."""

    def __init__(
        self,
        continue_conversation: Callable[..., Any],
        create_conversation: Callable[..., Any],
        app_id: str,
        stores: Stores,
        tenants: frozenset[str],
        service_url_allowed: Callable[[object], bool],
        graph: GraphClient | None = None,
        graph_service_url: str = "",
    ) -> None:
        self._continue = continue_conversation
        self._create = create_conversation
        self._app_id = app_id
        self._stores = stores
        self._tenants = frozenset(t.lower() for t in tenants)
        self._allowed = service_url_allowed
        self.graph = graph
        self._graph_service_url = graph_service_url
        self._members: dict[str, Route] | None = None
        self._members_of: tuple[tuple[str, str, str], ...] = ()
        self._members_at = 0.0
        self._members_lock = asyncio.Lock()
        self._graph_ids = TimedCache(ttl=GRAPH_LOOKUP_SECONDS)

    async def find(self, person: PersonRecord) -> Route | None:
        """How to reach the person: a team's roster first (nothing to install), then Graph."""
        email = person.email.lower()
        if not email:
            return None
        route = (await self._roster_routes()).get(email)
        if route is not None:
            return route
        if self.graph is None:
            return None
        user_id = self._graph_ids.get(("graph", email))
        if user_id is None:
            user_id = await self.graph.user_id(person.email) or ""
            self._graph_ids.put(("graph", email), user_id)
        if not user_id:
            return None
        tenant = self.graph.config.tenant
        service_url, bot = await self._graph_endpoint(tenant)
        if not self._allowed(service_url):
            # Checked before installing anything: an app installed for nothing would still notify them.
            logger.warning("TECHPATH_TEAMS_SERVICE_URL is not an allowed Bot Connector host: no Graph route")
            return None
        member = {"id": user_id, "aadObjectId": user_id}
        return {"via": "graph", "tenant": tenant, "member": member, "serviceUrl": service_url, "bot": bot}

    async def open(self, route: Route, person_id: int) -> dict[str, Any]:
        """Create the one-to-one chat along ``route`` (installing the app first for a Graph route) and
        keep its reference, so the next message to the person goes straight there."""
        service_url = route["serviceUrl"]
        if not self._allowed(service_url):
            raise Rejected("service_url_not_allowed")
        fresh = False
        if route["via"] == "graph":
            if self.graph is None:
                raise Rejected("graph_not_configured")
            fresh = await self.graph.install_for(route["member"]["aadObjectId"])
        tenant = route["tenant"]
        parameters = ConversationParameters(
            is_group=False,
            bot=ChannelAccount(id=route["bot"]["id"]),
            members=[ChannelAccount(id=route["member"]["id"])],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}},
        )
        created: list[str] = []

        async def keep(turn_context: TurnContext) -> None:
            created.append(str(turn_context.activity.conversation.id or ""))

        try:
            await self._create(self._app_id or None, keep, parameters, CHANNEL_ID, service_url, None)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Retryable(type(error).__name__) from error
        except Exception as error:
            failure = connector_failure(error, f"teams:{tenant}")
            if failure is None:
                raise
            if fresh:
                # Teams takes a moment to see an app it has just installed: worth another try.
                raise Retryable("installing_app") from error
            raise failure from error
        if not created or not created[0]:
            raise Retryable("no_conversation_id")
        reference = {
            "user": dict(route["member"]),
            "bot": dict(route["bot"]),
            "conversation": {"id": created[0], "conversationType": "personal", "tenantId": tenant},
            "channelId": CHANNEL_ID,
            "serviceUrl": service_url,
        }
        key = f"teams:{tenant}:{created[0]}"
        await self._stores.references.save(PLATFORM, key, person_id, reference)
        logger.info("opened a Teams chat through %s", route["via"])
        return reference

    async def _roster_routes(self) -> dict[str, Route]:
        """The members of every team the bot is installed in (of the tenants served) by email and sign-in
        name, read with pagination and kept for a while: one read serves a whole broadcast."""
        installs = [i for i in await self._stores.installs.of(PLATFORM) if i.tenant in self._tenants]
        keys = tuple((i.tenant, i.place_id, str(i.details.get("serviceUrl", ""))) for i in installs)
        if self._fresh(keys):
            assert self._members is not None
            return self._members
        async with self._members_lock:
            if self._fresh(keys):
                assert self._members is not None
                return self._members
            routes: dict[str, Route] = {}
            complete = True
            # Least recently seen first, so the team seen last wins for someone in several.
            for install in reversed(installs):
                members = await self._members_of_team(install)
                complete = complete and members is not None
                routes.update(members or {})
            read_at = time.monotonic()
            if not complete:
                read_at -= ROSTER_REFRESH_SECONDS - ROSTER_RETRY_SECONDS
            self._members, self._members_of, self._members_at = routes, keys, read_at
            return routes

    def _fresh(self, keys: tuple[tuple[str, str, str], ...]) -> bool:
        return (
            self._members is not None
            and keys == self._members_of
            and time.monotonic() - self._members_at < ROSTER_REFRESH_SECONDS
        )

    async def _members_of_team(self, install: Install) -> dict[str, Route] | None:
        """The team's members by email and sign-in name; None when its roster could not be read."""
        service_url = install.details.get("serviceUrl")
        if not self._allowed(service_url):
            logger.warning("not reading the roster of a team whose serviceUrl is no longer allowed")
            return {}
        tenant_id = str(install.details.get("tenantId") or install.tenant)
        bot = dict(install.details.get("bot") or {"id": f"28:{self._app_id}"})
        reference = SdkReference(
            channel_id=CHANNEL_ID,
            service_url=service_url,
            conversation=ConversationAccount(id=install.place_id, tenant_id=tenant_id),
            bot=ChannelAccount(id=bot.get("id")),
        )
        routes: dict[str, Route] = {}

        async def read(turn_context: TurnContext) -> None:
            token: str | None = None
            for _ in range(MAX_ROSTER_PAGES):
                page = await TeamsInfo.get_paged_team_members(
                    turn_context, install.place_id, token, ROSTER_PAGE_SIZE
                )
                for member in page.members or []:
                    # A guest's email is whatever their own organisation says: never taken as a person's.
                    if (member.user_role or "user") != "user":
                        continue
                    if member.tenant_id and member.tenant_id.lower() != install.tenant:
                        continue
                    route = {
                        "via": "roster",
                        "tenant": tenant_id,
                        "member": {"id": str(member.id), "aadObjectId": str(member.aad_object_id or "")},
                        "serviceUrl": service_url,
                        "bot": bot,
                    }
                    for name in {member.email, member.user_principal_name}:
                        if name:
                            routes[str(name).lower()] = route
                token = page.continuation_token
                if not token:
                    break

        try:
            await self._continue(reference, read, self._app_id or None)
        except Exception:
            # One team's roster failing (the bot removed meanwhile) leaves the others usable.
            logger.warning("reading a Teams roster failed", exc_info=True)
            return None
        return routes

    async def _graph_endpoint(self, tenant: str) -> tuple[str, dict[str, Any]]:
        """The service URL and bot account for a chat opened after a Graph install: those of a team in
        the same tenant when the bot has seen one, otherwise the configured service URL."""
        for install in await self._stores.installs.of(PLATFORM):
            if install.tenant == tenant.lower() and self._allowed(install.details.get("serviceUrl")):
                bot = dict(install.details.get("bot") or {"id": f"28:{self._app_id}"})
                return str(install.details["serviceUrl"]), bot
        return self._graph_service_url, {"id": f"28:{self._app_id}"}
