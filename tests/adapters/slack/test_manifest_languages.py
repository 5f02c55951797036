"""The Spanish Slack manifest is the English one with its words translated: an admin who pastes
either gets the same scopes, events, commands and request URLs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

import adapters.slack

HERE = Path(adapters.slack.__file__).parent
WORDS = {"description", "long_description", "usage_hint"}


def manifest(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    return loaded


def without_words(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: without_words(v) for k, v in node.items() if k not in WORDS}
    if isinstance(node, list):
        return [without_words(v) for v in node]
    return node


def words(node: Any, path: str = "") -> dict[str, str]:
    found: dict[str, str] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}"
            if key in WORDS:
                found[where] = str(value)
            found |= words(value, where)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found |= words(value, f"{path}[{index}]")
    return found


def test_the_spanish_manifest_asks_for_exactly_what_the_english_one_does() -> None:
    assert without_words(manifest("manifest.es.yaml")) == without_words(manifest("manifest.yaml"))


def test_every_word_a_person_reads_is_in_spanish() -> None:
    english, spanish = words(manifest("manifest.yaml")), words(manifest("manifest.es.yaml"))
    assert english.keys() == spanish.keys()
    assert all(spanish[key] != english[key] for key in english), "an English text was left as is"
    assert spanish[".features.slash_commands[0].description"].startswith("Todo lo que hace")
    for key, text in spanish.items():
        limit = 4000 if key.endswith("long_description") else 140
        assert len(text) <= limit, key
