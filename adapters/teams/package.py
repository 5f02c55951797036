"""``staffroom teams package``: the zip a Teams admin uploads (manifest.json and the two icons).

The manifest in ``manifest/`` is a template: the bot id comes from ``MICROSOFT_APP_ID`` and the command
lists from the core's verb registry, so the suggestions Teams shows are exactly the verbs the bot parses,
features included, and never drift from the code.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.kernel.commands import Verb

MANIFEST_DIR = Path(__file__).parent / "manifest"
ICONS = ("color.png", "outline.png")
MAX_COMMANDS = 10
"""Teams shows at most ten commands a scope."""


def _command(verb: Verb) -> dict[str, str]:
    return {"title": verb.name[:32], "description": verb.summary[:128]}


def command_list(verbs: Iterable[Verb]) -> list[dict[str, str]]:
    """Teachers' verbs first (they are most of the users), then coordinators', ten at most."""
    ordered = sorted(verbs, key=lambda v: v.coordinator_only)
    return [_command(v) for v in ordered[:MAX_COMMANDS]]


def build_manifest(
    app_id: str, verbs: Iterable[Verb], endpoint: str | None = None
) -> dict[str, Any]:
    text = (MANIFEST_DIR / "manifest.json").read_text(encoding="utf-8")
    manifest: dict[str, Any] = json.loads(text.replace("{{MICROSOFT_APP_ID}}", app_id))
    commands = command_list(verbs)
    manifest["bots"][0]["commandLists"] = [
        {"scopes": ["personal"], "commands": commands},
        {"scopes": ["team"], "commands": commands},
    ]
    if endpoint:
        host = urlparse(endpoint).hostname
        if host:
            manifest["validDomains"] = [host]
    return manifest


def write_package(
    out: Path, app_id: str, verbs: Iterable[Verb], endpoint: str | None = None
) -> Path:
    manifest = build_manifest(app_id, verbs, endpoint)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for icon in ICONS:
            archive.write(MANIFEST_DIR / icon, icon)
    return out
