"""Peer observation in Spanish, through the console, the real core and a real database: a Spanish
teacher reads her draft, lists and forms in Spanish, and every message for somebody else (the ask,
the confirmation, the calendar invite, the feedback prompt, the feedback) is written in its reader's
language, whoever sent it.

Needs the folded catalog (``python /work/i18n/fold.py``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.kernel.messages import Message, Section, unsaid
from staffroom.bootstrap import Staffroom
from tests.conftest import Person, joined
from tests.observations.helpers import button, last_to, reply_text, run_job, teacher

# The clock starts on Monday 23 November 2026, 09:00 UTC (London is on UTC in winter).
THU_1015 = datetime(2026, 11, 26, 10, 15, tzinfo=UTC)
TUE_1015 = datetime(2026, 12, 1, 10, 15, tzinfo=UTC)


def _spanish(person: Person, name: str, free: str | None = None) -> ConsoleSession:
    session = joined(
        person(name, language="es"), subjects="Maths", grade_bands=["9-10"], strengths=""
    )
    if free:
        assert session.type(f"free add {free}").ok
    return session


def _text(message: Message) -> str:
    parts = [message.text]
    for block in message.blocks:
        if isinstance(block, Section):
            parts.append(block.text)
            parts += [f"{k}: {v}" for k, v in block.fields]
        else:
            parts.append(str(getattr(block, "text", "")))
    parts += [b.label for b in message.buttons()]
    return unsaid("\n".join(parts))


def _event(message: Message) -> dict[str, str]:
    (invite,) = message.attachments
    (event,) = Calendar.from_ical(invite.content).walk("VEVENT")
    return {"summary": str(event["summary"]), "description": str(event["description"])}


def test_a_spanish_request_reaches_an_english_colleague_in_english(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    lucia = _spanish(person, "Lucía Gómez")
    ben = teacher(person, "Ben Okafor", strengths="questioning", free="thu 10:00-11:30")

    draft = lucia.type('observe thu 10:15-11:00 focus: questioning "Álgebra, trabajo en grupo"')
    shown = " ".join(reply_text(draft).split())
    assert "Esto es lo que he entendido" in shown
    assert "jueves 26 de noviembre, 10:15–11:00" in shown
    assert "preguntas en el aula" in shown  # the focus area, in her words
    assert "fuerte en preguntas en el aula; tiene hora libre" in shown
    labels = [b.label for b in draft.replies[0].buttons()]
    assert labels == ["Pedírselo a Ben Okafor", "Cancelar"]

    sent = lucia.press_button(button(draft.replies[0], "Pedírselo a Ben Okafor"))
    assert "He pedido a Ben Okafor que observe tu clase del jueves 26 de noviembre" in reply_text(
        sent
    )

    ask = last_to(messenger, "Ben Okafor")
    assert ask.language == "en"
    text = _text(ask)
    assert "*Lucía Gómez* would like a colleague to observe a lesson" in text
    assert "about 45 minutes" in text
    assert "Thursday 26 November, 10:15–11:00" in text
    assert "Focus: questioning" in text
    assert [b.label for b in ask.buttons()] == ["Accept", "Decline"]

    accepted = ben.press_button(button(ask, "Accept"))
    assert "You're observing Lucía Gómez's lesson" in reply_text(accepted)
    assert _event(accepted.replies[0])["summary"] == (
        "Peer observation: Lucía Gómez's lesson (Álgebra, trabajo en grupo)"
    )
    confirmation = last_to(messenger, "Lucía Gómez")
    assert confirmation.language == "es"
    assert "Ben Okafor observará tu clase" in _text(confirmation)
    assert "Cancelar observación" in _text(confirmation)
    event = _event(confirmation)
    assert event["summary"] == (
        "Observación entre pares: clase de Lucía Gómez (Álgebra, trabajo en grupo)"
    )
    assert "Enfoque: preguntas en el aula" in event["description"]
    assert "nunca una evaluación" in event["description"]


def test_an_english_request_reaches_a_spanish_colleague_in_spanish_through_to_feedback(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana = teacher(person, "Ana Lopez")
    lucia = _spanish(person, "Lucía Gómez", free="tue 10:00-11:30")

    draft = ana.type("observe tue 1 dec 10:15-11:00 focus: questioning look for: wait time")
    assert "Tuesday 01 December, 10:15–11:00" in reply_text(draft)
    ana.press_button(button(draft.replies[0], "Ask Lucía Gómez"))

    ask = last_to(messenger, "Lucía Gómez")
    assert ask.language == "es"
    text = _text(ask)
    assert "A *Ana Lopez* le gustaría que un colega observara una de sus clases" in text
    assert "unos 45 minutos" in text
    assert "martes 1 de diciembre, 10:15–11:00" in text
    assert "Enfoque: preguntas en el aula" in text and "En qué fijarse: wait time" in text
    assert "Si no sé nada de ti en 24 horas" in text
    assert [b.label for b in ask.buttons()] == ["Aceptar", "Rechazar"]

    accepted = lucia.press_button(button(ask, "Aceptar"))
    assert "Vas a observar la clase de Ana Lopez" in reply_text(accepted)
    assert _event(accepted.replies[0])["summary"] == "Observación entre pares: clase de Ana Lopez"
    confirmation = last_to(messenger, "Ana Lopez")
    assert confirmation.language == "en"
    assert "Lucía Gómez will observe your lesson" in _text(confirmation)
    assert _event(confirmation)["summary"] == "Peer observation: Ana Lopez's lesson"

    # The brief a school day before: each in their own language.
    run_job(app, messenger, TUE_1015 - timedelta(hours=23))
    brief = last_to(messenger, "Lucía Gómez")
    assert brief.language == "es"
    assert (
        "📝 Resumen previo de tu observación: observas la clase de *Ana Lopez* del "
        "martes 1 de diciembre, 10:15–11:00."
    ) in _text(brief)
    assert "Your observation brief: *Lucía Gómez* observes your lesson" in _text(
        last_to(messenger, "Ana Lopez")
    )

    # The structured feedback prompt after the lesson, and its form, in Spanish.
    run_job(app, messenger, TUE_1015 + timedelta(minutes=50))
    prompt = last_to(messenger, "Lucía Gómez")
    assert prompt.language == "es"
    assert "¡Gracias por observar! ¿Qué tal fue la clase de *Ana Lopez*?" in unsaid(
        prompt.blocks[0].text  # type: ignore[union-attr]
    )
    assert "(*preguntas en el aula*)" in _text(prompt)
    assert "Solo lo verá Ana Lopez." in _text(prompt)
    debrief = last_to(messenger, "Ana Lopez")
    assert debrief.language == "en" and "has been observed" in _text(debrief)

    opened = lucia.press_button(button(prompt, "Dar comentarios"))
    form = opened.replies[0].form
    assert form is not None
    assert form.title == "Comentarios para Ana Lopez"
    assert form.inputs[0].label == "Fortalezas que viste (preguntas en el aula)"
    (seen,) = [i for i in form.inputs if i.name == "seen_0"]
    assert seen.label == "«wait time»: ¿con qué frecuencia lo viste?"
    assert [o.label for o in seen.options] == [
        "Visto a menudo",
        "Visto a veces",
        "Aún no visto",
        "No me fijé",
    ]
    refused = lucia.submit(form, {"strengths": "", "suggestion_1": "", "seen_0": "7"})
    assert refused.form_errors["strengths"] == "Indica al menos una fortaleza que hayas visto."
    sent = lucia.submit(
        form,
        {
            "strengths": "Muy buen tiempo de espera",
            "suggestion_1": "Prueba sin levantar la mano",
            "suggestion_2": "",
            "seen_0": "often",
        },
    )
    assert "¡Gracias, Lucía! Tus comentarios le han llegado solo a Ana." in reply_text(sent)

    feedback = last_to(messenger, "Ana Lopez")
    assert feedback.language == "en"
    text = _text(feedback)
    assert "*Lucía Gómez* observed your lesson on Tuesday 01 December" in text
    assert "Muy buen tiempo de espera" in text and "Seen often" in text
    assert "Focus: *questioning*" in text
    assert [b.label for b in feedback.buttons()] == ["Write a reflection", "Thank Lucía"]

    # Ana's thanks reaches Lucía in Spanish.
    thanks_form = ana.press_button(button(feedback, "Thank Lucía")).replies[0].form
    assert thanks_form is not None
    ana.submit(thanks_form, {"thanks": "Thank you, the wait-time notes helped"})
    thanked = last_to(messenger, "Lucía Gómez")
    assert thanked.language == "es"
    assert (
        "💐 *Ana Lopez* te da las gracias por observar su clase del martes 1 de diciembre"
    ) in _text(thanked)
    assert "the wait-time notes helped" in _text(thanked)


def test_free_periods_and_the_list_in_spanish_with_one_and_two(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    lucia = _spanish(person, "Lucía Gómez")
    assert "No has indicado ninguna hora libre" in reply_text(lucia.type("free"))

    one = lucia.type("free add mon 10:15-11:00")
    assert "He añadido 1 hora libre." in reply_text(one)
    two = lucia.type("free add tue 9:00-9:50, thu 13:00-14:00")
    shown = reply_text(two)
    assert "He añadido 2 horas libres." in shown
    assert "Tus horas libres semanales (Europe/London):" in shown
    assert "1. lun 10:15–11:00" in shown
    assert "He borrado 3 horas libres." in reply_text(lucia.type("free clear"))

    assert "Aún no tienes observaciones" in reply_text(lucia.type("observe list"))
    refused = lucia.type("observe sat 10:15-11:00 focus: questioning")
    assert "El sábado 28 de noviembre no es día lectivo aquí" in reply_text(refused)
    assert "El próximo día lectivo es el lunes 30 de noviembre" in reply_text(refused)
