"""How long one program's weekly digest takes to build, and whether history slows it down.

Target: a program of 5,000 teachers with 40 weeks of history (200,000 check-ins, 100,000
reflections, plus pairing rounds, observations, resources and failed deliveries) builds its digest in
under 1 s (``seconds_1x``), and with four times the history (160 weeks) in under 1.5x that
(``seconds_4x / seconds_1x``): the cost follows the week's data, not the history. Each figure is the
median of several builds (queries and figures, privacy floors applied); ``render_seconds`` adds the chat
message with its chart. SQLite by default; ``--database-url`` runs the same on PostgreSQL (an empty
database or schema: it is migrated and filled). Prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from scratch_databases import postgres_schema
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from bot.digest.build import build_digest
from bot.digest.chart import trend_png_base64
from bot.digest.render import chat_message
from bot.digest.weeks import Week, parse_week
from bot.kernel.settings import Settings
from staffroom import bootstrap
from storage.db import make_engine
from storage.models.checkins import CheckinRow
from storage.models.kernel import OutboxRow, WorkspaceRow
from storage.models.members import MemberRow
from storage.models.observations import ObservationRequestRow
from storage.models.pairing import PairingMemberRow, PairingRoundRow, PairingRow
from storage.models.programs import MembershipRow, ProgramRow
from storage.models.reflections import ReflectionRow
from storage.models.resources import ResourceMarkRow, ResourceRow, ResourceSharerRow
from storage.repositories import confidence_trend

TEACHERS = 5000
WEEKS = 40
TARGET_WEEK = "2026-W47"
TZ = "America/Chicago"
TAGS = ("questioning", "behaviour", "feedback", "pacing", "groupwork", "literacy", "assessment")
CHUNK = 20_000
BULK_TABLES = [
    m.__table__
    for m in (
        CheckinRow,
        ReflectionRow,
        PairingRow,
        PairingMemberRow,
        OutboxRow,
        ResourceRow,
        ResourceSharerRow,
        ResourceMarkRow,
    )
]


def fill(url: str, weeks: int, seed: int, *, analyze: bool = True) -> None:
    """A program with ``weeks`` of history ending with TARGET_WEEK, written in bulk.

    ``analyze=False`` leaves PostgreSQL's statistics to autovacuum, for a benchmark that must see
    only what the product itself does."""
    rng = random.Random(seed)
    settings = Settings(database_url=url)
    bootstrap.upgrade_database(settings)
    # The bulk load is not what is measured: on SQLite it skips the app's tuning (WAL, foreign-key
    # checks), which would make a 1.6-million-row load crawl, and commits a week at a time.
    engine = create_engine(url) if url.startswith("sqlite") else make_engine(url)
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    # Secondary indexes are dropped for the load and built once after it, as a restore would.
    with engine.begin() as conn:
        for table in BULK_TABLES:
            for index in table.indexes:
                index.drop(conn)
    with Session(engine) as s:
        if engine.dialect.name == "sqlite":
            s.execute(text("PRAGMA cache_size = -262144"))
        ws = WorkspaceRow(platform="console", external_id="bench", name="Bench", created_at=t0)
        s.add(ws)
        s.flush()
        program = ProgramRow(
            workspace_id=ws.id,
            name="District Mentoring",
            kind="mentoring",
            checkin_time=datetime(2026, 1, 1, 15).time(),
            timezone=TZ,
            created_at=t0,
        )
        s.add(program)
        s.flush()
        wid, pid = ws.id, program.id
        members = [
            {
                "workspace_id": wid,
                "platform_user_id": f"U{i:05d}",
                "display_name": f"Teacher {i:05d}",
                "timezone": TZ,
                "role": "teacher",
                "status": "paused" if i % 97 == 0 else "active",
                "reachable": i % 251 != 0,
                # Teachers who answer check-ins have joined; one in fifty was invited and hasn't yet.
                "consented_at": None if i % 50 == 49 else t0,
                "created_at": t0,
                "updated_at": t0,
            }
            for i in range(TEACHERS)
        ]
        _bulk(s, MemberRow, members)
        ids = list(s.scalars(text("SELECT id FROM members ORDER BY id")))
        roles = {m: ("mentor" if n % 4 == 0 else "mentee") for n, m in enumerate(ids)}
        _bulk(
            s,
            MembershipRow,
            [
                {
                    "workspace_id": wid,
                    "program_id": pid,
                    "member_id": m,
                    "role": roles[m],
                    "joined_at": t0,
                }
                for m in ids
            ],
        )
        last = parse_week(TARGET_WEEK)
        mentors = [m for m in ids if roles[m] == "mentor"]
        mentees = [m for m in ids if roles[m] == "mentee"]
        for back in range(weeks - 1, -1, -1):
            week = last.shifted(-back)
            start, _ = week.bounds(TZ)
            _week(s, rng, wid, pid, ids, week, start)
            if back % 2 == 0:
                _round(s, rng, wid, pid, weeks - back, start, mentors, mentees)
            s.commit()
        # The answers that end a fall, flagged as the product flags each answer it stores.
        confidence_trend.refresh_program(s, pid)
        s.commit()
    with engine.begin() as conn:
        for table in BULK_TABLES:
            for index in table.indexes:
                index.create(conn)
        if analyze and engine.dialect.name == "postgresql":
            conn.execute(
                text("ANALYZE")
            )  # as autovacuum soon would; SQLite runs without statistics
    engine.dispose()


def _week(
    s: Session,
    rng: random.Random,
    wid: int,
    pid: int,
    ids: list[int],
    week: Week,
    start: datetime,
) -> None:
    def at() -> datetime:
        return start + timedelta(seconds=rng.randrange(7 * 24 * 3600))

    checkins = []
    for m in ids:
        answered = rng.random() < 0.7
        checkins.append(
            {
                "workspace_id": wid,
                "program_id": pid,
                "member_id": m,
                "week": week.label,
                "status": "answered" if answered else "missed",
                "due_at": start,
                "sent_at": start,
                "answered_at": start + timedelta(hours=5) if answered else None,
                "confidence": rng.randint(1, 5) if answered else None,
            }
        )
    _bulk(s, CheckinRow, checkins)
    reflections = []
    for m in rng.sample(ids, TEACHERS // 2):
        when = at()
        reflections.append(
            {
                "workspace_id": wid,
                "member_id": m,
                "program_id": pid,
                "went_well": "private",
                "try_next": "private",
                "tag": rng.choice(TAGS),
                "visibility": "private",
                "is_draft": False,
                "created_at": when,
                "updated_at": when,
            }
        )
    _bulk(s, ReflectionRow, reflections)
    observations = []
    for _ in range(50):
        when = at()
        requester, observer = rng.sample(ids, 2)
        done = rng.random() < 0.6
        observations.append(
            {
                "workspace_id": wid,
                "program_id": pid,
                "requester_id": requester,
                "observer_id": observer if done or rng.random() < 0.5 else None,
                "starts_at": when,
                "ends_at": when + timedelta(hours=1),
                "focus": "questioning",
                "status": "completed" if done else "open",
                "created_at": when,
                "updated_at": when,
            }
        )
    _bulk(s, ObservationRequestRow, observations)
    resources = []
    for n in range(30):
        when = at()
        resources.append(
            {
                "workspace_id": wid,
                "title": f"Resource {week.label} {n}",
                "url": f"https://example.org/{week.label}/{n}",
                "normalized_url": f"example.org/{week.label}/{n}",
                "shared_by_member_id": rng.choice(ids),
                "created_at": when,
            }
        )
    first = int(s.scalar(text("SELECT coalesce(max(id), 0) FROM resources")) or 0) + 1
    _bulk(s, ResourceRow, resources)
    resource_ids = range(first, first + len(resources))
    _bulk(
        s,
        ResourceSharerRow,
        [
            {
                "workspace_id": wid,
                "resource_id": rid,
                "member_id": r["shared_by_member_id"],
                "shared_at": r["created_at"],
            }
            for rid, r in zip(resource_ids, resources, strict=True)
        ],
    )
    marks = {}
    for m in rng.sample(ids, 400):  # 400 teachers mark one of the week's resources
        marks[m] = {
            "workspace_id": wid,
            "resource_id": rng.choice(resource_ids),
            "member_id": m,
            "mark": "helpful" if rng.random() < 0.8 else "unhelpful",
            "marked_at": at(),
        }
    _bulk(s, ResourceMarkRow, list(marks.values()))
    _bulk(
        s,
        OutboxRow,
        [
            {
                "workspace_id": wid,
                "platform": "console",
                "recipient_member_id": m,
                "recipient_user_id": f"U{m}",
                "idempotency_key": f"bench:{week.label}:{m}",
                "payload": {"text": "hi"},
                "status": "failed" if rng.random() < 0.01 else "sent",
                "attempts": 1,
                "next_attempt_at": start,
                "created_at": start,
            }
            for m in rng.sample(ids, 500)
        ],
    )


def _round(
    s: Session,
    rng: random.Random,
    wid: int,
    pid: int,
    number: int,
    start: datetime,
    mentors: list[int],
    mentees: list[int],
) -> None:
    row = PairingRoundRow(
        workspace_id=wid,
        program_id=pid,
        number=number,
        status="published",
        created_at=start,
        published_at=start + timedelta(hours=1),
    )
    s.add(row)
    s.flush()
    shuffled = mentees[:]
    rng.shuffle(shuffled)
    pairings = [
        {
            "workspace_id": wid,
            "round_id": row.id,
            "program_id": pid,
            "met_status": rng.choice(("met", "met", None, "cant")),
            "created_at": start,
        }
        for _ in shuffled[: len(shuffled) - 40]
    ]
    # One executemany by one writer numbers its rows consecutively: no look-up by round needed
    # (the round_id index is dropped while loading).
    first = int(s.scalar(text("SELECT coalesce(max(id), 0) FROM pairings")) or 0) + 1
    _bulk(s, PairingRow, pairings)
    pairing_ids = range(first, first + len(pairings))
    links = []
    for n, (pairing_id, mentee) in enumerate(zip(pairing_ids, shuffled, strict=False)):
        links.append(
            {
                "workspace_id": wid,
                "pairing_id": pairing_id,
                "member_id": mentee,
                "role": "mentee",
            }
        )
        links.append(
            {
                "workspace_id": wid,
                "pairing_id": pairing_id,
                "member_id": mentors[n % len(mentors)],
                "role": "mentor",
            }
        )
    _bulk(s, PairingMemberRow, links)


def _bulk(s: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Core executemany (not the ORM's bulk path, which fetches keys back row by row)."""
    table = model.__table__
    connection = s.connection()
    for i in range(0, len(rows), CHUNK):
        connection.execute(table.insert(), rows[i : i + CHUNK])


def measure(url: str, repeats: int) -> tuple[float, float, int]:
    app = bootstrap.build(Settings(database_url=url))
    week = parse_week(TARGET_WEEK)
    with app.uow_factory() as uow:
        (ws,) = uow.workspaces.active_ids()
        repos = uow.scope(ws)
        (program,) = repos.programs.list()
        build_digest(
            repos.digest, program, week, now=datetime.now(UTC)
        )  # warm-up: caches and compiled statements
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            digest = build_digest(repos.digest, program, week, now=datetime.now(UTC))
            times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        chat_message(digest, trend_png_base64(digest))
        render = time.perf_counter() - t0
        checkins = int(uow.session.scalar(text("SELECT count(*) FROM checkins")) or 0)  # type: ignore[attr-defined]
    app.engine.dispose()
    assert digest.this_week.sent == TEACHERS, digest.this_week
    return statistics.median(times), render, checkins


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--keep", type=Path, help="keep the SQLite files in this folder")
    parser.add_argument(
        "--database-url", help="a PostgreSQL URL (each size goes in its own schema)"
    )
    args = parser.parse_args()
    results: dict[str, Any] = {"teachers": TEACHERS, "weeks_1x": WEEKS, "weeks_4x": 4 * WEEKS}
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as schemas:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for label, weeks in (("1x", WEEKS), ("4x", 4 * WEEKS)):
            if args.database_url:
                url = schemas.enter_context(
                    postgres_schema(args.database_url, f"bench_digest_{label}")
                )
            else:
                path = folder / f"digest-{label}.db"
                path.unlink(missing_ok=True)
                url = f"sqlite:///{path}"
            t0 = time.perf_counter()
            fill(url, weeks, seed=47)
            print(
                f"filled {label} ({weeks} weeks) in {time.perf_counter() - t0:.1f} s",
                file=sys.stderr,
            )
            seconds, render, checkins = measure(url, args.repeats)
            results[f"seconds_{label}"] = round(seconds, 4)
            results[f"render_seconds_{label}"] = round(render, 4)
            results[f"checkins_{label}"] = checkins
    results["ratio_4x_1x"] = round(results["seconds_4x"] / results["seconds_1x"], 3)
    results["ok"] = results["seconds_1x"] < 1.0 and results["ratio_4x_1x"] < 1.5
    print(json.dumps(results))
    return 0 if results["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
