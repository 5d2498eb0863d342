"""Hypothesis strategies that mutate recorded payload shapes: keys replaced, removed and added, values of
strange types, numbers no parser holds, deep nesting, odd text, and bytes that are not UTF-8."""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Literal:
    """JSON text put in as written: numbers Python reads as infinity or as thousands of digits, a key given
    twice, nesting deeper than a Python structure could be dumped."""

    text: str

    def __repr__(self) -> str:
        shown = self.text if len(self.text) <= 60 else f"{self.text[:40]}... ({len(self.text)} chars)"
        return f"Literal({shown!r})"


def nested(depth: int, inner: str = "") -> Literal:
    """``inner`` (nothing by default) inside ``depth`` lists."""
    return Literal("[" * depth + inner + "]" * depth)


def dump(value: Any) -> str:
    """JSON text of ``value``, Literals as written and strings as UTF-8 text (lone surrogates included)."""
    if isinstance(value, Literal):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(f"{dump(k)}:{dump(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dump(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def encode(text: str) -> bytes:
    """UTF-8, except that a lone surrogate becomes the three bytes no UTF-8 decoder accepts."""
    return text.encode("utf-8", "surrogatepass")


HUGE_NUMBERS = [
    Literal("1e400"),
    Literal("-1E400"),
    Literal("1e-400"),
    Literal("1" + "0" * 400),
    Literal("-0"),
    Literal("1.0"),
    2**63,
    -(2**63) - 1,
    10**30,
    2**31,
    -1,
    0,
    1.5,
]
ODD_TEXT = [
    "",
    " ",
    "²",
    "٣",
    "\x00",
    "\x7f",
    "\n",
    "\u202e",
    "\ufeff",
    "\ud800",
    "\udfff",
    "😀" * 40,
    "x" * 3000,
    "ß" * 70,
    "İ",
    "\uff21\uff22\uff23",  # full-width ABC
    "..",
    ".",
    "a/b",
    "{x}",
    "%2F",
    "%00",
    "a?b#c",
    "a b",
    "a\\b",
    "null",
    "true",
    "1e400",
    "2020-01-01T00:00:00",
    "yesterday",
    "<@U-ana>",
    "D1",
    "U-ana",
    "T1",
]
# Names the adapters and SDKs read, so that added keys land where they matter.
FIELD_NAMES = [
    "type",
    "subtype",
    "user",
    "user_id",
    "team",
    "team_id",
    "channel",
    "channel_id",
    "channel_type",
    "event",
    "event_id",
    "text",
    "ts",
    "thread_ts",
    "bot_id",
    "actions",
    "action_id",
    "value",
    "selected_option",
    "container",
    "view",
    "callback_id",
    "private_metadata",
    "state",
    "values",
    "command",
    "response_url",
    "trigger_id",
    "is_ephemeral",
    "message",
    "id",
    "name",
    "from",
    "recipient",
    "conversation",
    "conversationType",
    "tenantId",
    "aadObjectId",
    "serviceUrl",
    "channelData",
    "tenant",
    "entities",
    "mentioned",
    "membersAdded",
    "replyToId",
    "techpath_action",
    "choices",
    "choice",
    "action",
    "data",
    "verb",
    "timestamp",
    "",
    "__proto__",
]

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
# Ordinary JSON of any shape, a few levels deep.
_PLAIN = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=3)
    ),
    max_leaves=8,
)
DEPTHS = st.sampled_from([2, 20, 63, 64, 65, 66, 200, 1000, 5000]) | st.integers(1, 130)
# Text most often: a string where a string belongs passes the shape checks and reaches the code behind them.
ODD_VALUES = st.one_of(
    st.sampled_from(ODD_TEXT),
    st.sampled_from(ODD_TEXT),
    st.sampled_from(ODD_TEXT).map(lambda odd: f"U-ana{odd}"),
    st.text(max_size=12),
    st.sampled_from(HUGE_NUMBERS),
    _PLAIN,
    st.builds(nested, DEPTHS),
    st.builds(lambda depth: Literal("{" + '"a":{' * depth + "}" * depth + "}"), DEPTHS),
)


def paths(value: Any, prefix: Path = ()) -> list[Path]:
    """Every place in ``value`` a mutation can reach, the root first."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += paths(item, (*prefix, index))
    return found


def _has(value: Any, path: Path) -> bool:
    try:
        _at(value, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def set_at(tree: Any, path: Path, value: Any) -> None:
    """Put ``value`` at ``path`` in ``tree``, if the place is there."""
    if _has(tree, path[:-1]) and isinstance(_at(tree, path[:-1]), dict):
        _at(tree, path[:-1])[path[-1]] = value


def _at(value: Any, path: Path) -> Any:
    for step in path:
        value = value[step]
    return value


@st.composite
def mutated(
    draw: st.DrawFn,
    tree: Any,
    pinned: dict[Path, st.SearchStrategy[Any]] | None = None,
    most: int = 4,
) -> Any:
    """``tree`` (a copy) after up to ``most`` mutations, each at a place drawn from those it has then.
    First, up to three ``pinned`` places are removed or get a value of their own strategy: fields known to
    matter are mutated often, not once in a hundred requests."""
    tree = json.loads(json.dumps(tree))
    present = [path for path in pinned or {} if _has(tree, path)]
    for path in draw(st.lists(st.sampled_from(present), max_size=3, unique=True)) if present else []:
        if not _has(tree, path) or not isinstance(_at(tree, path[:-1]), dict | list):
            continue  # an earlier change took it away
        if draw(st.integers(0, 3)) == 0:
            del _at(tree, path[:-1])[path[-1]]
        else:
            _at(tree, path[:-1])[path[-1]] = draw((pinned or {})[path])
    # Mostly few changes besides the pinned ones: each further change is likelier to be refused at the edge,
    # and a request refused there reaches none of the code behind it.
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, most]))):
        path = draw(st.sampled_from(paths(tree)))
        kind = draw(st.sampled_from(["replace", "delete", "add", "nest", "twice"]))
        if not path:
            if kind == "replace":
                tree = draw(ODD_VALUES)
            continue
        parent, step = _at(tree, path[:-1]), path[-1]
        if isinstance(parent, Literal):
            continue
        current = parent[step]
        if kind == "replace":
            parent[step] = draw(ODD_VALUES)
        elif kind == "delete":
            del parent[step]
        elif kind == "add" and isinstance(current, dict):
            current[draw(st.sampled_from(FIELD_NAMES) | st.sampled_from(ODD_TEXT))] = draw(ODD_VALUES)
        elif kind == "add" and isinstance(current, list):
            current.append(draw(ODD_VALUES))
        elif kind == "nest" and not isinstance(current, Literal):
            parent[step] = nested(draw(DEPTHS), dump(current))
        elif kind == "twice" and isinstance(current, dict) and current:
            again = draw(st.sampled_from(sorted(current)))
            pairs = [f"{dump(k)}:{dump(v)}" for k, v in current.items()]
            pairs.append(f"{dump(again)}:{dump(draw(ODD_VALUES))}")
            parent[step] = Literal("{" + ",".join(pairs) + "}")
    return tree


@st.composite
def damaged(draw: st.DrawFn, body: bytes) -> bytes:
    """``body``, or now and then the same with bytes that are not UTF-8 put in, or cut short."""
    kind = draw(st.sampled_from(["as is"] * 20 + ["insert", "cut", "bom"]))
    if kind == "insert":
        at = draw(st.integers(0, len(body)))
        junk = draw(
            st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\x80", b"\x00", b"\xf4\x90\x80\x80"])
        )
        return body[:at] + junk + body[at:]
    if kind == "cut":
        return body[: draw(st.integers(0, len(body)))]
    if kind == "bom":
        return b"\xef\xbb\xbf" + body
    return body


# What techpath's buttons carry: a handler's id, and a JSON object of small fields (see cards.model).
ACTION_IDS = [
    "qa.ask",
    "qa.more",
    "qa.pick",
    "assess.start",
    "assess.do",
    "assess.show",
    "assess.export",
    "assess.share",
    "assess.unshare",
    "plan.accept",
    "plan.edit",
    "plan.open",
    "plan.save",
    "privacy.erase",
    "privacy.confirm",
    "privacy.cancel",
    "review.edit",
    "review.save",
    "review.show",
    "assessment.review",
    "assessment.share",
    "bulletin.new",
    "bulletin.save",
    "bulletin.edit",
    "bulletin.post",
    "bulletin.cancel",
    "bulletin.approve",
    "bulletin.return",
    "bulletin.return.save",
    "bulletin.status",
    "bulletin.resend",
    "bulletin.recall",
    "bulletin.recall.yes",
    "nonsense",
]
_VALUE_KEYS = ["a", "k", "v", "c", "s", "f", "i", "n", "o", "q", "text", "person", "issued", "id", "step"]
_FIELD_VALUES = st.one_of(
    st.integers(-3, 3), st.sampled_from(HUGE_NUMBERS), st.sampled_from(ODD_TEXT), st.text(max_size=6), _PLAIN
)
CLICK_VALUES = st.one_of(
    st.builds(dump, st.dictionaries(st.sampled_from(_VALUE_KEYS), _FIELD_VALUES, max_size=6)),
    st.sampled_from(ODD_TEXT),
    st.builds(lambda value: dump(nested(value)), DEPTHS),
)

ODD_IDS = [
    *ODD_TEXT,
    "{x}",
    "%",
    ";",
    "29:ana\x7f",
    "U-ana\x00",
    "\u00fcn\u00ef",
    "x" * 64,
    "x" * 65,
    "x" * 200,
    "x" * 201,
    "19:x@thread.v2;messageid=1",
]
# Printable ASCII passes the adapters' id checks, so its punctuation reaches URLs, keys and the database.
IDS = st.sampled_from(ODD_IDS) | st.text(
    st.sampled_from(string.punctuation + "aZ09"), min_size=1, max_size=10
)


def odd(*usual: Any) -> st.SearchStrategy[Any]:
    """One of the ``usual`` values of a field, or an odd value of any type."""
    return st.sampled_from(usual) | ODD_VALUES if usual else ODD_VALUES
