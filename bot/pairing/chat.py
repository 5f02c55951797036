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
from bot.kernel.i18n import N_, _, and_list, ngettext, number
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
    N_(
        "pair preview NAME | publish NAME | pin NAME PERSON with PERSON | "
        "forbid NAME PERSON with PERSON [always] | tune NAME key=value ..."
    ),
    N_(
        "Pairing rounds: see the proposed pairs and groups with reasons, change them, publish them."
    ),
    coordinator_only=True,
    examples=(
        N_('pair preview "New Teacher Mentoring"'),
        N_('pair pin "New Teacher Mentoring" Ana Lopez with Ben Okafor'),
        N_('pair forbid "Year 9 PLC" Ana Lopez with Cara Kim always'),
        N_('pair tune "Year 9 PLC" focus=cross_subject history=4'),
        N_('pair publish "New Teacher Mentoring"'),
    ),
)
TUNE_KEYS = (*TUNABLE, "focus", "schools", "history", "capacity")
EXAMPLE = N_("pair preview Year 9 PLC")
WITH = ("with", "con", "and", "+", "&")
"""What may stand between the two people of a pin or a forbid (``con``: a Spanish speaker's "with")."""
ALWAYS = ("always", "never-again", "permanently", "siempre")


def pair(
    ctx: Ctx, cmd: ParsedCommand, *, extras: Sequence[IntroductionExtra] = ()
) -> list[Message]:
    ctx.require_coordinator()
    if not cmd.args:
        raise usage_error("pair", _("What should I do: preview, publish, pin, forbid or tune?"))
    sub, rest = cmd.args[0].lower(), list(cmd.args[1:])
    if sub == "preview":
        program = program_named(ctx, " ".join(rest), verb="pair", example=_(EXAMPLE))
        plan = rounds.plan_round(ctx.repos, program, ctx.now, reasons=rounds.PREVIEW_LIMIT)
        return [rounds.preview_message(plan)]
    if sub == "publish":
        return [
            _publish(
                ctx,
                program_named(ctx, " ".join(rest), verb="pair", example=_(EXAMPLE)),
                extras,
            )
        ]
    if sub in ("pin", "forbid"):
        return [_rule(ctx, sub, rest)]
    if sub == "tune":
        return [
            _tune(
                ctx,
                program_named(ctx, " ".join(rest), verb="pair", example=_(EXAMPLE)),
                cmd.options,
            )
        ]
    raise usage_error("pair", _("I don't know `pair {sub}`.").format(sub=sub))


def _publish(ctx: Ctx, program: Program, extras: Sequence[IntroductionExtra]) -> Message:
    plan = rounds.plan_round(ctx.repos, program, ctx.now)
    if not plan.proposal.groups:
        why = "; ".join(rounds.preview_lines(plan)[1:])
        raise UserError(
            _("Nobody can be paired in {program} right now: {why}").format(
                program=program.name, why=why
            )
            if why
            else _("Nobody can be paired in {program} right now: it has no teachers yet.").format(
                program=program.name
            )
        )
    if rounds.publish(ctx.repos, plan, ctx.now, extras) is None:
        raise UserError(
            _("Round {number} of {program} was just published by someone else.").format(
                number=plan.number, program=program.name
            )
        )
    count = len(plan.proposal.groups)
    fill = {
        "number": plan.number,
        "program": program.name,
        "count": count,
        "people": sum(len(g.member_ids) for g in plan.proposal.groups),
        "score": number(plan.proposal.score),
    }
    text = (
        ngettext(
            "Published round {number} of {program}: {count} pair, {people} people introduced, "
            "score {score}.",
            "Published round {number} of {program}: {count} pairs, {people} people introduced, "
            "score {score}.",
            count,
        )
        if program.kind is ProgramKind.MENTORING
        else ngettext(
            "Published round {number} of {program}: {count} group, {people} people introduced, "
            "score {score}.",
            "Published round {number} of {program}: {count} groups, {people} people introduced, "
            "score {score}.",
            count,
        )
    ).format(**fill)
    if plan.proposal.unmatched:
        text += " " + _("Not matched ({count}), and told why: {people}").format(
            count=len(plan.proposal.unmatched),
            people="; ".join(
                _("{name}: {why}").format(name=said(u.name), why=_(u.why))
                for u in plan.proposal.unmatched[:20]
            ),
        )
    return text_message(text)


def _split_people(words: list[str]) -> tuple[str, str] | None:
    lowered = [w.lower() for w in words]
    for sep in WITH:
        if sep in lowered:
            i = lowered.index(sep)
            return " ".join(words[:i]), " ".join(words[i + 1 :])
    if len(words) == 2:
        return words[0], words[1]
    return None


def _rule(ctx: Ctx, sub: str, words: list[str]) -> Message:
    always = bool(words) and words[-1].lower() in ALWAYS
    if always:
        words = words[:-1]
    named = program_and_rest(ctx, words)
    program, people = (named[0], _split_people(named[1])) if named else (None, None)
    if program is None or people is None:
        raise usage_error(
            "pair",
            _(
                "Tell me the program and two people, e.g. "
                "`pair {sub} Year 9 PLC Ana Lopez with Ben Okafor`."
            ).format(sub=sub),
        )
    assert program.id is not None
    a, b = (_person(ctx, program, text) for text in people)
    if a.id == b.id:
        raise UserError(_("That's the same person twice."))
    assert a.id is not None and b.id is not None
    rules = ctx.repos.pairing.rules(program.id)
    last = ctx.repos.pairing.last_round(program.id)
    number = (last.number if last else 0) + 1
    never = {pair_key(r.member_a, r.member_b) for r in rules if r.kind is RuleKind.DO_NOT_PAIR}
    if sub == "pin":
        if pair_key(a.id, b.id) in never:
            raise UserError(
                _("{first} and {second} are on the do-not-pair list; I won't pin them.").format(
                    first=said(a.display_name), second=said(b.display_name)
                )
            )
        pinned = {
            m
            for r in rules
            if r.kind is RuleKind.PIN and r.round_number == number
            for m in (r.member_a, r.member_b)
        }
        for person in (a, b):
            if person.id in pinned:
                raise UserError(
                    _("{name} is already pinned in round {number}.").format(
                        name=said(person.display_name), number=number
                    )
                )
        if program.kind is ProgramKind.MENTORING:
            roles = {m.member_id: m.role for m in ctx.repos.memberships.for_program(program.id)}
            if roles.get(a.id) == roles.get(b.id) and roles.get(a.id) in (
                ProgramRole.MENTOR,
                ProgramRole.MENTEE,
            ):
                raise UserError(
                    _("Both are mentors; a mentoring pin needs a mentor and a mentee.")
                    if roles[a.id] is ProgramRole.MENTOR
                    else _("Both are mentees; a mentoring pin needs a mentor and a mentee.")
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
        what = _(
            "Pinned {first} with {second} for round {number} of {program}. "
            "See the result with `pair preview {program}`."
        )
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
        what = (
            _(
                "{first} and {second} won't be paired in any round of {program}. "
                "See the result with `pair preview {program}`."
            )
            if always
            else _(
                "{first} and {second} won't be paired in round {number} of {program}. "
                "See the result with `pair preview {program}`."
            )
        )
    return text_message(
        what.format(
            first=said(a.display_name),
            second=said(b.display_name),
            number=number,
            program=program.name,
        )
    )


def _person(ctx: Ctx, program: Program, text: str) -> Member:
    assert program.id is not None
    person = person_named(ctx.repos, text)
    if person is None:
        raise UserError(_("I can't find “{name}” in this workspace.").format(name=text))
    if not any(
        m.member_id == person.id and m.role is not ProgramRole.COORDINATOR
        for m in ctx.repos.memberships.for_program(program.id)
    ):
        raise UserError(
            _("{name} isn't a teacher in {program}.").format(
                name=said(person.display_name), program=program.name
            )
        )
    return person


def _tune(ctx: Ctx, program: Program, options: dict[str, str]) -> Message:
    """Change what a good match means for this program; every value is checked before any is saved."""
    if not options:
        current = weights_from_settings(rounds.pairing_settings(program))
        return text_message(
            _(
                "{program} pairs with weights {weights}, schools={schools}. Tune with "
                "`pair tune {program} key=value`; keys: {keys}; focus is one of {presets}."
            ).format(
                program=program.name,
                weights=", ".join(f"{k}={getattr(current, k):g}" for k in TUNABLE),
                schools=current.school_preference.value,
                keys=", ".join(TUNE_KEYS),
                presets=", ".join(FOCUS_PRESETS),
            )
        )
    unknown = sorted(set(options) - set(TUNE_KEYS))
    if unknown:
        raise usage_error(
            "pair",
            _("I can't tune {unknown}. Keys: {keys}.").format(
                unknown=", ".join(unknown), keys=", ".join(TUNE_KEYS)
            ),
        )
    settings = rounds.pairing_settings(program)
    for key, value in options.items():
        if key in TUNABLE:
            try:
                weight = float(value)
            except ValueError:
                raise UserError(
                    _("{key} must be a number, e.g. {key}=3.").format(key=key)
                ) from None
            if not -10 <= weight <= 10:
                raise UserError(_("{key} must be between -10 and 10.").format(key=key))
            settings[key] = weight
        elif key == "focus":
            if value not in FOCUS_PRESETS:
                raise UserError(
                    _("focus is one of {presets}.").format(presets=", ".join(FOCUS_PRESETS))
                )
            settings["focus"] = value
        elif key == "schools":
            if value not in {p.value for p in SchoolPreference}:
                raise UserError(_("schools is same, different or any."))
            settings["school_preference"] = value
        else:
            low, high = (0, 12) if key == "history" else (1, 10)
            count = whole_number(value, low, high)
            if count is None:
                raise UserError(
                    _("{key} must be a whole number from {low} to {high}.").format(
                        key=key, low=low, high=high
                    )
                )
            settings[key] = count
    program.settings = {**program.settings, "pairing": settings}
    ctx.repos.programs.save(program)
    weights = weights_from_settings(settings)
    history = int(settings.get("history", rounds.DEFAULT_HISTORY_ROUNDS))
    return text_message(
        ngettext(
            "Updated pairing for {program}: {weights}, schools={schools}, history={history} round.",
            "Updated pairing for {program}: {weights}, schools={schools}, history={history} rounds.",
            history,
        ).format(
            program=program.name,
            weights=", ".join(f"{k}={getattr(weights, k):g}" for k in TUNABLE),
            schools=weights.school_preference.value,
            history=history,
        )
    )


CANT_WHY_ACTION = "pairing.cant_why"
CANT_REASONS = {
    "timetable": N_("Our timetables don't meet"),
    "fit": N_("Not a good fit"),
    "coordinator": N_("I'd rather tell the coordinator"),
}


def met_button(ctx: Ctx, value: str, *, extras: Sequence[IntroductionExtra] = ()) -> list[Message]:
    """One tap from the "did you meet?" message; only someone in the pair can answer."""
    member = ctx.require_member()
    pairing_id, _sep, answer = value.partition(":")
    try:
        status = MetStatus(answer)
        pairing = ctx.repos.pairing.pairing(int(pairing_id))
    except ValueError:
        pairing = None
        status = MetStatus.MET
    if pairing is None or member.id not in pairing.member_ids:
        raise UserError(_("That button has expired. Type `help` to see what you can do now."))
    if status is MetStatus.CANT:
        reply = _cant(ctx, member, pairing)
    else:
        ctx.repos.pairing.set_met(pairing.id, status)
        text = (
            _("Great, thanks! Glad you found the time.")
            if status is MetStatus.MET
            else _("Thanks. There's still time; a short message to suggest a slot often does it.")
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
            _(
                "Thanks for saying; it happens. You won't be held to this pairing. If you'd like, "
                "tell me what got in the way: only you see this, and the coordinator hears only if "
                "you choose that."
            )
        ),
        Actions(
            tuple(
                Button(_(label), CANT_WHY_ACTION, f"{pairing.id}:{key}")
                for key, label in CANT_REASONS.items()
            )
        ),
    ]
    if found is not None:
        program, last = found
        assert program.id is not None
        blocks += [
            Section(_("Or, if you'd rather not wait for the next round, I can pair you now.")),
            rematch_button(program.id, last.number),
        ]
        for other_id in pairing.member_ids:
            other = ctx.repos.members.get(other_id)
            if other_id == member.id or other is None or other.status is MemberStatus.OPTED_OUT:
                continue
            ctx.send_built(
                other,
                lambda: _called_off(member, program, last),
                f"pairing:{program.id}:{last.number}:{pairing.id}:cant:{other_id}",
            )
    text = _("Thanks for saying; it happens. You won't be held to this pairing.")
    return Message(text=text, blocks=tuple(blocks))


def _called_off(member: Member, program: Program, last: RoundRecord) -> Message:
    """What the others in a pairing hear when one of them said "We can't"."""
    assert program.id is not None
    text = _(
        "{name} let me know your pairing in round {number} of {program} can't go ahead this "
        "time. That happens and it's nobody's fault. Would you like someone else now?"
    ).format(name=said(member.display_name), number=last.number, program=program.name)
    return Message(
        text=text,
        blocks=(Section(text), rematch_button(program.id, last.number)),
        ephemeral=False,
    )


def cant_why_button(ctx: Ctx, value: str) -> list[Message]:
    """Why a pairing couldn't go ahead: kept private, unless the teacher chose to tell the coordinator."""
    member = ctx.require_member()
    assert member.id is not None
    pairing_id, _sep, reason = value.partition(":")
    try:
        pairing = ctx.repos.pairing.pairing(int(pairing_id))
    except ValueError:
        pairing = None
    if pairing is None or member.id not in pairing.member_ids or reason not in CANT_REASONS:
        raise UserError(_("That button has expired. Type `help` to see what you can do now."))
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
        return [
            text_message(_("Understood. I won't pair you together again. Thanks for telling me."))
        ]
    if reason == "timetable":
        return [
            text_message(
                _(
                    "Thanks. Timetables are the usual reason; a partner with free periods that "
                    "line up with yours is worth a try."
                )
            )
        ]
    program = ctx.repos.programs.get(pairing.program_id)
    if program is None or program.id is None:
        raise UserError(_("That program no longer exists."))
    for membership in ctx.repos.memberships.for_program(program.id):
        if membership.role is not ProgramRole.COORDINATOR:
            continue
        coordinator = ctx.repos.members.get(membership.member_id)
        if coordinator is None or coordinator.id == member.id:
            continue
        ctx.send_built(
            coordinator,
            lambda: text_message(
                _(
                    "{name} would like a word with you about their pairing in {program}. They "
                    "didn't say more here; a quick message to them is the next step."
                ).format(name=said(member.display_name), program=program.name),
                ephemeral=False,
            ),
            f"pairing:{program.id}:{pairing.id}:tell:{member.id}:{coordinator.id}",
        )
    return [
        text_message(
            _(
                "I've let the coordinator of {program} know you'd like a word, and nothing else."
            ).format(program=program.name)
        )
    ]


def rematch_pressed(
    ctx: Ctx, value: str, *, extras: Sequence[IntroductionExtra] = ()
) -> list[Message]:
    """*Find someone now*: a new partner from those still free this round, introduced at once."""
    member = ctx.require_member()
    assert member.id is not None
    program_id, _sep, number = value.partition(":")
    found_id = record_id(program_id)
    program = ctx.repos.programs.get(found_id) if found_id is not None else None
    last = ctx.repos.pairing.last_round(program.id) if program and program.id else None
    if program is None or last is None or str(last.number) != number:
        raise UserError(_("That round is over. The next round will pair you again."))
    found = rematch(ctx.repos, program, last, member.id, ctx.now, extras)
    if found.partner is not None:
        return [
            text_message(
                _(
                    "Done: you're now paired with {name} for round {number} of {program}. Your "
                    "introduction is on its way to you both."
                ).format(name=said(found.partner.name), number=last.number, program=program.name)
            )
        ]
    if found.already_with:
        return [
            text_message(
                _("You're already paired with {names} this round.").format(
                    names=and_list(found.already_with)
                )
            )
        ]
    return [text_message(found.why_not)]
