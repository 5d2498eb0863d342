"""Golden files: each renderer's exact output for representative cards, reviewed by a person once.

A missing or different golden file fails. After an intended change, regenerate explicitly with
``UPDATE_GOLDEN=1 .venv/bin/pytest tests/cards/test_golden.py`` and read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cards.adaptive import render_adaptive
from cards.blockkit import render_blockkit
from cards.model import Card
from cards.text import render_text
from tests.cards.samples import SAMPLES

GOLDEN = Path(__file__).with_name("golden")
RENDERERS: dict[str, tuple[str, Callable[[Card], Any]]] = {
    "blockkit": ("json", render_blockkit),
    "adaptive": ("json", render_adaptive),
    "text": ("txt", render_text),
}


def _serialise(output: Any, suffix: str) -> str:
    if suffix == "json":
        return json.dumps(output, indent=2, ensure_ascii=False) + "\n"
    return str(output) + "\n"


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("sample", SAMPLES)
def test_matches_golden_file(sample: str, renderer: str) -> None:
    suffix, render = RENDERERS[renderer]
    text = _serialise(render(SAMPLES[sample]()), suffix)
    path = GOLDEN / f"{sample}.{renderer}.{suffix}"
    # Only an explicit request writes golden files: a missing one must fail, never be quietly created.
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


def test_every_golden_file_belongs_to_a_sample() -> None:
    expected = {f"{s}.{r}.{suffix}" for s in SAMPLES for r, (suffix, _) in RENDERERS.items()}
    assert {p.name for p in GOLDEN.iterdir()} == expected
