"""The suite's network guard: loopback works, anything else is refused before a packet leaves, and fails."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from tests import network_guard
from tests.network_guard import OutsideNetworkRefused

TEST_NET = "192.0.2.1"  # RFC 5737 TEST-NET-1: documentation only, never routed


@pytest.fixture
def attempts() -> Iterator[list[str]]:
    """The refusals recorded during this test; taken away before teardown, which would fail the test."""
    yield network_guard.refused
    network_guard.refused.clear()


def test_a_connect_beyond_loopback_is_refused_with_a_clear_message(attempts: list[str]) -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener,
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
    ):
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        sock.setblocking(False)  # a real connect would return at once, its SYN already on the wire
        with pytest.raises(OutsideNetworkRefused, match=rf"beyond loopback: connect to \('{TEST_NET}', 80\)"):
            sock.connect((TEST_NET, 80))
        with pytest.raises(OutsideNetworkRefused):
            sock.connect_ex((TEST_NET, 80))
        # The same socket can still connect to loopback: no connect to TEST-NET was ever begun on it
        # (one in progress would make this fail with EALREADY), so nothing was sent.
        sock.setblocking(True)
        sock.connect(listener.getsockname())
        assert sock.getpeername() == listener.getsockname()
    with pytest.raises(OutsideNetworkRefused):
        socket.create_connection((TEST_NET, 443), timeout=1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, pytest.raises(OutsideNetworkRefused):
        udp.sendto(b"x", (TEST_NET, 53))
    assert len(attempts) == 4
    assert all("use a loopback double in tests/doubles" in a for a in attempts)


def test_a_name_lookup_is_refused_before_any_dns_query(attempts: list[str]) -> None:
    for lookup in (
        lambda: socket.getaddrinfo("slack.com", 443),
        lambda: socket.gethostbyname("login.microsoftonline.com"),
        lambda: socket.gethostbyname_ex("example.org"),
    ):
        with pytest.raises(OutsideNetworkRefused, match="name lookup of"):
            lookup()
    assert len(attempts) == 3


async def test_asyncio_and_aiohttp_are_refused_too(attempts: list[str]) -> None:
    with pytest.raises(OutsideNetworkRefused):
        await asyncio.open_connection(TEST_NET, 80)
    with pytest.raises(OutsideNetworkRefused):
        await asyncio.get_running_loop().getaddrinfo("slack.com", 443)
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectorError) as refused:
            await session.get(f"http://{TEST_NET}/")
        assert isinstance(refused.value.os_error, OutsideNetworkRefused)
    assert attempts


def test_a_refusal_the_code_swallows_is_still_recorded_for_the_test_to_fail(attempts: list[str]) -> None:
    with contextlib.suppress(OSError):  # as a retrying client or a "log and carry on" handler would
        socket.create_connection((TEST_NET, 443))
    assert attempts == [
        f"tests may not use the network beyond loopback: connect to ('{TEST_NET}', 443) "
        "(use a loopback double in tests/doubles)"
    ]


async def test_loopback_and_local_sockets_still_work() -> None:
    async def hello(_: web.Request) -> web.Response:
        return web.Response(text="hello")

    app = web.Application()
    app.router.add_get("/", hello)
    for host in ("127.0.0.1", "::1"):
        server = TestServer(app, host=host)
        await server.start_server()
        try:
            async with aiohttp.ClientSession() as session:
                assert await (await session.get(str(server.make_url("/")))).text() == "hello"
        finally:
            await server.close()
    assert socket.getaddrinfo("localhost", 80)
    assert socket.getaddrinfo(None, 80)
    left, right = socket.socketpair()
    with left, right:
        left.sendall(b"ok")
        assert right.recv(2) == b"ok"
    assert network_guard.refused == []


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("db.localhost", True),
        (b"127.0.0.1", True),
        (None, True),
        (TEST_NET, False),
        ("10.0.0.1", False),
        ("0.0.0.0", False),
        ("::ffff:192.0.2.1", False),
        ("localhost.example.com", False),
        ("slack.com", False),
    ],
)
def test_what_counts_as_local(host: object, local: bool) -> None:
    assert network_guard.is_local(host) is local
