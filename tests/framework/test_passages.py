"""What the documents say about themselves is data with its sources; joined cells read as one text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from framework_data.loader import FrameworkError, bundled_path, joined, load_bands, load_framework


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(bundled_path("lancaster").read_text(encoding="utf-8"))
    return data


def _problems(tmp_path: Path, raw: dict[str, Any]) -> list[str]:
    path = tmp_path / "university.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(path, load_bands())
    return [str(p) for p in caught.value.problems]


def test_the_passages_cite_where_they_come_from() -> None:
    fw = load_framework(bundled_path("lancaster"), load_bands()).framework
    passages = {p.id: p for p in fw.passages}
    assert {"technician-commitment", "hett", "career-grade", "switching-paths", "promotion-dates"} <= set(
        passages
    )
    commitment = passages["technician-commitment"]
    assert [p.label for p in commitment.points] == [
        "Visibility", "Career Development", "Recognition", "Sustainability",
    ]  # fmt: skip
    assert commitment.cited is not None and commitment.cited.document == "001_1a82f33654600c91.txt"
    assert passages["career-grade"].where.startswith("6.3 ")
    assert passages["promotion-dates"].not_given.startswith("The framework gives no dates")
    assert {t.id for t in fw.outside_topics} >= {"pay", "leave", "funding"}


def test_a_passage_must_say_something_and_name_its_phrases(tmp_path: Path) -> None:
    raw = _raw()
    raw["passages"].append({"id": "empty", "title": "Nothing", "asked_as": ["nothing"], "where": "nowhere"})
    raw["passages"].append({"id": "unasked", "title": "Unasked", "asked_as": [], "text": "x", "where": "1."})
    problems = _problems(tmp_path, raw)
    assert any("passages[" in p and "needs text, bullets, points or not_given" in p for p in problems)
    assert any("(unasked) → asked_as" in p for p in problems)


def test_a_move_between_paths_must_name_a_passage_that_exists(tmp_path: Path) -> None:
    raw = _raw()
    raw["between_paths_passage"] = "swaps"
    assert _problems(tmp_path, raw) == ["university.yaml: between_paths_passage: unknown passage 'swaps'"]


@pytest.mark.parametrize(
    ("referred", "adds", "reads"),
    [
        ("Assists under direction", "Responsible for basic housekeeping and maintenance.",
         "Assists under direction. Responsible for basic housekeeping and maintenance."),
        ("Implements solutions with due regard to the wider environment and broader context.",
         "but breadth of control and influence expands to strategic priorities.",
         "Implements solutions with due regard to the wider environment and broader context, but breadth of "
         "control and influence expands to strategic priorities."),
        ("Lead by example.", "Complexity increases.", "Lead by example. Complexity increases."),
    ],
)  # fmt: skip
def test_a_reference_and_what_it_adds_read_as_one_text(referred: str, adds: str, reads: str) -> None:
    assert joined(referred, adds) == reads


def test_the_bundled_joins_read_well() -> None:
    lancaster = load_framework(bundled_path("lancaster"), load_bands())
    facility = lancaster.descriptor("g4", "facility-management").text
    assert facility == "Assists under direction. Responsible for basic housekeeping and maintenance."
    service = lancaster.descriptor("g8-manager", "service-delivery").text
    assert service is not None and "broader context, but breadth of control" in service
