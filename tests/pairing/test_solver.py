"""The hard rules on small hand-made rosters, and the algorithms against the exact optimum."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np
import pytest

from bot.pairing import solver
from bot.pairing.explain import explained, group_sentence
from bot.pairing.model import Candidate, Constraints, Mode, Proposal, pair_key
from bot.pairing.scoring import Scorer, Weights
from staffroom.demo.school import make_teacher

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def peer(i: int, **kw: object) -> Candidate:
    base: dict[str, object] = {
        "member_id": i,
        "name": f"P{i}",
        "subjects": ("Maths",),
        "grades": ("9-10",),
        "timezone": "Europe/London",
    }
    base.update(kw)
    return Candidate(**base)  # type: ignore[arg-type]


def solve(people: list[Candidate], **kw: object) -> Proposal:
    options: dict[str, object] = {
        "mode": Mode.PEER,
        "weights": Weights(),
        "constraints": Constraints(),
        "now": NOW,
    }
    options.update(kw)
    return solver.solve(people, **options)  # type: ignore[arg-type]


def placed(p: Proposal) -> list[int]:
    return sorted(m for g in p.groups for m in g.member_ids)


def pairs_of(p: Proposal) -> set[tuple[int, int]]:
    return {
        pair_key(a, b)
        for g in p.groups
        for i, a in enumerate(g.member_ids)
        for b in g.member_ids[i + 1 :]
    }


def test_nobody_meets_a_recent_partner_while_anyone_else_is_free() -> None:
    people = [peer(i) for i in range(1, 7)]
    first = solve(people)
    assert len(first.groups) == 3 and placed(first) == [1, 2, 3, 4, 5, 6]
    second = solve(people, constraints=Constraints(recent=frozenset(pairs_of(first))))
    assert placed(second) == [1, 2, 3, 4, 5, 6]
    assert not pairs_of(second) & pairs_of(first)
    assert second.repeats == 0


def test_a_repeat_happens_only_when_there_is_no_other_choice() -> None:
    people = [peer(1), peer(2)]
    again = solve(people, constraints=Constraints(recent=frozenset({(1, 2)})))
    assert [g.member_ids for g in again.groups] == [(1, 2)]
    assert again.groups[0].repeat and again.repeats == 1


@pytest.mark.parametrize(
    ("size", "count", "expected"),
    [(2, 5, [2, 3]), (3, 7, [3, 4]), (4, 9, [3, 3, 3]), (3, 8, [2, 3, 3]), (4, 6, [3, 3])],
)
def test_odd_counts_make_bigger_or_smaller_groups_never_a_dropped_person(
    size: int, count: int, expected: list[int]
) -> None:
    p = solve([peer(i) for i in range(1, count + 1)], group_size=size)
    assert sorted(len(g.member_ids) for g in p.groups) == expected
    assert placed(p) == list(range(1, count + 1))
    assert p.unmatched == []


def test_group_sizes_always_cover_everyone_with_groups_of_two_to_four() -> None:
    for size in (2, 3, 4):
        for n in range(2, 60):
            n4, n3, n2 = solver.group_sizes(n, size)
            assert 4 * n4 + 3 * n3 + 2 * n2 == n, (size, n)


def test_one_person_alone_is_told_why() -> None:
    p = solve([peer(1)])
    assert p.groups == [] and [u.member_id for u in p.unmatched] == [1]
    assert "only person" in p.unmatched[0].why


def test_do_not_pair_is_never_broken_even_when_they_are_the_best_match() -> None:
    # 1 and 2 are twins; 3 and 4 teach something else entirely.
    people = [
        peer(1),
        peer(2),
        peer(3, subjects=("Art",), grades=("K-2",)),
        peer(4, subjects=("Art",), grades=("K-2",)),
    ]
    assert (1, 2) in pairs_of(solve(people))
    p = solve(people, constraints=Constraints(forbidden=frozenset({(1, 2), (3, 4)})))
    assert not pairs_of(p) & {(1, 2), (3, 4)}
    assert placed(p) == [1, 2, 3, 4]


def test_someone_who_can_only_be_placed_against_the_rules_is_reported_not_hidden() -> None:
    p = solve([peer(1), peer(2)], constraints=Constraints(forbidden=frozenset({(1, 2)})))
    assert p.groups == []
    assert {u.member_id for u in p.unmatched} == {1, 2}
    assert all("do-not-pair" in u.why for u in p.unmatched)


def test_mentor_capacity_is_respected_and_the_extra_mentee_is_told_why() -> None:
    mentor = peer(1, role="mentor", years=12, capacity=2)
    mentees = [peer(i, role="mentee", years=1) for i in (2, 3, 4)]
    p = solve([mentor, *mentees], mode=Mode.MENTORING)
    assert len(p.groups) == 2 and all(g.mentor_id == 1 for g in p.groups)
    (left,) = p.unmatched
    assert left.member_id in (2, 3, 4) and "capacity" in left.why


def test_mentees_go_to_the_mentor_whose_strengths_cover_their_goals() -> None:
    behaviour = peer(1, role="mentor", years=10, strengths=("behaviour",), capacity=1)
    questions = peer(2, role="mentor", years=10, strengths=("questioning",), capacity=1)
    calm = peer(3, role="mentee", years=1, goals=("Improve classroom management",))
    curious = peer(4, role="mentee", years=1, goals=("Ask more open questions",))
    p = solve([behaviour, questions, calm, curious], mode=Mode.MENTORING)
    assert {(g.mentor_id, g.member_ids[1]) for g in p.groups} == {(1, 3), (2, 4)}


def test_a_pin_is_honoured_and_counts_against_the_mentors_capacity() -> None:
    mentor = peer(1, role="mentor", years=12, capacity=1)
    other = peer(2, role="mentor", years=3, subjects=("Art",), capacity=1)
    mentee = peer(3, role="mentee", years=1)
    p = solve([mentor, other, mentee], mode=Mode.MENTORING, constraints=Constraints(pins=((2, 3),)))
    assert [(g.mentor_id, g.member_ids, g.pinned) for g in p.groups] == [(2, (2, 3), True)]
    assert [u.member_id for u in p.unmatched] == [1]  # a free round, and told so
    assert "free round" in p.unmatched[0].why


def test_a_pinned_mentor_with_room_left_is_matched_and_not_told_of_a_free_round() -> None:
    sam = peer(1, name="Sam", role="mentor", years=12, capacity=2)
    aisha = peer(2, name="Aisha", role="mentee", years=1)
    p = solve([sam, aisha], mode=Mode.MENTORING, constraints=Constraints(pins=((1, 2),)))
    assert [(g.mentor_id, g.member_ids, g.pinned) for g in p.groups] == [(1, (1, 2), True)]
    assert p.unmatched == []


def test_nobody_is_both_in_a_group_and_unmatched() -> None:
    mentors = [peer(i, role="mentor", years=12, capacity=3) for i in (1, 2)]
    mentees = [peer(i, role="mentee", years=1) for i in (3, 4, 5, 6)]
    p = solve(
        [*mentors, *mentees], mode=Mode.MENTORING, constraints=Constraints(pins=((1, 3), (2, 4)))
    )
    grouped = {m for g in p.groups for m in g.member_ids}
    assert grouped == {1, 2, 3, 4, 5, 6}
    assert not grouped & {u.member_id for u in p.unmatched}


def test_explanations_name_what_the_pair_really_shares() -> None:
    ana = peer(
        1,
        name="Ana",
        role="mentor",
        years=12,
        subjects=("Science",),
        grades=("6-8",),
        strengths=("behaviour",),
    )
    ben = peer(
        2,
        name="Ben",
        role="mentee",
        years=1,
        subjects=("Science", "Maths"),
        grades=("6-8",),
        goals=("Improve classroom management",),
    )
    p = explained(solve([ana, ben], mode=Mode.MENTORING), [ana, ben], NOW)
    (group,) = p.groups
    assert group.reason == (
        "Ana and Ben both teach Science to 6-8; Ana has 12 years' experience and Ben wants help "
        "with classroom management, one of Ana's strengths."
    )
    to_ben = group_sentence(group, {1: ana, 2: ben}, NOW, to=ben)
    assert to_ben.startswith(
        "You both teach Science to 6-8; Ana has 12 years' experience and you want help with "
        "classroom management"
    )
    assert "share a time zone" in to_ben
    to_ana = group_sentence(group, {1: ana, 2: ben}, NOW, to=ana)
    assert "Ben wants help with classroom management, which is one of your strengths" in to_ana


def test_peer_explanations_mention_shared_goals_and_never_invent_a_subject() -> None:
    a = peer(1, name="Ana", subjects=("Art",), goals=("Ask more open questions",))
    b = peer(
        2,
        name="Ben",
        subjects=("Music",),
        goals=("Better questioning in discussions",),
        timezone="America/Chicago",
    )
    p = explained(solve([a, b]), [a, b], NOW)
    reason = p.groups[0].reason
    assert "teach 9-10" in reason and "questioning" in reason
    assert "Art" not in reason.split(";")[0] or "mix" in reason
    personal = group_sentence(p.groups[0], {1: a, 2: b}, NOW, to=a)
    assert "working days overlap by 3 hours" in personal


def roster(n: int, seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    used: set[str] = set()
    out = []
    for i in range(n):
        t = make_teacher(rng, used)
        out.append(
            Candidate(
                i + 1,
                t.name,
                "mentor" if t.years >= 5 else "mentee",
                tuple(t.subjects),
                tuple(t.grades),
                t.school,
                t.timezone,
                t.years,
                tuple(t.goals),
                tuple(t.strengths),
                2,
            )
        )
    return out


def exact_optimum(people: list[Candidate]) -> float:
    scorer = Scorer(people, Weights(), NOW)
    idx = np.arange(len(people), dtype=np.int64)
    matrix = scorer.matrix(idx, idx)
    np.fill_diagonal(matrix, solver.FORBID)
    return float(sum(matrix[a, b] for a, b in solver._exact_pairs(matrix)))


def test_small_rosters_are_matched_exactly() -> None:
    people = roster(40, seed=3)
    assert solve(people).score == pytest.approx(exact_optimum(people), abs=0.01)


def test_large_rosters_come_within_two_percent_of_the_optimum() -> None:
    people = roster(160, seed=4)
    assert len(people) > solver.EXACT_LIMIT  # the relaxation + 2-opt path
    assert solve(people).score >= 0.98 * exact_optimum(people)


def test_the_same_seed_gives_the_same_round_and_every_person_once() -> None:
    people = roster(150, seed=5)
    first = solve(people, group_size=3, seed=11)
    again = solve(people, group_size=3, seed=11)
    assert [g.member_ids for g in first.groups] == [g.member_ids for g in again.groups]
    assert placed(first) == list(range(1, 151))


# --- district scale: several blocks, the improvement pass, the rules across block boundaries ------


def old_marking(
    matrix: np.ndarray, scorer: Scorer, rows: np.ndarray, cols: np.ndarray, c: Constraints
) -> None:
    """The rules as they were first written, one pair at a time: the reference for ``Rules``."""
    ids = [x.member_id for x in scorer.candidates]
    row_pos = {ids[g]: i for i, g in enumerate(rows.tolist())}
    col_pos = {ids[g]: j for j, g in enumerate(cols.tolist())}
    penalty = solver._penalty(scorer.weights, len(rows))
    for pairs, forbid in ((c.recent, False), (c.forbidden, True)):
        for a, b in pairs:
            for x, y in ((a, b), (b, a)):
                if x in row_pos and y in col_pos:
                    i, j = row_pos[x], col_pos[y]
                    matrix[i, j] = solver.FORBID if forbid else matrix[i, j] - penalty


def test_rules_mark_a_block_exactly_as_checking_every_pair_would() -> None:
    people = roster(120, seed=8)
    scorer = Scorer(people, Weights(), NOW)
    rng = random.Random(1)
    ids = [p.member_id for p in people]
    recent = frozenset(pair_key(*rng.sample(ids, 2)) for _ in range(300))
    forbidden = frozenset(pair_key(*rng.sample(ids, 2)) for _ in range(40)) | {next(iter(recent))}
    constraints = Constraints(recent=recent, forbidden=forbidden)
    rules = solver.Rules(scorer, constraints)
    rows = np.array(rng.sample(range(120), 70), dtype=np.int64)
    cols = np.array(rng.sample(range(120), 90), dtype=np.int64)
    ours, theirs = scorer.matrix(rows, cols), scorer.matrix(rows, cols)
    rules.apply(ours, rows, cols)
    old_marking(theirs, scorer, rows, cols, constraints)
    assert (ours != scorer.matrix(rows, cols)).any()
    np.testing.assert_array_equal(ours, theirs)


def test_pair_scores_are_the_matrix_diagonal_exactly() -> None:
    people = roster(80, seed=9)
    for weights in (Weights(), solver_weights_cross()):
        scorer = Scorer(people, weights, NOW)
        a = np.arange(80, dtype=np.int64)
        b = np.roll(a, 7)
        for mentoring in (False, True):
            full = scorer.matrix(a, b, mentoring=mentoring)
            assert scorer.pair_scores(a, b, mentoring=mentoring).tolist() == np.diag(full).tolist()


def solver_weights_cross() -> Weights:
    from bot.pairing.scoring import FOCUS_PRESETS

    return FOCUS_PRESETS["cross_school"]


@pytest.fixture
def district() -> list[Candidate]:
    return roster(3 * solver.BLOCK + 10, seed=12)  # several blocks of the first pass


def test_no_repeat_holds_across_block_boundaries(district: list[Candidate]) -> None:
    history: set[tuple[int, int]] = set()
    for r in range(3):
        round_ = solve(district, seed=r, constraints=Constraints(recent=frozenset(history)))
        assert placed(round_) == list(range(1, len(district) + 1))
        assert not pairs_of(round_) & history, f"round {r + 1} repeated a recent pair"
        assert round_.repeats == 0
        history |= pairs_of(round_)


def test_the_improvement_pass_never_breaks_a_rule_and_never_lowers_the_score(
    district: list[Candidate], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = solve(district, seed=3)
    # Forbid many of the best pairs the solver chose, wherever they sat, and make others recent.
    chosen = sorted(first.groups, key=lambda g: -g.score)
    forbidden = frozenset(pair_key(*g.member_ids[:2]) for g in chosen[::3])
    recent = frozenset(pair_key(*g.member_ids[:2]) for g in chosen[1::3])
    rules = Constraints(recent=recent, forbidden=forbidden)
    monkeypatch.setattr(solver, "REFINE_KEYS", ())
    blocks_only = solve(district, seed=3, constraints=rules)
    monkeypatch.undo()
    refined = solve(district, seed=3, constraints=rules)
    assert not pairs_of(refined) & forbidden
    assert not pairs_of(refined) & recent and refined.repeats == 0
    assert placed(refined) == list(range(1, len(district) + 1))
    assert refined.score > blocks_only.score


def test_district_groups_of_three_still_place_everyone(district: list[Candidate]) -> None:
    groups = solve(district, group_size=3, seed=2)
    assert placed(groups) == list(range(1, len(district) + 1))
    assert {len(g.member_ids) for g in groups.groups} <= {3, 4}
