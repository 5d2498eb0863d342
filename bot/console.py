"""The local console chat: the same router and handlers a platform uses, with numbered options for buttons."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.core import Attachment, Event, EventKind
from bot.router import Router
from cards.model import Action, Form
from cards.text import is_scale, render_text

QUIT_WORDS = {"quit", "exit", "bye", ":q"}
QUIT_FORM = {"cancel", "close", ":q"}
FORM_HELP = "Fill in the form: Enter keeps the value in brackets, '-' empties it, 'cancel' closes the form."
GREETING = 'techpath: ask about the career framework ("help" for ideas, "quit" to leave).'


def _options(actions: list[Action]) -> str:
    return f"Type a number from 1 to {len(actions)}, or ask another question." if actions else ""


def _typed_options(actions: list[Action]) -> str:
    return "You can also type: " + "; ".join(a.label.rstrip("?").lower() for a in actions) + "."


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
        # A form being filled in, one field per line, and the answers so far.
        self._form: Form | None = None
        self._answers: dict[str, str] = {}

    def _event_for(self, line: str) -> Event | None:
        # The console's "account" is the email it speaks as, linked to the directory on first use.
        email = self._user_id if "@" in self._user_id else ""
        base: dict[str, Any] = {
            "platform": "console",
            "tenant": "local",
            "conversation_id": f"console:{self._user_id}",
            "user_id": self._user_id,
            "email": email,
            "private": True,  # a terminal on the person's own machine
        }
        if line.isdigit() and self._options:
            index = int(line) - 1
            if not 0 <= index < len(self._options):
                self._write(f"There is no option {line}. {_options(self._options)}".strip())
                return None
            action = self._options[index]
            return Event(kind=EventKind.ACTION, action_id=action.action_id, value=action.value, **base)
        return Event(kind=EventKind.MESSAGE, text=line, **base)

    async def handle_line(self, line: str) -> None:
        """Answer one line of input: a question, the number of an option, or the next field of a form."""
        event = self._fill(line) if self._form is not None else self._event_for(line.strip())
        if event is None:
            return
        replies = await self._router.dispatch(event)
        # One numbered menu at a time: the last card with options is the menu a typed number picks from;
        # the options of any card before it (the welcome on first contact) are offered by name instead.
        menu = max((i for i, r in enumerate(replies) if r.card.choices or r.card.actions), default=-1)
        if replies:
            self._options = []
        for index, reply in enumerate(replies):
            card = reply.card
            options = [*card.choices, *card.actions]
            if options and index != menu:
                self._write(render_text(card.model_copy(update={"choices": [], "actions": []})))
                self._write(_typed_options(options))
            else:
                self._write(render_text(card))
                if not is_scale(card.choices):  # on a scale, a typed number is the score itself
                    self._options = options
            for attachment in reply.attachments:
                self._write(f"Saved {self._save(attachment)}")
            if card.form is not None:
                self._form, self._answers = card.form, {}
                self._write(FORM_HELP)
                self._ask()

    def _ask(self) -> None:
        assert self._form is not None
        field = self._form.fields[len(self._answers)]
        shown = next((o.label for o in field.options if o.value == field.value), field.value)
        if field.error:
            self._write(f"  ! {field.error}")
        self._write(f"{field.label} [{shown or 'empty'}]")
        if field.options:
            numbered = "; ".join(f"{n}. {o.label}" for n, o in enumerate(field.options, start=1))
            self._write(f"  Type a number: {numbered}.")

    def _fill(self, line: str) -> Event | None:
        """Take the answer to the current field; after the last, the form's submission."""
        assert self._form is not None
        form, answer = self._form, line.strip()
        if answer.lower() in QUIT_FORM:
            self._form = None
            self._write("Form closed; nothing was saved.")
            return None
        field = form.fields[len(self._answers)]
        if answer.isdecimal() and len(answer) < 4 and 1 <= int(answer) <= len(field.options):
            answer = field.options[int(answer) - 1].value  # a numbered option
        self._answers[field.id] = field.value if answer == "" else ("" if answer == "-" else answer)
        if len(self._answers) < len(form.fields):
            self._ask()
            return None
        self._form = None
        event = self._event_for("")
        assert event is not None
        return event.model_copy(
            update={
                "kind": EventKind.ACTION,
                "action_id": form.submit.action_id,
                "value": form.submit.value,
                "inputs": dict(self._answers),
                "text": "",
            }
        )

    def _save(self, attachment: Attachment) -> Path:
        self._exports.mkdir(parents=True, exist_ok=True)
        name = Path(Path(attachment.filename).name)  # never a path the handler chose
        content = attachment.content
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        n = 0
        while True:
            n += 1
            path = self._exports / (name.name if n == 1 else f"{name.stem}-{n}{name.suffix}")
            try:
                # Created new, never over another file (the folder may be shared by everyone who uses this
                # console), and readable by this user only from the start: it is personal data.
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
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
            if line.strip() or self._form is not None:  # in a form, an empty line keeps a value
                await self.handle_line(line)
