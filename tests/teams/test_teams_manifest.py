"""The Teams app package's manifest.json against Microsoft's published manifest schema (vendored)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from bot.app import build_router
from bot.core import Context, Event, EventKind
from bot.storage.people import PersonFields
from bot.storage.stores import Stores
from bot.teams_app import CHANNEL_COMMANDS, MANIFEST_SCHEMA, PERSONAL_COMMANDS, build_manifest, write_package
from tests.assessment.test_conversation import Chat

SCHEMAS = Path(__file__).with_name("manifest_schema")
APP_ID = "11111111-2222-3333-4444-555555555555"
PUBLIC_URL = "https://techpath.example.ac.uk/"


def official_schema(manifest_version: str) -> dict[str, Any]:
    path = SCHEMAS / f"v{manifest_version}" / "MicrosoftTeams.schema.json"
    assert path.exists(), f"no vendored schema for manifestVersion {manifest_version}"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def problems(manifest: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """Every schema violation as "where: what"; empty when the manifest is valid."""
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft4Validator, "review the validator"
    # The schema declares draft-04 yet pins manifestVersion with draft-06's "const", which Microsoft's own
    # validator (Ajv) applies; a plain draft-04 validator would skip it.
    validator_class = jsonschema.validators.extend(
        jsonschema.Draft4Validator, {"const": jsonschema.Draft6Validator.VALIDATORS["const"]}
    )
    validator = validator_class(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(manifest), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors]


@pytest.fixture
def packaged(tmp_path: Path) -> dict[str, Any]:
    """manifest.json as read back from the zip an administrator uploads."""
    manifest = build_manifest(APP_ID, PUBLIC_URL, "Example University")
    with zipfile.ZipFile(write_package(manifest, tmp_path / "techpath.zip")) as package:
        return json.loads(package.read("manifest.json"))  # type: ignore[no-any-return]


def test_the_packaged_manifest_passes_the_official_schema(packaged: dict[str, Any]) -> None:
    assert problems(packaged, official_schema(packaged["manifestVersion"])) == []


def test_the_manifest_names_the_schema_of_its_own_version(packaged: dict[str, Any]) -> None:
    assert packaged["$schema"] == MANIFEST_SCHEMA
    assert MANIFEST_SCHEMA.endswith(f"/v{packaged['manifestVersion']}/MicrosoftTeams.schema.json")


def test_the_longest_developer_name_the_schema_allows_still_passes(packaged: dict[str, Any]) -> None:
    manifest = build_manifest(APP_ID, PUBLIC_URL, "x" * 32)
    assert problems(manifest, official_schema(packaged["manifestVersion"])) == []


def test_the_check_rejects_what_teams_would_refuse(packaged: dict[str, Any]) -> None:
    schema = official_schema(packaged["manifestVersion"])
    broken = json.loads(json.dumps(packaged))
    broken["bots"][0]["commandLists"][0]["commands"][0]["title"] = "t" * 33
    broken["accentColor"] = "blue"
    broken["manifestVersion"] = "1.16"
    found = problems(broken, schema)
    assert any(p.startswith("bots/0/commandLists/0/commands/0/title: ") and "too long" in p for p in found)
    assert any(p.startswith("accentColor: ") for p in found)
    assert any(p.startswith("manifestVersion: ") for p in found)


@pytest.mark.parametrize(
    ("developer", "version", "says"),
    [
        ("University of Example Technical Services", "1.0.0", "--developer must be 1 to 32 characters"),
        ("  ", "1.0.0", "--developer must be 1 to 32 characters"),
        ("Example University", "1.0", "--version must be three numbers"),
        ("Example University", "v2.0.0", "--version must be three numbers"),
    ],
)
def test_options_the_schema_would_refuse_are_refused_by_name(developer: str, version: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        build_manifest(APP_ID, PUBLIC_URL, developer, version)


# What picking each entry of the personal chat's menu answers there, in order (the menu sends the title
# as the person's message).
PERSONAL_ANSWERS = {
    "help": "What I can answer",
    "what does grade 6 need": "Grade 6 Senior (Descriptor) Technician",
    "how do I get from grade 5 to 6": "From Grade 5 (Descriptor) Technician to "
    "Grade 6 Senior (Descriptor) Technician",
    "training for budget management": "Development opportunities: Budget Management",
    "what opportunities are open": "No open opportunities match",
    "bulletin settings": "Your bulletin settings",
    "start self-assessment": "Self-assessment: 1 of 10",
    "resume": "Self-assessment: 1 of 10",
    "export my data": "Your data",
    "delete my data": "Delete your data?",
}
# And the channels' menu, in a team channel.
CHANNEL_ANSWERS = {
    "help": "What I can answer",
    "what does grade 6 need": "Grade 6 Senior (Descriptor) Technician",
    "how do I get from grade 5 to 6": "From Grade 5 (Descriptor) Technician to "
    "Grade 6 Senior (Descriptor) Technician",
    "training for budget management": "Development opportunities: Budget Management",
    "band 4": "Crosswalk: grades, bands and levels",
    "what opportunities are open": "No open opportunities match",
    "post the bulletin here": "Only coordinators can do that",  # Ana is not one
}


async def test_every_menu_command_is_answered(ctx: Context, stores: Stores) -> None:
    await stores.people.upsert(
        [PersonFields("ana@uni.example", "Ana Costa", "Physics", "5", "g5", "", frozenset())]
    )
    router = build_router(ctx, stores)
    chat = Chat(router, platform="teams")
    await chat.say("hello")
    answered = {title: (await chat.say(title)).title for title, _ in PERSONAL_COMMANDS}
    assert answered == PERSONAL_ANSWERS
    in_channel = {}
    for title, _ in CHANNEL_COMMANDS:
        event = Event(
            kind=EventKind.MESSAGE,
            platform="teams",
            tenant="T1",
            conversation_id="teams:T1:19:general@thread.tacv2",
            channel="19:general@thread.tacv2",
            user_id="U-ana",
            email="ana@uni.example",
            text=title,
        )
        [*_, reply] = await router.dispatch(event)
        in_channel[title] = reply.card.title
    assert in_channel == CHANNEL_ANSWERS
