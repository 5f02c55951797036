"""The digest, the school calendar, privacy and home in Spanish, through the console as a teacher
would use them: each coordinator reads the weekly digest in their own language (chat, web page,
CSV headers), whoever else coordinates the same program."""

from __future__ import annotations

import pytest

from adapters.console.messenger import ConsoleMessenger
from bot.digest.sending import send_digests
from bot.kernel.domain import Platform, Role
from bot.kernel.messages import Image, Link, Section, unsaid
from bot.kernel.settings import Settings
from staffroom.bootstrap import Staffroom, build, digest_web, grant_role
from tests.conftest import Person, joined, shared_engine
from tests.digest.history import PROGRAM, build_history, nz

PUBLIC = "https://staffroom.example"


@pytest.fixture
def app(database_url: str, clock: object, engines: dict[str, object]) -> Staffroom:
    """The suite's app with the web digest set up, so each coordinator's digest carries a link."""
    settings = Settings(
        database_url=database_url,
        web_secret="test-web-secret-0123456789-abcdefghijklmnop",
        public_url=PUBLIC,
    )
    return build(settings, clock=clock, engine=shared_engine(engines, database_url))  # type: ignore[arg-type]


def spanish_coordinator(app: Staffroom, person: Person) -> None:
    """Lucía, whose client speaks Spanish, coordinates the program alongside Maya (English)."""
    joined(person("Lucía Gómez", language="es"))
    grant_role(app, "console:local", "Lucía Gómez", Role.COORDINATOR)
    added = person("Maya Patel").type(f"program add {PROGRAM} Lucía Gómez as coordinator")
    assert added.ok, added.replies


def test_each_coordinator_of_a_program_gets_the_weekly_digest_in_their_language(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    build_history(app, person)
    spanish_coordinator(app, person)
    assert send_digests(app.uow_factory, nz(23, 8, 0)).queued == 2
    app.clock.set(nz(23, 8, 1))  # type: ignore[attr-defined]
    app.worker({Platform.CONSOLE: messenger}, worker_id="test").drain()
    got = {
        d.recipient_user_id: d.message
        for d in messenger.delivered
        if any(isinstance(b, Image) for b in d.message.blocks)  # the digests, with their chart
    }
    lucia, maya = got["luc-a-g-mez"], got["maya-patel"]

    assert lucia.language == "es"
    head = lucia.blocks[0]
    assert isinstance(head, Section)
    assert (
        head.text
        == "*Resumen semanal: Maths Mentoring*\nSemana 47 (del lun 16 nov al dom 22 nov 2026), 11 docentes"
    )
    assert (
        "Respuesta al check-in",
        "73\u00a0% (8 de 11) ▲ 27 pts respecto a la semana pasada",
    ) in head.fields
    assert ("Confianza media", "3,6 ▲ 0,6 respecto a la semana pasada") in head.fields
    assert [b.label for b in lucia.buttons()] == [
        "Las 8 personas que necesitan una mano",
        "Las 5 personas a quienes dar las gracias",
    ]

    # Maya coordinates the same program and reads it in English, as before.
    assert maya.language == "en"
    assert "Weekly digest: Maths Mentoring" in maya.text
    assert "Week 47 (Mon 16 Nov to Sun 22 Nov 2026) (Pacific/Auckland), 11 teachers" in maya.text
    assert "Resumen" not in maya.text and "All 8 who need a hand" in str(maya.buttons())


def test_a_spanish_coordinator_asks_for_the_digest_and_opens_a_list(
    app: Staffroom, person: Person
) -> None:
    build_history(app, person)
    spanish_coordinator(app, person)
    lucia = person("Lucía Gómez", language="es")
    reply = lucia.type("digest week=2026-W47").replies[0]
    text = unsaid(reply.text)
    (link,) = [b for b in reply.blocks if isinstance(b, Link)]
    assert link.label == "Abrir el resumen completo"
    assert "Reflexiones escritas   10, escritas por 6 personas" in text
    # A plural that follows its number: one lesson, two resources.
    assert "Ivy: observó 1 clase, compartió 2 recursos, se reunió con 1 mentorizado/a" in text
    assert "Kim: observó 1 clase" in text
    # The trend names each week by its Monday, not 2026-W47.
    assert "  16 nov       73\u00a0%    3,6" in text
    assert "2026-W" not in text
    full = lucia.press_button(reply.buttons()[0]).replies[0].text
    assert full.startswith("Maths Mentoring, semana del 16 nov: quién necesita una mano (8)")
    assert "Gus: Pidió una observación de clase; nadie pudo observar." in full
    # A week that isn't one is refused in Spanish too.
    assert "no tiene semana 99" in lucia.type(f"digest {PROGRAM} week=2026-W99").replies[0].text


def test_the_web_digest_and_its_csv_speak_the_language_of_the_coordinator_the_link_names(
    app: Staffroom, person: Person
) -> None:
    build_history(app, person)
    spanish_coordinator(app, person)
    web = digest_web(app)

    def opened(name: str, language: str | None, csv: bool = False) -> str:
        (reply,) = person(name, language=language).type("digest").replies
        (link,) = [b for b in reply.blocks if isinstance(b, Link)]
        path, _sep, query = link.url.removeprefix(PUBLIC).partition("?")
        answer = web.respond("GET", path + ("/csv" if csv else ""), query)
        assert answer.status == 200, answer.body
        return answer.body.decode()

    page = opened("Lucía Gómez", "es")
    assert '<html lang="es">' in page
    assert "<h1>Resumen semanal: Maths Mentoring</h1>" in page
    assert "Semana 47 (del lun 16 nov al dom 22 nov 2026) (Pacific/Auckland), 11 docentes" in page
    assert "Quién necesita una mano (8)" in page and "Esta semana" in page
    assert '<option value="2026-W46">semana del 9 nov</option>' in page
    assert "Descargar CSV</a>" in page and "Download CSV" not in page
    assert "Tasa de respuesta al check-in (%)" in page  # the chart's title
    csv = opened("Lucía Gómez", "es", csv=True)
    assert csv.startswith("programa,semana,sección,elemento,valor\n")
    assert "Maths Mentoring,2026-W47,checkins,answered,8" in csv  # the cells stay data

    english = opened("Maya Patel", None)
    assert '<html lang="en">' in english and "<h1>Weekly digest: Maths Mentoring</h1>" in english
    assert opened("Maya Patel", None, csv=True).startswith("program,week,section,item,value\n")


def test_calendar_privacy_and_home_in_spanish(app: Staffroom, person: Person) -> None:
    build_history(app, person)
    spanish_coordinator(app, person)
    lucia = person("Lucía Gómez", language="es")

    added = lucia.type('calendar holiday 2026-12-21 2027-01-01 name="Invierno"').replies[0].text
    assert added.startswith(
        "Añadidas las vacaciones 1: del lun 21 dic 2026 al vie 1 ene 2027 (Invierno) para todos "
        "los programas."
    )
    shown = lucia.type(f'calendar set program="{PROGRAM}" school_days=wed,thu grace_hours=1')
    assert "días lectivos mié, jue" in shown.replies[0].text
    assert "con hasta 1 hora de retraso" in shown.replies[0].text

    home = lucia.type("home").replies[0]
    assert home.text == "Staffroom: la página de Lucía Gómez"
    sections = [b.text for b in home.blocks if isinstance(b, Section)]
    assert "*Tus programas*\n• Maths Mentoring (coordinador/a)" in sections
    assert "Editar perfil" in [b.label for b in home.buttons()]

    asked = lucia.type("export-my-data").replies[0]
    assert asked.text.startswith("Pondré todo lo que Staffroom guarda sobre ti")
    exported = lucia.press_button(asked.buttons()[0]).replies[0].text
    assert (
        exported
        == "Aquí tienes todo lo que Staffroom guarda sobre ti (0 reflexiones, 0 check-ins)."
    )
    asked = lucia.type("forget-me").replies[0]
    assert [b.label for b in asked.buttons()] == ["Sí, borrar mis datos"]
    done = lucia.press_button(asked.buttons()[0]).replies[0].text
    assert done.startswith("Hecho: tu perfil y 0 reflexiones están borrados")
