"""Changes that could slip past the approval step or a colleague's ownership are refused with the reason:
with TECHPATH_BULLETIN_APPROVAL on, the author cannot rewrite what was approved (another coordinator can),
and a post that has not gone out is withdrawn only by its author."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import bulletin_desk
from bot.storage.bulletin import DRAFT, POSTED, RECALLED
from tests.bulletin.conftest import BulletinRig
from tests.bulletin.steps import opportunity
from tests.outbox_helpers import drained

APPROVAL = {"TECHPATH_BULLETIN_APPROVAL": "true"}


@pytest.mark.parametrize("rig_env", [APPROVAL])
async def test_an_approved_post_is_changed_by_another_coordinator_not_its_author(
    rig: BulletinRig, tmp_path: Path
) -> None:
    source = tmp_path / "secondment.yaml"
    source.write_text(opportunity("Imaging secondment", "secondment"))
    result = await rig.cli("bulletin", "post", str(source), "--as", "coord@uni.example", "--yes")
    assert result.exit_code == 0, result.output
    [held] = [int(line.split()[3].rstrip(":")) for line in result.output.splitlines() if "held for" in line]
    approved = await rig.cli("bulletin", "approve", str(held), "--as", "second@uni.example")
    assert approved.exit_code == 0, approved.output
    await drained(rig.stores)
    changed = tmp_path / "changed.yaml"
    changed.write_text(opportunity("Imaging secondment", "secondment", link="https://elsewhere.example/"))
    refused = await rig.cli("bulletin", "edit", str(held), str(changed))  # as its author
    assert refused.exit_code != 0
    assert "ask another coordinator to make this edit" in refused.output
    record = await rig.stores.bulletin.get(held)
    assert record is not None and record.link == "" and record.version == 1
    edited = await rig.cli("bulletin", "edit", str(held), str(changed), "--as", "second@uni.example")
    assert edited.exit_code == 0, edited.output
    record = await rig.stores.bulletin.get(held)
    assert record is not None and record.link == "https://elsewhere.example/" and record.status == POSTED


async def test_a_draft_is_withdrawn_by_its_author_only_and_a_revision_checks_what_it_changes(
    rig: BulletinRig, tmp_path: Path
) -> None:
    desk = bulletin_desk(rig.settings, rig.ctx, rig.stores)
    [fields], problems = desk.read(opportunity("Mentoring scheme", "mentoring"), "draft.yaml")
    assert problems == []
    draft = await rig.stores.bulletin.create(fields, DRAFT, "coord@uni.example")
    refused = await rig.cli("bulletin", "recall", str(draft.id), "--as", "second@uni.example")
    assert refused.exit_code != 0 and "only its author can withdraw it" in refused.output
    assert (await rig.stores.bulletin.get(draft.id)).status == DRAFT  # type: ignore[union-attr]
    # A revision made against a status or version that has moved on changes nothing.
    assert await rig.stores.bulletin.revise(draft.id, fields, POSTED) is None
    assert await rig.stores.bulletin.revise(draft.id, fields, DRAFT, draft.version + 1) is None
    revised = await rig.stores.bulletin.revise(draft.id, fields, DRAFT, draft.version)
    assert revised is not None and revised.version == draft.version + 1
    withdrawn = await rig.cli("bulletin", "recall", str(draft.id))  # as its author
    assert withdrawn.exit_code == 0, withdrawn.output
    assert (await rig.stores.bulletin.get(draft.id)).status == RECALLED  # type: ignore[union-attr]
