"""The introduction and its hook for other features (the resources feature adds up to two resources)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.kernel.domain import Program
from bot.kernel.messages import Block, Section, said
from bot.pairing import intro
from bot.pairing.model import Candidate

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

ANA = Candidate(1, "Ana Lopez", "mentor", ("Science",), ("6-8",), "Hillcrest", "Europe/London", 12)
BEN = Candidate(
    2,
    "Ben Okafor",
    "mentee",
    ("Science",),
    ("6-8",),
    None,
    "Europe/London",
    1,
    ("Improve classroom management",),
)


def introduction() -> intro.Introduction:
    return intro.Introduction(
        program=Program(workspace_id=1, name="New Teacher Mentoring", id=3),
        round_number=2,
        pairing_id=9,
        recipient=BEN,
        others=(ANA,),
        mentor_id=1,
        reason="You both teach Science to 6-8.",
        prompt="On “Improve classroom management”: share one routine.",
        focus_goals=BEN.goals,
    )


def test_the_introduction_says_who_why_and_where_to_start() -> None:
    message = intro.build_introduction(introduction())
    assert message.text == (
        "Meet your mentor in New Teacher Mentoring: Ana Lopez. You both teach Science to 6-8. "
        "To start: On “Improve classroom management”: share one routine."
    )
    first = message.blocks[0]
    assert isinstance(first, Section)
    # Who they are is what people wrote: said text, which no renderer formats.
    assert first.fields == (
        (said("Ana Lopez"), said("Science · 6-8 · Hillcrest · 12 years teaching · Europe/London")),
    )


def test_extras_are_added_before_the_footer_and_a_failing_one_is_skipped() -> None:
    seen: list[tuple[str, ...]] = []

    def resources(
        _scope: Any, batch: Sequence[intro.Introduction], _now: datetime
    ) -> list[Sequence[Block]]:
        seen.extend(about.focus_goals for about in batch)
        return [(Section("📚 Two resources on classroom management"),) for _ in batch]

    def broken(_scope: Any, _batch: Sequence[intro.Introduction], _now: datetime) -> list[Block]:
        raise RuntimeError("search index down")

    message = intro.introduction_with_extras(object(), introduction(), (broken, resources), NOW)  # type: ignore[arg-type]
    texts = [b.text for b in message.blocks if isinstance(b, Section)]
    assert texts[-1] == "📚 Two resources on classroom management"
    assert seen == [("Improve classroom management",)]
