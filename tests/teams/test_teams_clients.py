"""Outbound Bot Connector clients are built once and reused, with their connections."""

from __future__ import annotations

from tests.teams.conftest import TeamsRig


async def test_replies_reuse_one_client_and_one_connection(teams: TeamsRig) -> None:
    for question in ("grade 5", "band 4", "help"):
        response = await teams.post(teams.activity(text=question))
        assert response.status == 202
        await teams.connector.wait_for(len(teams.connector.messages()) + 1)

    replies = teams.connector.messages()
    assert len(replies) == 3
    # One keep-alive connection carried every reply: a new client per turn would open one each time.
    assert len({reply.peer for reply in replies}) == 1
