"""Microsoft Teams adapter: botbuilder's CloudAdapter authenticates, this file converts activities to neutral
events and replies to Adaptive Cards. Everything botbuilder-specific stays here, so the SDK can be swapped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

from aiohttp import web
from azure.core.exceptions import DeserializationError
from botbuilder.core import (
    ActivityHandler,
    CardFactory,
    InvokeResponse,
    MessageFactory,
    TurnContext,
    serializer_helper,
)
from botbuilder.core.teams import TeamsInfo
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes, ChannelAccount

from bot.adapters.graph_client import GraphClient
from bot.adapters.lookup_cache import TimedCache
from bot.adapters.payload_checks import BadPayload, json_object, refusal, utf8_text
from bot.adapters.teams_clients import ReusingAuthentication
from bot.adapters.teams_keys import (
    FETCH_TIMEOUT_SECONDS,
    PUBLIC_CLOUD_METADATA,
    install_key_caches,
    refresh_keys,
)
from bot.adapters.teams_notifier import TeamsNotifier
from bot.adapters.teams_payload import check_activity
from bot.adapters.teams_reach import TeamsReach, note_team
from bot.adapters.teams_service_url import service_url_allowed
from bot.core import Attachment, Event, EventKind, Reply
from bot.platforms import TeamsConfig
from bot.router import Router
from bot.storage.downloads import ALLOWED_DOWNLOADS, LIFETIME
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from cards.adaptive import INPUT_PREFIX, render_adaptive

logger = logging.getLogger(__name__)

PLATFORM = "teams"
# Teams times a turn out after 10-15 s; show typing when a turn is slower than this.
TYPING_AFTER_SECONDS = 1.0
# The clock that delay is measured on; tests replace it with one they move by hand.
sleep_before_typing = asyncio.sleep


def _channel_of(activity: Activity) -> tuple[str, str]:
    """A channel conversation's id without its thread (";messageid=..."), and the channel's name."""
    if (activity.conversation.conversation_type or "personal") != "channel":
        return "", ""
    data = activity.channel_data or {}
    channel = data.get("channel") or {}
    root = str(channel.get("id") or data.get("teamsChannelId") or activity.conversation.id.split(";")[0])
    return root, str(channel.get("name") or "")


def _tenant(activity: Activity) -> str:
    conversation_tenant = getattr(activity.conversation, "tenant_id", None) if activity.conversation else None
    channel_tenant = ((activity.channel_data or {}).get("tenant") or {}).get("id")
    return str(conversation_tenant or channel_tenant or "")


def _action(value: dict[str, Any]) -> tuple[str, str]:
    """The handler and value of a submitted card (see cards.adaptive for the contract)."""
    if value.get("techpath_action") == "choice":
        # A menu's "Choose" button: its data holds the [action_id, value] pairs, Teams adds the picked index.
        choices, choice = value.get("choices"), value.get("choice")
        # Teams sends the picked index as text; nothing picked, or anything else, is no choice.
        if not isinstance(choice, str) or not choice.isdecimal() or len(choice) > 6:
            raise ValueError("no choice")
        index = int(choice)
        if not isinstance(choices, list) or not 0 <= index < len(choices):
            raise ValueError("no such choice")
        action_id, action_value = choices[index]
        return str(action_id), str(action_value)
    return str(value.get("techpath_action", "")), str(value.get("value", ""))


# An adaptiveCard/action's answer that shows a message instead of changing the card (Universal Actions).
CARD_ACTION_UNSUPPORTED = {
    "statusCode": 200,
    "type": "application/vnd.microsoft.activity.message",
    "value": "This button doesn't work here. Send me a message instead, such as help.",
}


class TeamsBot(ActivityHandler):  # type: ignore[misc]
    """Converts activities; no feature logic."""

    def __init__(self, router: Router, stores: Stores, public_url: str = "") -> None:
        self._router = router
        self._stores = stores
        self._emails = TimedCache()
        self._public_url = public_url.rstrip("/")

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        value = activity.value if isinstance(activity.value, dict) else None
        if value and "techpath_action" in value:
            try:
                action_id, action_value = _action(value)
            except (ValueError, TypeError):
                action_id, action_value = "", ""
            # A submitted form: Teams merges its inputs into the submit's data.
            inputs = {
                key.removeprefix(INPUT_PREFIX): str(entry)
                for key, entry in value.items()
                if key.startswith(INPUT_PREFIX)
            }
            event = self._event(
                activity,
                EventKind.ACTION,
                action_id=action_id or "unknown",
                value=action_value,
                inputs=inputs,
            )
        else:
            text = TurnContext.remove_recipient_mention(activity) if activity.text else ""
            event = self._event(activity, EventKind.MESSAGE, text=(text or "").strip())
        await self._turn(turn_context, event)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """techpath's cards submit with Action.Submit, which arrives as a message: no invoke is handled
        (the SDK's own handling of some, signin/tokenExchange or a malformed adaptiveCard/action, raises
        instead of answering). An Action.Execute, from a card that is not techpath's, is answered in the
        card's own terms; any other invoke is a 400. Not the SDK's 501: a 5xx says the bot failed, and
        counts as an error on /metrics, when it only has nothing to offer."""
        if turn_context.activity.name == "adaptiveCard/action":
            return InvokeResponse(status=200, body=CARD_ACTION_UNSUPPORTED)
        return InvokeResponse(status=400, body={"error": "this bot handles no invoke of this kind"})

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        for member in members_added:
            if activity.recipient and member.id == activity.recipient.id:
                # The bot itself added: to a team, whose members it can then reach.
                await note_team(self._stores, activity)
                continue
            event = self._event(activity, EventKind.MEMBER_ADDED, user=member)
            await self._turn(turn_context, event)

    async def on_members_removed_activity(
        self, members_removed: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        activity = turn_context.activity
        if activity.recipient and any(m.id == activity.recipient.id for m in members_removed):
            await note_team(self._stores, activity, installed=False)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await note_team(self._stores, turn_context.activity)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await note_team(self._stores, turn_context.activity, installed=False)

    def _event(
        self, activity: Activity, kind: EventKind, user: ChannelAccount | None = None, **fields: Any
    ) -> Event:
        who = user or activity.from_property
        user_id = str(getattr(who, "aad_object_id", None) or who.id)
        tenant = _tenant(activity)
        personal = (activity.conversation.conversation_type or "personal") == "personal"
        channel, channel_name = _channel_of(activity)
        return Event(
            kind=kind,
            platform=PLATFORM,
            tenant=tenant,
            conversation_id=f"teams:{tenant}:{activity.conversation.id}",
            user_id=user_id,
            private=personal,
            channel=channel,
            channel_name=channel_name,
            **fields,
        )

    async def _email_of(self, turn_context: TurnContext, event: Event) -> str:
        """The sender's email (or UPN) from the Teams roster; the router asks only for someone not yet
        linked to the directory."""
        cached = self._emails.get((event.tenant, event.user_id))
        if cached is not None:
            return cached
        try:
            member = await TeamsInfo.get_member(turn_context, turn_context.activity.from_property.id)
        except Exception:
            logger.warning(
                "Teams roster lookup failed; the person stays anonymous for this turn", exc_info=True
            )
            self._emails.put((event.tenant, event.user_id), "")
            return ""
        email = str(getattr(member, "email", None) or getattr(member, "user_principal_name", None) or "")
        self._emails.put((event.tenant, event.user_id), email)
        return email

    async def _turn(self, turn_context: TurnContext, event: Event) -> None:
        typing = asyncio.create_task(_typing_after(turn_context, TYPING_AFTER_SECONDS))
        try:
            # The roster describes the sender; a member added by someone else is not looked up.
            lookup = (
                None if event.kind is EventKind.MEMBER_ADDED else lambda: self._email_of(turn_context, event)
            )
            result = await self._router.run(
                event, lookup, lambda person: self._remember(turn_context, event, person)
            )
        finally:
            typing.cancel()
        person = result.person
        for reply in result.replies:
            await self._send(turn_context, reply)
            for attachment in reply.attachments:
                await turn_context.send_activity(
                    await self._download_card(person.id if person else None, attachment)
                )

    async def _remember(self, turn_context: TurnContext, event: Event, person: PersonRecord | None) -> None:
        """Keep the conversation reference for proactive messages: before the handlers, so that "delete
        my data" in this very turn erases it too."""
        activity = turn_context.activity
        reference = TurnContext.get_conversation_reference(activity).serialize()
        # The id of the message being answered is no use to a later proactive message, and would turn
        # every turn into a write.
        reference.pop("activityId", None)
        personal = (activity.conversation.conversation_type or "personal") == "personal"
        # A team installed before the bot listened for installations is learnt from its messages.
        await note_team(self._stores, activity)
        await self._stores.references.save(
            PLATFORM, event.conversation_id, person.id if person and personal else None, reference
        )
        if event.channel and event.channel != activity.conversation.id:
            # A new post in the channel (a bulletin card) starts a thread of its own: keep the channel's
            # reference too, not only this thread's.
            conversation = {**reference.get("conversation", {}), "id": event.channel}
            channel_key = f"teams:{event.tenant}:{event.channel}"
            await self._stores.references.save(
                PLATFORM, channel_key, None, {**reference, "conversation": conversation}
            )

    async def _send(self, turn_context: TurnContext, reply: Reply) -> None:
        for index, card in enumerate(render_adaptive(reply.card)):
            message = MessageFactory.attachment(CardFactory.adaptive_card(card))
            message.summary = reply.card.title
            original = turn_context.activity.reply_to_id
            if reply.replace_original and index == 0 and original:
                # A submitted card is updated in place, so a stale copy cannot be clicked again.
                message.id = original
                await turn_context.update_activity(message)
            else:
                await turn_context.send_activity(message)

    async def _download_card(self, person_id: int | None, attachment: Attachment) -> Activity:
        """Teams has no simple file upload for bots: offer a short-lived link served by this server."""
        if not self._public_url:
            text = "I can't offer the file here: the administrator has not set TECHPATH_PUBLIC_URL."
            return MessageFactory.text(text)
        token = await self._stores.downloads.offer(
            person_id, attachment.filename, attachment.media_type, attachment.content
        )
        card = download_card(attachment.filename, f"{self._public_url}/downloads/{token}")
        return MessageFactory.attachment(CardFactory.adaptive_card(card))


def download_card(filename: str, url: str) -> dict[str, Any]:
    """The Adaptive Card that offers a file as a short-lived download link."""
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "body": [
            {"type": "TextBlock", "text": filename, "weight": "Bolder", "wrap": True},
            {
                "type": "TextBlock",
                "text": f"The link works for {LIFETIME.seconds // 60} minutes, {ALLOWED_DOWNLOADS} "
                "downloads at most.",
                "isSubtle": True,
                "wrap": True,
            },
        ],
        "actions": [{"type": "Action.OpenUrl", "title": "Download", "url": url}],
    }


async def _typing_after(turn_context: TurnContext, delay: float) -> None:
    with contextlib.suppress(asyncio.CancelledError):
        await sleep_before_typing(delay)
        await turn_context.send_activity(Activity(type=ActivityTypes.typing))


class TeamsAdapter:
    """Mounts POST /api/messages on the server.

    ``cloud`` takes Bot Framework's own parameterised-cloud settings (OpenID metadata URL, token issuer,
    login URL) for sovereign clouds and for tests; ``credentials_factory`` replaces how outbound tokens
    are obtained (the SDK's extension point for managed identities and for tests).
    """

    def __init__(
        self,
        config: TeamsConfig,
        router: Router,
        stores: Stores,
        cloud: dict[str, str] | None = None,
        credentials_factory: Any = None,
        public_url: str = "",
    ) -> None:
        self._config = config
        settings = SimpleNamespace(
            APP_ID=config.app_id,
            APP_PASSWORD=config.app_password,
            APP_TYPE=config.app_type,
            APP_TENANTID=config.tenant_id,
            **(cloud or {}),
        )
        metadata_urls = (cloud or {}).get("TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL")
        self._key_caches = install_key_caches((metadata_urls,) if metadata_urls else PUBLIC_CLOUD_METADATA)
        self.authentication = ReusingAuthentication(
            ConfigurationBotFrameworkAuthentication(settings, credentials_factory=credentials_factory)
        )
        self.adapter = CloudAdapter(self.authentication)
        self.bot = TeamsBot(router, stores, public_url)
        self._stores = stores
        self._turns: set[asyncio.Task[Any]] = set()
        router.serve_tenants(PLATFORM, config.tenants)

        def allowed(url: object) -> bool:
            return service_url_allowed(url, config.service_hosts)

        self._graph = GraphClient(config.graph) if config.graph else None
        reach = TeamsReach(
            self.adapter.continue_conversation,
            self.adapter.create_conversation,
            config.app_id,
            stores,
            config.tenants,
            allowed,
            self._graph,
            config.service_url,
        )
        self.notifier = TeamsNotifier(
            self.adapter.continue_conversation, config.app_id, stores, allowed, reach=reach
        )

    def install(self, web_app: web.Application) -> None:
        web_app.router.add_post("/api/messages", self.handle, name="teams_messages")
        web_app.on_shutdown.append(self._finish_turns)
        web_app.on_cleanup.append(self._close_graph)
        if not self._config.dev_no_auth:
            web_app.cleanup_ctx.append(self._keep_keys_fresh)

    async def _close_graph(self, _: web.Application) -> None:
        if self._graph is not None:
            await self._graph.close()

    async def _finish_turns(self, _: web.Application) -> None:
        """On shutdown, let turns already acknowledged finish (bounded) rather than drop their replies."""
        if self._turns:
            await asyncio.wait(self._turns, timeout=10)

    async def _keep_keys_fresh(self, _: web.Application) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(refresh_keys(self._key_caches, stop))
        yield
        stop.set()
        await asyncio.wait_for(task, timeout=FETCH_TIMEOUT_SECONDS * 2 + 1)

    async def handle(self, request: web.Request) -> web.Response:
        """Check what the SDK would trust blindly, then let CloudAdapter authenticate and run the turn."""
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.json_response({"error": "expected application/json"}, status=415)
        try:
            body = json_object(utf8_text(await request.read(), request.charset))
            check_activity(body)
        except BadPayload as problem:
            return refusal(problem)
        if not service_url_allowed(body["serviceUrl"], self._config.service_hosts):
            logger.warning("refused an activity whose serviceUrl is not an allowed Bot Connector host")
            return web.json_response({"error": "serviceUrl not allowed"}, status=403)
        try:
            activity = Activity().deserialize(body)
        except DeserializationError:  # a timestamp that is not ISO 8601, for one
            return web.json_response({"error": "not a valid Bot Framework activity"}, status=400)
        authorization = request.headers.get("Authorization", "")
        try:
            # Authenticate up front: on a garbage, foreign or missing token botframework-connector raises
            # PyJWT, Key, Index and Attribute errors as well as PermissionError, which would surface as 500s.
            # Any failure here is an authentication failure; the turn below reuses the result.
            authenticated = await self.authentication.authenticate_request(activity, authorization)
        except Exception as exc:
            logger.warning("Teams request refused: %s", type(exc).__name__)
            return web.json_response({"error": "unauthorized"}, status=401)
        turn = self.adapter.process_activity(authenticated, activity, self.bot.on_turn)
        if activity.type == ActivityTypes.invoke:
            # An invoke's answer travels in the HTTP response, so it is handled before responding.
            invoke = await turn
            if invoke is None:
                return web.Response(status=200)
            # The SDK answers some invokes itself, with a model; this bot's own answers are plain JSON.
            body = invoke.body if isinstance(invoke.body, dict) else serializer_helper(invoke.body)
            return web.json_response(body, status=invoke.status)
        # Everything else is acknowledged at once and handled after: the reply goes through the Bot
        # Connector either way, and Teams gives up on a request after 10-15 s.
        task = asyncio.create_task(turn)
        self._turns.add(task)
        task.add_done_callback(self._turn_finished)
        return web.Response(status=202)

    def _turn_finished(self, turn: asyncio.Task[Any]) -> None:
        self._turns.discard(turn)
        if not turn.cancelled() and turn.exception() is not None:
            logger.error("Teams turn failed", exc_info=turn.exception())
