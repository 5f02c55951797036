"""`staffroom serve slack` as an IT admin runs it: a process with worker processes, over real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from staffroom.bootstrap import Staffroom
from storage.models.members import MemberRow
from tests.adapters.slack import fake_slack
from tests.adapters.slack.fake_slack import FakeSlack
from tests.conftest import count

pytestmark = (
    pytest.mark.postgres
)  # on PostgreSQL the requests let in are shared through the database

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_slack_answers_signed_commands_through_its_worker_processes(
    app: Staffroom, fake: FakeSlack
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": app.settings.database_url,
        "SLACK_BOT_TOKEN": fake_slack.BOT_TOKEN,
        "SLACK_SIGNING_SECRET": fake_slack.SIGNING_SECRET,
        "SLACK_API_BASE_URL": fake.api_url,
        "STAFFROOM_LOG_LEVEL": "WARNING",
    }
    staffroom = Path(sys.executable).parent / "staffroom"
    proc = subprocess.Popen(
        [
            str(staffroom),
            "serve",
            "slack",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()  # printed once the workers are up
        assert f"listening on http://127.0.0.1:{port}/slack/events" in line, proc.stderr
        url = f"http://127.0.0.1:{port}/slack/events"
        forged = fake_slack.post(url, fake_slack.command_body("join"), fake_slack.FORM, secret="x")
        assert forged.status == 401
        body = fake_slack.command_body("help", user="U1", response_url=fake.response_url("U1"))
        reply = fake_slack.post(url, body, fake_slack.FORM)
        assert (reply.status, reply.body) == (200, b"")
        [answer] = fake.wait_for("response_url", timeout=60)
        assert "join [program]" in answer.params["text"]
        assert count(app, MemberRow) == 0
        workers = children(proc.pid)
        assert workers, "the worker processes should be running"
        proc.terminate()  # as a service manager stops it
        assert proc.wait(timeout=30) == 0
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in workers if alive(pid)], "worker processes outlived the server"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
