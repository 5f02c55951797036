"""The pairing algorithms: exact where a school is small, near-optimal and fast at district scale.

* **Mentoring** is an assignment problem: mentees on one side, mentor *slots* on the other (a mentor
  with capacity 3 is three columns), solved exactly by scipy's ``linear_sum_assignment``.
* **Peer pairs** are a maximum-weight matching on a general graph. Up to ``EXACT_LIMIT`` people we run
  networkx's Edmonds blossom algorithm, which is exact. Beyond that it is too slow in pure Python, so we
  solve the assignment relaxation (a best "cycle cover", an upper bound on the optimum), cut its cycles
  into pairs, and improve with 2-opt swaps; ``benchmarks/matching.py`` measures the result against the
  exact optimum.
* **Groups of 3 and 4** start from the best pairs: a single joins the pair that suits them best
  (assignment), and pairs join pairs (matching on pairs), then members are swapped between groups
  while that raises the score.

Hard rules are edge weights: a do-not-pair or forbidden pair gets ``FORBID`` and is never used (anyone
who can only be placed that way is reported, not hidden); a pair from a recent round gets a penalty
larger than any possible gain elsewhere, so a repeat happens only when no other arrangement exists.
Large rosters are cut into blocks of similar people so each block's matrix stays small (between cells
of one time zone, grade and subject where possible). For pairs, what the cuts lose is recovered by an
improvement pass that solves the round again in blocks cut another way, keeping a block's new pairs
only when they score higher under the same rules. The rules are adjacency lists built once a round, so
a block costs only its own members' rules. The seed only breaks ties, so the same roster and seed
always give the same round.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import datetime

import networkx as nx
import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from bot.kernel.i18n import N_
from bot.pairing.model import Candidate, Constraints, Group, Mode, Proposal, Unmatched, pair_key
from bot.pairing.scoring import Scorer, Weights

FORBID = -1e9
EXACT_LIMIT = 64
"""Peer blocks up to this size are matched exactly (Edmonds' blossom, well under a second)."""
BLOCK = 504
"""People per block at district scale (a multiple of 2, 3 and 4); a block's matrix is ~2 MB."""
TWO_OPT_SWEEPS = 2
SWAP_SWEEPS = 4
SWAP_WINDOW = 64

Matrix = NDArray[np.float64]
Index = NDArray[np.int64]


def solve(
    candidates: Sequence[Candidate],
    *,
    mode: Mode,
    weights: Weights,
    constraints: Constraints,
    now: datetime,
    group_size: int = 2,
    seed: int = 0,
) -> Proposal:
    """Propose this round's groups. Reasons are added by ``explain``; nobody is left out silently."""
    if not 2 <= group_size <= 4:
        raise ValueError("group_size is 2, 3 or 4")
    scorer = Scorer(candidates, weights, now)
    rng = np.random.default_rng(seed)
    proposal = Proposal(mode=mode, seed=seed)
    mentoring = mode is Mode.MENTORING
    capacity = {c.member_id: max(1, c.capacity) for c in candidates if c.role == "mentor"}
    placed: set[int] = set()
    for a, b in constraints.pins:
        if a not in scorer.index or b not in scorer.index or a in placed or b in placed:
            continue
        mentor_id = None
        if mentoring:
            mentor_id = a if a in capacity else b if b in capacity else None
        if mentor_id is not None:
            mentee = b if mentor_id == a else a
            capacity[mentor_id] -= 1
            placed.add(mentee)
            if capacity[mentor_id] <= 0:
                placed.add(mentor_id)
            score = scorer.pair(mentee, mentor_id, mentoring=True)
            members = (mentor_id, mentee)
        else:
            placed.update((a, b))
            score = scorer.pair(a, b)
            members = (min(a, b), max(a, b))
        proposal.groups.append(
            Group(member_ids=members, score=round(score, 3), mentor_id=mentor_id, pinned=True)
        )
    pool = [c for c in candidates if c.member_id not in placed]
    if mentoring:
        pinned_mentors = {g.mentor_id for g in proposal.groups if g.mentor_id is not None}
        _mentoring(scorer, pool, capacity, constraints, rng, proposal, pinned_mentors)
    else:
        _peers(scorer, pool, constraints, group_size, rng, proposal)
    proposal.groups.sort(key=lambda g: (-g.score, g.member_ids))
    return proposal


# --- helpers shared by both modes -------------------------------------------------------------


def _penalty(weights: Weights, n: int) -> float:
    """Bigger than everything a block could gain by repeating a pair: repeats are a last resort."""
    return weights.best_edge * (n + 2) + 1.0


class Rules:
    """The round's recent and forbidden pairs as adjacency lists over the scorer's positions.

    Built once a round; marking a block then costs only its own members' rules, not every rule of
    the round, so a district's fourth round (three rounds of history) is as fast as its first.
    """

    def __init__(self, scorer: Scorer, constraints: Constraints) -> None:
        self.weights = scorer.weights
        size = len(scorer.candidates)
        heads: list[int] = []
        tails: list[int] = []
        kinds: list[bool] = []
        for pairs, forbid in ((constraints.recent, False), (constraints.forbidden, True)):
            for a, b in pairs:
                i, j = scorer.index.get(a), scorer.index.get(b)
                if i is None or j is None or i == j:
                    continue
                heads += [i, j]
                tails += [j, i]
                kinds += [forbid, forbid]
        head = np.array(heads, dtype=np.int64)
        order = np.argsort(head, kind="stable")
        self.tails = np.array(tails, dtype=np.int64)[order]
        self.forbid = np.array(kinds, dtype=bool)[order]
        self.starts = np.searchsorted(head[order], np.arange(size + 1)).astype(np.int64)
        self.size = size

    def apply(self, matrix: Matrix, rows: Index, cols: Index) -> None:
        """Mark recent pairs (penalty) and forbidden pairs (never) in a block's matrix, in place.

        ``cols`` holds distinct people (mentor slots are expanded after the rules are applied).
        """
        if not len(self.tails) or not len(rows) or not len(cols):
            return
        first, last = self.starts[rows], self.starts[rows + 1]
        counts = last - first
        total = int(counts.sum())
        if not total:
            return
        local_row = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
        # Every rule edge of the block's rows: first[r], first[r] + 1, ... for each row r.
        edge = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        edge += np.repeat(first, counts)
        col_of = np.full(self.size, -1, dtype=np.int64)
        col_of[cols] = np.arange(len(cols), dtype=np.int64)
        local_col = col_of[self.tails[edge]]
        keep = local_col >= 0
        i, j, forbid = local_row[keep], local_col[keep], self.forbid[edge[keep]]
        if not len(i):
            return
        penalty = _penalty(self.weights, len(rows))
        matrix[i[~forbid], j[~forbid]] -= penalty
        matrix[i[forbid], j[forbid]] = FORBID


FEATURES = {"subject": "subjects", "grade": "grades", "goal": "goal_topics"}
WEIGHT_OF = {"subject": "subject", "grade": "grade", "goal": "goals"}


def _keys(
    scorer: Scorer, people: Index, features: Sequence[str], rng: np.random.Generator | None = None
) -> list[Index]:
    """Sort keys for people: their time zone, then each feature the program rewards sharing.

    With ``rng``, a feature is a random one of the person's subjects (grades, goal topics), not the
    first, so an improvement pass puts someone with two subjects among the other subject's people.
    """
    keys: list[Index] = [np.round(scorer.offset[people]).astype(np.int64)]
    for feature in features:
        if getattr(scorer.weights, WEIGHT_OF[feature]) <= 0:
            continue
        table = getattr(scorer, FEATURES[feature])[people]
        if rng is not None:
            table = table + rng.random(table.shape) * 0.5
        keys.append(np.argmax(table, axis=1).astype(np.int64))
    return keys


def _block_order(scorer: Scorer, pool: Index, rng: np.random.Generator) -> Index:
    """People sorted so that likely partners sit in the same block; the seed breaks ties."""
    shuffled = pool[rng.permutation(len(pool))]
    keys = _keys(scorer, shuffled, ("grade", "subject"))
    order = np.lexsort(keys[::-1] if len(keys) > 1 else keys)
    return shuffled[order]


def _blocks(ordered: Index) -> list[Index]:
    """Consecutive blocks of at most ``BLOCK`` people, each of an even size but the last."""
    if len(ordered) <= BLOCK:
        return [ordered]
    count = math.ceil(len(ordered) / BLOCK)
    sizes = [2 * len(c) for c in np.array_split(np.arange(len(ordered) // 2), count)]
    sizes[-1] += len(ordered) % 2
    return list(np.split(ordered, np.cumsum(sizes)[:-1]))


def _cuts(keys: Sequence[Index], limit: int) -> list[int]:
    """Where to cut a sorted sequence into blocks of at most ``limit``: between cells (runs of equal
    keys) where possible, so people who share a time zone, grade and subject share a block; a cell
    bigger than a block is split evenly. Every block has an even size (the last may be odd)."""
    n = len(keys[0])
    change = np.zeros(max(n - 1, 0), dtype=bool)
    for key in keys:
        change |= key[1:] != key[:-1]
    edges = [0, *(np.flatnonzero(change) + 1).tolist(), n]
    cuts: list[int] = []
    start = 0
    for left, right in itertools.pairwise(edges):
        if right - start <= limit:
            continue
        if left > start:  # close the block before this cell
            cuts.append(left)
            start = left
        while right - start > limit:  # a cell bigger than a block: split it evenly
            pieces = math.ceil((right - start) / limit)
            start += math.ceil((right - start) / pieces)
            cuts.append(start)
    cuts.append(n)
    even: list[int] = []
    previous = 0
    for cut in cuts:
        if cut < n and (cut - previous) % 2:
            cut += 1
        if cut > previous:
            even.append(min(cut, n))
            previous = min(cut, n)
    return even


def _split(ordered: Index, keys: Sequence[Index], limit: int) -> list[Index]:
    if len(ordered) <= limit:
        return [ordered]
    return list(np.split(ordered, _cuts(keys, limit)[:-1]))


# --- mentoring ----------------------------------------------------------------------------------


def _mentoring(
    scorer: Scorer,
    pool: list[Candidate],
    capacity: dict[int, int],
    constraints: Constraints,
    rng: np.random.Generator,
    proposal: Proposal,
    pinned_mentors: set[int],
) -> None:
    """Mentees to mentor slots; a mentor left without one has a free round and is told so.

    A pinned mentor with room left is still in the pool for more mentees, but already has one: they
    count as matched, so they are never also told they have a free round.
    """
    mentors = np.array(
        [scorer.index[c.member_id] for c in pool if c.role == "mentor"], dtype=np.int64
    )
    mentees = np.array(
        [scorer.index[c.member_id] for c in pool if c.role != "mentor"], dtype=np.int64
    )
    ids = [c.member_id for c in scorer.candidates]
    rules = Rules(scorer, constraints)
    slots_left = {int(m): capacity[ids[m]] for m in mentors.tolist()}
    taken = {scorer.index[m] for m in pinned_mentors}
    leftover: list[int] = []
    if len(mentees) and len(mentors):
        mentee_blocks = _blocks(_block_order(scorer, mentees, rng))
        mentor_order = _block_order(scorer, mentors, rng)
        mentor_blocks = (
            list(np.array_split(mentor_order, len(mentee_blocks)))
            if len(mentee_blocks) > 1
            else [mentor_order]
        )
        for block_mentees, block_mentors in zip(mentee_blocks, mentor_blocks, strict=True):
            unassigned = _assign(
                scorer,
                block_mentees,
                block_mentors,
                slots_left,
                constraints,
                rules,
                proposal,
                taken,
            )
            leftover.extend(unassigned)
        if leftover and any(slots_left.values()):
            free = np.array([m for m, left in slots_left.items() if left > 0], dtype=np.int64)
            leftover = _assign(
                scorer,
                np.array(leftover, dtype=np.int64),
                free,
                slots_left,
                constraints,
                rules,
                proposal,
                taken,
            )
    else:
        leftover = mentees.tolist()
    names = {i: scorer.candidates[i] for i in range(len(scorer.candidates))}
    for i in leftover:
        c = names[i]
        if not len(mentors):
            why = N_("There are no mentors available in this program this round.")
        elif any(slots_left.values()):
            why = N_(
                "The mentors who still have room are all on a do-not-pair list with you this round."
            )
        else:
            why = N_("Every mentor is at capacity this round; the coordinator has been told.")
        proposal.unmatched.append(Unmatched(c.member_id, c.name, why))
    for m in mentors.tolist():
        if m not in taken:
            c = names[m]
            why = N_(
                "There are more mentor places than mentees this round, so you have a free round."
            )
            proposal.unmatched.append(Unmatched(c.member_id, c.name, why))


def _assign(
    scorer: Scorer,
    mentees: Index,
    mentors: Index,
    slots_left: dict[int, int],
    constraints: Constraints,
    rules: Rules,
    proposal: Proposal,
    taken: set[int],
) -> list[int]:
    """Exact assignment of mentees to mentor slots; returns the mentees left without one."""
    owners = np.repeat(mentors, [slots_left[int(m)] for m in mentors.tolist()])
    if not len(owners) or not len(mentees):
        return [int(m) for m in mentees.tolist()]
    by_mentor = scorer.matrix(mentees, mentors, mentoring=True)
    rules.apply(by_mentor, mentees, mentors)
    column_of = {int(m): j for j, m in enumerate(mentors.tolist())}
    matrix = by_mentor[:, [column_of[int(o)] for o in owners.tolist()]]
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    ids = [c.member_id for c in scorer.candidates]
    assigned: set[int] = set()
    for r, s in zip(rows.tolist(), cols.tolist(), strict=True):
        if matrix[r, s] <= FORBID / 2:
            continue
        mentee, mentor = int(mentees[r]), int(owners[s])
        slots_left[mentor] -= 1
        taken.add(mentor)
        assigned.add(mentee)
        score = float(by_mentor[r, column_of[mentor]])
        repeat = pair_key(ids[mentee], ids[mentor]) in constraints.recent
        if repeat:
            score = scorer.pair(ids[mentee], ids[mentor], mentoring=True)
        proposal.groups.append(
            Group(
                member_ids=(ids[mentor], ids[mentee]),
                score=round(score, 3),
                mentor_id=ids[mentor],
                repeat=repeat,
            )
        )
    return [int(m) for m in mentees.tolist() if int(m) not in assigned]


# --- peers --------------------------------------------------------------------------------------


def group_sizes(n: int, size: int) -> tuple[int, int, int]:
    """How many groups of 4, 3 and 2 to make of n people when the program asks for ``size``.

    Nobody is left over: an odd person makes a trio, and groups of 4 become 3s rather than leave one out.
    """
    if n < 2:
        return (0, 0, 0)
    if size == 2:
        return (0, 0, n // 2) if n % 2 == 0 else (0, 1, (n - 3) // 2)
    if size == 3:
        r = n % 3
        if r == 0:
            return (0, n // 3, 0)
        if r == 1:
            return (1, (n - 4) // 3, 0)
        return (0, (n - 2) // 3, 1)
    r = n % 4
    if r == 0:
        return (n // 4, 0, 0)
    if r == 3:
        return ((n - 3) // 4, 1, 0)
    if r == 2:
        return (0, 0, 1) if n == 2 else ((n - 6) // 4, 2, 0)
    return (0, 1, 1) if n == 5 else ((n - 9) // 4, 3, 0)


def _peers(
    scorer: Scorer,
    pool: list[Candidate],
    constraints: Constraints,
    group_size: int,
    rng: np.random.Generator,
    proposal: Proposal,
) -> None:
    everyone = np.array([scorer.index[c.member_id] for c in pool], dtype=np.int64)
    ids = [c.member_id for c in scorer.candidates]
    rules = Rules(scorer, constraints)
    found: list[list[int]] = []
    alone: list[int] = []
    ordered = _block_order(scorer, everyone, rng)
    for block in _split(ordered, _keys(scorer, ordered, ("grade", "subject")), BLOCK):
        matrix = scorer.matrix(block, block)
        np.fill_diagonal(matrix, FORBID)
        rules.apply(matrix, block, block)
        groups, singles = build_groups(matrix, group_size)
        found += [[int(block[i]) for i in g] for g in groups]
        alone.extend(int(block[i]) for i in singles)
    if group_size == 2 and len(everyone) > BLOCK:
        found = _refine_pairs(scorer, rules, found, rng)
    scores = _group_scores(scorer, found)
    for members, score in zip(found, scores.tolist(), strict=True):
        member_ids = tuple(sorted(ids[i] for i in members))
        repeat = bool(constraints.recent) and any(
            pair_key(a, b) in constraints.recent
            for k, a in enumerate(member_ids)
            for b in member_ids[k + 1 :]
        )
        proposal.groups.append(Group(member_ids=member_ids, score=round(score, 3), repeat=repeat))
    for i in alone:
        c = scorer.candidates[i]
        why = (
            N_("You were the only person available in this program this round.")
            if len(everyone) < 2
            else N_(
                "Everyone you could be grouped with this round is on a do-not-pair list with you."
            )
        )
        proposal.unmatched.append(Unmatched(c.member_id, c.name, why))


def _group_scores(scorer: Scorer, groups: list[list[int]]) -> NDArray[np.float64]:
    """Every group's score at once (scorer positions): its pairwise scores summed over (size - 1)."""
    if not groups:
        return np.zeros(0)
    table = np.full((len(groups), 4), -1, dtype=np.int64)
    for k, g in enumerate(groups):
        table[k, : len(g)] = g
    total = np.zeros(len(groups), dtype=np.float64)
    for i in range(4):
        for j in range(i + 1, 4):
            both = (table[:, i] >= 0) & (table[:, j] >= 0)
            if both.any():
                total[both] += scorer.pair_scores(table[both, i], table[both, j])
    sizes = np.array([len(g) for g in groups], dtype=np.float64)
    return total / (sizes - 1)


def _refine_pairs(
    scorer: Scorer, rules: Rules, groups: list[list[int]], rng: np.random.Generator
) -> list[list[int]]:
    """Recover what the block cuts lost: re-solve the pairs in blocks cut another way.

    Each pass orders the pairs by different features of one of their members (so people whose best
    partners sat across a cut in the first pass now share a block), solves each block of pairs again
    with the same rules, and keeps a block's new pairs only if they score higher, penalties
    included: a pass never makes the round worse and never breaks a rule the first pass kept.
    """
    pairs = [g for g in groups if len(g) == 2]
    others = [g for g in groups if len(g) != 2]
    if len(pairs) * 2 <= BLOCK:
        return groups
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    for key in REFINE_KEYS:
        pick = np.where(rng.random(len(a)) < 0.5, a, b)
        tie = rng.permutation(len(a))
        keys = _keys(scorer, pick, (key,), rng)
        order = np.lexsort((tie, *keys[::-1]))
        for chunk in _split(order, [k[order] for k in keys], REFINE_BLOCK // 2):
            k = len(chunk)
            people = np.concatenate([a[chunk], b[chunk]])
            matrix = scorer.matrix(people, people)
            np.fill_diagonal(matrix, FORBID)
            rules.apply(matrix, people, people)
            before = float(matrix[np.arange(k), np.arange(k) + k].sum())
            better, singles = match_pairs(matrix)
            if singles or len(better) != k:
                continue
            x = np.array([p[0] for p in better], dtype=np.int64)
            y = np.array([p[1] for p in better], dtype=np.int64)
            if float(matrix[x, y].sum()) > before + 1e-6:
                a[chunk], b[chunk] = people[x], people[y]
    return [[int(p), int(q)] for p, q in zip(a.tolist(), b.tolist(), strict=True)] + others


REFINE_BLOCK = BLOCK
REFINE_KEYS = ("subject",)
"""The features each improvement pass groups by after the time zone (the first pass: grade, subject)."""


def build_groups(matrix: Matrix, group_size: int) -> tuple[list[list[int]], list[int]]:
    """Groups of the program's size from a block's score matrix (``FORBID`` on the diagonal)."""
    n = len(matrix)
    pairs, singles = match_pairs(matrix)
    n4, n3, _n2 = group_sizes(n, group_size)
    if n < 2:
        return [], list(range(n))
    # Make exactly n3 singles to lead trios: break the weakest pairs if we need more.
    pairs.sort(key=lambda p: -matrix[p[0], p[1]])
    while len(singles) < n3 and pairs:
        a, b = pairs.pop()
        singles += [a, b]
    extra = singles[n3:] if len(singles) > n3 else []
    singles = singles[:n3]
    groups: list[list[int]] = []
    if singles and pairs:
        lead = np.array(singles, dtype=np.int64)
        fit = (
            matrix[np.ix_(lead, np.array([p[0] for p in pairs], dtype=np.int64))]
            + matrix[np.ix_(lead, np.array([p[1] for p in pairs], dtype=np.int64))]
        )
        rows, cols = linear_sum_assignment(fit, maximize=True)
        hosted = set()
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            a, b = pairs[c]
            groups.append([a, b, singles[r]])
            hosted.add(c)
        chosen = set(rows.tolist())
        extra += [s for k, s in enumerate(singles) if k not in chosen]
        pairs = [p for k, p in enumerate(pairs) if k not in hosted]
    else:
        extra += singles
    if n4 and len(pairs) >= 2:
        firsts = np.array([p[0] for p in pairs], dtype=np.int64)
        seconds = np.array([p[1] for p in pairs], dtype=np.int64)
        joint: Matrix = (
            matrix[np.ix_(firsts, firsts)]
            + matrix[np.ix_(firsts, seconds)]
            + matrix[np.ix_(seconds, firsts)]
            + matrix[np.ix_(seconds, seconds)]
        )
        np.fill_diagonal(joint, FORBID)
        couples, lone = match_pairs(joint)
        couples.sort(key=lambda p: -joint[p[0], p[1]])
        for x, y in couples[:n4]:
            groups.append([*pairs[x], *pairs[y]])
        rest = [c for c in couples[n4:]]
        pairs = [pairs[i] for i in lone] + [pairs[i] for c in rest for i in c]
    groups += [list(p) for p in pairs]
    if group_size > 2 and len(groups) > 1:
        # Swaps are scored all at once per window of groups: quadratic in the window, so keep it small.
        # Block positions follow the similarity order (time zone, grade, subject): neighbours share
        # a window.
        groups.sort(key=min)
        padded = np.zeros((n + 1, n + 1), dtype=np.float64)  # row/column n: "nobody"
        padded[:n, :n] = matrix
        np.fill_diagonal(padded, 0.0)
        for start in range(0, len(groups), SWAP_WINDOW):
            _swap_improve(padded, groups[start : start + SWAP_WINDOW])
    leftover = _place_extras(matrix, groups, extra)
    return _drop_forbidden(matrix, groups, leftover)


def match_pairs(matrix: Matrix) -> tuple[list[tuple[int, int]], list[int]]:
    """A maximum-weight matching of as many people as possible; returns pairs and the unpaired."""
    n = len(matrix)
    if n < 2:
        return [], list(range(n))
    if n <= EXACT_LIMIT:
        pairs = _exact_pairs(matrix)
    else:
        pairs = _relaxed_pairs(matrix)
        pairs = _two_opt(matrix, pairs)
    pairs = [p for p in pairs if matrix[p[0], p[1]] > FORBID / 2]
    paired = {i for p in pairs for i in p}
    return pairs, [i for i in range(n) if i not in paired]


def _exact_pairs(matrix: Matrix) -> list[tuple[int, int]]:
    graph = nx.Graph()
    n = len(matrix)
    graph.add_nodes_from(range(n))
    iu, ju = np.triu_indices(n, 1)
    weights = matrix[iu, ju]
    keep = weights > FORBID / 2
    graph.add_weighted_edges_from(
        zip(iu[keep].tolist(), ju[keep].tolist(), weights[keep].tolist(), strict=True)
    )
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    return sorted((min(a, b), max(a, b)) for a, b in matching)


def _relaxed_pairs(matrix: Matrix) -> list[tuple[int, int]]:
    """Cut the best cycle cover (the assignment relaxation) into pairs; match the odd ones out again."""
    n = len(matrix)
    _rows, succ = linear_sum_assignment(matrix, maximize=True)
    following = succ.tolist()
    seen = [False] * n
    pairs: list[tuple[int, int]] = []
    odd: list[int] = []
    for start in range(n):
        if seen[start]:
            continue
        cycle = []
        v = start
        while not seen[v]:
            seen[v] = True
            cycle.append(v)
            v = following[v]
        length = len(cycle)
        if length == 1:
            odd.append(cycle[0])
            continue
        if length == 2:
            pairs.append((cycle[0], cycle[1]))
            continue
        edges = matrix[cycle, cycle[1:] + cycle[:1]]
        if length % 2 == 0:
            offset = 0 if edges[0::2].sum() >= edges[1::2].sum() else 1
            pairs += [
                (cycle[(k + offset) % length], cycle[(k + offset + 1) % length])
                for k in range(0, length, 2)
            ]
        else:
            # Leave one person out; try every choice and keep the best.
            steps = np.arange(length // 2) * 2
            picks = (np.arange(length)[:, None] + 1 + steps[None, :]) % length
            best = int(np.argmax(edges[picks].sum(axis=1)))
            pairs += [(cycle[k], cycle[(k + 1) % length]) for k in picks[best].tolist()]
            odd.append(cycle[best])
    if 2 <= len(odd) < n:
        # The odd ones out: the same relaxation again on just them (2-opt then repairs globally).
        sub = np.array(odd)
        inner = _relaxed_pairs(matrix[np.ix_(sub, sub)])
        pairs += [(odd[a], odd[b]) for a, b in inner]
    return pairs


def _two_opt(
    matrix: Matrix, pairs: list[tuple[int, int]], sweeps: int = TWO_OPT_SWEEPS
) -> list[tuple[int, int]]:
    """Swap partners between two pairs while it raises the total: the local improvement step.

    ``matrix`` is symmetric (peers score each other the same), which halves the gathering.
    """
    if len(pairs) < 2:
        return pairs
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    upper = np.triu(np.ones((len(pairs), len(pairs)), dtype=bool), 1)
    for _ in range(sweeps):
        current = matrix[a, b]
        base = current[:, None] + current[None, :]
        cross = matrix[np.ix_(a, a)] + matrix[np.ix_(b, b)] - base
        mixed = matrix[np.ix_(a, b)]
        straight = mixed + mixed.T - base
        gain = np.maximum(cross, straight)
        xs, ys = np.nonzero((gain > 1e-9) & upper)
        if not len(xs):
            break
        used = np.zeros(len(pairs), dtype=bool)
        for k in _best_first(gain[xs, ys], 2 * len(pairs)):
            x, y = int(xs[k]), int(ys[k])
            if used[x] or used[y]:
                continue
            used[x] = used[y] = True
            ax, bx, ay, by = a[x], b[x], a[y], b[y]
            if cross[x, y] >= straight[x, y]:
                a[x], b[x], a[y], b[y] = ax, ay, bx, by
            else:
                a[x], b[x], a[y], b[y] = ax, by, bx, ay
    return [(int(x), int(y)) for x, y in zip(a.tolist(), b.tolist(), strict=True)]


def _best_first(gains: NDArray[np.float64], limit: int) -> list[int]:
    """Indices of the largest gains, best first; only so many swaps can be applied in one sweep."""
    if len(gains) > limit:
        top = np.argpartition(-gains, limit)[:limit]
        return top[np.argsort(-gains[top], kind="stable")].tolist()  # type: ignore[no-any-return]
    return np.argsort(-gains, kind="stable").tolist()  # type: ignore[no-any-return]


def _swap_improve(weights: Matrix, groups: list[list[int]]) -> None:
    """Swap one member between two groups while both groups together score higher after.

    Every possible swap is scored at once: with ``A[p, g]`` the sum of p's scores with group g, moving
    p out of X and q in changes X by ``A[q, X] - W[q, p] - A[p, X]``, divided by X's size - 1 as in
    the group score. The best non-overlapping swaps are applied each sweep. ``weights`` is the
    block's matrix with a zero diagonal and an extra all-zero row and column that pads short groups.
    """
    n = len(weights) - 1
    people = np.array([p for g in groups for p in g], dtype=np.int64)
    m = len(people)
    lower = np.tril_indices(m)
    for _ in range(SWAP_SWEEPS):
        table = np.full((len(groups), 4), n, dtype=np.int64)
        owner = np.full(n, -1, dtype=np.int64)
        for k, g in enumerate(groups):
            table[k, : len(g)] = g
            owner[g] = k
        sizes = np.array([len(g) for g in groups], dtype=np.float64)
        a = weights[people][:, table].sum(axis=2)  # a[p, g]: p's scores with group g summed
        sub = weights[np.ix_(people, people)]
        grp = owner[people]
        own = a[np.arange(m), grp]
        # into_x[p, q]: change to p's group when q replaces p; into_y[p, q]: change to q's group.
        into_x = (a[:, grp].T - sub - own[:, None]) / (sizes[grp] - 1)[:, None]
        into_y = (a[:, grp] - sub - own[None, :]) / (sizes[grp] - 1)[None, :]
        gain = into_x + into_y
        gain[grp[:, None] == grp[None, :]] = 0.0
        gain[lower] = 0.0
        xs, ys = np.nonzero(gain > 1e-9)
        if not len(xs):
            break
        used: set[int] = set()
        for k in _best_first(gain[xs, ys], 4 * len(groups)):
            p, q = int(people[xs[k]]), int(people[ys[k]])
            gx, gy = int(owner[p]), int(owner[q])
            if gx in used or gy in used:
                continue
            used.update((gx, gy))
            groups[gx][groups[gx].index(p)] = q
            groups[gy][groups[gy].index(q)] = p
        people = np.array([p for g in groups for p in g], dtype=np.int64)


def _place_extras(matrix: Matrix, groups: list[list[int]], extras: list[int]) -> list[int]:
    """Someone without a partner joins the group they fit best (up to 4); else they are reported."""
    leftover = []
    for s in extras:
        best, best_gain = -1, FORBID / 2
        for k, g in enumerate(groups):
            if len(g) >= 4:
                continue
            gain = float(matrix[s, np.array(g)].min())
            if gain > best_gain:
                best, best_gain = k, gain
        if best >= 0:
            groups[best].append(s)
        else:
            leftover.append(s)
    return leftover


def _has_forbidden(matrix: Matrix) -> bool:
    """True if any pair other than someone with themselves is forbidden in this block."""
    return int((matrix <= FORBID / 2).sum()) > len(matrix)


def _drop_forbidden(
    matrix: Matrix, groups: list[list[int]], leftover: list[int]
) -> tuple[list[list[int]], list[int]]:
    """The last guard: no group may hold a forbidden pair, whatever the heuristics did."""
    if not _has_forbidden(matrix):
        return groups, leftover
    kept: list[list[int]] = []
    for g in groups:
        members = list(g)
        while len(members) >= 2:
            idx = np.array(members)
            bad = (matrix[np.ix_(idx, idx)] <= FORBID / 2).sum(axis=1) - 1  # minus the diagonal
            if bad.max() <= 0:
                break
            leftover.append(members.pop(int(np.argmax(bad))))
        if len(members) >= 2:
            kept.append(members)
        else:
            leftover.extend(members)
    if leftover and kept:
        still = _place_extras(matrix, kept, leftover)
        return kept, still
    return kept, leftover
