"""The growth record over the real Slack app: typed, answered privately, and its files uploaded to
the teacher's own DM, the way export-my-data's file goes (Web API faked locally)."""

from __future__ import annotations

import csv
import io

from staffroom.bootstrap import Staffroom
from tests.adapters.slack.conftest import Slack, button_press, buttons, texts
from tests.growth.history import stored_reflections


def replies_to(slack: Slack, user: str, n: int) -> list[dict]:  # type: ignore[type-arg]
    calls = slack.fake.wait_for("response_url", n, where=lambda c: c.path.endswith(f"/{user}"))
    return [c.params for c in calls]


def welcomed(slack: Slack, *users: str) -> None:
    """Wait for each join's welcome: it is answered after the form's ack, on another thread, and
    could otherwise arrive after the reply to the next command."""
    for user in users:
        replies_to(slack, user, 1)


def test_growth_is_shown_privately_and_its_files_uploaded_to_the_teachers_dm(
    slack: Slack, app: Staffroom
) -> None:
    slack.join("U1", display_name="Ana Lopez")
    slack.join("U2", display_name="Ben Okafor")
    welcomed(slack, "U1", "U2")
    stored_reflections(app, "U1", "Cold calling *worked*", "<b>Wait</b> time")
    stored_reflections(app, "U2", "Ben's own")
    assert slack.command("growth", user="U1").status == 200
    record = replies_to(slack, "U1", 2)[-1]
    assert record["response_type"] == "ephemeral"
    shown = texts(record["blocks"])
    assert "Your growth record: the last 12 months" in shown
    assert "2 (0 after a check-in)" in shown and "Cold calling" not in shown
    download = buttons(record["blocks"])["Download (HTML + CSV)"]
    slack.interact(button_press(record, download, response_url=slack.fake.response_url("U1")))
    slack.idle()
    uploads = slack.fake.wait_for("files.completeUploadExternal", 2)
    assert all(c.params["channel_id"] == "DU1" for c in uploads)
    names = [c.params["filename"] for c in slack.fake.of("files.getUploadURLExternal")]
    assert names == [
        "growth-record-ana-lopez-2025-11-24-to-2026-11-23.html",
        "growth-record-ana-lopez-2025-11-24-to-2026-11-23.csv",
    ]
    page, table = (c.params["_raw"].decode() for c in slack.fake.of("upload")[-2:])
    assert page.startswith("<!doctype html>") and "Growth record: Ana Lopez" in page
    rows = {r["item"]: r for r in csv.DictReader(io.StringIO(table))}
    assert (rows["reflections written"]["count"], rows["reflections written"]["hours"]) == (
        "2",
        "0.33",
    )


def test_another_slack_user_cannot_ask_for_a_colleagues_record(slack: Slack) -> None:
    slack.join("U1", display_name="Ana Lopez")
    slack.join("U2", display_name="Ben Okafor")
    welcomed(slack, "U1", "U2")
    slack.command("growth Ana Lopez", user="U2")
    refusal = replies_to(slack, "U2", 2)[-1]
    assert "only ever your own" in refusal["text"] + texts(refusal.get("blocks") or [])
    slack.idle()
    assert slack.fake.of("files.getUploadURLExternal") == []
