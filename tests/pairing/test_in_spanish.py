"""Pairing in each teacher's language, through the real console adapter, core and database.

A round pairs a Spanish-speaking mentee with an English-speaking mentor: each is introduced in their
own language, and whatever one of them does that reaches the other (saying "we can't", leaving)
arrives in the other's language. Needs the folded catalog (``python /work/i18n/fold.py``).
"""

from __future__ import annotations

from datetime import timedelta

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Role
from bot.pairing.scheduled import run_due_pairing_rounds
from staffroom.bootstrap import Staffroom, grant_role
from tests.conftest import Person, joined

MENTOR = {
    "subjects": "Science",
    "grade_bands": ["6-8"],
    "years_experience": "12",
    "strengths": "behaviour, questioning",
    "goals": "",
}
MENTEE = {
    "subjects": "Science",
    "grade_bands": ["6-8"],
    "years_experience": "1",
    "goals": "Improve classroom management",
}


def _program(
    app: Staffroom, person: Person, *, coordinator_language: str | None = None
) -> tuple[ConsoleSession, ConsoleSession, ConsoleSession]:
    """A mentoring program: Maya coordinates, Ana (English) mentors, Lucía (Spanish) is mentored."""
    maya = joined(person("Maya Patel", language=coordinator_language))
    grant_role(app, "console:local", "Maya Patel", Role.COORDINATOR)
    assert maya.type('program create "Year 8 Circle" kind=mentoring').ok
    ana = joined(person("Ana Lopez", language="en"), **MENTOR)
    lucia = joined(person("Lucía Gómez", language="es"), **MENTEE)
    for teacher in (ana, lucia):
        assert teacher.type("join Year 8 Circle").ok
    return maya, ana, lucia


def _to(messenger: ConsoleMessenger, words: str) -> list[object]:
    return [d.message for d in messenger.delivered if words in d.message.text]


def test_each_is_introduced_in_their_own_language(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya, _ana, _lucia = _program(app, person)
    assert maya.type("pair publish Year 8 Circle").ok
    app.worker({messenger.platform: messenger}).drain()
    (to_lucia,) = _to(messenger, "Te presento a tu mentor de Year 8 Circle: Ana Lopez")
    assert to_lucia.language == "es"  # type: ignore[attr-defined]
    text = to_lucia.text  # type: ignore[attr-defined]
    assert (
        "Los dos enseñan Science en 6-8; Ana Lopez tiene 12 años de experiencia y tú quieres "
        "mejorar en gestión del aula; los dos trabajan en Hillcrest High y comparten zona "
        "horaria." in text
    )
    assert "Para empezar: Sobre “Improve classroom management”: Compartan una rutina" in text
    blocks = "\n".join(getattr(b, "text", "") for b in to_lucia.blocks)  # type: ignore[attr-defined]
    assert "*Por qué ustedes dos:*" in blocks and "a mitad de ronda les preguntaré" in blocks
    (to_ana,) = _to(messenger, "Meet your mentee in Year 8 Circle: Lucía Gómez")
    assert to_ana.language == "en"  # type: ignore[attr-defined]
    assert (
        "Lucía Gómez wants help with classroom management, which is one of your strengths"
        in to_ana.text  # type: ignore[attr-defined]
    )
    assert "Meet your" not in text and "Te presento" not in to_ana.text  # type: ignore[attr-defined]


def test_a_spanish_coordinator_reads_the_preview_with_real_plurals_and_dates(
    app: Staffroom, person: Person
) -> None:
    maya, _ana, lucia = _program(app, person, coordinator_language="es")
    one = maya.type("pair preview Year 8 Circle").replies[0].text
    assert one.startswith("Ronda 1 de Year 8 Circle: 1 pareja, puntuación")
    assert "0 repeticiones de las últimas 3 rondas." in one
    assert "Ana Lopez (mentor) → Lucía Gómez" in one
    assert "Ana Lopez tiene 12 años de experiencia y Lucía Gómez quiere mejorar en" in one
    assert one.rstrip().endswith("`pair pin` y `pair forbid` lo cambian antes.")
    for name, profile in (("Dev Shah", MENTOR), ("Ben Okafor", MENTEE)):
        assert joined(person(name), **profile).type("join Year 8 Circle").ok
    two = maya.type("pair preview Year 8 Circle").replies[0].text
    assert two.startswith("Ronda 1 de Year 8 Circle: 2 parejas, puntuación")
    lucia.type("pause 2 weeks")
    paused = maya.type("pair preview Year 8 Circle").replies[0].text
    assert (
        "Fuera de esta ronda (1): Lucía Gómez se está tomando un descanso hasta el lun 7 dic"
        in (paused)
    )


def test_what_one_does_reaches_the_other_in_their_language(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    maya, ana, lucia = _program(app, person)
    maya.type("pair publish Year 8 Circle")
    clock.advance(timedelta(days=8))  # past halfway: "did you meet?", each in their language
    run_due_pairing_rounds(app.uow_factory, clock.now())
    app.worker({messenger.platform: messenger}).drain()
    (asked_lucia,) = _to(messenger, "¿lograste reunirte con Ana Lopez?")
    (asked_ana,) = _to(messenger, "did you manage to meet Lucía Gómez?")
    assert [b.label for b in asked_ana.buttons()] == ["Yes, we met", "Not yet", "We can't"]  # type: ignore[attr-defined]
    labels = [b.label for b in asked_lucia.buttons()]  # type: ignore[attr-defined]
    assert labels == ["Sí, nos reunimos", "Todavía no", "No podemos"]
    (cant,) = [b for b in asked_lucia.buttons() if b.label == "No podemos"]  # type: ignore[attr-defined]
    reply = lucia.press_button(cant).replies[0]
    assert reply.text.startswith("Gracias por decírmelo; son cosas que pasan.")
    assert [b.label for b in reply.buttons()][-1] == "Buscar a alguien ahora"
    app.worker({messenger.platform: messenger}).drain()
    (told_ana,) = _to(messenger, "Lucía Gómez let me know your pairing in round 1 of Year 8 Circle")
    assert told_ana.language == "en"  # type: ignore[attr-defined]
    assert [b.label for b in told_ana.buttons()] == ["Find someone now"]  # type: ignore[attr-defined]
    # And the other way round: the English mentor leaves, the Spanish mentee hears it in Spanish.
    ana.type("leave")
    app.worker({messenger.platform: messenger}).drain()
    (told_lucia,) = _to(messenger, "Tu mentor, Ana Lopez, ha dejado Staffroom, así que tu")
    assert told_lucia.language == "es"  # type: ignore[attr-defined]
    assert "No es por nada que hayas hecho." in told_lucia.text  # type: ignore[attr-defined]
