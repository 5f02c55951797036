"""The coordinator's ``pair`` verb, and the "did you meet?" buttons everyone in a pair gets.

``pair preview NAME`` shows the next round with a reason for each group and the round's score;
``pair publish NAME`` makes it real; ``pair pin`` / ``pair forbid`` change it first; ``pair tune``
sets what a good match means for the program.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx, program_and_rest, program_named, record_id
from bot.kernel.domain import Member, MemberStatus, Program, ProgramKind, ProgramRole
from bot.kernel.errors import UserError
from bot.kernel.messages import Actions, Block, Button, Message, Section, said, text_message
from bot.kernel.names import person_named
from bot.kernel.parsing import whole_number
from bot.pairing import rounds
from bot.pairing.intro import IntroductionExtra
from bot.pairing.met import still_to_answer
from bot.pairing.model import SchoolPreference, pair_key
from bot.pairing.ports import MetStatus, PairingRecord, RoundRecord, RuleKind
from bot.pairing.rematch import rematch, rematch_button
from bot.pairing.scoring import FOCUS_PRESETS, TUNABLE, weights_from_settings

VERB = Verb(
    "pair",
    "pair preview NAME | publish NAME | pin NAME PERSON with PERSON | "
    "forbid NAME PERSON with PERSON [always] | tune NAME key=value ...",
    "Pairing rounds: see the proposed pairs and groups with reasons, change them, publish them.",
    coordinator_only=True,
    examples=(
        'pair preview "New Teacher Mentoring"',
        'pair pin "New Teacher Mentoring" Ana Lopez with Ben Okafor',
        'pair forbid "Year 9 PLC" Ana Lopez with Cara Kim always',
        'pair tune "Year 9 PLC" focus=cross_subject history=4',
        'pair publish "New Teacher Mentoring"',
    ),
)
TUNE_KEYS = (*TUNABLE, "focus", "schools", "history", "capacity")


def pair(
    ctx: Ctx, cmd: ParsedCommand, *, extras: Sequence[IntroductionExtra] = ()
) -> list[Message]:
    ctx.require_coordinator()
    if not cmd.args:
        raise usage_error("pair", "What should I do: preview, publish, pin, forbid or tune?")
    sub, rest = cmd.args[0].lower(), list(cmd.args[1:])
    if sub == "preview":
        program = program_named(ctx, " ".join(rest), verb="pair", example="pair preview Year 9 PLC")
        plan = rounds.plan_round(ctx.repos, program, ctx.now, reasons=rounds.PREVIEW_LIMIT)
        return [rounds.preview_message(plan)]
    if sub == "publish":
        return [
            _publish(
                ctx,
                program_named(ctx, " ".join(rest), verb="pair", example="pair preview Year 9 PLC"),
                extras,
            )
        ]
    if sub in ("pin", "forbid"):
        return [_rule(ctx, sub, rest)]
    if sub == "tune":
        return [
            _tune(
                ctx,
                program_named(ctx, " ".join(rest), verb="pair", example="pair preview Year 9 PLC"),
                cmd.options,
            )
        ]
    raise usage_error("pair", f"I don't know `pair {sub}`.")


def _publish(ctx: Ctx, program: Program, extras: Sequence[IntroductionExtra]) -> Message:
    plan = rounds.plan_round(ctx.repos, program, ctx.now)
    if not plan.proposal.groups:
        raise UserError(
            f"Nobody can be paired in {program.name} right now: "
            + ("; ".join(rounds.preview_lines(plan)[1:]) or "it has no teachers yet.")
        )
    if rounds.publish(ctx.repos, plan, ctx.now, extras) is None:
        raise UserError(
            f"Round {plan.number} of {program.name} was just published by someone else."
        )
    people = sum(len(g.member_ids) for g in plan.proposal.groups)
    text = (
        f"Published round {plan.number} of {program.name}: {len(plan.proposal.groups)} "
        f"{'pairs' if program.kind is ProgramKind.MENTORING else 'groups'}, {people} people "
        f"introduced, score {plan.proposal.score:g}."
    )
    if plan.proposal.unmatched:
        text += f" Not matched ({len(plan.proposal.unmatched)}), and told why: " + "; ".join(
            f"{said(u.name)}: {u.why}" for u in plan.proposal.unmatched[:20]
        )
    return text_message(text)


def _split_people(words: list[str]) -> tuple[str, str] | None:
    lowered = [w.lower() for w in words]
    for sep in ("with", "and", "+", "&"):
        if sep in lowered:
            i = lowered.index(sep)
            return " ".join(words[:i]), " ".join(words[i + 1 :])
    if len(words) == 2:
        return words[0], words[1]
    return None


def _rule(ctx: Ctx, sub: str, words: list[str]) -> Message:
    always = bool(words) and words[-1].lower() in ("always", "never-again", "permanently")
    if always:
        words = words[:-1]
    named = program_and_rest(ctx, words)
    program, people = (named[0], _split_people(named[1])) if named else (None, None)
    if program is None or people is None:
        raise usage_error(
            "pair",
            f"Tell me the program and two people, e.g. `pair {sub} Year 9 PLC Ana Lopez with Ben Okafor`.",
        )
    assert program.id is not None
    a, b = (_person(ctx, program, text) for text in people)
    if a.id == b.id:
        raise UserError("That's the same person twice.")
    assert a.id is not None and b.id is not None
    rules = ctx.repos.pairing.rules(program.id)
    last = ctx.repos.pairing.last_round(program.id)
    number = (last.number if last else 0) + 1
    never = {pair_key(r.member_a, r.member_b) for r in rules if r.kind is RuleKind.DO_NOT_PAIR}
    if sub == "pin":
        if pair_key(a.id, b.id) in never:
            raise UserError(
                f"{said(a.display_name)} and {said(b.display_name)} are on the do-not-pair list; I won't pin them."
            )
        pinned = {
            m
            for r in rules
            if r.kind is RuleKind.PIN and r.round_number == number
            for m in (r.member_a, r.member_b)
        }
        for person in (a, b):
            if person.id in pinned:
                raise UserError(f"{said(person.display_name)} is already pinned in round {number}.")
        if program.kind is ProgramKind.MENTORING:
            roles = {m.member_id: m.role for m in ctx.repos.memberships.for_program(program.id)}
            if roles.get(a.id) == roles.get(b.id) and roles.get(a.id) in (
                ProgramRole.MENTOR,
                ProgramRole.MENTEE,
            ):
                raise UserError(
                    f"Both are {roles[a.id].value}s; a mentoring pin needs a mentor and a mentee."
                )
        ctx.repos.pairing.add_rule(
            program.id,
            RuleKind.PIN,
            a.id,
            b.id,
            round_number=number,
            created_by=ctx.member.id if ctx.member else None,
            now=ctx.now,
        )
        what = f"Pinned {said(a.display_name)} with {said(b.display_name)} for round {number}"
    else:
        kind = RuleKind.DO_NOT_PAIR if always else RuleKind.FORBID
        ctx.repos.pairing.add_rule(
            program.id,
            kind,
            a.id,
            b.id,
            round_number=None if always else number,
            created_by=ctx.member.id if ctx.member else None,
            now=ctx.now,
        )
        when = "in any round" if always else f"in round {number}"
        what = f"{said(a.display_name)} and {said(b.display_name)} won't be paired {when}"
    return text_message(
        f"{what} of {program.name}. See the result with `pair preview {program.name}`."
    )


def _person(ctx: Ctx, program: Program, text: str) -> Member:
    assert program.id is not None
    person = person_named(ctx.repos, text)
    if person is None:
        raise UserError(f"I can't find “{text}” in this workspace.")
    if not any(
        m.member_id == person.id and m.role is not ProgramRole.COORDINATOR
        for m in ctx.repos.memberships.for_program(program.id)
    ):
        raise UserError(f"{said(person.display_name)} isn't a teacher in {program.name}.")
    return person


def _tune(ctx: Ctx, program: Program, options: dict[str, str]) -> Message:
    """Change what a good match means for this program; every value is checked before any is saved."""
    if not options:
        current = weights_from_settings(rounds.pairing_settings(program))
        return text_message(
            f"{program.name} pairs with weights "
            + ", ".join(f"{k}={getattr(current, k):g}" for k in TUNABLE)
            + f", schools={current.school_preference.value}. Tune with "
            f"`pair tune {program.name} key=value`; keys: {', '.join(TUNE_KEYS)}; "
            f"focus is one of {', '.join(FOCUS_PRESETS)}."
        )
    unknown = sorted(set(options) - set(TUNE_KEYS))
    if unknown:
        raise usage_error(
            "pair", f"I can't tune {', '.join(unknown)}. Keys: {', '.join(TUNE_KEYS)}."
        )
    settings = rounds.pairing_settings(program)
    for key, value in options.items():
        if key in TUNABLE:
            try:
                number = float(value)
            except ValueError:
                raise UserError(f"{key} must be a number, e.g. {key}=3.") from None
            if not -10 <= number <= 10:
                raise UserError(f"{key} must be between -10 and 10.")
            settings[key] = number
        elif key == "focus":
            if value not in FOCUS_PRESETS:
                raise UserError(f"focus is one of {', '.join(FOCUS_PRESETS)}.")
            settings["focus"] = value
        elif key == "schools":
            if value not in {p.value for p in SchoolPreference}:
                raise UserError("schools is same, different or any.")
            settings["school_preference"] = value
        else:
            low, high = (0, 12) if key == "history" else (1, 10)
            count = whole_number(value, low, high)
            if count is None:
                raise UserError(f"{key} must be a whole number from {low} to {high}.")
            settings[key] = count
    program.settings = {**program.settings, "pairing": settings}
    ctx.repos.programs.save(program)
    weights = weights_from_settings(settings)
    return text_message(
        f"Updated pairing for {program.name}: "
        + ", ".join(f"{k}={getattr(weights, k):g}" for k in TUNABLE)
        + f", schools={weights.school_preference.value}, history={settings.get('history', rounds.DEFAULT_HISTORY_ROUNDS)} rounds."
    )


CANT_WHY_ACTION = "pairing.cant_why"
CANT_REASONS = {
    "timetable": "Our timetables don't meet",
    "fit": "Not a good fit",
    "coordinator": "I'd rather tell the coordinator",
}


def met_button(ctx: Ctx, value: str, *, extras: Sequence[IntroductionExtra] = ()) -> list[Message]:
    """One tap from the "did you meet?" message; only someone in the pair can answer."""
    member = ctx.require_member()
    pairing_id, _, answer = value.partition(":")
    try:
        status = MetStatus(answer)
        pairing = ctx.repos.pairing.pairing(int(pairing_id))
    except ValueError:
        pairing = None
        status = MetStatus.MET
    if pairing is None or member.id not in pairing.member_ids:
        raise UserError("That button has expired. Type `help` to see what you can do now.")
    if status is MetStatus.CANT:
        reply = _cant(ctx, member, pairing)
    else:
        ctx.repos.pairing.set_met(pairing.id, status)
        text = (
            "Great, thanks! Glad you found the time."
            if status is MetStatus.MET
            else "Thanks. There's still time; a short message to suggest a slot often does it."
        )
        reply = Message(text=text, blocks=(Section(text),))
    rest = still_to_answer(ctx, member, pairing.id)  # the same message asked about these too
    return [Message(text=reply.text, blocks=(*reply.blocks, *rest))] if rest else [reply]


def _live_round(ctx: Ctx, pairing: PairingRecord) -> tuple[Program, RoundRecord] | None:
    program = ctx.repos.programs.get(pairing.program_id)
    last = ctx.repos.pairing.last_round(pairing.program_id)
    if program is None or last is None or last.id != pairing.round_id:
        return None
    return program, last


def _cant(ctx: Ctx, member: Member, pairing: PairingRecord) -> Message:
    """ "We can't": the pairing is called off, the others are told kindly once, and the one who said
    it is asked privately why (only the coordinator option tells anyone) and offered someone now."""
    assert member.id is not None
    found = _live_round(ctx, pairing)
    ctx.repos.pairing.set_met(pairing.id, MetStatus.CANT)
    blocks: list[Block] = [
        Section(
            "Thanks for saying; it happens. You won't be held to this pairing. If you'd like, tell "
            "me what got in the way: only you see this, and the coordinator hears only if you "
            "choose that."
        ),
        Actions(
            tuple(
                Button(label, CANT_WHY_ACTION, f"{pairing.id}:{key}")
                for key, label in CANT_REASONS.items()
            )
        ),
    ]
    if found is not None:
        program, last = found
        assert program.id is not None
        blocks += [
            Section("Or, if you'd rather not wait for the next round, I can pair you now."),
            rematch_button(program.id, last.number),
        ]
        for other_id in pairing.member_ids:
            other = ctx.repos.members.get(other_id)
            if other_id == member.id or other is None or other.status is MemberStatus.OPTED_OUT:
                continue
            text = (
                f"{said(member.display_name)} let me know your pairing in round {last.number} of "
                f"{program.name} can't go ahead this time. That happens and it's nobody's fault. "
                "Would you like someone else now?"
            )
            ctx.send(
                other,
                Message(
                    text=text,
                    blocks=(Section(text), rematch_button(program.id, last.number)),
                    ephemeral=False,
                ),
                f"pairing:{program.id}:{last.number}:{pairing.id}:cant:{other_id}",
            )
    text = "Thanks for saying; it happens. You won't be held to this pairing."
    return Message(text=text, blocks=tuple(blocks))


def cant_why_button(ctx: Ctx, value: str) -> list[Message]:
    """Why a pairing couldn't go ahead: kept private, unless the teacher chose to tell the coordinator."""
    member = ctx.require_member()
    assert member.id is not None
    pairing_id, _, reason = value.partition(":")
    try:
        pairing = ctx.repos.pairing.pairing(int(pairing_id))
    except ValueError:
        pairing = None
    if pairing is None or member.id not in pairing.member_ids or reason not in CANT_REASONS:
        raise UserError("That button has expired. Type `help` to see what you can do now.")
    if reason == "fit":
        for other in pairing.member_ids:
            if other != member.id and not any(
                r.kind is RuleKind.DO_NOT_PAIR
                and pair_key(r.member_a, r.member_b) == pair_key(other, member.id)
                for r in ctx.repos.pairing.rules(pairing.program_id)
            ):
                ctx.repos.pairing.add_rule(
                    pairing.program_id,
                    RuleKind.DO_NOT_PAIR,
                    member.id,
                    other,
                    round_number=None,
                    created_by=member.id,
                    now=ctx.now,
                )
        return [text_message("Understood. I won't pair you together again. Thanks for telling me.")]
    if reason == "timetable":
        return [
            text_message(
                "Thanks. Timetables are the usual reason; a partner with free periods that "
                "line up with yours is worth a try."
            )
        ]
    program = ctx.repos.programs.get(pairing.program_id)
    if program is None or program.id is None:
        raise UserError("That program no longer exists.")
    for membership in ctx.repos.memberships.for_program(program.id):
        if membership.role is not ProgramRole.COORDINATOR:
            continue
        coordinator = ctx.repos.members.get(membership.member_id)
        if coordinator is None or coordinator.id == member.id:
            continue
        ctx.send(
            coordinator,
            text_message(
                f"{said(member.display_name)} would like a word with you about their pairing in "
                f"{program.name}. They didn't say more here; a quick message to them is the "
                "next step.",
                ephemeral=False,
            ),
            f"pairing:{program.id}:{pairing.id}:tell:{member.id}:{coordinator.id}",
        )
    return [
        text_message(
            f"I've let the coordinator of {program.name} know you'd like a word, and nothing else."
        )
    ]


def rematch_pressed(
    ctx: Ctx, value: str, *, extras: Sequence[IntroductionExtra] = ()
) -> list[Message]:
    """*Find someone now*: a new partner from those still free this round, introduced at once."""
    member = ctx.require_member()
    assert member.id is not None
    program_id, _, number = value.partition(":")
    found_id = record_id(program_id)
    program = ctx.repos.programs.get(found_id) if found_id is not None else None
    last = ctx.repos.pairing.last_round(program.id) if program and program.id else None
    if program is None or last is None or str(last.number) != number:
        raise UserError("That round is over. The next round will pair you again.")
    found = rematch(ctx.repos, program, last, member.id, ctx.now, extras)
    if found.partner is not None:
        return [
            text_message(
                f"Done: you're now paired with {said(found.partner.name)} for round {last.number} of "
                f"{program.name}. Your introduction is on its way to you both."
            )
        ]
    if found.already_with:
        return [
            text_message(f"You're already paired with {', '.join(found.already_with)} this round.")
        ]
    return [text_message(found.why_not)]
