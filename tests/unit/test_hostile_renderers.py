"""Hostile strings through every renderer: whatever a person writes comes out as data, never as
markup or a formula, and nothing of it is lost."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from adapters.console.render import render
from adapters.markup import LOOK_ALIKES
from adapters.teams.cards import markdown
from bot.digest.page import e
from bot.digest.render import FORMULA_STARTS, spreadsheet_safe
from bot.kernel.messages import Message, Section, said

HOSTILE = st.text(
    alphabet=st.sampled_from([*"aZ 09*_~`[]()<>&=+-@#:/\"'\t\r\n", "\u2060", "\uff0a", "é"]),
    max_size=40,
)


@given(HOSTILE)
def test_a_csv_cell_never_starts_a_formula(words: str) -> None:
    cell = spreadsheet_safe(words)
    assert isinstance(cell, str)
    assert not cell.startswith(FORMULA_STARTS)
    assert cell in (words, "'" + words)


@given(HOSTILE)
def test_the_web_page_escapes_every_tag_and_quote(words: str) -> None:
    shown = e(f"Shared by {said(words)}")
    assert not re.search(r"[<>\"\x1d\x1e]", shown), shown
    assert html.unescape(shown) == f"Shared by {words}"


@given(HOSTILE)
def test_teams_markdown_neither_formats_nor_links_what_people_wrote(words: str) -> None:
    shown = markdown(f"*Shared by* {said(words)}")
    assert shown.startswith("**Shared by** ")
    theirs = shown[len("**Shared by** ") :]
    assert not set(theirs) & set("*_~`\uff0a"), theirs
    assert re.search(r"\](?=[(\[:])", theirs) is None
    assert theirs.replace("\u2060", "").replace("\u00ad", "") == words.replace(
        "\u2060", ""
    ).translate(LOOK_ALIKES)


@given(HOSTILE)
def test_the_terminal_shows_what_was_written_as_it_was_written(words: str) -> None:
    text, _buttons = render(Message(text="x", blocks=(Section(f"Shared by {said(words)}"),)))
    assert " ".join(words.split()) in " ".join(text.split())
