"""Keep personal data out of the logs, whatever TECHPATH_LOG_LEVEL says.

Several libraries log whole payloads at DEBUG: aiosqlite every statement with its parameters, slack_sdk
every request body, msrest every Bot Connector activity, and SQLAlchemy echoes its SQL at INFO. Those
bodies hold assessment scores, evidence and what people typed, so these loggers only ever pass warnings
and errors, even when TECHPATH_LOG_LEVEL=DEBUG opens up the bot's own.
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
        if logger.level < logging.WARNING:  # NOTSET (inherit), DEBUG or INFO
            logger.setLevel(logging.WARNING)
