"""Representative cards for the renderer tests: what the handlers build, plus hostile user text."""

from __future__ import annotations

from cards.model import Action, Bar, Card, Chart, Fact, Form, FormField, Option, Section

# Text a person could type that Slack would read as a ping or a disguised link, and markdown as a link.
HOSTILE = "<!channel> *bold* [x](http://e) <@U1> & ok"
HOSTILE_LINES = f"{HOSTILE} <https://evil.example|your bank>\n# heading\n- item\n1. first\n> quote"


def role_answer() -> Card:
    return Card(
        title="Grade 6 Senior (Descriptor) Technician",
        subtitle="Lancaster University Technicians Career Framework · Technical path · NTDC/HETT band 3",
        sections=[
            Section(
                heading="Knowledge, Qualifications or Experience",
                text=(
                    "Knowledge equivalent to level 5 (for example an HND or foundation degree) in a relevant "
                    "discipline, or equivalent experience.\n\nAble to apply specialist knowledge to solve "
                    "complex technical problems."
                ),
            ),
            Section(
                heading="Budget Management",
                text="Will purchase standard consumables and equipment.",
                note="Shared with Grade 5 (the source says “As grade 5”).",
            ),
            Section(
                heading="Development opportunities",
                bullets=["Coaching & mentoring", "Project work", "Technician Commitment events"],
            ),
            Section(
                heading="Crosswalk",
                facts=[
                    Fact(label="NTDC band", value="3"),
                    Fact(label="HETT band", value="3"),
                    Fact(label="Path", value="Technical"),
                    Fact(label="Reports to", value="Grade 7 Specialist or Manager"),
                    Fact(label="Typical titles", value="Senior Technician, Laboratory Technician"),
                ],
            ),
            Section(
                text="Every role at this grade also meets the grade 5 descriptors.",
                facts=[Fact(label="Grade 5", value="Technician"), Fact(label="Grade 7", value="Specialist")],
            ),
        ],
        actions=[
            Action(
                label="How do I get to grade 7?",
                action_id="qa.ask",
                value='{"text": "grade 6 to 7"}',
                style="primary",
            ),
            Action(label="Development opportunities", action_id="qa.ask", value='{"text": "development"}'),
        ],
        sources=[
            "Lancaster University, Technicians Career Framework Guide: Figure 3 [002.txt]",
            "NTDC crosswalk, 2024",
        ],
    )


def two_choices() -> Card:
    return Card(
        title="Which grade 7 role?",
        prompt="Grade 7 has 2 roles. Which do you mean?",
        choices=[
            Action(
                label="Grade 7 Specialist", action_id="qa.pick", value='{"roles":["lancaster:g7-specialist"]}'
            ),
            Action(label="Grade 7 Manager", action_id="qa.pick", value='{"roles":["lancaster:g7-manager"]}'),
        ],
    )


def eight_choices() -> Card:
    return Card(
        title="Score: Service Delivery",
        prompt="How competent and confident are you?",
        choices=[Action(label=str(n), action_id="assess.score", value=str(n)) for n in range(1, 9)],
        actions=[
            Action(label="Skip", action_id="assess.skip"),
            Action(label="Stop", action_id="assess.stop", style="danger"),
        ],
    )


def chart_card() -> Card:
    return Card(
        title="Your self-assessment",
        chart=Chart(
            title="Scores (1 to 10)",
            bars=[
                Bar(label="Service Delivery", value=7),
                Bar(label="Budget Management", value=3.5),
                Bar(label="Communication", value=10),
                Bar(label="Teamwork", value=0),
            ],
        ),
        sections=[Section(heading="Strengths", bullets=["Communication"])],
    )


def hostile_card() -> Card:
    return Card(
        title=HOSTILE,
        subtitle=HOSTILE,
        sections=[
            Section(
                heading=HOSTILE,
                text=HOSTILE_LINES,
                bullets=[HOSTILE, "- starts like a list item"],
                facts=[Fact(label=HOSTILE, value=HOSTILE)],
                note=HOSTILE,
            )
        ],
        prompt=HOSTILE,
        choices=[Action(label=HOSTILE, action_id="qa.pick", value=HOSTILE)],
        actions=[Action(label=HOSTILE, action_id="qa.ask", value=HOSTILE)],
        sources=[HOSTILE],
    )


def form_with_mistakes() -> Card:
    """A form come back to be put right: a menu, a text input, each with its problem beside it."""
    return Card(
        title="Nothing was saved: 2 fields to put right",
        form=Form(
            title="Bulletin opportunity",
            fields=[
                FormField(id="title", label="Title", max_length=200, error="a title is required"),
                FormField(
                    id="kind",
                    label="Kind of opportunity",
                    value="mentoring",
                    options=[
                        Option(label="Secondment", value="secondment"),
                        Option(label="Mentoring", value="mentoring"),
                    ],
                ),
                FormField(
                    id="link",
                    label="Link (optional)",
                    value="http://e.example",
                    placeholder="https://…",
                    error="'http://e.example' is not an https:// address",
                ),
            ],
            submit=Action(label="Preview", action_id="bulletin.save", value="{}"),
            reopen=Action(label="Open the form", action_id="bulletin.new", value="{}"),
        ),
    )


SAMPLES = {
    "role_answer": role_answer,
    "two_choices": two_choices,
    "eight_choices": eight_choices,
    "chart": chart_card,
    "hostile": hostile_card,
    "form_with_mistakes": form_with_mistakes,
}
