"""A mutation fuzz of both platform endpoints over real HTTP: recorded payloads, mutated by Hypothesis, sent
signed (and now and then not) to the running server on each database; no answer is a 5xx, and nothing is
logged as an error unless a platform refused what the bot sent it.

TECHPATH_FUZZ_EXAMPLES sets the number of requests per endpoint and database (a longer local run); a
failure shows the smallest request Hypothesis could find that still fails.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import aiohttp
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from msrest.exceptions import HttpOperationError
from multidict import CIMultiDict
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from tests.doubles.bot_identity import FOREIGN_KEY, token
from tests.fixtures import load
from tests.fuzz.mutations import (
    ACTION_IDS,
    CLICK_VALUES,
    IDS,
    ODD_TEXT,
    damaged,
    dump,
    encode,
    mutated,
    odd,
    set_at,
)
from tests.slack.conftest import SECRET, SlackRig, sign_bytes
from tests.teams.conftest import TeamsRig

EXAMPLES = int(os.environ.get("TECHPATH_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,  # the same requests on every run and machine: a failure in CI reproduces locally
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    print_blob=False,
)
Case = TypeVar("Case")


class _Errors(logging.Handler):
    """Every ERROR record, from any logger, while the fuzz runs."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def errors_logged() -> Iterator[_Errors]:
    handler = _Errors()
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)


def _platform_refused(record: logging.LogRecord) -> bool:
    """An error the bot logs because the platform (a double here) answered one of its calls with an error:
    the right thing to log, and no fault in how the request was handled."""
    error = record.exc_info[1] if record.exc_info else None
    while error is not None:
        if isinstance(error, SlackApiError | HttpOperationError):
            return True
        error = error.__cause__ or error.__context__
    return False


def unexpected(records: list[logging.LogRecord]) -> list[str]:
    return [
        f"{r.name}: {r.getMessage()} ({type(r.exc_info[1]).__name__ if r.exc_info else 'no exception'})"
        for r in records
        if not _platform_refused(r)
    ]


async def fuzz(strategy: st.SearchStrategy[Case], send: Callable[[Case], Awaitable[str]]) -> None:
    """Run Hypothesis over ``strategy`` in a worker thread, each example sent on this test's event loop
    (where the server, the doubles and the database live); ``send`` returns what went wrong, if anything.
    Hypothesis shrinks a failure to the smallest request that still fails and names it."""
    loop = asyncio.get_running_loop()

    @FUZZ
    @given(strategy)
    def one_request(case: Case) -> None:
        problem = asyncio.run_coroutine_threadsafe(send(case), loop).result(timeout=120)
        assert not problem, problem

    await asyncio.to_thread(one_request)


def _shown(body: bytes) -> str:
    return repr(body) if len(body) <= 1500 else f"{body[:1200]!r}... ({len(body)} bytes)"


# Slack -------------------------------------------------------------------------------------------------

SLACK_JSON = ["message_im", "app_mention", "app_home_opened", "reaction_added", "url_verification"]
SLACK_FORMS = ["block_actions", "block_actions_home", "view_submission"]
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
ODD_CONTENT_TYPES = [
    "application/json; charset=utf-8",
    "application/json; charset=UTF8",
    "application/json; charset=foo",
    "application/json; charset=latin-1",
    'application/json; charset="utf-8',
    "application/json; charset=",
    "application/json;;",
    "application/x-www-form-urlencoded; charset=utf-16",
    "text/plain",
    "multipart/form-data; boundary=x",
    "",
    "*/*",
    "application/jsonx",
]
_CLICKED = st.sampled_from(ACTION_IDS).map(lambda action: f"{action}:a0") | IDS
_FORM_METADATA = st.builds(
    dump,
    st.fixed_dictionaries(
        {},
        optional={
            "action": odd(*ACTION_IDS),
            "value": CLICK_VALUES,
            "channel": odd("D1", "C1"),
            "thread": odd("", "1700000000.000001"),
            "private": odd(True, False),
        },
    ),
)
# The fields the adapter and bolt route and read by, each often given an odd value of its own.
SLACK_PINNED = {
    ("type",): odd(
        "event_callback",
        "block_actions",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "interactive_message",
        "dialog_submission",
        "block_suggestion",
        "url_verification",
        "app_rate_limited",
        "workflow_step_edit",
    ),
    ("event", "type"): odd(
        "message",
        "app_mention",
        "app_home_opened",
        "reaction_added",
        "function_executed",
        "assistant_thread_started",
        "member_joined_channel",
    ),
    ("event", "user"): IDS,
    ("event", "channel"): IDS,
    ("event", "channel_type"): odd("im", "channel", "group", "mpim"),
    ("event", "subtype"): odd(None, "message_changed", "bot_message", "file_share"),
    ("event", "text"): odd("help", "grade 5", "export my data", "delete my data", "start assessment"),
    ("event", "ts"): IDS,
    ("event", "thread_ts"): IDS,
    ("event", "tab"): odd("home", "messages"),
    ("event", "team"): IDS,
    ("event", "user_team"): IDS,
    ("team_id",): IDS,
    ("api_app_id",): IDS,
    ("user", "id"): IDS,
    ("user", "team_id"): IDS,
    ("team", "id"): IDS,
    ("channel", "id"): IDS,
    ("container", "channel_id"): IDS,
    ("container", "thread_ts"): IDS,
    ("container", "message_ts"): IDS,
    ("container", "is_ephemeral"): odd(True, False),
    ("trigger_id",): IDS,
    ("actions", 0, "action_id"): _CLICKED,
    ("actions", 0, "value"): CLICK_VALUES,
    ("view", "type"): odd("modal", "home"),
    ("view", "callback_id"): odd("techpath_form", "techpath.ask", ""),
    ("view", "private_metadata"): _FORM_METADATA,
    ("view", "state"): odd({"values": {}}),
    ("view", "state", "values"): odd(
        {"question": {"text": {"type": "plain_text_input", "value": None}}},
        {"kind": {"value": {"type": "static_select", "selected_option": {"value": "secondment"}}}},
        {"kind": {"value": {"type": "static_select", "selected_option": None}}},
        {"title": {"value": {"type": "plain_text_input", "value": "x" * 5000}}},
    ),
}
ODD_TIMESTAMPS = [
    "²",
    "9" * 5000,
    "",
    "0",
    "-5",
    " 1",
    "1e9",
    "١٢٣",
    "+1700000000",
    "0x10",
    "stale",
    "future",
]


@dataclass(frozen=True)
class SlackRequest:
    fixture: str
    body: bytes
    content_type: str
    # "signed", "unsigned", "wrong", "v1", or "timestamp" (signed, with ``timestamp`` as the header).
    signing: str = "signed"
    timestamp: str = ""
    retry: str = ""

    def __repr__(self) -> str:
        how = f"{self.signing} {self.timestamp!r}" if self.timestamp else self.signing
        retry = f", retry={self.retry!r}" if self.retry else ""
        return f"SlackRequest({self.fixture}, {how}, {self.content_type!r}{retry}, body={_shown(self.body)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


@st.composite
def slack_requests(draw: st.DrawFn, respond_url: str) -> SlackRequest:
    """A recorded Slack request (event, click, modal submission or slash command), mutated."""
    name = draw(st.sampled_from([*SLACK_JSON, *SLACK_FORMS, "slash_command"]))
    if name == "slash_command":
        fields = list(load("slack/slash_command", response_url=respond_url).items())
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["replace", "delete", "add"]))
            at = draw(st.integers(0, max(len(fields) - 1, 0)))
            if kind == "add" or not fields:
                key = draw(st.sampled_from(["payload", "command", "user_id", "team_id", "text", *ODD_TEXT]))
                fields.insert(at, (key, draw(st.sampled_from(ODD_TEXT))))
            elif kind == "delete":
                del fields[at]
            else:
                fields[at] = (fields[at][0], draw(st.sampled_from(ODD_TEXT) | IDS | st.text(max_size=10)))
        body, content_type = urlencode(fields, errors="surrogatepass").encode(), FORM
    else:
        overrides: dict[str, Any] = {"response_url": respond_url} if name == "block_actions" else {}
        tree = draw(mutated(load(f"slack/{name}", **overrides), SLACK_PINNED))
        text = dump(tree)
        if name in SLACK_FORMS and draw(st.integers(0, 7)):
            body, content_type = b"payload=" + quote(text, safe="", errors="surrogatepass").encode(), FORM
        else:
            body, content_type = encode(text), JSON
    body = draw(damaged(body))
    if draw(st.integers(0, 9)) == 0:
        content_type = draw(st.sampled_from(ODD_CONTENT_TYPES))
    signing = draw(st.sampled_from(["signed"] * 30 + ["unsigned", "wrong", "v1", "timestamp"]))
    timestamp = draw(st.sampled_from(ODD_TIMESTAMPS)) if signing == "timestamp" else ""
    retry = draw(st.sampled_from(["", "", "", "", "1", "3", "x", "9" * 30]))
    return SlackRequest(name, body, content_type, signing, timestamp, retry)


VERIFIER = SignatureVerifier(SECRET)


def slack_headers(request: SlackRequest, body: bytes) -> CIMultiDict[str]:
    """The headers Slack would send with ``body``, or the odd ones ``request`` asks for."""
    headers = CIMultiDict({"Content-Type": request.content_type})
    if request.retry:
        headers["X-Slack-Retry-Num"] = request.retry
    if request.signing == "unsigned":
        return headers
    now = int(time.time())
    timestamp = {"stale": str(now - 600), "future": str(now + 600)}.get(request.timestamp, request.timestamp)
    timestamp = timestamp if request.signing == "timestamp" else str(now)
    try:
        signature = VERIFIER.generate_signature(timestamp=timestamp, body=body.decode())
    except UnicodeDecodeError:  # slack_sdk signs text; Slack signs the bytes it sends, as this does
        signature = sign_bytes(body, timestamp)["X-Slack-Signature"]
    if request.signing == "wrong":
        signature = "v0=" + "0" * 64
    elif request.signing == "v1":
        signature = "v1=" + str(signature)[3:]
    headers["X-Slack-Request-Timestamp"] = timestamp
    headers["X-Slack-Signature"] = str(signature)
    return headers


async def _slack_settled(slack: SlackRig, timeout: float = 10.0) -> None:
    """Every listener bolt started has finished (its replies sent, or its failure logged)."""
    for _ in range(5):  # bolt starts its listeners as tasks after the ack; let them begin
        await asyncio.sleep(0)
    deadline = asyncio.get_running_loop().time() + timeout
    while len(slack.listeners.finished) < len(slack.listeners.started):
        assert asyncio.get_running_loop().time() < deadline, "a Slack listener did not finish"
        await asyncio.sleep(0.005)


async def test_no_slack_request_gets_a_5xx_or_an_error(slack: SlackRig) -> None:
    """Hostile input: never a 500, and never a failure that only the log sees."""
    sent = 0

    async def send(request: SlackRequest) -> str:
        nonlocal sent
        sent += 1
        # Each delivery an event id of its own: the adapter handles an event once, so a repeat (a
        # replay while shrinking) would be skipped rather than fail as it did the first time.
        body = request.body.replace(b"Ev0FIXTURE", f"Ev{sent:06d}".encode())
        with errors_logged() as logged:
            headers = slack_headers(request, body)
            # A file-like body: aiohttp warns (an error here) when given large raw bytes.
            sent_body = io.BytesIO(body)
            response = await slack.session.post(slack.url("/slack/events"), data=sent_body, headers=headers)
            answer = await response.text()
            await _slack_settled(slack)
        problems = unexpected(logged.records)
        if response.status >= 500 or problems:
            return f"HTTP {response.status} {answer[:300]!r}; errors logged: {problems}"
        return ""

    await fuzz(slack_requests(slack.response_url("fuzz")), send)
    assert sent >= EXAMPLES


# Teams -------------------------------------------------------------------------------------------------

TEAMS_FIXTURES = [
    "personal_message",
    "channel_mention",
    "group_chat_message",
    "card_submit",
    "card_menu_submit",
    "invoke_adaptive_card_action",
    "conversation_update_members_added",
    "installation_update",
    "message_reaction",
]


def _service_urls(url: str) -> st.SearchStrategy[Any]:
    """The double's own URL, and odd ones: other hosts, other paths, forms a parser might read two ways."""
    port = url.rsplit(":", 1)[1].rstrip("/")
    return st.sampled_from(
        [
            url,
            url.upper(),
            url.rstrip("/"),
            url + "x/",
            url + "..",
            f"http://localhost:{port}/",
            f"https://127.0.0.1:{port}/",
            f"http://127.0.0.1:{port}@evil.example/",
            f"http://127.0.0.1:{port}/%2e%2e/",
            f"http://127.0.0.1:{port}\\@evil.example/",
            "https://smba.trafficmanager.net/uk/",
            "",
            "ftp://127.0.0.1/",
        ]
    )


TEAMS_ANSWERED = [
    "personal_message",
    "card_submit",
    "card_menu_submit",
    "channel_mention",
    "group_chat_message",
]
TEAMS_IDS = [("conversation", "id"), ("from", "id"), ("from", "aadObjectId"), ("id",), ("replyToId",)]


@dataclass(frozen=True)
class TeamsRequest:
    fixture: str
    body: bytes
    content_type: str
    # "valid", "none", "garbage", "another serviceUrl", "expired", "foreign key"
    auth: str
    service_url: str  # the one the token vouches for

    def __repr__(self) -> str:
        return f"TeamsRequest({self.fixture}, {self.auth}, {self.content_type!r}, body={_shown(self.body)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


@st.composite
def teams_requests(draw: st.DrawFn, service_url: str) -> TeamsRequest:
    """A recorded Bot Framework activity, mutated, its ids and serviceUrl often odd."""
    name = draw(st.sampled_from(TEAMS_FIXTURES))
    pinned = {
        ("serviceUrl",): _service_urls(service_url),
        ("type",): odd(
            "message",
            "invoke",
            "conversationUpdate",
            "installationUpdate",
            "messageReaction",
            "event",
            "typing",
            "endOfConversation",
            "messageUpdate",
            "messageDelete",
            "command",
        ),
        ("name",): odd(
            "adaptiveCard/action",
            "task/fetch",
            "signin/verifyState",
            "signin/tokenExchange",
            "composeExtension/query",
            "actionableMessage/executeAction",
            "healthCheck",
            "",
        ),
        ("id",): IDS,
        ("replyToId",): IDS,
        ("text",): odd("help", "grade 5", "export my data", "delete my data", "start assessment"),
        ("conversation", "id"): IDS,
        ("conversation", "tenantId"): IDS,
        ("conversation", "conversationType"): odd("personal", "groupChat", "channel", None),
        ("channelData", "tenant", "id"): IDS,
        ("from", "id"): IDS,
        ("from", "aadObjectId"): IDS,
        ("recipient", "id"): IDS,
        ("membersAdded", 0, "id"): IDS,
        ("membersAdded", 0, "aadObjectId"): IDS,
        ("entities", 0, "mentioned", "id"): IDS,
        ("value",): odd({}, {"techpath_action": "qa.ask"}),
        ("value", "techpath_action"): odd(*ACTION_IDS, "choice"),
        ("value", "value"): CLICK_VALUES,
        ("value", "choice"): odd("0", "5", "6", "-1", "\u0661", "999999"),
        ("value", "choices"): odd([], [["qa.ask"]], [["qa.ask", "{}", "x"]], [[1, 2]]),
        ("value", "action"): odd({}, {"type": "Action.Execute"}, {"type": "Action.Submit", "data": None}),
        ("value", "action", "data"): odd({}, {"techpath_action": "assess.do", "value": "{}"}),
    }
    activity = load(f"teams/{name}", serviceUrl=service_url)
    if draw(st.integers(0, 2)) == 0:
        # A third are a message with one id odd and all else as recorded, so that the id travels as far as
        # it can: into the conversation's key, the reference kept, the paths of the replies.
        name = draw(st.sampled_from(TEAMS_ANSWERED))
        activity = load(f"teams/{name}", serviceUrl=service_url)
        set_at(activity, draw(st.sampled_from(TEAMS_IDS)), draw(IDS))
        return TeamsRequest(name, encode(dump(activity)), JSON, "valid", service_url)
    tree = draw(mutated(activity, pinned))
    body = draw(damaged(encode(dump(tree))))
    content_type = JSON if draw(st.integers(0, 9)) else draw(st.sampled_from(ODD_CONTENT_TYPES))
    auth = draw(
        st.sampled_from(["valid"] * 30 + ["none", "garbage", "another serviceUrl", "expired", "foreign key"])
    )
    vouched = tree.get("serviceUrl") if isinstance(tree, dict) else None
    return TeamsRequest(name, body, content_type, auth, vouched if isinstance(vouched, str) else service_url)


def teams_headers(request: TeamsRequest) -> dict[str, str]:
    headers = {"Content-Type": request.content_type}
    url = request.service_url
    tokens = {
        "valid": lambda: token(url),
        "garbage": lambda: "not.a.token",
        "another serviceUrl": lambda: token("https://smba.trafficmanager.net/emea/"),
        "expired": lambda: token(url, exp=int(time.time()) - 3600, nbf=int(time.time()) - 7200),
        "foreign key": lambda: token(url, key=FOREIGN_KEY),
    }
    if request.auth in tokens:
        headers["Authorization"] = f"Bearer {tokens[request.auth]()}"
    return headers


async def test_no_teams_activity_gets_a_5xx_or_an_error(secured: TeamsRig) -> None:
    """Hostile input: never a 500, and never a turn that fails unseen after the 202."""
    sent = 0
    address = str(secured.server.make_url("/api/messages"))

    async def send(request: TeamsRequest) -> str:
        nonlocal sent
        sent += 1
        secured.connector.unrouted.clear()
        with errors_logged() as logged:
            try:
                response = await secured.session.post(
                    address, data=io.BytesIO(request.body), headers=teams_headers(request)
                )
            except aiohttp.ClientError as error:
                return f"no answer: {error!r}"
            answer = await response.text()
            await secured.settled()
        problems = unexpected(logged.records)
        # What the bot asked of the Bot Connector at its own paths, and the double could not route.
        problems += [
            f"the connector double could not route {r}"
            for r in secured.connector.unrouted
            if r.split(" ", 1)[1].startswith("/v3/")
        ]
        if response.status >= 500 or problems:
            return f"HTTP {response.status} {answer[:300]!r}; errors logged: {problems}"
        return ""

    await fuzz(teams_requests(secured.connector.service_url), send)
    assert sent >= EXAMPLES
