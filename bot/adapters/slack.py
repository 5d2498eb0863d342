"""Slack adapter: slack-bolt verifies and parses, this file converts to neutral events and renders replies.

No feature logic lives here: every message, command and click becomes an Event for the router, and every
Reply becomes Block Kit through cards.blockkit.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.lookup_cache import TimedCache
from bot.adapters.payload_checks import BadPayload, json_object, refusal, utf8_text
from bot.adapters.slack_events import (
    FORM_ANSWER_SECONDS,
    PLATFORM,
    NoBodyInLogs,
    NoClientTokenWarning,
    field_errors,
    form_event,
    home_view,
    message_event,
    user_team,
)
from bot.adapters.slack_notifier import SlackNotifier
from bot.adapters.slack_payload import plausible_timestamp, slack_body
from bot.core import Event, EventKind, Reply
from bot.platforms import SlackConfig
from bot.router import Router
from bot.storage.health import database_unavailable
from bot.storage.stores import Stores
from cards.blockkit import joined_messages, render_blockkit, render_modal
from cards.model import Form

logger = logging.getLogger(__name__)

_MENTION = re.compile(r"<@[A-Z0-9]+>")


@dataclass(frozen=True)
class _Where:
    """Where a reply goes: a channel (and thread), or the response_url of a slash command or ephemeral."""

    channel: str
    thread_ts: str | None = None
    message_ts: str | None = None
    respond: AsyncRespond | None = None
    # "/techpath share ..." posts the answer for the whole channel instead of privately.
    shared: bool = False
    # A click's trigger: a reply with a form then opens it as a modal.
    trigger_id: str = ""
    # A click's response_url in a shared channel: replies for the clicker alone go through it, ephemeral.
    respond_privately: AsyncRespond | None = None


# The Events API retries a delivery three times; the last carries X-Slack-Retry-Num: 3.
SLACK_LAST_RETRY = 3


class SlackAdapter:
    """Mounts POST /slack/events on the server and turns Slack payloads into router events."""

    def __init__(self, config: SlackConfig, router: Router, stores: Stores) -> None:
        self._router = router
        self._stores = stores
        self._emails = TimedCache()
        self.client = AsyncWebClient(
            token=config.bot_token,
            base_url=config.api_url,
            # slack_sdk retries only connection errors by default; 429s must honour Retry-After too.
            retry_handlers=[
                AsyncConnectionErrorRetryHandler(max_retry_count=2),
                AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            ],
        )
        for name in ("slack_bolt.AsyncRequestVerification", "slack_bolt.RequestVerification"):
            logging.getLogger(name).addFilter(NoBodyInLogs())
        logging.getLogger("slack_bolt.AsyncApp").addFilter(NoClientTokenWarning())
        self.app = AsyncApp(client=self.client, signing_secret=config.signing_secret or "socket-mode")
        self.app.event("message")(self._on_message)
        self.app.event("app_mention")(self._on_mention)
        self.app.command("/techpath")(self._on_command)
        self.app.action(re.compile(".+"))(self._on_action)
        self.app.event("app_home_opened")(self._on_home)
        self.app.view("techpath_form")(self._on_form)
        # A modal this app does not know (an old version's, or another's): closed, not an error to show.
        self.app.view(re.compile(".*"))(self._on_other_form)
        # Nobody is linked to the directory until auth.test has said which workspace the token is for.
        self._workspace = ""
        router.serve_tenants(PLATFORM, frozenset())
        # The delivery engine's client: no rate-limit retries inside calls (the engine reschedules).
        self._outbound = AsyncWebClient(
            token=config.bot_token,
            base_url=config.api_url,
            retry_handlers=[AsyncConnectionErrorRetryHandler(max_retry_count=1)],
        )
        self.notifier = SlackNotifier(self._outbound, stores, lambda: self._workspace)

    def install(self, web_app: web.Application) -> None:
        web_app.router.add_post("/slack/events", self.handle, name="slack_events")
        web_app.cleanup_ctx.append(self._keep_connections)

    async def _keep_connections(self, _: web.Application) -> AsyncIterator[None]:
        """One HTTP session for every Web API call, so connections to Slack are kept alive and reused:
        without one, slack_sdk opens a new session, and a new TLS connection, for each call."""
        async with aiohttp.ClientSession() as session:
            self.client.session = session
            self._outbound.session = session
            await self._learn_workspace()
            yield
            self.client.session = None
            self._outbound.session = None

    async def _learn_workspace(self) -> None:
        """The workspace this deployment is installed in is the one the bot token belongs to: only its
        members are linked to directory people. Asked again at the next event if Slack could not say."""
        try:
            response = await self.client.auth_test()
        except Exception as exc:
            logger.warning("auth.test failed (%s); nobody is linked until it succeeds", type(exc).__name__)
            return
        self._workspace = str(response.get("team_id") or "")
        self._router.serve_tenants(PLATFORM, frozenset({self._workspace}))

    async def handle(self, request: web.Request) -> web.Response:
        """Check what bolt would choke on (headers, encoding, nesting, the fields read), then let bolt
        verify the signature and dispatch. bolt sees the very headers and text that were checked."""
        if self._should_ask_for_retry(request):
            # The event could not be recorded, so it could not be handled exactly once: Slack delivers it
            # again (about a minute, then five minutes later), by when the database may be back.
            return web.json_response({"error": "database unavailable; retry later"}, status=503)
        if len(request.headers.getall("Content-Type", ())) > 1:
            return refusal(BadPayload("more than one Content-Type header"))
        headers: dict[str, str | Sequence[str]] = {name.lower(): v for name, v in request.headers.items()}
        timestamp = str(headers.get("x-slack-request-timestamp", ""))
        if not plausible_timestamp(timestamp) or not headers.get("x-slack-signature"):
            # slack_sdk raises on a timestamp int() cannot read; a missing header is simply unverified.
            return web.json_response({"error": "invalid request"}, status=401)
        content_type = str(headers.get("content-type", "")).split(";")[0] or None
        try:
            text = utf8_text(await request.read(), request.charset)
            slack_body(text, content_type)
        except BadPayload as problem:
            return refusal(problem)
        bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=headers)
        return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

    def _should_ask_for_retry(self, request: web.Request) -> bool:
        """While the database is known to be away, Events API deliveries (never clicks or commands, which
        Slack does not retry) are refused with a 503, except Slack's last retry: that one is handled, and
        the person is told to try again rather than left with no answer."""
        health = self._stores.database.health
        if not health.down:
            return False
        health.recheck_soon()
        retry = request.headers.get("X-Slack-Retry-Num", "0")
        is_event = request.content_type == "application/json"
        return is_event and retry != str(SLACK_LAST_RETRY)

    async def _first_delivery(self, body: dict[str, Any]) -> bool:
        """Handle each Events API event once: Slack retries after timeouts, possibly to another replica.
        Checked after the ack (in the listener), so the database never delays the 3-second deadline."""
        event_id = body.get("event_id")
        if not event_id:
            return True
        try:
            return await self._stores.events.first_time(PLATFORM, str(event_id))
        except Exception as error:
            if not database_unavailable(error):
                raise
            # Unrecorded, so handled now: the turn finds the database away too and tells the person so.
            self._stores.database.health.mark_down()
            return True

    async def _email_of(self, team: str, user: str) -> str:
        """The user's email from users.info (needs users:read.email); the router asks only for someone
        not yet linked to the directory."""
        cached = self._emails.get((team, user))
        if cached is not None:
            return cached
        try:
            response = await self.client.users_info(user=user)
            profile: dict[str, Any] = (response.get("user") or {}).get("profile") or {}
        except Exception:
            logger.warning("users.info failed; the person stays anonymous for this turn", exc_info=True)
            return ""
        email = str(profile.get("email", ""))
        # People not in the directory are asked about again only after a while.
        self._emails.put((team, user), email)
        return email

    async def _open_form(self, form: Form, where: _Where) -> None:
        """A form opens as a modal; where its answer goes, and what submits it, travel in its metadata.
        A form opened outside the app's DM (a slash command in a channel) is answered in that DM, never
        in the channel: what it makes (a draft, a preview) is for the person who filled it in. (A command
        or an ephemeral message in a "D" channel may be a DM between two people, which the bot is not in.)"""
        in_app_dm = where.channel.startswith("D") and where.respond is None
        metadata = {
            "action": form.submit.action_id,
            "value": form.submit.value,
            "channel": where.channel if in_app_dm else "",
            "thread": (where.thread_ts or "") if in_app_dm else "",
            "private": True,
        }
        view = render_modal(form, json.dumps(metadata, separators=(",", ":")))
        await self.client.views_open(trigger_id=where.trigger_id, view=view)

    async def _on_form(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """A submitted modal, handled like a click. Its answer is awaited (briefly) before the ack: a form
        that comes back with mistakes stays open with each problem under its field (Slack's
        ``response_action: errors``, which only the ack can carry); anything else closes it and is posted."""
        deadline = asyncio.get_running_loop().time() + FORM_ANSWER_SECONDS
        try:
            metadata = json_object(view.get("private_metadata") or "{}")
            channel = str(metadata["channel"])
        except (BadPayload, KeyError):
            await ack()
            logger.warning("a form came back without its metadata; ignored")
            return
        user = body["user"]["id"]
        if not channel:
            try:
                channel = await self._direct_channel(user)
            except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
                await ack()
                logger.warning(
                    "conversations.open failed (%s); the form's answer is lost", type(exc).__name__
                )
                return
        neutral = form_event(body, view, metadata, channel)
        thread = str(metadata.get("thread") or "") or None
        turn = asyncio.ensure_future(self._dispatch(neutral))
        done, _ = await asyncio.wait({turn}, timeout=max(0.0, deadline - asyncio.get_running_loop().time()))
        if not done or turn.exception() is not None:
            # Too slow for the modal (it closes, and the answer is posted when it comes), or failed: the
            # ack goes anyway, or Slack would say it could not reach the app and invite a second submit.
            await ack()
        elif errors := field_errors(turn.result(), neutral.action_id):
            await ack(response_action="errors", errors=errors)
            return
        else:
            await ack()
        for reply in await turn:
            await self._send(reply, _Where(channel, thread_ts=thread))

    async def _on_other_form(self, ack: Any) -> None:
        await ack()

    async def _direct_channel(self, user: str) -> str:
        """The id of the app's DM with ``user``: the one the delivery engine keeps, else conversations.open
        (Tier 3, scope im:write), which a modal's ack would otherwise wait for."""
        try:
            known = await self._stores.references.get(PLATFORM, f"dm:{user}")
        except Exception:  # the database away: Slack can still say
            known = None
        if known and known.get("channel"):
            return str(known["channel"])
        response = await self.client.conversations_open(users=user)
        return str((response.get("channel") or {}).get("id", "")) or user

    async def _dispatch(self, event: Event) -> list[Reply]:
        if not self._workspace:
            await self._learn_workspace()
        return await self._router.dispatch(event, lambda: self._email_of(event.tenant, event.user_id))

    async def _turn(self, event: Event, where: _Where) -> None:
        # Plain replies of one turn (the welcome and the answer to a first message) go out in one post:
        # one message to read, and one call of the Web API rather than two.
        plain: list[dict[str, Any]] = []
        for reply in await self._dispatch(event):
            by_post = where.respond is None and where.respond_privately is None
            if by_post and not (reply.card.form or reply.replace_original or reply.attachments):
                plain += render_blockkit(reply.card)
                continue
            await self._post(joined_messages(plain), where)
            plain = []
            await self._send(reply, where)
        await self._post(joined_messages(plain), where)

    async def _post(self, messages: list[dict[str, Any]], where: _Where) -> None:
        for message in messages:
            await self.client.chat_postMessage(
                channel=where.channel,
                thread_ts=where.thread_ts,
                text=message["text"],
                blocks=message["blocks"],
            )

    async def _send(self, reply: Reply, where: _Where) -> None:
        form = reply.card.form
        if form is not None and where.trigger_id:
            try:
                await self._open_form(form, where)
                return
            except SlackApiError as exc:
                # A trigger lives three seconds; past that (or on any refusal) the card goes out as a
                # message with the form's values and a button that opens it again with a fresh trigger.
                logger.warning(
                    "views.open failed (%s); posting the form's summary", exc.response.get("error")
                )
        messages = render_blockkit(reply.card)
        if reply.only_for_them and where.respond is None and where.respond_privately is not None:
            where = replace(where, respond=where.respond_privately, shared=False)
        for index, message in enumerate(messages):
            replace_it = reply.replace_original and index == 0
            if where.respond is not None:
                await where.respond(
                    text=message["text"],
                    blocks=message["blocks"],
                    replace_original=replace_it,
                    response_type="in_channel" if where.shared else "ephemeral",
                )
            elif replace_it and where.message_ts:
                await self.client.chat_update(
                    channel=where.channel, ts=where.message_ts, text=message["text"], blocks=message["blocks"]
                )
            else:
                await self._post([message], where)
        for attachment in reply.attachments:
            await self.client.files_upload_v2(
                channel=where.channel,
                thread_ts=where.thread_ts,
                filename=attachment.filename,
                content=attachment.content,
                title=attachment.filename,
            )

    async def _on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        # Direct messages only; edits, joins and bots (including this one) are not questions.
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        if not await self._first_delivery(body):
            return
        neutral = message_event(body, event, event["channel"], text=event.get("text") or "", private=True)
        await self._turn(neutral, _Where(event["channel"], thread_ts=event.get("thread_ts")))

    async def _on_mention(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if not await self._first_delivery(body):
            return
        thread = event.get("thread_ts") or event["ts"]
        text = _MENTION.sub("", event.get("text") or "").strip()
        neutral = message_event(body, event, f"{event['channel']}:{thread}", text=text)
        neutral = neutral.model_copy(update={"channel": str(event["channel"])})
        await self._turn(neutral, _Where(event["channel"], thread_ts=thread))

    async def _on_home(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab") != "home" or not await self._first_delivery(body):
            return
        team = str(body.get("team_id") or "")
        neutral = Event(
            kind=EventKind.HOME_OPENED,
            platform=PLATFORM,
            tenant=team,
            conversation_id=f"slack:{team}:home:{event['user']}",
            user_id=event["user"],
        )
        for reply in await self._dispatch(neutral):
            await self.client.views_publish(user_id=event["user"], view=home_view(reply))

    async def _on_command(self, ack: Any, command: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        text = str(command.get("text", "")).strip()
        shared = text.lower().startswith("share ")
        # A command's trigger lets its answer open a modal ("/techpath post" opens the bulletin's form).
        trigger = str(command.get("trigger_id") or "")
        neutral = Event(
            kind=EventKind.MESSAGE,
            platform=PLATFORM,
            tenant=command["team_id"],
            conversation_id=f"slack:{command['team_id']}:{command['channel_id']}:{command['user_id']}",
            user_id=command["user_id"],
            text=text[len("share ") :] if shared else text,
            trigger_id=trigger,
        )
        where = _Where(command["channel_id"], respond=respond, shared=shared, trigger_id=trigger)
        await self._turn(neutral, where)

    async def _on_action(
        self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        ephemeral = bool(container.get("is_ephemeral"))
        # The bot posts in a "D" channel only in its own DM with the person (or ephemerally, elsewhere).
        private = channel.startswith("D") and not ephemeral
        if not channel:
            private = True
            # A Home tab button comes from a view, with no channel: answer in the app's DM with the
            # person, under that DM's own id, so what they type there next continues the same conversation.
            channel = await self._direct_channel(body["user"]["id"])
        value = action.get("value") or (action.get("selected_option") or {}).get("value") or ""
        thread = container.get("thread_ts")
        conversation = f"{channel}:{thread}" if thread else channel
        team = (body.get("team") or {}).get("id") or ""
        neutral = Event(
            kind=EventKind.ACTION,
            platform=PLATFORM,
            tenant=user_team(body.get("user"), team),
            conversation_id=f"slack:{team}:{conversation}",
            user_id=body["user"]["id"],
            # Renderers make ids unique per message as "handler:position"; the handler is before the colon.
            action_id=str(action.get("action_id", "")).rsplit(":", 1)[0],
            value=str(value),
            trigger_id=str(body.get("trigger_id", "")),
            private=private,
        )
        where = _Where(
            channel,
            trigger_id=str(body.get("trigger_id", "")),
            thread_ts=thread,
            message_ts=container.get("message_ts"),
            respond=respond if ephemeral and body.get("response_url") else None,
            respond_privately=respond if not private and body.get("response_url") else None,
        )
        await self._turn(neutral, where)
