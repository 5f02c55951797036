"""The introduction each person gets when a round is published, and the port other features use.

``build_introduction`` is the one place an introduction is put together. Other features add blocks
to it without touching the engine: ``bot/features.py`` gives the pairing feature ``IntroductionExtra``
functions that take the scope and an ``Introduction`` and return blocks (the library adds up to two
resources matched to the goal). A failing extra is logged and skipped: an introduction is never lost
because a recommendation could not be made.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.kernel.domain import Program
from bot.kernel.i18n import _, and_list, current_language, ngettext, speaking
from bot.kernel.messages import (
    Block,
    Context,
    Divider,
    Mention,
    Message,
    Section,
    mention,
    said,
)
from bot.kernel.ports import Scope
from bot.pairing.model import Candidate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Introduction:
    """Everything an introduction is about: who gets it, whom they meet, why, and where to start."""

    program: Program
    round_number: int
    pairing_id: int
    recipient: Candidate
    others: tuple[Candidate, ...]
    mentor_id: int | None
    reason: str
    """One sentence, worded for the recipient."""
    prompt: str
    """A first conversation prompt tied to the mentee's goal (or the group's shared one)."""
    focus_goals: tuple[str, ...]
    """The goals the conversation is about: what extras (resources) should be matched to."""
    people: tuple[tuple[int, Mention], ...] = ()
    """Everyone in the pair or group (the recipient too) as the platform knows them: they are named
    with real mentions, and the introduction is for the conversation they share."""
    slots: tuple[datetime, ...] = ()
    """Up to three times when everyone declared a free period (``bot.pairing.meeting``)."""
    language: str | None = None
    """The recipient's language, in which ``reason`` and ``prompt`` are worded and the message is
    written (the language being spoken when None)."""


IntroductionExtra = Callable[[Scope, Sequence[Introduction], datetime], Sequence[Sequence[Block]]]
"""Blocks another feature adds to introductions (the library: up to two resources), one sequence of
blocks an introduction: given a whole batch, so it can answer everyone in a few queries."""


def _profile_line(person: Candidate) -> tuple[str, str]:
    bits = []
    if person.subjects:
        bits.append(", ".join(person.subjects))
    if person.grades:
        bits.append(", ".join(person.grades))
    if person.school:
        bits.append(person.school)
    if person.years is not None:
        bits.append(
            ngettext("{years} year teaching", "{years} years teaching", person.years).format(
                years=person.years
            )
        )
    bits.append(person.timezone)
    return said(person.name), said(" · ".join(bits))


def _title(intro: Introduction, *, spans: bool = False) -> str:
    """The headline; with ``spans``, each person is a mention the platform draws as one."""
    known = dict(intro.people)

    def name(o: Candidate) -> str:
        found = known.get(o.member_id)
        return mention(found.user_id) if spans and found else said(o.name)

    names = and_list([name(o) for o in intro.others])
    program = intro.program.name
    if intro.mentor_id is None:
        if len(intro.others) == 1:
            return _("Meet your peer partner in {program}: {names}").format(
                program=program, names=names
            )
        return _("Meet your peer group in {program}: {names}").format(program=program, names=names)
    if intro.mentor_id == intro.recipient.member_id:
        return _("Meet your mentee in {program}: {names}").format(program=program, names=names)
    return _("Meet your mentor in {program}: {names}").format(program=program, names=names)


def build_introduction(intro: Introduction, *, extra_blocks: Sequence[Block] = ()) -> Message:
    """The introduction message: who, why in one sentence, a first prompt, then any extras; in the
    recipient's language when the introduction names one."""
    if intro.language is not None and intro.language != current_language():
        with speaking(intro.language):
            return build_introduction(intro, extra_blocks=extra_blocks)
    from bot.pairing.meeting import time_buttons

    title = _title(intro)
    known = dict(intro.people)
    me = known.get(intro.recipient.member_id)
    greeting = f"{mention(me.user_id)} " if me is not None and len(intro.people) > 1 else ""
    times = time_buttons(intro.pairing_id, intro.slots, intro.recipient.timezone)
    blocks: list[Block] = [
        Section(
            f"{greeting}*{_title(intro, spans=True)}*",
            fields=tuple(_profile_line(o) for o in intro.others),
        ),
        Section(
            _("*Why you two:* {reason}").format(reason=said(intro.reason))
            if len(intro.others) == 1
            else _("*Why this group:* {reason}").format(reason=said(intro.reason))
        ),
        Section(_("*To start:* {prompt}").format(prompt=said(intro.prompt))),
        *extra_blocks,
        *(
            (Section(_("*Suggest a time* when you're all free (your time):")), times)
            if times is not None
            else ()
        ),
        Divider(),
        Context(
            _(
                "Round {number}. Say hello in this conversation and find 20 minutes that suits "
                "you; halfway through the round I'll ask whether you managed to meet."
            ).format(number=intro.round_number)
            if len(intro.people) > 1
            else _(
                "Round {number}. Send a message to say hello and find 20 minutes that suits you "
                "both; halfway through the round I'll ask whether you managed to meet."
            ).format(number=intro.round_number)
        ),
    ]
    text = _("{title}. {reason} To start: {prompt}").format(
        title=title, reason=intro.reason, prompt=intro.prompt
    )
    everyone = tuple(m for _id, m in intro.people)
    return Message(
        text=text,
        blocks=tuple(blocks),
        ephemeral=False,
        mentions=everyone,
        conversation=everyone if len(everyone) > 1 else (),
    )


def introduction_with_extras(
    scope: Scope, intro: Introduction, extras: Sequence[IntroductionExtra], now: datetime
) -> Message:
    """``build_introduction`` with whatever the extras it is given add."""
    return introductions_with_extras(scope, [intro], extras, now)[0]


def introductions_with_extras(
    scope: Scope,
    intros: Sequence[Introduction],
    extras: Sequence[IntroductionExtra],
    now: datetime,
) -> list[Message]:
    """Many introductions, each in its recipient's language: each extra is asked once for all the
    introductions in one language (what it adds is written in that language too)."""
    added = extra_blocks_for(scope, intros, extras, now)
    return [
        build_introduction(intro, extra_blocks=blocks)
        for intro, blocks in zip(intros, added, strict=True)
    ]


def extra_blocks_for(
    scope: Scope,
    intros: Sequence[Introduction],
    extras: Sequence[IntroductionExtra],
    now: datetime,
) -> list[list[Block]]:
    """What the extras add to each of ``intros``, asked once for all the introductions in one
    language and written in it: a whole round's worth, so the library answers each distinct question
    once, however the messages are then built and queued."""
    by_language: dict[str, list[int]] = {}
    for k, intro in enumerate(intros):
        by_language.setdefault(intro.language or current_language(), []).append(k)
    found: list[list[Block]] = [[] for _intro in intros]
    if not extras:
        return found
    for language, indexes in by_language.items():
        batch = [intros[k] for k in indexes]
        with speaking(language):
            for add in extras:
                try:
                    added = add(scope, batch, now)
                except Exception:  # an extra must never cost someone their introduction
                    log.exception("introduction extra %r failed", add)
                    continue
                for k, more in zip(indexes, added, strict=True):
                    found[k].extend(more)
    return found
