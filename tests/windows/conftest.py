"""The Slack and Teams rigs, for window reminders over the platforms' real adapters."""

from tests.slack.conftest import slack
from tests.teams.conftest import teams

__all__ = ["slack", "teams"]
