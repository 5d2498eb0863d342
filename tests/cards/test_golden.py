"""Golden files: each renderer's exact output for representative cards, reviewed by a person once.

After an intended change: ``UPDATE_GOLDEN=1 python3 dev.py test tests/cards``, then read the diff.
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


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("sample", SAMPLES)
def test_matches_golden_file(sample: str, renderer: str) -> None:
    suffix, render = RENDERERS[renderer]
    output = render(SAMPLES[sample]())
    text = json.dumps(output, indent=2, ensure_ascii=False) + "\n" if suffix == "json" else output + "\n"
    path = GOLDEN / f"{sample}.{renderer}.{suffix}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")
