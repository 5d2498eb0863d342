"""Keep personal data out of the logs, whatever TECHPATH_LOG_LEVEL says.

Several libraries log whole payloads at DEBUG: aiosqlite every statement with its parameters, slack_sdk
every request body, msrest every Bot Connector activity. Those bodies hold assessment scores, evidence and
what people typed, so these loggers are never allowed below INFO.
"""

from __future__ import annotations

import logging

PAYLOAD_LOGGERS = (
    "aiosqlite",
    "asyncpg",
    "sqlalchemy.engine",
    "slack_sdk",
    "slack_bolt",
    "msrest",
    "botbuilder",
    "botframework",
)


def quiet_payload_loggers() -> None:
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.INFO:  # NOTSET (inherit) or DEBUG
            logger.setLevel(logging.INFO)
