"""``staffroom teams package``: the zip a Teams admin uploads (manifest.json, the two icons, and a
localization file for each language besides English).

The manifest in ``manifest/`` is a template: the bot id comes from ``MICROSOFT_APP_ID`` and the command
lists from the core's verb registry, so the suggestions Teams shows are exactly the verbs the bot parses,
features included, and never drift from the code. The app's name and descriptions are here, marked for
translation, so Teams shows them from the same catalogs as every message: a client set to Spanish
reads ``es.json``.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.kernel.commands import Verb
from bot.kernel.i18n import LANGUAGES, N_, SOURCE_LANGUAGE, _, speaking

MANIFEST_DIR = Path(__file__).parent / "manifest"
ICONS = ("color.png", "outline.png")
MAX_COMMANDS = 10
"""Teams shows at most ten commands a scope."""
LOCALIZATION_SCHEMA = "https://developer.microsoft.com/en-us/json-schemas/teams/v1.19/MicrosoftTeams.Localization.schema.json"
NAME_FULL = N_("Staffroom: peer mentoring for teachers")
DESCRIPTION_SHORT = N_("Peer mentoring, check-ins and lesson observations for teachers.")
DESCRIPTION_FULL = N_(
    "Staffroom pairs experienced teachers with newer ones and forms small peer groups, asks a "
    "one-minute weekly check-in at a good time for each teacher, helps teachers invite a colleague "
    "to observe a lesson, and gives coordinators a weekly picture of participation. Reflections stay "
    "private: coordinators only ever see totals."
)
_LIMITS = {"name.full": 100, "description.short": 80, "description.full": 4000}
"""What Teams accepts for each, in characters."""


def _command(verb: Verb) -> dict[str, str]:
    """A verb's title stays the verb in every language: choosing it sends it as typed."""
    return {"title": verb.name[:32], "description": _(verb.summary)[:128]}


def _words() -> dict[str, str]:
    """The app's name and descriptions in the language being spoken."""
    found = {
        "name.full": _(NAME_FULL),
        "description.short": _(DESCRIPTION_SHORT),
        "description.full": _(DESCRIPTION_FULL),
    }
    return {key: text[: _LIMITS[key]] for key, text in found.items()}


def command_list(verbs: Iterable[Verb]) -> list[dict[str, str]]:
    """Teachers' verbs first (they are most of the users), then coordinators', ten at most."""
    ordered = sorted(verbs, key=lambda v: v.coordinator_only)
    return [_command(v) for v in ordered[:MAX_COMMANDS]]


def build_manifest(
    app_id: str, verbs: Iterable[Verb], endpoint: str | None = None
) -> dict[str, Any]:
    text = (MANIFEST_DIR / "manifest.json").read_text(encoding="utf-8")
    manifest: dict[str, Any] = json.loads(text.replace("{{MICROSOFT_APP_ID}}", app_id))
    verbs = list(verbs)
    with speaking(SOURCE_LANGUAGE):
        words = _words()
        commands = command_list(verbs)
    manifest["name"]["full"] = words["name.full"]
    manifest["description"] = {
        "short": words["description.short"],
        "full": words["description.full"],
    }
    manifest["bots"][0]["commandLists"] = [
        {"scopes": ["personal"], "commands": commands},
        {"scopes": ["team"], "commands": commands},
    ]
    manifest["localizationInfo"] = {
        "defaultLanguageTag": "en",
        "additionalLanguages": [
            {"languageTag": code, "file": f"{code}.json"} for code in _translated()
        ],
    }
    if endpoint:
        host = urlparse(endpoint).hostname
        if host:
            manifest["validDomains"] = [host]
    return manifest


def _translated() -> list[str]:
    return [code for code in LANGUAGES if code != SOURCE_LANGUAGE]


def localization(language: str, verbs: Iterable[Verb]) -> dict[str, str]:
    """Teams' localization file for one language: the name, the descriptions and each suggested
    command's description, keyed by where they sit in the manifest."""
    with speaking(language):
        found: dict[str, str] = {"$schema": LOCALIZATION_SCHEMA, "name.short": "Staffroom"}
        found |= _words()
        commands = command_list(verbs)
    for index in range(2):  # the personal and the team list
        for position, command in enumerate(commands):
            key = f"bots[0].commandLists[{index}].commands[{position}].description"
            found[key] = command["description"]
    return found


def write_package(
    out: Path, app_id: str, verbs: Iterable[Verb], endpoint: str | None = None
) -> Path:
    verbs = list(verbs)
    manifest = build_manifest(app_id, verbs, endpoint)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for code in _translated():
            words = json.dumps(localization(code, verbs), indent=2, ensure_ascii=False)
            archive.writestr(f"{code}.json", words)
        for icon in ICONS:
            archive.write(MANIFEST_DIR / icon, icon)
    return out
