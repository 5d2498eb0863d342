"""Platform rate limits a loopback double enforces: a token bucket per scope, 429 with Retry-After once one
is empty, and a record of every call that came into a scope before the Retry-After it had been given."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limit:
    """``rate`` calls a second in the long run, up to ``burst`` at once (the platforms allow short bursts)."""

    rate: float
    burst: float


@dataclass(frozen=True)
class Refusal:
    scope: str
    at: float
    until: float  # the time the Retry-After named


@dataclass
class RateLimits:
    """Limits by kind of scope ("channel", "tenant", ...); a scope is one key of that kind ("channel:D1")."""

    limits: dict[str, Limit]
    clock: Callable[[], float] = time.monotonic
    # At least this many seconds in every Retry-After (a platform may ask for longer than the refill takes).
    retry_after_at_least: int = 1
    refusals: list[Refusal] = field(default_factory=list)
    # Calls that reached a scope before the time its last Retry-After named: (scope, at, until).
    early: list[tuple[str, float, float]] = field(default_factory=list)
    admitted: int = 0
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _until: dict[str, float] = field(default_factory=dict)

    def admit(self, scopes: list[tuple[str, str]]) -> int | None:
        """A call counted against ``scopes`` ((scope, kind) pairs): None when it may go (each bucket gives a
        token), else the whole seconds to put in Retry-After (no bucket is charged)."""
        now = self.clock()
        for scope, _ in scopes:
            until = self._until.get(scope)
            if until is not None and now < until:
                self.early.append((scope, now, until))
        short: list[tuple[str, float]] = []
        for scope, kind in scopes:
            limit = self.limits.get(kind)
            if limit is None:
                continue
            tokens, at = self._buckets.get(scope, (limit.burst, now))
            tokens = min(limit.burst, tokens + (now - at) * limit.rate)
            self._buckets[scope] = (tokens, now)
            if tokens < 1:
                short.append((scope, (1 - tokens) / limit.rate))
        if short:
            retry_after = max(self.retry_after_at_least, *(math.ceil(wait) for _, wait in short))
            for scope, _ in short:
                self._until[scope] = now + retry_after
                self.refusals.append(Refusal(scope, now, now + retry_after))
            return retry_after
        for scope, kind in scopes:
            if kind in self.limits:
                tokens, at = self._buckets[scope]
                self._buckets[scope] = (tokens - 1, at)
        self.admitted += 1
        return None


def slack_scopes(method: str, channel: str) -> list[tuple[str, str]]:
    """What a Slack Web API call counts against: chat.postMessage its channel and the workspace's rate for
    the method; the Tier 3 methods the engine calls, the workspace's allowance for that method."""
    if method == "chat.postMessage":
        return [("workspace:chat.postMessage", "workspace"), (f"channel:{channel}", "channel")]
    if method in ("conversations.open", "chat.update", "chat.delete"):
        return [(f"tier3:{method}", "tier3")]
    return []


def teams_scopes(conversation: str) -> list[tuple[str, str]]:
    """A Bot Connector call counts against the app's tenant (one tenant per double) and its conversation."""
    return [("tenant", "tenant"), (f"conversation:{conversation}", "conversation")]
