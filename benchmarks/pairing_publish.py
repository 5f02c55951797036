"""`pair preview` and `pair publish` at district scale, typed by a coordinator at the console.

One workspace; a coordinator who joined and was granted the role the way an IT admin does; one peer
program (pairs) created with ``program create``; ``--members`` teachers with the synthetic school's
profiles (subjects, grades, goals, strengths, time zones) seeded in bulk, all joined and reachable;
and a library of ``--resources`` resources, so every introduction asks the library for suggestions.
Each figure is one command through ``ConsoleSession.type``, the same dispatch path Slack and Teams
take (parse, the coordinator check, one unit of work, the handler), against a database nothing has
run ``ANALYZE`` on.

* ``preview_s`` / ``publish_s``: round 1 (no history);
* ``preview_2_s`` / ``publish_2_s``: round 2, with round 1 as history and everyone's round-1
  introductions already in the outbox;
* ``queued``: the outbox rows round 2 wrote (one introduction a person, plus who was left over).

Targets: with 10,000 members and 5,000 resources, preview under 2 s and publish under 10 s; with
``--members 50000``, publish under 45 s.

    .venv/bin/python benchmarks/pairing_publish.py                     # SQLite, 10,000 members
    .venv/bin/python benchmarks/pairing_publish.py --members 50000
    STAFFROOM_TEST_POSTGRES_URL=postgresql+psycopg://... .venv/bin/python benchmarks/pairing_publish.py

Prints one JSON object as its last line.
"""

from __future__ import annotations

import os

# One BLAS thread: the solver's matrices are small dense blocks (see benchmarks/matching.py).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from sqlalchemy import func, insert, select, text  # noqa: E402

from adapters.console.session import ConsoleSession  # noqa: E402
from bot.kernel.clock import ManualClock  # noqa: E402
from bot.kernel.domain import Role  # noqa: E402
from bot.kernel.settings import Settings  # noqa: E402
from staffroom import bootstrap  # noqa: E402
from staffroom.demo.school import make_teacher  # noqa: E402
from staffroom.demo.synthetic_library import synthetic_library  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.models.kernel import OutboxRow  # noqa: E402
from storage.models.members import MemberRow  # noqa: E402
from storage.models.programs import MembershipRow, ProgramRow  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday morning
PROGRAM = "District Pairs"
TARGETS = {"preview_s": 2, "publish_s": 10, "publish_50k_s": 45}


def seed(app: bootstrap.Staffroom, members: int, resources: int) -> ConsoleSession:
    coordinator = ConsoleSession(app.bot, "Maya Patel", write=lambda _t: None)
    coordinator.type("join")
    assert coordinator.pending_form is not None
    profile = {
        "display_name": "Maya Patel",
        "subjects": "Maths",
        "grade_bands": ["9-10"],
        "years_experience": "12",
        "school": "Hillcrest High",
        "timezone": "Europe/London",
        "goals": "",
        "strengths": "",
    }
    assert coordinator.submit(coordinator.pending_form, profile).ok  # type: ignore[arg-type]
    bootstrap.grant_role(app, "console:local", "Maya Patel", Role.COORDINATOR)
    created = coordinator.type(f'program create "{PROGRAM}" kind=peer group_size=2')
    assert created.ok, created.replies[0].text
    engine = app.engine
    with engine.connect() as conn:
        workspace_id, program_id = conn.execute(
            select(ProgramRow.workspace_id, ProgramRow.id).where(ProgramRow.name == PROGRAM)
        ).one()
    rng = random.Random(2026)
    used: set[str] = {"Maya Patel"}
    joined = NOW - timedelta(days=14)
    rows: list[dict[str, Any]] = []
    for i in range(members):
        t = make_teacher(rng, used)
        rows.append(
            {
                "workspace_id": workspace_id,
                "platform_user_id": f"U{i:06d}",
                "display_name": t.name,
                "email": f"t{i}@district.example",
                "timezone": t.timezone,
                "role": "teacher",
                "subjects": list(t.subjects),
                "grade_bands": list(t.grades),
                "school": t.school,
                "years_experience": t.years,
                "goals": list(t.goals),
                "strengths": list(t.strengths),
                "status": "active",
                "consented_at": joined,
                "joined_at": joined,
                "reachable": True,
                "created_at": joined,
                "updated_at": joined,
            }
        )
    with engine.begin() as conn:
        for start in range(0, members, 5000):
            conn.execute(insert(MemberRow), rows[start : start + 5000])
        ids = list(
            conn.scalars(
                select(MemberRow.id)
                .where(MemberRow.platform_user_id.like("U%"))
                .order_by(MemberRow.id)
            )
        )
        memberships = [
            {
                "workspace_id": workspace_id,
                "program_id": program_id,
                "member_id": member_id,
                "role": "peer",
                "joined_at": joined,
            }
            for member_id in ids
        ]
        for start in range(0, members, 5000):
            conn.execute(insert(MembershipRow), memberships[start : start + 5000])
    items = synthetic_library(resources, random.Random(7))
    with app.uow_factory() as uow:
        repos = uow.scope(workspace_id)
        for start in range(0, resources, 5000):
            repos.resources.add_many(
                [r.resource(workspace_id) for r in items[start : start + 5000]],
                ids[0],
                NOW - timedelta(days=1),
            )
        uow.commit()
    return coordinator


def queued(app: bootstrap.Staffroom) -> int:
    with app.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(OutboxRow)) or 0)


def timed(session: ConsoleSession, line: str) -> tuple[float, str]:
    started = time.perf_counter()
    outcome = session.type(line)
    elapsed = time.perf_counter() - started
    reply = outcome.replies[0].text if outcome.replies else ""
    assert outcome.ok, reply
    return elapsed, reply


def measure(url: str, members: int, resources: int) -> dict[str, Any]:
    clock = ManualClock(NOW)
    bootstrap.upgrade_database(Settings(database_url=url))
    app = bootstrap.build(Settings(database_url=url), clock=clock)
    try:
        t0 = time.perf_counter()
        coordinator = seed(app, members, resources)
        result: dict[str, Any] = {"members": members, "resources": resources}
        result["seed_s"] = round(time.perf_counter() - t0, 1)
        for n in (1, 2):
            suffix = "" if n == 1 else f"_{n}"
            before = queued(app)
            preview_s, preview = timed(coordinator, f"pair preview {PROGRAM}")
            publish_s, published = timed(coordinator, f"pair publish {PROGRAM}")
            assert preview.startswith(f"Round {n} of {PROGRAM}"), preview[:200]
            assert published.startswith(f"Published round {n} of {PROGRAM}"), published[:200]
            result[f"preview{suffix}_s"] = round(preview_s, 2)
            result[f"publish{suffix}_s"] = round(publish_s, 2)
            result[f"queued{suffix}"] = queued(app) - before
            print(f"round {n}: {published[:160]}", file=sys.stderr)
            clock.advance(timedelta(days=14))
        return result
    finally:
        app.engine.dispose()


def databases(postgres: str) -> Iterator[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        yield "sqlite", f"sqlite:///{Path(tmp) / 'pairing.db'}"
    if postgres:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = make_engine(postgres)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in postgres else "?"
        try:
            yield "postgresql", f"{postgres}{separator}options=-csearch_path%3D{schema}"
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--resources", type=int, default=5_000)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("STAFFROOM_TEST_POSTGRES_URL", ""),
        help="also measure on this PostgreSQL (default: STAFFROOM_TEST_POSTGRES_URL if set)",
    )
    args = parser.parse_args()
    summary: dict[str, Any] = {
        "targets": TARGETS,
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }
    for name, url in databases(args.postgres):
        summary[name] = measure(url, args.members, args.resources)
        print(f"{name}: {summary[name]}", file=sys.stderr)
    summary["load_average_1m_after"] = round(os.getloadavg()[0], 2)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
