"""The demo's check-ins answered in place: a coordinator's own questions, a teacher answering them on
the check-in itself, a mentor's check-in, and simulated colleagues doing the same."""

from __future__ import annotations

import random
from collections.abc import Callable

from adapters.console.session import ConsoleSession
from bot.kernel.messages import Button, Form, InputKind, Message

PEERS = "Cross-subject Peer Groups"
MENTORING = "New Teacher Mentoring"
QUESTIONS = (
    f'program set "{PEERS}" questions="What did you try this week? | '
    "Which routine helped most? [choice: entry routine, exit ticket, seating plan] | "
    'How manageable was your workload? [scale]"',
    f'program set "{MENTORING}" mentor_questions="Anything {{mentee}} needs from you? | '
    'How is mentoring going? [scale]"',
)
TRIED = (
    "Cold calling with a warm-up question",
    "A seating plan for the practical",
    "Two hinge questions instead of one",
    "Mini whiteboards for the starter",
)
NEEDS = ("A seating plan template", "Time to plan the next unit together", "Nothing this week")


def set_questions(
    coordinator: ConsoleSession,
    name: str,
    transcript: Callable[[str, str], None],
    say: Callable[[str], None],
) -> None:
    for line in QUESTIONS:
        transcript(name, line)
        coordinator.type(line)
    say(
        "From now on each check-in is these questions, answered right there: one button opens them "
        "all (a Slack modal, a Teams card with inputs, one prompt after another here)."
    )


def button(buttons: list[Button], action_id: str, value_end: str = "") -> Button | None:
    return next(
        (b for b in buttons if b.action_id == action_id and b.value.endswith(value_end)), None
    )


def _describe(form: Form) -> list[str]:
    lines = []
    for field in form.inputs:
        shown = f"  • {field.label}"
        if field.kind is InputKind.SELECT:
            shown += f"  [{' / '.join(o.label for o in field.options)}]"
        lines.append(shown)
    return lines


def answer_loudly(
    name: str,
    who: ConsoleSession,
    message: Message,
    by_label: dict[str, str],
    transcript: Callable[[str, str], None],
    say: Callable[[str], None],
) -> bool:
    """Open the check-in's questions and answer them, every step printed; False if it has none.

    ``by_label``: the answer to each question whose label starts with the key; a choice not
    given gets its first option, and the confidence already tapped is left as it is."""
    opener = button(message.buttons(), "checkin.answer") or button(who.buttons, "checkin.answer")
    if opener is None:
        return False
    transcript(name, "(taps Answer this week's questions)")
    who.press_button(opener)
    form = who.pending_form
    if form is None:
        return False
    say("\n".join(_describe(form)))
    values: dict[str, str] = {}
    for field in form.inputs:
        given = next((v for k, v in by_label.items() if field.label.startswith(k)), None)
        if given is not None:
            values[field.name] = given
        elif field.kind is InputKind.SELECT and field.name != "confidence" and field.options:
            values[field.name] = field.options[0].value
    transcript(name, "(answers, and taps Save) " + " / ".join(values.values()))
    who.submit(form, values)
    return True


def answer_quietly(who: ConsoleSession, rng: random.Random, *, rating: int | None) -> bool:
    """A simulated colleague opens the questions and answers most of them."""
    opener = button(who.buttons, "checkin.answer")
    if opener is None:
        return False
    who.press_button(opener)
    form = who.pending_form
    if form is None:
        return False
    values: dict[str, str] = {}
    for field in form.inputs:
        if field.name == "confidence":
            if rating is not None:
                values["confidence"] = str(rating)
        elif rng.random() < 0.15:
            continue  # answer what you like, skip the rest
        elif field.kind is InputKind.SELECT:
            values[field.name] = rng.choice(field.options).value
        else:
            values[field.name] = rng.choice(NEEDS if "need" in field.label else TRIED)
    return bool(values) and who.submit(form, values).ok


def mentor_answers(who: ConsoleSession, message: Message, rng: random.Random) -> str:
    """A simulated mentor taps whether they talked, and sometimes answers the mentor questions."""
    talked = button(message.buttons(), "checkin.talked", ":yes" if rng.random() < 0.8 else ":no")
    if talked is None:
        return "ignored"
    who.press_button(talked)
    if rng.random() < 0.6:
        answer_quietly(who, rng, rating=None)
    return "answered"
