"""Conversation state, loaded, handled and saved under a lock that holds across replicas."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from bot.locks import KeyedLocks
from bot.storage.database import Database
from bot.storage.tables import ConversationState, utcnow


class StateBox:
    """A conversation's state as a plain dict; saved only when a handler changed it."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self._original = json.dumps(data, sort_keys=True)

    @property
    def changed(self) -> bool:
        return json.dumps(self.data, sort_keys=True) != self._original


class StateConflict(Exception):
    """Another process saved this conversation's state during the turn (only on a shared SQLite file)."""


class ConversationStore:
    """One turn at a time per conversation: an in-process lock, plus a PostgreSQL advisory lock so that two
    replicas handling two clicks of one conversation take turns too. The state is read and written in short
    transactions, so a handler's own writes never wait on the turn; a version check catches the impossible."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._local_lock = KeyedLocks()

    @asynccontextmanager
    async def _replica_lock(self, conversation_id: str) -> AsyncIterator[None]:
        if self._db.dialect != "postgresql":
            yield
            return
        key = {"key": conversation_id}
        async with self._db.turn_lock_connection() as connection:
            # The lock pool's connections are in autocommit: a session-level lock needs no transaction.
            await connection.execute(_LOCK, key)
            try:
                yield
            finally:
                await connection.execute(_UNLOCK, key)

    @asynccontextmanager
    async def turn(self, conversation_id: str, person_id: int | None) -> AsyncIterator[StateBox]:
        """Hold the conversation for one turn; the state is saved when the block exits without an error."""
        async with self._local_lock(conversation_id), self._replica_lock(conversation_id):
            found = await self._db.fetch(_STATE, {"conversation_id": conversation_id})
            version = found[0].version if found else None
            box = StateBox(dict(found[0].data) if found else {})
            yield box
            if box.changed:
                await self._save(conversation_id, person_id, box.data, version)

    async def _save(
        self, conversation_id: str, person_id: int | None, data: dict[str, Any], version: int | None
    ) -> None:
        if not data:
            # An empty state is no state: nothing personal is left behind.
            await self._db.write(_DELETE, {"conversation_id": conversation_id})
            return
        if version is None:
            try:
                await self._db.write(
                    _INSERT, {"conversation_id": conversation_id, "person_id": person_id, "data": data}
                )
            except IntegrityError as exc:
                raise StateConflict(conversation_id) from exc
            return
        result = await self._db.write(
            _UPDATE,
            {
                "saved_conversation": conversation_id,
                "old_version": version,
                "data": data,
                "new_version": version + 1,
                "updated_at": utcnow(),
            },
        )
        if result.rowcount != 1:
            raise StateConflict(conversation_id)

    async def load(self, conversation_id: str) -> dict[str, Any]:
        found = await self._db.fetch(_STATE, {"conversation_id": conversation_id})
        return dict(found[0].data) if found else {}


# Run for every turn: built once (building a statement costs more than SQLite takes to run it).
_STATE = select(ConversationState.data, ConversationState.version).where(
    ConversationState.conversation_id == bindparam("conversation_id")
)
_INSERT = insert(ConversationState).values(
    conversation_id=bindparam("conversation_id"), person_id=bindparam("person_id"), data=bindparam("data")
)
_UPDATE = (
    update(ConversationState)
    .where(
        ConversationState.conversation_id == bindparam("saved_conversation"),
        ConversationState.version == bindparam("old_version"),
    )
    .values(data=bindparam("data"), version=bindparam("new_version"), updated_at=bindparam("updated_at"))
)
_DELETE = delete(ConversationState).where(ConversationState.conversation_id == bindparam("conversation_id"))
_LOCK = text("SELECT pg_advisory_lock(hashtextextended(:key, 0))")
_UNLOCK = text("SELECT pg_advisory_unlock(hashtextextended(:key, 0))")
