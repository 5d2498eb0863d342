"""The local console chat: the same router and handlers a platform uses, with numbered options for buttons."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from bot.router import Router
from cards.model import Action
from cards.text import render_text
from handlers.types import Attachment, Event, EventKind

QUIT_WORDS = {"quit", "exit", "bye", ":q"}
GREETING = 'techpath: ask about the career framework ("help" for ideas, "quit" to leave).'


def _options(actions: list[Action]) -> str:
    return f"Type a number from 1 to {len(actions)}, or ask another question." if actions else ""


class ConsoleChat:
    """One person's conversation in the terminal."""

    def __init__(
        self,
        router: Router,
        user_id: str = "console-user",
        exports: Path = Path("data/exports"),
        write: Callable[[str], None] = print,
    ) -> None:
        self._router = router
        self._user_id = user_id
        self._exports = exports
        self._write = write
        # The numbered options of the last card shown, as the console's stand-in for buttons.
        self._options: list[Action] = []

    def _event_for(self, line: str) -> Event | None:
        # The console's "account" is the email it speaks as, linked to the directory on first use.
        email = self._user_id if "@" in self._user_id else ""
        base = {
            "platform": "console",
            "tenant": "local",
            "conversation_id": f"console:{self._user_id}",
            "user_id": self._user_id,
            "email": email,
        }
        if line.isdigit():
            index = int(line) - 1
            if not 0 <= index < len(self._options):
                self._write(f"There is no option {line}. {_options(self._options)}".strip())
                return None
            action = self._options[index]
            return Event(kind=EventKind.ACTION, action_id=action.action_id, value=action.value, **base)
        return Event(kind=EventKind.MESSAGE, text=line, **base)

    async def handle_line(self, line: str) -> None:
        """Answer one line of input: a question, or the number of an option."""
        event = self._event_for(line.strip())
        if event is None:
            return
        for reply in await self._router.dispatch(event):
            self._write(render_text(reply.card))
            for attachment in reply.attachments:
                self._write(f"Saved {self._save(attachment)}")
            options = [*reply.card.choices, *reply.card.actions]
            if options:
                self._options = options

    def _save(self, attachment: Attachment) -> Path:
        self._exports.mkdir(parents=True, exist_ok=True)
        path = self._exports / Path(attachment.filename).name  # never a path the handler chose
        content = attachment.content
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        path.chmod(0o600)  # personal data: readable by this user only
        return path.resolve()

    async def run(self, read: Callable[[str], str] = input, echo: bool = False) -> None:
        """Read lines until end of input or a quit word; ``echo`` repeats piped input for a readable log."""
        self._write(GREETING)
        while True:
            try:
                line = await asyncio.to_thread(read, "\nyou> ")
            except EOFError:
                self._write("")
                return
            if echo:
                self._write(line)
            if line.strip().lower() in QUIT_WORDS:
                return
            if line.strip():
                await self.handle_line(line)
