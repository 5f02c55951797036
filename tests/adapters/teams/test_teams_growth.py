"""The growth record over the real Teams bot: the record's card, and its files sent on a card the
way export-my-data's file is (Teams bots cannot drop a file into a chat without Graph), against the
local Bot Connector."""

from __future__ import annotations

import csv
import io
from typing import Any

from staffroom.bootstrap import Staffroom
from tests.adapters.teams.conftest import Teams, find_action
from tests.adapters.teams.test_teams_bot import join
from tests.growth.history import stored_reflections


def files_on(card: dict[str, Any]) -> dict[str, str]:
    """File name -> the text its Show button opens, for each file the card carries."""
    found: dict[str, str] = {}
    for item in card["body"]:
        if item.get("type") != "Container":
            continue
        title = item["items"][0]["text"]
        if not title.startswith("📎 "):
            continue
        (action,) = item["items"][1]["actions"]
        found[title.removeprefix("📎 ").split(" (")[0]] = action["card"]["body"][0]["text"]
    return found


def test_growth_arrives_as_a_card_and_its_files_on_the_next(teams: Teams, app: Staffroom) -> None:
    join(teams)
    join(teams, user="ben", name="Ben Okafor")
    stored_reflections(app, "aad-ana", "Cold calling worked", "Wait time")
    stored_reflections(app, "aad-ben", "Ben's own", "Ben again", "Ben thrice")
    teams.connector.clear()
    assert teams.say("growth")[0] == 200
    record = teams.connector.cards()[-1]
    text = str(record)
    assert "Your growth record: the last 12 months" in text and "2 (0 after a check-in)" in text
    assert teams.press(find_action(record, "Download (HTML + CSV)"))[0] == 200
    files = files_on(teams.connector.cards()[-1])
    stem = "growth-record-ana-lopez-2025-11-24-to-2026-11-23"
    assert list(files) == [f"{stem}.html", f"{stem}.csv"]
    assert files[f"{stem}.html"].startswith("<!doctype html>")
    rows = {r["item"]: r for r in csv.DictReader(io.StringIO(files[f"{stem}.csv"]))}
    assert rows["reflections written"]["count"] == "2"  # Ana's two, none of Ben's three
    assert rows["teacher"]["detail"] == "Ana Lopez"


def test_a_colleague_on_teams_cannot_ask_for_anothers_record(teams: Teams) -> None:
    join(teams)
    join(teams, user="ben", name="Ben Okafor")
    teams.connector.clear()
    assert teams.say("growth Ana Lopez", user="ben", user_name="Ben Okafor")[0] == 200
    said = " ".join(teams.connector.texts())
    assert "only ever your own" in said
    assert "📎" not in said
