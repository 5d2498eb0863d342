"""Answers about using the framework: help, the self-assessment grid, the PDP template, and "I don't know"."""

from __future__ import annotations

from cards.model import Action, Card, Fact, Section
from framework_data.catalogue import Catalogue
from framework_data.loader import LoadedFramework
from framework_data.query import Query
from framework_data.schema import grade_key
from handlers.qa.common import PICK, ask_action, cite

EXAMPLES = [
    ("What does grade 7 specialist need?", "what does grade 7 specialist need"),
    ("How do I get from grade 5 to 6?", "how do I get from grade 5 to grade 6"),
    ("Training for budget management", "what training helps with budget management"),
    ("Grade 6 vs grade 7 specialist", "difference between grade 6 and grade 7 specialist"),
    ("What band is a lab manager?", "what band is a lab manager"),
    ("Self-assessment competencies", "self-assessment competencies"),
]
SCALE = "1 being not at all competent / confident and 10 being extremely competent / confident"


def help_card(catalogue: Catalogue) -> Card:
    fw = catalogue.primary.framework
    grades = sorted({r.grade for r in fw.roles}, key=grade_key)
    return Card(
        title="What I can answer",
        subtitle=f"From the {fw.name}, word for word, with sources",
        sections=[
            Section(
                bullets=[
                    "What a role needs: “what does grade 7 specialist need”, “lab manager”",
                    "One competency: “budget management for a lab manager”, “H&S at grade 5”",
                    "Two roles side by side: “difference between grade 6 and grade 7 specialist”",
                    "Progression: “how do I get from grade 5 to 6”",
                    "Development opportunities: “what training helps with budget management”",
                    "The crosswalk: “what band is grade 7”, “band 4”, “Hay level 3”",
                    "Career paths: “roles on the manager path”",
                    "The self-assessment grid and the PDP template",
                    "About you: “how do I get promoted”, “what does my role need”",
                    "About the framework itself: “what is the Technician Commitment”, “can I switch paths”",
                    "Follow-ups: “and the manager?”, “grade 8?”, “what about budget management”",
                ]
            ),
            Section(
                heading="Things you can type",
                text="start self-assessment · resume · my assessments · my plan · download as csv · share "
                "with my manager · stop sharing · my team · show <name> · add my view · my data · delete "
                "my data",
            ),
            Section(
                heading="The bulletin and reminders",
                text="what opportunities are open · any mentoring? · closing this week · bulletin settings · "
                "my windows · remind me in 5 days",
            ),
            Section(
                heading="For coordinators",
                text="post an opportunity · my posts · report for my posts · use this channel for the "
                "bulletin · stop using this channel · new promotion window · my windows",
            ),
            Section(
                facts=[
                    Fact(label="Grades", value=", ".join(grades)),
                    Fact(label="Paths", value=", ".join(p.name for p in fw.paths)),
                    Fact(label="Also", value=", ".join(f.framework.name for f in catalogue.others) or "none"),
                ]
            ),
        ],
        actions=[ask_action(label, question) for label, question in EXAMPLES[:4]],
    )


def thanks_card() -> Card:
    return Card(
        title="You're welcome",
        sections=[Section(text="Ask me anything else about the framework, or type “help” for ideas.")],
    )


def grid_card(loaded: LoadedFramework, rows: list[str] | None = None) -> Card:
    """The grid, its scale and which competencies each of its rows scores; first, for ``rows`` asked
    about ("is there a separate row for teaching delivery?"), the grid row that scores each."""
    fw = loaded.framework
    if not fw.grid:
        return Card(
            title="Self-assessment", sections=[Section(text=f"The {fw.name} has no self-assessment grid.")]
        )
    facts = [Fact(label=g.name, value=", ".join(loaded.rows[r].label for r in g.rows)) for g in fw.grid]
    return Card(
        title=f"The self-assessment grid: {len(fw.grid)} competencies",
        subtitle=fw.name,
        sections=[
            *_grid_rows_of(loaded, rows or []),
            Section(
                text=f"“{fw.grid_how_to}”"
                if fw.grid_how_to
                else f"Score yourself on each competency on a scale of 1 to 10, with {SCALE}."
            ),
            Section(heading="Grid row → framework competencies", facts=facts),
        ],
        actions=[ask_action("Development opportunities", "what development opportunities are there")],
        sources=[
            cite(loaded, fw.grid_source or "self-assessment grid"),
            cite(loaded, "6.2 Using the Framework to Plan Development"),
        ],
    )


def _grid_rows_of(loaded: LoadedFramework, rows: list[str]) -> list[Section]:
    said = []
    for row_id in rows:
        grid_row = next((g for g in loaded.framework.grid if row_id in g.rows), None)
        label = loaded.rows[row_id].label
        if grid_row is None:
            said.append(f"{label} is not scored in the grid.")
        elif len(grid_row.rows) == 1:
            said.append(f"{label} has a row of its own in the grid: “{grid_row.name}”.")
        else:
            others = " and ".join(loaded.rows[r].label for r in grid_row.rows if r != row_id)
            said.append(f"{label} shares one row of the grid with {others}: “{grid_row.name}”.")
    return [Section(text=" ".join(dict.fromkeys(said)))] if said else []


def pdp_card(loaded: LoadedFramework) -> Card:
    fw = loaded.framework
    if not fw.pdp_columns:
        return Card(
            title="Personal development plan", sections=[Section(text=f"The {fw.name} has no PDP template.")]
        )
    purpose = [Section(text=fw.pdp_purpose)] if fw.pdp_purpose else []
    sources = [cite(loaded, fw.pdp_source or "PDP template")]
    if fw.pdp_purpose and fw.pdp_purpose_where:
        sources.insert(0, cite(loaded, fw.pdp_purpose_where))
    return Card(
        title="Personal development plan (PDP)",
        subtitle=fw.name,
        sections=[*purpose, *(Section(heading=c.heading, text=c.prompt) for c in fw.pdp_columns)],
        sources=sources,
    )


def unknown_card(catalogue: Catalogue, query: Query) -> Card:
    """Say plainly what was not found, what exists, and what can be asked instead."""
    loaded = catalogue.framework(query.framework)
    fw = loaded.framework
    grades = ", ".join(sorted({r.grade for r in fw.roles}, key=grade_key))
    sections = []
    if query.unknown:
        sections.append(
            Section(
                text=f"There is no {' or '.join(query.unknown)} in the {fw.name}. "
                f"Its {fw.grade_label}s are {grades}."
            )
        )
    else:
        sections.append(Section(text="I couldn't match that to the framework."))
    competencies = ", ".join(r.label for r in fw.rows if r.kind == "competency")
    sections.append(
        Section(
            heading="What the framework has",
            facts=[
                Fact(label=f"{fw.grade_label.capitalize()}s", value=grades),
                Fact(label="Career paths", value=", ".join(p.name for p in fw.paths)),
                Fact(label="Competencies", value=competencies),
                Fact(label="NTDC/HETT bands", value=", ".join(b.number for b in catalogue.bands.bands)),
            ],
        )
    )
    sections.append(
        Section(
            text="I answer from the framework: roles and grades, competencies, progression, development "
            "opportunities, bands and career paths. For example:"
        )
    )
    return Card(
        title="Not in the framework",
        sections=sections,
        actions=[ask_action(label, question) for label, question in EXAMPLES[:4]],
    )


def clarify_card(catalogue: Catalogue, query: Query) -> Card:
    """Ask which role an ambiguous mention meant; each choice carries the query with that role filled in."""
    ambiguity = query.ambiguous[0]
    choices = []
    for option in ambiguity.options:
        _, role = catalogue.role(option)
        resolved = query.model_copy(
            update={"roles": [*query.roles, option], "ambiguous": query.ambiguous[1:]}
        )
        choices.append(Action(label=role.label, action_id=PICK, value=resolved.carried()))
    name = catalogue.framework(query.framework).framework.name
    return Card(
        title=f"Which {ambiguity.mention} role?",
        prompt=f"{ambiguity.mention.capitalize()} has {len(choices)} roles in the {name}. Which do you mean?",
        choices=choices,
    )
