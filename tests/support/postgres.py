"""One migrated PostgreSQL schema per test process, reset between tests (see ``tests/conftest.py``).

Kept apart from the conftest so that the unit tier, which loads the conftest too, never imports
SQLAlchemy.
"""

from __future__ import annotations

from graphlib import TopologicalSorter

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from storage.db import make_engine
from storage.migrate import upgrade


class PostgresSchema:
    """One migrated schema for this test process, handed to test after test as if new.

    A reset deletes rows and rewinds sequences rather than TRUNCATE: truncating thirty mostly empty
    tables replaces thirty sets of files and takes over a second; deleting the few rows a test wrote
    takes milliseconds.
    """

    def __init__(self, admin: Engine, name: str, base_url: str) -> None:
        self.admin = admin
        self.name = name
        separator = "&" if "?" in base_url else "?"
        # The application name lets a reset find connections a test left behind, and only those.
        self.url = f"{base_url}{separator}options=-csearch_path%3D{name}&application_name={name}"
        engine = make_engine(self.url)
        upgrade(engine)
        engine.dispose()
        with admin.connect() as conn:
            self.migrated_tables = self._tables(conn)
            self.delete_order = self._children_first(conn)
            filled = self._filled(conn)
        # Emptying every table is only "as freshly migrated" while migrations insert no rows.
        assert not filled, f"migrations left rows in {filled}; a reset would lose them"

    def _tables(self, conn: Connection) -> set[str]:
        rows = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": self.name}
        )
        return {row[0] for row in rows} - {"alembic_version"}

    def _children_first(self, conn: Connection) -> list[str]:
        """Our tables in an order that deletes every referencing row before the row it references."""
        edges = conn.execute(
            text(
                "SELECT child.relname, parent.relname FROM pg_constraint fk "
                "JOIN pg_class child ON child.oid = fk.conrelid "
                "JOIN pg_class parent ON parent.oid = fk.confrelid "
                "JOIN pg_namespace ns ON ns.oid = child.relnamespace "
                "WHERE fk.contype = 'f' AND ns.nspname = :s"
            ),
            {"s": self.name},
        )
        graph: dict[str, set[str]] = {table: set() for table in self.migrated_tables}
        for child, parent in edges:
            if child != parent:
                graph[parent].add(child)  # the parent waits until its children are emptied
        return list(TopologicalSorter(graph).static_order())

    def _filled(self, conn: Connection) -> list[str]:
        checks = " UNION ALL ".join(
            f'SELECT \'{t}\' WHERE EXISTS (SELECT 1 FROM "{self.name}"."{t}")'
            for t in sorted(self.migrated_tables)
        )
        return [row[0] for row in conn.execute(text(checks))]

    def reset(self) -> None:
        """Back to the migrated state: tables others created at run time dropped, ours emptied."""
        try:
            self._reset()
        except OperationalError:  # a lock held by a connection the test left open
            self._end_stray_connections()
            self._reset()

    def _reset(self) -> None:
        with self.admin.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '5s'"))
            for table in sorted(self._tables(conn) - self.migrated_tables):
                conn.execute(text(f'DROP TABLE "{self.name}"."{table}" CASCADE'))
            filled = set(self._filled(conn))
            for table in (t for t in self.delete_order if t in filled):
                conn.execute(text(f'DELETE FROM "{self.name}"."{table}"'))
            conn.execute(
                text(
                    "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
                    "FROM pg_sequences WHERE schemaname = :s AND last_value IS NOT NULL"
                ),
                {"s": self.name},
            )

    def _end_stray_connections(self) -> None:
        with self.admin.begin() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :name AND pid <> pg_backend_pid()"
                ),
                {"name": self.name},
            )

    def drop(self) -> None:
        self._end_stray_connections()
        with self.admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{self.name}" CASCADE'))
