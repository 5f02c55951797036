"""The library in each teacher's language: replies, a correct plural, and a removal notice written in
its reader's language whoever removed it.

Needs the folded catalog (``/work/i18n/fold.py`` or ``make catalogs``)."""

from __future__ import annotations

from bot.kernel.domain import Role
from staffroom.bootstrap import Staffroom, grant_role
from storage.models.kernel import OutboxRow
from storage.models.resources import ResourceRow
from tests.conftest import Person, fetch_all, joined


def text_of(outcome: object) -> str:
    from bot.kernel.dispatch import Outcome

    assert isinstance(outcome, Outcome)
    return "\n".join(r.text for r in outcome.replies)


def test_a_spanish_teacher_shares_and_searches_in_spanish_with_plurals(
    app: Staffroom, person: Person
) -> None:
    lucia = joined(person("Lucía Gómez", language="es"))
    shared = lucia.type("share https://example.org/q1 Preguntas bisagra #questioning")
    assert text_of(shared).startswith("Compartido ✅ Tus colegas lo encontrarán con `resources`.")
    assert "(compartido por Lucía Gómez)" in text_of(shared)
    assert "hecho por un/a docente" in str(shared.replies[0].blocks)
    one = lucia.type("resources bisagra")
    assert one.replies[0].text.startswith("Lo mejor para «bisagra»:")
    lucia.type("share https://example.org/q2 Más preguntas bisagra #questioning")
    two = lucia.type("resources bisagra")
    assert two.replies[0].text.startswith("Los 2 mejores para «bisagra»:")
    assert [b.label for b in two.replies[0].buttons()][:2] == ["Útil", "No me sirve"]
    assert text_of(lucia.type("resources mine")).startswith("Has compartido 2:")
    refused = lucia.type("share https://example.org/x Plan grade=Year12")
    assert "El nivel es uno de estos: Educación infantil, K-2" in text_of(refused)


def test_a_removal_notice_reaches_each_sharer_in_their_own_language(
    app: Staffroom, person: Person
) -> None:
    ana = joined(person("Ana Lopez", language="en"))
    lucia = joined(person("Lucía Gómez", language="es"))
    carmen = joined(person("Carmen Ruiz", language="es"))
    grant_role(app, "console:local", "Carmen Ruiz", Role.COORDINATOR)
    ana.type("share https://example.org/a Anas plan")
    lucia.type("share https://example.org/b Plan de Lucía")
    ids = {r.title: r.id for r in fetch_all(app, ResourceRow)}
    removed = carmen.type(f"resources remove {ids['Anas plan']}")
    assert text_of(removed) == "«Anas plan» quitado de la biblioteca."
    carmen.type(f"resources remove {ids['Plan de Lucía']}")
    notices = {
        row.idempotency_key.split(":")[1]: row
        for row in fetch_all(app, OutboxRow, OutboxRow.idempotency_key.like("resource-removed:%"))
    }
    to_ana, to_lucia = notices[str(ids["Anas plan"])], notices[str(ids["Plan de Lucía"])]
    assert to_ana.payload["text"].startswith(
        "A coordinator removed “Anas plan”, which you shared, from the library."
    )
    assert to_lucia.payload["text"].startswith(
        "La coordinación quitó de la biblioteca «Plan de Lucía», que compartiste."
    )


def test_a_spanish_search_is_not_matched_by_its_little_words(
    app: Staffroom, person: Person
) -> None:
    """ "de", "la", "para" are in every Spanish title: a search is decided by the words that mean
    something, so only the resource about evaluation is found."""
    lucia = joined(person("Lucía Gómez", language="es"))
    assert lucia.type("share https://example.org/e Rúbrica para la evaluación formativa").ok
    assert lucia.type("share https://example.org/g Juegos de la clase para el recreo").ok
    found = lucia.type("resources evaluación para el grupo de la tarde")
    text = text_of(found)
    assert "Rúbrica para la evaluación formativa" in text
    assert "Juegos de la clase" not in text
