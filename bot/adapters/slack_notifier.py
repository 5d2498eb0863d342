"""Slack's outbound half for the delivery engine: DMs and channel posts, their edits and deletions.

Every message carries message metadata naming its delivery (an opaque id only: any app in the workspace
can read metadata), so after a crash a send of unknown outcome is looked up in the channel's history
rather than sent twice. A 429 is reported, never slept on: the engine reschedules and every replica holds
back (slack_sdk's rate-limit retry handler would sleep inside the call, holding the lease, unseen).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.outbox.notifier import LOOKUP, Address, RateLimited, Rejected, Retryable, Scope, Unreachable
from bot.storage.people import PersonRecord
from bot.storage.stores import Stores
from cards.blockkit import render_blockkit
from cards.model import Card

logger = logging.getLogger(__name__)

# The member list is read again after this long, for people who joined the workspace since.
MEMBERS_REFRESH_SECONDS = 6 * 3600.0
MAX_MEMBER_PAGES = 500  # 100,000 members at 200 a page

PLATFORM = "slack"
METADATA_EVENT = "techpath_delivery"
# This person cannot get a DM from the bot until something changes on their side.
_PERSON_GONE = {
    "user_not_found",
    "account_inactive",
    "cannot_dm_bot",
    "user_disabled",
    "not_allowed_token_type",
}
# This message can never be posted as it is.
_FINAL = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "invalid_blocks",
    "invalid_blocks_format",
    "msg_too_long",
    "no_text",
    "restricted_action",
    "message_not_found",
    "cant_update_message",
    "cant_delete_message",
    "edit_window_closed",
}


@dataclass(frozen=True)
class SlackRates:
    """Seconds between calls, from Slack's published limits (settings; README)."""

    post_per_channel: float = 1.0  # chat.postMessage: about one a second per channel
    post_per_workspace: float = 0.05  # and a workspace-wide limit Slack does not publish: 20/s
    # conversations.open, chat.update, chat.delete, conversations.history: Tier 3, about 50 a minute
    tier3: float = 1.2


class SlackNotifier:
    platform = PLATFORM

    def __init__(
        self,
        client: AsyncWebClient,
        stores: Stores,
        workspace: Callable[[], str],
        rates: SlackRates | None = None,
    ) -> None:
        self._client = client
        self._stores = stores
        self._workspace = workspace
        self.rates = rates or SlackRates()
        self._members: dict[str, str] | None = None
        self._members_at = 0.0
        self._members_lock = asyncio.Lock()

    async def address_of(self, person: PersonRecord) -> Address | None:
        team = self._workspace()
        user_id = ""
        for platform, tenant, linked in await self._stores.people.identities_of(person.id):
            if platform == PLATFORM and (not team or tenant.lower() == team.lower()):
                user_id = linked
                break
        if not user_id and team:
            # Never wrote to the bot: found by email among the workspace's members, and linked, since
            # the member list is the installed workspace's own.
            user_id = (await self._members_by_email()).get(person.email.lower(), "")
            if user_id:
                await self._stores.people.link_identity(person.id, PLATFORM, team, user_id)
        if not user_id:
            return None
        known = await self._stores.references.get(PLATFORM, _dm_key(user_id))
        channel = str((known or {}).get("channel", ""))
        return Address(PLATFORM, team, channel, {"user": user_id, "person_id": person.id})

    async def _members_by_email(self) -> dict[str, str]:
        """The workspace's members by email, from users.list (paginated, Tier 2) kept for a while: a first
        broadcast to thousands would otherwise spend most of an hour on one users.lookupByEmail each."""
        now = time.monotonic()
        if self._members is not None and now - self._members_at < MEMBERS_REFRESH_SECONDS:
            return self._members
        async with self._members_lock:
            if self._members is not None and time.monotonic() - self._members_at < MEMBERS_REFRESH_SECONDS:
                return self._members
            members: dict[str, str] = {}
            cursor: str | None = None
            address = Address(PLATFORM, self._workspace(), "")
            for _ in range(MAX_MEMBER_PAGES):
                page = await self._call("users.list", address, limit=200, cursor=cursor)
                for member in page.get("members") or []:
                    email = str((member.get("profile") or {}).get("email") or "").lower()
                    if email and not member.get("deleted") and not member.get("is_bot"):
                        members[email] = str(member.get("id", ""))
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not cursor:
                    break
            self._members, self._members_at = members, time.monotonic()
            return members

    def channel_address(self, channel: str, tenant: str) -> Address:
        return Address(PLATFORM, tenant or self._workspace(), channel)

    def scopes(self, address: Address, kind: str) -> list[Scope]:
        team = address.tenant or self._workspace()
        if kind == "post":
            scopes = [
                Scope(f"slack:{team}:chat.postMessage", self.rates.post_per_workspace),
                Scope(
                    f"slack:{team}:channel:{address.channel or address.extra.get('user', '')}",
                    self.rates.post_per_channel,
                ),
            ]
            if not address.channel:
                scopes.append(Scope(f"slack:{team}:conversations.open", self.rates.tier3))
            return scopes
        if kind == LOOKUP:
            return [Scope(f"slack:{team}:conversations.history", self.rates.tier3)]
        method = "chat.update" if kind == "edit" else "chat.delete"
        return [Scope(f"slack:{team}:{method}", self.rates.tier3)]

    async def send(self, address: Address, card: Card, delivery_id: int) -> dict[str, Any]:
        channel = address.channel or await self._open_dm(address)
        messages = render_blockkit(card)
        stamps: list[str] = []
        for message in messages:
            response = await self._call(
                "chat.postMessage",
                address,
                channel=channel,
                text=message["text"],
                blocks=message["blocks"],
                unfurl_links=False,
                metadata={"event_type": METADATA_EVENT, "event_payload": {"delivery": str(delivery_id)}},
            )
            stamps.append(str(response.get("ts", "")))
        return _reference(address.tenant, channel, stamps)

    async def update(self, ref: dict[str, Any], card: Card) -> None:
        address = Address(PLATFORM, str(ref.get("tenant", "")), str(ref.get("channel", "")))
        first, *rest = render_blockkit(card)
        await self._call(
            "chat.update",
            address,
            channel=address.channel,
            ts=ref["ts"],
            text=first["text"],
            blocks=first["blocks"],
        )
        # A card that was split over several messages shrinks to what the new one needs.
        for ts in ref.get("more", []):
            await self._call("chat.delete", address, channel=address.channel, ts=ts, missing_ok=True)
        for message in rest:
            await self._call(
                "chat.postMessage",
                address,
                channel=address.channel,
                text=message["text"],
                blocks=message["blocks"],
            )

    async def delete(self, ref: dict[str, Any]) -> None:
        address = Address(PLATFORM, str(ref.get("tenant", "")), str(ref.get("channel", "")))
        for ts in [ref["ts"], *ref.get("more", [])]:
            await self._call("chat.delete", address, channel=address.channel, ts=ts, missing_ok=True)

    async def find_sent(self, address: Address, delivery_id: int, since: datetime) -> dict[str, Any] | None:
        channel = address.channel
        if not channel:
            return None  # no DM was open, so nothing can have been posted in it
        cursor = None
        stamps: list[str] = []
        for _ in range(10):  # bounded: a crash leaves at most a few minutes of history to look through
            response = await self._call(
                "conversations.history",
                address,
                channel=channel,
                oldest=f"{since.timestamp() - 60:.6f}",
                include_all_metadata=True,
                limit=200,
                cursor=cursor,
            )
            for message in response.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_EVENT and payload.get("delivery") == str(
                    delivery_id
                ):
                    stamps.append(str(message.get("ts", "")))
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
        if not stamps:
            return None
        stamps.sort(key=float)
        return _reference(address.tenant, channel, stamps)

    async def _open_dm(self, address: Address) -> str:
        user = str(address.extra.get("user", ""))
        response = await self._call("conversations.open", address, users=user)
        channel = str((response.get("channel") or {}).get("id", ""))
        if not channel:
            raise Retryable("conversations.open gave no channel")
        person_id = address.extra.get("person_id")
        await self._stores.references.save(
            PLATFORM, _dm_key(user), int(person_id) if person_id else None, {"channel": channel}
        )
        return channel

    async def _call(self, method: str, address: Address, missing_ok: bool = False, **arguments: Any) -> Any:
        arguments = {key: value for key, value in arguments.items() if value is not None}
        try:
            # The SDK's own method, so each call is encoded as Slack expects it (history is a GET).
            call = getattr(self._client, method.replace(".", "_"))
            return await call(**arguments)
        except SlackApiError as error:
            response = error.response
            code = str(response.get("error", "")) if isinstance(response.data, dict) else ""
            if response.status_code == 429 or code == "ratelimited":
                retry_after = float(response.headers.get("Retry-After", "1") or 1)
                # Slack does not say which limit it was (the channel's or the workspace's): the widest
                # scope the call counts against is held back, or other channels would keep calling a
                # workspace that is over its limit (every post books a slot in the method's scope).
                team = address.tenant or self._workspace()
                raise RateLimited(retry_after, f"slack:{team}:{method}") from error
            if missing_ok and code == "message_not_found":
                return {}
            if code in _PERSON_GONE:
                raise Unreachable(code) from error
            if code in _FINAL:
                raise Rejected(code) from error
            if response.status_code >= 500:
                raise Retryable(
                    f"http_{response.status_code}", unknown=method == "chat.postMessage"
                ) from error
            raise Rejected(code or f"http_{response.status_code}") from error
        except (aiohttp.ClientError, TimeoutError) as error:
            # The request may have reached Slack: a post is reconciled through its metadata before a resend.
            raise Retryable(type(error).__name__, unknown=True) from error


def _reference(team: str, channel: str, stamps: list[str]) -> dict[str, Any]:
    """What the ledger keeps of a sent message: where it is, and the ts of each of its parts."""
    return {"platform": PLATFORM, "tenant": team, "channel": channel, "ts": stamps[0], "more": stamps[1:]}


def _dm_key(user_id: str) -> str:
    return f"dm:{user_id}"
