"""Tests talk to loopback only: any connect or name lookup for another address is refused before it leaves.

Installed for the whole session by tests/conftest.py. asyncio's connections and lookups (and so aiohttp,
slack_sdk, botbuilder, asyncpg) go through the ``socket`` functions patched here.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest


class OutsideNetworkRefused(OSError):
    """A test tried to reach beyond loopback; a subclass of OSError so the code under test sees a network
    failure, while the guard also records it and fails the test."""


# Attempts refused since the last check; the per-test fixture fails the test when it finds any.
refused: list[str] = []


def is_local(host: object) -> bool:
    """Loopback (127.0.0.0/8, ::1), localhost, or no host at all (a listening socket's wildcard)."""
    if host is None or host in ("", b""):
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    name = name.strip("[]").split("%", 1)[0].rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False  # a name only DNS could resolve
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def _refuse(what: str) -> OutsideNetworkRefused:
    message = (
        f"tests may not use the network beyond loopback: {what} (use a loopback double in tests/doubles)"
    )
    refused.append(message)
    return OutsideNetworkRefused(message)


def _checked_address(sock: socket.socket, address: Any, verb: str) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return  # unix sockets and socket pairs stay on this machine
    host = address[0] if isinstance(address, tuple) else address
    if not is_local(host):
        raise _refuse(f"{verb} to {address!r}")


@contextmanager
def guarding() -> Iterator[None]:
    """Patch the socket module for as long as the context lasts."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto
    real_getaddrinfo = socket.getaddrinfo
    real_create_connection = socket.create_connection
    real_gethostbyname = socket.gethostbyname
    real_gethostbyname_ex = socket.gethostbyname_ex

    def connect(self: socket.socket, address: Any) -> None:
        _checked_address(self, address, "connect")
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _checked_address(self, address, "connect")
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *rest: Any) -> int:
        _checked_address(self, rest[-1], "send")
        return real_sendto(self, data, *rest)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not is_local(host):
            raise _refuse(f"name lookup of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        if not is_local(address[0]):
            raise _refuse(f"connect to {address!r}")
        return real_create_connection(address, *args, **kwargs)

    def by_name(real: Callable[[str], Any]) -> Callable[[str], Any]:
        def lookup(host: str) -> Any:
            if not is_local(host):
                raise _refuse(f"name lookup of {host!r}")
            return real(host)

        return lookup

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", connect)
        patch.setattr(socket.socket, "connect_ex", connect_ex)
        patch.setattr(socket.socket, "sendto", sendto)
        patch.setattr(socket, "getaddrinfo", getaddrinfo)
        patch.setattr(socket, "create_connection", create_connection)
        patch.setattr(socket, "gethostbyname", by_name(real_gethostbyname))
        patch.setattr(socket, "gethostbyname_ex", by_name(real_gethostbyname_ex))
        yield
