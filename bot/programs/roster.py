"""Roster import: a coordinator's CSV of teachers, all-or-nothing unless told to skip bad rows.

Members imported before they have used the bot get a ``pending:<email>`` user id; the first time they
write from Slack, Teams or the console they are recognised by e-mail (or name, locally) and claimed.
A roster imported again only fills blanks in the profile of someone who has started using Staffroom
(see ``fill_profile``): the spreadsheet is the school's, the profile is the teacher's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.kernel.commands import ParsedCommand, Verb
from bot.kernel.context import Ctx, program_named, record_id
from bot.kernel.domain import (
    PENDING_PREFIX,
    EmailSource,
    Member,
    Membership,
    Program,
    ProgramKind,
    ProgramRole,
    Role,
)
from bot.kernel.errors import FormInvalid, UserError
from bot.kernel.events import FormValue, form_text, without_control
from bot.kernel.i18n import LANGUAGES, N_, _, ngettext, supported
from bot.kernel.messages import Form, Input, InputKind, Message, Option, text_message
from bot.kernel.parsing import ParseError, parse_email, parse_timezone, parse_years, split_list
from bot.kernel.ports import Scope
from bot.programs.invitations import invite
from bot.programs.roster_people import Staff, name_is_theirs, who_is

MAX_ROWS = 20_000
REQUIRED = ("name", "email", "subjects", "grades", "years", "timezone", "role")
ALIASES = {
    "display_name": "name",
    "full_name": "name",
    "e-mail": "email",
    "mail": "email",
    "subject": "subjects",
    "grade": "grades",
    "grade_bands": "grades",
    "years_experience": "years",
    "experience": "years",
    "tz": "timezone",
    "time_zone": "timezone",
    "user_id": "platform_user_id",
    "slack_id": "platform_user_id",
    "teams_id": "platform_user_id",
    "lang": "language",
}
ROLES = {"teacher", "mentor", "mentee", "peer", "coordinator", "admin"}
VERB = Verb(
    "roster",
    N_("roster import [program]"),
    N_("Import teachers from a CSV roster (name, email, subjects, grades, years, timezone, role)."),
    coordinator_only=True,
)

ROSTER_FORM = "roster.import"


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    email: str
    subjects: list[str]
    grades: list[str]
    years: int
    timezone: str
    role: str
    platform_user_id: str | None = None
    school: str | None = None
    goals: list[str] = field(default_factory=list)
    language: str | None = None
    """The language the school says they read (``es``); None: follow their platform."""


@dataclass
class ParsedRoster:
    rows: list[RosterRow]
    errors: list[tuple[int, str]]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    kept: int = 0
    """Values the roster would have changed that the teachers had set themselves."""
    skipped: list[tuple[int, str]] = field(default_factory=list)
    invited: int = 0
    not_reachable_yet: int = 0
    """Imported by e-mail only: invited once they first write to Staffroom."""

    def summary(self, program: Program) -> str:
        created = ngettext("{n} new", "{n} new", self.created).format(n=self.created)
        updated = ngettext("{n} updated", "{n} updated", self.updated).format(n=self.updated)
        if self.kept:
            head = ngettext(
                "Imported into {program}: {created}, {updated}; kept {n} value teachers set "
                "themselves.",
                "Imported into {program}: {created}, {updated}; kept {n} values teachers set "
                "themselves.",
                self.kept,
            )
        else:
            head = _("Imported into {program}: {created}, {updated}.")
        parts = [head.format(program=program.name, created=created, updated=updated, n=self.kept)]
        if self.invited:
            parts.append(
                ngettext(
                    "Invited {n} who hasn't joined yet.",
                    "Invited {n} who haven't joined yet.",
                    self.invited,
                ).format(n=self.invited)
            )
        if self.not_reachable_yet:
            parts.append(
                ngettext(
                    "{n} known only by e-mail can't be messaged until they write to Staffroom "
                    "(add their platform user id to reach them now).",
                    "{n} known only by e-mail can't be messaged until they write to Staffroom "
                    "(add their platform user id to reach them now).",
                    self.not_reachable_yet,
                ).format(n=self.not_reachable_yet)
            )
        if self.skipped:
            n = len(self.skipped)
            skipped = ngettext("Skipped {n} bad row:", "Skipped {n} bad rows:", n).format(n=n)
            parts.append(skipped + "\n" + format_errors(self.skipped))
        return " ".join(parts)


def format_errors(errors: list[tuple[int, str]], limit: int = 20) -> str:
    lines = [
        _("line {line}: {reason}").format(line=line, reason=reason)
        for line, reason in errors[:limit]
    ]
    if len(errors) > limit:
        lines.append(_("…and {n} more").format(n=len(errors) - limit))
    return "\n".join(lines)


def parse_roster(text: str) -> ParsedRoster:
    """Check every row and report each problem with its line number; never raises for bad rows."""
    text = without_control(text)  # a file from the terminal never passed the door's cleaning
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), skipinitialspace=True)
    if reader.fieldnames is None:
        return ParsedRoster([], [(1, _("the file is empty; it needs a header row"))])
    header = {name: ALIASES.get(_key(name), _key(name)) for name in reader.fieldnames if name}
    missing = [c for c in REQUIRED if c not in header.values()]
    if missing:
        problem = ngettext(
            "the header is missing a column: {columns}",
            "the header is missing columns: {columns}",
            len(missing),
        ).format(columns=", ".join(missing))
        return ParsedRoster([], [(1, problem)])
    rows: list[RosterRow] = []
    errors: list[tuple[int, str]] = []
    seen_emails: dict[str, int] = {}
    for raw in reader:
        line = reader.line_num
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append((line, _("a roster can have at most {n} rows").format(n=MAX_ROWS)))
            break
        values = {
            header[k]: (v or "").strip()
            for k, v in raw.items()
            if k in header and isinstance(v, str)
        }
        if not any(values.values()):
            continue
        try:
            row = _row(line, values)
        except ParseError as exc:
            errors.append((line, str(exc)))
            continue
        if row.email in seen_emails:
            errors.append(
                (
                    line,
                    _("{email} already appears on line {line}").format(
                        email=row.email, line=seen_emails[row.email]
                    ),
                )
            )
            continue
        seen_emails[row.email] = line
        rows.append(row)
    return ParsedRoster(rows, errors)


def _key(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def _row(line: int, v: Mapping[str, str]) -> RosterRow:
    name = " ".join(v.get("name", "").split())
    if not name:
        raise ParseError(_("name is empty"))
    if len(name) > 80:
        raise ParseError(_("name is longer than 80 characters"))
    subjects = split_list(v.get("subjects"))
    grades = split_list(v.get("grades"))
    if not subjects:
        raise ParseError(_("subjects is empty"))
    if not grades:
        raise ParseError(_("grades is empty"))
    role = v.get("role", "").lower() or "teacher"
    if role not in ROLES:
        raise ParseError(
            _("role “{role}” is not one of {roles}").format(
                role=role, roles=", ".join(sorted(ROLES))
            )
        )
    language = None
    if v.get("language"):
        language = supported(v["language"])
        if language is None:
            raise ParseError(
                _("language “{language}” is not one of {languages} (or leave it empty)").format(
                    language=v["language"], languages=", ".join(sorted(LANGUAGES))
                )
            )
    try:
        email = parse_email(v.get("email", ""))
        years = parse_years(v.get("years", ""))
        timezone = parse_timezone(v.get("timezone", ""))
    except ParseError:
        raise
    return RosterRow(
        line=line,
        name=name,
        email=email,
        subjects=subjects,
        grades=grades,
        years=years,
        timezone=timezone,
        role=role,
        platform_user_id=v.get("platform_user_id") or None,
        school=v.get("school") or None,
        goals=split_list(v.get("goals", "").replace(";", "\n")),
        language=language,
    )


def import_roster(
    repos: Scope,
    program: Program,
    text: str,
    *,
    skip_bad: bool,
    now: datetime,
    importer: Member | None = None,
) -> ImportReport:
    """Apply a roster. Raises ``UserError`` listing every bad line (and writes nothing) unless skipping.

    ``importer`` is the coordinator importing in chat; None is the server's operator (the CLI), the
    only one besides an admin whose roster may make admins.
    """
    parsed = parse_roster(text)
    people: list[tuple[RosterRow, Member | None]] = []
    errors = list(parsed.errors)
    staff = Staff(repos.members.list())
    first_line: dict[str, int] = {}
    for row in parsed.rows:
        try:
            found = who_is(staff, row, importer)
            name_is_theirs(staff, row, found, first_line)
            people.append((row, found))
        except ParseError as exc:
            errors.append((row.line, str(exc)))
    errors.sort()
    if errors and not skip_bad:
        n = len(errors)
        raise UserError(
            ngettext(
                "Nothing was imported: {n} row needs fixing.",
                "Nothing was imported: {n} rows need fixing.",
                n,
            ).format(n=n)
            + "\n"
            + format_errors(errors)
            + "\n"
            + _("Fix them and import again, or import with skip-bad to leave them out.")
        )
    if not people:
        raise UserError(_("Nothing to import: the roster has no good rows."))
    report = ImportReport(skipped=errors)
    assert program.id is not None
    fresh: list[tuple[RosterRow, Member]] = []
    known: list[tuple[RosterRow, Member]] = []
    for row, found in people:
        member = found or Member(
            workspace_id=repos.workspace_id,
            platform_user_id=row.platform_user_id or PENDING_PREFIX + row.email,
            display_name=row.name,
        )
        report.kept += fill_profile(member, row)
        if row.role in ("coordinator", "admin") and _RANK[Role(row.role)] > _RANK[member.role]:
            member.role = Role(row.role)  # a roster raises a role, never lowers one
        (known if found else fresh).append((row, member))
    # A district's roster is thousands of rows: written in a few statements, not a few a row.
    added = repos.members.add_many([m for _row, m in fresh])
    repos.members.save_many([m for _row, m in known])
    report.created, report.updated = len(fresh), len(known)
    placed: list[tuple[RosterRow, Member]] = [
        (row, member) for (row, _draft), member in zip(fresh, added, strict=True)
    ]
    placed += known
    repos.memberships.upsert_many(
        [
            Membership(program_id=program.id, member_id=m.id or 0, role=_program_role(program, row))
            for row, m in placed
        ]
    )
    added_by = importer.display_name if importer is not None else None
    report.invited, report.not_reachable_yet = invite(
        repos, program, [m for _row, m in placed], added_by, now
    )
    return report


_RANK = {Role.TEACHER: 0, Role.COORDINATOR: 1, Role.ADMIN: 2}


def fill_profile(member: Member, row: RosterRow) -> int:
    """Copy the row into the profile, keeping what the teacher set; return how many values were kept.

    Whether a value is the teacher's own is read from what is stored: once someone has consented
    (joined, or written to the bot, which is how an imported teacher consents), every non-empty value
    of their profile is theirs, because from then on they could see and change it (``profile``) and
    they may have. Only their blanks are filled from the roster. Before consent the profile is only
    ever the coordinator's import, so the roster replaces it, as the first import wrote it. A blank
    cell in the roster never erases anything.

    The language is the one exception to filling blanks: once they have consented, no language of
    their own means "follow my Slack/Teams", a choice too, so the roster sets it only before.
    """
    own = member.consented_at is not None
    kept = 0
    wanted: dict[str, object] = {
        "display_name": row.name,
        "email": row.email,
        "subjects": row.subjects,
        "grade_bands": row.grades,
        "years_experience": row.years,
        "timezone": row.timezone,
        "school": row.school,
        "goals": row.goals[:5],
    }
    for name, value in wanted.items():
        current = getattr(member, name)
        if value is None or value == [] or value == "":
            continue
        if own and current not in (None, "", []):
            kept += current != value
            continue
        setattr(member, name, value)
        if name == "email":
            member.email_source = EmailSource.ROSTER
    if row.language and not own:
        member.language = row.language
    return kept


def _program_role(program: Program, row: RosterRow) -> ProgramRole:
    if row.role in ("coordinator", "admin"):
        return ProgramRole.COORDINATOR
    if row.role in ("mentor", "mentee", "peer"):
        return ProgramRole(row.role)
    if program.kind is ProgramKind.MENTORING:
        min_years = int(program.settings.get("mentor_min_years", 5))
        return ProgramRole.MENTOR if row.years >= min_years else ProgramRole.MENTEE
    return ProgramRole.PEER


# --- the chat verb ------------------------------------------------------------------------------


def roster(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    ctx.require_coordinator()
    if not cmd.args or cmd.args[0].lower() != "import":
        raise UserError(_("Usage: `roster import [program]`"))
    programs = ctx.repos.programs.list()
    if not programs:
        raise UserError(_('Create a program first: `program create "Year 9 PLC" kind=peer`.'))
    chosen = " ".join(cmd.args[1:])
    initial = str(program_named(ctx, chosen).id) if chosen.strip() else None
    form = Form(
        form_id=ROSTER_FORM,
        title=_("Import a roster"),
        submit_label=_("Import"),
        inputs=(
            Input(
                "program",
                _("Program"),
                kind=InputKind.SELECT,
                initial=initial,
                options=tuple(Option(str(p.id), p.name) for p in programs),
            ),
            Input(
                "csv",
                _("Roster (CSV with a header row)"),
                kind=InputKind.MULTILINE,
                max_length=200_000,
                hint=_(
                    "columns: {columns} (platform_user_id, school, goals, language optional)"
                ).format(columns=", ".join(REQUIRED)),
            ),
            Input(
                "skip_bad",
                _("If some rows are bad"),
                kind=InputKind.SELECT,
                initial="no",
                options=(
                    Option("no", _("Import nothing and show me")),
                    Option("yes", _("Skip them")),
                ),
            ),
        ),
    )
    return [Message(text=_("Import a roster"), form=form)]


def submit_roster(ctx: Ctx, values: Mapping[str, FormValue], _state: str) -> list[Message]:
    ctx.require_coordinator()
    program_id = record_id(form_text(values, "program"))
    prog = ctx.repos.programs.get(program_id) if program_id is not None else None
    if prog is None:
        raise FormInvalid({"program": _("Pick a program.")})
    text = str(values.get("csv") or "")
    if not text.strip():
        raise FormInvalid({"csv": _("Paste the roster here.")})
    try:
        report = import_roster(
            ctx.repos,
            prog,
            text,
            skip_bad=values.get("skip_bad") == "yes",
            now=ctx.now,
            importer=ctx.require_member(),
        )
    except UserError as exc:
        raise FormInvalid({"csv": exc.message}) from None
    return [text_message(report.summary(prog))]
