"""How long `staffroom --help` takes: platform SDKs must load only when an adapter starts.

Target: under 0.5 s. Prints one JSON object as its last line.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 7


def main() -> int:
    exe = shutil.which("staffroom") or str(Path(sys.executable).parent / "staffroom")
    timings = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        subprocess.run([exe, "--help"], check=True, capture_output=True)
        timings.append(time.perf_counter() - t0)
    probe = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import staffroom.cli"],
        capture_output=True,
        text=True,
    )
    heavy = [
        m
        for m in ("slack_bolt", "slack_sdk", "botbuilder", "sqlalchemy", "aiohttp")
        if f" {m}" in probe.stderr
    ]
    result = {
        "median_s": round(statistics.median(timings), 3),
        "max_s": round(max(timings), 3),
        "sdks_imported_by_cli": heavy,
        "target_s": 0.5,
    }
    print(json.dumps(result))
    return 0 if result["median_s"] < 0.5 and not heavy else 1


if __name__ == "__main__":
    sys.exit(main())
