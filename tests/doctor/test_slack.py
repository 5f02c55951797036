"""The Slack checks against the local fake of Slack's Web API: token, scopes, DMs, URLs, Socket Mode."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from staffroom.doctor.slack import MANIFEST
from tests.adapters.slack import fake_slack
from tests.adapters.slack.fake_slack import FakeSlack
from tests.doctor.conftest import Doctor, Report

PUBLIC = "https://staffroom.school.org"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    server = FakeSlack().start()
    yield server
    server.stop()


@pytest.fixture
def slack(doctor: Doctor, sqlite_url: str, fake: FakeSlack) -> Doctor:
    """The doctor with a one-workspace Slack install pointed at the fake."""

    def run(*args: str, **env: str) -> Report:
        values = {
            "DATABASE_URL": sqlite_url,
            "SLACK_BOT_TOKEN": fake_slack.BOT_TOKEN,
            "SLACK_SIGNING_SECRET": fake_slack.SIGNING_SECRET,
            "SLACK_API_BASE_URL": fake.api_url,
            **env,
        }
        return doctor(*args, **values)

    return run


def edited_manifest(tmp_path: Path, host: str) -> Path:
    """The manifest as an admin pastes it into Slack, with the example host replaced."""
    path = tmp_path / "manifest.yaml"
    text = MANIFEST.read_text(encoding="utf-8").replace("https://staffroom.example.org", host)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_working_install_passes_token_scopes_and_dms(slack: Doctor, fake: FakeSlack) -> None:
    report = slack()
    assert report.code == 0
    assert report.line("slack settings") == (
        "ok    slack settings: signing secret set; one workspace (SLACK_BOT_TOKEN)"
    )
    assert report.line("slack token") == "ok    slack token: auth.test ok: bot UBOT in Test School"
    assert report.line("slack scopes") == (
        "ok    slack scopes: all 10 bot scopes the manifest asks for"
    )
    assert report.line("slack DMs") == "ok    slack DMs: can open DMs (im:write)"
    assert report.line("slack request URLs") == (
        "skip  slack request URLs: not configured: set STAFFROOM_PUBLIC_URL to this server's "
        "public address to compare"
    )
    assert report.line("slack socket mode").startswith("skip  slack socket mode: not used")
    assert [(c.method, c.token) for c in fake.calls] == [("auth.test", fake_slack.BOT_TOKEN)]


def test_a_token_slack_refuses_fails_with_where_to_get_the_right_one(slack: Doctor) -> None:
    report = slack(SLACK_BOT_TOKEN="xoxb-from-another-app")
    assert report.code == 1
    assert report.line("slack token") == (
        "FAIL  slack token: Slack refused SLACK_BOT_TOKEN: invalid_auth; fix: copy the Bot User "
        "OAuth Token (xoxb-...) from the app's Install App page into SLACK_BOT_TOKEN"
    )
    assert report.line("slack scopes") == (
        "skip  slack scopes: not checked: no working bot token to ask Slack with"
    )
    assert report.status("slack DMs") == "skip"


def test_a_revoked_token_says_to_reinstall(slack: Doctor, fake: FakeSlack) -> None:
    fake.fail("auth.test", error="token_revoked")
    report = slack()
    assert report.code == 1
    assert report.line("slack token").startswith(
        "FAIL  slack token: Slack refused SLACK_BOT_TOKEN: token_revoked; "
        "fix: the app was uninstalled or its token revoked: reinstall it"
    )


def test_an_install_older_than_the_manifest_lacks_scopes_and_cannot_open_dms(
    slack: Doctor, fake: FakeSlack
) -> None:
    fake.scopes = [s for s in fake_slack.SCOPES if s not in ("im:write", "files:write")]
    report = slack()
    assert report.code == 1
    reinstall = (
        "fix: add them under OAuth & Permissions > Bot Token Scopes (or paste "
        "adapters/slack/manifest.yaml into App Manifest), then reinstall the app to the workspace"
    )
    assert report.line("slack scopes") == (
        f"FAIL  slack scopes: the install lacks im:write, files:write; {reinstall}"
    )
    assert report.line("slack DMs") == (
        f"FAIL  slack DMs: cannot open DMs: the install lacks im:write; {reinstall}"
    )


def test_scopes_slack_did_not_report_are_a_warning_not_a_failure(
    slack: Doctor, fake: FakeSlack
) -> None:
    fake.scopes = None
    report = slack()
    assert report.code == 0
    assert report.status("slack token") == "ok"
    assert report.line("slack scopes") == (
        "warn  slack scopes: Slack's answer had no x-oauth-scopes header (a proxy in between may "
        "drop it); fix: compare OAuth & Permissions > Bot Token Scopes with "
        "adapters/slack/manifest.yaml"
    )
    assert report.status("slack DMs") == "warn"
    assert report.out.splitlines()[-1] == "doctor: 7 ok, 2 warning(s), 0 failed, 3 skipped"


def test_slack_out_of_reach_is_a_failed_line_with_a_fix(slack: Doctor, closed_port: int) -> None:
    report = slack(SLACK_API_BASE_URL=f"http://127.0.0.1:{closed_port}/api/")
    assert report.code == 1
    line = report.line("slack token")
    assert line.startswith(
        f"FAIL  slack token: cannot reach Slack at http://127.0.0.1:{closed_port}/api/: "
    )
    assert line.endswith(
        "; fix: check this server's network and proxy to slack.com (and SLACK_API_BASE_URL if set)"
    )


def test_a_slack_that_never_answers_is_given_up_on_after_the_timeout(
    slack: Doctor, silent_port: int
) -> None:
    started = time.monotonic()
    report = slack("--timeout", "1", SLACK_API_BASE_URL=f"http://127.0.0.1:{silent_port}/api/")
    assert time.monotonic() - started < 10
    assert report.code == 1
    assert report.line("slack token").startswith("FAIL  slack token: cannot reach Slack at ")
    assert "timed out" in report.line("slack token")


def test_settings_slack_cannot_run_without_are_named(slack: Doctor) -> None:
    report = slack(SLACK_SIGNING_SECRET="")
    assert report.code == 1
    assert report.line("slack settings") == (
        "FAIL  slack settings: SLACK_SIGNING_SECRET is not set (every request from Slack is "
        "verified with it); fix: copy the Signing Secret from the app's Basic Information page "
        "into SLACK_SIGNING_SECRET"
    )
    wrong_kind = slack(SLACK_BOT_TOKEN="xoxp-a-user-token")
    assert wrong_kind.line("slack settings").startswith(
        "FAIL  slack settings: SLACK_BOT_TOKEN starts 'xoxp-', not 'xoxb-' (a bot token)"
    )


def test_request_urls_are_compared_with_the_public_address(slack: Doctor, tmp_path: Path) -> None:
    stock = slack(STAFFROOM_PUBLIC_URL=PUBLIC)
    assert stock.code == 1
    assert stock.line("slack request URLs") == (
        "FAIL  slack request URLs: slash command /staffroom posts to "
        "https://staffroom.example.org/slack/events, not https://staffroom.school.org/slack/events "
        "(and 5 more); fix: in the manifest pasted into Slack (App Manifest page; check it with "
        "--slack-manifest FILE) make every request URL https://staffroom.school.org/slack/events"
    )
    pasted = edited_manifest(tmp_path, PUBLIC)
    report = slack("--slack-manifest", str(pasted), STAFFROOM_PUBLIC_URL=PUBLIC + "/")
    assert report.code == 0
    assert report.line("slack request URLs") == (
        "ok    slack request URLs: all 6 point at https://staffroom.school.org"
    )


def test_oauth_installs_check_the_redirect_url_too(slack: Doctor, tmp_path: Path) -> None:
    pasted = edited_manifest(tmp_path, PUBLIC)
    text = pasted.read_text(encoding="utf-8").replace(
        f"{PUBLIC}/slack/oauth_redirect", "https://old.school.org/slack/oauth_redirect"
    )
    pasted.write_text(text, encoding="utf-8")
    report = slack(
        "--slack-manifest",
        str(pasted),
        STAFFROOM_PUBLIC_URL=PUBLIC,
        SLACK_BOT_TOKEN="",
        SLACK_CLIENT_ID="123.456",
        SLACK_CLIENT_SECRET="client-secret",
    )
    assert report.code == 1
    assert report.line("slack request URLs").startswith(
        "FAIL  slack request URLs: OAuth redirect posts to "
        "https://old.school.org/slack/oauth_redirect, not "
        "https://staffroom.school.org/slack/oauth_redirect;"
    )
    assert report.line("slack token").startswith("skip  slack token: no SLACK_BOT_TOKEN")


def test_slack_only_posts_to_https(slack: Doctor, tmp_path: Path) -> None:
    plain = "http://staffroom.school.org"
    report = slack(
        "--slack-manifest", str(edited_manifest(tmp_path, plain)), STAFFROOM_PUBLIC_URL=plain
    )
    assert report.code == 1
    assert report.line("slack request URLs") == (
        "FAIL  slack request URLs: STAFFROOM_PUBLIC_URL is http://staffroom.school.org: Slack only "
        "posts to HTTPS; fix: serve behind an HTTPS proxy and set STAFFROOM_PUBLIC_URL=https://..."
    )


def test_socket_mode_needs_an_app_level_token(slack: Doctor) -> None:
    missing = slack("--socket", STAFFROOM_PUBLIC_URL=PUBLIC)
    assert missing.code == 1
    assert missing.line("slack socket mode") == (
        "FAIL  slack socket mode: Socket Mode is on but SLACK_APP_TOKEN is not set; fix: make an "
        "App-Level Token with connections:write (Basic Information > App-Level Tokens) and put it "
        "(xapp-...) in SLACK_APP_TOKEN"
    )
    # Over Socket Mode Slack posts nowhere, so the manifest's example URLs do not matter.
    assert missing.line("slack request URLs") == (
        "skip  slack request URLs: not needed: Socket Mode"
    )
    wrong = slack("--socket", SLACK_APP_TOKEN=fake_slack.BOT_TOKEN)
    assert wrong.code == 1
    assert wrong.line("slack socket mode").startswith(
        "FAIL  slack socket mode: SLACK_APP_TOKEN starts 'xoxb-', not 'xapp-'; fix: make an"
    )
    right = slack("--socket", SLACK_APP_TOKEN="xapp-1-A0APP-123-abc")
    assert right.code == 0
    assert right.line("slack socket mode") == (
        "ok    slack socket mode: SLACK_APP_TOKEN is an app-level token (xapp-)"
    )


def test_a_manifest_that_says_socket_mode_is_socket_mode(slack: Doctor, tmp_path: Path) -> None:
    path = tmp_path / "socket.yaml"
    path.write_text(
        MANIFEST.read_text(encoding="utf-8").replace(
            "socket_mode_enabled: false", "socket_mode_enabled: true"
        ),
        encoding="utf-8",
    )
    report = slack("--slack-manifest", str(path))
    assert report.code == 1
    assert report.line("slack socket mode").startswith(
        "FAIL  slack socket mode: Socket Mode is on but SLACK_APP_TOKEN is not set"
    )


def test_an_unreadable_manifest_is_a_failed_line(slack: Doctor, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("oauth_config: [unclosed\n", encoding="utf-8")
    report = slack("--slack-manifest", str(path))
    assert report.code == 1
    assert report.line("slack manifest").startswith(f"FAIL  slack manifest: cannot read {path}: ")
    assert report.line("slack manifest").endswith(
        "; fix: give the manifest you pasted into Slack with --slack-manifest FILE"
    )
