"""The neutral card every handler returns; renderers turn it into Block Kit, Adaptive Cards or plain text."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    # Validators are built when a class is first used, not when it is defined: a one-shot command uses few.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Fact(Frozen):
    """A label/value pair ("NTDC band": "4")."""

    label: str
    value: str


class Section(Frozen):
    """A block of content. All strings are plain text: renderers escape them for their platform."""

    heading: str = ""
    text: str = ""
    bullets: list[str] = []
    facts: list[Fact] = []
    # A quieter line under the content (where the text came from, "shared with grade 4").
    note: str = ""


class Action(Frozen):
    """Something the person can pick: a button, a menu option, or a numbered option in the console.

    ``action_id`` names the handler that takes it; ``value`` is opaque to renderers (a short JSON string)
    and comes back unchanged when the action is taken.
    """

    label: str
    action_id: str
    value: str = ""
    style: Literal["default", "primary", "danger"] = "default"
    # A link the button opens (an https address), instead of only sending the action back.
    url: str = ""


class Bar(Frozen):
    """One bar of a chart (a competency and its score); ``value`` None when there is none (a skipped
    competency), drawn as an empty bar that says so rather than as a zero."""

    label: str
    value: float | None
    # What to show instead of a missing value ("< 5" for a count too small to give): "skipped" by default.
    shown: str = ""


class Chart(Frozen):
    """A horizontal bar chart: native where the platform draws charts, aligned text bars elsewhere."""

    title: str
    bars: list[Bar] = Field(min_length=1)
    max_value: float = 10


class Option(Frozen):
    """One answer a single-choice field offers: what it shows, and what it sends back."""

    label: str
    value: str


class FormField(Frozen):
    """One input of a form, pre-filled with ``value``: free text, or one of ``options`` when it has any
    (a menu in Slack and Teams, numbered answers in the console).

    ``error`` says what was wrong with the value last submitted; a form that comes back with errors keeps
    what was typed and names each problem beside its field.
    """

    id: str
    label: str
    value: str = ""
    multiline: bool = False
    max_length: int = 500
    placeholder: str = ""
    options: list[Option] = []
    error: str = ""


class Form(Frozen):
    """Inputs to fill in and send together: a Slack modal, an Adaptive Card form, console prompts.

    ``submit`` comes back as an action whose event carries the inputs by field id; ``reopen`` is the
    action that shows this form again (Slack opens modals only from a click).
    """

    title: str
    fields: list[FormField] = Field(min_length=1)
    submit: Action
    reopen: Action


class Card(Frozen):
    """A whole answer: a title, sections, an optional chart, choices or actions, and its sources."""

    title: str
    subtitle: str = ""
    sections: list[Section] = []
    chart: Chart | None = None
    # A question whose answer is one of ``choices`` ("Which grade 7 role do you mean?").
    prompt: str = ""
    choices: list[Action] = []
    actions: list[Action] = []
    form: Form | None = None
    sources: list[str] = []
