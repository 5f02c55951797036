"""What a digest says, as plain data: built once, then rendered for chat, text, HTML or CSV.

Raw figures (what the queries return) sit beside the finished digest. Privacy is applied when the digest
is built, not when it is rendered, so no renderer can show a number it should not: a figure the shared
rule (``bot.kernel.aggregates``) withholds has its value, and the counts behind it, replaced by ``None``
and ``withheld=True``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.kernel.aggregates import WITHHELD
from bot.kernel.i18n import _, ngettext, number, percent

TREND_WEEKS = 8


def withheld() -> str:
    """What a reader sees in place of a withheld figure, in their language."""
    return _(WITHHELD)


@dataclass(frozen=True)
class Person:
    member_id: int
    name: str


@dataclass(frozen=True)
class CheckinFigures:
    """One week (or one group within a week) of check-ins, as counted."""

    sent: int = 0
    answered: int = 0
    confidence_sum: int = 0
    confidence_count: int = 0
    people: int = 0
    """Distinct people behind the figures: what the privacy floor is measured against."""


@dataclass(frozen=True)
class GroupCheckins:
    group: str
    figures: CheckinFigures


@dataclass(frozen=True)
class FrozenWeek:
    """A week's check-in figures for the whole program and per role, as they stood when it closed."""

    total: CheckinFigures
    groups: tuple[GroupCheckins, ...] = ()


@dataclass(frozen=True)
class QuestionFigures:
    """One of a program's own questions in one week's check-ins, as counted: how many answered it,
    from how many people, and for a choice or a scale how many gave each value. Never a word of a
    text answer: storage counts those and hands back nothing else."""

    question: str
    kind: str
    answers: int
    people: int
    spread: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class QuestionLine:
    """A question as the digest shows it: its count and spread, or withheld with neither."""

    question: str
    kind: str
    answers: int | None
    spread: tuple[tuple[str, int], ...] = ()

    @property
    def withheld(self) -> bool:
        return self.answers is None


@dataclass(frozen=True)
class ReflectionFigures:
    written: int = 0
    writers: int = 0


@dataclass(frozen=True)
class Theme:
    tag: str
    members: int
    reflections: int


@dataclass(frozen=True)
class PairFigures:
    met: int = 0
    not_yet: int = 0
    cant: int = 0
    round_number: int | None = None

    @property
    def total(self) -> int:
        return self.met + self.not_yet + self.cant


@dataclass(frozen=True)
class ObservationFigures:
    requested: int = 0
    completed: int = 0
    unmatched: int = 0


@dataclass(frozen=True)
class HelpfulResource:
    title: str
    marks: int
    shared_by: str | None = None


@dataclass(frozen=True)
class ResourceFigures:
    shared: int = 0
    most_helpful: tuple[HelpfulResource, ...] = ()


@dataclass(frozen=True)
class Contribution:
    """Someone to thank: what they did this week, counted."""

    person: Person
    observed: int = 0
    shared: int = 0
    mentored: int = 0

    def summary(self) -> str:
        parts = []
        if self.observed:
            parts.append(
                ngettext("observed {n} lesson", "observed {n} lessons", self.observed).format(
                    n=self.observed
                )
            )
        if self.shared:
            parts.append(
                ngettext("shared {n} resource", "shared {n} resources", self.shared).format(
                    n=self.shared
                )
            )
        if self.mentored:
            parts.append(
                ngettext("met {n} mentee", "met {n} mentees", self.mentored).format(n=self.mentored)
            )
        return ", ".join(parts)


@dataclass(frozen=True)
class NeedsHand:
    """Someone a coordinator could help, why, and the one thing to try first."""

    person: Person
    reason: str
    action: str
    kind: str
    """quiet | unreachable | unmatched | undelivered | no_observer: stable, for the CSV and the tests."""


@dataclass(frozen=True)
class Rate:
    """A percentage that may be withheld (too few people) or absent (nothing was sent)."""

    value: float | None
    withheld: bool = False

    def show(self, unit: str = "%", digits: int = 0) -> str:
        """``73%`` (``73 %`` in Spanish) for a rate, ``3.4`` (``3,4``) with ``unit=""``."""
        if self.withheld:
            return withheld()
        if self.value is None:
            return "—"
        if unit == "%" and digits == 0:
            return percent(float(f"{self.value:.0f}") / 100)
        return number(self.value, digits=digits) + unit


@dataclass(frozen=True)
class TrendPoint:
    week: str
    response_rate: Rate
    confidence: Rate
    answered: int | None
    """None when the response rate is withheld: "0 of 3" would say what the rate hides."""
    sent: int | None


@dataclass(frozen=True)
class Breakdown:
    group: str
    people: int | None
    """None when the group's response rate is withheld."""
    response_rate: Rate
    confidence: Rate


@dataclass(frozen=True)
class Digest:
    program_id: int
    program_name: str
    week: str
    week_description: str
    timezone: str
    people: int
    trend: tuple[TrendPoint, ...]
    by_role: tuple[Breakdown, ...]
    reflections: ReflectionFigures
    themes: tuple[Theme, ...]
    pairs: PairFigures
    observations: ObservationFigures
    resources: ResourceFigures
    recognition: tuple[Contribution, ...]
    needs_hand: tuple[NeedsHand, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    support_requests: int = 0
    """Teachers' own "I'd like some support" this week: counted, never named here (each chose whom
    to tell, and those they chose were told directly)."""
    questions: tuple[QuestionLine, ...] = ()
    """The program's own check-in questions this week: counts and spreads under the privacy floor."""

    @property
    def this_week(self) -> TrendPoint:
        return self.trend[-1]

    @property
    def last_week(self) -> TrendPoint | None:
        return self.trend[-2] if len(self.trend) > 1 else None
