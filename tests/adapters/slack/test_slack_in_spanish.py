"""A teacher whose Slack is set to Spanish, through the real bolt app over signed HTTP and Slack's Web
API played locally: Staffroom learns her language from ``users.info`` (asked with include_locale) and
her modals, replies, Home tab and the check-in the delivery worker posts are all in Spanish, with
Spanish dates and plurals, while her English coordinator's stay English."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from adapters.slack.messenger import SlackMessenger
from bot.checkins.planner import send_due_checkins
from bot.kernel.clock import ManualClock
from bot.kernel.domain import Platform, Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.members import MemberRow
from tests.adapters.slack import fake_slack
from tests.adapters.slack.conftest import Slack, button_press, buttons, texts, view_submission
from tests.conftest import fetch_all

DUE = datetime(2026, 11, 24, 14, 30, tzinfo=UTC)  # Tuesday 15:30 in Madrid
LUCIA = {
    "id": "U1",
    "name": "lucia",
    "real_name": "Lucía Gómez",
    "tz": "Europe/Madrid",
    "locale": "es-ES",
    "profile": {"real_name": "Lucía Gómez", "display_name": "", "email": "lucia@school.example"},
}
HER_PROFILE = {
    "display_name": "Lucía Gómez",
    "subjects": "Maths",
    "grade_bands": ["9-10"],
    "years_experience": "1",
    "school": "IES Cervantes",
    "timezone": "Europe/Madrid",
    "goals": "Hacer más preguntas abiertas",
    "strengths": "",
}


def said(slack: Slack, line: str, user: str = "U1", command: str = "/staffroom") -> dict[str, Any]:
    """Type ``line`` and return the reply Slack was sent for it."""
    seen = len(slack.fake.of("response_url"))
    assert slack.command(line, user=user, command=command).status == 200
    return slack.fake.wait_for("response_url", seen + 1)[-1].params


def in_her_program(slack: Slack, app: Staffroom) -> None:
    slack.fake.users["U1"] = LUCIA
    slack.join("U9", display_name="Cora Coordinator")
    grant_role(app, f"slack:{fake_slack.TEAM}", "U9", Role.COORDINATOR)
    assert slack.command("join", user="U1").status == 200
    modal = slack.opened_view("U1")
    assert modal["title"]["text"] == "Unirme a Staffroom"
    assert modal["close"]["text"] == "Cancelar"
    labels = [b["label"]["text"] for b in modal["blocks"] if b["type"] == "input"]
    assert labels[:2] == ["Tu nombre", "Materias que impartes"] and "Idioma" in labels
    assert slack.interact(view_submission(modal, HER_PROFILE, user="U1")).status == 200
    slack.idle()
    for line in (
        "program create PLC kind=peer day=tue time=15:30",
        'program add PLC "Lucía Gómez" as peer',
    ):
        assert slack.command(line, user="U9").status == 200
        slack.idle()


def test_a_teacher_whose_slack_speaks_spanish_is_answered_in_spanish_everywhere(
    slack: Slack, app: Staffroom, clock: ManualClock
) -> None:
    in_her_program(slack, app)
    (row,) = fetch_all(app, MemberRow, MemberRow.platform_user_id == "U1")
    assert row.platform_language == "es"
    asked = slack.fake.of("users.info")
    assert all(str(c.params.get("include_locale")) in ("1", "true") for c in asked)

    # The check-in the delivery worker posts to her DM.
    clock.set(DUE)
    assert send_due_checkins(app.uow_factory, clock.now()).sent == 1
    messenger = SlackMessenger(token=fake_slack.BOT_TOKEN, base_url=slack.fake.api_url)
    app.worker({Platform.SLACK: messenger}, worker_id="spanish").drain()
    (post,) = [c.params for c in slack.fake.of("chat.postMessage") if c.params["channel"] == "U1"]
    assert post["text"].startswith("¡Hola, Lucía! Tu check-in semanal de PLC")
    choices = buttons(post["blocks"])
    assert {"1 · todavía no", "5 · mucho", "Posponer a mañana"} <= set(choices)
    seen = len(slack.fake.of("response_url"))
    press = button_press(post, choices["4"], user="U1", response_url=slack.fake.response_url("U1"))
    assert slack.interact(press).status == 200
    # The check-in is marked answered in place (✅ 4), then thanked.
    answered, thanks = (c.params for c in slack.fake.wait_for("response_url", seen + 2)[-2:])
    assert texts(answered["blocks"]).endswith("✅ *4*")
    assert texts(thanks["blocks"]).startswith("Gracias: 4/5 en «Hacer más preguntas abiertas».")

    # A reflection in the Spanish modal; Home counts it in the singular.
    assert slack.command("", user="U1", command="/reflect").status == 200
    opened = slack.fake.wait_for(
        "views.open", 2, where=lambda c: str(c.params["trigger_id"]).startswith("trigger-U1-")
    )
    reflect = dict(opened[-1].params["view"])
    assert reflect["title"]["text"] == "Una reflexión rápida"
    values = {"went_well": "El tiempo de espera", "try_next": "Más", "tag": None}
    values["visibility"] = "private"
    assert slack.interact(view_submission(reflect, values, user="U1")).status == 200
    slack.idle()
    home = {"type": "app_home_opened", "user": "U1", "tab": "home", "channel": "DU1"}
    assert slack.event(home, event_id="EvHome").status == 200
    slack.idle()
    view = slack.fake.wait_for("views.publish")[-1].params["view"]
    page = texts(view["blocks"] if isinstance(view, dict) else json.loads(view)["blocks"])
    assert "· 1 reflexión ·" in page and "Tus reflexiones" in page

    # An observation request with a Spanish date, and a break typed the Spanish way.
    draft = said(slack, "tue 10:00-10:45 focus: questioning", command="/observe")
    shown = texts(draft["blocks"])
    assert shown.startswith("Esto es lo que he entendido.")
    assert "*Cuándo*\nmartes 1 de diciembre, 10:00–10:45" in shown
    paused = said(slack, "pausa 2 semanas")
    assert texts(paused["blocks"]).startswith("En pausa hasta el martes 8 de diciembre.")

    # Her coordinator, whose Slack says nothing of a language, is answered in English.
    assert texts(said(slack, "help", user="U9")["blocks"]).startswith("Here is what I can do")
