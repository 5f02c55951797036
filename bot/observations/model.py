"""What an observation is, as plain dataclasses the core reasons about without a database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum

from bot.kernel.i18n import N_


class RequestStatus(StrEnum):
    DRAFT = "draft"
    """Parsed and shown back to the requester; nothing has been sent to anyone yet."""
    ASKING = "asking"
    """Colleagues are being asked one at a time."""
    CONFIRMED = "confirmed"
    UNMATCHED = "unmatched"
    """Nobody could or would observe; the requester and the coordinator were told."""
    CANCELLED = "cancelled"
    DONE = "done"
    """The observer gave feedback."""


OPEN_STATUSES = (RequestStatus.DRAFT, RequestStatus.ASKING, RequestStatus.CONFIRMED)


class AskStatus(StrEnum):
    WAITING = "waiting"
    """In the queue; not asked yet."""
    ASKED = "asked"
    DECLINED = "declined"
    EXPIRED = "expired"
    """No answer within the time allowed; the next colleague was asked."""
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    """The request was cancelled or filled before this colleague's turn ended."""


class Seen(StrEnum):
    """How often the observer saw a look-for: words a colleague would use, never a grade.

    The values are what is stored (``SEEN_WORDS`` is what is shown); a number (1-4) read as an
    evaluation, whatever the form said about growth.
    """

    OFTEN = "seen often"  # not translated: stored value, shown through SEEN_WORDS
    SOMETIMES = "seen sometimes"  # not translated: stored value, shown through SEEN_WORDS
    NOT_YET = "not seen yet"  # not translated: stored value, shown through SEEN_WORDS
    DIDNT_LOOK = "didn't look"


SEEN_WORDS = {
    Seen.OFTEN: N_("Seen often"),
    Seen.SOMETIMES: N_("Seen sometimes"),
    Seen.NOT_YET: N_("Not seen yet"),
    Seen.DIDNT_LOOK: N_("Didn't look"),
}
"""How each answer reads in a form or in feedback (translated where shown)."""


FOCUS_AREAS = (
    N_("questioning"),
    N_("classroom management"),
    N_("differentiation"),
    N_("engagement"),
    N_("assessment for learning"),
)
"""Stored in English, as the focus of a request; translated where shown (``render.focus_words``)."""
QUESTIONING, MANAGEMENT, DIFFERENTIATION, ENGAGEMENT, AFL = FOCUS_AREAS
FOCUS_ALIASES = {
    "behaviour": MANAGEMENT,
    "behavior": MANAGEMENT,
    "behaviour management": MANAGEMENT,
    "behavior management": MANAGEMENT,
    "management": MANAGEMENT,
    "afl": AFL,
    "formative assessment": AFL,
    "assessment": AFL,
    "differentiating": DIFFERENTIATION,
    "questions": QUESTIONING,
    "student engagement": ENGAGEMENT,
    # As Spanish-speaking teachers say them, without accents (the request is compared without).
    "preguntas": QUESTIONING,
    "gestion del aula": MANAGEMENT,
    "conducta": MANAGEMENT,
    "comportamiento": MANAGEMENT,
    "diferenciacion": DIFFERENTIATION,
    "atencion a la diversidad": DIFFERENTIATION,
    "participacion": ENGAGEMENT,
    "implicacion": ENGAGEMENT,
    "motivacion": ENGAGEMENT,
    "evaluacion formativa": AFL,
    "evaluacion": AFL,
}

ASK_TIMEOUT_HOURS = 24
MAX_LESSON = timedelta(hours=4)
"""Longer is a typo (10:00-21:00 for 10:00-11:00), and the bound keeps overlap queries on an index."""
MAX_WEEKS_AHEAD = 8
MAX_SUGGESTIONS = 3
MAX_LOOK_FORS = 5
MAX_QUESTION = 300
MAX_THANKS = 500
DEBRIEF_MINUTES = 10
FAIRNESS_WINDOW_DAYS = 60
"""How far back "observed least lately" looks."""


@dataclass
class ObservationRequest:
    workspace_id: int
    requester_id: int
    starts_at: datetime
    ends_at: datetime
    timezone: str
    focus: str
    id: int | None = None
    class_name: str = ""
    subject: str | None = None
    look_fors: str = ""
    question: str = ""
    """The one question the teacher wants the observer to answer (optional); it goes in the brief."""
    status: RequestStatus = RequestStatus.DRAFT
    observer_id: int | None = None
    cancelled_by_id: int | None = None
    brief_sent_at: datetime | None = None
    """When the brief went to both (the one message before the lesson), or was let go as too late."""
    feedback_requested_at: datetime | None = None
    feedback_reminded_at: datetime | None = None
    thanks: str = ""
    """What the teacher wrote to thank their observer, in their words (sent once)."""
    thanked_at: datetime | None = None
    created_at: datetime | None = None

    def look_for_list(self) -> list[str]:
        """The requester's "look for" text as separate items, one answer each in the feedback form."""
        parts = [
            p.strip(" .") for p in self.look_fors.replace(";", "\n").replace(",", "\n").split("\n")
        ]
        return [p for p in parts if p][:MAX_LOOK_FORS]


@dataclass
class Ask:
    request_id: int
    member_id: int
    position: int
    id: int | None = None
    status: AskStatus = AskStatus.WAITING
    asked_at: datetime | None = None
    answered_at: datetime | None = None


@dataclass
class Feedback:
    request_id: int
    observer_id: int | None
    """None once the observer has used forget-me: the feedback stays, from "a colleague"."""
    strengths: str
    suggestions: list[str]
    seen: dict[str, Seen] = field(default_factory=dict)
    """Each look-for and how often it was seen; a look-for left unanswered is absent."""
    id: int | None = None
    shared_with_mentor: bool = False
    reflection_id: int | None = None
    """The observed teacher's reflection on it: a private reflection tagged "observation"."""
    created_at: datetime | None = None


@dataclass(frozen=True)
class FreePeriod:
    member_id: int
    weekday: int
    start: time
    end: time
    id: int | None = None


SUBJECT_WEIGHT = 3.0
GRADE_WEIGHT = 2.0
STRENGTH_WEIGHT = 2.0
DECLARED_FREE_WEIGHT = 1.0
FAIRNESS_WEIGHT = 1.5
"""Points lost per observation done in the fairness window: two recent observations outweigh a subject match."""


@dataclass(frozen=True)
class Preference:
    """What makes a good observer for one request, in terms a database can score.

    The repository orders candidates by exactly the score ``suggest.rank`` computes (same weights, same
    matching rules) so that it can return only the best ``limit`` of thousands; ``rank`` then orders
    those and explains each choice.
    """

    subjects: frozenset[str]
    """Lower-cased; a candidate matches when one of their subjects equals one of these."""
    grades: frozenset[str]
    focus_terms: tuple[str, ...]
    """Lower-cased; a candidate matches when one of their strengths contains one of these."""
    partner_ids: frozenset[int]
    limit: int


@dataclass(frozen=True)
class CandidateFacts:
    """What the repository knows about one possible observer, for ranking in the core."""

    member_id: int
    display_name: str
    subjects: tuple[str, ...]
    grade_bands: tuple[str, ...]
    strengths: tuple[str, ...]
    declared_free: bool
    """True when a declared free period covers the lesson; False when they declared none at all."""
    observed_lately: int
