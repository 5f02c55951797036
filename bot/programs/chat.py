"""Programs, as coordinators run them: who is in, when check-ins go out, what they ask."""

from __future__ import annotations

from bot.checkins.questions import (
    DEFAULT_QUESTIONS,
    MENTOR_KEY,
    Question,
    for_role,
    parse_questions,
)
from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx, program_and_rest, program_named
from bot.kernel.domain import Membership, Program, ProgramKind, ProgramRole
from bot.kernel.errors import UserError
from bot.kernel.i18n import N_, _, clock, ngettext, weekday_name
from bot.kernel.messages import Message, Section, said, text_message
from bot.kernel.names import person_named
from bot.kernel.parsing import (
    ParseError,
    parse_clock_time,
    parse_timezone,
    parse_weekday,
    whole_number,
)
from bot.members.profile import role_count, role_name
from bot.programs.invitations import invite
from bot.programs.people import people_blocks, people_page

VERB = Verb(
    "program",
    N_(
        "program list | show NAME [page=N] | create NAME [key=value ...] | set NAME key=value ... | "
        "add NAME PERSON [as mentor|mentee|peer|coordinator] [capacity=N]"
    ),
    N_("Run programs: who is in them, their cadence and their questions."),
    coordinator_only=True,
    examples=(
        N_('program create "New Teacher Mentoring" kind=mentoring day=tue time=15:30'),
        N_('program set "Year 9 PLC" cadence=2 group_size=4'),
        N_('program add "New Teacher Mentoring" ana@school.org as mentor capacity=2'),
    ),
)

_KINDS = {
    "mentoring": ProgramKind.MENTORING,
    "peer": ProgramKind.PEER_GROUPS,
    "peer_groups": ProgramKind.PEER_GROUPS,
    "peers": ProgramKind.PEER_GROUPS,
    "groups": ProgramKind.PEER_GROUPS,
    "plc": ProgramKind.PEER_GROUPS,
}
SETTABLE = (
    "kind",
    "day",
    "time",
    "cadence",
    "tz",
    "group_size",
    "questions",
    "mentor_questions",
    "mentor_min_years",
    "active",
    "digest_day",
    "digest_time",
)


def program(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    ctx.require_coordinator()
    sub = cmd.args[0].lower() if cmd.args else "list"
    rest = cmd.args[1:]
    if sub == "list":
        return [_list(ctx)]
    if sub == "show":
        prog = program_named(ctx, " ".join(rest), verb="program")
        page = _page(cmd.options)
        if page > 1:
            heading = _("*{program}*: its people, page {page}").format(program=prog.name, page=page)
            return [
                Message(
                    text=_("Program {program}").format(program=prog.name),
                    blocks=(Section(heading), *people_page(ctx, prog, page)),
                )
            ]
        shown = _show(ctx, prog)
        return [Message(text=shown.text, blocks=(*shown.blocks, *people_blocks(ctx, prog)))]
    if sub == "create":
        return [_create(ctx, " ".join(rest), cmd.options)]
    if sub == "set":
        prog = program_named(ctx, " ".join(rest), verb="program")
        if not cmd.options:
            raise usage_error(
                "program",
                _("What should change? Settable: {keys}.").format(keys=", ".join(SETTABLE)),
            )
        apply_settings(prog, cmd.options)
        ctx.repos.programs.save(prog)
        return [
            Message(
                text=_("Updated {program}.").format(program=prog.name),
                blocks=(Section(_("Updated ✅")), *_show(ctx, prog).blocks),
            )
        ]
    if sub == "add":
        return [_add(ctx, rest, cmd.options)]
    raise usage_error("program", _("I don't know `program {sub}`.").format(sub=sub))


def _list(ctx: Ctx) -> Message:
    programs = ctx.repos.programs.list()
    if not programs:
        return text_message(
            _('No programs yet. Create one: `program create "Year 9 PLC" kind=peer`.')
        )
    lines = []
    for p in programs:
        assert p.id is not None
        roles = ctx.repos.memberships.role_counts(p.id)
        count = sum(n for role, n in roles.items() if role is not ProgramRole.COORDINATOR)
        teachers = ngettext("{n} teacher", "{n} teachers", count).format(n=count)
        lines.append(f"• *{p.name}*: {_kind_label(p)}, {teachers}, {_schedule(p)}")
    return text_message(_("Programs:") + "\n" + "\n".join(lines))


def _page(options: dict[str, str]) -> int:
    if "page" not in options:
        return 1
    page = whole_number(options["page"], 1, 100_000)
    if page is None:
        raise usage_error("program", _("page is a whole number, 1 or more."))
    return page


def _kind_label(p: Program) -> str:
    if p.kind is ProgramKind.MENTORING:
        return _("mentoring")
    return _("peer groups of {n}").format(n=p.group_size)  # 2 to 4: always a plural


def _schedule(p: Program) -> str:
    # Translators: {weekday} is the short day name ("Tue"), {time} is 24-hour ("15:30").
    return ngettext(
        "check-ins {weekday} {time} local, new pairings every week",
        "check-ins {weekday} {time} local, new pairings every {n} weeks",
        p.cadence_weeks,
    ).format(
        weekday=weekday_name(p.checkin_weekday, short=True),
        time=clock(p.checkin_time),
        n=p.cadence_weeks,
    )


def _show(ctx: Ctx, p: Program) -> Message:
    assert p.id is not None
    counts = {role.value: n for role, n in ctx.repos.memberships.role_counts(p.id).items()}
    coordinators = [
        said(person.display_name)
        for person in ctx.repos.memberships.with_role(p.id, ProgramRole.COORDINATOR)
    ]
    fields = (
        (_("Kind"), _kind_label(p)),
        (_("Schedule"), _schedule(p)),
        (_("Time zone"), p.timezone),
        (
            _("People"),
            ", ".join(role_count(ProgramRole(r), n) for r, n in sorted(counts.items()))
            or _("nobody yet"),
        ),
        (_("Coordinators"), ", ".join(coordinators) or "—"),
        (_("Weekly digest"), _digest_schedule(p)),
        (_("Questions"), _questions(for_role(p, ProgramRole.MENTEE))),
        *(
            ((_("Mentor questions"), _questions(for_role(p, ProgramRole.MENTOR))),)
            if p.kind is ProgramKind.MENTORING
            else ()
        ),
    )
    return Message(
        text=_("Program {program}").format(program=p.name),
        blocks=(Section(f"*{p.name}*", fields=fields),),
    )


def _questions(questions: list[Question]) -> str:
    """Each question with how it is answered; after the 1-5 confidence every check-in starts with."""
    lines = [f"{i}. {q.describe()}" for i, q in enumerate(questions, 1)]
    return "\n".join([_("(after the 1-5 confidence on their focus goal)"), *lines])


def _digest_schedule(p: Program) -> str:
    """digest: when the coordinators' digest goes out (``digest_day``, ``digest_time``)."""
    from bot.digest.schedule import digest_day, digest_time

    return _("{weekday} {time} local, to coordinators").format(
        weekday=weekday_name(digest_day(p), short=True), time=clock(digest_time(p))
    )


def _create(ctx: Ctx, name: str, options: dict[str, str]) -> Message:
    name = " ".join(name.split())
    if not name:
        raise usage_error(
            "program", _('Give the new program a name, e.g. `program create "Year 9 PLC"`.')
        )
    if len(name) > 120:
        raise UserError(_("Program names can be up to 120 characters."))
    if ctx.repos.programs.by_name(name):
        raise UserError(_("A program called “{name}” already exists.").format(name=name))
    prog = Program(
        workspace_id=ctx.workspace.id,
        name=name,
        questions=list(DEFAULT_QUESTIONS),
        timezone=ctx.member.timezone if ctx.member else ctx.settings.default_timezone,
    )
    apply_settings(prog, options)
    prog = ctx.repos.programs.add(prog)
    assert prog.id is not None and ctx.member is not None and ctx.member.id is not None
    ctx.repos.memberships.upsert(
        Membership(program_id=prog.id, member_id=ctx.member.id, role=ProgramRole.COORDINATOR)
    )
    return Message(
        text=_("Created {program}.").format(program=prog.name),
        blocks=(
            Section(
                _(
                    "Created *{program}*. You are its coordinator. Teachers join with "
                    "`join {program}`, or import a roster with `roster import`."
                ).format(program=prog.name)
            ),
            *_show(ctx, prog).blocks,
        ),
    )


def apply_settings(prog: Program, options: dict[str, str]) -> None:
    """Validate every option before changing anything, so a typo changes nothing."""
    unknown = sorted(set(options) - set(SETTABLE))
    if unknown:
        raise usage_error(
            "program",
            _("I can't set {unknown}. Settable: {keys}.").format(
                unknown=", ".join(unknown), keys=", ".join(SETTABLE)
            ),
        )
    try:
        changes: dict[str, object] = {}
        if "kind" in options:
            kind = _KINDS.get(options["kind"].lower())
            if kind is None:
                raise ParseError(_("kind is mentoring or peer"))
            changes["kind"] = kind
        if "day" in options:
            changes["checkin_weekday"] = parse_weekday(options["day"])
        if "time" in options:
            changes["checkin_time"] = parse_clock_time(options["time"])
        if "tz" in options:
            changes["timezone"] = parse_timezone(options["tz"])
        if "cadence" in options:
            changes["cadence_weeks"] = _bounded(options["cadence"], "cadence (weeks)", 1, 12)
        if "group_size" in options:
            changes["group_size"] = _bounded(options["group_size"], "group_size", 2, 4)
        if "questions" in options:
            changes["questions"] = [q.spec() for q in parse_questions(options["questions"])]
        settings: dict[str, object] = {}
        if "mentor_questions" in options:
            mentor = parse_questions(options["mentor_questions"])
            settings[MENTOR_KEY] = [q.spec() for q in mentor]
        if "active" in options:
            changes["active"] = options["active"].lower() in ("1", "yes", "true", "on")
        if "mentor_min_years" in options:
            prog.settings = {
                **prog.settings,
                "mentor_min_years": _bounded(
                    options["mentor_min_years"], "mentor_min_years", 1, 40
                ),
            }
        # digest: when the coordinators' weekly digest goes out, in the program's time zone.
        digest: dict[str, object] = {}
        if "digest_day" in options:
            digest["digest_day"] = parse_weekday(options["digest_day"])
        if "digest_time" in options:
            digest["digest_time"] = parse_clock_time(options["digest_time"]).strftime("%H:%M")
    except ParseError as exc:
        raise usage_error("program", _("{problem}.").format(problem=exc)) from None
    if digest or settings:
        prog.settings = {**prog.settings, **digest, **settings}
    for key, value in changes.items():
        setattr(prog, key, value)


def plural(count: int, noun: str) -> str:
    """English only, for the demo's narration; a message for people uses ``ngettext``."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _bounded(value: str, name: str, low: int, high: int) -> int:
    number = whole_number(value, low, high)
    if number is None:
        raise ParseError(
            _("{name} must be a whole number from {low} to {high}").format(
                name=name, low=low, high=high
            )
        )
    return number


def _add(ctx: Ctx, args: tuple[str, ...], options: dict[str, str]) -> Message:
    words = list(args)
    role_word = "peer"
    if len(words) >= 2 and words[-2].lower() == "as":
        role_word = words[-1].lower()
        words = words[:-2]
    try:
        role = ProgramRole(role_word)
    except ValueError:
        raise usage_error(
            "program",
            _("“{role}” is not a role; use mentor, mentee, peer or coordinator.").format(
                role=role_word
            ),
        ) from None
    named = program_and_rest(ctx, words)
    if named is None:
        raise usage_error(
            "program",
            _(
                "Tell me the program and the person, e.g. "
                '`program add "Year 9 PLC" ana@school.org as peer`.'
            ),
        )
    prog, rest = named
    person_text = " ".join(rest)
    person = person_named(ctx.repos, person_text)
    if person is None:
        raise UserError(
            _(
                "I can't find “{person}” here. They need to `join` first, or be in an imported "
                "roster."
            ).format(person=person_text)
        )
    capacity = None
    if "capacity" in options:
        try:
            capacity = _bounded(options["capacity"], "capacity", 1, 10)
        except ParseError as exc:
            raise UserError(_("{problem}.").format(problem=exc)) from None
    assert prog.id is not None and person.id is not None
    ctx.repos.memberships.upsert(
        Membership(program_id=prog.id, member_id=person.id, role=role, capacity=capacity)
    )
    added_by = ctx.member.display_name if ctx.member else None
    invited, _waiting = invite(ctx.repos, prog, [person], added_by, ctx.now)
    if capacity:
        added = ngettext(
            "Added {name} to {program} as {role} (up to {n} mentee).",
            "Added {name} to {program} as {role} (up to {n} mentees).",
            capacity,
        )
    else:
        added = _("Added {name} to {program} as {role}.")
    text = added.format(
        name=said(person.display_name), program=prog.name, role=role_name(role), n=capacity
    )
    if invited:
        text += " " + _("They haven't joined yet, so I've sent them an invitation.")
    return text_message(text)
