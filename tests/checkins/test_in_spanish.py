"""Check-ins in each teacher's language: the planner writes a Spanish teacher's check-in in Spanish and
an English colleague's in English in the same run, and the replies, dates and plurals follow.

Needs the folded catalog (``/work/i18n/fold.py`` or ``make catalogs``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Role
from bot.kernel.messages import Button, Message
from staffroom.bootstrap import Staffroom, grant_role
from tests.checkins.helpers import deliver, plan, user_id
from tests.conftest import Person, joined

DUE = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # Tuesday 15:30 in London


def last_to(messenger: ConsoleMessenger, name: str) -> Message:
    return [d for d in messenger.delivered if d.recipient_user_id == user_id(name)][-1].message


def button(buttons: list[Button], label: str) -> Button:
    return next(b for b in buttons if b.label.startswith(label))


def school(app: Staffroom, person: Person, *, coordinator_language: str = "en") -> ConsoleSession:
    """A program with an English teacher (Ana) and a Spanish one (Lucía); its coordinator speaks
    ``coordinator_language``."""
    carmen = joined(person("Carmen Ruiz", language=coordinator_language))
    grant_role(app, "console:local", "Carmen Ruiz", Role.COORDINATOR)
    assert carmen.type('program create "PLC" kind=peer day=tue time=15:30').ok
    for name, language in (("Ana Lopez", "en"), ("Lucía Gómez", "es")):
        joined(person(name, language=language))
        assert carmen.type(f'program add "PLC" "{name}" as peer').ok
    return carmen


def test_the_planner_writes_each_teachers_check_in_in_their_own_language(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    school(app, person)
    clock.set(DUE)
    assert plan(app).sent == 2
    deliver(app, messenger)
    lucia = last_to(messenger, "Lucía Gómez")
    assert lucia.language == "es"
    assert lucia.text.startswith("¡Hola, Lucía! Tu check-in semanal de PLC (menos de un minuto).")
    # Her goal is her own words and stays as she wrote it; the question around it is Spanish.
    assert "¿Qué tan segura o seguro te sientes esta semana con «Ask more open questions»?" in (
        lucia.text
    )
    assert [b.label for b in lucia.buttons()] == [
        "1 · todavía no",
        "2",
        "3",
        "4",
        "5 · mucho",
        "Responder las preguntas de esta semana",
        "Me vendría bien apoyo",
        "Posponer a mañana",
        "Saltar esta semana",
    ]
    assert "Solo tú ves tus respuestas" in str(lucia.blocks)
    ana = last_to(messenger, "Ana Lopez")
    assert ana.language == "en"
    assert ana.text.startswith("Hi Ana! Your weekly PLC check-in (under a minute).")
    assert "Snooze to tomorrow" in [b.label for b in ana.buttons()]


def test_snoozing_answering_and_the_default_question_in_spanish(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    school(app, person)
    clock.set(DUE)
    plan(app)
    deliver(app, messenger)
    lucia = person("Lucía Gómez", language="es")
    snoozed = lucia.press_button(button(last_to(messenger, "Lucía Gómez").buttons(), "Posponer"))
    assert snoozed.replies[0].text == (
        "Pospuesto. Te lo vuelvo a preguntar el miércoles a las 15:30, tu hora."
    )
    clock.set(DUE + timedelta(days=1))
    assert plan(app).resent == 1
    deliver(app, messenger)
    again = last_to(messenger, "Lucía Gómez")
    assert again.text.startswith("Hola, Lucía: aquí tienes otra vez tu check-in, como pediste.")
    rated = lucia.press_button(button(again.buttons(), "4"))
    assert rated.replies[0].text == (
        "Gracias: 4/5 en «Ask more open questions». Es tu primera respuesta registrada; "
        "la próxima vez te mostraré cómo ha cambiado."
    )
    # The program's default question is ours, so it is asked in Spanish.
    lucia.press_button(button(rated.replies[0].buttons(), "Responder"))
    form = lucia.pending_form
    assert form is not None
    assert form.title == "Tu check-in semanal"
    assert [i.label for i in form.inputs][1:] == ["¿Qué es algo que salió bien esta semana?"]
    history = lucia.type("checkin history").replies[0].text
    assert "semana del 23 nov · PLC: 4/5" in history
    assert history.startswith("Tu seguridad semana a semana:")


def test_saved_answers_count_in_spanish_one_and_two(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    carmen = school(app, person)
    assert carmen.type('program set PLC questions="What did you try? | What surprised you?"').ok
    clock.set(DUE)
    plan(app)
    deliver(app, messenger)
    lucia = person("Lucía Gómez", language="es")
    lucia.press_button(button(last_to(messenger, "Lucía Gómez").buttons(), "Responder"))
    form = lucia.pending_form
    assert form is not None
    # A coordinator's questions are their words: not translated.
    assert [i.label for i in form.inputs][1:] == ["What did you try?", "What surprised you?"]
    one = lucia.submit(form, {"confidence": "", "q1": "Tiempo de espera", "q2": ""})
    assert one.ok, one.replies
    assert one.replies[0].text.startswith(
        "Guardado: 1 respuesta. Solo tú puedes ver tus respuestas."
    )
    two = lucia.submit(form, {"confidence": "3", "q1": "Tiempo de espera", "q2": "Todo"})
    assert two.replies[0].text.startswith(
        "Guardado: 3/5 en «Ask more open questions» y 2 respuestas."
    )


def test_a_request_for_support_reaches_the_coordinator_in_the_coordinators_language(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    school(app, person, coordinator_language="es")
    ana = person("Ana Lopez", language="en")
    asked = ana.type("support")
    assert asked.replies[0].text.startswith("Who would you like to hear")
    sent = ana.press_button(button(asked.replies[0].buttons(), "The coordinator"))
    assert sent.ok, sent.replies
    deliver(app, messenger)
    note = last_to(messenger, "Carmen Ruiz")
    assert note.language == "es"
    assert note.text.startswith("A Ana Lopez le vendría bien apoyo. Eligió contártelo a ti")


def test_a_spanish_teachers_request_reaches_an_english_coordinator_in_english(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    school(app, person, coordinator_language="en")
    lucia = person("Lucía Gómez", language="es")
    asked = lucia.type("support")
    assert asked.replies[0].text.startswith("¿A quién quieres contarle")
    sent = lucia.press_button(button(asked.replies[0].buttons(), "La coordinación"))
    assert sent.replies[0].text == (
        "Enviado. Solo se lo he dicho a Carmen Ruiz, de la coordinación: que te vendría bien apoyo."
    )
    deliver(app, messenger)
    note = last_to(messenger, "Carmen Ruiz")
    assert note.language == "en"
    assert note.text.startswith("Lucía Gómez would like some support.")
