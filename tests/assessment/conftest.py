"""The Slack and Teams rigs, for assessments over the platforms' HTTP paths."""

from tests.slack.conftest import slack
from tests.teams.conftest import teams

__all__ = ["slack", "teams"]
