"""A teacher's profile: the one form for joining and editing, what it accepts, and how it is shown.

The form and ``profile set key=value`` accept the same values through the same parsers, so a time zone
or a year count refused in one is refused in the other with the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from bot.kernel.context import Ctx
from bot.kernel.domain import EmailSource, Member, MemberStatus
from bot.kernel.errors import FormInvalid
from bot.kernel.events import FormValue, form_text
from bot.kernel.messages import (
    Actions,
    Button,
    Context,
    Form,
    Input,
    InputKind,
    Option,
    Section,
    said,
)
from bot.kernel.parsing import ParseError, parse_email, parse_timezone, parse_years, split_list

GRADE_BANDS = ("Early years", "K-2", "3-5", "6-8", "9-10", "11-12", "Adult / FE")
MAX_GOALS = 5
MAX_GOAL_LENGTH = 200

PROFILE_FORM = "member.profile"

T = TypeVar("T")


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


@dataclass(frozen=True)
class ProfileAnswers:
    """What a submitted profile form said, every field already checked."""

    name: str
    subjects: list[str]
    grade_bands: list[str]
    strengths: list[str]
    timezone: str
    years: int
    goals: list[str]
    school: str | None

    def apply_to(self, member: Member) -> None:
        member.display_name = self.name
        member.subjects = self.subjects
        member.grade_bands = self.grade_bands
        member.strengths = self.strengths
        member.timezone = self.timezone
        member.years_experience = self.years
        member.school = self.school
        member.goals = self.goals


def read_profile_form(values: Mapping[str, FormValue]) -> ProfileAnswers:
    """The form's answers, or ``FormInvalid`` with a reason beside every field that needs another look."""
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
        goals = parse_goals(form_text(values, "goals"))
    except ParseError as exc:
        errors["goals"] = str(exc)
        goals = []
    school = form_text(values, "school")
    if len(school) > 200:
        errors["school"] = "Please keep this under 200 characters."
    if errors or subjects is None or grade_bands is None or timezone is None or years is None:
        raise FormInvalid(errors)
    return ProfileAnswers(
        name, subjects, grade_bands, strengths, timezone, years, goals, school or None
    )


def parse_goals(text: str) -> list[str]:
    goals = [" ".join(line.split()).lstrip("-•* ").strip() for line in text.splitlines()]
    goals = [g for g in goals if g]
    if len(goals) > MAX_GOALS:
        raise ParseError(f"{len(goals)} goals is a lot for one term; pick up to {MAX_GOALS}")
    for goal in goals:
        if len(goal) > MAX_GOAL_LENGTH:
            raise ParseError(f"keep each goal under {MAX_GOAL_LENGTH} characters")
    return goals


PROFILE_KEYS = {
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
"""``profile set`` keys: the words people type, to the profile field they change."""


def settable_keys() -> str:
    """The keys to offer someone who typed one ``profile set`` does not know."""
    return ", ".join(sorted(set(PROFILE_KEYS) - {"display_name", "grade_bands"}))


def apply_profile_value(member: Member, field: str, value: str) -> None:
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
        email = parse_email(value)
        if email != member.email:
            member.email = email
            member.email_source = EmailSource.SELF  # contact only, until their platform vouches
    elif field == "school":
        if len(value) > 200:
            raise ParseError("keep it under 200 characters")
        member.school = value.strip() or None


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
    return (
        Section(text=f"*{said(member.display_name)}*", fields=fields),
        Actions((Button("Edit profile", "member.edit"), pause_or_resume(member))),
    )


def pause_or_resume(member: Member) -> Button:
    """The one button that fits: Resume for someone on a break, a two-week pause for everyone else."""
    if member.status is MemberStatus.PAUSED:
        return Button("Resume", "member.resume", style="primary")
    return Button("Pause 2 weeks", "member.pause", value="2 weeks")


def status_text(member: Member) -> str:
    if member.status is MemberStatus.PAUSED:
        return (
            f"paused until {member.paused_until:%a %d %b %Y}" if member.paused_until else "paused"
        )
    return "opted out" if member.status is MemberStatus.OPTED_OUT else "active"
