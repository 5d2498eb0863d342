"""Checks of a platform request before any SDK parses it: UTF-8 text, JSON within bounds, fields of the
shape the adapter and its SDK read. Each failure is a short reason for a 400, not an exception later."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias
from urllib.parse import SplitResult, urlsplit

from aiohttp import web

from bot import bounded_json
from bot.bounded_json import UnsafeJSON

# Ids end up in database keys of bounded width (conversation ids are "platform:tenant:conversation").
MAX_ID_LENGTH = 64
_UTF8 = {"utf-8", "utf8"}


class BadPayload(Exception):
    """What was wrong with a request, in a few words a developer can act on."""


def refusal(problem: BadPayload) -> web.Response:
    return web.json_response({"error": str(problem)}, status=400)


def utf8_text(body: bytes, charset: str | None) -> str:
    """The body as text: both platforms send UTF-8, and the signatures are over those bytes."""
    if charset is not None and charset.lower() not in _UTF8:
        raise BadPayload("the body must be UTF-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadPayload("the body is not valid UTF-8") from None


def json_object(text: str) -> dict[str, Any]:
    """A JSON object, read by bot.bounded_json's rules."""
    try:
        value = bounded_json.loads(text)
    except UnsafeJSON as problem:
        raise BadPayload(str(problem)) from None
    except ValueError:
        raise BadPayload("the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise BadPayload("the body must be a JSON object")
    return value


def web_address(url: str) -> SplitResult | None:
    """``url`` taken apart if it is an absolute http(s) URL that an HTTP client can use as written: printable
    ASCII (urlsplit quietly drops leading control characters, a client does not), with a host and a port
    that is a number."""
    if not url.isascii() or not url.isprintable() or " " in url:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError unless the port is a number in range
    except ValueError:
        return None
    return parts if parts.scheme in ("http", "https") and parts.hostname else None


@dataclass(frozen=True)
class Text:
    """A string, of at most ``limit`` characters when given, and all of it matching ``pattern``."""

    limit: int | None = None
    pattern: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Required:
    """A field that must be present."""

    shape: Shape


@dataclass(frozen=True)
class Each:
    """An object with keys of any name (ids chosen elsewhere), each value of ``shape``."""

    shape: Shape


# A shape: a Python type (str, bool, int, dict, list), None (null), Text, a mapping of field names to shapes
# (an object whose fields, where present, have those shapes; other fields are not read, so not checked),
# Each, a one-item list (a list of that shape), or a tuple of alternatives. Null is refused where a shape
# does not allow it: the SDKs read some fields as ``body.get(name, {})``, which a null defeats.
Shape: TypeAlias = (
    type | Text | Required | Each | Mapping[str, "Shape"] | list["Shape"] | tuple["Shape", ...] | None
)
# Ids are printable ASCII on both platforms ("U024BE7LH", "1700000100.000100", "29:1a2b..."): anything else,
# a NUL above all, is refused here rather than by PostgreSQL, which cannot store a NUL in text.
ID = Text(MAX_ID_LENGTH, re.compile(r"[!-~]*"))
MAX_REASON = 200


def check_shape(value: Any, shape: Shape, where: str) -> None:
    """Raise BadPayload naming the first field of ``value`` that does not have the ``shape`` given."""
    if isinstance(shape, Required):
        shape = shape.shape
    if not _fits(value, shape):
        raise BadPayload(f"{where} must be {_describe(shape)}"[:MAX_REASON])
    if isinstance(shape, tuple):
        shape = next(s for s in shape if _fits(value, s))
    if isinstance(shape, Each):
        for name, item in value.items():
            check_shape(item, shape.shape, f"{where}.{name}")
    elif isinstance(shape, Mapping):
        for name, field in shape.items():
            if name in value:
                check_shape(value[name], field, f"{where}.{name}")
            elif isinstance(field, Required):
                raise BadPayload(f"{where}.{name} is missing")
    elif isinstance(shape, list):
        for index, item in enumerate(value):
            check_shape(item, shape[0], f"{where}[{index}]")


def _fits(value: Any, shape: Shape) -> bool:
    """Whether ``value`` has the outer type of ``shape`` (its fields are checked by check_shape)."""
    if isinstance(shape, Required):
        return _fits(value, shape.shape)
    if shape is None:
        return value is None
    if isinstance(shape, Text):
        return (
            isinstance(value, str)
            and (shape.limit is None or len(value) <= shape.limit)
            and (shape.pattern is None or shape.pattern.fullmatch(value) is not None)
        )
    if isinstance(shape, Mapping | Each):
        return isinstance(value, dict)
    if isinstance(shape, list):
        return isinstance(value, list)
    if isinstance(shape, tuple):
        return any(_fits(value, s) for s in shape)
    if shape is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, shape)


def _describe(shape: Shape) -> str:
    if isinstance(shape, Required):
        return _describe(shape.shape)
    if shape is None:
        return "null"
    if isinstance(shape, Text):
        described = "a string" if shape.limit is None else f"a string of at most {shape.limit} characters"
        return described + (" of the form of an id" if shape.pattern else "")
    if isinstance(shape, Mapping | Each) or shape is dict:
        return "an object"
    if isinstance(shape, list) or shape is list:
        return "a list"
    if isinstance(shape, tuple):
        return " or ".join(_describe(s) for s in shape)
    return {str: "a string", bool: "true or false", int: "a whole number"}.get(shape, "something else")
