"""Every button of a finished assessment, typed in the person's own words: "share with my manager", "stop
sharing", "accept the suggestions", and a manager's "show ana costa" or "add my view for ana".

A typed command finds the assessment the button would have named and runs that button's own handler, so
typing and clicking check the same things and do the same thing.
"""

from __future__ import annotations

import re

from bot.claims import PhraseTest, as_typed, spoken
from bot.core import Context, Event, Handler, Reply
from bot.storage.assessments import AssessmentRecord
from bot.storage.people import PersonRecord
from cards.model import Action, Card, Section
from framework_data.vocabulary import Vocabulary
from handlers.assessment.buttons import ident_value
from handlers.assessment.cards import start_action
from handlers.assessment.conversation import on_start, on_start_message
from handlers.assessment.export import on_download_message
from handlers.assessment.history import on_show
from handlers.assessment.plan import on_accept
from handlers.assessment.present import WHO_ARE_YOU
from handlers.assessment.sharing import REVIEW_EDIT, on_review_edit, on_share, on_side_by_side, on_unshare

_MY = r"(?:my\s+|the\s+|this\s+|it\s+)?"
_ASSESSMENT = r"(?:(?:self[\s-]?)?assessment|results|scores)"
_MANAGER = r"(?:my\s+)?(?:manager|line\s+manager|boss)"
SHARE = re.compile(
    rf"^(?:share|send)\s+(?:{_MY}{_ASSESSMENT}\s+|it\s+)?(?:with|to)\s+{_MANAGER}$"
    rf"|^share\s+{_MY}{_ASSESSMENT}$|^share\s+it$"
)
UNSHARE = re.compile(
    rf"^(?:stop|end)\s+sharing(?:\s+{_MY}{_ASSESSMENT}|\s+it)?(?:\s+with\s+{_MANAGER})?$"
    rf"|^un-?share(?:\s+{_MY}{_ASSESSMENT}|\s+it)?$|^don'?t share(?:\s+it)?(?:\s+any\s?more)?$"
)
MANAGERS_VIEW = re.compile(
    r"^(?:show\s+(?:me\s+)?)?(?:my\s+)?manager'?s\s+(?:view|scores|comments?|feedback)$"
    r"|^(?:show\s+)?(?:me\s+)?(?:the\s+)?side\s+by\s+side$|^what did my manager (?:say|think)$"
)
REVIEW = re.compile(
    r"^(?:add|give|edit|change|update|write)\s+my\s+(?:view|review|scores|feedback)"
    r"(?:\s+(?:for|of|to|on)\s+(?P<name>[a-z][\w' .-]*?))?(?:'s)?(?:\s+(?:self[\s-]?)?assessment)?$"
    r"|^review\s+(?P<review_name>[a-z][\w' .-]*?)(?:'s)?(?:\s+(?:self[\s-]?)?assessment)?$"
)
ACCEPT = re.compile(
    r"^(?:accept|use|keep|save)\s+(?:the\s+|those\s+|these\s+)?(?:suggestions|suggested plan)$"
)
DOWNLOAD = re.compile(
    r"^(?:download|export)(?:\s+it|\s+that)?(?:\s+as)?(?:\s+(?:a|the))?\s*(?P<format>word|docx|csv|spreadsheet)?"
    r"(?:\s+(?:file|document|version))?$"
)
LATEST = re.compile(
    r"^(?:show\s+(?:me\s+)?|open\s+|see\s+)?(?:my\s+)?(?:last|latest|most\s+recent|previous)\s+"
    r"(?:self[\s-]?)?(?:assessment|results|scores|summary)$|^my\s+(?:results|scores|summary)$"
)
START_AFRESH = re.compile(
    r"^start\s+(?:a\s+)?(?:new|fresh)(?:\s+one|\s+(?:self[\s-]?)?assessment)?$"
    r"|^(?:discard|drop|bin)\s+it\s+and\s+start\s+(?:again|afresh|over)$"
)
# "show ana costa", "view ana's assessment": the words after the verb must be a name, not a framework
# question ("show grade 7", "view lab manager"), which the handler's test below checks with the vocabulary.
SHOW_PERSON = re.compile(
    r"^(?:show|view|open|see)\s+(?:me\s+)?(?P<name>[a-z][a-z'.-]*(?:\s+[a-z][a-z'.-]*){0,3}?)"
    r"(?:'s)?(?:\s+(?:self[\s-]?)?assessment|\s+scores)?$"
)
_NOT_NAMES = frozenset(
    "me my mine the a an all any every more less it this that them what which how why who when where "
    "help everything something anything nothing team reports report assessments assessment history "
    "plan pdp data profile details results scores".split()
)


def names_a_person(vocabulary: Vocabulary) -> PhraseTest:
    """A phrase test: "show NAME" where NAME has no framework word in it (so "show lab manager" is a
    framework question and "show ana costa" a manager asking for a report)."""

    def test(text: str) -> bool:
        match = SHOW_PERSON.match(text)
        if match is None:
            return False
        for word in match.group("name").replace("'s", "").split():
            if word in _NOT_NAMES or vocabulary.correct(word) in vocabulary.words:
                return False
        return True

    return test


def _button(event: Event, record: AssessmentRecord) -> Event:
    """The event a click on the button for ``record`` would have sent."""
    return event.model_copy(update={"value": ident_value((record.id, record.key))})


async def _latest_finished(ctx: Context) -> AssessmentRecord | None:
    assert ctx.person is not None and ctx.stores is not None
    done = await ctx.stores.assessments.completed_for(ctx.person.id)
    return done[0] if done else None


def _none_finished(what: str) -> Card:
    return Card(
        title="You have no finished self-assessment",
        sections=[Section(text=f"There is nothing to {what} yet. Say “start self-assessment” to do one.")],
    )


def on_latest_finished(button: Handler, what: str) -> Handler:
    """A typed command that clicks ``button`` on the person's latest finished assessment."""

    async def handle(event: Event, ctx: Context) -> list[Reply]:
        if ctx.person is None or ctx.stores is None:
            return [Reply(card=WHO_ARE_YOU)]
        record = await _latest_finished(ctx)
        if record is None:
            return [Reply(card=_none_finished(what))]
        return as_typed(await button(_button(event, record), ctx))

    return handle


def on_latest_shared(button: Handler, nothing_shared: Card) -> Handler:
    """A typed command that clicks ``button`` on the person's latest shared assessment."""

    async def handle(event: Event, ctx: Context) -> list[Reply]:
        if ctx.person is None or ctx.stores is None:
            return [Reply(card=WHO_ARE_YOU)]
        record = await ctx.stores.assessments.latest_shared(ctx.person.id)
        if record is None:
            return [Reply(card=nothing_shared)]
        return as_typed(await button(_button(event, record), ctx))

    return handle


NOTHING_SHARED = Card(
    title="Nothing is shared",
    sections=[Section(text="None of your self-assessments is shared with your manager.")],
)
NO_MANAGERS_VIEW = Card(
    title="Your manager has no view yet",
    sections=[
        Section(
            text="Your manager sees a self-assessment only once you share it: say “share with my "
            "manager” after finishing one."
        )
    ],
)
on_share_typed = on_latest_finished(on_share, "share")
on_accept_typed = on_latest_finished(on_accept, "plan")
# "my last assessment": the summary of the latest finished one, as its Show button gives it.
on_latest_typed = on_latest_finished(on_show, "show")
on_unshare_typed = on_latest_shared(on_unshare, NOTHING_SHARED)
on_managers_view_typed = on_latest_shared(on_side_by_side, NO_MANAGERS_VIEW)


async def on_download_typed(event: Event, ctx: Context) -> list[Reply]:
    """ "download as csv", "download it": the download of the latest finished assessment."""
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    match = DOWNLOAD.match(spoken(event.text))
    kind = match.group("format") if match and match.group("format") else "word"
    canonical = event.model_copy(update={"text": f"download my assessment as {kind}"})
    replies = await on_download_message(canonical, ctx)
    return replies if replies is not None else [Reply(card=_none_finished("download"))]


async def on_start_afresh_typed(event: Event, ctx: Context) -> list[Reply]:
    """ "start a new one": the "Start a new one" button, for the role of the assessment it discards (or
    the person's own role when none is open)."""
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    loaded = ctx.catalogue.primary
    open_record = await ctx.stores.assessments.open_for(ctx.person.id)
    if open_record is not None:
        ref = f"{open_record.framework_id}:{open_record.role_id}"
        replacing: tuple[int, str] | None = (open_record.id, open_record.key)
    elif ctx.person.role_id in loaded.roles:
        ref, replacing = f"{loaded.id}:{ctx.person.role_id}", None
    else:
        return await on_start_message(event.model_copy(update={"text": "start self-assessment"}), ctx)
    button = start_action("Start a new one", ref, fresh=open_record is not None, replacing=replacing)
    return as_typed(await on_start(event.model_copy(update={"value": button.value}), ctx))


def _named(reports: list[PersonRecord], name: str) -> list[PersonRecord]:
    """Reports whose full name, or first name, is ``name``."""
    name = " ".join(name.lower().replace("'s", "").split())
    exact = [r for r in reports if r.display_name.lower() == name]
    return exact or [r for r in reports if r.display_name.lower().split()[:1] == [name]]


async def _report_named(ctx: Context, name: str) -> tuple[PersonRecord, AssessmentRecord] | Card:
    """The report called ``name`` and the assessment they share with the person, or why not."""
    assert ctx.person is not None and ctx.stores is not None
    reports = await ctx.stores.people.reports_of(ctx.person)
    found = _named(reports, name)
    shown = name.title()
    if not found:
        text = (
            f"Nobody called {shown} reports to you in the techpath directory."
            if reports
            else "Nobody in the techpath directory reports to you, so there is no one's assessment to show."
        )
        return Card(
            title=f"I can't find {shown}",
            sections=[Section(text=text), Section(note="Say “my team” to see who reports to you.")],
        )
    if len(found) > 1:
        return Card(
            title=f"More than one {shown}",
            sections=[Section(text="Use the full name: " + ", ".join(r.display_name for r in found) + ".")],
        )
    report = found[0]
    record = await ctx.stores.assessments.latest_shared(report.id)
    if record is None:
        return Card(
            title=f"{report.display_name} has not shared a self-assessment with you",
            sections=[Section(text="You see a report's self-assessment only when they choose to share it.")],
        )
    return report, record


async def on_show_person_typed(event: Event, ctx: Context) -> list[Reply]:
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    match = SHOW_PERSON.match(spoken(event.text))
    found = await _report_named(ctx, match.group("name") if match else "")
    if isinstance(found, Card):
        return [Reply(card=found)]
    return as_typed(await on_side_by_side(_button(event, found[1]), ctx))


async def on_review_typed(event: Event, ctx: Context) -> list[Reply]:
    """ "add my view [for NAME]": the manager's form for that report's shared assessment."""
    if ctx.person is None or ctx.stores is None:
        return [Reply(card=WHO_ARE_YOU)]
    match = REVIEW.match(spoken(event.text))
    name = (match.group("name") or match.group("review_name") or "") if match else ""
    if name:
        found = await _report_named(ctx, name)
        if isinstance(found, Card):
            return [Reply(card=found)]
        return as_typed(await on_review_edit(_button(event, found[1]), ctx))
    shared = []
    for report in await ctx.stores.people.reports_of(ctx.person):
        record = await ctx.stores.assessments.latest_shared(report.id)
        if record is not None:
            shared.append((report, record))
    if not shared:
        card = Card(
            title="No self-assessment is shared with you",
            sections=[
                Section(text="Your view is added to a report's assessment once they share it with you.")
            ],
        )
        return [Reply(card=card)]
    if len(shared) == 1:
        return as_typed(await on_review_edit(_button(event, shared[0][1]), ctx))
    choices = [
        Action(label=report.display_name, action_id=REVIEW_EDIT, value=ident_value((record.id, record.key)))
        for report, record in shared
    ]
    return [
        Reply(card=Card(title="Whose self-assessment?", prompt="Add your view to:", choices=choices[:10]))
    ]


TYPED: dict[str, tuple[re.Pattern[str], Handler]] = {
    "share": (SHARE, on_share_typed),
    "unshare": (UNSHARE, on_unshare_typed),
    "managers-view": (MANAGERS_VIEW, on_managers_view_typed),
    "review": (REVIEW, on_review_typed),
    "accept": (ACCEPT, on_accept_typed),
    "latest": (LATEST, on_latest_typed),
    "start-afresh": (START_AFRESH, on_start_afresh_typed),
    "download-typed": (DOWNLOAD, on_download_typed),
}
