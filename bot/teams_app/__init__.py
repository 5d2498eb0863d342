"""Build the Teams app package (manifest.json + icons) that an administrator uploads to Teams."""

from __future__ import annotations

import json
import re
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MANIFEST_SCHEMA = "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json"
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
# The manifest schema (v1.17) allows a developer name of at most 32 characters.
DEVELOPER_NAME = 32
# Teams shows these as the bot's command menu (at most ten per list); picking one sends its title as the
# message, so each title is something the bot answers, in at most 32 characters.
# The menus Teams shows above the compose box, one per scope (Teams allows ten commands in each): in the
# personal chat what each person does for themselves, and in channels and group chats what a channel asks.
PERSONAL_COMMANDS = [
    ("help", "What I can answer"),
    ("what does grade 6 need", "A role's requirements"),
    ("how do I get from grade 5 to 6", "Progression: criteria and what changes"),
    ("training for budget management", "Development opportunities"),
    ("what opportunities are open", "The bulletin's open opportunities"),
    ("bulletin settings", "Each matching opportunity, a weekly digest, or channel only"),
    ("start self-assessment", "Score yourself 1-10 on each competency of your role"),
    ("resume", "Carry on with a paused self-assessment"),
    ("export my data", "Everything techpath holds about you"),
    ("delete my data", "Erase your assessments, plans and chat links"),
]
CHANNEL_COMMANDS = [
    ("help", "What I can answer"),
    ("what does grade 6 need", "A role's requirements"),
    ("how do I get from grade 5 to 6", "Progression: criteria and what changes"),
    ("training for budget management", "Development opportunities"),
    ("band 4", "The crosswalk between grades and NTDC/HETT bands"),
    ("what opportunities are open", "The bulletin's open opportunities"),
    ("post the bulletin here", "Coordinators: use this channel for the bulletin"),
]


def build_manifest(app_id: str, public_url: str, developer: str, version: str = "1.0.0") -> dict[str, Any]:
    """The manifest for one Azure Bot registration; raises ValueError naming the setting that is wrong."""
    if not _GUID.match(app_id):
        raise ValueError("MICROSOFT_APP_ID must be the Azure Bot's application (client) id, a GUID")
    parts = urlsplit(public_url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("TECHPATH_PUBLIC_URL must be the bot's public https:// address")
    if not developer.strip() or len(developer) > DEVELOPER_NAME:
        raise ValueError(f"--developer must be 1 to {DEVELOPER_NAME} characters (Teams' limit)")
    if not _SEMVER.match(version):
        raise ValueError("--version must be three numbers, such as 1.0.2 (Teams wants MAJOR.MINOR.PATCH)")
    base = f"https://{parts.hostname}"
    personal = [{"title": title, "description": description} for title, description in PERSONAL_COMMANDS]
    channel = [{"title": title, "description": description} for title, description in CHANNEL_COMMANDS]
    return {
        "$schema": MANIFEST_SCHEMA,
        "manifestVersion": "1.17",
        "version": version,
        "id": app_id,
        "developer": {
            "name": developer,
            "websiteUrl": base,
            "privacyUrl": f"{base}/privacy",
            "termsOfUseUrl": f"{base}/terms",
        },
        "name": {"short": "techpath", "full": "techpath: technician career framework"},
        "description": {
            "short": "The technician career framework, answered in chat",
            "full": "Ask what a role needs, how to progress from one grade to the next and what training "
            "helps, and get the framework's own words with their sources.",
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#1D4F73",
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal", "team", "groupChat"],
                "supportsFiles": False,
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": ["personal"], "commands": personal},
                    {"scopes": ["team", "groupChat"], "commands": channel},
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [parts.hostname],
    }


def write_package(manifest: dict[str, Any], output: Path) -> Path:
    """Zip the manifest with the two icons, as Teams' "Upload a custom app" expects."""
    icons = resources.files(__name__)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, indent=2))
        for name in ("color.png", "outline.png"):
            package.writestr(name, icons.joinpath(name).read_bytes())
    return output
