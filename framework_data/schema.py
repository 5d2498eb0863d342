"""The pydantic schema of a framework file: what a university writes to adopt techpath."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Strict(BaseModel):
    """Base for every framework model: unknown keys are typos, so they are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(Strict):
    """Where a framework's content comes from, cited under every answer."""

    title: NonEmpty
    publisher: NonEmpty
    document: NonEmpty
    version: str = ""


class Row(Strict):
    """One row of the role matrix: a requirement (knowledge, registration) or a competency."""

    id: Slug
    name: NonEmpty
    kind: Literal["requirement", "competency"]
    short_name: str = ""
    synonyms: list[str] = []
    # Its cells give examples, not requirements (the source's "Prof reg (Examples)").
    examples: bool = False
    # The rows that say what a role does for this one where its own cell is "No" (Teaching Delivery: Support
    # for Teaching and Research), shown with that "No" when someone asks what the role does instead.
    instead: list[Slug] = []

    @property
    def label(self) -> str:
        return self.short_name or self.name


class CareerPath(Strict):
    """A career path (Technical, Specialist, Manager) that roles belong to."""

    id: Slug
    name: NonEmpty
    synonyms: list[str] = []


class Cell(Strict):
    """One cell of the role matrix, verbatim, with any reference to another role's cell made explicit.

    A plain string in YAML is shorthand for ``{text: ...}``.
    """

    text: str = ""
    # The role whose cell in the same row this one repeats ("As grade 7 Specialist", "As previous grade").
    refers_to: str | None = None
    # The words the source adds after the reference ("Complexity of information ... increases.").
    adds: str = ""
    # Why the source gives no usable descriptor here (an empty cell, a cell that refers to itself).
    gap: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        if isinstance(value, bool):
            # YAML 1.1 reads an unquoted No/Yes as a boolean.
            raise ValueError('YAML read this cell as true/false: put the text in quotes, e.g. "No"')
        return {"text": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check_consistency(self) -> Cell:
        if self.gap and self.refers_to:
            raise ValueError("a cell cannot both refer to another role and be a gap")
        if self.adds and not self.refers_to:
            raise ValueError("'adds' only makes sense with 'refers_to'")
        if self.adds and self.adds not in self.text:
            raise ValueError("'adds' must be the verbatim words of 'text' after the reference")
        if not self.gap and not self.text.strip():
            raise ValueError("empty cell: give the source text, or say why it is empty with 'gap'")
        return self


class Role(Strict):
    """One role column of the matrix: a grade on a path with a title and its cells."""

    id: Slug
    grade: NonEmpty
    bands: list[str] = []
    path: Slug
    title: NonEmpty
    aliases: list[str] = []
    table: NonEmpty
    cells: dict[str, Cell] = Field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"Grade {self.grade} {self.title}"


class GridRow(Strict):
    """A row of the self-assessment grid, joined to the matrix rows it covers."""

    id: Slug
    name: NonEmpty
    rows: list[str] = Field(min_length=1)
    opportunities: list[NonEmpty] = []


class Progression(Strict):
    """Published criteria and assessment process for moving between two career-grade roles."""

    from_role: str
    to_role: str
    source: NonEmpty
    criteria: list[NonEmpty] = Field(min_length=1)
    assessment: list[NonEmpty] = []


class PdpColumn(Strict):
    """A column of the personal development plan template."""

    id: Slug
    heading: NonEmpty
    prompt: str = ""


class Level(Strict):
    """A job-evaluation level (for example a Hay job-family level) with its published summary."""

    id: Slug
    scheme: NonEmpty
    number: int
    summary: NonEmpty
    bands: list[str] = []


class ExampleJob(Strict):
    """A real advertised job with its grade, showing what a grade looks like in practice."""

    title: NonEmpty
    department: str = ""
    grade: NonEmpty
    # Other ways people write the title ("battery lab manager").
    aliases: list[str] = []
    # The line as the source lists it ("Research Technician: Department of Medicine"), shown in answers.
    listed_as: str = ""


class Citation(Strict):
    """The document a passage comes from, when that is not the framework's own."""

    publisher: NonEmpty
    title: NonEmpty
    document: NonEmpty


class Point(Strict):
    """A named point of a passage (one of the Technician Commitment's four themes)."""

    label: NonEmpty
    text: NonEmpty


class FollowUp(Strict):
    """A question a passage's answer offers next, as a button."""

    label: NonEmpty
    question: NonEmpty


class PassageAnswer(Strict):
    """The yes or no a passage gives to a yes/no asked in these words ("do I have to adopt the new JD"),
    and the passage's own sentence it rests on."""

    asked_as: list[NonEmpty] = Field(min_length=1)
    answer: Literal["yes", "no", "depends"]
    because: NonEmpty


class Passage(Strict):
    """What the documents say about themselves or their subject (what the Technician Commitment is, what a
    career grade role is, whether paths can be switched), quoted with where it comes from."""

    id: Slug
    title: NonEmpty
    # Phrases that mean this passage wherever they appear ("technician commitment", "promotion round").
    asked_as: list[NonEmpty] = Field(min_length=1)
    # Phrases that mean it only when the question names no role, grade, band or competency ("hett").
    asked_alone_as: list[NonEmpty] = []
    # Still the answer when the question names roles ("can I switch from specialist to manager").
    with_roles: bool = False
    # Its phrases mean it only in a question about its own framework ("imperial's workshops"): elsewhere
    # they are everyday words ("is there a workshop on budgets").
    own_framework_only: bool = False
    # People's names that mean it in any question ("who is nazia hirjee"), being nobody's everyday words.
    names: list[NonEmpty] = []
    # An overview of several sections: a more specific passage named in the same question is the answer
    # ("how do managers use the framework when recruiting" is about recruiting).
    overview: bool = False
    text: str = ""
    bullets: list[NonEmpty] = []
    points: list[Point] = []
    # What the sources do not say, said plainly ("The framework gives no dates for promotion rounds").
    not_given: str = ""
    where: NonEmpty
    # Another document than the framework's own, when the passage is quoted from it.
    cited: Citation | None = None
    follow_ups: list[FollowUp] = []
    # The yes or no it gives to the yes/no questions it answers.
    answers: list[PassageAnswer] = []

    @model_validator(mode="after")
    def _says_something(self) -> Passage:
        if not (self.text or self.bullets or self.points or self.not_given):
            raise ValueError("a passage needs text, bullets, points or not_given")
        quoted = " ".join((self.text, *self.bullets))
        for answer in self.answers:
            if answer.because not in quoted:
                raise ValueError(f"an answer's 'because' must be the passage's own words: {answer.because!r}")
        return self


class OutsideTopic(Strict):
    """Something people ask that the framework does not cover (pay, leave), and who usually answers it."""

    id: Slug
    name: NonEmpty
    asked_as: list[NonEmpty] = Field(min_length=1)
    who: NonEmpty
    # Its phrases only frame a question ("who do I talk to about ..."): what the question is about, where
    # the framework or its documents answer it, comes first.
    framing: bool = False
    # Its phrases name only what another topic may be about ("order a new centrifuge" is purchasing, "pay
    # for parking" is parking): it is the answer only where no other topic is named.
    secondary: bool = False


class Framework(Strict):
    """A whole framework file."""

    id: Slug
    name: NonEmpty
    institution: NonEmpty
    source: Source
    grade_label: str = "grade"
    notes: list[str] = []
    rows: list[Row] = Field(min_length=1)
    paths: list[CareerPath] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    grid: list[GridRow] = []
    grid_source: str = ""
    # How the framework says to mark the grid, in its own words.
    grid_how_to: str = ""
    opportunities_source: str = ""
    progressions: list[Progression] = []
    # The framework's general advice for moving to a role with no published criteria.
    career_steps: list[NonEmpty] = []
    career_steps_source: str = ""
    # What the framework does not give about progressing (dates, pay), said with every "how do I progress".
    progression_not_given: str = ""
    pdp_columns: list[PdpColumn] = []
    pdp_source: str = ""
    # What the guide says the PDP is for, and where it says it.
    pdp_purpose: str = ""
    pdp_purpose_where: str = ""
    levels: list[Level] = []
    levels_note: str = ""
    # Where the source says the levels' summaries are published in full (a web address it gives).
    levels_link: str = ""
    example_jobs: list[ExampleJob] = []
    # Said with the example jobs: what the sources do not map them to.
    example_jobs_note: str = ""
    # Where the sources found the example jobs, in their own words.
    example_jobs_found: str = ""
    passages: list[Passage] = []
    # The passage said with a move to the same grade on another path ("from grade 7 specialist to manager").
    between_paths_passage: str = ""
    outside_topics: list[OutsideTopic] = []
    # Everyday words for the cells' own ("look after": "oversight"), so a question finds the cell.
    everyday_words: dict[NonEmpty, list[NonEmpty]] = {}
    # Where the framework says what it is for, cited when a question is outside it.
    scope_source: str = ""

    @field_validator("rows", "paths", "roles", "grid", "levels", "passages", "outside_topics")
    @classmethod
    def _unique_ids(cls, items: list[Any]) -> list[Any]:
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise ValueError(f"duplicate id {item.id!r}")
            seen.add(item.id)
        return items

    @model_validator(mode="after")
    def _rows_instead_exist(self) -> Framework:
        ids = {row.id for row in self.rows}
        for row in self.rows:
            unknown = [r for r in row.instead if r not in ids or r == row.id]
            if unknown:
                raise ValueError(f"row {row.id!r}: 'instead' names no other row: {', '.join(unknown)}")
        return self


class Band(Strict):
    """An NTDC/HETT band: a national level that a framework's grades may be mapped to."""

    number: str
    stage: str = ""
    example_role: str = ""
    note: str = ""


class BandSet(Strict):
    """The HETT bands file."""

    id: Slug
    name: NonEmpty
    source: Source
    bands: list[Band] = Field(min_length=1)


def grade_key(grade: str) -> tuple[int, str]:
    """Grades in their numeric order ("3" < "10"), then by name for grades without a number."""
    digits = "".join(ch for ch in grade if ch.isdigit())
    return (int(digits) if digits else 0, grade)
