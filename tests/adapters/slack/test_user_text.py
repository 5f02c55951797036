"""What people write reaches colleagues on Slack as the characters they typed: through the real bolt
app and Block Kit renderer, a name or a title made of mrkdwn bolds, italicises, strikes or codes
nothing, while Staffroom's own formatting around it still works."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from adapters.markup import LOOK_ALIKES
from adapters.slack import blocks
from bot.kernel.messages import Message, Section, said
from staffroom.bootstrap import Staffroom
from storage.models.members import MemberRow
from storage.models.resources import ResourceRow
from tests.adapters.slack.conftest import Slack, texts
from tests.adapters.slack.test_commands import replies_to
from tests.conftest import fetch_all

HOSTILE_NAME = "*URGENT* _from the head_ ~now~ `rm`"
HOSTILE_TITLE = "*Free* _pizza_ ~today~ `staff`"
MARKUP = "*_~`"


def shown(text: str) -> str:
    """What a reader sees once Slack has drawn the look-alikes: the characters as typed."""
    back = {
        chr(v) if isinstance(v, int) else v: chr(k)
        for k, v in LOOK_ALIKES.items()
        if chr(k) in MARKUP
    }
    return "".join(back.get(c, c) for c in text)


def test_a_colleagues_name_and_title_format_nothing_in_what_another_teacher_reads(
    slack: Slack, app: Staffroom
) -> None:
    slack.join("U1", display_name=HOSTILE_NAME)
    assert (
        slack.command(f'share https://example.org/lunch "{HOSTILE_TITLE}"', user="U1").status == 200
    )
    replies_to(slack, "U1", 2)  # welcome, shared
    slack.join("U2", display_name="Ben Okafor")
    assert slack.command("resources pizza", user="U2").status == 200

    answers = replies_to(slack, "U2", 2)
    found = texts(answers[-1]["blocks"])
    title_line = next(line for line in found.splitlines() if "today" in line)
    # Staffroom's own bold stays around the title; inside it, not one mrkdwn character of theirs.
    assert title_line.startswith("*") and title_line.endswith("*"), title_line
    inner = title_line[1:-1]
    assert not set(inner) & set(MARKUP), inner
    assert shown(inner) == HOSTILE_TITLE  # reads exactly as typed
    shared_by = next(line for line in found.splitlines() if "shared by" in line)
    assert shown(shared_by).count(HOSTILE_NAME) == 1
    assert not set(shared_by.split("shared by ", 1)[1].split(" · ")[0]) & set(MARKUP)

    # Stored as typed: the escaping is the renderer's, never the data's.
    (resource,) = fetch_all(app, ResourceRow)
    assert resource.title == HOSTILE_TITLE
    assert {m.display_name for m in fetch_all(app, MemberRow)} == {HOSTILE_NAME, "Ben Okafor"}


def test_their_own_welcome_keeps_staffrooms_bold_around_a_name_that_formats_nothing(
    slack: Slack,
) -> None:
    slack.join("U1", display_name=HOSTILE_NAME)
    welcome = next(
        texts(a["blocks"]) for a in replies_to(slack, "U1") if "Welcome" in texts(a["blocks"])
    )
    start = welcome.index("Welcome, *") + len("Welcome, *")
    name = welcome[start : welcome.index("*", start)]
    assert shown(name) == HOSTILE_NAME and not set(name) & set(MARKUP)


@given(
    st.text(
        alphabet=st.sampled_from(string.ascii_letters + " *_~`>\n&<:" + "\uff0a\uff3f\uff40\uff5e"),
        max_size=60,
    )
)
def test_no_text_a_person_writes_can_open_or_close_mrkdwn(words: str) -> None:
    rendered = blocks.message_blocks(
        Message(text="x", blocks=(Section(f"*Shared by* {said(words)} `share`"),))
    )
    text = "\n".join(b["text"]["text"] for b in rendered if "text" in b)
    head, tail = "*Shared by* ", " `share`"
    assert text.startswith(head) and text.endswith(tail)
    theirs = text[len(head) : -len(tail)]
    assert not set(theirs) & set(MARKUP + "\uff0a\uff3f\uff40\uff5e"), theirs
    # Every line of theirs that could open a quote is guarded by an invisible soft hyphen.
    assert not any(line.lstrip().startswith("&gt;") for line in theirs.splitlines()[1:])
    expected = words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert theirs.replace("\u00ad", "") == expected.translate(LOOK_ALIKES)  # nothing lost
