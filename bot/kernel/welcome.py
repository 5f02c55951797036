"""What someone a coordinator added hears the first time they write, whatever they wrote.

An imported teacher's first message is their consent (``Bot._recognise``), and it is often "hi" or
a word Staffroom has no verb for. Answering that with "I don't know the command `hi`" (and throwing
the consent away with the refused request) was the first thing many teachers met; instead they are
welcomed, told which programs they are in and where to start, and the consent is kept.
"""

from __future__ import annotations

from bot.kernel.domain import Member, ProgramRole
from bot.kernel.i18n import _
from bot.kernel.messages import Message, Section, text_message
from bot.kernel.ports import Scope


def welcome_on_arrival(repos: Scope, member: Member, refusal: str | None) -> Message:
    """The welcome, and after it what was wrong with their request if it was a real one; written in
    the language being spoken, which the dispatcher makes theirs."""
    assert member.id is not None
    words = member.display_name.split()
    names = [
        program.name
        for place in repos.memberships.for_member(member.id)
        if place.role is not ProgramRole.COORDINATOR
        and (program := repos.programs.get(place.program_id)) is not None
    ]
    greeting = (
        _("Welcome to Staffroom, {name}!").format(name=words[0])
        if words
        else _("Welcome to Staffroom!")
    )
    if names:
        where = _(
            "You're in {programs}: from now on a one-minute check-in comes once a week, and "
            "colleagues to learn with each round."
        ).format(programs=", ".join(sorted(names)))
    else:
        where = _(
            "You're in: from now on a one-minute check-in comes once a week, and colleagues to "
            "learn with each round."
        )
    start = _(
        "`profile` shows what your school entered (change anything), and `help` shows "
        "everything I can do."
    )
    text = f"{greeting} {where} {start}"
    if refusal is None:
        return text_message(text)
    return Message(text=f"{text}\n\n{refusal}", blocks=(Section(text), Section(refusal)))
