"""A small shared vocabulary for goals and strengths, so "behaviour" can meet "classroom management".

Teachers write goals in their own words ("Improve classroom management", "calmer starts to lessons")
and strengths in others ("behaviour", "routines"). Matching the words literally would miss most real
overlaps, so both sides are mapped to a handful of topics from the peer-observation literature. Each
topic carries a first conversation prompt for introductions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.kernel.i18n import N_, _, folded


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    keywords: tuple[str, ...]
    prompt: str
    """A first conversation starter for a pair where someone wants to grow in this topic."""


TOPICS: tuple[Topic, ...] = (
    Topic(
        "classroom_management",
        N_("classroom management"),
        (
            "classroom management",  # not translated: matched in what teachers write
            "behaviour",
            "behavior",
            "routine",
            "calm",
            "discipline",
            # Spanish, as teachers write it (accents do not matter: text is compared without them)
            "gestion del aula",  # not translated: matched in what teachers write
            "conducta",
            "comportamiento",
            "rutina",
            "disciplina",
            "convivencia",
        ),
        N_(
            "Share one routine that settles a class in the first five minutes, and one moment this "
            "week when a lesson got away from you."
        ),
    ),
    Topic(
        "questioning",
        N_("questioning"),
        (
            "question",
            "questioning",
            "discussion",
            "dialogue",
            "hinge",
            "pregunta",
            "debate",
            "dialogo",
        ),
        N_(
            "Each bring one question you asked this week: what did students say, and what would you "
            "ask next time to get them thinking harder?"
        ),
    ),
    Topic(
        "differentiation",
        N_("differentiation"),
        (
            "differentiat",
            "mixed ability",  # not translated: matched in what teachers write
            "mixed-ability",
            "scaffold",
            "inclusion",
            "diferencia",
            "atencion a la diversidad",  # not translated: matched in what teachers write
            "andamiaje",
        ),
        N_(
            "Pick one upcoming lesson and sketch together how the same task could stretch the "
            "quickest and support those who find it hardest."
        ),
    ),
    Topic(
        "assessment",
        N_("assessment for learning"),
        (
            "assessment",
            "formative",
            "exit ticket",  # not translated: matched in what teachers write
            "retrieval",
            "quiz",
            "check for understanding",  # not translated: matched in what teachers write
            "evaluacion",
            "cuestionario",
            "ticket de salida",  # not translated: matched in what teachers write
            "comprension",
        ),
        N_(
            "Swap one quick check for understanding you use, and talk about what you did with the "
            "answers the next lesson."
        ),
    ),
    Topic(
        "engagement",
        N_("student engagement"),
        (
            "engagement",
            "engage",
            "group work",  # not translated: matched in what teachers write
            "motivation",
            "participation",
            "collaborat",
            "motivacion",
            "participacion",
            "trabajo en grupo",  # not translated: matched in what teachers write
            "colabora",
            "implicacion",
        ),
        N_(
            "Describe the last lesson where nearly everyone was involved: what made it work, and "
            "could it work in the other person's class?"
        ),
    ),
    Topic(
        "feedback",
        N_("feedback"),
        (
            "feedback",
            "marking",
            "act on",  # not translated: matched in what teachers write
            "retroalimentacion",
            "correccion",
            "comentarios",
        ),
        N_(
            "Bring one piece of feedback you gave a student recently: did they act on it, and how "
            "could it be shorter or more specific?"
        ),
    ),
    Topic(
        "planning",
        N_("lesson planning"),
        (
            "planning",
            "plan lessons",  # not translated: matched in what teachers write
            "lesson plan",  # not translated: matched in what teachers write
            "workload",
            "less time",  # not translated: matched in what teachers write
            "curriculum",
            "planificacion",
            "programacion",
            "carga de trabajo",  # not translated: matched in what teachers write
            "menos tiempo",  # not translated: matched in what teachers write
        ),
        N_(
            "Compare how long your last lesson took to plan, and swap one shortcut that saves time "
            "without costing quality."
        ),
    ),
    Topic(
        "language",
        N_("supporting language learners"),
        (
            "eal",
            "esl",
            "ell",
            "language learner",  # not translated: matched in what teachers write
            "multilingual",
            "vocabulary",
            "vocabulario",
            "plurilingue",
            "lengua materna",  # not translated: matched in what teachers write
        ),
        N_(
            "Share one way you make key vocabulary visible in lessons, and one student you'd like "
            "ideas for (no names needed)."
        ),
    ),
    Topic(
        "edtech",
        N_("classroom technology"),
        (
            "edtech",
            "technology",
            "digital",
            "ai ",
            "device",
            "online",
            "tecnologia",
            "dispositivo",
            " ia ",
        ),
        N_(
            "Show each other one tool you actually use every week, and one you've given up on and why."
        ),
    ),
)
TOPICS_BY_KEY = {t.key: t for t in TOPICS}
_WORD = re.compile(r"\s+")


def topics_of(texts: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The topic keys a list of goals or strengths touches; unrecognised text touches none."""
    found: set[str] = set()
    for text in texts:
        found |= _topics_of_one(text)
    return frozenset(found)


@lru_cache(maxsize=4096)
def _topics_of_one(text: str) -> frozenset[str]:
    """Cached: a district has ten thousand goals but only a few hundred distinct ways to word them."""
    lowered = " " + _WORD.sub(" ", folded(text)) + " "
    return frozenset(t.key for t in TOPICS if any(k in lowered for k in t.keywords))


def label(key: str) -> str:
    """The topic's name in the language being spoken."""
    return _(TOPICS_BY_KEY[key].label)


def first_prompt(goals: tuple[str, ...] | list[str]) -> str:
    """A conversation starter tied to the first goal we recognise, or to the goal as written."""
    for goal in goals:
        keys = topics_of([goal])
        for topic in TOPICS:
            if topic.key in keys:
                return _("On “{goal}”: {prompt}").format(goal=goal, prompt=_(topic.prompt))
    if goals:
        return _(
            "Start with “{goal}”: what would it look like in a lesson if it went really "
            "well, and what is one small step to try this week?"
        ).format(goal=goals[0])
    return _(
        "Share one thing that went well in a lesson this week and one thing you'd like to "
        "try differently; pick one to try before you next talk."
    )
