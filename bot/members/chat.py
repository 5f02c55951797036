"""Joining, profiles, goals, and taking a break: a teacher's own settings.

Everything here is about the person who typed; nobody changes someone else's profile from chat.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TypeVar

from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx
from bot.kernel.domain import Member, Membership, MemberStatus, ProgramKind, ProgramRole
from bot.kernel.errors import FormInvalid, UserError
from bot.kernel.events import FormValue, form_text
from bot.kernel.messages import (
    Actions,
    Button,
    Context,
    Form,
    Input,
    InputKind,
    Message,
    Option,
    Section,
    text_message,
)
from bot.kernel.parsing import (
    ParseError,
    parse_email,
    parse_future_date,
    parse_timezone,
    parse_years,
    split_list,
)

GRADE_BANDS = ("Early years", "K-2", "3-5", "6-8", "9-10", "11-12", "Adult / FE")
MAX_GOALS = 5
MAX_GOAL_LENGTH = 200
MENTOR_MIN_YEARS = 5

PROFILE_FORM = "member.profile"

VERBS = (
    Verb(
        "join",
        "join [program]",
        "Join Staffroom (and a program): tell us your subjects, grades and goals.",
        examples=("join", "join New Teacher Mentoring"),
    ),
    Verb(
        "profile",
        "profile [edit | set key=value ...]",
        "See or change your profile: name, subjects, grades, years, school, timezone, strengths.",
        examples=(
            "profile",
            "profile set subjects=Maths,Physics grades=9-10 timezone=Europe/London",
        ),
    ),
    Verb(
        "goals",
        "goals [add TEXT | remove N | clear]",
        "Your professional goals; check-ins and pairings follow them.",
        examples=("goals add Use more open questions", "goals remove 2"),
    ),
    Verb(
        "pause",
        "pause [until DATE]",
        "Take a break from check-ins and pairings (holidays, leave, a busy spell).",
        examples=("pause", "pause until 2026-12-01", "pause until jan 5", "pause 2 weeks"),
    ),
    Verb("resume", "resume", "Come back from a pause."),
    Verb("leave", "leave", "Stop all messages from Staffroom (you can join again any time)."),
)
T = TypeVar("T")


# --- join and the profile form ------------------------------------------------------------------


def join(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    program_name = " ".join(cmd.args).strip()
    program_id = ""
    if program_name:
        program = ctx.repos.programs.by_name(program_name)
        if program is None:
            raise UserError(f"There is no program called “{program_name}”. {_program_hint(ctx)}")
        program_id = str(program.id)
    member = ctx.member
    if member is not None and member.status is not MemberStatus.OPTED_OUT:
        if program_id:
            return [_enrol_reply(ctx, member, int(program_id))]
        return [
            Message(
                text="You're already in Staffroom. Here is your profile.",
                blocks=(Section("You're already in Staffroom."), *profile_blocks(ctx, member)),
            )
        ]
    return [
        Message(
            text="Welcome to Staffroom! Tell us a little about your teaching.",
            form=profile_form(ctx, member, joining_program=program_id or None),
        )
    ]


def profile_form(ctx: Ctx, member: Member | None, *, joining_program: str | None = None) -> Form:
    """One short form for joining and for editing; about a minute to fill in."""
    joining = member is None or member.status is MemberStatus.OPTED_OUT
    programs = ctx.repos.programs.list() if joining else []
    inputs: list[Input] = [
        Input(
            "display_name",
            "Your name",
            max_length=80,
            initial=(member.display_name if member else ctx.actor.display_name) or None,
        ),
        Input(
            "subjects",
            "Subjects you teach",
            hint="comma-separated, e.g. Maths, Physics",
            initial=", ".join(member.subjects) if member else None,
            max_length=300,
        ),
        Input(
            "grade_bands",
            "Grades or year groups",
            kind=InputKind.MULTISELECT,
            options=tuple(Option(g, g) for g in GRADE_BANDS),
            initial=list(member.grade_bands) if member else None,
        ),
        Input(
            "years_experience",
            "Years of teaching experience",
            kind=InputKind.NUMBER,
            min_value=0,
            max_value=60,
            initial=str(member.years_experience)
            if member and member.years_experience is not None
            else None,
        ),
        Input(
            "school",
            "School or campus",
            required=False,
            max_length=200,
            initial=member.school if member else None,
        ),
        Input(
            "timezone",
            "Your time zone",
            hint="e.g. Europe/London, America/Chicago",
            initial=(member.timezone if member else ctx.actor.timezone)
            or ctx.settings.default_timezone,
        ),
        Input(
            "goals",
            "Your goals this term",
            kind=InputKind.MULTILINE,
            required=False,
            hint=f"one per line, up to {MAX_GOALS}: what do you want to get better at?",
            initial="\n".join(member.goals) if member else None,
            max_length=1200,
        ),
        Input(
            "strengths",
            "What you could help colleagues with",
            required=False,
            hint="comma-separated, e.g. behaviour management, questioning",
            max_length=300,
            initial=", ".join(member.strengths) if member else None,
        ),
    ]
    if joining and len(programs) > 1 and not joining_program:
        inputs.append(
            Input(
                "program",
                "Program to join",
                kind=InputKind.SELECT,
                required=False,
                options=tuple(Option(str(p.id), p.name) for p in programs),
            )
        )
    return Form(
        form_id=PROFILE_FORM,
        title="Join Staffroom" if joining else "Your profile",
        inputs=tuple(inputs),
        submit_label="Join" if joining else "Save",
        state=f"join:{joining_program or ''}" if joining else "edit",
    )


def submit_profile(ctx: Ctx, values: Mapping[str, FormValue], state: str) -> list[Message]:
    errors: dict[str, str] = {}
    name = form_text(values, "display_name")
    if not name:
        errors["display_name"] = "Please tell us your name."
    elif len(name) > 80:
        errors["display_name"] = "Please keep your name under 80 characters."

    def attempt(name: str, parse: Callable[[str], T], *, required: bool = False) -> T | None:
        text = form_text(values, name)
        if not text:
            if required:
                errors[name] = "This one is needed for good pairings."
            return None
        try:
            return parse(text)
        except ParseError as exc:
            errors[name] = str(exc)
            return None

    subjects = attempt("subjects", split_list, required=True)
    grade_bands = attempt("grade_bands", split_list, required=True)
    strengths = attempt("strengths", split_list) or []
    timezone = attempt("timezone", parse_timezone, required=True)
    years = attempt("years_experience", parse_years, required=True)
    try:
        goals = _parse_goals(form_text(values, "goals"))
    except ParseError as exc:
        errors["goals"] = str(exc)
        goals = []
    school = form_text(values, "school")
    if len(school) > 200:
        errors["school"] = "Please keep this under 200 characters."
    if errors or subjects is None or grade_bands is None or timezone is None or years is None:
        raise FormInvalid(errors)

    joining = state.startswith("join:")
    member = ctx.member
    if member is None:
        member = Member(
            workspace_id=ctx.workspace.id, platform_user_id=ctx.actor.user_id, display_name=name
        )
        member.email = ctx.actor.email
    member.display_name = name
    member.subjects = subjects
    member.grade_bands = grade_bands
    member.strengths = strengths
    member.timezone = timezone
    member.years_experience = years
    member.school = school or None
    member.goals = goals
    if joining:
        member.status = MemberStatus.ACTIVE
        member.paused_until = None
        member.consented_at = ctx.now
        member.joined_at = member.joined_at or ctx.now
    if member.id is None:
        member = ctx.repos.members.add(member)
    else:
        ctx.repos.members.save(member)
    ctx.member = member

    if not joining:
        return [
            Message(
                text="Saved. Here is your profile.",
                blocks=(Section("Saved ✅"), *profile_blocks(ctx, member)),
            )
        ]
    program_id = state.removeprefix("join:") or form_text(values, "program")
    if not program_id:
        programs = ctx.repos.programs.list()
        program_id = str(programs[0].id) if len(programs) == 1 else ""
    enrolled = [_enrol_reply(ctx, member, int(program_id))] if program_id.isdigit() else []
    welcome = Message(
        text=f"Welcome, {member.display_name}! You're in.",
        blocks=(
            Section(f"Welcome, *{member.display_name}*! You're in. 🎉"),
            *profile_blocks(ctx, member),
        ),
    )
    return [welcome, *enrolled]


def _parse_goals(text: str) -> list[str]:
    goals = [" ".join(line.split()).lstrip("-•* ").strip() for line in text.splitlines()]
    goals = [g for g in goals if g]
    if len(goals) > MAX_GOALS:
        raise ParseError(f"{len(goals)} goals is a lot for one term; pick up to {MAX_GOALS}")
    for goal in goals:
        if len(goal) > MAX_GOAL_LENGTH:
            raise ParseError(f"keep each goal under {MAX_GOAL_LENGTH} characters")
    return goals


def _enrol_reply(ctx: Ctx, member: Member, program_id: int) -> Message:
    program = ctx.repos.programs.get(program_id)
    if program is None:
        raise UserError("That program no longer exists.")
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
        return text_message(f"You're already in *{program.name}* (as {existing[program.id].role}).")
    ctx.repos.memberships.upsert(Membership(program_id=program.id, member_id=member.id, role=role))
    day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[
        program.checkin_weekday
    ]
    return text_message(
        f"You've joined *{program.name}* as a {role.value}. Check-ins come on {day}s at "
        f"{program.checkin_time:%H:%M} your time; answering takes under a minute."
    )


def _program_hint(ctx: Ctx) -> str:
    names = [p.name for p in ctx.repos.programs.list()]
    return f"Programs here: {', '.join(names)}." if names else "No programs have been set up yet."


# --- profile ------------------------------------------------------------------------------------


def profile_blocks(ctx: Ctx, member: Member) -> tuple[Section | Context | Actions, ...]:
    assert member.id is not None
    memberships = ctx.repos.memberships.for_member(member.id)
    programs = []
    for m in memberships:
        program = ctx.repos.programs.get(m.program_id)
        if program:
            programs.append(f"{program.name} ({m.role.value})")
    fields = (
        ("Subjects", ", ".join(member.subjects) or "—"),
        ("Grades", ", ".join(member.grade_bands) or "—"),
        (
            "Experience",
            f"{member.years_experience} years" if member.years_experience is not None else "—",
        ),
        ("School", member.school or "—"),
        ("Time zone", member.timezone),
        ("Status", status_text(member)),
        ("Goals", "\n".join(f"{i}. {g}" for i, g in enumerate(member.goals, 1)) or "none yet"),
        ("Can help with", ", ".join(member.strengths) or "—"),
        ("Programs", ", ".join(programs) or "none yet"),
    )
    pause_button = (
        Button("Resume", "member.resume", style="primary")
        if member.status is MemberStatus.PAUSED
        else Button("Pause 2 weeks", "member.pause", value="2 weeks")
    )
    return (
        Section(text=f"*{member.display_name}*", fields=fields),
        Actions((Button("Edit profile", "member.edit"), pause_button)),
    )


def status_text(member: Member) -> str:
    if member.status is MemberStatus.PAUSED:
        return (
            f"paused until {member.paused_until:%a %d %b %Y}" if member.paused_until else "paused"
        )
    return "opted out" if member.status is MemberStatus.OPTED_OUT else "active"


_PROFILE_KEYS = {
    "name": "display_name",
    "display_name": "display_name",
    "subjects": "subjects",
    "subject": "subjects",
    "grades": "grade_bands",
    "grade": "grade_bands",
    "grade_bands": "grade_bands",
    "years": "years_experience",
    "experience": "years_experience",
    "school": "school",
    "timezone": "timezone",
    "tz": "timezone",
    "strengths": "strengths",
    "email": "email",
}


def profile(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    sub = cmd.args[0].lower() if cmd.args else ""
    if sub == "edit":
        return [Message(text="Edit your profile", form=profile_form(ctx, member))]
    if sub == "set" or (not sub and cmd.options):
        if not cmd.options:
            raise usage_error(
                "profile", 'Tell me what to change, e.g. `profile set school="North High"`.'
            )
        changed = []
        for key, value in cmd.options.items():
            field = _PROFILE_KEYS.get(key)
            if field is None:
                raise usage_error(
                    "profile",
                    f"I can't change “{key}”. I can change: "
                    + ", ".join(sorted(set(_PROFILE_KEYS) - {"display_name", "grade_bands"}))
                    + ".",
                )
            try:
                _apply_profile_value(member, field, value)
            except ParseError as exc:
                raise UserError(f"{key}: {exc}") from None
            changed.append(key)
        ctx.repos.members.save(member)
        return [
            Message(
                text=f"Updated {', '.join(changed)}.",
                blocks=(Section(f"Updated {', '.join(changed)} ✅"), *profile_blocks(ctx, member)),
            )
        ]
    if sub:
        raise usage_error("profile", f"I don't know `profile {sub}`.")
    return [Message(text=f"Profile of {member.display_name}", blocks=profile_blocks(ctx, member))]


def _apply_profile_value(member: Member, field: str, value: str) -> None:
    if field == "display_name":
        name = " ".join(value.split())
        if not name or len(name) > 80:
            raise ParseError("a name needs 1 to 80 characters")
        member.display_name = name
    elif field in ("subjects", "grade_bands", "strengths"):
        setattr(member, field, split_list(value))
    elif field == "years_experience":
        member.years_experience = parse_years(value)
    elif field == "timezone":
        member.timezone = parse_timezone(value)
    elif field == "email":
        member.email = parse_email(value)
    elif field == "school":
        if len(value) > 200:
            raise ParseError("keep it under 200 characters")
        member.school = value.strip() or None


# --- goals --------------------------------------------------------------------------------------


GoalAdded = Callable[[Ctx, str], list[Message]]
"""What another feature says about a goal just added (the library: resources that fit it)."""


def goals(ctx: Ctx, cmd: ParsedCommand, *, goal_added: GoalAdded | None = None) -> list[Message]:
    member = ctx.require_member()
    sub = cmd.args[0].lower() if cmd.args else ""
    if sub == "add":
        text = " ".join(cmd.rest.split()[1:]) if cmd.rest else ""
        if not text:
            raise usage_error("goals", "What's the goal? e.g. `goals add Use more open questions`.")
        if len(member.goals) >= MAX_GOALS:
            raise UserError(
                f"You already have {MAX_GOALS} goals. Remove one first (`goals remove N`)."
            )
        if len(text) > MAX_GOAL_LENGTH:
            raise UserError(
                f"That goal is {len(text)} characters; please keep it under {MAX_GOAL_LENGTH}."
            )
        if text.lower() in (g.lower() for g in member.goals):
            raise UserError("That goal is already on your list.")
        member.goals.append(text)
    elif sub == "remove":
        if len(cmd.args) != 2 or not cmd.args[1].isdigit():
            raise usage_error("goals", "Which one? Give its number, e.g. `goals remove 2`.")
        index = int(cmd.args[1])
        if not 1 <= index <= len(member.goals):
            raise UserError(f"You have {len(member.goals)} goal(s); there is no number {index}.")
        member.goals.pop(index - 1)
    elif sub == "clear":
        member.goals = []
    elif sub:
        raise usage_error("goals", f"I don't know `goals {sub}`.")
    if sub:
        ctx.repos.members.save(member)
    if not member.goals:
        return [
            text_message(
                "You have no goals yet. Add one with `goals add <what you want to get better at>`."
            )
        ]
    listing = "\n".join(f"{i}. {g}" for i, g in enumerate(member.goals, 1))
    head = "Goals updated. " if sub else ""
    replies = [text_message(f"{head}Your goals:\n{listing}")]
    if sub == "add" and goal_added is not None:
        replies += goal_added(ctx, member.goals[-1])
    return replies


# --- pause, resume, leave -----------------------------------------------------------------------


def pause(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    return _pause(ctx, " ".join(cmd.args))


def pause_button(ctx: Ctx, value: str) -> list[Message]:
    return _pause(ctx, value)


def _pause(ctx: Ctx, when: str) -> list[Message]:
    member = ctx.require_member()
    until: date | None = None
    if when.strip():
        try:
            until = parse_future_date(when, ctx.local_today())
        except ParseError as exc:
            raise usage_error("pause", f"{exc}.") from None
    member.status = MemberStatus.PAUSED
    member.paused_until = until
    ctx.repos.members.save(member)
    span = f"until {until:%A %d %B}" if until else "until you come back"
    return [
        Message(
            text=f"Paused {span}. No check-ins or pairings meanwhile.",
            blocks=(
                Section(f"Paused {span}. 🌴 No check-ins or pairings meanwhile; enjoy the break."),
                Context("Type `resume` to come back early."),
                Actions((Button("Resume now", "member.resume", style="primary"),)),
            ),
        )
    ]


def resume(ctx: Ctx, _cmd: ParsedCommand | str | None = None) -> list[Message]:
    member = ctx.require_member()
    if member.status is MemberStatus.ACTIVE:
        return [text_message("You're not paused; everything is running as usual.")]
    member.status = MemberStatus.ACTIVE
    member.paused_until = None
    ctx.repos.members.save(member)
    return [text_message("Welcome back! Check-ins and pairings start again from the next one.")]


def leave(ctx: Ctx, _cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    if member.status is MemberStatus.OPTED_OUT:
        return [text_message("You've already left; type `join` to come back any time.")]
    member.status = MemberStatus.OPTED_OUT
    ctx.repos.members.save(member)
    return [
        Message(
            text="Done: Staffroom won't message you any more.",
            blocks=(
                Section(
                    "Done: Staffroom won't message you any more. Thank you for taking part. 💛"
                ),
                Context("Your reflections stay private. Type `join` to come back any time."),
                Actions((Button("Undo", "member.rejoin"),)),
            ),
        )
    ]


def rejoin(ctx: Ctx, _value: str) -> list[Message]:
    member = ctx.require_member()
    member.status = MemberStatus.ACTIVE
    member.paused_until = None
    ctx.repos.members.save(member)
    return [text_message("Welcome back! Everything is as you left it.")]


def edit_button(ctx: Ctx, _value: str) -> list[Message]:
    member = ctx.require_member()
    return [Message(text="Edit your profile", form=profile_form(ctx, member))]


def join_button(ctx: Ctx, value: str) -> list[Message]:
    return join(ctx, ParsedCommand(verb="join", args=(value,) if value else (), raw="join"))
