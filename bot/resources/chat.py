"""The library in chat: ``share``, ``resources``, the share form, and the buttons on each resource."""

from __future__ import annotations

from collections.abc import Mapping

from bot.kernel.commands import ParsedCommand, Verb, usage_error
from bot.kernel.context import Ctx, program_named, record_id
from bot.kernel.errors import FormInvalid
from bot.kernel.events import FormValue, form_text
from bot.kernel.i18n import N_, _, ngettext
from bot.kernel.messages import Form, Input, InputKind, Message, Option, Section, text_message
from bot.resources import sharing as library
from bot.resources.model import Mark, ResourceQuery, ShownIn
from bot.resources.render import plain_line, resource_list_blocks
from bot.resources.sharing import GRADE_BANDS, Draft
from bot.resources.terms import query_terms, slug
from bot.resources.text import MAX_NOTE, MAX_TITLE, InvalidResource

SHARE_FORM = "resource.share"
MAX_QUERY = 200

VERBS = (
    Verb(
        "share",
        "share [URL] [title] [#tags] [subject=...] [grade=...] [kind=peer|expert]",
        N_("Share a link or an idea with colleagues (with no link, a short form opens)."),
        # Translators: only the title may change; the command, the link and the #tag stay.
        examples=(
            N_(
                "share https://example.org/hinge-questions Hinge questions in 5 minutes #questioning"
            ),
            N_(
                "share https://example.org/seating Seating plans that work #behaviour grade=6-8 "
                "kind=expert"
            ),
            "share",
        ),
    ),
    Verb(
        "resources",
        "resources [words] [#tag] [subject=...] [grade=...] | mine | pinned | remove ID | "
        "pin ID [program] | unpin ID [program]",  # not translated: command syntax, like `share`'s
        N_("Find what colleagues shared: the best five, with a Helpful button on each."),
        # Translators: only the search words and the program's name may change, never the command.
        examples=(
            N_("resources open questions"),
            N_("resources behaviour #routines grade=6-8"),
            "resources mine",  # not translated: a command, typed as it is
            N_('resources pin 12 "New Teacher Mentoring"'),
        ),
    ),
)


# --- share --------------------------------------------------------------------------------------


def share(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    ctx.require_member()
    if not cmd.args:
        if cmd.options:
            raise usage_error(
                "share", _("Start with the link, e.g. `share https://... Title #tag`.")
            )
        return [Message(text=_("Share a resource"), form=share_form(ctx))]
    url, *words = cmd.args
    tags = [w for w in words if w.startswith("#")]
    title = " ".join(w for w in words if not w.startswith("#"))
    draft = Draft(
        url=url,
        title=title,
        tags=tags + ([cmd.options["tags"]] if "tags" in cmd.options else []),
        subject=cmd.options.get("subject", ""),
        grade_band=cmd.options.get("grade", cmd.options.get("grades", "")),
        source_kind=cmd.options.get("kind", "peer"),
        note=cmd.options.get("note", ""),
    )
    try:
        return library.share(ctx, draft)
    except InvalidResource as bad:
        raise usage_error("share", bad.message) from None


def share_form(ctx: Ctx, _state: str = "") -> Form:
    return Form(
        form_id=SHARE_FORM,
        title=_("Share a resource"),
        submit_label=_("Share"),
        inputs=(
            Input(
                "title",
                _("Title"),
                max_length=MAX_TITLE,
                placeholder=_("Hinge questions in 5 minutes"),
            ),
            Input(
                "url",
                _("Link"),
                required=False,
                hint=_("http:// or https://; leave empty to share the idea in the note"),
            ),
            Input(
                "note",
                _("Note"),
                kind=InputKind.MULTILINE,
                required=False,
                max_length=MAX_NOTE,
                hint=_("what it is and how you used it"),
            ),
            Input("subject", _("Subject"), required=False, max_length=80),
            Input(
                "grade_band",
                _("Grade band"),
                kind=InputKind.SELECT,
                required=False,
                options=tuple(Option(g, _(g)) for g in GRADE_BANDS),
            ),
            Input(
                "tags",
                _("Topic tags"),
                required=False,
                hint=_("comma-separated, e.g. questioning"),
            ),
            Input(
                "source_kind",
                _("Made by"),
                kind=InputKind.SELECT,
                options=(Option("peer", _("a teacher")), Option("expert", _("an expert source"))),
                initial="peer",
            ),
        ),
    )


def submit_share(ctx: Ctx, values: Mapping[str, FormValue], _state: str) -> list[Message]:
    draft = Draft(
        url=form_text(values, "url"),
        title=form_text(values, "title"),
        note=form_text(values, "note"),
        subject=form_text(values, "subject"),
        grade_band=form_text(values, "grade_band"),
        tags=[form_text(values, "tags")],
        source_kind=form_text(values, "source_kind") or "peer",
    )
    if not draft.title and not draft.url:
        raise FormInvalid({"title": _("Please give it a title.")})
    try:
        return library.share(ctx, draft)
    except InvalidResource as bad:
        raise FormInvalid({bad.field: bad.message}) from None


# --- resources ----------------------------------------------------------------------------------


def resources(ctx: Ctx, cmd: ParsedCommand) -> list[Message]:
    member = ctx.require_member()
    args = list(cmd.args)
    sub = args[0].lower() if args else ""
    if sub == "mine" and len(args) == 1:
        return [_mine(ctx)]
    if sub == "pinned" and len(args) == 1:
        return [_pinned(ctx)]
    if sub in ("remove", "pin", "unpin") and len(args) >= 2 and record_id(args[1]) is not None:
        if sub == "remove":
            return library.remove(ctx, args[1])
        return [_pin(ctx, sub == "pin", args[1], " ".join(args[2:]))]
    words = " ".join(a for a in args if not a.startswith("#"))
    tag_words = [a for a in args if a.startswith("#")]
    tag = cmd.options.get("tag") or (tag_words[0] if tag_words else "")
    if len(words) > MAX_QUERY:
        raise usage_error(
            "resources",
            _("Keep the search under {limit} characters.").format(limit=MAX_QUERY),
        )
    query = ResourceQuery(
        terms=query_terms(" ".join([words, *tag_words[1:]])),
        subject=cmd.options.get("subject") or None,
        grade_band=cmd.options.get("grade") or cmd.options.get("grades") or None,
        tag=slug(tag) or None,
        program_ids=library.program_ids(ctx, member),
        match_all=True,
    )
    if words.strip() and not query.terms:
        raise usage_error("resources", _("Those words are too common to search for; try others."))
    hits = ctx.repos.resources.search(query)
    assert member.id is not None
    ctx.repos.resources.record_shown(
        member.id,
        [h.resource.id for h in hits if h.resource.id is not None],
        ShownIn.SEARCH,
        ctx.now,
    )
    described = " ".join(x for x in (words.strip(), *(f"#{slug(t)}" for t in tag_words)) if x)
    for key in ("subject", "grade"):
        if cmd.options.get(key):
            described += f" {key}={cmd.options[key]}"
    described = described.strip()
    if not hits:
        empty = (
            _(
                "Nothing in the library for “{what}” yet. Found something good? "
                "`share <link> <title> #tags` and colleagues will find it."
            )
            if described
            else _(
                "Nothing in the library yet. Found something good? "
                "`share <link> <title> #tags` and colleagues will find it."
            )
        )
        return [text_message(empty.format(what=described))]
    if query.terms:
        heading = ngettext(
            "The best match for “{what}”:", "The best {n} for “{what}”:", len(hits)
        ).format(n=len(hits), what=described)
    elif described:
        heading = _("Pinned and most helpful for “{what}”:").format(what=described)
    else:
        heading = _("Pinned and most helpful:")
    return [
        Message(
            text=heading + "\n" + "\n".join(plain_line(h.resource) for h in hits),
            blocks=(
                Section(heading),
                *resource_list_blocks([(h.resource, h.pinned) for h in hits]),
            ),
        )
    ]


def _mine(ctx: Ctx) -> Message:
    member = ctx.require_member()
    assert member.id is not None
    shared = ctx.repos.resources.shared_by(member.id)
    if not shared:
        return text_message(_("You haven't shared anything yet. `share <link> <title> #tags`"))
    heading = ngettext("You've shared one:", "You've shared {n}:", len(shared)).format(
        n=len(shared)
    )
    return Message(
        text=heading + "\n" + "\n".join(plain_line(r) for r in shared),
        blocks=(
            Section(heading),
            *resource_list_blocks([(r, False) for r in shared], removable=True),
        ),
    )


def _pinned(ctx: Ctx) -> Message:
    member = ctx.require_member()
    pinned = ctx.repos.resources.pinned(library.program_ids(ctx, member))
    if not pinned:
        return text_message(_("Nothing is pinned for your programs yet."))
    heading = _("Pinned by your coordinators:")
    return Message(
        text=heading + "\n" + "\n".join(plain_line(r) for r in pinned),
        blocks=(Section(heading), *resource_list_blocks([(r, True) for r in pinned])),
    )


def _pin(ctx: Ctx, pin: bool, raw_id: str, program_name: str) -> Message:
    coordinator = ctx.require_coordinator()
    assert coordinator.id is not None
    resource = library.live_resource(ctx, raw_id)
    assert resource.id is not None
    programs = ctx.repos.programs.list()
    if program_name:
        program = program_named(ctx, program_name)
    elif len(programs) == 1:
        program = programs[0]
    else:
        raise usage_error(
            "resources",
            _("Which program?")
            + " "
            + (
                _("Programs here: {names}.").format(names=", ".join(p.name for p in programs))
                if programs
                else _("There are none yet.")
            ),
        )
    assert program.id is not None
    repo = ctx.repos.resources
    if pin:
        done = repo.pin(program.id, resource.id, coordinator.id, ctx.now)
        pinned = (
            _("📌 Pinned “{title}” for {program}.")
            if done
            else _("📌 Already pinned “{title}” for {program}.")
        )
        return text_message(pinned.format(title=resource.title, program=program.name))
    done = repo.unpin(program.id, resource.id)
    unpinned = (
        _("Unpinned “{title}” from {program}.")
        if done
        else _("“{title}” was not pinned for {program}.")
    )
    return text_message(unpinned.format(title=resource.title, program=program.name))


# --- buttons ------------------------------------------------------------------------------------


def helpful_button(ctx: Ctx, value: str) -> list[Message]:
    return library.mark(ctx, value, Mark.HELPFUL)


def unhelpful_button(ctx: Ctx, value: str) -> list[Message]:
    return library.mark(ctx, value, Mark.UNHELPFUL)


def remove_button(ctx: Ctx, value: str) -> list[Message]:
    return library.remove(ctx, value)


# --- goals: a new goal is a good moment to offer something --------------------------------------
