"""The kernel in Spanish: dates typed the Spanish way, verbs' Spanish aliases, help that lists them,
refusals in the reader's language, and plurals that agree with their number.

Needs the folded catalog (``python /work/i18n/fold.py`` or ``make catalogs``)."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.features import REGISTRY
from bot.kernel.aggregates import PRIVACY_FLOOR, WITHHELD
from bot.kernel.aliases import ALIASES
from bot.kernel.commands import help_text
from bot.kernel.commands import parse as parse_with
from bot.kernel.delivery_failures import report_to_coordinators
from bot.kernel.domain import OutboxItem, Platform
from bot.kernel.errors import UserError
from bot.kernel.i18n import speaking
from bot.kernel.messages import message_from_dict
from bot.kernel.parsing import ParseError, parse_future_date, parse_past_date, parse_weekday
from bot.observations.parse import parse_free_periods, parse_lesson_date, parse_request_line
from tests.conftest import Person
from tests.unit.school import School, Teacher

VERBS = REGISTRY.verbs
TODAY = date(2026, 12, 10)  # a Thursday


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_with(text, registry=VERBS)


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 ene", date(2027, 1, 5)),
        ("5 de enero", date(2027, 1, 5)),
        ("5 de enero de 2027", date(2027, 1, 5)),
        ("hasta el 18 de diciembre", date(2026, 12, 18)),
        ("18 dic", date(2026, 12, 18)),
        ("1 sept", date(2027, 9, 1)),
        ("viernes", date(2026, 12, 11)),
        ("el viernes", date(2026, 12, 11)),
        ("Viernes 18 de diciembre", date(2026, 12, 18)),
        ("jueves", date(2026, 12, 17)),  # today's weekday means next week's, as in English
        ("mié", date(2026, 12, 16)),
        ("sábado", date(2026, 12, 12)),
        ("sabado", date(2026, 12, 12)),
        ("hoy", TODAY),
        ("mañana", date(2026, 12, 11)),
        ("manana", date(2026, 12, 11)),
        ("pasado mañana", date(2026, 12, 12)),
        ("2 semanas", date(2026, 12, 24)),
        ("en 2 semanas", date(2026, 12, 24)),
        ("3 días", date(2026, 12, 13)),
        ("3 dias", date(2026, 12, 13)),
        ("próximo lunes", date(2026, 12, 14)),
        ("el proximo lunes", date(2026, 12, 14)),
        ("lunes que viene", date(2026, 12, 14)),
        # and English, whatever language the person speaks
        ("friday", date(2026, 12, 11)),
        ("until jan 5", date(2027, 1, 5)),
    ],
)
def test_future_dates_typed_the_spanish_way(text: str, expected: date) -> None:
    assert parse_future_date(text, TODAY) == expected
    with speaking("es"):
        assert parse_future_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ayer", date(2026, 12, 9)),
        ("el lunes", date(2026, 12, 7)),
        ("lunes pasado", date(2026, 12, 7)),
        ("desde el 1 de septiembre", date(2026, 9, 1)),
        ("1 de septiembre", date(2026, 9, 1)),
        ("hoy", TODAY),
    ],
)
def test_past_dates_typed_the_spanish_way(text: str, expected: date) -> None:
    assert parse_past_date(text, TODAY) == expected


def test_spanish_weekdays_and_free_periods() -> None:
    assert [parse_weekday(w) for w in ("lun", "mar", "miércoles", "miercoles", "jue")] == [
        0,
        1,
        2,
        2,
        3,
    ]
    assert [parse_weekday(w) for w in ("vie", "sáb", "domingo", "thu")] == [4, 5, 6, 3]
    assert parse_free_periods("lun 10:00-11:00, miércoles 13:00 a 14:00") == [
        (0, time(10, 0), time(11, 0)),
        (2, time(13, 0), time(14, 0)),
    ]


def test_a_lesson_on_a_spanish_day() -> None:
    assert parse_lesson_date("el jueves", TODAY) == date(2026, 12, 17)
    assert parse_lesson_date("jueves que viene", TODAY) == date(2026, 12, 17)
    request = parse_request_line("viernes 10:15-11:00 focus: questioning", TODAY)
    assert (request.day, request.start, request.end) == (date(2026, 12, 11), time(10, 15), time(11))


def test_date_refusals_are_in_the_language_spoken_with_spanish_dates() -> None:
    with speaking("es"), pytest.raises(ParseError) as past:
        parse_future_date("2026-12-01", TODAY)
    assert str(past.value) == (
        "el martes 1 de diciembre de 2026 ya ha pasado; elige una fecha a partir de hoy"
    )
    with speaking("es"), pytest.raises(ParseError) as unread:
        parse_future_date("algún día", TODAY)
    assert "No he entendido «algún día» como fecha; prueba con 2026-12-01, 5 ene" in str(
        unread.value
    )
    with speaking("es"), pytest.raises(ParseError) as weekday:
        parse_weekday("funday")
    assert str(weekday.value) == (
        "«funday» no es un día de la semana; usa lun, mar, mié, jue, vie, sáb o dom"
    )
    with pytest.raises(ParseError) as english:
        parse_weekday("funday")
    assert str(english.value).endswith("use mon, tue, wed, thu, fri, sat or sun")


# --- verbs ---------------------------------------------------------------------------------------


def test_every_alias_stands_for_a_verb_and_none_is_one() -> None:
    for table in ALIASES.values():
        for alias, verb in table.items():
            assert verb in VERBS, alias
            assert alias not in VERBS


@pytest.mark.parametrize(
    ("typed", "verb"),
    [
        ("ayuda", "help"),
        ("Ayuda", "help"),
        ("pausa", "pause"),
        ("metas", "goals"),
        ("reanudar", "resume"),
        ("reflexión", "reflect"),
        ("reflexion", "reflect"),
        ("perfil", "profile"),
        ("recursos", "resources"),
        ("observar", "observe"),
        ("unirme", "join"),
        ("inicio", "home"),
        ("/staffroom perfil", "profile"),
    ],
)
def test_spanish_aliases_resolve_to_their_verb(typed: str, verb: str) -> None:
    assert parse(typed).verb == verb


def test_an_alias_hands_the_verb_its_arguments() -> None:
    cmd = parse("pausa 2 semanas")
    assert (cmd.verb, cmd.args, cmd.rest) == ("pause", ("2", "semanas"), "2 semanas")
    assert parse("metas add Más preguntas abiertas").rest == "add Más preguntas abiertas"


def test_spanish_help_lists_the_aliases_and_english_help_does_not() -> None:
    with speaking("es"):
        listing = help_text(None, is_coordinator=False, registry=VERBS)
        one = help_text("pausa", is_coordinator=False, registry=VERBS)
    lines = listing.splitlines()
    assert lines[0] == "Esto es lo que puedo hacer (escribe `help <comando>` para saber más):"
    assert any(line.startswith("• `pause [until FECHA]` (`pausa`, `pausar`): ") for line in lines)
    assert any(line.startswith("• `reflect` (`reflexión`, `reflexionar`): ") for line in lines)
    assert one.splitlines()[0].startswith("*pause*: ")
    assert "Uso: `pause [until FECHA]`" in one
    assert "También puedes escribir: `pausa`, `pausar`" in one
    english = help_text(None, is_coordinator=False, registry=VERBS)
    assert "`pausa`" not in english and "(`" not in english


def test_did_you_mean_weighs_the_aliases() -> None:
    with speaking("es"), pytest.raises(UserError) as spanish:
        parse("pausaa")
    assert spanish.value.message == (
        "No conozco el comando `pausaa`. ¿Quisiste decir `pausa`? "
        "Escribe `help` para ver lo que puedo hacer."
    )
    with speaking("es"), pytest.raises(UserError, match=r"¿Quisiste decir `reflexión`\?"):
        parse("reflexon")
    with pytest.raises(UserError, match=r"Did you mean `pause`\?"):
        parse("paus")  # as close to `pausa`: English prefers the verb


# --- through the console -------------------------------------------------------------------------


def test_a_kernel_refusal_reaches_a_spanish_speaker_in_spanish(person: Person) -> None:
    lucia = person("Lucía Gómez", language="es")
    outcome = lucia.type("pausa 2 semanas")
    assert not outcome.ok
    assert lucia.shown[-1] == (  # type: ignore[attr-defined]
        "Todavía no te has unido a Staffroom. Escribe `join` para empezar; es un minuto."
    )
    lucia.type("ayuda")
    assert lucia.shown[-1].startswith("Esto es lo que puedo hacer")  # type: ignore[attr-defined]
    ana = person("Ana Lopez")
    ana.type("pausa 2 semanas")
    assert ana.shown[-1] == (  # type: ignore[attr-defined]
        "You haven't joined Staffroom yet. Type `join` to start; it takes a minute."
    )


# --- to somebody else: plurals and the reader's language -----------------------------------------


def _spanish(school: School, who: Teacher) -> None:
    with school.scope(commit=True) as repos:
        member = repos.members.by_platform_user(who.user_id)
        assert member is not None
        member.language = "es"
        repos.members.save(member)


def test_a_delivery_report_reaches_each_coordinator_in_their_language_and_number() -> None:
    school = School()
    ana = school.teacher("Ana Lopez")
    carmen = school.coordinator("Carmen Ruiz")
    cora = school.coordinator("Cora Coordinator")
    _spanish(school, carmen)
    ana_member = school.member(ana)
    assert ana_member.id is not None
    hook = report_to_coordinators(school.uow_factory, school.clock)
    for item_id, attempts in ((901, 1), (902, 2)):
        hook(
            OutboxItem(
                id=item_id,
                workspace_id=ana_member.workspace_id,
                platform=Platform.SLACK,
                recipient_user_id=ana.user_id,
                idempotency_key=f"checkin:{item_id}",
                payload={},
                attempts=attempts,
                recipient_member_id=ana_member.id,
            ),
            "user_not_found",
        )
    to_carmen = [m.text for m in school.messages_to(carmen, "delivery-failed:")]
    to_cora = [m.text for m in school.messages_to(cora, "delivery-failed:")]
    assert to_carmen[0].startswith(
        "No he podido entregar un mensaje de Staffroom a Ana Lopez tras 1 intento. "
    )
    assert to_carmen[1].startswith(
        "No he podido entregar un mensaje de Staffroom a Ana Lopez tras 2 intentos. "
    )
    assert to_cora[0].startswith(
        "I couldn't deliver a Staffroom message to Ana Lopez after 1 try. "
    )
    assert to_cora[1].startswith(
        "I couldn't deliver a Staffroom message to Ana Lopez after 2 tries. "
    )
    stored = [message_from_dict(r.payload) for r in school.outbox("delivery-failed:")]
    assert sorted(m.language for m in stored) == ["en", "en", "es", "es"]


def test_the_withheld_words_name_the_privacy_floor() -> None:
    assert f"fewer than {PRIVACY_FLOOR} people" in WITHHELD
    with speaking("es"):
        from bot.kernel.i18n import _

        assert _(WITHHELD) == f"sin mostrar (menos de {PRIVACY_FLOOR} personas)"
