"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

from bot.app import build_context
from bot.settings import Settings
from handlers.types import Context


@pytest.fixture(scope="session")
def ctx() -> Context:
    """The bundled frameworks, loaded once: they are read-only."""
    return build_context(Settings(_env_file=None))
