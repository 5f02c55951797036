"""Goals and strengths written in Spanish meet the same topics as English ones, so a Spanish-speaking
teacher's pairing is explained by what she wants to work on, not only by her years."""

from __future__ import annotations

import pytest

from bot.kernel.i18n import speaking
from bot.pairing.topics import first_prompt, topics_of


@pytest.mark.parametrize(
    ("written", "topic"),
    [
        ("Mejorar la gestión del aula", "classroom_management"),
        ("gestion del aula y rutinas", "classroom_management"),
        ("Hacer más preguntas abiertas", "questioning"),
        ("Evaluación formativa en 3º", "assessment"),
        ("Más trabajo en grupo", "engagement"),
        ("Dar una retroalimentación más útil", "feedback"),
        ("Reducir la carga de trabajo", "planning"),
        ("Vocabulario para alumnado plurilingüe", "language"),
        ("Usar la IA en clase", "edtech"),
    ],
)
def test_a_spanish_goal_touches_its_topic(written: str, topic: str) -> None:
    assert topic in topics_of([written])


def test_english_words_that_merely_contain_a_spanish_keyword_touch_nothing_new() -> None:
    assert topics_of(["Use more multimedia in science"]) == frozenset()
    assert topics_of(["Improve classroom management"]) == frozenset({"classroom_management"})


def test_the_first_conversation_prompt_follows_a_spanish_goal() -> None:
    with speaking("es"):
        prompt = first_prompt(["Mejorar la gestión del aula"])
    assert prompt.startswith("Sobre “Mejorar la gestión del aula”: Compartan una rutina")
