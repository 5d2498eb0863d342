"""Loading framework files: references resolved as the source intends, every defect reported by place."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from framework_data.loader import FrameworkError, bundled_path, load_bands, load_framework


@pytest.fixture(scope="module")
def lancaster() -> Any:
    return load_framework(bundled_path("lancaster"), load_bands())


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(bundled_path("lancaster").read_text(encoding="utf-8"))
    return data


def _role(raw: dict[str, Any], role_id: str) -> dict[str, Any]:
    role: dict[str, Any] = next(r for r in raw["roles"] if r["id"] == role_id)
    return role


def _problems(tmp_path: Path, raw: dict[str, Any] | str) -> list[str]:
    path = tmp_path / "university.yaml"
    path.write_text(
        raw if isinstance(raw, str) else yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8"
    )
    with pytest.raises(FrameworkError) as caught:
        load_framework(path, load_bands())
    return [str(p) for p in caught.value.problems]


def test_bundled_lancaster_has_every_role_row_and_grid_row(lancaster: Any) -> None:
    fw = lancaster.framework
    assert [r.id for r in fw.roles] == [
        "g3", "g4", "g5", "g6", "g7-specialist", "g7-manager", "g8-specialist", "g8-manager", "g9",
    ]  # fmt: skip
    assert len(fw.rows) == 13
    assert len([r for r in fw.rows if r.kind == "competency"]) == 11
    assert len(fw.grid) == 10
    assert len(lancaster.descriptors) == 9 * 13


def test_grade_4_is_band_1_or_2(lancaster: Any) -> None:
    assert lancaster.roles["g4"].bands == ["1", "2"]


def test_as_grade_7_specialist_shows_the_specialist_text(lancaster: Any) -> None:
    manager = lancaster.descriptor("g7-manager", "budget")
    assert manager.source_text == "As grade 7 Specialist"
    assert manager.text is not None and manager.text.startswith("Yes for their facility.")
    assert manager.shared_with.id == "g7-specialist"


def test_reference_with_added_words_keeps_both(lancaster: Any) -> None:
    research = lancaster.descriptor("g5", "research-delivery")
    assert research.text == (
        "May be required to analyse routine data or information using predetermined procedures. "
        "Complexity of information and range data sets increases."
    )
    assert research.shared_with.id == "g4"


def test_chained_reference_reaches_the_original_text(lancaster: Any) -> None:
    # Grade 9 "As grade 8" → grade 8 Manager "As grade 8 Senior Specialist" → the specialist's own words.
    communication = lancaster.descriptor("g9", "communication")
    assert communication.text is not None and communication.text.startswith(
        "High level strategic communication"
    )
    assert communication.shared_with.id == "g8-specialist"


def test_source_defects_are_gaps_not_invented_text(lancaster: Any) -> None:
    empty = lancaster.descriptor("g9", "facility-management")
    self_reference = lancaster.descriptor("g9", "staff-management")
    assert empty.text is None and empty.source_text == "" and "empty" in empty.gap
    assert self_reference.text is None and self_reference.source_text == "As grade 9"


def test_no_cell_is_left_as_an_unresolved_reference(lancaster: Any) -> None:
    for descriptor in lancaster.descriptors.values():
        assert descriptor.text is None or not descriptor.text.startswith("As grade")


def test_imperial_and_bands_load() -> None:
    imperial = load_framework(bundled_path("imperial"), load_bands())
    assert [lv.number for lv in imperial.framework.levels] == [1, 2, 3, 4, 5]
    assert [b.number for b in load_bands().bands] == ["1", "2", "3", "4", "5", "6"]


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "id: x\nroles: [\n  - oops: : :\n")
    assert len(problems) == 1
    assert problems[0].startswith("university.yaml: line ")
    assert "not valid YAML" in problems[0]


def test_unknown_field_names_the_role(tmp_path: Path) -> None:
    raw = _raw()
    _role(raw, "g6")["titel"] = "typo"
    problems = _problems(tmp_path, raw)
    assert any("roles[3] (g6)" in p and "titel" in p for p in problems), problems


def test_a_passages_yes_or_no_must_rest_on_its_own_words(tmp_path: Path) -> None:
    raw = _raw()
    passage = next(p for p in raw["passages"] if p["id"] == "new-job-description")
    passage["answers"][0]["because"] = "Every technician must adopt the new JD."
    problems = _problems(tmp_path, raw)
    assert any("the passage's own words" in p and "Every technician must adopt" in p for p in problems), (
        problems
    )


def test_a_row_said_instead_must_be_another_row(tmp_path: Path) -> None:
    raw = _raw()
    teaching = next(r for r in raw["rows"] if r["id"] == "teaching-delivery")
    teaching["instead"] = ["teaching-support", "teaching-delivery"]
    problems = _problems(tmp_path, raw)
    assert any("'instead' names no other row: teaching-support, teaching-delivery" in p for p in problems), (
        problems
    )


def test_unquoted_no_is_explained(tmp_path: Path) -> None:
    raw = _raw()
    _role(raw, "g3")["cells"]["budget"] = False
    problems = _problems(tmp_path, raw)
    assert any("(g3)" in p and "budget" in p and 'quotes, e.g. "No"' in p for p in problems), problems


def test_every_reference_problem_is_reported_at_once(tmp_path: Path) -> None:
    raw = _raw()
    _role(raw, "g8-manager")["cells"]["budget"] = {"text": "As grade 10", "refers_to": "g10"}
    _role(raw, "g6")["cells"]["planning"] = {"text": "As grade 6", "refers_to": "g6"}
    _role(raw, "g5")["cells"]["teamwork"] = "As grade 4."
    del _role(raw, "g4")["cells"]["communication"]
    problems = _problems(tmp_path, raw)
    assert any("role g8-manager, row budget: refers to unknown role 'g10'" in p for p in problems)
    assert any("role g6, row planning: refers to itself" in p for p in problems)
    assert any("role g5, row teamwork: reads like a reference" in p for p in problems)
    assert any("role g4, row communication: no cell" in p for p in problems)
    assert all(p.startswith("university.yaml: ") for p in problems)


def test_circular_reference_is_reported(tmp_path: Path) -> None:
    raw = _raw()
    _role(raw, "g3")["cells"]["safety"] = {"text": "As grade 4", "refers_to": "g4"}
    problems = _problems(tmp_path, raw)
    assert any(
        "circular reference: g4 → g3 → g4" in p or "circular reference: g3 → g4 → g3" in p for p in problems
    )


def test_unknown_band_and_path(tmp_path: Path) -> None:
    raw = _raw()
    _role(raw, "g9")["bands"] = ["7"]
    _role(raw, "g3")["path"] = "wizard"
    problems = _problems(tmp_path, raw)
    assert any("role g9: unknown HETT band '7'" in p for p in problems)
    assert any("role g3: unknown path 'wizard'" in p for p in problems)


def test_missing_file_is_a_clear_problem(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError) as caught:
        load_framework(tmp_path / "nope.yaml")
    assert "cannot read the file" in str(caught.value)


def _lancaster_lines() -> list[str]:
    return bundled_path("lancaster").read_text(encoding="utf-8").splitlines(keepends=True)


# Grade 4's communication cell: a long double-quoted value followed by the next role's "  - id:" line.
G4_COMMUNICATION = next(
    n
    for n, text in enumerate(_lancaster_lines(), start=1)
    if text.startswith('      communication: "Understand and convey information which requires careful')
)
G4_LENGTH = len(_lancaster_lines()[G4_COMMUNICATION - 1].rstrip())


def _lancaster_with(line: int, change: Callable[[str], str]) -> str:
    lines = _lancaster_lines()
    lines[line - 1] = change(lines[line - 1])
    return "".join(lines)


def test_an_unclosed_quote_is_named_where_it_opens(tmp_path: Path) -> None:
    # Grade 4's communication cell loses its closing quote; YAML reads on past the next role's first line.
    line = G4_COMMUNICATION
    text = _lancaster_with(line, lambda cell: cell.rstrip().removesuffix('"') + "\n")
    assert _problems(tmp_path, text) == [
        f"university.yaml: line {line}: a quote opened here is never closed (YAML read on to line {line + 2} "
        "looking for it)"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda line: line.rstrip() + " and more\n",
            f"line {G4_COMMUNICATION}, column {G4_LENGTH + 2}: text follows the closing quote of a value: "
            "a double quote inside a "
            'double-quoted value is written \\", or put the whole value in single quotes',
        ),
        (
            lambda line: (
                line.replace('communication: "', "communication: Note: ").rstrip().removesuffix('"') + "\n"
            ),
            f"line {G4_COMMUNICATION}, column 26: a colon followed by a space inside an unquoted value: "
            "put the whole value "
            'in double quotes ("...")',
        ),
        (
            lambda line: "\t" + line.lstrip(),
            f"line {G4_COMMUNICATION}: a tab character: YAML indents with spaces only",
        ),
        (
            lambda line: "  " + line,
            f"line {G4_COMMUNICATION}: indented differently from the lines around it: "
            "YAML reads indentation as structure, "
            "so line the key up with the others at its level",
        ),
    ],
    ids=["text after a quote", "colon in an unquoted value", "tab", "indentation"],
)
def test_common_yaml_mistakes_are_said_in_plain_words(
    tmp_path: Path, change: Callable[[str], str], expected: str
) -> None:
    assert _problems(tmp_path, _lancaster_with(G4_COMMUNICATION, change)) == [f"university.yaml: {expected}"]


def test_the_fast_parser_reads_the_bundled_files_as_the_python_one_does() -> None:
    for name in ("lancaster", "imperial", "hett"):
        text = bundled_path(name).read_text(encoding="utf-8")
        assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.load(text, Loader=yaml.SafeLoader), name


def test_problems_are_listed_in_the_files_order_on_every_run(tmp_path: Path) -> None:
    raw = _raw()
    for row in ("knowledge", "teamwork", "budget", "communication"):
        del _role(raw, "g6")["cells"][row]
    _role(raw, "g3")["path"] = "wizard"
    path = tmp_path / "university.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    techpath = str(Path(sys.executable).with_name("techpath"))
    outputs = {
        subprocess.run(
            [techpath, "validate-framework", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stderr
        for seed in range(6)
    }
    assert outputs == {
        f"{path}: 5 problems\n"
        "  university.yaml: role g3: unknown path 'wizard'; paths are technical, specialist, manager\n"
        "  university.yaml: role g6, row knowledge: no cell: give the source text, or a 'gap'\n"
        "  university.yaml: role g6, row teamwork: no cell: give the source text, or a 'gap'\n"
        "  university.yaml: role g6, row budget: no cell: give the source text, or a 'gap'\n"
        "  university.yaml: role g6, row communication: no cell: give the source text, or a 'gap'\n"
    }
