"""A form's single-choice fields and its problems, in each renderer: a Slack modal's static_select (and the
hint under a field), a Teams Input.ChoiceSet, and numbered options in plain text."""

from __future__ import annotations

from cards.adaptive import INPUT_PREFIX, render_adaptive
from cards.blockkit import render_modal
from cards.model import Action, Form, FormField, Option
from cards.text import render_text
from tests.cards.samples import form_with_mistakes


def _form(value: str = "", options: int = 3) -> Form:
    return Form(
        title="A form with a very long title that Slack cuts",
        fields=[
            FormField(
                id="kind",
                label="Kind",
                value=value,
                options=[Option(label=f"Option {n} " + "x" * 80, value=f"v{n}") for n in range(options)],
            )
        ],
        submit=Action(label="Save", action_id="x.save"),
        reopen=Action(label="Open", action_id="x.open"),
    )


def test_a_modal_shows_options_as_a_menu_with_the_current_value_chosen() -> None:
    [block] = render_modal(_form("v1"), "{}")["blocks"]
    element = block["element"]
    assert block["block_id"] == "kind" and element["type"] == "static_select"
    assert element["action_id"] == "value"  # the adapter reads every input under this id
    assert [o["value"] for o in element["options"]] == ["v0", "v1", "v2"]
    assert all(len(o["text"]["text"]) <= 75 for o in element["options"])
    # Slack refuses an initial option that is not exactly one of the options.
    assert element["initial_option"] == element["options"][1]


def test_a_modal_chooses_nothing_for_a_value_that_is_not_an_option_and_keeps_to_100_options() -> None:
    element = render_modal(_form("nonsense", options=150), "{}")["blocks"][0]["element"]
    assert "initial_option" not in element
    assert len(element["options"]) == 100


def test_a_modal_names_a_field_problem_in_its_hint() -> None:
    view = render_modal(form_with_mistakes().form, "{}")  # type: ignore[arg-type]
    hints = {b["block_id"]: b.get("hint", {}).get("text", "") for b in view["blocks"]}
    assert hints == {
        "title": "⚠ a title is required",
        "kind": "",
        "link": "⚠ 'http://e.example' is not an https:// address",
    }


def test_teams_shows_options_as_a_choice_set_whose_value_comes_back_under_the_field_id() -> None:
    [card] = render_adaptive(form_with_mistakes())
    [menu] = [e for e in card["body"] if e["type"] == "Input.ChoiceSet"]
    assert menu["id"] == INPUT_PREFIX + "kind" and menu["value"] == "mentoring"
    assert menu["label"] == "Kind of opportunity"  # every input has a label
    assert [c["value"] for c in menu["choices"]] == ["secondment", "mentoring"]
    problems = [e["text"] for e in card["body"] if e.get("color") == "Attention"]
    assert problems == ["a title is required", "'http://e.example' is not an https:// address"]


def test_plain_text_shows_a_chosen_option_by_its_label_and_each_problem_under_its_field() -> None:
    text = render_text(form_with_mistakes())
    assert "Kind of opportunity: Mentoring" in text
    assert "Title: -\n    ! a title is required" in text
