"""The unit tier runs without a database: nothing it imports may load SQLAlchemy or the storage layer.

Run alone (``pytest tests/unit``), this process is the proof and the check costs nothing. In a run
with the other tiers, which import the database long before this test, a fresh interpreter imports
the unit tier's modules and fixtures and reports what they loaded.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

UNIT = Path(__file__).parent
FORBIDDEN = ("sqlalchemy", "alembic", "psycopg", "storage", "staffroom")


def loaded_here() -> list[str]:
    for name in unit_modules():
        importlib.import_module(name)
    return sorted({name.split(".")[0] for name in sys.modules} & set(FORBIDDEN))


def unit_modules() -> list[str]:
    return ["tests.conftest"] + [
        f"tests.unit.{path.stem}" for path in sorted(UNIT.glob("*.py")) if path.stem != "__init__"
    ]


def loaded_by_a_fresh_import() -> list[str]:
    modules = unit_modules()
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({FORBIDDEN!r}))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=UNIT.parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    return [name for name in result.stdout.strip().split(",") if name]


def test_the_unit_tier_and_its_fixtures_load_no_database_code() -> None:
    if "sqlalchemy" in sys.modules and not loaded_by_a_fresh_import():
        return  # another tier in this run loaded it; the unit tier alone does not
    assert loaded_here() == []
