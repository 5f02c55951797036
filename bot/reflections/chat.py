"""Quick reflections: what went well, what to try next, and who may read it (only me by default).

A reflection longer than the limit is never cut: it is kept in full as a draft, shared with nobody,
and the teacher is asked to shorten it. Sharing with "my mentor or group" sends it to them through the
outbox once; the shared wall shows it without a name. Teachers list, edit and delete only their own.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.checkins.message import suggestions
from bot.checkins.ports import Suggester
from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx, own, program_named, record_id
from bot.kernel.domain import Member
from bot.kernel.errors import FormInvalid
from bot.kernel.events import FormValue, form_text
from bot.kernel.i18n import N_, _, ngettext, number, when
from bot.kernel.messages import (
    Block,
    Context,
    Form,
    Input,
    InputKind,
    Message,
    Option,
    Section,
    said,
    text_message,
)
from bot.kernel.replies import confirm
from bot.privacy import chat as privacy
from bot.reflections.model import SHARED_KEY, Reflection, Visibility

FORM_ID = "reflection.form"
MAX_CHARS = 3000

VISIBILITY_LABELS = {
    Visibility.PRIVATE: N_("Only me"),
    Visibility.MENTOR: N_("My mentor or group"),
    Visibility.WALL: N_("The program's shared wall, anonymously"),
}

VERBS = (
    Verb(
        "reflect",
        "reflect",
        N_(
            "Write a quick reflection: what went well, what you'll try next (private unless you "
            "share it)."
        ),
    ),
    Verb(
        "reflections",
        "reflections [show N | edit N | delete N | shared | wall [PROGRAM]]",
        N_("Your reflections; what colleagues shared with you; the program's anonymous wall."),
        examples=(
            "reflections",
            "reflections edit 3",  # not translated: a command, typed as it is
            "reflections shared",  # not translated: a command, typed as it is
            "reflections wall",  # not translated: a command, typed as it is
        ),
    ),
)


def visibility_word(visibility: Visibility) -> str:
    """Who can see a reflection, in a sentence's middle ("only me")."""
    return _(VISIBILITY_LABELS[visibility]).lower()


def created_day(reflection: Reflection) -> str:
    """The day a reflection was written ("23 Nov" / "23 nov")."""
    return when(reflection.created_at, "day_month") if reflection.created_at else ""


# --- the form ----------------------------------------------------------------------------------------


def _state(reflection_id: int | None, checkin_id: int | None, program_id: int | None) -> str:
    return f"{reflection_id or ''}|{checkin_id or ''}|{program_id or ''}"


def _parse_state(state: str) -> tuple[int | None, int | None, int | None]:
    parts = [*state.split("|"), "", "", ""][:3]
    reflection_id, checkin_id, program_id = (record_id(p) for p in parts)
    return reflection_id, checkin_id, program_id


def build_form(
    ctx: Ctx,
    member: Member,
    *,
    existing: Reflection | None = None,
    checkin_id: int | None = None,
    program_id: int | None = None,
) -> Form:
    hint = _(
        "Up to {limit} characters; a longer one is kept as a draft for you to shorten."
    ).format(limit=number(MAX_CHARS))
    inputs: list[Input] = [
        Input(
            "went_well",
            _("What went well?"),
            InputKind.MULTILINE,
            required=False,
            initial=existing.went_well if existing else None,
            placeholder=_("e.g. the hinge question in period 3 showed who had it"),
            hint=hint,
        ),
        Input(
            "try_next",
            _("What will you try next?"),
            InputKind.MULTILINE,
            required=False,
            initial=existing.try_next if existing else None,
            hint=hint,
        ),
    ]
    if member.goals:
        inputs.append(
            Input(
                "tag",
                _("Which goal is it about? (optional)"),
                InputKind.SELECT,
                required=False,
                options=tuple(Option(g, g) for g in member.goals),
                initial=existing.tag if existing and existing.tag in member.goals else None,
            )
        )
    inputs.append(
        Input(
            "visibility",
            _("Who can see it?"),
            InputKind.SELECT,
            options=tuple(Option(v.value, _(label)) for v, label in VISIBILITY_LABELS.items()),
            initial=(existing.visibility if existing else Visibility.PRIVATE).value,
        )
    )
    return Form(
        form_id=FORM_ID,
        title=_("Edit your reflection") if existing else _("A quick reflection"),
        inputs=tuple(inputs),
        submit_label=_("Save"),
        state=_state(
            existing.id if existing else None,
            existing.checkin_id if existing else checkin_id,
            existing.program_id if existing else program_id,
        ),
    )


def open_form(
    ctx: Ctx, *, checkin_id: int | None = None, program_id: int | None = None
) -> list[Message]:
    member = ctx.require_member()
    form = build_form(ctx, member, checkin_id=checkin_id, program_id=program_id)
    return [Message(text=_("A minute to reflect: what went well, and what next?"), form=form)]


def rebuild(ctx: Ctx, state: str) -> Form:
    member = ctx.require_member()
    reflection_id, checkin_id, program_id = _parse_state(state)
    existing = _own(ctx, member, reflection_id) if reflection_id else None
    return build_form(ctx, member, existing=existing, checkin_id=checkin_id, program_id=program_id)


def submit(
    ctx: Ctx, values: Mapping[str, FormValue], state: str, *, suggest: Suggester | None = None
) -> list[Message]:
    member = ctx.require_member()
    assert member.id is not None
    reflection_id, checkin_id, program_id = _parse_state(state)
    went_well, try_next = form_text(values, "went_well"), form_text(values, "try_next")
    tag = form_text(values, "tag") or None
    errors: dict[str, str] = {}
    if not went_well and not try_next:
        errors["went_well"] = _("write a line in at least one of the two boxes")
    if tag is not None and tag not in member.goals:
        errors["tag"] = _("pick one of your goals, or leave it empty")
    raw_visibility = form_text(values, "visibility") or Visibility.PRIVATE.value
    try:
        visibility = Visibility(raw_visibility)
    except ValueError:
        errors["visibility"] = _("choose only me, my mentor or group, or the shared wall")
        visibility = Visibility.PRIVATE
    if errors:
        raise FormInvalid(errors)
    too_long = max(len(went_well), len(try_next)) > MAX_CHARS
    checkin_id, program_id = _trusted_links(ctx, member, checkin_id, program_id)
    if program_id is None:
        memberships = ctx.repos.memberships.for_member(member.id)
        program_id = memberships[0].program_id if memberships else None
    existing = _own(ctx, member, reflection_id) if reflection_id else None
    if existing is not None:
        existing.went_well, existing.try_next, existing.tag = went_well, try_next, tag
        existing.visibility, existing.is_draft = visibility, too_long
        ctx.repos.reflections.save(existing)
        saved = existing
    else:
        saved = ctx.repos.reflections.add(
            Reflection(
                member_id=member.id,
                went_well=went_well,
                try_next=try_next,
                tag=tag,
                visibility=visibility,
                is_draft=too_long,
                program_id=program_id,
                checkin_id=checkin_id,
            )
        )
    assert saved.id is not None
    if too_long:
        over = max(len(went_well), len(try_next))
        text = _(
            "Your reflection is {length} characters and the limit is {limit}. I've kept every "
            "word as a draft (shared with nobody yet). Could you shorten it?"
        ).format(length=number(over), limit=number(MAX_CHARS))
        return [confirm(text, _("Shorten it"), "reflection.edit", value=str(saved.id))]
    shared_with = _share(ctx, member, saved) if visibility is Visibility.MENTOR else 0
    where = {
        Visibility.PRIVATE: _("Saved. Only you can see it."),
        Visibility.MENTOR: ngettext(
            "Saved and shared with {n} person you're paired or grouped with.",
            "Saved and shared with {n} people you're paired or grouped with.",
            shared_with,
        ).format(n=shared_with)
        if shared_with
        else _("Saved. You're not paired with anyone yet, so it stays private for now."),
        Visibility.WALL: _("Saved and posted on the program's shared wall, without your name."),
    }[visibility]
    blocks: list[Block] = [Section(where)]
    topic = tag or (member.goals[0] if member.goals else "")
    blocks.extend(suggestions(ctx.repos, member, topic, suggest))
    blocks.append(Context(_("`reflections` lists yours; you can edit or delete any of them.")))
    return [Message(text=where, blocks=tuple(blocks))]


def _trusted_links(
    ctx: Ctx, member: Member, checkin_id: int | None, program_id: int | None
) -> tuple[int | None, int | None]:
    """The check-in and program a submitted form says it is about, kept only if they are this
    member's own in this workspace: the form's hidden state came back from the client."""
    assert member.id is not None
    if checkin_id is not None:
        checkin = ctx.repos.checkins.get(checkin_id)
        if checkin is None or checkin.member_id != member.id:
            checkin_id = None
    if program_id is not None:
        mine = {m.program_id for m in ctx.repos.memberships.for_member(member.id)}
        if program_id not in mine:
            program_id = None
    return checkin_id, program_id


def _share(ctx: Ctx, author: Member, reflection: Reflection) -> int:
    """Send a shared reflection to the author's mentor, mentees or group, once each."""
    assert author.id is not None and reflection.id is not None
    partners = ctx.repos.privacy.partners(author.id)
    sent = 0
    for partner_id in partners:
        partner = ctx.repos.members.get(partner_id)
        if partner is None or not partner.reachable:
            continue
        if not privacy.can_see(partner, reflection, set(partners)):
            continue
        # Written in the reader's language (the reflection's own words stay as the author wrote
        # them); keyed per reflection and reader: an edit does not send it to them a second time.
        ctx.send_built(
            partner,
            lambda: shared_notice(author, reflection),
            f"{SHARED_KEY}{reflection.id}:{partner_id}",
        )
        sent += 1
    return sent


def shared_notice(author: Member, reflection: Reflection) -> Message:
    """What a partner receives: build it in their language (``ctx.speaking_to``)."""
    name = said(author.display_name)
    return Message(
        text=_("{name} shared a reflection with you.").format(name=name),
        blocks=(
            Section(_("*{name} shared a reflection with you*").format(name=name)),
            *render_reflection(reflection),
            Context(_("Shared only with the people they're paired or grouped with.")),
        ),
        ephemeral=False,
    )


def render_reflection(reflection: Reflection) -> tuple[Section, ...]:
    fields: list[tuple[str, str]] = []
    if reflection.went_well:
        fields.append((_("Went well"), said(reflection.went_well)))
    if reflection.try_next:
        fields.append((_("Try next"), said(reflection.try_next)))
    if reflection.tag:
        fields.append((_("Goal"), said(reflection.tag)))
    return (Section(fields=tuple(fields)),)


# --- the verbs -----------------------------------------------------------------------------------


def reflect(ctx: Ctx, _cmd: ParsedCommand) -> list[Message]:
    return open_form(ctx)


def _own(ctx: Ctx, member: Member, reflection_id: int | None) -> Reflection:
    found = ctx.repos.reflections.get(reflection_id) if reflection_id else None
    refusal = _("You have no reflection {number}. Type `reflections` to see yours.").format(
        number=reflection_id
    )
    return own(found, found.member_id if found else None, member, refusal)


def _number(cmd: ParsedCommand) -> int:
    found = record_id(cmd.args[1]) if len(cmd.args) >= 2 else None
    if found is None:
        raise usage_error("reflections", _("Which one? Give its number from `reflections`."))
    return found


def _preview(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def reflections(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    assert member.id is not None
    action = cmd.args[0].lower() if cmd.args else "list"
    if action == "list":
        mine = ctx.repos.reflections.for_member(member.id)
        if not mine:
            return [text_message(_("No reflections yet. Type `reflect` to write your first one."))]
        lines = [_list_line(r) for r in mine]
        text = _("Your reflections:") + "\n" + "\n".join(lines)
        return [
            Message(
                text=text,
                blocks=(Section(text), Context(_("`reflections show N`, `edit N` or `delete N`."))),
            )
        ]
    if action == "show":
        found = _own(ctx, member, _number(cmd))
        title = _("Reflection {number} ({visibility})").format(
            number=found.id, visibility=visibility_word(found.visibility)
        )
        return [Message(text=title, blocks=(Section(f"*{title}*"), *render_reflection(found)))]
    if action == "edit":
        found = _own(ctx, member, _number(cmd))
        return [
            Message(text=_("Edit your reflection."), form=build_form(ctx, member, existing=found))
        ]
    if action == "delete":
        found = _own(ctx, member, _number(cmd))
        text = _("Delete reflection {number} (“{preview}”)?").format(
            number=found.id, preview=_preview(found.went_well or found.try_next, 40)
        )
        return [
            confirm(text, _("Delete it"), "reflection.delete", value=str(found.id), danger=True)
        ]
    if action == "shared":
        return [_shared_with_me(ctx, member)]
    if action == "wall":
        return [_wall(ctx, member, " ".join(cmd.args[1:]).strip())]
    raise usage_error(
        "reflections", _("I don't know `reflections {action}`.").format(action=action)
    )


def _list_line(r: Reflection) -> str:
    preview = _preview(r.went_well or r.try_next)
    if r.is_draft:
        line = _("{number}. {date} · {visibility} · DRAFT (too long): {preview}")
    else:
        line = _("{number}. {date} · {visibility}: {preview}")
    return line.format(
        number=r.id, date=created_day(r), visibility=visibility_word(r.visibility), preview=preview
    )


def edit_button(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    found = _own(ctx, member, record_id(value))
    return [Message(text=_("Edit your reflection."), form=build_form(ctx, member, existing=found))]


def delete_button(ctx: Ctx, value: str) -> list[Message]:
    member = ctx.require_member()
    found = _own(ctx, member, record_id(value))
    assert found.id is not None
    ctx.repos.reflections.delete(found.id)
    return [
        text_message(_("Deleted reflection {number}. It's gone for good.").format(number=found.id))
    ]


def _shared_with_me(ctx: Ctx, member: Member) -> Message:
    assert member.id is not None
    partners = set(ctx.repos.privacy.partners(member.id))
    names = {pid: ctx.repos.members.get(pid) for pid in partners}
    visible = [
        r
        for r in ctx.repos.reflections.shared(Visibility.MENTOR)
        if r.member_id in partners
        and privacy.can_see(member, r, set(ctx.repos.privacy.partners(r.member_id)))
    ]
    if not visible:
        return text_message(_("Nobody has shared a reflection with you yet."))
    blocks: list[Block] = []
    for r in visible[:10]:
        author = names.get(r.member_id)
        name = said(author.display_name) if author else _("A colleague")
        blocks.append(Section(_("*{name}*, {date}").format(name=name, date=created_day(r))))
        blocks.extend(render_reflection(r))
    n = len(visible)
    text = ngettext(
        "{n} reflection shared with you.", "{n} reflections shared with you.", n
    ).format(n=n)
    return Message(text=text, blocks=tuple(blocks))


def _wall(ctx: Ctx, member: Member, program_name: str) -> Message:
    assert member.id is not None
    if program_name:
        program_ids = {program_named(ctx, program_name).id}
    else:
        program_ids = {m.program_id for m in ctx.repos.memberships.for_member(member.id)}
    posts = [
        r for r in ctx.repos.reflections.shared(Visibility.WALL) if r.program_id in program_ids
    ]
    if not posts:
        return text_message(
            _(
                "The shared wall is empty so far. Choose “shared wall” when you reflect to post "
                "there, without your name."
            )
        )
    n = len(posts)
    heading = ngettext(
        "*The shared wall* · {n} anonymous reflection",
        "*The shared wall* · {n} anonymous reflections",
        n,
    ).format(n=n)
    blocks: list[Block] = [Section(heading)]
    for r in posts[:10]:
        blocks.append(Context(_("A colleague, {date}").format(date=created_day(r))))
        blocks.extend(render_reflection(r))
    text = ngettext("The shared wall: {n} reflection.", "The shared wall: {n} reflections.", n)
    return Message(text=text.format(n=n), blocks=tuple(blocks))
