"""The coordinator's ``pair`` verb, and the "did you meet?" buttons everyone in a pair gets.

``pair preview NAME`` shows the next round with a reason for each group and the round's score;
``pair publish NAME`` makes it real; ``pair pin`` / ``pair forbid`` change it first; ``pair tune``
sets what a good match means for the program.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx, program_and_rest, program_named
from bot.kernel.domain import Member, Program, ProgramKind, ProgramRole
from bot.kernel.errors import UserError
from bot.kernel.messages import Message, text_message
from bot.kernel.parsing import whole_number
from bot.pairing import rounds
from bot.pairing.intro import IntroductionExtra
from bot.pairing.model import SchoolPreference, pair_key
from bot.pairing.ports import MetStatus, RuleKind
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
        return [rounds.preview_message(rounds.plan_round(ctx.repos, program, ctx.now))]
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
            f"{u.name}: {u.why}" for u in plan.proposal.unmatched[:20]
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
                f"{a.display_name} and {b.display_name} are on the do-not-pair list; I won't pin them."
            )
        pinned = {
            m
            for r in rules
            if r.kind is RuleKind.PIN and r.round_number == number
            for m in (r.member_a, r.member_b)
        }
        for person in (a, b):
            if person.id in pinned:
                raise UserError(f"{person.display_name} is already pinned in round {number}.")
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
        what = f"Pinned {a.display_name} with {b.display_name} for round {number}"
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
        what = f"{a.display_name} and {b.display_name} won't be paired {when}"
    return text_message(
        f"{what} of {program.name}. See the result with `pair preview {program.name}`."
    )


def _person(ctx: Ctx, program: Program, text: str) -> Member:
    assert program.id is not None
    person = ctx.repos.members.find(text)
    if person is None:
        raise UserError(f"I can't find “{text}” in this workspace.")
    if not any(
        m.member_id == person.id and m.role is not ProgramRole.COORDINATOR
        for m in ctx.repos.memberships.for_program(program.id)
    ):
        raise UserError(f"{person.display_name} isn't a teacher in {program.name}.")
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


def met_button(ctx: Ctx, value: str) -> list[Message]:
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
    ctx.repos.pairing.set_met(pairing.id, status)
    return [
        text_message(
            {
                MetStatus.MET: "Great, thanks! Glad you found the time.",
                MetStatus.NOT_YET: "Thanks. There's still time; a short message to suggest a slot often does it.",
                MetStatus.CANT: "Thanks for saying. You won't be held to this pairing, and the next round can match you again.",
            }[status]
        )
    ]
