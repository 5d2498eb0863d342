"""The cards of the self-assessment: a question per competency, the evidence prompt and the summary."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from cards.model import Action, Bar, Card, Chart, Section
from framework_data.loader import LoadedFramework
from framework_data.schema import GridRow, Role
from handlers.assessment.buttons import Ident as Ident
from handlers.assessment.buttons import ident_value
from handlers.assessment.flow import MAX_SCORE, Phase, Progress, Verb, score_label
from handlers.qa.common import descriptor_section

DO = "assess.do"  # a step: value {"a": assessment id, "k": its key, "v": version, "c": verb, "s": score}
START = "assess.start"  # value {"role": ref, "fresh": bool}: begin (or begin again) against a role
SHOW = "assess.show"  # value {"a": assessment id, "k": its key}: a finished assessment's summary


SCALE = "1 = not at all competent or confident, 10 = extremely competent and confident."
# Strengths are the scores at or above this; development areas the lowest scores below the top.
STRONG = 7.0
DEVELOP_COUNT = 3


def grid_rows(loaded: LoadedFramework) -> dict[str, GridRow]:
    return {row.id: row for row in loaded.framework.grid}


def scored_rows(loaded: LoadedFramework, role: Role) -> tuple[list[str], list[str]]:
    """The grid rows to score for ``role`` in order, and those left out because the framework gives the
    role no descriptor for any of their competencies (a gap, or the source's "No")."""
    keep: list[str] = []
    left_out: list[str] = []
    for row in loaded.framework.grid:
        descriptors = [loaded.descriptor(role.id, matrix_row) for matrix_row in row.rows]
        if any(d.text is not None and not d.is_no for d in descriptors):
            keep.append(row.id)
        else:
            left_out.append(row.id)
    return keep, left_out


def do_action(label: str, ident: Ident, progress: Progress, verb: Verb, score: float | None = None) -> Action:
    fields: dict[str, object] = {"v": progress.version, "c": verb.value}
    if score is not None:
        fields["s"] = score
    style: Literal["default", "danger"] = "danger" if verb is Verb.CANCEL else "default"
    return Action(label=label, action_id=DO, value=ident_value(ident, **fields), style=style)


def _title(progress: Progress) -> str:
    return f"Self-assessment: {min(progress.step + 1, len(progress.rows))} of {len(progress.rows)}"


def question_card(
    loaded: LoadedFramework, role: Role, ident: Ident, progress: Progress, notice: str = ""
) -> Card:
    """The descriptor(s) of the current competency for the role, and the 1-10 scale."""
    row = grid_rows(loaded)[progress.row]
    sections = [Section(note=notice)] if notice else []
    sections.append(Section(heading=row.name, text=f"What {role.label} needs:"))
    for matrix_row in row.rows:
        descriptor = loaded.descriptor(role.id, matrix_row)
        heading = descriptor.row.label if len(row.rows) > 1 else ""
        sections.append(descriptor_section(descriptor, heading=heading))
    previous = progress.scores.get(row.id)
    if previous is not None:
        sections.append(Section(note=f"Your score so far: {score_label(previous)}."))
    return Card(
        title=_title(progress),
        subtitle=f"Against {role.label}",
        sections=sections,
        prompt=f"How competent and confident are you? {SCALE} "
        "Or type a score with evidence: “7 - I run the inductions”.",
        choices=[do_action(str(n), ident, progress, Verb.SCORE, float(n)) for n in range(1, 11)],
        actions=[
            do_action("Back", ident, progress, Verb.BACK),
            do_action("Skip", ident, progress, Verb.SKIP),
            do_action("Pause", ident, progress, Verb.PAUSE),
            do_action("Cancel", ident, progress, Verb.CANCEL),
        ],
        sources=[loaded.framework.grid_source] if loaded.framework.grid_source else [],
    )


def evidence_card(
    loaded: LoadedFramework, role: Role, ident: Ident, progress: Progress, notice: str = ""
) -> Card:
    row = grid_rows(loaded)[progress.row]
    score = progress.scores.get(row.id)
    sections = [Section(note=notice)] if notice else []
    sections.append(
        Section(
            heading=row.name,
            text=f"You scored {score_label(score) if score is not None else '-'} out of {MAX_SCORE:g}. "
            "What are you doing now that shows this? One line is enough; it stays private unless you share "
            "your assessment.",
        )
    )
    return Card(
        title=_title(progress),
        subtitle=f"Against {role.label}",
        sections=sections,
        actions=[
            do_action("No evidence, next", ident, progress, Verb.NO_EVIDENCE),
            do_action("Back", ident, progress, Verb.BACK),
            do_action("Pause", ident, progress, Verb.PAUSE),
        ],
    )


def paused_card(role: Role, ident: Ident, progress: Progress) -> Card:
    done = len(progress.scores)
    return Card(
        title="Self-assessment paused",
        subtitle=f"Against {role.label}",
        sections=[
            Section(
                text=f"{done} of {len(progress.rows)} competencies scored. Your answers are saved: say "
                "“resume” here or in any chat with me, on any platform, to carry on where you stopped."
            )
        ],
        actions=[
            do_action("Resume", ident, progress, Verb.RESUME),
            do_action("Cancel", ident, progress, Verb.CANCEL),
        ],
    )


CANCELLED = Card(
    title="Self-assessment cancelled",
    sections=[
        Section(text="Nothing was kept. Say “start self-assessment” whenever you want to begin again.")
    ],
)


def development_rows(progress: Progress) -> list[str]:
    """The lowest-scored rows below the top score (none when every score is the same), lowest first."""
    if len(set(progress.scores.values())) < 2:
        return []
    top = max(progress.scores.values())
    scored = sorted(progress.scores.items(), key=lambda item: (item[1], progress.rows.index(item[0])))
    return [row for row, score in scored if score < top][:DEVELOP_COUNT]


@dataclass(frozen=True)
class Earlier:
    """The person's previous finished assessment against the same role, to show what changed."""

    completed: datetime
    scores: dict[str, float]


def summary_card(
    loaded: LoadedFramework, role: Role, progress: Progress, aspired: bool, earlier: Earlier | None = None
) -> Card:
    """The scores as a chart, the strengths, and the development areas with Figure 5's opportunities."""
    rows = grid_rows(loaded)
    # A skipped competency has no bar value: it reads "skipped", not a score of 0 off the 1-10 scale.
    bars = [Bar(label=rows[r].name, value=progress.scores.get(r)) for r in progress.rows]
    scored = sorted(progress.scores.items(), key=lambda item: (item[1], progress.rows.index(item[0])))
    strengths = [r for r, score in sorted(scored, key=lambda i: -i[1]) if score >= STRONG]
    develop = development_rows(progress)
    sections: list[Section] = []
    if not progress.scores:
        sections.append(Section(text="You skipped every competency, so there is nothing to summarise yet."))
    if strengths:
        sections.append(
            Section(
                heading="Strengths",
                bullets=[f"{rows[r].name}: {score_label(progress.scores[r])}" for r in strengths],
            )
        )
    if develop:
        heading = f"Gaps against {role.label}" if aspired else "Development areas"
        sections.append(
            Section(
                heading=heading,
                bullets=[
                    f"{rows[r].name}: {score_label(progress.scores[r])}. Development: "
                    + (", ".join(rows[r].opportunities) or "none listed in the framework")
                    for r in develop
                ],
                note="Development opportunities from the framework's Figure 5. "
                "Development can also build on a strength.",
            )
        )
    elif progress.scores:
        sections.append(
            Section(
                text="Your scores are level across the competencies: "
                "talk with your manager about where to focus."
            )
        )
    if progress.skipped or any(r not in progress.scores for r in progress.rows):
        missing = [rows[r].name for r in progress.rows if r not in progress.scores]
        sections.append(Section(note=f"Skipped: {', '.join(missing)}."))
    if earlier is not None:
        sections.append(_changes(rows, progress, earlier))
    sections.append(
        Section(
            text="Next, as the framework suggests: discuss this with your manager (at your PDR or a 1:1) "
            "and agree the priority areas and development to put in your personal development plan."
        )
    )
    sources = [s for s in (loaded.framework.grid_source, loaded.framework.opportunities_source) if s]
    return Card(
        title=f"Your self-assessment against {role.label}",
        subtitle=f"{len(progress.scores)} of {len(progress.rows)} competencies scored",
        chart=Chart(title="Your scores (1-10)", bars=bars, max_value=MAX_SCORE),
        sections=sections,
        sources=sources,
    )


def _changes(rows: dict[str, GridRow], progress: Progress, earlier: Earlier) -> Section:
    changes = []
    for row in progress.rows:
        now, then = progress.scores.get(row), earlier.scores.get(row)
        if now is not None and then is not None and now != then:
            changes.append(f"{rows[row].name}: {score_label(then)} → {score_label(now)} ({now - then:+g})")
    heading = f"Since your assessment of {earlier.completed:%-d %B %Y}"
    if not changes:
        return Section(heading=heading, text="No score has changed.")
    return Section(heading=heading, bullets=changes)


def card_for(
    loaded: LoadedFramework,
    role: Role,
    ident: Ident,
    progress: Progress,
    aspired: bool,
    notice: str = "",
    earlier: Earlier | None = None,
) -> Card:
    """The card that shows where an assessment is now."""
    if progress.phase is Phase.SCORE:
        return question_card(loaded, role, ident, progress, notice)
    if progress.phase is Phase.EVIDENCE:
        return evidence_card(loaded, role, ident, progress, notice)
    if progress.phase is Phase.PAUSED:
        return paused_card(role, ident, progress)
    if progress.phase is Phase.COMPLETE:
        return summary_card(loaded, role, progress, aspired, earlier)
    return CANCELLED


def show_action(label: str, ident: Ident) -> Action:
    return Action(label=label, action_id=SHOW, value=ident_value(ident))


def start_action(
    label: str,
    role_ref: str,
    fresh: bool = False,
    style: Literal["default", "primary", "danger"] = "default",
    replacing: Ident | None = None,
) -> Action:
    """Start against ``role_ref``; ``replacing`` names the open assessment a fresh start discards, so a
    second click of the same button finds it already replaced and changes nothing."""
    fields: dict[str, object] = {"role": role_ref, "fresh": fresh}
    if replacing is not None:
        fields["replace"] = f"{replacing[0]}:{replacing[1]}"
    value = json.dumps(fields, separators=(",", ":"))
    return Action(label=label, action_id=START, value=value, style=style)
