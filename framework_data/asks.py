"""What kind of ask a question is, beyond the roles and rows it names: about the asker, a yes/no about one
cell, a passage of the documents about themselves, a topic outside the framework, an advertised job."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from framework_data.catalogue import Catalogue
from framework_data.schema import Passage
from framework_data.vocabulary import Entity, normalise

# Words of a question that mean the asker ("how do I get promoted", "what does my role need").
ME = frozenset({"i", "me", "my", "myself", "im", "mine", "ive"})
# A question that opens with one of these asks for a yes or a no ("can a grade 4 teach").
YES_NO = frozenset("can could does do is are will would should must am has have need needs may r".split())
# Words that only frame a question: "what is hett" is about HETT alone.
FRAMING = frozenset(
    """
    what whats is are was does do did the a an stand stands for mean means meaning explain define definition
    tell me about who s of exactly please i you can its it this that again more on at lancaster university
    imperial college us our here there so ok hi hey hello quick question by and or how work works process
    scheme system show shows illustrate illustrates describe describes cover covers say says one theme
    nutshell short summary summarise summarize overview briefly brief sum up quickly in
    """.split()
)
# Words that, said about the asker, mean their role ("what is expected of me", "my job").
ROLE_WORDS = frozenset(
    "role job grade position level post expected expect need needs require requires requirements do "
    "towards".split()
)


@dataclass
class Asks:
    """The passages, outside topics and advertised jobs a question's phrases named, by framework."""

    passages: list[tuple[str, str]] = field(default_factory=list)  # (framework, passage id)
    alone: list[tuple[str, str, int, int]] = field(default_factory=list)  # (framework, id, start, end)
    outside: list[str] = field(default_factory=list)  # topic ids of the primary framework
    jobs: list[tuple[str, int]] = field(default_factory=list)  # (framework, index in example_jobs)
    opportunities: list[tuple[str, str]] = field(default_factory=list)  # (framework, name)
    answers: list[tuple[str, str]] = field(default_factory=list)  # (framework, "passage-id:index")
    by_name: set[tuple[str, str]] = field(default_factory=set)  # passages named by a person's name

    def take(self, entity: Entity, start: int, end: int) -> bool:
        """Record an entity of these kinds; False for any other kind."""
        if entity.kind == "passage":
            if (entity.framework, entity.key) not in self.passages:
                self.passages.append((entity.framework, entity.key))
        elif entity.kind == "passage-alone":
            self.alone.append((entity.framework, entity.key, start, end))
        elif entity.kind == "outside":
            if entity.key not in self.outside:
                self.outside.append(entity.key)
        elif entity.kind == "passage-name":
            self.by_name.add((entity.framework, entity.key))
        elif entity.kind == "passage-answer":
            self.answers.append((entity.framework, entity.key))
        elif entity.kind == "opportunity":
            self.opportunities.append((entity.framework, entity.key))
        elif entity.kind == "job":
            job = (entity.framework, int(entity.key))
            if job not in self.jobs:
                self.jobs.append(job)
        else:
            return False
        return True


def passage_asked(
    asks: Asks,
    tokens: list[str],
    catalogue: Catalogue,
    names_specifics: bool,
    names_roles: bool,
    framework: str = "",
) -> tuple[str, str] | None:
    """The passage a question asks for, if any. A phrase of ``asked_as`` means its passage unless the
    question names roles and the passage is not about roles; a phrase of ``asked_alone_as`` only when
    everything else in the question is framing ("what is hett?", not "what hett band is grade 7")."""
    # The framework the question is about first ("how many technicians does imperial have"), then a
    # specific passage before an overview named in the same question, else in the order asked.
    named = sorted(
        (
            fp
            for fp in asks.passages
            # Another framework's own passage only where the question names that framework, inside the
            # passage's phrase or not ("is imperial's career structure going to change our pay").
            if fp[0] in (framework, *tokens)
            or f"{fp[0]}s" in tokens
            or fp in asks.by_name
            or not passage_of(catalogue, *fp).own_framework_only
        ),
        key=lambda fp: (fp[0] != framework, passage_of(catalogue, *fp).overview),
    )
    for framework, passage_id in named:
        if not names_roles or passage_of(catalogue, framework, passage_id).with_roles:
            return framework, passage_id
    if names_specifics:
        return None
    for framework, passage_id, _, _ in asks.alone:
        # Every phrase of this passage is taken out ("what is the ntdc and hett"); the rest must be framing.
        spans = [(s, e) for f, p, s, e in asks.alone if (f, p) == (framework, passage_id)]
        rest = [t for i, t in enumerate(tokens) if not any(s <= i < e for s, e in spans)]
        if all(t in FRAMING for t in rest):
            return framework, passage_id
    return None


# Words of a department's or a title's name that do not tell one advert from another.
_GENERIC_JOB_WORDS = frozenset("dept department dep of the and in at for research technician".split())


def _distinct_words(text: str) -> set[str]:
    return {w for w in normalise(text) if w not in _GENERIC_JOB_WORDS}


def only_framing(catalogue: Catalogue, topic_ids: list[str]) -> bool:
    """The topics outside the framework named only frame the question ("who do I talk to about ...")."""
    topics = {t.id: t for t in catalogue.primary.framework.outside_topics}
    return all(topics[t].framing for t in topic_ids if t in topics)


def main_topics(catalogue: Catalogue, topic_ids: list[str]) -> list[str]:
    """The topics outside the framework a question names, without those that only name what another of
    them is about ("how do i order a new centrifuge": purchasing, not how to use the equipment)."""
    topics = {t.id: t for t in catalogue.primary.framework.outside_topics}
    main = [t for t in topic_ids if t not in topics or not topics[t].secondary]
    return main or topic_ids


def jobs_with_words(tokens: list[str], catalogue: Catalogue, framework: str) -> list[int]:
    """The advertised jobs of a framework whose title or department has a word of the question ("which
    imperial jobs are in the department of medicine", "any estates jobs"): none when no word is theirs."""
    asked = set(tokens)
    jobs = catalogue.framework(framework).framework.example_jobs
    return [i for i, job in enumerate(jobs) if _distinct_words(f"{job.title} {job.department}") & asked]


def narrowed_jobs(
    jobs: list[tuple[str, int]], tokens: list[str], catalogue: Catalogue
) -> list[tuple[str, int]]:
    """The advertised jobs a question means, of those its title named: "research technician in the
    department of medicine" is the one in the Department of Medicine, "research tech in microbiology" the
    Research Technician in Microbiology. A job whose title extends a title named is a candidate too; the
    question's other words (a department's, the rest of a title) pick among them, else all are meant
    ("imperial research technician grade": every Research Technician advert)."""
    asked = set(tokens)

    def score(candidate: tuple[str, int]) -> int:
        job = catalogue.framework(candidate[0]).framework.example_jobs[candidate[1]]
        return len(_distinct_words(f"{job.title} {job.department}") & asked)

    # Each title named is narrowed on its own: "is the battery lab manager the same grade as the solar
    # orbiter engineer" means both jobs, however many of its words each title shares.
    meant: list[tuple[str, int]] = []
    for framework, index in jobs:
        example_jobs = catalogue.framework(framework).framework.example_jobs
        title = example_jobs[index].title.lower()
        candidates = [(framework, index)] + [
            (framework, other)
            for other, job in enumerate(example_jobs)
            if other != index and job.title.lower().startswith(title)
        ]
        best = max(score(c) for c in candidates)
        meant += [c for c in candidates if score(c) == best and c not in meant]
    return meant


def with_departments_named(
    jobs: list[tuple[str, int]], tokens: list[str], catalogue: Catalogue
) -> list[tuple[str, int]]:
    """The jobs a question means, with those it names by a department that no job already meant is in
    ("is a microbiology research tech graded higher than the NHLI one": the NHLI advert too)."""
    if not jobs:
        return jobs
    framework = jobs[0][0]
    example_jobs = catalogue.framework(framework).framework.example_jobs
    covered = {w for _, i in jobs for w in _distinct_words(example_jobs[i].department)}
    named = set(tokens) - covered
    extra = [
        (framework, i)
        for i, job in enumerate(example_jobs)
        if (framework, i) not in jobs and _distinct_words(job.department) & named
    ]
    return [*jobs, *extra]


def passage_of(catalogue: Catalogue, framework: str, passage_id: str) -> Passage:
    return next(p for p in catalogue.framework(framework).framework.passages if p.id == passage_id)


def asks_yes_or_no(tokens: list[str]) -> bool:
    """ "can a grade 4 teach", "does grade 8 specialist need to do REF" (not "can you help")."""
    while tokens and tokens[0] in _OPENERS:
        tokens = tokens[1:]  # "quick one - does a junior apprentice ...", "r grade 5s in charge ..."
    if tokens[:1] in (["at"], ["for"]) and tokens[1:2] == ["grade"]:
        tokens = tokens[1:]  # "at g6, is csci something you'd still be working towards?"
    if (
        tokens[:1] == ["grade"]
        and tokens[1:2]
        and tokens[1].isdigit()
        and tokens[2:3]
        and tokens[2] in YES_NO
    ):
        tokens = tokens[2:]  # "g5 - r we expected to ...": the grade said first, then the question
    if tokens[:1] in (["still"], ["also"]):
        tokens = tokens[1:]
    if tokens[:1] and tokens[0] in _EXPECTED_FIRST and tokens[1:2] == ["to"]:
        return True  # "g8 ops manager - still expected to show full proficiency?": the "is" left out
    if not tokens or tokens[0] not in YES_NO:
        return False
    if tokens[1:2] in (["you"], ["u"]):
        # "can you help" asks the bot; "do you need a phd to be a g7 specialist" is anyone's yes/no.
        return tokens[2:3] == ["need"] or tokens[2:4] == ["have", "to"]
    return True


# Where a line of context ends and the question starts ("new g4 in my team - can they ...").
_CLAUSE_BREAK = re.compile(r"\s[-\u2013\u2014:]\s|[.;!?]\s")


# A condition said first ("if a request isn't for them, is a g4 meant to ..."), ended by its comma.
_CONDITION = re.compile(
    r"^\s*(if|when|once|whenever|while|where|say|after|before|because|since)\b[^,]*,\s", re.I
)


def asks_yes_or_no_after_context(text: str) -> bool:
    """A yes/no asked after a line of context ("new g4 in my team - can they line manage ...") or after
    a condition ("if a request isn't for them, is a g4 meant to point the person on?")."""
    clauses = _CLAUSE_BREAK.split(text)[1:]
    condition = _CONDITION.match(text)
    if condition:
        clauses.append(text[condition.end() :])
    return any(asks_yes_or_no(normalise(clause)) for clause in clauses)


# Words a question may open with before what it asks ("quick one", "ok so", "hi").
# How a yes/no about a role may start once its "is" is left out ("expected to", "required to").
_EXPECTED_FIRST = frozenset({"expected", "required", "allowed", "supposed", "meant", "able", "permitted"})
_OPENERS = frozenset("quick one 1 question so ok okay hi hey just wondering right and but um".split())


def about_me(tokens: list[str]) -> bool:
    return any(t in ME for t in tokens)
