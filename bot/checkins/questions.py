"""A program's own check-in questions: what a coordinator asks, of which kind, and of whom.

A question is written as one line, its kind in brackets at the end::

    What is one thing that went well?                       a short text answer (the default)
    Which routine helped most? [choice: entry, exit, group] one of the choices
    How manageable was your workload? [scale]               1 to 5

``program set NAME questions="… | …"`` sets what mentees and peers are asked, and
``mentor_questions="… | …"`` what mentors are asked; ``{mentee}`` in a mentor's question stands for
their mentees' first names, and ``{group}`` in a peer's for the others in their group. A peer in a
group is first asked whether the group got together this week. Up to five a role. The 1-5 confidence on the teacher's focus goal comes
first in every teacher's check-in and is never one of these: a coordinator's question that asks it
again is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.kernel.domain import Program, ProgramRole
from bot.kernel.i18n import N_, _, and_list
from bot.kernel.parsing import ParseError

MAX_QUESTIONS = 5
MAX_QUESTION_LENGTH = 200
MAX_CHOICES = 6
MAX_CHOICE_LENGTH = 40
MAX_ANSWER_LENGTH = 500
MENTOR_KEY = "mentor_questions"

DEFAULT_QUESTIONS = (N_("What is one thing that went well this week?"),)
# Translators: {mentee} is one or more first names ("Bea and Emeka"): a wording that fits both reads best.
DEFAULT_MENTOR_QUESTIONS = (N_("Anything {mentee} needs from you?"),)
"""Stored in English like a coordinator's own, and counted by that wording; shown in the reader's
language (``shown``). A coordinator's questions are their words and are never translated."""
CONFIDENCE_DUPLICATE = "How confident do you feel about your goal this week?"  # not translated: only compared with stored questions, never asked
"""The first default question of older programs: it repeats the 1-5 buttons, so it is never asked."""

SCALE_LABELS = (N_("1 · not at all"), "2", "3", "4", N_("5 · very"))
GROUP_MET = N_("Did your group get together this week?")
"""A peer group's own first question, counted by this wording; asked with the group's names."""
GROUP_MET_CHOICES = YES, NOT_YET = (N_("yes"), N_("not yet"))
"""Its answers (and a mentor's "did you talk?"), stored and counted in English; each teacher picks
from them, and reads them back, in their language."""
TALKED_QUESTION = N_("Did you and your mentee talk this week?")
"""A mentor's one-tap answer is stored under this wording, whatever the names and the language."""
_DEFAULTS = frozenset((*DEFAULT_QUESTIONS, *DEFAULT_MENTOR_QUESTIONS, TALKED_QUESTION))

_PLURAL = {"needs": "need", "wants": "want", "has": "have", "is": "are", "was": "were"}
_PLURAL_VERB = re.compile(r"\{mentee\} (" + "|".join(_PLURAL) + r")\b")
_KIND = re.compile(r"\[\s*(choice|scale|text)\s*(?::\s*(.*?))?\s*\]\s*$", re.IGNORECASE)


class QuestionKind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    SCALE = "scale"


@dataclass(frozen=True)
class Question:
    text: str
    kind: QuestionKind = QuestionKind.TEXT
    choices: tuple[str, ...] = ()

    def spec(self) -> str:
        """The line it was written as, kind included: what the program stores."""
        if self.kind is QuestionKind.CHOICE:
            return f"{self.text} [choice: {', '.join(self.choices)}]"
        if self.kind is QuestionKind.SCALE:
            return f"{self.text} [scale]"
        return self.text

    def describe(self) -> str:
        """For a coordinator: the question and how it is answered."""
        text = shown(self.text)
        if self.kind is QuestionKind.CHOICE:
            return _("{question} (choose: {choices})").format(
                question=text, choices=" / ".join(choice_label(c) for c in self.choices)
            )
        if self.kind is QuestionKind.SCALE:
            return f"{text} (1-5)"
        return _("{question} (short text)").format(question=text)


def shown(text: str) -> str:
    """A question as the reader reads it: one of ours in their language, a coordinator's as written."""
    return _(text) if text in _DEFAULTS else text


def choice_label(choice: str) -> str:
    """A choice as the reader reads it: ours ("yes", "not yet") translated, a coordinator's as written."""
    return _(choice) if choice in GROUP_MET_CHOICES else choice


def parse_question(line: str) -> Question:
    """One question as a coordinator writes it; ParseError says what to fix."""
    line = " ".join(line.split())
    kind = QuestionKind.TEXT
    choices: tuple[str, ...] = ()
    match = _KIND.search(line)
    if match:
        kind = QuestionKind(match.group(1).lower())
        raw = match.group(2) or ""
        line = line[: match.start()].strip()
        if kind is QuestionKind.CHOICE:
            choices = tuple(dict.fromkeys(c.strip() for c in raw.split(",") if c.strip()))
            if not 2 <= len(choices) <= MAX_CHOICES:
                raise ParseError(
                    _(
                        "“{question}” needs 2 to {most} choices, e.g. [choice: yes, not yet, no]"
                    ).format(question=line, most=MAX_CHOICES)
                )
            if any(len(c) > MAX_CHOICE_LENGTH for c in choices):
                raise ParseError(
                    _("keep each choice under {limit} characters").format(limit=MAX_CHOICE_LENGTH)
                )
    elif "[" in line:
        raise ParseError(
            _(
                "I can't read the kind in “{question}”: end it with [scale] or [choice: a, b, c]"
            ).format(question=line)
        )
    if not line:
        raise ParseError(_("a question needs words before its [kind]"))
    if len(line) > MAX_QUESTION_LENGTH:
        raise ParseError(
            _("keep each question under {limit} characters").format(limit=MAX_QUESTION_LENGTH)
        )
    return Question(line, kind, choices)


def parse_questions(text: str) -> list[Question]:
    """``q1 | q2 [scale] | …``: 1 to 5 questions, every one checked before any is kept."""
    parts = [p for p in (p.strip() for p in text.split("|")) if p]
    if not 1 <= len(parts) <= MAX_QUESTIONS:
        raise ParseError(_("give 1 to {most} questions separated by |").format(most=MAX_QUESTIONS))
    return [parse_question(p) for p in parts]


def stored(specs: list[str] | tuple[str, ...] | object) -> list[Question]:
    """Questions as the program keeps them; a line that no longer reads is asked as plain text."""
    questions: list[Question] = []
    for spec in specs if isinstance(specs, list | tuple) else ():
        try:
            question = parse_question(str(spec))
        except ParseError:
            question = Question(str(spec)[:MAX_QUESTION_LENGTH])
        if question.text != CONFIDENCE_DUPLICATE:
            questions.append(question)
    return questions[:MAX_QUESTIONS]


def for_role(program: Program, role: ProgramRole) -> list[Question]:
    """What this program asks someone in this role."""
    if role is ProgramRole.MENTOR:
        return stored(program.settings.get(MENTOR_KEY, list(DEFAULT_MENTOR_QUESTIONS)))
    if role is ProgramRole.COORDINATOR:
        return []
    return stored(program.questions)


def worded(question: Question, mentees: list[str], group: list[str] | None = None) -> Question:
    """``{mentee}`` replaced by the mentees' first names ("your mentee" before any pairing), and
    ``{group}`` by the others in the peer's group ("your group" before any). One of our default
    questions is worded in the reader's language; a coordinator's keeps their words."""
    text = shown(question.text)
    if len(mentees) > 1:  # "Anything Bea and Emeka need?", not "needs" (English verbs only)
        text = _PLURAL_VERB.sub(lambda m: "{mentee} " + _PLURAL[m.group(1)], text)
    if "{mentee}" in text:
        text = text.replace("{mentee}", names_of(mentees) if mentees else _("your mentee"))
    if "{group}" in text:
        text = text.replace("{group}", names_of(group) if group else _("your group"))
    return question if text == question.text else Question(text, question.kind, question.choices)


def names_of(people: list[str]) -> str:
    """Ben; Ben and Cy; Ben, Cy and Dee."""
    return and_list(people)


def group_met(group: list[str]) -> Question:
    """The peer's first question, naming the group: "Did your group (Ben and Cy) get together?"."""
    asked = _("Did your group ({names}) get together this week?").format(names=names_of(group))
    return Question(asked, QuestionKind.CHOICE, GROUP_MET_CHOICES)
