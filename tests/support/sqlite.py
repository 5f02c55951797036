"""One migrated SQLite file per test process, reset between tests (see ``tests/conftest.py``).

Kept apart from the conftest so that the unit tier, which loads the conftest too, never imports
SQLAlchemy.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path


class SqliteDatabase:
    """A migrated file handed to test after test as if new, so one engine (and its statement cache)
    serves them all: compiling every statement afresh for each test cost more than the tests did.
    """

    def __init__(self, template: Path, path: Path) -> None:
        self.template = template
        self.path = path
        shutil.copy(template, path)
        self.url = f"sqlite:///{path}"
        with self._connect() as conn:
            self.migrated_tables = self._tables(conn)

    def _connect(self) -> sqlite3.Connection:
        # Foreign keys stay off on this connection, so rows can go in any order.
        return sqlite3.connect(self.path, isolation_level=None, timeout=5)

    @staticmethod
    def _tables(conn: sqlite3.Connection) -> set[str]:
        """Ordinary tables: a full-text index follows its content table through triggers."""
        rows = list(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        virtual = [name for name, sql in rows if sql.upper().startswith("CREATE VIRTUAL TABLE")]
        return {
            name
            for name, _sql in rows
            if not name.startswith("sqlite_")
            and name not in virtual
            and not any(name.startswith(f"{v}_") for v in virtual)
        } - {"alembic_version"}

    def reset(self) -> bool:
        """Back to the migrated state; False while a connection the test left open holds a lock
        (close every connection, then ``replace``)."""
        try:
            self._reset()
            return True
        except sqlite3.OperationalError:
            return False

    def replace(self) -> None:
        """A fresh copy of the migrated file, for when emptying this one was not possible."""
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        shutil.copy(self.template, self.path)

    def _reset(self) -> None:
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            tables = self._tables(conn)
            for table in sorted(tables - self.migrated_tables):
                conn.execute(f'DROP TABLE "{table}"')
            for table in sorted(tables & self.migrated_tables):
                if conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]:
                    conn.execute(f'DELETE FROM "{table}"')
            if conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
            ).fetchone():
                conn.execute("DELETE FROM sqlite_sequence")
            conn.execute("COMMIT")
        finally:
            conn.close()
