"""The running servers of tests/slack and tests/teams, Teams with its tokens checked."""

from tests.slack.conftest import slack
from tests.teams.conftest import secured

__all__ = ["secured", "slack"]
