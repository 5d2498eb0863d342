"""The crosswalk: a university's grades ↔ NTDC/HETT bands ↔ other frameworks' roles and levels."""

from __future__ import annotations

from cards.model import Card, Fact, Section
from framework_data.catalogue import Catalogue
from framework_data.query import Query, job_at_grade
from framework_data.schema import ExampleJob, grade_key
from handlers.qa.common import bands_text, cite, cite_role, grade_order, path_name


def _band_section(catalogue: Catalogue, number: str, out: _Answer) -> None:
    band = catalogue.band(number)
    facts = []
    sources: list[str] = []
    if band and band.stage:
        facts.append(Fact(label="Stage", value=band.stage))
    if band and band.example_role:
        facts.append(Fact(label="NTDC example role", value=band.example_role))
    for loaded in catalogue.frameworks:
        roles = sorted((r for r in loaded.framework.roles if number in r.bands), key=grade_order)
        if roles:
            value = "; ".join(f"{r.label} ({path_name(loaded, r)} path)" for r in roles)
            sources.extend(cite_role(loaded, r) for r in roles)
        else:
            value = "no role mapped to this band"
        facts.append(Fact(label=loaded.framework.institution, value=value))
    out.add(Section(heading=f"NTDC/HETT band {number}", facts=facts), *sources)


def _role_sections(catalogue: Catalogue, refs: list[str], out: _Answer) -> list[str]:
    """A section per role with its path and band; returns the bands those roles sit in."""
    bands: list[str] = []
    for ref in refs:
        owner, role = catalogue.role(ref)
        facts = [
            Fact(label="Framework", value=owner.framework.name),
            Fact(label="Career path", value=path_name(owner, role)),
            Fact(label="NTDC/HETT band", value=bands_text(role)),
        ]
        out.add(Section(heading=role.label, facts=facts), cite_role(owner, role))
        bands.extend(b for b in role.bands if b not in bands)
    return bands


def _level_section(catalogue: Catalogue, number: int, out: _Answer) -> None:
    owner = next((f for f in catalogue.frameworks if f.framework.levels), None)
    level = next((lv for lv in owner.framework.levels if lv.number == number), None) if owner else None
    if owner is None or level is None:
        known = ", ".join(str(lv.number) for f in catalogue.frameworks for lv in f.framework.levels)
        out.add(Section(text=f"There is no Hay level {number}. Levels are {known or 'not defined'}."))
        return
    note = f"HETT band {', '.join(level.bands)}" if level.bands else owner.framework.levels_note
    if owner.framework.levels_link:
        note = f"{note} The summaries in full: {owner.framework.levels_link}".strip()
    section = Section(heading=f"{level.scheme}: Level {level.number}", text=level.summary, note=note)
    out.add(section, cite(owner, f"{level.scheme} levels"))


def _jobs_section(catalogue: Catalogue, grade: str, out: _Answer) -> None:
    found = False
    for owner in catalogue.frameworks:
        jobs = [j for j in owner.framework.example_jobs if job_at_grade(j.grade, grade)]
        if jobs:
            found = True
            bullets = [_job_line(j) for j in jobs]
            heading = f"{owner.framework.institution} grade {grade}: advertised jobs and their grades"
            note = owner.framework.example_jobs_note
            out.add(
                Section(heading=heading, bullets=bullets, note=note), cite(owner, "advertised technical jobs")
            )
    if not found:
        out.add(Section(text=f"The frameworks list no jobs at grade {grade}."))


def _job_line(job: ExampleJob) -> str:
    """The job as its source lists it, with its grade after it ("Research Technician: NHLI 2b")."""
    if job.listed_as:
        return f"{job.listed_as} {job.grade}"
    where = f", {job.department}" if job.department else ""
    return f"{job.title}{where} {job.grade}"


_HIGHER = frozenset({"higher", "above", "senior", "more"})
_LOWER = frozenset({"lower", "below", "junior", "less"})


def _grades_compared(jobs: list[ExampleJob], query: Query) -> Section | None:
    """ "is the battery lab manager the same grade as the solar orbiter engineer", "is a microbiology
    research tech graded higher than the NHLI one": the yes or no the two adverts' grades give."""
    if not query.yes_no or len(jobs) != 2:
        return None
    first, second = jobs
    asked = set(query.terms) | ({"higher"} if query.upward else set())
    one, other = first.listed_as or first.title, second.listed_as or second.title
    said = f"{one} is grade {first.grade}; {other} is {second.grade}."
    if asked & _HIGHER or asked & _LOWER:
        above = grade_key(first.grade) > grade_key(second.grade)
        below = grade_key(first.grade) < grade_key(second.grade)
        yes = above if asked & _HIGHER else below
        return Section(text=f"{'Yes' if yes else 'No'}. {said}")
    same = first.grade == second.grade
    return Section(text=f"{'Yes' if same else 'No'}. {said}")


def _named_jobs_section(catalogue: Catalogue, query: Query, out: _Answer) -> None:
    """ "What grade is a battery laboratory manager": the grade each advert with that title gives."""
    owner = catalogue.framework(query.framework)
    jobs = [owner.framework.example_jobs[i] for i in query.jobs if i < len(owner.framework.example_jobs)]
    if not jobs:
        return
    found = owner.framework.example_jobs_found
    section = Section(
        heading=f"{owner.framework.institution}: advertised jobs and their grades",
        text=f"As the source found them: “{found}”" if found else "",
        bullets=[_job_line(j) for j in jobs],
        note=owner.framework.example_jobs_note,
    )
    compared = _grades_compared(jobs, query)
    if compared is not None:
        out.add(compared)
    out.add(section, cite(owner, "advertised technical jobs"))


class _Answer:
    """Sections and their sources, collected without repeating a source."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.sources: list[str] = []

    def add(self, section: Section, *sources: str) -> None:
        self.sections.append(section)
        self.sources.extend(s for s in sources if s not in self.sources)


def crosswalk_card(catalogue: Catalogue, query: Query) -> Card:
    """Where grades, bands and levels sit against each other, from the frameworks' own mappings only."""
    out = _Answer()
    refs = [*query.roles, *(o for a in query.ambiguous for o in a.options)]
    bands = _role_sections(catalogue, refs, out)
    bands.extend(b for b in query.bands if b not in bands)
    valid_bands = [b.number for b in catalogue.bands.bands]
    for number in bands:
        if number in valid_bands:
            _band_section(catalogue, number, out)
        else:
            out.add(Section(text=f"There is no band {number}: HETT bands are {', '.join(valid_bands)}."))
    for level_number in query.levels:
        _level_section(catalogue, level_number, out)
    for grade in query.local_grades:
        _jobs_section(catalogue, grade, out)
    _named_jobs_section(catalogue, query, out)
    if not out.sections:
        out.add(_overview(catalogue), *(cite(f, "roles and bands") for f in catalogue.frameworks))
    subtitle = catalogue.framework(query.framework).framework.name
    return Card(
        title="Crosswalk: grades, bands and levels",
        subtitle=subtitle,
        sections=out.sections,
        sources=out.sources,
    )


def _overview(catalogue: Catalogue) -> Section:
    facts = []
    for band in catalogue.bands.bands:
        holders = [
            f"{f.framework.institution} {r.label}"
            for f in catalogue.frameworks
            for r in f.framework.roles
            if band.number in r.bands
        ]
        facts.append(Fact(label=f"Band {band.number}", value="; ".join(holders) or "no role mapped"))
    return Section(heading="NTDC/HETT bands and the roles mapped to them", facts=facts)
