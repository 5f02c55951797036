"""2,000 malformed, forged and replayed requests at the real Slack and Teams servers over loopback.

Slack: `staffroom serve slack` (one worker process), its Web API played by the tests' fake
Slack in a process of its own. Teams: the real aiohttp app and botbuilder CloudAdapter with an app id
(authentication on) in a process of its own, on the same database; the Bot Framework's signing keys
are played by a key made here (so tokens can fail for every reason a real one could, without the
network), and every activity's serviceUrl points at a counting Bot Connector in this process.

The hostile requests: unsigned, mis-signed, stale or non-numeric timestamps, truncated JSON, non-UTF-8
bytes, broken interactive payloads, JSON nested 5,000 deep, wrong content types, bad-shaped signed
events; for Teams garbage, alg=none, HS256, unknown-key, wrongly signed, expired and wrong-audience
tokens, and unreadable bodies. Replays: signed slash commands and events sent once (their answers are
awaited), then each sent again, byte for byte, with the same timestamp and signature.

Figures, all counted from what happened: `status_5xx` (responses), `tracebacks_logged` (tracebacks in
the server processes' stderr, where their log goes, workers included), `effects_from_forged` (Web API
calls, connector calls and new rows after the forged and malformed requests), `effects_from_replayed`
(the same, after the replays, beyond what the originals did). All four zeros are the bar. Runs on
SQLite, and again on PostgreSQL (a schema of its own) when STAFFROOM_TEST_POSTGRES_URL or --postgres
is set; one line of detail a database, then one JSON object last, the figures summed over both.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' fakes

from aiohttp import web
from sqlalchemy import create_engine, inspect, text

from benchmarks.slack_http import RemoteFake, free_port, stop
from bot.kernel.settings import Settings
from staffroom import bootstrap
from tests.adapters.slack import fake_slack
from tests.support.aiohttp_loop import Loop

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
ORIGINALS = 100
"""Genuine signed requests, each replayed; the replays are part of REQUESTS."""
REPLAYS_EACH = 3
CLIENTS = 8
QUIET_SECONDS = 3.0
"""How long to wait, after the last hostile request, for any work that should not have happened."""
APP_ID = "00000000-0000-0000-0000-0000000000b0"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
ROOT = Path(__file__).resolve().parent.parent


# --- the Teams server's process ------------------------------------------------------------------


def serve_teams(database_url: str) -> int:
    """The Teams app with authentication on; the signing keys are the benchmark's (HOSTILE_JWKS)."""
    from botframework.connector.auth.jwt_token_extractor import _OpenIdMetadata

    from adapters.teams.app import build_teams_app
    from storage.db import make_session_factory
    from storage.repositories.platform import SqlTeamsConversations

    keys = json.loads(os.environ["HOSTILE_JWKS"])

    async def refresh(self: _OpenIdMetadata) -> None:
        self.keys = keys
        self.last_updated = datetime.now()

    _OpenIdMetadata._refresh = refresh
    logging.basicConfig(level=logging.WARNING)
    settings = Settings(database_url=database_url, microsoft_app_id=APP_ID)
    app = bootstrap.build(settings)
    store = SqlTeamsConversations(make_session_factory(app.engine), app.clock.now)
    loop = Loop()
    port = loop.serve(build_teams_app(app.bot, store, settings))
    print(json.dumps({"port": port}), flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin
    loop.close()
    app.engine.dispose()
    return 0


# --- hostile requests ----------------------------------------------------------------------------

Request = tuple[str, str, bytes, dict[str, str]]
"""(server, path, body, headers): "slack" or "teams"."""


def slack_request(body: bytes, content_type: str, ts: str, signature: str) -> Request:
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }
    return ("slack", "/slack/events", body, headers)


def signed(body: bytes, content_type: str, secret: str = fake_slack.SIGNING_SECRET) -> Request:
    ts = str(int(time.time()))
    return slack_request(body, content_type, ts, fake_slack.sign(body, ts, secret))


def forged_slack(rng: random.Random) -> Request:
    kind, request = _forged_slack(rng)
    KINDS[id(request)] = f"slack-{kind}"
    return request


KINDS: dict[int, str] = {}
"""Which kind of hostile request each one is, for the breakdown printed before the result."""


def _forged_slack(rng: random.Random) -> tuple[int, Request]:
    form, as_json = fake_slack.FORM, fake_slack.JSON_TYPE
    command = fake_slack.command_body("join", user=f"UX{rng.randrange(10_000)}")
    now = int(time.time())
    kind = rng.randrange(14)
    if kind == 0:
        return kind, slack_request(rng.randbytes(64), as_json, str(now), "v0=" + "0" * 64)
    if kind == 1:
        return kind, slack_request(
            command, form, rng.choice(["12ab", "", "1e9", "-5", "\u00b2\u00b3"]), "v0=x"
        )
    if kind == 2:
        ts = str(now - rng.randrange(400, 100_000))
        return kind, slack_request(command, form, ts, fake_slack.sign(command, ts))
    if kind == 3:
        return kind, slack_request(command, form, str(now), "v0=" + rng.randbytes(32).hex())
    if kind == 4:
        return kind, signed(command, form, secret="not-the-signing-secret")
    if kind == 5:
        return kind, signed(b'{"type": "event_callback", "event": {"ty', as_json)
    if kind == 6:
        return kind, signed(b"\xff\xfe" + rng.randbytes(30), rng.choice([as_json, form]))
    if kind == 7:
        return kind, signed(urlencode({"payload": '{"type": "block_actions", "act'}).encode(), form)
    if kind == 8:
        return kind, signed(b"[" * 5000 + b"]" * 5000, as_json)
    if kind == 9:
        return kind, signed(b"hello", "text/plain")
    if kind == 10:  # signed, well-formed JSON, but not shaped like anything Slack sends
        return kind, signed(json.dumps({"type": "event_callback", "event": "x"}).encode(), as_json)
    if kind == 11:
        return kind, signed(
            urlencode(
                {"payload": json.dumps({"type": "block_actions", "trigger_id": rng.random()})}
            ).encode(),
            form,
        )
    if kind == 12:
        return kind, signed(b"payload=%7B%22a%22%3A%22%ff%22%7D", form)
    return kind, slack_request(command, form, str(now), "")  # no signature at all


def b64(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


class Tokens:
    """Tokens that fail for every reason a Bot Framework token can, against the benchmark's key."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import rsa
        from jwt.algorithms import RSAAlgorithm

        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        self.jwks = [{**jwk, "kid": "kid-1", "endorsements": ["msteams"]}]

    def claims(self, **extra: Any) -> dict[str, Any]:
        now = int(time.time())
        return {
            "iss": "https://api.botframework.com",
            "aud": APP_ID,
            "iat": now,
            "nbf": now,
            "exp": now + 600,
            **extra,
        }

    def bad(self, rng: random.Random) -> str | None:
        import jwt

        kind = rng.randrange(10)
        if kind == 0:
            return None
        if kind == 1:
            return "Bearer abc.def"
        if kind == 2:
            return f"Bearer {b64({'alg': 'none', 'kid': 'kid-1'})}.{b64(self.claims())}."
        if kind == 3:
            secret = "a-shared-secret-long-enough-for-hs256"
            return "Bearer " + jwt.encode(self.claims(), secret, "HS256", headers={"kid": "kid-1"})
        if kind == 4:
            return "Bearer " + jwt.encode(self.claims(), self.key, "RS256", headers={"kid": "k?"})
        if kind == 5:
            return "Bearer " + jwt.encode(
                self.claims(), self.other, "RS256", headers={"kid": "kid-1"}
            )
        if kind == 6:
            expired = self.claims(exp=int(time.time()) - 3600)
            return "Bearer " + jwt.encode(expired, self.key, "RS256", headers={"kid": "kid-1"})
        if kind == 7:
            return "Bearer " + jwt.encode(
                self.claims(aud="another-bot"), self.key, "RS256", headers={"kid": "kid-1"}
            )
        if kind == 8:
            return "Basic YWxhZGRpbjpvcGVuc2VzYW1l"
        return "Bearer " + rng.randbytes(40).hex()


def activity(service_url: str, n: int) -> dict[str, Any]:
    return {
        "type": "message",
        "id": f"hostile-{n}",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": f"29:x{n}", "name": "Mallory", "aadObjectId": f"aad-x{n}"},
        "conversation": {"id": f"a:x{n}", "conversationType": "personal", "tenantId": TENANT},
        "recipient": {"id": "28:staffroom", "name": "Staffroom"},
        "channelData": {"tenant": {"id": TENANT}},
        "text": "join",
    }


def forged_teams(rng: random.Random, tokens: Tokens, service_url: str, n: int) -> Request:
    body: bytes = json.dumps(activity(service_url, n)).encode()
    content_type = "application/json"
    header = tokens.bad(rng)
    kind = rng.randrange(8)
    if kind == 0:
        body = b"{not json"
    elif kind == 1:
        body = b"[" * 5000 + b"]" * 5000
    elif kind == 2:
        body = body[:-1] + b', "value": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001
    elif kind == 3:
        body = b"\xff\xfe" + rng.randbytes(20)
    elif kind == 4:
        body = b'{"type": "message", "text": "no conversation"}'
    elif kind == 5:
        content_type = "text/plain"
    headers = {"Content-Type": content_type, **({"Authorization": header} if header else {})}
    request = ("teams", "/api/messages", body, headers)
    KINDS[id(request)] = f"teams-{kind}-{(header or 'none').split(' ')[0]}"
    return request


# --- sending, and counting what happened ---------------------------------------------------------


class Sender:
    def __init__(self, ports: dict[str, int]) -> None:
        self.ports = ports
        self.statuses: list[int] = []
        self._lock = threading.Lock()
        self._local = threading.local()

    def send(self, request: Request) -> int:
        server, path, body, headers = request
        connections = self._local.__dict__.setdefault("connections", {})
        for attempt in range(2):  # a server may close a connection after a refusal: reconnect once
            conn = connections.get(server)
            if conn is None:
                conn = connections[server] = http.client.HTTPConnection(
                    "127.0.0.1", self.ports[server], timeout=30
                )
            try:
                conn.request("POST", path, body, headers)
                response = conn.getresponse()
                response.read()
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    connections.pop(server)
                break
            except (OSError, http.client.HTTPException):
                conn.close()
                connections.pop(server, None)
                if attempt:
                    raise
        with self._lock:
            self.statuses.append(response.status)
        return int(response.status)

    def all(self, requests: list[Request]) -> list[int]:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            return list(pool.map(self.send, requests))


class CountingConnector:
    """The Bot Connector: any call here is an effect a forged activity should never have."""

    def __init__(self) -> None:
        self.calls = 0

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        await request.read()
        self.calls += 1
        return web.json_response({"id": "activity-1"})


def rows(database_url: str) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return {
                table: int(conn.execute(text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one())
                for table in inspect(engine).get_table_names()
            }
    finally:
        engine.dispose()


def new_rows(before: dict[str, int], after: dict[str, int]) -> int:
    return sum(max(0, after.get(t, 0) - before.get(t, 0)) for t in after)


def wait_for(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("the genuine requests were not all answered")
        time.sleep(0.05)


def tracebacks(*paths: Path) -> int:
    return sum(
        p.read_text(errors="replace").count("Traceback (most recent call last)") for p in paths
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--serve-teams", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("STAFFROOM_TEST_POSTGRES_URL", ""),
        help="also run on this PostgreSQL, in a schema of its own "
        "(default: STAFFROOM_TEST_POSTGRES_URL if set)",
    )
    args = parser.parse_args()
    if args.serve_teams:
        return serve_teams(args.serve_teams)

    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = against(f"sqlite:///{Path(tmp) / 'hostile.db'}", Path(tmp))
    if args.postgres:
        with tempfile.TemporaryDirectory() as tmp, postgres_schema(args.postgres) as url:
            results["postgresql"] = against(url, Path(tmp))
    for name, result in results.items():
        print(json.dumps({"database": name, "detail": result.pop("detail"), **result}))
    figures = ("requests", "status_5xx", "tracebacks_logged")
    figures += ("effects_from_forged", "effects_from_replayed")
    print(json.dumps({f: sum(r[f] for r in results.values()) for f in figures}))
    return 0


@contextmanager
def postgres_schema(base: str) -> Iterator[str]:
    """A fresh schema in ``base``'s database, dropped afterwards, so runs never collide."""
    schema = f"bench_hostile_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def against(database_url: str, tmp: Path) -> dict[str, Any]:
    """Both real servers on ``database_url``, each in a process of its own, and the whole run."""
    rng = random.Random(22)
    tokens = Tokens()
    fake = RemoteFake()
    connector = CountingConnector()
    loop = Loop()
    bootstrap.upgrade_database(Settings(database_url=database_url))
    slack_log, teams_log = tmp / "slack.err", tmp / "teams.err"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": fake_slack.BOT_TOKEN,
        "SLACK_SIGNING_SECRET": fake_slack.SIGNING_SECRET,
        "SLACK_API_BASE_URL": fake.api_url,
        "STAFFROOM_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "HOSTILE_JWKS": json.dumps(tokens.jwks),
    }
    slack_port = free_port()
    command = [str(Path(sys.executable).parent / "staffroom"), "serve", "slack"]
    with slack_log.open("wb") as slack_err, teams_log.open("wb") as teams_err:
        slack = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(slack_port), "--workers", "1"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=slack_err,
        )
        teams = subprocess.Popen(
            [sys.executable, __file__, "--serve-teams", database_url],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=teams_err,
            text=True,
        )
        try:
            assert slack.stdout is not None and teams.stdout is not None
            slack.stdout.readline()  # printed once its workers are up
            teams_port = int(json.loads(teams.stdout.readline())["port"])
            service_url = f"http://127.0.0.1:{loop.serve(connector.app())}/"
            sender = Sender({"slack": slack_port, "teams": teams_port})
            result = run(rng, tokens, sender, fake, connector, service_url, database_url)
        except Exception:
            for log in (slack_log, teams_log):  # why a server went away, before its log goes
                print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}", file=sys.stderr)
            raise
        finally:
            stop(slack)
            if teams.stdin:
                teams.stdin.close()
            try:
                teams.wait(timeout=30)
            except subprocess.TimeoutExpired:
                teams.kill()
            loop.close()
            fake.stop()
    result["tracebacks_logged"] = tracebacks(slack_log, teams_log)
    return result


def run(
    rng: random.Random,
    tokens: Tokens,
    sender: Sender,
    fake: RemoteFake,
    connector: CountingConnector,
    service_url: str,
    database_url: str,
) -> dict[str, Any]:
    replays = ORIGINALS * REPLAYS_EACH
    forged_count = REQUESTS - replays
    forged = [
        forged_slack(rng) if rng.random() < 0.55 else forged_teams(rng, tokens, service_url, n)
        for n in range(forged_count)
    ]

    # Forged and malformed: nothing may follow from any of them.
    before = rows(database_url)
    forged_statuses = sender.all(forged)
    time.sleep(QUIET_SECONDS)
    effects_forged = fake.count("*") + connector.calls + new_rows(before, rows(database_url))

    # Genuine requests, answered; then each one again, byte for byte.
    originals: list[Request] = []
    for n in range(ORIGINALS):
        user = f"U{n:04d}"
        if n % 2:
            body = fake_slack.command_body("help", user=user, response_url=fake.response_url(user))
            originals.append(signed(body, fake_slack.FORM))
        else:
            event = {"type": "app_home_opened", "user": user, "tab": "home"}
            originals.append(
                signed(fake_slack.event_body(event, event_id=f"Ev{n}"), fake_slack.JSON_TYPE)
            )
    genuine = sender.all(originals)
    wait_for(lambda: fake.count("response_url") >= ORIGINALS // 2)
    wait_for(lambda: fake.count("views.publish") >= ORIGINALS // 2)
    time.sleep(QUIET_SECONDS)  # let anything else the originals caused settle
    calls_before, rows_before = fake.count("*"), rows(database_url)
    replayed = [request for request in originals for _ in range(REPLAYS_EACH)]
    rng.shuffle(replayed)
    replay_statuses = sender.all(replayed)
    time.sleep(QUIET_SECONDS)
    effects_replayed = fake.count("*") - calls_before + new_rows(rows_before, rows(database_url))

    statuses = forged_statuses + replay_statuses
    breakdown: dict[str, dict[int, int]] = {}
    for request, status in zip(forged, forged_statuses, strict=True):
        seen = breakdown.setdefault(KINDS[id(request)], {})
        seen[status] = seen.get(status, 0) + 1
    by_status: dict[str, int] = {}
    for status in statuses:
        by_status[str(status)] = by_status.get(str(status), 0) + 1
    return {
        "requests": len(statuses),
        "status_5xx": sum(1 for s in statuses if s >= 500),
        "tracebacks_logged": 0,
        "effects_from_forged": effects_forged,
        "effects_from_replayed": effects_replayed,
        "detail": {
            "statuses": dict(sorted(by_status.items())),
            "genuine_answered_200": sum(1 for s in genuine if s == 200),
            "genuine": len(genuine),
            "forged_by_kind": dict(sorted(breakdown.items())),
        },
    }


if __name__ == "__main__":
    sys.exit(main())
