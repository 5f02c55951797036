"""`staffroom teams package` and `staffroom serve teams`, run as an admin would run them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from adapters.teams.package import MAX_COMMANDS
from bot.features import REGISTRY
from bot.kernel.settings import Settings
from staffroom.bootstrap import build, upgrade_database
from staffroom.cli import main
from tests.adapters.teams.conftest import FakeConnector, Teams
from tests.adapters.teams.test_teams_bot import join
from tests.adapters.teams.test_teams_messenger import CHECKIN, queue
from tests.support.aiohttp_loop import Loop

APP_ID = "7f3c1c1e-2b0a-4d59-9c1e-0f7c5d9e3a11"


def test_package_writes_the_zip_an_admin_uploads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MICROSOFT_APP_ID", APP_ID)
    out = tmp_path / "staffroom.zip"
    assert (
        main(["teams", "package", "--out", str(out), "--endpoint", "https://bot.school.example"])
        == 0
    )
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == [
            "color.png",
            "es.json",
            "manifest.json",
            "outline.png",
        ]
        manifest = json.loads(archive.read("manifest.json"))
        spanish = json.loads(archive.read("es.json"))
        assert archive.read("color.png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert manifest["id"] == APP_ID and manifest["bots"][0]["botId"] == APP_ID
    assert manifest["bots"][0]["scopes"] == ["personal", "team"]
    assert manifest["validDomains"] == ["bot.school.example"]
    titles = [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert titles[:2] == ["help", "join"]
    assert len(titles) == min(MAX_COMMANDS, len(REGISTRY.verbs))
    assert set(titles) <= set(REGISTRY.verbs)
    assert "{{" not in json.dumps(manifest)
    assert manifest["description"]["short"].startswith("Peer mentoring")
    assert manifest["localizationInfo"] == {
        "defaultLanguageTag": "en",
        "additionalLanguages": [{"languageTag": "es", "file": "es.json"}],
    }
    # Teams reads each key of a localization file at that place in the manifest: every one must exist
    # there, and say the same thing in Spanish, not English again.
    commands = manifest["bots"][0]["commandLists"]
    assert spanish["name.full"] == "Staffroom: mentoría entre docentes"
    assert spanish["description.short"] != manifest["description"]["short"]
    assert len(spanish["description.short"]) <= 80
    for key, text in spanish.items():
        if key.startswith("bots[0]"):
            lists, command = key.split(".commands[")
            place = commands[int(lists[len("bots[0].commandLists[") : -1])]["commands"]
            english = place[int(command.split("]")[0])]["description"]
            assert text and text != english, key
    help_key = "bots[0].commandLists[0].commands[0].description"
    assert spanish[help_key] != commands[0]["commands"][0]["description"]


def test_package_needs_the_app_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MICROSOFT_APP_ID", raising=False)
    assert main(["teams", "package"]) == 2
    assert "MICROSOFT_APP_ID" in capsys.readouterr().err


def test_serve_refuses_to_start_unauthenticated_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    for name in ("MICROSOFT_APP_ID", "STAFFROOM_TEAMS_ALLOW_UNAUTHENTICATED"):
        monkeypatch.delenv(name, raising=False)
    assert main(["db", "upgrade"]) == 0
    assert main(["serve", "teams", "--port", "1"]) == 2
    assert "STAFFROOM_TEAMS_ALLOW_UNAUTHENTICATED" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_teams_answers_and_delivers_in_one_process(tmp_path: Path) -> None:
    """The real command: a DM gets its reply, and a message queued for later is delivered by it too."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "STAFFROOM_TEAMS_ALLOW_UNAUTHENTICATED": "1",
    }
    env.pop("MICROSOFT_APP_ID", None)
    staffroom = [sys.executable, "-m", "staffroom.cli"]
    upgrade_database(
        Settings(database_url=env["DATABASE_URL"])
    )  # in this process: one start-up less
    port = _free_port()
    loop = Loop()
    connector = FakeConnector()
    server = subprocess.Popen(
        [*staffroom, "serve", "teams", "--port", str(port), "--host", "127.0.0.1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        connector_port = loop.serve(connector.app())
        # A loaded machine can take half a minute to import and start the server: wait for it
        # to answer, and fail with its own words if it exits instead.
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "staffroom serve teams did not start in 90 s"
                time.sleep(0.1)
        teams = Teams(
            url=f"http://127.0.0.1:{port}/api/messages",
            service_url=f"http://127.0.0.1:{connector_port}/",
            connector=connector,
            store=None,  # type: ignore[arg-type]
            messenger=None,  # type: ignore[arg-type]
            worker=None,  # type: ignore[arg-type]
        )
        assert teams.say("help")[0] == 200
        assert any("join" in t for t in connector.texts())
        join(teams)
        connector.clear()
        app = build(Settings(database_url=env["DATABASE_URL"]))
        try:
            queue(app, "aad-ana", CHECKIN)
        finally:
            app.engine.dispose()
        connector.wait_sent(1)  # the worker polls every second: wait for its send, not a fixed time
        [call] = connector.sent()
        assert call.path == "/v3/conversations/a:1on1-ana/activities"
    finally:
        server.terminate()
        server.wait(timeout=20)
        loop.close()
