"""Resources for the demo, and a synthetic library for tests and the benchmark: varied, reproducible."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.resources.model import Resource
from staffroom.demo.school import GRADES, SUBJECTS

DEMO_LIBRARY: tuple[tuple[str, str, str, str], ...] = (
    # url, title, tags, note
    (
        "https://example.org/behaviour/calm-entry-routines",
        "Calm entry routines for the first five minutes",
        "#classroom-management #routines",
        "Meet at the door, a task on the board, a countdown. Cut our lesson starts from 8 minutes to 2.",
    ),
    (
        "https://example.org/questioning/hinge-questions",
        "Hinge questions: check the whole class in 30 seconds",
        "#questioning #formative-assessment",
        "One multiple-choice question mid-lesson tells you whether to move on.",
    ),
    (
        "https://example.org/questioning/wait-time",
        "Wait time and no-hands-up questioning",
        "#questioning #engagement",
        "Pause three seconds before taking answers; cold-call kindly.",
    ),
    (
        "https://example.org/differentiation/mixed-ability-tasks",
        "Low-floor high-ceiling tasks for mixed ability",
        "#differentiation",
        "One task everyone can start and the strongest can take further.",
    ),
    (
        "https://example.org/feedback/whole-class-feedback",
        "Whole-class feedback sheets that save marking time",
        "#feedback #workload",
        "Read the books, write one sheet of common strengths and errors, reteach.",
    ),
    (
        "https://example.org/eal/sentence-stems",
        "Sentence stems to support EAL learners in discussion",
        "#eal #oracy",
        "",
    ),
    (
        "https://example.org/behaviour/de-escalation",
        "De-escalation scripts for challenging behaviour",
        "#classroom-management #behaviour",
        "Short, calm, private: a script takes the heat out of a confrontation.",
    ),
    (
        "https://example.org/group-work/roles",
        "Group work roles that keep everyone engaged",
        "#engagement #group-work",
        "Facilitator, scribe, sceptic, timekeeper: rotate them weekly.",
    ),
)

TOPICS = (
    "questioning",
    "classroom management",
    "behaviour",
    "routines",
    "differentiation",
    "formative assessment",
    "feedback",
    "engagement",
    "group work",
    "oracy",
    "eal",
    "literacy",
    "numeracy",
    "retrieval practice",
    "homework",
    "workload",
    "lesson planning",
    "send",
    "wellbeing",
    "edtech",
)
_WORDS = [
    "starter",
    "plenary",
    "worksheet",
    "rubric",
    "exit",
    "ticket",
    "quiz",
    "scaffold",
    "model",
    "modelling",
    "example",
    "explain",
    "vocabulary",
    "reading",
    "writing",
    "discussion",
    "debate",
    "seating",
    "plan",
    "reward",
    "praise",
    "sanction",
    "consequence",
    "transition",
    "silence",
    "signal",
    "timer",
    "countdown",
    "visualiser",
    "mini",
    "whiteboard",
    "think",
    "pair",
    "share",
    "cold",
    "call",
    "wait",
    "time",
    "hinge",
    "misconception",
    "diagnostic",
    "spaced",
    "interleaved",
    "practice",
    "knowledge",
    "organiser",
    "flashcard",
    "recall",
    "memory",
    "chunk",
    "worked",
    "problem",
    "solving",
    "inquiry",
    "project",
    "portfolio",
    "peer",
    "self",
    "review",
    "checklist",
    "success",
    "criteria",
    "learning",
    "objective",
    "intention",
    "target",
    "tracker",
    "data",
    "parents",
    "evening",
    "report",
    "marking",
    "codes",
    "comment",
    "dialogue",
    "purple",
    "pen",
    "redraft",
    "mastery",
    "extension",
    "challenge",
    "support",
    "adaptive",
    "teaching",
    "barrier",
    "access",
    "arrangement",
    "reading",
    "age",
    "phonics",
    "fluency",
    "comprehension",
    "oral",
    "rehearsal",
    "talk",
    "partner",
    "sentence",
    "stem",
    "frame",
    "glossary",
    "cognate",
    "translation",
    "bilingual",
    "laptop",
    "tablet",
    "slides",
    "video",
    "podcast",
    "simulation",
    "lab",
    "practical",
    "fieldwork",
    "trip",
    "assembly",
    "tutor",
]


@dataclass(frozen=True)
class SyntheticResource:
    url: str
    title: str
    note: str
    tags: tuple[str, ...]
    subject: str
    grade_band: str
    source_kind: str

    def resource(self, workspace_id: int) -> Resource:
        """As the library stores it, for a workspace: what every benchmark loads in bulk."""
        return Resource(
            workspace_id=workspace_id,
            title=self.title,
            url=self.url,
            normalized_url=self.url.removeprefix("https://"),
            note=self.note,
            tags=list(self.tags),
            subject=self.subject,
            grade_band=self.grade_band,
            source_kind=self.source_kind,
        )


def synthetic_library(count: int, rng: random.Random) -> list[SyntheticResource]:
    """``count`` plausible resources: Zipf-ish word use, so some words are common and some rare."""
    weights = [1 / (rank + 1) for rank in range(len(_WORDS))]
    items = []
    for i in range(count):
        topics = rng.sample(TOPICS, k=rng.choice((1, 1, 2, 3)))
        words = rng.choices(_WORDS, weights=weights, k=rng.randint(3, 6))
        title = f"{topics[0].capitalize()}: {' '.join(words[:3])} {i}"
        note_words = rng.choices(_WORDS, weights=weights, k=rng.randint(0, 30))
        note = " ".join([*note_words, *rng.sample(TOPICS, k=1)]) if note_words else ""
        items.append(
            SyntheticResource(
                url=f"https://library.example/{i}/{'-'.join(words[:2])}",
                title=title,
                note=note,
                tags=tuple(topics),
                subject=rng.choice(SUBJECTS),
                grade_band=rng.choice(GRADES),
                source_kind=rng.choice(("peer", "peer", "expert")),
            )
        )
    return items


def synthetic_queries(count: int, rng: random.Random) -> list[str]:
    """What teachers type: a topic, a couple of words, sometimes a topic and a word."""
    queries = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.35:
            queries.append(rng.choice(TOPICS))
        elif roll < 0.7:
            queries.append(" ".join(rng.sample(_WORDS, k=rng.choice((1, 2, 3)))))
        else:
            queries.append(f"{rng.choice(TOPICS)} {rng.choice(_WORDS)}")
    return queries
