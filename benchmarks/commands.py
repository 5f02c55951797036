"""Latency and throughput of mixed teacher commands through the console adapter on SQLite.

Target: p99 under 10 ms for 2,000 mixed commands. Prints one JSON object as its last line.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from adapters.console.session import ConsoleSession
from bot.kernel.clock import ManualClock
from bot.kernel.settings import Settings
from staffroom import bootstrap
from staffroom.demo.school import make_school

COMMANDS = 2000
TEACHERS = 50


def main() -> int:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}")
        bootstrap.upgrade_database(settings)
        app = bootstrap.build(settings, clock=ManualClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
        school = make_school(TEACHERS, rng)
        sessions = []
        for teacher in school.teachers:
            s = ConsoleSession(app.bot, teacher.name, write=lambda _t: None)
            s.type("join")
            assert s.pending_form is not None
            s.submit(s.pending_form, teacher.profile_values())
            sessions.append(s)
        mix = [
            "profile",
            "goals",
            "help",
            "goals add Try one new questioning technique",
            "goals remove 1",
            "pause until 2026-12-18",
            "resume",
            'profile set school="North High"',
            "help pause",
            "gaols",
        ]
        latencies = []
        started = time.perf_counter()
        for i in range(COMMANDS):
            session = sessions[i % len(sessions)]
            line = rng.choice(mix)
            t0 = time.perf_counter()
            outcome = session.type(line)
            latencies.append((time.perf_counter() - t0) * 1000)
            assert outcome.replies, line
        elapsed = time.perf_counter() - started
        app.engine.dispose()
    latencies.sort()
    result = {
        "commands": COMMANDS,
        "database": "sqlite",
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 3),
        "commands_per_s": round(COMMANDS / elapsed, 1),
        "target_p99_ms": 10,
    }
    print(json.dumps(result))
    return 0 if result["p99_ms"] < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
