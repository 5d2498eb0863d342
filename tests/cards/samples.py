"""Representative cards for the renderer tests."""

from __future__ import annotations

from cards.model import Action, Bar, Card, Chart, Fact, Section

HOSTILE = "<!channel> *bold* [x](http://e) <@U1> & ok <https://evil.example|your bank> # heading"


def role_answer() -> Card:
    return Card(
        title="Grade 6 Senior (Descriptor) Technician",
        subtitle="Lancaster University Technicians Career Framework · Technical path · NTDC/HETT band 3",
        sections=[
            Section(
                heading="Knowledge, Qualifications or Experience", text="Knowledge equivalent to level 5."
            ),
            Section(
                heading="Budget Management",
                text="Will purchase standard consumables and equipment.",
                note="Shared with Grade 5 (the source says “As grade 5”).",
            ),
            Section(heading="Development opportunities", bullets=["Coaching", "Mentoring", "Project work"]),
            Section(
                heading="Crosswalk",
                facts=[Fact(label="NTDC band", value="3"), Fact(label="Path", value="Technical")],
            ),
        ],
        actions=[
            Action(label="How do I get to grade 7?", action_id="qa.ask", value='{"text": "grade 6 to 7"}')
        ],
        sources=["Lancaster University, Technicians Career Framework Guide: Figure 3 [002.txt]"],
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
            Action(label="Pause", action_id="assess.pause"),
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
            ],
        ),
        sections=[Section(heading="Strengths", bullets=["Communication"])],
    )


def hostile_card() -> Card:
    return Card(
        title=HOSTILE,
        sections=[
            Section(
                heading=HOSTILE,
                text=HOSTILE,
                bullets=[HOSTILE],
                facts=[Fact(label=HOSTILE, value=HOSTILE)],
                note=HOSTILE,
            )
        ],
        actions=[Action(label=HOSTILE, action_id="qa.ask", value=HOSTILE)],
        sources=[HOSTILE],
    )


SAMPLES = {
    "role_answer": role_answer,
    "two_choices": two_choices,
    "eight_choices": eight_choices,
    "chart": chart_card,
    "hostile": hostile_card,
}
