"""Reflections and the growth record for a teacher whose client speaks Spanish, through the console:
the words she reads, her dates and plurals, the files she hands in, and a reflection shared across
languages reaching each reader in their own (the reflection's words stay as their author wrote them).

Needs the folded catalog (``python /work/i18n/fold.py``), as every Spanish test does."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from adapters.console.messenger import ConsoleMessenger
from adapters.console.render import render
from adapters.console.session import ConsoleSession
from bot.kernel.domain import Role
from bot.kernel.messages import Message, unsaid
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.reflections import ReflectionRow
from tests.checkins.test_reflections import member_id, pair
from tests.conftest import Person, fetch_all, joined
from tests.observations.helpers import button, inbox

DAY = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
LUCIA, BEN = "Lucía Gómez", "Ben Okafor"


def shown(message: Message) -> str:
    return " ".join(unsaid(render(message)[0]).split())


def school(app: Staffroom, person: Person) -> tuple[ConsoleSession, ConsoleSession]:
    """Lucía (Spanish) and Ben (English), peers in one program and paired, on 1 December 2026."""
    app.clock.set(DAY)  # type: ignore[attr-defined]
    cora = joined(person("Cora Coordinator"))
    grant_role(app, "console:local", "Cora Coordinator", Role.COORDINATOR)
    assert cora.type('program create "PLC" kind=peer day=tue time=15:30').ok
    lucia = joined(person(LUCIA, language="es"))
    ben = joined(person(BEN))
    for name in (LUCIA, BEN):
        assert cora.type(f'program add "PLC" "{name}" as peer').ok
    pair(app, 1, member_id(app, LUCIA), member_id(app, BEN))
    return lucia, ben


def reflect(session: ConsoleSession, **values: str) -> Message:
    session.type("reflect")
    form = session.pending_form
    assert form is not None and form.form_id == "reflection.form"
    outcome = session.submit(
        form, {"went_well": "", "try_next": "", "visibility": "private", **values}
    )
    assert outcome.replies, outcome
    return outcome.replies[0]


def test_a_spanish_teacher_writes_and_lists_her_reflections_in_spanish(
    app: Staffroom, person: Person
) -> None:
    lucia, _ben = school(app, person)
    lucia.type("reflect")
    form = lucia.pending_form
    assert form is not None and form.title == "Una reflexión rápida"
    assert [i.label for i in form.inputs][:2] == [
        "¿Qué salió bien?",
        "¿Qué probarás la próxima vez?",
    ]
    assert form.inputs[0].hint == (
        "Hasta 3.000 caracteres; si es más larga, se guarda como borrador para que la acortes."
    )

    saved = reflect(lucia, went_well="La pregunta bisagra funcionó")
    assert saved.text == "Guardada. Solo tú puedes verla."
    listing = lucia.type("reflections").replies[0].text
    assert listing.splitlines() == [
        "Tus reflexiones:",
        "1. 1 dic · solo yo: La pregunta bisagra funcionó",
    ]

    # Too long: kept in full as a draft, and she is told so in Spanish.
    too_long = reflect(lucia, went_well="x" * 3001)
    assert too_long.text.startswith(
        "Tu reflexión tiene 3.001 caracteres y el límite es 3.000. He guardado cada palabra"
    )
    assert [b.label for b in too_long.buttons()] == ["Acortarla"]
    drafts = [r for r in fetch_all(app, ReflectionRow) if r.is_draft]
    assert len(drafts) == 1 and drafts[0].went_well == "x" * 3001
    listing = lucia.type("reflections").replies[0].text
    assert "· solo yo · BORRADOR (demasiado larga): " in listing


def test_a_reflection_shared_across_languages_reaches_each_reader_in_their_own(
    app: Staffroom, person: Person, messenger: ConsoleMessenger
) -> None:
    lucia, ben = school(app, person)

    saved = reflect(lucia, went_well="Las miniPizarras, por fin", visibility="mentor")
    assert (
        saved.text
        == "Guardada y compartida con 1 persona con la que estás emparejado/a o en grupo."
    )
    (notice,) = [d.message for d in inbox(messenger, BEN)]
    assert notice.language == "en"
    assert unsaid(notice.text) == f"{LUCIA} shared a reflection with you."
    text = shown(notice)
    assert "Went well: Las miniPizarras, por fin" in text  # her words, untranslated
    assert "Shared only with the people they're paired or grouped with." in text

    reflect(ben, went_well="Cold calling with wait time", visibility="mentor")
    (back,) = [d.message for d in inbox(messenger, LUCIA)]
    assert back.language == "es"
    assert unsaid(back.text) == f"{BEN} compartió una reflexión contigo."
    assert "Salió bien: Cold calling with wait time" in shown(back)

    # What was shared with her, counted in Spanish: one, then two.
    one = lucia.type("reflections shared").replies[0]
    assert one.text == "1 reflexión compartida contigo."
    assert f"{BEN}*, 1 dic" in shown(one)
    reflect(ben, went_well="Exit tickets on sticky notes", visibility="mentor")
    assert lucia.type("reflections shared").replies[0].text == "2 reflexiones compartidas contigo."


def test_her_growth_record_and_its_files_are_in_spanish(app: Staffroom, person: Person) -> None:
    lucia, _ben = school(app, person)
    reflect(lucia, went_well="La pregunta bisagra funcionó")

    record = lucia.type("growth").replies[0]
    text = shown(record)
    assert record.text == "Tu registro de crecimiento: los últimos 12 meses"
    assert "Reflexiones: 1 (0 tras un check-in)" in text
    assert "Reuniones: 0 emparejamientos con reunión" in text
    assert "Horas estimadas: 0,2 h" in text  # one reflection: 10 minutes, a Spanish decimal comma
    assert "cada reflexión ≈ 10 min" in text

    reflect(lucia, went_well="Tiempo de espera tras cada pregunta")
    home = shown(lucia.type("home").replies[0])
    assert "*Tu crecimiento (los últimos 12 meses)*" in home
    assert "0 observaciones de tus clases, 0 de colegas · 2 reflexiones · " in home

    files = lucia.press_button(button(lucia.type("growth").replies[0], "Descargar (HTML + CSV)"))
    reply = files.replies[0]
    assert reply.text.startswith("Aquí tienes tu registro de crecimiento (los últimos 12 meses)")
    page, table = reply.attachments
    html = page.content
    assert '<html lang="es">' in html
    assert f"<title>Registro de crecimiento: {LUCIA}, los últimos 12 meses</title>" in html
    assert "Los últimos 12 meses: del 2 de diciembre de 2025 al 1 de diciembre de 2026" in html
    assert "Elaborado por Staffroom el mar 1 dic 2026" in html
    assert '<td>Reflexiones escritas</td><td class="n">2</td><td class="n">0,3</td>' in html
    assert "<h2>Metas y confianza</h2>" in html and "<h2>Cómo se estiman las horas</h2>" in html

    rows = list(csv.reader(io.StringIO(table.content)))
    assert rows[0] == ["sección", "fecha", "elemento", "detalle", "cantidad", "horas"]
    assert ["registro", "", "docente", LUCIA, "", ""] in rows
    assert [
        "reflexiones",
        "",
        "reflexiones escritas",
        "0 tras un check-in, 0 compartidas",
        "2",
        "0.33",
    ] in rows
    assert rows[-1] == ["total", "", "horas estimadas", "", "", "0.33"]
