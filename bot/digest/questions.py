"""The program's own check-in questions as a coordinator sees them: counts, and for a choice or a
scale how the answers spread, each week under the shared privacy floor; never a word of text.

The figures come from ``bot.digest.frozen`` (a closed week's are stored once), and a question is
counted by its wording as the coordinator wrote it, so every mentor's "Anything {mentee} needs?"
adds up to one line rather than one line a mentee's name.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.digest.model import QuestionFigures, QuestionLine, withheld
from bot.kernel.aggregates import may_show
from bot.kernel.i18n import _, ngettext


def question_lines(weeks: Iterable[list[QuestionFigures]]) -> tuple[QuestionLine, ...]:
    """One line a question over these weeks: the weeks in which at least the floor of people
    answered it are added up; a question no such week holds is withheld, count and all."""
    order: list[tuple[str, str]] = []
    answers: dict[tuple[str, str], int] = {}
    spread: dict[tuple[str, str], dict[str, int]] = {}
    for week in weeks:
        for f in week:
            key = (f.question, f.kind)
            if key not in answers:
                order.append(key)
                answers[key], spread[key] = 0, {}
            if not may_show(f.people):
                continue
            answers[key] += f.answers
            for value, n in f.spread:
                spread[key][value] = spread[key].get(value, 0) + n
    return tuple(
        QuestionLine(
            question,
            kind,
            answers[(question, kind)] or None,
            () if kind == "text" else _ordered(kind, spread[(question, kind)]),
        )
        for question, kind in order
    )


def _ordered(kind: str, counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    if kind == "scale":
        return tuple(sorted(counts.items()))
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def describe(line: QuestionLine) -> str:
    """“Which routine helped?”: 7 answers (exit 4, entry 3)."""
    if line.answers is None:
        return _("“{question}”: answers {withheld}").format(
            question=line.question, withheld=withheld()
        )
    answers = ngettext("{n} answer", "{n} answers", line.answers).format(n=line.answers)
    if line.spread:
        spread = ", ".join(f"{value}: {n}" for value, n in line.spread)
        return _("“{question}”: {answers} ({spread})").format(
            question=line.question, answers=answers, spread=spread
        )
    return _("“{question}”: {answers}").format(question=line.question, answers=answers)
