"""Lesson study in Spanish at the console, through the real core: a teacher whose client speaks Spanish
reads every reply in Spanish, with Spanish dates and plurals, and what one colleague's action sends the
others (the invitation, the plan, the booking, the nudges, the debrief, the group's button) reaches
each of them in their own language, whoever caused it.

Needs the folded catalog (``python /work/i18n/fold.py``)."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.console.messenger import ConsoleMessenger
from adapters.console.session import ConsoleSession
from bot.kernel.domain import Role
from bot.kernel.messages import Button, Message
from bot.study.from_group import FROM_GROUP
from staffroom.bootstrap import Staffroom, grant_role
from tests.conftest import Person, joined
from tests.e2e.test_pairing_flows import TEACHERS
from tests.observations.helpers import teacher
from tests.study.helpers import PLAN, replies, run_job, sent, share_plan, words


def spanish(person: Person, name: str = "Lucía Gómez") -> ConsoleSession:
    """A teacher whose console speaks Spanish; joining records it, so her first reply is Spanish."""
    session = joined(person(name, language="es"), subjects="Matemáticas", grade_bands=["9-10"])
    assert "Aún no estás en ningún estudio de clase" in replies(session.type("study list"))
    return session


def booked(session: ConsoleSession, day: str, ref: str = "#1") -> str:
    """``book`` from the helpers, returning what the booker is told."""
    session.type(f"study book {ref}")
    form = session.pending_form
    assert form is not None and form.form_id == "study.book"
    values = {"date": day, "period": "P3", "class_name": "7B"}
    values.update({i.name: f"table {n}" for n, i in enumerate(form.inputs[3:], 1)})
    outcome = session.submit(form, values)
    assert outcome.ok, replies(outcome)
    return replies(outcome)


def only(messages: list[Message]) -> Message:
    assert len(messages) == 1, [words(m) for m in messages]
    return messages[0]


def test_a_spanish_teacher_starts_a_cycle_and_each_colleague_is_invited_in_their_own_language(
    person: Person, messenger: ConsoleMessenger
) -> None:
    lucia = spanish(person)
    teacher(person, "Ben Okafor")
    spanish(person, "Cora Diaz")

    started = lucia.type("study start Fracciones with Ben Okafor, Cora Diaz")
    assert started.ok, replies(started)
    said = replies(started)
    assert "El estudio de clase #1 Fracciones ha empezado con Ben Okafor, Cora Diaz." in said
    assert "Cuándo vence cada parte (solo días lectivos):" in said
    assert "planificación: antes del lun 30 nov" in said
    assert "clase y observación: antes del lun 7 dic" in said

    # Ben reads English, Cora Spanish: the same invitation, built for each.
    to_ben = only(sent(messenger, "Ben Okafor", "started a lesson study with you"))
    assert to_ben.language == "en"
    assert "Lucía Gómez started a lesson study with you: Fracciones (#1)" in words(to_ben)
    assert "plan: by Mon 30 Nov" in words(to_ben)
    assert [b.label for b in to_ben.buttons()] == ["See the plan"]
    to_cora = only(sent(messenger, "Cora Diaz", "ha empezado un estudio de clase contigo"))
    assert to_cora.language == "es"
    assert "planificación: antes del lun 30 nov" in words(to_cora)
    assert [b.label for b in to_cora.buttons()] == ["Ver el plan"]


def test_the_same_nudge_reaches_a_spanish_and_an_english_teacher_each_in_their_own_words(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    lucia = spanish(person)
    teacher(person, "Ben Okafor")
    assert lucia.type("study start Fracciones with Ben Okafor").ok

    # The plan is due Monday 30 November; neither has shared it.
    assert run_job(app, messenger, datetime(2026, 11, 30, 9, tzinfo=UTC))["nudges"] == 2
    to_lucia = only(sent(messenger, "Lucía Gómez", "Hoy vence el plan"))
    assert to_lucia.language == "es"
    assert to_lucia.text == "Un recordatorio sobre Fracciones"
    assert (
        "Fracciones (planificación, vence el lun 30 nov): Hoy vence el plan y todavía no está compartido: `study plan #1`"
        in words(to_lucia)
    )
    to_ben = only(sent(messenger, "Ben Okafor", "The plan is due today"))
    assert to_ben.language == "en"
    assert (
        "Fracciones (plan, due Mon 30 Nov): The plan is due today, and the plan isn't shared yet"
        in words(to_ben)
    )


def test_an_english_booking_invites_a_spanish_observer_in_spanish_with_a_spanish_date(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    lucia = spanish(person)
    ben = teacher(person, "Ben Okafor")
    assert lucia.type("study start Fracciones with Ben Okafor").ok
    share_plan(lucia)
    told = only(sent(messenger, "Ben Okafor", "shared the plan"))
    assert "Lucía Gómez shared the plan for Fracciones (#1)." in words(told)
    assert "Research question: " + PLAN["question"] in words(told)

    ben.type("study book #1")
    form = ben.pending_form
    assert form is not None and [i.label for i in form.inputs][3:] == ["What Lucía Gómez watches"]
    assert "Thursday 26 November, P3, class 7B. 1 observer is invited." in booked(ben, "2026-11-26")

    invite = only(sent(messenger, "Lucía Gómez", "Tú observas"))
    assert invite.language == "es"
    assert (
        "Ben Okafor imparte la clase de investigación de Fracciones el jueves 26 de noviembre, P3, "
        "grupo 7B. Tú observas: table 1." in words(invite)
    )
    assert "Pregunta de investigación: " + PLAN["question"] in words(invite)
    assert "`study note #1 lo que viste`" in words(invite)


def test_spanish_plurals_dates_and_the_debrief_each_member_reads_in_their_language(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    ana, lucia = spanish(person, "Ana Lopez"), spanish(person)
    ben, cora = teacher(person, "Ben Okafor"), teacher(person, "Cora Diaz")
    assert ana.type("study start Decimales with Lucía Gómez, Ben Okafor, Cora Diaz").ok
    share_plan(ana)

    # Lucía books the lesson she teaches: three observers, told in Spanish; Ben invited in English.
    said = booked(lucia, "2026-11-26")
    assert (
        "Clase de investigación de Decimales reservada: jueves 26 de noviembre, P3, grupo 7B. "
        "3 observadores invitados." in said
    )
    assert "puesta en común: antes del lun 30 nov" in said
    to_ben = only(sent(messenger, "Ben Okafor", "You observe, watching"))
    assert "Lucía Gómez teaches the research lesson for Decimales on Thursday 26 November" in words(
        to_ben
    )

    # A note before the lesson is refused with the day in Spanish.
    early = ana.type("study note Nada todavía")
    assert "La clase es el jueves 26 de noviembre: las notas recogen" in replies(early)

    # On the day: one note, then two, each counted in Spanish.
    app.clock.set(datetime(2026, 11, 26, 12, tzinfo=UTC))  # type: ignore[attr-defined]
    one = replies(ana.type("study note La mesa 1 dobló primero"))
    assert (
        "Anotado (1 nota tuya). Solo el grupo las verá, en la puesta en común del lun 30 nov "
        "como muy tarde." in one
    )
    assert "Anotado (2 notas tuyas)." in replies(ana.type("study note Nadie dijo «mitad»"))
    assert ben.type("study note Table 2 compared strips").ok

    # Cora's note is the last: the debrief goes to each member in their own language.
    assert cora.type("study note Table 3 argued first").ok
    for name in ("Ana Lopez", "Lucía Gómez"):
        debrief = only(sent(messenger, name, "Ya están las notas de la clase de investigación"))
        assert debrief.language == "es"
        assert "Ana Lopez observó table 1:\n• La mesa 1 dobló primero" in words(debrief)
        assert "Puesta en común antes del lun 30 nov; revisiones antes del jue 3 dic." in words(
            debrief
        )
        assert [b.label for b in debrief.buttons()] == ["Proponer una revisión"]
    for_ben = only(sent(messenger, "Ben Okafor", "The notes from the research lesson of Decimales"))
    assert for_ben.language == "en"
    assert "Ana Lopez watched table 1:\n• La mesa 1 dobló primero" in words(for_ben)
    assert [b.label for b in for_ben.buttons()] == ["Propose a revision"]

    # Revisions: "faltan 3", then "falta 1", and the revised lesson reaches each in their words.
    saved = replies(ana.type("study revise Dar un minuto para hablar"))
    assert "Gracias: tu revisión está guardada (faltan 3)." in saved
    assert ben.type("study revise Fewer strips per pair").ok
    assert cora.type("study revise Ask who agrees").ok
    assert "(falta 1)" in replies(ana.type("study revise Dar dos minutos para hablar"))
    assert lucia.type("study revise Empezar con una pregunta").ok
    revised = only(sent(messenger, "Lucía Gómez", "La clase revisada de Decimales"))
    assert "Volver a impartirla es opcional" in words(revised)
    assert "`study book #1` antes del jue 17 dic" in words(revised)
    assert "Ben Okafor: Fewer strips per pair" in words(revised)
    assert only(sent(messenger, "Ben Okafor", "The revised lesson for Decimales")).language == "en"


def test_a_peer_groups_button_is_offered_to_each_member_in_their_own_language(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    maya = joined(person("Maya Patel"))
    grant_role(app, "console:local", "Maya Patel", Role.COORDINATOR)
    assert maya.type('program create "Year 8 Circle" kind=peer group_size=3').ok
    people = {}
    for name, language in (("Ana Lopez", "es"), ("Ben Okafor", None), ("Cara Kim", None)):
        people[name] = joined(person(name, language=language), **TEACHERS[name])
        assert people[name].type("join Year 8 Circle").ok
    assert maya.type("pair publish Year 8 Circle").ok

    def offered(name: str) -> Button:
        (found,) = [
            b for d in sent(messenger, name) for b in d.buttons() if b.action_id == FROM_GROUP
        ]
        return found

    assert offered("Ana Lopez").label == "Empezar un estudio de clase juntos"
    assert offered("Ben Okafor").label == "Start a lesson study together"
    assert offered("Cara Kim").label == "Start a lesson study together"

    # Ana, in Spanish, starts it; the form and her reply are Spanish, the group's invitations English.
    opened = people["Ana Lopez"].press_button(offered("Ana Lopez"))
    form = people["Ana Lopez"].pending_form
    assert opened.ok and form is not None and form.title == "Empezar un estudio de clase"
    assert [i.label for i in form.inputs] == ["¿Qué va a estudiar el grupo?"]
    empty = people["Ana Lopez"].submit(form, {"name": " "})
    assert empty.form_errors["name"] == "Ponle un nombre corto, como el tema de la clase."
    started = people["Ana Lopez"].submit(form, {"name": "Fracciones"})
    assert "El estudio de clase #1 Fracciones ha empezado con" in replies(started)
    for name in ("Ben Okafor", "Cara Kim"):
        invite = only(
            sent(messenger, name, "Ana Lopez started a lesson study with you: Fracciones")
        )
        assert invite.language == "en"
