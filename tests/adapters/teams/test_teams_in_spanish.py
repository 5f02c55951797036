"""A teacher whose Teams is set to Spanish, through the real botbuilder adapter over HTTP: the
activity's ``locale`` is heard, and the join card, its Submit, the replies and what the delivery
worker sends her later are in Spanish; an English colleague in the same tenant keeps English."""

from __future__ import annotations

from staffroom.bootstrap import Staffroom
from storage.models.members import MemberRow
from tests.adapters.teams.conftest import Teams, find_action, inputs_of
from tests.conftest import fetch_all

LUCIA = {
    "display_name": "Lucía Gómez",
    "subjects": "Maths",
    "grade_bands": "9-10",
    "years_experience": "1",
    "school": "IES Cervantes",
    "timezone": "Europe/Madrid",
    "goals": "Hacer más preguntas abiertas",
    "strengths": "",
}


def test_a_teams_client_set_to_spanish_is_answered_in_spanish(teams: Teams, app: Staffroom) -> None:
    spanish = {"user": "lucia", "user_name": "Lucía Gómez", "locale": "es-ES"}
    status, _ = teams.say("join", **spanish)
    assert status == 200
    card = teams.connector.cards()[-1]
    fields = inputs_of(card)
    assert fields["display_name"]["label"] == "Tu nombre"
    assert fields["subjects"]["errorMessage"] == "Materias que impartes es obligatorio."
    submit = find_action(card, "Unirme")
    teams.connector.clear()
    status, _ = teams.press(submit, LUCIA, **spanish)
    assert status == 200
    welcome = "\n".join(teams.connector.texts())
    assert "¡Te damos la bienvenida, **Lucía Gómez**! Ya estás dentro." in welcome
    (row,) = fetch_all(app, MemberRow, MemberRow.display_name == "Lucía Gómez")
    assert row.platform_language == "es"

    teams.connector.clear()
    teams.say("pausa 2 semanas", **spanish)
    assert "En pausa hasta el lunes 7 de diciembre." in "\n".join(teams.connector.texts())

    teams.connector.clear()
    teams.say("help", user="ben", user_name="Ben Okafor", locale="en-GB")
    assert "\n".join(teams.connector.texts()).startswith("Here is what I can do")
