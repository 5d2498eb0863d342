"""``/r/{token}``: a bulletin link, counted once per person, then redirected to the opportunity's own link.

Only the address stored with the opportunity is ever redirected to (the token names an opportunity, never
an address); a bad or expired token is a 404. Link-preview fetchers and HEAD requests are redirected but
not counted, so a link pasted in a chat is not a click by whoever pasted it."""

from __future__ import annotations

import html
import logging
from datetime import UTC, datetime

from aiohttp import web

from bot.link_tokens import read_link
from bot.settings import Settings
from bot.storage.stores import Stores

logger = logging.getLogger(__name__)

# User-Agent words of the services that fetch a link to draw its preview.
PREVIEW_FETCHERS = (
    "slackbot",
    "facebookexternalhit",
    "twitterbot",
    "linkedinbot",
    "discordbot",
    "skypeuripreview",
    "whatsapp",
    "telegrambot",
    "embedly",
    "iframely",
    "googlebot",
    "bingbot",
    "bingpreview",
)
_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def is_preview_fetcher(user_agent: str) -> bool:
    agent = user_agent.lower()
    return any(word in agent for word in PREVIEW_FETCHERS)


def _page(status: int, title: str, text: str) -> web.Response:
    heading, para = html.escape(title), html.escape(text)
    body = f"<!doctype html><title>{heading}</title><h1>{heading}</h1><p>{para}</p>"
    return web.Response(status=status, text=body, content_type="text/html", headers=_HEADERS)


def add_link_route(app: web.Application, settings: Settings, stores: Stores) -> None:
    async def follow(request: web.Request) -> web.Response:
        key = await stores.uptake.link_key(settings.link_secret)
        claim = read_link(key, request.match_info["token"])
        record = await stores.bulletin.get(claim.opportunity_id) if claim else None
        if claim is None or record is None or not record.link:
            return _page(404, "Link not found", "This link is not valid, or it has expired.")
        if record.status != "posted":
            return _page(
                410, "This opportunity was withdrawn", "Its coordinator recalled it from the bulletin."
            )
        if record.closed(datetime.now(UTC).date().isoformat()):
            return _page(410, "This opportunity has closed", f"It closed on {record.closes_on}.")
        counted = request.method == "GET" and not is_preview_fetcher(request.headers.get("User-Agent", ""))
        if counted:
            source = "dm" if claim.person_id else "channel"
            await stores.uptake.clicked(record.id, claim.person_id, source)
        raise web.HTTPFound(record.link, headers=_HEADERS)

    app.router.add_get("/r/{token}", follow, name="bulletin_link")
