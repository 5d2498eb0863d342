"""What a coordinator sees before an opportunity goes (and an approver before approving it): the card as it
will look, who it reaches and where; and the refusals, each with its reason."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core import Context
from bot.storage.bulletin import OpportunityRecord
from cards.model import Action, Card, Fact, Section
from handlers.bulletin.cards import opportunity_card
from handlers.bulletin.desk import Preview
from handlers.bulletin.targeting import audience_reason

NO_CHANNELS = "none chosen yet (a coordinator says “use this channel for the bulletin” in one)"


def preview_card(
    record: OpportunityRecord,
    preview: Preview,
    ctx: Context,
    actions: list[Action],
    stage: str = "Preview, not posted yet",
    notes: tuple[str, ...] = (),
    today: date | None = None,
) -> Card:
    """The opportunity's card as technicians will see it (its buttons left off: nothing to click yet),
    then its reach, in the words of the CLI's dry run, and ``actions``. ``today`` is the institution's
    date (a closing date is its date)."""
    shown = opportunity_card(record, ctx, record.link, today or datetime.now(UTC).date())
    sections = list(shown.sections)
    if record.link:
        sections.append(Section(facts=[Fact(label="Link", value=record.link)]))
    # The audience's reason, never one from someone's self-assessment (nobody else learns those).
    example = audience_reason(record, ctx)
    sections.append(
        Section(
            heading="Who it reaches",
            facts=[
                Fact(label="Privately", value=preview.people),
                Fact(label="Channels", value=", ".join(preview.channels) or NO_CHANNELS),
            ],
            note=f"Each private copy says why it reached that person, such as “{example}”",
        )
    )
    sections += [Section(note=note) for note in notes if note]
    return Card(
        title=record.title, subtitle=f"{stage} · {shown.subtitle}", sections=sections, actions=actions
    )


def copies(count: int) -> str:
    return f"{count} cop{'y' if count == 1 else 'ies'}"


def refused(title: str, reason: str) -> Card:
    """A refusal that says why (``reason`` is a sentence or a clause from the desk)."""
    text = reason if reason.endswith((".", "?", "!")) else f"{reason}."
    first = text.split(" ", 1)[0]
    if "@" not in first:  # an email address is left as it is written
        text = text[:1].upper() + text[1:]
    return Card(title=title, sections=[Section(text=text)])


def coordinator_refusal(ctx: Context) -> Card | None:
    """Why the person may not write to the bulletin; None for a coordinator."""
    person = ctx.person
    if person is not None and person.is_coordinator:
        return None
    if person is None:
        reason = (
            "You're not in the techpath directory, so I can't tell that you're a coordinator. Posting "
            "opportunities is for Technician Commitment coordinators; ask one to post it, or to add you"
        )
    else:
        reason = (
            f"{person.email} is not a coordinator in the directory (its bot_roles column). Posting "
            "opportunities is for Technician Commitment coordinators; ask one to post it for you"
        )
    return refused("Only coordinators can post to the bulletin", reason)


IN_PRIVATE = refused(
    "Let's write it in a direct message",
    "The form and its preview are for you alone: message me directly (in Slack under Apps, in Teams in a "
    "chat with techpath) and say “post an opportunity”, or use /techpath post in Slack",
)
