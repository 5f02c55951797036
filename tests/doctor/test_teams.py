"""The Teams checks against the fake Bot Connector's token endpoint, and the app package on disk."""

from __future__ import annotations

import json
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.kernel.settings import Settings
from staffroom.cli import main
from staffroom.doctor.teams import token_url
from tests.adapters.teams.conftest import BOT_FRAMEWORK_SCOPE, FakeConnector
from tests.doctor.conftest import Doctor, Report
from tests.support.aiohttp_loop import Loop

APP_ID = "7f3c1c1e-2b0a-4d59-9c1e-0f7c5d9e3a11"
SECRET = "kV8Q~current-client-secret"


@dataclass
class Entra:
    connector: FakeConnector
    token_url: str


@pytest.fixture
def entra() -> Iterator[Entra]:
    loop = Loop()
    connector = FakeConnector(apps={APP_ID: SECRET})
    port = loop.serve(connector.app())
    try:
        yield Entra(connector, f"http://127.0.0.1:{port}/botframework.com/oauth2/v2.0/token")
    finally:
        loop.close()


@pytest.fixture
def teams(doctor: Doctor, sqlite_url: str, entra: Entra) -> Doctor:
    def run(*args: str, **env: str) -> Report:
        values = {
            "DATABASE_URL": sqlite_url,
            "MICROSOFT_APP_ID": APP_ID,
            "MICROSOFT_APP_PASSWORD": SECRET,
            **env,
        }
        return doctor("--teams-token-url", entra.token_url, *args, **values)

    return run


def test_an_app_id_and_password_that_get_a_token_pass(teams: Doctor, entra: Entra) -> None:
    report = teams()
    assert report.code == 0
    assert report.line("teams settings") == f"ok    teams settings: MultiTenant app {APP_ID}"
    assert report.line("teams token") == (
        "ok    teams token: the app id and password get a Bot Framework token"
    )
    # The same grant botbuilder's MicrosoftAppCredentials makes through MSAL.
    [call] = entra.connector.calls
    assert (call.method, call.path) == ("POST", "/botframework.com/oauth2/v2.0/token")
    assert call.body == {
        "grant_type": "client_credentials",
        "client_id": APP_ID,
        "client_secret": SECRET,
        "scope": BOT_FRAMEWORK_SCOPE,
    }


def test_a_wrong_password_says_to_make_a_new_client_secret(teams: Doctor) -> None:
    report = teams(MICROSOFT_APP_PASSWORD="an-old-secret")
    assert report.code == 1
    line = report.line("teams token")
    assert line.startswith(
        "FAIL  teams token: the token endpoint refused the app id and password: invalid_client: "
        "AADSTS7000215: Invalid client secret provided."
    )
    assert line.endswith(
        "; fix: MICROSOFT_APP_PASSWORD is wrong: make a new client secret under the app "
        "registration's Certificates & secrets and put its value (not its id) in "
        "MICROSOFT_APP_PASSWORD"
    )


def test_an_app_id_entra_does_not_know_says_where_to_copy_it_from(teams: Doctor) -> None:
    report = teams(MICROSOFT_APP_ID="00000000-0000-0000-0000-000000000000")
    assert report.code == 1
    line = report.line("teams token")
    assert "unauthorized_client: AADSTS700016: Application with identifier" in line
    assert line.endswith(
        "; fix: MICROSOFT_APP_ID is not an app in that directory: copy the Microsoft App ID from "
        "the Azure Bot's Configuration page, and check MICROSOFT_APP_TYPE and "
        "MICROSOFT_APP_TENANT_ID"
    )


def test_a_token_endpoint_out_of_reach_is_a_failed_line(
    doctor: Doctor, sqlite_url: str, closed_port: int, silent_port: int
) -> None:
    env = {"DATABASE_URL": sqlite_url, "MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": SECRET}
    refused = doctor("--teams-token-url", f"http://127.0.0.1:{closed_port}/t", **env)
    assert refused.code == 1
    assert refused.line("teams token") == (
        f"FAIL  teams token: cannot reach the token endpoint http://127.0.0.1:{closed_port}/t: "
        "[Errno 111] Connection refused; "
        "fix: check this server's network and proxy to login.microsoftonline.com"
    )
    started = time.monotonic()
    silent = doctor(
        "--timeout", "1", "--teams-token-url", f"http://127.0.0.1:{silent_port}/t", **env
    )
    assert time.monotonic() - started < 10
    assert silent.line("teams token").startswith(
        "FAIL  teams token: cannot reach the token endpoint"
    )
    assert "timed out" in silent.line("teams token")


def test_the_token_endpoint_is_the_bot_framework_tenant_unless_single_tenant() -> None:
    assert token_url(Settings(microsoft_app_id=APP_ID)) == (
        "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
    )
    single = Settings(
        microsoft_app_id=APP_ID, microsoft_app_type="SingleTenant", microsoft_app_tenant_id="t-1"
    )
    assert token_url(single) == "https://login.microsoftonline.com/t-1/oauth2/v2.0/token"


def test_incomplete_teams_settings_are_named(teams: Doctor, entra: Entra) -> None:
    report = teams(MICROSOFT_APP_PASSWORD="")
    assert report.code == 1
    assert report.line("teams settings").startswith(
        "FAIL  teams settings: MICROSOFT_APP_ID is set but MICROSOFT_APP_PASSWORD is not; "
        "fix: copy the Microsoft App ID"
    )
    assert report.line("teams token") == (
        "skip  teams token: not checked: the Teams settings are incomplete"
    )
    assert entra.connector.calls == []
    single = teams(MICROSOFT_APP_TYPE="SingleTenant")
    assert single.line("teams settings").startswith(
        "FAIL  teams settings: MICROSOFT_APP_TYPE is SingleTenant but MICROSOFT_APP_TENANT_ID "
        "is not set"
    )


def _package(tmp_path: Path, app_id: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The package as `staffroom teams package` writes it for ``app_id``."""
    out = tmp_path / f"package-{app_id[:8]}.zip"
    with monkeypatch.context() as env:
        env.setenv("MICROSOFT_APP_ID", app_id)
        assert main(["teams", "package", "--out", str(out)]) == 0
    return out


def test_the_uploaded_package_must_name_the_configured_bot(
    teams: Doctor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: Path
) -> None:
    absent = teams()
    assert absent.line("teams package") == (
        "skip  teams package: no package at staffroom-teams.zip to compare (build one with "
        "`staffroom teams package`, or give it with --teams-package FILE)"
    )
    current = _package(tmp_path, APP_ID, monkeypatch)
    report = teams("--teams-package", str(current))
    assert report.code == 0
    assert report.line("teams package") == f"ok    teams package: {current} names bot {APP_ID}"

    old_id = "11111111-2222-3333-4444-555555555555"
    old = _package(tmp_path, old_id, monkeypatch)
    stale = teams("--teams-package", str(old))
    assert stale.code == 1
    assert stale.line("teams package") == (
        f"FAIL  teams package: {old} has id {old_id}, bots[0].botId {old_id}, not "
        f"MICROSOFT_APP_ID {APP_ID}; fix: run `staffroom teams package --out {old}` and upload it "
        "again in Teams admin center"
    )
    # The default place is where `staffroom teams package` writes by default, in the working folder.
    (clean_env / "staffroom-teams.zip").write_bytes(old.read_bytes())
    assert teams().status("teams package") == "FAIL"


def test_a_package_that_is_not_one_fails(teams: Doctor, tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    assert (
        teams("--teams-package", str(broken))
        .line("teams package")
        .startswith(f"FAIL  teams package: cannot read {broken}: ")
    )
    botless = tmp_path / "botless.zip"
    with zipfile.ZipFile(botless, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"id": APP_ID, "bots": []}))
    assert (
        teams("--teams-package", str(botless))
        .line("teams package")
        .startswith(f"FAIL  teams package: {botless} declares no bot; fix: ")
    )


def test_unauthenticated_local_mode_is_said_but_not_failed(doctor: Doctor, sqlite_url: str) -> None:
    report = doctor(DATABASE_URL=sqlite_url, STAFFROOM_TEAMS_ALLOW_UNAUTHENTICATED="1")
    assert report.code == 0
    assert report.line("teams") == (
        "skip  teams: no MICROSOFT_APP_ID: authentication is off "
        "(STAFFROOM_TEAMS_ALLOW_UNAUTHENTICATED=1, for the Emulator only)"
    )
