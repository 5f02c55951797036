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
from bot.kernel.parsing import ParseError

MAX_QUESTIONS = 5
MAX_QUESTION_LENGTH = 200
MAX_CHOICES = 6
MAX_CHOICE_LENGTH = 40
MAX_ANSWER_LENGTH = 500
MENTOR_KEY = "mentor_questions"

DEFAULT_QUESTIONS = ("What is one thing that went well this week?",)
DEFAULT_MENTOR_QUESTIONS = ("Anything {mentee} needs from you?",)
CONFIDENCE_DUPLICATE = "How confident do you feel about your goal this week?"
"""The first default question of older programs: it repeats the 1-5 buttons, so it is never asked."""

SCALE_LABELS = ("1 · not at all", "2", "3", "4", "5 · very")
GROUP_MET = "Did your group get together this week?"
"""A peer group's own first question, counted by this wording; asked with the group's names."""

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
        if self.kind is QuestionKind.CHOICE:
            return f"{self.text} (choose: {' / '.join(self.choices)})"
        if self.kind is QuestionKind.SCALE:
            return f"{self.text} (1-5)"
        return f"{self.text} (short text)"


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
                    f"“{line}” needs 2 to {MAX_CHOICES} choices, e.g. [choice: yes, not yet, no]"
                )
            if any(len(c) > MAX_CHOICE_LENGTH for c in choices):
                raise ParseError(f"keep each choice under {MAX_CHOICE_LENGTH} characters")
    elif "[" in line:
        raise ParseError(
            f"I can't read the kind in “{line}”: end it with [scale] or [choice: a, b, c]"
        )
    if not line:
        raise ParseError("a question needs words before its [kind]")
    if len(line) > MAX_QUESTION_LENGTH:
        raise ParseError(f"keep each question under {MAX_QUESTION_LENGTH} characters")
    return Question(line, kind, choices)


def parse_questions(text: str) -> list[Question]:
    """``q1 | q2 [scale] | …``: 1 to 5 questions, every one checked before any is kept."""
    parts = [p for p in (p.strip() for p in text.split("|")) if p]
    if not 1 <= len(parts) <= MAX_QUESTIONS:
        raise ParseError(f"give 1 to {MAX_QUESTIONS} questions separated by |")
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
    ``{group}`` by the others in the peer's group ("your group" before any)."""
    text = question.text
    if len(mentees) > 1:  # "Anything Bea and Emeka need?", not "needs"
        text = _PLURAL_VERB.sub(lambda m: "{mentee} " + _PLURAL[m.group(1)], text)
    if "{mentee}" in text:
        text = text.replace("{mentee}", " and ".join(mentees) if mentees else "your mentee")
    if "{group}" in text:
        text = text.replace("{group}", names_of(group) if group else "your group")
    return question if text == question.text else Question(text, question.kind, question.choices)


def names_of(people: list[str]) -> str:
    """Ben; Ben and Cy; Ben, Cy and Dee."""
    if len(people) <= 2:
        return " and ".join(people)
    return f"{', '.join(people[:-1])} and {people[-1]}"


def group_met(group: list[str]) -> Question:
    """The peer's first question, naming the group: "Did your group (Ben and Cy) get together?"."""
    asked = GROUP_MET.replace("your group", f"your group ({names_of(group)})")
    return Question(asked, QuestionKind.CHOICE, ("yes", "not yet"))
