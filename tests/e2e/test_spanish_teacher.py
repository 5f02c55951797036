"""A Spanish-speaking teacher's term, end to end at the console: she joins with a Spanish client, and
everything after is in Spanish (check-in, reflection, observation, pause), with Spanish dates and
plurals, while the English colleagues and coordinator of the same program read theirs in English."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession, console_user_id
from bot.digest.sending import send_digests
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Platform, Role
from bot.kernel.messages import Message, Section, unsaid
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.members import MemberRow
from tests.checkins.helpers import deliver, plan
from tests.conftest import Person, fetch_all, joined

CHECKIN_DUE = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)  # Tuesday 15:30 in Madrid
LONDON_DUE = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # and an hour later in London
DIGEST_DUE = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 08:00 in London

LUCIA = {
    "display_name": "Lucía Gómez",
    "subjects": "Maths",
    "grade_bands": ["9-10"],
    "years_experience": "1",
    "school": "IES Cervantes",
    "timezone": "Europe/Madrid",
    "goals": "Hacer más preguntas abiertas",
    "strengths": "",
}


def said(outcome_or_message: object) -> str:
    """Everything a person reads in a reply or a message: its text and its blocks' text."""
    messages = (
        [outcome_or_message]
        if isinstance(outcome_or_message, Message)
        else list(outcome_or_message.replies)  # type: ignore[attr-defined]
    )
    parts = []
    for message in messages:
        parts.append(unsaid(message.text))
        parts += [unsaid(b.text) for b in message.blocks if isinstance(b, Section)]
    return "\n".join(parts)


def inbox(messenger: ConsoleMessenger, name: str) -> list[Message]:
    return [d.message for d in messenger.delivered if d.recipient_user_id == console_user_id(name)]


def a_program(app: Staffroom, person: Person) -> tuple[ConsoleSession, ConsoleSession]:
    """Carmen (English) coordinates a peer program with Lucía (Spanish client) and Ben (English)."""
    carmen = joined(person("Carmen Ruiz"))
    grant_role(app, "console:local", "Carmen Ruiz", Role.COORDINATOR)
    assert carmen.type('program create "PLC" kind=peer day=tue time=15:30').ok
    lucia = person("Lucía Gómez", language="es-ES", timezone="Europe/Madrid")
    opened = lucia.type("join")
    assert "¡Te damos la bienvenida a Staffroom!" in said(opened)
    assert lucia.pending_form is not None and lucia.pending_form.title == "Unirme a Staffroom"
    welcome = lucia.submit(lucia.pending_form, LUCIA)
    assert welcome.ok and "¡Te damos la bienvenida, Lucía Gómez! Ya estás dentro." in said(welcome)
    ben = joined(person("Ben Okafor"), strengths="questioning")
    assert ben.type("free add tue 09:00-10:00").ok  # 10:00-11:00 in Madrid
    for name in ("Lucía Gómez", "Ben Okafor"):
        assert carmen.type(f'program add "PLC" "{name}" as peer').ok
    return carmen, lucia


def test_a_spanish_speaking_teacher_goes_through_her_week_in_spanish(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    carmen, lucia = a_program(app, person)
    (row,) = fetch_all(app, MemberRow, MemberRow.display_name == "Lucía Gómez")
    assert (row.platform_language, row.language) == ("es", None)  # her client's, not a choice

    # Everyday verbs have Spanish aliases; help lists them, in Spanish.
    listing = said(lucia.type("ayuda"))
    assert listing.startswith("Esto es lo que puedo hacer")
    assert "• `pause [until FECHA]` (`pausa`, `pausar`): Tómate un descanso" in listing

    # Her check-in comes from the real planner, written for her in Spanish.
    clock.set(CHECKIN_DUE)
    assert plan(app).sent == 1
    deliver(app, messenger)
    (checkin,) = inbox(messenger, "Lucía Gómez")
    assert checkin.language == "es"
    assert checkin.text.startswith("¡Hola, Lucía! Tu check-in semanal de PLC (menos de un minuto).")
    assert "«Hacer más preguntas abiertas»" in checkin.text  # her goal, in her own words
    labels = [b.label for b in checkin.buttons()]
    assert labels[:5] == ["1 · todavía no", "2", "3", "4", "5 · mucho"]
    assert "Posponer a mañana" in labels
    clock.set(LONDON_DUE)
    assert plan(app).sent == 1
    deliver(app, messenger)
    (english,) = inbox(messenger, "Ben Okafor")
    assert english.language == "en" and english.text.startswith("Hi Ben! Your weekly PLC check-in")

    four = next(b for b in checkin.buttons() if b.label == "4")
    rated = said(lucia.press_button(four))
    assert rated.startswith("Gracias: 4/5 en «Hacer más preguntas abiertas».")

    # Two reflections: kept, listed with Spanish dates, counted with the right plural.
    for went_well in ("El tiempo de espera", "Preguntas en parejas"):
        assert lucia.type("reflexión").ok and lucia.pending_form is not None
        saved = lucia.submit(
            lucia.pending_form,
            {"went_well": went_well, "try_next": "Más", "tag": "", "visibility": "private"},
        )
        assert "Guardada. Solo tú puedes verla." in said(saved)
    listed = said(lucia.type("reflections"))
    assert "1. 24 nov · solo yo: El tiempo de espera" in listed
    assert "2. 24 nov · solo yo: Preguntas en parejas" in listed
    assert "· 2 reflexiones ·" in said(lucia.type("inicio"))

    # An observation: her draft in Spanish with a Spanish date; Ben is asked in English.
    draft = lucia.type("observe tue 10:00-10:45 focus: questioning")
    assert "Esto es lo que he entendido." in said(draft)
    assert "*Ben Okafor*: da Maths; mismos cursos; fuerte en preguntas en el aula" in said(draft)
    ask = next(b for b in draft.replies[-1].buttons() if b.label == "Pedírselo a Ben Okafor")
    asked = said(lucia.press_button(ask))
    assert (
        "He pedido a Ben Okafor que observe tu clase del martes 1 de diciembre, 10:00–10:45."
        in (asked)
    )
    deliver(app, messenger)
    request = inbox(messenger, "Ben Okafor")[-1]
    assert request.language == "en"
    assert "could you observe their lesson on Tuesday 01 December, 09:00–09:45 your time" in (
        request.text
    )
    assert [b.label for b in request.buttons()][:2] == ["Accept", "Decline"]

    # A break, typed the Spanish way; the dates are hers.
    paused = said(lucia.type("pausa 2 semanas"))
    assert paused.startswith("En pausa hasta el martes 8 de diciembre.")
    assert said(lucia.type("pausa hasta el viernes")).startswith(
        "En pausa hasta el viernes 27 de noviembre."
    )
    assert said(lucia.type("reanudar")).startswith("¡Qué bien tenerte de vuelta!")

    # Carmen never chose a language and her client says none: hers stays English throughout.
    assert said(carmen.type("help")).startswith("Here is what I can do")


def test_a_teacher_who_chooses_english_reads_english_whatever_her_client_says(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    _carmen, lucia = a_program(app, person)
    chose = said(lucia.type("profile set language=en"))
    assert "Spanish" not in chose and "Idioma" not in chose
    (row,) = fetch_all(app, MemberRow, MemberRow.display_name == "Lucía Gómez")
    assert (row.language, row.platform_language) == ("en", "es")
    clock.set(CHECKIN_DUE)
    plan(app)
    deliver(app, messenger)
    (checkin,) = inbox(messenger, "Lucía Gómez")
    assert checkin.language == "en" and checkin.text.startswith("Hi Lucía!")


def test_in_a_mixed_program_the_coordinators_digest_and_the_teachers_check_in_each_keep_their_language(
    app: Staffroom, person: Person, clock: ManualClock, messenger: ConsoleMessenger
) -> None:
    a_program(app, person)
    clock.set(CHECKIN_DUE)
    plan(app)
    clock.set(DIGEST_DUE)
    assert send_digests(app.uow_factory, clock.now()).queued == 1
    app.worker({Platform.CONSOLE: messenger}, worker_id="test").drain()
    (digest,) = inbox(messenger, "Carmen Ruiz")
    assert digest.language == "en"
    assert "PLC" in digest.text and "week of" in said(digest)
    assert "semana" not in said(digest)
    (checkin,) = inbox(messenger, "Lucía Gómez")
    assert checkin.language == "es" and "Tu check-in semanal de PLC" in checkin.text


def test_a_workspace_whose_default_is_spanish_writes_spanish_to_whoever_has_not_said(
    database_url: str, clock: ManualClock, engines: dict[str, object]
) -> None:
    from adapters.console.session import ConsoleSession
    from bot.kernel.i18n import SOURCE_LANGUAGE, use_default_language
    from bot.kernel.settings import Settings
    from staffroom.bootstrap import build
    from tests.conftest import shared_engine

    settings = Settings(database_url=database_url, default_language="es")
    try:
        app = build(settings, clock=clock, engine=shared_engine(engines, database_url))  # type: ignore[arg-type]
        nobody_said = ConsoleSession(app.bot, "Pat Doe", write=lambda _line: None)
        assert said(nobody_said.type("help")).startswith("Esto es lo que puedo hacer")
        english_client = ConsoleSession(app.bot, "Sam Lee", language="en-GB", write=lambda _l: None)
        assert said(english_client.type("help")).startswith("Here is what I can do")
    finally:
        use_default_language(SOURCE_LANGUAGE)
