"""What a failed Bot Connector call means for a delivery: the engine's error, from the status and the body's
error.code (botbuilder's client raises without telling them apart)."""

from __future__ import annotations

from bot.outbox.notifier import DeliveryError, RateLimited, Rejected, Retryable, Unreachable

# error.code values (and the 403 texts) after which this person cannot be reached here until they act.
PERSON_GONE = {
    "ConversationBlockedByUser",
    "BotNotInConversationRoster",
    "BotDisabledByAdmin",
    "ServiceError: Bot is not installed in user's personal scope",
}
_RETRY_STATUS = {412, 429, 502, 503, 504}
_UNKNOWN_STATUS = {502, 504}


def connector_failure(error: BaseException, scope: str) -> DeliveryError | None:
    """The delivery error a Bot Connector failure amounts to, ``scope`` naming what a 429 throttles; None
    when ``error`` carries no HTTP status (not a Bot Connector answer)."""
    status, code = status_and_code(error)
    if status is None:
        return None
    if status == 429:
        return RateLimited(_retry_after(error), scope)
    if status == 403 and (code in PERSON_GONE or "not installed" in code.lower()):
        return Unreachable(code or "forbidden")
    if status in _RETRY_STATUS:
        return Retryable(f"http_{status}", unknown=status in _UNKNOWN_STATUS)
    return Rejected(code or f"http_{status}")


def status_and_code(error: BaseException) -> tuple[int | None, str]:
    """The HTTP status and the body's error.code of a Bot Connector failure (msrest hides both)."""
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    body = getattr(error, "error", None)
    detail = getattr(body, "error", None)
    code = str(getattr(detail, "code", "") or "")
    return (int(status) if status is not None else None), code


def _retry_after(error: BaseException) -> float:
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    try:
        return max(0.0, float(headers.get("Retry-After", "1")))
    except (TypeError, ValueError):
        return 1.0
