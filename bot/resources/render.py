"""How a resource looks in a message: title and link, who shared it, tags, and the feedback buttons."""

from __future__ import annotations

from collections.abc import Sequence

from bot.kernel.i18n import _, ngettext
from bot.kernel.messages import Actions, Block, Button, Context, Divider, Section, said
from bot.resources.model import Resource

HELPFUL = "resource.helpful"
UNHELPFUL = "resource.unhelpful"
REMOVE = "resource.remove"


def names(people: Sequence[str]) -> str:
    if not people:
        return _("a colleague who has left")
    if len(people) == 1:
        return people[0]
    # Translators: the end of a list of names, "Ana, Ben and Cy".
    return _("{names} and {last}").format(names=", ".join(people[:-1]), last=people[-1])


def shortened(title: str, limit: int) -> str:
    """A title cut at a word where it must be cut, so a button never ends mid-word ("stude…")."""
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


def resource_blocks(
    resource: Resource, *, pinned: bool = False, buttons: bool = True, removable: bool = False
) -> tuple[Block, ...]:
    assert resource.id is not None
    title = f"📌 *{said(resource.title)}*" if pinned else f"*{said(resource.title)}*"
    lines = [title]
    if resource.url:
        lines.append(said(resource.url))
    if resource.note:
        note = resource.note if len(resource.note) <= 280 else resource.note[:277] + "…"
        lines.append(said(note))
    about = [_("shared by {names}").format(names=said(names(resource.sharers)))]
    if resource.tags:
        about.append(said(" ".join("#" + t.replace(" ", "-") for t in resource.tags)))
    band = _(resource.grade_band) if resource.grade_band else None  # ours, like "Early years"
    where = ", ".join(x for x in (resource.subject, band) if x)
    if where:
        about.append(said(where))
    about.append(_("expert source") if resource.source_kind == "expert" else _("made by a teacher"))
    if resource.helpful_count:
        count = resource.helpful_count
        about.append(
            ngettext("{n} found it helpful", "{n} found it helpful", count).format(n=count)
        )
    about.append(f"id {resource.id}")
    blocks: list[Block] = [Section("\n".join(lines)), Context(" · ".join(about))]
    actions = []
    if buttons:
        value = str(resource.id)
        title = shortened(resource.title, 60)
        actions += [
            Button(
                _("Helpful"),
                HELPFUL,
                value,
                description=_("Mark “{title}” as helpful").format(title=title),
            ),
            Button(
                _("Not helpful"),
                UNHELPFUL,
                value,
                description=_("Mark “{title}” as not helpful").format(title=title),
            ),
        ]
    if removable:
        actions.append(
            Button(
                _("Remove"),
                REMOVE,
                str(resource.id),
                style="danger",
                description=_("Remove “{title}” from the library").format(
                    title=shortened(resource.title, 60)
                ),
            )
        )
    if actions:
        blocks.append(Actions(tuple(actions)))
    return tuple(blocks)


def resource_list_blocks(
    items: Sequence[tuple[Resource, bool]], *, removable: bool = False
) -> tuple[Block, ...]:
    """Several resources, each after a divider; ``items`` pairs a resource with whether it is pinned."""
    blocks: list[Block] = []
    for resource, pinned in items:
        blocks.append(Divider())
        blocks += resource_blocks(resource, pinned=pinned, removable=removable)
    return tuple(blocks)


def plain_line(resource: Resource) -> str:
    """One line for the notification preview and text-only fallbacks."""
    link = f" <{resource.url}>" if resource.url else ""
    return _("• {title}{link} (shared by {names})").format(
        title=resource.title, link=link, names=names(resource.sharers)
    )
