"""A lesson-study cycle: its phases and their due dates, the plan the group shares, the research lesson,
who is in it (each observer with the students or look-for they watch) and the observers' notes.

Nothing here describes a student: notes say what *students* did, as a group at a table or a class, and
the form and prompts ask for exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.kernel.i18n import N_


class Phase(StrEnum):
    PLAN = "plan"
    TEACH = "teach"
    DEBRIEF = "debrief"
    REVISE = "revise"
    RETEACH = "reteach"
    DONE = "done"


PHASES = (Phase.PLAN, Phase.TEACH, Phase.DEBRIEF, Phase.REVISE, Phase.RETEACH)
"""The phases that have a due date, in order; ``DONE`` is where a cycle rests."""
OPEN_PHASES = PHASES
PHASE_WORDS = {
    Phase.PLAN: N_("plan"),
    Phase.TEACH: N_("teach and observe"),
    Phase.DEBRIEF: N_("debrief"),
    Phase.REVISE: N_("revise"),
    Phase.RETEACH: N_("reteach (optional)"),
    Phase.DONE: N_("finished"),
}
"""How a phase is shown in lists and dates (translated with ``_`` where shown)."""
PHASE_NAMES = {
    Phase.PLAN: N_("plan"),
    Phase.TEACH: N_("teach"),
    Phase.DEBRIEF: N_("debrief"),
    Phase.REVISE: N_("revise"),
    Phase.RETEACH: N_("reteach"),
    Phase.DONE: N_("done"),
}
"""A phase named inside a sentence ("is in its debrief phase")."""

MAX_NAME = 120
MAX_FIELD = 500
MAX_LINK = 500
MAX_NOTE = 2000
MAX_FOCUS = 200
MAX_MEMBERS = 8
"""A lesson-study group is a handful of colleagues; more than this is a staff meeting, not a group."""


@dataclass(frozen=True)
class Plan:
    """The short plan the group shares; every field may be changed until the lesson is taught."""

    question: str = ""
    """The research question: what the group wants to learn about students' learning."""
    goal: str = ""
    """The lesson's goal for students."""
    students_do: str = ""
    """What students should do in the lesson."""
    watch_for: str = ""
    """What observers watch for."""
    link: str = ""
    """Where the full plan document is."""

    @property
    def is_shared(self) -> bool:
        return bool(self.question and self.goal)


@dataclass
class Cycle:
    name: str
    starter_id: int | None
    timezone: str
    """The starter's time zone: due dates and "the lesson day" are days there."""
    due: dict[Phase, date]
    phase: Phase = Phase.PLAN
    plan: Plan = field(default_factory=Plan)
    plan_by: int | None = None
    teacher_id: int | None = None
    """Who teaches the research lesson, once booked."""
    lesson_on: date | None = None
    period: str = ""
    class_name: str = ""
    nudged: tuple[Phase, ...] = ()
    """Phases whose one nudge has gone."""
    debriefed_at: datetime | None = None
    created_at: datetime | None = None
    id: int | None = None

    @property
    def booked(self) -> bool:
        return self.teacher_id is not None and self.lesson_on is not None


@dataclass
class StudyMember:
    cycle_id: int
    member_id: int
    focus: str = ""
    """For an observer: the student group or look-for they are assigned to watch."""
    revision: str = ""
    """The one revision to the lesson they propose after the debrief."""
    revised_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Note:
    cycle_id: int
    member_id: int
    text: str
    created_at: datetime | None = None
    id: int | None = None
