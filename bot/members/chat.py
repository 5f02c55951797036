"""Joining, profiles, goals, and taking a break: a teacher's own settings.

Everything here is about the person who typed; nobody changes someone else's profile from chat. The
profile form, what it accepts and how a profile is shown are ``profile.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx, program_named, record_id
from bot.kernel.dispatch import hear_platform_language
from bot.kernel.domain import Member, Membership, MemberStatus, ProgramKind, ProgramRole
from bot.kernel.errors import FormInvalid, UserError
from bot.kernel.events import FormValue, form_text
from bot.kernel.i18n import N_, _, clock, ngettext, weekday_name, when
from bot.kernel.identity import ensure_address_free, release_typed_copies, vouch_from_platform
from bot.kernel.messages import Actions, Block, Button, Message, Section, said, text_message
from bot.kernel.names import name_taken, named_alike, refuse_a_colleagues_name
from bot.kernel.parsing import ParseError, parse_future_date
from bot.kernel.replies import done
from bot.members.profile import (
    MAX_GOAL_LENGTH,
    MAX_GOALS,
    PROFILE_KEYS,
    apply_profile_value,
    profile_blocks,
    profile_form,
    read_profile_form,
    role_name,
    settable_keys,
)

MENTOR_MIN_YEARS = 5

# Usage lines and examples are marked too: their placeholders (DATE, TEXT) and sample words are
# translated, the verbs and keys in them never are.
VERBS = (
    Verb(
        "join",
        N_("join [program]"),
        N_("Join Staffroom (and a program): tell us your subjects, grades and goals."),
        examples=("join", N_("join New Teacher Mentoring")),
    ),
    Verb(
        "profile",
        N_("profile [edit | set key=value ...]"),
        N_(
            "See or change your profile: name, subjects, grades, years, school, timezone, "
            "strengths, language."
        ),
        examples=(
            "profile",
            N_("profile set subjects=Maths,Physics grades=9-10 timezone=Europe/London"),
            N_("profile set language=es"),
        ),
    ),
    Verb(
        "goals",
        N_("goals [add TEXT | focus N | remove N | clear]"),
        N_("Your professional goals; the first is your focus, which check-ins ask about."),
        examples=(
            N_("goals add Use more open questions"),
            "goals focus 2",  # not translated: a command as typed, no words in it
            "goals remove 2",  # not translated: a command as typed, no words in it
        ),
    ),
    Verb(
        "pause",
        N_("pause [until DATE]"),
        N_("Take a break from check-ins and pairings (holidays, leave, a busy spell)."),
        examples=(
            "pause",
            "pause until 2026-12-01",  # not translated: a command as typed, no words in it
            "pause until jan 5",  # not translated: a command as typed (the parser's words)
            "pause 2 weeks",
        ),
    ),
    Verb("resume", "resume", N_("Come back from a pause.")),
    Verb("leave", "leave", N_("Stop all messages from Staffroom (you can join again any time).")),
)


# --- join ---------------------------------------------------------------------------------------


def join(ctx: Ctx, cmd: ParsedCommand, *, invited: bool = False) -> list[Message]:
    program_name = " ".join(cmd.args).strip()
    program_id = str(program_named(ctx, program_name).id) if program_name else ""
    member = ctx.member
    if member is not None and member.status is not MemberStatus.OPTED_OUT:
        if program_id:
            return [_enrol_reply(ctx, member, int(program_id))]
        if invited:  # imported: pressing Join on the invitation was their consent
            return [
                Message(
                    text=_("Welcome, {name}! You're in.").format(name=said(member.display_name)),
                    blocks=(
                        Section(
                            _(
                                "Welcome, *{name}*! You're in. This is the profile your school "
                                "gave; `profile edit` changes anything."
                            ).format(name=said(member.display_name))
                        ),
                        *profile_blocks(ctx, member),
                    ),
                )
            ]
        return [
            Message(
                text=_("You're already in Staffroom. Here is your profile."),
                blocks=(Section(_("You're already in Staffroom.")), *profile_blocks(ctx, member)),
            )
        ]
    return [
        Message(
            text=_("Welcome to Staffroom! Tell us a little about your teaching."),
            form=profile_form(ctx, member, joining_program=program_id or None),
        )
    ]


def submit_profile(ctx: Ctx, values: Mapping[str, FormValue], state: str) -> list[Message]:
    answers = read_profile_form(values)
    joining = state.startswith("join:")
    member = ctx.member
    if named_alike(ctx.repos, answers.name, besides=member.id if member else None):
        raise FormInvalid({"display_name": name_taken(answers.name)})
    if member is None:
        member = Member(
            workspace_id=ctx.workspace.id,
            platform_user_id=ctx.actor.user_id,
            display_name=answers.name,
        )
        vouch_from_platform(member, ctx.actor.email)
    hear_platform_language(member, ctx.actor.language)
    answers.apply_to(member)
    if joining:
        member.status = MemberStatus.ACTIVE
        member.paused_until = None
        member.consented_at = ctx.now
        member.joined_at = member.joined_at or ctx.now
    if member.id is None:
        member = ctx.repos.members.add(member)
    else:
        ctx.repos.members.save(member)
    release_typed_copies(ctx.repos, member)
    ctx.member = member
    with ctx.speaking_to(member):  # the language they may just have chosen
        return _after_profile(ctx, member, values, state, joining)


def _after_profile(
    ctx: Ctx, member: Member, values: Mapping[str, FormValue], state: str, joining: bool
) -> list[Message]:
    if not joining:
        return [
            Message(
                text=_("Saved. Here is your profile."),
                blocks=(Section(_("Saved ✅")), *profile_blocks(ctx, member)),
            )
        ]
    chosen = state.removeprefix("join:") or form_text(values, "program")
    if not chosen:
        programs = ctx.repos.programs.list()
        chosen = str(programs[0].id) if len(programs) == 1 else ""
    program_id = record_id(chosen)
    enrolled = [_enrol_reply(ctx, member, program_id)] if program_id is not None else []
    welcome = Message(
        text=_("Welcome, {name}! You're in.").format(name=said(member.display_name)),
        blocks=(
            Section(_("Welcome, *{name}*! You're in. 🎉").format(name=said(member.display_name))),
            *profile_blocks(ctx, member),
        ),
    )
    return [welcome, *enrolled]


def _enrol_reply(ctx: Ctx, member: Member, program_id: int) -> Message:
    program = ctx.repos.programs.get(program_id)
    if program is None:
        raise UserError(_("That program no longer exists."))
    assert member.id is not None and program.id is not None
    if program.kind is ProgramKind.MENTORING:
        min_years = int(program.settings.get("mentor_min_years", MENTOR_MIN_YEARS))
        role = (
            ProgramRole.MENTOR
            if (member.years_experience or 0) >= min_years
            else ProgramRole.MENTEE
        )
    else:
        role = ProgramRole.PEER
    existing = {m.program_id: m for m in ctx.repos.memberships.for_member(member.id)}
    if program.id in existing:
        return text_message(
            _("You're already in *{program}* (as {role}).").format(
                program=program.name, role=role_name(existing[program.id].role)
            )
        )
    ctx.repos.memberships.upsert(Membership(program_id=program.id, member_id=member.id, role=role))
    return text_message(
        # Translators: {weekday} is a day's name ("Wednesday"): the English says "Wednesdays".
        _(
            "You've joined *{program}* as a {role}. Check-ins come on {weekday}s at {time} your "
            "time; answering takes under a minute."
        ).format(
            program=program.name,
            role=role_name(role),
            weekday=weekday_name(program.checkin_weekday),
            time=clock(program.checkin_time),
        )
    )


# --- profile ------------------------------------------------------------------------------------


def profile(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    sub = cmd.args[0].lower() if cmd.args else ""
    if sub == "edit":
        return [Message(text=_("Edit your profile"), form=profile_form(ctx, member))]
    if sub == "set" or (not sub and cmd.options):
        if not cmd.options:
            raise usage_error(
                "profile", _('Tell me what to change, e.g. `profile set school="North High"`.')
            )
        changed = []
        for key, value in cmd.options.items():
            field = PROFILE_KEYS.get(key)
            if field is None:
                raise usage_error(
                    "profile",
                    _("I can't change “{key}”. I can change: {keys}.").format(
                        key=key, keys=settable_keys()
                    ),
                )
            try:
                apply_profile_value(member, field, value)
            except ParseError as exc:
                raise UserError(_("{key}: {problem}").format(key=key, problem=exc)) from None
            changed.append(key)
        ensure_address_free(ctx.repos, member)
        if "display_name" in (PROFILE_KEYS.get(k) for k in changed):
            refuse_a_colleagues_name(ctx.repos, member.display_name, member.id)
        ctx.repos.members.save(member)
        keys = ", ".join(changed)
        with ctx.speaking_to(member):  # a new language answers in itself
            return [
                Message(
                    text=_("Updated {keys}.").format(keys=keys),
                    blocks=(
                        Section(_("Updated {keys} ✅").format(keys=keys)),
                        *profile_blocks(ctx, member),
                    ),
                )
            ]
    if sub:
        raise usage_error("profile", _("I don't know `profile {sub}`.").format(sub=sub))
    return [
        Message(
            text=_("Profile of {name}").format(name=said(member.display_name)),
            blocks=profile_blocks(ctx, member),
        )
    ]


def edit_button(ctx: Ctx, _value: str) -> list[Message]:
    member = ctx.require_member()
    return [Message(text=_("Edit your profile"), form=profile_form(ctx, member))]


# --- goals --------------------------------------------------------------------------------------


GoalAdded = Callable[[Ctx, str], list[Message]]
"""What another feature says about a goal just added (the library: resources that fit it)."""


def goals(ctx: Ctx, cmd: ParsedCommand, *, goal_added: GoalAdded | None = None) -> list[Message]:
    member = ctx.require_member()
    sub = cmd.args[0].lower() if cmd.args else ""
    if sub == "add":
        text = " ".join(cmd.rest.split()[1:]) if cmd.rest else ""
        if not text:
            raise usage_error(
                "goals", _("What's the goal? e.g. `goals add Use more open questions`.")
            )
        if len(member.goals) >= MAX_GOALS:
            raise UserError(
                _("You already have {n} goals. Remove one first (`goals remove N`).").format(
                    n=MAX_GOALS
                )
            )
        if len(text) > MAX_GOAL_LENGTH:
            raise UserError(
                _("That goal is {n} characters; please keep it under {most}.").format(
                    n=len(text), most=MAX_GOAL_LENGTH
                )
            )
        if text.lower() in (g.lower() for g in member.goals):
            raise UserError(_("That goal is already on your list."))
        member.goals.append(text)
    elif sub == "remove":
        index = record_id(cmd.args[1]) if len(cmd.args) == 2 else None
        if index is None:
            raise usage_error("goals", _("Which one? Give its number, e.g. `goals remove 2`."))
        if not 1 <= index <= len(member.goals):
            raise UserError(no_such_goal(member, index))
        member.goals.pop(index - 1)
    elif sub == "focus":
        index = record_id(cmd.args[1]) if len(cmd.args) == 2 else None
        if index is None:
            raise usage_error("goals", _("Which one? Give its number, e.g. `goals focus 2`."))
        focus_on(member, index)
    elif sub == "clear":
        member.goals = []
    elif sub:
        raise usage_error("goals", _("I don't know `goals {sub}`.").format(sub=sub))
    if sub:
        ctx.repos.members.save(member)
    if not member.goals:
        return [
            text_message(
                _(
                    "You have no goals yet. Add one with "
                    "`goals add <what you want to get better at>`."
                )
            )
        ]
    head = _("Goals updated.") if sub else ""
    replies = [goals_message(member, head)]
    if sub == "add" and goal_added is not None:
        replies += goal_added(ctx, member.goals[-1])
    return replies


def focus_on(member: Member, index: int) -> None:
    """Star goal ``index`` (1-based): it moves to the top, where check-ins, introductions and the
    observation form look for the goal a teacher is working on now."""
    if not 1 <= index <= len(member.goals):
        raise UserError(no_such_goal(member, index))
    member.goals.insert(0, member.goals.pop(index - 1))


def no_such_goal(member: Member, index: int) -> str:
    n = len(member.goals)
    return ngettext(
        "You have {n} goal; there is no number {index}.",
        "You have {n} goals; there is no number {index}.",
        n,
    ).format(n=n, index=index)


def goals_message(member: Member, head: str = "") -> Message:
    """Their goals, numbered, the focus starred; ``head`` is a sentence before them ("Done.")."""
    lines = [
        f"{i}. {g}" + (_(" ★ your focus: check-ins ask about it") if i == 1 else "")
        for i, g in enumerate(member.goals, 1)
    ]
    text = (f"{head} " if head else "") + _("Your goals:") + "\n" + "\n".join(lines)
    buttons = tuple(
        Button(
            _("Focus on {n}").format(n=i),
            "member.goal_focus",
            value=str(i),
            description=_("Make goal {n}, {goal}, the one check-ins ask about").format(n=i, goal=g),
        )
        for i, g in enumerate(member.goals, 1)
        if i > 1
    )
    blocks: tuple[Block, ...] = (Section(text),) + ((Actions(buttons),) if buttons else ())
    return Message(text=text, blocks=blocks)


def focus_button(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    index = record_id(value)
    if index is None:
        raise UserError(_("That button is out of date; type `goals` to see your goals."))
    focus_on(member, index)
    ctx.repos.members.save(member)
    return [goals_message(member, _("Done."))]


# --- pause, resume, leave -----------------------------------------------------------------------


MemberLeft = Callable[[Ctx, Member], None]
"""What another feature does when a member leaves or pauses (pairing: ends their pairings, tells
partners)."""


def pause(
    ctx: Ctx, cmd: ParsedCommand, *, member_paused: MemberLeft | None = None
) -> list[Message]:
    return _pause(ctx, " ".join(cmd.args), member_paused)


def pause_button(ctx: Ctx, value: str, *, member_paused: MemberLeft | None = None) -> list[Message]:
    return _pause(ctx, value, member_paused)


def _pause(ctx: Ctx, typed: str, member_paused: MemberLeft | None = None) -> list[Message]:
    member = ctx.require_member()
    until: date | None = None
    if typed.strip():
        try:
            until = parse_future_date(typed, ctx.local_today())
        except ParseError as exc:
            raise usage_error("pause", _("{problem}.").format(problem=exc)) from None
    member.status = MemberStatus.PAUSED
    member.paused_until = until
    ctx.repos.members.save(member)
    if member_paused is not None:
        member_paused(ctx, member)
    if until is not None:
        day = when(until, "day")
        text = _("Paused until {day}. 🌴 No check-ins or pairings meanwhile; enjoy the break.")
        summary = _("Paused until {day}. No check-ins or pairings meanwhile.")
    else:
        day = ""
        text = _(
            "Paused until you come back. 🌴 No check-ins or pairings meanwhile; enjoy the break."
        )
        summary = _("Paused until you come back. No check-ins or pairings meanwhile.")
    return [
        done(
            text.format(day=day),
            summary=summary.format(day=day),
            note=_("Type `resume` to come back early."),
            then=Button(_("Resume now"), "member.resume", style="primary"),
        )
    ]


def _back(ctx: Ctx) -> Member:
    """Active again, pause date dropped: where resume and the Undo after leaving both land."""
    member = ctx.require_member()
    member.status = MemberStatus.ACTIVE
    member.paused_until = None
    ctx.repos.members.save(member)
    return member


def resume(ctx: Ctx, _cmd: ParsedCommand | str | None = None) -> list[Message]:
    if ctx.require_member().status is MemberStatus.ACTIVE:
        return [text_message(_("You're not paused; everything is running as usual."))]
    _back(ctx)
    return [text_message(_("Welcome back! Check-ins and pairings start again from the next one."))]


def leave(ctx: Ctx, _cmd: ParsedCommand, *, member_left: MemberLeft | None = None) -> list[Message]:
    member = ctx.require_member()
    if member.status is MemberStatus.OPTED_OUT:
        return [text_message(_("You've already left; type `join` to come back any time."))]
    member.status = MemberStatus.OPTED_OUT
    ctx.repos.members.save(member)
    if member_left is not None:
        member_left(ctx, member)
    return [
        done(
            _("Done: Staffroom won't message you any more. Thank you for taking part. 💛"),
            summary=_("Done: Staffroom won't message you any more."),
            note=_("Your reflections stay private. Type `join` to come back any time."),
            then=Button(_("Undo"), "member.rejoin"),
        )
    ]


def rejoin(ctx: Ctx, _value: str) -> list[Message]:
    _back(ctx)
    return [text_message(_("Welcome back! Everything is as you left it."))]


INVITED = "invited"
"""The Join button's value on a roster invitation (``bot.programs.invitations``)."""


def join_button(ctx: Ctx, value: str) -> list[Message]:
    if value == INVITED:
        return join(ctx, ParsedCommand(verb="join", args=(), raw="join"), invited=True)
    return join(ctx, ParsedCommand(verb="join", args=(value,) if value else (), raw="join"))
