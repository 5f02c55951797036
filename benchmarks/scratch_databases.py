"""Where a benchmark runs: a SQLite file of its own, and a PostgreSQL schema of its own when asked.

Every benchmark measures on SQLite and, when ``STAFFROOM_TEST_POSTGRES_URL`` (or its ``--postgres``)
names a server, on PostgreSQL too, in a schema made for the run and dropped after it, so runs side by
side on one server never meet. Imported by the scripts beside it (``from scratch_databases import ...``: a
script's own folder is first on its path).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from storage.db import make_engine


def postgres_from_environment() -> str:
    """The PostgreSQL to measure on too, if any: ``STAFFROOM_TEST_POSTGRES_URL``, else none."""
    return os.environ.get("STAFFROOM_TEST_POSTGRES_URL", "").strip()


def in_schema(url: str, schema: str) -> str:
    """``url`` with every connection's ``search_path`` set to ``schema``."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@contextmanager
def postgres_schema(url: str, prefix: str = "bench") -> Iterator[str]:
    """A new, empty schema on the server at ``url``, dropped afterwards; yields a URL that uses it."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield in_schema(url, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def databases(postgres: str, workdir: Path, label: str = "staffroom") -> Iterator[tuple[str, str]]:
    """``("sqlite", url)`` for a new file in ``workdir``, then ``("postgresql", url)`` for a new
    schema when ``postgres`` names a server; the schema lives until the caller moves past it."""
    yield "sqlite", f"sqlite:///{workdir / f'{label}.db'}"
    if postgres:
        with postgres_schema(postgres) as url:
            yield "postgresql", url
