"""Coordinators define and look after windows in chat: a form checked exactly as an import file is, a
confirmation, the list, edit, delete and status. Every button is checked again against who clicks it."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot import bounded_json
from bot.claims import words
from bot.core import PRIVATE_ONLY, STALE_ACTION, Context, Event, Reply, clicked_int
from bot.storage.stores import Stores
from bot.storage.windows import WindowRecord
from bot.windows_import import WindowSpec, check_window
from bot.windows_schedule import replan
from bot.windows_status import window_status
from bot.working_time import InstitutionCalendar
from cards.model import Card, Section
from framework_data.catalogue import Catalogue
from handlers.authz import COORDINATOR_ONLY
from handlers.windows import manage_cards as cards
from handlers.windows.audience import audience
from handlers.windows.cards import status_card
from handlers.windows.form import BLANK, as_file_entry, by_field, key_for, typed, values_of, window_form
from handlers.windows.mine import eligible_windows

DRAFT = "window_draft"  # in the conversation's state: the form as last typed, and its check
NEW_WORDS = words(
    *("window", "new window", "add a window", "add window", "create a window"),
    *("new promotion window", "add a promotion window", "create a promotion window"),
    *("new deadline", "add a deadline", "new programme deadline", "add a programme deadline"),
)
LIST_WORDS = words(
    *("windows", "my windows", "list windows", "list my windows", "show windows", "show my windows"),
    *("all windows", "window list"),
)
NOT_COORDINATOR = COORDINATOR_ONLY.model_copy(
    update={
        "sections": [
            *COORDINATOR_ONLY.sections,
            Section(
                note="Your directory entry does not have the coordinator role; an admin can add it "
                "(the bot_roles column of the people file)."
            ),
        ]
    }
)
UNKNOWN_PERSON = cards.note(
    "I don't know who you are yet", "Ask your coordinator to add you to the directory, then try again."
)
NO_DRAFT = cards.note(
    "That confirmation is out of date", "Nothing was saved. Open the window again, or say 'new window'."
)


def _clicked_window(event: Event) -> int | None:
    try:
        fields = bounded_json.loads(event.value)
    except ValueError:
        return None
    return clicked_int(fields.get("w"), minimum=0) if isinstance(fields, dict) else None


def _token(event: Event) -> int | None:
    try:
        fields = bounded_json.loads(event.value)
    except ValueError:
        return None
    return clicked_int(fields.get("t"), minimum=1) if isinstance(fields, dict) else None


class WindowDesk:
    """The coordinator's side of the feature, over the institution's calendar and a clock."""

    def __init__(
        self, catalogue: Catalogue, calendar: InstitutionCalendar, clock: Callable[[], datetime]
    ) -> None:
        self.catalogue = catalogue
        self.calendar = calendar
        self.clock = clock

    # --- who may ---------------------------------------------------------------------------------------

    def _refused(self, event: Event, ctx: Context, form: bool = False) -> Card | None:
        """Why this person may not do this here, or None. A form may open from a Slack command anywhere
        (as a modal only they see); everything else happens in a one-to-one chat."""
        if ctx.stores is None or ctx.person is None:
            return UNKNOWN_PERSON
        if not ctx.person.is_coordinator:
            return NOT_COORDINATOR
        if not (event.private or (form and event.trigger_id)):
            return PRIVATE_ONLY
        return None

    async def _window(self, event: Event, ctx: Context, deleted_too: bool = False) -> WindowRecord | Card:
        """The window a button names (a replayed or altered value finds none)."""
        window_id = _clicked_window(event)
        if not window_id or ctx.stores is None:
            return STALE_ACTION
        window = await ctx.stores.windows.get(window_id)
        if window is None:
            return STALE_ACTION
        if window.deleted and not deleted_too:
            return cards.note(f"{window.name} was deleted", "Nothing more is sent about it.")
        return window

    # --- the form --------------------------------------------------------------------------------------

    async def on_new_message(self, event: Event, ctx: Context) -> list[Reply]:
        refused = self._refused(event, ctx, form=True)
        if refused is not None:
            return [Reply(card=refused)]
        if (ctx.state.get(DRAFT) or {}).get("w") == 0:
            ctx.state.pop(DRAFT, None)  # asked afresh: a fresh form
        return [self._form_reply(0, dict(BLANK))]

    def _form_reply(
        self, window_id: int, values: dict[str, str], problems: dict[str, str] | None = None
    ) -> Reply:
        intro = (
            "Change what you need, then review it. Nothing is saved until you confirm."
            if window_id
            else "A promotion or regrading round, an increment round, a programme intake or an award "
            "deadline. Fill in the form, then review it; nothing is saved until you confirm."
        )
        card = Card(
            title="Edit a window" if window_id else "New promotion window or deadline",
            sections=[Section(text=intro)],
            form=window_form(window_id, values, problems),
        )
        return Reply(card=card)

    async def on_form(self, event: Event, ctx: Context) -> list[Reply]:
        refused = self._refused(event, ctx, form=True)
        if refused is not None:
            return [Reply(card=refused)]
        window_id = _clicked_window(event)
        if window_id is None:
            return [Reply(card=STALE_ACTION)]
        draft = ctx.state.get(DRAFT) or {}
        kept = draft if draft.get("w") == window_id else None
        if window_id == 0:
            values = dict(kept["values"]) if kept else dict(BLANK)
            return [self._form_reply(0, values, kept.get("problems") if kept else None)]
        window = await self._window(event, ctx)
        if isinstance(window, Card):
            return [Reply(card=window)]
        values = dict(kept["values"]) if kept else values_of(window, self.catalogue.primary)
        return [self._form_reply(window.id, values, kept.get("problems") if kept else None)]

    async def _checked(
        self, stores: Stores, values: dict[str, str], key: str
    ) -> tuple[WindowSpec | None, dict[str, str]]:
        entry = as_file_entry(values, key)
        spec, problems = check_window(entry, self.catalogue.primary, await stores.people.departments())
        return spec, by_field(problems)

    async def on_check(self, event: Event, ctx: Context) -> list[Reply]:
        refused = self._refused(event, ctx)
        if refused is not None or ctx.stores is None:
            return [Reply(card=refused or STALE_ACTION)]
        window_id = _clicked_window(event)
        if window_id is None:
            return [Reply(card=STALE_ACTION)]
        existing = await self._window(event, ctx) if window_id else None
        if isinstance(existing, Card):
            return [Reply(card=existing)]
        values = typed(event.inputs)
        key = existing.key if existing else key_for(values["name"])
        spec, problems = await self._checked(ctx.stores, values, key)
        if spec is None:
            ctx.state[DRAFT] = {"w": window_id, "t": 0, "values": values, "problems": problems}
            card = cards.problems_card(problems, editing=bool(window_id))
            return [Reply(card=card.model_copy(update={"form": window_form(window_id, values, problems)}))]
        token = secrets.randbelow(2**31 - 2) + 1
        ctx.state[DRAFT] = {"w": window_id, "t": token, "values": values, "problems": {}}
        return [Reply(card=await self._confirmation(ctx.stores, spec, window_id, token))]

    async def _confirmation(self, stores: Stores, spec: WindowSpec, window_id: int, token: int) -> Card:
        record = cards.record_of(spec, window_id)
        found = audience(record, await stores.people.all(), self.catalogue)
        eligible = (len(found.eligible), len(found.by_manager))
        reminders = cards.planned(record, self.calendar, self.clock())
        return cards.confirmation(record, token, eligible, reminders, editing=bool(window_id))

    async def on_save(self, event: Event, ctx: Context) -> list[Reply]:
        refused = self._refused(event, ctx)
        stores, person = ctx.stores, ctx.person
        if refused is not None or stores is None or person is None:
            return [Reply(card=refused or STALE_ACTION)]
        window_id, draft = _clicked_window(event), ctx.state.get(DRAFT) or {}
        if (
            window_id is None
            or draft.get("w") != window_id
            or not draft.get("t")
            or draft["t"] != _token(event)
        ):
            return [Reply(card=NO_DRAFT)]
        existing = await self._window(event, ctx) if window_id else None
        if isinstance(existing, Card):
            ctx.state.pop(DRAFT, None)
            return [Reply(card=existing)]
        values = dict(draft["values"])
        key = existing.key if existing else key_for(values["name"])
        # Checked again: the directory (its departments) may have changed since the review.
        spec, problems = await self._checked(stores, values, key)
        if spec is None:
            ctx.state[DRAFT] = {"w": window_id, "t": 0, "values": values, "problems": problems}
            card = cards.problems_card(problems, editing=bool(window_id))
            return [Reply(card=card.model_copy(update={"form": window_form(window_id, values, problems)}))]
        async with stores.database.unit_of_work():
            if existing is None:
                record, outcome = await stores.windows.create(spec), "added"
            else:
                [(record, outcome)] = await stores.windows.save([spec])
            await replan(stores.windows, record, self.calendar, self.clock(), outcome)
            action = "window.create" if existing is None else "window.edit"
            await stores.audit.record(person.email, action, f"window:{record.id}", outcome)
        ctx.state.pop(DRAFT, None)
        notice = {
            "added": "Saved. Its reminders go at the times below.",
            "rescheduled": "Saved. Reminders not yet sent now follow the new dates.",
            "updated": "Saved. Reminders still to come will say what it says now.",
            "unchanged": "Nothing had changed.",
        }[outcome]
        return [Reply(card=await self._window_card(stores, record, notice), replace_original=True)]

    async def on_cancel(self, event: Event, ctx: Context) -> list[Reply]:
        refused = self._refused(event, ctx)
        if refused is not None:
            return [Reply(card=refused)]
        draft = ctx.state.get(DRAFT) or {}
        if draft.get("w") == _clicked_window(event) and draft.get("t") == _token(event):
            ctx.state.pop(DRAFT, None)
        return [Reply(card=cards.note("Cancelled", "Nothing was saved."), replace_original=True)]

    # --- the list, one window, its status, deleting it -------------------------------------------------

    async def _window_card(self, stores: Stores, window: WindowRecord, notice: str = "") -> Card:
        upcoming = (await stores.windows.scheduled_slots([window.id]))[window.id]
        return cards.window_card(window, upcoming, self.calendar, notice)

    async def on_list_message(self, event: Event, ctx: Context) -> list[Reply]:
        if ctx.stores is not None and ctx.person is not None and not ctx.person.is_coordinator:
            # Anyone else asking for "my windows" means the ones they are eligible for.
            return [
                Reply(
                    card=await eligible_windows(
                        ctx.stores, ctx.person, self.catalogue, self.calendar, self.clock()
                    )
                )
            ]
        return await self._list(event, ctx, 1)

    async def on_list(self, event: Event, ctx: Context) -> list[Reply]:
        try:
            fields: Any = bounded_json.loads(event.value)
        except ValueError:
            fields = None
        page = clicked_int(fields.get("p"), minimum=1) if isinstance(fields, dict) else None
        if page is None:
            return [Reply(card=STALE_ACTION)]
        return await self._list(event, ctx, page)

    async def _list(self, event: Event, ctx: Context, page: int) -> list[Reply]:
        refused = self._refused(event, ctx)
        if refused is not None or ctx.stores is None:
            return [Reply(card=refused or STALE_ACTION)]
        windows = await ctx.stores.windows.all()
        upcoming = await ctx.stores.windows.scheduled_slots([w.id for w in windows])
        counts = {window_id: len(slots) for window_id, slots in upcoming.items()}
        # Those with reminders to come first, soonest opening first; the rest (past) after them.
        ordered = sorted(windows, key=lambda w: (not counts.get(w.id), w.opens, w.id))
        return [Reply(card=cards.list_card(ordered, page, counts))]

    async def on_show(self, event: Event, ctx: Context) -> list[Reply]:
        refused = self._refused(event, ctx)
        if refused is not None or ctx.stores is None:
            return [Reply(card=refused or STALE_ACTION)]
        window = await self._window(event, ctx)
        if isinstance(window, Card):
            return [Reply(card=window)]
        return [Reply(card=await self._window_card(ctx.stores, window))]

    async def on_status(self, event: Event, ctx: Context) -> list[Reply]:
        refused = self._refused(event, ctx)
        if refused is not None or ctx.stores is None:
            return [Reply(card=refused or STALE_ACTION)]
        window = await self._window(event, ctx, deleted_too=True)
        if isinstance(window, Card):
            return [Reply(card=window)]
        status = await window_status(ctx.stores, window)
        return [Reply(card=status_card(status, self.calendar.local_date(self.clock())))]

    async def on_delete(self, event: Event, ctx: Context) -> list[Reply]:
        refused = self._refused(event, ctx)
        if refused is not None or ctx.stores is None:
            return [Reply(card=refused or STALE_ACTION)]
        window = await self._window(event, ctx)
        if isinstance(window, Card):
            return [Reply(card=window)]
        return [Reply(card=cards.delete_card(window, await ctx.stores.windows.scheduled_count(window.id)))]

    async def on_delete_confirmed(self, event: Event, ctx: Context) -> list[Reply]:
        refused = self._refused(event, ctx)
        stores, person = ctx.stores, ctx.person
        if refused is not None or stores is None or person is None:
            return [Reply(card=refused or STALE_ACTION)]
        window = await self._window(event, ctx)
        if isinstance(window, Card):
            return [Reply(card=window)]
        async with stores.database.unit_of_work():
            cancelled = await stores.windows.delete(window.id)
            await stores.audit.record(
                person.email, "window.delete", f"window:{window.id}", f"cancelled={cancelled}"
            )
        text = (
            f"Nothing more is sent about it: {cancelled} reminder(s) and reminder date(s) not yet sent "
            "were cancelled."
        )
        card = cards.note(f"Deleted {window.name}", text, [cards.window_actions(0)[-1]])
        return [Reply(card=card, replace_original=True)]
