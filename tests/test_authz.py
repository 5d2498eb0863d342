"""Who may see and do what."""

from __future__ import annotations

from bot.storage.people import PersonRecord
from handlers.authz import can_view_assessment, is_coordinator


def person(pid: int, email: str, manager: str = "", roles: frozenset[str] = frozenset()) -> PersonRecord:
    return PersonRecord(email, email.split("@")[0], "Physics", "5", "g5", manager, roles, id=pid)


ANA = person(1, "ana@uni.example", manager="boss@uni.example")
BOSS = person(2, "boss@uni.example")
PEER = person(3, "peer@uni.example", manager="boss@uni.example")
ADMIN = person(4, "admin@uni.example", roles=frozenset({"admin"}))
COORDINATOR = person(5, "tc@uni.example", roles=frozenset({"coordinator"}))


def test_only_coordinators_and_admins_post_and_schedule() -> None:
    assert is_coordinator(COORDINATOR) and is_coordinator(ADMIN)
    assert not is_coordinator(ANA) and not is_coordinator(BOSS) and not is_coordinator(None)


def test_an_assessment_is_seen_by_its_owner_and_by_their_manager_only_when_shared() -> None:
    assert can_view_assessment(ANA, ANA, shared_with_manager=False)
    assert not can_view_assessment(BOSS, ANA, shared_with_manager=False)
    assert can_view_assessment(BOSS, ANA, shared_with_manager=True)
    # Sharing with your manager is not sharing with anyone else: not a peer, not an admin, not a coordinator.
    for other in (PEER, ADMIN, COORDINATOR):
        assert not can_view_assessment(other, ANA, shared_with_manager=True)
