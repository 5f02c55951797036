"""A teacher's profile: the one form for joining and editing, what it accepts, and how it is shown.

The form and ``profile set key=value`` accept the same values through the same parsers, so a time zone
or a year count refused in one is refused in the other with the same reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from bot.kernel.context import Ctx
from bot.kernel.domain import EmailSource, Member, MemberStatus, ProgramRole
from bot.kernel.errors import FormInvalid
from bot.kernel.events import FormValue, form_text
from bot.kernel.i18n import (
    LANGUAGES,
    N_,
    _,
    default_language,
    ngettext,
    pgettext,
    supported,
    when,
)
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

GRADE_BANDS = (N_("Early years"), "K-2", "3-5", "6-8", "9-10", "11-12", N_("Adult / FE"))
"""Stored as written here (the English is the value); shown in the reader's language."""
MAX_GOALS = 5
MAX_GOAL_LENGTH = 200

PROFILE_FORM = "member.profile"
FOLLOW_PLATFORM = "platform"  # not translated: the value of the form's "as my Slack/Teams is set"
"""The language choice that follows the platform's setting (stored as None)."""

T = TypeVar("T")


def profile_form(ctx: Ctx, member: Member | None, *, joining_program: str | None = None) -> Form:
    """One short form for joining and for editing; about a minute to fill in."""
    joining = member is None or member.status is MemberStatus.OPTED_OUT
    programs = ctx.repos.programs.list() if joining else []
    inputs: list[Input] = [
        Input(
            "display_name",
            _("Your name"),
            max_length=80,
            initial=(member.display_name if member else ctx.actor.display_name) or None,
        ),
        Input(
            "subjects",
            _("Subjects you teach"),
            hint=_("comma-separated, e.g. Maths, Physics"),
            initial=", ".join(member.subjects) if member else None,
            max_length=300,
        ),
        Input(
            "grade_bands",
            _("Grades or year groups"),
            kind=InputKind.MULTISELECT,
            options=tuple(Option(g, _(g)) for g in GRADE_BANDS),
            initial=list(member.grade_bands) if member else None,
        ),
        Input(
            "years_experience",
            _("Years of teaching experience"),
            kind=InputKind.NUMBER,
            min_value=0,
            max_value=60,
            initial=str(member.years_experience)
            if member and member.years_experience is not None
            else None,
        ),
        Input(
            "school",
            _("School or campus"),
            required=False,
            max_length=200,
            initial=member.school if member else None,
        ),
        Input(
            "timezone",
            _("Your time zone"),
            hint=_("e.g. Europe/London, America/Chicago"),
            initial=(member.timezone if member else ctx.actor.timezone)
            or ctx.settings.default_timezone,
        ),
        Input(
            "goals",
            _("Your goals this term"),
            kind=InputKind.MULTILINE,
            required=False,
            hint=_("one per line, up to {n}: what do you want to get better at?").format(
                n=MAX_GOALS
            ),
            initial="\n".join(member.goals) if member else None,
            max_length=1200,
        ),
        Input(
            "strengths",
            _("What you could help colleagues with"),
            required=False,
            hint=_("comma-separated, e.g. behaviour management, questioning"),
            max_length=300,
            initial=", ".join(member.strengths) if member else None,
        ),
        language_input(member),
    ]
    if joining and len(programs) > 1 and not joining_program:
        inputs.append(
            Input(
                "program",
                _("Program to join"),
                kind=InputKind.SELECT,
                required=False,
                options=tuple(Option(str(p.id), p.name) for p in programs),
            )
        )
    return Form(
        form_id=PROFILE_FORM,
        title=_("Join Staffroom") if joining else _("Your profile"),
        inputs=tuple(inputs),
        submit_label=_("Join") if joining else _("Save"),
        state=f"join:{joining_program or ''}" if joining else "edit",
    )


def language_input(member: Member | None) -> Input:
    """Which language Staffroom writes to them in: each named in itself, so anyone can find theirs."""
    return Input(
        "language",
        _("Language"),
        kind=InputKind.SELECT,
        required=False,
        initial=member.language if member else None,
        options=(
            Option(FOLLOW_PLATFORM, _("As my Slack/Teams is set")),
            *(Option(code, name) for code, name in LANGUAGES.items()),
        ),
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
    language: str | None = None
    """The language they chose; None to follow their platform."""
    language_given: bool = False
    """Whether the form asked (a form without the field leaves their choice as it was)."""

    def apply_to(self, member: Member) -> None:
        member.display_name = self.name
        member.subjects = self.subjects
        member.grade_bands = self.grade_bands
        member.strengths = self.strengths
        member.timezone = self.timezone
        member.years_experience = self.years
        member.school = self.school
        member.goals = self.goals
        if self.language_given:
            member.language = self.language


def read_profile_form(values: Mapping[str, FormValue]) -> ProfileAnswers:
    """The form's answers, or ``FormInvalid`` with a reason beside every field that needs another look."""
    errors: dict[str, str] = {}
    name = form_text(values, "display_name")
    if not name:
        errors["display_name"] = _("Please tell us your name.")
    elif len(name) > 80:
        errors["display_name"] = _("Please keep your name under 80 characters.")

    def attempt(name: str, parse: Callable[[str], T], *, required: bool = False) -> T | None:
        text = form_text(values, name)
        if not text:
            if required:
                errors[name] = _("This one is needed for good pairings.")
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
    language_given = "language" in values
    language = None
    choice = form_text(values, "language")
    if choice and choice != FOLLOW_PLATFORM:
        try:
            language = parse_language(choice)
        except ParseError as exc:
            errors["language"] = str(exc)
    school = form_text(values, "school")
    if len(school) > 200:
        errors["school"] = _("Please keep this under 200 characters.")
    if errors or subjects is None or grade_bands is None or timezone is None or years is None:
        raise FormInvalid(errors)
    return ProfileAnswers(
        name,
        subjects,
        grade_bands,
        strengths,
        timezone,
        years,
        goals,
        school or None,
        language=language,
        language_given=language_given,
    )


def parse_goals(text: str) -> list[str]:
    goals = [" ".join(line.split()).lstrip("-•* ").strip() for line in text.splitlines()]
    goals = [g for g in goals if g]
    if len(goals) > MAX_GOALS:
        raise ParseError(
            _("{n} goals is a lot for one term; pick up to {most}").format(
                n=len(goals), most=MAX_GOALS
            )
        )
    for goal in goals:
        if len(goal) > MAX_GOAL_LENGTH:
            raise ParseError(_("keep each goal under {n} characters").format(n=MAX_GOAL_LENGTH))
    return goals


_LANGUAGE_WORDS = {"ingles": "en", "inglés": "en", "castellano": "es"}
"""Names for a language that ``supported`` does not know: the other language's word for it."""
_FOLLOW_WORDS = {"auto", "default", FOLLOW_PLATFORM}


def parse_language(text: str) -> str | None:
    """The language someone asked for (``es``, ``Spanish``, ``español``, ``inglés``), None for
    "follow my platform" (``auto``), or ``ParseError`` listing what we speak."""
    word = " ".join(text.split()).lower()
    if word in _FOLLOW_WORDS:
        return None
    code = supported(word) or _LANGUAGE_WORDS.get(word)
    if code is None:
        choices = ", ".join(f"{name} ({code})" for code, name in LANGUAGES.items())
        raise ParseError(
            _(
                "I don't speak “{language}” yet. I can write to you in: {choices}, "
                "or `auto` to follow your Slack/Teams"
            ).format(language=text.strip(), choices=choices)
        )
    return code


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
    "language": "language",
    "lang": "language",
}
"""``profile set`` keys: the words people type, to the profile field they change."""


def settable_keys() -> str:
    """The keys to offer someone who typed one ``profile set`` does not know."""
    return ", ".join(sorted(set(PROFILE_KEYS) - {"display_name", "grade_bands", "lang"}))


def apply_profile_value(member: Member, field: str, value: str) -> None:
    if field == "display_name":
        name = " ".join(value.split())
        if not name or len(name) > 80:
            raise ParseError(_("a name needs 1 to 80 characters"))
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
            raise ParseError(_("keep it under 200 characters"))
        member.school = value.strip() or None
    elif field == "language":
        member.language = parse_language(value)


def role_name(role: ProgramRole) -> str:
    """A program role as a word in a sentence ("as a mentor")."""
    if role is ProgramRole.MENTOR:
        return pgettext("program role", "mentor")
    if role is ProgramRole.MENTEE:
        return pgettext("program role", "mentee")
    if role is ProgramRole.COORDINATOR:
        return pgettext("program role", "coordinator")
    return pgettext("program role", "peer")


def role_count(role: ProgramRole, n: int) -> str:
    """How many people a program has in a role: "1 mentor", "3 mentees"."""
    if role is ProgramRole.MENTOR:
        text = ngettext("{n} mentor", "{n} mentors", n)
    elif role is ProgramRole.MENTEE:
        text = ngettext("{n} mentee", "{n} mentees", n)
    elif role is ProgramRole.COORDINATOR:
        text = ngettext("{n} coordinator", "{n} coordinators", n)
    else:
        text = ngettext("{n} peer", "{n} peers", n)
    return text.format(n=n)


def language_text(member: Member) -> str:
    """The language they read, and whether they chose it or it follows their platform."""
    if member.language:
        return LANGUAGES.get(member.language, member.language)
    following = supported(member.platform_language) or default_language()
    return _("{language} (as your Slack/Teams is set)").format(language=LANGUAGES[following])


def profile_blocks(ctx: Ctx, member: Member) -> tuple[Section | Context | Actions, ...]:
    assert member.id is not None
    memberships = ctx.repos.memberships.for_member(member.id)
    programs = []
    for m in memberships:
        program = ctx.repos.programs.get(m.program_id)
        if program:
            programs.append(
                _("{program} ({role})").format(program=program.name, role=role_name(m.role))
            )
    years = member.years_experience
    fields = (
        (_("Subjects"), ", ".join(member.subjects) or "—"),
        (
            _("Grades"),
            ", ".join(_(g) if g in GRADE_BANDS else g for g in member.grade_bands) or "—",
        ),
        (
            _("Experience"),
            ngettext("{n} year", "{n} years", years).format(n=years) if years is not None else "—",
        ),
        (_("School"), member.school or "—"),
        (_("Time zone"), member.timezone),
        (_("Language"), language_text(member)),
        (_("Status"), status_text(member)),
        (
            _("Goals"),
            "\n".join(f"{i}. {g}" for i, g in enumerate(member.goals, 1)) or _("none yet"),
        ),
        (_("Can help with"), ", ".join(member.strengths) or "—"),
        (_("Programs"), ", ".join(programs) or _("none yet")),
    )
    return (
        Section(text=f"*{said(member.display_name)}*", fields=fields),
        Actions((Button(_("Edit profile"), "member.edit"), pause_or_resume(member))),
    )


def pause_or_resume(member: Member) -> Button:
    """The one button that fits: Resume for someone on a break, a two-week pause for everyone else."""
    if member.status is MemberStatus.PAUSED:
        return Button(_("Resume"), "member.resume", style="primary")
    return Button(_("Pause 2 weeks"), "member.pause", value="2 weeks")


def status_text(member: Member) -> str:
    if member.status is MemberStatus.PAUSED:
        if member.paused_until:
            return _("paused until {day}").format(day=when(member.paused_until, "short_year"))
        return _("paused")
    return _("opted out") if member.status is MemberStatus.OPTED_OUT else _("active")
