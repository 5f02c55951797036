"""A district's roster through ``staffroom roster import``: 10,000 rows, then the same file again.

The command runs in this process exactly as the CLI runs it (``staffroom.cli.main``), against a
freshly migrated SQLite file and, when ``STAFFROOM_TEST_POSTGRES_URL`` (or ``--postgres``) is set,
a PostgreSQL schema of its own. The first import creates every teacher; the second finds each one
and keeps what is theirs. Target: the first import under 10 s on PostgreSQL (on SQLite when no
PostgreSQL is given); ``ok`` says whether it was met.

    .venv/bin/python benchmarks/roster.py [--rows 10000] [--postgres URL]

Prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from scratch_databases import databases, postgres_from_environment
from sqlalchemy import func, select

from bot.kernel.domain import Platform, Program, ProgramKind
from bot.kernel.settings import Settings
from staffroom.bootstrap import build
from staffroom.cli import main as staffroom
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models.members import MemberRow

TARGET_S = 10
ZONES = ("Europe/London", "America/New_York", "America/Chicago", "Asia/Tokyo")
SUBJECTS = ("Maths", "English", "Science", "History", "Art", "Music")


def roster(rows: int) -> str:
    lines = ["name,email,subjects,grades,years,timezone,role,school,goals"]
    for i in range(rows):
        lines.append(
            f"Teacher {i},teacher{i}@district.example,{SUBJECTS[i % len(SUBJECTS)]},"
            f"{('6-8', '9-10', '11-12')[i % 3]},{i % 25},{ZONES[i % len(ZONES)]},"
            f"{'mentor' if i % 5 == 0 else 'mentee'},School {i % 40},Ask better questions"
        )
    return "\n".join(lines) + "\n"


def measure(url: str, rows: int, workdir: Path) -> dict[str, Any]:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    app = build(Settings(database_url=url))
    with app.uow_factory() as uow:
        ws = uow.workspaces.ensure(Platform.CONSOLE, "local", "local")
        uow.scope(ws.id).programs.add(
            Program(workspace_id=ws.id, name="District Mentoring", kind=ProgramKind.MENTORING)
        )
        uow.commit()
    app.engine.dispose()
    path = workdir / f"roster-{uuid.uuid4().hex[:6]}.csv"
    path.write_text(roster(rows), encoding="utf-8")
    command = ["roster", "import", str(path), "--program", "District Mentoring"]
    timings = {}
    os.environ["DATABASE_URL"] = url
    for label in ("first_import_s", "reimport_s"):
        said = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stdout(said):
            code = staffroom(command)
        timings[label] = round(time.perf_counter() - start, 2)
        assert code == 0, said.getvalue()
        timings[label.replace("_s", "_said")] = said.getvalue().strip()
    engine = make_engine(url)
    with engine.connect() as conn:
        stored = int(conn.scalar(select(func.count()).select_from(MemberRow)) or 0)
    engine.dispose()
    return {"rows": rows, "members_stored": stored, **timings}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--postgres", default=postgres_from_environment())
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in databases(args.postgres, Path(tmp), "roster"):
            results[name] = measure(url, args.rows, Path(tmp))
            print(f"{name}: {results[name]}", file=sys.stderr)
    measured = results.get("postgresql", results["sqlite"])
    ok = float(measured["first_import_s"]) < TARGET_S
    print(
        json.dumps(
            {
                "target_first_import_s": TARGET_S,
                "target_on": "postgresql" if "postgresql" in results else "sqlite",
                "cpus": os.cpu_count(),
                **results,
                "ok": ok,
            }
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
