"""Run the real ``staffroom doctor`` as an admin would: settings from the environment, a real
database, and the platforms played by local fakes at the HTTP boundary."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from staffroom.cli import main

SETTINGS = (
    "DATABASE_URL",
    "STAFFROOM_LOG_LEVEL",
    "STAFFROOM_DEFAULT_TIMEZONE",
    "STAFFROOM_CONSOLE_WORKSPACE",
    "STAFFROOM_DELIVERY_MAX_ATTEMPTS",
    "STAFFROOM_DELIVERY_THREADS",
    "STAFFROOM_WORKER_ID",
    "STAFFROOM_PUBLIC_URL",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_BASE_URL",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_MESSAGES_PER_SECOND",
    "MICROSOFT_APP_ID",
    "MICROSOFT_APP_PASSWORD",
    "MICROSOFT_APP_TENANT_ID",
    "MICROSOFT_APP_TYPE",
    "STAFFROOM_TEAMS_ALLOW_UNAUTHENTICATED",
)
LINE = re.compile(r"^(ok|warn|FAIL|skip) +([^:]+): (.*)$")


@dataclass
class Report:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> dict[str, str]:
        """Check name -> its whole printed line."""
        found: dict[str, str] = {}
        for line in self.out.splitlines():
            match = LINE.match(line)
            if match:
                found[match.group(2)] = line
        return found

    def status(self, check: str) -> str:
        line = self.lines[check]
        return line.split()[0]

    def line(self, check: str) -> str:
        return self.lines[check]


Doctor = Callable[..., Report]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No setting of the machine's, and no .env, leaks into a test: it sees only what it sets."""
    for name in SETTINGS:
        # setenv first, so that teardown also removes what a test's .env put into os.environ
        # (python-dotenv writes there), and no later test in this process inherits it.
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    return workdir


@pytest.fixture
def doctor(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Doctor:
    """``doctor(*args, NAME=value, ...)``: the command's exit code and output, settings as given."""

    def run(*args: str, **env: str) -> Report:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = main(["doctor", *args])
        captured = capsys.readouterr()
        report = Report(code, captured.out, captured.err)
        # Whatever went wrong, the person sees lines and a summary, never a traceback.
        assert "Traceback" not in report.out + report.err
        assert report.out.splitlines()[-1].startswith("doctor: ")
        return report

    return run


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that takes connections and never answers: only a timeout ends the wait."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(sock.getsockname()[1])
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        sock.close()
