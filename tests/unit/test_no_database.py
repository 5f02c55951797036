"""The unit tier runs without a database: nothing it imports may load SQLAlchemy or the storage layer.

Checked in a fresh interpreter, because by the time this test runs in a full suite some other test
has long since imported them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

UNIT = Path(__file__).parent
FORBIDDEN = ("sqlalchemy", "alembic", "psycopg", "storage", "staffroom", "adapters")


def test_the_unit_tier_and_its_fixtures_load_no_database_code() -> None:
    modules = ["tests.conftest"] + [
        f"tests.unit.{path.stem}" for path in sorted(UNIT.glob("*.py")) if path.stem != "__init__"
    ]
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({FORBIDDEN!r}))\n"
        "print(','.join(loaded))\n"
    )
    root = UNIT.parent.parent
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
