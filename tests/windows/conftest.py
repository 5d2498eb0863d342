"""The Slack and Teams rigs, for window reminders over the platforms' real adapters; and the same rigs
around a router whose window feature reads a clock the test moves (``now``)."""

from collections.abc import AsyncIterator

import pytest

from bot.app import build_router
from bot.core import Context
from bot.storage.stores import Stores
from tests.slack.conftest import SlackRig, slack, slack_rig
from tests.teams.conftest import TeamsRig, teams, teams_rig
from tests.windows.helpers import CALENDAR, Now

__all__ = ["slack", "teams"]


@pytest.fixture
def now() -> Now:
    return Now()


@pytest.fixture
async def slack_at(ctx: Context, stores: Stores, now: Now) -> AsyncIterator[SlackRig]:
    async with slack_rig(ctx, stores, build_router(ctx, stores, CALENDAR, now)) as rig:
        yield rig


@pytest.fixture
async def teams_at(ctx: Context, stores: Stores, now: Now) -> AsyncIterator[TeamsRig]:
    async with teams_rig(ctx, stores, build_router(ctx, stores, CALENDAR, now)) as rig:
        yield rig
