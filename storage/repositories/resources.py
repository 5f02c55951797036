"""The resource library's repository: one workspace's shelf, its feedback, pins and search.

Every write that changes what a resource says also rewrites its token columns (``storage.repositories.resources_search``), in
the same transaction, so the full-text index (FTS5 triggers on SQLite, a generated tsvector on
PostgreSQL) never disagrees with what people read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from bot.resources.model import HelpfulCount, Mark, Resource, ResourceHit, ResourceQuery, ShownIn
from storage.models.members import MemberRow
from storage.models.resources import (
    ResourceCountRow,
    ResourceMarkRow,
    ResourcePinRow,
    ResourceRow,
    ResourceSearchRow,
    ResourceSharerRow,
    ResourceViewRow,
)
from storage.repositories.resources_search import (
    FIELD_WEIGHTS,
    SATURATION,
    SearchSpec,
    checked_term,
    idf,
    quality_sql,
    ranked_search_sql,
    search_row,
)
from storage.sql import chunks, insert_ignoring_conflict, insert_many_ignoring_conflicts
from storage.types import Now

DENSE_FRACTION = 0.08
"""Above this share of resources holding the words, walking newest-first beats fetching every hit."""
WINDOW_MARGIN = 1.5
"""Below it, the GIN index is asked first among the newest ``1.5 * cap / share`` ids: enough, with the
share known roughly, to hold the ``cap`` newest hits (if not, every hit is asked for after all). Not
worth it when that is half the library or more: the hits are then few enough to read them all."""
TOGETHER_PAGE = 2000
"""Index rows read a statement when many queries are ranked together (``search_many``)."""
DENSITY_SAMPLE = 2000
"""How many of the newest resources are read to tell common words from rare ones when the planner's
statistics cannot: a millisecond's walk, and a share good to a percentage point or so."""


class SqlResources:
    def __init__(self, session: Session, workspace_id: int, now: Now | None = None) -> None:
        self._s = session
        self._ws = workspace_id
        self._now = now
        self._term_freqs: dict[str, float] | None = None
        self._planner_before: dict[str, str] | None = None
        self._newest: int | None = None
        self._library_empty: bool | None = None
        """Whether the workspace has shared nothing yet, asked once a unit of work: the planner asks
        for suggestions for every teacher due, and a new school's empty library has none to give."""

    # --- reading -------------------------------------------------------------------------------

    def _row(self, resource_id: int) -> ResourceRow | None:
        row = self._s.get(ResourceRow, resource_id)
        return row if row is not None and row.workspace_id == self._ws else None

    def _sharer_names(self, resource_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        if not resource_ids:
            return {}
        # By resource, never by workspace: ``+ 0`` keeps SQLite, which has no statistics to tell
        # it a library is large, from reading every sharer of the workspace in ``shared_at``
        # order (the digest's index) to spare itself sorting a handful of rows.
        rows = self._s.execute(
            select(ResourceSharerRow.resource_id, MemberRow.display_name)
            .join(MemberRow, MemberRow.id == ResourceSharerRow.member_id)
            .where(
                ResourceSharerRow.workspace_id + 0 == self._ws,
                ResourceSharerRow.resource_id.in_(list(resource_ids)),
            )
            .order_by(ResourceSharerRow.shared_at, ResourceSharerRow.id)
        )
        names: dict[int, list[str]] = {}
        for resource_id, name in rows:
            names.setdefault(resource_id, []).append(name)
        return {k: tuple(v) for k, v in names.items()}

    def _to_domain(self, rows: Sequence[ResourceRow]) -> list[Resource]:
        names = self._sharer_names([r.id for r in rows])
        return [
            Resource(
                id=r.id,
                workspace_id=r.workspace_id,
                title=r.title,
                url=r.url,
                normalized_url=r.normalized_url,
                note=r.body,
                subject=r.subject,
                grade_band=r.grade_band,
                tags=list(r.tags),
                source_kind=r.source_kind,
                shared_by_member_id=r.shared_by_member_id,
                sharers=names.get(r.id, ()),
                helpful_count=r.helpful_count,
                unhelpful_count=r.unhelpful_count,
                created_at=r.created_at,
                removed_at=r.removed_at,
                removed_by_member_id=r.removed_by_member_id,
            )
            for r in rows
        ]

    def get(self, resource_id: int) -> Resource | None:
        row = self._row(resource_id)
        return self._to_domain([row])[0] if row else None

    def by_normalized_url(self, normalized_url: str) -> Resource | None:
        row = self._s.scalars(
            select(ResourceRow).where(
                ResourceRow.workspace_id == self._ws,
                ResourceRow.normalized_url == normalized_url,
            )
        ).first()
        return self._to_domain([row])[0] if row else None

    def sharer_ids(self, resource_id: int) -> list[int]:
        return list(
            self._s.scalars(
                select(ResourceSharerRow.member_id)
                .where(
                    ResourceSharerRow.workspace_id == self._ws,
                    ResourceSharerRow.resource_id == resource_id,
                )
                .order_by(ResourceSharerRow.shared_at, ResourceSharerRow.id)
            )
        )

    def shared_by(self, member_id: int) -> list[Resource]:
        rows = self._s.scalars(
            select(ResourceRow)
            .join(ResourceSharerRow, ResourceSharerRow.resource_id == ResourceRow.id)
            .where(
                ResourceRow.workspace_id == self._ws,
                ResourceRow.removed_at.is_(None),
                ResourceSharerRow.member_id == member_id,
            )
            .order_by(ResourceSharerRow.shared_at.desc(), ResourceRow.id.desc())
        ).all()
        return self._to_domain(rows)

    # --- writing -------------------------------------------------------------------------------

    @staticmethod
    def _fill(row: ResourceRow, resource: Resource) -> None:
        row.title = resource.title
        row.url = resource.url
        row.normalized_url = resource.normalized_url
        row.body = resource.note
        row.subject = resource.subject
        row.grade_band = resource.grade_band
        row.tags = list(resource.tags)
        row.source_kind = resource.source_kind
        row.removed_at = resource.removed_at
        row.removed_by_member_id = resource.removed_by_member_id

    @staticmethod
    def _search_values(row: ResourceRow) -> dict[str, object]:
        return search_row(
            workspace_id=row.workspace_id,
            title=row.title,
            tags=row.tags,
            note=row.body,
            url=row.url,
            subject=row.subject,
            grade_band=row.grade_band,
            helpful=row.helpful_count,
            unhelpful=row.unhelpful_count,
        )

    def _sync_search(self, row: ResourceRow) -> None:
        """The index row follows the resource: rewritten while it is live, gone once removed."""
        index = self._s.get(ResourceSearchRow, row.id)
        if row.removed_at is not None:
            if index is not None:
                self._s.delete(index)
                self._count(-1)
            return
        values = self._search_values(row)
        if index is None:
            self._s.add(ResourceSearchRow(resource_id=row.id, workspace_id=self._ws, **values))
            self._count(+1)
            return
        for column, value in values.items():
            if getattr(index, column) != value:
                setattr(index, column, value)

    def _count(self, delta: int) -> None:
        """Move the workspace's live count, in the same transaction as the index row."""
        insert_ignoring_conflict(
            self._s,
            ResourceCountRow.__table__,  # type: ignore[arg-type]
            {"workspace_id": self._ws, "live": 0},
        )
        self._s.execute(
            update(ResourceCountRow)
            .where(ResourceCountRow.workspace_id == self._ws)
            .values(live=ResourceCountRow.live + delta)
        )

    def add(self, resource: Resource, sharer_id: int, now: datetime) -> Resource:
        self._library_empty = False
        row = ResourceRow(
            workspace_id=self._ws,
            shared_by_member_id=sharer_id,
            created_at=now,
            helpful_count=0,
            unhelpful_count=0,
        )
        self._fill(row, resource)
        self._s.add(row)
        self._s.flush()
        self._sync_search(row)
        self.add_sharer(row.id, sharer_id, now)
        self._s.flush()
        return self._to_domain([row])[0]

    def add_many(self, resources: Sequence[Resource], sharer_id: int, now: datetime) -> int:
        """Bulk import (a library moved in from elsewhere, the benchmark): a few statements in all.

        No duplicate check: the caller hands in distinct links. The index follows as for ``add``.
        """
        if not resources:
            return 0
        rows = []
        for resource in resources:
            row = ResourceRow(workspace_id=self._ws, helpful_count=0, unhelpful_count=0)
            self._fill(row, resource)
            rows.append(row)
        values = [
            {
                "workspace_id": self._ws,
                "shared_by_member_id": sharer_id,
                "created_at": now,
                "helpful_count": 0,
                "unhelpful_count": 0,
                "title": r.title,
                "url": r.url,
                "normalized_url": r.normalized_url,
                "body": r.body,
                "subject": r.subject,
                "grade_band": r.grade_band,
                "tags": r.tags,
                "source_kind": r.source_kind,
            }
            for r in rows
        ]
        ids = self._s.scalars(
            insert(ResourceRow).returning(ResourceRow.id, sort_by_parameter_order=True), values
        ).all()
        self._s.execute(
            insert(ResourceSearchRow),
            [
                {"resource_id": rid, "workspace_id": self._ws, **self._search_values(r)}
                for rid, r in zip(ids, rows, strict=True)
            ],
        )
        self._count(len(ids))
        self._s.execute(
            insert(ResourceSharerRow),
            [
                {
                    "workspace_id": self._ws,
                    "resource_id": rid,
                    "member_id": sharer_id,
                    "shared_at": now,
                }
                for rid in ids
            ],
        )
        return len(ids)

    def save(self, resource: Resource) -> None:
        row = self._row(resource.id) if resource.id is not None else None
        if row is None:
            raise LookupError(f"resource {resource.id} is not in this workspace")
        self._fill(row, resource)
        self._s.flush()
        self._sync_search(row)
        self._s.flush()

    def add_sharer(self, resource_id: int, member_id: int, now: datetime) -> bool:
        return insert_ignoring_conflict(
            self._s,
            ResourceSharerRow.__table__,  # type: ignore[arg-type]
            {
                "workspace_id": self._ws,
                "resource_id": resource_id,
                "member_id": member_id,
                "shared_at": now,
            },
        )

    def remove_sharer(self, resource_id: int, member_id: int) -> bool:
        result = self._s.execute(
            delete(ResourceSharerRow).where(
                ResourceSharerRow.workspace_id == self._ws,
                ResourceSharerRow.resource_id == resource_id,
                ResourceSharerRow.member_id == member_id,
            )
        )
        return bool(getattr(result, "rowcount", 0))

    # --- feedback, views, pins -----------------------------------------------------------------

    def mark_of(self, resource_id: int, member_id: int) -> Mark | None:
        value = self._s.scalar(
            select(ResourceMarkRow.mark).where(
                ResourceMarkRow.workspace_id == self._ws,
                ResourceMarkRow.resource_id == resource_id,
                ResourceMarkRow.member_id == member_id,
            )
        )
        return Mark(value) if value else None

    def mark(self, resource_id: int, member_id: int, mark: Mark, now: datetime) -> Mark | None:
        """Upsert the mark and move the counters on ``resources`` by the difference, atomically."""
        row = self._s.scalars(
            select(ResourceMarkRow).where(
                ResourceMarkRow.workspace_id == self._ws,
                ResourceMarkRow.resource_id == resource_id,
                ResourceMarkRow.member_id == member_id,
            )
        ).first()
        previous = Mark(row.mark) if row else None
        if previous is mark:
            return previous
        if row is None:
            self._s.add(
                ResourceMarkRow(
                    workspace_id=self._ws,
                    resource_id=resource_id,
                    member_id=member_id,
                    mark=mark.value,
                    marked_at=now,
                )
            )
        else:
            row.mark = mark.value
            row.marked_at = now
        helpful = (mark is Mark.HELPFUL) - (previous is Mark.HELPFUL)
        unhelpful = (mark is Mark.UNHELPFUL) - (previous is Mark.UNHELPFUL)
        self._s.execute(
            update(ResourceRow)
            .where(ResourceRow.workspace_id == self._ws, ResourceRow.id == resource_id)
            .values(
                helpful_count=ResourceRow.helpful_count + helpful,
                unhelpful_count=ResourceRow.unhelpful_count + unhelpful,
            )
            .execution_options(synchronize_session="fetch")
        )
        # The ranking's multiplier moves with the counters, in the same transaction.
        self._s.execute(
            text(
                "UPDATE resource_search SET quality = (SELECT "
                + quality_sql("r.helpful_count", "r.unhelpful_count")
                + " FROM resources r WHERE r.id = resource_search.resource_id) "
                "WHERE resource_id = :id AND workspace_id = :ws"
            ),
            {"id": resource_id, "ws": self._ws},
        )
        self._s.flush()
        return previous

    def record_shown(
        self,
        member_id: int,
        resource_ids: Sequence[int],
        where: ShownIn,
        now: datetime | None = None,
    ) -> None:
        if now is None:
            if self._now is None:
                raise ValueError("record_shown needs a time: pass now, or build with a clock")
            now = self._now()
        rows = [
            {
                "workspace_id": self._ws,
                "resource_id": resource_id,
                "member_id": member_id,
                "shown_in": where.value,
                "shown_at": now,
            }
            for resource_id in dict.fromkeys(resource_ids)
        ]
        if rows:  # one statement for a search's five, as a teacher waits on it
            insert_many_ignoring_conflicts(
                self._s,
                ResourceViewRow.__table__,  # type: ignore[arg-type]
                rows,
            )

    def record_shown_many(
        self, shown: Sequence[tuple[int, int]], where: ShownIn, now: datetime
    ) -> None:
        rows = [
            {
                "workspace_id": self._ws,
                "resource_id": resource_id,
                "member_id": member_id,
                "shown_in": where.value,
                "shown_at": now,
            }
            for member_id, resource_id in dict.fromkeys(shown)
        ]
        for start in range(0, len(rows), 2000):
            insert_many_ignoring_conflicts(
                self._s,
                ResourceViewRow.__table__,  # type: ignore[arg-type]
                rows[start : start + 2000],
            )

    def seen_by(
        self, member_ids: Sequence[int], resource_ids: Sequence[int]
    ) -> set[tuple[int, int]]:
        resources = sorted(set(resource_ids))
        if not resources or not member_ids:
            return set()
        found: set[tuple[int, int]] = set()
        people = sorted(set(member_ids))
        for table in (ResourceViewRow, ResourceMarkRow, ResourceSharerRow):
            for part in chunks(people):
                for shelf in chunks(resources):
                    found.update(
                        (m, r)
                        for m, r in self._s.execute(
                            select(table.member_id, table.resource_id).where(
                                table.workspace_id == self._ws,
                                table.member_id.in_(part),
                                table.resource_id.in_(shelf),
                            )
                        )
                    )
        return found

    def pin(self, program_id: int, resource_id: int, member_id: int, now: datetime) -> bool:
        return insert_ignoring_conflict(
            self._s,
            ResourcePinRow.__table__,  # type: ignore[arg-type]
            {
                "workspace_id": self._ws,
                "program_id": program_id,
                "resource_id": resource_id,
                "pinned_by_member_id": member_id,
                "pinned_at": now,
            },
        )

    def unpin(self, program_id: int, resource_id: int) -> bool:
        result = self._s.execute(
            delete(ResourcePinRow).where(
                ResourcePinRow.workspace_id == self._ws,
                ResourcePinRow.program_id == program_id,
                ResourcePinRow.resource_id == resource_id,
            )
        )
        return bool(getattr(result, "rowcount", 0))

    def pinned(self, program_ids: Sequence[int]) -> list[Resource]:
        if not program_ids:
            return []
        newest = func.max(ResourcePinRow.pinned_at)
        rows = self._s.execute(
            select(ResourceRow, newest)
            .join(ResourcePinRow, ResourcePinRow.resource_id == ResourceRow.id)
            .where(
                ResourceRow.workspace_id == self._ws,
                ResourceRow.removed_at.is_(None),
                ResourcePinRow.program_id.in_(list(program_ids)),
            )
            .group_by(ResourceRow.id)
            .order_by(newest.desc(), ResourceRow.id)
        ).all()
        return self._to_domain([r[0] for r in rows])

    def most_helpful(self, since: datetime, until: datetime, limit: int = 3) -> list[HelpfulCount]:
        helpful = func.count(ResourceMarkRow.id)
        latest = func.max(ResourceMarkRow.marked_at)
        rows = self._s.execute(
            select(ResourceMarkRow.resource_id, helpful)
            .join(
                ResourceRow,
                and_(
                    ResourceRow.id == ResourceMarkRow.resource_id,
                    ResourceRow.removed_at.is_(None),
                ),
            )
            .where(
                ResourceMarkRow.workspace_id == self._ws,
                ResourceMarkRow.mark == Mark.HELPFUL.value,
                ResourceMarkRow.marked_at >= since,
                ResourceMarkRow.marked_at < until,
            )
            .group_by(ResourceMarkRow.resource_id)
            .order_by(helpful.desc(), latest.desc(), ResourceMarkRow.resource_id)
            .limit(limit)
        ).all()
        by_id = self._by_ids([r[0] for r in rows])
        return [HelpfulCount(by_id[rid], count) for rid, count in rows if rid in by_id]

    # --- search --------------------------------------------------------------------------------

    def _by_ids(self, ids: Sequence[int]) -> dict[int, Resource]:
        if not ids:
            return {}
        rows = self._s.scalars(
            select(ResourceRow).where(
                ResourceRow.workspace_id == self._ws, ResourceRow.id.in_(list(ids))
            )
        ).all()
        return {r.id: r for r in self._to_domain(rows) if r.id is not None}

    def is_empty(self) -> bool:
        if self._library_empty is None:
            self._library_empty = (
                self._s.scalar(
                    select(ResourceRow.id).where(ResourceRow.workspace_id == self._ws).limit(1)
                )
                is None
            )
        return self._library_empty

    def search(self, query: ResourceQuery) -> list[ResourceHit]:
        if self.is_empty():
            return []
        rows = self._ranked(query, match_all=query.match_all)
        if not rows and query.match_all and len(query.terms) > 1:
            rows = self._ranked(query, match_all=False)  # no resource has every word: any will do
        by_id = self._by_ids([r[0] for r in rows])
        return [
            ResourceHit(by_id[rid], int(score), bool(pinned))
            for rid, score, pinned in rows
            if rid in by_id
        ]

    def search_many(self, queries: Sequence[ResourceQuery]) -> list[list[ResourceHit]]:
        """``search`` for each query. Those surfacing asks (any of some words, no filter, nobody's
        history) are ranked together from one newest-first read of the index rows, by the rank the
        SQL computes (``storage.repositories.resources_search``), exactly: the ``cap`` newest
        resources holding any of the words, each word's idf over them, the saturated field weights,
        the feedback multiplier, pins first. Any other query is one ``search`` of its own."""
        if not queries or self.is_empty():
            return [[] for _query in queries]
        shared = [k for k, q in enumerate(queries) if _rankable_together(q)]
        if len(shared) < 2:  # nothing to share a read with
            shared = []
        ranked = self._ranked_together([queries[k] for k in shared]) if shared else []
        found: list[list[ResourceHit] | None] = [None] * len(queries)
        by_id = self._by_ids(sorted({rid for rows in ranked for rid, _s, _p in rows}))
        for k, rows in zip(shared, ranked, strict=True):
            found[k] = [ResourceHit(by_id[rid], s, p) for rid, s, p in rows if rid in by_id]
        return [
            self.search(q) if hits is None else hits for q, hits in zip(queries, found, strict=True)
        ]

    def _ranked_together(
        self, queries: Sequence[ResourceQuery]
    ) -> list[list[tuple[int, int, bool]]]:
        """``_ranked`` for queries ``_rankable_together``, each an (id, score, pinned) list."""
        import numpy as np  # the storage layer's only use of it: loaded when a batch is ranked

        cap = SearchSpec(workspace_id=self._ws, terms=()).cap
        vocabulary = sorted({checked_term(t) for q in queries for t in q.terms})
        column = {t: j for j, t in enumerate(vocabulary)}
        asks = [[column[t] for t in q.terms] for q in queries]
        # Newest first, a page at a time, until every query has its ``cap`` candidates (or the
        # library ends): a row's field weights for every word asked, as the SQL's flags add them.
        ids: list[int] = []
        quality: list[int] = []
        flags: list[list[int]] = []
        hits = [0] * len(queries)
        before: int | None = None
        while min(hits) < cap:
            page = select(
                ResourceSearchRow.resource_id,
                ResourceSearchRow.quality,
                ResourceSearchRow.search_title,
                ResourceSearchRow.search_tags,
                ResourceSearchRow.search_body,
            ).where(ResourceSearchRow.workspace_id == self._ws)
            if before is not None:
                page = page.where(ResourceSearchRow.resource_id < before)
            rows = self._s.execute(
                page.order_by(ResourceSearchRow.resource_id.desc()).limit(TOGETHER_PAGE)
            ).all()
            start = len(flags)
            for rid, q, *fields in rows:
                row = [0] * len(vocabulary)
                for text_, weight in zip(fields, FIELD_WEIGHTS.values(), strict=True):
                    for token in set(text_.split()):
                        j = column.get(token)
                        if j is not None:
                            row[j] += weight
                ids.append(int(rid))
                quality.append(int(q))
                flags.append(row)
            if start < len(flags):
                block = np.asarray(flags[start:], dtype=np.int64).reshape(-1, len(vocabulary))
                for k, terms in enumerate(asks):
                    hits[k] += int(np.count_nonzero(block[:, terms].any(axis=1)))
            if len(rows) < TOGETHER_PAGE:
                break
            before = int(rows[-1][0])
        if not ids:
            return [[] for _query in queries]
        matrix = np.asarray(flags, dtype=np.int64).reshape(-1, len(vocabulary))
        row_ids = np.asarray(ids, dtype=np.int64)
        row_quality = np.asarray(quality, dtype=np.int64)
        saturation = np.asarray(
            [0, *(SATURATION[f] for f in range(1, max(SATURATION) + 1))], dtype=np.int64
        )
        live = int(
            self._s.scalar(
                select(ResourceCountRow.live).where(ResourceCountRow.workspace_id == self._ws)
            )
            or 0
        )
        programs = sorted({p for q in queries for p in q.program_ids})
        pins: dict[int, set[int]] = {}
        for part in chunks(programs):
            for program_id, resource_id in self._s.execute(
                select(ResourcePinRow.program_id, ResourcePinRow.resource_id).where(
                    ResourcePinRow.program_id.in_(part)
                )
            ):
                pins.setdefault(int(program_id), set()).add(int(resource_id))
        pinned_rows: dict[tuple[int, ...], Any] = {}
        answers: list[list[tuple[int, int, bool]]] = []
        for query, terms in zip(queries, asks, strict=True):
            sub = matrix[:, terms]
            chosen = np.flatnonzero(sub.any(axis=1))[:cap]
            candidates = sub[chosen]
            multipliers = [
                int(query.term_weights[k]) if k < len(query.term_weights) else 1
                for k in range(len(terms))
            ]
            df = np.count_nonzero(candidates, axis=0)
            weights = np.asarray(
                [m * idf(live, int(d)) for m, d in zip(multipliers, df, strict=True)],
                dtype=np.int64,
            )
            base = (saturation[candidates] @ weights) * row_quality[chosen]
            key = query.program_ids
            if key not in pinned_rows:
                held = set().union(*(pins.get(p, set()) for p in key))
                pinned_rows[key] = np.asarray([rid in held for rid in ids], dtype=bool)
            pinned = pinned_rows[key][chosen]
            keep = base >= query.min_score
            chosen, base, pinned = chosen[keep], base[keep], pinned[keep]
            order = np.lexsort((row_ids[chosen], -base, ~pinned))[: max(0, query.limit)]
            answers.append(
                [(int(row_ids[chosen[i]]), int(base[i]), bool(pinned[i])) for i in order]
            )
        return answers

    def _share(
        self, terms: Sequence[str], match_all: bool, *, before_sampling: Callable[[], None]
    ) -> float:
        """About what share of the workspace's resources hold the words (PostgreSQL only), which
        tells the plan: walk the newest resources when the words are common, ask the GIN index
        among the newest ids when they are in a few percent, for every hit when they are rare.

        ANALYZE's element frequencies for ``search_vector`` bound it: for every word, between the
        product of the words' shares (independent words) and the smallest (words that always come
        together, like a topic's two); for any word, between the largest and the sum. When the
        bounds fall on both sides of the threshold, the newest resources are asked instead: a
        sample read the way the walk reads them, so words that go together are counted as they
        are. Otherwise the upper bound, which errs towards a window too small (then every hit is
        asked for after all) rather than one needlessly large. Only the plan depends on it, never
        the result.
        """
        if self._term_freqs is None:
            row = self._s.execute(
                text(
                    "SELECT most_common_elems::text::text[], most_common_elem_freqs "
                    "FROM pg_stats WHERE schemaname = current_schema() "
                    "AND tablename = 'resource_search' AND attname = 'search_vector'"
                )
            ).first()
            self._term_freqs = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
        freqs = [float(self._term_freqs.get(t, 0.0)) for t in terms]
        if match_all:
            low, high = math.prod(freqs), min(freqs)
        else:
            low, high = max(freqs), min(1.0, sum(freqs))
        if low >= DENSE_FRACTION or high < DENSE_FRACTION:
            return high
        before_sampling()
        return self._sampled_share(terms, match_all)

    def _newest_id(self) -> int:
        """The highest id in the search index (any workspace: the window is a plan hint only)."""
        if self._newest is None:
            self._newest = int(
                self._s.scalar(text("SELECT max(resource_id) FROM resource_search")) or 0
            )
        return self._newest

    def _sampled_share(self, terms: Sequence[str], match_all: bool) -> float:
        """The share of the workspace's newest ``DENSITY_SAMPLE`` resources that match."""
        joiner = " & " if match_all else " | "
        row = self._s.execute(
            text(
                "SELECT count(*), count(*) FILTER (WHERE search_vector @@ "
                "to_tsquery('simple'::regconfig, :tsquery)) FROM (SELECT search_vector "
                "FROM resource_search WHERE workspace_id + 0 = :ws "
                "ORDER BY resource_id DESC LIMIT :sample) newest"
            ),
            {"ws": self._ws, "tsquery": joiner.join(terms), "sample": DENSITY_SAMPLE},
        ).one()
        return int(row[1]) / int(row[0]) if row[0] else 0.0

    def _ranked(self, query: ResourceQuery, *, match_all: bool) -> list[tuple[int, int, int]]:
        spec = SearchSpec(
            workspace_id=self._ws,
            terms=query.terms,
            subject=query.subject,
            grade_band=query.grade_band,
            tag=query.tag,
            program_ids=query.program_ids,
            fresh_for_member=query.fresh_for_member,
            min_score=query.min_score,
            limit=query.limit,
            term_weights=query.term_weights,
            match_all=match_all,
        )
        dialect = self._s.get_bind().dialect.name
        if dialect != "postgresql":
            sql, params = ranked_search_sql(dialect, spec)
            return [(int(r[0]), int(r[1]), int(r[2])) for r in self._s.execute(text(sql), params)]
        # The plan changes, never the result. PostgreSQL's cost model prices a tsvector match like
        # a comparison, so for a few thousand hits it would rather test every row than ask the GIN
        # index: for these statements only, it may not scan whole tables. Parallel workers cost
        # more to start than a search this bounded takes. And the driver prepares a statement it
        # runs often, which PostgreSQL may then plan once for any words: a plan for no words in
        # particular, that walks or fetches the wrong way for most. The density sample and the
        # walk for common words must walk (the planner takes words that come together, a topic's,
        # for independent ones, expects a few hundred hits where there are tens of thousands, and
        # would fetch them all from the GIN index to sort them), so bitmaps are off until the
        # words turn out rare.
        walk = "off" if query.terms else "on"  # a browse by filters alone reads them all anyway
        walking = {
            "seqscan": "off",
            "bitmapscan": walk,
            "workers": "0",
            "plans": "force_custom_plan",
        }
        applied: dict[str, str] = {}

        def plan(settings: dict[str, str]) -> None:
            """What differs from what is set already, in one round trip: the search's settings are
            set once, with the share known, unless a density sample had to walk first."""
            changed = {k: v for k, v in settings.items() if applied.get(k) != v}
            if changed:
                self._plan(**changed)
                applied.update(changed)

        try:
            share = (
                self._share(query.terms, match_all, before_sampling=lambda: plan(walking))
                if query.terms
                else 1.0
            )
            spec = replace(spec, dense=share >= DENSE_FRACTION)
            settings = walking
            if not spec.dense:
                window = math.ceil(WINDOW_MARGIN * spec.cap / share) if share > 0 else 0
                newest = self._newest_id() if window else 0
                if 0 < window <= newest // 2:
                    spec = replace(spec, newer_than=newest - window)
                # Rare words: from the GIN index, as bitmaps, never a walk with a filter (which
                # the planner, taking the words for rarer than they are, would otherwise choose
                # for a range of the newest ids).
                settings = walking | {"bitmapscan": "on", "indexscan": "off"}
            plan(settings)
            sql, params = ranked_search_sql(dialect, spec)
            return [(int(r[0]), int(r[1]), int(r[2])) for r in self._s.execute(text(sql), params)]
        finally:
            if applied:
                before = self._planner_before
                assert before is not None  # read when the first setting was set
                self._plan(**{k: before[k] for k in applied})

    _PLANNER = {
        "seqscan": "enable_seqscan",
        "bitmapscan": "enable_bitmapscan",
        "indexscan": "enable_indexscan",
        "workers": "max_parallel_workers_per_gather",
        "plans": "plan_cache_mode",
    }

    def _plan(self, **settings: str) -> None:
        """Planner settings for the rest of this transaction, in one round trip. The first time in a
        unit of work the same round trip reads the settings as they were, to put back after a
        search: a target list is evaluated in order, so each is read before any is set."""
        calls = ", ".join(f"set_config('{self._PLANNER[k]}', :{k}, true)" for k in settings)
        if self._planner_before is not None:
            self._s.execute(text(f"SELECT {calls}"), settings)
            return
        names = ", ".join(f"current_setting('{n}')" for n in self._PLANNER.values())
        row = self._s.execute(text(f"SELECT {names}, {calls}"), settings).one()
        self._planner_before = dict(
            zip(self._PLANNER, map(str, row[: len(self._PLANNER)]), strict=True)
        )

    # --- a member's own data (export-my-data, forget-me) ----------------------------------------

    def marks_by(self, member_id: int) -> list[tuple[Resource, Mark]]:
        rows = self._s.execute(
            select(ResourceRow, ResourceMarkRow.mark)
            .join(ResourceMarkRow, ResourceMarkRow.resource_id == ResourceRow.id)
            .where(ResourceMarkRow.workspace_id == self._ws, ResourceMarkRow.member_id == member_id)
            .order_by(ResourceMarkRow.marked_at, ResourceMarkRow.id)
        ).all()
        resources = self._to_domain([r[0] for r in rows])
        return [(res, Mark(r[1])) for res, r in zip(resources, rows, strict=True)]

    def forget_views(self, member_id: int) -> int:
        result = self._s.execute(
            delete(ResourceViewRow).where(
                ResourceViewRow.workspace_id == self._ws, ResourceViewRow.member_id == member_id
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _rankable_together(query: ResourceQuery) -> bool:
    """A query ``search_many`` ranks with others: any of its words, no filter, nobody's history."""
    return (
        bool(query.terms)
        and not query.match_all
        and query.subject is None
        and query.grade_band is None
        and query.tag is None
        and query.fresh_for_member is None
    )
