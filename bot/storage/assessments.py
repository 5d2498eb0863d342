"""Self-assessments, kept per person (not per conversation) so one paused in Slack resumes in Teams."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from bot.storage.assessment_progress import OPEN, Phase, Progress
from bot.storage.database import Database
from bot.storage.tables import Assessment, utcnow


@dataclass(frozen=True)
class AssessmentRecord:
    id: int
    # Random, and never reused: buttons carry it so that one from a deleted assessment cannot act on a
    # newer one given the same id.
    key: str
    person_id: int
    framework_id: str
    role_id: str
    progress: Progress
    started_at: datetime
    completed_at: datetime | None
    shared_with_manager_at: datetime | None
    # The personal development plan: one dict per row, with the Appendix 3 columns.
    plan: tuple[dict[str, str], ...] = ()
    # The manager's view, once shared: {"scores": {row: score}, "comment": str, "at": iso time}.
    review: dict[str, Any] = field(default_factory=dict)

    @property
    def shared(self) -> bool:
        return self.shared_with_manager_at is not None


class AlreadyOpen(Exception):
    """Another assessment of the person's was started at the same moment (another chat, another replica)."""


class StaleAssessment(Exception):
    """The assessment changed (another click, another platform) since it was read: nothing was saved."""


class AssessmentStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    async def open_for(self, person_id: int) -> AssessmentRecord | None:
        """The person's assessment in progress or paused, if any (there is at most one)."""
        async with self._db.reading() as session:
            row = await session.scalar(
                select(Assessment)
                .where(Assessment.person_id == person_id, Assessment.status.in_([p.value for p in OPEN]))
                .order_by(Assessment.started_at.desc())
                .limit(1)
            )
            return _record(row) if row else None

    async def get(self, assessment_id: int) -> AssessmentRecord | None:
        async with self._db.reading() as session:
            row = await session.get(Assessment, assessment_id)
            return _record(row) if row else None

    async def completed_for(self, person_id: int) -> list[AssessmentRecord]:
        """Finished assessments, newest first."""
        async with self._db.reading() as session:
            rows = await session.scalars(
                select(Assessment)
                .where(Assessment.person_id == person_id, Assessment.status == Phase.COMPLETE.value)
                .order_by(Assessment.completed_at.desc(), Assessment.id.desc())
            )
            return [_record(r) for r in rows]

    async def start(
        self, person_id: int, framework_id: str, role_id: str, progress: Progress
    ) -> AssessmentRecord:
        """A new assessment; any open one of the person's is discarded (the caller has asked them)."""
        async with self._db.writing() as session:
            await session.execute(
                delete(Assessment).where(
                    Assessment.person_id == person_id, Assessment.status.in_([p.value for p in OPEN])
                )
            )
            row = Assessment(
                person_id=person_id,
                framework_id=framework_id,
                role_id=role_id,
                status=progress.phase.value,
                progress={**_progress_json(progress), "key": secrets.token_hex(6)},
                scores=dict(progress.scores),
                evidence=dict(progress.evidence),
            )
            session.add(row)
            try:
                await session.flush()
            except IntegrityError as exc:
                raise AlreadyOpen(person_id) from exc
            return _record(row)

    async def save_plan(self, record: AssessmentRecord, items: list[dict[str, str]]) -> AssessmentRecord:
        """Replace the personal development plan of a finished assessment."""
        plan = {"items": items, "updated_at": utcnow().isoformat()}
        async with self._db.writing() as session:
            result = await session.execute(
                update(Assessment)
                .where(Assessment.id == record.id, Assessment.status == Phase.COMPLETE.value)
                .values(plan=plan, updated_at=utcnow())
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise StaleAssessment(record.id)
        return _replace_plan(record, items)

    async def set_shared(self, record: AssessmentRecord, shared: bool) -> AssessmentRecord:
        """Share a finished assessment with the manager, or stop sharing it."""
        moment = utcnow() if shared else None
        async with self._db.writing() as session:
            result = await session.execute(
                update(Assessment)
                .where(Assessment.id == record.id, Assessment.status == Phase.COMPLETE.value)
                .values(shared_with_manager_at=moment)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise StaleAssessment(record.id)
        return replace(record, shared_with_manager_at=moment)

    async def save_review(
        self, record: AssessmentRecord, scores: dict[str, float], comment: str, by: int
    ) -> AssessmentRecord:
        """The manager's own scores and comment; only while the assessment is shared."""
        review = {"scores": scores, "comment": comment, "at": utcnow().isoformat(), "by": by}
        async with self._db.writing() as session:
            result = await session.execute(
                update(Assessment)
                .where(Assessment.id == record.id, Assessment.shared_with_manager_at.is_not(None))
                .values(review=review)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise StaleAssessment(record.id)
        return replace(record, review=review)

    async def sharing(self, person_ids: Sequence[int]) -> set[int]:
        """Which of these people share a finished assessment with their manager (one query for many)."""
        found: set[int] = set()
        async with self._db.reading() as session:
            for start in range(0, len(person_ids), 1000):
                found.update(
                    await session.scalars(
                        select(Assessment.person_id).where(
                            Assessment.person_id.in_(person_ids[start : start + 1000]),
                            Assessment.status == Phase.COMPLETE.value,
                            Assessment.shared_with_manager_at.is_not(None),
                        )
                    )
                )
        return found

    async def latest_shared(self, person_id: int) -> AssessmentRecord | None:
        """A report's most recent finished assessment that they share with their manager."""
        async with self._db.reading() as session:
            row = await session.scalar(
                select(Assessment)
                .where(
                    Assessment.person_id == person_id,
                    Assessment.status == Phase.COMPLETE.value,
                    Assessment.shared_with_manager_at.is_not(None),
                )
                .order_by(Assessment.completed_at.desc(), Assessment.id.desc())
                .limit(1)
            )
            return _record(row) if row else None

    async def save(self, record: AssessmentRecord, progress: Progress) -> AssessmentRecord:
        """Store ``progress`` if the assessment is still at the version ``record`` was read at; a
        cancelled assessment is deleted with its answers. Raises StaleAssessment otherwise."""
        expected = record.progress.version
        async with self._db.writing() as session:
            if progress.phase is Phase.CANCELLED:
                result = await session.execute(delete(Assessment).where(*_at_version(record.id, expected)))
            else:
                now = utcnow()
                values: dict[str, Any] = {
                    "status": progress.phase.value,
                    "progress": {**_progress_json(progress), "key": record.key},
                    "scores": dict(progress.scores),
                    "evidence": dict(progress.evidence),
                    "updated_at": now,
                    "completed_at": now if progress.phase is Phase.COMPLETE else None,
                }
                result = await session.execute(
                    update(Assessment).where(*_at_version(record.id, expected)).values(**values)
                )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise StaleAssessment(record.id)
        completed = utcnow() if progress.phase is Phase.COMPLETE else None
        return replace(record, progress=progress, completed_at=completed)


def _replace_plan(record: AssessmentRecord, items: list[dict[str, str]]) -> AssessmentRecord:
    return replace(record, plan=tuple(dict(item) for item in items))


def _at_version(assessment_id: int, version: int) -> tuple[Any, ...]:
    # The version lives in the JSON; comparing it there keeps the check and the write one statement.
    return (Assessment.id == assessment_id, Assessment.progress["version"].as_integer() == version)


def _progress_json(progress: Progress) -> dict[str, Any]:
    return {
        "rows": list(progress.rows),
        "step": progress.step,
        "paused_in": progress.paused_in.value,
        "version": progress.version,
    }


def _record(row: Assessment) -> AssessmentRecord:
    stored = row.progress or {}
    progress = Progress(
        rows=tuple(stored.get("rows", [])),
        step=int(stored.get("step", 0)),
        phase=Phase(row.status),
        scores={k: float(v) for k, v in (row.scores or {}).items()},
        evidence={k: str(v) for k, v in (row.evidence or {}).items()},
        paused_in=Phase(stored.get("paused_in", Phase.SCORE.value)),
        version=int(stored.get("version", 0)),
    )
    return AssessmentRecord(
        row.id,
        str(stored.get("key", "")),
        row.person_id,
        row.framework_id,
        row.role_id,
        progress,
        row.started_at,
        row.completed_at,
        row.shared_with_manager_at,
        tuple(dict(item) for item in (row.plan or {}).get("items", [])),
        dict(row.review or {}),
    )
