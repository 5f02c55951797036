"""The demo's chapter for a teacher who reads Staffroom in Spanish: her Slack is set to Spanish, so
everything she is sent is written in Spanish, in the same program as colleagues who read English."""

from __future__ import annotations

from collections.abc import Callable

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession, console_user_id
from staffroom.demo.narrator import Narrator
from staffroom.demo.school import Teacher

SPANISH_TEACHER = Teacher(
    name="Lucía Gómez",
    email="lucia.gomez@district.example",
    subjects=["Maths"],
    grades=["9-10"],
    years=1,
    timezone="Europe/Madrid",
    school="Riverside High",
    goals=["Hacer más preguntas abiertas en clase"],
    language="es-ES",
)
"""She joins with the peer groups, so the weeks of check-ins reach her too."""


def languages_chapter(
    story: Narrator,
    session: Callable[..., ConsoleSession],
    messenger: ConsoleMessenger,
    english_colleague: Teacher,
) -> None:
    lucia = SPANISH_TEACHER
    story.chapter("A teacher who reads Staffroom in Spanish")
    story.say(
        f"{lucia.name}'s Slack is set to Spanish, so Staffroom writes to her in Spanish, dates and "
        "plurals included, while her colleagues in the same program read English. Commands stay "
        "the same words everywhere; everyday ones have Spanish aliases."
    )
    checkins = [
        d.message
        for d in messenger.delivered
        if d.recipient_user_id == console_user_id(lucia.name) and "check-in" in d.message.text
    ]
    if checkins:
        story.say(f"\nHer latest weekly check-in:\n{checkins[-1].text}")
    mine = session(lucia, loud=True)
    for line in ("metas", "pausa 2 semanas", "reanudar"):
        story.transcript(lucia.name, line)
        mine.type(line)
    story.say(f"\nThe same command from {english_colleague.name}, whose Slack is in English:")
    story.transcript(english_colleague.name, "pause 2 weeks")
    theirs = session(english_colleague, loud=True)
    theirs.type("pause 2 weeks")
    theirs.type("resume")
    story.say(
        "\nAnyone can choose for good with `profile set language=es` (or `en`), "
        "whatever their client says."
    )
