"""Full-text search over the resource library, the same on SQLite and PostgreSQL.

How it works, and why:

* One normaliser (``bot.resources.terms``) turns text into stemmed ASCII tokens. The storage layer keeps
  a narrow ``resource_search`` row per live resource (padded token strings for title, tags and body,
  filter keys, the feedback multiplier) in step with every change, so the databases never tokenise or
  stem by themselves and see the same words, and a search reads small rows only.
* The database's full-text index finds the candidates: on SQLite an FTS5 table (``resources_fts``,
  external content on ``resource_search``, kept in sync by triggers); on PostgreSQL a stored generated
  ``tsvector`` (``search_vector``, ``simple`` configuration, fields as weight labels A/B/C) with a GIN
  index. A candidate holds at least one term; which fields hold it comes from ``LIKE '% term %'`` on
  SQLite and from ``term:A``-style weight queries on PostgreSQL (the same answer by construction).
* The rank is ours, computed in the same SQL on both: a BM25F-style sum over query terms of
  ``idf(term) * saturation(field weight)``, where the field weight is title 3 + tags 2 + body 1 for the
  fields holding the term, ``idf = ln((N + 1) / (df + 0.5))`` over the workspace's live resources, and
  saturation is BM25's ``(k1 + 1) f / (k1 + f)``. Both factors are scaled to integers before they are
  multiplied, so the score is an exact integer; helpful and unhelpful marks multiply it (+10% a helpful
  mark up to +100%, -20% an unhelpful one down to -80%). Resources pinned for the searcher's programs
  come first, then the higher score, then the lower id. Native ``bm25()``/``ts_rank`` are not used: they disagree with each other, and the
  library must answer the same on the embedded default and at scale.

The FTS5 table, its triggers and PostgreSQL's ``search_vector`` column are not in the ORM models (they
exist on one dialect only); ``include_name`` hides them from Alembic's comparison.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.resources.terms import index_text, slug

_TERM = re.compile(r"[a-z0-9]+")

FIELD_WEIGHTS = {"search_title": 3, "search_tags": 2, "search_body": 1}
K1 = 1.2
SCALE = 1000
SATURATION = {
    f: round(SCALE * f * (K1 + 1) / (f + K1)) for f in range(1, sum(FIELD_WEIGHTS.values()) + 1)
}
"""Integer BM25 saturation for each possible field-weight sum (1..6)."""

MAX_HELPFUL_BONUS = 10
MAX_UNHELPFUL_PENALTY = 4

FTS_TABLE = "resources_fts"
PG_VECTOR_COLUMN = "search_vector"
PG_VECTOR_INDEX = "ix_resource_search_search_vector"
_COLUMNS = "search_title, search_tags, search_body, workspace_token"

SQLITE_DDL = (
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({_COLUMNS},
        content='resource_search', content_rowid='resource_id', tokenize='unicode61',
        detail='column')""",
    f"""CREATE TRIGGER resource_search_fts_insert AFTER INSERT ON resource_search BEGIN
        INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS})
        VALUES (new.resource_id, new.search_title, new.search_tags, new.search_body,
                new.workspace_token);
    END""",
    f"""CREATE TRIGGER resource_search_fts_delete AFTER DELETE ON resource_search BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMNS})
        VALUES ('delete', old.resource_id, old.search_title, old.search_tags, old.search_body,
                old.workspace_token);
    END""",
    f"""CREATE TRIGGER resource_search_fts_update AFTER UPDATE ON resource_search BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {_COLUMNS})
        VALUES ('delete', old.resource_id, old.search_title, old.search_tags, old.search_body,
                old.workspace_token);
        INSERT INTO {FTS_TABLE}(rowid, {_COLUMNS})
        VALUES (new.resource_id, new.search_title, new.search_tags, new.search_body,
                new.workspace_token);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS resource_search_fts_update",
    "DROP TRIGGER IF EXISTS resource_search_fts_delete",
    "DROP TRIGGER IF EXISTS resource_search_fts_insert",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
POSTGRES_DDL = (
    # Field weights as tsvector labels (A title, B tags, C body): the ranking asks ``term:A`` etc.
    f"""ALTER TABLE resource_search ADD COLUMN {PG_VECTOR_COLUMN} tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_title), 'A')
        || setweight(to_tsvector('simple'::regconfig, search_tags), 'B')
        || setweight(to_tsvector('simple'::regconfig, search_body), 'C')
    ) STORED""",
    f"CREATE INDEX {PG_VECTOR_INDEX} ON resource_search USING gin ({PG_VECTOR_COLUMN})",
)
POSTGRES_DROP = (
    f"DROP INDEX IF EXISTS {PG_VECTOR_INDEX}",
    f"ALTER TABLE resource_search DROP COLUMN IF EXISTS {PG_VECTOR_COLUMN}",
)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic hook: leave out what is not modelled because it exists on one dialect only: the FTS5
    table and its shadow tables (SQLite), the generated tsvector column and its GIN index (PostgreSQL)."""
    if type_ == "table" and name is not None and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and name == PG_VECTOR_COLUMN:
        return False
    return not (type_ == "index" and name == PG_VECTOR_INDEX)


# --- keeping the index rows in step --------------------------------------------------------------


def _padded(text: str) -> str:
    """Tokens with a space each side, so ``LIKE '% term %'`` finds whole tokens only."""
    return f" {index_text(text)} "


def quality(helpful: int, unhelpful: int) -> int:
    """Feedback as a multiplier out of 10: +1 a helpful mark (up to +10), -2 an unhelpful one (to -8)."""
    return 10 + min(helpful, MAX_HELPFUL_BONUS) - 2 * min(unhelpful, MAX_UNHELPFUL_PENALTY)


def quality_sql(helpful: str, unhelpful: str) -> str:
    """``quality`` in SQL, for updating the index row in the same statement as the counters."""
    return (
        f"(10 + CASE WHEN {helpful} > {MAX_HELPFUL_BONUS} THEN {MAX_HELPFUL_BONUS} ELSE {helpful} END"
        f" - 2 * CASE WHEN {unhelpful} > {MAX_UNHELPFUL_PENALTY} THEN {MAX_UNHELPFUL_PENALTY}"
        f" ELSE {unhelpful} END)"
    )


def workspace_token(workspace_id: int) -> str:
    """The workspace as a token in the SQLite index, so a search never reads another school's rows."""
    return f"w{workspace_id}"


def search_row(
    *,
    workspace_id: int,
    title: str,
    tags: Sequence[str],
    note: str,
    url: str | None,
    subject: str | None,
    grade_band: str | None,
    helpful: int,
    unhelpful: int,
) -> dict[str, Any]:
    """The ``resource_search`` values for a live resource's human fields and feedback."""
    link_words = ""
    if url:
        parts = urlsplit(url)
        link_words = f"{parts.hostname or ''} {parts.path}"
    return {
        "workspace_token": workspace_token(workspace_id),
        "quality": quality(helpful, unhelpful),
        "subject_key": (subject or "").strip().lower()[:80],
        "grade_key": (grade_band or "").strip().lower()[:40],
        "tag_keys": "|" + "|".join(slug(t) for t in tags) + "|" if tags else "",
        "search_title": _padded(title),
        "search_tags": _padded(" ".join([*tags, subject or "", grade_band or ""])),
        "search_body": _padded(f"{note} {link_words}"),
    }


# --- the ranked search ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchSpec:
    workspace_id: int
    terms: tuple[str, ...]
    subject: str | None = None
    grade_band: str | None = None
    tag: str | None = None
    program_ids: tuple[int, ...] = ()
    fresh_for_member: int | None = None
    min_score: int = 1
    limit: int = 5
    term_weights: tuple[int, ...] = ()
    """Integer multiplier per term (default 1): surfacing counts the moment's words above goals."""
    match_all: bool = False
    """Every term must be there (a typed search); otherwise any term will do (surfacing)."""
    cap: int = 2000
    """Rank at most this many candidates, the newest: a word found in most of a large library costs a
    bounded time, and older resources still win on other words."""
    dense: bool = True
    """PostgreSQL plan hint, never a change of result: True walks the primary key newest first and
    stops after ``cap`` hits (cheap when the words are common), False asks the GIN index for every hit
    (cheap when they are rare). ``storage.repositories.resources`` sets it from the column's statistics."""
    newer_than: int = 0
    """PostgreSQL plan hint for ``dense=False``, never a change of result: first ask the GIN index for
    the hits with an id above this one only (a range of the primary key, intersected with the GIN
    index's hits as bitmaps, so only rows in both are read), and for every hit only when those are
    fewer than ``cap``. Words in a few percent of a large library then cost the ``cap`` rows they
    need, not the tens of thousands they match. 0 asks for every hit at once."""


def _int_idf(df_column: str) -> str:
    """``1 + floor(1000 ln((N + 1) / (df + 0.5)) + 0.5)`` in double precision on both databases.

    The 1 keeps a word found everywhere from scoring nothing (and its matches from vanishing)."""
    return (
        "(1 + CAST(floor(CAST(1000 AS DOUBLE PRECISION) * ln("
        "(CAST(n.n AS DOUBLE PRECISION) + CAST(1 AS DOUBLE PRECISION)) / "
        f"(CAST(df.{df_column} AS DOUBLE PRECISION) + CAST(0.5 AS DOUBLE PRECISION))"
        ") + CAST(0.5 AS DOUBLE PRECISION)) AS BIGINT))"
    )


def _saturation(column: str) -> str:
    whens = " ".join(f"WHEN {f} THEN {v}" for f, v in SATURATION.items())
    return f"(CASE c.{column} {whens} ELSE 0 END)"


def _filters(spec: SearchSpec, params: dict[str, Any], alias: str) -> list[str]:
    key = "id" if alias == "c" else "resource_id"
    where: list[str] = []
    if spec.subject:
        where.append(f"{alias}.subject_key = :subject")
        params["subject"] = spec.subject.strip().lower()
    if spec.grade_band:
        where.append(f"{alias}.grade_key = :grade_band")
        params["grade_band"] = spec.grade_band.strip().lower()
    if spec.tag:
        where.append(f"{alias}.tag_keys LIKE :tag_key")
        params["tag_key"] = f"%|{spec.tag}|%"
    if spec.fresh_for_member is not None:
        params["member_id"] = spec.fresh_for_member
        where += [
            f"NOT EXISTS (SELECT 1 FROM resource_views v WHERE v.resource_id = {alias}.{key} "
            "AND v.member_id = :member_id)",
            f"NOT EXISTS (SELECT 1 FROM resource_marks k WHERE k.resource_id = {alias}.{key} "
            "AND k.member_id = :member_id)",
            f"NOT EXISTS (SELECT 1 FROM resource_sharers sh WHERE sh.resource_id = {alias}.{key} "
            "AND sh.member_id = :member_id)",
        ]
    return where


def _pinned(spec: SearchSpec, params: dict[str, Any], alias: str) -> str:
    key = "id" if alias == "c" else "resource_id"
    if not spec.program_ids:
        return "0"
    names = []
    for i, program_id in enumerate(spec.program_ids):
        params[f"program_{i}"] = program_id
        names.append(f":program_{i}")
    return (
        f"CASE WHEN EXISTS (SELECT 1 FROM resource_pins p WHERE p.resource_id = {alias}.{key} "
        f"AND p.program_id IN ({', '.join(names)})) THEN 1 ELSE 0 END"
    )


def _checked(term: str) -> str:
    """Terms come from ``bot.resources.terms`` ([a-z0-9]+); anything else is a bug, not input."""
    if not _TERM.fullmatch(term):
        raise ValueError(f"not a normalised search term: {term!r}")
    return term


checked_term = _checked


def _field_flags(dialect: str, k: int, term: str, params: dict[str, Any]) -> str:
    """The sum of the weights of the fields holding ``term``: title 3, tags 2, body 1."""
    if dialect == "postgresql":
        # Index-only knowledge: the weight labels of the tsvector, no text scanned.
        parts = [
            f"CASE WHEN s.{PG_VECTOR_COLUMN} @@ '{_checked(term)}:{label}'::tsquery "
            f"THEN {weight} ELSE 0 END"
            for label, weight in (("A", 3), ("B", 2), ("C", 1))
        ]
    else:
        params[f"like_{k}"] = f"% {term} %"
        parts = [
            f"CASE WHEN s.{column} LIKE :like_{k} THEN {weight} ELSE 0 END"
            for column, weight in FIELD_WEIGHTS.items()
        ]
    return f"({' + '.join(parts)}) AS f{k}"


def ranked_search_sql(dialect: str, spec: SearchSpec) -> tuple[str, dict[str, Any]]:
    """One statement returning ``(id, score, pinned)`` rows, best first, at most ``spec.limit``."""
    params: dict[str, Any] = {"ws": spec.workspace_id, "limit": spec.limit}
    if not spec.terms:
        return _browse_sql(spec, params)
    flags = [_field_flags(dialect, k, term, params) for k, term in enumerate(spec.terms)]
    params["cap"] = spec.cap
    prelude = ""
    if dialect == "sqlite":
        joiner = " AND " if spec.match_all else " OR "
        words = joiner.join(f'"{_checked(t)}"' for t in spec.terms)
        params["match"] = (
            f'workspace_token : "{workspace_token(spec.workspace_id)}" AND '
            f"{{search_title search_tags search_body}} : ({words})"
        )
        source = (
            # The newest ``cap`` hits straight from the index (FTS5 walks rowids backwards), then one
            # lookup per hit; CROSS JOIN keeps SQLite from turning the join around.
            f"(SELECT rowid AS rid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match "
            "ORDER BY rowid DESC LIMIT :cap) m "
            "CROSS JOIN resource_search s ON s.resource_id = m.rid"
        )
    elif dialect == "postgresql":
        joiner = " & " if spec.match_all else " | "
        params["tsquery"] = joiner.join(_checked(t) for t in spec.terms)
        if spec.dense:
            # Common words: walk the primary key backwards, stop after ``cap`` hits, and compute the
            # field flags for those rows only (the ``+ 0`` keeps the planner off the workspace
            # index, which would fetch every row of the workspace to sort them).
            source = (
                "resource_search s WHERE s.workspace_id + 0 = :ws AND "
                f"s.{PG_VECTOR_COLUMN} @@ to_tsquery('simple'::regconfig, :tsquery) "
                "ORDER BY s.resource_id DESC LIMIT :cap"
            )
        else:
            # Rare words: every hit's id from the GIN index (the ``+ 0`` keep the planner off the
            # primary key and workspace indexes), the ``cap`` newest, then those rows by primary key.
            hits = (
                "SELECT resource_id FROM resource_search WHERE workspace_id + 0 = :ws AND "
                f"{PG_VECTOR_COLUMN} @@ to_tsquery('simple'::regconfig, :tsquery) "
                "{recent}ORDER BY resource_id + 0 DESC LIMIT :cap"
            )
            every = f"ARRAY({hits.format(recent='')})"
            if spec.newer_than > 0:
                # The newest hits first; when they are fewer than ``cap``, the older ones after
                # them (the CASE asks for those only then), so no row is read twice.
                params["newer_than"] = spec.newer_than
                recent = hits.format(recent="AND resource_id > :newer_than ")
                older = hits.format(recent="AND resource_id <= :newer_than ").replace(
                    "LIMIT :cap", "LIMIT :cap - cardinality((SELECT ids FROM recent))"
                )
                prelude = f"recent AS MATERIALIZED (SELECT ARRAY({recent}) AS ids),"
                every = (
                    "CASE WHEN cardinality((SELECT ids FROM recent)) >= :cap "
                    "THEN (SELECT ids FROM recent) "
                    f"ELSE (SELECT ids FROM recent) || ARRAY({older}) END"
                )
            source = f"resource_search s WHERE s.resource_id = ANY({every})"
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(dialect)
    df = ", ".join(
        f"COALESCE(SUM(CASE WHEN f{k} > 0 THEN 1 ELSE 0 END), 0) AS d{k}"
        for k in range(len(spec.terms))
    )
    weights = ", ".join(f"{_int_idf(f'd{k}')} AS w{k}" for k in range(len(spec.terms)))
    multipliers = [
        int(spec.term_weights[k]) if k < len(spec.term_weights) else 1
        for k in range(len(spec.terms))
    ]
    relevance = " + ".join(
        f"{m} * w.w{k} * {_saturation(f'f{k}')}" for k, m in enumerate(multipliers)
    )
    where = _filters(spec, params, "c")
    params["min_score"] = spec.min_score
    sql = f"""
        WITH {prelude} c AS MATERIALIZED (
            SELECT s.resource_id AS id, s.quality AS quality, s.subject_key AS subject_key,
                   s.grade_key AS grade_key, s.tag_keys AS tag_keys, {", ".join(flags)}
            FROM {source}
        ),
        df AS MATERIALIZED (SELECT {df} FROM c),
        n AS MATERIALIZED (SELECT COALESCE(
            (SELECT live FROM resource_counts WHERE workspace_id = :ws), 0) AS n),
        w AS MATERIALIZED (SELECT {weights} FROM df CROSS JOIN n),
        scored AS (
            SELECT c.id AS id, ({relevance}) * c.quality AS base,
                   {_pinned(spec, params, "c")} AS pinned
            FROM w CROSS JOIN c
            {"WHERE " + " AND ".join(where) if where else ""}
        )
        SELECT id, base AS score, pinned FROM scored
        WHERE base >= :min_score
        ORDER BY pinned DESC, score DESC, id ASC
        LIMIT :limit
    """
    return sql, params


def _browse_sql(spec: SearchSpec, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """No words, only filters: pinned first, then the most helpful, then the newest."""
    where = ["s.workspace_id = :ws", *_filters(spec, params, "s")]
    sql = f"""
        SELECT id, score, pinned FROM (
            SELECT s.resource_id AS id, s.quality AS score, {_pinned(spec, params, "s")} AS pinned
            FROM resource_search s WHERE {" AND ".join(where)}
        ) b
        ORDER BY pinned DESC, score DESC, id DESC
        LIMIT :limit
    """
    return sql, params


def idf(total: int, df: int) -> int:
    """The integer idf the SQL computes, for tests and explanations."""
    return 1 + math.floor(SCALE * math.log((total + 1) / (df + 0.5)) + 0.5)
