"""Keeping PostgreSQL's planner statistics current when nothing else does.

PostgreSQL plans every query from the statistics ``ANALYZE`` gathers. Autovacuum normally keeps them
fresh, but a server can run with it off (this project's own test machines do), and a table that was
never analysed is planned as if it held one row: the digest's "who needs a hand" then rescanned a
program's 5,000 memberships for each of its candidates and took seconds instead of milliseconds.
So Staffroom checks, on an interval, which of its tables changed past autovacuum's own threshold
(50 rows plus 10 %) since they were last analysed, and analyses only those. With autovacuum on and
keeping up, it finds nothing to do. SQLite's planner does well on its heuristics without statistics
(and an ANALYZE there can freeze plans for tables that later grow), so SQLite is left as it is.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)

BASE_THRESHOLD = 50
SCALE_FACTOR = 0.1
"""PostgreSQL's defaults for ``autovacuum_analyze_threshold`` and ``..._scale_factor``."""

_STALE = text(
    """
    SELECT relname
    FROM pg_stat_user_tables
    WHERE schemaname = current_schema()
      AND n_mod_since_analyze > :base + :scale * n_live_tup
    ORDER BY relname
    """
)


def refresh_statistics(engine: Engine) -> list[str]:
    """ANALYZE the tables of our schema that changed enough since they were last analysed."""
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as conn:
        stale = [
            str(name)
            for name in conn.execute(_STALE, {"base": BASE_THRESHOLD, "scale": SCALE_FACTOR})
            .scalars()
            .all()
        ]
        preparer = engine.dialect.identifier_preparer
        for name in stale:
            conn.execute(text(f"ANALYZE {preparer.quote(name)}"))
        conn.commit()
    if stale:
        log.info("analysed %d table(s) for the query planner: %s", len(stale), ", ".join(stale))
    return stale
