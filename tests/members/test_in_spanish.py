"""Joining, the profile, pauses, programs and invitations in Spanish: each person reads Staffroom in
the language they chose, or else their client's, and a message for someone else in theirs.

Needs the folded catalog (``python /work/i18n/fold.py``, or ``make catalogs``)."""

from __future__ import annotations

from typing import Any

from bot.features import REGISTRY
from bot.kernel.domain import Role
from bot.kernel.messages import unsaid
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.kernel import OutboxRow
from storage.models.members import MemberRow
from tests.conftest import Person, fetch_all, joined

PROGRAM = "Mentoría"
HEADER = "name,email,subjects,grades,years,timezone,role,platform_user_id,language"


def member_row(app: Staffroom, name: str) -> MemberRow:
    (row,) = fetch_all(app, MemberRow, MemberRow.display_name == name)
    return row


def outbox(app: Staffroom, key: str) -> dict[str, dict[str, Any]]:
    """What was queued under keys starting with ``key``, by recipient: each message as stored."""
    rows = fetch_all(app, OutboxRow, OutboxRow.idempotency_key.startswith(key))
    return {row.recipient_user_id: row.payload for row in rows}


def coordinator(app: Staffroom, person: Person, name: str = "Maya Patel", **kw: Any) -> Any:
    maya = joined(person(name, **kw))
    grant_role(app, "console:local", name, Role.COORDINATOR)
    assert maya.type(f'program create "{PROGRAM}" kind=peer day=tue time=15:30').ok
    return maya


def import_roster(maya: Any, *rows: str) -> Any:
    maya.type(f"roster import {PROGRAM}")
    form = maya.pending_form
    csv = "\n".join((HEADER, *rows))
    return maya.submit(form, {"program": form.inputs[0].initial, "csv": csv, "skip_bad": "no"})


def test_joining_from_a_spanish_client_answers_in_spanish_and_keeps_its_language(
    app: Staffroom, person: Person
) -> None:
    lucia = person("Lucía Gómez", language="es")
    opened = lucia.type("join")
    assert opened.replies[0].text == (
        "¡Te damos la bienvenida a Staffroom! Cuéntanos un poco sobre tu docencia."
    )
    form = lucia.pending_form
    assert form.title == "Unirme a Staffroom"
    labels = {i.name: i.label for i in form.inputs}
    assert labels["display_name"] == "Tu nombre" and labels["language"] == "Idioma"
    (language,) = [i for i in form.inputs if i.name == "language"]
    assert [o.label for o in language.options] == [
        "Como tenga configurado Slack/Teams",
        "English",
        "Español",
    ]
    joined(lucia)
    welcome = lucia.shown[-1]
    assert "¡Te damos la bienvenida, *Lucía Gómez*! Ya estás dentro." in welcome
    assert "Español (según tu Slack/Teams)" in welcome
    assert "3 años" in welcome
    row = member_row(app, "Lucía Gómez")
    assert (row.platform_language, row.language) == ("es", None)


def test_profile_set_language_switches_an_english_client_to_spanish_and_back(
    app: Staffroom, person: Person
) -> None:
    ana = joined(person("Ana Lopez"))
    assert member_row(app, "Ana Lopez").platform_language is None
    switched = ana.type("profile set language=español")
    assert switched.replies[0].text == "Actualizado: language."  # in the language just chosen
    assert switched.replies[0].language == "es"
    assert member_row(app, "Ana Lopez").language == "es"
    assert ana.type("goals").replies[0].text.startswith("Tus metas:")
    refused = ana.type("profile set language=klingon")
    assert not refused.ok
    assert "Todavía no hablo «klingon». Puedo escribirte en: English (en), Español (es)" in (
        refused.replies[0].text
    )
    back = ana.type("profile set language=inglés")
    assert back.replies[0].text == "Updated language."
    assert member_row(app, "Ana Lopez").language == "en"


def test_the_profile_form_sets_the_language_and_answers_in_it(
    app: Staffroom, person: Person
) -> None:
    ana = joined(person("Ana Lopez"))
    ana.type("profile edit")
    form = ana.pending_form
    (language,) = [i for i in form.inputs if i.name == "language"]
    assert language.initial is None  # following the platform
    values = {i.name: i.initial for i in form.inputs}
    saved = ana.submit(form, {**values, "language": "es"})
    assert saved.replies[0].text == "Guardado. Aquí tienes tu perfil."
    assert member_row(app, "Ana Lopez").language == "es"


def test_pause_answers_in_spanish_with_a_spanish_date(app: Staffroom, person: Person) -> None:
    lucia = joined(person("Lucía Gómez", language="es"))
    paused = lucia.type("pause 2 weeks")  # 23 Nov 2026 + 2 weeks
    assert paused.replies[0].text == (
        "En pausa hasta el lunes 7 de diciembre. Mientras tanto, ni check-ins ni parejas."
    )
    status = dict(lucia.type("profile").replies[0].blocks[0].fields)["Estado"]
    assert status == "en pausa hasta el lun 7 dic 2026"


def test_goal_counts_take_the_right_form_in_spanish_and_english(
    app: Staffroom, person: Person
) -> None:
    lucia = joined(person("Lucía Gómez", language="es"))
    assert lucia.type("goals remove 4").replies[0].text == (
        "Tienes 1 meta; no hay ninguna con el número 4."
    )
    lucia.type("goals add Dar mejor retroalimentación")
    assert lucia.type("goals remove 4").replies[0].text == (
        "Tienes 2 metas; no hay ninguna con el número 4."
    )
    ana = joined(person("Ana Lopez"))
    assert ana.type("goals remove 4").replies[0].text == "You have 1 goal; there is no number 4."


def test_a_roster_language_column_invites_each_teacher_in_their_language(
    app: Staffroom, person: Person
) -> None:
    maya = coordinator(app, person)  # writes in English
    report = import_roster(
        maya,
        "Diego Ruiz,diego@escuela.example,Historia,9-10,6,Europe/Madrid,peer,diego-ruiz,es",
        "Ben Okafor,ben@school.example,English,6-8,14,Europe/London,peer,ben-okafor,",
    )
    assert report.ok, report.replies
    assert report.replies[0].text.startswith(
        f"Imported into {PROGRAM}: 2 new, 0 updated. Invited 2 who haven't joined yet."
    )
    assert member_row(app, "Diego Ruiz").language == "es"
    assert member_row(app, "Ben Okafor").language is None
    invitations = outbox(app, "invite:")
    diego, ben = invitations["diego-ruiz"], invitations["ben-okafor"]
    assert diego["language"] == "es" and ben["language"] == "en"
    assert unsaid(diego["text"]).startswith(
        f"¡Hola, Diego! Maya Patel te ha añadido a *{PROGRAM}* en Staffroom."
    )
    assert unsaid(ben["text"]).startswith(f"Hi Ben! Maya Patel added you to *{PROGRAM}*")

    # The one reminder, written by a job, is in each one's language too.
    app.clock.set(app.clock.now().replace(day=27, hour=15, minute=30))  # Friday, school hours
    REGISTRY.job("invitations.remind").run(app.uow_factory, app.clock.now())
    reminders = outbox(app, "invite-reminder:")
    assert unsaid(reminders["diego-ruiz"]["text"]).startswith(
        f"Hola, Diego, un recordatorio amable: tu plaza en *{PROGRAM}* sigue esperándote"
    )
    assert unsaid(reminders["ben-okafor"]["text"]).startswith("Hi Ben, a gentle reminder")


def test_a_spanish_coordinator_reads_the_import_in_spanish_and_an_english_teacher_is_invited_in_english(
    app: Staffroom, person: Person
) -> None:
    lucia = coordinator(app, person, "Lucía Gómez", language="es")
    report = import_roster(
        lucia, "Ben Okafor,ben@school.example,English,6-8,14,Europe/London,peer,ben-okafor,en"
    )
    assert report.replies[0].text == (
        f"Importado en {PROGRAM}: 1 nuevo, 0 actualizados. "
        "He invitado a 1 persona que aún no se había unido."
    )
    ben = outbox(app, "invite:")["ben-okafor"]
    assert ben["language"] == "en"
    assert unsaid(ben["text"]).startswith(f"Hi Ben! Lucía Gómez added you to *{PROGRAM}*")


def test_a_bad_language_in_a_roster_is_refused_with_its_line(
    app: Staffroom, person: Person
) -> None:
    maya = coordinator(app, person)
    refused = import_roster(
        maya, "Diego Ruiz,diego@escuela.example,Historia,9-10,6,Europe/Madrid,peer,,klingon"
    )
    assert (
        "line 2: language “klingon” is not one of en, es (or leave it empty)"
        in (refused.form_errors["csv"])
    )
